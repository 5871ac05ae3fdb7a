import Dispatch
import SimfundStochastics
import Synchronization

/// Per-replicate values of every metric and year: the raw material of
/// statistics, targets and paired comparisons.
public struct MetricTable: Sendable {
    public let replicates: Int
    public let years: Int
    /// Index ((metric · years) + year) · replicates + replicate.
    var storage: [Double]

    init(replicates: Int, years: Int) {
        self.replicates = replicates
        self.years = years
        storage = [Double](repeating: 0, count: Metric.count * years * replicates)
    }

    /// Values of `metric` in year index `year` (0-based), in replicate order.
    public func values(_ metric: Metric, yearIndex year: Int) -> ArraySlice<Double> {
        let start = (metric.rawValue * years + year) * replicates
        return storage[start..<start + replicates]
    }

    public func value(_ metric: Metric, yearIndex year: Int, replicate r: Int) -> Double {
        storage[(metric.rawValue * years + year) * replicates + r]
    }
}

/// Staffed-unit histograms of every district and year: `counts[k]` replicates
/// had k staffed stations (or rooms). Coverage takes only the values
/// k / places, so these give exact statistics in little memory.
public struct DistrictHistograms: Sendable, Equatable {
    /// Places per district: townships (stations) or communities (rooms).
    public let places: [Int]
    public let years: Int
    /// Start of each district's block; each block holds `years` rows of places + 1 bins.
    let offsets: [Int]
    var counts: [Int]

    init(places: [Int], years: Int) {
        self.places = places
        self.years = years
        var offsets: [Int] = []
        var total = 0
        for p in places {
            offsets.append(total)
            total += (p + 1) * years
        }
        self.offsets = offsets
        counts = [Int](repeating: 0, count: total)
    }

    @inline(__always)
    func bin(district d: Int, yearIndex y: Int, staffed k: Int) -> Int { offsets[d] + y * (places[d] + 1) + k }

    /// The histogram of district `d` in year index `y`.
    public func histogram(district d: Int, yearIndex y: Int) -> [Int] {
        let start = bin(district: d, yearIndex: y, staffed: 0)
        return Array(counts[start...start + places[d]])
    }

    mutating func merge(_ other: DistrictHistograms) {
        for i in counts.indices { counts[i] += other.counts[i] }
    }
}

/// A district coverage value followed replicate by replicate (for paired
/// comparisons of district targets; histograms alone cannot pair).
public struct TrackedCoverage: Sendable, Hashable {
    public var metric: Metric
    public var district: Int
    public var yearIndex: Int
}

/// How a run keeps its statistics.
public enum StatisticsMode: Sendable {
    /// Every replicate's value of every metric and year: exact quantiles, and
    /// the per-replicate values that paired comparisons need.
    case exact
    /// Moments and value sketches only (``StreamingMetrics``): memory that
    /// does not grow with replicates.
    case streaming

    /// Exact while the per-replicate table stays under 128 MiB (16 Mi values).
    public static func automatic(replicates: Int, years: Int) -> StatisticsMode {
        replicates * Metric.count * years <= 1 << 24 ? .exact : .streaming
    }
}

/// The raw outcome of running replicates [0, replicates) of one scenario.
public struct SimulationOutput: Sendable {
    public let scenario: Scenario
    public let seed: UInt64
    public let replicates: Int
    let table: MetricTable?
    let streaming: StreamingMetrics?
    /// Replicates meeting each region-wide target (streaming mode counts them as it goes).
    let regionTargetSuccesses: [Target: Int]
    public let townshipHistograms: DistrictHistograms
    public let communityHistograms: DistrictHistograms
    public let tracked: [TrackedCoverage]
    /// tracked.count × replicates values, tracked-major.
    let trackedValues: [Double]

    public var mode: StatisticsMode { table == nil ? .streaming : .exact }

    /// Per-replicate values; only runs in ``StatisticsMode/exact`` keep them.
    public var metrics: MetricTable {
        guard let table else { preconditionFailure("per-replicate values are kept only in exact mode") }
        return table
    }

    /// Statistics of one metric in one year, whichever the mode.
    public func statistics(_ metric: Metric, yearIndex y: Int) -> SummaryStatistics {
        if let table { return SummaryStatistics(values: table.values(metric, yearIndex: y)) }
        return streaming!.statistics(metric, yearIndex: y)
    }

    /// Replicates meeting a region-wide target.
    func successes(of target: Target) -> Int {
        if let table {
            let y = target.year - scenario.startYear
            return table.values(target.metric, yearIndex: y).reduce(0) { $0 + (target.isMet(by: $1) ? 1 : 0) }
        }
        return regionTargetSuccesses[target] ?? 0
    }

