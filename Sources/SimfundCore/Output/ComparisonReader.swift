import Foundation

/// A sweep: the base and one compared alternative per grid point, with the
/// swept values; written as sweep.json, read back by ``init(sweepJSON:file:)``.
public struct SweepResult: Sendable, Equatable {
    /// The comparison of every grid point with the base; point i is `comparison.alternatives[i]`.
    public var comparison: ComparisonReport
    /// The swept dotted paths, one or two.
    public var paths: [String]
    /// Per grid point, the value of each path.
    public var values: [[Double]]

    public init(comparison: ComparisonReport, paths: [String], values: [[Double]]) {
        precondition(values.count == comparison.alternatives.count && values.allSatisfy { $0.count == paths.count })
        self.comparison = comparison
        self.paths = paths
        self.values = values
    }
}

extension ComparisonReport: Equatable {
    public static func == (a: ComparisonReport, b: ComparisonReport) -> Bool {
        a.baseName == b.baseName && a.base == b.base && a.alternatives == b.alternatives && a.rankKey == b.rankKey
            && a.ranking.map(\.name) == b.ranking.map(\.name) && a.ranking.map(\.value) == b.ranking.map(\.value)
            && a.valueOfInformation == b.valueOfInformation && a.sequential == b.sequential
    }
}

extension ComparisonReport {
    /// Reads compare.json: the inverse of ``compareJSON()``.
    public init(compareJSON text: String, file: String = "compare.json") throws(OutputReadError) {
        let document = try OutputField.document(text, file: file)
        let baseName = try document.member("baseName").string()
        let base = try RunSummary(reading: try document.member("base"))
        var alternatives: [AlternativeComparison] = []
        for entry in try document.member("alternatives").elements() {
            alternatives.append(try AlternativeComparison(reading: entry, base: base))
        }
        try self.init(reading: document, baseName: baseName, base: base, alternatives: alternatives)
        try readDecisions(document)
    }

    /// The ranking fields (`rankBy`, `ranking`) of compare.json or sweep.json.
    init(reading document: OutputField, baseName: String, base: RunSummary, alternatives: [AlternativeComparison]) throws(OutputReadError) {
        let rankField = try document.member("rankBy")
        let parts = try rankField.string().split(separator: "@").map(String.init)
        guard parts.count == 2, let metric = Metric(name: parts[0]), let year = Int(parts[1]), base.years.contains(year) else {
            throw rankField.failure("METRIC@YEAR with a metric name and a year of the horizon")
        }
        let target = base.targets.map(\.target).first { $0.metric == metric && $0.year == year && $0.district == nil }
        // Each run once: names may repeat (a file compared with itself), so they are counted.
        var names: [String: Int] = [:]
        for name in [baseName] + alternatives.map(\.name) { names[name, default: 0] += 1 }
        var ranking: [(name: String, value: Double)] = []
        for (i, entry) in try document.member("ranking").elements(count: (alternatives.count + 1, "the base and every alternative")).enumerated() {
            let rank = try entry.member("rank")
            if try rank.integer(in: 1...Int(Int32.max)) != i + 1 { throw rank.inconsistency("expected \(i + 1) (ranks follow the order), found \(rank.node.summary)") }
            let nameField = try entry.member("name")
            let name = try nameField.string()
            guard let left = names[name], left > 0 else { throw nameField.failure("the base's or an alternative's name, once for each run") }
            names[name] = left - 1
            ranking.append((name, try entry.member("value").number()))
        }
        self.init(baseName: baseName, base: base, alternatives: alternatives, rankKey: RankKey(metric: metric, year: year, target: target), ranking: ranking)
    }
}

