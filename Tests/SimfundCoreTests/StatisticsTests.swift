import Testing
@testable import SimfundCore

@Suite("Statistics")
struct StatisticsTests {
    @Test("Type-7 quantiles, mean, sample sd and standard error by hand")
    func summaryByHand() {
        let s = SummaryStatistics(values: [4.0, 1, 3, 2, 5])
        #expect(s.mean == 3)
        #expect(s.sd == (2.5).squareRoot())
        #expect(s.stderr == (2.5 / 5).squareRoot())
        #expect(s.p50 == 3)
        #expect(s.p25 == 2)
        #expect(s.p5 == 1.2)   // h = 4·0.05 = 0.2: 1 + 0.2·(2 − 1)
        #expect(abs(s.p95 - 4.8) < 1e-12)
        #expect(s.min == 1 && s.max == 5)
        let single = SummaryStatistics(values: [7.0])
        #expect(single.sd == 0 && single.p5 == 7 && single.p95 == 7)
    }

    @Test("Histogram statistics equal the statistics of the values they stand for")
    func histogramMatchesValues() {
        let counts = [3, 0, 5, 1, 7, 0]
        let scale = 5.0
        var values: [Double] = []
        for (k, c) in counts.enumerated() { values += Array(repeating: Double(k) / scale, count: c) }
        let a = SummaryStatistics(histogram: counts, scale: scale)
        let b = SummaryStatistics(values: values)
        for (x, y) in zip(a.fieldValues, b.fieldValues) { #expect(abs(x - y) < 1e-12) }
        // No places: coverage is 0 in every replicate.
        #expect(SummaryStatistics(histogram: [4], scale: 0).max == 0)
    }

    @Test("Wilson 95% intervals", arguments: [(0, 10, 0.0, 0.27753), (5, 10, 0.23659, 0.76341), (10, 10, 0.72247, 1.0), (81, 100, 0.72221, 0.87485)])
    func wilson(successes: Int, trials: Int, low: Double, high: Double) {
        let p = Proportion(successes: successes, trials: trials)
        #expect(abs(p.low - low) < 1e-5)
        #expect(abs(p.high - high) < 1e-5)
        #expect(p.low <= p.estimate && p.estimate <= p.high)
    }

    @Test("Target probabilities count replicates meeting the bound, region and district")
    func targets() throws {
        var json = tinyScenarioJSON()
        json["targets"] = [
            ["metric": "certified", "year": 2020, "atLeast": 117],
            ["metric": "certified", "year": 2020, "atMost": 116],
            ["metric": "communityCoverage", "year": 2021, "atLeast": 0.1, "district": "Alpha"],
        ]
        let output = try Runner.simulate(try scenario(json), seed: 1, replicates: 20, threads: 2)
        let summary = RunSummary(output)
        #expect(summary.targets.map(\.probability.successes) == [20, 0, 20])
        #expect(summary.districts[0].townshipCoverage[0].mean == 1)
    }
}
