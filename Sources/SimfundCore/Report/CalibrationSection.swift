import Foundation

/// A short number for tables: 3 significant digits below 1,000, grouped whole numbers above.
func calibrationNumber(_ x: Double) -> String {
    guard x.isFinite else { return "–" }
    if abs(x) >= 1000 { return Int(x.rounded()).formatted() }
    return x.formatted(.number.precision(.significantDigits(1...3)).grouping(.never))
}

extension CalibrationResult {
    /// Who a history point is: `certified 2023`, `townshipCoverage 2023 Fuan`.
    func pointName(_ point: HistoryPoint, scenario: Scenario) -> String {
        "\(point.metric.name) \(point.year)" + (point.district.map { " \(scenario.districts[$0].name)" } ?? "")
    }

    /// The terminal summary (80 columns): parameters, generations, predictive check.
    public func terminalText(scenario: Scenario, language: Language = .en) -> String {
        let zh = language == .zh
        func t(_ en: String, _ zhText: String) -> String { zh ? zhText : en }
        // Display width, so Chinese headings line up.
        func pad(_ s: String, _ width: Int, right: Bool = false) -> String { padded(s, to: width, right: right) }
        var out = t("Calibration of \(scenario.name) to \(scenario.history.count) history point\(scenario.history.count == 1 ? "" : "s")",
                    "\(scenario.name)：按 \(scenario.history.count) 个历史观测值校准") + "\n"
        out += t("seed \(settings.seed) · \(settings.particles) particles · \(generations.count) generation\(generations.count == 1 ? "" : "s")",
                 "种子 \(settings.seed) · \(settings.particles) 个粒子 · \(generations.count) 代") + "\n"
        out += wrapped(t("stopped: ", "停止：") + calibrationStopText(stopReason, language: language), continuation: "  ") + "\n"
        let pathWidth = Swift.min(34, Swift.max(9, parameters.map(\.path.count).max() ?? 9))
        out += pad(t("parameter", "参数"), pathWidth) + "  " + pad(t("prior p5 – p95", "先验 p5 – p95"), 20) + "  " + t("posterior p50 [p5 – p95]", "后验 p50 [p5 – p95]") + "\n"
        for (k, parameter) in parameters.enumerated() {
            let post = posteriorSummary(k)
            let prior = "\(calibrationNumber(priorQuantiles[k][0])) – \(calibrationNumber(priorQuantiles[k][2]))"
            out += pad(String(parameter.path.suffix(pathWidth)), pathWidth) + "  " + pad(prior, 20) + "  "
                + "\(calibrationNumber(post.p50)) [\(calibrationNumber(post.p5)) – \(calibrationNumber(post.p95))]\n"
        }
        if !unfitted.isEmpty { out += wrapped(t("left random: ", "仍随机抽取：") + unfitted.joined(separator: ", "), continuation: "  ") }
        out += "\n" + pad(t("generation", "代"), 10) + "  " + pad(t("tolerance", "容许距离"), 10, right: true) + "  " + pad(t("acceptance", "接受率"), 10, right: true)
            + "  " + pad(t("attempts", "尝试次数"), 9, right: true) + "  " + pad(t("ESS", "有效样本"), 8, right: true) + "\n"
        for (g, generation) in generations.enumerated() {
            out += pad("\(g)", 10) + "  " + pad(calibrationNumber(generation.tolerance), 10, right: true) + "  "
                + pad(calibrationNumber(generation.acceptance), 10, right: true) + "  " + pad(generation.attempts.formatted(), 9, right: true)
                + "  " + pad(Int(generation.ess.rounded()).formatted(), 8, right: true) + "\n"
        }
        out += "\n" + t("posterior predictive check (\(settings.predictiveReplicates.formatted()) replicates)",
                        "后验预测检验（\(settings.predictiveReplicates.formatted()) 次重复）") + "\n"
        let nameWidth = Swift.min(30, Swift.max(13, scenario.history.map { pointName($0, scenario: scenario).count }.max() ?? 13))
        out += pad(t("history point", "历史观测"), nameWidth) + "  " + pad(t("observed", "观测值"), 9, right: true) + "  " + pad("p5 – p95", 17) + "  "
            + pad(t("prior p5 – p95", "先验 p5 – p95"), 17) + "  " + t("in", "在内") + "\n"
        for check in predictive {
            out += pad(String(pointName(check.point, scenario: scenario).prefix(nameWidth)), nameWidth) + "  "
                + pad(calibrationNumber(check.point.value), 9, right: true) + "  "
                + pad("\(calibrationNumber(check.p5)) – \(calibrationNumber(check.p95))", 17) + "  "
                + pad("\(calibrationNumber(check.priorP5)) – \(calibrationNumber(check.priorP95))", 17) + "  "
                + (check.inside ? t("yes", "是") : t("no", "否")) + "\n"
        }
        return out
    }
}

