/// A `bpf(2)` command number (`enum bpf_cmd`). An open code space.
public struct BPFCommand: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `BPF_MAP_CREATE`
    public static let mapCreate = BPFCommand(rawValue: 0)
    /// `BPF_MAP_LOOKUP_ELEM`
    public static let mapLookupElement = BPFCommand(rawValue: 1)
    /// `BPF_MAP_UPDATE_ELEM`
    public static let mapUpdateElement = BPFCommand(rawValue: 2)
    /// `BPF_MAP_DELETE_ELEM`
    public static let mapDeleteElement = BPFCommand(rawValue: 3)
    /// `BPF_PROG_LOAD`
    public static let programLoad = BPFCommand(rawValue: 5)
    /// `BPF_PROG_TEST_RUN`
    public static let programTestRun = BPFCommand(rawValue: 10)
    /// `BPF_OBJ_GET_INFO_BY_FD`
    public static let objectGetInfo = BPFCommand(rawValue: 15)
    /// `BPF_BTF_LOAD`
    public static let btfLoad = BPFCommand(rawValue: 18)
    /// `BPF_MAP_FREEZE`
    public static let mapFreeze = BPFCommand(rawValue: 22)

    public var description: String {
        switch self {
        case .mapCreate: "BPF_MAP_CREATE"
        case .mapLookupElement: "BPF_MAP_LOOKUP_ELEM"
        case .mapUpdateElement: "BPF_MAP_UPDATE_ELEM"
        case .mapDeleteElement: "BPF_MAP_DELETE_ELEM"
        case .programLoad: "BPF_PROG_LOAD"
        case .programTestRun: "BPF_PROG_TEST_RUN"
        case .objectGetInfo: "BPF_OBJ_GET_INFO_BY_FD"
        case .btfLoad: "BPF_BTF_LOAD"
        case .mapFreeze: "BPF_MAP_FREEZE"
        default: "bpf cmd \(rawValue)"
        }
    }
}
