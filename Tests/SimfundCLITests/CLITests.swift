import Foundation
import Testing

/// End-to-end: the real `simfund` binary on bundled and broken scenarios.
@Suite("simfund command line", .serialized)
struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built executable, next to the test bundle.
    static var binary: URL {
        var directory = Bundle.main.bundleURL
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("simfund")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs simfund; `environment` adds variables to this process's (a nil value removes one).
    func simfund(_ arguments: [String], environment: [String: String?] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLITests.root
        if !environment.isEmpty {
            var merged = ProcessInfo.processInfo.environment
            for (key, value) in environment { merged[key] = value }
            process.environment = merged
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Starts simfund, sends it SIGINT once it is under way (3 s: its
    /// interrupt handler installed) and returns its exit status and stderr.
    func interrupted(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLITests.root
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        Thread.sleep(forTimeInterval: 3)
        process.interrupt()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    /// Every file of an output directory but the manifest (which records the command and date).
    func outputFiles(_ directory: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name != "manifest.json" {
            result[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return result
    }

    func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("simfund-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("run prints the summary and writes the output files")
    func runWritesOutputs() throws {
        let out = temporaryDirectory().appendingPathComponent("run")
        let result = try simfund(["run", "Scenarios/ningde.json", "--replicates", "200", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Ningde backtest"))
        #expect(result.stdout.contains("certified workers ≥ 2,610 in 2023"))
        for name in ["summary.json", "years.csv", "districts.csv", "targets.csv"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as! [String: Any]
        #expect(summary["scenario"] as? String == "Ningde backtest 2020-2023")
        #expect(summary["replicates"] as? Int == 200)
        #expect(summary["generator"] as? String == "xoshiro256++")
        #expect(summary["years"] as? [Int] == [2020, 2021, 2022, 2023])
        let metrics = summary["metrics"] as! [String: [[String: Any]]]
        #expect(metrics.keys.contains("certifiedPer10k") && metrics["townshipCoverage"]?.count == 4)
        #expect(Set(metrics["certified"]![0].keys) == ["year", "mean", "stderr", "sd", "p5", "p25", "p50", "p75", "p95", "min", "max"])
        let districts = summary["districts"] as! [String: [String: Any]]
        #expect(districts.count == 9 && districts["Jiaocheng"]?["townshipCoverage"] != nil)
        let csv = try String(contentsOf: out.appendingPathComponent("years.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("metric,year,mean,stderr,sd,p5,p25,p50,p75,p95,min,max\n"))
        #expect(csv.split(separator: "\n").count == 1 + 21 * 4)
        // No temporary files are left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(names.sorted() == ["districts.csv", "manifest.json", "scenario.json", "summary.json", "targets.csv", "years.csv"])
    }

    @Test("--threads 1 and --threads 2 write identical summary.json")
    func threadsDoNotMatter() throws {
        let base = temporaryDirectory()
        var contents: [Data] = []
        for threads in ["1", "2"] {
            let out = base.appendingPathComponent("t\(threads)")
            let result = try simfund(["run", "Scenarios/longyan.json", "--replicates", "500", "--seed", "123",
                                      "--threads", threads, "--out", out.path, "--quiet"])
            #expect(result.status == 0)
            #expect(result.stdout.isEmpty)
            contents.append(try Data(contentsOf: out.appendingPathComponent("summary.json")))
        }
        #expect(contents[0] == contents[1])
    }

    @Test("Without any seed one is drawn, printed and recorded")
    func drawnSeed() throws {
        let text = try String(contentsOf: CLITests.root.appendingPathComponent("Scenarios/ningde.json"), encoding: .utf8)
        var json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        json["seed"] = nil
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("noseed.json")
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        let result = try simfund(["run", file.path, "--replicates", "20", "--out", dir.appendingPathComponent("o").path])
        #expect(result.status == 0)
        let printed = result.stderr.split(separator: " ").dropFirst().first.flatMap { UInt64($0) }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("o/summary.json"))) as! [String: Any]
        #expect(printed != nil)
        #expect((summary["seed"] as? NSNumber)?.uint64Value == printed)
        #expect(result.stderr.contains("--seed \(printed ?? 0)"))
    }

    @Test("An invalid scenario: exit 2, one line per problem, nothing written")
    func invalidScenario() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("bad.json")
        try Data(#"{"simfund": 1, "name": "bad", "startYear": 2020, "years": 0, "replicates": 10, "districts": []}"#.utf8).write(to: file)
        let out = dir.appendingPathComponent("out")
        for command in [["validate", file.path], ["run", file.path, "--out", out.path]] {
            let result = try simfund(command)
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("bad.json:1:"))
            #expect(result.stderr.contains("years: expected a whole number from 1 to 200, found 0"))
            #expect(result.stderr.contains("budget: expected required field"))
            #expect(!result.stderr.contains("Fatal error"))
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let missing = try simfund(["run", dir.appendingPathComponent("nothing.json").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such file"))
    }

    @Test("validate accepts every bundled scenario; schema prints the committed schema")
    func validateAndSchema() throws {
        for name in ["ningde", "longyan", "chongqing", "bijie", "nanping", "inner-mongolia", "yongning", "pingtan", "province-80"] {
            let result = try simfund(["validate", "Scenarios/\(name).json"])
            #expect(result.status == 0, "\(name): \(result.stderr)")
        }
        let schema = try simfund(["schema"])
        #expect(schema.status == 0)
        let committed = try String(contentsOf: CLITests.root.appendingPathComponent("docs/scenario-v1.schema.json"), encoding: .utf8)
        #expect(schema.stdout == committed, "docs/scenario-v1.schema.json is stale: run `make schema`")
        let parsed = try JSONSerialization.jsonObject(with: Data(schema.stdout.utf8)) as! [String: Any]
        let properties = parsed["properties"] as! [String: Any]
        #expect(properties.keys.contains("workforce") && properties.keys.contains("procurement"))
    }

    @Test("Bad flags are usage errors")
    func badFlags() throws {
        let result = try simfund(["run", "Scenarios/ningde.json", "--replicates", "0"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--replicates"))
    }
}

@Suite("simfund compare and sweep", .serialized)
struct CompareCLITests {
    let cli = CLITests()

    @Test("compare FILE writes compare.json whose base is the run's summary.json")
    func compareAlternatives() throws {
        let dir = cli.temporaryDirectory()
        let result = try cli.simfund(["compare", "Scenarios/ningde.json", "--replicates", "200", "--out", dir.appendingPathComponent("c").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("2% of relief funds"))
        #expect(result.stdout.contains("paired differences from base"))
        let run = try cli.simfund(["run", "Scenarios/ningde.json", "--replicates", "200", "--out", dir.appendingPathComponent("r").path, "--quiet"])
        #expect(run.status == 0)
        let compare = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("c/compare.json"))) as! [String: Any]
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("r/summary.json"))) as! NSDictionary
        #expect((compare["base"] as! NSDictionary) == summary)
        let alternatives = compare["alternatives"] as! [[String: Any]]
        #expect(alternatives.map { $0["name"] as! String } == ["2% of relief funds", "no grade subsidies", "no exam training"])
        let differences = alternatives[0]["differences"] as! [String: [[String: Any]]]
        #expect(Set(differences["certified"]![0].keys) == ["year", "mean", "stderr", "low", "high", "probabilityBetter"])
        let cost = alternatives[0]["costEffectiveness"] as! [String: Any]
        #expect(cost["extraSpendingPerStaffedStation"] is [String: Any])
        let csv = try String(contentsOf: dir.appendingPathComponent("c/compare.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("alternative,metric,year,mean,baseMean,difference,stderr,low,high,probabilityBetter\n"))
        #expect(csv.split(separator: "\n").count == 1 + 3 * 21 * 4)
    }

    @Test("compare A.json B.json refuses files with other years or districts")
    func compareFiles() throws {
        let result = try cli.simfund(["compare", "Scenarios/ningde.json", "Scenarios/longyan.json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot be compared"))
        let same = try cli.simfund(["compare", "Scenarios/ningde.json", "Scenarios/ningde.json", "--replicates", "50"])
        #expect(same.status == 0, "\(same.stderr)")
    }

    @Test("sweep writes one row per grid point, metric and year, with a column per path")
    func sweep() throws {
        let dir = cli.temporaryDirectory()
        let result = try cli.simfund(["sweep", "Scenarios/ningde.json", "--set", "budget.reliefShare=0.01:0.03:0.01",
                                      "--set", "subsidies.junior=0:160:80", "--replicates", "100", "--out", dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        let csv = try String(contentsOf: dir.appendingPathComponent("sweep.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv[0] == "budget.reliefShare,subsidies.junior,metric,year,mean,baseMean,difference,stderr,low,high,probabilityBetter")
        #expect(csv.count == 1 + 9 * 21 * 4)
        #expect(csv.contains { $0.hasPrefix("0.02,80,revenue,2020,") })
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("sweep.json"))) as! [String: Any]
        #expect((json["points"] as! [Any]).count == 9)
    }

    @Test("sweep errors name the path")
    func sweepErrors() throws {
        let unknown = try cli.simfund(["sweep", "Scenarios/ningde.json", "--set", "budget.reliefShar=0:0.1:0.05"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("valid paths nearby: budget.reliefShare"))
        let range = try cli.simfund(["sweep", "Scenarios/ningde.json", "--set", "budget.reliefShare=0.5:1.5:0.5"])
        #expect(range.status == 64)
        #expect(range.stderr.contains("budget.reliefShare: expected a rate in [0, 1], found 1.5"))
        let syntax = try cli.simfund(["sweep", "Scenarios/ningde.json", "--set", "budget.reliefShare=0.1"])
        #expect(syntax.status == 64)
    }
}

@Suite("simfund reports, progress and interrupts", .serialized)
struct ReportCLITests {
    let cli = CLITests()

    @Test("`simfund report DIR` reproduces the report of `run --report` byte for byte")
    func reportFromDirectory() throws {
        let dir = cli.temporaryDirectory()
        let out = dir.appendingPathComponent("out"), report = dir.appendingPathComponent("live.html")
        let run = try cli.simfund(["run", "Scenarios/ningde.json", "--replicates", "100", "--out", out.path, "--report", report.path])
        #expect(run.status == 0, "\(run.stderr)")
        let rendered = try cli.simfund(["report", out.path])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(try Data(contentsOf: report) == Data(contentsOf: out.appendingPathComponent("report.html")))
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(Set(names).isSuperset(of: ["manifest.json", "scenario.json", "summary.json"]))
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("Ningde backtest 2020-2023") && html.contains("id=\"fan-certified\""))
    }

    @Test("compare --report and report DIR agree for comparisons too")
    func compareReport() throws {
        let dir = cli.temporaryDirectory()
        let out = dir.appendingPathComponent("out"), report = dir.appendingPathComponent("live.html")
        let result = try cli.simfund(["compare", "Scenarios/longyan.json", "--replicates", "100", "--out", out.path, "--report", report.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try cli.simfund(["report", out.path, "--output", dir.appendingPathComponent("again.html").path]).status == 0)
        #expect(try Data(contentsOf: report) == Data(contentsOf: dir.appendingPathComponent("again.html")))
        #expect(try String(contentsOf: report, encoding: .utf8).contains("id=\"differences\""))
    }

    @Test("sweep --report and report DIR agree, and the report shows the outcome against the swept value")
    func sweepReport() throws {
        let dir = cli.temporaryDirectory()
        let out = dir.appendingPathComponent("out"), report = dir.appendingPathComponent("live.html")
        let result = try cli.simfund(["sweep", "Scenarios/ningde.json", "--replicates", "60", "--set", "budget.reliefShare=0.01:0.03:0.01",
                                      "--out", out.path, "--report", report.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try cli.simfund(["report", out.path, "--output", dir.appendingPathComponent("again.html").path]).status == 0)
        #expect(try Data(contentsOf: report) == Data(contentsOf: dir.appendingPathComponent("again.html")))
        #expect(try String(contentsOf: report, encoding: .utf8).contains("id=\"sweep-outcome\""))
        // --lang zh writes the same report in Chinese; an unknown language is a command-line error.
        let chinese = dir.appendingPathComponent("zh.html")
        #expect(try cli.simfund(["report", out.path, "--lang", "zh", "--output", chinese.path]).status == 0)
        #expect(try String(contentsOf: chinese, encoding: .utf8).contains("结果随扫描取值的变化"))
        let unknown = try cli.simfund(["report", out.path, "--lang", "fr", "--output", chinese.path])
        #expect(unknown.status == 64 && unknown.stderr.contains("--lang: expected en or zh, found \"fr\""), "\(unknown.stderr)")
    }

    @Test("report on edited or truncated outputs exits 2 naming the file and the field, never crashes")
    func reportOfEditedOutputs() throws {
        let dir = cli.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        #expect(try cli.simfund(["run", "Scenarios/ningde.json", "--replicates", "50", "--out", out.path, "--quiet"]).status == 0)
        let file = out.appendingPathComponent("summary.json")
        let original = try String(contentsOf: file, encoding: .utf8)
        // An array shorter than the horizon (once an index out of range).
        var json = try JSONSerialization.jsonObject(with: Data(original.utf8)) as! [String: Any]
        var metrics = json["metrics"] as! [String: Any]
        metrics["certified"] = Array((metrics["certified"] as! [Any]).prefix(2))
        json["metrics"] = metrics
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        let short = try cli.simfund(["report", out.path])
        #expect(short.status == 2)
        #expect(short.stderr.contains("summary.json: metrics.certified (line 1): expected 4 entries (one per year 2020–2023), found 2"), "\(short.stderr)")
        // A huge number, and a truncated file.
        try original.replacingOccurrences(of: "\"replicates\": 50", with: "\"replicates\": 1e300").write(to: file, atomically: true, encoding: .utf8)
        let huge = try cli.simfund(["report", out.path])
        #expect(huge.status == 2 && huge.stderr.contains("summary.json: replicates (line 6)"), "\(huge.stderr)")
        try String(original.prefix(original.count / 3)).write(to: file, atomically: true, encoding: .utf8)
        let truncated = try cli.simfund(["report", out.path])
        #expect(truncated.status == 2 && truncated.stderr.contains("summary.json: the document"), "\(truncated.stderr)")
    }

    @Test("report on a directory without a run says what is missing")
    func reportWithoutRun() throws {
        let result = try cli.simfund(["report", cli.temporaryDirectory().path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("manifest.json is missing"))
    }

    @Test("No progress is printed when stderr is not a terminal")
    func noProgressInPipes() throws {
        let result = try cli.simfund(["run", "Scenarios/province-80.json", "--replicates", "1500", "--threads", "1"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test("Ctrl-C stops a run cleanly: exit 130, nothing written")
    func interrupt() throws {
        let dir = cli.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let (status, stderr) = try cli.interrupted(["run", "Scenarios/province-80.json", "--replicates", "200000", "--out", out.path,
                                                "--report", dir.appendingPathComponent("r.html").path])
        #expect(status == 130, "\(stderr)")
        #expect(stderr.contains("interrupted"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("r.html").path))
    }
}
