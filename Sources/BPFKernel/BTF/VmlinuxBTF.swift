import Foundation

/// The running kernel's own BTF (`/sys/kernel/btf/vmlinux`), for the ids the
/// kernel wants in place of names: attach targets (`fentry/tcp_connect`
/// → the FUNC `tcp_connect`), kfunc calls and typed ksyms.
///
/// Parsed once per process on first use (about 5 MB on Linux 6.x).
public final class VmlinuxBTF: Sendable {
    /// The parsed types.
    public let table: BTFTypeTable
    /// Type ids by name, per kind.
    private let ids: [NameKey: UInt32]

    private struct NameKey: Hashable {
        var kind: UInt8
        var name: String
    }

    /// Parses a base BTF blob.
    ///
    /// - Throws: `BTFError` when the blob is malformed.
    /// - Complexity: O(b) in the blob size.
    public init(bytes: [UInt8]) throws(BTFError) {
        let table = try BTFTypeTable(parsing: bytes)
        var ids: [NameKey: UInt32] = [:]
        for (index, type) in table.types.enumerated() where type.nameOffset != 0 {
            switch type.kind {
            case .function, .typedef, .variable, .structure, .union, .enumeration, .enumeration64:
                let key = NameKey(kind: type.kind.rawValue, name: table.string(at: type.nameOffset))
                if ids[key] == nil { ids[key] = UInt32(index + 1) }
            default:
                break
            }
        }
        self.table = table
        self.ids = ids
    }

    /// The id of the first type of `kind` named `name`.
    ///
    /// - Complexity: O(1) expected.
    public func typeID(named name: String, kind: BTFKind) -> UInt32? {
        ids[NameKey(kind: kind.rawValue, name: name)]
    }

    /// The running kernel's BTF, or nil when `/sys/kernel/btf/vmlinux` is
    /// absent or unreadable (kernels without `CONFIG_DEBUG_INFO_BTF`).
    public static var current: VmlinuxBTF? { loaded }

    private static let loaded: VmlinuxBTF? = {
        guard let data = FileManager.default.contents(atPath: "/sys/kernel/btf/vmlinux") else { return nil }
        return try? VmlinuxBTF(bytes: [UInt8](data))
    }()

    /// The attach target for a section that needs one, following libbpf's
    /// naming: `fentry/F`, `fexit/F`, `fmod_ret/F` → FUNC `F`; `tp_btf/T`
    /// → TYPEDEF `btf_trace_T`; `lsm/H` → FUNC `bpf_lsm_H`; `iter/I` →
    /// FUNC `bpf_iter_I`.
    ///
    /// - Returns: the type id, or nil when the section names no target or
    ///   the kernel lacks it.
    public func attachTarget(section: String, convention: SectionConvention) -> UInt32? {
        guard section.hasPrefix(convention.prefix + "/") else { return nil }
        let target = String(section.dropFirst(convention.prefix.count + 1))
        switch convention.programType {
        case .tracing where convention.attachType == .traceRawTp:
            return typeID(named: "btf_trace_" + target, kind: .typedef)
        case .tracing where convention.attachType == .traceIter:
            return typeID(named: "bpf_iter_" + target, kind: .function)
        case .tracing:
            return typeID(named: target, kind: .function)
        case .lsm:
            return typeID(named: "bpf_lsm_" + target, kind: .function)
        default:
            return nil
        }
    }
}
