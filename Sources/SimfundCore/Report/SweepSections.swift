import Foundation

/// The sections of a sweep report: the outcome against the swept value
/// (lines with 95% bands for one path, heat maps for two), then the table.
extension HTMLReport {
    /// The base scenario's value at a dotted path (array elements by index or by `name`), when it is a number.
    func baseValue(_ path: String) -> Double? {
        var node = scenario
        for component in path.split(separator: ".").map(String.init) {
            guard let current = node else { return nil }
            if let elements = current.elements {
                node = Int(component).flatMap { elements.indices.contains($0) ? elements[$0] : nil }
                    ?? elements.first { $0["name"]?.string == component }
            } else {
                node = current[component]
            }
        }
        return node?.number
    }

    /// A swept value as its unit reads (shares as percentages).
    func sweptValueText(_ value: Double, path: String) -> String {
        inputNumber(value, unit: schemaUnit(path))
    }

    static let sweepMetrics: [Metric] = [.townshipCoverage, .certified, .spendTotal]

    func sweepOutcomeSection(_ sweep: SweepResult) -> String {
        var out = "<section id=\"sweep-outcome\"><h2>" + t("Outcome against the swept value", "结果随扫描取值的变化") + "</h2>"
        let points = sweep.comparison.alternatives
        if sweep.paths.count == 1 {
            let path = sweep.paths[0]
            let order = points.indices.sorted { sweep.values[$0][0] < sweep.values[$1][0] }
            let xs = order.map { sweep.values[$0][0] }
            // The base's value is marked when it lies within the swept range.
            var marker: (x: Double, label: String)?
            if let value = baseValue(path), let low = xs.first, let high = xs.last, low <= value, value <= high { marker = (value, labels.word("base", "基准")) }
            let xTitle = path + schemaUnitSuffix(path)
            out += "<p class=\"note\">" + t("Bands are 95% intervals: Wilson intervals for the probabilities, paired intervals for the differences from the base."
                                             + (marker != nil ? " The dashed line marks the base's value." : ""),
                                             "阴影为95%区间: 概率为 Wilson 区间, 与基准之差为配对区间。" + (marker != nil ? "虚线为基准取值。" : "")) + "</p><div class=\"grid\">"
            if !base.targets.isEmpty {
                let series = base.targets.enumerated().map { k, outcome in
                    (name: "\(k + 1). " + targetWords(outcome.target), colour: runColour(k),
                     values: order.map { i in
                         let p = points[i].summary.targets[k].probability
                         return Interval(mean: p.estimate, low: p.low, high: p.high)
                     })
                }
                out += intervalChart(id: "sweep-targets", title: t("Probability of each target", "各目标的达成概率"), xValues: xs, xTitle: xTitle,
                                     xLabel: { self.sweptValueText($0, path: path) }, series: series,
                                     axis: .share(labels.word("probability", "达成概率"), values: [1], language: language, zoom: false), bands: true,
                                     marker: marker, legendNote: "")
            }
            for metric in HTMLReport.sweepMetrics {
                let values = order.compactMap { points[$0].differences[metric]?[finalIndex].difference }
                let intervals = values.map { Interval(mean: $0.mean, low: $0.low, high: $0.high) }
                out += intervalChart(id: "sweep-\(metric.name)", title: t("\(labels.metric(metric).capitalizedFirst) in \(finalYear): difference from the base",
                                                                           "\(finalYear)年\(labels.metric(metric)): 与基准之差"),
                                     xValues: xs, xTitle: xTitle, xLabel: { self.sweptValueText($0, path: path) },
                                     series: [(name: t("mean difference", "平均差值"), colour: palette[0], values: intervals)],
                                     axis: differenceAxis(metric, values: intervals.flatMap { [$0.low, $0.high] }), bands: true, marker: marker,
                                     legendNote: t("band: 95% interval", "阴影: 95%区间"))
            }
            out += "</div>"
        } else {
            out += sweepHeatMaps(sweep)
        }
        return out + "</section>"
    }

