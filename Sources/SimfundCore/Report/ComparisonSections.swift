import Foundation

/// The sections of a comparison report: the decision first, then the
/// evidence (paired differences, cost-effectiveness, targets, spending, districts).
extension HTMLReport {
    /// Metrics whose paired differences the decision and the forest plot show.
    static let differenceMetrics: [Metric] = [.townshipCoverage, .communityCoverage, .certified, .spendTotal]

    /// The metric of the "key paired difference": the one ranked on, or township coverage when ranking on spending.
    var keyMetric: (metric: Metric, yearIndex: Int) {
        guard let key = comparison?.rankKey, key.metric != .spendTotal, let y = base.years.firstIndex(of: key.year) else {
            return (.townshipCoverage, finalIndex)
        }
        return (key.metric, y)
    }

    /// Every paired difference of `metric` in year index `y`, means and bounds (for one shared format).
    func differenceValues(_ metric: Metric, _ y: Int) -> [Double] {
        alternatives.compactMap { $0.differences[metric]?[y].difference }.flatMap { [$0.mean, $0.low, $0.high] }
    }

    /// The ranking, and one sentence per run: target probabilities, extra cost, key paired difference.
    func decisionSection() -> String {
        guard let comparison else { return "" }
        var out = "<section id=\"decision\"><h2>" + t("Decision", "决策摘要") + "</h2>"
        out += "<p>\(escapeXML(labels.rankingLine(key: comparison.rankKey, districtNames: districtNames)))\(zh ? "。" : ".")</p><ol>"
        let spending = differenceValues(.spendTotal, finalIndex)
        let (keyMetric, keyYear) = self.keyMetric
        let keyValues = differenceValues(keyMetric, keyYear)
        // rankedRuns follows the ranking entry by entry.
        for (run, entry) in zip(rankedRuns, comparison.ranking) {
            // A target's probability is in the sentence; a metric ranked on is named here.
            var ranked = ""
            if comparison.rankKey.target == nil {
                let value = entry.value
                let format = ColumnFormat(metric: comparison.rankKey.metric, values: comparison.ranking.map(\.value), language: language)
                ranked = t(" (mean \(format.format(value))\(format.unit.map { " " + $0 } ?? ""))", " (均值 \(format.format(value))\(format.unit ?? ""))")
            }
            let role = run.comparison == nil && run.name != labels.word("base", "基准") ? t(" (the base)", " (基准)") : ""
            out += "<li><b>\(escapeXML(run.name))</b>\(escapeXML(role + ranked)): "
            var parts: [String] = []
            for (i, outcome) in run.summary.targets.enumerated() {
                var phrase = zh ? "\(targetWords(outcome.target)) 的达成概率为 \(percent(outcome.probability.estimate))"
                    : (i == 0 ? "meets \(targetWords(outcome.target)) with probability \(percent(outcome.probability.estimate))"
                        : "\(targetWords(outcome.target)) \(percent(outcome.probability.estimate))")
                if let d = run.comparison?.targets[i].difference {
                    phrase += zh ? " (较基准 \(pointsInterval(d)))" : " (\(pointsInterval(d)) vs the base)"
                } else {
                    phrase += " [\(percent(outcome.probability.low)) – \(percent(outcome.probability.high))]"
                }
                parts.append(phrase)
            }
            if let alternative = run.comparison, let d = alternative.differences[.spendTotal]?[finalIndex].difference {
                let scale = MoneyScale(values: spending, language: language)
                let interval = "[\(scale.format(d.low, signed: true)), \(scale.format(d.high, signed: true))]"
                if abs(d.mean) < 0.5 {
                    parts.append(t("spends the same in \(finalYear)", "\(finalYear)年支出不变"))
                } else if d.mean > 0 {
                    parts.append(t("spends \(scale.withUnit(d.mean)) more in \(finalYear) \(interval)", "\(finalYear)年多支出\(scale.withUnit(d.mean)) \(interval)"))
                } else {
                    parts.append(t("spends \(scale.withUnit(-d.mean)) less in \(finalYear) \(interval)", "\(finalYear)年少支出\(scale.withUnit(-d.mean)) \(interval)"))
                }
                if let key = alternative.differences[keyMetric]?[keyYear].difference {
                    parts.append(t("\(labels.metric(keyMetric)) in \(base.years[keyYear]) \(differenceText(keyMetric, key, among: keyValues))",
                                   "\(base.years[keyYear])年\(labels.metric(keyMetric)) \(differenceText(keyMetric, key, among: keyValues))"))
                }
            } else {
                let spend = run.summary.metrics[.spendTotal]?[finalIndex].mean ?? 0
                parts.append(t("spends \(MoneyScale.amount(spend, language: language)) in \(finalYear) (mean)",
                               "\(finalYear)年支出\(MoneyScale.amount(spend, language: language)) (均值)"))
            }
            out += escapeXML(parts.joined(separator: zh ? "; " : "; ")) + (zh ? "。" : ".") + "</li>"
        }
        out += "</ol><p class=\"note\">" + t("In brackets: 95% intervals of the paired differences from the base (common random numbers).",
                                               "方括号内为与基准配对差的95%区间 (共同随机数)。") + "</p></section>"
        return out
    }

