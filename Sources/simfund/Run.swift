import ArgumentParser
import Foundation
import SimfundCore

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a scenario and summarise the results.",
        discussion: """
        Prints key metrics by year (median [p5 – p95]) and target probabilities.
        With --out DIR, writes summary.json, years.csv, districts.csv and targets.csv.
        """
    )

    @Argument(help: "Scenario file (JSON, \"simfund\": 1).")
    var file: String

    @OptionGroup var options: SimulationOptions

    func run() throws {
        let loaded = try loadScenario(file)
        let scenario = loaded.base
        let seed = resolveSeed(options.seed, scenario: scenario, quiet: options.quiet)
        let replicates = options.replicates ?? scenario.replicates
        let threads = options.threadCount
        let output = try withRunControl(totalReplicates: replicates, quiet: options.quiet) { control throws(RunFailure) in
            try Runner.simulate(scenario, seed: seed, replicates: replicates, threads: threads, control: control)
        }
        let summary = RunSummary(output)
        if options.out != nil || options.report != nil {
            let manifest = RunManifest(command: commandLine, scenarioName: scenario.name, scenarioFile: file, scenarioBytes: loaded.source,
                                       seed: seed, replicates: replicates, threads: threads)
            try OutputFiles(summary.outputFiles(), manifest: manifest, scenarioSource: loaded.source).write(out: options.out, report: options.report)
        }
        if !options.quiet {
            print(TerminalReport.render(summary, threads: threads), terminator: "")
            if let directory = options.out { print("\nwrote summary.json, years.csv, districts.csv, targets.csv, manifest.json, scenario.json to \(directory)") }
            if let report = options.report { print("wrote \(report)") }
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a scenario file without running it.")

    @Argument(help: "Scenario file.")
    var file: String

    func run() throws {
        let loaded = try loadScenario(file)
        let alternatives = loaded.alternatives.count
        print("\(file): valid (\(loaded.base.districts.count) district\(loaded.base.districts.count == 1 ? "" : "s"), "
              + "\(loaded.base.years) year\(loaded.base.years == 1 ? "" : "s"), \(alternatives) alternative\(alternatives == 1 ? "" : "s"))")
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the JSON Schema of scenario version 1.")

    @Flag(help: "Print the field reference as a Markdown table instead.")
    var markdown = false

    func run() {
        print(markdown ? ScenarioFieldTable.render() : JSONSchemaWriter.render(), terminator: "")
    }
}

struct Synthesize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a synthetic province scenario (made-up figures) for benchmarks and scaling studies.",
        shouldDisplay: false
    )

    @Argument(help: "Number of districts (1 … 10000).")
    var districts: Int

    @Option(help: "Horizon in years.")
    var years = 10

    @Option(help: "Default replicates written into the scenario.")
    var replicates = 1000

    func validate() throws {
        guard (1...10_000).contains(districts) else { throw ValidationError("districts must be from 1 to 10000") }
        guard (1...200).contains(years) else { throw ValidationError("--years must be from 1 to 200") }
        guard replicates >= 1 else { throw ValidationError("--replicates must be at least 1") }
    }

    func run() {
        print(SyntheticProvince.json(districts: districts, years: years, replicates: replicates), terminator: "")
    }
}

struct Flatten: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a scenario as plain numbers for the C reference implementation (Benchmarks/reference-c).",
        shouldDisplay: false
    )

    @Argument(help: "Scenario file.")
    var file: String

    @Option(help: "Seed (default: the scenario's).")
    var seed: UInt64?

    func run() throws {
        let scenario = try loadScenario(file).base
        print(FlatScenario.render(scenario, seed: seed ?? scenario.seed ?? 0), terminator: "")
    }
}

struct EngineSpeed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine-speed",
        abstract: "Time the engine alone on one thread (for Benchmarks/reference-c/compare.sh).",
        shouldDisplay: false
    )

    @Argument(help: "Scenario file.")
    var file: String

    @Option(help: "Replicates to run.")
    var replicates = 200

    @Option(help: "Seed (default: the scenario's).")
    var seed: UInt64?

    func run() throws {
        let scenario = try loadScenario(file).base
        var engine = ReplicateEngine(scenario: scenario, seed: seed ?? scenario.seed ?? 0)
        let start = Date()
        var checksum = 0
        for r in 0..<replicates { checksum += engine.run(replicate: r) }
        let seconds = Date().timeIntervalSince(start)
        let rate = Double(replicates * engine.districtYearsPerReplicate) / seconds
        print("generator xoshiro256++ replicates \(replicates) district-years/s \(Int(rate)) seconds \(String(format: "%.3f", seconds)) checksum \(checksum)")
    }
}
