extension Instruction {
    /// The opcode of `BPF_ST | BPF_NOSPEC`: a speculation barrier the
    /// verifier inserts (kernel-internal; `nospec` in bpftool's listing).
    /// `BPF_NOSPEC` shares its mode bits with `BPF_ATOMIC`.
    public static let speculationBarrierCode: UInt8 = InstructionClass.st.rawValue | AccessMode.atomic.rawValue

    /// True for the kernel-internal speculation barrier (`nospec`).
    @inlinable
    public var isSpeculationBarrier: Bool { code == Self.speculationBarrierCode }
}