    /// Forest plots of the paired differences from the base: per key metric in the final year, and by year.
    func differenceSection() -> String {
        let runs = rankedRuns.filter { $0.comparison != nil }
        guard !runs.isEmpty else { return "" }
        var out = "<h2 id=\"differences\">" + t("Paired differences from the base, with 95% intervals", "与基准的配对差及95%区间") + "</h2>"
        out += "<p class=\"note\">" + t("A dot is the mean difference over replicates, the line its 95% interval; the dashed line is no difference. An interval clear of the dashed line is a real difference.",
                                         "圆点为各次重复差值的均值, 线段为其95%区间; 虚线表示无差异。区间不与虚线相交即为确实存在的差异。") + "</p>"
        out += "<h3>" + t("In \(finalYear)", "\(finalYear)年") + "</h3><div class=\"grid\">"
        for metric in HTMLReport.differenceMetrics {
            let values = differenceValues(metric, finalIndex)
            let axis = differenceAxis(metric, values: values)
            let format = ColumnFormat(metric: metric, values: values, difference: true, language: language)
            let rows = runs.compactMap { run -> (name: String, colour: String, value: Interval)? in
                guard let d = run.comparison?.differences[metric]?[finalIndex].difference else { return nil }
                return (run.name, runColour(run.colour), Interval(mean: d.mean, low: d.low, high: d.high))
            }
            out += forestPlot(id: "forest-\(metric.name)", title: labels.metric(metric).capitalizedFirst, rows: rows, axis: axis,
                              text: { format.interval($0.mean, low: $0.low, high: $0.high) })
        }
        out += "</div><h3>" + t("By year", "各年") + "</h3>"
        if runs.count > palette.count {
            out += "<p class=\"note\">" + t("The first \(palette.count) alternatives in rank order (one colour each); the forest plots above show them all.",
                                             "按排名前 \(palette.count) 个方案 (每个一种颜色); 上方森林图显示全部方案。") + "</p>"
        }
        out += "<div class=\"grid\">"
        for metric in HTMLReport.differenceMetrics {
            let values = base.years.indices.flatMap { differenceValues(metric, $0) }
            let series = runs.prefix(palette.count).compactMap { run -> (name: String, colour: String, values: [Interval])? in
                guard let differences = run.comparison?.differences[metric] else { return nil }
                return (run.name, runColour(run.colour), differences.map { Interval(mean: $0.difference.mean, low: $0.difference.low, high: $0.difference.high) })
            }
            out += intervalChart(id: "differences-by-year-\(metric.name)", title: labels.metric(metric).capitalizedFirst, xValues: base.years.map(Double.init),
                                 xTitle: labels.word("year", "年份"), xLabel: { String(Int($0)) }, series: series, axis: differenceAxis(metric, values: values),
                                 bands: false, legendNote: t("mean and 95% interval", "均值与95%区间"))
        }
        return out + "</div>"
    }

    func differenceAxis(_ metric: Metric, values: [Double]) -> ValueAxis {
        let name = labels.metric(metric)
        switch metric.unit {
        case "share": return .difference(name + t(" (percentage points)", " (百分点)"), values: values, divisor: 0.01)
        case "yuan":
            let scale = MoneyScale(values: values, language: language)
            return .difference("\(name) (\(scale.unit))", values: values, divisor: scale.divisor)
        default: return .difference(name, values: values, divisor: 1)
        }
    }

