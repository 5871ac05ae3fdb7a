import Foundation
import Testing
@testable import SimfundCore

/// Streaming statistics (large runs) against exact ones (every value kept).
@Suite("Streaming statistics")
struct StreamingTests {
    @Test("Streaming and exact runs agree: moments to rounding, quantiles within the sketch's bound, counts exactly")
    func agreesWithExact() throws {
        let file = try bundledScenario("ningde.json")
        let exact = try Runner.simulate(file.base, seed: 12, replicates: 3000, threads: 2, mode: .exact)
        let streaming = try Runner.simulate(file.base, seed: 12, replicates: 3000, threads: 2, mode: .streaming)
        #expect(streaming.mode == .streaming && exact.mode == .exact)
        let a = RunSummary(exact), b = RunSummary(streaming)
        for metric in Metric.allCases {
            for (x, y) in zip(a.metrics[metric]!, b.metrics[metric]!) {
                let scale = max(1, abs(x.mean), abs(x.max))
                #expect(abs(x.mean - y.mean) <= 1e-9 * scale, "\(metric.name) mean")
                #expect(abs(x.sd - y.sd) <= 1e-7 * max(1, x.sd), "\(metric.name) sd")
                #expect(x.min == y.min && x.max == y.max, "\(metric.name) min/max")
                for (p, q) in zip([x.p5, x.p25, x.p50, x.p75, x.p95], [y.p5, y.p25, y.p50, y.p75, y.p95]) {
                    // Bucket lower bounds sit at most 2⁻¹² (relative) below the values.
                    #expect(q <= p + 1e-12 * max(1, abs(p)) && q >= p - abs(p) * 0.00025, "\(metric.name): exact \(p), streamed \(q)")
                }
            }
        }
        #expect(a.targets == b.targets)
        #expect(a.districts == b.districts)
    }

    @Test("Streaming runs are bit-identical for 1 and 2 threads")
    func threadIndependence() throws {
        let scenario = try bundledScenario("longyan.json").base
        let one = RunSummary(try Runner.simulate(scenario, seed: 5, replicates: 2500, threads: 1, mode: .streaming))
        let two = RunSummary(try Runner.simulate(scenario, seed: 5, replicates: 2500, threads: 2, mode: .streaming))
        #expect(one.summaryJSON() == two.summaryJSON())
    }

    @Test("Large runs stream by default; small ones keep every value")
    func automaticMode() {
        #expect(StatisticsMode.automatic(replicates: 2000, years: 10) == .exact)
        #expect(StatisticsMode.automatic(replicates: 1_000_000, years: 10) == .streaming)
    }

    @Test("The sketch is exact for small integers and within 2⁻¹² otherwise")
    func sketch() {
        var sketch = ValueSketch()
        for k in 0..<5000 { sketch.add(Double(k % 101)) }
        let q = sketch.quantiles([0, 0.5, 1])
        var values = (0..<5000).map { Double($0 % 101) }
        values.sort()
        #expect(q == [0, SummaryStatistics(values: values).p50, 100])
        for x in [0.8015873015873016, 12_345_678.9, 1e-3, -2.5, 2610.0] {
            let lower = ValueSketch.lowerBound(ValueSketch.bucket(x))
            #expect(lower <= x && x - lower <= abs(x) * 0x1p-12, "\(x) → \(lower)")
        }
        #expect(ValueSketch.bucket(-1) < ValueSketch.bucket(0) && ValueSketch.bucket(0) < ValueSketch.bucket(1e-300))
    }
}
