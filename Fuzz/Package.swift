// swift-tools-version: 6.1
// libFuzzer targets for bpfpatch. A package of its own so that the normal
// `swift build` / `swift test` never builds them with fuzzer flags; build
// and run them with `scripts/fuzz.sh` (see docs/fuzzing.md).
//
// Each target is an executable whose test function is exported as
// `LLVMFuzzerTestOneInput`; its top-level code hands that function to
// libFuzzer's driver (`LLVMFuzzerRunDriver`), because SwiftPM links an
// executable's `main` to the module's own entry point.
import Foundation
import PackageDescription

// The parent package, by path; its identity is its directory's name.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let parent = root.lastPathComponent

func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: products.map { .product(name: $0, package: parent) } + ["FuzzSupport"])
}

let package = Package(
    name: "bpfpatch-fuzz",
    dependencies: [.package(path: root.path)],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "BPFInstructions", package: parent)]),
        fuzzTarget("fuzz-slots", ["BPFInstructions", "BPFDisassembly"]),
        fuzzTarget("fuzz-json", ["BPFInstructions", "BPFPatch"]),
        fuzzTarget("fuzz-elf", ["BPFInstructions", "BPFObject"]),
        fuzzTarget("fuzz-btf", ["BPFInstructions", "BPFObject"]),
        fuzzTarget("fuzz-btf-table", ["BPFKernel"]),
        fuzzTarget("fuzz-core", ["BPFInstructions", "BPFObject", "BPFKernel"]),
        fuzzTarget("fuzz-engine", ["BPFInstructions", "BPFPatch"]),
    ]
)
