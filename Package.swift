// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "simfund",
    products: [
        .executable(name: "simfund", targets: ["simfund"]),
        .library(name: "SimfundCore", targets: ["SimfundCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: - Implementation details

        /// The GNU Scientific Library, plus simfund's own generator registered
        /// as a `gsl_rng_type` (see shim.h). Only SimfundStochastics imports it.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),

        // MARK: - Public modules

        /// Random streams keyed by (seed, replicate, year, unit, purpose) and
        /// the scenario distributions, drawn with GSL.
        .target(
            name: "SimfundStochastics",
            dependencies: ["CGSL"],
            swiftSettings: strictSettings
        ),
        /// Scenario model, decoding and validation, engine, statistics, writers.
        .target(
            name: "SimfundCore",
            dependencies: ["SimfundStochastics"],
            swiftSettings: strictSettings
        ),
        /// The command-line tool: subcommands only, no model logic.
        .executableTarget(
            name: "simfund",
            dependencies: [
                "SimfundCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: - Tests

        .testTarget(
            name: "SimfundStochasticsTests",
            dependencies: ["SimfundStochastics"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SimfundCoreTests",
            dependencies: ["SimfundCore", "SimfundStochastics"],
            // Expected terminal tables, read by path (TerminalGoldenTests).
            exclude: ["Goldens"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SimfundCLITests",
            dependencies: ["simfund"],
            swiftSettings: strictSettings
        ),
    ]
)
