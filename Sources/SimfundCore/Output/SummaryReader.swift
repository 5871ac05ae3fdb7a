import Foundation

/// Reads summary.json back into a ``RunSummary``: the inverse of
/// ``RunSummary/summaryJSON()``. Writing what was read gives the same bytes.
/// summary.json does not carry the scenario's description (scenario.json does),
/// so ``RunSummary/description`` reads back as nil.
extension RunSummary {
    /// - Parameter file: the name used in error messages.
    public init(summaryJSON text: String, file: String = "summary.json") throws(OutputReadError) {
        try self.init(reading: try OutputField.document(text, file: file))
    }

    /// Largest replicate count read: every success count below it is exact in a Double.
    static let largestReplicates = 1 << 53

    init(reading field: OutputField) throws(OutputReadError) {
        _ = try field.member("simfund").string()
        let scenarioName = try field.member("scenario").string()
        let seed = try field.member("seed").unsigned()
        let generator = try field.member("generator").string()
        let replicates = try field.member("replicates").integer(in: 1...RunSummary.largestReplicates)
        let yearFields = try field.member("years").elements()
        guard !yearFields.isEmpty else { throw try field.member("years").failure("at least one year") }
        var years: [Int] = []
        for (i, yearField) in yearFields.enumerated() {
            let year = try yearField.integer(in: 1...1_000_000)
            if i > 0, year != years[i - 1] + 1 { throw yearField.inconsistency("expected \(years[i - 1] + 1) (years follow one another), found \(year)") }
            years.append(year)
        }
        let horizon = (years.count, years.count == 1 ? "one for \(years[0])" : "one per year \(years[0])–\(years[years.count - 1])")

        var metrics: [Metric: [SummaryStatistics]] = [:]
        let metricsField = try field.member("metrics")
        for (key, series) in try metricsField.members() {
            guard let metric = Metric(name: key) else {
                throw series.inconsistency("\"\(key)\" is not a metric (expected one of \(Metric.allCases.map(\.name).joined(separator: ", ")))")
            }
            metrics[metric] = try SummaryStatistics.series(series, years: years, horizon: horizon, isShare: metric.unit == "share")
        }
        for metric in Metric.allCases where metrics[metric] == nil { _ = try metricsField.member(metric.name) }

        var districts: [DistrictSummary] = []
        for (name, district) in try field.member("districts").members() {
            var full: [Proportion] = []
            for entry in try district.member("fullTownshipCoverage").elements(count: horizon) {
                try entry.expectYear(years[full.count])
                full.append(try Proportion(reading: entry, estimate: "probability", trials: replicates))
            }
            districts.append(DistrictSummary(
                name: name,
                townshipCoverage: try SummaryStatistics.series(try district.member("townshipCoverage"), years: years, horizon: horizon, isShare: true),
                communityCoverage: try SummaryStatistics.series(try district.member("communityCoverage"), years: years, horizon: horizon, isShare: true),
                fullTownshipCoverage: full))
        }

        var targets: [TargetOutcome] = []
        for entry in try field.member("targets").elements() {
            let target = try Target(reading: entry, years: years, districtNames: districts.map(\.name))
            targets.append(TargetOutcome(target: target, probability: try Proportion(reading: entry, estimate: "probability", trials: replicates)))
        }
        self.init(scenarioName: scenarioName, description: nil, seed: seed, generator: generator, replicates: replicates, years: years,
                  metrics: metrics, targets: targets, districts: districts)
    }

    /// Every stored field, as read from a file.
    init(scenarioName: String, description: String?, seed: UInt64, generator: String, replicates: Int, years: [Int],
         metrics: [Metric: [SummaryStatistics]], targets: [TargetOutcome], districts: [DistrictSummary]) {
        self.scenarioName = scenarioName
        self.description = description
        self.seed = seed
        self.generator = generator
        self.replicates = replicates
        self.years = years
        self.metrics = metrics
        self.targets = targets
        self.districts = districts
    }
}

extension OutputField {
    /// Checks the entry's `year` field.
    func expectYear(_ year: Int) throws(OutputReadError) {
        let field = try member("year")
        let found = try field.integer(in: 1...1_000_000)
        if found != year { throw field.inconsistency("expected \(year) (entries follow the years), found \(found)") }
    }
}

extension SummaryStatistics {
    /// One metric over the horizon: an array with one entry per year.
    static func series(_ field: OutputField, years: [Int], horizon: (Int, String), isShare: Bool) throws(OutputReadError) -> [SummaryStatistics] {
        var out: [SummaryStatistics] = []
        for entry in try field.elements(count: horizon) {
            try entry.expectYear(years[out.count])
            out.append(try SummaryStatistics(reading: entry, isShare: isShare))
        }
        return out
    }

