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
        let loaded = try loadScenario(file, strict: options.strict)
        let seed = resolveSeed(options.seed, scenario: loaded.base, quiet: options.quiet)
        let inputs = PartialRun.Inputs(command: "run", files: [(file, loaded.source)], seed: seed,
                                       replicates: options.replicates ?? loaded.base.replicates)
        try PlannedRun.execute(inputs, loaded: [loaded], options: options)
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a scenario file without running it.")

    @Argument(help: ArgumentHelp("Scenario file.", valueName: "FILE"), completion: .file(extensions: ["json"]))
    var file: String

    @Flag(help: "Treat warnings about probable unit slips as errors (exit 2).")
    var strict = false

    func run() throws {
        let loaded = try loadScenario(file, strict: strict)
        let alternatives = loaded.alternatives.count
        try StandardOutput.write("\(file): valid (\(loaded.base.districts.count) district\(loaded.base.districts.count == 1 ? "" : "s"), "
                                 + "\(loaded.base.years) year\(loaded.base.years == 1 ? "" : "s"), \(alternatives) alternative\(alternatives == 1 ? "" : "s")"
                                 + (loaded.base.posterior.map { ", \($0.paths.count) parameter\($0.paths.count == 1 ? "" : "s") from \($0.rowCount) posterior row\($0.rowCount == 1 ? "" : "s")" } ?? "") + ")")
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
