import Foundation

/// Why a report could not be made.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Renders the self-contained HTML report from the files a run writes
/// (manifest.json, scenario.json, and summary.json or compare.json), so that
/// `--report` and `simfund report DIR` produce the same bytes for the same run.
/// Inline SVG and CSS only: no script, font, stylesheet or image is fetched.
public struct HTMLReport {
    public static let fileNames = ["manifest.json", "scenario.json", "summary.json", "compare.json"]

    /// - Parameter files: file name → contents, as written to an output directory.
    public static func render(files: [String: String]) throws(ReportError) -> String {
        func parse(_ name: String) throws(ReportError) -> JSONNode? {
            guard let text = files[name] else { return nil }
            do { return try JSONParser.parse(text) } catch {
                throw ReportError(description: "\(name): not valid JSON at \(error.location): expected \(error.expected), found \(error.found)")
            }
        }
        guard let manifest = try parse("manifest.json") else {
            throw ReportError(description: "manifest.json is missing: run simfund with --out DIR first")
        }
        let scenario = try parse("scenario.json")
        let base: ReportSummary, alternatives: [ReportAlternative]
        var baseName = "base"
        if let compare = try parse("compare.json") {
            baseName = compare["baseName"]?.string ?? baseName
            guard let summary = compare["base"].map(ReportSummary.init) else { throw ReportError(description: "compare.json has no \"base\"") }
            base = summary
            alternatives = (compare["alternatives"]?.elements ?? []).map(ReportAlternative.init)
        } else if let summary = try parse("summary.json") {
            base = ReportSummary(summary)
            alternatives = []
        } else {
            throw ReportError(description: "neither summary.json nor compare.json is present")
        }
        return HTMLReport(manifest: manifest, scenario: scenario, base: base, baseName: baseName, alternatives: alternatives).html()
    }

    let manifest: JSONNode
    let scenario: JSONNode?
    let base: ReportSummary
    /// What the base is called in a comparison ("base", or the first file's scenario name).
    let baseName: String
    let alternatives: [ReportAlternative]

    static let keyMetrics: [(metric: String, title: String, unit: String, share: Bool)] = [
        ("townshipCoverage", "Township coverage (staffed, working stations / townships)", "share of townships", true),
        ("communityCoverage", "Community coverage (staffed, working rooms / communities)", "share of communities", true),
        ("certified", "Certified social workers", "people", false),
        ("certifiedPer10k", "Certified social workers per 10,000 people", "per 10,000 people", false),
    ]