    init(reading field: OutputField, isShare: Bool) throws(OutputReadError) {
        var values: [Double] = []
        for name in SummaryStatistics.fieldNames {
            let value = try field.member(name)
            values.append(isShare && !["stderr", "sd"].contains(name) ? try value.share() : try value.number())
        }
        self.init(mean: values[0], stderr: values[1], sd: values[2], p5: values[3], p25: values[4], p50: values[5], p75: values[6],
                  p95: values[7], min: values[8], max: values[9])
        for (name, value) in [("stderr", stderr), ("sd", sd)] where value < 0 {
            throw try field.member(name).failure("a number of at least 0")
        }
        // min ≤ p5 ≤ p25 ≤ p50 ≤ p75 ≤ p95 ≤ max, and the mean within [min, max].
        let ordered = [("min", min), ("p5", p5), ("p25", p25), ("p50", p50), ("p75", p75), ("p95", p95), ("max", max)]
        for i in 1..<ordered.count where ordered[i].1 < ordered[i - 1].1 && !agrees(ordered[i].1, ordered[i - 1].1) {
            throw try field.member(ordered[i].0).inconsistency("expected at least \(ordered[i - 1].0) = \(jsonNumber(ordered[i - 1].1)), found \(jsonNumber(ordered[i].1))")
        }
        if (mean < min && !agrees(mean, min)) || (mean > max && !agrees(mean, max)) {
            throw try field.member("mean").inconsistency("expected a value between min and max, found \(jsonNumber(mean))")
        }
    }

    init(mean: Double, stderr: Double, sd: Double, p5: Double, p25: Double, p50: Double, p75: Double, p95: Double, min: Double, max: Double) {
        self.mean = mean
        self.stderr = stderr
        self.sd = sd
        self.p5 = p5
        self.p25 = p25
        self.p50 = p50
        self.p75 = p75
        self.p95 = p95
        self.min = min
        self.max = max
    }
}

extension Proportion {
    /// From a share written as `estimate` (and `low`, `high` when present: its
    /// Wilson interval, checked): the share must be a whole number of replicates.
    init(reading field: OutputField, estimate key: String, trials: Int, interval: Bool = true) throws(OutputReadError) {
        let estimateField = try field.member(key)
        let share = try estimateField.share()
        let successes = (share * Double(trials)).rounded()
        guard abs(share * Double(trials) - successes) <= 1e-6 else {
            throw estimateField.inconsistency("expected a whole number of the \(trials) replicates (a multiple of 1/\(trials)), found \(jsonNumber(share))")
        }
        self.init(successes: Int(successes), trials: trials)
        guard interval else { return }
        for (name, value) in [("low", low), ("high", high)] {
            let bound = try field.member(name)
            let found = try bound.share()
            if !agrees(found, value) {
                throw bound.inconsistency("expected the 95% Wilson interval's bound \(jsonNumber(value)) for \(Int(successes)) of \(trials), found \(jsonNumber(found))")
            }
        }
    }
}

extension Target {
    /// `{"metric", "year", "atLeast" | "atMost", "district"?}` as summary.json and compare.json write targets.
    init(reading field: OutputField, years: [Int], districtNames: [String]) throws(OutputReadError) {
        let metricField = try field.member("metric")
        guard let metric = Metric(name: try metricField.string()) else { throw metricField.failure("a metric name") }
        let yearField = try field.member("year")
        let year = try yearField.integer(in: 1...1_000_000)
        guard years.contains(year) else { throw yearField.failure("a year of the horizon \(years[0])–\(years[years.count - 1])") }
        let atLeast = try field.optionalMember("atLeast"), atMost = try field.optionalMember("atMost")
        let bound: Bound
        switch (atLeast, atMost) {
        case let (.some(value), nil): bound = .atLeast(try value.number())
        case let (nil, .some(value)): bound = .atMost(try value.number())
        case (.some, .some): throw try field.member("atMost").inconsistency("a target has \"atLeast\" or \"atMost\", not both")
        case (nil, nil): throw field.inconsistency("expected a field \"atLeast\" or \"atMost\", found neither")
        }
        var district: Int?
        if let districtField = try field.optionalMember("district") {
            let name = try districtField.string()
            guard let index = districtNames.firstIndex(of: name) else {
                throw districtField.failure("the name of a district of the file's \"districts\"")
            }
            guard Metric.districtMetrics.contains(metric) else {
                throw metricField.failure("a coverage metric for a district target (\(Metric.districtMetrics.map(\.name).joined(separator: " or ")))")
            }
            district = index
        }
        self.init(metric: metric, year: year, bound: bound, district: district)
    }
}
