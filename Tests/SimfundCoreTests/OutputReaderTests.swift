import Foundation
import Testing
@testable import SimfundCore

/// The readers of summary.json, compare.json, sweep.json and manifest.json:
/// round trips, and outputs read as untrusted input (edited, truncated, inconsistent).
@Suite("Output readers")
struct OutputReaderTests {
    /// Ningde with its three alternatives, 60 replicates (the values only need to be real).
    static let comparison: ComparisonReport = {
        let file = try! bundledScenario("ningde.json")
        return try! Comparer.compare(base: file.base, alternatives: file.alternatives.map { ($0.name, $0.scenario) }, seed: 7, replicates: 60,
                                     threads: 2, rankKey: RankKey.defaultKey(for: file.base))
    }()

    static let manifest: RunManifest = {
        let file = try! bundledScenario("ningde.json")
        return RunManifest(command: "simfund compare Scenarios/ningde.json", scenarioName: file.base.name, scenarioFile: "Scenarios/ningde.json",
                           scenarioBytes: file.source, seed: 7, replicates: 60, threads: 2, date: Date(timeIntervalSince1970: 1_700_000_000))
    }()

    static let sweep = SweepResult(comparison: comparison, paths: ["budget.reliefShare", "subsidies.junior"],
                                   values: [[0.01, 80], [0.02, 80], [0.01, 160]])

    @Test("summary.json: write → read gives the same summary, and writing it again the same bytes")
    func summaryRoundTrip() throws {
        var original = OutputReaderTests.comparison.base
        let text = original.summaryJSON()
        let read = try RunSummary(summaryJSON: text)
        // summary.json does not carry the description (scenario.json does).
        #expect(original.description != nil)
        original.description = nil
        #expect(read == original)
        #expect(read.summaryJSON() == text)
    }

    @Test("compare.json: write → read → equal, and byte-identical when written again")
    func compareRoundTrip() throws {
        let original = OutputReaderTests.comparison
        let text = original.compareJSON()
        let read = try ComparisonReport(compareJSON: text)
        #expect(read.alternatives.count == 3)
        #expect(read.base.targets == original.base.targets)
        #expect(read.alternatives.map(\.differences) == original.alternatives.map(\.differences))
        #expect(read.alternatives.map(\.targets) == original.alternatives.map(\.targets))
        #expect(read.alternatives.map(\.costEffectiveness) == original.alternatives.map(\.costEffectiveness))
        #expect(read.ranking.map(\.name) == original.ranking.map(\.name) && read.rankKey == original.rankKey)
        #expect(read.compareJSON() == text)
    }

    @Test("sweep.json: the swept values and points read back, byte-identical when written again")
    func sweepRoundTrip() throws {
        let text = OutputReaderTests.sweep.json()
        let read = try SweepResult(sweepJSON: text)
        #expect(read.paths == ["budget.reliefShare", "subsidies.junior"])
        #expect(read.values == [[0.01, 80], [0.02, 80], [0.01, 160]])
        #expect(read.comparison.alternatives.map(\.targets) == OutputReaderTests.comparison.alternatives.map(\.targets))
        #expect(read.json() == text)
        #expect(OutputReaderTests.comparison.sweepJSON(paths: read.paths, values: read.values) == text)
    }

    @Test("manifest.json: write → read → equal, and byte-identical")
    func manifestRoundTrip() throws {
        let text = OutputReaderTests.manifest.json()
        let read = try RunManifest(manifestJSON: text)
        #expect(read == OutputReaderTests.manifest)
        #expect(read.json() == text)
    }

    // MARK: - Untrusted input

    /// Applies `edit` to the parsed JSON and returns it as text, keys sorted
    /// (so the base's and the alternatives' districts stay in one order).
    func edited(_ text: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
        var json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        edit(&json)
        return String(decoding: try JSONSerialization.data(withJSONObject: json, options: .sortedKeys), as: UTF8.self)
    }

