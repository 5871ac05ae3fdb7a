/// The files `simfund calibrate --out DIR` writes (docs/model.md,
/// "Calibrating to history"): posterior.csv, calibration.json and
/// calibrated.json.
extension CalibrationResult {
    public static let posteriorFileName = "posterior.csv"

    /// One row per particle: the parameter values, then the weight; the header
    /// row is the parameter paths as in the scenario, then `weight`. Numbers
    /// in Swift's shortest round-trip form; weights sum to 1.
    public func posteriorCSV() -> String {
        let d = parameters.count
        var lines = [(parameters.map(\.path) + ["weight"]).joined(separator: ",")]
        for i in posterior.weights.indices {
            lines.append(((0..<d).map { "\(posterior.values[i * d + $0])" } + ["\(posterior.weights[i])"]).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// calibration.json: prior and posterior per parameter, the generations,
    /// and the posterior predictive check of every history point.
    public func calibrationJSON(scenario: Scenario) -> String {
        let parameterEntries: [JSONOutput] = parameters.enumerated().map { k, parameter in
            let post = posteriorSummary(k)
            return .object([
                ("path", .string(parameter.path)),
                ("prior", .object([("p5", .number(priorQuantiles[k][0])), ("p50", .number(priorQuantiles[k][1])), ("p95", .number(priorQuantiles[k][2]))])),
                ("posterior", .object([("mean", .number(post.mean)), ("sd", .number(post.sd)), ("p5", .number(post.p5)),
                                       ("p50", .number(post.p50)), ("p95", .number(post.p95))])),
            ])
        }
        let generationEntries: [JSONOutput] = generations.map { g in
            .object([("tolerance", .number(g.tolerance)), ("acceptance", .number(g.acceptance)), ("ess", .number(g.ess)),
                     ("attempts", .integer(Int64(g.attempts)))])
        }
        let predictiveEntries: [JSONOutput] = predictive.map { check in
            var fields: [(String, JSONOutput)] = [("metric", .string(check.point.metric.name)), ("year", .integer(Int64(check.point.year)))]
            if let d = check.point.district { fields.append(("district", .string(scenario.districts[d].name))) }
            fields += [("observed", .number(check.point.value)), ("sd", .number(check.point.sd)),
                       ("p5", .number(check.p5)), ("p50", .number(check.p50)), ("p95", .number(check.p95)),
                       ("inside", .bool(check.inside)),
                       ("prior", .object([("p5", .number(check.priorP5)), ("p50", .number(check.priorP50)), ("p95", .number(check.priorP95))]))]
            return .object(fields)
        }
        return JSONOutput.object([
            ("parameters", .array(parameterEntries)),
            ("generations", .array(generationEntries)),
            ("predictive", .array(predictiveEntries)),
            ("particles", .integer(Int64(settings.particles))),
            ("predictiveReplicates", .integer(Int64(settings.predictiveReplicates))),
            ("seed", .unsigned(settings.seed)),
            ("stopped", .string(stopReason)),
            ("unfitted", .array(unfitted.map { .string($0) })),
        ]).render() + "\n"
    }

    /// calibrated.json: the scenario file as given, with a `posterior` block
    /// that draws the fitted parameters jointly from posterior.csv (the file
    /// path relative to calibrated.json's directory). The block is inserted
    /// before the file's closing brace, so everything else keeps its text.
    public func calibratedScenario(source: [UInt8], posteriorFile: String = CalibrationResult.posteriorFileName) -> String {
        var text = String(decoding: source, as: UTF8.self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        if text.last == "}" { text.removeLast() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        let block = JSONOutput.object([
            ("file", .string(posteriorFile)),
            ("parameters", .array(parameters.map { .string($0.path) })),
        ]).render(indent: 1)
        return text + ",\n  \"posterior\": " + block + "\n}\n"
    }
}
