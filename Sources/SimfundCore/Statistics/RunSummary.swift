import SimfundStochastics

/// simfund's version, recorded in every output.
public let simfundVersion = "0.1.0"

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

/// Everything `simfund run` reports (MODEL.md section 4): statistics of every
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
        let scenario = output.scenario
        scenarioName = scenario.name
        description = scenario.description
        seed = output.seed
        generator = RandomStream.generatorName
        replicates = output.replicates
        years = scenario.calendarYears
        var metrics: [Metric: [SummaryStatistics]] = [:]
        for metric in Metric.allCases {
            metrics[metric] = (0..<scenario.years).map { output.statistics(metric, yearIndex: $0) }
        }
        self.metrics = metrics
        targets = scenario.targets.map { target in
            TargetOutcome(target: target, probability: RunSummary.probability(of: target, in: output))
        }
        districts = scenario.districts.enumerated().map { d, district in
            DistrictSummary(
                name: district.name,
                townshipCoverage: (0..<scenario.years).map {
                    SummaryStatistics(histogram: output.townshipHistograms.histogram(district: d, yearIndex: $0), scale: Double(district.townships))
                },
                communityCoverage: (0..<scenario.years).map {
                    SummaryStatistics(histogram: output.communityHistograms.histogram(district: d, yearIndex: $0), scale: Double(district.communities))
                },
                fullTownshipCoverage: (0..<scenario.years).map {
                    let histogram = output.townshipHistograms.histogram(district: d, yearIndex: $0)
                    return Proportion(successes: histogram[district.townships], trials: output.replicates)
                })
        }
    }

    /// The share of replicates meeting `target`, with its Wilson interval.
    static func probability(of target: Target, in output: SimulationOutput) -> Proportion {
        let y = target.year - output.scenario.startYear
        let trials = output.replicates
        guard let d = target.district else { return Proportion(successes: output.successes(of: target), trials: trials) }
        let isTownship = target.metric == .townshipCoverage
        let histograms = isTownship ? output.townshipHistograms : output.communityHistograms
        let places = histograms.places[d]
        var met = 0
        for (k, count) in histograms.histogram(district: d, yearIndex: y).enumerated() {
            let coverage = places > 0 ? Double(k) / Double(places) : 0
            if target.isMet(by: coverage) { met += count }
        }
        return Proportion(successes: met, trials: trials)
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
