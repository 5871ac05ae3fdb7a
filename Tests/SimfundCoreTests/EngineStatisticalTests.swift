import Foundation
import Testing
@testable import SimfundCore
import SimfundStochastics

/// Engine outputs against analytic expectations, with fixed seeds and
/// tolerances of 4 standard errors (a false alarm about once in 16,000 runs
/// of a given seed; the seeds are fixed, so the tests are deterministic).
@Suite("Engine against analytic expectations")
struct EngineStatisticalTests {
    /// The tiny scenario with every flow off but the one under test.
    func quiet() -> [String: Any] {
        var json = tinyScenarioJSON()
        json = setting(json, "years", 1)
        json = setting(json, "workforce.graduates", 0)
        json = setting(json, "workforce.examTakeRate.junior", 0)
        json = setting(json, "workforce.examTakeRate.intermediate", 0)
        json = setting(json, "workforce.attrition.uncertified", 0)
        json = setting(json, "districts.0.workforce", ["uncertified": 1000, "junior": 400, "intermediate": 0, "senior": 0])
        return json
    }

    func finalValues(_ json: [String: Any], _ metric: Metric, replicates: Int = 4000, seed: UInt64 = 2024) throws -> ArraySlice<Double> {
        let s = try scenario(json)
        return MetricTable(s, seed: seed, replicates: replicates).values(metric, yearIndex: s.years - 1)
    }

    func expectMean(_ values: ArraySlice<Double>, _ expectedMean: Double, variance: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let standardError = (variance / n).squareRoot()
        #expect(abs(mean - expectedMean) <= 4 * standardError,
                "mean \(mean), expected \(expectedMean) ± 4·\(standardError)", sourceLocation: sourceLocation)
    }

    @Test("Uncertified attrition: one binomial step")
    func attrition() throws {
        let values = try finalValues(setting(quiet(), "workforce.attrition.uncertified", 0.3), .talent)
        // 400 certified stay; 1000 uncertified lose Binomial(1000, 0.3).
        expectMean(values, 400 + 700, variance: 1000 * 0.3 * 0.7)
    }

    @Test("Certified attrition is lowered by subsidies: a·exp(−e·12·s·f/wage)")
    func retention() throws {
        var json = setting(quiet(), "workforce.attrition.junior", 0.5)
        json = setting(json, "subsidies.junior", 200)
        json = setting(json, "awards.pool", 0)
        // Due 12·200·400 = 960,000 fits the 1,400,000 budget, so f = 1.
        let p = 0.5 * exp(-1 * 12 * 200 * 1 / 60_000.0)
        expectMean(try finalValues(json, .certified), 400 * (1 - p), variance: 400 * p * (1 - p))
    }

    @Test("Junior exam: Binomial(Binomial(U, take), pass) passers")
    func juniorExam() throws {
        var json = setting(quiet(), "workforce.examTakeRate.junior", 0.4)
        json = setting(json, "workforce.passRate.junior", 0.25)
        json = setting(json, "training.share", 0)
        let q = 0.4 * 0.25
        expectMean(try finalValues(json, .junior), 400 + 1000 * q, variance: 1000 * q * (1 - q))
    }

    @Test("Graduates drawn from a Poisson, split by population, entering at entryRate")
    func graduates() throws {
        var json = setting(quiet(), "workforce.graduates", ["dist": "poisson", "mean": 200])
        json = setting(json, "workforce.entryRate", 0.3)
        // Entrants ~ Poisson(200·0.3) by thinning.
        expectMean(try finalValues(json, .talent), 1400 + 60, variance: 60)
    }

    @Test("Failures: Binomial(n, q) dark contracts with q per year")
    func failures() throws {
        var json = setting(quiet(), "procurement.failureRate", 0.2)
        json = setting(json, "procurement.maxNewUnitsPerYear", 0)
        // 3 units under contract after renewal.
        expectMean(try finalValues(json, .failedContracts), 3 * 0.2, variance: 3 * 0.2 * 0.8)
    }

    @Test("A per-year lognormal lottery has mean median·exp(σ²/2)")
    func lotteryShock() throws {
        let json = setting(quiet(), "budget.lottery", ["dist": "lognormal", "median": 1_000_000, "sigma": 0.5])
        let d = Distribution.lognormal(median: 1_000_000, sigma: 0.5)
        // Revenue = relief 1.1M + fiscal 0.2M + lottery.
        expectMean(try finalValues(json, .revenue), 1_300_000 + d.mean, variance: d.variance)
    }

    @Test("Per-replicate parameters stay fixed over the years, per-year ones change")
    func resampling() throws {
        var json = setting(quiet(), "years", 3)
        json = setting(json, "budget.reliefGrowth", 0)
        json = setting(json, "budget.lottery", ["dist": "uniform", "min": 0, "max": 1_000_000, "per": "replicate"])
        json = setting(json, "budget.donations", ["dist": "uniform", "min": 0, "max": 1_000_000])
        json = setting(json, "budget.carryOver", false)
        let s = try scenario(json)
        let run = trace(s, seed: 3)
        // Revenue differs between years only through donations (per year).
        #expect(run.years[0][0].revenue != run.years[1][0].revenue)
        json = setting(json, "budget.donations", 0)
        let fixedRun = trace(try scenario(json), seed: 3)
        #expect(fixedRun.years[0][0].revenue == fixedRun.years[2][0].revenue)
    }
}
