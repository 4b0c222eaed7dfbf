/// The program type, expected attach type and load flags implied by an ELF
/// section name, following libbpf's documented "Program Types and ELF
/// Sections" conventions (`type` exact, `type+` exact or `type/extras`).
///
/// Old objects (Linux `samples/bpf`, iproute2) use bare prefixes such as
/// `socket1` or `xdp_redirect`; those match as a legacy fallback.
///
///     SectionConvention.match("kprobe/do_sys_open")?.programType   // .kprobe
public struct SectionConvention: Hashable, Sendable {
    /// The prefix as libbpf's table writes it (`"kprobe"`, `"cgroup_skb/ingress"`).
    public var prefix: String
    public var programType: ProgramType
    public var attachType: AttachType?
    /// `prog_flags` to set (sleepable, XDP frags).
    public var flags: UInt32
    /// True when `type/extras` is allowed (libbpf's `+`).
    public var allowsExtras: Bool
    /// True when the kernel needs `attach_btf_id` (a vmlinux BTF id).
    public var needsAttachTarget: Bool

    /// A convention of your own, e.g. for project-specific section names
    /// (`ObjectLoader.fallbackConvention`).
    public init(_ prefix: String, _ type: ProgramType, _ attach: AttachType? = nil, extras: Bool = false,
                flags: UInt32 = 0, attachTarget: Bool = false) {
        self.prefix = prefix
        self.programType = type
        self.attachType = attach
        self.flags = flags
        self.allowsExtras = extras
        self.needsAttachTarget = attachTarget
    }

    /// `BPF_F_SLEEPABLE`
    static let sleepable: UInt32 = 1 << 4
    /// `BPF_F_XDP_HAS_FRAGS`
    static let xdpFrags: UInt32 = 1 << 5

