// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so that the benchmark framework never
// reaches users of the library. Run from this directory:
//
//     swift package benchmark                       # everything
//     swift package benchmark --filter 'apply.*'    # by name
//
let package = Package(
    name: "BPFPatchBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "bpfpatch", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PatchBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "BPFBench", package: "bpfpatch"),
                .product(name: "BPFPatch", package: "bpfpatch"),
                .product(name: "BPFInstructions", package: "bpfpatch"),
            ],
            path: "Benchmarks/PatchBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
