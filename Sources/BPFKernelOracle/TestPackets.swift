import BPFInstructions

/// Deterministic test inputs for `BPF_PROG_TEST_RUN`: Ethernet + IPv4 +
/// UDP headers that parse, followed by pseudo-random payload.
public enum TestPackets {
    /// The default sizes: the Ethernet minimum, small, medium, MTU.
    public static let defaultSizes = [64, 128, 512, 1500]

    /// One packet of `size` bytes (at least 42; lengths above 65535 wrap in
    /// the headers), content fixed by `seed`.
    ///
    /// - Complexity: O(size).
    public static func packet(size: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        var bytes = (0..<max(size, 42)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        // Ethernet: locally administered unicast addresses, type IPv4.
        bytes.replaceSubrange(0..<6, with: [0x02, 0, 0, 0, 0, 0x02])
        bytes.replaceSubrange(6..<12, with: [0x02, 0, 0, 0, 0, 0x01])
        bytes.replaceSubrange(12..<14, with: [0x08, 0x00])
        // IPv4: version 4, IHL 5, total length, TTL 64, UDP, 10.0.0.1 → 10.0.0.2.
        let ipLength = bytes.count - 14
        bytes.replaceSubrange(14..<34, with: [
            0x45, 0, UInt8(truncatingIfNeeded: ipLength >> 8), UInt8(truncatingIfNeeded: ipLength), 0, 1, 0x40, 0,
            64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ])
        var sum: UInt32 = 0
        for i in stride(from: 14, to: 34, by: 2) { sum += UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1]) }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        let checksum = ~UInt16(sum)
        bytes[24] = UInt8(checksum >> 8)
        bytes[25] = UInt8(checksum & 0xff)
        // UDP: ports 12345 → 53, length, checksum 0 (none).
        let udpLength = ipLength - 20
        bytes.replaceSubrange(34..<42, with: [0x30, 0x39, 0, 53, UInt8(truncatingIfNeeded: udpLength >> 8), UInt8(truncatingIfNeeded: udpLength), 0, 0])
        return bytes
    }
}
