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
    public func terminalText(scenario: Scenario) -> String {
        func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
            let fill = String(repeating: " ", count: Swift.max(0, width - s.count))
            return right ? fill + s : s + fill
        }
        var out = "Calibration of \(scenario.name) to \(scenario.history.count) history point\(scenario.history.count == 1 ? "" : "s")\n"
        out += "seed \(settings.seed) · \(settings.particles) particles · \(generations.count) generation\(generations.count == 1 ? "" : "s")\n"
        out += wrapped("stopped: \(stopReason)", continuation: "  ") + "\n"
        let pathWidth = Swift.min(34, Swift.max(9, parameters.map(\.path.count).max() ?? 9))
        out += pad("parameter", pathWidth) + "  " + pad("prior p5 – p95", 20) + "  posterior p50 [p5 – p95]\n"
        for (k, parameter) in parameters.enumerated() {
            let post = posteriorSummary(k)
            let prior = "\(calibrationNumber(priorQuantiles[k][0])) – \(calibrationNumber(priorQuantiles[k][2]))"
            out += pad(String(parameter.path.suffix(pathWidth)), pathWidth) + "  " + pad(prior, 20) + "  "
                + "\(calibrationNumber(post.p50)) [\(calibrationNumber(post.p5)) – \(calibrationNumber(post.p95))]\n"
        }
        if !unfitted.isEmpty { out += wrapped("left random: " + unfitted.joined(separator: ", "), continuation: "  ") }
        out += "\n" + pad("generation", 10) + "  " + pad("tolerance", 10, right: true) + "  " + pad("acceptance", 10, right: true)
            + "  " + pad("attempts", 9, right: true) + "  " + pad("ESS", 7, right: true) + "\n"
        for (g, generation) in generations.enumerated() {
            out += pad("\(g)", 10) + "  " + pad(calibrationNumber(generation.tolerance), 10, right: true) + "  "
                + pad(calibrationNumber(generation.acceptance), 10, right: true) + "  " + pad(generation.attempts.formatted(), 9, right: true)
                + "  " + pad(Int(generation.ess.rounded()).formatted(), 7, right: true) + "\n"
        }
        out += "\nposterior predictive check (\(settings.predictiveReplicates.formatted()) replicates)\n"
        let nameWidth = Swift.min(30, Swift.max(13, scenario.history.map { pointName($0, scenario: scenario).count }.max() ?? 13))
        out += pad("history point", nameWidth) + "  " + pad("observed", 9, right: true) + "  " + pad("p5 – p95", 17) + "  "
            + pad("prior p5 – p95", 17) + "  in\n"
        for check in predictive {
            out += pad(String(pointName(check.point, scenario: scenario).prefix(nameWidth)), nameWidth) + "  "
                + pad(calibrationNumber(check.point.value), 9, right: true) + "  "
                + pad("\(calibrationNumber(check.p5)) – \(calibrationNumber(check.p95))", 17) + "  "
                + pad("\(calibrationNumber(check.priorP5)) – \(calibrationNumber(check.priorP95))", 17) + "  "
                + (check.inside ? "yes" : "no") + "\n"
        }
        return out
    }
}

