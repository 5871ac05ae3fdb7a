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

/// `SIMFUND_BENCH_SMOKE=1` (CI): a few iterations of each benchmark, enough
/// for the allocation gate and a rough record of the timings.
private let smoke = ProcessInfo.processInfo.environment["SIMFUND_BENCH_SMOKE"] == "1"

private func configuration(_ metrics: [BenchmarkMetric], seconds: Int, iterations: Int) -> Benchmark.Configuration {
    .init(metrics: metrics, warmupIterations: 1,
          maxDuration: .seconds(smoke ? 1 : seconds), maxIterations: smoke ? min(iterations, 3) : iterations)
}

let benchmarks: @Sendable () -> Void = {
    // Instruction counts are recorded where the machine exposes hardware counters.
    Benchmark.defaultConfiguration = configuration([.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .instructions],
                                                   seconds: 3, iterations: 50)

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
    Benchmark("SteadyStateAllocations", configuration: configuration([.mallocCountTotal], seconds: 2, iterations: 10)) { benchmark in
        var engine = ReplicateEngine(scenario: province, seed: 2)
        blackHole(engine.run(replicate: 0))
        benchmark.startMeasurement()
        for r in 1...100 { blackHole(engine.run(replicate: r)) }
    }

    for threads in [1, 2] {
        Benchmark("Run80x10-1000replicates-\(threads)threads",
                  configuration: configuration([.wallClock, .cpuTotal, .throughput, .peakMemoryResident], seconds: 10, iterations: 5)) { _ in
            blackHole(try Runner.simulate(province, seed: 3, replicates: 1000, threads: threads))
        }
    }

    Benchmark("FullRun-ningde", configuration: configuration([.wallClock, .cpuTotal, .mallocCountTotal], seconds: 10, iterations: 10)) { benchmark in
        let ningde = load("ningde.json").base
        benchmark.startMeasurement()
        let output = try Runner.simulate(ningde, seed: 4, replicates: ningde.replicates, threads: 2)
        blackHole(RunSummary(output).summaryJSON())
    }

    Benchmark("Statistics-ningde", configuration: configuration([.wallClock, .mallocCountTotal], seconds: 5, iterations: 20)) { benchmark in
        let ningde = load("ningde.json").base
        let output = try Runner.simulate(ningde, seed: 5, replicates: ningde.replicates, threads: 2)
        benchmark.startMeasurement()
        blackHole(RunSummary(output))
    }

    Benchmark("DecodeValidate-3000districts", configuration: configuration([.wallClock, .mallocCountTotal], seconds: 5, iterations: 20)) { benchmark in
        let text = SyntheticProvince.json(districts: 3000, years: 10)
        benchmark.startMeasurement()
        blackHole(try ScenarioLoader.load(text: text, fileName: "synthetic.json"))
    }
}
