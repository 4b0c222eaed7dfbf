import BPFKernel

/// Whether bpf(2) works in this process (one probe load, cached). Tests
/// that need the live kernel declare
/// `.enabled(if: KernelProbe.isAvailable, KernelProbe.skipComment)`.
public enum KernelProbe {
    /// True when the smallest socket filter loads.
    public static var isAvailable: Bool { KernelSupport.probe().isAvailable }
    /// Why the kernel is unavailable (or "available").
    public static var reason: String { KernelSupport.probe().reason }
}
