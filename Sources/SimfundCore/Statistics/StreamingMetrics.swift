/// Count, mean, sum of squared deviations, min and max of a set of values
/// (Welford's update; Chan et al.'s merge). Merging in a fixed order gives
/// the same bits however the values were split among workers.
struct Moments: Sendable, Hashable {
    var count = 0
    var mean = 0.0
    var m2 = 0.0
    var min = Double.infinity
    var max = -Double.infinity

    mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
        if x < min { min = x }
        if x > max { max = x }
    }

    mutating func merge(_ other: Moments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let n = Double(count + other.count)
        let delta = other.mean - mean
        mean += delta * Double(other.count) / n
        m2 += other.m2 + delta * delta * Double(count) * Double(other.count) / n
        count += other.count
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
    }
}

/// A histogram of values in buckets of relative width 2⁻¹², for quantiles of
/// runs too large to keep every value. Counts are integers, so merging is
/// exact and order-free.
///
/// Error bound: a quantile is read from bucket lower bounds, each within a
/// relative 2⁻¹² ≈ 0.024% below every value in its bucket. Values with at most
/// 13 significant bits (0, 1, every integer below 8,192) sit alone at their
/// bucket's lower bound and are reproduced exactly.
struct ValueSketch: Sendable {
    static let mantissaBits: UInt64 = 12
    private(set) var counts: [UInt64: Int] = [:]

    /// An order-preserving bucket key (IEEE 754 total order, truncated).
    static func bucket(_ x: Double) -> UInt64 {
        let bits = x.bitPattern
        let ordered = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
        return ordered >> (52 - mantissaBits)
    }

    /// The smallest value in a bucket.
    static func lowerBound(_ bucket: UInt64) -> Double {
        let ordered = bucket << (52 - mantissaBits)
        if ordered & (1 << 63) != 0 { return Double(bitPattern: ordered & ~(1 << 63)) }
        // Negative values: the smallest key in the bucket is its most negative member.
        return Double(bitPattern: ~ordered)
    }

    mutating func add(_ x: Double) {
        counts[ValueSketch.bucket(x), default: 0] += 1
    }

    mutating func merge(_ other: ValueSketch) {
        for (bucket, count) in other.counts { counts[bucket, default: 0] += count }
    }

    /// Type-7 quantiles (as ``SummaryStatistics``) of the bucketed values.
    func quantiles(_ levels: [Double]) -> [Double] {
        let buckets = counts.sorted { $0.key < $1.key }
        let total = buckets.reduce(0) { $0 + $1.value }
        func order(_ i: Int) -> Double {
            var seen = 0
            for (bucket, count) in buckets {
                seen += count
                if i < seen { return ValueSketch.lowerBound(bucket) }
            }
            return ValueSketch.lowerBound(buckets.last!.key)
        }
        return levels.map { p in
            let h = Double(total - 1) * p
            let lo = Int(h.rounded(.down)), hi = Swift.min(lo + 1, total - 1)
            let a = order(lo), b = order(hi)
            return a + (h - Double(lo)) * (b - a)
        }
    }
}

/// Statistics of every metric and year accumulated while replicates run, in
/// memory that does not grow with replicates (beyond one small record per
/// block of replicates): moments per block, merged in block order (exact
/// mean and sd, bit-identical for any thread count), and value sketches for
/// quantiles (error bound in ``ValueSketch``).
public struct StreamingMetrics: Sendable {
    public let replicates: Int
    public let years: Int
    /// Replicates per block; blocks are the unit of scheduling and merging.
    static let blockSize = 1024
    var moments: [Moments]
    var sketches: [ValueSketch]

    static func blocks(replicates: Int) -> Int { (replicates + blockSize - 1) / blockSize }

    public func statistics(_ metric: Metric, yearIndex y: Int) -> SummaryStatistics {
        let i = metric.rawValue * years + y
        let q = sketches[i].quantiles(SummaryStatistics.quantileLevels)
        let m = moments[i]
        // The sketch's bucket bounds can sit just below the true minimum.
        return SummaryStatistics(count: m.count, mean: m.mean, m2: m.m2, quantiles: q.map { Swift.min(Swift.max($0, m.min), m.max) },
                                 min: m.min, max: m.max)
    }
}
