import Dispatch

/// The expected value of partial perfect information of one uncertain input
/// for the ranking decision, in the rank key's units (a probability, or the
/// ranked metric's units), with its 95% bootstrap interval.
public struct InputValueOfInformation: Sendable, Hashable {
    /// The input's scenario path.
    public var input: String
    public var evppi: Double
    public var low: Double
    public var high: Double
    /// Where the input's figure comes from: the scenario's `provenance` for
    /// its path or the nearest enclosing path.
    public var source: String?
    /// The EVPPI the estimator gives an input that carries no information,
    /// with these replicates (see ``ValueOfInformation/noiseFloor``).
    public var noise: Double

    public init(input: String, evppi: Double, low: Double, high: Double, noise: Double = 0, source: String? = nil) {
        self.input = input
        self.noise = noise
        self.source = source
        self.evppi = evppi
        self.low = low
        self.high = high
    }
}

/// EVPPI by nonparametric regression (Strong, Oakley & Brennan 2014): each
/// alternative's per-replicate rank-key value is regressed on the input's
/// draws with a ``PenalisedSpline``; EVPPI = mean_j max_k ĝ_k(x_j) − max_k mean_j ĝ_k(x_j),
/// at least 0 because a mean of maxima is never below the maximum of means
/// (docs/model.md, "Value of information").
public enum ValueOfInformation {
    /// Replicates re-run for the regression: min(the run's replicates, this).
    public static let replicateCap = 5_000
    /// Bootstrap resamples of the replicates for the interval.
    public static let resamples = 200

    /// The replicates re-run for a run of `replicates`.
    public static func sampleSize(replicates: Int) -> Int { Swift.min(replicates, replicateCap) }

