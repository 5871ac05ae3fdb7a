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

/// The plan `simfund compare Scenarios/ningde.json` runs: the base and the
/// file's alternatives, built from the command's inputs as the tool builds it.
private func ningdeComparePlan(seed: UInt64) -> CommandPlan {
    let file = load("ningde.json")
    let inputs = PartialRun.Inputs(command: "compare", files: [(name: "ningde.json", source: file.source)],
                                   seed: seed, replicates: file.base.replicates)
    return try! CommandPlan(inputs: inputs, loaded: [file])
}

/// The states of `parts` contiguous shards of a plan, run one after another.
private func shardStates(_ plan: RunPlan, parts: Int) -> [PlanState] {
    (1...parts).map { i in
        try! Runner.run(plan.part(RunPlan.shardRange(i, of: parts, replicates: plan.replicates)), threads: 2)
    }
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

    // A comparison of K alternatives costs no more than K + 1 runs: compare
    // with FullRun-ningde (one run of the same replicates).
    let ningdeAlternatives = load("ningde.json").alternatives.count
    Benchmark("Compare-ningde-\(ningdeAlternatives)alternatives",
              configuration: configuration([.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident], seconds: 10, iterations: 10)) { benchmark in
        let command = ningdeComparePlan(seed: 6)
        benchmark.startMeasurement()
        let state = try Runner.run(command.plan, threads: 2)
        blackHole(command.comparison(state).compareJSON())
    }

    // What `simfund merge` does with 7 parts of that comparison, in two stages:
    // merging the states in memory, and the part files' round trip
    // (PartialRun.json on the shards, then read and typed against the plan).
    Benchmark("Merge-7parts", configuration: configuration([.wallClock, .mallocCountTotal], seconds: 5, iterations: 50)) { benchmark in
        let command = ningdeComparePlan(seed: 7)
        let parts = shardStates(command.plan, parts: 7)
        benchmark.startMeasurement()
        var merged = parts[0]
        for part in parts.dropFirst() { merged.merge(part) }
        benchmark.stopMeasurement()
        precondition(merged.range == 0..<command.plan.replicates)
        blackHole(merged)
    }

    Benchmark("Merge-7parts-partFiles", configuration: configuration([.wallClock, .mallocCountTotal], seconds: 5, iterations: 20)) { benchmark in
        let command = ningdeComparePlan(seed: 8)
        let variants = command.plan.variants.map(\.name)
        let parts = shardStates(command.plan, parts: 7)
        benchmark.startMeasurement()
        let files = parts.enumerated().map { i, state in
            Array(PartialRun(inputs: command.inputs, variants: variants, shard: (i + 1, 7), state: state).json().utf8)
        }
        var merged: PlanState?
        for (i, bytes) in files.enumerated() {
            var part = try PartialRun.read(bytes: bytes, file: PartialRun.fileName(index: i + 1, count: 7))
            try part.loadState(plan: command.plan, file: "part")
            if merged == nil { merged = part.state } else { merged!.merge(part.state) }
        }
        benchmark.stopMeasurement()
        precondition(merged?.range == 0..<command.plan.replicates)
        blackHole(merged)
    }

    Benchmark("DecodeValidate-3000districts", configuration: configuration([.wallClock, .mallocCountTotal], seconds: 5, iterations: 20)) { benchmark in
        let text = SyntheticProvince.json(districts: 3000, years: 10)
        benchmark.startMeasurement()
        blackHole(try ScenarioLoader.load(text: text, fileName: "synthetic.json"))
    }
}
