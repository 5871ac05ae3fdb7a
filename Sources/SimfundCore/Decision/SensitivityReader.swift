extension SensitivityResult {
    /// Reads sensitivity.json back (for `simfund report DIR`), as untrusted
    /// input: every problem names the JSON path and line.
    public init(sensitivityJSON text: String, file: String = "sensitivity.json") throws(OutputReadError) {
        let document = try OutputField.document(text, file: file)
        scenarioName = try document.member("scenario").string()
        seed = try document.member("seed").unsigned()
        samples = try document.member("samples").integer(in: Sensitivity.sampleRange)
        bootstrap = try document.member("bootstrap").integer(in: 1...1_000_000)
        let inputFields = try document.member("inputs").elements()
        inputs = []
        for field in inputFields { inputs.append(try field.string()) }
        guard inputs.last == Sensitivity.chance else {
            throw try document.member("inputs").inconsistency("expected the input list to end with \"chance\"")
        }
        let names = inputs
        held = []
        for (i, field) in try document.member("held").elements(count: (inputs.count, "one per input")).enumerated() {
            let input = try field.member("input")
            guard try input.string() == names[i] else { throw input.failure("\"\(names[i])\" (input \(i + 1))") }
            let low = try field.optionalMember("low").map { field throws(OutputReadError) in try field.number() }
            let high = try field.optionalMember("high").map { field throws(OutputReadError) in try field.number() }
            held.append(low.flatMap { low in high.map { HeldValues(low: low, high: $0) } })
        }
        metrics = []
        for (key, field) in try document.member("metrics").members() {
            guard let metric = Metric(name: key) else { throw field.inconsistency("\"\(key)\" is not a metric") }
            var years: [YearSensitivity] = []
            for yearField in try field.elements() {
                func optional(_ field: OutputField, _ key: String) throws(OutputReadError) -> Double? {
                    try field.optionalMember(key).map { field throws(OutputReadError) in try field.number() }
                }
                var year = YearSensitivity(year: try yearField.member("year").integer(in: 1900...2855), mean: try yearField.member("mean").number(),
                                           variance: try yearField.member("variance").number(in: 0...OutputField.largestMagnitude),
                                           reason: try yearField.optionalMember("reason")?.string(), inputs: [])
                for (i, inputField) in try yearField.member("inputs").elements(count: (names.count, "one per input")).enumerated() {
                    let input = try inputField.member("input")
                    guard try input.string() == names[i] else { throw input.failure("\"\(names[i])\" (input \(i + 1))") }
                    year.inputs.append(InputSensitivity(input: names[i], first: try optional(inputField, "first"), firstLow: try optional(inputField, "firstLow"),
                                                        firstHigh: try optional(inputField, "firstHigh"), total: try optional(inputField, "total"),
                                                        totalLow: try optional(inputField, "totalLow"), totalHigh: try optional(inputField, "totalHigh"),
                                                        tornadoLow: try optional(inputField, "tornadoLow"), tornadoHigh: try optional(inputField, "tornadoHigh")))
                }
                years.append(year)
            }
            guard !years.isEmpty else { throw field.failure("at least one year") }
            metrics.append(MetricSensitivity(metric: metric, years: years))
        }
    }
}
