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
        let seed = resolveSeed(options.seed, scenario: loaded.base, quiet: options.quiet)
        let inputs = PartialRun.Inputs(command: "run", files: [(file, loaded.source)], seed: seed,
                                       replicates: options.replicates ?? loaded.base.replicates)
        try PlannedRun.execute(inputs, loaded: [loaded], options: options)
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
