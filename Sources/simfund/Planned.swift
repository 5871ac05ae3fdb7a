import ArgumentParser
import Foundation
import SimfundCore

/// `--shard I/N`: run the I-th of N contiguous parts of the replicates.
struct ShardSpec: ExpressibleByArgument, Sendable {
    var index: Int
    var count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/").map { Int($0) }
        guard parts.count == 2, let index = parts[0], let count = parts[1], count >= 1, count <= 100_000, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// The flow every simulating command shares: make the plan, run it whole
/// or one shard of it, write the outputs or the part file, print.
enum PlannedRun {
    static func execute(_ inputs: PartialRun.Inputs, loaded: [ScenarioFile], options: SimulationOptions, decision: DecisionOptions? = nil) throws {
        if decision?.until != nil, options.shard != nil {
            throw SimfundError(.usage, "--until decided: not with --shard (when to stop depends on every replicate so far)")
        }
        var inputs = inputs
        inputs.posteriorHashes = loaded.map { $0.base.posterior?.sha256 }
        let command = try makePlan(inputs, loaded: loaded)
        let plan = command.plan
        var range = 0..<plan.replicates
        var partFile: OutputFile?
        var targets: OutputTargets?
        if let shard = options.shard {
            guard let out = options.out else {
                throw SimfundError(.usage, "--shard: give --out DIR, where the part file is written (simfund merge combines the parts)")
            }
            guard options.report == nil else {
                throw SimfundError(.usage, "--shard: a part has no report of its own; give --report to simfund merge")
            }
            guard shard.count <= plan.replicates else {
                throw SimfundError(.usage, "--shard \(shard.index)/\(shard.count): more shards than the \(plan.replicates) replicates")
            }
            range = RunPlan.shardRange(shard.index, of: shard.count, replicates: plan.replicates)
            // Parts of one run share a directory, so each part is one file renamed into place.
            partFile = try OutputFile(checking: (out as NSString).appendingPathComponent(PartialRun.fileName(index: shard.index, count: shard.count)), flag: "--out")
        } else {
            targets = try OutputTargets.check(out: options.out, report: options.report, inputs: inputs.files.map(\.name))
        }
        let part = plan.part(range)
        let threads = options.threadCount
        if let refusal = MemoryEstimate.refusal(part, threads: threads) {
            throw SimfundError(.invalidInput, refusal)
        }
        if let precision = options.precision {
            guard inputs.command == "run", options.shard == nil else {
                throw SimfundError(.usage, "--precision: only for simfund run, without --shard")
            }
            guard !plan.targets.isEmpty else {
                throw SimfundError(.usage, "--precision: the scenario has no targets whose probability could be made precise")
            }
            let state = try withRunControl(totalReplicates: range.count, quiet: options.quiet) { control throws(RunFailure) in
                try PrecisionStop.run(part, precision: precision, threads: threads, control: control)
            }
            if !options.quiet {
                let reached = PrecisionStop.widestHalfWidth(state) <= precision
                printError("--precision \(precision): \(reached ? "every target's 95% interval is within ±\(precision)" : "not reached; stopped at --replicates") "
                           + "after \(state.replicates) replicates")
            }
            try writeOutputs(command, state: state, options: options, targets: targets!, threads: threads, shards: nil)
            return
        }
        if let decision, decision.until != nil {
            try Sequential.execute(command, decision: decision, options: options, targets: targets!, threads: threads)
            return
        }
        let state = try withRunControl(totalReplicates: range.count * plan.variants.count, quiet: options.quiet) { control throws(RunFailure) in
            try Runner.run(part, threads: threads, control: control)
        }
        if let shard = options.shard, let partFile {
            let partial = PartialRun(inputs: inputs, variants: plan.variants.map(\.name), shard: (shard.index, shard.count), state: state)
            try partFile.write(partial.json())
            if !options.quiet {
                try StandardOutput.write("wrote part \(shard.index) of \(shard.count) (replicates \(range.lowerBound)–\(range.upperBound - 1) of \(plan.replicates)) to \(partFile.path)")
            }
            return
        }
        try writeOutputs(command, state: state, options: options, targets: targets!, threads: threads, shards: nil)
    }

    static func makePlan(_ inputs: PartialRun.Inputs, loaded: [ScenarioFile]) throws(SimfundError) -> CommandPlan {
        do {
            return try CommandPlan(inputs: inputs, loaded: loaded)
        } catch {
            switch error {
            case let .scenario(problem): throw SimfundError(problem)
            case let .comparison(problem): throw SimfundError(.invalidInput, problem.description, underlying: problem)
            case let .commandLine(problem): throw SimfundError(.usage, problem.description, underlying: problem)
            }
        }
    }