    func readError(_ read: () throws(OutputReadError) -> Void) -> OutputReadError? {
        do { try read() } catch { return error }
        Issue.record("expected an OutputReadError")
        return nil
    }

    @Test("A truncated file names the file and the place where it ends")
    func truncated() throws {
        let text = OutputReaderTests.comparison.base.summaryJSON()
        let cut = String(text.prefix(text.count / 2))
        let error = try #require(readError { () throws(OutputReadError) in _ = try RunSummary(summaryJSON: cut) })
        #expect(error.file == "summary.json")
        #expect(error.description.hasPrefix("summary.json: the document (line "))
        #expect(error.problem.contains("not valid JSON"))
    }

    @Test("An array shorter than the horizon names the array and the years it needs")
    func shortArray() throws {
        let text = try edited(OutputReaderTests.comparison.compareJSON()) { json in
            var base = json["base"] as! [String: Any], metrics = base["metrics"] as! [String: Any]
            metrics["certified"] = (metrics["certified"] as! [Any]).dropLast() as [Any]
            base["metrics"] = metrics
            json["base"] = base
        }
        let error = try #require(readError { () throws(OutputReadError) in _ = try ComparisonReport(compareJSON: text) })
        #expect(error.path == "base.metrics.certified")
        #expect(error.problem == "expected 4 entries (one per year 2020–2023), found 3")
    }

    @Test("A district series shorter than the horizon is refused (the old reader indexed past its end)")
    func shortDistrictSeries() throws {
        let text = try edited(OutputReaderTests.comparison.base.summaryJSON()) { json in
            var districts = json["districts"] as! [String: Any], jiaocheng = districts["Jiaocheng"] as! [String: Any]
            jiaocheng["fullTownshipCoverage"] = Array((jiaocheng["fullTownshipCoverage"] as! [Any]).prefix(1))
            districts["Jiaocheng"] = jiaocheng
            json["districts"] = districts
        }
        let error = try #require(readError { () throws(OutputReadError) in _ = try RunSummary(summaryJSON: text) })
        #expect(error.path == "districts.Jiaocheng.fullTownshipCoverage")
        #expect(error.problem.hasPrefix("expected 4 entries"))
    }

    @Test("A huge number where a count belongs is refused, not converted")
    func hugeNumber() throws {
        let text = OutputReaderTests.comparison.base.summaryJSON().replacingOccurrences(of: "\"replicates\": 60", with: "\"replicates\": 1e300")
        let error = try #require(readError { () throws(OutputReadError) in _ = try RunSummary(summaryJSON: text) })
        #expect(error.path == "replicates")
        #expect(error.problem == "expected a whole number from 1 to \(1 << 53), found 1e300")
        let year = try edited(OutputReaderTests.comparison.base.summaryJSON()) { json in json["years"] = [2020, 1e19, 2022, 2023] }
        let yearError = try #require(readError { () throws(OutputReadError) in _ = try RunSummary(summaryJSON: year) })
        #expect(yearError.path == "years[1]")
        let share = OutputReaderTests.manifest.json().replacingOccurrences(of: "\"threads\": 2", with: "\"threads\": 99999999999999999999")
        #expect(readError { () throws(OutputReadError) in _ = try RunManifest(manifestJSON: share) }?.path == "threads")
    }

    @Test("A missing field names the object that lacks it")
    func missingField() throws {
        let text = try edited(OutputReaderTests.comparison.compareJSON()) { json in
            var alternatives = json["alternatives"] as! [[String: Any]]
            var differences = alternatives[1]["differences"] as! [String: Any]
            var series = differences["spendTotal"] as! [[String: Any]]
            series[2]["stderr"] = nil
            series[2]["mean"] = nil
            differences["spendTotal"] = series
            alternatives[1]["differences"] = differences
            json["alternatives"] = alternatives
        }
        let error = try #require(readError { () throws(OutputReadError) in _ = try ComparisonReport(compareJSON: text) })
        #expect(error.path == "alternatives[1].differences.spendTotal[2]")
        #expect(error.problem == "expected a field \"mean\", found none")
    }