/// The stop reason of calibration.json in the reader's language (the file keeps English).
func calibrationStopText(_ reason: String, language: Language) -> String {
    guard language == .zh else { return reason }
    if reason.hasPrefix("reached --generations") {
        return "已达到 --generations " + reason.dropFirst("reached --generations ".count)
    }
    // "generation g accepted fewer than …": the acceptance rule of docs/model.md.
    return "某一代的接受率低于 \(Int(CalibrationSettings.minimumAcceptance * 100))%，该代未采用（\(reason)）"
}

/// `text` broken at spaces into lines of at most `width` terminal columns, each ending in a newline.
func wrapped(_ text: String, width: Int = 80, continuation: String = "") -> String {
    var out = "", line = ""
    for word in text.split(separator: " ") {
        if !line.isEmpty, displayWidth(line) + 1 + displayWidth(String(word)) > width {
            out += line + "\n"
            line = continuation
        }
        line += (line.isEmpty || line == continuation ? "" : " ") + word
    }
    return out + line + "\n"
}

/// The HTML report of `simfund calibrate --report` (and of `simfund report
/// DIR` on its --out directory), rendered from calibration.json, the
/// manifest and scenario.json: prior against posterior for every
/// parameter, the posterior predictive table, the generations and the
/// history points. Inline SVG and CSS only.
public struct CalibrationReport {
    public var summary: CalibrationSummary
    public var manifest: RunManifest
    public var language: Language = .en
    /// The scenario file as calibrated (for the history table's default marks).
    var scenario: JSONNode?

    init(summary: CalibrationSummary, manifest: RunManifest, scenario: JSONNode?, language: Language = .en) {
        self.language = language
        self.summary = summary
        self.manifest = manifest
        self.scenario = scenario
    }

    /// The report from an output directory's files (calibration.json, manifest.json, scenario.json).
    static func render(files: [String: String], language: Language = .en) throws(ReportError) -> String {
        func read<T>(_ name: String, _ reader: (String) throws(OutputReadError) -> T) throws(ReportError) -> T? {
            guard let text = files[name] else { return nil }
            do { return try reader(text) } catch { throw ReportError(description: error.description) }
        }
        guard let manifest = try read("manifest.json", { text throws(OutputReadError) in try RunManifest(manifestJSON: text) }) else {
            throw ReportError(description: "manifest.json is missing: run simfund calibrate with --out DIR first")
        }
        guard let summary = try read("calibration.json", { text throws(OutputReadError) in try CalibrationSummary(calibrationJSON: text) }) else {
            throw ReportError(description: "calibration.json is missing")
        }
        if manifest.seed != summary.seed {
            throw ReportError(description: "manifest.json: seed: expected the seed of calibration.json, \(summary.seed), found \(manifest.seed) (the files come from different runs)")
        }
        let scenario = files["scenario.json"].flatMap { try? JSONParser.parse($0) }
        return CalibrationReport(summary: summary, manifest: manifest, scenario: scenario, language: language).html()
    }

    static let css = """
    body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}
    h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}
    table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:right}
    th{white-space:nowrap}td.name,th.name{text-align:left}.meta{color:#555}.no{color:#b00;font-weight:600}
    svg{display:block;max-width:100%}
    @page{size:A4;margin:15mm}@media print{body{margin:0;max-width:none}h2{break-after:avoid}}
    """

    var zh: Bool { language == .zh }
    func t(_ en: String, _ zhText: String) -> String { zh ? zhText : en }

    public func html() -> String {
        let title = t("Calibration: ", "校准：") + manifest.scenarioName
        var body = "<h1>" + escapeXML(title) + "</h1>"
        body += "<p class=\"meta\">" + escapeXML("\(manifest.command) · " + t("seed \(manifest.seed) · \(summary.particles) particles · \(summary.generations.count) generations",
                                                                           "种子 \(manifest.seed) · \(summary.particles) 个粒子 · \(summary.generations.count) 代")
            + " · simfund \(manifest.simfund) · GSL \(manifest.gsl) · \(manifest.runDate)") + "</p>"
        body += "<p>" + escapeXML(t("Stopped: ", "停止：") + calibrationStopText(summary.stopped, language: language) + t(".", "。")) + "</p>"
        body += priorPosteriorSection() + predictiveSection() + generationsSection() + historySection()
        return "<!DOCTYPE html><html lang=\"\(zh ? "zh-Hans" : "en")\"><head><meta charset=\"utf-8\"><title>" + escapeXML(title)
            + "</title><style>" + CalibrationReport.css + "</style></head><body>" + body + "</body></html>\n"
    }

