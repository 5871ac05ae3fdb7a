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
        ] + rankingFields() + decisionFields()).render() + "\n"
    }

    /// `rankBy` and `ranking`, as compare.json and sweep.json end.
    func rankingFields() -> [(String, JSONOutput)] {
        [("rankBy", .string(rankKey.description)),
         ("ranking", .array(ranking.enumerated().map { i, entry in
             .object([("rank", .integer(Int64(i + 1))), ("name", .string(entry.name)), ("value", .number(entry.value))])
         }))]
    }

    /// - Parameter excel: start with a UTF-8 byte-order mark (see ``excelCSV(_:_:)``).
    public func compareCSV(excel: Bool = false) -> String {
        var lines = ["alternative," + ComparisonReport.csvValueColumns]
        for alternative in alternatives { lines += alternative.csvRows(prefix: [csvField(alternative.name)], base: base) }
        return excelCSV(lines.joined(separator: "\n") + "\n", excel)
    }

    /// sweep.json: see ``SweepResult/json()``.
    public func sweepJSON(paths: [String], values: [[Double]]) -> String {
        SweepResult(comparison: self, paths: paths, values: values).json()
    }

    /// sweep.csv: one row per grid point, metric and year; one column per swept path.
    public func sweepCSV(paths: [String], values: [[Double]], excel: Bool = false) -> String {
        var lines = [(paths.map(csvField) + [ComparisonReport.csvValueColumns]).joined(separator: ",")]
        for (alternative, point) in zip(alternatives, values) {
            lines += alternative.csvRows(prefix: point.map(jsonNumber), base: base)
        }
        return excelCSV(lines.joined(separator: "\n") + "\n", excel)
    }

    /// The table a planner reads first: one row per run in rank order, with
    /// final-year coverage, certified and spending (median, and the paired
    /// difference from the base with its 95% interval) and target
    /// probabilities; then cost-effectiveness in words, in rank order.
    /// A sweep point identical to the base is listed once, as that point.
    /// - Parameter width: the terminal's width in cells (see ``TerminalWidth``).
    public func terminalTable(title: String, sweptPaths: [String] = [], sweptValues: [[Double]] = [],
                              language: Language = .en, width: Int = 80) -> String {
        let labels = Labels(language)
        let zh = language == .zh
        let last = base.years.count - 1
        let finalYear = base.years[last]
        let names = base.districts.map(\.name)
        let isSweep = !sweptPaths.isEmpty
        // The default name of the base reads in the table's language.
        let baseLabel = baseName == "base" ? labels.text(.base) : baseName
        var out = hangingParagraph(title, width: width, indent: 2)
        out += hangingParagraph(labels.runLine(replicates: base.replicates, seed: base.seed)
            + (zh ? " · 与\(baseLabel)的配对差(共同随机数)" : " · paired differences from \(baseLabel) (common random numbers)"), width: width, indent: 2)
        out += hangingParagraph(labels.rankingLine(key: rankKey, districtNames: names), width: width, indent: 2) + "\n"

        // The sweep point that is the base, if any: listed once, as that point.
        let baseTwin = isSweep ? self.baseTwin : nil
        let order: [Int?] = ranking.compactMap { entry in
            guard let i = alternatives.firstIndex(where: { $0.name == entry.name }) else { return baseTwin == nil ? .some(nil) : nil }
            return .some(i)
        }
        func summary(_ i: Int?) -> RunSummary { i.map { alternatives[$0].summary } ?? base }

        var header = [labels.text(.rank)] + (isSweep ? sweptPaths : [labels.text(.alternative)])
        var columns: [[String]] = [], groups: [Int] = []
        if rankKey.target == nil {
            // The value ranked on, first.
            let values = ranking.map(\.value)
            let format = ColumnFormat(metric: rankKey.metric, values: values, language: language)
            let name = labels.metric(rankKey.metric)
            header.append(format.header(zh ? "\(rankKey.year)年\(name)均值" : "mean \(name) \(rankKey.year)"))
            columns.append(order.map { i in format.format(ComparisonReport.rankValue(rankKey, summary: summary(i), targets: summary(i).targets)) })
            groups.append(columns.count)
        }
        // Target probabilities next: they are what the decision turns on.
        for t in base.targets.indices {
            // A no-break space keeps `P(target 1)` on one line of a header.
            header.append(zh ? "目标\(t + 1)概率" : "P(target\u{A0}\(t + 1))")
            columns.append(order.map { i in percentText(i.map { alternatives[$0].targets[t].probability.estimate } ?? base.targets[t].probability.estimate) })
            groups.append(columns.count)
        }
        // Final-year median and paired difference of the key metrics, each pair kept together.
        for metric in [Metric.townshipCoverage, .certified, .spendTotal] {
            let levels = ColumnFormat(metric: metric, values: order.map { summary($0).metrics[metric]![last].p50 }, language: language)
            func difference(_ i: Int?) -> PairedDifference? {
                i == baseTwin ? nil : i.flatMap { alternatives[$0].differences[metric]?[last].difference }
            }
            let differences = order.compactMap(difference)
            let deltas = ColumnFormat(metric: metric, values: differences.flatMap { [$0.mean, $0.low, $0.high] }, difference: true, language: language)
            let name = labels.shortMetric(metric)
            header.append(levels.header(zh ? "\(name) \(finalYear)年中位数" : "median \(name) \(finalYear)"))
            header.append(deltas.header(zh ? "\(name)差值" : "Δ \(name)") + " [95%]")
            columns.append(order.map { levels.format(summary($0).metrics[metric]![last].p50) })
            columns.append(order.map { i in
                guard let d = difference(i) else { return "–" }
                return deltas.interval(d.mean, low: d.low, high: d.high)
            })
            groups += [columns.count, columns.count]
        }
        var rows: [[String]] = []
        for (rank, i) in order.enumerated() {
            var row = [String(rank + 1)]
            if isSweep {
                var values = i.map { sweptValues[$0].map(jsonNumber) } ?? sweptPaths.map { _ in baseLabel }
                if let i, i == baseTwin { values[values.count - 1] += zh ? " (基准)" : " (base)" }
                row += values
            } else {
                row.append(i.map { alternatives[$0].name } ?? baseLabel)
            }
            rows.append(row + columns.map { $0[rank] })
        }
        let keyCount = 1 + (isSweep ? sweptPaths.count : 1)
        var table = TextTable(header: header, rows: rows, keyColumns: keyCount,
                              groups: Array(0..<keyCount) + groups.map { $0 + keyCount }, labels: labels)
        table.blockTitle = { row in
            isSweep ? row[0] + ". " + zip(sweptPaths, row[1...]).map { "\($0) = \($1)" }.joined(separator: ", ") : row[0] + ". " + row[1]
        }
        out += table.render(width: width)
        if !base.targets.isEmpty {
            out += "\n" + base.targets.enumerated().map { t, outcome in
                (zh ? "目标\(t + 1)：" : "target \(t + 1): ") + labels.target(outcome.target, districtNames: names)
            }.joined(separator: "\n") + "\n"
        }
        let ranked = order.compactMap { $0 }.filter { $0 != baseTwin }
        if !ranked.isEmpty {
            out += "\n" + (zh ? "\(finalYear)年成本效果(相对于\(baseLabel)，按排名)：" : "cost-effectiveness in \(finalYear) against \(baseLabel), in rank order:") + "\n"
            for i in ranked {
                let alternative = alternatives[i]
                let name = isSweep ? zip(sweptPaths, sweptValues[i]).map { "\($0) = \(jsonNumber($1))" }.joined(separator: ", ") : alternative.name
                let sentence = labels.costEffectiveness(alternative.costEffectiveness)
                let oneLine = name + (zh ? "：" : ": ") + sentence
                // Name and sentence on one line when they fit, else the sentence indented below its name.
                out += displayWidth(oneLine) <= width ? oneLine + "\n" : name + "\n" + hangingParagraph(sentence, width: width, indent: 4, firstIndent: 4)
            }
        }
        return out
    }
}

