import Foundation
import Testing

/// Warnings about probable unit slips, `--strict`, and hostile scenario
/// values, through the real binary.
@Suite("simfund warnings and hostile input", .serialized)
struct WarningCLITests {
    let cli = CLITests()

    /// Ningde with some top-level and budget values replaced, written to a temporary file.
    func ningde(_ changes: (inout [String: Any]) -> Void) throws -> URL {
        let data = try Data(contentsOf: CLITests.root.appendingPathComponent("Scenarios/ningde.json"))
        var json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        changes(&json)
        let file = cli.temporaryDirectory().appendingPathComponent("scenario.json")
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys]).write(to: file)
        return file
    }

    @Test("Warnings go to stderr with their place and path; the file stays valid")
    func warningsPrinted() throws {
        let file = try ningde { json in
            var budget = json["budget"] as! [String: Any]
            budget["reliefShare"] = 1
            json["budget"] = budget
        }
        let result = try cli.simfund(["validate", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("valid"))
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("warning: \(file.path):") == true)
        #expect(lines.first?.hasSuffix(": budget.reliefShare: 1 is 100% of relief funds; did you mean 1%, 0.01?") == true)
    }

    @Test("--strict turns warnings into errors: exit 2, nothing run or written")
    func strict() throws {
        let file = try ningde { json in
            var budget = json["budget"] as! [String: Any]
            budget["reliefShare"] = 1
            json["budget"] = budget
        }
        let validate = try cli.simfund(["validate", "--strict", file.path])
        #expect(validate.status == 2)
        #expect(validate.stdout.isEmpty)
        #expect(validate.stderr.contains("\(file.path):"))
        #expect(!validate.stderr.contains("warning:"))
        #expect(validate.stderr.contains("1 warning treated as errors (--strict); nothing was run."))
        let out = file.deletingLastPathComponent().appendingPathComponent("out")
        for command in [["run", file.path, "--strict", "--replicates", "20", "--out", out.path],
                        ["compare", file.path, "--strict", "--replicates", "20", "--out", out.path]] {
            let result = try cli.simfund(command)
            #expect(result.status == 2, "\(command): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        // A file without warnings passes --strict.
        #expect(try cli.simfund(["validate", "--strict", "Scenarios/ningde.json"]).status == 0)
    }

    @Test("years beyond Int, a whole-range triangular, fewer districts in an alternative: exit 2 with a message, no crash")
    func hostileValues() throws {
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("years: expected a whole number from 1 to 200, found 1", { $0["years"] = 1e19 }),
            ("costs.priceFactor.min: expected a number from -1e15 to 1e15", { json in
                var costs = json["costs"] as! [String: Any]
                costs["priceFactor"] = ["dist": "triangular", "min": -1e308, "mode": 0, "max": 1e308]
                json["costs"] = costs
            }),
            ("alternatives[0].set.districts: expected a path of the base scenario that an alternative can set", { json in
                let districts = json["districts"] as! [Any]
                json["alternatives"] = [["name": "fewer", "set": ["districts": Array(districts.prefix(2))]]]
            }),
        ]
        for (message, change) in cases {
            let file = try ningde(change)
            for command in ["validate", "run", "compare"] {
                let result = try cli.simfund(command == "validate" ? [command, file.path] : [command, file.path, "--replicates", "10"])
                #expect(result.status == 2, "\(command) \(message): \(result.stderr)")
                #expect(result.stderr.contains(message), "\(result.stderr)")
                #expect(!result.stderr.contains("Fatal error"))
            }
        }
    }

    @Test("A name holding a newline and a terminal escape prints as one escaped line")
    func escapedName() throws {
        let file = try ningde { json in
            var districts = json["districts"] as! [[String: Any]]
            districts[1]["name"] = "Evil\n\u{1B}[2J"
            districts[2]["name"] = "Evil\n\u{1B}[2J"
            json["districts"] = districts
        }
        let result = try cli.simfund(["validate", file.path])
        #expect(result.status == 2)
        #expect(!result.stderr.contains("\u{1B}"))
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.first?.contains(#""Evil\n\u001B[2J" again"#) == true)
    }

    @Test("A directory as the scenario file, or a closed standard input: exit 2 with a message, no crash")
    func unreadableInput() throws {
        let directory = try cli.simfund(["validate", "Scenarios"])
        #expect(directory.status == 2)
        #expect(directory.stderr.contains("Scenarios: expected a readable scenario file, found a directory"))
        let compare = try cli.simfund(["compare", "Scenarios/ningde.json", "Scenarios", "--replicates", "10"])
        #expect(compare.status == 2)
        #expect(compare.stderr.contains("found a directory"))
        // The shell closes the child's standard input (`<&-`).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\"$0\" validate - <&-", CLITests.binary.path]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "\(stderr)")
        #expect(stderr.contains("found standard input closed"), "\(stderr)")
    }
}