    /// The table, most specific first.
    public static let all: [SectionConvention] = [
        .init("socket", .socketFilter, extras: true),
        .init("sk_reuseport/migrate", .skReuseport, .skReuseportSelectOrMigrate),
        .init("sk_reuseport", .skReuseport, .skReuseportSelect),
        .init("kprobe.multi", .kprobe, .traceKprobeMulti, extras: true),
        .init("kretprobe.multi", .kprobe, .traceKprobeMulti, extras: true),
        .init("uprobe.multi.s", .kprobe, .traceUprobeMulti, extras: true, flags: sleepable),
        .init("uretprobe.multi.s", .kprobe, .traceUprobeMulti, extras: true, flags: sleepable),
        .init("uprobe.multi", .kprobe, .traceUprobeMulti, extras: true),
        .init("uretprobe.multi", .kprobe, .traceUprobeMulti, extras: true),
        .init("kprobe", .kprobe, extras: true),
        .init("kretprobe", .kprobe, extras: true),
        .init("uprobe.s", .kprobe, extras: true, flags: sleepable),
        .init("uretprobe.s", .kprobe, extras: true, flags: sleepable),
        .init("uprobe", .kprobe, extras: true),
        .init("uretprobe", .kprobe, extras: true),
        .init("ksyscall", .kprobe, extras: true),
        .init("kretsyscall", .kprobe, extras: true),
        .init("usdt.s", .kprobe, extras: true, flags: sleepable),
        .init("usdt", .kprobe, extras: true),
        .init("tcx/ingress", .schedClassifier, .tcxIngress),
        .init("tcx/egress", .schedClassifier, .tcxEgress),
        .init("tc/ingress", .schedClassifier, .tcxIngress),
        .init("tc/egress", .schedClassifier, .tcxEgress),
        .init("tc", .schedClassifier, extras: true),
        .init("classifier", .schedClassifier, extras: true),
        .init("action", .schedAction, extras: true),
        .init("tracepoint", .tracepoint, extras: true),
        .init("tp", .tracepoint, extras: true),
        .init("raw_tracepoint.w", .rawTracepointWritable, extras: true),
        .init("raw_tp.w", .rawTracepointWritable, extras: true),
        .init("raw_tracepoint", .rawTracepoint, extras: true),
        .init("raw_tp", .rawTracepoint, extras: true),
        .init("tp_btf", .tracing, .traceRawTp, extras: true, attachTarget: true),
        .init("fentry.s", .tracing, .traceFentry, extras: true, flags: sleepable, attachTarget: true),
        .init("fmod_ret.s", .tracing, .modifyReturn, extras: true, flags: sleepable, attachTarget: true),
        .init("fexit.s", .tracing, .traceFexit, extras: true, flags: sleepable, attachTarget: true),
        .init("fentry", .tracing, .traceFentry, extras: true, attachTarget: true),
        .init("fmod_ret", .tracing, .modifyReturn, extras: true, attachTarget: true),
        .init("fexit", .tracing, .traceFexit, extras: true, attachTarget: true),
        .init("freplace", .ext, extras: true, attachTarget: true),
        .init("lsm.s", .lsm, .lsmMac, extras: true, flags: sleepable, attachTarget: true),
        .init("lsm_cgroup", .lsm, .lsmCgroup, extras: true, attachTarget: true),
        .init("lsm", .lsm, .lsmMac, extras: true, attachTarget: true),
        .init("iter.s", .tracing, .traceIter, extras: true, flags: sleepable, attachTarget: true),
        .init("iter", .tracing, .traceIter, extras: true, attachTarget: true),
        .init("syscall", .syscall, flags: sleepable),
        .init("xdp.frags/devmap", .xdp, .xdpDevmap, flags: xdpFrags),
        .init("xdp/devmap", .xdp, .xdpDevmap),
        .init("xdp.frags/cpumap", .xdp, .xdpCpumap, flags: xdpFrags),
        .init("xdp/cpumap", .xdp, .xdpCpumap),
        .init("xdp.frags", .xdp, .xdp, flags: xdpFrags),
        .init("xdp", .xdp, .xdp, extras: true),
        .init("perf_event", .perfEvent),
        .init("lwt_in", .lwtIn),
        .init("lwt_out", .lwtOut),
        .init("lwt_xmit", .lwtXmit),
        .init("lwt_seg6local", .lwtSeg6local),
        .init("sockops", .sockOps, .cgroupSockOps),
        .init("sk_skb/stream_parser", .skSkb, .skSkbStreamParser),
        .init("sk_skb/stream_verdict", .skSkb, .skSkbStreamVerdict),
        .init("sk_skb/verdict", .skSkb, .skSkbVerdict),
        .init("sk_skb", .skSkb, extras: true),
        .init("sk_msg", .skMsg, .skMsgVerdict),
        .init("lirc_mode2", .lircMode2, .lircMode2),
        .init("flow_dissector", .flowDissector, .flowDissector),
        .init("cgroup_skb/ingress", .cgroupSkb, .cgroupInetIngress),
        .init("cgroup_skb/egress", .cgroupSkb, .cgroupInetEgress),
        .init("cgroup/skb", .cgroupSkb),
        .init("cgroup/sock_create", .cgroupSock, .cgroupInetSockCreate),
        .init("cgroup/sock_release", .cgroupSock, .cgroupInetSockRelease),
        .init("cgroup/sock", .cgroupSock, .cgroupInetSockCreate),
        .init("cgroup/post_bind4", .cgroupSock, .cgroupInet4PostBind),
        .init("cgroup/post_bind6", .cgroupSock, .cgroupInet6PostBind),
        .init("cgroup/bind4", .cgroupSockAddr, .cgroupInet4Bind),
        .init("cgroup/bind6", .cgroupSockAddr, .cgroupInet6Bind),
        .init("cgroup/connect4", .cgroupSockAddr, .cgroupInet4Connect),
        .init("cgroup/connect6", .cgroupSockAddr, .cgroupInet6Connect),
        .init("cgroup/sendmsg4", .cgroupSockAddr, .cgroupUdp4Sendmsg),
        .init("cgroup/sendmsg6", .cgroupSockAddr, .cgroupUdp6Sendmsg),
        .init("cgroup/recvmsg4", .cgroupSockAddr, .cgroupUdp4Recvmsg),
        .init("cgroup/recvmsg6", .cgroupSockAddr, .cgroupUdp6Recvmsg),
        .init("cgroup/getpeername4", .cgroupSockAddr, .cgroupInet4Getpeername),
        .init("cgroup/getpeername6", .cgroupSockAddr, .cgroupInet6Getpeername),
        .init("cgroup/getsockname4", .cgroupSockAddr, .cgroupInet4Getsockname),
        .init("cgroup/getsockname6", .cgroupSockAddr, .cgroupInet6Getsockname),
        .init("cgroup/sysctl", .cgroupSysctl, .cgroupSysctl),
        .init("cgroup/getsockopt", .cgroupSockopt, .cgroupGetsockopt),
        .init("cgroup/setsockopt", .cgroupSockopt, .cgroupSetsockopt),
        .init("cgroup/dev", .cgroupDevice, .cgroupDevice),
        .init("struct_ops.s", .structOps, extras: true, flags: sleepable, attachTarget: true),
        .init("struct_ops", .structOps, extras: true, attachTarget: true),
        .init("sk_lookup", .skLookup, .skLookup),
        .init("netfilter", .netfilter, .netfilter),
    ]

    /// Bare prefixes old loaders accepted without a `/` separator, in
    /// order of precedence (`kretprobe` before `kprobe`...).
    static let legacyPrefixes: [String] = [
        "socket", "kretprobe", "kprobe", "tracepoint", "raw_tracepoint", "xdp", "perf_event",
        "classifier", "action", "cgroup/skb", "cgroup_skb", "cgroup/sock", "sockops", "sk_skb", "sk_msg",
        "lwt_in", "lwt_out", "lwt_xmit", "lwt_seg6local", "flow_dissector", "uprobe", "uretprobe",
    ]

    /// The convention for a section name, or nil when none applies.
    ///
    /// - Complexity: O(c), where c is the table size.
    public static func match(_ section: String) -> SectionConvention? {
        for rule in all {
            if section == rule.prefix { return rule }
            if rule.allowsExtras && section.hasPrefix(rule.prefix + "/") { return rule }
        }
        for legacy in legacyPrefixes where section.hasPrefix(legacy) {
            if let rule = all.first(where: { $0.prefix == legacy }) { return rule }
            if legacy == "cgroup_skb" { return all.first { $0.prefix == "cgroup/skb" } }
        }
        return nil
    }
}
