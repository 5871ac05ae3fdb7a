// swift-tools-version:6.1
// The fuzz target lives in its own package: it needs unsafe compiler flags
// (libFuzzer and the address sanitizer), which SwiftPM refuses in a package
// used as a dependency, and its instrumented build must not slow `make test`.
// Build and run it with `make fuzz` (see the Makefile and Fuzz/README.md).
import PackageDescription

let package = Package(
    name: "SimfundFuzz",
    dependencies: [
        .package(name: "simfund", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "SimfundFuzz",
            dependencies: [.product(name: "SimfundCore", package: "simfund")],
            path: "Sources/SimfundFuzz",
            swiftSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-parse-as-library"])],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])]
        ),
    ]
)