extension ComparisonReport {
    /// The first alternative identical to the base (a sweep point at the
    /// base's own value), which a sweep lists once, in the base's place.
    public var baseTwin: Int? { alternatives.firstIndex(where: \.isIdenticalToBase) }
}

extension AlternativeComparison {
    /// Whether every paired difference is exactly 0: the same scenario as the
    /// base (a sweep point at the base's own value), replicate by replicate.
    public var isIdenticalToBase: Bool {
        differences.values.allSatisfy { $0.allSatisfy { $0.difference.mean == 0 && $0.difference.stderr == 0 } }
            && targets.allSatisfy { $0.difference.mean == 0 && $0.difference.stderr == 0 }
    }
}

/// `text` wrapped at spaces and between Chinese characters to `width` cells
/// (an interval kept whole), the first line indented by `firstIndent`, the others by `indent`.
func hangingParagraph(_ text: String, width: Int, indent: Int, firstIndent: Int = 0) -> String {
    // Chinese text has no spaces: it may break between any two characters.
    let lines = fillLines(unbreakableWords(text).flatMap { wordPieces($0, width: nil) }) { $0 == 0 ? width - firstIndent : width - indent }
    return lines.enumerated().map { String(repeating: " ", count: $0 == 0 ? firstIndent : indent) + $1 }.joined(separator: "\n") + "\n"
}

/// Words separated by spaces, an interval `[a, b]` kept as one word.
func unbreakableWords(_ text: String) -> [String] {
    var words: [String] = [], current = "", depth = 0
    for character in text {
        if character == "[" { depth += 1 }
        if character == "]" { depth = max(0, depth - 1) }
        if character == " ", depth == 0 {
            words.append(current)
            current = ""
        } else {
            current.append(character)
        }
    }
    return words + [current]
}
