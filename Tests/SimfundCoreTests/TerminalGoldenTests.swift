import Foundation
import Testing
@testable import SimfundCore
import SimfundStochastics

/// Terminal tables at 80 and 120 columns, in English and Chinese, compared
/// with the files in Goldens/. The inputs are fixed numbers (not a
/// simulation), so the goldens change only when the layout or the wording
/// does. `SIMFUND_UPDATE_GOLDENS=1 swift test --filter TerminalGolden`
/// rewrites them; read the diff before committing it.
@Suite("Terminal goldens")
struct TerminalGoldenTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    func check(_ text: String, _ name: String) throws {
        // The GSL version is the machine's, not the layout's.
        let stable = text.replacingOccurrences(of: "GSL \(GSLRuntime.version)", with: "GSL x.y")
        let url = TerminalGoldenTests.goldens.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["SIMFUND_UPDATE_GOLDENS"] == "1" {
            try stable.write(to: url, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(stable == golden, "\(name) differs from its golden:\n\(stable)")
        let width = name.contains("80") ? 80 : 120
        for line in stable.split(separator: "\n") {
            #expect(displayWidth(String(line)) <= width, "\(name): a line wider than \(width): \(line)")
        }
    }

    @Test(arguments: [Language.en, .zh], [80, 120])
    func run(language: Language, width: Int) throws {
        let summary = try Synthetic.base()
        try check(TerminalReport.render(summary, threads: 2, language: language, width: width), "run-\(language.rawValue)-\(width).txt")
    }

    @Test(arguments: [Language.en, .zh], [80, 120])
    func compare(language: Language, width: Int) throws {
        let report = try Synthetic.comparison()
        try check(report.terminalTable(title: "Synthetic 2023-2025", language: language, width: width), "compare-\(language.rawValue)-\(width).txt")
    }

    @Test(arguments: [Language.en, .zh])
    func sweep(language: Language) throws {
        let (report, values) = try Synthetic.sweep()
        try check(report.terminalTable(title: "Synthetic 2023-2025: sweep of budget.reliefShare", sweptPaths: ["budget.reliefShare"],
                                       sweptValues: values, language: language, width: 80),
                  "sweep-\(language.rawValue)-80.txt")
    }

    @Test("A sweep point equal to the base is listed once, in the base's place")
    func sweepPointEqualToTheBase() throws {
        let base = try scenario(tinyScenarioJSON())
        let other = try scenario(setting(tinyScenarioJSON(), "budget.reliefShare", 0.2))
        let report = try Comparer.compare(base: base, alternatives: [("budget.reliefShare=0.1", base), ("budget.reliefShare=0.2", other)],
                                          seed: 3, replicates: 20, threads: 1, rankKey: RankKey.defaultKey(for: base))
        #expect(report.baseTwin == 0)
        #expect(report.alternatives[1].isIdenticalToBase == false)
        let table = report.terminalTable(title: "tiny", sweptPaths: ["budget.reliefShare"], sweptValues: [[0.1], [0.2]], width: 200)
        let rows = table.split(separator: "\n").filter { $0.first?.isNumber == true && !$0.contains("replicates") }
        #expect(rows.count == 2, "\(table)")
        #expect(rows.contains { $0.contains("0.1 (base)") })
        #expect(!table.contains("\nbudget.reliefShare = 0.1\n"), "no cost-effectiveness line for the base itself")
        // A comparison (not a sweep) keeps the base's own row.
        let compared = report.terminalTable(title: "tiny", width: 200)
        #expect(compared.split(separator: "\n").filter { $0.first?.isNumber == true && !$0.contains("replicates") }.count == 3)
    }

    @Test("Real runs of the bundled scenarios fit 80 columns in both languages")
    func realRunsFit() throws {
        for name in ["ningde.json", "longyan.json"] {
            let file = try bundledScenario(name)
            let base = try Runner.simulate(file.base, seed: 5, replicates: 60, threads: 2, mode: .exact)
            let alternatives = try file.alternatives.map { alternative in
                AlternativeComparison(name: alternative.name,
                                      alternative: try Runner.simulate(alternative.scenario, seed: 5, replicates: 60, threads: 2,
                                                                       targets: file.base.targets, mode: .exact),
                                      base: base)
            }
            let key = RankKey.defaultKey(for: file.base)
            let summaries = [RunSummary(base)] + alternatives.map(\.summary)
            let ranked = zip(["base"] + alternatives.map(\.name), summaries).map { name, summary in
                (name: name, value: ComparisonReport.rankValue(key, summary: summary, targets: summary.targets))
            }
            let report = ComparisonReport(baseName: "base", base: summaries[0], alternatives: alternatives, rankKey: key,
                                          ranking: Ranking.order(ranked, summaries: summaries, key: key))
            for language in Language.allCases {
                let texts = [TerminalReport.render(summaries[0], threads: 2, language: language, width: 80),
                             report.terminalTable(title: file.base.name, language: language, width: 80)]
                for line in texts.joined().split(separator: "\n") {
                    #expect(displayWidth(String(line)) <= 80, "\(name) \(language): \(line)")
                }
            }
        }
    }
}

/// Fixed results shaped like a small province's: two districts (one with a
/// Chinese name), three years, three targets, four alternatives, one per
/// cost-effectiveness case, and two ties on the ranked probability.
enum Synthetic {
    static let years = [2023, 2024, 2025]
    static let targets = [
        Target(metric: .townshipCoverage, year: 2024, bound: .atLeast(0.9), district: nil),
        Target(metric: .certified, year: 2025, bound: .atLeast(2610), district: nil),
        Target(metric: .townshipCoverage, year: 2025, bound: .atLeast(1), district: 0),
    ]

