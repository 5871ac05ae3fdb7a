import Foundation
import Testing

/// The real binary, started with control over its environment and standard streams.
enum Binary {
    static var root: URL { CLITests.root }
    static let scenario = CLITests.root.appendingPathComponent("Scenarios/ningde.json").path

    static func process(_ arguments: [String], environment: [String: String] = [:],
                        stdout: Any? = nil, stderr: Pipe = Pipe()) -> Process {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLITests.root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = stdout ?? FileHandle.nullDevice
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        return process
    }

    /// Runs to the end; stdout is discarded unless given.
    static func run(_ arguments: [String], environment: [String: String] = [:], stdout: Any? = nil) throws -> (status: Int32, stderr: String) {
        let err = Pipe()
        let process = process(arguments, environment: environment, stdout: stdout, stderr: err)
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// Runs through /bin/sh, for redirections Foundation cannot express (`<&-`).
    static func shell(_ script: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, CLITests.binary.path]
        process.currentDirectoryURL = CLITests.root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }

    static func temporaryDirectory() -> URL { CLITests().temporaryDirectory() }
}

@Suite("Scenario files, standard streams and output targets: regressions", .serialized)
struct OutputRegressionTests {
    @Test("A directory as the scenario FILE: exit 2 with the system's reason, no crash")
    func directoryAsFile() throws {
        for arguments in [["validate", "Scenarios"], ["compare", "Scenarios/ningde.json", "Scenarios"], ["run", "Scenarios"]] {
            let result = try Binary.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("Scenarios: expected a readable scenario file, found a directory (Is a directory)"), "\(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
        }
    }

