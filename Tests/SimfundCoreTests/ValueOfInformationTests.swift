import Foundation
import Testing
@testable import SimfundCore

/// Uniform draws on [0, 1) and standard normals (Box–Muller) from a fixed seed.
private struct TestData {
    var generator: SplitMix64
    init(seed: UInt64) { generator = SplitMix64(state: seed) }
    mutating func uniform() -> Double { Double(generator.next() >> 11) * 0x1p-53 }
    mutating func normal() -> Double {
        let u = Swift.max(uniform(), 1e-300), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}

@Suite struct SmootherTests {
    @Test func reproducesACubicExactly() {
        let x = (0..<200).map { Double($0) / 10 }
        let y = x.map { 3 + 2 * $0 - 0.05 * $0 * $0 * $0 }
        let spline = PenalisedSpline(x: x)
        let fitted = spline.fitted(spline.fit(y).coefficients)
        // A cubic lies in the unpenalised part of the basis: any λ leaves it alone.
        for (f, t) in zip(fitted, y) { #expect(abs(f - t) < 1e-6 * Swift.max(1, abs(t))) }
    }

    @Test func followsASineThroughNoise() {
        var data = TestData(seed: 11)
        let n = 2000
        let x = (0..<n).map { _ in data.uniform() }
        let truth = x.map { sin(2 * Double.pi * $0) }
        let y = truth.map { $0 + 0.3 * data.normal() }
        let spline = PenalisedSpline(x: x)
        let fit = spline.fit(y)
        let fitted = spline.fitted(fit.coefficients)
        var squares = 0.0
        for (f, t) in zip(fitted, truth) { squares += (f - t) * (f - t) }
        let rmse = (squares / Double(n)).squareRoot()
        // Noise sd 0.3 over n = 2000 with ~8 degrees of freedom: error ≈ 0.3·√(8/2000) ≈ 0.02.
        #expect(rmse < 0.05)
        #expect(fit.degreesOfFreedom > 4 && fit.degreesOfFreedom < 16)
    }

    @Test func pureNoiseFitStaysNearTheMean() {
        var data = TestData(seed: 12)
        let x = (0..<2000).map { _ in data.uniform() }
        let y = x.map { _ in data.normal() }
        let spline = PenalisedSpline(x: x)
        let fit = spline.fit(y)
        let fitted = spline.fitted(fit.coefficients)
        // GCV on pure noise is flat in λ, so it may keep a few wiggles; they stay small.
        #expect(fit.degreesOfFreedom < 13)
        // Fitted values keep the mean of y (the intercept is not penalised).
        let fittedMean: Double = fitted.reduce(0, +) / 2000
        let mean: Double = y.reduce(0, +) / 2000
        #expect(abs(fittedMean - mean) < 1e-6)
        var squares = 0.0
        for f in fitted { squares += (f - mean) * (f - mean) }
        // ≈ σ·√(df/n) ≤ √(13/2000) ≈ 0.08 for a fit that follows no signal.
        #expect((squares / 2000).squareRoot() < 0.1)
    }

    @Test func constantInputGivesNoInformation() {
        let estimate = ValueOfInformation.evppi(x: [Double](repeating: 2, count: 50), values: [(0..<50).map(Double.init), [Double](repeating: 25, count: 50)],
                                                seed: 1, stream: 0)
        #expect(estimate.value == 0 && estimate.low == 0 && estimate.high == 0)
    }
}

@Suite struct ValueOfInformationTests {
    /// y₁ = x + ε, y₂ = ½ + ε with x ~ U(0, 1): EVPPI = E[max(x, ½)] − ½ = 0.625 − 0.5 = 0.125.
    @Test func decisiveInputHasTheAnalyticValue() {
        var data = TestData(seed: 21)
        let n = 5000
        let x = (0..<n).map { _ in data.uniform() }
        let values = [x.map { $0 + 0.1 * data.normal() }, x.map { _ in 0.5 + 0.1 * data.normal() }]
        let estimate = ValueOfInformation.evppi(x: x, values: values, seed: 5, stream: 0)
        #expect(abs(estimate.value - 0.125) < 0.01)
        #expect(estimate.low <= estimate.value && estimate.value <= estimate.high)
        #expect(estimate.low > 0.1 && estimate.high < 0.15)
    }

