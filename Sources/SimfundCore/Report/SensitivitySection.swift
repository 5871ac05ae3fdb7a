import Foundation

/// The HTML report of `simfund sensitivity`: per metric, the final year's
/// tornado and the total indices of the top inputs by year, then the table of
/// the final year's indices. Same style sheet and chart conventions as
/// ``HTMLReport``; inline SVG only.
public enum SensitivityReport {
    /// Inputs drawn in the by-year chart and in a tornado, at most.
    static let topInputs = 6

    public static func html(_ result: SensitivityResult, manifest: RunManifest, language: Language) -> String {
        let zh = language == .zh
        func t(_ en: String, _ zhText: String) -> String { zh ? zhText : en }
        let labels = Labels(language)
        var body = "<h1>\(escapeXML(result.scenarioName)) — \(t("what drives the spread", "不确定性来源"))</h1>"
        let rows: [(String, String)] = [
            (t("scenario file", "情景文件"), manifest.scenarioFile), ("SHA-256", manifest.scenarioHash),
            (t("run date (UTC)", "运行时间 (UTC)"), manifest.runDate), (t("seed", "种子"), String(result.seed)),
            (t("samples per matrix", "每个矩阵样本数"), groupedNumber(Double(result.samples), decimals: 0)),
            (t("replicates run", "运行的重复次数"), groupedNumber(Double(manifest.replicates), decimals: 0)),
            (t("bootstrap resamples", "自助法重抽样次数"), String(result.bootstrap)), ("simfund", manifest.simfund),
        ]
        var table = ""
        for i in stride(from: 0, to: rows.count, by: 2) {
            table += "<tr>" + rows[i..<min(i + 2, rows.count)].map { "<th>\(escapeXML($0.0))</th><td>\(escapeXML($0.1))</td>" }.joined() + "</tr>"
        }
        table += "<tr><th>\(t("command", "命令"))</th><td colspan=\"3\"><code>\(escapeXML(manifest.command))</code></td></tr>"
        body += "<div class=\"wide\"><table class=\"manifest\">\(table)</table></div>"
        body += "<p class=\"note\">" + t(
            "First-order index: the share of the metric's variance its input explains alone; total index: the share it takes part in, with its interactions. "
                + "Chance is all the process noise (exams, attrition, contract failures, agency entry and exit). Tornado: the metric's mean with the input held "
                + "at its 10th and 90th percentile, everything else drawn as usual (common random numbers).",
            "一阶指数: 该输入单独解释的方差份额; 总效应指数: 该输入参与的 (含交互作用) 方差份额。随机性指考试、流失、合同失败、机构进入与退出等过程噪声的全部。"
                + "龙卷风图: 将该输入固定在其第 10 与第 90 百分位, 其余照常抽样 (共同随机数) 时指标的均值。") + "</p>"
        for metric in result.metrics {
            guard let final = metric.years.last else { continue }
            let name = labels.metric(metric.metric)
            body += "<h2>\(escapeXML(name))</h2>"
            if final.reason != nil {
                body += "<p>" + t("The metric takes the same value in every sample in \(final.year): nothing to apportion.",
                                  "\(final.year) 年该指标在每个样本中取值相同, 没有可分解的方差。") + "</p>"
            }
            let ranked = final.inputs.indices.sorted { (final.inputs[$0].total ?? -1) > (final.inputs[$1].total ?? -1) }
            let top = Array(ranked.prefix(topInputs))
            body += "<div class=\"grid\">"
            body += tornado(metric.metric, final, held: result.held, order: ranked, language: language)
            if final.reason == nil { body += byYear(metric, inputs: top, language: language) }
            body += "</div>"
            var rowsHTML = ""
            let format = ColumnFormat(metric: metric.metric, values: final.inputs.flatMap { [$0.tornadoLow, $0.tornadoHigh].compactMap { $0 } } + [final.mean],
                                      language: language)
            let index = SensitivityResult.indexText
            for i in ranked {
                let input = final.inputs[i]
                let tornadoText = input.tornadoLow.flatMap { low in input.tornadoHigh.map { "\(format.format(low)) – \(format.format($0))" } } ?? "–"
                rowsHTML += "<tr><td class=\"name\"><code>\(escapeXML(input.input))</code></td><td>\(index(input.first, input.firstLow, input.firstHigh))</td>"
                    + "<td>\(index(input.total, input.totalLow, input.totalHigh))</td><td>\(escapeXML(tornadoText))</td></tr>"
            }
            body += "<h3>\(escapeXML(t("Indices in \(final.year)", "\(final.year) 年的指数")))</h3><div class=\"wide\"><table><tr><th class=\"name\">\(t("input", "输入"))</th>"
                + "<th>\(t("first-order [95%]", "一阶 [95%]"))</th><th>\(t("total [95%]", "总效应 [95%]"))</th>"
                + "<th>\(escapeXML(format.header(t("mean at p10 – p90", "p10 – p90 时的均值"))))</th></tr>\(rowsHTML)</table></div>"
        }
        body += "<footer>simfund \(escapeXML(manifest.simfund)) · " + t("docs/model.md, section “Sensitivity analysis”.", "方法见 docs/model.md “Sensitivity analysis” 一节。") + "</footer>"
        return HTMLReport.document(title: result.scenarioName + " — simfund sensitivity", body: body, zh: zh)
    }