extension SweepResult {
    /// Reads sweep.json: the inverse of ``json()``.
    public init(sweepJSON text: String, file: String = "sweep.json") throws(OutputReadError) {
        let document = try OutputField.document(text, file: file)
        let baseName = try document.member("baseName").string()
        let base = try RunSummary(reading: try document.member("base"))
        var paths: [String] = []
        let pathsField = try document.member("paths")
        for path in try pathsField.elements() { paths.append(try path.string()) }
        guard !paths.isEmpty, Set(paths).count == paths.count else { throw pathsField.failure("one or more distinct paths") }
        var alternatives: [AlternativeComparison] = []
        var values: [[Double]] = []
        for entry in try document.member("points").elements() {
            let valuesField = try entry.member("values")
            let members = try valuesField.members()
            guard members.map(\.key) == paths else { throw valuesField.failure("one value for each of the paths \(paths.joined(separator: ", ")), in that order") }
            var point: [Double] = []
            for member in members { point.append(try member.field.number()) }
            values.append(point)
            alternatives.append(try AlternativeComparison(reading: entry, base: base))
        }
        let comparison = try ComparisonReport(reading: document, baseName: baseName, base: base, alternatives: alternatives)
        self.init(comparison: comparison, paths: paths, values: values)
    }

    /// sweep.json: the base summary, one entry per grid point with its swept values, and the ranking.
    public func json() -> String {
        JSONOutput.object([
            ("baseName", .string(comparison.baseName)),
            ("base", comparison.base.jsonValue()),
            ("paths", .array(paths.map { .string($0) })),
            ("points", .array(zip(comparison.alternatives, values).map { alternative, point in
                alternative.jsonValue(extra: [("values", .object(zip(paths, point).map { ($0, .number($1)) }))])
            })),
        ] + comparison.rankingFields()).render() + "\n"
    }
}

extension PairedDifference {
    init(mean: Double, stderr: Double) {
        self.mean = mean
        self.stderr = stderr
    }

    /// `mean`, `stderr` (derived from the interval when absent), `low` and `high` (checked against mean ± 1.96·stderr).
    init(reading field: OutputField, mean key: String = "mean") throws(OutputReadError) {
        let mean = try field.member(key).number()
        let lowField = try field.member("low"), highField = try field.member("high")
        let low = try lowField.number(), high = try highField.number()
        var stderr = (high - low) / (2 * Proportion.z95)
        if let stderrField = try field.optionalMember("stderr") {
            stderr = try stderrField.number(in: 0...OutputField.largestMagnitude, meaning: "a standard error of at least 0")
        }
        self.init(mean: mean, stderr: stderr)
        if !agrees(low, self.low) { throw lowField.inconsistency("expected mean − 1.96·stderr = \(jsonNumber(self.low)), found \(jsonNumber(low))") }
        if !agrees(high, self.high) { throw highField.inconsistency("expected mean + 1.96·stderr = \(jsonNumber(self.high)), found \(jsonNumber(high))") }
    }
}

extension CostEffectiveness {
    /// Every stored field, as read from a file.
    init(readPerStaffedStation perStation: Ratio?, perCertifiedWorker perWorker: Ratio?, spending: PairedDifference,
         staffedStations: PairedDifference, certifiedWorkers: PairedDifference) {
        perStaffedStation = perStation
        perCertifiedWorker = perWorker
        self.spending = spending
        self.staffedStations = staffedStations
        self.certifiedWorkers = certifiedWorkers
    }
}

extension CostEffectiveness.Ratio {
    init(reading field: OutputField) throws(OutputReadError) {
        let estimate = try field.member("estimate").number(), low = try field.member("low").number(), high = try field.member("high").number()
        guard low <= estimate || agrees(low, estimate) else { throw try field.member("low").inconsistency("expected at most the estimate \(jsonNumber(estimate)), found \(jsonNumber(low))") }
        guard high >= estimate || agrees(high, estimate) else { throw try field.member("high").inconsistency("expected at least the estimate \(jsonNumber(estimate)), found \(jsonNumber(high))") }
        self.init(estimate: estimate, low: low, high: high)
    }
}

