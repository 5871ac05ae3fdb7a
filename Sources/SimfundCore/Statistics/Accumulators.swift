/// Statistics that merge exactly. Every accumulator here is a function of
/// the multiset of values added to it (exact integer sums, counts, sorted
/// value sets), so accumulating replicates in any order, on any number of
/// threads, and merging partial states of adjacent replicate ranges — from
/// threads, shards or machines — gives the very same bits as one run.

/// Count, exact sums of values and squares, min and max of one series.
struct MomentSums: Sendable, Hashable {
    var count = 0
    var sum = ExactSum()
    var squares = ExactSum()
    var min = Double.infinity
    var max = -Double.infinity

    @inline(__always)
    mutating func add(_ x: Double) {
        count += 1
        sum.add(x)
        squares.addProduct(x, x)
        if x < min { min = x }
        if x > max { max = x }
    }

    mutating func merge(_ other: MomentSums) {
        count += other.count
        sum.add(other.sum)
        squares.add(other.squares)
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
    }

    /// Σx / n, corrected by the exact residual Σx − n·q so that a constant
    /// series has exactly its value as mean.
    var mean: Double {
        guard count > 0 else { return 0 }
        let n = Double(count)
        let q = sum.value / n
        var residual = sum
        residual.addProduct(-q, n)
        return q + residual.value / n
    }

    /// Σ(x − x̄)², from the exact numerator n·Σx² − (Σx)² rounded once: exactly
    /// 0 when every value is the same.
    var squaredDeviations: Double {
        guard count > 1 else { return 0 }
        let n = UInt64(count)
        let (s1, _) = sum.magnitude
        let (s2, s2Negative) = squares.magnitude
        guard !s2Negative else { return 0 }
        let nS2 = BigMagnitude.multiply(BigMagnitude.shiftedLimbs(s2, by: 2), [n])
        let s1Squared = BigMagnitude.multiply(s1, s1)
        guard let numerator = BigMagnitude.subtract(nS2, s1Squared) else { return 0 }
        return BigMagnitude.double(numerator, scale: -2 * ExactSum.fractionalBits) / Double(count)
    }

    /// Sample variance (n − 1).
    var variance: Double { count > 1 ? squaredDeviations / Double(count - 1) : 0 }
}

/// The values of one series, for quantiles: every value while there are at
/// most `exactLimit` of them (exact type-7 quantiles), then a histogram of
/// relative-width buckets (``BucketCounts``) whose memory is bounded by
/// `maxBuckets` whatever the number of values.
struct ValueDistribution: Sendable {
    let exactLimit: Int
    let maxBuckets: Int
    private(set) var values: [Double] = []
    private(set) var buckets: BucketCounts?

    init(exactLimit: Int, maxBuckets: Int) {
        self.exactLimit = exactLimit
        self.maxBuckets = maxBuckets
    }

    @inline(__always)
    mutating func add(_ x: Double) {
        if buckets != nil {
            buckets!.add(x)
            return
        }
        values.append(x)
        if values.count > exactLimit { spill() }
    }

    private mutating func spill() {
        var counts = BucketCounts(maxBuckets: maxBuckets)
        for x in values { counts.add(x) }
        values = []
        buckets = counts
    }

    mutating func merge(_ other: ValueDistribution) {
        if buckets == nil && other.buckets == nil {
            values += other.values
            if values.count > exactLimit { spill() }
            return
        }
        if buckets == nil { spill() }
        if let otherBuckets = other.buckets {
            buckets!.merge(otherBuckets)
        } else {
            for x in other.values { buckets!.add(x) }
        }
    }

    /// Type-7 quantiles at `levels`.
    func quantiles(_ levels: [Double]) -> [Double] {
        if let buckets { return buckets.quantiles(levels) }
        let sorted = values.sorted()
        return levels.map { p in
            let h = Double(sorted.count - 1) * p
            let lo = Int(h.rounded(.down)), hi = Swift.min(lo + 1, sorted.count - 1)
            return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
        }
    }

    /// The exact values, sorted (for partial-state files), or nil once bucketed.
    var sortedValues: [Double]? { buckets == nil ? values.sorted() : nil }

