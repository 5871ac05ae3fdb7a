import ArgumentParser
import Foundation
import SimfundCore

/// Options shared by `compare` and `sweep`.
struct RankingOptions: ParsableArguments {
    @Option(name: .customLong("rank-by"), help: ArgumentHelp("Rank on METRIC@YEAR: a target's probability, else the metric's mean (default: the first target).",
                                                             valueName: "METRIC@YEAR"))
    var rankBy: String?
}

/// `compare`'s decision methods: sequential selection and value of information.
struct DecisionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("decided: add replicates in batches until one alternative is the best on the rank key (Kim & Nelson), "
                               + "at most --replicates.", valueName: "decided"))
    var until: String?

    @Option(help: ArgumentHelp("With --until decided: the smallest difference of the rank key worth telling apart, in its units "
                               + "(default 0.01 for a probability or share; required for other metrics).", valueName: "D"))
    var indifference: Double?

    @Option(help: ArgumentHelp("With --until decided: the probability of selecting the best when it leads by at least D (default 0.95).",
                               valueName: "C"))
    var confidence: Double?

    @Option(help: ArgumentHelp("With --until decided: replicates per batch, and of the first stage (default \(SequentialSelection.defaultBatch)).",
                               valueName: "B"))
    var batch: Int?

    @Flag(name: .customLong("value-of-information"),
          help: "Add each uncertain input's expected value of partial perfect information for the ranking (EVPPI).")
    var valueOfInformation = false

    func validate() throws {
        if let until, until != "decided" { throw ValidationError("--until: expected \"decided\", found \"\(until)\"") }
        if until == nil {
            for (flag, given) in [("--indifference", indifference != nil), ("--confidence", confidence != nil), ("--batch", batch != nil)] where given {
                throw ValidationError("\(flag): only with --until decided")
            }
        }
        if let indifference, !(indifference > 0 && indifference.isFinite) {
            throw ValidationError("--indifference: expected a difference above 0 in the rank key's units, such as 0.01 for one point of probability, got \(indifference)")
        }
        if let confidence, !(confidence > 0.5 && confidence < 1) {
            throw ValidationError("--confidence: expected a probability above 0.5 and below 1, such as 0.95, got \(confidence)")
        }
        if let batch, batch < 10 || batch > 1_000_000 {
            throw ValidationError("--batch: expected from 10 to 1000000 replicates, got \(batch)")
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
          simfund compare Scenarios/ningde.json --until decided --replicates 20000
          simfund compare Scenarios/ningde.json --value-of-information
        """
    )

    @Argument(help: ArgumentHelp("A scenario file with alternatives, or several scenario files (the first is the base).", valueName: "FILE"),
              completion: .file(extensions: ["json"]))
    var files: [String]

    @OptionGroup var options: SimulationOptions
    @OptionGroup var ranking: RankingOptions
    @OptionGroup var decision: DecisionOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give a scenario file") }
    }

    func run() throws {
        let loaded = try files.map { try loadScenario($0, strict: options.strict) }
        if files.count == 1, loaded[0].alternatives.isEmpty {
            throw SimfundError(.invalidInput, "\(files[0]): no \"alternatives\" to compare; add some, or give more scenario files to compare with it")
        }
        let seed = resolveSeed(options.seed, scenario: loaded[0].base, quiet: options.quiet)
        let inputs = PartialRun.Inputs(command: "compare", files: zip(files, loaded).map { ($0, $1.source) }, rankBy: ranking.rankBy,
                                       seed: seed, replicates: options.replicates ?? loaded[0].base.replicates,
                                       valueOfInformation: decision.valueOfInformation)
        try PlannedRun.execute(inputs, loaded: loaded, options: options, decision: decision)
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
        let loaded = try loadScenario(file, strict: options.strict)
        let axes = try sets.map(Sweep.parse)
        let seed = resolveSeed(options.seed, scenario: loaded.base, quiet: options.quiet)
        let inputs = PartialRun.Inputs(command: "sweep", files: [(file, loaded.source)], axes: axes.map { ($0.path, $0.values) },
                                       rankBy: ranking.rankBy, seed: seed, replicates: options.replicates ?? loaded.base.replicates)
        try PlannedRun.execute(inputs, loaded: [loaded], options: options)
    }
}
