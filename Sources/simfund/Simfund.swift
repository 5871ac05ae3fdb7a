import ArgumentParser
import Foundation
import SimfundCore

@main
struct Simfund: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simfund",
        abstract: "Monte Carlo simulation of budget rules for grassroots social work.",
        discussion: """
        Loads a scenario (region, budget rules, costs, workforce dynamics, targets),
        simulates staffing and coverage year by year, and reports distributions.
        Exit status: 0 success, 2 invalid scenario, 64 usage error, 130 interrupted,
        1 other failure.
        """,
        version: simfundVersion,
        subcommands: [Run.self, Compare.self, Sweep.self, Merge.self, Report.self, Validate.self, Schema.self, Synthesize.self, Flatten.self, EngineSpeed.self]
    )
}

/// Options shared by commands that simulate.
struct SimulationOptions: ParsableArguments {
    @Option(help: "Monte Carlo replicates (default: the scenario's `replicates`).")
    var replicates: Int?

    @Option(help: "Random seed, 0 … 2^64−1 (default: the scenario's `seed`, else one is drawn and printed).")
    var seed: UInt64?

    @Option(help: "Worker threads (default: all cores). Results do not depend on it.")
    var threads: Int?

    @Option(help: "Directory to write output files into.")
    var out: String?

    @Option(help: "Write a self-contained HTML report (charts, tables, inputs) to FILE.")
    var report: String?

    @Flag(help: "Print nothing but errors (no summary, no progress).")
    var quiet = false

    @Option(help: ArgumentHelp("Run only part I of N of the replicates and write its part file into --out DIR (see simfund merge).", valueName: "I/N"))
    var shard: ShardSpec?

    func validate() throws {
        if let replicates, replicates < 1 || replicates > 100_000_000 {
            throw ValidationError("--replicates must be from 1 to 100000000, got \(replicates)")
        }
        if let threads, threads < 1 || threads > 1024 {
            throw ValidationError("--threads must be from 1 to 1024, got \(threads)")
        }
    }

    var threadCount: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Loads a scenario or prints its problems and exits with status 2.
func loadScenario(_ path: String) throws -> ScenarioFile {
    do {
        return try ScenarioLoader.load(path: path)
    } catch {
        for line in error.lines { printError(line) }
        let count = error.issues.count
        printError("\(path): \(count) problem\(count == 1 ? "" : "s"); nothing was run.")
        throw ExitCode(2)
    }
}

/// The command line as typed, for manifests.
var commandLine: String { (["simfund"] + CommandLine.arguments.dropFirst()).joined(separator: " ") }

/// The seed to use: the flag, else the scenario's, else a fresh one (announced).
func resolveSeed(_ flag: UInt64?, scenario: Scenario, quiet: Bool) -> UInt64 {
    if let flag { return flag }
    if let seed = scenario.seed { return seed }
    var generator = SystemRandomNumberGenerator()
    let seed = generator.next() as UInt64
    if !quiet { printError("seed \(seed) (drawn; pass --seed \(seed) to repeat this run)") }
    return seed
}
