/// One scenario of a plan: the base, or the base with typed changes applied.
public struct Variant: Sendable {
    public var name: String
    public var scenario: Scenario
    /// What distinguishes it from the base (empty for the base itself).
    public var changes: [ScenarioChange]

    public init(name: String, scenario: Scenario, changes: [ScenarioChange] = []) {
        self.name = name
        self.scenario = scenario
        self.changes = changes
    }
}

/// What to simulate: the variants, the seed, and a range of replicates of
/// a run of `replicates` replicates. A worker runs replicate r of every
/// variant before replicate r + 1, and every variant draws replicate r's
/// numbers from the same keyed streams, so differences between variants
/// come from the policy alone (common random numbers by construction).
public struct RunPlan: Sendable {
    /// variants[0] is the base; the others are compared with it.
    public var variants: [Variant]
    public var seed: UInt64
    /// Replicates of the whole run (all shards together).
    public var replicates: Int
    /// The replicates this part runs: [first, last).
    public var range: Range<Int>
    public var limits: StatisticsLimits

    public var base: Scenario { variants[0].scenario }
    /// Targets of the base; every variant is measured against them.
    public var targets: [Target] { base.targets }

    public init(base: Scenario, baseName: String = "base", alternatives: [Variant] = [], seed: UInt64, replicates: Int,
                range: Range<Int>? = nil, limits: StatisticsLimits? = nil) {
        precondition(replicates >= 1 && replicates <= StreamKey.maxReplicates)
        variants = [Variant(name: baseName, scenario: base)] + alternatives
        self.seed = seed
        self.replicates = replicates
        self.range = range ?? 0..<replicates
        precondition(self.range.lowerBound >= 0 && self.range.upperBound <= replicates)
        let series = variants.count * Metric.count * base.years
        self.limits = limits ?? StatisticsLimits.forSeries(series)
    }

    /// Replicates of shard `index` (1-based) of `count`: contiguous ranges
    /// whose sizes differ by at most one.
    public static func shardRange(_ index: Int, of count: Int, replicates: Int) -> Range<Int> {
        precondition(count >= 1 && index >= 1 && index <= count)
        let first = replicates * (index - 1) / count
        let last = replicates * index / count
        return first..<last
    }

    /// The same plan restricted to `range`.
    public func part(_ range: Range<Int>) -> RunPlan {
        var copy = self
        copy.range = range
        return copy
    }
}

import SimfundStochastics
