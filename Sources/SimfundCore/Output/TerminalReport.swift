import SimfundStochastics

/// The compact summary `simfund run` prints: key metrics by year as
/// median [5th, 95th percentile], then target probabilities.
public enum TerminalReport {
    static let keyMetrics: [Metric] = [.townshipCoverage, .communityCoverage, .certified, .certifiedPer10k, .subsidyPaidRatio, .spendTotal]

    /// - Parameter width: the terminal's width in cells (see ``TerminalWidth``).
    public static func render(_ summary: RunSummary, threads: Int? = nil, language: Language = .en, width: Int = 80) -> String {
        let labels = Labels(language)
        var out = hangingParagraph(summary.scenarioName, width: width, indent: 2)
        var line = labels.runLine(replicates: summary.replicates, seed: summary.seed)
            + " · \(labels.text(.generator)) \(summary.generator) (GSL \(GSLRuntime.version))"
        if let threads { line += language == .zh ? " · \(threads)个线程" : " · \(threads) thread\(threads == 1 ? "" : "s")" }
        out += hangingParagraph(line, width: width, indent: 2) + "\n\(labels.text(.medianByYear))\n"
        // Metrics as rows and years as columns, as statistical yearbooks print them.
        var rows: [[String]] = [], steady: [String] = []
        for metric in keyMetrics {
            guard let statistics = summary.metrics[metric] else { continue }
            let format = ColumnFormat(metric: metric, values: statistics.flatMap { [$0.p5, $0.p50, $0.p95] }, language: language)
            let cells = statistics.map { format.interval($0.p50, low: $0.p5, high: $0.p95) }
            let name = format.header(labels.metric(metric))
            if cells.count > 1, Set(cells).count == 1 {
                // Flat data read better as one sentence than as a row of equal cells.
                let value = statistics[0].p5 == statistics[0].p95 ? format.format(statistics[0].p50) : cells[0]
                steady.append(language == .zh ? "\(name)各年均为\(value)" : "\(name): \(value) in every year")
            } else {
                rows.append([name] + cells)
            }
        }
        let years = TextTable(header: [""] + summary.years.map(String.init), rows: rows, labels: labels)
        out += years.render(width: width)
        if !steady.isEmpty {
            out += "\n" + steady.map { hangingParagraph($0, width: width, indent: 2) }.joined()
        }
        if !summary.targets.isEmpty {
            out += "\n\(labels.text(.targetsHeading))\n"
            let names = summary.districts.map(\.name)
            let targetRows = summary.targets.map { outcome in
                let p = outcome.probability
                return [labels.target(outcome.target, districtNames: names), percentText(p.estimate), "[\(percentText(p.low)), \(percentText(p.high))]"]
            }
            var table = TextTable(header: [labels.text(.target), labels.text(.probability), labels.text(.interval95)], rows: targetRows, labels: labels)
            table.dropsConstantColumns = false
            out += table.render(width: width)
        }
        return out
    }
}