    init(exactLimit: Int, maxBuckets: Int, values: [Double]?, buckets: BucketCounts?) {
        self.exactLimit = exactLimit
        self.maxBuckets = maxBuckets
        self.values = values ?? []
        self.buckets = buckets
    }
}

/// A histogram of values in buckets of relative width 2⁻ᵇ, b = `bits`
/// (12 at first: 0.024%). When more than `maxBuckets` buckets are in use,
/// b drops by one and neighbouring buckets join, until they fit. The final
/// b is a function of the set of values alone, so merging stays exact.
///
/// Error bound: a quantile is interpolated between bucket lower bounds,
/// each within a relative 2⁻ᵇ below every value in its bucket. Values with
/// at most b + 1 significant bits (0, 1, integers below 2ᵇ⁺¹) are exact.
struct BucketCounts: Sendable {
    static let finestBits = 12
    let maxBuckets: Int
    private(set) var bits = BucketCounts.finestBits
    private(set) var counts: [UInt64: Int] = [:]
    private(set) var total = 0

    init(maxBuckets: Int) { self.maxBuckets = maxBuckets }

    init(maxBuckets: Int, bits: Int, counts: [UInt64: Int]) {
        self.maxBuckets = maxBuckets
        self.bits = bits
        self.counts = counts
        total = counts.values.reduce(0, +)
    }

    /// An order-preserving key (IEEE 754 total order, truncated to `bits` mantissa bits).
    static func key(_ x: Double, bits: Int) -> UInt64 {
        let pattern = x.bitPattern
        let ordered = pattern & (1 << 63) != 0 ? ~pattern : pattern | (1 << 63)
        return ordered >> UInt64(52 - bits)
    }

    /// The smallest value in a bucket.
    static func lowerBound(_ key: UInt64, bits: Int) -> Double {
        let ordered = key << UInt64(52 - bits)
        if ordered & (1 << 63) != 0 { return Double(bitPattern: ordered & ~(1 << 63)) }
        return Double(bitPattern: ~ordered)
    }

    @inline(__always)
    mutating func add(_ x: Double) {
        counts[BucketCounts.key(x, bits: bits), default: 0] += 1
        total += 1
        if counts.count > maxBuckets { coarsen(to: bits - 1) }
    }

    private mutating func coarsen(to newBits: Int) {
        var target = newBits
        while true {
            var merged: [UInt64: Int] = [:]
            let shift = UInt64(bits - target)
            for (key, count) in counts { merged[key >> shift, default: 0] += count }
            if merged.count <= maxBuckets || target == 0 {
                counts = merged
                bits = target
                return
            }
            target -= 1
        }
    }

    mutating func merge(_ other: BucketCounts) {
        var other = other
        if other.bits > bits { other.coarsen(to: bits) }
        if bits > other.bits { coarsen(to: other.bits) }
        for (key, count) in other.counts { counts[key, default: 0] += count }
        total += other.total
        if counts.count > maxBuckets { coarsen(to: bits - 1) }
    }

    func quantiles(_ levels: [Double]) -> [Double] {
        let sorted = counts.sorted { $0.key < $1.key }
        func order(_ i: Int) -> Double {
            var seen = 0
            for (key, count) in sorted {
                seen += count
                if i < seen { return BucketCounts.lowerBound(key, bits: bits) }
            }
            return BucketCounts.lowerBound(sorted.last!.key, bits: bits)
        }
        return levels.map { p in
            let h = Double(total - 1) * p
            let lo = Int(h.rounded(.down)), hi = Swift.min(lo + 1, total - 1)
            let a = order(lo), b = order(hi)
            return a + (h - Double(lo)) * (b - a)
        }
    }
}

/// Moments and values of one metric in one year.
struct SeriesAccumulator: Sendable {
    var moments = MomentSums()
    var distribution: ValueDistribution

    init(limits: StatisticsLimits) {
        distribution = ValueDistribution(exactLimit: limits.exactValues, maxBuckets: limits.maxBuckets)
    }

    init(moments: MomentSums, distribution: ValueDistribution) {
        self.moments = moments
        self.distribution = distribution
    }

