/// Why a command's plan cannot be made (invalid scenario, files that cannot
/// be compared, a bad sweep value): the command reports it with exit status 2.
public enum PlanError: Error, Sendable {
    case scenario(ScenarioError)
    case comparison(ComparisonError)
    /// A command-line value is wrong: `--rank-by` not METRIC@YEAR of the
    /// horizon, a `--set` path or value that does not fit (exit status 64).
    case commandLine(ComparisonError)
}

/// A simulating command (`run`, `compare` or `sweep`) rebuilt from its
/// inputs: the plan to run, and how to turn the plan's accumulated state
/// into the command's output files. Single runs and `simfund merge` both go
/// through here, so a merged run writes exactly what a single run writes.
public struct CommandPlan: Sendable {
    public let inputs: PartialRun.Inputs
    public let file: ScenarioFile
    public let plan: RunPlan
    public let rankKey: RankKey
    public let grid: SweepGrid?

    /// - Parameters:
    ///   - loaded: the scenario files of `inputs.files`, already loaded (the
    ///     commands load them to report problems with the user's file names).
    public init(inputs: PartialRun.Inputs, loaded: [ScenarioFile]) throws(PlanError) {
        self.inputs = inputs
        let first = loaded[0]
        file = first
        var alternatives: [Variant] = []
        var grid: SweepGrid?
        var baseName = "base"
        switch inputs.command {
        case "compare" where loaded.count == 1:
            alternatives = first.alternatives.map(\.variant)
        case "compare":
            baseName = first.base.name
            for (other, name) in zip(loaded.dropFirst(), inputs.files.dropFirst().map(\.name)) {
                if let problem = Comparer.checkComparable(base: first.base, baseFile: inputs.files[0].name, other: other.base, otherFile: name) {
                    throw .comparison(problem)
                }
                let taken = alternatives.map(\.name) + [first.base.name]
                alternatives.append(Variant(name: taken.contains(other.base.name) ? "\(other.base.name) (\(name))" : other.base.name, scenario: other.base))
            }
        case "sweep":
            var axes: [SweepGrid.Axis] = []
            for axis in inputs.axes {
                switch NumericLever.resolve(axis.path, in: first) {
                case let .success(lever): axes.append(SweepGrid.Axis(lever: lever, values: axis.values))
                case let .failure(problem):
                    let nearby = problem.suggestions.isEmpty ? "" : "; valid paths nearby: \(problem.suggestions.joined(separator: ", "))"
                    throw .commandLine(ComparisonError("--set \(axis.path): expected a numeric path of the scenario that an alternative can set, found \"\(axis.path)\" (\(problem.reason))\(nearby)"))
                }
            }
            let sweep = SweepGrid(axes: axes)
            switch sweep.variants(of: first.base) {
            case let .success(variants): alternatives = variants
            case let .failure(problem): throw .commandLine(problem)
            }
            grid = sweep
        default:
            break
        }
        self.grid = grid
        if let text = inputs.rankBy {
            switch RankKey.parse(text, scenario: first.base) {
            case let .success(key): rankKey = key
            case let .failure(problem): throw .commandLine(problem)
            }
        } else {
            rankKey = RankKey.defaultKey(for: first.base)
        }
        plan = RunPlan(base: first.base, baseName: baseName, alternatives: alternatives, seed: inputs.seed, replicates: inputs.replicates)
    }

    /// The summary of the base alone (what `run` reports).
    func baseSummary(_ state: PlanState) -> RunSummary {
        RunSummary(scenario: plan.base, seed: plan.seed, state: state.variants[0], targets: plan.targets)
    }

    /// The comparison of a compare or sweep state.
    public func comparison(_ state: PlanState, decisions: ComparisonDecisions = ComparisonDecisions()) -> ComparisonReport {
        var report = Comparer.report(plan: plan, state: state, rankKey: rankKey)
        report.valueOfInformation = decisions.valueOfInformation
        report.sequential = decisions.sequential
        return report
    }

    /// The command's output files (manifest.json and scenario.json are added by the writer).
    /// - Parameter excel: CSV files start with a UTF-8 byte-order mark (Excel, WPS).
    public func outputFiles(_ state: PlanState, excel: Bool = false, decisions: ComparisonDecisions = ComparisonDecisions()) -> [(name: String, contents: String)] {
        switch inputs.command {
        case "run":
            return baseSummary(state).outputFiles(excel: excel)
        case "sweep":
            let report = comparison(state)
            let paths = inputs.axes.map(\.path)
            let points = grid?.points ?? []
            return [("sweep.csv", report.sweepCSV(paths: paths, values: points, excel: excel)), ("sweep.json", report.sweepJSON(paths: paths, values: points)),
                    ("compare.json", report.compareJSON())]
        default:
            let report = comparison(state, decisions: decisions)
            return [("compare.json", report.compareJSON()), ("compare.csv", report.compareCSV(excel: excel))]
        }
    }

    /// What the command prints, in `language`, fitted to `width` columns.
    public func terminalText(_ state: PlanState, threads: Int?, language: Language, width: Int,
                             decisions: ComparisonDecisions = ComparisonDecisions()) -> String {
        switch inputs.command {
        case "run":
            return TerminalReport.render(baseSummary(state),
                                         threads: threads, language: language, width: width)
        case "sweep":
            let paths = inputs.axes.map(\.path)
            return comparison(state).terminalTable(title: "\(plan.base.name): sweep of \(paths.joined(separator: " × "))",
                                                   sweptPaths: paths, sweptValues: grid?.points ?? [], language: language, width: width)
        default:
            let report = comparison(state, decisions: decisions)
            return report.terminalTable(title: plan.base.name, language: language, width: width) + report.decisionText(language: language, width: width)
        }
    }
}
