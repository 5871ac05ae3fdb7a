import Foundation
import Testing
@testable import SimfundCore
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The HTML report (the reports issue).
@Suite("HTML report")
struct ReportTests {
    /// The output files of a run, as `run --out` writes them.
    func runFiles(_ name: String, replicates: Int = 200) throws -> [String: String] {
        let file = try bundledScenario(name)
        let output = try Runner.simulate(file.base, seed: 3, replicates: replicates, threads: 2)
        let manifest = RunManifest(command: "simfund run", scenarioName: file.base.name, scenarioFile: name, scenarioBytes: file.source,
                                   seed: 3, replicates: replicates, threads: 2, date: Date(timeIntervalSince1970: 1_700_000_000))
        var files: [String: String] = ["manifest.json": manifest.json(), "scenario.json": String(decoding: file.source, as: UTF8.self)]
        for (fileName, contents) in RunSummary(output).outputFiles() { files[fileName] = contents }
        return files
    }

    /// Parses the report as XML (it is written to be well-formed), failing the test otherwise.
    func parseXML(_ html: String) -> Bool {
        let xml = html.replacingOccurrences(of: "<!DOCTYPE html>", with: "")
        let parser = XMLParser(data: Data(xml.utf8))
        let ok = parser.parse()
        #expect(ok, "not well-formed: \(parser.parserError.map { "\($0)" } ?? "") at line \(parser.lineNumber)")
        return ok
    }

