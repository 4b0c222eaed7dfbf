import BPFKernel
import BPFKernelOracle

/// How `BPF_PROG_TEST_RUN` runs a program type without attachment.
///
/// - `packet`: the input is packet data, `repeat` is the kernel's, the
///   output data is compared (socket filters, tc, XDP, cgroup skb, lwt).
/// - `context`: the input is the context (raw tracepoint arguments, a
///   syscall program's argument struct); these types refuse data and
///   `repeat`, so runs are repeated here; the output context is compared
///   where the type returns one (syscall).
enum TestRunStyle {
    case packet
    case context(returnsContext: Bool)

    init?(_ type: ProgramType) {
        if PaddingVerifier.testRunTypes.contains(type) {
            self = .packet
        } else if type == .rawTracepoint {
            self = .context(returnsContext: false)
        } else if type == .syscall {
            self = .context(returnsContext: true)
        } else {
            return nil
        }
    }

    /// The built-in inputs: the packets `verify` uses, or two 64-byte
    /// contexts (eight zero arguments, then eight patterned ones).
    func defaultInputs(seed: UInt64) -> [[UInt8]] {
        switch self {
        case .packet:
            TestPackets.defaultSizes.enumerated().map { TestPackets.packet(size: $0.element, seed: seed &+ UInt64($0.offset)) }
        case .context:
            [[UInt8](repeating: 0, count: 64), TestPackets.packet(size: 64, seed: seed)]
        }
    }

    /// Runs `program` `repeatCount` times on `input`; the result of the
    /// last run (the duration is zeroed: it is not behaviour).
    func run(_ program: KernelProgram, input: [UInt8], repeatCount: UInt32) -> Result<TestRunResult, KernelError> {
        do throws(KernelError) {
            var result: TestRunResult
            switch self {
            case .packet:
                result = try program.testRun(TestRunRequest(data: input, repeatCount: repeatCount))
            case .context(let returnsContext):
                var request = TestRunRequest(data: [], context: input, repeatCount: 0)
                request.dataOutCapacity = 0
                request.contextOutCapacity = returnsContext ? input.count : 0
                result = try program.testRun(request)
                for _ in 1..<max(1, repeatCount) { result = try program.testRun(request) }
            }
            result.duration = 0
            return .success(result)
        } catch {
            return .failure(error)
        }
    }
}
