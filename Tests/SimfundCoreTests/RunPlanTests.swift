import Foundation
import Testing
@testable import SimfundCore

/// Variants side by side, parts of a run merged, runs continued.
@Suite("Run plans")
struct RunPlanTests {
    func comparePlan(replicates: Int, range: Range<Int>? = nil) throws -> RunPlan {
        let file = try bundledScenario("ningde.json")
        return RunPlan(base: file.base, alternatives: file.alternatives.map(\.variant), seed: 77, replicates: replicates, range: range)
    }

    func json(_ plan: RunPlan, _ state: PlanState) -> String {
        Comparer.report(plan: plan, state: state, rankKey: RankKey.defaultKey(for: plan.base)).compareJSON()
    }

    @Test("1, 2, 3 and 7 parts merged equal one run, byte for byte", arguments: [1, 2, 3, 7])
    func shardsMerge(parts: Int) throws {
        let plan = try comparePlan(replicates: 301)
        let single = try Runner.run(plan, threads: 2)
        var merged: PlanState?
        for i in 1...parts {
            let part = plan.part(RunPlan.shardRange(i, of: parts, replicates: plan.replicates))
            let state = try Runner.run(part, threads: 1 + i % 2)
            if merged == nil { merged = state } else { merged!.merge(state) }
        }
        #expect(merged!.range == 0..<301)
        #expect(json(plan, merged!) == json(plan, single))
    }

    @Test("Shard ranges are contiguous, complete and balanced")
    func shardRanges() {
        for n in [1, 2, 3, 7, 10] {
            let ranges = (1...n).map { RunPlan.shardRange($0, of: n, replicates: 1001) }
            #expect(ranges.first!.lowerBound == 0 && ranges.last!.upperBound == 1001)
            for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
            #expect(ranges.map(\.count).max()! - ranges.map(\.count).min()! <= 1)
        }
    }

    @Test("Merging works past the exact-value limit (bucketed quantiles)")
    func shardsMergeBucketed() throws {
        let file = try bundledScenario("longyan.json")
        let limits = StatisticsLimits(exactValues: 64, maxBuckets: 128, denseHistogramPlaces: 4096)
        let plan = RunPlan(base: file.base, seed: 5, replicates: 900, limits: limits)
        let single = try Runner.run(plan, threads: 2)
        var merged = try Runner.run(plan.part(0..<250), threads: 1)
        merged.merge(try Runner.run(plan.part(250..<900), threads: 2))
        #expect(json(plan, merged) == json(plan, single))
    }

    @Test("Thread count does not change a comparison", arguments: [1, 3, 7])
    func threads(threads: Int) throws {
        let plan = try comparePlan(replicates: 200)
        #expect(json(plan, try Runner.run(plan, threads: threads)) == json(plan, try Runner.run(plan, threads: 2)))
    }

    @Test("A run continued from [0, a) to [0, b) equals a run of [0, b)")
    func continuation() throws {
        let plan = try comparePlan(replicates: 400)
        let first = try Runner.run(plan.part(0..<150), threads: 2)
        let continued = try Runner.run(plan, threads: 2, control: nil, continuing: first)
        #expect(continued.range == 0..<400)
        #expect(json(plan, continued) == json(plan, try Runner.run(plan, threads: 2)))
    }

    @Test("Side by side equals one at a time: an alternative's statistics equal its own run")
    func sideBySide() throws {
        let file = try bundledScenario("ningde.json")
        let report = try Comparer.compare(base: file.base, alternatives: file.alternatives.map { ($0.name, $0.scenario) }, seed: 3,
                                          replicates: 250, threads: 2, rankKey: RankKey.defaultKey(for: file.base))
        for (alternative, comparison) in zip(file.alternatives, report.alternatives) {
            var own = RunSummary(try Runner.simulate(alternative.scenario, seed: 3, replicates: 250, threads: 1))
            own.scenarioName = comparison.summary.scenarioName
            own.description = comparison.summary.description
            #expect(own.summaryJSON() == comparison.summary.summaryJSON(), "\(alternative.name)")
        }
    }

    @Test("Accumulators' size does not grow with replicates")
    func boundedMemory() throws {
        let file = try bundledScenario("longyan.json")
        let limits = StatisticsLimits(exactValues: 200, maxBuckets: 200, denseHistogramPlaces: 4096)
        var sizes: [Int] = []
        for replicates in [1000, 6000] {
            let plan = RunPlan(base: file.base, alternatives: file.alternatives.map(\.variant), seed: 1, replicates: replicates, limits: limits)
            sizes.append(try Runner.run(plan, threads: 2).storedValues)
        }
        let series = (1 + file.alternatives.count) * Metric.count * file.base.years
        #expect(sizes.allSatisfy { $0 <= series * 200 }, "\(sizes)")
    }