    /// `median [p5, p95]` with the mean at `mean` (the median when nil).
    static func statistics(_ p50: Double, _ p5: Double, _ p95: Double, mean: Double? = nil) -> SummaryStatistics {
        var s = SummaryStatistics(values: [p5, p50, p95])
        (s.p5, s.p25, s.p50, s.p75, s.p95, s.min, s.max) = (p5, (p5 + p50) / 2, p50, (p50 + p95) / 2, p95, p5, p95)
        s.mean = mean ?? p50
        return s
    }

    /// A paired difference with `mean` and 95% half-width `halfWidth`.
    static func difference(_ mean: Double, _ halfWidth: Double) -> PairedDifference {
        var d = PairedDifference([0.0, 0.0])
        d.mean = mean
        d.stderr = halfWidth / Proportion.z95
        return d
    }

    /// A summary with the structure of a real one, its numbers replaced.
    static func summary(coverageShift: Double = 0, certifiedShift: Double = 0, spendingShift: Double = 0,
                        probabilities: [Int] = [805, 490, 155]) throws -> RunSummary {
        let output = try Runner.simulate(scenario(tinyScenarioJSON()), seed: 1, replicates: 3, threads: 1)
        var summary = RunSummary(output)
        summary.scenarioName = "Synthetic 2023-2025"
        summary.seed = 20_231_201
        summary.replicates = 1000
        summary.years = years
        let zero = statistics(0, 0, 0)
        var metrics: [Metric: [SummaryStatistics]] = [:]
        for metric in Metric.allCases { metrics[metric] = years.map { _ in zero } }
        let c = coverageShift, w = certifiedShift, m = spendingShift
        metrics[.townshipCoverage] = [statistics(0.778 + c, 0.73 + c, 0.81 + c), statistics(0.921 + c, 0.865 + c, 0.96 + c, mean: 0.915 + c),
                                      statistics(0.937 + c, 0.873 + c, 0.984 + c)]
        metrics[.communityCoverage] = [statistics(0.0012, 0, 0.003), statistics(0.016, 0.013, 0.02), statistics(0.034, 0.023, 0.047)]
        metrics[.certified] = [statistics(1322 + w, 951 + w, 1864 + w), statistics(1878.6 + w, 1261 + w, 2679 + w),
                               statistics(2602 + w, 1702.5 + w, 3540 + w)]
        metrics[.certifiedPer10k] = [statistics(4.23, 3.04, 5.97), statistics(6.01, 4.03, 8.57), statistics(8.32, 5.45, 11.33)]
        metrics[.subsidyPaidRatio] = years.map { _ in statistics(1, 1, 1) }
        metrics[.spendTotal] = [statistics(23_104_000 + m, 21_557_000 + m, 24_247_000 + m), statistics(24_790_000 + m, 22_946_000 + m, 27_148_000 + m),
                                statistics(27_865_000 + m, 25_034_000 + m, 30_407_000 + m)]
        summary.metrics = metrics
        summary.targets = zip(targets, probabilities).map { TargetOutcome(target: $0, probability: Proportion(successes: $1, trials: 1000)) }
        let district = summary.districts[0]
        summary.districts = ["蕉城区", "Shouning"].map { name in
            var d = district
            d.name = name
            d.townshipCoverage = metrics[.townshipCoverage]!
            d.communityCoverage = metrics[.communityCoverage]!
            d.fullTownshipCoverage = years.map { _ in Proportion(successes: 155, trials: 1000) }
            return d
        }
        return summary
    }

    static func base() throws -> RunSummary { try summary() }

    struct Alternative {
        var name: String
        var coverage: (Double, Double), certified: (Double, Double), spending: (Double, Double)
        var stations: (Double, Double)
        var ratio: CostEffectiveness.Ratio?
        var probabilities: [Int]
    }

