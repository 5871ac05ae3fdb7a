/// `simfund run --precision E`: add replicates in fixed batches until every
/// target probability's 95% interval is no wider than ±E, or the plan's
/// replicates are used up. Batch boundaries are multiples of ``batchSize``
/// whatever the thread count, and a continued run equals one run over the
/// same replicates, so the stopping point and every number are the same for
/// any thread count.
public enum PrecisionStop {
    public static let batchSize = 500

    /// The widest half-width, max(p − low, high − p), of the targets' 95% Wilson intervals.
    public static func widestHalfWidth(_ state: PlanState) -> Double {
        let variant = state.variants[0]
        let n = variant.replicates
        return variant.targetSuccesses.map { successes in
            let p = Proportion(successes: successes, trials: n)
            return Swift.max(p.estimate - p.low, p.high - p.estimate)
        }.max() ?? 0
    }

    /// Runs `plan` (its base) from replicate 0 in batches until the targets are as precise as asked.
    /// - Precondition: the plan has targets and starts at replicate 0.
    public static func run(_ plan: RunPlan, precision: Double, threads: Int, control: RunControl? = nil) throws(RunFailure) -> PlanState {
        precondition(!plan.targets.isEmpty && plan.range.lowerBound == 0)
        var state: PlanState?
        var last = 0
        repeat {
            last = Swift.min(plan.range.upperBound, last + batchSize)
            state = try Runner.run(plan.part(0..<last), threads: threads, control: control, continuing: state)
        } while last < plan.range.upperBound && widestHalfWidth(state!) > precision
        return state!
    }
}