    /// Per-replicate coverage of one district in one year; it must have been
    /// tracked (every district target of the run is).
    public func districtCoverage(_ metric: Metric, district: Int, yearIndex: Int) -> ArraySlice<Double> {
        guard let i = tracked.firstIndex(of: TrackedCoverage(metric: metric, district: district, yearIndex: yearIndex)) else {
            preconditionFailure("district coverage not tracked: \(metric.name) of district \(district) in year index \(yearIndex)")
        }
        return trackedValues[i * replicates..<(i + 1) * replicates]
    }
}

/// Why a run stopped without results.
public enum RunFailure: Error, Sendable, CustomStringConvertible {
    /// GSL reported an error: a bug in simfund, reported with its context.
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
/// Replicates are counted as their scheduling chunks finish; cancellation is
/// checked between chunks, so a cancelled run stops within one chunk.
public final class RunControl: Sendable {
    private let completed = Atomic<Int>(0)
    private let cancelled = Atomic<Bool>(false)
    private let onProgress: @Sendable (Int) -> Void

    /// - Parameter onProgress: called from worker threads with the number of
    ///   replicates finished so far (over every run that shares this control).
    public init(onProgress: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.onProgress = onProgress
    }

    public func cancel() { cancelled.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    func finished(_ replicates: Int) {
        onProgress(completed.add(replicates, ordering: .relaxed).newValue)
    }
}

/// Runs replicates in parallel. Replicate r always runs the same way (its
/// streams depend only on the seed and r) and writes only its own slots, and
/// histograms are integer counts merged by addition, so output is
/// bit-identical for every thread count.
public enum Runner {
    /// Replicates per scheduling chunk; chunks are dealt to workers in turn.
    static let chunkSize = 16

    /// - Parameter targets: targets whose district coverage is followed per
    ///   replicate (default: the scenario's own).
    ///   - control: progress and cancellation (optional).
    public static func simulate(_ scenario: Scenario, seed: UInt64, replicates: Int, threads: Int,
                                targets: [Target]? = nil, control: RunControl? = nil,
                                mode: StatisticsMode? = nil) throws(RunFailure) -> SimulationOutput {
        precondition(replicates >= 1 && replicates <= StreamKey.maxReplicates)
        let simulator = Simulator(scenario: scenario, seed: seed)
        let years = scenario.years
        let mode = mode ?? .automatic(replicates: replicates, years: years)
        let streaming = mode == .streaming
        // Streaming mode schedules whole blocks, the unit its moments merge in.
        let chunk = streaming ? StreamingMetrics.blockSize : chunkSize
        let chunks = (replicates + chunk - 1) / chunk
        let workers = max(1, min(threads, chunks))
        var table = MetricTable(replicates: streaming ? 0 : replicates, years: years)
        var blockMoments = [Moments](repeating: Moments(), count: streaming ? chunks * Metric.count * years : 0)
        let targets = targets ?? scenario.targets
        let regionTargets = streaming ? targets.filter { $0.district == nil } : []
        var tracked: [TrackedCoverage] = []
        for target in targets {
            guard let d = target.district else { continue }
            let entry = TrackedCoverage(metric: target.metric, district: d, yearIndex: target.year - scenario.startYear)
            if !tracked.contains(entry) && !streaming { tracked.append(entry) }
        }
        var trackedValues = [Double](repeating: 0, count: tracked.count * replicates)
        let prototype = Recorder(scenario: scenario, replicates: replicates, streaming: streaming, tracked: tracked, regionTargets: regionTargets)
        var recorders = [Recorder](repeating: prototype, count: workers)
        let gslFailures = GSLFailureCollector()

        table.storage.withUnsafeMutableBufferPointer { storage in
          trackedValues.withUnsafeMutableBufferPointer { trackedStorage in
            blockMoments.withUnsafeMutableBufferPointer { blockStorage in
              recorders.withUnsafeMutableBufferPointer { recorders in
                // Each worker writes disjoint replicate slots, disjoint blocks and its own recorder.
                nonisolated(unsafe) let storage = storage, trackedStorage = trackedStorage
                nonisolated(unsafe) let blockStorage = blockStorage, recorders = recorders
                DispatchQueue.concurrentPerform(iterations: workers) { worker in gslFailures.collect {
                    var recorder = recorders[worker]
                    recorder.storage = storage
                    recorder.trackedStorage = trackedStorage
                    var workspace = simulator.makeWorkspace()
                    var stream = RandomStream()
                    var index = worker
                    while index < chunks, control?.isCancelled != true {
                        let range = index * chunk..<min(replicates, (index + 1) * chunk)
                        for r in range {
                            simulator.run(replicate: r, in: &workspace, stream: &stream, observer: &recorder)
                        }
                        recorder.finishBlock(index, into: blockStorage)
                        control?.finished(range.count)
                        index += workers
                    }
                    recorders[worker] = recorder
                } }
              }
            }
          }
        }
        if let failure = gslFailures.first { throw .gsl(failure) }
        if control?.isCancelled == true { throw .cancelled }
        var merged = recorders[0]
        for recorder in recorders.dropFirst() { merged.merge(recorder) }
        var streamingMetrics: StreamingMetrics?
        if streaming {
            // Moments merge in block order, so the result does not depend on which worker ran which block.
            let metricYears = Metric.count * years
            var moments = [Moments](repeating: Moments(), count: metricYears)
            for block in 0..<chunks {
                for i in 0..<metricYears { moments[i].merge(blockMoments[block * metricYears + i]) }
            }
            streamingMetrics = StreamingMetrics(replicates: replicates, years: years, moments: moments, sketches: merged.sketches)
        }
        var successes: [Target: Int] = [:]
        for (i, target) in regionTargets.enumerated() { successes[target] = merged.targetSuccesses[i] }
        return SimulationOutput(scenario: scenario, seed: seed, replicates: replicates, table: streaming ? nil : table,
                                streaming: streamingMetrics, regionTargetSuccesses: successes,
                                townshipHistograms: merged.townships, communityHistograms: merged.communities,
                                tracked: tracked, trackedValues: trackedValues)
    }
}

/// Records each simulated year: into the metric table (exact mode) or into
/// moments, sketches and target counts (streaming mode), and always into the
/// district histograms.
struct Recorder: YearObserver {
    let years: Int
    /// Slots per metric-year in the table and per tracked coverage (0 in streaming mode).
    let replicates: Int
    let streaming: Bool
    var storage = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    var trackedStorage = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    var townships: DistrictHistograms
    var communities: DistrictHistograms
    let tracked: [TrackedCoverage]
    /// Streaming mode: region targets and how many replicates met each.
    let regionTargets: [Target]
    var targetSuccesses: [Int]
    /// Streaming mode: moments of the current block and sketches of every block so far.
    var moments: [Moments]
    var sketches: [ValueSketch]
    let startYear: Int

