import Foundation

extension PairedDifference {
    func jsonFields() -> [(String, JSONOutput)] {
        [("mean", .number(mean)), ("stderr", .number(stderr)), ("low", .number(low)), ("high", .number(high))]
    }
}

extension CostEffectiveness.Ratio? {
    var json: JSONOutput {
        guard let ratio = self else { return .null }
        return .object([("estimate", .number(ratio.estimate)), ("low", .number(ratio.low)), ("high", .number(ratio.high))])
    }
}

extension AlternativeComparison {
    /// `{"name", "summary", "differences", "targets", "costEffectiveness"}`,
    /// plus `extra` fields (the swept values of a sweep point).
    func jsonValue(extra: [(String, JSONOutput)] = []) -> JSONOutput {
        let names = summary.districts.map(\.name)
        return .object([("name", .string(name))] + extra + [
            ("summary", summary.jsonValue()),
            ("differences", .object(Metric.allCases.map { metric in
                (metric.name, .array((differences[metric] ?? []).map { d in
                    .object([("year", .integer(Int64(d.year)))] + d.difference.jsonFields() + [("probabilityBetter", .number(d.probabilityBetter))])
                }))
            })),
            ("targets", .array(targets.map { t in
                var fields: [(String, JSONOutput)] = [("metric", .string(t.target.metric.name)), ("year", .integer(Int64(t.target.year)))]
                switch t.target.bound {
                case let .atLeast(x): fields.append(("atLeast", .number(x)))
                case let .atMost(x): fields.append(("atMost", .number(x)))
                }
                if let d = t.target.district { fields.append(("district", .string(names[d]))) }
                return .object(fields + [("probability", .number(t.probability.estimate)), ("baseProbability", .number(t.baseProbability.estimate)),
                                         ("difference", .number(t.difference.mean)), ("stderr", .number(t.difference.stderr)), ("low", .number(t.difference.low)), ("high", .number(t.difference.high))])
            })),
            ("costEffectiveness", .object([
                ("year", .integer(Int64(summary.years.last ?? 0))),
                ("extraSpendingPerStaffedStation", costEffectiveness.perStaffedStation.json),
                ("extraSpendingPerCertifiedWorker", costEffectiveness.perCertifiedWorker.json),
                ("spending", .object(costEffectiveness.spending.jsonFields())),
                ("staffedStations", .object(costEffectiveness.staffedStations.jsonFields())),
                ("certifiedWorkers", .object(costEffectiveness.certifiedWorkers.jsonFields())),
            ])),
        ])
    }

    /// CSV rows `prefix…, metric, year, alternative mean, base mean, difference, stderr, low, high, probabilityBetter`.
    func csvRows(prefix: [String], base: RunSummary) -> [String] {
        var rows: [String] = []
        for metric in Metric.allCases {
            for (y, d) in (differences[metric] ?? []).enumerated() {
                let fields = prefix + [metric.name, String(d.year), jsonNumber(summary.metrics[metric]![y].mean), jsonNumber(base.metrics[metric]![y].mean),
                                       jsonNumber(d.difference.mean), jsonNumber(d.difference.stderr), jsonNumber(d.difference.low),
                                       jsonNumber(d.difference.high), jsonNumber(d.probabilityBetter)]
                rows.append(fields.joined(separator: ","))
            }
        }
        return rows
    }
}

extension ComparisonReport {
    static let csvValueColumns = "metric,year,mean,baseMean,difference,stderr,low,high,probabilityBetter"

    public func compareJSON() -> String {
        JSONOutput.object([
            ("baseName", .string(baseName)),
            ("base", base.jsonValue()),
            ("alternatives", .array(alternatives.map { $0.jsonValue() })),
        ] + rankingFields()).render() + "\n"
    }

    /// `rankBy` and `ranking`, as compare.json and sweep.json end.
    func rankingFields() -> [(String, JSONOutput)] {
        [("rankBy", .string(rankKey.description)),
         ("ranking", .array(ranking.enumerated().map { i, entry in
             .object([("rank", .integer(Int64(i + 1))), ("name", .string(entry.name)), ("value", .number(entry.value))])
         }))]
    }

