import ArgumentParser
import Foundation
import SimfundCore

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit the scenario's per-replicate uncertain parameters to its history (ABC-SMC) and check the fit.",
        discussion: """
        The priors are the file's distributions of the parameters drawn once per replicate; \
        the data are the scenario's "history" points. Writes posterior.csv (one weighted row per particle), \
        calibration.json (prior and posterior per parameter, the generations, the posterior predictive check) \
        and calibrated.json (the scenario drawing from the posterior) into --out DIR. \
        Same seed, same posterior, for any --threads. See docs/model.md, "Calibrating to history".
        """
    )

    @Argument(help: ArgumentHelp("A scenario file with a \"history\" field.", valueName: "FILE"), completion: .file(extensions: ["json"]))
    var file: String

    @Option(help: ArgumentHelp("Particles per generation, 2 to 20000.", valueName: "N"))
    var particles = 1000

    @Option(help: ArgumentHelp("Generations, counting the prior's, 1 to 100.", valueName: "G"))
    var generations = 6

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Random seed, 0 to 18446744073709551615 (default: the scenario's seed, else one is drawn and printed).", valueName: "N"),
            transform: parseSeed)
    var seed: UInt64?

    @Option(help: ArgumentHelp("Worker threads (default: all cores). Results do not depend on it.", valueName: "N"))
    var threads: Int?

    @Option(help: ArgumentHelp("Directory to write posterior.csv, calibration.json and calibrated.json into.", valueName: "DIR"), completion: .directory)
    var out: String?

    @Option(help: ArgumentHelp("Write a self-contained HTML calibration report to FILE.", valueName: "FILE"), completion: .file(extensions: ["html"]))
    var report: String?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if !(2...CalibrationSettings.maximumParticles).contains(particles) {
            throw ValidationError("--particles must be from 2 to \(CalibrationSettings.maximumParticles), got \(particles)")
        }
        if !(1...CalibrationSettings.maximumGenerations).contains(generations) {
            throw ValidationError("--generations must be from 1 to \(CalibrationSettings.maximumGenerations), got \(generations)")
        }
        if let threads, threads < 1 || threads > 1024 {
            throw ValidationError("--threads must be from 1 to 1024, got \(threads)")
        }
    }

    func run() throws {
        let loaded = try loadScenario(file)
        let scenario = loaded.base
        if let problem = Calibrator.problem(scenario) {
            throw SimfundError(.invalidInput, "\(file.escapingControlCharacters): \(problem)")
        }
        let targets = try OutputTargets.check(out: out, report: report, inputs: [file])
        let seed = resolveSeed(self.seed, scenario: scenario, quiet: quiet)
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let settings = CalibrationSettings(particles: particles, generations: generations, seed: seed, threads: threadCount)
        let quiet = self.quiet
        let result = try withRunControl(totalReplicates: particles * generations, quiet: true) { control throws(RunFailure) in
            try Calibrator.calibrate(scenario, settings: settings, control: control) { g, generation in
                guard !quiet else { return }
                printError("generation \(g): tolerance \(formatted(generation.tolerance)), acceptance \(formatted(generation.acceptance)), "
                           + "ESS \(Int(generation.ess.rounded()))")
            }
        }
        if out != nil || report != nil {
            let manifest = RunManifest(command: commandLine, scenarioName: scenario.name, scenarioFile: file, scenarioBytes: loaded.source,
                                       seed: seed, replicates: settings.predictiveReplicates, threads: threadCount)
            // The report is rendered from these files, as `simfund report DIR` renders it.
            let files = [(CalibrationResult.posteriorFileName, result.posteriorCSV()),
                         ("calibration.json", result.calibrationJSON(scenario: scenario)),
                         ("calibrated.json", result.calibratedScenario(source: loaded.source))]
            try OutputFiles(files, manifest: manifest, scenarioSource: loaded.source).write(to: targets)
        }
        if !quiet {
            try StandardOutput.write(result.terminalText(scenario: scenario), terminator: "")
            if let out { try StandardOutput.write("\nwrote posterior.csv, calibration.json, calibrated.json, manifest.json, scenario.json to \(out)") }
            if let report { try StandardOutput.write("wrote \(report)") }
        }
    }
}

private func formatted(_ x: Double) -> String { x.formatted(.number.precision(.significantDigits(3))) }
