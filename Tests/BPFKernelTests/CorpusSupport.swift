import Foundation

/// The shared corpus, found from this file's path: `<repo>/../shared/corpus`.
enum Corpus {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // BPFKernelTests, Tests, repo
        return url.deletingLastPathComponent().appendingPathComponent("shared/corpus").path
    }()

    static func path(_ relative: String) -> String { root + "/" + relative }

    static var isPresent: Bool { FileManager.default.fileExists(atPath: root) }

    /// Every `.o`/`.elf` file under `relative`, sorted.
    static func objects(under relative: String = "") -> [String] {
        let base = relative.isEmpty ? root : path(relative)
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var result: [String] = []
        while let item = walker.nextObject() as? String {
            if item.hasSuffix(".o") || item.hasSuffix(".elf") { result.append(base + "/" + item) }
        }
        return result.sorted()
    }
}
