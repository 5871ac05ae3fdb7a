/// An observed value of a metric inside the horizon (`history` in the
/// scenario; docs/model.md, "Calibrating to history"). Calibration measures
/// how far a simulated replicate lies from these points; reports draw them on
/// the fan charts.
public struct HistoryPoint: Sendable, Hashable {
    public var metric: Metric
    public var year: Int
    public var value: Double
    /// Index into ``Scenario/districts`` when the point is one district's coverage.
    public var district: Int?
    /// The observation's uncertainty, in the metric's unit: as given, else
    /// ``HistoryPoint/defaultSD(value:metric:)``.
    public var sd: Double
    /// Whether `sd` was given in the file (reports say "default" otherwise).
    public var sdGiven: Bool

    /// Default uncertainty: 5% of the value, at least 0.01 for a share and 1
    /// for any other unit (one person, unit or yuan), so that a point of 0 is
    /// still a finite yardstick.
    public static func defaultSD(value: Double, metric: Metric) -> Double {
        Swift.max(0.05 * value, metric.unit == "share" ? 0.01 : 1)
    }
}

/// Checks and types the `history` field (structure is the schema's: see
/// ``ScenarioSchema``).
enum HistorySyntax {
    /// Rules beyond the schema, like those of targets: the year within the
    /// horizon, a share within [0, 1], a known district with a coverage
    /// metric, `sd` above 0, each point given once.
    static func issues(_ document: JSONNode, isValid: (String) -> Bool, districtNames names: [String: Int]?,
                       horizon: (first: Int, last: Int)?, suggestions: Suggestions) -> [ScenarioIssue] {
        var issues: [ScenarioIssue] = []
        var seen: Set<[String]> = []
        var sortedNames: [String]?
        for (i, point) in (document["history"]?.elements ?? []).enumerated() {
            let path = JSONPath().field("history").index(i)
            guard isValid(path.text) else { continue }
            let metricName = point["metric"]?.string ?? ""
            if let horizon, let year = point["year"]?.number, !(Double(horizon.first)...Double(horizon.last)).contains(year) {
                issues.append(ScenarioIssue(path: path.field("year").text, location: point["year"]?.location,
                                            expected: "a year of the horizon \(horizon.first)–\(horizon.last)", found: jsonNumber(year)))
            }
            if let metric = Metric(name: metricName), metric.unit == "share", let node = point["value"], let value = node.number, value > 1 {
                issues.append(ScenarioIssue(path: path.field("value").text, location: node.location,
                                            expected: "a share from 0 to 1 for \(metric.name)", found: node.summary,
                                            hint: value <= 100 ? "did you mean \(jsonNumber(value / 100)) (\(jsonNumber(value))%)?" : nil))
            }
            if let node = point["sd"], let sd = node.number, !(sd > 0) {
                issues.append(ScenarioIssue(path: path.field("sd").text, location: node.location,
                                            expected: "an uncertainty above 0 (leave sd out for the default, 5% of the value)", found: node.summary))
            }
            if let district = point["district"], let names {
                let name = district.string ?? ""
                if names[name] == nil {
                    if sortedNames == nil { sortedNames = names.keys.sorted() }
                    issues.append(ScenarioIssue(path: path.field("district").text, location: district.location,
                                                expected: "a district of this scenario", found: "\"\(quoted: name)\"",
                                                hint: suggestions.nearest(name, in: sortedNames ?? []).first.map { "did you mean \"\($0)\"?" }))
                }
                if !Metric.districtMetrics.map(\.name).contains(metricName) {
                    issues.append(ScenarioIssue(path: path.field("metric").text, location: point["metric"]?.location,
                                                expected: "townshipCoverage or communityCoverage for a district history point", found: "\"\(quoted: metricName)\""))
                }
            }
            let key = [metricName, jsonNumber(point["year"]?.number ?? 0), point["district"]?.string ?? ""]
            if !seen.insert(key).inserted {
                issues.append(ScenarioIssue(path: path.text, location: point.location,
                                            expected: "each metric, year and district observed once", found: "\(metricName) \(key[1])\(key[2].isEmpty ? "" : " \(key[2])") again"))
            }
        }
        return issues
    }

    /// The typed points of a valid document.
    static func points(_ document: JSONNode, districtNames names: [String]) -> [HistoryPoint] {
        (document["history"]?.elements ?? []).map { point in
            let metric = Metric(name: point["metric"]?.string ?? "") ?? .certified
            let value = point["value"]?.number ?? 0
            let sd = point["sd"]?.number
            return HistoryPoint(metric: metric, year: Int(point["year"]?.number ?? 0), value: value,
                                district: point["district"]?.string.flatMap { names.firstIndex(of: $0) },
                                sd: sd ?? HistoryPoint.defaultSD(value: value, metric: metric), sdGiven: sd != nil)
        }
    }
}
