import SimfundStochastics

/// One worker's engine: a compiled scenario, its workspace and its generator,
/// ready to run replicates one at a time without allocating. For benchmarks
/// and for embedding simfund in other tools; ``Runner`` uses the same parts.
public struct ReplicateEngine: ~Copyable {
    private let simulator: Simulator
    private var workspace: Workspace
    private var stream: RandomStream
    private var checksum = ChecksumObserver()

    public init(scenario: Scenario, seed: UInt64) {
        simulator = Simulator(scenario: scenario, seed: seed)
        workspace = simulator.makeWorkspace()
        stream = RandomStream()
    }

    /// Districts × years simulated by one replicate.
    public var districtYearsPerReplicate: Int { simulator.districtCount * simulator.years }

    /// Runs replicate `r` and returns the region's certified workers at the
    /// end of the horizon (so callers can consume the result).
    public mutating func run(replicate r: Int) -> Int {
        simulator.run(replicate: r, in: &workspace, stream: &stream, observer: &checksum)
        return checksum.certified
    }
}

/// Keeps only the last year's certified count.
private struct ChecksumObserver: YearObserver {
    var certified = 0
    mutating func record(replicate: Int, yearIndex: Int, workspace: borrowing Workspace) {
        certified = workspace.totals.junior + workspace.totals.intermediate + workspace.totals.senior
    }
}
