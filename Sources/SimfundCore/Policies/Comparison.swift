import Foundation

/// A paired difference (alternative − base) over replicates, with its
/// standard error and 95% interval (normal approximation: mean ± 1.96·se).
public struct PairedDifference: Sendable, Hashable {
    public var mean: Double
    public var stderr: Double
    public var low: Double { mean - Proportion.z95 * stderr }
    public var high: Double { mean + Proportion.z95 * stderr }

    /// From per-replicate differences, summed in replicate order.
    init(_ differences: some Collection<Double>) {
        let n = Double(differences.count)
        let (mean, squares) = meanAndSquares(differences)
        self.mean = mean
        stderr = n > 1 ? (squares / (n - 1) / n).squareRoot() : 0
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

    static func ratio(cost: [Double], effect: [Double]) -> Ratio? {
        let n = Double(cost.count)
        let meanCost = cost.reduce(0, +) / n
        let meanEffect = effect.reduce(0, +) / n
        guard abs(meanEffect) > 1e-9 else { return nil }
        let r = meanCost / meanEffect
        // Delta method: Var(R̂) ≈ Var(cost − R·effect) / (n · effect̄²).
        var squares = 0.0
        for (c, e) in zip(cost, effect) {
            let residual = c - r * e - (meanCost - r * meanEffect)
            squares += residual * residual
        }
        let se = n > 1 ? (squares / (n - 1) / n).squareRoot() / abs(meanEffect) : 0
        return Ratio(estimate: r, low: r - Proportion.z95 * se, high: r + Proportion.z95 * se)
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

    /// Compares two runs of the same replicates and seed.
    public init(name: String, alternative: SimulationOutput, base: SimulationOutput) {
        precondition(alternative.metrics.replicates == base.metrics.replicates && alternative.metrics.years == base.metrics.years
                     && alternative.seed == base.seed, "paired comparison needs the same replicates, years and seed")
        self.name = name
        summary = RunSummary(alternative)
        let years = base.scenario.calendarYears
        let n = base.metrics.replicates
        var differences: [Metric: [MetricDifference]] = [:]
        for metric in Metric.allCases {
            differences[metric] = years.indices.map { y in
                let a = alternative.metrics.values(metric, yearIndex: y), b = base.metrics.values(metric, yearIndex: y)
                let d = zip(a, b).map { $0 - $1 }
                let better = d.reduce(0) { $0 + ((metric.higherIsBetter ? $1 > 0 : $1 < 0) ? 1 : 0) }
                return MetricDifference(year: years[y], difference: PairedDifference(d), probabilityBetter: Double(better) / Double(n))
            }
        }
        self.differences = differences
        targets = base.scenario.targets.map { target in
            let met = AlternativeComparison.indicators(target, alternative), baseMet = AlternativeComparison.indicators(target, base)
            return TargetDifference(
                target: target,
                probability: Proportion(successes: met.reduce(0, +), trials: n),
                baseProbability: Proportion(successes: baseMet.reduce(0, +), trials: n),
                difference: PairedDifference(zip(met, baseMet).map { Double($0 - $1) }))
        }
        let last = years.count - 1
        let spend = zip(alternative.metrics.values(.spendTotal, yearIndex: last), base.metrics.values(.spendTotal, yearIndex: last)).map { $0 - $1 }
        let townships = Double(base.scenario.districts.reduce(0) { $0 + $1.townships })
        let stations = zip(alternative.metrics.values(.townshipCoverage, yearIndex: last), base.metrics.values(.townshipCoverage, yearIndex: last))
            .map { (($0 - $1) * townships).rounded() }
        let certified = zip(alternative.metrics.values(.certified, yearIndex: last), base.metrics.values(.certified, yearIndex: last)).map { $0 - $1 }
        costEffectiveness = CostEffectiveness(perStaffedStation: CostEffectiveness.ratio(cost: spend, effect: stations),
                                              perCertifiedWorker: CostEffectiveness.ratio(cost: spend, effect: certified),
                                              spending: PairedDifference(spend), staffedStations: PairedDifference(stations),
                                              certifiedWorkers: PairedDifference(certified))
    }

    /// 1 where replicate r met the target, else 0, in replicate order.
    /// District targets read the coverage the runner tracked for them replicate
    /// by replicate (histograms alone cannot be paired).
    static func indicators(_ target: Target, _ output: SimulationOutput) -> [Int] {
        let y = target.year - output.scenario.startYear
        if let d = target.district {
            let values = output.districtCoverage(target.metric, district: d, yearIndex: y)
            return values.map { target.isMet(by: $0) ? 1 : 0 }
        }
        return output.metrics.values(target.metric, yearIndex: y).map { target.isMet(by: $0) ? 1 : 0 }
    }
}
