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

    @Option(help: ArgumentHelp("Language of the terminal summary and the report: en (default) or zh. Default: SIMFUND_LANG when set, else en.",
                               valueName: "LANG"), completion: .list(["en", "zh"]))
    var lang: String?

    @OptionGroup var study: StudyOptions

    func validate() throws {
        if case let .failure(error) = Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment) {
            throw ValidationError(error.description)
        }
        if !(2...CalibrationSettings.maximumParticles).contains(particles) {
            throw ValidationError("--particles must be from 2 to \(CalibrationSettings.maximumParticles), got \(particles)")
        }
        if !(1...CalibrationSettings.maximumGenerations).contains(generations) {
            throw ValidationError("--generations must be from 1 to \(CalibrationSettings.maximumGenerations), got \(generations)")
        }
    }

    func run() throws {
        let language = (try? Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment).get()) ?? .en
        let loaded = try loadScenario(file)
        let scenario = loaded.base
        if let problem = Calibrator.problem(scenario) {
            throw SimfundError(.invalidInput, "\(file.escapingControlCharacters): \(problem)")
        }
        let targets = try OutputTargets.check(out: study.out, report: study.report, inputs: [file])
        let seed = resolveSeed(study.seed, scenario: scenario, quiet: study.quiet)
        let threadCount = study.threadCount
        let settings = CalibrationSettings(particles: particles, generations: generations, seed: seed, threads: threadCount)
        let quiet = study.quiet
        let result = try withRunControl(totalReplicates: particles * generations, quiet: true) { control throws(RunFailure) in
            try Calibrator.calibrate(scenario, settings: settings, control: control) { g, generation in
                guard !quiet else { return }
                printError("generation \(g): tolerance \(formatted(generation.tolerance)), acceptance \(formatted(generation.acceptance)), "
                           + "ESS \(Int(generation.ess.rounded()))")
            }
        }
        if study.out != nil || study.report != nil {
            let manifest = RunManifest(command: commandLine, scenarioName: scenario.name, scenarioFile: file, scenarioBytes: loaded.source,
                                       seed: seed, replicates: settings.predictiveReplicates, threads: threadCount)
            // The report is rendered from these files, as `simfund report DIR` renders it.
            let files = [(CalibrationResult.posteriorFileName, result.posteriorCSV()),
                         ("calibration.json", result.calibrationJSON(scenario: scenario)),
                         ("calibrated.json", result.calibratedScenario(source: loaded.source))]
            try OutputFiles(files, manifest: manifest, scenarioSource: loaded.source).write(to: targets, language: language)
        }
        if !study.quiet {
            try StandardOutput.write(result.terminalText(scenario: scenario, language: language), terminator: "")
            if let out = study.out { try StandardOutput.write("\nwrote posterior.csv, calibration.json, calibrated.json, manifest.json, scenario.json to \(out)") }
            if let report = study.report { try StandardOutput.write("wrote \(report)") }
        }
    }
}

private func formatted(_ x: Double) -> String { x.formatted(.number.precision(.significantDigits(3))) }