    /// One row per parameter: the prior's p5–p95 (grey) above the posterior's (blue), medians as ticks.
    func priorPosteriorSection() -> String {
        var out = "<h2 id=\"parameters\">" + t("Prior and posterior", "先验与后验") + "</h2><p>"
            + t("Bars: p5–p95; ticks: medians. Grey: the prior (the file's distribution); blue: the posterior (weighted particles).",
                "条形：p5–p95；短竖线：中位数。灰色：先验（文件中的分布）；蓝色：后验（加权粒子）。") + "</p>"
        let width = 640.0, labelWidth = 250.0, rowHeight = 44.0
        let height = rowHeight * Double(summary.parameters.count) + 24
        out += "<svg id=\"prior-posterior\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"prior and posterior intervals\">"
        for (k, p) in summary.parameters.enumerated() {
            let lo = Swift.min(p.prior[0], p.p5), hi = Swift.max(p.prior[2], p.p95)
            let span = hi > lo ? hi - lo : 1
            func x(_ v: Double) -> Double { labelWidth + 10 + (v - lo) / span * (width - labelWidth - 30) }
            let top = 12 + rowHeight * Double(k)
            out += "<text x=\"0\" y=\"\(f1(top + 16))\" font-size=\"12\">\(escapeXML(p.path))</text>"
            out += "<rect x=\"\(f1(x(p.prior[0])))\" y=\"\(f1(top))\" width=\"\(f1(Swift.max(1, x(p.prior[2]) - x(p.prior[0]))))\" height=\"9\" fill=\"#bbb\"><title>"
                + escapeXML("prior p5 \(calibrationNumber(p.prior[0])), p50 \(calibrationNumber(p.prior[1])), p95 \(calibrationNumber(p.prior[2]))") + "</title></rect>"
            out += "<rect x=\"\(f1(x(p.prior[1]) - 1))\" y=\"\(f1(top - 2))\" width=\"2\" height=\"13\" fill=\"#555\"/>"
            out += "<rect x=\"\(f1(x(p.p5)))\" y=\"\(f1(top + 14))\" width=\"\(f1(Swift.max(1, x(p.p95) - x(p.p5))))\" height=\"9\" fill=\"#1f6fb4\"><title>"
                + escapeXML("posterior p5 \(calibrationNumber(p.p5)), p50 \(calibrationNumber(p.p50)), p95 \(calibrationNumber(p.p95))") + "</title></rect>"
            out += "<rect x=\"\(f1(x(p.p50) - 1))\" y=\"\(f1(top + 12))\" width=\"2\" height=\"13\" fill=\"#0b3a66\"/>"
            out += "<text x=\"\(f1(x(lo)))\" y=\"\(f1(top + 36))\" font-size=\"10\" fill=\"#555\">\(escapeXML(calibrationNumber(lo)))</text>"
            out += "<text x=\"\(f1(x(hi)))\" y=\"\(f1(top + 36))\" font-size=\"10\" fill=\"#555\" text-anchor=\"end\">\(escapeXML(calibrationNumber(hi)))</text>"
        }
        out += "</svg><table><tr><th class=\"name\">" + t("parameter", "参数") + "</th><th>" + t("prior p5", "先验 p5") + "</th><th>p50</th><th>p95</th><th>"
            + t("posterior mean", "后验均值") + "</th><th>" + t("sd", "标准差") + "</th><th>p5</th><th>p50</th><th>p95</th></tr>"
        for p in summary.parameters {
            out += "<tr><td class=\"name\"><code>\(escapeXML(p.path))</code></td>"
                + [p.prior[0], p.prior[1], p.prior[2], p.mean, p.sd, p.p5, p.p50, p.p95].map { "<td>\(calibrationNumber($0))</td>" }.joined() + "</tr>"
        }
        out += "</table>"
        if !summary.unfitted.isEmpty {
            out += "<p>" + escapeXML(t("Left random, drawn from their distributions (drawn every year, scheduled, discrete or counts): ",
                                       "仍按其分布随机抽取（每年抽取、按时间表、离散或计数）：")
                + summary.unfitted.joined(separator: ", ") + t(".", "。")) + "</p>"
        }
        return out
    }