    public func compareCSV() -> String {
        var lines = ["alternative," + ComparisonReport.csvValueColumns]
        for alternative in alternatives { lines += alternative.csvRows(prefix: [csvField(alternative.name)], base: base) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// sweep.json: see ``SweepResult/json()``.
    public func sweepJSON(paths: [String], values: [[Double]]) -> String {
        SweepResult(comparison: self, paths: paths, values: values).json()
    }

    /// sweep.csv: one row per grid point, metric and year; one column per swept path.
    public func sweepCSV(paths: [String], values: [[Double]]) -> String {
        var lines = [(paths.map(csvField) + [ComparisonReport.csvValueColumns]).joined(separator: ",")]
        for (alternative, point) in zip(alternatives, values) {
            lines += alternative.csvRows(prefix: point.map(jsonNumber), base: base)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table a planner reads first: one row per run in rank order, with
    /// final-year coverage, certified and spending (median, and the paired
    /// difference from the base with its 95% interval) and target probabilities.
    public func terminalTable(title: String, sweptPaths: [String] = [], sweptValues: [[Double]] = []) -> String {
        let last = base.years.count - 1
        let finalYear = base.years[last]
        let names = base.districts.map(\.name)
        var out = "\(title)\n\(base.replicates) replicates · seed \(base.seed) · common random numbers (paired differences from \(baseName))\n"
        out += "ranked on \(rankKey.target.map { "P(\($0.label(districtNames: names)))" } ?? "mean \(rankKey.description)")\n\n"
        let columns: [(Metric, String)] = [(.townshipCoverage, "township coverage"), (.certified, "certified"), (.spendTotal, "spending")]
        // A sweep's points are named by their swept values, shown in their own columns.
        var header = ["rank"] + (sweptPaths.isEmpty ? ["alternative"] : sweptPaths)
        for (_, label) in columns { header += ["\(label) \(finalYear)", "Δ vs \(baseName) [95%]"] }
        header += base.targets.indices.map { "P(target \($0 + 1))" }
        var rows = [header]
        for (rank, entry) in ranking.enumerated() {
            let comparison = alternatives.firstIndex { $0.name == entry.name }
            let summary = comparison.map { alternatives[$0].summary } ?? base
            var row = [String(rank + 1)]
            if sweptPaths.isEmpty {
                row.append(entry.name)
            } else {
                row += comparison.map { sweptValues[$0].map(jsonNumber) } ?? sweptPaths.map { _ in "base" }
            }
            for (metric, _) in columns {
                let isShare = metric.unit == "share"
                func show(_ x: Double) -> String { isShare ? formatPercent(x) : formatNumber(x) }
                func signed(_ x: Double) -> String { (x > 0 ? "+" : "") + (isShare ? String(format: "%.1f pts", x * 100) : formatNumber(x)) }
                row.append(show(summary.metrics[metric]![last].p50))
                if let i = comparison, let d = alternatives[i].differences[metric]?[last].difference {
                    row.append("\(signed(d.mean)) [\(signed(d.low)), \(signed(d.high))]")
                } else {
                    row.append("–")
                }
            }
            let probabilities = comparison.map { alternatives[$0].targets.map(\.probability) } ?? base.targets.map(\.probability)
            row += probabilities.map { formatPercent($0.estimate) }
            rows.append(row)
        }
        out += TerminalReport.table(rows)
        if !base.targets.isEmpty {
            out += "\n" + base.targets.enumerated().map { "target \($0 + 1): \($1.target.label(districtNames: names))" }.joined(separator: "\n") + "\n"
        }
        if !alternatives.isEmpty {
            out += "\nextra \(finalYear) spending (yuan) per extra staffed station / per extra certified worker [95%]:\n"
            var ceRows: [[String]] = []
            for alternative in alternatives {
                func show(_ r: CostEffectiveness.Ratio?) -> String {
                    r.map { "\(formatNumber($0.estimate)) [\(formatNumber($0.low)), \(formatNumber($0.high))]" } ?? "no change"
                }
                ceRows.append([alternative.name, show(alternative.costEffectiveness.perStaffedStation), show(alternative.costEffectiveness.perCertifiedWorker)])
            }
            out += TerminalReport.table(ceRows)
        }
        return out
    }
}
