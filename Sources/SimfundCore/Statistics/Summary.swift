import Foundation

/// Distribution summary of one metric in one year over all replicates
/// (docs/model.md, "Outputs").
///
/// Quantiles use linear interpolation between order statistics (Hyndman &
/// Fan type 7, the default of R and NumPy): with n sorted values x₀…xₙ₋₁,
/// Q(p) = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋₊₁ − x_⌊h⌋), h = (n − 1)p. `sd` is the
/// sample standard deviation (n − 1); `stderr` = sd/√n is the standard error
/// of the mean.
public struct SummaryStatistics: Sendable, Hashable {
    public var mean: Double, stderr: Double, sd: Double
    public var p5: Double, p25: Double, p50: Double, p75: Double, p95: Double
    public var min: Double, max: Double

    public static let quantileLevels: [Double] = [0.05, 0.25, 0.5, 0.75, 0.95]

    /// Summarises values given in replicate order (the order fixes the sum,
    /// so results do not depend on how replicates were scheduled).
    public init(values: some Collection<Double>) {
        precondition(!values.isEmpty, "no replicates to summarise")
        let n = Double(values.count)
        let (mean, squares) = meanAndSquares(values)
        let sorted = values.sorted()
        func quantile(_ p: Double) -> Double {
            let h = Double(sorted.count - 1) * p
            let lo = Int(h.rounded(.down))
            let hi = Swift.min(lo + 1, sorted.count - 1)
            return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
        }
        self.init(mean: mean, squares: squares, n: n, quantile: quantile, min: sorted[0], max: sorted[sorted.count - 1])
    }

    /// Summarises a histogram: `counts[k]` replicates had the value `k / scale`
    /// (district coverage, where the value is staffed units / places). Gives
    /// exactly what ``init(values:)`` gives for the same multiset, up to the
    /// order of summation.
    public init(histogram counts: [Int], scale: Double) {
        let total = counts.reduce(0, +)
        precondition(total > 0, "no replicates to summarise")
        let n = Double(total)
        func value(_ k: Int) -> Double { scale > 0 ? Double(k) / scale : 0 }
        var sum = 0.0
        for (k, c) in counts.enumerated() where c > 0 { sum += Double(c) * value(k) }
        let mean = sum / n
        var squares = 0.0
        for (k, c) in counts.enumerated() where c > 0 { squares += Double(c) * (value(k) - mean) * (value(k) - mean) }
        // The i-th order statistic (0-based) of the implied sorted sequence.
        func order(_ i: Int) -> Double {
            var seen = 0
            for (k, c) in counts.enumerated() {
                seen += c
                if i < seen { return value(k) }
            }
            return value(counts.count - 1)
        }
        func quantile(_ p: Double) -> Double {
            let h = Double(total - 1) * p
            let lo = Int(h.rounded(.down))
            let hi = Swift.min(lo + 1, total - 1)
            let a = order(lo), b = order(hi)
            return a + (h - Double(lo)) * (b - a)
        }
        let first = counts.firstIndex { $0 > 0 }!, last = counts.lastIndex { $0 > 0 }!
        self.init(mean: mean, squares: squares, n: n, quantile: quantile, min: value(first), max: value(last))
    }

    /// From streaming moments and quantiles at ``quantileLevels``.
    init(count: Int, mean: Double, m2: Double, quantiles: [Double], min: Double, max: Double) {
        let n = Double(count)
        self.init(mean: mean, squares: m2, n: n, quantile: { p in quantiles[SummaryStatistics.quantileLevels.firstIndex(of: p)!] }, min: min, max: max)
    }

    private init(mean: Double, squares: Double, n: Double, quantile: (Double) -> Double, min: Double, max: Double) {
        self.mean = mean
        sd = n > 1 ? (squares / (n - 1)).squareRoot() : 0
        stderr = sd / n.squareRoot()
        p5 = quantile(0.05)
        p25 = quantile(0.25)
        p50 = quantile(0.5)
        p75 = quantile(0.75)
        p95 = quantile(0.95)
        self.min = min
        self.max = max
    }
}

/// The mean and the sum of squared deviations from it, two-pass, summed in
/// the collection's order (so a fixed order gives fixed bits).
func meanAndSquares(_ values: some Collection<Double>) -> (mean: Double, squares: Double) {
    var sum = 0.0
    for x in values { sum += x }
    let mean = sum / Double(values.count)
    var squares = 0.0
    for x in values { squares += (x - mean) * (x - mean) }
    return (mean, squares)
}

/// A proportion with its 95% Wilson score interval.
public struct Proportion: Sendable, Hashable {
    public var successes: Int
    public var trials: Int
    public var estimate: Double { trials > 0 ? Double(successes) / Double(trials) : 0 }
    public var low: Double
    public var high: Double

    /// z for a two-sided 95% interval.
    public static let z95 = 1.959963984540054

    public init(successes: Int, trials: Int) {
        precondition(trials > 0 && successes >= 0 && successes <= trials)
        self.successes = successes
        self.trials = trials
        let n = Double(trials), p = Double(successes) / n, z = Proportion.z95
        let denominator = 1 + z * z / n
        let centre = (p + z * z / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / denominator
        // The bounds are exactly 0 and 1 at the extremes; rounding must not move them.
        low = successes == 0 ? 0 : Swift.max(0, centre - half)
        high = successes == trials ? 1 : Swift.min(1, centre + half)
    }
}