    /// Heat maps for two swept paths: one grid per target and key metric, the first path across, the second down.
    func sweepHeatMaps(_ sweep: SweepResult) -> String {
        let points = sweep.comparison.alternatives
        let across = Array(Set(sweep.values.map { $0[0] })).sorted(), down = Array(Set(sweep.values.map { $0[1] })).sorted()
        var index: [[Int?]] = Array(repeating: Array(repeating: nil, count: across.count), count: down.count)
        for (i, point) in sweep.values.enumerated() {
            if let a = across.firstIndex(of: point[0]), let d = down.firstIndex(of: point[1]) { index[d][a] = i }
        }
        // At most 12 values across per table, so that a grid fits an A4 page; wider grids continue below.
        let columnsPerTable = 12
        func grid(id: String, title: String, value: (Int) -> Double, text: (Double) -> String, shade: (Double) -> Double) -> String {
            var out = "<figure class=\"heatmap\"><figcaption>\(escapeXML(title))</figcaption>"
            for (part, start) in stride(from: 0, to: across.count, by: columnsPerTable).enumerated() {
                let columns = start..<min(start + columnsPerTable, across.count)
                out += "<div class=\"wide\"><table id=\"\(part == 0 ? id : "\(id)-\(part + 1)")\" class=\"heat\"><tr>"
                    + "<th class=\"name\">\(escapeXML(sweep.paths[1] + schemaUnitSuffix(sweep.paths[1]))) ↓ \(escapeXML(sweep.paths[0] + schemaUnitSuffix(sweep.paths[0]))) →</th>"
                    + columns.map { "<th>\(escapeXML(sweptValueText(across[$0], path: sweep.paths[0])))</th>" }.joined() + "</tr>"
                for (d, row) in index.enumerated() {
                    out += "<tr><th>\(escapeXML(sweptValueText(down[d], path: sweep.paths[1])))</th>"
                    for cell in row[columns] {
                        guard let i = cell else { out += "<td>–</td>"; continue }
                        let colour = HTMLReport.heatColour(shade(value(i)))
                        out += "<td style=\"background:\(colour.background);color:\(colour.text)\">\(escapeXML(text(value(i))))</td>"
                    }
                    out += "</tr>"
                }
                out += "</table></div>"
            }
            return out + "</figure>"
        }
        var out = "<p class=\"note\">" + t("Darker is better. Probabilities of the targets; paired differences from the base in \(finalYear) (means; the sweep table gives their intervals).",
                                            "颜色越深越好。各目标的达成概率; \(finalYear)年与基准的配对差 (均值; 区间见扫描表)。") + "</p><div class=\"grid\">"
        for (k, outcome) in base.targets.enumerated() {
            out += grid(id: "heatmap-target-\(k + 1)", title: "\(k + 1). " + targetWords(outcome.target),
                        value: { points[$0].summary.targets[k].probability.estimate }, text: percent, shade: { $0 })
        }
        for metric in HTMLReport.sweepMetrics {
            let values = points.compactMap { $0.differences[metric]?[finalIndex].difference.mean }
            let lo = values.min() ?? 0, hi = values.max() ?? 0
            let format = ColumnFormat(metric: metric, values: values, difference: true, language: language)
            let unit = format.unit.map { " (\($0))" } ?? ""
            // Darker is better: more coverage or people, less spending.
            out += grid(id: "heatmap-\(metric.name)", title: t("\(labels.metric(metric).capitalizedFirst) in \(finalYear), difference from the base\(unit)",
                                                              "\(finalYear)年\(labels.metric(metric)), 与基准之差\(unit)"),
                        value: { points[$0].differences[metric]?[self.finalIndex].difference.mean ?? 0 }, text: format.format,
                        shade: { hi > lo ? (metric.higherIsBetter ? ($0 - lo) / (hi - lo) : (hi - $0) / (hi - lo)) : 0.5 })
        }
        return out + "</div>"
    }

