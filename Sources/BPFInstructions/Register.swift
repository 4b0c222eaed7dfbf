/// The eleven eBPF registers. `r10` is the read-only frame pointer.
public enum Register: UInt8, CaseIterable, Sendable, Hashable {
    case r0 = 0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10
}