    func predictiveSection() -> String {
        var out = "<h2 id=\"predictive\">" + t("Posterior predictive check", "后验预测检验") + "</h2><p>"
            + escapeXML(t("\(summary.predictiveReplicates.formatted()) replicates, each with a particle drawn by weight; the prior's band is generation 0's.",
                          "\(summary.predictiveReplicates.formatted()) 次重复，每次按权重抽取一个粒子；先验区间取自第 0 代。")) + "</p>"
        out += "<table><tr><th class=\"name\">" + t("history point", "历史观测") + "</th><th>" + t("observed", "观测值") + "</th><th>" + t("sd", "不确定度")
            + "</th><th>p5</th><th>p50</th><th>p95</th><th>" + t("inside", "在区间内") + "</th><th>" + t("prior p5–p95", "先验 p5–p95") + "</th></tr>"
        for c in summary.predictive {
            out += "<tr><td class=\"name\">\(escapeXML(c.name))</td>"
                + [c.observed, c.sd, c.p5, c.p50, c.p95].map { "<td>\(calibrationNumber($0))</td>" }.joined()
                + (c.inside ? "<td>" + t("yes", "是") + "</td>" : "<td class=\"no\">" + t("no", "否") + "</td>")
                + "<td>\(calibrationNumber(c.prior[0])) – \(calibrationNumber(c.prior[2]))</td></tr>"
        }
        return out + "</table>"
    }

    func generationsSection() -> String {
        var out = "<h2 id=\"generations\">" + t("Generations", "各代") + "</h2><table><tr><th>" + t("generation", "代") + "</th><th>" + t("tolerance", "容许距离")
            + "</th><th>" + t("acceptance", "接受率") + "</th><th>" + t("attempts", "尝试次数") + "</th><th>" + t("ESS", "有效样本量") + "</th></tr>"
        for (g, generation) in summary.generations.enumerated() {
            out += "<tr><td>\(g)</td><td>\(calibrationNumber(generation.tolerance))</td><td>\(calibrationNumber(generation.acceptance))</td>"
                + "<td>\(generation.attempts.formatted())</td><td>\(Int(generation.ess.rounded()).formatted())</td></tr>"
        }
        return out + "</table>"
    }

    func historySection() -> String {
        let given = (scenario?["history"]?.elements ?? []).map { $0["sd"] != nil }
        return "<h2 id=\"history\">" + t("History", "历史观测") + "</h2>" + historyTable(summary.predictive.enumerated().map { i, c in
            (c.name, c.observed, c.sd, i < given.count ? given[i] : true)
        }, zh: zh)
    }
}

/// The history points as a table (calibration report and the run reports' inputs).
func historyTable(_ rows: [(name: String, value: Double, sd: Double, sdGiven: Bool)], zh: Bool = false) -> String {
    var out = "<table class=\"history\"><tr><th class=\"name\">" + (zh ? "历史观测" : "history point") + "</th><th>" + (zh ? "观测值" : "observed")
        + "</th><th>" + (zh ? "不确定度" : "sd") + "</th></tr>"
    for row in rows {
        out += "<tr><td class=\"name\">\(escapeXML(row.name))</td><td>\(calibrationNumber(row.value))</td><td>\(calibrationNumber(row.sd))"
            + (row.sdGiven ? "" : (zh ? "(默认)" : " (default)")) + "</td></tr>"
    }
    return out + "</table>"
}

extension HTMLReport {
    /// The scenario's history points, read from scenario.json, for the inputs section.
    func historyInputs() -> String {
        let points = scenario?["history"]?.elements ?? []
        guard !points.isEmpty else { return "" }
        let rows = points.map { point -> (name: String, value: Double, sd: Double, sdGiven: Bool) in
            let metric = Metric(name: point["metric"]?.string ?? "") ?? .certified
            let value = point["value"]?.number ?? 0
            let name = "\(metric.name) \(jsonNumber(point["year"]?.number ?? 0))" + (point["district"]?.string.map { " \($0)" } ?? "")
            return (name, value, point["sd"]?.number ?? HistoryPoint.defaultSD(value: value, metric: metric), point["sd"] != nil)
        }
        return "<h3 id=\"history\">" + t("History (observed values)", "历史观测值") + "</h3><div class=\"wide\">" + historyTable(rows, zh: zh) + "</div>"
    }

    /// Region-wide history points of `metric`, drawn as observed points on its fan chart.
    func historyMarkers(_ metric: Metric) -> [TargetMarker] {
        (scenario?["history"]?.elements ?? []).compactMap { point in
            guard point["metric"]?.string == metric.name, point["district"] == nil,
                  let year = point["year"]?.number, let value = point["value"]?.number else { return nil }
            return TargetMarker(year: Int(year), value: value, label: t("observed", "观测值") + " \(Int(year)): \(calibrationNumber(value))")
        }
    }
}
