// swift-tools-version: 6.1
import PackageDescription

// Dependency arrows point one way:
// BPFInstructions ← BPFDisassembly, BPFPatch ← BPFObject ← BPFKernel ← BPFKernelOracle ← bpfpatch
// BPFPatch, BPFDisassembly ← BPFCoverage ← BPFCoverageKernel (+ BPFKernelOracle) ← bpfpatch
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
        .library(name: "BPFCoverage", targets: ["BPFCoverage"]),
        .library(name: "BPFCoverageKernel", targets: ["BPFCoverageKernel"]),
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
        .target(name: "BPFBench", dependencies: ["BPFInstructions", "BPFPatch", "BPFObject"]),
        .target(name: "BPFCoverage", dependencies: ["BPFInstructions", "BPFPatch", "BPFDisassembly"]),
        .target(
            name: "BPFCoverageKernel",
            dependencies: ["BPFInstructions", "BPFPatch", "BPFObject", "BPFKernel", "BPFKernelOracle", "BPFCoverage"]),
        .target(name: "CBPFSyscall"),
        .target(name: "BPFKernel", dependencies: ["BPFInstructions", "BPFObject", "CBPFSyscall"]),
        .executableTarget(
            name: "bpfpatch",
            dependencies: [
                "BPFInstructions", "BPFDisassembly", "BPFPatch", "BPFObject", "BPFKernel", "BPFKernelOracle", "BPFBench",
                "BPFCoverage", "BPFCoverageKernel",
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
        .testTarget(name: "BPFBenchTests", dependencies: ["BPFBench"]),
        .testTarget(
            name: "BPFCoverageTests",
            dependencies: ["BPFCoverage", "BPFCoverageKernel", "BPFInstructions", "BPFPatch", "BPFKernel", "BPFKernelOracle", "BPFObject"]),
        .testTarget(name: "BPFKernelOracleTests", dependencies: ["BPFKernelOracle", "BPFKernel", "BPFObject", "BPFPatch"]),
    ]
)