extension AlternativeComparison {
    /// One entry of compare.json's `alternatives` (or sweep.json's `points`), checked against the base.
    init(reading field: OutputField, base: RunSummary) throws(OutputReadError) {
        let name = try field.member("name").string()
        let summaryField = try field.member("summary")
        let summary = try RunSummary(reading: summaryField)
        if summary.years != base.years { throw try summaryField.member("years").failure("the base's years \(base.years[0])–\(base.years[base.years.count - 1])") }
        if summary.replicates != base.replicates { throw try summaryField.member("replicates").failure("the base's \(base.replicates) replicates") }
        if summary.seed != base.seed { throw try summaryField.member("seed").failure("the base's seed \(base.seed)") }
        if summary.districts.map(\.name) != base.districts.map(\.name) {
            throw try summaryField.member("districts").inconsistency("expected the base's districts in the base's order (a paired comparison keeps them)")
        }
        if summary.targets.map(\.target) != base.targets.map(\.target) {
            throw try summaryField.member("targets").inconsistency("expected the base's targets in the base's order")
        }
        let horizon = (base.years.count, "one per year \(base.years[0])–\(base.years[base.years.count - 1])")

        var differences: [Metric: [MetricDifference]] = [:]
        let differencesField = try field.member("differences")
        for (key, series) in try differencesField.members() {
            guard let metric = Metric(name: key) else { throw series.inconsistency("\"\(key)\" is not a metric") }
            var entries: [MetricDifference] = []
            for entry in try series.elements(count: horizon) {
                try entry.expectYear(base.years[entries.count])
                entries.append(MetricDifference(year: base.years[entries.count], difference: try PairedDifference(reading: entry),
                                                probabilityBetter: try entry.member("probabilityBetter").share()))
            }
            differences[metric] = entries
        }
        for metric in Metric.allCases where differences[metric] == nil { _ = try differencesField.member(metric.name) }

        var targets: [TargetDifference] = []
        let targetsField = try field.member("targets")
        for entry in try targetsField.elements(count: (base.targets.count, "one per target of the base")) {
            let i = targets.count
            let target = try Target(reading: entry, years: base.years, districtNames: base.districts.map(\.name))
            if target != base.targets[i].target { throw entry.inconsistency("expected the base's target \(i + 1) (\(base.targets[i].target.label(districtNames: base.districts.map(\.name))))") }
            let probability = try Proportion(reading: entry, estimate: "probability", trials: base.replicates, interval: false)
            if probability != summary.targets[i].probability {
                throw try entry.member("probability").inconsistency("expected the alternative summary's \(jsonNumber(summary.targets[i].probability.estimate))")
            }
            let baseProbability = try Proportion(reading: entry, estimate: "baseProbability", trials: base.replicates, interval: false)
            if baseProbability != base.targets[i].probability {
                throw try entry.member("baseProbability").inconsistency("expected the base's \(jsonNumber(base.targets[i].probability.estimate))")
            }
            targets.append(TargetDifference(target: target, probability: probability, baseProbability: baseProbability,
                                            difference: try PairedDifference(reading: entry, mean: "difference")))
        }

        let cost = try field.member("costEffectiveness")
        let year = try cost.member("year")
        if try year.integer(in: 1...1_000_000) != base.years[base.years.count - 1] { throw year.failure("the final year \(base.years[base.years.count - 1])") }
        let perStation = try cost.optionalMember("extraSpendingPerStaffedStation").map { field throws(OutputReadError) in try CostEffectiveness.Ratio(reading: field) }
        let perWorker = try cost.optionalMember("extraSpendingPerCertifiedWorker").map { field throws(OutputReadError) in try CostEffectiveness.Ratio(reading: field) }
        self.init(name: name, summary: summary, differences: differences, targets: targets,
                  costEffectiveness: CostEffectiveness(readPerStaffedStation: perStation, perCertifiedWorker: perWorker,
                                                       spending: try PairedDifference(reading: try cost.member("spending")),
                                                       staffedStations: try PairedDifference(reading: try cost.member("staffedStations")),
                                                       certifiedWorkers: try PairedDifference(reading: try cost.member("certifiedWorkers"))))
    }

    /// Every stored field, as read from a file.
    init(name: String, summary: RunSummary, differences: [Metric: [MetricDifference]], targets: [TargetDifference], costEffectiveness: CostEffectiveness) {
        self.name = name
        self.summary = summary
        self.differences = differences
        self.targets = targets
        self.costEffectiveness = costEffectiveness
    }
}
