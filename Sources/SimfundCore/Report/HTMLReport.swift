import Foundation

/// Why a report could not be made.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Renders the self-contained HTML report from the files a run writes
/// (manifest.json, scenario.json, and summary.json, compare.json or
/// sweep.json), read back by their typed readers, so that `--report` and
/// `simfund report DIR` produce the same bytes for the same run. Inline SVG
/// and CSS only: no script, font, stylesheet or image is fetched.
public struct HTMLReport {
    public static let fileNames = ["manifest.json", "scenario.json", "summary.json", "compare.json", "sweep.json", "sensitivity.json", "calibration.json", "goal.json"]

    /// What the report is about.
    enum Content {
        case run(RunSummary)
        case comparison(ComparisonReport)
        case sweep(SweepResult)
    }

    /// - Parameter files: file name → contents, as written to an output directory.
    ///   A sweep's sweep.json is preferred to its compare.json (it has the swept values).
    public static func render(files: [String: String], language: Language = .en) throws(ReportError) -> String {
        // simfund calibrate's outputs have a report of their own (Report/CalibrationSection.swift).
        if files["calibration.json"] != nil { return try CalibrationReport.render(files: files, language: language) }
        func read<T>(_ name: String, _ reader: (String) throws(OutputReadError) -> T) throws(ReportError) -> T? {
            guard let text = files[name] else { return nil }
            do { return try reader(text) } catch { throw ReportError(description: error.description) }
        }
        guard let manifest = try read("manifest.json", { text throws(OutputReadError) in try RunManifest(manifestJSON: text) }) else {
            throw ReportError(description: "manifest.json is missing: run simfund with --out DIR first")
        }
        // `simfund sensitivity` has a report of its own (Report/SensitivitySection.swift).
        if let result = try read("sensitivity.json", { text throws(OutputReadError) in try SensitivityResult(sensitivityJSON: text) }) {
            guard manifest.seed == result.seed else {
                throw ReportError(description: "manifest.json: seed: expected the seed of sensitivity.json, \(result.seed), found \(manifest.seed) (the files come from different runs)")
            }
            return SensitivityReport.html(result, manifest: manifest, language: language)
        }
        var scenario: JSONNode?
        if let text = files["scenario.json"] {
            do { scenario = try JSONParser.parse(text) } catch {
                throw ReportError(description: "scenario.json: not valid JSON at \(error.location): expected \(error.expected), found \(error.found)")
            }
        }
        // Goal seek has a report of its own (Report/GoalSection.swift).
        if let goal = try read("goal.json", { text throws(OutputReadError) in try GoalResult(goalJSON: text) }) {
            guard manifest.seed == goal.seed, manifest.replicates == goal.replicates else {
                throw ReportError(description: "manifest.json: expected the seed and replicates of goal.json, \(goal.seed) and \(goal.replicates), "
                                  + "found \(manifest.seed) and \(manifest.replicates) (the files come from different runs)")
            }
            return GoalReport(manifest: manifest, scenario: scenario, goal: goal, language: language).html()
        }
        let content: Content
        if let sweep = try read("sweep.json", { text throws(OutputReadError) in try SweepResult(sweepJSON: text) }) {
            content = .sweep(sweep)
        } else if let comparison = try read("compare.json", { text throws(OutputReadError) in try ComparisonReport(compareJSON: text) }) {
            content = .comparison(comparison)
        } else if let summary = try read("summary.json", { text throws(OutputReadError) in try RunSummary(summaryJSON: text) }) {
            content = .run(summary)
        } else {
            throw ReportError(description: "none of summary.json, compare.json or sweep.json is present")
        }
        let report = HTMLReport(manifest: manifest, scenario: scenario, content: content, language: language)
        // The manifest must describe the run whose results these are (not a file left from another run).
        let results = files["sweep.json"] != nil ? "sweep.json" : files["compare.json"] != nil ? "compare.json" : "summary.json"
        if manifest.seed != report.base.seed {
            throw ReportError(description: "manifest.json: seed: expected the seed of \(results), \(report.base.seed), found \(manifest.seed) (the files come from different runs)")
        }
        if manifest.replicates != report.base.replicates {
            throw ReportError(description: "manifest.json: replicates: expected the replicates of \(results), \(report.base.replicates), found \(manifest.replicates) (the files come from different runs)")
        }
        return report.html()
    }

