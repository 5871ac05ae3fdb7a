import SimfundStochastics

/// simfund's version, recorded in every output.
public let simfundVersion = "0.2.0"

/// A target and the share of replicates that met it.
public struct TargetOutcome: Sendable, Hashable {
    public var target: Target
    public var probability: Proportion
}

/// Coverage statistics of one district, per year.
public struct DistrictSummary: Sendable, Hashable {
    public var name: String
    public var townshipCoverage: [SummaryStatistics]
    public var communityCoverage: [SummaryStatistics]
    /// Per year, the share of replicates in which every township of the
    /// district had a staffed, working station (1 when it has no townships).
    public var fullTownshipCoverage: [Proportion]
}

/// Everything `simfund run` reports (docs/model.md, "Outputs"): statistics of every
/// metric and year, target probabilities, per-district coverage.
public struct RunSummary: Sendable, Equatable {
    public var scenarioName: String
    public var description: String?
    public var seed: UInt64
    public var generator: String
    public var replicates: Int
    public var years: [Int]
    /// In ``Metric`` order; one entry per year.
    public var metrics: [Metric: [SummaryStatistics]]
    public var targets: [TargetOutcome]
    public var districts: [DistrictSummary]

    public init(_ output: SimulationOutput) {
        self.init(scenario: output.scenario, seed: output.seed, state: output.state, targets: output.targets)
    }

    /// From one variant's accumulated state; `targets` are the plan's (the base's).
    init(scenario: Scenario, seed: UInt64, state: VariantAccumulator, targets: [Target]) {
        scenarioName = scenario.name
        description = scenario.description
        self.seed = seed
        generator = RandomStream.generatorName
        replicates = state.replicates
        years = scenario.calendarYears
        var metrics: [Metric: [SummaryStatistics]] = [:]
        for metric in Metric.allCases {
            metrics[metric] = (0..<scenario.years).map { state.statistics(metric, yearIndex: $0) }
        }
        self.metrics = metrics
        let trials = state.replicates
        self.targets = targets.enumerated().map { i, target in
            TargetOutcome(target: target, probability: Proportion(successes: state.targetSuccesses[i], trials: trials))
        }
        districts = scenario.districts.enumerated().map { d, district in
            DistrictSummary(
                name: district.name,
                townshipCoverage: (0..<scenario.years).map { state.townships.statistics(district: d, yearIndex: $0) },
                communityCoverage: (0..<scenario.years).map { state.communities.statistics(district: d, yearIndex: $0) },
                fullTownshipCoverage: (0..<scenario.years).map {
                    Proportion(successes: state.townships.fullCoverage(district: d, yearIndex: $0), trials: trials)
                })
        }
    }
}

extension Target {
    /// `townshipCoverage ≥ 0.9 in 2022 (Jiaocheng)`.
    public func label(districtNames: [String]) -> String {
        let bound: String
        switch self.bound {
        case let .atLeast(x): bound = "≥ \(jsonNumber(x))"
        case let .atMost(x): bound = "≤ \(jsonNumber(x))"
        }
        let place = district.map { " (\(districtNames[$0]))" } ?? ""
        return "\(metric.name) \(bound) in \(year)\(place)"
    }
}