    func attributes(_ name: String, in html: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: "\\b\(name)\\s*=\\s*\"([^\"]*)\"")
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { String(html[Range($0.range(at: 1), in: html)!]) }
    }

    /// The report as an XML document (it is written to be well-formed), for XPath queries.
    func document(_ html: String) throws -> XMLDocument {
        try XMLDocument(xmlString: html.replacingOccurrences(of: "<!DOCTYPE html>", with: ""), options: [])
    }

    func nodes(_ xpath: String, in document: XMLDocument) throws -> [XMLNode] { try document.nodes(forXPath: xpath) }

    func text(_ xpath: String, in document: XMLDocument) throws -> [String] { try nodes(xpath, in: document).map { $0.stringValue ?? "" } }

    /// Ningde compared with its three alternatives (the files `compare --out` writes).
    static let comparisonFiles: [String: String] = {
        let file = try! bundledScenario("ningde.json")
        let report = try! Comparer.compare(base: file.base, alternatives: file.alternatives.map { ($0.name, $0.scenario) }, seed: 3, replicates: 100,
                                           threads: 2, rankKey: RankKey.defaultKey(for: file.base))
        let manifest = RunManifest(command: "simfund compare", scenarioName: file.base.name, scenarioFile: "ningde.json", scenarioBytes: file.source,
                                   seed: 3, replicates: 100, threads: 2, date: Date(timeIntervalSince1970: 1_700_000_000))
        return ["manifest.json": manifest.json(), "scenario.json": String(decoding: file.source, as: UTF8.self), "compare.json": report.compareJSON()]
    }()

    /// A sweep of Ningde's relief share over 0.5% … 2% (and, with `junior`, of the junior subsidy too).
    static func sweepFiles(junior: [Double] = []) throws -> [String: String] {
        let file = try bundledScenario("ningde.json")
        let shares = [0.005, 0.01, 0.015, 0.02]
        let grid: [[Double]] = junior.isEmpty ? shares.map { [$0] } : shares.flatMap { share in junior.map { [share, $0] } }
        let paths = junior.isEmpty ? ["budget.reliefShare"] : ["budget.reliefShare", "subsidies.junior"]
        var alternatives: [(name: String, scenario: Scenario)] = []
        for point in grid {
            var json = try JSONSerialization.jsonObject(with: Data(file.source)) as! [String: Any]
            var budget = json["budget"] as! [String: Any]
            budget["reliefShare"] = point[0]
            json["budget"] = budget
            if point.count > 1 {
                var subsidies = json["subsidies"] as! [String: Any]
                subsidies["junior"] = point[1]
                json["subsidies"] = subsidies
            }
            json["alternatives"] = nil
            alternatives.append((zip(paths, point).map { "\($0)=\($1)" }.joined(separator: ", "), try scenario(json)))
        }
        let report = try Comparer.compare(base: file.base, alternatives: alternatives, seed: 3, replicates: 60, threads: 2,
                                          rankKey: RankKey.defaultKey(for: file.base))
        let manifest = RunManifest(command: "simfund sweep", scenarioName: file.base.name, scenarioFile: "ningde.json", scenarioBytes: file.source,
                                   seed: 3, replicates: 60, threads: 2, date: Date(timeIntervalSince1970: 1_700_000_000))
        return ["manifest.json": manifest.json(), "scenario.json": String(decoding: file.source, as: UTF8.self),
                "sweep.json": report.sweepJSON(paths: paths, values: grid), "compare.json": report.compareJSON()]
    }

    @Test("A run's report is well-formed, self-contained and has every chart and table")
    func runReport() throws {
        let html = try HTMLReport.render(files: try runFiles("ningde.json"))
        _ = parseXML(html)
        for id in ["fan-townshipCoverage", "fan-communityCoverage", "fan-certified", "fan-certifiedPer10k", "spending-0"] {
            #expect(html.contains("id=\"\(id)\""), "\(id)")
        }
        for section in ["id=\"targets\"", "id=\"districts\"", "id=\"inputs\"", "SHA-256", "2023-11-14T22:13:20Z"] {
            #expect(html.contains(section), "\(section)")
        }
        // No script, and nothing fetched: every src/href is an in-page anchor.
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        for reference in attributes("src", in: html) + attributes("href", in: html) { #expect(reference.hasPrefix("#"), "\(reference)") }
        #expect(!html.contains("url("))
        // The scenario hash is the SHA-256 of the file's bytes.
        let source = try Data(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/ningde.json"))
        #expect(html.contains(sha256Hex([UInt8](source))))
    }

    @Test("A flat chart becomes a sentence; a coverage chart near 0 gets a readable scale that says so")
    func runReportScales() throws {
        let doc = try document(try HTMLReport.render(files: try runFiles("ningde.json")))
        // Ningde pays every due subsidy in every replicate: one sentence, no chart.
        #expect(try nodes("//*[@id='fan-subsidyPaidRatio']", in: doc).isEmpty)
        #expect(try text("//*[@id='subsidies-paid']", in: doc) == ["Due subsidies were paid in full (100%) in every year and replicate."])
        // Community coverage stays under 10%: its axis stops below 20% and its title says so.
        let community = try text("//*[@id='fan-communityCoverage']//*[@class='tick']", in: doc).filter { $0.hasSuffix("%") }
        let top = try #require(community.last)
        #expect(Double(top.dropLast())! < 20 && !community.contains("100%"), "\(community)")
        #expect(try text("//*[@id='fan-communityCoverage']//*[@class='unit']", in: doc).contains("share of communities (scale 0–\(top), not 0–100%)"))
        // Township coverage reaches 90%: 0 to 100%, the target as a marker in words.
        let township = try text("//*[@id='fan-townshipCoverage']//*[@class='tick']", in: doc)
        #expect(township.contains("0%") && township.contains("100%"))
        #expect(try text("//*[@id='fan-townshipCoverage']//*[local-name()='path']/*[local-name()='title']", in: doc) == ["township coverage ≥ 90% in 2022"])
    }

    @Test("A district too poor to staff any station: flat coverage in words, the share of subsidies paid on a readable scale")
    func poorDistrict() throws {
        let file = try bundledScenario("ningde.json")
        var json = try JSONSerialization.jsonObject(with: Data(file.source)) as! [String: Any]
        var budget = json["budget"] as! [String: Any]
        (budget["reliefShare"], budget["fiscal"], budget["lottery"]) = (0.001, [Any](), 0)
        json["budget"] = budget
        json["subsidies"] = ["junior": 1900, "intermediate": 1900, "senior": 1900]
        json["alternatives"] = nil
        let poor = try scenario(json)
        let summary = RunSummary(try Runner.simulate(poor, seed: 3, replicates: 100, threads: 2))
        let manifest = RunManifest(command: "simfund run", scenarioName: poor.name, scenarioFile: "poor.json", scenarioBytes: [], seed: 3,
                                   replicates: 100, threads: 2)
        let doc = try document(try HTMLReport.render(files: ["manifest.json": manifest.json(), "summary.json": summary.summaryJSON()]))
        #expect(summary.metrics[.townshipCoverage]!.allSatisfy { $0.max == 0 })
        #expect(try nodes("//*[@id='fan-townshipCoverage']", in: doc).isEmpty)
        #expect(try text("//p[@class='flat']", in: doc).contains("Township coverage was 0.0% in every year and replicate."))
        // Subsidies are paid in part, well under 20%: the chart stays, on a scale that says it is not 0–100%.
        let paid = summary.metrics[.subsidyPaidRatio]!.map(\.p95).max()!
        #expect(paid > 0 && paid < 0.2)
        let title = try #require(try text("//*[@id='fan-subsidyPaidRatio']//*[@class='unit']", in: doc).first { $0.hasPrefix("paid / due") })
        #expect(title.hasSuffix(", not 0–100%)"))
    }

    @Test("The inputs table shows units and formatted values, and each source once")
    func inputsTable() throws {
        let html = try HTMLReport.render(files: try runFiles("ningde.json"))
        let doc = try document(html)
        let rows = try nodes("//*[@id='inputs']/following-sibling::div[1]//tr", in: doc).map { row in
            (row.children ?? []).map { $0.stringValue ?? "" }
        }
        func value(_ path: String) -> [String]? { rows.first { $0.first == path } }
        #expect(value("budget.reliefShare")?[1] == "1%")
        #expect(value("budget.fiscal.0.amount")?[1] == "10,800,000 yuan per year")
        #expect(value("subsidies.junior")?[1] == "80 yuan per person-month")
        #expect(value("budget.reliefGrowth")?[1] == "normal: mean 3%, sd 2% (per year)")
        #expect(value("startYear")?[1] == "2020")
        // The subsidies' source covers three rows and is printed once, in the list of sources.
        let source = "Ningde: at least 80 / 150 / 200 yuan per person per month by grade"
        #expect(html.components(separatedBy: source).count == 2)
        let reference = try #require(value("subsidies.junior")?[2])
        #expect(reference.hasPrefix("[") && value("subsidies.senior")?[2] == reference)
        let sources = try text("//*[@id='sources']/following-sibling::ol[1]/li", in: doc)
        #expect(sources[Int(reference.dropFirst().dropLast())! - 1].hasPrefix(source))
    }

    @Test("Districts that fall behind come first in the heat table")
    func districtOrder() throws {
        let files = try runFiles("ningde.json")
        let html = try HTMLReport.render(files: files)
        let summary = try RunSummary(summaryJSON: files["summary.json"]!)
        let expected = summary.districts.enumerated().sorted {
            let (a, b) = ($0.element.fullTownshipCoverage.last!.estimate, $1.element.fullTownshipCoverage.last!.estimate)
            return a != b ? a < b : $0.offset < $1.offset
        }.map(\.element.name)
        let doc = try document(html)
        #expect(try text("//table[@class='heat']//td[@class='name']", in: doc) == expected)
    }

    @Test("The comparison report opens with the decision: the ranking and one sentence per run")
    func decision() throws {
        let files = ReportTests.comparisonFiles
        let comparison = try ComparisonReport(compareJSON: files["compare.json"]!)
        let html = try HTMLReport.render(files: files)
        let doc = try document(html)
        // The decision comes before every other section.
        let first = try #require(try nodes("//body/h2 | //body/section", in: doc).first as? XMLElement)
        #expect(first.attribute(forName: "id")?.stringValue == "decision")
        let sentences = try text("//*[@id='decision']//li", in: doc)
        #expect(sentences.count == 4)
        for (sentence, entry) in zip(sentences, comparison.ranking) { #expect(sentence.hasPrefix(entry.name + ": meets "), "\(sentence)") }
        #expect(try text("//*[@id='decision']/p[1]", in: doc).first?.hasPrefix("ranked on P(township coverage ≥ 90% in 2022), higher is better") == true)
        // Each alternative's sentence gives its target probabilities, extra cost and key paired difference.
        let relief = try #require(comparison.alternatives.first { $0.name == "2% of relief funds" })
        let sentence = try #require(sentences.first { $0.hasPrefix("2% of relief funds") })
        #expect(sentence.contains("meets township coverage ≥ 90% in 2022 with probability \(percentText(relief.targets[0].probability.estimate))"))
        let spend = relief.differences[.spendTotal]!.last!.difference
        #expect(spend.mean > 0 && sentence.contains("million yuan more in 2023"))
        #expect(sentence.contains("township coverage in 2022 +"))
        // The base's sentence gives its probabilities with their intervals and its spending.
        let base = try #require(sentences.first { $0.hasPrefix("base: ") })
        let p = comparison.base.targets[0].probability
        #expect(base.contains("with probability \(percentText(p.estimate)) [\(percentText(p.low)) – \(percentText(p.high))]"))
        #expect(base.contains("million yuan in 2023 (mean)"))
    }

    @Test("Ranked on a metric's mean, each run's sentence names its mean, in the metric's format")
    func rankedOnMean() throws {
        let file = try bundledScenario("ningde.json")
        // No target names certified per 10k people in 2023, so the ranking is on its mean.
        let key = RankKey(metric: .certifiedPer10k, year: 2023, target: nil)
        let report = try Comparer.compare(base: file.base, alternatives: file.alternatives.map { ($0.name, $0.scenario) }, seed: 3, replicates: 100,
                                          threads: 2, rankKey: key)
        var files = ReportTests.comparisonFiles
        files["compare.json"] = report.compareJSON()
        let sentences = try text("//*[@id='decision']//li", in: try document(try HTMLReport.render(files: files)))
        for (sentence, entry) in zip(sentences, report.ranking) {
            #expect(sentence.hasPrefix("\(entry.name) (mean \(groupedNumber(entry.value, decimals: 2))): meets "), "\(sentence)")
            // The key paired difference is the metric ranked on.
            #expect(entry.name == "base" || sentence.contains("certified per 10k people in 2023 "), "\(sentence)")
        }
    }

    @Test("The forest plot shows every alternative's paired difference with its 95% interval, final year and by year")
    func forestPlot() throws {
        let files = ReportTests.comparisonFiles
        let comparison = try ComparisonReport(compareJSON: files["compare.json"]!)
        let doc = try document(try HTMLReport.render(files: files))
        for metric in ["townshipCoverage", "communityCoverage", "certified", "spendTotal"] {
            let forest = "//*[@id='differences']/following-sibling::div//*[@id='forest-\(metric)']"
            // One dot per alternative, each with its interval line and two end ticks; the zero line dashed.
            #expect(try nodes("\(forest)/*[local-name()='circle']", in: doc).count == 3, "\(metric)")
            #expect(try nodes("\(forest)/*[local-name()='line'][@stroke-dasharray]", in: doc).count == 1, "\(metric)")
            #expect(try nodes("//*[@id='differences-by-year-\(metric)']/*[local-name()='circle']", in: doc).count == 3 * 4, "\(metric)")
        }
        // The numbers beside the dots are the paired differences of the final year.
        let certified = try text("//*[@id='forest-certified']/*[local-name()='text']", in: doc)
        for alternative in comparison.alternatives {
            let d = alternative.differences[.certified]!.last!.difference
            #expect(certified.contains(groupedNumber(d.mean, decimals: 0, signed: true) + " [" + groupedNumber(d.low, decimals: 0, signed: true) + ", "
                                       + groupedNumber(d.high, decimals: 0, signed: true) + "]"), "\(certified)")
        }
    }

    @Test("Cost-effectiveness in words, by quadrant, in rank order; spending on one shared scale")
    func costEffectiveness() throws {
        let files = ReportTests.comparisonFiles
        let comparison = try ComparisonReport(compareJSON: files["compare.json"]!)
        let html = try HTMLReport.render(files: files)
        let doc = try document(html)
        let items = try text("//*[@id='cost-effectiveness']/following-sibling::ul[1]/li", in: doc)
        let ranked = comparison.ranking.map(\.name).filter { $0 != comparison.baseName }
        #expect(items.count == 3)
        for (item, name) in zip(items, ranked) {
            let alternative = try #require(comparison.alternatives.first { $0.name == name })
            #expect(item == "\(name): \(Labels(.en).costEffectiveness(alternative.costEffectiveness)).")
            let quadrant = CostQuadrant.classify(spending: alternative.costEffectiveness.spending.mean, stations: alternative.costEffectiveness.staffedStations.mean)
            switch quadrant {
            case .dominant: #expect(item.contains("saves") && item.contains("gains"))
            case .costsMoreGainsMore: #expect(item.contains("more per extra staffed station"))
            case .savesLosesStations: #expect(item.contains("per station lost"))
            case .dominated: #expect(item.contains("loses"))
            case .noEffect: #expect(item.contains("no change"))
            }
        }
        // One spending chart for every run (one bar each), not one chart per alternative.
        #expect(try nodes("//*[starts-with(@id, 'spending-')]", in: doc).map { ($0 as! XMLElement).attribute(forName: "id")!.stringValue } == ["spending-compared"])
        #expect(try nodes("//*[@id='spending-compared']/*[local-name()='text'][@text-anchor='end']", in: doc).count == 4)
        // The district table gives every alternative's probability and its change.
        #expect(try nodes("//table[@class='heat']//tr[1]/th", in: doc).count == 5)
    }

    @Test("Overlaid fans are kept only where the medians part visibly")
    func fansWhereTheyHelp() throws {
        let html = try HTMLReport.render(files: ReportTests.comparisonFiles)
        let doc = try document(html)
        // Ningde's alternatives move township coverage by about a point: the base alone (one median line), and a note.
        #expect(try nodes("//*[@id='fan-townshipCoverage']/*[local-name()='polyline']", in: doc).count == 1)
        #expect(html.contains("The base alone, without the alternatives overlaid, for township coverage"))
        // A sweep point that doubles the junior subsidy staffs far fewer stations: overlaid, one median line per run.
        let files = try ReportTests.sweepFiles(junior: [600])
        let wide = try document(try HTMLReport.render(files: files.filter { $0.key != "sweep.json" }))
        #expect(try nodes("//*[@id='fan-townshipCoverage']/*[local-name()='polyline']", in: wide).count == 5)
    }

    @Test("A comparison of many runs transposes its target table and overlays no fan it cannot colour")
    func manyRuns() throws {
        let files = try ReportTests.sweepFiles(junior: [0, 200]).filter { $0.key != "sweep.json" }
        let doc = try document(try HTMLReport.render(files: files))
        // Nine runs: one row each, one column per target.
        let rows = try nodes("//*[@id='targets']/following-sibling::div[1]//tr", in: doc)
        #expect(rows.count == 1 + 9)
        #expect(try text("//*[@id='targets']/following-sibling::div[1]//tr[1]/th", in: doc) == ["alternative", "P(1)", "P(2)", "P(3)"])
        for metric in HTMLReport.keyMetrics {
            #expect(try nodes("//*[@id='fan-\(metric.name)']/*[local-name()='polyline']", in: doc).count == 1, "\(metric)")
        }
        // The district table in two parts of at most five alternatives, each with the base.
        let headers = try nodes("//table[@class='heat']", in: doc).map { try $0.nodes(forXPath: ".//tr[1]/th").count }
        #expect(headers == [2 + 5, 2 + 3])
    }

    @Test("A file compared with itself twice: runs of the same name are each ranked and reported once")
    func repeatedNames() throws {
        let file = try bundledScenario("ningde.json")
        let report = try Comparer.compare(base: file.base, alternatives: [("twin", file.base), ("twin", file.alternatives[0].scenario)], seed: 3,
                                          replicates: 100, threads: 2, rankKey: RankKey.defaultKey(for: file.base))
        var files = ReportTests.comparisonFiles
        files["compare.json"] = report.compareJSON()
        let doc = try document(try HTMLReport.render(files: files))
        let sentences = try text("//*[@id='decision']//li", in: doc)
        #expect(sentences.count == 3)
        #expect(sentences.filter { $0.hasPrefix("twin: ") }.count == 2)
        // Each twin's own numbers: the identical one has no difference in spending, the other spends more.
        #expect(sentences.contains { $0.hasPrefix("twin: ") && $0.contains("spends the same in 2023") })
        #expect(sentences.contains { $0.hasPrefix("twin: ") && $0.contains("million yuan more in 2023") })
    }

    @Test("A heat map wider than a page continues below, at most 12 values across per table")
    func wideHeatMap() throws {
        let comparison = try ComparisonReport(compareJSON: ReportTests.comparisonFiles["compare.json"]!)
        var wide = comparison
        wide.alternatives = (0..<26).map { i in
            var point = comparison.alternatives[i % 3]
            point.name = "point \(i)"
            return point
        }
        wide.ranking = [(wide.baseName, 0)] + wide.alternatives.map { ($0.name, 0) }
        let values = (0..<26).map { [Double($0 % 13) * 0.001, Double($0 / 13) * 100] }
        let sweep = SweepResult(comparison: wide, paths: ["budget.reliefShare", "subsidies.junior"], values: values)
        let manifest = try RunManifest(manifestJSON: ReportTests.comparisonFiles["manifest.json"]!)
        let doc = try document(HTMLReport(manifest: manifest, scenario: nil, content: .sweep(sweep), language: .en).html())
        // 13 values across: a table of 12 and one of 1, both with the two rows of the second path.
        #expect(try nodes("//*[@id='heatmap-target-1']//tr[2]/td", in: doc).count == 12)
        #expect(try nodes("//*[@id='heatmap-target-1-2']//tr[2]/td", in: doc).count == 1)
        #expect(try nodes("//*[@id='heatmap-target-1-2']//tr", in: doc).count == 3)
    }

    @Test("The sweep report plots the outcome against the swept value, with 95% bands, and no spaghetti")
    func sweepOutcome() throws {
        let files = try ReportTests.sweepFiles()
        let sweep = try SweepResult(sweepJSON: files["sweep.json"]!)
        let html = try HTMLReport.render(files: files)
        let doc = try document(html)
        #expect(try nodes("//section[@id='sweep-outcome']", in: doc).count == 1)
        // One line with a band per target, one point per swept value, along the swept values in order.
        let targets = "//*[@id='sweep-targets']"
        #expect(try nodes("\(targets)/*[local-name()='polygon']", in: doc).count == 3)
        #expect(try nodes("\(targets)/*[local-name()='polyline']", in: doc).count == 3)
        #expect(try text("\(targets)/*[local-name()='text'][@class='tick']", in: doc).filter { $0 != "base" }.suffix(4) == ["0.5%", "1%", "1.5%", "2%"])
        for metric in ["townshipCoverage", "certified", "spendTotal"] {
            #expect(try nodes("//*[@id='sweep-\(metric)']/*[local-name()='circle']", in: doc).count == 4, "\(metric)")
        }
        // The base's value (1%) is marked, and the point at it is listed once, as the base.
        #expect(try text("//*[@id='sweep-targets']/*[local-name()='text']", in: doc).contains("base"))
        let rows = try nodes("//*[@id='sweep-table']/following-sibling::div[1]//tr", in: doc)
        #expect(rows.count == 1 + sweep.values.count)
        #expect(try text("//*[@id='sweep-table']/following-sibling::div[1]//tr/td[1]", in: doc).contains("1% (base)"))
        // No fan or spending chart per point, no colour beyond the palette.
        #expect(!html.contains("id=\"fan-") && !html.contains("id=\"spending-"))
        #expect(!html.contains("#F0E442"))
    }

    @Test("A sweep of two paths gives heat maps, one row per value of the second path")
    func sweepHeatMap() throws {
        let files = try ReportTests.sweepFiles(junior: [0, 200])
        let doc = try document(try HTMLReport.render(files: files))
        for k in 1...3 {
            let rows = try nodes("//*[@id='heatmap-target-\(k)']//tr", in: doc)
            #expect(rows.count == 3)
            #expect(try nodes("//*[@id='heatmap-target-\(k)']//tr[2]/td", in: doc).count == 4)
        }
        #expect(try nodes("//*[@id='heatmap-townshipCoverage']", in: doc).count == 1)
        #expect(try nodes("//*[@id='sweep-targets']", in: doc).isEmpty)
    }

    @Test("Print: A4 pages, headings kept with what follows, wide tables wrapped")
    func printRules() throws {
        for html in [try HTMLReport.render(files: try runFiles("ningde.json")), try HTMLReport.render(files: ReportTests.comparisonFiles)] {
            #expect(html.contains("@page{size:A4"))
            #expect(html.contains("h2,h3,figcaption{break-after:avoid"))
            let doc = try document(html)
            // Every table sits in a wrapper that scrolls on screen and wraps in print.
            let tables = try nodes("//table", in: doc)
            let wrapped = try nodes("//div[@class='wide']/table", in: doc)
            #expect(tables.count == wrapped.count && !tables.isEmpty)
        }
    }

    @Test("--lang zh: the report's labels and sentences in Simplified Chinese, money in 万元")
    func chinese() throws {
        let html = try HTMLReport.render(files: ReportTests.comparisonFiles, language: .zh)
        let doc = try document(html)
        #expect(html.contains("<html lang=\"zh-Hans\">"))
        #expect(try text("//*[@id='decision']/h2", in: doc) == ["决策摘要"])
        let sentences = try text("//*[@id='decision']//li", in: doc)
        #expect(sentences.count == 4)
        #expect(sentences.allSatisfy { $0.contains("2022年乡镇(街道)社工站覆盖率 ≥ 90% 的达成概率为") && $0.hasSuffix("。") })
        #expect(sentences.contains { $0.contains("2023年多支出") && $0.contains("万元") })
        // The command line's "base" is named in Chinese, everywhere.
        #expect(sentences.contains { $0.hasPrefix("基准: ") })
        #expect(try text("//table[@class='heat']//tr[1]/th[2]", in: doc) == ["基准"])
        #expect(try text("//*[@id='cost-effectiveness']", in: doc) == ["2023年成本效果"])
        #expect(try text("//*[@id='forest-townshipCoverage']//*[@class='unit']", in: doc) == ["乡镇(街道)社工站覆盖率 (百分点)"])
        // The English report has none of these words.
        let english = try HTMLReport.render(files: ReportTests.comparisonFiles)
        #expect(!english.contains("决策摘要") && !english.contains("万元"))
    }

    @Test("--report and report DIR: the same bytes from the same files")
    func sameBytes() throws {
        let files = try ReportTests.sweepFiles()
        #expect(try HTMLReport.render(files: files) == HTMLReport.render(files: files))
        // A sweep's report uses sweep.json; without it, compare.json gives a comparison report.
        var comparisonOnly = files
        comparisonOnly["sweep.json"] = nil
        #expect(try HTMLReport.render(files: comparisonOnly).contains("id=\"decision\""))
    }

    @Test("Missing files give a clear error")
    func missingFiles() {
        #expect(throws: ReportError.self) { try HTMLReport.render(files: [:]) }
        #expect(throws: ReportError.self) { try HTMLReport.render(files: ["manifest.json": "{}"]) }
    }

    @Test("SHA-256 matches the standard test vectors")
    func sha256() {
        #expect(sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(sha256Hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("Nice ticks cover the range in steps of 1, 2 or 5")
    func ticks() {
        let unit = niceTicks(0, 1)
        #expect(unit.count == 6)
        for (tick, expected) in zip(unit, [0, 0.2, 0.4, 0.6, 0.8, 1.0]) { #expect(abs(tick - expected) < 1e-12) }
        let ticks = niceTicks(0, 2610)
        #expect(ticks.first == 0 && ticks.last! >= 2610 && ticks.count <= 8)
    }

    @Test("Provenance paths must exist")
    func provenancePaths() {
        let json = setting(tinyScenarioJSON(), "provenance", ["budget.reliefShare": "a source", "budget.reliefShar": "typo"])
        let found = issues(json)
        #expect(found.count == 1)
        #expect(found.first?.path == "provenance[\"budget.reliefShar\"]")
        #expect(found.first?.hint?.contains("budget.reliefShare") == true)
    }
}