    @Test("A value of the wrong type says what was expected")
    func wrongType() throws {
        let text = OutputReaderTests.manifest.json().replacingOccurrences(of: "\"seed\": 7", with: "\"seed\": \"seven\"")
        let error = try #require(readError { () throws(OutputReadError) in _ = try RunManifest(manifestJSON: text) })
        #expect(error.description == "manifest.json: seed (line 8): expected a whole number from 0 to 2^64−1, found \"seven\"")
        let negative = OutputReaderTests.manifest.json().replacingOccurrences(of: "\"seed\": 7", with: "\"seed\": -7")
        #expect(readError { () throws(OutputReadError) in _ = try RunManifest(manifestJSON: negative) }?.path == "seed")
    }

    @Test("Values that contradict each other are refused")
    func inconsistent() throws {
        let summary = OutputReaderTests.comparison.base.summaryJSON()
        // A probability that is not a whole number of the 60 replicates.
        let probability = try edited(summary) { json in
            var targets = json["targets"] as! [[String: Any]]
            targets[0]["probability"] = 0.123
            json["targets"] = targets
        }
        let error = try #require(readError { () throws(OutputReadError) in _ = try RunSummary(summaryJSON: probability) })
        #expect(error.path == "targets[0].probability")
        // A quantile below the one before it.
        let quantiles = try edited(summary) { json in
            var metrics = json["metrics"] as! [String: Any], series = metrics["certified"] as! [[String: Any]]
            series[3]["p75"] = -1.0
            metrics["certified"] = series
            json["metrics"] = metrics
        }
        #expect(readError { () throws(OutputReadError) in _ = try RunSummary(summaryJSON: quantiles) }?.path == "metrics.certified[3].p75")
        // A coverage above 100%.
        let coverage = try edited(summary) { json in
            var metrics = json["metrics"] as! [String: Any], series = metrics["townshipCoverage"] as! [[String: Any]]
            series[0]["max"] = 3.0
            metrics["townshipCoverage"] = series
            json["metrics"] = metrics
        }
        #expect(readError { () throws(OutputReadError) in _ = try RunSummary(summaryJSON: coverage) }?.path == "metrics.townshipCoverage[0].max")
        // An interval edited away from mean ± 1.96·stderr.
        let interval = try edited(OutputReaderTests.comparison.compareJSON()) { json in
            var alternatives = json["alternatives"] as! [[String: Any]]
            var targets = alternatives[0]["targets"] as! [[String: Any]]
            targets[0]["low"] = -0.5
            alternatives[0]["targets"] = targets
            json["alternatives"] = alternatives
        }
        #expect(readError { () throws(OutputReadError) in _ = try ComparisonReport(compareJSON: interval) }?.path == "alternatives[0].targets[0].low")
        // A ranking that lists a name twice.
        let ranking = try edited(OutputReaderTests.comparison.compareJSON()) { json in
            var entries = json["ranking"] as! [[String: Any]]
            entries[1]["name"] = entries[0]["name"]
            json["ranking"] = entries
        }
        #expect(readError { () throws(OutputReadError) in _ = try ComparisonReport(compareJSON: ranking) }?.path == "ranking[1].name")
        // A sweep point whose values do not name the paths.
        let sweep = try edited(OutputReaderTests.sweep.json()) { json in
            var points = json["points"] as! [[String: Any]]
            points[2]["values"] = ["budget.reliefShare": 0.01]
            json["points"] = points
        }
        #expect(readError { () throws(OutputReadError) in _ = try SweepResult(sweepJSON: sweep) }?.path == "points[2].values")
    }

    @Test("A district target naming an unknown district is refused")
    func unknownDistrict() throws {
        let text = OutputReaderTests.comparison.base.summaryJSON().replacingOccurrences(of: "\"district\": \"Shouning\"", with: "\"district\": \"Atlantis\"")
        let error = try #require(readError { () throws(OutputReadError) in _ = try RunSummary(summaryJSON: text) })
        #expect(error.path == "targets[2].district")
    }

