import Dispatch
import SimfundStochastics
import Synchronization

/// Why a run stopped without results.
public enum RunFailure: Error, Sendable, CustomStringConvertible {
    /// GSL reported an error, or a draw was not finite: a bug in simfund,
    /// reported with its context.
    case gsl(String)
    /// ``RunControl/cancel()`` was called (Ctrl-C).
    case cancelled

    public var description: String {
        switch self {
        case let .gsl(message): return "internal error (please report it with the scenario file): \(message)"
        case .cancelled: return "interrupted: nothing was written"
        }
    }
}

/// Progress reporting and cancellation for long runs, shared by the workers.
/// Work is counted as scheduling chunks finish; cancellation is checked
/// between chunks, so a cancelled run stops within one chunk.
public final class RunControl: Sendable {
    private let completed = Atomic<Int>(0)
    private let cancelled = Atomic<Bool>(false)
    private let onProgress: @Sendable (Int) -> Void

    /// - Parameter onProgress: called from worker threads with the number of
    ///   replicate-variants finished so far (over every run sharing this control).
    public init(onProgress: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.onProgress = onProgress
    }

    public func cancel() { cancelled.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    func finished(_ work: Int) {
        onProgress(completed.add(work, ordering: .relaxed).newValue)
    }
}

/// The accumulated state of a plan's replicates: per variant, and per
/// alternative against the base. Merging the states of adjacent ranges gives
/// the state of their union, bit for bit (see Statistics/Accumulators.swift).
public struct PlanState: Sendable {
    var variants: [VariantAccumulator]
    var pairs: [PairedAccumulator]
    /// The replicates accumulated: [first, last).
    public private(set) var range: Range<Int>

    init(plan: RunPlan, range: Range<Int>) {
        let targets = plan.targets.count
        variants = plan.variants.map { VariantAccumulator(scenario: $0.scenario, targetCount: targets, limits: plan.limits) }
        pairs = plan.variants.dropFirst().map { _ in PairedAccumulator(years: plan.base.years, targetCount: targets) }
        self.range = range
    }

    init(variants: [VariantAccumulator], pairs: [PairedAccumulator], range: Range<Int>) {
        self.variants = variants
        self.pairs = pairs
        self.range = range
    }

    public var replicates: Int { range.count }

    /// Adds the state of the range that follows this one (or precedes it).
    /// - Precondition: the ranges are adjacent.
    public mutating func merge(_ other: PlanState) {
        precondition(other.range.lowerBound == range.upperBound || other.range.upperBound == range.lowerBound,
                     "merged ranges must be adjacent")
        absorb(other)
        range = Swift.min(range.lowerBound, other.range.lowerBound)..<Swift.max(range.upperBound, other.range.upperBound)
    }

    /// Adds the accumulators of a state over disjoint replicates, leaving the
    /// range alone (workers' states interleave chunks, so they are not adjacent).
    fileprivate mutating func absorb(_ other: PlanState) {
        for i in variants.indices { variants[i].merge(other.variants[i]) }
        for i in pairs.indices { pairs[i].merge(other.pairs[i]) }
    }
}

/// Runs plans in parallel. Replicate r always runs the same way (its streams
/// depend only on the seed and r), every accumulator is an exact function of
/// the values it received, so the result is bit-identical for every thread
/// count and every split of the replicates.
public enum Runner {
    /// Replicates per scheduling chunk; chunks are dealt to workers in turn.
    static let chunkSize = 32

    /// Runs `plan.range` and returns its accumulated state.
    public static func run(_ plan: RunPlan, threads: Int, control: RunControl? = nil) throws(RunFailure) -> PlanState {
        try run(plan, threads: threads, control: control, continuing: nil)
    }