    /// y₂ = y₁ + 0.2: the input moves both alike, so knowing it never changes the choice.
    @Test func inputMovingAllAlikeIsWorthNothing() {
        var data = TestData(seed: 22)
        let n = 5000
        let x = (0..<n).map { _ in data.uniform() }
        let values = [x.map { $0 + 0.1 * data.normal() }, x.map { $0 + 0.2 + 0.1 * data.normal() }]
        let estimate = ValueOfInformation.evppi(x: x, values: values, seed: 5, stream: 1)
        #expect(estimate.value < 0.002)
        #expect(estimate.high < 0.005)
    }

    /// With few replicates an input that carries no information still shows a
    /// positive EVPPI (the smoother fits noise); the noise floor measures it.
    @Test func noiseFloorMatchesAnUninformativeInput() {
        var data = TestData(seed: 24)
        let n = 300
        let x = (0..<n).map { _ in data.uniform() }
        let values = [x.map { _ in data.normal() }, x.map { _ in 0.02 + data.normal() }]
        let uninformative = ValueOfInformation.evppi(x: x, values: values, seed: 5, stream: 2)
        #expect(uninformative.value > 0 && uninformative.noise > 0)
        // Both are the same estimator on noise: within a few times its spread (σ·√(df/n) ≈ 0.1).
        #expect(abs(uninformative.value - uninformative.noise) < 0.1)
        // An informative input stands clear of its floor.
        let informative = ValueOfInformation.evppi(x: x, values: [x.map { $0 + 0.1 * data.normal() }, x.map { _ in 0.5 + 0.1 * data.normal() }],
                                                   seed: 5, stream: 3)
        #expect(informative.value - informative.noise > 0.08)
    }

    @Test func sameSeedSameInterval() {
        var data = TestData(seed: 23)
        let x = (0..<500).map { _ in data.uniform() }
        let values = [x.map { $0 + data.normal() }, x.map { _ in 0.5 + data.normal() }]
        let a = ValueOfInformation.evppi(x: x, values: values, seed: 9, stream: 3)
        let b = ValueOfInformation.evppi(x: x, values: values, seed: 9, stream: 3)
        #expect(a == b)
        #expect(ValueOfInformation.evppi(x: x, values: values, seed: 10, stream: 3).low != a.low)
    }

    /// The base's revenue is c + L with L = lottery ~ U(0, 200,000); the
    /// alternative fixes the lottery at 100,000. EVPPI(lottery) = E[max(L, 10⁵)] − 10⁵ = 25,000 yuan;
    /// reliefShare moves both revenues alike, so its EVPPI is ≈ 0.
    @Test func scenarioInputThatDecidesTheChoice() throws {
        var json = setting(tinyScenarioJSON(), "budget.lottery", ["dist": "uniform", "min": 0, "max": 200_000, "per": "replicate"])
        json = setting(json, "budget.reliefShare", ["dist": "uniform", "min": 0.099, "max": 0.101])
        json = setting(json, "replicates", 4000)
        let base = try scenario(json)
        let fixed = try scenario(setting(json, "budget.lottery", 100_000))
        let plan = RunPlan(base: base, alternatives: [Variant(name: "fixed lottery", scenario: fixed)], seed: 3, replicates: 4000)
        let key = RankKey(metric: .revenue, year: 2020, target: nil)
        let values = try ValueOfInformation.analyse(plan: plan, rankKey: key, replicates: 4000, threads: 2)
        let lottery = try #require(values.first { $0.input == "budget.lottery" })
        let share = try #require(values.first { $0.input == "budget.reliefShare" })
        #expect(abs(lottery.evppi - 25_000) < 1_500)
        #expect(lottery.low < 25_000 + 1_500 && lottery.high > 25_000 - 1_500)
        #expect(share.evppi < 0.1 * lottery.evppi)
        // The same numbers for any thread count.
        #expect(try ValueOfInformation.analyse(plan: plan, rankKey: key, replicates: 4000, threads: 1) == values)
    }
}
