import ArgumentParser
import Foundation
import SimfundCore

/// `--lever PATH=LOW:HIGH`.
struct LeverRange {
    var path: String
    var low: Double
    var high: Double

    static func parse(_ text: String) throws -> LeverRange {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--lever expects PATH=LOW:HIGH, such as budget.reliefShare=0.005:0.05, found \"\(text)\"") }
        let numbers = parts[1].split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
        guard numbers.count == 2, let low = numbers[0], let high = numbers[1], low.isFinite, high.isFinite else {
            throw ValidationError("--lever \(parts[0]): expected LOW:HIGH with two numbers, found \"\(parts[1])\"")
        }
        guard low < high else { throw ValidationError("--lever \(parts[0]): expected LOW < HIGH, found \(parts[1])") }
        return LeverRange(path: parts[0], low: low, high: high)
    }
}

struct Goal: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the least value of a lever at which the targets are met with a given probability.",
        usage: "simfund goal FILE --lever PATH=LOW:HIGH [--target N]... [OPTIONS]",
        discussion: """
        On common random numbers each replicate's outcome depends on the lever
        alone. Each replicate's critical value is found by bisection (to 1/10,000
        of HIGH - LOW; whole numbers for counts); the answer is the P-quantile of
        the critical values, with a distribution-free 95% interval. A lever that
        makes things worse as it grows (or an atMost target) gives the greatest
        value that still reaches P. The answer is then confirmed by a run with a
        fresh seed. With --out DIR, writes goal.json and goal.csv.

        Examples:
          simfund goal Scenarios/ningde.json --target 1 \\
            --lever procurement.contractsPerAgency=1:40
          simfund goal Scenarios/ningde.json --probability 0.8 \\
            --lever budget.reliefShare=0.005:0.05
        """
    )

    @Argument(help: ArgumentHelp("Scenario file.", valueName: "FILE"), completion: .file(extensions: ["json"]))
    var file: String

    @Option(help: ArgumentHelp("The numeric path to search and its range, e.g. budget.reliefShare=0.005:0.05.", valueName: "PATH=LOW:HIGH"))
    var lever: String

    @Option(name: .customLong("target"), help: ArgumentHelp("A target to meet, by its 1-based position in the file's \"targets\"; repeat for several (default: all, together).",
                                                            valueName: "N"))
    var targets: [Int] = []

    @Option(help: ArgumentHelp("The probability to reach, between 0 and 1.", valueName: "P"))
    var probability: Double = 0.9

    @Option(help: ArgumentHelp("Monte Carlo replicates (default: the scenario's replicates).", valueName: "N"))
    var replicates: Int?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Random seed, 0 to 18446744073709551615 (default: the scenario's seed, else one is drawn and printed).", valueName: "N"),
            transform: parseSeed)
    var seed: UInt64?

    @Option(help: ArgumentHelp("Worker threads (default: all cores). Results do not depend on it.", valueName: "N"))
    var threads: Int?

    @Option(help: ArgumentHelp("Directory to write goal.json, goal.csv, manifest.json and scenario.json into.", valueName: "DIR"), completion: .directory)
    var out: String?

    @Option(help: ArgumentHelp("Write a self-contained HTML report to FILE.", valueName: "FILE"), completion: .file(extensions: ["html"]))
    var report: String?

    @Option(help: ArgumentHelp("Language of the terminal text and the report: en (default) or zh. Default: SIMFUND_LANG when set, else en.", valueName: "LANG"),
            completion: .list(["en", "zh"]))
    var lang: String?

    @Flag(help: "Start goal.csv with a UTF-8 byte-order mark (for Excel and WPS).")
    var excel = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        _ = try LeverRange.parse(lever)
        if !(probability > 0 && probability < 1) {
            throw ValidationError("--probability must be between 0 and 1 (exclusive), such as 0.9, got \(probability)")
        }
        for t in targets where t < 1 { throw ValidationError("--target must be a 1-based target position (1, 2, ...), got \(t)") }
        if Set(targets).count != targets.count { throw ValidationError("--target: a position is given twice") }
        if let replicates, replicates < 1 || replicates > 1_000_000 {
            throw ValidationError("--replicates must be from 1 to 1000000 for goal seek, got \(replicates)")
        }
        if let threads, threads < 1 || threads > 1024 { throw ValidationError("--threads must be from 1 to 1024, got \(threads)") }
        if case let .failure(error) = Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment) {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let range = try LeverRange.parse(lever)
        let language = (try? Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment).get()) ?? .en
        let loaded = try loadScenario(file)
        let scenario = loaded.base
        let resolved: NumericLever
        switch NumericLever.resolve(range.path, in: loaded) {
        case let .success(found): resolved = found
        case let .failure(problem):
            let nearby = problem.suggestions.isEmpty ? "" : "; valid paths nearby: \(problem.suggestions.joined(separator: ", "))"
            throw SimfundError(.invalidInput, "--lever \(range.path): expected a numeric path of the scenario, found \"\(range.path)\" (\(problem.reason))\(nearby)")
        }
        let chosen = targets.isEmpty ? Array(scenario.targets.indices) : targets.map { $0 - 1 }
        let seed = resolveSeed(self.seed, scenario: scenario, quiet: quiet)
        let question = GoalQuestion(lever: resolved, low: range.low, high: range.high, targets: chosen, probability: probability,
                                    replicates: replicates ?? scenario.replicates, seed: seed)
        if let problem = GoalSeek.check(question, scenario: scenario) {
            throw SimfundError(.invalidInput, "\(file): \(problem.description)", underlying: problem)
        }
        let outputs = try OutputTargets.check(out: out, report: report, inputs: [file])
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        // Progress counts the search pass twice (grid, then bisection) and the confirmation once.
        let result = try withRunControl(totalReplicates: 3 * question.replicates, quiet: quiet) { control throws(RunFailure) in
            try GoalSeek.run(question, scenario: scenario, threads: threadCount, control: control)
        }
        let files = [("goal.json", result.json()), ("goal.csv", excelCSV(result.csv(), excel))]
        if out != nil || report != nil {
            var manifest = RunManifest(command: commandLine, scenarioName: scenario.name, scenarioFile: file, scenarioBytes: loaded.source,
                                       seed: seed, replicates: question.replicates, threads: threadCount)
            manifest.posteriorFile = scenario.posterior?.file
            manifest.posteriorHash = scenario.posterior?.sha256
            try OutputFiles(files, manifest: manifest, scenarioSource: loaded.source).write(to: outputs, language: language)
        }
        guard !quiet else { return }
        let labels = Labels(language)
        let words = chosen.map { labels.target(scenario.targets[$0], districtNames: scenario.districts.map(\.name)) }
        try StandardOutput.write(result.terminalText(targetWords: words, language: language, width: TerminalWidth.current()), terminator: "")
        if let out { try StandardOutput.write("\nwrote goal.json, goal.csv, manifest.json, scenario.json to \(out)") }
        if let report { try StandardOutput.write("wrote \(report)") }
    }
}
