import Foundation
import Testing
@testable import SimfundCore
import SimfundStochastics

/// `simfund sensitivity` on cases whose answer is known (docs/model.md, "Sensitivity analysis").
@Suite("Sensitivity analysis")
struct SensitivityTests {
    /// The tiny scenario with no process noise left: every rate 0 or 1, so
    /// every binomial and multinomial draw is certain.
    func noiselessTiny() -> [String: Any] {
        setting(tinyScenarioJSON(), "workforce.passRate.junior", 1)
    }

    func uniform(_ low: Double, _ high: Double) -> [String: Any] { ["dist": "uniform", "min": low, "max": high] }

    func year(_ result: SensitivityResult, _ metric: Metric, _ yearIndex: Int) -> YearSensitivity {
        result.metrics.first { $0.metric == metric }!.years[yearIndex]
    }

    func input(_ year: YearSensitivity, _ name: String) -> InputSensitivity {
        year.inputs.first { $0.input == name }!
    }

    /// |estimate − expected| within 4 standard errors, the standard error read off the bootstrap interval.
    func expectNear(_ estimate: Double?, low: Double?, high: Double?, _ expected: Double, _ what: String) {
        guard let estimate, let low, let high else {
            Issue.record("\(what): no estimate")
            return
        }
        let standardError = Swift.max((high - low) / (2 * 1.96), 1e-3)
        #expect(abs(estimate - expected) <= 4 * standardError, "\(what): \(estimate) [\(low), \(high)], expected \(expected)")
        #expect(high - low < 0.2, "\(what): interval [\(low), \(high)] too wide to test anything")
    }

    @Test("one uncertain input and no process noise: first ≈ total ≈ 1 for it, 0 for chance")
    func singleInput() throws {
        let scenario = try scenario(setting(noiselessTiny(), "budget.lottery", uniform(0, 400_000)))
        let result = try Sensitivity.analyse(scenario, samples: 2000, metrics: [.revenue], seed: 11, threads: 2)
        #expect(result.inputs == ["budget.lottery", "chance"])
        for y in 0..<2 {
            let year = year(result, .revenue, y)
            #expect(year.reason == nil)
            let lottery = input(year, "budget.lottery")
            expectNear(lottery.first, low: lottery.firstLow, high: lottery.firstHigh, 1, "first, year \(y)")
            expectNear(lottery.total, low: lottery.totalLow, high: lottery.totalHigh, 1, "total, year \(y)")
            // Swapping chance's streams changes nothing when every draw is certain: exactly 0.
            let chance = input(year, "chance")
            #expect(chance.first == 0 && chance.total == 0)
            #expect(chance.tornadoLow == nil && chance.tornadoHigh == nil)
        }
    }

    @Test("a posterior's rows are one input, swapped whole: two equally weighted fiscal-line rows 0 and 400,000 against uniform donations")
    func posteriorRowsAreOneInput() throws {
        let json = setting(noiselessTiny(), "budget.donations", uniform(0, 100_000))
        let path = try posteriorScenario(json, csv: "budget.fiscal.0.amount,weight\n0,1\n400000,1\n", parameters: ["budget.fiscal.0.amount"])
        let scenario = try ScenarioLoader.load(path: path).base
        let result = try Sensitivity.analyse(scenario, samples: 2000, metrics: [.revenue], seed: 5, threads: 2)
        #expect(result.inputs == ["budget.donations", "posterior", "chance"])
        // Var(rows) = 200,000², Var(donations) = 100,000²/12: shares 0.9796 and 0.0204.
        let rows = 200_000.0 * 200_000, donations = 100_000.0 * 100_000 / 12
        let year1 = year(result, .revenue, 0)
        let posterior = input(year1, "posterior")
        expectNear(posterior.first, low: posterior.firstLow, high: posterior.firstHigh, rows / (rows + donations), "posterior first")
        expectNear(posterior.total, low: posterior.totalLow, high: posterior.totalHigh, rows / (rows + donations), "posterior total")
        #expect(posterior.tornadoLow == nil)
        let other = input(year1, "budget.donations")
        expectNear(other.total, low: other.totalLow, high: other.totalHigh, donations / (rows + donations), "donations total")
    }

