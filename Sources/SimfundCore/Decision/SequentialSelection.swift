import Foundation

/// What `compare --until decided` found: the alternative selected, when the
/// others were eliminated, and the replicates it took.
public struct SequentialOutcome: Sendable, Hashable {
    public struct Elimination: Sendable, Hashable {
        public var name: String
        public var afterReplicates: Int
        public init(name: String, afterReplicates: Int) {
            self.name = name
            self.afterReplicates = afterReplicates
        }
    }

    public var replicatesUsed: Int
    /// The one left, or (stopped at the maximum with several left) the best of those left by the ranking.
    public var selected: String
    public var confidence: Double
    public var indifference: Double
    public var eliminated: [Elimination]
    /// Names still in contention when the run stopped (one when decided).
    public var remaining: [String]
    public var decided: Bool { remaining.count == 1 }

    public init(replicatesUsed: Int, selected: String, confidence: Double, indifference: Double,
                eliminated: [Elimination], remaining: [String]) {
        self.replicatesUsed = replicatesUsed
        self.selected = selected
        self.confidence = confidence
        self.indifference = indifference
        self.eliminated = eliminated
        self.remaining = remaining
    }
}

/// Kim & Nelson's (2001) fully sequential procedure for selecting the best
/// of k systems on common random numbers (docs/model.md, "Stop when the
/// choice is clear"): a first stage of n₀ replicates gives the variance of
/// every pair's difference; after each batch, an alternative is eliminated
/// once its cumulative difference from another falls below a triangular
/// continuation region that narrows as replicates accumulate.
///
/// Eliminated alternatives keep running to the end, so every statistic of
/// compare.json stays a paired comparison over the same replicates; they are
/// only out of contention.
public enum SequentialSelection {
    public static let defaultBatch = 100
    public static let defaultConfidence = 0.95
    /// The default indifference zone for a target probability: one point.
    public static let defaultProbabilityIndifference = 0.01

    /// KN's η = ½[(2α/(k − 1))^(−2/(n₀ − 1)) − 1] and h² = 2η(n₀ − 1), α = 1 − confidence.
    public static func constants(systems k: Int, firstStage n0: Int, confidence: Double) -> (eta: Double, h2: Double) {
        precondition(k >= 2 && n0 >= 2)
        let alpha = 1 - confidence
        let eta = 0.5 * (pow(2 * alpha / Double(k - 1), -2 / Double(n0 - 1)) - 1)
        return (eta, 2 * eta * Double(n0 - 1))
    }

    /// The survivors that a check after `r` replicates eliminates: i goes when
    /// some other survivor l has Σ(X_i − X_l) < min(0, −h²S²_il/(2D) + D·r/2),
    /// X larger-is-better. Every survivor is tested against the same set (KN).
    /// - Parameters:
    ///   - sums: Σ_j X_ij over the r replicates, per system.
    ///   - variances: S²_il, the first stage's sample variance of X_i − X_l.
    public static func eliminated(survivors: [Int], sums: [Double], variances: [[Double]], h2: Double,
                                  indifference d: Double, replicates r: Int) -> [Int] {
        survivors.filter { i in
            survivors.contains { l in
                guard l != i else { return false }
                let bound = Swift.min(0, -h2 * variances[i][l] / (2 * d) + d * Double(r) / 2)
                return sums[i] - sums[l] < bound
            }
        }
    }

    /// Sample variances of the pairwise differences, from per-replicate values (larger is better).
    static func pairVariances(_ values: [[Double]]) -> [[Double]] {
        let k = values.count
        var s2 = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for i in 0..<k {
            for l in (i + 1)..<Swift.max(i + 1, k) {
                let n = values[i].count
                let differences = (0..<n).map { values[i][$0] - values[l][$0] }
                let mean = differences.reduce(0, +) / Double(n)
                let variance = differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
                s2[i][l] = variance
                s2[l][i] = variance
            }
        }
        return s2
    }

    /// Σ X_i over the state's replicates, per variant (larger is better).
    static func sums(_ state: PlanState, plan: RunPlan, rankKey: RankKey) -> [Double] {
        let higherIsBetter = rankKey.target != nil || rankKey.metric.higherIsBetter
        let y = rankKey.year - plan.base.startYear
        let t = rankKey.target.flatMap { plan.targets.firstIndex(of: $0) }
        return state.variants.map { variant in
            let sum = t.map { Double(variant.targetSuccesses[$0]) } ?? variant.series[rankKey.metric.rawValue * plan.base.years + y].moments.sum.value
            return higherIsBetter ? sum : -sum
        }
    }

    /// Runs `plan` from replicate 0 in batches of `batch` until one variant
    /// remains or the plan's replicates are used up. The first stage is
    /// replicates 0..<batch; its per-replicate values are re-run by
    /// ``DecisionSample`` (the same replicates). The stopping point depends
    /// on exact sums only, so it is the same for any thread count.
    /// - Precondition: at least two variants; `batch` ≥ 2; indifference > 0.
    public static func run(_ plan: RunPlan, rankKey: RankKey, indifference: Double, confidence: Double, batch: Int,
                           threads: Int, control: RunControl? = nil) throws(RunFailure) -> (state: PlanState, outcome: SequentialOutcome) {
        precondition(plan.variants.count >= 2 && batch >= 2 && indifference > 0 && plan.range.lowerBound == 0)
        let maximum = plan.range.upperBound
        let firstStage = Swift.min(batch, maximum)
        var state = try Runner.run(plan.part(0..<firstStage), threads: threads, control: control, continuing: nil)
        let names = plan.variants.map(\.name)
        var survivors = Array(plan.variants.indices)
        var eliminations: [SequentialOutcome.Elimination] = []
        if firstStage >= 2 {
            let sample = try DecisionSample.collect(plan: plan, rankKey: rankKey, count: firstStage, slots: [], threads: threads, control: control)
            let higherIsBetter = rankKey.target != nil || rankKey.metric.higherIsBetter
            let variances = pairVariances(higherIsBetter ? sample.values : sample.values.map { $0.map { -$0 } })
            let h2 = constants(systems: plan.variants.count, firstStage: firstStage, confidence: confidence).h2
            while true {
                let r = state.replicates
                let out = eliminated(survivors: survivors, sums: sums(state, plan: plan, rankKey: rankKey), variances: variances,
                                     h2: h2, indifference: indifference, replicates: r)
                for v in out { eliminations.append(.init(name: names[v], afterReplicates: r)) }
                survivors.removeAll { out.contains($0) }
                guard survivors.count > 1, r < maximum else { break }
                state = try Runner.run(plan.part(0..<Swift.min(maximum, r + batch)), threads: threads, control: control, continuing: state)
            }
        }
        // Several left at the maximum: the best of them in the comparison's own ranking.
        let ranking = Comparer.report(plan: plan, state: state, rankKey: rankKey).ranking.map(\.name)
        let selected = ranking.first { name in survivors.contains { names[$0] == name } } ?? names[survivors[0]]
        let outcome = SequentialOutcome(replicatesUsed: state.replicates, selected: selected, confidence: confidence, indifference: indifference,
                                        eliminated: eliminations, remaining: survivors.map { names[$0] })
        return (state, outcome)
    }
}
