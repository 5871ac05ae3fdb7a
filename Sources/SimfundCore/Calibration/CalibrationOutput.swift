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
    /// and the posterior predictive check of every history point (``CalibrationSummary``).
    public func calibrationJSON(scenario: Scenario) -> String {
        CalibrationSummary(self, scenario: scenario).json()
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
