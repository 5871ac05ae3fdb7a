import Benchmark
import Foundation
import SimfundCore

/// The repository's Scenarios/ directory.
private let scenarios = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Scenarios")

private func load(_ name: String) -> ScenarioFile {
    try! ScenarioLoader.load(path: scenarios.appendingPathComponent(name).path)
}

/// The benchmark province: 80 districts × 10 years, generated in code.
private let province = try! ScenarioLoader.load(text: SyntheticProvince.json(districts: 80, years: 10)).base

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .instructions],
        warmupIterations: 1,
        maxDuration: .seconds(3),
        maxIterations: 50
    )

    // The core loop on one thread: 100 replicates = 80,000 district-years per iteration,
    // so district-years per second = throughput × 80,000.
    Benchmark("CoreLoop80x10-100replicates") { benchmark in
        var engine = ReplicateEngine(scenario: province, seed: 1)
        var replicate = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for _ in 0..<100 {
                blackHole(engine.run(replicate: replicate))
                replicate += 1
            }
        }
    }

    // The steady state allocates nothing: after one warm-up replicate, running
    // 100 more must not call malloc. CI checks this benchmark's thresholds.
    Benchmark("SteadyStateAllocations",
              configuration: .init(metrics: [.mallocCountTotal], warmupIterations: 1, maxDuration: .seconds(2), maxIterations: 10)) { benchmark in
        var engine = ReplicateEngine(scenario: province, seed: 2)
        blackHole(engine.run(replicate: 0))
        benchmark.startMeasurement()
        for r in 1...100 { blackHole(engine.run(replicate: r)) }
    }

    for threads in [1, 2] {
        Benchmark("Run80x10-1000replicates-\(threads)threads",
                  configuration: .init(metrics: [.wallClock, .cpuTotal, .throughput, .peakMemoryResident], maxDuration: .seconds(10), maxIterations: 5)) { _ in
            blackHole(try Runner.simulate(province, seed: 3, replicates: 1000, threads: threads))
        }
    }

    Benchmark("FullRun-ningde", configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(10), maxIterations: 10)) { benchmark in
        let ningde = load("ningde.json").base
        benchmark.startMeasurement()
        let output = try Runner.simulate(ningde, seed: 4, replicates: ningde.replicates, threads: 2)
        blackHole(RunSummary(output).summaryJSON())
    }

    Benchmark("Statistics-ningde", configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 20)) { benchmark in
        let ningde = load("ningde.json").base
        let output = try Runner.simulate(ningde, seed: 5, replicates: ningde.replicates, threads: 2)
        benchmark.startMeasurement()
        blackHole(RunSummary(output))
    }

    Benchmark("DecodeValidate-3000districts", configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 20)) { benchmark in
        let text = SyntheticProvince.json(districts: 3000, years: 10)
        benchmark.startMeasurement()
        blackHole(try ScenarioLoader.load(text: text, fileName: "synthetic.json"))
    }
}
