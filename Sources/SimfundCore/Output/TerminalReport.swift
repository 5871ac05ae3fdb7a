import SimfundStochastics

/// The compact summary `simfund run` prints: key metrics by year as
/// median [p5–p95], then target probabilities.
public enum TerminalReport {
    static let keyMetrics: [(Metric, String)] = [
        (.townshipCoverage, "township coverage"),
        (.communityCoverage, "community coverage"),
        (.certified, "certified"),
        (.certifiedPer10k, "certified/10k"),
        (.subsidyPaidRatio, "subsidy paid"),
        (.spendTotal, "spending (yuan)"),
    ]

    public static func render(_ summary: RunSummary, threads: Int? = nil) -> String {
        var out = "\(summary.scenarioName)\n"
        out += "\(summary.replicates) replicates · seed \(summary.seed) · generator \(summary.generator) (GSL \(GSLRuntime.version))"
        if let threads { out += " · \(threads) thread\(threads == 1 ? "" : "s")" }
        out += "\n\nmedian [p5 – p95] by year\n"
        var rows: [[String]] = [["year"] + keyMetrics.map(\.1)]
        for (y, year) in summary.years.enumerated() {
            var row = [String(year)]
            for (metric, _) in keyMetrics {
                guard let stats = summary.metrics[metric]?[y] else { row.append("–"); continue }
                let isShare = metric.unit == "share"
                func show(_ x: Double) -> String { isShare ? formatPercent(x) : formatNumber(x) }
                row.append("\(show(stats.p50)) [\(show(stats.p5)) – \(show(stats.p95))]")
            }
            rows.append(row)
        }
        out += table(rows)
        if !summary.targets.isEmpty {
            out += "\ntargets: probability met [95% interval]\n"
            let names = summary.districts.map(\.name)
            var targetRows: [[String]] = [["target", "probability", "interval"]]
            for outcome in summary.targets {
                let p = outcome.probability
                targetRows.append([outcome.target.label(districtNames: names), formatPercent(p.estimate),
                                   "[\(formatPercent(p.low)) – \(formatPercent(p.high))]"])
            }
            out += table(targetRows)
        }
        return out
    }

    /// Left-aligned first column, right-aligned others, two spaces apart.
    static func table(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