    /// Cost-effectiveness in words, by quadrant, in rank order.
    func costEffectivenessSection() -> String {
        let runs = rankedRuns.filter { $0.comparison != nil }
        guard !runs.isEmpty else { return "" }
        var out = "<h2 id=\"cost-effectiveness\">" + t("Cost-effectiveness in \(finalYear)", "\(finalYear)年成本效果") + "</h2>"
        out += "<p class=\"note\">" + t("Extra spending against extra staffed township stations, both paired differences from the base in \(finalYear); in rank order. In brackets: 95% intervals of the ratio.",
                                         "\(finalYear)年与基准相比的额外支出与新增有人驻站社工站数 (均为配对差), 按排名顺序; 方括号内为比值的95%区间。") + "</p><ul>"
        for run in runs {
            guard let alternative = run.comparison else { continue }
            out += "<li><b>\(escapeXML(run.name))</b>: \(escapeXML(labels.costEffectiveness(alternative.costEffectiveness)))"
                + (zh ? "。" : ".") + "</li>"
        }
        return out + "</ul>"
    }

    /// Spending of every run on one shared scale: the total over the horizon by category.
    func spendingComparisonSection() -> String {
        let runs = rankedRuns
        let categories = HTMLReport.spendingMetrics.map { metric, colour in
            BarCategory(name: labels.metric(metric), colour: colour,
                        values: runs.map { run in (run.summary.metrics[metric] ?? []).reduce(0) { $0 + $1.mean } })
        }
        let span = "\(base.years[0])–\(finalYear)"
        var out = "<h2 id=\"spending\">" + t("Spending", "支出") + "</h2><div class=\"grid\">"
        out += horizontalStackedBars(id: "spending-compared", title: t("Spending \(span) by category, sum of yearly means, one scale for every run",
                                                                        "\(span)年各类支出 (各年均值之和), 所有方案同一刻度"),
                                     rows: runs.map(\.name), categories: categories, language: language)
        return out + "</div>" + subsidyPaid(runs: runs.map(\.summary))
    }

    /// Districts: the base's probability of full township coverage in the final year and each alternative's, with the change.
    func districtComparisonSection() -> String {
        guard !base.districts.isEmpty else { return "" }
        let runs = rankedRuns.filter { $0.comparison != nil }
        let last = finalIndex
        let order = base.districts.indices.sorted { a, b in
            let pa = base.districts[a].fullTownshipCoverage[last].estimate, pb = base.districts[b].fullTownshipCoverage[last].estimate
            return pa != pb ? pa < pb : a < b
        }
        var out = "<h2 id=\"districts\">" + t("Districts: probability that every township has a staffed station in \(finalYear)",
                                               "各区县: \(finalYear)年所有乡镇(街道)社工站均有人驻站的概率") + "</h2>"
        out += "<p class=\"note\">" + t("Districts that fall behind under the base come first. Each alternative's cell gives its probability and, in brackets, the change from the base in percentage points. Darker is more likely.",
                                         "按基准概率从低到高排列。各方案单元格给出其概率, 括号内为相对基准的变化 (百分点)。颜色越深, 概率越高。") + "</p>"
        // At most five alternatives per table, so that it fits an A4 page; more continue in further tables.
        for start in stride(from: 0, to: max(runs.count, 1), by: 5) {
            let group = runs[start..<min(start + 5, runs.count)]
            out += "<div class=\"wide\"><table class=\"heat\"><tr><th class=\"name\">" + t("district", "区县") + "</th><th>\(escapeXML(baseLabel))</th>"
                + group.map { "<th>\(escapeXML($0.name))</th>" }.joined() + "</tr>"
            for d in order {
                let baseP = base.districts[d].fullTownshipCoverage[last].estimate
                let shade = HTMLReport.heatColour(baseP)
                out += "<tr><td class=\"name\">\(escapeXML(base.districts[d].name))</td>"
                    + "<td style=\"background:\(shade.background);color:\(shade.text)\">\(percent(baseP))</td>"
                for run in group {
                    let p = run.summary.districts[d].fullTownshipCoverage[last].estimate
                    let cell = HTMLReport.heatColour(p)
                    out += "<td style=\"background:\(cell.background);color:\(cell.text)\">\(percent(p)) (\(groupedNumber((p - baseP) * 100, decimals: 1, signed: true)))</td>"
                }
                out += "</tr>"
            }
            out += "</table></div>"
        }
        return out
    }
}
