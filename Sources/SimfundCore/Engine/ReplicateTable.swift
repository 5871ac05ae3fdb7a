import SimfundStochastics

/// Every replicate's value of every metric and year, for tests and tools
/// that need the per-replicate values themselves (statistics never do: they
/// accumulate as replicates run).
struct MetricTable: Sendable, Equatable {
    let replicates: Int
    let years: Int
    /// Index ((metric · years) + year) · replicates + replicate.
    var storage: [Double]

    /// Values of `metric` in year index `year` (0-based), in replicate order.
    func values(_ metric: Metric, yearIndex year: Int) -> ArraySlice<Double> {
        let start = (metric.rawValue * years + year) * replicates
        return storage[start..<start + replicates]
    }

    func value(_ metric: Metric, yearIndex year: Int, replicate r: Int) -> Double {
        storage[(metric.rawValue * years + year) * replicates + r]
    }

    /// Runs replicates [0, replicates) of `scenario` on one thread and keeps every value.
    init(_ scenario: Scenario, seed: UInt64, replicates: Int) {
        self.replicates = replicates
        years = scenario.years
        storage = [Double](repeating: 0, count: Metric.count * years * replicates)
        let simulator = Simulator(scenario: scenario, seed: seed)
        var workspace = simulator.makeWorkspace()
        var stream = RandomStream()
        var recorder = ReplicateRecorder(scenario: scenario, targets: [])
        for r in 0..<replicates {
            simulator.run(replicate: r, in: &workspace, stream: &stream, observer: &recorder)
            for m in 0..<Metric.count {
                for y in 0..<years { storage[(m * years + y) * replicates + r] = recorder.values[m * years + y] }
            }
        }
    }
}
