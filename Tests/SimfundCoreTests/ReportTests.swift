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

    @Test("A run's report is well-formed, self-contained and has every chart and table")
    func runReport() throws {
        let html = try HTMLReport.render(files: try runFiles("ningde.json"))
        _ = parseXML(html)
        for id in ["fan-townshipCoverage", "fan-communityCoverage", "fan-certified", "fan-certifiedPer10k", "spending-0", "fan-subsidyPaidRatio"] {
            #expect(html.contains("id=\"\(id)\""), "\(id)")
        }
        for section in ["id=\"targets\"", "id=\"districts\"", "id=\"inputs\"", "scenario SHA-256", "2023-11-14T22:13:20Z"] {
            #expect(html.contains(section), "\(section)")
        }
        // No script, and nothing fetched: every src/href is an in-page anchor.
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        for reference in attributes("src", in: html) + attributes("href", in: html) { #expect(reference.hasPrefix("#"), "\(reference)") }
        #expect(!html.contains("url("))
        // Provenance: each input lists its source.
        #expect(html.contains("Ningde picked 16 outstanding social workers"))
        // The scenario hash is the SHA-256 of the file's bytes.
        let source = try Data(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/ningde.json"))
        #expect(html.contains(sha256Hex([UInt8](source))))
    }

    @Test("Coverage charts run from 0 to 100% and show targets as markers")
    func coverageAxis() throws {
        let html = try HTMLReport.render(files: try runFiles("ningde.json"))
        let start = try #require(html.range(of: "id=\"fan-townshipCoverage\""))
        let chart = String(html[start.lowerBound...].prefix { $0 != "§" }.prefix(6000))
        #expect(chart.contains(">0%<") && chart.contains(">100%<"))
        #expect(chart.contains("<title>townshipCoverage ≥ 0.9 in 2022</title>"))
    }

    @Test("Districts that fall behind come first in the heat table")
    func districtOrder() throws {
        let files = try runFiles("ningde.json")
        let html = try HTMLReport.render(files: files)
        let summary = try JSONParser.parse(files["summary.json"]!)
        let finals = (summary["districts"]?.members ?? []).map { member in
            (member.key, member.value["fullTownshipCoverage"]?.elements?.last?["probability"]?.number ?? 0)
        }
        let expected = finals.enumerated().sorted { $0.element.1 != $1.element.1 ? $0.element.1 < $1.element.1 : $0.offset < $1.offset }.map(\.element.0)
        let table = String(html[html.range(of: "class=\"heat\"")!.lowerBound...])
        let positions = expected.map { table.range(of: "<td class=\"name\">\($0)</td>")!.lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test("A comparison report overlays the alternatives and shows the paired differences")
    func compareReport() throws {
        let file = try bundledScenario("ningde.json")
        let report = try Comparer.compare(base: file.base, alternatives: file.alternatives.map { ($0.name, $0.scenario) }, seed: 3, replicates: 100,
                                          threads: 2, rankKey: RankKey.defaultKey(for: file.base))
        let manifest = RunManifest(command: "simfund compare", scenarioName: file.base.name, scenarioFile: "ningde.json", scenarioBytes: file.source,
                                   seed: 3, replicates: 100, threads: 2)
        let html = try HTMLReport.render(files: ["manifest.json": manifest.json(), "scenario.json": String(decoding: file.source, as: UTF8.self),
                                                 "compare.json": report.compareJSON()])
        _ = parseXML(html)
        #expect(html.contains("id=\"differences\""))
        for alternative in file.alternatives { #expect(html.contains(escapeXML(alternative.name))) }
        // Alternative i has colour i in every chart.
        let fan = String(html[html.range(of: "id=\"fan-certified\"")!.lowerBound...].prefix(20000))
        for colour in palette.prefix(4) { #expect(fan.contains(colour)) }
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