    /// Writes --out and --report and prints the command's table.
    static func writeOutputs(_ command: CommandPlan, state: PlanState, options: SimulationOptions, targets: OutputTargets,
                             threads: Int?, shards: Int?, sequential: SequentialOutcome? = nil) throws {
        var decisions = ComparisonDecisions(sequential: sequential)
        if command.inputs.command == "compare", command.inputs.valueOfInformation {
            let runs = ValueOfInformation.sampleSize(replicates: state.replicates) * command.plan.variants.count
            let workers = threads ?? options.threadCount
            decisions.valueOfInformation = try withRunControl(totalReplicates: runs, quiet: options.quiet) { control throws(RunFailure) in
                try ValueOfInformation.analyse(plan: command.plan, rankKey: command.rankKey, replicates: state.replicates,
                                               threads: workers, control: control)
            }
        }
        let files = command.outputFiles(state, excel: options.excel, decisions: decisions)
        if options.out != nil || options.report != nil {
            let first = command.inputs.files[0]
            var manifest = RunManifest(command: commandLine, scenarioName: command.plan.base.name, scenarioFile: first.name, scenarioBytes: first.source,
                                       seed: command.plan.seed, replicates: state.replicates, threads: threads ?? 0)
            manifest.shards = shards
            manifest.posteriorFile = command.plan.base.posterior?.file
            manifest.posteriorHash = command.plan.base.posterior?.sha256
            try OutputFiles(files, manifest: manifest, scenarioSource: first.source).write(to: targets, language: options.language)
        }
        if !options.quiet {
            try StandardOutput.write(command.terminalText(state, threads: threads, language: options.language, width: TerminalWidth.current(),
                                                          decisions: decisions), terminator: "")
            if let directory = options.out {
                let names = files.map(\.name) + ["manifest.json", "scenario.json"]
                try StandardOutput.write("\nwrote \(names.joined(separator: ", ")) to \(directory)")
            }
            if let report = options.report { try StandardOutput.write("wrote \(report)") }
        }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the part files of a run split with --shard I/N into the run's outputs.",
        discussion: """
        Each PART is a part file (part-I-of-N.json) or a directory holding them. The parts
        must come from the same simfund version, scenario, seed, replicates and variants, and
        their replicate ranges must cover the run exactly once. The outputs are exactly what
        the run without --shard writes (manifest.json adds the shard count).
        """
    )

    @Argument(help: ArgumentHelp("Part files, or directories holding them.", valueName: "PART"))
    var parts: [String]

    @Option(help: ArgumentHelp("Directory to write the merged outputs into.", valueName: "DIR"))
    var out: String?

    @Option(help: ArgumentHelp("Write the HTML report to FILE.", valueName: "FILE"))
    var report: String?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if parts.isEmpty { throw ValidationError("give the part files (or directories) to merge") }
    }

    func run() throws {
        var files: [String] = []
        for part in parts {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: part, isDirectory: &isDirectory) else {
                throw SimfundError(.invalidInput, "\(part): expected a part file or a directory of them, found nothing (\(systemErrorText(ENOENT)))")
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: part)) ?? []
                let found = names.filter { $0.hasPrefix("part-") && $0.hasSuffix(".json") }.sorted()
                if found.isEmpty { throw SimfundError(.invalidInput, "\(part): expected part files (part-I-of-N.json) here, found none") }
                files += found.map { (part as NSString).appendingPathComponent($0) }
            } else {
                files.append(part)
            }
        }
        var loadedParts: [(file: String, part: PartialRun)] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw SimfundError(.invalidInput, "\(file): expected a readable part file (\(systemErrorText(errno)))")
            }
            do {
                // Headers first: each part's state is read again, one at a time, when merged.
                loadedParts.append((file, try PartialRun.read(bytes: [UInt8](data), file: file, keepingState: false)))
            } catch {
                throw SimfundError(.invalidInput, error.description, underlying: error)
            }
        }
        if let problem = PartSet.problem(loadedParts) { throw SimfundError(.invalidInput, problem) }
        let first = loadedParts[0].part
        var scenarios: [ScenarioFile] = []
        for file in first.inputs.files {
            do {
                scenarios.append(try ScenarioLoader.load(bytes: file.source, fileName: file.name))
            } catch {
                throw SimfundError(error)
            }
        }
        // The posterior files were read again from disk: they must be the ones the parts were made with.
        for (i, scenario) in scenarios.enumerated() where (i < first.inputs.posteriorHashes.count ? first.inputs.posteriorHashes[i] : nil) != scenario.base.posterior?.sha256 {
            let recorded = i < first.inputs.posteriorHashes.count ? first.inputs.posteriorHashes[i] : nil
            let now = scenario.base.posterior.map { "\($0.resolvedPath) has SHA-256 \($0.sha256.prefix(12))…" } ?? "the scenario now has no posterior"
            throw SimfundError(.invalidInput, "\(loadedParts[0].file): made with "
                + (recorded.map { "a posterior file of SHA-256 \($0.prefix(12))…" } ?? "no posterior file") + " for \(first.inputs.files[i].name), but \(now); "
                + "merge with the posterior file the parts were made with")
        }
        let command = try PlannedRun.makePlan(first.inputs, loaded: scenarios)
        guard command.plan.variants.map(\.name) == first.variants else {
            throw SimfundError(.invalidInput, "\(loadedParts[0].file): its variants (\(first.variants.joined(separator: ", "))) are not those this simfund plans from its inputs")
        }
        let targets = try OutputTargets.check(out: out, report: report, inputs: files)
        var merged: PlanState?
        for (file, header) in loadedParts.sorted(by: { $0.part.state.range.lowerBound < $1.part.state.range.lowerBound }) {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw SimfundError(.invalidInput, "\(file): expected a readable part file (\(systemErrorText(errno)))")
            }
            do throws(PartialRunError) {
                var part = try PartialRun.read(bytes: [UInt8](data), file: file)
                guard part.inputs == header.inputs, part.state.range == header.state.range else {
                    throw PartialRunError(file: file, path: "", message: "changed while being merged")
                }
                try part.loadState(plan: command.plan, file: file)
                if merged == nil { merged = part.state } else { merged!.merge(part.state) }
            } catch {
                throw SimfundError(.invalidInput, error.description, underlying: error)
            }
        }
        var options = try SimulationOptions.parse([])
        options.out = out
        options.report = report
        options.quiet = quiet
        try PlannedRun.writeOutputs(command, state: merged!, options: options, targets: targets, threads: nil, shards: first.shard.count)
    }
}