    /// Runs [state.range.upperBound, plan.range.upperBound) and merges it into `state`:
    /// continuing a run gives what one run over the whole range gives.
    public static func run(_ plan: RunPlan, threads: Int, control: RunControl?, continuing state: PlanState?) throws(RunFailure) -> PlanState {
        let start = state?.range.upperBound ?? plan.range.lowerBound
        let range = start..<Swift.max(start, plan.range.upperBound)
        let simulators = plan.variants.map { Simulator(scenario: $0.scenario, seed: plan.seed) }
        let chunks = (range.count + chunkSize - 1) / chunkSize
        let workers = Swift.max(1, Swift.min(threads, chunks))
        let empty = PlanState(plan: plan, range: range)
        var results = [PlanState?](repeating: nil, count: workers)
        let failure = Mutex<String?>(nil)
        // GSL errors are recorded per thread; each worker hands its own over.
        let gslFailures = GSLFailureCollector()

        results.withUnsafeMutableBufferPointer { slots in
            // Each worker writes only its own slot.
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
              gslFailures.collect {
                var accumulated = empty
                let lanes = simulators.map { VariantLane(simulator: $0, targets: plan.targets) }
                var stream = RandomStream()
                var index = worker
                while index < chunks, control?.isCancelled != true {
                    let first = range.lowerBound + index * chunkSize
                    let chunk = first..<Swift.min(range.upperBound, first + chunkSize)
                    for r in chunk {
                        for lane in lanes { lane.run(replicate: r, stream: &stream) }
                        accumulated.add(lanes, scenario: plan.base, targets: plan.targets)
                    }
                    if let problem = lanes.lazy.compactMap(\.problem).first {
                        failure.withLock { if $0 == nil { $0 = problem } }
                        control?.cancel()
                        break
                    }
                    control?.finished(chunk.count * lanes.count)
                    index += workers
                }
                slots[worker] = accumulated
              }
            }
        }
        if let message = failure.withLock({ $0 }) { throw .gsl(message) }
        if let message = gslFailures.first { throw .gsl(message) }
        if control?.isCancelled == true { throw .cancelled }
        var merged = empty
        for result in results { if let result { merged.absorb(result) } }
        guard var state else { return merged }
        state.merge(merged)
        return state
    }

    /// Runs one scenario on its own (no alternatives).
    public static func simulate(_ scenario: Scenario, seed: UInt64, replicates: Int, threads: Int,
                                control: RunControl? = nil) throws(RunFailure) -> SimulationOutput {
        let plan = RunPlan(base: scenario, seed: seed, replicates: replicates)
        let state = try run(plan, threads: threads, control: control)
        return SimulationOutput(scenario: scenario, seed: seed, state: state.variants[0], targets: plan.targets)
    }
}

/// One variant on one worker: its compiled scenario, its workspace, and the
/// recorder that keeps the current replicate's values until every variant
/// has run it.
final class VariantLane {
    let simulator: Simulator
    var workspace: Workspace
    var recorder: ReplicateRecorder
    /// Set when a draw was not finite (reported as an internal error).
    var problem: String?

    init(simulator: Simulator, targets: [Target]) {
        self.simulator = simulator
        workspace = simulator.makeWorkspace()
        recorder = ReplicateRecorder(scenario: simulator.scenario, targets: targets)
    }

    func run(replicate r: Int, stream: inout RandomStream) {
        simulator.run(replicate: r, in: &workspace, stream: &stream, observer: &recorder)
        if let slot = workspace.nonFiniteSlot, problem == nil {
            problem = "a draw of parameter slot \(slot) (\(simulator.parameterPath(slot))) was not finite in replicate \(r)"
        }
    }
}

/// Keeps one replicate's values: every metric and year, each target met or
/// not, and adds district coverage straight into its own counters.
struct ReplicateRecorder: YearObserver {
    let years: Int
    /// Metric-major: index metric · years + year.
    var values: [Double]
    var met: [Bool]
    let targets: [Target]
    let targetYearIndex: [Int]
    /// Staffed stations and rooms per district and year, index d · years + y.
    var staffedStations: [Int]
    var staffedRooms: [Int]

    init(scenario: Scenario, targets: [Target]) {
        years = scenario.years
        values = [Double](repeating: 0, count: Metric.count * scenario.years)
        met = [Bool](repeating: false, count: targets.count)
        self.targets = targets
        targetYearIndex = targets.map { $0.year - scenario.startYear }
        staffedStations = [Int](repeating: 0, count: scenario.districts.count * scenario.years)
        staffedRooms = staffedStations
    }

    mutating func record(replicate: Int, yearIndex y: Int, workspace ws: borrowing Workspace) {
        let totals = ws.totals
        for m in 0..<Metric.count { values[m * years + y] = totals.value(of: Metric(rawValue: m)!) }
        let D = ws.districtCount
        for d in 0..<D {
            staffedStations[d * years + y] = ws.staffed[d] + ws.staffed[D + d]
            staffedRooms[d * years + y] = ws.staffed[2 * D + d] + ws.staffed[3 * D + d]
        }
        for (i, target) in targets.enumerated() where targetYearIndex[i] == y {
            if let d = target.district {
                let isTownship = target.metric == .townshipCoverage
                let staffed = isTownship ? ws.staffed[d] + ws.staffed[D + d] : ws.staffed[2 * D + d] + ws.staffed[3 * D + d]
                let places = isTownship ? ws.places[d] + ws.places[D + d] : ws.places[2 * D + d] + ws.places[3 * D + d]
                met[i] = target.isMet(by: places > 0 ? Double(staffed) / Double(places) : 0)
            } else {
                met[i] = target.isMet(by: totals.value(of: target.metric))
            }
        }
    }
}

