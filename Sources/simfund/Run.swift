import ArgumentParser
import Foundation
import SimfundCore

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a scenario and summarise the results.",
        usage: "simfund run FILE [OPTIONS]",
        discussion: """
        Prints key metrics by year (median [5th, 95th percentile]) and target
        probabilities, laid out for the terminal's width (COLUMNS when set).
        With --out DIR, writes summary.json, years.csv, districts.csv and targets.csv.

        Examples:
          simfund run Scenarios/ningde.json
          simfund run Scenarios/ningde.json --seed 7 --out out/ningde
          simfund run Scenarios/longyan.json --lang zh --report longyan.html
        """
    )

    @Argument(help: ArgumentHelp("Scenario file (JSON, \"simfund\": 1).", valueName: "FILE"), completion: .file(extensions: ["json"]))
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
            try OutputFiles(summary.outputFiles(excel: options.excel), manifest: manifest, scenarioSource: loaded.source).write(out: options.out, report: options.report, language: options.language)
        }
        if !options.quiet {
            print(TerminalReport.render(summary, threads: threads, language: options.language, width: TerminalWidth.current()), terminator: "")
            if let directory = options.out { print("\nwrote summary.json, years.csv, districts.csv, targets.csv, manifest.json, scenario.json to \(directory)") }
            if let report = options.report { print("wrote \(report)") }
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a scenario file without running it.")

    @Argument(help: ArgumentHelp("Scenario file.", valueName: "FILE"), completion: .file(extensions: ["json"]))
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