/// Checks that parts belong together and cover their run exactly once.
enum PartSet {
    static func problem(_ parts: [(file: String, part: PartialRun)]) -> String? {
        let (firstFile, first) = parts[0]
        for (file, part) in parts.dropFirst() {
            var reasons: [String] = []
            if part.simfund != first.simfund { reasons.append("simfund \(part.simfund), not \(first.simfund)") }
            if part.inputs.command != first.inputs.command { reasons.append("command \(part.inputs.command), not \(first.inputs.command)") }
            if part.inputs.files.map(\.source) != first.inputs.files.map(\.source) || part.inputs.files.map(\.name) != first.inputs.files.map(\.name) {
                reasons.append("another scenario (SHA-256 \(part.inputs.files.map { String(sha256(of: $0.source).prefix(12)) }.joined(separator: ", ")), "
                               + "not \(first.inputs.files.map { String(sha256(of: $0.source).prefix(12)) }.joined(separator: ", ")))")
            }
            if part.inputs.posteriorHashes != first.inputs.posteriorHashes {
                reasons.append("another posterior file (SHA-256 \(part.inputs.posteriorHashes.map { $0.map { String($0.prefix(12)) } ?? "none" }.joined(separator: ", ")), "
                               + "not \(first.inputs.posteriorHashes.map { $0.map { String($0.prefix(12)) } ?? "none" }.joined(separator: ", ")))")
            }
            if part.inputs.seed != first.inputs.seed { reasons.append("seed \(part.inputs.seed), not \(first.inputs.seed)") }
            if part.inputs.replicates != first.inputs.replicates { reasons.append("\(part.inputs.replicates) replicates in all, not \(first.inputs.replicates)") }
            if part.inputs.axes.map(\.path) != first.inputs.axes.map(\.path) || part.inputs.axes.map(\.values) != first.inputs.axes.map(\.values) {
                reasons.append("another sweep grid")
            }
            if part.inputs.rankBy != first.inputs.rankBy { reasons.append("--rank-by \(part.inputs.rankBy ?? "default"), not \(first.inputs.rankBy ?? "default")") }
            if part.inputs.valueOfInformation != first.inputs.valueOfInformation {
                reasons.append(part.inputs.valueOfInformation ? "--value-of-information, not without it" : "no --value-of-information, not with it")
            }
            if part.variants != first.variants { reasons.append("other variants") }
            if !reasons.isEmpty {
                return "\(file) does not belong with \(firstFile): \(reasons.joined(separator: "; ")); merge parts of one run only"
            }
        }
        let sorted = parts.sorted { $0.part.state.range.lowerBound < $1.part.state.range.lowerBound }
        var problems: [String] = []
        var next = 0
        var previous: String?
        var previousRange: Range<Int>?
        for (file, part) in sorted {
            let range = part.state.range
            if range.lowerBound > next {
                problems.append("replicates \(next)–\(range.lowerBound - 1) are missing")
            } else if range.lowerBound < next, let previousRange = previousRange, previousRange == range {
                problems.append("\(file) repeats \(previous ?? "another part") (replicates \(range.lowerBound)–\(range.upperBound - 1) given twice)")
            } else if range.lowerBound < next {
                problems.append("\(file) overlaps \(previous ?? "another part") on replicates \(range.lowerBound)–\(min(next, range.upperBound) - 1)")
            }
            next = max(next, range.upperBound)
            previous = file
            previousRange = range
        }
        if next < first.inputs.replicates { problems.append("replicates \(next)–\(first.inputs.replicates - 1) are missing") }
        guard !problems.isEmpty else { return nil }
        return "the parts do not cover the run's \(first.inputs.replicates) replicates exactly once: \(problems.joined(separator: "; "))"
    }
}