    func html() -> String {
        var body = header()
        body += targetSection()
        body += "<h2 id=\"charts\">Outcomes by year</h2>"
        body += "<p class=\"note\">Each chart shows the median over \(base.replicates) replicates and the ranges that hold half (p25–p75) and nine in ten (p5–p95) of them.</p>"
        body += "<div class=\"grid\">"
        for (metric, title, unit, share) in HTMLReport.keyMetrics { body += fan(metric: metric, title: title, unit: unit, share: share) }
        body += "</div>"
        body += spendingSection()
        body += districtSection()
        if !alternatives.isEmpty { body += differenceSection() }
        body += inputsSection()
        body += "<footer>simfund \(escapeXML(manifest["simfund"]?.string ?? simfundVersion)) · generated from the run's output files; "
            + "re-create with <code>simfund report DIR</code>.</footer>"
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(escapeXML(base.name)) — simfund report</title>
        <style>\(HTMLReport.css)</style></head>
        <body>\(body)</body></html>

        """
    }

    static let css = """
    body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif;color:#1a1a1a;max-width:1320px;margin:0 auto;padding:16px 24px;line-height:1.4}
    h1{font-size:1.6em;margin:0.2em 0}h2{font-size:1.25em;border-bottom:2px solid #0072B2;padding-bottom:2px;margin-top:1.6em}
    table{border-collapse:collapse;margin:0.5em 0;font-size:0.92em}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right;vertical-align:top}
    th{background:#f2f2f2}td.name,th.name{text-align:left}
    .manifest td,.manifest th{text-align:left}.note{color:#555;font-size:0.9em}
    .grid{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;flex:1 1 600px;max-width:640px}
    figcaption{font-weight:600;margin-bottom:4px}svg.chart{width:100%;height:auto;display:block;background:#fff}
    .tick{font-size:11px;fill:#333}.unit{font-size:11px;fill:#555}
    .legend{font-size:0.85em;display:flex;flex-wrap:wrap;gap:12px;margin-top:2px}.legend span{white-space:nowrap}
    .likely{background:#cfe8d6}.even{background:#fff3c4}.unlikely{background:#fbd9c9}.remote{background:#f4b6b6}
    footer{margin-top:2em;color:#666;font-size:0.85em}code{font-size:0.9em}
    @media print{body{max-width:none;padding:0}h2{break-after:avoid}figure,table{break-inside:avoid}}
    """

    // MARK: - Sections

    func header() -> String {
        var out = "<h1>\(escapeXML(base.name))</h1>"
        if let description = scenario?["description"]?.string { out += "<p>\(escapeXML(description))</p>" }
        let rows: [(String, String)] = [
            ("scenario file", manifest["scenarioFile"]?.string ?? ""),
            ("scenario SHA-256", manifest["scenarioSHA256"]?.string ?? ""),
            ("run date (UTC)", manifest["runDate"]?.string ?? ""),
            ("seed", manifest["seed"]?.summary ?? String(base.seed)),
            ("generator", "\(base.generator) (GSL \(manifest["gsl"]?.string ?? "?"))"),
            ("replicates", String(base.replicates)),
            ("threads", manifest["threads"]?.summary ?? ""),
            ("simfund", manifest["simfund"]?.string ?? simfundVersion),
            ("command", manifest["command"]?.string ?? ""),
        ]
        out += "<table class=\"manifest\">" + rows.map { "<tr><th>\(escapeXML($0.0))</th><td>\(escapeXML($0.1))</td></tr>" }.joined() + "</table>"
        if !alternatives.isEmpty {
            out += "<p>Compared: <b>\(escapeXML(baseName))</b> and "
                + alternatives.map { "<b>\(escapeXML($0.name))</b>" }.joined(separator: ", ")
                + ", on the same seed and replicates (common random numbers).</p>"
        }
        return out
    }

    static func likelihood(_ p: Double) -> (cls: String, word: String) {
        if p >= 0.9 { return ("likely", "very likely") }
        if p >= 0.5 { return ("even", "more likely than not") }
        if p >= 0.1 { return ("unlikely", "unlikely") }
        return ("remote", "very unlikely")
    }

    func targetSection() -> String {
        guard !base.targets.isEmpty else { return "" }
        var out = "<h2 id=\"targets\">Targets</h2><table><tr><th class=\"name\">target</th>"
        let runs = [((alternatives.isEmpty ? "" : baseName), base.targets)] + alternatives.map { ($0.name, $0.targets) }
        for run in runs { out += "<th>\(escapeXML(run.0.isEmpty ? "probability met" : run.0))<br/>[95% interval]</th>" }
        out += "</tr>"
        for (i, target) in base.targets.enumerated() {
            out += "<tr><td class=\"name\">\(escapeXML(target.label))</td>"
            for run in runs {
                let t = run.1[i]
                let (cls, word) = HTMLReport.likelihood(t.probability)
                var cell = "\(formatPercent(t.probability)) [\(formatPercent(t.low)) – \(formatPercent(t.high))]<br/><small>\(word)</small>"
                if let d = t.difference {
                    cell += "<br/><small>Δ \(signedPoints(d.mean)) [\(signedPoints(d.low)), \(signedPoints(d.high))]</small>"
                }
                out += "<td class=\"\(cls)\">\(cell)</td>"
            }
            out += "</tr>"
        }
        return out + "</table><p class=\"note\">Colours: green ≥ 90%, yellow 50–90%, orange 10–50%, red &lt; 10%; the words say the same.</p>"
    }

    func signedPoints(_ x: Double) -> String { (x > 0 ? "+" : "") + String(format: "%.1f pts", x * 100) }

    func fan(metric: String, title: String, unit: String, share: Bool) -> String {
        let runs = [(baseName, base)] + alternatives.map { ($0.name, $0.summary) }
        let series = runs.enumerated().map { i, run in
            FanSeries(name: alternatives.isEmpty ? base.name : run.0, colour: palette[i % palette.count],
                      p5: run.1.series(metric, "p5"), p25: run.1.series(metric, "p25"), p50: run.1.series(metric, "p50"),
                      p75: run.1.series(metric, "p75"), p95: run.1.series(metric, "p95"))
        }
        let markers = base.targets.filter { $0.metric == metric && $0.district == nil }.map { TargetMarker(year: $0.year, value: $0.threshold, label: $0.label) }
        return fanChart(id: "fan-\(metric)", title: title, unit: unit, share: share, years: base.years, series: series, targets: markers)
    }

    func spendingSection() -> String {
        let categories: [(String, String, String)] = [("spendSubsidies", "subsidies", palette[0]), ("spendContracts", "contracts (net of refunds)", palette[1]),
                                                      ("spendBuild", "building", palette[2]), ("spendTraining", "training", palette[3]),
                                                      ("spendAwards", "awards", palette[4])]
        var out = "<h2 id=\"spending\">Spending</h2><div class=\"grid\">"
        out += stackedBars(id: "spending-\(0)", title: "Spending by category, mean per year (\(base.name))", years: base.years,
                           categories: categories.map { ($0.1, $0.2, base.series($0.0, "mean")) })
        let runs = [(baseName, base)] + alternatives.map { ($0.name, $0.summary) }
        let paid = runs.enumerated().map { i, run in
            FanSeries(name: alternatives.isEmpty ? base.name : run.0, colour: palette[i % palette.count], p5: run.1.series("subsidyPaidRatio", "p5"),
                      p25: run.1.series("subsidyPaidRatio", "p25"), p50: run.1.series("subsidyPaidRatio", "p50"),
                      p75: run.1.series("subsidyPaidRatio", "p75"), p95: run.1.series("subsidyPaidRatio", "p95"))
        }
        out += fanChart(id: "fan-subsidyPaidRatio", title: "Share of due subsidies paid", unit: "paid / due", share: true, years: base.years, series: paid, targets: [])
        for (i, alternative) in alternatives.enumerated() {
            out += stackedBars(id: "spending-\(i + 1)", title: "Spending by category, mean per year (\(alternative.name))", years: base.years,
                               categories: categories.map { ($0.1, $0.2, alternative.summary.series($0.0, "mean")) })
        }
        return out + "</div>"
    }

    func districtSection() -> String {
        guard !base.districts.isEmpty else { return "" }
        let last = base.years.count - 1
        let sorted = base.districts.enumerated().sorted { a, b in
            let pa = a.element.full[last].probability, pb = b.element.full[last].probability
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
        var out = "<h2 id=\"districts\">Districts: probability that every township has a staffed station</h2>"
        out += "<p class=\"note\">Districts that fall behind come first (lowest probability in \(base.years[last])). Darker is more likely.</p>"
        out += "<table class=\"heat\"><tr><th class=\"name\">district</th>" + base.years.map { "<th>\($0)</th>" }.joined()
            + "<th>median township coverage \(base.years[last])</th></tr>"
        for district in sorted {
            out += "<tr><td class=\"name\">\(escapeXML(district.name))</td>"
            for p in district.full {
                let shade = HTMLReport.heatColour(p.probability)
                out += "<td style=\"background:\(shade.background);color:\(shade.text)\">\(formatPercent(p.probability))</td>"
            }
            out += "<td>\(formatPercent(district.medianCoverage[last]))</td></tr>"
        }
        return out + "</table>"
    }

    /// A sequential blue scale (light = unlikely, dark = likely) with readable text.
    static func heatColour(_ p: Double) -> (background: String, text: String) {
        let t = max(0, min(1, p))
        let from = (247.0, 251.0, 255.0), to = (8.0, 69.0, 148.0)
        let r = Int(from.0 + (to.0 - from.0) * t), g = Int(from.1 + (to.1 - from.1) * t), b = Int(from.2 + (to.2 - from.2) * t)
        return (String(format: "#%02x%02x%02x", r, g, b), t > 0.55 ? "#fff" : "#000")
    }

    func differenceSection() -> String {
        let last = base.years.count - 1
        let metrics: [(String, String, Bool)] = [("townshipCoverage", "township coverage", true), ("communityCoverage", "community coverage", true),
                                                 ("certified", "certified", false), ("spendTotal", "spending (yuan)", false)]
        var out = "<h2 id=\"differences\">Differences from the base in \(base.years[last]) (paired, 95% interval)</h2>"
        out += "<table><tr><th class=\"name\">alternative</th>" + metrics.map { "<th>\(escapeXML($0.1))</th>" }.joined() + "</tr>"
        for alternative in alternatives {
            out += "<tr><td class=\"name\">\(escapeXML(alternative.name))</td>"
            for (metric, _, share) in metrics {
                guard let d = alternative.differences[metric]?[last] else { out += "<td>–</td>"; continue }
                func show(_ x: Double) -> String { share ? signedPoints(x) : (x > 0 ? "+" : "") + reportNumber(x) }
                out += "<td>\(show(d["mean"] ?? 0)) [\(show(d["low"] ?? 0)), \(show(d["high"] ?? 0))]<br/><small>better in \(formatPercent(d["probabilityBetter"] ?? 0)) of replicates</small></td>"
            }
            out += "</tr>"
        }
        out += "</table><p class=\"note\">Every alternative ran on the base's seed and replicates, so each difference is taken replicate by replicate (common random numbers).</p>"
        return out
    }

    func inputsSection() -> String {
        guard let scenario else { return "" }
        var provenance: [String: String] = [:]
        for member in scenario["provenance"]?.members ?? [] { provenance[member.key] = member.value.string }
        func source(_ path: String) -> String {
            var candidate = path
            while true {
                if let text = provenance[candidate] { return text }
                guard let dot = candidate.lastIndex(of: ".") else { return "" }
                candidate = String(candidate[..<dot])
            }
        }
        var rows: [(String, String)] = []
        func walk(_ node: JSONNode, _ path: String) {
            switch node.value {
            case let .object(members) where node["dist"] == nil:
                for member in members where !(path.isEmpty && ["districts", "provenance", "alternatives", "targets", "description", "name"].contains(member.key)) {
                    walk(member.value, path.isEmpty ? member.key : "\(path).\(member.key)")
                }
            case let .array(elements):
                for (i, element) in elements.enumerated() { walk(element, "\(path).\(i)") }
            default:
                rows.append((path, HTMLReport.compact(node)))
            }
        }
        walk(scenario, "")
        var out = "<h2 id=\"inputs\">Inputs and their sources</h2><table><tr><th class=\"name\">input</th><th class=\"name\">value</th><th class=\"name\">source</th></tr>"
        for (path, value) in rows {
            out += "<tr><td class=\"name\"><code>\(escapeXML(path))</code></td><td class=\"name\">\(escapeXML(value))</td><td class=\"name\">\(escapeXML(source(path)))</td></tr>"
        }
        out += "</table>"
        let districts = scenario["districts"]?.elements ?? []
        if !districts.isEmpty {
            out += "<table><tr><th class=\"name\">district</th><th>population</th><th>townships (streets / towns)</th><th>communities (urban / rural)</th>"
                + "<th>stations</th><th>rooms</th><th>uncertified / junior / intermediate / senior</th><th>agencies</th><th>relief funds</th><th class=\"name\">source</th></tr>"
            for (i, d) in districts.enumerated() {
                func pair(_ key: String, _ a: String, _ b: String) -> String { "\(d[key]?[a]?.summary ?? "") / \(d[key]?[b]?.summary ?? "")" }
                let name = d["name"]?.string ?? ""
                let cited = [provenance["districts.\(name)"], provenance["districts.\(i)"], provenance["districts"]].compactMap { $0 }.first ?? ""
                out += "<tr><td class=\"name\">\(escapeXML(name))</td><td>\(escapeXML(d["population"]?.summary ?? ""))</td>"
                    + "<td>\(pair("townships", "streets", "towns"))</td><td>\(pair("communities", "urban", "rural"))</td>"
                    + "<td>\(pair("stations", "streets", "towns"))</td><td>\(pair("rooms", "urban", "rural"))</td>"
                    + "<td>\(pair("workforce", "uncertified", "junior")) / \(d["workforce"]?["intermediate"]?.summary ?? "") / \(d["workforce"]?["senior"]?.summary ?? "")</td>"
                    + "<td>\(escapeXML(d["agencies"]?.summary ?? ""))</td><td>\(escapeXML(reportNumber(d["reliefFunds"]?.number ?? 0)))</td>"
                    + "<td class=\"name\">\(escapeXML(cited))</td></tr>"
            }
            out += "</table>"
        }
        return out
    }

    /// A JSON value on one line (distribution objects included).
    static func compact(_ node: JSONNode) -> String {
        switch node.value {
        case let .object(members): return "{" + members.map { "\($0.key): \(compact($0.value))" }.joined(separator: ", ") + "}"
        case let .array(elements): return "[" + elements.map(compact).joined(separator: ", ") + "]"
        case let .string(s): return s
        default: return node.summary
        }
    }
}

/// The parts of a summary.json a report shows.
struct ReportSummary {
    struct TargetRow {
        var label: String, metric: String, year: Int, threshold: Double, district: String?
        var probability: Double, low: Double, high: Double
        var difference: (mean: Double, low: Double, high: Double)?
    }
    struct DistrictRow {
        var name: String
        var full: [(probability: Double, low: Double, high: Double)]
        var medianCoverage: [Double]
    }
    var name: String, seed: String, generator: String, replicates: Int, years: [Int]
    var metrics: [String: [JSONNode]]
    var targets: [TargetRow]
    var districts: [DistrictRow]

    init(_ node: JSONNode) {
        name = node["scenario"]?.string ?? ""
        seed = node["seed"]?.summary ?? ""
        generator = node["generator"]?.string ?? ""
        replicates = Int(node["replicates"]?.number ?? 0)
        years = (node["years"]?.elements ?? []).map { Int($0.number ?? 0) }
        var metrics: [String: [JSONNode]] = [:]
        for member in node["metrics"]?.members ?? [] { metrics[member.key] = member.value.elements ?? [] }
        self.metrics = metrics
        targets = (node["targets"]?.elements ?? []).map(ReportSummary.target)
        districts = (node["districts"]?.members ?? []).map { member in
            DistrictRow(name: member.key,
                        full: (member.value["fullTownshipCoverage"]?.elements ?? []).map {
                            ($0["probability"]?.number ?? 0, $0["low"]?.number ?? 0, $0["high"]?.number ?? 0)
                        },
                        medianCoverage: (member.value["townshipCoverage"]?.elements ?? []).map { $0["p50"]?.number ?? 0 })
        }
    }

    static func target(_ t: JSONNode) -> TargetRow {
        let metric = t["metric"]?.string ?? ""
        let atMost = t["atMost"]?.number
        let threshold = atMost ?? t["atLeast"]?.number ?? 0
        let district = t["district"]?.string
        let label = "\(metric) \(atMost == nil ? "≥" : "≤") \(jsonNumber(threshold)) in \(Int(t["year"]?.number ?? 0))" + (district.map { " (\($0))" } ?? "")
        var row = TargetRow(label: label, metric: metric, year: Int(t["year"]?.number ?? 0), threshold: threshold, district: district,
                            probability: t["probability"]?.number ?? 0, low: t["low"]?.number ?? 0, high: t["high"]?.number ?? 0)
        if let difference = t["difference"]?.number {
            row.difference = (difference, row.low, row.high)
            row.low = 0
            row.high = 0
        }
        return row
    }

    /// One statistic of one metric over the years.
    func series(_ metric: String, _ statistic: String) -> [Double] {
        (metrics[metric] ?? []).map { $0[statistic]?.number ?? 0 }
    }
}

/// The parts of a compare.json alternative a report shows.
struct ReportAlternative {
    var name: String
    var summary: ReportSummary
    var differences: [String: [[String: Double]]]
    var targets: [ReportSummary.TargetRow]

    init(_ node: JSONNode) {
        name = node["name"]?.string ?? ""
        summary = ReportSummary(node["summary"] ?? JSONNode(.object([])))
        var differences: [String: [[String: Double]]] = [:]
        for member in node["differences"]?.members ?? [] {
            differences[member.key] = (member.value.elements ?? []).map { year in
                var fields: [String: Double] = [:]
                for field in year.members ?? [] { fields[field.key] = field.value.number }
                return fields
            }
        }
        self.differences = differences
        // The probabilities under the alternative, with the paired difference from the base.
        let own = summary.targets
        targets = (node["targets"]?.elements ?? []).enumerated().map { i, t in
            var row = ReportSummary.target(t)
            if i < own.count { row.low = own[i].low; row.high = own[i].high }
            return row
        }
    }
}