    let manifest: RunManifest
    /// The scenario file as run (for its description and the inputs table).
    let scenario: JSONNode?
    let content: Content
    let language: Language

    var labels: Labels { Labels(language) }
    var zh: Bool { language == .zh }
    func t(_ en: String, _ zh: String) -> String { self.zh ? zh : en }

    var comparison: ComparisonReport? {
        switch content {
        case .run: return nil
        case let .comparison(c): return c
        case let .sweep(s): return s.comparison
        }
    }

    var base: RunSummary {
        switch content {
        case let .run(s): return s
        case let .comparison(c): return c.base
        case let .sweep(s): return s.comparison.base
        }
    }

    var alternatives: [AlternativeComparison] { comparison?.alternatives ?? [] }
    var baseName: String { comparison?.baseName ?? base.scenarioName }
    /// The base as the report names it: `base` is the command line's own word, shown in the report's language.
    var baseLabel: String { baseName == "base" ? labels.word("base", "基准") : baseName }
    var districtNames: [String] { base.districts.map(\.name) }
    var finalIndex: Int { base.years.count - 1 }
    var finalYear: Int { base.years[finalIndex] }

    /// Every run with its colour index (0 the base, i + 1 alternative i), in rank order when ranked.
    var rankedRuns: [(name: String, colour: Int, summary: RunSummary, comparison: AlternativeComparison?)] {
        let runs = [(baseName, 0, base, AlternativeComparison?.none)] + alternatives.enumerated().map { ($1.name, $0 + 1, $1.summary, Optional($1)) }
        var ranked = runs
        if let comparison {
            // Names may repeat (a file compared with itself): each entry takes the first run of its name not yet taken.
            var taken = Set<Int>()
            ranked = comparison.ranking.compactMap { entry in
                guard let i = runs.indices.first(where: { !taken.contains($0) && runs[$0].0 == entry.name }) else { return nil }
                taken.insert(i)
                return runs[i]
            }
        }
        return ranked.map { ($0.0 == baseName && $0.3 == nil ? baseLabel : $0.0, $0.1, $0.2, $0.3) }
    }

    func html() -> String {
        var body = header()
        switch content {
        case .run:
            body += targetSection()
            body += outcomeSection()
            body += spendingSection()
            body += districtSection()
        case .comparison:
            body += decisionSection()
            body += valueOfInformationSection()
            body += differenceSection()
            body += costEffectivenessSection()
            body += targetSection()
            body += spendingComparisonSection()
            body += outcomeSection()
            body += districtComparisonSection()
        case let .sweep(sweep):
            body += sweepOutcomeSection(sweep)
            body += sweepTableSection(sweep)
            body += costEffectivenessSection()
        }
        body += inputsSection()
        body += HTMLReport.regeneratedFooter(simfund: manifest.simfund, zh: zh)
        return HTMLReport.document(title: base.scenarioName + " — simfund", body: body, zh: zh)
    }

    /// The page every report kind shares: its title, the common style sheet, its body.
    static func document(title: String, body: String, zh: Bool) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(zh ? "zh-Hans" : "en")"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(escapeXML(title))</title>
        <style>\(HTMLReport.css)</style></head>
        <body>\(body)</body></html>

