// swift-tools-version: 6.1
import PackageDescription

// Dependency arrows point one way:
// BPFInstructions ← BPFDisassembly, BPFPatch ← BPFObject ← BPFKernel ← BPFKernelOracle ← bpfpatch
// (CBPFBenchBaseline ← BPFBench ← bpfpatch: the benchmark's C yardstick; CBPFBenchAllocator ← bpfpatch)
let package = Package(
    name: "bpfpatch",
    products: [
        .library(name: "BPFInstructions", targets: ["BPFInstructions"]),
        .library(name: "BPFDisassembly", targets: ["BPFDisassembly"]),
        .library(name: "BPFPatch", targets: ["BPFPatch"]),
        .library(name: "BPFObject", targets: ["BPFObject"]),
        .library(name: "BPFKernel", targets: ["BPFKernel"]),
        .library(name: "BPFKernelOracle", targets: ["BPFKernelOracle"]),
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
        .target(name: "BPFKernelOracle", dependencies: ["BPFInstructions", "BPFPatch", "BPFObject", "BPFKernel"]),
        .target(name: "BPFBench", dependencies: ["BPFInstructions", "BPFPatch", "BPFObject", "CBPFBenchBaseline"]),
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
                "BPFInstructions", "BPFDisassembly", "BPFPatch", "BPFObject", "BPFKernel", "BPFKernelOracle", "BPFBench",
                "CBPFBenchAllocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "BPFInstructionsTests", dependencies: ["BPFInstructions"]),
        .testTarget(name: "BPFDisassemblyTests", dependencies: ["BPFDisassembly"]),
        .testTarget(
            name: "BPFPatchTests",
            dependencies: [
                "BPFPatch", "BPFObject",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "BPFObjectTests", dependencies: ["BPFObject"]),
        .testTarget(name: "BPFKernelTests", dependencies: ["BPFKernel", "BPFObject"]),
        .testTarget(name: "BPFPatchCLITests", dependencies: ["BPFInstructions"]),
        .testTarget(name: "BPFBenchTests", dependencies: ["BPFBench", "CBPFBenchBaseline", "CBPFBenchAllocator"]),
        .testTarget(name: "BPFKernelOracleTests", dependencies: ["BPFKernelOracle", "BPFKernel", "BPFObject", "BPFPatch"]),
    ]
)
