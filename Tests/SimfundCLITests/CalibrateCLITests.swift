import Foundation
import Testing

/// `simfund calibrate` end to end: outputs, reproducibility, bad input.
@Suite("simfund calibrate", .serialized)
struct CalibrateCLITests {
    let cli = CLITests()

    /// Ningde with its history replaced by `history` (JSON text).
    func ningde(history: String, in dir: URL) throws -> URL {
        let text = try String(contentsOf: CLITests.root.appendingPathComponent("Scenarios/ningde.json"), encoding: .utf8)
        let start = try #require(text.range(of: "  \"history\": ["))
        let end = try #require(text.range(of: "  \"alternatives\": ["))
        let file = dir.appendingPathComponent("ningde-history.json")
        try (String(text[..<start.lowerBound]) + "  \"history\": " + history + ",\n" + String(text[end.lowerBound...]))
            .write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test("Writes posterior.csv, calibration.json, calibrated.json, the manifest and the report; the same for 1 and 2 threads")
    func outputs() throws {
        let dir = cli.temporaryDirectory()
        var posteriors: [Data] = []
        for threads in ["1", "2"] {
            let out = dir.appendingPathComponent("out\(threads)")
            let result = try cli.simfund(["calibrate", "Scenarios/ningde.json", "--particles", "60", "--generations", "3", "--threads", threads,
                                          "--out", out.path, "--report", dir.appendingPathComponent("r\(threads).html").path])
            #expect(result.status == 0, "\(result.stderr)")
            let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
            #expect(names == ["calibrated.json", "calibration.json", "manifest.json", "posterior.csv", "scenario.json"])
            posteriors.append(try Data(contentsOf: out.appendingPathComponent("posterior.csv")))
            for line in result.stdout.split(separator: "\n") where !line.hasPrefix("wrote ") { #expect(line.count <= 80, "\(line)") }
            #expect(result.stdout.contains("certified 2023"))
            let html = try String(contentsOf: dir.appendingPathComponent("r\(threads).html"), encoding: .utf8)
            #expect(html.contains("id=\"prior-posterior\"") && html.contains("Posterior predictive check"))
        }
        #expect(posteriors[0] == posteriors[1])
        // simfund report DIR renders the same page from the files.
        let again = dir.appendingPathComponent("again.html")
        let report = try cli.simfund(["report", dir.appendingPathComponent("out2").path, "--output", again.path])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(try Data(contentsOf: again) == Data(contentsOf: dir.appendingPathComponent("r2.html")))
        let header = String(decoding: posteriors[0], as: UTF8.self).split(separator: "\n")[0]
        #expect(header == "workforce.examTakeRate.junior,workforce.passRate.junior,workforce.attrition.junior,weight")
    }

    @Test("A bad history point exits 2 naming its path and line; no history exits 2 too")
    func badHistory() throws {
        let dir = cli.temporaryDirectory()
        let file = try ningde(history: "[\n    {\"metric\": \"certified\", \"year\": 2031, \"value\": 2610}\n  ]", in: dir)
        let line = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("2031") }! + 1
        let result = try cli.simfund(["calibrate", file.path, "--out", dir.appendingPathComponent("out").path])
        #expect(result.status == 2)
        #expect(result.stderr.contains(":\(line):") && result.stderr.contains("history[0].year: expected a year of the horizon 2020–2023, found 2031"),
                "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
        let none = try cli.simfund(["calibrate", try ningde(history: "[]", in: dir).path])
        #expect(none.status == 2)
        #expect(none.stderr.contains("history: expected at least one observed point"), "\(none.stderr)")
    }

    @Test("A calibrated scenario (with a posterior block) is refused: calibrate the scenario it came from")
    func calibratedIsRefused() throws {
        let result = try cli.simfund(["calibrate", CLITests.root.appendingPathComponent("Scenarios/ningde-calibrated.json").path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("posterior: expected a scenario whose priors are its own distributions"), "\(result.stderr)")
    }

    @Test("--lang zh: the terminal summary and the report in Chinese, within 80 display columns; simfund report DIR --lang zh gives the same page")
    func chinese() throws {
        let dir = cli.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let result = try cli.simfund(["calibrate", "Scenarios/ningde.json", "--particles", "60", "--generations", "2", "--lang", "zh",
                                      "--out", out.path, "--report", dir.appendingPathComponent("zh.html").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("后验预测检验") && result.stdout.contains("停止：已达到 --generations 2"), "\(result.stdout)")
        for line in result.stdout.split(separator: "\n") where !line.hasPrefix("wrote ") {
            #expect(TerminalCLITests().cells(line) <= 80, "\(line)")
        }
        let html = try String(contentsOf: dir.appendingPathComponent("zh.html"), encoding: .utf8)
        #expect(html.contains("<html lang=\"zh-Hans\">") && html.contains("先验与后验"))
        let again = dir.appendingPathComponent("again.html")
        let report = try cli.simfund(["report", out.path, "--output", again.path, "--lang", "zh"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(try Data(contentsOf: again) == Data(contentsOf: dir.appendingPathComponent("zh.html")))
    }
}