    /// Horizontal bars from the mean at the 10th to the mean at the 90th
    /// percentile, around the metric's mean; the widest swing on top.
    static func tornado(_ metric: Metric, _ year: YearSensitivity, held: [HeldValues?], order: [Int], language: Language) -> String {
        let zh = language == .zh
        let rows = year.inputs.indices.filter { year.inputs[$0].tornadoLow != nil }
            .sorted { abs(year.inputs[$0].tornadoHigh! - year.inputs[$0].tornadoLow!) > abs(year.inputs[$1].tornadoHigh! - year.inputs[$1].tornadoLow!) }
            .prefix(topInputs * 2)
        let title = zh ? "\(Labels(language).metric(metric)), \(year.year) 年: 龙卷风图" : "\(Labels(language).metric(metric)), \(year.year): tornado"
        guard !rows.isEmpty else { return "<figure><figcaption>\(escapeXML(title))</figcaption><p class=\"note\">–</p></figure>" }
        let values = rows.flatMap { [year.inputs[$0].tornadoLow!, year.inputs[$0].tornadoHigh!] } + [year.mean]
        let axis: ValueAxis
        switch metric.unit {
        case "share": axis = ValueAxis(ticks: niceTicks(values.min()!, values.max()!, target: 4), format: { groupedNumber($0 * 100, decimals: 1) + "%" },
                                       title: Labels(language).metric(metric))
        case "yuan": axis = .money(Labels(language).metric(metric), values: values, language: language, fromZero: false)
        default: axis = .plain(Labels(language).metric(metric), values: values, fromZero: false)
        }
        let width = 620.0, left = 230.0, right = 16.0, top = 10.0, rowHeight = 24.0
        let height = top + rowHeight * Double(rows.count) + 44
        let plotWidth = width - left - right
        func x(_ v: Double) -> Double { left + plotWidth * (min(max(v, axis.low), axis.high) - axis.low) / max(axis.high - axis.low, 1e-300) }
        var svg = svgOpen("tornado-\(metric.name)", width: width, height: height, title: title)
        let bottom = top + rowHeight * Double(rows.count)
        for tick in axis.ticks {
            svg += "<line x1=\"\(f1(x(tick)))\" y1=\"\(top)\" x2=\"\(f1(x(tick)))\" y2=\"\(bottom)\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(f1(x(tick)))\" y=\"\(bottom + 14)\" text-anchor=\"middle\" class=\"tick\">\(escapeXML(axis.format(tick)))</text>"
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 4)\" text-anchor=\"middle\" class=\"unit\">\(escapeXML(axis.title))</text>"
        for (r, i) in rows.enumerated() {
            let input = year.inputs[i]
            let y = top + rowHeight * Double(r)
            let low = input.tornadoLow!, high = input.tornadoHigh!
            svg += "<text x=\"\(left - 6)\" y=\"\(f1(y + rowHeight / 2))\" dy=\"0.32em\" text-anchor=\"end\" class=\"tick\">\(escapeXML(shortened(input.input, 36)))</text>"
            // Blue: the input at its 10th percentile; orange: at its 90th.
            for (value, colour, label) in [(low, palette[0], "p10"), (high, palette[1], "p90")] {
                let x0 = min(x(value), x(year.mean)), x1 = max(x(value), x(year.mean))
                svg += "<rect x=\"\(f1(x0))\" y=\"\(f1(y + 4))\" width=\"\(f1(max(x1 - x0, 1)))\" height=\"\(f1(rowHeight - 8))\" fill=\"\(colour)\">"
                    + "<title>\(escapeXML("\(input.input) \(label): \(axis.format(value))"))</title></rect>"
            }
        }
        svg += "<line x1=\"\(f1(x(year.mean)))\" y1=\"\(top)\" x2=\"\(f1(x(year.mean)))\" y2=\"\(bottom)\" stroke=\"#000\" stroke-width=\"1.5\"/>"
        svg += "</svg>"
        let legend = "<div class=\"legend\"><span><svg width=\"14\" height=\"10\"><rect width=\"14\" height=\"10\" fill=\"\(palette[0])\"/></svg> "
            + (zh ? "输入取第 10 百分位" : "input at its 10th percentile") + "</span><span><svg width=\"14\" height=\"10\"><rect width=\"14\" height=\"10\" fill=\"\(palette[1])\"/></svg> "
            + (zh ? "输入取第 90 百分位" : "input at its 90th percentile") + "</span><span>│ " + (zh ? "均值" : "mean") + "</span></div>"
        return "<figure><figcaption>\(escapeXML(title))</figcaption>\(svg)\(legend)</figure>"
    }

