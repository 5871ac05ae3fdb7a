import Dispatch
import SimfundStochastics
import Synchronization

/// Per-replicate values a decision method needs and the accumulated run does
/// not keep: every variant's value of the rank key, and the base's draws of
/// chosen parameter slots. Re-run from the plan alone (same seed, so the same
/// replicates, on common random numbers): a merged run samples exactly what a
/// single run samples.
struct DecisionSample: Sendable {
    /// The replicates sampled: 0..<count.
    let count: Int
    /// Variant-major: `values[v][j]` is variant v's rank-key value in replicate j
    /// (a target: 1 met, 0 not; a metric: its value in the ranked year).
    var values: [[Double]]
    /// `draws[i][j]`: slot i's draw in the base's replicate j, the mean over
    /// the years (one value for a per-replicate draw).
    var draws: [[Double]]

    /// Runs replicates `0..<count` of every variant of `plan`, in parallel.
    /// Results are written by replicate index, so they do not depend on `threads`.
    static func collect(plan: RunPlan, rankKey: RankKey, count: Int, slots: [Int], threads: Int,
                        control: RunControl? = nil) throws(RunFailure) -> DecisionSample {
        let variants = plan.variants.count
        let targetIndex = rankKey.target.flatMap { plan.targets.firstIndex(of: $0) }
        let yearIndex = rankKey.year - plan.base.startYear
        let simulators = plan.variants.map { Simulator(scenario: $0.scenario, seed: plan.seed) }
        var values = [Double](repeating: 0, count: variants * count)
        var draws = [Double](repeating: 0, count: slots.count * count)
        let chunkSize = Runner.chunkSize
        let chunks = (count + chunkSize - 1) / chunkSize
        let workers = Swift.max(1, Swift.min(threads, chunks))
        let failure = Mutex<String?>(nil)
        let gslFailures = GSLFailureCollector()
        values.withUnsafeMutableBufferPointer { valueSlots in
            draws.withUnsafeMutableBufferPointer { drawSlots in
                // Each replicate's entries are written by the one worker that runs it.
                nonisolated(unsafe) let valueSlots = valueSlots
                nonisolated(unsafe) let drawSlots = drawSlots
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                  gslFailures.collect {
                    var stream = RandomStream()
                    let lanes = simulators.enumerated().map { v, simulator in
                        DecisionLane(simulator: simulator, targets: plan.targets, slots: v == 0 ? slots : [])
                    }
                    var index = worker
                    while index < chunks, control?.isCancelled != true {
                        let first = index * chunkSize
                        for j in first..<Swift.min(count, first + chunkSize) {
                            for (v, lane) in lanes.enumerated() {
                                lane.run(replicate: j, stream: &stream)
                                let recorder = lane.recorder
                                valueSlots[v * count + j] = targetIndex.map { recorder.replicate.met[$0] ? 1 : 0 }
                                    ?? recorder.replicate.values[rankKey.metric.rawValue * recorder.replicate.years + yearIndex]
                                if v == 0 {
                                    for i in slots.indices { drawSlots[i * count + j] = recorder.sums[i] / Double(recorder.replicate.years) }
                                }
                            }
                        }
                        if let problem = lanes.lazy.compactMap(\.problem).first {
                            failure.withLock { if $0 == nil { $0 = problem } }
                            control?.cancel()
                            break
                        }
                        control?.finished(Swift.min(chunkSize, count - first) * variants)
                        index += workers
                    }
                  }
                }
            }
        }
        if let message = failure.withLock({ $0 }) { throw .gsl(message) }
        if let message = gslFailures.first { throw .gsl(message) }
        if control?.isCancelled == true { throw .cancelled }
        return DecisionSample(count: count,
                              values: (0..<variants).map { Array(values[($0 * count)..<(($0 + 1) * count)]) },
                              draws: slots.indices.map { Array(draws[($0 * count)..<(($0 + 1) * count)]) })
    }
}

/// One variant on one worker, recording the replicate and the draws of some slots.
private final class DecisionLane {
    let simulator: Simulator
    var workspace: Workspace
    var recorder: DecisionRecorder
    var problem: String?

    init(simulator: Simulator, targets: [Target], slots: [Int]) {
        self.simulator = simulator
        workspace = simulator.makeWorkspace()
        recorder = DecisionRecorder(replicate: ReplicateRecorder(scenario: simulator.scenario, targets: targets), slots: slots)
    }

    func run(replicate r: Int, stream: inout RandomStream) {
        simulator.run(replicate: r, in: &workspace, stream: &stream, observer: &recorder)
        if let slot = workspace.nonFiniteSlot, problem == nil {
            problem = "a draw of parameter slot \(slot) (\(simulator.parameterPath(slot))) was not finite in replicate \(r)"
        }
    }
}

/// The replicate's values, and the sum over the years of each chosen slot's value.
private struct DecisionRecorder: YearObserver {
    var replicate: ReplicateRecorder
    let slots: [Int]
    var sums: [Double]

    init(replicate: ReplicateRecorder, slots: [Int]) {
        self.replicate = replicate
        self.slots = slots
        sums = [Double](repeating: 0, count: slots.count)
    }

    mutating func record(replicate r: Int, yearIndex y: Int, workspace ws: borrowing Workspace) {
        replicate.record(replicate: r, yearIndex: y, workspace: ws)
        if y == 0 { for i in sums.indices { sums[i] = 0 } }
        for (i, slot) in slots.enumerated() { sums[i] += ws.values[slot] }
    }
}