extension PlanState {
    /// Adds replicate r of every variant (the lanes hold its values).
    mutating func add(_ lanes: [VariantLane], scenario: Scenario, targets: [Target]) {
        let base = lanes[0].recorder
        for (v, lane) in lanes.enumerated() {
            let values = lane.recorder.values
            for i in values.indices { variants[v].series[i].add(values[i]) }
            for t in targets.indices where lane.recorder.met[t] { variants[v].targetSuccesses[t] += 1 }
        }
        let years = scenario.years
        let districts = scenario.districts.count
        for (v, lane) in lanes.enumerated() {
            for d in 0..<districts {
                for y in 0..<years {
                    variants[v].townships.add(district: d, yearIndex: y, staffed: lane.recorder.staffedStations[d * years + y])
                    variants[v].communities.add(district: d, yearIndex: y, staffed: lane.recorder.staffedRooms[d * years + y])
                }
            }
        }
        let last = years - 1
        let townships = Double(scenario.districts.reduce(0) { $0 + $1.townships })
        for a in pairs.indices {
            let alternative = lanes[a + 1].recorder
            for m in 0..<Metric.count {
                let higherIsBetter = Metric(rawValue: m)!.higherIsBetter
                for y in 0..<years {
                    let i = m * years + y
                    let x = alternative.values[i], b = base.values[i]
                    pairs[a].differences[i].add(x - b)
                    if !PairedAccumulator.isTie(x, b) {
                        if (x > b) == higherIsBetter { pairs[a].better[i] += 1 } else { pairs[a].worse[i] += 1 }
                    }
                }
            }
            for t in targets.indices where alternative.met[t] != base.met[t] {
                if alternative.met[t] { pairs[a].gained[t] += 1 } else { pairs[a].lost[t] += 1 }
            }
            func final(_ metric: Metric, _ recorder: ReplicateRecorder) -> Double { recorder.values[metric.rawValue * years + last] }
            pairs[a].cost.add(cost: final(.spendTotal, alternative) - final(.spendTotal, base),
                              stations: ((final(.townshipCoverage, alternative) - final(.townshipCoverage, base)) * townships).rounded(),
                              certified: final(.certified, alternative) - final(.certified, base))
        }
    }
}

/// The outcome of running one scenario: its accumulated statistics.
public struct SimulationOutput: Sendable {
    public let scenario: Scenario
    public let seed: UInt64
    let state: VariantAccumulator
    let targets: [Target]
    public var replicates: Int { state.replicates }

    init(scenario: Scenario, seed: UInt64, state: VariantAccumulator, targets: [Target]) {
        self.scenario = scenario
        self.seed = seed
        self.state = state
        self.targets = targets
    }

    /// Statistics of one metric in one year.
    public func statistics(_ metric: Metric, yearIndex y: Int) -> SummaryStatistics {
        state.statistics(metric, yearIndex: y)
    }
}

extension YearTotals {
    func value(of metric: Metric) -> Double {
        let certified = Double(junior + intermediate + senior)
        switch metric {
        case .townshipCoverage: return placesTownships > 0 ? Double(staffedStations) / placesTownships : 0
        case .communityCoverage: return placesCommunities > 0 ? Double(staffedRooms) / placesCommunities : 0
        case .stations: return Double(stations)
        case .rooms: return Double(rooms)
        case .certified: return certified
        case .junior: return Double(junior)
        case .intermediate: return Double(intermediate)
        case .senior: return Double(senior)
        case .talent: return Double(talent)
        case .certifiedPer10k: return certified / population * 1e4
        case .subsidyPaidRatio: return due > 0 ? paid / due : 1
        case .spendSubsidies: return paid
        case .spendContracts: return spendContracts
        case .spendBuild: return spendBuild
        case .spendTraining: return spendTraining
        case .spendAwards: return spendAwards
        case .carry: return carry
        case .failedContracts: return Double(failed)
        case .agencies: return Double(agencies)
        case .revenue: return revenue
        case .spendTotal: return paid + spendContracts + spendBuild + spendTraining + spendAwards
        }
    }
}

extension PlanState {
    /// Values and buckets held for quantiles, over every series: bounded by
    /// the plan's ``StatisticsLimits``, whatever the number of replicates.
    public var storedValues: Int {
        func held(_ d: ValueDistribution) -> Int { d.buckets?.counts.count ?? d.values.count }
        return variants.reduce(0) { total, variant in
            total + variant.series.reduce(0) { $0 + held($1.distribution) }
                + variant.townships.large.reduce(0) { $0 + held($1.distribution) }
                + variant.communities.large.reduce(0) { $0 + held($1.distribution) }
        }
    }
}
