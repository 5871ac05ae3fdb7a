import Foundation

extension HTMLReport {
    /// "Is the choice clear?": the sequential selection in words, and every
    /// input's value of information as a bar with its interval, its verdict
    /// and its source. Empty when compare.json has neither.
    func valueOfInformationSection() -> String {
        guard let comparison, comparison.sequential != nil || comparison.valueOfInformation != nil else { return "" }
        var out = "<section id=\"value-of-information\"><h2>" + t("Is the choice clear?", "选择是否已明确？") + "</h2>"
        if let sentence = comparison.sequentialSentence(language: language) {
            out += "<p>\(escapeXML(sentence))</p>"
        }
        if let values = comparison.valueOfInformation, !values.isEmpty {
            let sorted = values.sorted { $0.evppi > $1.evppi }
            let largest = Swift.max(sorted.map(\.high).max() ?? 0, comparison.materialValueOfInformation, 1e-300)
            let threshold = comparison.materialValueOfInformation
            let m = groupedNumber(Double(ValueOfInformation.sampleSize(replicates: base.replicates)), decimals: 0)
            out += "<p>" + escapeXML(t("Which figure is worth checking before deciding: the expected value of partial perfect information (EVPPI) "
                                       + "of each uncertain input, what knowing it exactly would add to the chosen alternative's "
                                       + "\(comparison.rankKey.target != nil ? "probability" : "value") on average, from the first \(m) replicates.",
                                       "决策前哪个数字值得核实：各不确定输入的部分完全信息期望价值(EVPPI)，即确知该输入后所选方案的"
                                       + "\(comparison.rankKey.target != nil ? "达成概率" : "取值")平均能提高多少，基于前\(m)次重复。")) + "</p>"
            out += "<div class=\"wide\"><table class=\"inputs\"><tr><th class=\"name\">" + t("input", "输入") + "</th><th>"
                + t("value of information [95%]", "信息价值 [95%]") + "</th><th></th><th class=\"name\">" + t("verdict", "结论")
                + "</th><th class=\"name\">" + t("source", "来源") + "</th></tr>"
            for value in sorted {
                let interval = "\(comparison.rankKeyNumber(value.low, scaleOf: value.evppi, language: language)), "
                    + "\(comparison.rankKeyNumber(value.high, scaleOf: value.evppi, language: language))"
                let verdict = comparison.couldChangeChoice(value) ? t("could change the choice", "可能改变选择")
                    : value.evppi >= threshold ? t("not clearly above noise", "未明显高于噪声") : t("would not change the choice", "不会改变选择")
                out += "<tr><td class=\"name\"><code>\(escapeXML(value.input))</code></td>"
                    + "<td>\(escapeXML(comparison.rankKeyAmount(value.evppi, language: language))) [\(escapeXML(interval))]</td>"
                    + "<td>\(bar(value, largest: largest, threshold: threshold))</td>"
                    + "<td class=\"name\">\(escapeXML(verdict))</td><td class=\"name\">\(escapeXML(value.source ?? t("not given", "未注明")))</td></tr>"
            }
            out += "</table></div><p class=\"note\">" + escapeXML(t(
                "Regression of each alternative's per-replicate value on the input (penalised cubic spline, GCV); 95% bootstrap interval. "
                    + "An input could change the choice when its value exceeds what an input carrying no information shows with these replicates "
                    + "(the mean over 20 permutations of the replicates) by \(comparison.rankKeyAmount(threshold, language: language)) or more; the dashed line marks that amount.",
                "各方案每次重复的取值对该输入回归(惩罚三次样条，GCV选平滑度)；95%区间来自自助法。信息价值比无信息输入在同样重复次数下的取值(20次置换的均值)高出\(comparison.rankKeyAmount(threshold, language: language))以上，才视为可能改变选择(虚线)。"))
                + "</p>"
        }
        return out + "</section>"
    }

    /// A bar for the estimate, a whisker for its interval, a dashed mark at the threshold.
    private func bar(_ value: InputValueOfInformation, largest: Double, threshold: Double) -> String {
        let width = 160.0
        func x(_ v: Double) -> String { String(format: "%.1f", Swift.max(0, Swift.min(width, v / largest * width))) }
        let colour = value.evppi - value.noise >= threshold ? "#c0392b" : "#7f8c8d"
        return "<svg width=\"\(Int(width))\" height=\"14\" role=\"img\" aria-label=\"\(escapeXML(value.input))\">"
            + "<rect x=\"0\" y=\"3\" width=\"\(x(value.evppi))\" height=\"8\" fill=\"\(colour)\"/>"
            + "<line x1=\"\(x(value.low))\" y1=\"7\" x2=\"\(x(value.high))\" y2=\"7\" stroke=\"#222\" stroke-width=\"1\"/>"
            + "<line x1=\"\(x(threshold))\" y1=\"0\" x2=\"\(x(threshold))\" y2=\"14\" stroke=\"#222\" stroke-dasharray=\"2,2\"/></svg>"
    }
}
