import ArgumentParser
import Foundation
import SimfundCore

struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Rank the uncertain inputs behind the spread of key metrics, year by year.",
        usage: "simfund sensitivity FILE [--samples N] [--metric M]... [OPTIONS]",
        discussion: """
        First-order and total Sobol indices (Saltelli et al. 2010; Jansen) of every
        distribution-valued parameter and of chance (the process noise), per metric and
        year, with 95% bootstrap intervals; and a tornado: the metric's mean with each
        input held at its 10th and 90th percentile. Runs N × (2 + inputs) replicates for
        the indices and 2 N per input for the tornado (docs/model.md, "Sensitivity analysis").
        With --out DIR, writes sensitivity.json and sensitivity.csv.

        Examples:
          simfund sensitivity Scenarios/ningde.json --samples 2000 --seed 7
          simfund sensitivity Scenarios/ningde.json --metric certified --out out/sens --report sens.html
        """
    )

    @Argument(help: ArgumentHelp("Scenario file (JSON, \"simfund\": 1). Its alternatives are not analysed.", valueName: "FILE"),
              completion: .file(extensions: ["json"]))
    var file: String

    @Option(help: ArgumentHelp("Samples per matrix (A and B), from 2 to 1000000 (default 1000).", valueName: "N"))
    var samples = 1000

    @Option(help: ArgumentHelp("A metric to analyse (repeatable; default: certified, townshipCoverage, communityCoverage, "
                               + "spendTotal and every target's metric).", valueName: "M"))
    var metric: [String] = []

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Random seed, 0 to 18446744073709551615 (default: the scenario's seed, else one is drawn and printed).",
                               valueName: "N"),
            transform: parseSeed)
    var seed: UInt64?

    @Option(help: ArgumentHelp("Worker threads (default: all cores). Results do not depend on it.", valueName: "N"))
    var threads: Int?

    @Option(help: ArgumentHelp("Directory to write output files into.", valueName: "DIR"), completion: .directory)
    var out: String?

    @Option(help: ArgumentHelp("Write a self-contained HTML report to FILE.", valueName: "FILE"), completion: .file(extensions: ["html"]))
    var report: String?

    @Option(help: ArgumentHelp("Language of the terminal summary and the report: en (default) or zh. Default: SIMFUND_LANG when set, else en.",
                               valueName: "LANG"), completion: .list(["en", "zh"]))
    var lang: String?

    @Flag(help: "Start CSV files with a UTF-8 byte-order mark, so that Excel and WPS show Chinese names correctly.")
    var excel = false

    @Flag(help: "Print nothing but errors (no summary, no progress).")
    var quiet = false

    @Flag(help: "Treat warnings about probable unit slips as errors (exit 2).")
    var strict = false

    func validate() throws {
        if !Sensitivity.sampleRange.contains(samples) {
            throw ValidationError("--samples must be from 2 to 1000000, got \(samples)")
        }
        for name in metric where Metric(name: name) == nil {
            throw ValidationError("--metric: expected one of \(Metric.allCases.map(\.name).joined(separator: ", ")), found \"\(name)\"")
        }
        if let threads, threads < 1 || threads > 1024 {
            throw ValidationError("--threads must be from 1 to 1024, got \(threads)")
        }
        if case let .failure(error) = Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment) {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let loaded = try loadScenario(file, strict: strict)
        let scenario = loaded.base
        let language = (try? Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment).get()) ?? .en
        var metrics: [Metric] = []
        for name in metric { if let m = Metric(name: name), !metrics.contains(m) { metrics.append(m) } }
        if metrics.isEmpty { metrics = Sensitivity.defaultMetrics(scenario) }
        let evaluations = Sensitivity.evaluations(scenario, samples: samples)
        if evaluations * metrics.count * scenario.years > Sensitivity.maximumValues {
            throw SimfundError(.invalidInput, "--samples \(samples): \(evaluations.formatted()) replicates × \(metrics.count) metrics × \(scenario.years) years "
                               + "is more than simfund keeps in memory (\(Sensitivity.maximumValues.formatted()) values); give fewer samples or metrics")
        }
        let targets = try OutputTargets.check(out: out, report: report, inputs: [file])
        let seed = resolveSeed(self.seed, scenario: scenario, quiet: quiet)
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let result = try withRunControl(totalReplicates: evaluations, quiet: quiet) { control throws(RunFailure) in
            try Sensitivity.analyse(scenario, samples: samples, metrics: metrics, seed: seed, threads: threadCount, control: control)
        }
        let files = result.outputFiles(excel: excel)
        if out != nil || report != nil {
            let manifest = RunManifest(command: commandLine, scenarioName: scenario.name, scenarioFile: file, scenarioBytes: loaded.source,
                                       seed: seed, replicates: evaluations, threads: threadCount)
            // The report is rendered from the files, so `simfund report DIR` gives the same bytes.
            try OutputFiles(files, manifest: manifest, scenarioSource: loaded.source).write(to: targets, language: language)
        }
        if !quiet {
            try StandardOutput.write(result.terminalText(language: language, width: TerminalWidth.current()), terminator: "")
            if let out {
                try StandardOutput.write("\nwrote \((files.map(\.name) + ["manifest.json", "scenario.json"]).joined(separator: ", ")) to \(out)")
            }
            if let report { try StandardOutput.write("wrote \(report)") }
        }
    }
}
