import SimfundCore

/// `compare --until decided`: the sequential selection, then the outputs of
/// the replicates it used.
enum Sequential {
    static func execute(_ command: CommandPlan, decision: DecisionOptions, options: SimulationOptions, targets: OutputTargets, threads: Int) throws {
        let key = command.rankKey
        guard let indifference = decision.indifference ?? defaultIndifference(key) else {
            throw SimfundError(.usage, "--indifference: give the smallest difference of \(key) worth telling apart, in \(key.metric.unit) "
                               + "(no default for a metric that is not a share or a target probability)")
        }
        if key.target != nil || key.metric.unit == "share", indifference >= 1 {
            throw SimfundError(.usage, "--indifference \(shortText(indifference)): \(key) is ranked on a \(key.target != nil ? "probability" : "share"); "
                               + "expected a difference below 1, such as 0.01 for one point")
        }
        let confidence = decision.confidence ?? SequentialSelection.defaultConfidence
        let batch = decision.batch ?? SequentialSelection.defaultBatch
        let plan = command.plan
        let (state, outcome) = try withRunControl(totalReplicates: plan.replicates * plan.variants.count, quiet: options.quiet) { control throws(RunFailure) in
            try SequentialSelection.run(plan, rankKey: key, indifference: indifference, confidence: confidence, batch: batch,
                                        threads: threads, control: control)
        }
        try PlannedRun.writeOutputs(command, state: state, options: options, targets: targets, threads: threads, shards: nil, sequential: outcome)
    }

    private static func shortText(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }

    /// One point for a probability or a share; none for other metrics.
    static func defaultIndifference(_ key: RankKey) -> Double? {
        key.target != nil || key.metric.unit == "share" ? SequentialSelection.defaultProbabilityIndifference : nil
    }
}
