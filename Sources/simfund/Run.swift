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
        let loaded = try loadScenario(file, strict: options.strict)
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

    @Flag(help: "Treat warnings about probable unit slips as errors (exit 2).")
    var strict = false

    func run() throws {
        let loaded = try loadScenario(file, strict: strict)
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