    /// One row per grid point (and the base), one column per swept path, target and key difference: fits a page.
    func sweepTableSection(_ sweep: SweepResult) -> String {
        let points = sweep.comparison.alternatives
        let rank = Dictionary(sweep.comparison.ranking.enumerated().map { ($1.name, $0 + 1) }, uniquingKeysWith: { a, _ in a })
        let metrics: [Metric] = [.townshipCoverage, .spendTotal]
        let formats = metrics.map { metric in
            ColumnFormat(metric: metric, values: points.compactMap { $0.differences[metric]?[finalIndex].difference }.flatMap { [$0.mean, $0.low, $0.high] },
                         difference: true, language: language)
        }
        var out = "<h2 id=\"sweep-table\">" + t("Every point of the sweep", "扫描各点") + "</h2><div class=\"wide\"><table><tr>"
        out += sweep.paths.map { "<th class=\"name\"><code>\(escapeXML($0))</code></th>" }.joined() + "<th>\(labels.word("rank", "排名"))</th>"
        out += base.targets.indices.map { "<th class=\"num\">P(\($0 + 1))</th>" }.joined()
        out += zip(metrics, formats).map { "<th>Δ \(escapeXML(labels.metric($0.0))) \(finalYear)\(escapeXML($0.1.unit.map { " (\($0))" } ?? ""))<br/>[95%]</th>" }.joined() + "</tr>"
        // A point at the base's own values is the base: listed once, marked as such.
        let baseValues = sweep.paths.map(baseValue)
        let baseAsPoint = sweep.values.firstIndex { point in zip(point, baseValues).allSatisfy { $1 == $0 } } ?? sweep.comparison.baseTwin
        if baseAsPoint == nil {
            out += "<tr>" + sweep.paths.enumerated().map { i, path in
                let value = baseValues[i].map { sweptValueText($0, path: path) } ?? ""
                return "<td class=\"name\">" + (i == 0 ? "<b>\(escapeXML(baseLabel))</b> " : "") + escapeXML(value) + "</td>"
            }.joined()
            out += "<td>\(rank[sweep.comparison.baseName].map(String.init) ?? "–")</td>"
            out += base.targets.map { "<td class=\"\(HTMLReport.likelihood($0.probability.estimate).cls)\">\(percent($0.probability.estimate))</td>" }.joined()
            out += metrics.map { _ in "<td>–</td>" }.joined() + "</tr>"
        }
        for (i, point) in points.enumerated() {
            let isBase = i == baseAsPoint
            out += "<tr>" + zip(sweep.paths, sweep.values[i]).enumerated().map { j, pair in
                "<td class=\"name\">\(escapeXML(sweptValueText(pair.1, path: pair.0)))" + (isBase && j == 0 ? " <b>(\(escapeXML(baseLabel)))</b>" : "") + "</td>"
            }.joined()
            out += "<td>\(rank[point.name].map(String.init) ?? "–")</td>"
            out += point.summary.targets.map { "<td class=\"\(HTMLReport.likelihood($0.probability.estimate).cls)\">\(percent($0.probability.estimate))</td>" }.joined()
            for (metric, format) in zip(metrics, formats) {
                let d = point.differences[metric]?[finalIndex].difference
                out += "<td>\(d.map { escapeXML(format.interval($0.mean, low: $0.low, high: $0.high)) } ?? "–")</td>"
            }
            out += "</tr>"
        }
        out += "</table></div><p class=\"note\">" + t("P(k): probability of target k, listed below. Δ: paired difference from the base with its 95% interval.",
                                                     "P(k): 目标 k 的达成概率 (见下)。Δ: 与基准的配对差及其95%区间。") + "</p><ol class=\"note\">"
            + base.targets.map { "<li>\(escapeXML(targetWords($0.target)))</li>" }.joined() + "</ol>"
        return out
    }
}
