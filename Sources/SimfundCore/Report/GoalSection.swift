import Foundation

/// The report of `simfund goal`, from goal.json, manifest.json and
/// scenario.json: the answer in a sentence, the probability against the
/// lever with its 95% band, the P line and the answer marked, the curve's
/// table, the confirmation and how it was found.
struct GoalReport {
    let manifest: RunManifest
    let scenario: JSONNode?
    let goal: GoalResult
    let language: Language

    var zh: Bool { language == .zh }
    func t(_ en: String, _ zh: String) -> String { self.zh ? zh : en }

    /// The chosen targets in words (from scenario.json; by position when it cannot be read).
    var targetWords: [String] {
        let labels = Labels(language)
        let loaded = scenario.flatMap { try? ScenarioLoader.load(document: $0, fileName: "scenario.json").base }
        return goal.targets.map { position in
            guard let loaded, loaded.targets.indices.contains(position - 1) else { return t("target \(position)", "目标 \(position)") }
            return labels.target(loaded.targets[position - 1], districtNames: loaded.districts.map(\.name))
        }
    }

    func html() -> String {
        var body = "<h1>\(escapeXML(goal.scenarioName))</h1>"
        if let description = scenario?["description"]?.string { body += "<p>\(escapeXML(description))</p>" }
        body += manifestTable()
        body += goalSection()
        body += HTMLReport.regeneratedFooter(simfund: manifest.simfund, zh: zh)
        return HTMLReport.document(title: goal.scenarioName + " — simfund goal", body: body, zh: zh)
    }

    func manifestTable() -> String {
        let rows: [(String, String)] = [
            (t("scenario file", "情景文件"), manifest.scenarioFile), ("SHA-256", manifest.scenarioHash),
            (t("run date (UTC)", "运行时间 (UTC)"), manifest.runDate), (t("seed", "种子"), String(manifest.seed)),
            (t("generator", "生成器"), "\(manifest.generator) (GSL \(manifest.gsl))"),
            (t("replicates", "重复次数"), groupedNumber(Double(goal.replicates), decimals: 0)),
            (t("threads", "线程"), manifest.threads > 0 ? String(manifest.threads) : "–"), ("simfund", manifest.simfund),
        ]
        var table = ""
        for i in stride(from: 0, to: rows.count, by: 2) {
            table += "<tr>" + rows[i..<min(i + 2, rows.count)].map { row in
                "<th>\(escapeXML(row.0))</th><td>\(row.0 == "SHA-256" ? "<code>\(escapeXML(row.1))</code>" : escapeXML(row.1))</td>"
            }.joined() + "</tr>"
        }
        table += "<tr><th>\(t("command", "命令"))</th><td colspan=\"3\"><code>\(escapeXML(manifest.command))</code></td></tr>"
        return "<div class=\"wide\"><table class=\"manifest\">\(table)</table></div>"
    }

    func goalSection() -> String {
        var out = "<section id=\"goal\"><h2>" + t("How much is enough: \(goal.lever)", "多少才够: \(goal.lever)") + "</h2>"
        out += "<p><b>\(escapeXML(goal.sentence(language)))</b></p><ol class=\"note\">"
        for (position, words) in zip(goal.targets, targetWords) { out += "<li value=\"\(position)\">\(escapeXML(words))</li>" }
        out += "</ol>"
        if let source = provenance(goal.lever) {
            out += "<p class=\"note\">" + t("The lever's value in the file", "该参数在文件中的取值") + ": " + escapeXML(fileValue(goal.lever).map(goal.valueText) ?? "–")
                + " — " + escapeXML(source) + "</p>"
        }
        out += "<div class=\"grid\">\(chart())</div>"
        out += curveTable()
        out += "<p class=\"note\">" + methodNote() + "</p></section>"
        return out
    }

    /// The lever's plain value in scenario.json, when it is a number there.
    func fileValue(_ path: String) -> Double? {
        var node = scenario
        for component in path.split(separator: ".").map(String.init) {
            guard let current = node else { return nil }
            if let elements = current.elements { node = Int(component).flatMap { elements.indices.contains($0) ? elements[$0] : nil } } else { node = current[component] }
        }
        return node?.number
    }

    /// The source cited for the path (or its nearest parent) in the scenario's provenance.
    func provenance(_ path: String) -> String? {
        var candidate = path
        while true {
            if let text = scenario?["provenance"]?[candidate]?.string { return text }
            guard let dot = candidate.lastIndex(of: ".") else { return nil }
            candidate = String(candidate[..<dot])
        }
    }