    @inline(__always)
    mutating func add(_ x: Double) {
        moments.add(x)
        distribution.add(x)
    }

    mutating func merge(_ other: SeriesAccumulator) {
        moments.merge(other.moments)
        distribution.merge(other.distribution)
    }

    var statistics: SummaryStatistics {
        let q = distribution.quantiles(SummaryStatistics.quantileLevels)
        // Bucket lower bounds can sit just below the true minimum.
        return SummaryStatistics(count: moments.count, mean: moments.mean, m2: moments.squaredDeviations,
                                 quantiles: q.map { Swift.min(Swift.max($0, moments.min), moments.max) },
                                 min: moments.min, max: moments.max)
    }
}

/// How much each series may keep: exact values up to `exactValues`, then at
/// most `maxBuckets` buckets. Chosen from the plan (never from a shard's
/// range), so every part of a run keeps the same kind of state.
public struct StatisticsLimits: Sendable, Hashable {
    public var exactValues: Int
    public var maxBuckets: Int
    /// Districts with more places than this keep moments and buckets of their
    /// coverage instead of one counter per possible staffed count.
    public var denseHistogramPlaces: Int

    /// Limits for `series` value series so that one accumulated state stays
    /// within `budget` bytes (each series keeps at least 256 values and 256 buckets).
    public static func forSeries(_ series: Int, budget: Double = 192 * 1024 * 1024) -> StatisticsLimits {
        let perSeries = budget / Double(max(1, series))
        // Exact values cost 8 bytes each; buckets about 40 (hashed entry).
        let exact = Int(min(4096, max(256, perSeries / 8)))
        let buckets = Int(min(2048, max(256, perSeries / 40)))
        return StatisticsLimits(exactValues: exact, maxBuckets: buckets, denseHistogramPlaces: 4096)
    }
}

/// Per district and year: how many replicates had each staffed count
/// (exact while the district has at most `denseHistogramPlaces` places),
/// and how many had every place staffed.
struct DistrictCoverage: Sendable {
    let places: [Int]
    let years: Int
    /// Start of each dense district's block (years rows of places + 1 bins); −1 for large districts.
    let offsets: [Int]
    var counts: [Int]
    /// Large districts: coverage series, index largeSlot[d] · years + y.
    let largeSlot: [Int]
    var large: [SeriesAccumulator]
    /// Replicates with every place staffed, index d · years + y.
    var full: [Int]

    init(places: [Int], years: Int, limits: StatisticsLimits) {
        self.places = places
        self.years = years
        var offsets: [Int] = [], slots: [Int] = []
        var total = 0, largeCount = 0
        for p in places {
            if p <= limits.denseHistogramPlaces {
                offsets.append(total)
                slots.append(-1)
                total += (p + 1) * years
            } else {
                offsets.append(-1)
                slots.append(largeCount)
                largeCount += 1
            }
        }
        self.offsets = offsets
        largeSlot = slots
        counts = [Int](repeating: 0, count: total)
        large = [SeriesAccumulator](repeating: SeriesAccumulator(limits: limits), count: largeCount * years)
        full = [Int](repeating: 0, count: places.count * years)
    }

    @inline(__always)
    mutating func add(district d: Int, yearIndex y: Int, staffed k: Int) {
        let p = places[d]
        if offsets[d] >= 0 {
            counts[offsets[d] + y * (p + 1) + k] += 1
        } else {
            large[largeSlot[d] * years + y].add(Double(k) / Double(p))
        }
        if k == p { full[d * years + y] += 1 }
    }

    mutating func merge(_ other: DistrictCoverage) {
        for i in counts.indices { counts[i] += other.counts[i] }
        for i in large.indices { large[i].merge(other.large[i]) }
        for i in full.indices { full[i] += other.full[i] }
    }

    func statistics(district d: Int, yearIndex y: Int) -> SummaryStatistics {
        let p = places[d]
        if offsets[d] >= 0 {
            let start = offsets[d] + y * (p + 1)
            return SummaryStatistics(histogram: Array(counts[start...start + p]), scale: Double(p))
        }
        return large[largeSlot[d] * years + y].statistics
    }

    func fullCoverage(district d: Int, yearIndex y: Int) -> Int { full[d * years + y] }
}