    @Test("two independent inputs acting additively get their variance shares; an input the metric ignores gets 0")
    func additiveInputs() throws {
        // Year 1 revenue = relief·share + fiscal + lottery + donations: Var = a²/12 + b²/12.
        var json = setting(noiselessTiny(), "budget.lottery", uniform(0, 300_000))
        json = setting(json, "budget.donations", uniform(0, 100_000))
        // Attrition is drawn, and brings chance back, but year 1's revenue depends on neither.
        json = setting(json, "workforce.attrition.intermediate", uniform(0, 0.3))
        let scenario = try scenario(json)
        let result = try Sensitivity.analyse(scenario, samples: 4000, metrics: [.revenue, .intermediate], seed: 5, threads: 2)
        let year1 = year(result, .revenue, 0)
        let lotteryShare = 9.0 / 10, donationShare = 1.0 / 10
        let lottery = input(year1, "budget.lottery"), donations = input(year1, "budget.donations")
        expectNear(lottery.first, low: lottery.firstLow, high: lottery.firstHigh, lotteryShare, "lottery first")
        expectNear(lottery.total, low: lottery.totalLow, high: lottery.totalHigh, lotteryShare, "lottery total")
        expectNear(donations.first, low: donations.firstLow, high: donations.firstHigh, donationShare, "donations first")
        expectNear(donations.total, low: donations.totalLow, high: donations.totalHigh, donationShare, "donations total")
        // The analytic variance: (300,000² + 100,000²) / 12, within 4 standard errors
        // (the variance of a sample variance of a sum of uniforms is below 2σ⁴/(2N − 1) · 1.5).
        let variance = (300_000.0 * 300_000 + 100_000.0 * 100_000) / 12
        #expect(abs(year1.variance - variance) <= 4 * variance * (3.0 / Double(2 * 4000 - 1)).squareRoot())
        for ignored in ["workforce.attrition.intermediate", "chance"] {
            let indices = input(year1, ignored)
            #expect(indices.first == 0 && indices.total == 0, "\(ignored)")
        }
        // Tornado on common random numbers: only the held input moves, so the
        // two means differ by exactly its p90 − p10 (0.8 of its range).
        #expect(abs(lottery.tornadoHigh! - lottery.tornadoLow! - 240_000) < 1e-6)
        #expect(abs(donations.tornadoHigh! - donations.tornadoLow! - 80_000) < 1e-6)
        #expect(result.held[result.inputs.firstIndex(of: "budget.lottery")!] == HeldValues(low: 30_000, high: 270_000))
        // Intermediate workers in year 2 leave by attrition (and by chance), not by the budget's money.
        let junior = input(year(result, .intermediate, 1), "workforce.attrition.intermediate")
        #expect((junior.total ?? 0) > 0.3)
    }

    @Test("a per-year input is held at its percentile in every year; a scheduled input at the percentile of the entry in force")
    func heldInputs() throws {
        // The lottery is a per-year shock: held at p10 (30,000) and p90 (270,000) in both years.
        var json = setting(noiselessTiny(), "budget.lottery", uniform(0, 300_000))
        json = setting(json, "budget.donations", ["schedule": ["2020": uniform(0, 100_000), "2021": 50_000]])
        let scenario = try scenario(json)
        #expect(scenario.uncertainInputs.first { $0.path == "budget.lottery" }?.per == .year)
        let result = try Sensitivity.analyse(scenario, samples: 200, metrics: [.revenue], seed: 8, threads: 2)
        #expect(result.inputs == ["budget.lottery", "budget.donations", "chance"])
        #expect(result.held == [HeldValues(low: 30_000, high: 270_000), nil, nil])
        for y in 0..<2 {
            let year = year(result, .revenue, y)
            let lottery = input(year, "budget.lottery"), donations = input(year, "budget.donations")
            #expect(abs(lottery.tornadoHigh! - lottery.tornadoLow! - 240_000) < 1e-6, "year \(y)")
            // 2020: p10 and p90 of uniform(0, 100,000), 10,000 and 90,000; 2021: the fixed 50,000 both times.
            #expect(abs(donations.tornadoHigh! - donations.tornadoLow! - (y == 0 ? 80_000 : 0)) < 1e-6, "year \(y)")
            #expect(donations.total != nil)
        }
        // In 2021 the schedule's fixed entry holds: the donations explain nothing then.
        #expect(input(year(result, .revenue, 1), "budget.donations").total == 0)
    }

