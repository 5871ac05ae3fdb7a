import Foundation
import Testing

/// The `posterior` block end to end: outputs, provenance, and every bad file (exit 2).
@Suite("Posterior on the command line", .serialized)
struct PosteriorCLITests {
    let cli = CLITests()
    static let parameters = ["workforce.passRate.junior", "workforce.examTakeRate.junior"]
    static let header = "workforce.examTakeRate.junior,workforce.passRate.junior,weight\n"

    /// Ningde with a posterior block, written with `csv` into `directory/sub/`; returns the scenario's path.
    func write(_ csv: String?, in directory: URL, parameters: [String] = PosteriorCLITests.parameters,
               change: (inout [String: Any]) -> Void = { _ in }) throws -> URL {
        let sub = directory.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let data = try Data(contentsOf: CLITests.root.appendingPathComponent("Scenarios/ningde.json"))
        var json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        json["posterior"] = ["file": "posterior.csv", "parameters": parameters]
        change(&json)
        let scenario = sub.appendingPathComponent("scenario.json")
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted]).write(to: scenario)
        if let csv { try Data(csv.utf8).write(to: sub.appendingPathComponent("posterior.csv")) }
        return scenario
    }

    @Test("one row writes the same results as the values fixed; the manifest and parts record the file's SHA-256")
    func oneRowAndProvenance() throws {
        let dir = cli.temporaryDirectory()
        let csv = PosteriorCLITests.header + "0.42,0.31,1\n"
        let withPosterior = try write(csv, in: dir)
        let fixed = dir.appendingPathComponent("fixed.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: CLITests.root.appendingPathComponent("Scenarios/ningde.json"))) as! [String: Any]
        var workforce = json["workforce"] as! [String: Any]
        workforce["passRate"] = (workforce["passRate"] as! [String: Any]).merging(["junior": 0.31]) { $1 }
        workforce["examTakeRate"] = (workforce["examTakeRate"] as! [String: Any]).merging(["junior": 0.42]) { $1 }
        json["workforce"] = workforce
        try JSONSerialization.data(withJSONObject: json, options: .sortedKeys).write(to: fixed)
        let a = try cli.simfund(["run", withPosterior.path, "--replicates", "200", "--out", dir.appendingPathComponent("a").path, "--quiet"])
        let b = try cli.simfund(["run", fixed.path, "--replicates", "200", "--out", dir.appendingPathComponent("b").path, "--quiet"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        for file in ["years.csv", "districts.csv", "targets.csv", "summary.json"] {
            let x = try Data(contentsOf: dir.appendingPathComponent("a/\(file)"))
            let y = try Data(contentsOf: dir.appendingPathComponent("b/\(file)"))
            #expect(!x.isEmpty && x == y, "\(file) differs")
        }
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("a/manifest.json"))) as! [String: Any]
        let hash = try #require(manifest["posteriorSHA256"] as? String)
        #expect(hash.count == 64 && manifest["posteriorFile"] as? String == "posterior.csv")
        let copied = try String(contentsOf: dir.appendingPathComponent("a/scenario.json"), encoding: .utf8)
        #expect(copied.contains("\"posterior\""))
        // Parts carry the hash, and merge refuses them once the file changed.
        let parts = dir.appendingPathComponent("parts")
        for shard in ["1/2", "2/2"] {
            let part = try cli.simfund(["run", withPosterior.path, "--replicates", "40", "--seed", "3", "--shard", shard, "--out", parts.path, "--quiet"])
            #expect(part.status == 0, "\(part.stderr)")
        }
        #expect(try String(contentsOf: parts.appendingPathComponent("part-1-of-2.json"), encoding: .utf8).contains("\"posteriorSHA256\":\"\(hash)\""))
        let merged = try cli.simfund(["merge", parts.path, "--out", dir.appendingPathComponent("merged").path, "--quiet"])
        #expect(merged.status == 0, "\(merged.stderr)")
        try Data((PosteriorCLITests.header + "0.42,0.31,2\n").utf8).write(to: withPosterior.deletingLastPathComponent().appendingPathComponent("posterior.csv"))
        let refused = try cli.simfund(["merge", parts.path, "--out", dir.appendingPathComponent("refused").path, "--quiet"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("posterior") && refused.stderr.contains(String(hash.prefix(12))), "\(refused.stderr)")
    }

    @Test("the file resolves against the scenario's directory from any working directory")
    func relativeFromElsewhere() throws {
        let dir = cli.temporaryDirectory()
        let scenario = try write(PosteriorCLITests.header + "0.42,0.31,1\n0.5,0.4,1\n", in: dir)
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["validate", "sub/" + scenario.lastPathComponent]
        process.currentDirectoryURL = dir
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
        let said = String(decoding: (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(said.contains("2 parameters from 2 posterior rows"), "\(said)")
        // From the repository root, by absolute path: the same file.
        let result = try cli.simfund(["run", scenario.path, "--replicates", "20", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("compare and sweep run with a posterior; an alternative or axis on a posterior path is refused")
    func commands() throws {
        let dir = cli.temporaryDirectory()
        let scenario = try write(PosteriorCLITests.header + "0.42,0.31,1\n0.5,0.4,1\n", in: dir)
        let compare = try cli.simfund(["compare", scenario.path, "--replicates", "40", "--quiet"])
        #expect(compare.status == 0, "\(compare.stderr)")
        let sweep = try cli.simfund(["sweep", scenario.path, "--set", "budget.reliefShare=0.01:0.02:0.01", "--replicates", "40", "--quiet"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let axis = try cli.simfund(["sweep", scenario.path, "--set", "workforce.passRate.junior=0.2:0.3:0.1", "--replicates", "40"])
        #expect(axis.status != 0 && axis.stderr.contains("workforce.passRate.junior") && axis.stderr.contains("posterior"), "\(axis.stderr)")
        let alternative = try write(nil, in: dir) { json in
            json["alternatives"] = [["name": "easier exam", "set": ["workforce.passRate.junior": 0.5]],
                                    ["name": "other file", "set": ["posterior.file": "other.csv"]]]
        }
        let refused = try cli.simfund(["validate", alternative.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("alternatives[0].set[\"workforce.passRate.junior\"]") && refused.stderr.contains("\"easier exam\""), "\(refused.stderr)")
        #expect(refused.stderr.contains("alternatives[1].set[\"posterior.file\"]"), "\(refused.stderr)")
    }

    /// Each bad file, the words its message must contain, all exit 2.
    static let badFiles: [(csv: String?, parameters: [String], expected: [String])] = [
        (nil, parameters, ["posterior.file", "no such file", "sub/posterior.csv"]),
        (header + "0.4,abc,1\n", parameters, ["posterior.csv row 1 (line 2), column 2 (workforce.passRate.junior)", "decimal number", "\"abc\""]),
        (header + "0.4,0.3,1\n0.4,1e999,1\n", parameters, ["row 2 (line 3), column 2", "finite"]),
        (header + "0.4,nan,1\n", parameters, ["row 1 (line 2), column 2", "\"nan\""]),
        (header + "1.4,0.3,1\n", parameters, ["row 1 (line 2), column 1 (workforce.examTakeRate.junior)", "rate in [0, 1]", "\"1.4\""]),
        (header + "0.4,0.3,-1\n", parameters, ["row 1 (line 2), column 3 (weight)", "weight ≥ 0"]),
        (header + "0.4,0.3,0\n0.5,0.3,0\n", parameters, ["column 3 (weight)", "positive weight", "all 2 weights 0"]),
        (header, parameters, ["header (line 1)", "at least one row"]),
        (header + "0.4,0.3\n", parameters, ["row 1 (line 2)", "3 cells", "found 2"]),
        (header + "0.4,0.3,1,7\n", parameters, ["row 1 (line 2)", "3 cells", "found 4"]),
        ("workforce.examTakeRate.junior,weight\n0.4,1\n", parameters, ["posterior.parameters[0]", "a column of posterior.csv", "workforce.passRate.junior"]),
        ("workforce.examTakeRate.junior,workforce.passRate.junior\n0.4,0.3\n", parameters, ["header (line 1)", "column \"weight\""]),
        ("workforce.examTakeRate.junior,workforce.passRate.junior,weight,weight\n0.4,0.3,1,1\n", parameters,
         ["header (line 1), column 4 (weight)", "each column once", "also column 3"]),
        ("\"workforce.examTakeRate.junior\",weight\n0.4,1\n", parameters, ["header (line 1)", "without quotes"]),
        ("", parameters, ["posterior.file", "header row", "an empty file"]),
        (header + "0.4,0.3,1\n", ["budget.reliefGrowth"], ["posterior.parameters[0]", "per-year parameters cannot come from the posterior"]),
        (header + "0.4,0.3,1\n", ["districts.0.population"], ["posterior.parameters[0]", "per-replicate numeric parameter"]),
        (header + "0.4,0.3,1\n", ["workforce.passRate.junior", "workforce.passRate.junior"], ["posterior.parameters[1]", "each path once"]),
    ]

    @Test("every bad posterior file or block exits 2 naming the file, row and column", arguments: badFiles.indices)
    func badFile(index: Int) throws {
        let (csv, parameters, expected) = PosteriorCLITests.badFiles[index]
        let dir = cli.temporaryDirectory()
        let scenario = try write(csv, in: dir, parameters: parameters)
        let result = try cli.simfund(["run", scenario.path, "--replicates", "10"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        // Every message line starts at the block in the scenario file.
        #expect(result.stderr.contains("\(scenario.path):"), "\(result.stderr)")
        for words in expected { #expect(result.stderr.contains(words), "missing \"\(words)\" in: \(result.stderr)") }
    }

    @Test("a directory or a named pipe in place of the file is refused at once")
    func notARegularFile() throws {
        let dir = cli.temporaryDirectory()
        let scenario = try write(nil, in: dir)
        let csv = scenario.deletingLastPathComponent().appendingPathComponent("posterior.csv")
        try FileManager.default.createDirectory(at: csv, withIntermediateDirectories: false)
        let directory = try cli.simfund(["validate", scenario.path])
        #expect(directory.status == 2 && directory.stderr.contains("posterior.file") && directory.stderr.contains("a directory"), "\(directory.stderr)")
        try FileManager.default.removeItem(at: csv)
        // Opening a pipe without a writer would block forever.
        #expect(mkfifo(csv.path, 0o600) == 0)
        let pipe = try cli.simfund(["validate", scenario.path])
        #expect(pipe.status == 2 && pipe.stderr.contains("a regular posterior file"), "\(pipe.stderr)")
    }

    @Test("a file over the size limit is refused before it is read")
    func sizeLimit() throws {
        let dir = cli.temporaryDirectory()
        let scenario = try write(PosteriorCLITests.header, in: dir)
        let csv = scenario.deletingLastPathComponent().appendingPathComponent("posterior.csv")
        let handle = try FileHandle(forWritingTo: csv)
        // A sparse file: 65 MiB of size, no time to write.
        try handle.truncate(atOffset: 65 << 20)
        try handle.close()
        let result = try cli.simfund(["validate", scenario.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("posterior.file") && result.stderr.contains("over the limit of 67108864 bytes"), "\(result.stderr)")
    }
}
