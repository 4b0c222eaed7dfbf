/// A BPF program type (`enum bpf_prog_type`). An open code space: the kernel adds values.
public struct ProgramType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `BPF_PROG_TYPE_UNSPEC`
    public static let unspec = ProgramType(rawValue: 0)
    /// `BPF_PROG_TYPE_SOCKET_FILTER`
    public static let socketFilter = ProgramType(rawValue: 1)
    /// `BPF_PROG_TYPE_KPROBE`
    public static let kprobe = ProgramType(rawValue: 2)
    /// `BPF_PROG_TYPE_SCHED_CLS`
    public static let schedClassifier = ProgramType(rawValue: 3)
    /// `BPF_PROG_TYPE_SCHED_ACT`
    public static let schedAction = ProgramType(rawValue: 4)
    /// `BPF_PROG_TYPE_TRACEPOINT`
    public static let tracepoint = ProgramType(rawValue: 5)
    /// `BPF_PROG_TYPE_XDP`
    public static let xdp = ProgramType(rawValue: 6)
    /// `BPF_PROG_TYPE_PERF_EVENT`
    public static let perfEvent = ProgramType(rawValue: 7)
    /// `BPF_PROG_TYPE_CGROUP_SKB`
    public static let cgroupSkb = ProgramType(rawValue: 8)
    /// `BPF_PROG_TYPE_CGROUP_SOCK`
    public static let cgroupSock = ProgramType(rawValue: 9)
    /// `BPF_PROG_TYPE_LWT_IN`
    public static let lwtIn = ProgramType(rawValue: 10)
    /// `BPF_PROG_TYPE_LWT_OUT`
    public static let lwtOut = ProgramType(rawValue: 11)
    /// `BPF_PROG_TYPE_LWT_XMIT`
    public static let lwtXmit = ProgramType(rawValue: 12)
    /// `BPF_PROG_TYPE_SOCK_OPS`
    public static let sockOps = ProgramType(rawValue: 13)
    /// `BPF_PROG_TYPE_SK_SKB`
    public static let skSkb = ProgramType(rawValue: 14)
    /// `BPF_PROG_TYPE_CGROUP_DEVICE`
    public static let cgroupDevice = ProgramType(rawValue: 15)
    /// `BPF_PROG_TYPE_SK_MSG`
    public static let skMsg = ProgramType(rawValue: 16)
    /// `BPF_PROG_TYPE_RAW_TRACEPOINT`
    public static let rawTracepoint = ProgramType(rawValue: 17)
    /// `BPF_PROG_TYPE_CGROUP_SOCK_ADDR`
    public static let cgroupSockAddr = ProgramType(rawValue: 18)
    /// `BPF_PROG_TYPE_LWT_SEG6LOCAL`
    public static let lwtSeg6local = ProgramType(rawValue: 19)
    /// `BPF_PROG_TYPE_LIRC_MODE2`
    public static let lircMode2 = ProgramType(rawValue: 20)
    /// `BPF_PROG_TYPE_SK_REUSEPORT`
    public static let skReuseport = ProgramType(rawValue: 21)
    /// `BPF_PROG_TYPE_FLOW_DISSECTOR`
    public static let flowDissector = ProgramType(rawValue: 22)
    /// `BPF_PROG_TYPE_CGROUP_SYSCTL`
    public static let cgroupSysctl = ProgramType(rawValue: 23)
    /// `BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE`
    public static let rawTracepointWritable = ProgramType(rawValue: 24)
    /// `BPF_PROG_TYPE_CGROUP_SOCKOPT`
    public static let cgroupSockopt = ProgramType(rawValue: 25)
    /// `BPF_PROG_TYPE_TRACING`
    public static let tracing = ProgramType(rawValue: 26)
    /// `BPF_PROG_TYPE_STRUCT_OPS`
    public static let structOps = ProgramType(rawValue: 27)
    /// `BPF_PROG_TYPE_EXT`
    public static let ext = ProgramType(rawValue: 28)
    /// `BPF_PROG_TYPE_LSM`
    public static let lsm = ProgramType(rawValue: 29)
    /// `BPF_PROG_TYPE_SK_LOOKUP`
    public static let skLookup = ProgramType(rawValue: 30)
    /// `BPF_PROG_TYPE_SYSCALL`
    public static let syscall = ProgramType(rawValue: 31)
    /// `BPF_PROG_TYPE_NETFILTER`
    public static let netfilter = ProgramType(rawValue: 32)

    /// The C name without its prefix, lower-cased, or the number.
    public var description: String {
        switch rawValue {
        case 0: "unspec"
        case 1: "socket_filter"
        case 2: "kprobe"
        case 3: "sched_cls"
        case 4: "sched_act"
        case 5: "tracepoint"
        case 6: "xdp"
        case 7: "perf_event"
        case 8: "cgroup_skb"
        case 9: "cgroup_sock"
        case 10: "lwt_in"
        case 11: "lwt_out"
        case 12: "lwt_xmit"
        case 13: "sock_ops"
        case 14: "sk_skb"
        case 15: "cgroup_device"
        case 16: "sk_msg"
        case 17: "raw_tracepoint"
        case 18: "cgroup_sock_addr"
        case 19: "lwt_seg6local"
        case 20: "lirc_mode2"
        case 21: "sk_reuseport"
        case 22: "flow_dissector"
        case 23: "cgroup_sysctl"
        case 24: "raw_tracepoint_writable"
        case 25: "cgroup_sockopt"
        case 26: "tracing"
        case 27: "struct_ops"
        case 28: "ext"
        case 29: "lsm"
        case 30: "sk_lookup"
        case 31: "syscall"
        case 32: "netfilter"
        default: "\(rawValue)"
        }
    }
}