    static func alternative(_ spec: Alternative, base: RunSummary, template: AlternativeComparison) throws -> AlternativeComparison {
        var comparison = template
        comparison.name = spec.name
        comparison.summary = try summary(coverageShift: spec.coverage.0, certifiedShift: spec.certified.0, spendingShift: spec.spending.0,
                                         probabilities: spec.probabilities)
        var differences: [Metric: [MetricDifference]] = [:]
        for metric in Metric.allCases {
            let (mean, halfWidth): (Double, Double) = switch metric {
            case .townshipCoverage: spec.coverage
            case .certified: spec.certified
            case .spendTotal: spec.spending
            default: (0, 0)
            }
            differences[metric] = years.map { MetricDifference(year: $0, difference: difference(mean, halfWidth), probabilityBetter: 0.5) }
        }
        comparison.differences = differences
        comparison.targets = zip(targets, zip(spec.probabilities, base.targets)).map { target, pair in
            TargetDifference(target: target, probability: Proportion(successes: pair.0, trials: 1000), baseProbability: pair.1.probability,
                             difference: difference(Double(pair.0) / 1000 - pair.1.probability.estimate,
                                                    pair.0 == pair.1.probability.successes ? 0 : 0.02))
        }
        comparison.costEffectiveness = CostEffectiveness(perStaffedStation: spec.ratio, perCertifiedWorker: nil,
                                                         spending: difference(spec.spending.0, spec.spending.1),
                                                         staffedStations: difference(spec.stations.0, spec.stations.1),
                                                         certifiedWorkers: difference(spec.certified.0, spec.certified.1))
        return comparison
    }

    static func template() throws -> AlternativeComparison {
        let tiny = try scenario(tinyScenarioJSON())
        let output = try Runner.simulate(tiny, seed: 1, replicates: 3, threads: 1, mode: .exact)
        return AlternativeComparison(name: "template", alternative: output, base: output)
    }

    static func report(_ specs: [Alternative]) throws -> ComparisonReport {
        let base = try base()
        let template = try template()
        let alternatives = try specs.map { try alternative($0, base: base, template: template) }
        let key = RankKey(metric: .townshipCoverage, year: 2024, target: targets[0])
        let summaries = [base] + alternatives.map(\.summary)
        let ranked = zip(["base"] + alternatives.map(\.name), summaries).map { name, summary in
            (name: name, value: ComparisonReport.rankValue(key, summary: summary, targets: summary.targets))
        }
        return ComparisonReport(baseName: "base", base: base, alternatives: alternatives, rankKey: key,
                                ranking: Ranking.order(ranked, summaries: summaries, key: key))
    }

    static func comparison() throws -> ComparisonReport {
        try report([
            // The interval `104.2万 [999002, 108.4万]`, now in one scale.
            Alternative(name: "2% of relief funds", coverage: (0.009, 0.0015), certified: (177, 6), spending: (1_041_501, 42_499),
                        stations: (0.54, 0.14), ratio: .init(estimate: 1_930_000, low: 1_640_000, high: 2_230_000), probabilities: [885, 620, 310]),
            // Ties with the base on P(target 1); more coverage, so ranked above it.
            Alternative(name: "取消等级补贴", coverage: (0.002, 0.001), certified: (44, 4), spending: (-1_400_000, 95_000),
                        stations: (0.3, 0.2), ratio: .init(estimate: -4_670_000, low: -8_000_000, high: -1_340_000), probabilities: [805, 510, 200]),
            Alternative(name: "cut budget", coverage: (-0.012, 0.0025), certified: (-81, 6), spending: (-2_890_000, 195_000),
                        stations: (-1.5, 0.3), ratio: .init(estimate: 1_950_000, low: 1_580_000, high: 2_330_000), probabilities: [760, 460, 80]),
            // Ties with the base too, with less coverage: ranked below it.
            Alternative(name: "no exam training", coverage: (-0.004, 0.001), certified: (-225, 8), spending: (343_377, 66_000),
                        stations: (-0.5, 0.2), ratio: .init(estimate: -690_000, low: -1_100_000, high: -280_000), probabilities: [805, 315, 180]),
        ])
    }

    /// A sweep whose second point is the base itself (all differences exactly 0).
    static func sweep() throws -> (ComparisonReport, [[Double]]) {
        let report = try report([
            Alternative(name: "budget.reliefShare=0.005", coverage: (-0.012, 0.0025), certified: (-81, 6), spending: (-2_890_000, 195_000),
                        stations: (-1.5, 0.3), ratio: .init(estimate: 1_950_000, low: -200_000, high: 4_100_000), probabilities: [760, 460, 80]),
            Alternative(name: "budget.reliefShare=0.01", coverage: (0, 0), certified: (0, 0), spending: (0, 0),
                        stations: (0, 0), ratio: nil, probabilities: [805, 490, 155]),
            Alternative(name: "budget.reliefShare=0.015", coverage: (0.005, 0.0015), certified: (90, 6), spending: (520_000, 40_000),
                        stations: (0.3, 0.14), ratio: .init(estimate: 1_730_000, low: 800_000, high: 2_660_000), probabilities: [850, 560, 230]),
            Alternative(name: "budget.reliefShare=0.02", coverage: (0.009, 0.0015), certified: (177, 6), spending: (1_041_501, 42_499),
                        stations: (0.54, 0.14), ratio: .init(estimate: 1_930_000, low: 1_640_000, high: 2_230_000), probabilities: [885, 620, 310]),
        ])
        return (report, [[0.005], [0.01], [0.015], [0.02]])
    }
}
