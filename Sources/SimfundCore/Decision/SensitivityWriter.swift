import SimfundStochastics

extension SensitivityResult {
    /// sensitivity.json: `{"simfund", "scenario", "seed", "generator",
    /// "samples", "bootstrap", "inputs": [PATH, …, "chance"], "held": [{"input",
    /// "low", "high"}], "metrics": {METRIC: [{"year", "mean", "variance",
    /// "reason"?, "inputs": [{"input", "first", "firstLow", "firstHigh",
    /// "total", "totalLow", "totalHigh", "tornadoLow", "tornadoHigh"}]}]}}`.
    /// Missing values are null, never NaN; nothing depends on the thread count.
    public func json() -> String {
        func number(_ x: Double?) -> JSONOutput { x.map { $0.isFinite ? .number($0) : .null } ?? .null }
        let heldValues: [JSONOutput] = zip(inputs, held).map { input, values in
            .object([("input", .string(input)), ("low", number(values?.low)), ("high", number(values?.high))])
        }
        let metricValues: [(String, JSONOutput)] = metrics.map { metric in
            (metric.metric.name, .array(metric.years.map { year in
                var fields: [(String, JSONOutput)] = [("year", .integer(Int64(year.year))), ("mean", number(year.mean)),
                                                      ("variance", number(year.variance))]
                if let reason = year.reason { fields.append(("reason", .string(reason))) }
                fields.append(("inputs", .array(year.inputs.map { input in
                    .object([("input", .string(input.input)),
                             ("first", number(input.first)), ("firstLow", number(input.firstLow)), ("firstHigh", number(input.firstHigh)),
                             ("total", number(input.total)), ("totalLow", number(input.totalLow)), ("totalHigh", number(input.totalHigh)),
                             ("tornadoLow", number(input.tornadoLow)), ("tornadoHigh", number(input.tornadoHigh))])
                })))
                return .object(fields)
            }))
        }
        return JSONOutput.object([
            ("simfund", .string(simfundVersion)),
            ("scenario", .string(scenarioName)),
            ("seed", .unsigned(seed)),
            ("generator", .string(RandomStream.generatorName)),
            ("samples", .integer(Int64(samples))),
            ("bootstrap", .integer(Int64(bootstrap))),
            ("inputs", .array(inputs.map { .string($0) })),
            ("held", .array(heldValues)),
            ("metrics", .object(metricValues)),
        ]).render() + "\n"
    }

    /// sensitivity.csv: one row per metric, year and input (empty cells where
    /// the JSON has null).
    public func csv() -> String {
        func cell(_ x: Double?) -> String { x.map { $0.isFinite ? jsonNumber($0) : "" } ?? "" }
        var lines = ["metric,year,input,mean,variance,first,firstLow,firstHigh,total,totalLow,totalHigh,tornadoLow,tornadoHigh"]
        for metric in metrics {
            for year in metric.years {
                for input in year.inputs {
                    lines.append([metric.metric.name, String(year.year), csvField(input.input), cell(year.mean), cell(year.variance),
                                  cell(input.first), cell(input.firstLow), cell(input.firstHigh),
                                  cell(input.total), cell(input.totalLow), cell(input.totalHigh),
                                  cell(input.tornadoLow), cell(input.tornadoHigh)].joined(separator: ","))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The output files of `--out DIR` (besides manifest.json and scenario.json).
    public func outputFiles(excel: Bool) -> [(name: String, contents: String)] {
        [("sensitivity.json", json()), ("sensitivity.csv", excelCSV(csv(), excel))]
    }
}