    @Test("A manifest from another run is refused")
    func mixedRuns() throws {
        let other = OutputReaderTests.manifest.json().replacingOccurrences(of: "\"seed\": 7", with: "\"seed\": 8")
        #expect {
            try HTMLReport.render(files: ["manifest.json": other, "compare.json": OutputReaderTests.comparison.compareJSON()])
        } throws: { error in
            (error as? ReportError)?.description == "manifest.json: seed: expected the seed of compare.json, 7, found 8 (the files come from different runs)"
        }
    }

    @Test("The report of an edited output directory is an error naming the file and field, not a crash")
    func reportOfEditedOutputs() throws {
        let text = try edited(OutputReaderTests.comparison.compareJSON()) { json in
            var base = json["base"] as! [String: Any]
            base["years"] = [2020, 2021]
            json["base"] = base
        }
        let files = ["manifest.json": OutputReaderTests.manifest.json(), "compare.json": text]
        #expect {
            try HTMLReport.render(files: files)
        } throws: { error in
            let description = (error as? ReportError)?.description ?? ""
            return description.hasPrefix("compare.json: base.metrics.agencies (line 1)") && description.hasSuffix("expected 2 entries (one per year 2020–2021), found 4")
        }
    }
}

/// Edited output files, many at random: the report is made or refused with a
/// ReportError, never a crash (a trap would end the test process).
@Suite("Reports of mutated outputs")
struct MutatedOutputTests {

    static let replacements = ["0", "-1", "1", "0.5", "2", "1e18", "-1e18", "1e300", "-1e300", "1e-300", "2019", "3000", "18446744073709551615",
                               "99999999999999999999", "\"x\"", "null", "[]", "{}", "true", "0.1234567"]

    /// `text` with `count` of its numbers replaced, or cut short, as `seed` says.
    static func mutate(_ text: String, seed: UInt64) -> String {
        var random = SplitMix64(state: seed)
        if random.below(8) == 0 { return String(text.prefix(random.below(text.count))) }
        let regex = try! NSRegularExpression(pattern: "-?[0-9][0-9.eE+-]*")
        let matches = regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
        var out = text
        // Replace from the end so earlier ranges stay valid.
        let chosen = Set((0..<(1 + random.below(3))).map { _ in random.below(matches.count) }).sorted(by: >)
        for i in chosen {
            let range = Range(matches[i].range, in: out)!
            out.replaceSubrange(range, with: replacements[random.below(replacements.count)])
        }
        return out
    }

    @Test("Random edits of compare.json, sweep.json and manifest.json never crash the report", arguments: 0..<3)
    func mutated(batch: Int) throws {
        let comparison = OutputReaderTests.comparison
        let files = ["manifest.json": OutputReaderTests.manifest.json(), "compare.json": comparison.compareJSON()]
        let sweep = OutputReaderTests.sweep.json()
        var rendered = 0, refused = 0
        for trial in 0..<50 {
            let seed = UInt64(batch * 1000 + trial)
            var edited = files
            switch trial % 3 {
            case 0: edited["compare.json"] = MutatedOutputTests.mutate(files["compare.json"]!, seed: seed)
            case 1: edited["sweep.json"] = MutatedOutputTests.mutate(sweep, seed: seed)
            default: edited["manifest.json"] = MutatedOutputTests.mutate(files["manifest.json"]!, seed: seed)
            }
            do {
                let html = try HTMLReport.render(files: edited)
                #expect(html.hasSuffix("</html>\n"), "seed \(seed)")
                rendered += 1
            } catch {
                #expect(!error.description.isEmpty, "seed \(seed)")
                refused += 1
            }
        }
        // Both outcomes occur: edits within range are reported, others refused.
        #expect(rendered > 0 && refused > 0)
    }
}

extension SplitMix64 {
    /// Uniform in 0..<n (a failing seed can be replayed).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
