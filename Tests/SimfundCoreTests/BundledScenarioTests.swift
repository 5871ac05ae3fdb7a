import Foundation
import Testing
@testable import SimfundCore

/// Every file in Scenarios/ is a planner's starting point: it must load, run
/// with its own replicate count and give results that make sense, and it
/// must only point to documents inside the repository.
@Suite("Bundled scenarios")
struct BundledScenarioTests {
    static let names: [String] = {
        let directory = repositoryRoot.appendingPathComponent("Scenarios")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        // A calibrated scenario (`simfund calibrate`) draws from its posterior
        // block, which loads once the posterior-as-input feature is merged;
        // until then CalibrationTests checks its text.
        return files.filter { $0.hasSuffix(".json") && !$0.hasSuffix("-calibrated.json") }.sorted()
    }()

    @Test("Scenarios/ holds every place of the sources")
    func everyPlace() {
        for name in ["bijie", "chongqing", "inner-mongolia", "longyan", "nanping", "ningde", "pingtan", "yongning", "province-80"] {
            #expect(Self.names.contains("\(name).json"), "Scenarios/\(name).json is missing")
        }
    }

    @Test("Validates and runs with its default replicates; probabilities and coverage are shares", arguments: names)
    func runs(name: String) throws {
        let file = try bundledScenario(name)
        let base = file.base
        let output = try Runner.simulate(base, seed: base.seed ?? 1, replicates: base.replicates, threads: 2)
        let summary = RunSummary(output)
        #expect(summary.replicates == base.replicates)
        #expect(summary.years == base.calendarYears)
        for outcome in summary.targets {
            #expect((0...1).contains(outcome.probability.estimate), "\(name): target \(outcome.target.metric.name) \(outcome.target.year)")
            #expect(outcome.probability.low <= outcome.probability.estimate && outcome.probability.estimate <= outcome.probability.high)
        }
        for metric in [Metric.townshipCoverage, .communityCoverage, .subsidyPaidRatio] {
            for (y, statistics) in try #require(summary.metrics[metric]).enumerated() {
                #expect(statistics.min >= 0 && statistics.max <= 1, "\(name): \(metric.name) in \(base.startYear + y) outside [0, 1]")
                #expect(statistics.p5 <= statistics.p50 && statistics.p50 <= statistics.p95)
            }
        }
        for district in summary.districts {
            for statistics in district.townshipCoverage + district.communityCoverage {
                #expect(statistics.min >= 0 && statistics.max <= 1, "\(name): \(district.name) coverage outside [0, 1]")
            }
        }
        // Stations under contract never exceed the townships that can host them.
        let townships = Double(base.districts.reduce(0) { $0 + $1.townships })
        #expect(try #require(summary.metrics[.stations]).allSatisfy { $0.max <= townships })
        // Money and people are never negative.
        for metric in [Metric.certified, .talent, .spendTotal, .carry, .revenue] {
            #expect(try #require(summary.metrics[metric]).allSatisfy { $0.min >= 0 }, "\(name): \(metric.name) below 0")
        }
    }

    @Test("Descriptions and sources point inside the repository", arguments: names)
    func selfContained(name: String) throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/\(name)"), encoding: .utf8)
        for outside in ["MODEL.md", "FIGURES.md", "shared/"] {
            #expect(!text.contains(outside), "Scenarios/\(name) refers to \(outside), which is not in the repository")
        }
        let file = try bundledScenario(name)
        #expect(!(file.base.description ?? "").isEmpty, "Scenarios/\(name) has no description")
    }

    /// The history points of docs/figures.md that the new scenarios carry (the
    /// `history` field is still to come); Ningde's is checked by HistoryTests.
    @Test("Pingtan's and Yongning's history lies inside p5–p95")
    func historyInsideBand() throws {
        let points: [(file: String, metric: Metric, year: Int, value: Double)] = [
            ("pingtan.json", .certified, 2022, 214), ("pingtan.json", .stations, 2022, 8),
            ("yongning.json", .certified, 2023, 193), ("yongning.json", .stations, 2023, 7),
        ]
        for point in points {
            let base = try bundledScenario(point.file).base
            let summary = RunSummary(try Runner.simulate(base, seed: base.seed!, replicates: base.replicates, threads: 2))
            let band = try #require(summary.metrics[point.metric])[point.year - base.startYear]
            #expect(band.p5 <= point.value && point.value <= band.p95,
                    "\(point.file): \(point.metric.name) \(point.year) = \(point.value) outside [\(band.p5), \(band.p95)]")
        }
    }

    @Test("docs/figures.md lists every bundled scenario")
    func figuresListsScenarios() throws {
        let figures = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/figures.md"), encoding: .utf8)
        for name in Self.names {
            #expect(figures.contains("Scenarios/\(name)"), "docs/figures.md does not list Scenarios/\(name)")
        }
    }
}