    init(scenario: Scenario, replicates: Int, streaming: Bool, tracked: [TrackedCoverage], regionTargets: [Target]) {
        years = scenario.years
        self.replicates = streaming ? 0 : replicates
        self.streaming = streaming
        townships = DistrictHistograms(places: scenario.districts.map(\.townships), years: years)
        communities = DistrictHistograms(places: scenario.districts.map(\.communities), years: years)
        self.tracked = tracked
        self.regionTargets = regionTargets
        targetSuccesses = [Int](repeating: 0, count: regionTargets.count)
        moments = [Moments](repeating: Moments(), count: streaming ? Metric.count * years : 0)
        sketches = [ValueSketch](repeating: ValueSketch(), count: streaming ? Metric.count * years : 0)
        startYear = scenario.startYear
    }

    mutating func record(replicate r: Int, yearIndex y: Int, workspace ws: borrowing Workspace) {
        let totals = ws.totals
        if streaming {
            for m in 0..<Metric.count {
                let x = totals.value(of: Metric(rawValue: m)!)
                moments[m * years + y].add(x)
                sketches[m * years + y].add(x)
            }
            for (i, target) in regionTargets.enumerated() where target.year - startYear == y {
                if target.isMet(by: totals.value(of: target.metric)) { targetSuccesses[i] += 1 }
            }
        } else {
            for m in 0..<Metric.count {
                storage[(m * years + y) * replicates + r] = totals.value(of: Metric(rawValue: m)!)
            }
        }
        let D = ws.districtCount
        for d in 0..<D {
            townships.counts[townships.bin(district: d, yearIndex: y, staffed: ws.staffed[d] + ws.staffed[D + d])] += 1
            communities.counts[communities.bin(district: d, yearIndex: y, staffed: ws.staffed[2 * D + d] + ws.staffed[3 * D + d])] += 1
        }
        for (i, entry) in tracked.enumerated() where entry.yearIndex == y {
            let d = entry.district
            let isTownship = entry.metric == .townshipCoverage
            let staffed = isTownship ? ws.staffed[d] + ws.staffed[D + d] : ws.staffed[2 * D + d] + ws.staffed[3 * D + d]
            let places = isTownship ? ws.places[d] + ws.places[D + d] : ws.places[2 * D + d] + ws.places[3 * D + d]
            trackedStorage[i * replicates + r] = places > 0 ? Double(staffed) / Double(places) : 0
        }
    }

    /// Streaming mode: hands the block's moments over and starts the next block.
    mutating func finishBlock(_ block: Int, into blocks: UnsafeMutableBufferPointer<Moments>) {
        guard streaming else { return }
        for i in moments.indices {
            blocks[block * moments.count + i] = moments[i]
            moments[i] = Moments()
        }
    }

    /// Adds another worker's histograms, sketches and counts (all exact integer sums).
    mutating func merge(_ other: Recorder) {
        townships.merge(other.townships)
        communities.merge(other.communities)
        for i in targetSuccesses.indices { targetSuccesses[i] += other.targetSuccesses[i] }
        for i in sketches.indices { sketches[i].merge(other.sketches[i]) }
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