/// `text` broken at spaces into lines of at most `width` characters, each ending in a newline.
func wrapped(_ text: String, width: Int = 80, continuation: String = "") -> String {
    var out = "", line = ""
    for word in text.split(separator: " ") {
        if !line.isEmpty, line.count + 1 + word.count > width {
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
    /// The scenario file as calibrated (for the history table's default marks).
    var scenario: JSONNode?

    init(summary: CalibrationSummary, manifest: RunManifest, scenario: JSONNode?) {
        self.summary = summary
        self.manifest = manifest
        self.scenario = scenario
    }

    /// The report from an output directory's files (calibration.json, manifest.json, scenario.json).
    static func render(files: [String: String]) throws(ReportError) -> String {
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
        return CalibrationReport(summary: summary, manifest: manifest, scenario: scenario).html()
    }

    static let css = """
    body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}
    h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}
    table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:right}
    th{white-space:nowrap}td.name,th.name{text-align:left}.meta{color:#555}.no{color:#b00;font-weight:600}
    svg{display:block;max-width:100%}
    @page{size:A4;margin:15mm}@media print{body{margin:0;max-width:none}h2{break-after:avoid}}
    """

    public func html() -> String {
        let title = "Calibration: \(manifest.scenarioName)"
        var body = "<h1>" + escapeXML(title) + "</h1>"
        body += "<p class=\"meta\">" + escapeXML("\(manifest.command) · seed \(manifest.seed) · \(summary.particles) particles · "
            + "\(summary.generations.count) generations · simfund \(manifest.simfund) · GSL \(manifest.gsl) · \(manifest.runDate)") + "</p>"
        body += "<p>" + escapeXML("Stopped: \(summary.stopped).") + "</p>"
        body += priorPosteriorSection() + predictiveSection() + generationsSection() + historySection()
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escapeXML(title)
            + "</title><style>" + CalibrationReport.css + "</style></head><body>" + body + "</body></html>\n"
    }

    /// One row per parameter: the prior's p5–p95 (grey) above the posterior's (blue), medians as ticks.
    func priorPosteriorSection() -> String {
        var out = "<h2 id=\"parameters\">Prior and posterior</h2><p>Bars: p5–p95; ticks: medians. Grey: the prior (the file's distribution); "
            + "blue: the posterior (weighted particles).</p>"
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
        out += "</svg><table><tr><th class=\"name\">parameter</th><th>prior p5</th><th>p50</th><th>p95</th><th>posterior mean</th><th>sd</th><th>p5</th><th>p50</th><th>p95</th></tr>"
        for p in summary.parameters {
            out += "<tr><td class=\"name\"><code>\(escapeXML(p.path))</code></td>"
                + [p.prior[0], p.prior[1], p.prior[2], p.mean, p.sd, p.p5, p.p50, p.p95].map { "<td>\(calibrationNumber($0))</td>" }.joined() + "</tr>"
        }
        out += "</table>"
        if !summary.unfitted.isEmpty {
            out += "<p>" + escapeXML("Left random, drawn from their distributions (drawn every year, scheduled, discrete or counts): "
                + summary.unfitted.joined(separator: ", ") + ".") + "</p>"
        }
        return out
    }

    func predictiveSection() -> String {
        var out = "<h2 id=\"predictive\">Posterior predictive check</h2><p>" + escapeXML("\(summary.predictiveReplicates.formatted()) replicates, "
            + "each with a particle drawn by weight; the prior's band is generation 0's.") + "</p>"
        out += "<table><tr><th class=\"name\">history point</th><th>observed</th><th>sd</th><th>p5</th><th>p50</th><th>p95</th><th>inside</th><th>prior p5–p95</th></tr>"
        for c in summary.predictive {
            out += "<tr><td class=\"name\">\(escapeXML(c.name))</td>"
                + [c.observed, c.sd, c.p5, c.p50, c.p95].map { "<td>\(calibrationNumber($0))</td>" }.joined()
                + (c.inside ? "<td>yes</td>" : "<td class=\"no\">no</td>")
                + "<td>\(calibrationNumber(c.prior[0])) – \(calibrationNumber(c.prior[2]))</td></tr>"
        }
        return out + "</table>"
    }

    func generationsSection() -> String {
        var out = "<h2 id=\"generations\">Generations</h2><table><tr><th>generation</th><th>tolerance</th><th>acceptance</th><th>attempts</th><th>ESS</th></tr>"
        for (g, generation) in summary.generations.enumerated() {
            out += "<tr><td>\(g)</td><td>\(calibrationNumber(generation.tolerance))</td><td>\(calibrationNumber(generation.acceptance))</td>"
                + "<td>\(generation.attempts.formatted())</td><td>\(Int(generation.ess.rounded()).formatted())</td></tr>"
        }
        return out + "</table>"
    }

    func historySection() -> String {
        let given = (scenario?["history"]?.elements ?? []).map { $0["sd"] != nil }
        return "<h2 id=\"history\">History</h2>" + historyTable(summary.predictive.enumerated().map { i, c in
            (c.name, c.observed, c.sd, i < given.count ? given[i] : true)
        })
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
