// swift-tools-version: 6.1
import PackageDescription

// The dependency graph (an arrow points at what a module imports; it points one way):
//
//   BPFDisassembly ──────────────────────────────┐
//   BPFPatch ────────────────────────────────────┤
//   BPFObject ───────────────────────────────────┼──→ BPFInstructions
//   BPFKernel ──→ BPFObject, CBPFSyscall ────────┤
//   BPFObjectPatch ──→ BPFObject, BPFPatch            (the bridge: object → patches → engine → object)
//   BPFKernelOracle ──→ BPFKernel, BPFObjectPatch, BPFObject, BPFPatch
//   BPFCoverage ──→ BPFPatch, BPFDisassembly          (blocks, counters, lcov; no kernel)
//   BPFCoverageKernel ──→ BPFCoverage, BPFKernelOracle, BPFKernel, BPFObject
//   BPFBench ──→ BPFObjectPatch, BPFObject, BPFPatch, CBPFBenchBaseline (the C yardstick)
//   CBPFBenchAllocator (replaces malloc to count bytes; linked only into executables: the CLI, the tests)
//   OutputFiles                                        (the one safe write path; no dependencies)
//   bpfpatch (CLI) ──→ every library, ArgumentParser
//   BPFTestSupport (tests only) ──→ BPFKernel
//
// The engine (BPFPatch) knows nothing of ELF or the kernel; BPFObject knows
// nothing of the engine. Library targets have no package dependencies.
let package = Package(
    name: "bpfpatch",
    products: [
        .library(name: "BPFInstructions", targets: ["BPFInstructions"]),
        .library(name: "BPFDisassembly", targets: ["BPFDisassembly"]),
        .library(name: "BPFPatch", targets: ["BPFPatch"]),
        .library(name: "BPFObject", targets: ["BPFObject"]),
        .library(name: "BPFObjectPatch", targets: ["BPFObjectPatch"]),
        .library(name: "OutputFiles", targets: ["OutputFiles"]),
        .library(name: "BPFKernel", targets: ["BPFKernel"]),
        .library(name: "BPFKernelOracle", targets: ["BPFKernelOracle"]),
        .library(name: "BPFCoverage", targets: ["BPFCoverage"]),
        .library(name: "BPFCoverageKernel", targets: ["BPFCoverageKernel"]),
        .library(name: "BPFBench", targets: ["BPFBench"]),
        .executable(name: "bpfpatch", targets: ["bpfpatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        .target(name: "BPFInstructions"),
        .target(name: "BPFDisassembly", dependencies: ["BPFInstructions"]),
        .target(name: "BPFPatch", dependencies: ["BPFInstructions"]),
        .target(name: "BPFObject", dependencies: ["BPFInstructions"]),
        .target(name: "BPFObjectPatch", dependencies: ["BPFInstructions", "BPFPatch", "BPFObject"]),
        .target(name: "OutputFiles"),
        .target(name: "BPFKernelOracle", dependencies: ["BPFInstructions", "BPFPatch", "BPFObject", "BPFObjectPatch", "BPFKernel"]),
        .target(name: "BPFCoverage", dependencies: ["BPFInstructions", "BPFPatch", "BPFDisassembly"]),
        .target(
            name: "BPFCoverageKernel",
            dependencies: ["BPFInstructions", "BPFPatch", "BPFObject", "BPFKernel", "BPFKernelOracle", "BPFCoverage"]),
        .target(name: "BPFBench", dependencies: ["BPFInstructions", "BPFPatch", "BPFObject", "BPFObjectPatch", "CBPFBenchBaseline"]),
        // The benchmark's C contender; only BPFBench uses it.
        .target(name: "CBPFBenchBaseline"),
        // The counting allocator behind BPFBench's memory probe: it replaces malloc, so
        // only executables link it (the CLI and the BPFBench tests), never a library.
        .target(name: "CBPFBenchAllocator"),
        .target(name: "CBPFSyscall"),
        .target(name: "BPFKernel", dependencies: ["BPFInstructions", "BPFObject", "CBPFSyscall"]),
        .executableTarget(
            name: "bpfpatch",
            dependencies: [
                "BPFInstructions", "BPFDisassembly", "BPFPatch", "BPFObject", "BPFObjectPatch", "OutputFiles",
                "BPFKernel", "BPFKernelOracle", "BPFBench", "BPFCoverage", "BPFCoverageKernel", "CBPFBenchAllocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test support shared by every test target: corpus locator, process runner, tool paths, kernel probe.
        .target(name: "BPFTestSupport", dependencies: ["BPFKernel"], path: "Tests/BPFTestSupport"),
        .testTarget(name: "BPFInstructionsTests", dependencies: ["BPFInstructions"]),
        .testTarget(name: "BPFDisassemblyTests", dependencies: ["BPFDisassembly", "BPFTestSupport"]),
        .testTarget(
            name: "BPFPatchTests",
            dependencies: [
                "BPFPatch", "BPFObject", "BPFObjectPatch", "BPFTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "BPFObjectTests", dependencies: ["BPFObject", "BPFTestSupport"]),
        .testTarget(name: "BPFObjectPatchTests", dependencies: ["BPFObjectPatch", "BPFPatch", "BPFObject", "BPFInstructions", "BPFKernel", "BPFDisassembly", "BPFTestSupport"]),
        .testTarget(name: "OutputFilesTests", dependencies: ["OutputFiles"]),
        .testTarget(name: "BPFKernelTests", dependencies: ["BPFKernel", "BPFObject", "BPFTestSupport"]),
        .testTarget(name: "BPFPatchCLITests", dependencies: ["BPFInstructions", "BPFTestSupport"]),
        .testTarget(name: "BPFBenchTests", dependencies: ["BPFBench", "CBPFBenchBaseline", "CBPFBenchAllocator", "BPFTestSupport"]),
        .testTarget(
            name: "BPFCoverageTests",
            dependencies: ["BPFCoverage", "BPFCoverageKernel", "BPFInstructions", "BPFPatch", "BPFKernel", "BPFKernelOracle", "BPFObject", "BPFTestSupport"]),
        .testTarget(name: "BPFKernelOracleTests", dependencies: ["BPFKernelOracle", "BPFKernel", "BPFObject", "BPFPatch", "BPFTestSupport"]),
    ]
)
