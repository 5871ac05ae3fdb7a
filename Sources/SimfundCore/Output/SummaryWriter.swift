import Foundation

extension SummaryStatistics {
    static let fieldNames = ["mean", "stderr", "sd", "p5", "p25", "p50", "p75", "p95", "min", "max"]
    var fieldValues: [Double] { [mean, stderr, sd, p5, p25, p50, p75, p95, min, max] }

    func json(year: Int) -> JSONOutput {
        .object([("year", .integer(Int64(year)))] + zip(SummaryStatistics.fieldNames, fieldValues).map { ($0, .number($1)) })
    }
}

extension RunSummary {
    /// summary.json: `{"simfund", "scenario", "seed", "generator", "replicates",
    /// "years", "metrics", "targets", "districts"}`. Contains nothing that
    /// depends on the machine, the thread count or the clock.
    func jsonValue() -> JSONOutput {
        func perYear(_ stats: [SummaryStatistics]) -> JSONOutput {
            .array(zip(years, stats).map { $1.json(year: $0) })
        }
        let names = districts.map(\.name)
        return .object([
            ("simfund", .string(simfundVersion)),
            ("scenario", .string(scenarioName)),
            ("seed", .unsigned(seed)),
            ("generator", .string(generator)),
            ("replicates", .integer(Int64(replicates))),
            ("years", .array(years.map { .integer(Int64($0)) })),
            ("metrics", .object(Metric.allCases.map { ($0.name, perYear(metrics[$0] ?? [])) })),
            ("targets", .array(targets.map { outcome in
                var fields: [(String, JSONOutput)] = [("metric", .string(outcome.target.metric.name)),
                                                      ("year", .integer(Int64(outcome.target.year)))]
                switch outcome.target.bound {
                case let .atLeast(x): fields.append(("atLeast", .number(x)))
                case let .atMost(x): fields.append(("atMost", .number(x)))
                }
                if let d = outcome.target.district { fields.append(("district", .string(names[d]))) }
                fields += [("probability", .number(outcome.probability.estimate)),
                           ("low", .number(outcome.probability.low)),
                           ("high", .number(outcome.probability.high))]
                return .object(fields)
            })),
            ("districts", .object(districts.map { district in
                (district.name, .object([("townshipCoverage", perYear(district.townshipCoverage)),
                                         ("communityCoverage", perYear(district.communityCoverage)),
                                         ("fullTownshipCoverage", .array(zip(years, district.fullTownshipCoverage).map { year, p in
                                             .object([("year", .integer(Int64(year))), ("probability", .number(p.estimate)),
                                                      ("low", .number(p.low)), ("high", .number(p.high))])
                                         }))]))
            })),
        ])
    }

    public func summaryJSON() -> String { jsonValue().render() + "\n" }

    /// years.csv: one row per metric and year.
    public func yearsCSV() -> String {
        var lines = [(["metric", "year"] + SummaryStatistics.fieldNames).joined(separator: ",")]
        for metric in Metric.allCases {
            for (year, stats) in zip(years, metrics[metric] ?? []) {
                lines.append(([metric.name, String(year)] + stats.fieldValues.map(jsonNumber)).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// districts.csv: one row per district, coverage metric and year.
    public func districtsCSV() -> String {
        var lines = [(["district", "metric", "year"] + SummaryStatistics.fieldNames).joined(separator: ",")]
        for district in districts {
            for (metric, series) in [("townshipCoverage", district.townshipCoverage), ("communityCoverage", district.communityCoverage)] {
                for (year, stats) in zip(years, series) {
                    lines.append(([csvField(district.name), metric, String(year)] + stats.fieldValues.map(jsonNumber)).joined(separator: ","))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// targets.csv: one row per target.
    public func targetsCSV() -> String {
        let names = districts.map(\.name)
        var lines = ["metric,year,bound,threshold,district,probability,low,high"]
        for outcome in targets {
            let (bound, threshold): (String, Double)
            switch outcome.target.bound {
            case let .atLeast(x): (bound, threshold) = ("atLeast", x)
            case let .atMost(x): (bound, threshold) = ("atMost", x)
            }
            lines.append([outcome.target.metric.name, String(outcome.target.year), bound, jsonNumber(threshold),
                          csvField(outcome.target.district.map { names[$0] } ?? ""),
                          jsonNumber(outcome.probability.estimate), jsonNumber(outcome.probability.low),
                          jsonNumber(outcome.probability.high)].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The files `simfund run --out DIR` writes, by name.
    /// - Parameter excel: start each CSV file with a UTF-8 byte-order mark (see ``excelCSV(_:)``).
    public func outputFiles(excel: Bool = false) -> [(name: String, contents: String)] {
        [("summary.json", summaryJSON()), ("years.csv", excelCSV(yearsCSV(), excel)), ("districts.csv", excelCSV(districtsCSV(), excel)),
         ("targets.csv", excelCSV(targetsCSV(), excel))]
    }
}

/// Why output could not be written.
public struct OutputError: Error, CustomStringConvertible {
    public var description: String
}

/// Writes a set of files so that none is ever seen half-written: each goes
/// to a temporary file in the same directory, then all are renamed into place.
public enum AtomicWriter {
    /// Writes one file atomically (its directory is created if needed).
    public static func write(_ contents: String, toFile path: String) throws(OutputError) {
        let url = URL(fileURLWithPath: path)
        try write([(url.lastPathComponent, contents)], to: url.deletingLastPathComponent().path)
    }

    public static func write(_ files: [(name: String, contents: String)], to directory: String) throws(OutputError) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw OutputError(description: "cannot create output directory \(directory): \(error.localizedDescription)")
        }
        var temporaries: [(temporary: String, final: String)] = []
        defer { for (temporary, _) in temporaries { try? manager.removeItem(atPath: temporary) } }
        for file in files {
            let final = (directory as NSString).appendingPathComponent(file.name)
            let temporary = (directory as NSString).appendingPathComponent(".\(file.name).\(ProcessInfo.processInfo.processIdentifier).tmp")
            guard manager.createFile(atPath: temporary, contents: Data(file.contents.utf8)) else {
                throw OutputError(description: "cannot write \(final)")
            }
            temporaries.append((temporary, final))
        }
        for (temporary, final) in temporaries {
            if rename(temporary, final) != 0 {
                throw OutputError(description: "cannot move \(temporary) to \(final): \(String(cString: strerror(errno)))")
            }
        }
        temporaries.removeAll()
    }
}