    @Test("An alternative equal to the base ties everywhere: difference 0, never better")
    func identical() throws {
        let file = try bundledScenario("ningde.json")
        let plan = RunPlan(base: file.base, alternatives: [Variant(name: "same", scenario: file.base)], seed: 2, replicates: 120)
        let report = Comparer.report(plan: plan, state: try Runner.run(plan, threads: 2), rankKey: RankKey.defaultKey(for: file.base))
        for metric in Metric.allCases {
            for d in report.alternatives[0].differences[metric]! {
                #expect(d.difference.mean == 0 && d.difference.stderr == 0 && d.probabilityBetter == 0)
            }
        }
    }

    @Test("A district of 10^8 towns over 200 years keeps no counter per possible staffed count")
    func hugeDistrict() throws {
        var json = tinyScenarioJSON()
        json = setting(json, "years", 200)
        json = setting(json, "districts.0.townships", ["streets": 2, "towns": 100_000_000])
        let s = try scenario(json)
        let plan = RunPlan(base: s, seed: 1, replicates: 5)
        let state = try Runner.run(plan, threads: 1)
        #expect(state.variants[0].townships.counts.count < 1000)
        #expect(state.variants[0].townships.large.count == 200)
        let summary = Comparer.report(plan: plan, state: state, rankKey: RankKey.defaultKey(for: s)).base
        #expect(summary.districts[0].townshipCoverage.allSatisfy { (0...1).contains($0.p50) })
    }

    @Test("A lever on one schedule entry changes that entry only: earlier years identical in every replicate")
    func scheduleLever() throws {
        var json = tinyScenarioJSON()
        json = setting(json, "years", 3)
        json = setting(json, "budget.reliefShare", ["schedule": ["2020": 0.1, "2021": 0.2]])
        let file = try ScenarioLoader.load(text: jsonText(json))
        let lever = try NumericLever.resolve("budget.reliefShare.schedule.2021", in: file).get()
        let change = try lever.change(to: 0.3).get()
        let changed = file.base.applying([change])
        #expect(changed.schedules[ParameterSlot.reliefShare.rawValue]?.entries.map { $0.parameter.fixedValue } == [0.1, 0.3])
        let a = MetricTable(file.base, seed: 4, replicates: 30), b = MetricTable(changed, seed: 4, replicates: 30)
        #expect(a.values(.revenue, yearIndex: 0) == b.values(.revenue, yearIndex: 0))
        #expect(a.values(.revenue, yearIndex: 1) != b.values(.revenue, yearIndex: 1))
        if case .success = lever.change(to: 1.5) { Issue.record("a share of 1.5 was accepted") }
    }

    @Test("Accumulated paired differences equal those computed from every replicate's values")
    func pairedAgreesWithPerReplicate() throws {
        let file = try bundledScenario("ningde.json")
        let alternative = file.alternatives[0]
        let report = try Comparer.compare(base: file.base, alternatives: [(alternative.name, alternative.scenario)], seed: 6, replicates: 400,
                                          threads: 2, rankKey: RankKey.defaultKey(for: file.base))
        let a = MetricTable(alternative.scenario, seed: 6, replicates: 400), b = MetricTable(file.base, seed: 6, replicates: 400)
        for metric in [Metric.certified, .townshipCoverage, .spendTotal] {
            for y in 0..<file.base.years {
                let d = zip(a.values(metric, yearIndex: y), b.values(metric, yearIndex: y)).map { $0 - $1 }
                let mean = d.reduce(0, +) / Double(d.count)
                let se = (d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(d.count - 1) / Double(d.count)).squareRoot()
                let accumulated = report.alternatives[0].differences[metric]![y].difference
                #expect(abs(accumulated.mean - mean) <= 1e-9 * max(1, abs(mean)), "\(metric.name) \(y)")
                #expect(abs(accumulated.stderr - se) <= 1e-9 * max(1e-12, se), "\(metric.name) \(y)")
                let better = d.filter { metric.higherIsBetter ? $0 > 0 : $0 < 0 }.count
                #expect(report.alternatives[0].differences[metric]![y].probabilityBetter == Double(better) / 400)
            }
        }
    }

    @Test("--precision stops at the first batch where every target's 95% interval is within ±E, the same for any thread count")
    func precisionStop() throws {
        let file = try bundledScenario("ningde.json")
        let plan = RunPlan(base: file.base, seed: 8, replicates: 20_000)
        let one = try PrecisionStop.run(plan, precision: 0.02, threads: 1)
        let two = try PrecisionStop.run(plan, precision: 0.02, threads: 2)
        #expect(one.range == two.range && one.replicates % PrecisionStop.batchSize == 0)
        #expect(json(plan, one) == json(plan, two))
        #expect(PrecisionStop.widestHalfWidth(one) <= 0.02)
        let before = try Runner.run(plan.part(0..<(one.replicates - PrecisionStop.batchSize)), threads: 2)
        #expect(PrecisionStop.widestHalfWidth(before) > 0.02)
        // An unreachable precision runs to the plan's replicates.
        let capped = RunPlan(base: file.base, seed: 8, replicates: 1200)
        #expect(try PrecisionStop.run(capped, precision: 0.0001, threads: 2).replicates == 1200)
    }
}