    /// EVPPI of every uncertain input of the plan's base, in slot order.
    /// - Parameter replicates: the replicates the comparison ran (from 0).
    public static func analyse(plan: RunPlan, rankKey: RankKey, replicates: Int, threads: Int,
                               control: RunControl? = nil) throws(RunFailure) -> [InputValueOfInformation] {
        let inputs = plan.base.uncertainInputs
        guard !inputs.isEmpty, plan.variants.count >= 2 else { return [] }
        let sample = try DecisionSample.collect(plan: plan, rankKey: rankKey, count: sampleSize(replicates: replicates), slots: inputs.map(\.slot),
                                                threads: threads, control: control)
        let higherIsBetter = rankKey.target != nil || rankKey.metric.higherIsBetter
        // Larger is better for the maximum: a lower-is-better key is negated.
        let values = higherIsBetter ? sample.values : sample.values.map { $0.map { -$0 } }
        var results = [InputValueOfInformation?](repeating: nil, count: inputs.count)
        results.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: Swift.max(1, Swift.min(threads, inputs.count))) { worker in
                var i = worker
                while i < inputs.count {
                    let estimate = evppi(x: sample.draws[i], values: values, seed: plan.seed, stream: UInt64(i))
                    slots[i] = InputValueOfInformation(input: inputs[i].path, evppi: estimate.value, low: estimate.low, high: estimate.high, noise: estimate.noise,
                                                       source: provenance(of: inputs[i].path, in: plan.base))
                    i += Swift.max(1, Swift.min(threads, inputs.count))
                }
            }
        }
        return results.map { $0! }
    }

    /// The scenario's `provenance` for `path`, or for the nearest enclosing path.
    static func provenance(of path: String, in scenario: Scenario) -> String? {
        var candidate = path
        while true {
            if let text = scenario.provenance[candidate], !text.isEmpty { return text }
            guard let dot = candidate.lastIndex(of: ".") else { return nil }
            candidate = String(candidate[..<dot])
        }
    }

    /// EVPPI of one input with draws `x` for alternatives whose values (larger
    /// is better) are `values[k][j]`, and its 95% percentile bootstrap interval.
    /// The b-th resample draws from a SplitMix64 generator keyed by (seed, stream, b).
    public static func evppi(x: [Double], values: [[Double]], seed: UInt64, stream: UInt64,
                             resamples: Int = ValueOfInformation.resamples) -> (value: Double, low: Double, high: Double, noise: Double) {
        let n = x.count
        guard n >= 2, let low = x.min(), let high = x.max(), high > low else { return (0, 0, 0, 0) }
        let spline = PenalisedSpline(x: x)
        let gram = spline.gram(weights: nil)
        let fits = values.map { spline.fit($0, gram: gram) }
        let fitted = fits.map { spline.fitted($0.coefficients) }
        let value = statistic(fitted, weights: nil, n: n)
        let noise = noiseFloor(spline: spline, gram: gram, values: values, seed: seed, stream: stream)
        var replicates: [Double] = []
        var weights = [Double](repeating: 0, count: n)
        for b in 0..<resamples {
            var generator = KeyedGenerator(seed: seed, stream: stream, resample: UInt64(b) + 1)
            for j in 0..<n { weights[j] = 0 }
            for _ in 0..<n { weights[generator.index(below: n)] += 1 }
            let gram = spline.gram(weights: weights)
            let refitted = zip(values, fits).map { y, fit in
                spline.fitted(spline.coefficients(gram: gram, moment: spline.moment(y, weights: weights), lambda: fit.lambda))
            }
            replicates.append(statistic(refitted, weights: weights, n: n))
        }
        replicates.sort()
        guard !replicates.isEmpty else { return (value, value, value, noise) }
        func quantile(_ q: Double) -> Double {
            let position = q * Double(replicates.count - 1)
            let i = Int(position.rounded(.down)), f = position - Double(i)
            return i + 1 < replicates.count ? replicates[i] * (1 - f) + replicates[i + 1] * f : replicates[i]
        }
        return (value, quantile(0.025), quantile(0.975), noise)
    }

    /// Permutations of the replicates for the noise floor.
    public static let permutations = 20

    /// What the estimator gives for an input that carries no information: the
    /// mean EVPPI over random permutations of the replicates against the
    /// draws (each permutation applied to every alternative alike, keeping
    /// their common random numbers). The smoother's fit to noise alone makes
    /// it positive; an EVPPI not clearly above it is noise.
    static func noiseFloor(spline: PenalisedSpline, gram: [Double], values: [[Double]], seed: UInt64, stream: UInt64) -> Double {
        let n = spline.count
        var total = 0.0
        var order = Array(0..<n)
        for p in 0..<permutations {
            // Resample keys above `resamples` are the permutations'.
            var generator = KeyedGenerator(seed: seed, stream: stream, resample: (UInt64(1) << 32) + UInt64(p))
            for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, generator.index(below: i + 1)) }
            let fitted = values.map { y in spline.fitted(spline.fit(order.map { y[$0] }, gram: gram).coefficients) }
            total += statistic(fitted, weights: nil, n: n)
        }
        return total / Double(permutations)
    }

    /// mean_j max_k f_k(x_j) − max_k mean_j f_k(x_j), with weights (nil: all 1) summing to n.
    static func statistic(_ fitted: [[Double]], weights: [Double]?, n: Int) -> Double {
        var meanOfMaxima = 0.0
        var means = [Double](repeating: 0, count: fitted.count)
        for j in 0..<n {
            let w = weights?[j] ?? 1
            if w == 0 { continue }
            var best = -Double.infinity
            for k in fitted.indices {
                best = Swift.max(best, fitted[k][j])
                means[k] += w * fitted[k][j]
            }
            meanOfMaxima += w * best
        }
        return Swift.max(0, (meanOfMaxima - (means.max() ?? 0)) / Double(n))
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014) started from a hash of its key, for
/// the bootstrap: resample b of input i is the same whatever the thread count.
struct KeyedGenerator {
    private var state: UInt64

    init(seed: UInt64, stream: UInt64, resample: UInt64) {
        state = KeyedGenerator.mix(seed ^ KeyedGenerator.mix(stream &* 0x9E37_79B9_7F4A_7C15 ^ KeyedGenerator.mix(resample ^ 0xB007_57A9)))
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on 0..<n (Lemire's multiply-high; the bias is below 2⁻⁵⁰ for n ≤ 10⁴).
    mutating func index(below n: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }
}