        """
    }

    /// The footer of a report rendered from a run's output files.
    static func regeneratedFooter(simfund: String, zh: Bool) -> String {
        "<footer>simfund \(escapeXML(simfund)) · "
            + (zh ? "由本次运行的输出文件生成; 可用 <code>simfund report DIR</code> 重新生成。"
                  : "generated from the run's output files; re-create with <code>simfund report DIR</code>.") + "</footer>"
    }

    static let css = """
    body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif;color:#1a1a1a;max-width:1320px;margin:0 auto;padding:16px 24px;line-height:1.4}
    h1{font-size:1.6em;margin:0.2em 0}h2{font-size:1.25em;border-bottom:2px solid #0072B2;padding-bottom:2px;margin-top:1.6em}h3{font-size:1.05em;margin:1em 0 0.3em}
    table{border-collapse:collapse;margin:0.5em 0;font-size:0.92em}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right;vertical-align:top}
    th{background:#f2f2f2}th.num{white-space:nowrap}td.name,th.name{text-align:left}.wide{overflow-x:auto;max-width:100%}
    .manifest td,.manifest th{text-align:left}.manifest th{white-space:nowrap}.manifest code{word-break:break-all}.note{color:#555;font-size:0.9em}
    .grid{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;flex:1 1 560px;max-width:640px}
    figcaption{font-weight:600;margin-bottom:4px}svg.chart{width:100%;height:auto;display:block;background:#fff}
    .tick{font-size:11px;fill:#333}.unit{font-size:11px;fill:#555}
    .legend{font-size:0.85em;display:flex;flex-wrap:wrap;gap:12px;margin-top:2px}.legend span{white-space:nowrap}
    .likely{background:#cfe8d6}.even{background:#fff3c4}.unlikely{background:#fbd9c9}.remote{background:#f4b6b6}
    #decision{background:#f4f8fb;border:1px solid #cfe0ee;padding:4px 16px 10px;margin-top:1em}#decision h2{margin-top:0.6em}
    #decision li,#cost-effectiveness li{margin:0.35em 0}
    footer{margin-top:2em;color:#666;font-size:0.85em}code{font-size:0.9em}
    @page{size:A4;margin:14mm 12mm}
    @media print{body{max-width:none;padding:0;font-size:10pt}h2,h3,figcaption{break-after:avoid;page-break-after:avoid}
    figure,tr,#decision li{break-inside:avoid;page-break-inside:avoid}.grid{display:block}figure{max-width:none;margin-bottom:10px}svg.chart{max-height:72mm}
    .wide{overflow:visible}table{width:100%}td,th{padding:2px 4px}td{white-space:nowrap}td.name,.manifest td{white-space:normal;overflow-wrap:break-word}
    .inputs td:first-child{word-break:break-all}}
    """

    // MARK: - Words and numbers

    /// A probability, `85.3%`.
    func percent(_ p: Double) -> String { percentText(p, decimals: 1) }

    /// Percentage points, signed: `+5.7 pts`, `+5.7 个百分点`.
    func points(_ x: Double) -> String { groupedNumber(x * 100, decimals: 1, signed: true) + t(" pts", " 个百分点") }

    /// `+5.7 pts [+3.0, +8.3]`.
    func pointsInterval(_ d: PairedDifference) -> String {
        "\(groupedNumber(d.mean * 100, decimals: 1, signed: true)) [\(groupedNumber(d.low * 100, decimals: 1, signed: true)), "
            + "\(groupedNumber(d.high * 100, decimals: 1, signed: true))]" + t(" pts", " 个百分点")
    }

    /// A paired difference of `metric` with its interval, in the format of a column of `values`, with its unit.
    func differenceText(_ metric: Metric, _ d: PairedDifference, among values: [Double]) -> String {
        let format = ColumnFormat(metric: metric, values: values, difference: true, language: language)
        let unit: String
        switch format.kind {
        case .share: unit = t(" pts", " 个百分点")
        case let .money(scale): unit = (zh ? "" : " ") + scale.unit
        case .count, .rate: unit = ""
        }
        return format.interval(d.mean, low: d.low, high: d.high) + unit
    }

    func targetWords(_ target: Target) -> String { labels.target(target, districtNames: districtNames) }

    static func likelihood(_ p: Double) -> (cls: String, en: String, zh: String) {
        if p >= 0.9 { return ("likely", "very likely", "很可能") }
        if p >= 0.5 { return ("even", "more likely than not", "可能性较大") }
        if p >= 0.1 { return ("unlikely", "unlikely", "可能性较小") }
        return ("remote", "very unlikely", "很不可能")
    }

    /// A sequential blue scale (light = unlikely, dark = likely) with readable text.
    static func heatColour(_ p: Double) -> (background: String, text: String) {
        let t = max(0, min(1, p.isFinite ? p : 0))
        let from = (247.0, 251.0, 255.0), to = (8.0, 69.0, 148.0)
        let r = Int(from.0 + (to.0 - from.0) * t), g = Int(from.1 + (to.1 - from.1) * t), b = Int(from.2 + (to.2 - from.2) * t)
        return (String(format: "#%02x%02x%02x", r, g, b), t > 0.55 ? "#fff" : "#000")
    }

    // MARK: - Sections shared by every report

    func header() -> String {
        var out = "<h1>\(escapeXML(base.scenarioName))</h1>"
        if let description = scenario?["description"]?.string { out += "<p>\(escapeXML(description))</p>" }
        var rows: [(String, String)] = [
            (t("scenario file", "情景文件"), manifest.scenarioFile),
            ("SHA-256", manifest.scenarioHash),
            (t("run date (UTC)", "运行时间 (UTC)"), manifest.runDate),
            (labels.word("seed", "种子"), String(manifest.seed)),
            (labels.word("generator", "生成器"), "\(base.generator) (GSL \(manifest.gsl))"),
            (t("replicates", "重复次数"), groupedNumber(Double(base.replicates), decimals: 0)),
            (t("threads", "线程"), manifest.threads > 0 ? String(manifest.threads) : "–"),
            ("simfund", manifest.simfund + (manifest.shards.map { t(", \($0) parts merged", ", 合并 \($0) 个分片") } ?? "")),
            (t("command", "命令"), manifest.command),
        ]
        if let file = manifest.posteriorFile, let hash = manifest.posteriorHash {
            rows.insert(contentsOf: [(t("posterior file", "后验样本文件"), file), ("SHA-256", hash)], at: 2)
        }
        // Two facts per row; the command, which is long, on a row of its own.
        var table = ""
        for i in stride(from: 0, to: rows.count - 1, by: 2) {
            table += "<tr>" + rows[i..<min(i + 2, rows.count - 1)].map { row in
                let value = row.0 == "SHA-256" ? "<code>\(escapeXML(row.1))</code>" : escapeXML(row.1)
                return "<th>\(escapeXML(row.0))</th><td>\(value)</td>"
            }.joined() + "</tr>"
        }
        table += "<tr><th>\(escapeXML(rows[rows.count - 1].0))</th><td colspan=\"3\"><code>\(escapeXML(rows[rows.count - 1].1))</code></td></tr>"
        out += "<div class=\"wide\"><table class=\"manifest\">\(table)</table></div>"
        switch content {
        case .run: break
        case .comparison:
            out += "<p>" + t("Compared: ", "比较: ") + "<b>\(escapeXML(baseLabel))</b>" + t(" and ", " 与 ")
                + alternatives.map { "<b>\(escapeXML($0.name))</b>" }.joined(separator: t(", ", "、"))
                + t(", on the same seed and replicates (common random numbers): every difference is paired, replicate by replicate.",
                    ", 使用相同的种子和重复 (共同随机数): 每个差值都是逐次配对的。") + "</p>"
        case let .sweep(sweep):
            let axes = sweep.paths.enumerated().map { i, path in
                let values = Array(Set(sweep.values.map { $0[i] })).sorted()
                return "<code>\(escapeXML(path))</code> " + t("from", "从") + " \(escapeXML(sweptValueText(values.first ?? 0, path: path))) "
                    + t("to", "到") + " \(escapeXML(sweptValueText(values.last ?? 0, path: path)))\(escapeXML(schemaUnitSuffix(path))) (\(values.count) " + t("values", "个取值") + ")"
            }
            out += "<p>" + t("Sweep of ", "参数扫描: ") + axes.joined(separator: " × ") + t(": \(sweep.values.count) points, each compared with the base on the same seed and replicates.",
                                                                                      ": 共 \(sweep.values.count) 个点, 每个点与基准使用相同的种子和重复进行配对比较。") + "</p>"
        }
        return out
    }

    /// Targets: one row per target, one column per run (rank order); with
    /// more runs than fit a page, one row per run and one column per target.
    func targetSection() -> String {
        guard !base.targets.isEmpty else { return "" }
        let runs = rankedRuns
        if runs.count > 5 { return transposedTargetSection(runs.map { ($0.name, $0.summary, $0.comparison) }) }
        var out = "<h2 id=\"targets\">" + t("Targets: probability met", "目标: 达成概率") + "</h2><div class=\"wide\"><table><tr><th class=\"name\">\(labels.word("target", "目标"))</th>"
        for run in runs {
            out += "<th>\(escapeXML(runs.count == 1 ? labels.word("probability", "达成概率") : run.name))<br/>[\(labels.word("95% interval", "95%区间"))]</th>"
        }
        out += "</tr>"
        for (i, target) in base.targets.enumerated() {
            out += "<tr><td class=\"name\">\(escapeXML(targetWords(target.target)))</td>"
            for run in runs {
                let p = run.summary.targets[i].probability
                let words = HTMLReport.likelihood(p.estimate)
                var cell = "<b>\(percent(p.estimate))</b> <small>[\(groupedNumber(p.low * 100, decimals: 1))–\(groupedNumber(p.high * 100, decimals: 1))]</small><br/><small>\(zh ? words.zh : words.en)</small>"
                if let d = run.comparison?.targets[i].difference { cell += "<br/><small>Δ \(pointsInterval(d))</small>" }
                out += "<td class=\"\(words.cls)\">\(cell)</td>"
            }
            out += "</tr>"
        }
        out += "</table></div><p class=\"note\">" + t("Colours: green ≥ 90%, yellow 50–90%, orange 10–50%, red &lt; 10%; the words say the same.",
                                                     "颜色: 绿色 ≥ 90%, 黄色 50–90%, 橙色 10–50%, 红色 &lt; 10%; 文字说明相同。")
        if !alternatives.isEmpty { out += t(" Δ: paired difference from the base with its 95% interval.", " Δ: 与基准的配对差及其95%区间。") }
        return out + "</p>"
    }

    func transposedTargetSection(_ runs: [(name: String, summary: RunSummary, comparison: AlternativeComparison?)]) -> String {
        var out = "<h2 id=\"targets\">" + t("Targets: probability met", "目标: 达成概率") + "</h2><div class=\"wide\"><table><tr><th class=\"name\">"
            + labels.word("alternative", "方案") + "</th>" + base.targets.indices.map { "<th class=\"num\">P(\($0 + 1))</th>" }.joined() + "</tr>"
        for run in runs {
            out += "<tr><td class=\"name\">\(escapeXML(run.name))</td>"
            for (i, outcome) in run.summary.targets.enumerated() {
                let p = outcome.probability.estimate
                let delta = run.comparison.map { "<br/><small>Δ \(groupedNumber($0.targets[i].difference.mean * 100, decimals: 1, signed: true))</small>" } ?? ""
                out += "<td class=\"\(HTMLReport.likelihood(p).cls)\">\(percent(p))\(delta)</td>"
            }
            out += "</tr>"
        }
        out += "</table></div><p class=\"note\">" + t("P(k): probability of target k; Δ: paired difference from the base in percentage points.",
                                                     "P(k): 目标 k 的达成概率; Δ: 与基准的配对差 (百分点)。") + "</p><ol class=\"note\">"
        return out + base.targets.map { "<li>\(escapeXML(targetWords($0.target)))</li>" }.joined() + "</ol>"
    }

    static let keyMetrics: [Metric] = [.townshipCoverage, .communityCoverage, .certified, .certifiedPer10k]

    func axisTitle(_ metric: Metric) -> String {
        switch metric {
        case .townshipCoverage: return t("share of townships", "乡镇(街道)占比")
        case .communityCoverage: return t("share of communities", "村(社区)占比")
        case .certified: return t("people", "人")
        case .certifiedPer10k: return t("per 10,000 people", "每万人")
        default: return labels.metric(metric)
        }
    }

    func fanSeries(_ metric: Metric, runs: [(name: String, colour: Int, summary: RunSummary, comparison: AlternativeComparison?)]) -> [FanSeries] {
        runs.map { run in
            let stats = run.summary.metrics[metric] ?? []
            return FanSeries(name: run.name, colour: runColour(run.colour), p5: stats.map(\.p5), p25: stats.map(\.p25), p50: stats.map(\.p50),
                             p75: stats.map(\.p75), p95: stats.map(\.p95))
        }
    }

    func fan(_ metric: Metric, series: [FanSeries]) -> String {
        let values = series.flatMap { $0.p95 + $0.p5 }
        let targets = base.targets.map(\.target).filter { $0.metric == metric && $0.district == nil }
        let thresholds = targets.map { target -> Double in
            switch target.bound { case let .atLeast(x), let .atMost(x): return x }
        }
        let axis = metric.unit == "share"
            ? ValueAxis.share(axisTitle(metric), values: values + thresholds, language: language)
            : ValueAxis.plain(axisTitle(metric), values: values + thresholds)
        let markers = zip(targets, thresholds).map { TargetMarker(year: $0.year, value: $1, label: targetWords($0)) }
        let observed = historyMarkers(metric)
        let axisWithHistory = observed.isEmpty ? axis : metric.unit == "share"
            ? ValueAxis.share(axisTitle(metric), values: values + thresholds + observed.map(\.value), language: language)
            : ValueAxis.plain(axisTitle(metric), values: values + thresholds + observed.map(\.value))
        return fanChart(id: "fan-\(metric.name)", title: labels.metric(metric).capitalizedFirst, axis: axisWithHistory, years: base.years, series: series,
                        targets: markers, observed: observed, labels: labels)
    }

    /// Fan charts of the key metrics. In a comparison the alternatives are
    /// overlaid only where their medians part visibly from the base's (by 4%
    /// of the axis and half the base's p25–p75 range in some year); otherwise
    /// the bands would hide the differences the forest plot shows, and the
    /// chart shows the base alone.
    func outcomeSection() -> String {
        let runs = rankedRuns.sorted { $0.colour < $1.colour }
        var charts = "", omitted: [String] = [], flat: [String] = []
        for metric in HTMLReport.keyMetrics {
            let series = fanSeries(metric, runs: runs)
            // A metric that never changes is a sentence, not a chart.
            if let sentence = flatSentence(metric, runs: runs.map(\.summary)) {
                flat.append(sentence)
                continue
            }
            if series.count > palette.count {
                // More runs than colours: overlays would not tell them apart.
                omitted.append(labels.metric(metric))
                charts += fan(metric, series: [series[0]])
                continue
            }
            if series.count > 1 {
                let baseStats = base.metrics[metric] ?? []
                let values = series.flatMap { $0.p95 + $0.p5 }
                let range = metric.unit == "share" ? ValueAxis.share("", values: values, language: language) : ValueAxis.plain("", values: values)
                // Visible: at least 4% of the axis apart (about 9 px), and beyond half the base's p25–p75 range.
                let parts = baseStats.indices.contains { y in
                    series.dropFirst().contains {
                        let apart = abs($0.p50[y] - baseStats[y].p50)
                        return apart > 0.04 * (range.high - range.low) && apart > 0.5 * (baseStats[y].p75 - baseStats[y].p25)
                    }
                }
                if !parts {
                    omitted.append(labels.metric(metric))
                    charts += fan(metric, series: [series[0]])
                    continue
                }
            }
            charts += fan(metric, series: series)
        }
        var out = "<h2 id=\"charts\">" + t("Outcomes by year", "各年结果") + "</h2>"
        out += "<p class=\"note\">" + t("Each chart shows the median over \(groupedNumber(Double(base.replicates), decimals: 0)) replicates and the ranges that hold half (p25–p75)"
                                         + (runs.count == 1 ? " and nine in ten (p5–p95) of them." : " of them."),
                                         "每张图显示 \(groupedNumber(Double(base.replicates), decimals: 0)) 次重复的中位数及包含一半 (p25–p75)"
                                         + (runs.count == 1 ? "和九成 (p5–p95) 结果的范围。" : "结果的范围。")) + "</p>"
        if !omitted.isEmpty {
            out += "<p class=\"note\">" + t("The base alone, without the alternatives overlaid, for ", "以下指标只画基准, 不叠加各方案: ")
                + escapeXML(omitted.joined(separator: t(", ", "、")))
                + t(": the alternatives' medians lie too close to the base's to tell apart on a chart, or there are more runs than colours (the paired differences above show them).",
                    "。各方案的中位数与基准过于接近, 图上无法分辨, 或方案多于可用颜色 (见上方配对差)。") + "</p>"
        }
        out += flat.map { "<p class=\"flat\">\(escapeXML($0))</p>" }.joined()
        if !charts.isEmpty { out += "<div class=\"grid\">\(charts)</div>" }
        return out
    }

    /// "Township coverage was 0.0% in every year and replicate." when no
    /// statistic of the metric differs between years, replicates or runs.
    func flatSentence(_ metric: Metric, runs: [RunSummary]) -> String? {
        let values = runs.flatMap { ($0.metrics[metric] ?? []).flatMap { [$0.min, $0.max] } }
        guard let low = values.min(), let high = values.max(), high - low <= 1e-12 * max(1, abs(low)) else { return nil }
        let value = metric.unit == "share" ? percent(low) : shortNumber(low)
        let every = runs.count > 1 ? t(" of every run", "、所有方案") : ""
        return t("\(labels.metric(metric).capitalizedFirst) was \(value) in every year and replicate\(every).",
                 "每年、每次重复\(every)的\(labels.metric(metric))均为 \(value)。")
    }

    static let spendingMetrics: [(Metric, String)] = [(.spendSubsidies, palette[0]), (.spendContracts, palette[1]), (.spendBuild, palette[2]),
                                                      (.spendTraining, palette[3]), (.spendAwards, palette[4])]

    /// A sentence instead of a chart when the share of due subsidies paid is the same in every year, replicate and run.
    func subsidyPaid(runs: [RunSummary]) -> String {
        let stats = runs.flatMap { $0.metrics[.subsidyPaidRatio] ?? [] }
        let values = stats.flatMap { [$0.min, $0.max] }
        if let low = values.min(), let high = values.max(), high - low < 1e-9 {
            let every = runs.count > 1 ? t(" of every run", "、所有方案") : ""
            let text = low == 1 ? t("Due subsidies were paid in full (100%) in every year and replicate\(every).", "每年、每次重复\(every)的应发补贴均足额发放 (100%)。")
                : t("The share of due subsidies paid was \(percent(low)) in every year and replicate\(every).", "每年、每次重复\(every)的补贴兑现率均为 \(percent(low))。")
            return "<p id=\"subsidies-paid\">\(text)</p>"
        }
        let series = fanSeries(.subsidyPaidRatio, runs: rankedRuns.sorted { $0.colour < $1.colour })
        let axis = ValueAxis.share(t("paid / due", "实发 / 应发"), values: series.flatMap(\.p95), language: language)
        return "<div class=\"grid\">" + fanChart(id: "fan-subsidyPaidRatio", title: t("Share of due subsidies paid", "补贴兑现率"), axis: axis, years: base.years,
                                                 series: Array(series.prefix(palette.count)), targets: [], labels: labels) + "</div>"
    }

    func spendingSection() -> String {
        let categories = HTMLReport.spendingMetrics.map { metric, colour in
            BarCategory(name: labels.metric(metric), colour: colour, values: (base.metrics[metric] ?? []).map(\.mean))
        }
        var out = "<h2 id=\"spending\">" + t("Spending", "支出") + "</h2><div class=\"grid\">"
        out += stackedBars(id: "spending-0", title: t("Spending by category, mean per year", "各类支出, 每年均值"), years: base.years,
                           categories: categories, language: language)
        return out + "</div>" + subsidyPaid(runs: [base])
    }

    /// Districts: the probability that every township has a staffed station, by year.
    func districtSection() -> String {
        guard !base.districts.isEmpty else { return "" }
        let last = finalIndex
        let sorted = base.districts.enumerated().sorted { a, b in
            let pa = a.element.fullTownshipCoverage[last].estimate, pb = b.element.fullTownshipCoverage[last].estimate
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
        var out = "<h2 id=\"districts\">" + t("Districts: probability that every township has a staffed station", "各区县: 所有乡镇(街道)社工站均有人驻站的概率") + "</h2>"
        out += "<p class=\"note\">" + t("Districts that fall behind come first (lowest probability in \(finalYear)). Darker is more likely.",
                                         "落后的区县排在前面 (按\(finalYear)年概率从低到高)。颜色越深, 概率越高。") + "</p>"
        out += "<div class=\"wide\"><table class=\"heat\"><tr><th class=\"name\">" + t("district", "区县") + "</th>" + base.years.map { "<th>\($0)</th>" }.joined()
            + "<th>" + t("median township coverage \(finalYear)", "\(finalYear)年社工站覆盖率中位数") + "</th></tr>"
        for district in sorted {
            out += "<tr><td class=\"name\">\(escapeXML(district.name))</td>"
            for p in district.fullTownshipCoverage {
                let shade = HTMLReport.heatColour(p.estimate)
                out += "<td style=\"background:\(shade.background);color:\(shade.text)\">\(percent(p.estimate))</td>"
            }
            out += "<td>\(percent(district.townshipCoverage[last].p50))</td></tr>"
        }
        return out + "</table></div>"
    }
}

extension String {
    /// The first letter in upper case (chart titles from metric names).
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
