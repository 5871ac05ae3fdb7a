// swift-tools-version:6.1
// Benchmarks live in their own package so the main build and `swift test`
// stay fast: ordo-one/benchmark quadruples a cold release build.
import PackageDescription

let package = Package(
    name: "SimfundBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "simfund", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SimfundBenchmarks",
            dependencies: [
                .product(name: "SimfundCore", package: "simfund"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SimfundBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
