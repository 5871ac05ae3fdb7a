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
    @Option(help: ArgumentHelp("Monte Carlo replicates (default: the scenario's replicates).", valueName: "N"))
    var replicates: Int?

    // Parsed here rather than as UInt64 so that `--seed -1` is read as a value and gets a clear message.
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Random seed, 0 to 18446744073709551615 (default: the scenario's seed, else one is drawn and printed).",
                               valueName: "N"),
            transform: parseSeed)
    var seed: UInt64?

    @Option(help: ArgumentHelp("Worker threads (default: all cores). Results do not depend on it.", valueName: "N"))
    var threads: Int?

    @Option(help: ArgumentHelp("Directory to write output files into.", valueName: "DIR"), completion: .directory)
    var out: String?

    @Option(help: ArgumentHelp("Write a self-contained HTML report (charts, tables, inputs) to FILE.", valueName: "FILE"),
            completion: .file(extensions: ["html"]))
    var report: String?

    @Option(help: ArgumentHelp("Language of the terminal summary and the report: en (default) or zh (Simplified Chinese, "
                               + "money in 10k and 100M yuan). Default: SIMFUND_LANG when set, else en.", valueName: "LANG"),
            completion: .list(["en", "zh"]))
    var lang: String?

    @Flag(help: "Start CSV files with a UTF-8 byte-order mark, so that Excel and WPS show Chinese names correctly.")
    var excel = false

    @Flag(help: "Print nothing but errors (no summary, no progress).")
    var quiet = false

    func validate() throws {
        if let replicates, replicates < 1 || replicates > 100_000_000 {
            throw ValidationError("--replicates must be from 1 to 100000000, got \(replicates)")
        }
        if let threads, threads < 1 || threads > 1024 {
            throw ValidationError("--threads must be from 1 to 1024, got \(threads)")
        }
        if case let .failure(error) = Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment) {
            throw ValidationError(error.description)
        }
    }

    /// `--lang`, else `SIMFUND_LANG`, else English (checked in validate()).
    var language: Language {
        (try? Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment).get()) ?? .en
    }

    var threadCount: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }
}

/// `--seed N`: a whole number from 0 to 2^64 - 1, with a message for the usual slips.
func parseSeed(_ text: String) throws -> UInt64 {
    if let seed = UInt64(text) { return seed }
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed.hasPrefix("-"), Int64(trimmed) != nil || Double(trimmed) != nil {
        throw ValidationError("the seed cannot be negative; use a whole number from 0 to 18446744073709551615")
    }
    throw ValidationError("expected a whole number from 0 to 18446744073709551615")
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
