import Foundation
import Testing
@testable import SimfundCore

/// Exact sums and the accumulators built on them: results are functions of
/// the multiset of values, so order, grouping and merging never change a bit.
@Suite("Exact accumulators")
struct AccumulatorTests {
    func data(_ n: Int, seed: UInt64) -> [Double] {
        var g = SplitMix64(state: seed)
        return (0..<n).map { i in
            switch i % 4 {
            case 0: return Double.random(in: 0...1, using: &g)
            case 1: return Double.random(in: -1e9...1e12, using: &g)
            case 2: return Double(Int.random(in: 0...5000, using: &g))
            default: return Double.random(in: 1e-9...1e-3, using: &g)
            }
        }
    }

    @Test("Sums do not depend on order or grouping", arguments: [1, 2, 3, 7, 50])
    func orderAndGrouping(parts: Int) {
        let values = data(2000, seed: 5)
        var whole = MomentSums()
        for x in values { whole.add(x) }
        var g = SplitMix64(state: UInt64(parts))
        let shuffled = values.shuffled(using: &g)
        var merged = MomentSums()
        for p in 0..<parts {
            var part = MomentSums()
            for x in shuffled[(shuffled.count * p / parts)..<(shuffled.count * (p + 1) / parts)] { part.add(x) }
            merged.merge(part)
        }
        #expect(merged == whole)
        #expect(merged.mean.bitPattern == whole.mean.bitPattern)
        #expect(merged.variance.bitPattern == whole.variance.bitPattern)
    }

    @Test("Integer sums are exact; mean and variance match a two-pass computation")
    func exactness() {
        var sums = MomentSums()
        var exact = 0
        for k in 0..<10_000 {
            sums.add(Double(k))
            exact += k
        }
        #expect(sums.sum.value == Double(exact))
        // Variance of 0…n−1 is n(n+1)/12.
        #expect(sums.variance == 10_000.0 * 10_001.0 / 12)
        let values = data(5000, seed: 9)
        var moments = MomentSums()
        for x in values { moments.add(x) }
        let mean = values.reduce(0, +) / Double(values.count)
        let twoPass = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        #expect(abs(moments.mean - mean) <= 1e-12 * abs(mean))
        #expect(abs(moments.variance - twoPass) <= 1e-10 * twoPass)
        // Negative values and cancellation.
        var cancel = ExactSum()
        for x in [1e15, 0.1, -1e15, 0.2, -0.3] { cancel.add(x) }
        #expect(abs(cancel.value - (0.1 + 0.2 - 0.3 + (1e15 - 1e15))) < 1e-16)
    }

    @Test("A constant series has variance exactly 0")
    func constant() {
        for value in [0.1, 1.0 / 3.0, 123_456_789.123, -7.25, 1e-7] {
            var sums = MomentSums()
            for _ in 0..<777 { sums.add(value) }
            #expect(sums.variance == 0, "\(value)")
            #expect(sums.mean == value, "\(value)")
        }
    }

    @Test("Buckets coarsen to stay within their budget, and quantiles stay within the reported relative bound")
    func bucketBound() {
        let values = data(20_000, seed: 3).map { abs($0) + 1 }
        var buckets = BucketCounts(maxBuckets: 256)
        for x in values { buckets.add(x) }
        #expect(buckets.counts.count <= 256)
        #expect(buckets.bits < BucketCounts.finestBits)
        let sorted = values.sorted()
        let exact = [0.05, 0.5, 0.95].map { p -> Double in
            let h = Double(sorted.count - 1) * p
            let lo = Int(h.rounded(.down))
            return sorted[lo] + (h - Double(lo)) * (sorted[min(lo + 1, sorted.count - 1)] - sorted[lo])
        }
        let bound = pow(2, -Double(buckets.bits))
        for (q, e) in zip(buckets.quantiles([0.05, 0.5, 0.95]), exact) {
            #expect(q <= e * (1 + 1e-12) && q >= e * (1 - 2 * bound), "\(q) vs \(e), bits \(buckets.bits)")
        }
        // Small integers are exact at the finest resolution.
        var small = BucketCounts(maxBuckets: 4096)
        for k in 0..<5000 { small.add(Double(k % 101)) }
        #expect(small.quantiles([0, 1]) == [0, 100])
    }

    @Test("Value distributions merge to the same state whatever the split")
    func distributionMerge() {
        let values = data(3000, seed: 11)
        for limit in [100, 5000] {
            var whole = ValueDistribution(exactLimit: limit, maxBuckets: 512)
            for x in values { whole.add(x) }
            var merged = ValueDistribution(exactLimit: limit, maxBuckets: 512)
            for p in 0..<3 {
                var part = ValueDistribution(exactLimit: limit, maxBuckets: 512)
                for x in values[(1000 * p)..<(1000 * (p + 1))] { part.add(x) }
                merged.merge(part)
            }
            let levels = SummaryStatistics.quantileLevels
            #expect(merged.quantiles(levels).map(\.bitPattern) == whole.quantiles(levels).map(\.bitPattern), "limit \(limit)")
        }
    }

    @Test("Ties are not better: a difference within rounding of zero")
    func ties() {
        #expect(PairedAccumulator.isTie(1e8, 1e8 + 1e-10))
        #expect(PairedAccumulator.isTie(0, 0))
        #expect(!PairedAccumulator.isTie(0.5, 0.5 + 1e-6))
        #expect(!PairedAccumulator.isTie(2610, 2611))
    }
}
