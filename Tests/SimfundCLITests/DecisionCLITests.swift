import Foundation
import Testing

/// `compare --value-of-information` and `compare --until decided` from the command line.
@Suite("Decisions from the command line", .serialized)
struct DecisionCLITests {
    let cli = CLITests()

    func files(_ directory: URL) throws -> [String: Data] { try cli.outputFiles(directory) }

    /// Terminal text with its line wrapping undone.
    func words(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    func json(_ directory: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("compare.json"))) as! [String: Any]
    }

    @Test("Value of information: every uncertain input, and merged parts write the single run's bytes")
    func valueOfInformationMerges() throws {
        let root = cli.temporaryDirectory()
        let command = ["compare", "Scenarios/ningde.json", "--replicates", "300", "--seed", "5", "--value-of-information"]
        let single = root.appendingPathComponent("single")
        let result = try cli.simfund(command + ["--out", single.path])
        #expect(result.status == 0, "\(result.stderr)")
        let entries = try #require(try json(single)["valueOfInformation"] as? [[String: Any]])
        let inputs = entries.compactMap { $0["input"] as? String }
        // Ningde's drawn parameters, each once.
        #expect(inputs.contains("workforce.passRate.junior") && inputs.contains("awards.amount") && inputs.contains("budget.lottery"), "\(inputs)")
        #expect(Set(inputs).count == inputs.count && inputs.count >= 8, "\(inputs)")
        for entry in entries {
            let evppi = try #require(entry["evppi"] as? Double), low = try #require(entry["low"] as? Double), high = try #require(entry["high"] as? Double)
            #expect(evppi >= 0 && low <= high)
        }
        #expect(words(result.stdout).contains("Value of information (EVPPI, from the first 300 replicates)"))
        #expect(words(result.stdout).contains("knowing awards.amount exactly") && words(result.stdout).contains("Fujian provincial roundup"))
        let parts = root.appendingPathComponent("parts")
        for i in 1...3 {
            let part = try cli.simfund(command + ["--shard", "\(i)/3", "--out", parts.path, "--quiet", "--threads", "\(1 + i % 2)"])
            #expect(part.status == 0, "\(part.stderr)")
        }
        let merged = root.appendingPathComponent("merged")
        let merge = try cli.simfund(["merge", parts.path, "--out", merged.path, "--quiet"])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(try files(merged) == files(single))
        // A part run without the flag does not belong with these.
        let other = root.appendingPathComponent("other")
        _ = try cli.simfund(["compare", "Scenarios/ningde.json", "--replicates", "300", "--seed", "5", "--shard", "2/3", "--out", other.path, "--quiet"])
        let mixed = try cli.simfund(["merge", parts.appendingPathComponent("part-1-of-3.json").path, other.appendingPathComponent("part-2-of-3.json").path,
                                     parts.appendingPathComponent("part-3-of-3.json").path, "--out", root.appendingPathComponent("mixed").path])
        #expect(mixed.status == 2 && mixed.stderr.contains("no --value-of-information, not with it"), "\(mixed.stderr)")
        // Without the flag, compare.json has neither field.
        let plain = root.appendingPathComponent("plain")
        _ = try cli.simfund(["compare", "Scenarios/ningde.json", "--replicates", "300", "--seed", "5", "--out", plain.path, "--quiet"])
        let text = try String(contentsOf: plain.appendingPathComponent("compare.json"), encoding: .utf8)
        #expect(!text.contains("valueOfInformation") && !text.contains("sequential"))
    }

    @Test("Until decided: the same stopping point and bytes for 1 and 2 threads, said in words")
    func untilDecided() throws {
        let root = cli.temporaryDirectory()
        let command = ["compare", "Scenarios/ningde.json", "--until", "decided", "--replicates", "5000", "--seed", "3", "--batch", "50"]
        var outputs: [[String: Data]] = []
        for threads in [1, 2] {
            let out = root.appendingPathComponent("t\(threads)")
            let result = try cli.simfund(command + ["--threads", "\(threads)", "--out", out.path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(words(result.stdout).contains("Sequential selection (Kim–Nelson, 95% confidence, indifference 1 point of probability)"), "\(result.stdout)")
            #expect(words(result.stdout).contains("2% of relief funds selected after"), "\(result.stdout)")
            outputs.append(try files(out))
            let sequential = try #require(try json(out)["sequential"] as? [String: Any])
            let used = try #require(sequential["replicatesUsed"] as? Int)
            #expect(used % 50 == 0 && used < 5000)
            #expect((sequential["eliminated"] as? [Any])?.count == 3)
            let manifest = try String(contentsOf: out.appendingPathComponent("manifest.json"), encoding: .utf8)
            #expect(manifest.contains("\"replicates\": \(used)"))
        }
        #expect(outputs[0] == outputs[1])
    }

    @Test("Bad decision options exit 64 naming the option", arguments: [
        (["--until", "maybe"], "--until"),
        (["--batch", "50"], "--batch: only with --until decided"),
        (["--until", "decided", "--batch", "5"], "--batch"),
        (["--until", "decided", "--confidence", "0.4"], "--confidence"),
        (["--until", "decided", "--indifference", "2"], "--indifference 2"),
        (["--until", "decided", "--rank-by", "spendTotal@2023"], "--indifference"),
        (["--until", "decided", "--shard", "1/2", "--out", "/tmp/simfund-never"], "--shard"),
    ])
    func refusals(arguments: [String], expected: String) throws {
        let result = try cli.simfund(["compare", "Scenarios/ningde.json", "--replicates", "200"] + arguments)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }
}