    @Test("a metric without variance has null indices with a reason, never NaN")
    func constantMetric() throws {
        let scenario = try scenario(noiselessTiny())
        let result = try Sensitivity.analyse(scenario, samples: 20, metrics: [.certified, .revenue], seed: 1, threads: 1)
        #expect(result.inputs == ["chance"])
        for metric in result.metrics {
            for year in metric.years {
                #expect(year.variance == 0 && year.reason != nil)
                #expect(year.inputs.allSatisfy { $0.first == nil && $0.total == nil && $0.firstLow == nil })
            }
        }
        let json = result.json()
        #expect(!json.lowercased().contains("nan"))
        #expect(json.contains("\"first\": null"))
        #expect(result.csv().split(separator: "\n").count == 1 + 2 * 2)
    }

    @Test("sensitivity.json is bit-identical for any thread count")
    func threadsDoNotMatter() throws {
        let scenario = try bundledScenario("ningde.json").base
        let metrics = Sensitivity.defaultMetrics(scenario)
        let one = try Sensitivity.analyse(scenario, samples: 24, metrics: metrics, seed: 3, threads: 1)
        let three = try Sensitivity.analyse(scenario, samples: 24, metrics: metrics, seed: 3, threads: 3)
        #expect(one.json() == three.json())
        #expect(one.csv() == three.csv())
    }

    @Test("sensitivity.json reads back to the same result; an edited file is refused with its path")
    func readBack() throws {
        var json = setting(noiselessTiny(), "budget.lottery", uniform(0, 300_000))
        json = setting(json, "workforce.attrition.intermediate", uniform(0, 0.3))
        let result = try Sensitivity.analyse(try scenario(json), samples: 30, metrics: [.revenue, .certified], seed: 2, threads: 2)
        let text = result.json()
        #expect(try SensitivityResult(sensitivityJSON: text) == result)
        let edited = text.replacingOccurrences(of: "\"input\": \"chance\"", with: "\"input\": \"luck\"")
        #expect(throws: OutputReadError.self) { try SensitivityResult(sensitivityJSON: edited) }
        do {
            _ = try SensitivityResult(sensitivityJSON: edited)
        } catch {
            #expect(error.description.contains("held[2].input") && error.description.contains("expected \"chance\""), "\(error)")
        }
    }

    @Test("matrix A is the run's first N replicates")
    func matrixAIsTheRun() throws {
        let scenario = try bundledScenario("ningde.json").base
        let design = SensitivityDesign(scenario: scenario, samples: 10)
        let values = try Sensitivity.evaluate(design, scenario: scenario, metrics: [.certified], seed: 9, threads: 2, control: nil)
        let table = MetricTable(scenario, seed: 9, replicates: 20)
        for j in 0..<10 {
            for y in 0..<scenario.years {
                #expect(values[j * scenario.years + y] == table.value(.certified, yearIndex: y, replicate: j))
                #expect(values[(10 + j) * scenario.years + y] == table.value(.certified, yearIndex: y, replicate: 10 + j))
            }
        }
    }

