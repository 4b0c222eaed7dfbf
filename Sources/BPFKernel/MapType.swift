/// A BPF map type (`enum bpf_map_type`). An open code space: the kernel adds values.
public struct MapType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `BPF_MAP_TYPE_UNSPEC`
    public static let unspec = MapType(rawValue: 0)
    /// `BPF_MAP_TYPE_HASH`
    public static let hash = MapType(rawValue: 1)
    /// `BPF_MAP_TYPE_ARRAY`
    public static let array = MapType(rawValue: 2)
    /// `BPF_MAP_TYPE_PROG_ARRAY`
    public static let progArray = MapType(rawValue: 3)
    /// `BPF_MAP_TYPE_PERF_EVENT_ARRAY`
    public static let perfEventArray = MapType(rawValue: 4)
    /// `BPF_MAP_TYPE_PERCPU_HASH`
    public static let percpuHash = MapType(rawValue: 5)
    /// `BPF_MAP_TYPE_PERCPU_ARRAY`
    public static let percpuArray = MapType(rawValue: 6)
    /// `BPF_MAP_TYPE_STACK_TRACE`
    public static let stackTrace = MapType(rawValue: 7)
    /// `BPF_MAP_TYPE_CGROUP_ARRAY`
    public static let cgroupArray = MapType(rawValue: 8)
    /// `BPF_MAP_TYPE_LRU_HASH`
    public static let lruHash = MapType(rawValue: 9)
    /// `BPF_MAP_TYPE_LRU_PERCPU_HASH`
    public static let lruPercpuHash = MapType(rawValue: 10)
    /// `BPF_MAP_TYPE_LPM_TRIE`
    public static let lpmTrie = MapType(rawValue: 11)
    /// `BPF_MAP_TYPE_ARRAY_OF_MAPS`
    public static let arrayOfMaps = MapType(rawValue: 12)
    /// `BPF_MAP_TYPE_HASH_OF_MAPS`
    public static let hashOfMaps = MapType(rawValue: 13)
    /// `BPF_MAP_TYPE_DEVMAP`
    public static let devmap = MapType(rawValue: 14)
    /// `BPF_MAP_TYPE_SOCKMAP`
    public static let sockmap = MapType(rawValue: 15)
    /// `BPF_MAP_TYPE_CPUMAP`
    public static let cpumap = MapType(rawValue: 16)
    /// `BPF_MAP_TYPE_XSKMAP`
    public static let xskmap = MapType(rawValue: 17)
    /// `BPF_MAP_TYPE_SOCKHASH`
    public static let sockhash = MapType(rawValue: 18)
    /// `BPF_MAP_TYPE_CGROUP_STORAGE`
    public static let cgroupStorage = MapType(rawValue: 19)
    /// `BPF_MAP_TYPE_REUSEPORT_SOCKARRAY`
    public static let reuseportSockarray = MapType(rawValue: 20)
    /// `BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE`
    public static let percpuCgroupStorage = MapType(rawValue: 21)
    /// `BPF_MAP_TYPE_QUEUE`
    public static let queue = MapType(rawValue: 22)
    /// `BPF_MAP_TYPE_STACK`
    public static let stack = MapType(rawValue: 23)
    /// `BPF_MAP_TYPE_SK_STORAGE`
    public static let skStorage = MapType(rawValue: 24)
    /// `BPF_MAP_TYPE_DEVMAP_HASH`
    public static let devmapHash = MapType(rawValue: 25)
    /// `BPF_MAP_TYPE_STRUCT_OPS`
    public static let structOps = MapType(rawValue: 26)
    /// `BPF_MAP_TYPE_RINGBUF`
    public static let ringbuf = MapType(rawValue: 27)
    /// `BPF_MAP_TYPE_INODE_STORAGE`
    public static let inodeStorage = MapType(rawValue: 28)
    /// `BPF_MAP_TYPE_TASK_STORAGE`
    public static let taskStorage = MapType(rawValue: 29)
    /// `BPF_MAP_TYPE_BLOOM_FILTER`
    public static let bloomFilter = MapType(rawValue: 30)
    /// `BPF_MAP_TYPE_USER_RINGBUF`
    public static let userRingbuf = MapType(rawValue: 31)
    /// `BPF_MAP_TYPE_CGRP_STORAGE`
    public static let cgrpStorage = MapType(rawValue: 32)
    /// `BPF_MAP_TYPE_ARENA`
    public static let arena = MapType(rawValue: 33)

    /// The C name without its prefix, lower-cased, or the number.
    public var description: String {
        switch rawValue {
        case 0: "unspec"
        case 1: "hash"
        case 2: "array"
        case 3: "prog_array"
        case 4: "perf_event_array"
        case 5: "percpu_hash"
        case 6: "percpu_array"
        case 7: "stack_trace"
        case 8: "cgroup_array"
        case 9: "lru_hash"
        case 10: "lru_percpu_hash"
        case 11: "lpm_trie"
        case 12: "array_of_maps"
        case 13: "hash_of_maps"
        case 14: "devmap"
        case 15: "sockmap"
        case 16: "cpumap"
        case 17: "xskmap"
        case 18: "sockhash"
        case 19: "cgroup_storage"
        case 20: "reuseport_sockarray"
        case 21: "percpu_cgroup_storage"
        case 22: "queue"
        case 23: "stack"
        case 24: "sk_storage"
        case 25: "devmap_hash"
        case 26: "struct_ops"
        case 27: "ringbuf"
        case 28: "inode_storage"
        case 29: "task_storage"
        case 30: "bloom_filter"
        case 31: "user_ringbuf"
        case 32: "cgrp_storage"
        case 33: "arena"
        default: "\(rawValue)"
        }
    }
}