    @Test("Closed standard input: exit 2 with the system's reason, no crash")
    func closedStandardInput() throws {
        let result = try Binary.shell(#"exec "$0" validate - <&-"#)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("-: expected a scenario on standard input, found standard input closed (Bad file descriptor)"))
        let piped = try Binary.shell(#"exec "$0" validate - < Scenarios/ningde.json"#)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.hasPrefix("-: valid"))
    }

    @Test("A write error on standard output (/dev/full) exits 1 with the reason")
    func fullStandardOutput() throws {
        for arguments in [["schema"], ["validate", "Scenarios/ningde.json"], ["run", "Scenarios/ningde.json", "--replicates", "10"]] {
            let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
            let result = try Binary.run(arguments, stdout: full)
            #expect(result.status == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("Cannot write to standard output"), "\(arguments): \(result.stderr)")
        }
    }

    @Test("--rank-by with a bad value and --seed -1 are command-line errors (exit 64)")
    func commandLineValues() throws {
        let rank = try Binary.run(["compare", "Scenarios/ningde.json", "--replicates", "10", "--rank-by", "coverage@2023"])
        #expect(rank.status == 64, "\(rank.stderr)")
        #expect(rank.stderr.contains("--rank-by: expected METRIC@YEAR"))
        let year = try Binary.run(["compare", "Scenarios/ningde.json", "--replicates", "10", "--rank-by", "townshipCoverage@1999"])
        #expect(year.status == 64, "\(year.stderr)")
        let seed = try Binary.run(["run", "Scenarios/ningde.json", "--replicates", "10", "--seed", "-1"])
        #expect(seed.status == 64, "\(seed.stderr)")
        #expect(seed.stderr.contains("the seed cannot be negative, found -1"))
    }

    @Test("--report onto the scenario file is refused before simulating; the file is unchanged")
    func reportOntoInput() throws {
        let dir = Binary.temporaryDirectory()
        let input = dir.appendingPathComponent("scenario.json")
        try FileManager.default.copyItem(atPath: Binary.scenario, toPath: input.path)
        let before = try Data(contentsOf: input)
        // The same file under another spelling is still the same file.
        for report in [input.path, dir.path + "/./scenario.json"] {
            let result = try Binary.run(["run", input.path, "--replicates", "10", "--report", report])
            #expect(result.status == 64, "\(result.stderr)")
            #expect(result.stderr.contains("is the scenario file"), "\(result.stderr)")
        }
        let compare = try Binary.run(["compare", Binary.scenario, input.path, "--replicates", "10", "--report", input.path])
        #expect(compare.status == 64, "\(compare.stderr)")
        #expect(try Data(contentsOf: input) == before)
    }

    @Test("--report inside --out is refused before simulating; nothing is written")
    func reportInsideOut() throws {
        let dir = Binary.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let result = try Binary.run(["run", Binary.scenario, "--replicates", "10", "--out", out.path, "--report", out.appendingPathComponent("r.html").path])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("is inside --out"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// Each of these would run for minutes if the targets were checked after
    /// simulating: the refusal, with nothing printed on stdout (no summary),
    /// shows the check comes first.
    @Test("A bad --out or --report is refused before simulating, with the system's reason", .timeLimit(.minutes(2)))
    func badTargetsFailFast() throws {
        let dir = Binary.temporaryDirectory()
        let file = dir.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        let long = ["run", "Scenarios/province-80.json", "--replicates", "5000000"]
        let cases: [(arguments: [String], status: Int32, message: String)] = [
            (["--out", file.path], 1, "expected a directory, found a file (Not a directory)"),
            (["--out", file.appendingPathComponent("sub").path], 1, "is not a directory (Not a directory)"),
            (["--report", dir.path], 1, "expected a file, found a directory (Is a directory)"),
            (["--report", file.appendingPathComponent("r.html").path], 1, "(Not a directory)"),
            (["--out", "/proc/simfund-test/out"], 1, "cannot create directory /proc/simfund-test (No such file or directory)"),
        ]
        for (arguments, status, message) in cases {
            let out = Pipe()
            let process = Binary.process(long + arguments, stdout: out)
            let err = Pipe()
            process.standardError = err
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == status, "\(arguments): \(stderr)")
            #expect(stderr.contains(message), "\(arguments): \(stderr)")
            #expect(stderr.contains("nothing was run"), "\(arguments): \(stderr)")
            #expect(stdout.isEmpty, "\(arguments)")
        }
        #expect(try Data(contentsOf: file) == Data("x".utf8))
    }

    @Test("An --out DIR holding files simfund did not write is refused, and they are kept")
    func foreignFilesKept() throws {
        let out = Binary.temporaryDirectory().appendingPathComponent("out")
        #expect(try Binary.run(["run", Binary.scenario, "--replicates", "10", "--seed", "1", "--out", out.path]).status == 0)
        try Data("mine".utf8).write(to: out.appendingPathComponent("notes.txt"))
        let result = try Binary.run(["run", Binary.scenario, "--replicates", "10", "--seed", "2", "--out", out.path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("simfund did not write (\"notes.txt\")"))
        #expect(try Data(contentsOf: out.appendingPathComponent("notes.txt")) == Data("mine".utf8))
        try FileManager.default.removeItem(at: out.appendingPathComponent("notes.txt"))
        #expect(try OutputSet.read(out)?.seed == 1)
        // `simfund report DIR` writes report.html into DIR: a later run replaces it with the rest of the set.
        #expect(try Binary.run(["report", out.path]).status == 0)
        #expect(try Binary.run(["run", Binary.scenario, "--replicates", "10", "--seed", "3", "--out", out.path]).status == 0)
        #expect(try OutputSet.read(out)?.seed == 3)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
    }
}

/// One `--out` set as found on disk.
struct OutputSet: Equatable {
    static let names = ["districts.csv", "manifest.json", "scenario.json", "summary.json", "targets.csv", "years.csv"]
    var seed: UInt64
    /// Every file but manifest.json (which holds the date), by name.
    var contents: [String: Data]

    /// Reads and checks a set: exactly the six files, each parses, and
    /// summary.json and manifest.json carry the same seed. nil when DIR is absent.
    static func read(_ directory: URL) throws -> OutputSet? {
        guard FileManager.default.fileExists(atPath: directory.path) else { return nil }
        let present = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        try #require(present == names, "files in \(directory.path): \(present)")
        var contents: [String: Data] = [:]
        for name in names { contents[name] = try Data(contentsOf: directory.appendingPathComponent(name)) }
        let summary = try #require(try JSONSerialization.jsonObject(with: contents["summary.json"]!) as? [String: Any])
        let manifest = try #require(try JSONSerialization.jsonObject(with: contents["manifest.json"]!) as? [String: Any])
        _ = try JSONSerialization.jsonObject(with: contents["scenario.json"]!)
        for csv in ["years.csv", "districts.csv", "targets.csv"] {
            let text = String(decoding: contents[csv]!, as: UTF8.self)
            try #require(text.hasSuffix("\n") && text.split(separator: "\n").count > 1, "\(csv) is incomplete")
        }
        let seed = try #require((summary["seed"] as? NSNumber)?.uint64Value)
        try #require((manifest["seed"] as? NSNumber)?.uint64Value == seed, "summary.json and manifest.json come from different runs")
        contents["manifest.json"] = nil
        return OutputSet(seed: seed, contents: contents)
    }
}

/// The output protocol under faults: kills, concurrent writers, interrupts.
@Suite("Output protocol under faults", .serialized)
struct OutputFaultTests {
    static let replicates = "60"

    static func runArguments(seed: UInt64, out: URL) -> [String] {
        ["run", Binary.scenario, "--replicates", replicates, "--seed", String(seed), "--threads", "2", "--out", out.path, "--quiet"]
    }

    /// The complete set a seed writes, computed once per seed in its own directory.
    final class References {
        private var sets: [UInt64: OutputSet] = [:]
        let directory = Binary.temporaryDirectory()

        func set(seed: UInt64) throws -> OutputSet {
            if let set = sets[seed] { return set }
            let out = directory.appendingPathComponent("seed-\(seed)")
            let result = try Binary.run(OutputFaultTests.runArguments(seed: seed, out: out))
            try #require(result.status == 0, "\(result.stderr)")
            let set = try #require(try OutputSet.read(out))
            sets[seed] = set
            return set
        }
    }

    /// Hidden temporaries of `out` in its parent (the lock file excluded).
    static func leftovers(_ out: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)
            .filter { $0.hasPrefix(".\(out.lastPathComponent).simfund-") }
    }

    static func waitForStaging(_ out: URL, of process: Process) throws {
        while process.isRunning, try leftovers(out).isEmpty { usleep(2000) }
    }

    @Test("SIGKILL at random moments leaves one complete set, from one run; the next run cleans up")
    func killedRuns() throws {
        let references = References()
        let out = Binary.temporaryDirectory().appendingPathComponent("out")
        var current = try references.set(seed: 1000)
        #expect(try Binary.run(Self.runArguments(seed: 1000, out: out)).status == 0)
        // The span of one whole run, from which kill moments are drawn.
        let start = Date()
        _ = try references.set(seed: 999)
        let span = Date().timeIntervalSince(start)
        var generator = SystemRandomNumberGenerator()
        var replaced = 0
        let trials = 24
        for trial in 0..<trials {
            let seed = UInt64(2000 + trial)
            // Every third trial widens the window between staging and swapping.
            let environment = trial % 3 == 2 ? ["SIMFUND_TEST_PAUSE_BEFORE_COMMIT_MS": String(Int.random(in: 0...30, using: &generator))] : [:]
            let process = Binary.process(Self.runArguments(seed: seed, out: out), environment: environment)
            try process.run()
            // Half the kills anywhere in the run, half near its end, where it writes.
            let moment = trial % 2 == 0 ? Double.random(in: 0...(1.3 * span), using: &generator)
                : Double.random(in: (0.7 * span)...(1.3 * span), using: &generator)
            usleep(UInt32(moment * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let found = try #require(try OutputSet.read(out), "trial \(trial): no set left")
            #expect(found.seed == current.seed || found.seed == seed, "trial \(trial): a set of seed \(found.seed)")
            #expect(found == (try references.set(seed: found.seed)), "trial \(trial): the files of seed \(found.seed) differ from that run's")
            if found.seed != current.seed { replaced += 1 }
            current = found
        }
        // Whatever the kills left behind, the next run replaces the set and removes its temporaries.
        #expect(try Binary.run(Self.runArguments(seed: 3000, out: out)).status == 0)
        #expect(try OutputSet.read(out) == (try references.set(seed: 3000)))
        #expect(try Self.leftovers(out).isEmpty)
        // Not asserted (it depends on timing); the kills should land both before and after swaps.
        print("killed runs: \(replaced) of \(trials) replaced the set")
    }

    @Test("Two runs into one directory at once never mix: the second is refused while the first writes")
    func concurrentRuns() throws {
        let references = References()
        let out = Binary.temporaryDirectory().appendingPathComponent("out")
        // Deterministic: the second starts while the first is known to hold the lock.
        let first = Binary.process(Self.runArguments(seed: 1, out: out), environment: ["SIMFUND_TEST_PAUSE_BEFORE_COMMIT_MS": "1500"])
        try first.run()
        try Self.waitForStaging(out, of: first)
        let second = try Binary.run(Self.runArguments(seed: 2, out: out))
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(second.status == 1)
        #expect(second.stderr.contains("another simfund command is writing this directory"), "\(second.stderr)")
        #expect(try OutputSet.read(out) == (try references.set(seed: 1)))
        // Racing starts: each run either writes a whole set or is refused.
        for round in 0..<8 {
            let seeds: [UInt64] = [UInt64(10 + 2 * round), UInt64(11 + 2 * round)]
            let processes = seeds.map { Binary.process(Self.runArguments(seed: $0, out: out)) }
            for process in processes { try process.run() }
            for process in processes { process.waitUntilExit() }
            let statuses = processes.map(\.terminationStatus)
            #expect(statuses.allSatisfy { $0 == 0 || $0 == 1 } && statuses.contains(0), "round \(round): \(statuses)")
            let found = try #require(try OutputSet.read(out))
            let winners = zip(seeds, statuses).filter { $1 == 0 }.map(\.0)
            #expect(winners.contains(found.seed), "round \(round): set of seed \(found.seed), runs \(seeds) exited \(statuses)")
            #expect(found == (try references.set(seed: found.seed)), "round \(round)")
        }
    }

    @Test("Ctrl-C while the outputs are written: exit 130 and the previous set, or exit 0 and the new one")
    func interruptWhileWriting() throws {
        let references = References()
        let dir = Binary.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let report = dir.appendingPathComponent("r.html")
        #expect(try Binary.run(Self.runArguments(seed: 1, out: out) + ["--report", report.path]).status == 0)
        let reportBefore = try Data(contentsOf: report)
        let process = Binary.process(Self.runArguments(seed: 2, out: out) + ["--report", report.path],
                                     environment: ["SIMFUND_TEST_PAUSE_BEFORE_COMMIT_MS": "1500"])
        let err = Pipe()
        process.standardError = err
        try process.run()
        try Self.waitForStaging(out, of: process)
        process.interrupt()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("Interrupted: nothing was written"))
        #expect(try OutputSet.read(out) == (try references.set(seed: 1)))
        #expect(try Data(contentsOf: report) == reportBefore)
        #expect(try Self.leftovers(out).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [".out.lock", "out", "r.html"])
    }
}
