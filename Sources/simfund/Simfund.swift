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
        subcommands: [Run.self, Compare.self, Sweep.self, Goal.self, SensitivityCommand.self, Calibrate.self, Merge.self, Report.self, Validate.self, Schema.self, Synthesize.self, Flatten.self, EngineSpeed.self]
    )

    /// Runs the command and maps every ``SimfundError`` to its exit status:
    /// the only place where simfund chooses one. ArgumentParser's own errors
    /// (usage 64, --help and --version 0) keep their statuses.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
            try StandardOutput.finish()
        } catch let error as SimfundError {
            for line in error.lines { printError(line) }
            Foundation.exit(exitStatus(for: error.code))
        } catch {
            exit(withError: error)
        }
    }

    static func exitStatus(for code: SimfundError.Code) -> Int32 {
        switch code {
        case .invalidInput: return 2
        case .usage: return 64
        case .interrupted: return 130
        case .outputFailure, .internalFailure: return 1
        }
    }
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

    @Option(help: ArgumentHelp("Run only part I of N of the replicates and write its part file into --out DIR (see simfund merge).", valueName: "I/N"))
    var shard: ShardSpec?

    @Option(help: ArgumentHelp("run: stop once every target probability's 95% interval is within ±E (at most --replicates replicates, in batches of 500).",
                               valueName: "E"))
    var precision: Double?

    @Flag(help: "Treat warnings about probable unit slips as errors (exit 2).")
    var strict = false

    func validate() throws {
        if let replicates, replicates < 1 || replicates > 100_000_000 {
            throw ValidationError("--replicates must be from 1 to 100000000, got \(replicates)")
        }
        if let precision, !(precision > 0 && precision < 0.5) {
            throw ValidationError("--precision must be a half-width between 0 and 0.5, such as 0.01 for ±1 point, got \(precision)")
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

/// `--seed` as typed: `-1` is read as a value (not a flag) so the message
/// can say what is wrong with it.
func parseSeed(_ text: String) throws -> UInt64 {
    if let seed = UInt64(text) { return seed }
    if text.hasPrefix("-"), Int64(text) != nil || Double(text) != nil {
        throw ValidationError("the seed cannot be negative, found \(text); give a whole number from 0 to 18446744073709551615")
    }
    throw ValidationError("expected a whole number from 0 to 18446744073709551615, found \"\(text)\"")
}

/// Loads a scenario; its problems become a ``SimfundError`` (exit status 2).
/// Warnings (probable unit slips) go to stderr; with `strict` they are problems too.
func loadScenario(_ path: String, strict: Bool = false) throws(SimfundError) -> ScenarioFile {
    let loaded: ScenarioFile
    do {
        loaded = try ScenarioLoader.load(path: path)
    } catch {
        throw SimfundError(error)
    }
    for line in loaded.warningLines(file: path) { printError((strict ? "" : "warning: ") + line) }
    if strict, !loaded.warnings.isEmpty {
        let count = loaded.warnings.count
        throw SimfundError(.invalidInput, "\(path.escapingControlCharacters): \(count) warning\(count == 1 ? "" : "s") treated as errors (--strict); nothing was run.")
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