    /// The total index of each of `inputs` by year (solid), with the first-order index dashed.
    static func byYear(_ metric: MetricSensitivity, inputs: [Int], language: Language) -> String {
        let zh = language == .zh
        let years = metric.years.map(\.year)
        let title = zh ? "\(Labels(language).metric(metric.metric)): 各年的总效应指数" : "\(Labels(language).metric(metric.metric)): total index by year"
        let axis = ValueAxis(ticks: niceTicks(0, 1), format: { String(format: "%.1f", $0) }, title: zh ? "指数" : "index")
        let frame = ChartFrame(years: years, axis: axis)
        var svg = svgOpen("indices-\(metric.metric.name)", width: frame.width, height: frame.height, title: title)
        svg += frame.axes(xTitle: zh ? "年份" : "year", xLabel: { String(Int($0)) })
        var legend = "<div class=\"legend\">"
        for (k, i) in inputs.enumerated() {
            let colour = runColour(k)
            // Years without variance have no index: drawn at 0 is wrong, so each series breaks there.
            let totals = metric.years.map { $0.inputs[i].total.map { min(max($0, 0), 1) } }
            let firsts = metric.years.map { $0.inputs[i].first.map { min(max($0, 0), 1) } }
            svg += segments(totals, frame: frame, colour: colour, dash: nil)
            svg += segments(firsts, frame: frame, colour: colour, dash: "4 3")
            legend += legendLine(colour: colour, dash: nil, text: metric.years.last!.inputs[i].input)
        }
        legend += "<span>" + (zh ? "实线: 总效应; 虚线: 一阶" : "solid: total; dashed: first-order") + "</span></div>"
        svg += "</svg>"
        return "<figure><figcaption>\(escapeXML(title))</figcaption>\(svg)\(legend)</figure>"
    }

    static func segments(_ values: [Double?], frame: ChartFrame, colour: String, dash: String?) -> String {
        var svg = "", run: [(Int, Double)] = []
        func flush() {
            let dashed = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
            if run.count > 1 {
                svg += "<polyline points=\"\(run.map { "\(f1(frame.x($0.0))),\(f1(frame.y($0.1)))" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashed)/>"
            }
            for (i, v) in run where dash == nil { svg += "<circle cx=\"\(f1(frame.x(i)))\" cy=\"\(f1(frame.y(v)))\" r=\"2.5\" fill=\"\(colour)\"/>" }
            run = []
        }
        for (i, value) in values.enumerated() {
            if let value { run.append((i, value)) } else { flush() }
        }
        flush()
        return svg
    }
}