    @Test("the terminal summary ranks the final year's inputs by total effect within 80 columns", arguments: [Language.en, .zh])
    func terminal(language: Language) throws {
        var json = setting(noiselessTiny(), "budget.lottery", uniform(0, 300_000))
        json = setting(json, "budget.donations", uniform(0, 100_000))
        let result = try Sensitivity.analyse(try scenario(json), samples: 200, metrics: [.revenue, .certified], seed: 5, threads: 2)
        let text = result.terminalText(language: language)
        for line in text.split(separator: "\n") { #expect(displayWidth(String(line)) <= 80, "\(line)") }
        let lottery = try #require(text.range(of: "budget.lottery")), donations = try #require(text.range(of: "budget.donations"))
        #expect(lottery.lowerBound < donations.lowerBound)
        #expect(text.contains(language == .zh ? "没有可分解的方差" : "nothing to apportion"))
    }
}

@Suite("Quantile functions")
struct QuantileTests {
    @Test("known quantiles of every distribution")
    func knownValues() {
        func near(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance * Swift.max(1, abs(b)) }
        #expect(near(Distribution.normal(mean: 0, sd: 1).quantile(0.975), 1.959963984540054))
        #expect(near(Distribution.normal(mean: 10, sd: 2).quantile(0.1), 10 - 2 * 1.2815515655446004))
        #expect(Distribution.uniform(min: 2, max: 6).quantile(0.25) == 3)
        // Triangular(0, 0.5, 1): F(x) = 2x² below the mode.
        #expect(near(Distribution.triangular(min: 0, mode: 0.5, max: 1).quantile(0.125), 0.25))
        #expect(near(Distribution.triangular(min: 0, mode: 0.5, max: 1).quantile(0.875), 0.75))
        // Triangular(0, 0, 1): F(x) = 1 − (1 − x)².
        #expect(near(Distribution.triangular(min: 0, mode: 0, max: 1).quantile(0.75), 0.5))
        #expect(near(Distribution.lognormal(median: 2, sigma: 1).quantile(0.5), 2))
        #expect(near(Distribution.lognormal(median: 1, sigma: 0.5).quantile(0.975), exp(0.5 * 1.959963984540054)))
        #expect(near(Distribution.beta(alpha: 1, beta: 1).quantile(0.3), 0.3))
        #expect(near(Distribution.beta(alpha: 2, beta: 2).quantile(0.5), 0.5))
        // Gamma(1, θ) is exponential: −θ ln(1 − p).
        #expect(near(Distribution.gamma(shape: 1, scale: 2).quantile(0.5), 2 * log(2.0)))
        // PERT(0, 0, 10) = 10 · Beta(1, 5): F(x) = 1 − (1 − x/10)⁵.
        #expect(near(Distribution.pert(min: 0, mode: 0, max: 10).quantile(0.9), 10 * (1 - pow(0.1, 0.2))))
        #expect(near(Distribution.pert(min: 4, mode: 6, max: 8).quantile(0.5), 6))
        // Poisson(3): F(0) = 0.0498, F(1) = 0.1991, F(2) = 0.4232, F(3) = 0.6472.
        #expect(Distribution.poisson(mean: 3).quantile(0.1) == 1)
        #expect(Distribution.poisson(mean: 3).quantile(0.5) == 3)
        #expect(Distribution.poisson(mean: 3).quantile(0.2) == 2)
        #expect(abs(Distribution.poisson(mean: 1e6).quantile(0.5) - 1e6) <= 1)
        #expect(Distribution.poisson(mean: 0).quantile(0.9) == 0)
        #expect(Distribution.fixed(5).quantile(0.1) == 5)
    }

    @Test("the quantile inverts the sampler: about p of 20,000 draws fall below it")
    func invertsSampling() {
        var stream = RandomStream()
        stream.select(seed: 42, key: StreamKey(replicate: 0, year: 0, unit: 0, purpose: .parameter))
        let n = 20_000
        let distributions: [Distribution] = [.triangular(min: 1, mode: 2, max: 5), .pert(min: 0, mode: 1, max: 4),
                                             .lognormal(median: 3, sigma: 0.4), .gamma(shape: 2.5, scale: 1.5), .beta(alpha: 0.7, beta: 3)]
        for distribution in distributions {
            for p in [0.1, 0.9] {
                let q = distribution.quantile(p)
                let below = (0..<n).filter { _ in distribution.sample(&stream) <= q }.count
                // Binomial standard error of the share: √(p(1 − p)/n); 4 of them.
                #expect(abs(Double(below) / Double(n) - p) <= 4 * (p * (1 - p) / Double(n)).squareRoot(), "\(distribution) p = \(p)")
            }
        }
    }
}
