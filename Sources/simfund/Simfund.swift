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
        subcommands: [Run.self, Compare.self, Sweep.self, Report.self, Validate.self, Schema.self, Synthesize.self, Flatten.self, EngineSpeed.self]
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

    @Flag(help: "Treat warnings about probable unit slips as errors (exit 2).")
    var strict = false

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

/// Loads a scenario or prints its problems and exits with status 2. Warnings
/// (probable unit slips) go to stderr; with `strict` they are problems too.
func loadScenario(_ path: String, strict: Bool = false) throws -> ScenarioFile {
    let loaded: ScenarioFile
    do {
        loaded = try ScenarioLoader.load(path: path)
    } catch {
        for line in error.lines { printError(line) }
        let count = error.issues.count
        printError("\(path.escapingControlCharacters): \(count) problem\(count == 1 ? "" : "s"); nothing was run.")
        throw ExitCode(2)
    }
    for line in loaded.warningLines(file: path) { printError((strict ? "" : "warning: ") + line) }
    if strict, !loaded.warnings.isEmpty {
        let count = loaded.warnings.count
        printError("\(path.escapingControlCharacters): \(count) warning\(count == 1 ? "" : "s") treated as errors (--strict); nothing was run.")
        throw ExitCode(2)
    }
    return loaded
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