/// Everything one variant (the base, or an alternative) accumulates.
struct VariantAccumulator: Sendable {
    let years: Int
    /// Metric-major: index metric · years + year.
    var series: [SeriesAccumulator]
    /// Replicates meeting each of the plan's targets (region and district).
    var targetSuccesses: [Int]
    var townships: DistrictCoverage
    var communities: DistrictCoverage

    init(scenario: Scenario, targetCount: Int, limits: StatisticsLimits) {
        years = scenario.years
        series = [SeriesAccumulator](repeating: SeriesAccumulator(limits: limits), count: Metric.count * scenario.years)
        targetSuccesses = [Int](repeating: 0, count: targetCount)
        townships = DistrictCoverage(places: scenario.districts.map(\.townships), years: scenario.years, limits: limits)
        communities = DistrictCoverage(places: scenario.districts.map(\.communities), years: scenario.years, limits: limits)
    }

    var replicates: Int { series.first?.moments.count ?? 0 }

    mutating func merge(_ other: VariantAccumulator) {
        for i in series.indices { series[i].merge(other.series[i]) }
        for i in targetSuccesses.indices { targetSuccesses[i] += other.targetSuccesses[i] }
        townships.merge(other.townships)
        communities.merge(other.communities)
    }

    func statistics(_ metric: Metric, yearIndex y: Int) -> SummaryStatistics {
        series[metric.rawValue * years + y].statistics
    }
}

/// An alternative against the base, replicate by replicate.
struct PairedAccumulator: Sendable {
    let years: Int
    /// Differences alternative − base, metric-major like ``VariantAccumulator/series``.
    var differences: [MomentSums]
    var better: [Int]
    var worse: [Int]
    /// Per target: replicates where only the alternative met it / only the base did.
    var gained: [Int]
    var lost: [Int]
    /// Final-year cross moments for cost-effectiveness.
    var cost = CrossMoments()

    init(years: Int, targetCount: Int) {
        self.years = years
        differences = [MomentSums](repeating: MomentSums(), count: Metric.count * years)
        better = [Int](repeating: 0, count: Metric.count * years)
        worse = better
        gained = [Int](repeating: 0, count: targetCount)
        lost = gained
    }

    mutating func merge(_ other: PairedAccumulator) {
        for i in differences.indices {
            differences[i].merge(other.differences[i])
            better[i] += other.better[i]
            worse[i] += other.worse[i]
        }
        for i in gained.indices {
            gained[i] += other.gained[i]
            lost[i] += other.lost[i]
        }
        cost.merge(other.cost)
    }

    /// True when a − b is within rounding of zero: a tie, neither better nor worse.
    @inline(__always)
    static func isTie(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-12 * Swift.max(abs(a), abs(b))
    }
}

/// Exact sums of a cost difference c and two effect differences e₁, e₂
/// (staffed stations, certified workers) and their products.
struct CrossMoments: Sendable, Hashable {
    var count = 0
    var c = ExactSum(), e1 = ExactSum(), e2 = ExactSum()
    var cc = ExactSum(), e1e1 = ExactSum(), e2e2 = ExactSum(), ce1 = ExactSum(), ce2 = ExactSum()

    mutating func add(cost: Double, stations: Double, certified: Double) {
        count += 1
        c.add(cost); e1.add(stations); e2.add(certified)
        cc.addProduct(cost, cost); e1e1.addProduct(stations, stations); e2e2.addProduct(certified, certified)
        ce1.addProduct(cost, stations); ce2.addProduct(cost, certified)
    }

    mutating func merge(_ other: CrossMoments) {
        count += other.count
        c.add(other.c); e1.add(other.e1); e2.add(other.e2)
        cc.add(other.cc); e1e1.add(other.e1e1); e2e2.add(other.e2e2); ce1.add(other.ce1); ce2.add(other.ce2)
    }

    var sums: [ExactSum] { [c, e1, e2, cc, e1e1, e2e2, ce1, ce2] }

    init() {}

    init(count: Int, sums: [ExactSum]) {
        self.count = count
        (c, e1, e2, cc, e1e1, e2e2, ce1, ce2) = (sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7])
    }
}
