import Foundation
import Testing

/// `simfund goal` end to end: outputs, report, terminal, errors and exit statuses.
@Suite("simfund goal", .serialized)
struct GoalCLITests {
    func simfund(_ arguments: [String], environment: [String: String?] = [:]) throws -> CLITests.Result {
        try CLITests().simfund(arguments, environment: environment)
    }

    func cells(_ line: Substring) -> Int {
        line.unicodeScalars.reduce(0) { $0 + ((0x2E80...0x9FFF).contains($1.value) || (0xFF00...0xFF60).contains($1.value) ? 2 : 1) }
    }

    static let ningde = ["goal", "Scenarios/ningde.json", "--lever", "budget.reliefShare=0.005:0.05", "--target", "1", "--replicates", "200", "--seed", "4"]

    @Test("writes goal.json, goal.csv, the manifest and the report; simfund report DIR gives the same bytes")
    func outputs() throws {
        let directory = CLITests().temporaryDirectory()
        let out = directory.appendingPathComponent("goal"), report = directory.appendingPathComponent("goal.html")
        let result = try simfund(GoalCLITests.ningde + ["--out", out.path, "--report", report.path], environment: ["COLUMNS": nil])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("To meet target 1 with probability at least 90%, budget.reliefShare must be") || result.stdout.contains("No value of budget.reliefShare"))
        #expect(result.stdout.contains("1. township coverage ≥ 90% in 2022"))
        // The "wrote … to DIR" lines hold the (long) temporary paths.
        for line in result.stdout.split(separator: "\n") where !line.hasPrefix("wrote ") { #expect(cells(line) <= 80, "\(line)") }
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["goal.csv", "goal.json", "manifest.json", "scenario.json"])
        let goal = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("goal.json"))) as! [String: Any]
        for key in ["lever", "low", "high", "probability", "targets", "answer", "confirmation", "nonMonotone", "curve"] { #expect(goal[key] != nil, "\(key)") }
        #expect(goal["lever"] as? String == "budget.reliefShare")
        #expect(goal["targets"] as? [Int] == [1])
        let curve = try #require(goal["curve"] as? [[String: Any]])
        #expect(curve.count == 21)
        #expect(curve.first?["value"] as? Double == 0.005 && curve.last?["value"] as? Double == 0.05)
        let csv = try String(contentsOf: out.appendingPathComponent("goal.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 22)
        #expect(csv.hasPrefix("value,probability,low,high\n0.005,"))
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("id=\"goal-curve\""))
        let again = directory.appendingPathComponent("again.html")
        let rendered = try simfund(["report", out.path, "-o", again.path])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(try Data(contentsOf: again) == Data(contentsOf: report))
    }

    @Test("goal.json is bit-identical for 1 and 2 threads")
    func threads() throws {
        let directory = CLITests().temporaryDirectory()
        var files: [Data] = []
        for threads in ["1", "2"] {
            let out = directory.appendingPathComponent("t\(threads)")
            let result = try simfund(GoalCLITests.ningde + ["--replicates", "60", "--threads", threads, "--out", out.path, "--quiet"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.isEmpty)
            files.append(try Data(contentsOf: out.appendingPathComponent("goal.json")))
        }
        #expect(files[0] == files[1])
    }

    @Test("--lang zh: the sentence and the table in Chinese, within 80 columns")
    func chinese() throws {
        let result = try simfund(GoalCLITests.ningde + ["--replicates", "60", "--lang", "zh"], environment: ["COLUMNS": nil])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("达成概率"))
        for line in result.stdout.split(separator: "\n") { #expect(cells(line) <= 80, "\(line)") }
    }

    @Test("bad options: syntax exits 64, a bad path or value exits 2 naming it", arguments: [
        (["--lever", "budget.reliefShare=0.01"], Int32(64), "PATH=LOW:HIGH"),
        (["--lever", "budget.reliefShare=0.05:0.01"], Int32(64), "LOW < HIGH"),
        (["--lever", "budget.reliefShare=0.005:0.05", "--probability", "1"], Int32(64), "--probability"),
        (["--lever", "budget.reliefShar=0:0.1"], Int32(2), "--lever budget.reliefShar: expected a numeric path"),
        (["--lever", "budget.reliefShare=0:2"], Int32(2), "a rate in [0, 1], found 2"),
        (["--lever", "procurement.maxNewUnitsPerYear=0:2.5"], Int32(2), "whole number"),
        (["--lever", "budget.reliefShare=0:0.1", "--target", "9"], Int32(2), "--target 9: expected a target position from 1 to 3"),
    ])
    func errors(_ options: [String], _ status: Int32, _ message: String) throws {
        let result = try simfund(["goal", "Scenarios/ningde.json", "--replicates", "10"] + options)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("Ctrl-C stops a goal seek cleanly: exit 130, nothing written")
    func interrupt() throws {
        let directory = CLITests().temporaryDirectory()
        let out = directory.appendingPathComponent("out"), report = directory.appendingPathComponent("r.html")
        let (status, stderr) = try CLITests().interrupted(["goal", "Scenarios/ningde.json", "--lever", "budget.reliefShare=0.005:0.05",
                                                           "--replicates", "1000000", "--out", out.path, "--report", report.path])
        #expect(status == 130, "\(stderr)")
        #expect(stderr.contains("interrupted"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(!FileManager.default.fileExists(atPath: report.path))
    }
}
