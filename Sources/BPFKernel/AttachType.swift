/// An expected attach type (`enum bpf_attach_type`). An open code space: the kernel adds values.
public struct AttachType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `BPF_CGROUP_INET_INGRESS`
    public static let cgroupInetIngress = AttachType(rawValue: 0)
    /// `BPF_CGROUP_INET_EGRESS`
    public static let cgroupInetEgress = AttachType(rawValue: 1)
    /// `BPF_CGROUP_INET_SOCK_CREATE`
    public static let cgroupInetSockCreate = AttachType(rawValue: 2)
    /// `BPF_CGROUP_SOCK_OPS`
    public static let cgroupSockOps = AttachType(rawValue: 3)
    /// `BPF_SK_SKB_STREAM_PARSER`
    public static let skSkbStreamParser = AttachType(rawValue: 4)
    /// `BPF_SK_SKB_STREAM_VERDICT`
    public static let skSkbStreamVerdict = AttachType(rawValue: 5)
    /// `BPF_CGROUP_DEVICE`
    public static let cgroupDevice = AttachType(rawValue: 6)
    /// `BPF_SK_MSG_VERDICT`
    public static let skMsgVerdict = AttachType(rawValue: 7)
    /// `BPF_CGROUP_INET4_BIND`
    public static let cgroupInet4Bind = AttachType(rawValue: 8)
    /// `BPF_CGROUP_INET6_BIND`
    public static let cgroupInet6Bind = AttachType(rawValue: 9)
    /// `BPF_CGROUP_INET4_CONNECT`
    public static let cgroupInet4Connect = AttachType(rawValue: 10)
    /// `BPF_CGROUP_INET6_CONNECT`
    public static let cgroupInet6Connect = AttachType(rawValue: 11)
    /// `BPF_CGROUP_INET4_POST_BIND`
    public static let cgroupInet4PostBind = AttachType(rawValue: 12)
    /// `BPF_CGROUP_INET6_POST_BIND`
    public static let cgroupInet6PostBind = AttachType(rawValue: 13)
    /// `BPF_CGROUP_UDP4_SENDMSG`
    public static let cgroupUdp4Sendmsg = AttachType(rawValue: 14)
    /// `BPF_CGROUP_UDP6_SENDMSG`
    public static let cgroupUdp6Sendmsg = AttachType(rawValue: 15)
    /// `BPF_LIRC_MODE2`
    public static let lircMode2 = AttachType(rawValue: 16)
    /// `BPF_FLOW_DISSECTOR`
    public static let flowDissector = AttachType(rawValue: 17)
    /// `BPF_CGROUP_SYSCTL`
    public static let cgroupSysctl = AttachType(rawValue: 18)
    /// `BPF_CGROUP_UDP4_RECVMSG`
    public static let cgroupUdp4Recvmsg = AttachType(rawValue: 19)
    /// `BPF_CGROUP_UDP6_RECVMSG`
    public static let cgroupUdp6Recvmsg = AttachType(rawValue: 20)
    /// `BPF_CGROUP_GETSOCKOPT`
    public static let cgroupGetsockopt = AttachType(rawValue: 21)
    /// `BPF_CGROUP_SETSOCKOPT`
    public static let cgroupSetsockopt = AttachType(rawValue: 22)
    /// `BPF_TRACE_RAW_TP`
    public static let traceRawTp = AttachType(rawValue: 23)
    /// `BPF_TRACE_FENTRY`
    public static let traceFentry = AttachType(rawValue: 24)
    /// `BPF_TRACE_FEXIT`
    public static let traceFexit = AttachType(rawValue: 25)
    /// `BPF_MODIFY_RETURN`
    public static let modifyReturn = AttachType(rawValue: 26)
    /// `BPF_LSM_MAC`
    public static let lsmMac = AttachType(rawValue: 27)
    /// `BPF_TRACE_ITER`
    public static let traceIter = AttachType(rawValue: 28)
    /// `BPF_CGROUP_INET4_GETPEERNAME`
    public static let cgroupInet4Getpeername = AttachType(rawValue: 29)
    /// `BPF_CGROUP_INET6_GETPEERNAME`
    public static let cgroupInet6Getpeername = AttachType(rawValue: 30)
    /// `BPF_CGROUP_INET4_GETSOCKNAME`
    public static let cgroupInet4Getsockname = AttachType(rawValue: 31)
    /// `BPF_CGROUP_INET6_GETSOCKNAME`
    public static let cgroupInet6Getsockname = AttachType(rawValue: 32)
    /// `BPF_XDP_DEVMAP`
    public static let xdpDevmap = AttachType(rawValue: 33)
    /// `BPF_CGROUP_INET_SOCK_RELEASE`
    public static let cgroupInetSockRelease = AttachType(rawValue: 34)
    /// `BPF_XDP_CPUMAP`
    public static let xdpCpumap = AttachType(rawValue: 35)
    /// `BPF_SK_LOOKUP`
    public static let skLookup = AttachType(rawValue: 36)
    /// `BPF_XDP`
    public static let xdp = AttachType(rawValue: 37)
    /// `BPF_SK_SKB_VERDICT`
    public static let skSkbVerdict = AttachType(rawValue: 38)
    /// `BPF_SK_REUSEPORT_SELECT`
    public static let skReuseportSelect = AttachType(rawValue: 39)
    /// `BPF_SK_REUSEPORT_SELECT_OR_MIGRATE`
    public static let skReuseportSelectOrMigrate = AttachType(rawValue: 40)
    /// `BPF_PERF_EVENT`
    public static let perfEvent = AttachType(rawValue: 41)
    /// `BPF_TRACE_KPROBE_MULTI`
    public static let traceKprobeMulti = AttachType(rawValue: 42)
    /// `BPF_LSM_CGROUP`
    public static let lsmCgroup = AttachType(rawValue: 43)
    /// `BPF_STRUCT_OPS`
    public static let structOps = AttachType(rawValue: 44)
    /// `BPF_NETFILTER`
    public static let netfilter = AttachType(rawValue: 45)
    /// `BPF_TCX_INGRESS`
    public static let tcxIngress = AttachType(rawValue: 46)
    /// `BPF_TCX_EGRESS`
    public static let tcxEgress = AttachType(rawValue: 47)
    /// `BPF_TRACE_UPROBE_MULTI`
    public static let traceUprobeMulti = AttachType(rawValue: 48)

    /// The C name without its prefix, lower-cased, or the number.
    public var description: String {
        switch rawValue {
        case 0: "cgroup_inet_ingress"
        case 1: "cgroup_inet_egress"
        case 2: "cgroup_inet_sock_create"
        case 3: "cgroup_sock_ops"
        case 4: "sk_skb_stream_parser"
        case 5: "sk_skb_stream_verdict"
        case 6: "cgroup_device"
        case 7: "sk_msg_verdict"
        case 8: "cgroup_inet4_bind"
        case 9: "cgroup_inet6_bind"
        case 10: "cgroup_inet4_connect"
        case 11: "cgroup_inet6_connect"
        case 12: "cgroup_inet4_post_bind"
        case 13: "cgroup_inet6_post_bind"
        case 14: "cgroup_udp4_sendmsg"
        case 15: "cgroup_udp6_sendmsg"
        case 16: "lirc_mode2"
        case 17: "flow_dissector"
        case 18: "cgroup_sysctl"
        case 19: "cgroup_udp4_recvmsg"
        case 20: "cgroup_udp6_recvmsg"
        case 21: "cgroup_getsockopt"
        case 22: "cgroup_setsockopt"
        case 23: "trace_raw_tp"
        case 24: "trace_fentry"
        case 25: "trace_fexit"
        case 26: "modify_return"
        case 27: "lsm_mac"
        case 28: "trace_iter"
        case 29: "cgroup_inet4_getpeername"
        case 30: "cgroup_inet6_getpeername"
        case 31: "cgroup_inet4_getsockname"
        case 32: "cgroup_inet6_getsockname"
        case 33: "xdp_devmap"
        case 34: "cgroup_inet_sock_release"
        case 35: "xdp_cpumap"
        case 36: "sk_lookup"
        case 37: "xdp"
        case 38: "sk_skb_verdict"
        case 39: "sk_reuseport_select"
        case 40: "sk_reuseport_select_or_migrate"
        case 41: "perf_event"
        case 42: "trace_kprobe_multi"
        case 43: "lsm_cgroup"
        case 44: "struct_ops"
        case 45: "netfilter"
        case 46: "tcx_ingress"
        case 47: "tcx_egress"
        case 48: "trace_uprobe_multi"
        default: "\(rawValue)"
        }
    }
}
