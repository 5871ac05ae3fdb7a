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

/// The raw outcome of running replicates [0, replicates) of one scenario.
public struct SimulationOutput: Sendable {
    public let scenario: Scenario
    public let seed: UInt64
    public let metrics: MetricTable
    public let townshipHistograms: DistrictHistograms
    public let communityHistograms: DistrictHistograms
    public let tracked: [TrackedCoverage]
    /// tracked.count × replicates values, tracked-major.
    let trackedValues: [Double]

    /// Per-replicate coverage of one district in one year; it must have been
    /// tracked (every district target of the run is).
    public func districtCoverage(_ metric: Metric, district: Int, yearIndex: Int) -> ArraySlice<Double> {
        guard let i = tracked.firstIndex(of: TrackedCoverage(metric: metric, district: district, yearIndex: yearIndex)) else {
            preconditionFailure("district coverage not tracked: \(metric.name) of district \(district) in year index \(yearIndex)")
        }
        let n = metrics.replicates
        return trackedValues[i * n..<(i + 1) * n]
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
                                targets: [Target]? = nil, control: RunControl? = nil) throws(RunFailure) -> SimulationOutput {
        precondition(replicates >= 1 && replicates <= StreamKey.maxReplicates)
        let simulator = Simulator(scenario: scenario, seed: seed)
        let years = scenario.years
        let workers = max(1, min(threads, (replicates + chunkSize - 1) / chunkSize))
        var table = MetricTable(replicates: replicates, years: years)
        let townships = scenario.districts.map(\.townships)
        let communities = scenario.districts.map(\.communities)
        var perWorker = [(DistrictHistograms, DistrictHistograms)](
            repeating: (DistrictHistograms(places: townships, years: years), DistrictHistograms(places: communities, years: years)),
            count: workers)
        var tracked: [TrackedCoverage] = []
        for target in targets ?? scenario.targets {
            guard let d = target.district else { continue }
            let entry = TrackedCoverage(metric: target.metric, district: d, yearIndex: target.year - scenario.startYear)
            if !tracked.contains(entry) { tracked.append(entry) }
        }
        var trackedValues = [Double](repeating: 0, count: tracked.count * replicates)
        let trackedCoverage = tracked
        _ = GSLRuntime.takeFailure()

        table.storage.withUnsafeMutableBufferPointer { storage in
          trackedValues.withUnsafeMutableBufferPointer { trackedStorage in
            perWorker.withUnsafeMutableBufferPointer { histograms in
                // Each worker writes disjoint replicate slots and its own histogram pair.
                nonisolated(unsafe) let storage = storage
                nonisolated(unsafe) let trackedStorage = trackedStorage
                nonisolated(unsafe) let histograms = histograms
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    var recorder = Recorder(storage: storage, replicates: replicates, years: years,
                                            townships: histograms[worker].0, communities: histograms[worker].1,
                                            tracked: trackedCoverage, trackedStorage: trackedStorage)
                    var workspace = simulator.makeWorkspace()
                    var stream = RandomStream()
                    var chunk = worker
                    while chunk * chunkSize < replicates, control?.isCancelled != true {
                        let range = chunk * chunkSize..<min(replicates, (chunk + 1) * chunkSize)
                        for r in range {
                            simulator.run(replicate: r, in: &workspace, stream: &stream, observer: &recorder)
                        }
                        control?.finished(range.count)
                        chunk += workers
                    }
                    histograms[worker] = (recorder.townships, recorder.communities)
                }
            }
          }
        }
        if let failure = GSLRuntime.takeFailure() { throw .gsl(failure) }
        if control?.isCancelled == true { throw .cancelled }
        var (townshipHistograms, communityHistograms) = perWorker[0]
        for worker in perWorker.dropFirst() {
            townshipHistograms.merge(worker.0)
            communityHistograms.merge(worker.1)
        }
        return SimulationOutput(scenario: scenario, seed: seed, metrics: table,
                                townshipHistograms: townshipHistograms, communityHistograms: communityHistograms,
                                tracked: tracked, trackedValues: trackedValues)
    }
}

/// Writes each simulated year into the metric table and the histograms.
struct Recorder: YearObserver {
    let storage: UnsafeMutableBufferPointer<Double>
    let replicates: Int
    let years: Int
    var townships: DistrictHistograms
    var communities: DistrictHistograms
    let tracked: [TrackedCoverage]
    let trackedStorage: UnsafeMutableBufferPointer<Double>

    mutating func record(replicate r: Int, yearIndex y: Int, workspace ws: borrowing Workspace) {
        let totals = ws.totals
        for m in 0..<Metric.count {
            storage[(m * years + y) * replicates + r] = totals.value(of: Metric(rawValue: m)!)
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
