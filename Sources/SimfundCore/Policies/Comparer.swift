/// What alternatives are ranked on: a target (by its probability) or a
/// metric in a year (by its mean, in the metric's better direction).
public struct RankKey: Sendable, Hashable, CustomStringConvertible {
    public var metric: Metric
    public var year: Int
    /// The target ranked on, when `metric@year` names one.
    public var target: Target?

    public var description: String { "\(metric.name)@\(year)" }

    /// Parses `METRIC@YEAR`; nil for text of another form.
    public static func parse(_ text: String, scenario: Scenario) -> Result<RankKey, ComparisonError> {
        let parts = text.split(separator: "@").map(String.init)
        guard parts.count == 2, let metric = Metric(name: parts[0]), let year = Int(parts[1]) else {
            return .failure(ComparisonError("--rank-by: expected METRIC@YEAR such as townshipCoverage@\(scenario.startYear + scenario.years - 1), found \"\(text)\""
                + (Metric(name: parts.first ?? "") == nil ? nearestMetricHint(parts.first ?? "") : "")))
        }
        guard scenario.calendarYears.contains(year) else {
            return .failure(ComparisonError("--rank-by: expected a year of the horizon \(scenario.startYear)–\(scenario.startYear + scenario.years - 1), found \(year)"))
        }
        let target = scenario.targets.first { $0.metric == metric && $0.year == year && $0.district == nil }
        return .success(RankKey(metric: metric, year: year, target: target))
    }

    /// The first target, else final-year township coverage.
    public static func defaultKey(for scenario: Scenario) -> RankKey {
        if let target = scenario.targets.first { return RankKey(metric: target.metric, year: target.year, target: target) }
        return RankKey(metric: .townshipCoverage, year: scenario.startYear + scenario.years - 1, target: nil)
    }

    private static func nearestMetricHint(_ name: String) -> String {
        nearest(name, in: Metric.allCases.map(\.name)).first.map { "; did you mean \"\($0)\"?" } ?? ""
    }
}

/// Why runs cannot be compared (reported with exit status 2).
public struct ComparisonError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The base and every alternative, compared replicate by replicate.
public struct ComparisonReport: Sendable {
    public var baseName: String
    public var base: RunSummary
    public var alternatives: [AlternativeComparison]
    public var rankKey: RankKey
    /// Names in rank order, best first, with the value ranked on.
    public var ranking: [(name: String, value: Double)]
    /// compare --value-of-information: EVPPI of every uncertain input (Decision/ValueOfInformation.swift).
    public var valueOfInformation: [InputValueOfInformation]?
    /// compare --until decided: the sequential selection (Decision/SequentialSelection.swift).
    public var sequential: SequentialOutcome?

    /// The value ranked on for one run.
    static func rankValue(_ key: RankKey, summary: RunSummary, targets: [TargetOutcome]) -> Double {
        if let target = key.target, let outcome = targets.first(where: { $0.target == target }) {
            return outcome.probability.estimate
        }
        let y = key.year - summary.years[0]
        return summary.metrics[key.metric]![y].mean
    }
}

/// Runs a base scenario and its alternatives on the same seed and
/// replicates: common random numbers, so each difference comes from the policy.
public enum Comparer {
    /// - Parameter alternatives: named scenarios to compare with `base`.
    public static func compare(base: Scenario, baseName: String = "base", alternatives: [(name: String, scenario: Scenario)],
                               seed: UInt64, replicates: Int, threads: Int, rankKey: RankKey,
                               control: RunControl? = nil) throws(RunFailure) -> ComparisonReport {
        let plan = RunPlan(base: base, baseName: baseName, alternatives: alternatives.map { Variant(name: $0.name, scenario: $0.scenario) },
                           seed: seed, replicates: replicates)
        let state = try Runner.run(plan, threads: threads, control: control)
        return report(plan: plan, state: state, rankKey: rankKey)
    }

    /// The comparison of a plan's variants from their accumulated state
    /// (a whole run, or the merge of its parts).
    public static func report(plan: RunPlan, state: PlanState, rankKey: RankKey) -> ComparisonReport {
        let base = plan.base
        let baseState = state.variants[0]
        let baseSummary = RunSummary(scenario: base, seed: plan.seed, state: baseState, targets: plan.targets)
        let comparisons = plan.variants.indices.dropFirst().map { v in
            AlternativeComparison(name: plan.variants[v].name, scenario: plan.variants[v].scenario, base: base, seed: plan.seed,
                                  state: state.variants[v], pair: state.pairs[v - 1], baseState: baseState, targets: plan.targets)
        }
        let baseName = plan.variants[0].name
        var ranking = [(name: baseName, value: ComparisonReport.rankValue(rankKey, summary: baseSummary, targets: baseSummary.targets))]
        for comparison in comparisons {
            let outcomes = comparison.targets.map { TargetOutcome(target: $0.target, probability: $0.probability) }
            ranking.append((comparison.name, ComparisonReport.rankValue(rankKey, summary: comparison.summary, targets: outcomes)))
        }
        // Ties on the value ranked on are broken by the metric's mean, then file order.
        ranking = Ranking.order(ranking, summaries: [baseSummary] + comparisons.map(\.summary), key: rankKey)
        return ComparisonReport(baseName: baseName, base: baseSummary, alternatives: comparisons, rankKey: rankKey, ranking: ranking)
    }

    /// Checks that whole files can be compared with the first (the base):
    /// same horizon and the same districts in the same order.
    public static func checkComparable(base: Scenario, baseFile: String, other: Scenario, otherFile: String) -> ComparisonError? {
        var reasons: [String] = []
        if other.startYear != base.startYear { reasons.append("startYear is \(other.startYear), not \(base.startYear)") }
        if other.years != base.years { reasons.append("years is \(other.years), not \(base.years)") }
        let names = other.districts.map(\.name), baseNames = base.districts.map(\.name)
        if names != baseNames {
            let missing = baseNames.filter { !names.contains($0) }, extra = names.filter { !baseNames.contains($0) }
            var parts: [String] = []
            if !missing.isEmpty { parts.append("lacks \(missing.joined(separator: ", "))") }
            if !extra.isEmpty { parts.append("adds \(extra.joined(separator: ", "))") }
            if parts.isEmpty { parts.append("lists them in another order") }
            reasons.append("its districts differ (it \(parts.joined(separator: " and ")))")
        }
        guard !reasons.isEmpty else { return nil }
        return ComparisonError("\(otherFile) cannot be compared with \(baseFile): \(reasons.joined(separator: "; ")); "
            + "a paired comparison needs the same years and districts")
    }
}