    func chart() -> String {
        let xs = goal.curve.map(\.value)
        // From 0 to 100%, unless every value and band stays above 30%: then from a nice tick below them, said in the title.
        let title = t("probability met", "达成概率")
        let bottom = min(goal.curve.map(\.probability.low).min() ?? 0, goal.probability)
        var axis = ValueAxis.share(title, values: [1], language: language, zoom: false)
        if bottom > 0.3 {
            let ticks = niceTicks(bottom, 1).filter { $0 <= 1 }
            let start = groupedNumber((ticks.first ?? 0) * 100, decimals: 0)
            axis = ValueAxis(ticks: ticks, format: { groupedNumber($0 * 100, decimals: 0) + "%" },
                             title: title + t(" (scale \(start)–100%)", " (刻度 \(start)–100%)"))
        }
        var frame = ChartFrame(xValues: xs, axis: axis)
        frame.height = 300
        let caption = t("Probability against \(goal.lever)", "达成概率随 \(goal.lever) 的变化")
        var svg = svgOpen("goal-curve", width: frame.width, height: frame.height, title: caption)
        svg += frame.axes(xTitle: goal.lever, xLabel: { goal.valueText($0) }, labelWidth: 60)
        // The answer's interval as a shaded column, the answer as a solid line.
        if let answer = goal.answer {
            let low = frame.x(value: max(goal.answerLow ?? goal.low, goal.low)), high = frame.x(value: min(goal.answerHigh ?? goal.high, goal.high))
            svg += "<rect x=\"\(f1(low))\" y=\"\(f1(frame.top))\" width=\"\(f1(max(1, high - low)))\" height=\"\(f1(frame.plotHeight))\" fill=\"#E69F00\" fill-opacity=\"0.15\"/>"
            let x = f1(frame.x(value: answer))
            svg += "<line x1=\"\(x)\" y1=\"\(f1(frame.top))\" x2=\"\(x)\" y2=\"\(f1(frame.top + frame.plotHeight))\" stroke=\"#D55E00\" stroke-width=\"2\"/>"
            let anchor = frame.x(value: answer) > frame.left + frame.plotWidth * 0.75 ? "end" : "start"
            svg += "<text x=\"\(x)\" y=\"\(f1(frame.top + frame.plotHeight - 8))\" dx=\"\(anchor == "end" ? -4 : 4)\" text-anchor=\"\(anchor)\" class=\"tick\">"
                + escapeXML(t("answer ", "答案 ") + goal.valueText(answer)) + "</text>"
        }
        let band = goal.curve.map(\.probability)
        svg += frame.polygon(upper: band.map(\.high), lower: band.map(\.low), fill: palette[0], opacity: 0.2)
        svg += frame.polyline(band.map(\.estimate), stroke: palette[0])
        let y = f1(frame.y(goal.probability))
        svg += "<line x1=\"\(f1(frame.left))\" y1=\"\(y)\" x2=\"\(f1(frame.left + frame.plotWidth))\" y2=\"\(y)\" stroke=\"#333\" stroke-dasharray=\"6 3\"/>"
        svg += "<text x=\"\(f1(frame.left + 4))\" y=\"\(y)\" dy=\"-4\" class=\"tick\">P = \(escapeXML(percentText(goal.probability, decimals: 0)))</text>"
        svg += "</svg>"
        let legend = "<div class=\"legend\">" + legendLine(colour: palette[0], dash: nil, text: t("probability, with its 95% Wilson band", "达成概率及其95% Wilson 区间"))
            + legendLine(colour: "#333", dash: "6 3", text: t("the probability asked for", "要求的概率"))
            + (goal.answer != nil ? legendLine(colour: "#D55E00", dash: nil, text: t("the answer; shaded: its 95% interval", "答案; 阴影: 其95%区间")) : "") + "</div>"
        return "<figure><figcaption>\(escapeXML(caption))</figcaption>\(svg)\(legend)</figure>"
    }

    func curveTable() -> String {
        var out = "<div class=\"wide\"><table><tr><th class=\"name\">\(escapeXML(goal.lever))</th><th>" + t("probability", "达成概率")
            + "</th><th>" + t("95% interval", "95%区间") + "</th></tr>"
        for point in goal.curve {
            let p = point.probability
            let cls = p.estimate >= goal.probability ? " class=\"likely\"" : ""
            out += "<tr><td class=\"name\">\(escapeXML(goal.valueText(point.value)))</td><td\(cls)>\(percentText(p.estimate))</td>"
                + "<td>\(percentText(p.low))–\(percentText(p.high))</td></tr>"
        }
        return out + "</table></div>"
    }

    func methodNote() -> String {
        let n = groupedNumber(Double(goal.replicates), decimals: 0)
        var text = t("Each of the \(n) replicates keeps its random numbers while the lever changes (common random numbers), so its outcome depends on the lever alone. "
                     + "Each replicate's critical value was found by bisection to \(goal.wholeNumbers ? "whole numbers" : "1/10,000 of the range"); "
                     + "the answer is the \(percentText(goal.probability, decimals: 0)) quantile of the critical values, its interval from order statistics (distribution-free). "
                     + "The curve counts, at each of \(goal.curve.count) values, the replicates that meet the targets there.",
                     "\(n) 次重复在参数变化时保持各自的随机数 (共同随机数), 因此每次重复的结果只取决于该参数。每次重复的临界值以二分法求得, 精度为"
                     + (goal.wholeNumbers ? "整数" : "取值范围的万分之一") + "; 答案为临界值的 \(percentText(goal.probability, decimals: 0)) 分位数, 区间由次序统计量给出 (不依赖分布)。"
                     + "曲线为 \(goal.curve.count) 个取值处达成目标的重复所占比例。")
        if goal.nonMonotone > 0 {
            text += t(" In \(percentText(goal.nonMonotone)) of the replicates the outcome is not monotone in the lever"
                      + (goal.method == "grid" ? "; the answer was moved to the first grid value whose direct probability reaches P." : "; the direct probability at the answer was checked and holds."),
                      " \(percentText(goal.nonMonotone)) 的重复中结果不随该参数单调变化" + (goal.method == "grid" ? "; 答案改为直接概率达到要求的第一个网格取值。" : "; 已复核答案处的直接概率。"))
        }
        if let c = goal.confirmation {
            text += t(" Confirmation: a run at the answer with a fresh seed (\(c.seed)) and \(groupedNumber(Double(c.probability.trials), decimals: 0)) replicates met the targets with probability "
                      + "\(percentText(c.probability.estimate)) [\(percentText(c.probability.low))–\(percentText(c.probability.high))].",
                      " 复核: 在答案处以新种子 (\(c.seed)) 运行 \(groupedNumber(Double(c.probability.trials), decimals: 0)) 次重复, 达成概率 "
                      + "\(percentText(c.probability.estimate)) [\(percentText(c.probability.low))–\(percentText(c.probability.high))]。")
        }
        return escapeXML(text)
    }
}
