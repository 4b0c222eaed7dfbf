import BPFInstructions

/// Whether this process can use bpf(2), found by loading the smallest
/// socket filter (`r0 = 0; exit`).
///
/// Tests call `KernelSupport.probe()` and, when unavailable, print
/// `reason` and return early rather than fail.
public struct KernelSupport: Sendable, Hashable {
    /// True when a program loaded.
    public var isAvailable: Bool
    /// Why not (e.g. "EPERM: no CAP_BPF"), or "available".
    public var reason: String

    /// Probes once per process.
    ///
    /// - Complexity: O(1); the first call issues one bpf(2) call.
    public static func probe() -> KernelSupport { cached }

    private static let cached: KernelSupport = {
        #if os(Linux)
        let program = Program(slots: [.mov(.r0, 0), .exit])
        do throws(KernelError) {
            _ = try KernelProgram.load(ProgramLoadRequest(type: .socketFilter, program: program, name: "probe"))
            return KernelSupport(isAvailable: true, reason: "available")
        } catch {
            let hint = switch error.errno {
            case .notPermitted?: " (needs root or CAP_BPF, or kernel.unprivileged_bpf_disabled)"
            case .accessDenied?: " (permission denied, e.g. by an LSM)"
            case .notImplemented?: " (kernel built without CONFIG_BPF_SYSCALL)"
            default: ""
            }
            return KernelSupport(isAvailable: false, reason: error.description + hint)
        }
        #else
        return KernelSupport(isAvailable: false, reason: "bpf(2) exists only on Linux")
        #endif
    }()
}
