import Foundation
import Testing

/// End-to-end: `simfund sensitivity` with the real binary.
@Suite("simfund sensitivity", .serialized)
struct SensitivityCLITests {
    let cli = CLITests()

    @Test("writes sensitivity.json, sensitivity.csv and the report, and prints the ranking within 80 columns")
    func writesOutputs() throws {
        let base = cli.temporaryDirectory()
        let out = base.appendingPathComponent("sens"), report = base.appendingPathComponent("sens.html")
        let result = try cli.simfund(["sensitivity", "Scenarios/ningde.json", "--samples", "20", "--seed", "3", "--out", out.path,
                                      "--report", report.path], environment: ["COLUMNS": "80"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Sensitivity of Ningde backtest 2020-2023\nseed 3, 20 samples per matrix"))
        for line in result.stdout.split(separator: "\n") where !line.hasPrefix("wrote ") { #expect(line.count <= 80, "\(line)") }
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["manifest.json", "scenario.json", "sensitivity.csv", "sensitivity.json"])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("sensitivity.json"))) as! [String: Any]
        #expect(json["samples"] as? Int == 20 && json["seed"] as? Int == 3)
        let inputs = json["inputs"] as! [String]
        #expect(inputs.last == "chance" && inputs.contains("workforce.passRate.junior"))
        let metrics = json["metrics"] as! [String: [[String: Any]]]
        // The key metrics and the target's metric (certified), every year.
        #expect(Set(metrics.keys) == ["certified", "townshipCoverage", "communityCoverage", "spendTotal"])
        #expect(metrics["certified"]?.map { $0["year"] as! Int } == [2020, 2021, 2022, 2023])
        let row = (metrics["certified"]![3]["inputs"] as! [[String: Any]])[0]
        #expect(Set(row.keys) == ["input", "first", "firstLow", "firstHigh", "total", "totalLow", "totalHigh", "tornadoLow", "tornadoHigh"])
        let csv = try String(contentsOf: out.appendingPathComponent("sensitivity.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 1 + 4 * 4 * inputs.count)
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("id=\"tornado-certified\"") && html.contains("id=\"indices-certified\""))
        // simfund report DIR renders the same bytes from the files.
        let again = base.appendingPathComponent("again.html")
        let rendered = try cli.simfund(["report", out.path, "--output", again.path])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(try String(contentsOf: again, encoding: .utf8) == html)
    }

    @Test("bad options and bad scenarios exit with a clear message")
    func errors() throws {
        let metric = try cli.simfund(["sensitivity", "Scenarios/ningde.json", "--metric", "coverage"])
        #expect(metric.status == 64)
        #expect(metric.stderr.contains("--metric: expected one of townshipCoverage") && metric.stderr.contains("found \"coverage\""))
        let samples = try cli.simfund(["sensitivity", "Scenarios/ningde.json", "--samples", "1"])
        #expect(samples.status == 64 && samples.stderr.contains("--samples must be from 2 to 1000000"))
        let file = cli.temporaryDirectory().appendingPathComponent("broken.json")
        try Data("{\"simfund\": 1, \"name\": 3}".utf8).write(to: file)
        let broken = try cli.simfund(["sensitivity", file.path, "--out", file.deletingLastPathComponent().appendingPathComponent("o").path])
        #expect(broken.status == 2 && broken.stderr.contains("name"))
        #expect(!FileManager.default.fileExists(atPath: file.deletingLastPathComponent().appendingPathComponent("o").path))
    }
}
