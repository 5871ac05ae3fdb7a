import ArgumentParser
import Foundation
import SimfundCore

/// Options shared by `compare` and `sweep`.
struct RankingOptions: ParsableArguments {
    @Option(name: .customLong("rank-by"),
            help: ArgumentHelp("Rank on METRIC@YEAR: a target's probability, else the metric's mean (default: the first target).",
                               valueName: "METRIC@YEAR"))
    var rankBy: String?

    func key(for scenario: Scenario) throws -> RankKey {
        guard let rankBy else { return RankKey.defaultKey(for: scenario) }
        switch RankKey.parse(rankBy, scenario: scenario) {
        case let .success(key): return key
        case let .failure(error):
            // A command-line value: a usage error, like every other bad flag.
            printError(error.description)
            throw ExitCode.validationFailure
        }
    }
}

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare a scenario's alternatives, or whole scenario files, with paired differences.",
        usage: "simfund compare FILE [FILE ...] [OPTIONS]",
        discussion: """
        With one FILE, runs the base and every entry of its "alternatives". With several
        files, the first is the base and each other file is an alternative (they must
        share years, startYear and districts). Every run uses the same seed and
        replicates, so replicate r of each alternative sees the same random numbers
        (common random numbers) and differences come from the policy, not from noise.
        With --out DIR, writes compare.json and compare.csv.

        Examples:
          simfund compare Scenarios/ningde.json
          simfund compare base.json raise-subsidies.json --rank-by certified@2025
        """
    )

    @Argument(help: ArgumentHelp("A scenario file with alternatives, or several scenario files (the first is the base).", valueName: "FILE"),
              completion: .file(extensions: ["json"]))
    var files: [String]

    @OptionGroup var options: SimulationOptions
    @OptionGroup var ranking: RankingOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give a scenario file") }
    }

    func run() throws {
        let first = try loadScenario(files[0])
        var alternatives: [(name: String, scenario: Scenario)] = []
        if files.count == 1 {
            guard !first.alternatives.isEmpty else {
                printError("\(files[0]): no \"alternatives\" to compare; add some, or give more scenario files to compare with it")
                throw ExitCode(2)
            }
            alternatives = first.alternatives.map { ($0.name, $0.scenario) }
        } else {
            for file in files.dropFirst() {
                let other = try loadScenario(file).base
                if let problem = Comparer.checkComparable(base: first.base, baseFile: files[0], other: other, otherFile: file) {
                    printError(problem.description)
                    throw ExitCode(2)
                }
                let taken = alternatives.map(\.name) + [first.base.name]
                alternatives.append((taken.contains(other.name) ? "\(other.name) (\(file))" : other.name, other))
            }
        }
        let baseName = files.count == 1 ? "base" : first.base.name
        let seed = resolveSeed(options.seed, scenario: first.base, quiet: options.quiet)
        let report = try SimfundCLI.compare(base: first.base, baseName: baseName, alternatives: alternatives, seed: seed,
                                            options: options, ranking: ranking)
        try SimfundCLI.write([("compare.json", report.compareJSON()), ("compare.csv", report.compareCSV(excel: options.excel))],
                             scenario: first, file: files[0], seed: seed, options: options)
        if !options.quiet {
            print(report.terminalTable(title: first.base.name, language: options.language, width: TerminalWidth.current()), terminator: "")
        }
    }
}

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a grid of values of one or two parameters as alternatives of the base.",
        usage: "simfund sweep FILE --set PATH=FROM:TO:STEP [--set ...] [OPTIONS]",
        discussion: """
        Each --set PATH=FROM:TO:STEP sweeps a dotted path (as in "alternatives") over
        FROM, FROM+STEP, ... up to TO. With two --set options, every combination runs.
        Every grid point uses the base's seed and replicates (common random numbers).
        With --out DIR, writes sweep.csv and sweep.json.

        Example:
          simfund sweep Scenarios/ningde.json --set budget.reliefShare=0.01:0.03:0.01
        """
    )

    @Argument(help: ArgumentHelp("Scenario file.", valueName: "FILE"), completion: .file(extensions: ["json"]))
    var file: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Sweep the scenario path PATH over FROM, FROM+STEP, ... up to TO; once or twice.",
                                                         valueName: "PATH=FROM:TO:STEP"))
    var sets: [String]

    @OptionGroup var options: SimulationOptions
    @OptionGroup var ranking: RankingOptions

    struct Axis {
        var path: String
        var values: [Double]
    }

    static func parse(_ text: String) throws -> Axis {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--set expects PATH=FROM:TO:STEP, found \"\(text)\"") }
        let numbers = parts[1].split(separator: ":").map { Double($0) }
        guard numbers.count == 3, let from = numbers[0], let to = numbers[1], let step = numbers[2], from.isFinite, to.isFinite else {
            throw ValidationError("--set \(parts[0]): expected FROM:TO:STEP with three numbers, found \"\(parts[1])\"")
        }
        guard step > 0, to >= from else {
            throw ValidationError("--set \(parts[0]): expected STEP > 0 and TO >= FROM, found \(parts[1])")
        }
        let count = Int(((to - from) / step + 1e-9).rounded(.down)) + 1
        guard count <= 1000 else { throw ValidationError("--set \(parts[0]): \(count) values; at most 1000 per path") }
        // Printed with 12 significant digits so 0.1 + 2·0.1 is 0.3, not 0.30000000000000004.
        let values = (0..<count).map { Double(String(format: "%.12g", from + Double($0) * step))! }
        return Axis(path: parts[0], values: values)
    }

    func validate() throws {
        guard (1...2).contains(sets.count) else { throw ValidationError("give one or two --set PATH=FROM:TO:STEP options") }
        let axes = try sets.map(Sweep.parse)
        if axes.count == 2, axes[0].path == axes[1].path { throw ValidationError("--set: the two paths are the same") }
        if axes.map(\.values.count).reduce(1, *) > 2000 { throw ValidationError("--set: more than 2000 grid points") }
    }

    func run() throws {
        let loaded = try loadScenario(file)
        let axes = try sets.map(Sweep.parse)
        var points: [[Double]] = axes[0].values.map { [$0] }
        if axes.count == 2 { points = points.flatMap { p in axes[1].values.map { p + [$0] } } }
        var alternatives: [(name: String, scenario: Scenario)] = []
        for point in points {
            var document = loaded.document
            var name: [String] = []
            for (axis, value) in zip(axes, point) {
                switch DocumentPaths.setting(axis.path, to: JSONNode(.number(value, literal: String(format: "%.12g", value))), in: document) {
                case let .success(changed): document = changed
                case let .failure(problem):
                    let nearby = problem.suggestions.isEmpty ? "" : "; valid paths nearby: \(problem.suggestions.joined(separator: ", "))"
                    printError("--set \(axis.path): expected a path of the scenario that an alternative can set, found \"\(axis.path)\" (\(problem.reason))\(nearby)")
                    throw ExitCode.validationFailure  // a bad command-line value: usage error
                }
                name.append("\(axis.path)=\(String(format: "%.12g", value))")
            }
            do {
                let scenario = try ScenarioLoader.load(document: document, fileName: "\(file) with --set \(name.joined(separator: ", "))").base
                alternatives.append((name.joined(separator: ", "), scenario))
            } catch {
                for line in error.lines { printError(line) }
                throw ExitCode.validationFailure  // a bad command-line value: usage error
            }
        }
        let seed = resolveSeed(options.seed, scenario: loaded.base, quiet: options.quiet)
        let report = try SimfundCLI.compare(base: loaded.base, baseName: "base", alternatives: alternatives, seed: seed, options: options, ranking: ranking)
        let paths = axes.map(\.path)
        try SimfundCLI.write([("sweep.csv", report.sweepCSV(paths: paths, values: points, excel: options.excel)), ("sweep.json", report.sweepJSON(paths: paths, values: points)),
                              ("compare.json", report.compareJSON())],
                             scenario: loaded, file: file, seed: seed, options: options)
        if !options.quiet {
            print(report.terminalTable(title: "\(loaded.base.name): sweep of \(paths.joined(separator: " × "))", sweptPaths: paths, sweptValues: points,
                                       language: options.language, width: TerminalWidth.current()),
                  terminator: "")
        }
    }
}

