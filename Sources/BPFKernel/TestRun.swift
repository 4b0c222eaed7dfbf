/// Input for `BPF_PROG_TEST_RUN`.
public struct TestRunRequest: Hashable, Sendable {
    /// The packet (or other data) the program sees.
    public var data: [UInt8]
    /// Room for the output data; defaults to the input size plus 256 bytes
    /// of headroom for programs that grow the packet.
    public var dataOutCapacity: Int?
    /// The context (e.g. `struct __sk_buff`, `struct xdp_md`), if any.
    public var context: [UInt8]?
    /// Room for the output context (0: not requested).
    public var contextOutCapacity: Int
    /// How many times to run (the duration is the mean).
    public var repeatCount: UInt32
    /// `BPF_F_TEST_*` flags.
    public var flags: UInt32

    public init(data: [UInt8], context: [UInt8]? = nil, repeatCount: UInt32 = 1) {
        self.data = data
        self.dataOutCapacity = nil
        self.context = context
        self.contextOutCapacity = 0
        self.repeatCount = repeatCount
        self.flags = 0
    }
}

/// Output of `BPF_PROG_TEST_RUN`.
public struct TestRunResult: Hashable, Sendable {
    /// The program's return value (`r0`, truncated to 32 bits).
    public var returnValue: UInt32
    /// Mean run time in nanoseconds.
    public var duration: UInt32
    /// The data after the run.
    public var dataOut: [UInt8]
    /// The context after the run (empty unless capacity was given).
    public var contextOut: [UInt8]
}

extension KernelProgram {
    /// Runs the program once (or `repeatCount` times) on the given input.
    ///
    ///     let result = try loaded.testRun(TestRunRequest(data: packet))
    ///     print(result.returnValue)
    ///
    /// - Throws: `KernelError` (`ENOTSUPP`/`EINVAL` for program types the
    ///   kernel cannot test-run, `ENOSPC` when the output does not fit).
    /// - Complexity: O(d + c) bytes copied, plus the runs.
    public func testRun(_ request: TestRunRequest) throws(KernelError) -> TestRunResult {
        // union bpf_attr, TEST_RUN part: prog_fd@0 retval@4 data_size_in@8
        // data_size_out@12 data_in@16 data_out@24 repeat@32 duration@36
        // ctx_size_in@40 ctx_size_out@44 ctx_in@48 ctx_out@56 flags@64.
        typealias T = AttributeLayout.TestRun
        let attr = AttributeBuffer()
        attr.set32(UInt32(bitPattern: descriptor.rawValue), at: T.programFD)
        attr.set32(UInt32(request.data.count), at: T.dataSizeIn)
        attr.pin(request.data, at: T.dataIn)
        let capacity = request.dataOutCapacity ?? (request.data.count + 256)
        let dataOut = attr.output(count: capacity, at: T.dataOut)
        attr.set32(UInt32(dataOut == nil ? 0 : capacity), at: T.dataSizeOut)
        attr.set32(request.repeatCount, at: T.repeatCount)
        if let context = request.context {
            attr.set32(UInt32(context.count), at: T.contextSizeIn)
            attr.pin(context, at: T.contextIn)
        }
        let contextOut = attr.output(count: request.contextOutCapacity, at: T.contextOut)
        attr.set32(UInt32(contextOut == nil ? 0 : request.contextOutCapacity), at: T.contextSizeOut)
        attr.set32(request.flags, at: T.flags)
        if case .failure(let errno) = attr.call(.programTestRun) {
            throw KernelError.from(errno, operation: .programTestRun, "cannot test-run \(type) program '\(name)'")
        }
        let dataSize = min(Int(attr.get32(at: T.dataSizeOut)), capacity)
        let contextSize = min(Int(attr.get32(at: T.contextSizeOut)), request.contextOutCapacity)
        return TestRunResult(
            returnValue: attr.get32(at: T.returnValue),
            duration: attr.get32(at: T.duration),
            dataOut: dataOut.map { Array($0.prefix(dataSize)) } ?? [],
            contextOut: contextOut.map { Array($0.prefix(contextSize)) } ?? [])
    }
}
