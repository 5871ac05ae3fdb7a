import Foundation

extension SensitivityResult {
    /// Rows shown per metric at most; the rest are counted in one line.
    static let terminalRows = 10

    /// The terminal summary: per metric, the final year's inputs ranked by
    /// total effect, with first-order and total indices and their 95%
    /// intervals; laid out for 80 columns (input names are shortened to fit).
    public func terminalText(language: Language, width: Int = 80) -> String {
        let zh = language == .zh
        func t(_ en: String, _ zhText: String) -> String { zh ? zhText : en }
        let labels = Labels(language)
        let finalYear = metrics.first?.years.last?.year ?? 0
        var lines: [String] = []
        lines.append(t("Sensitivity of \(scenarioName)", "敏感性分析: \(scenarioName)"))
        lines.append(t("seed \(seed), \(samples.formatted()) samples per matrix, \(inputs.count) inputs (chance included)",
                       "种子 \(seed), 每个矩阵 \(samples.formatted()) 个样本, \(inputs.count) 个不确定输入 (含随机性)"))
        lines.append(t("Final year \(finalYear): inputs ranked by total effect; 95% bootstrap intervals.",
                       "末年 \(finalYear): 按总效应指数排序; 括号内为 95% 自助法区间。"))
        let indexWidth = 20
        let nameWidth = Swift.max(12, Swift.min(38, Swift.max(80, width) - 2 - 2 * (indexWidth + 2)))
        let index = SensitivityResult.indexText
        for metric in metrics {
            guard let year = metric.years.last else { continue }
            let format = ColumnFormat(metric: metric.metric, values: [year.mean, year.variance.squareRoot()], language: language)
            let unit = format.unit.map { " (\($0))" } ?? ""
            lines.append("")
            guard year.reason == nil else {
                lines.append(t("\(labels.metric(metric.metric)), \(year.year): \(format.format(year.mean))\(unit) in every sample; nothing to apportion.",
                               "\(labels.metric(metric.metric)) \(year.year) 年: 每个样本都是 \(format.format(year.mean))\(unit), 没有可分解的方差。"))
                continue
            }
            lines.append(t("\(labels.metric(metric.metric)), \(year.year): mean \(format.format(year.mean)), sd \(format.format(year.variance.squareRoot()))\(unit)",
                           "\(labels.metric(metric.metric)) \(year.year) 年: 均值 \(format.format(year.mean)), 标准差 \(format.format(year.variance.squareRoot()))\(unit)"))
            lines.append("  " + padded(t("input", "输入"), to: nameWidth) + "  " + padded(t("first-order", "一阶指数"), to: indexWidth)
                         + "  " + t("total", "总效应"))
            let ranked = year.inputs.sorted { ($0.total ?? -.infinity) > ($1.total ?? -.infinity) }
            let shown = ranked.prefix(SensitivityResult.terminalRows).enumerated().filter { i, input in i < 3 || (input.total ?? 0) >= 0.01 }.map(\.element)
            for input in shown {
                lines.append("  " + padded(shortened(input.input, to: nameWidth), to: nameWidth) + "  "
                             + padded(index(input.first, input.firstLow, input.firstHigh), to: indexWidth) + "  "
                             + index(input.total, input.totalLow, input.totalHigh))
            }
            let rest = ranked.dropFirst(shown.count)
            if let largest = rest.compactMap(\.total).max() {
                lines.append(t("  … \(rest.count) more, each with a total effect of at most \(String(format: "%.2f", Swift.max(0, largest)))",
                               "  … 另有 \(rest.count) 个输入, 总效应均不超过 \(String(format: "%.2f", Swift.max(0, largest)))"))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `0.62 [0.55, 0.69]`, two decimals (no "-0.00"); `–` without an estimate.
    static func indexText(_ value: Double?, _ low: Double?, _ high: Double?) -> String {
        func two(_ x: Double) -> String {
            let rounded = (x * 100).rounded() / 100
            return String(format: "%.2f", rounded == 0 ? 0 : rounded)
        }
        guard let value else { return "–" }
        let interval = low.flatMap { low in high.map { (low, $0) } }
        return two(value) + (interval.map { " [\(two($0.0)), \(two($0.1))]" } ?? "")
    }

    /// `text` cut to `width` cells with a middle ellipsis (the ends of a path say most).
    func shortened(_ text: String, to width: Int) -> String {
        guard displayWidth(text) > width else { return text }
        let characters = Array(text)
        let keep = width - 1
        let head = characters.prefix(keep / 2), tail = characters.suffix(keep - keep / 2)
        return String(head) + "…" + String(tail)
    }
}
