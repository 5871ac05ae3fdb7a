import Foundation

/// A paired difference (alternative − base) over replicates, with its
/// standard error and 95% interval (normal approximation: mean ± 1.96·se).
public struct PairedDifference: Sendable, Hashable {
    public var mean: Double
    public var stderr: Double
    public var low: Double { mean - Proportion.z95 * stderr }
    public var high: Double { mean + Proportion.z95 * stderr }

    /// From the exact sums of per-replicate differences.
    init(_ sums: MomentSums) {
        mean = sums.mean
        stderr = sums.count > 1 ? (sums.variance / Double(sums.count)).squareRoot() : 0
    }

    /// A difference of 0/1 indicators from its counts: `gained` replicates
    /// where the difference is +1, `lost` where it is −1, of `n`.
    init(gained: Int, lost: Int, of n: Int) {
        let count = Double(n)
        mean = Double(gained - lost) / count
        // Σd² = gained + lost; Σ(d − d̄)² = Σd² − n·d̄².
        let squares = max(0, Double(gained + lost) - count * mean * mean)
        stderr = n > 1 ? (squares / (count - 1) / count).squareRoot() : 0
    }
}

/// One metric in one year: the paired difference from the base and the share
/// of replicates in which the alternative did better.
public struct MetricDifference: Sendable, Hashable {
    public var year: Int
    public var difference: PairedDifference
    /// Share of replicates strictly better than the base in the metric's
    /// direction (``Metric/higherIsBetter``); 0 for an alternative identical to the base.
    public var probabilityBetter: Double
}

/// A target's probability under the alternative and its paired difference from the base.
public struct TargetDifference: Sendable, Hashable {
    public var target: Target
    public var probability: Proportion
    public var baseProbability: Proportion
    /// Paired difference of the per-replicate indicators "target met".
    public var difference: PairedDifference
}

/// Extra final-year spending per extra unit of outcome, as a ratio of mean
/// paired differences with a delta-method 95% interval; nil where the
/// outcome does not change on average (the ratio is then undefined).
public struct CostEffectiveness: Sendable, Hashable {
    public struct Ratio: Sendable, Hashable {
        public var estimate: Double
        public var low: Double
        public var high: Double
    }
    /// Extra spendTotal (yuan) per extra staffed township station.
    public var perStaffedStation: Ratio?
    /// Extra spendTotal (yuan) per extra certified worker.
    public var perCertifiedWorker: Ratio?
    /// The paired differences the ratios divide: final-year spendTotal (yuan),
    /// staffed township stations and certified workers; their signs give the
    /// quadrant (``CostQuadrant``) the ratio alone cannot.
    public var spending: PairedDifference
    public var staffedStations: PairedDifference
    public var certifiedWorkers: PairedDifference

    /// Ratio of mean cost to mean effect difference, with a delta-method
    /// interval: Var(R̂) ≈ Var(c − R·e) / (n · ē²).
    static func ratio(count: Int, cost: ExactSum, effect: ExactSum, costSquares: ExactSum, effectSquares: ExactSum, product: ExactSum) -> Ratio? {
        let n = Double(count)
        let meanCost = cost.value / n, meanEffect = effect.value / n
        guard abs(meanEffect) > 1e-9 else { return nil }
        let r = meanCost / meanEffect
        // Σ(c − r·e − (c̄ − r·ē))² = Σc² − 2rΣce + r²Σe² − n(c̄ − rē)².
        let centred = meanCost - r * meanEffect
        let squares = max(0, costSquares.value - 2 * r * product.value + r * r * effectSquares.value - n * centred * centred)
        let se = count > 1 ? (squares / (n - 1) / n).squareRoot() / abs(meanEffect) : 0
        return Ratio(estimate: r, low: r - Proportion.z95 * se, high: r + Proportion.z95 * se)
    }

    public init(perStaffedStation: Ratio?, perCertifiedWorker: Ratio?, spending: PairedDifference, staffedStations: PairedDifference,
                certifiedWorkers: PairedDifference) {
        self.perStaffedStation = perStaffedStation
        self.perCertifiedWorker = perCertifiedWorker
        self.spending = spending
        self.staffedStations = staffedStations
        self.certifiedWorkers = certifiedWorkers
    }

    init(_ moments: CrossMoments) {
        perStaffedStation = CostEffectiveness.ratio(count: moments.count, cost: moments.c, effect: moments.e1, costSquares: moments.cc,
                                                    effectSquares: moments.e1e1, product: moments.ce1)
        perCertifiedWorker = CostEffectiveness.ratio(count: moments.count, cost: moments.c, effect: moments.e2, costSquares: moments.cc,
                                                     effectSquares: moments.e2e2, product: moments.ce2)
        func difference(_ sum: ExactSum, _ squares: ExactSum) -> PairedDifference {
            var sums = MomentSums()
            sums.count = moments.count
            sums.sum = sum
            sums.squares = squares
            return PairedDifference(sums)
        }
        spending = difference(moments.c, moments.cc)
        staffedStations = difference(moments.e1, moments.e1e1)
        certifiedWorkers = difference(moments.e2, moments.e2e2)
    }
}

/// An alternative compared with the base, replicate by replicate (common
/// random numbers: replicate r of both drew from the same streams).
public struct AlternativeComparison: Sendable, Equatable {
    public var name: String
    public var summary: RunSummary
    public var differences: [Metric: [MetricDifference]]
    public var targets: [TargetDifference]
    public var costEffectiveness: CostEffectiveness

    /// From the accumulated state of the alternative and its pairing with the base.
    init(name: String, scenario: Scenario, base: Scenario, seed: UInt64, state: VariantAccumulator, pair: PairedAccumulator,
         baseState: VariantAccumulator, targets: [Target]) {
        self.name = name
        summary = RunSummary(scenario: scenario, seed: seed, state: state, targets: targets)
        let years = base.calendarYears
        let n = state.replicates
        var differences: [Metric: [MetricDifference]] = [:]
        for metric in Metric.allCases {
            differences[metric] = years.indices.map { y in
                let i = metric.rawValue * base.years + y
                return MetricDifference(year: years[y], difference: PairedDifference(pair.differences[i]),
                                        probabilityBetter: Double(pair.better[i]) / Double(n))
            }
        }
        self.differences = differences
        self.targets = targets.enumerated().map { t, target in
            TargetDifference(target: target,
                             probability: Proportion(successes: state.targetSuccesses[t], trials: n),
                             baseProbability: Proportion(successes: baseState.targetSuccesses[t], trials: n),
                             difference: PairedDifference(gained: pair.gained[t], lost: pair.lost[t], of: n))
        }
        costEffectiveness = CostEffectiveness(pair.cost)
    }
}