/// Steps shared by the comparing commands.
enum SimfundCLI {
    static func compare(base: Scenario, baseName: String, alternatives: [(name: String, scenario: Scenario)], seed: UInt64,
                        options: SimulationOptions, ranking: RankingOptions) throws -> ComparisonReport {
        let key = try ranking.key(for: base)
        let replicates = options.replicates ?? base.replicates
        let threads = options.threadCount
        // Pairing keeps every replicate's values of the base and one alternative at a time.
        let bytes = Double(replicates) * Double(Metric.count * base.years) * 8 * 2
        let limit = 8.0 * 1024 * 1024 * 1024
        if bytes > limit {
            let most = Int(limit / (Double(Metric.count * base.years) * 8 * 2))
            printError("--replicates \(replicates): a paired comparison keeps every replicate's values, "
                       + String(format: "%.1f GiB here; ", bytes / 1024 / 1024 / 1024)
                       + "use at most \(most) replicates for a \(base.years)-year scenario")
            throw ExitCode.validationFailure  // a bad command-line value: usage error
        }
        return try withRunControl(totalReplicates: replicates * (1 + alternatives.count), quiet: options.quiet) { control throws(RunFailure) in
            try Comparer.compare(base: base, baseName: baseName, alternatives: alternatives, seed: seed,
                                 replicates: replicates, threads: threads, rankKey: key, control: control)
        }
    }

    /// Writes the comparison files with the manifest and scenario, and the report if asked for.
    static func write(_ files: [(name: String, contents: String)], scenario: ScenarioFile, file: String, seed: UInt64,
                      options: SimulationOptions) throws {
        guard options.out != nil || options.report != nil else { return }
        let manifest = RunManifest(command: commandLine, scenarioName: scenario.base.name, scenarioFile: file, scenarioBytes: scenario.source,
                                   seed: seed, replicates: options.replicates ?? scenario.base.replicates, threads: options.threadCount)
        try OutputFiles(files, manifest: manifest, scenarioSource: scenario.source).write(out: options.out, report: options.report, language: options.language)
    }
}
