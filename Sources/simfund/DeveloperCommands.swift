import ArgumentParser
import Foundation
import SimfundCore

// Commands for benchmarks and the C reference implementation; hidden from --help.

struct Synthesize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a synthetic province scenario (made-up figures) for benchmarks and scaling studies.",
        shouldDisplay: false
    )

    @Argument(help: "Number of districts (1 to 10000).")
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
