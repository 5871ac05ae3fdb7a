import Foundation
import Testing

/// `--shard I/N` and `simfund merge`: parts merged give the single run's bytes.
@Suite("Partial runs and merge", .serialized)
struct ShardTests {
    let cli = CLITests()

    func files(_ directory: URL) throws -> [String: Data] { try cli.outputFiles(directory) }

    static let commands: [[String]] = [
        ["run", "Scenarios/longyan.json", "--replicates", "240", "--seed", "9"],
        ["compare", "Scenarios/ningde.json", "--replicates", "240", "--seed", "9"],
        ["sweep", "Scenarios/ningde.json", "--set", "budget.reliefShare=0.005:0.015:0.005", "--replicates", "240", "--seed", "9"],
    ]

    @Test("1, 2, 3 and 7 shards merged write the single run's files byte for byte", arguments: commands)
    func mergeEqualsSingle(command: [String]) throws {
        let root = cli.temporaryDirectory()
        let single = root.appendingPathComponent("single")
        let result = try cli.simfund(command + ["--out", single.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try files(single)
        for shards in [1, 2, 3, 7] {
            let parts = root.appendingPathComponent("parts-\(shards)")
            for i in 1...shards {
                let part = try cli.simfund(command + ["--shard", "\(i)/\(shards)", "--out", parts.path, "--quiet", "--threads", "\(1 + i % 2)"])
                #expect(part.status == 0, "\(part.stderr)")
            }
            let merged = root.appendingPathComponent("merged-\(shards)")
            let merge = try cli.simfund(["merge", parts.path, "--out", merged.path, "--quiet"])
            #expect(merge.status == 0, "\(merge.stderr)")
            #expect(try files(merged) == expected, "\(command[0]) with \(shards) shards")
            let manifest = try String(contentsOf: merged.appendingPathComponent("manifest.json"), encoding: .utf8)
            #expect(manifest.contains("\"shards\": \(shards)"))
        }
    }

    @Test("Parts that do not belong together are refused, saying why")
    func refusals() throws {
        let root = cli.temporaryDirectory()
        let a = root.appendingPathComponent("a"), b = root.appendingPathComponent("b")
        for i in 1...3 {
            _ = try cli.simfund(["run", "Scenarios/longyan.json", "--replicates", "90", "--seed", "1", "--shard", "\(i)/3", "--out", a.path, "--quiet"])
        }
        _ = try cli.simfund(["run", "Scenarios/longyan.json", "--replicates", "90", "--seed", "2", "--shard", "2/3", "--out", b.path, "--quiet"])
        let part = { (dir: URL, i: Int) in dir.appendingPathComponent("part-\(i)-of-3.json").path }
        let missing = try cli.simfund(["merge", part(a, 1), part(a, 3), "--out", root.appendingPathComponent("x").path])
        #expect(missing.status == 2 && missing.stderr.contains("replicates 30–59 are missing"), "\(missing.stderr)")
        let twice = try cli.simfund(["merge", part(a, 1), part(a, 2), part(a, 2), part(a, 3), "--out", root.appendingPathComponent("x").path])
        #expect(twice.status == 2 && twice.stderr.contains("given twice"), "\(twice.stderr)")
        let seed = try cli.simfund(["merge", part(a, 1), part(b, 2), part(a, 3), "--out", root.appendingPathComponent("x").path])
        #expect(seed.status == 2 && seed.stderr.contains("seed 2, not 1"), "\(seed.stderr)")
        // An edited part is untrusted input: exit 2 naming the file and the field.
        let edited = root.appendingPathComponent("edited.json")
        var text = try String(contentsOfFile: part(a, 2), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"targets\":[", with: "\"targets\":[99999,")
        try text.write(to: edited, atomically: true, encoding: .utf8)
        let bad = try cli.simfund(["merge", part(a, 1), edited.path, part(a, 3), "--out", root.appendingPathComponent("x").path])
        #expect(bad.status == 2 && bad.stderr.contains("edited.json") && bad.stderr.contains("targets"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("x").path))
        let noOut = try cli.simfund(["run", "Scenarios/longyan.json", "--shard", "1/2"])
        #expect(noOut.status == 64 && noOut.stderr.contains("--out"))
    }

    @Test("A run that cannot fit in memory is refused before it starts")
    func memoryRefusal() throws {
        let script = "ulimit -v 400000; exec \(CLITests.binary.path) sweep Scenarios/province-80.json --set budget.reliefShare=0.001:0.04:0.0002 --replicates 100000 --quiet"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = CLITests.root
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "\(stderr)")
        #expect(stderr.contains("ulimit -v") && stderr.contains("MiB"), "\(stderr)")
    }
}
