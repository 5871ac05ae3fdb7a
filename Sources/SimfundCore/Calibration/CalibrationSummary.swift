/// calibration.json as a value: what `simfund calibrate` reports about a
/// calibration, written by ``json()`` and read back by
/// ``init(calibrationJSON:file:)``, so that `--report` and `simfund report
/// DIR` render the same page from the same numbers.
public struct CalibrationSummary: Sendable, Equatable {
    public struct ParameterSummary: Sendable, Equatable {
        public var path: String
        /// Prior p5, p50, p95.
        public var prior: [Double]
        public var mean: Double, sd: Double, p5: Double, p50: Double, p95: Double
    }

    public struct GenerationSummary: Sendable, Equatable {
        public var tolerance: Double, acceptance: Double, ess: Double
        public var attempts: Int
    }

    public struct PredictiveSummary: Sendable, Equatable {
        public var metric: Metric
        public var year: Int
        public var district: String?
        public var observed: Double, sd: Double
        public var p5: Double, p50: Double, p95: Double
        public var inside: Bool
        /// The prior's p5, p50, p95 (generation 0's simulations).
        public var prior: [Double]

        /// `certified 2023`, `townshipCoverage 2023 Fuan`.
        public var name: String { "\(metric.name) \(year)" + (district.map { " \($0)" } ?? "") }
    }

    public var parameters: [ParameterSummary]
    public var generations: [GenerationSummary]
    public var predictive: [PredictiveSummary]
    public var particles: Int
    public var predictiveReplicates: Int
    public var seed: UInt64
    public var stopped: String
    public var unfitted: [String]

    public init(_ result: CalibrationResult, scenario: Scenario) {
        parameters = result.parameters.enumerated().map { k, parameter in
            let post = result.posteriorSummary(k)
            return ParameterSummary(path: parameter.path, prior: result.priorQuantiles[k], mean: post.mean, sd: post.sd,
                                    p5: post.p5, p50: post.p50, p95: post.p95)
        }
        generations = result.generations.map {
            GenerationSummary(tolerance: $0.tolerance, acceptance: $0.acceptance, ess: $0.ess, attempts: $0.attempts)
        }
        predictive = result.predictive.map { check in
            PredictiveSummary(metric: check.point.metric, year: check.point.year, district: check.point.district.map { scenario.districts[$0].name },
                              observed: check.point.value, sd: check.point.sd, p5: check.p5, p50: check.p50, p95: check.p95,
                              inside: check.inside, prior: [check.priorP5, check.priorP50, check.priorP95])
        }
        particles = result.settings.particles
        predictiveReplicates = result.settings.predictiveReplicates
        seed = result.settings.seed
        stopped = result.stopReason
        unfitted = result.unfitted
    }

    public func json() -> String {
        func band(_ values: [Double]) -> JSONOutput { .object([("p5", .number(values[0])), ("p50", .number(values[1])), ("p95", .number(values[2]))]) }
        let parameterEntries: [JSONOutput] = parameters.map { p in
            .object([("path", .string(p.path)), ("prior", band(p.prior)),
                     ("posterior", .object([("mean", .number(p.mean)), ("sd", .number(p.sd)), ("p5", .number(p.p5)),
                                            ("p50", .number(p.p50)), ("p95", .number(p.p95))]))])
        }
        let generationEntries: [JSONOutput] = generations.map { g in
            .object([("tolerance", .number(g.tolerance)), ("acceptance", .number(g.acceptance)), ("ess", .number(g.ess)),
                     ("attempts", .integer(Int64(g.attempts)))])
        }
        let predictiveEntries: [JSONOutput] = predictive.map { c in
            var fields: [(String, JSONOutput)] = [("metric", .string(c.metric.name)), ("year", .integer(Int64(c.year)))]
            if let district = c.district { fields.append(("district", .string(district))) }
            fields += [("observed", .number(c.observed)), ("sd", .number(c.sd)), ("p5", .number(c.p5)), ("p50", .number(c.p50)),
                       ("p95", .number(c.p95)), ("inside", .bool(c.inside)), ("prior", band(c.prior))]
            return .object(fields)
        }
        return JSONOutput.object([
            ("parameters", .array(parameterEntries)),
            ("generations", .array(generationEntries)),
            ("predictive", .array(predictiveEntries)),
            ("particles", .integer(Int64(particles))),
            ("predictiveReplicates", .integer(Int64(predictiveReplicates))),
            ("seed", .unsigned(seed)),
            ("stopped", .string(stopped)),
            ("unfitted", .array(unfitted.map { .string($0) })),
        ]).render() + "\n"
    }

    /// Reads calibration.json back: the inverse of ``json()``.
    public init(calibrationJSON text: String, file: String = "calibration.json") throws(OutputReadError) {
        let document = try OutputField.document(text, file: file)
        func band(_ field: OutputField) throws(OutputReadError) -> [Double] {
            [try field.member("p5").number(), try field.member("p50").number(), try field.member("p95").number()]
        }
        parameters = []
        for entry in try document.member("parameters").elements() {
            let posterior = try entry.member("posterior")
            parameters.append(ParameterSummary(path: try entry.member("path").string(), prior: try band(entry.member("prior")),
                                               mean: try posterior.member("mean").number(), sd: try posterior.member("sd").number(),
                                               p5: try posterior.member("p5").number(), p50: try posterior.member("p50").number(),
                                               p95: try posterior.member("p95").number()))
        }
        generations = []
        for entry in try document.member("generations").elements() {
            generations.append(GenerationSummary(tolerance: try entry.member("tolerance").number(), acceptance: try entry.member("acceptance").share(),
                                                 ess: try entry.member("ess").number(), attempts: try entry.member("attempts").integer(in: 0...Int(Int32.max))))
        }
        predictive = []
        for entry in try document.member("predictive").elements() {
            let metricField = try entry.member("metric")
            guard let metric = Metric(name: try metricField.string()) else { throw metricField.failure("a metric name") }
            let insideField = try entry.member("inside")
            guard case let .bool(inside) = insideField.node.value else { throw insideField.failure("true or false") }
            predictive.append(PredictiveSummary(metric: metric, year: try entry.member("year").integer(in: 0...100_000),
                                                district: try entry.optionalMember("district").map { field throws(OutputReadError) in try field.string() },
                                                observed: try entry.member("observed").number(), sd: try entry.member("sd").number(),
                                                p5: try entry.member("p5").number(), p50: try entry.member("p50").number(),
                                                p95: try entry.member("p95").number(), inside: inside, prior: try band(entry.member("prior"))))
        }
        particles = try document.member("particles").integer(in: 1...Int(Int32.max))
        predictiveReplicates = try document.member("predictiveReplicates").integer(in: 1...Int(Int32.max))
        seed = try document.member("seed").unsigned()
        stopped = try document.member("stopped").string()
        unfitted = []
        for entry in try document.member("unfitted").elements() { unfitted.append(try entry.string()) }
    }
}
