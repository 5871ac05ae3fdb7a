import Testing
@testable import SimfundCore

/// Goal seek (docs/model.md, "Goal seek") on cases whose answer is known.
///
/// The analytic case: one district, one year, no relief growth, no lottery,
/// 200,000 yuan of fiscal money, relief funds R = 10,000,000 and donations
/// D ~ uniform(0, 1,000,000) per replicate. Year-one revenue is
/// s·R + 200,000 + D, so "revenue ≥ 1,500,000" is met exactly when the relief
/// share s ≥ 0.13 − D/R: each replicate's critical share is uniform on
/// [0.03, 0.13], and its P-quantile is 0.03 + 0.1·P.
@Suite("Goal seek")
struct GoalSeekTests {
    static func analyticJSON(targets: [[String: Any]]) -> [String: Any] {
        var json = tinyScenarioJSON()
        json = setting(json, "years", 1)
        json = setting(json, "budget.reliefGrowth", 0)
        json = setting(json, "budget.lottery", 0)
        json = setting(json, "budget.donations", ["dist": "uniform", "min": 0, "max": 1_000_000])
        json = setting(json, "targets", targets)
        return json
    }

    static func revenue(_ bound: String, _ x: Double) -> [String: Any] { ["metric": "revenue", "year": 2020, bound: x] }

    static func question(_ json: [String: Any], lever path: String, _ low: Double, _ high: Double, probability: Double = 0.9,
                         replicates: Int = 2000, seed: UInt64 = 11) throws -> (GoalQuestion, Scenario) {
        let file = try ScenarioLoader.load(text: jsonText(json))
        let lever = try NumericLever.resolve(path, in: file).get()
        let question = GoalQuestion(lever: lever, low: low, high: high, targets: Array(file.base.targets.indices), probability: probability,
                                    replicates: replicates, seed: seed)
        #expect(GoalSeek.check(question, scenario: file.base) == nil)
        return (question, file.base)
    }

    static func seek(_ json: [String: Any], lever: String, _ low: Double, _ high: Double, probability: Double = 0.9,
                     replicates: Int = 2000, seed: UInt64 = 11, threads: Int = 2) throws -> GoalResult {
        let (question, scenario) = try question(json, lever: lever, low, high, probability: probability, replicates: replicates, seed: seed)
        return try GoalSeek.run(question, scenario: scenario, threads: threads)
    }

    /// Whether `x` lies in the answer's interval, widened by the bisection's precision.
    static func covers(_ result: GoalResult, _ x: Double) -> Bool {
        guard let low = result.answerLow, let high = result.answerHigh else { return false }
        return low - result.precision <= x && x <= high + result.precision
    }

    @Test("order-statistic ranks: the median of 100 lies between the 40th and 61st values")
    func confidenceRanks() {
        let ranks = GoalSeek.confidenceRanks(n: 100, probability: 0.5)
        #expect(ranks.lower == 40 && ranks.upper == 61)
        #expect(GoalSeek.quantileRank(n: 1000, probability: 0.9) == 900)
        #expect(GoalSeek.quantileRank(n: 7, probability: 0.9) == 7)
        // Too few replicates for a 95% interval on the 0.9-quantile: open above.
        #expect(GoalSeek.confidenceRanks(n: 10, probability: 0.9).upper == 11)
    }

    @Test("the analytic case: the answer is the known quantile 0.12, inside the interval")
    func analyticAnswer() throws {
        let result = try GoalSeekTests.seek(GoalSeekTests.analyticJSON(targets: [GoalSeekTests.revenue("atLeast", 1_500_000)]),
                                            lever: "budget.reliefShare", 0, 0.3)
        #expect(result.direction == .increasing)
        #expect(result.outcome == .found)
        #expect(result.nonMonotone == 0)
        #expect(result.method == "quantile")
        #expect(abs(result.precision - 0.3e-4) < 1e-15)
        let answer = try #require(result.answer)
        // The quantile's standard error is √(P(1−P)/n) / density = √(0.09/2000) / 10 ≈ 0.00067.
        #expect(abs(answer - 0.12) < 4 * 0.00067)
        #expect(GoalSeekTests.covers(result, 0.12))
        // The curve is the uniform's distribution function: P(s) = (s − 0.03) / 0.1 on [0.03, 0.13].
        for point in result.curve {
            let truth: Double = min(1, max(0, (point.value - 0.03) / 0.1))
            let tolerance: Double = 4 * (truth * (1 - truth) / 2000).squareRoot() + 1e-9
            let error: Double = abs(point.probability.estimate - truth)
            #expect(error < tolerance, "at \(point.value)")
        }
        // A fresh run at the answer: its probability is near 0.9 (4 standard errors, plus the answer's own error).
        let confirmation = try #require(result.confirmation)
        #expect(confirmation.seed == GoalSeek.confirmationSeed(11) && confirmation.seed != 11)
        #expect(confirmation.probability.trials == 2000)
        let confirmationTolerance: Double = 4 * (0.09 / 2000).squareRoot() + 10 * abs(answer - 0.12)
        #expect(abs(confirmation.probability.estimate - 0.9) < confirmationTolerance)
        // The confirmation is the normal engine's run: `simfund run` at the answer with that seed counts the same replicates.
        let (question, scenario) = try GoalSeekTests.question(GoalSeekTests.analyticJSON(targets: [GoalSeekTests.revenue("atLeast", 1_500_000)]),
                                                              lever: "budget.reliefShare", 0, 0.3)
        let atAnswer = scenario.applying([try question.lever.change(to: answer).get()])
        let state = try Runner.run(RunPlan(base: atAnswer, seed: confirmation.seed, replicates: 2000), threads: 2)
        #expect(state.variants[0].targetSuccesses[0] == confirmation.probability.successes)
    }

    @Test("the 95% interval covers the true quantile in about 95% of seeds")
    func coverage() throws {
        let (question, scenario) = try GoalSeekTests.question(GoalSeekTests.analyticJSON(targets: [GoalSeekTests.revenue("atLeast", 1_500_000)]),
                                                              lever: "budget.reliefShare", 0, 0.3, replicates: 80)
        let seeds = 200
        var covered = 0
        for seed in 0..<seeds {
            var q = question
            q.seed = UInt64(1000 + seed)
            q.gridPoints = 5
            if GoalSeekTests.covers(try GoalSeek.run(q, scenario: scenario, threads: 2), 0.12) { covered += 1 }
        }
        // Distribution-free intervals cover at least 95% (here about 96%); 3 binomial standard errors below 95%.
        let share = Double(covered) / Double(seeds)
        #expect(share >= 0.95 - 3 * (0.95 * 0.05 / Double(seeds)).squareRoot(), "covered in \(covered) of \(seeds) seeds")
        #expect(share <= 0.995, "covered in \(covered) of \(seeds) seeds: the interval is far too wide")
    }

    @Test("an atMost target: raising the lever hurts, the answer is the greatest value, the 0.1-quantile 0.04")
    func decreasingDirection() throws {
        let result = try GoalSeekTests.seek(GoalSeekTests.analyticJSON(targets: [GoalSeekTests.revenue("atMost", 1_500_000)]),
                                            lever: "budget.reliefShare", 0, 0.3)
        #expect(result.direction == .decreasing)
        #expect(result.outcome == .found)
        let answer = try #require(result.answer)
        #expect(abs(answer - 0.04) < 4 * 0.00067)
        #expect(GoalSeekTests.covers(result, 0.04))
        // Met with probability ≥ 0.9 at the answer: at most 0.9 + sampling noise of P(s ≤ critical) at 0.04 (0.9).
        #expect(result.curve.first!.probability.estimate == 1)
        #expect(result.curve.last!.probability.estimate == 0)
    }

    @Test("LOW already enough: the answer is LOW, said so")
    func lowAlreadyEnough() throws {
        let result = try GoalSeekTests.seek(GoalSeekTests.analyticJSON(targets: [GoalSeekTests.revenue("atLeast", 1_500_000)]),
                                            lever: "budget.reliefShare", 0.2, 0.3, replicates: 300)
        #expect(result.outcome == .alreadyMet)
        #expect(result.answer == 0.2)
        #expect(result.confirmation?.probability.estimate == 1)
        #expect(result.sentence(.en).contains("already meets"))
        #expect(result.json().contains("\"reason\": \"LOW already reaches the probability\""))
    }

    @Test("HIGH not enough: no answer, no confirmation, said so")
    func highNotEnough() throws {
        let result = try GoalSeekTests.seek(GoalSeekTests.analyticJSON(targets: [GoalSeekTests.revenue("atLeast", 1_500_000)]),
                                            lever: "budget.reliefShare", 0, 0.05, replicates: 500)
        #expect(result.outcome == .notReached)
        #expect(result.answer == nil && result.confirmation == nil)
        // P(0.05) = P(critical ≤ 0.05) = 0.2.
        let tolerance: Double = 4 * (0.16 / 500).squareRoot()
        #expect(abs(result.curve.last!.probability.estimate - 0.2) < tolerance)
        #expect(result.sentence(.en).hasPrefix("No value of budget.reliefShare up to 5.000% meets target 1"))
        #expect(result.json().contains("\"answer\": null"))
    }

    @Test("an integer lever searches whole numbers: 3 new units a year staff every township")
    func integerLever() throws {
        // Tiny: 2 of 5 townships have stations; the agencies' capacity and the budget allow the 3 more in year one
        // only if at most 3 new units may open a year (deterministic: every rate is 0 or 1).
        var json = tinyScenarioJSON()
        json = setting(json, "years", 1)
        json = setting(json, "targets", [["metric": "townshipCoverage", "year": 2020, "atLeast": 1]])
        let result = try GoalSeekTests.seek(json, lever: "procurement.maxNewUnitsPerYear", 0, 10, replicates: 20)
        #expect(result.wholeNumbers && result.precision == 1)
        #expect(result.curve.map(\.value) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(result.curve.map(\.probability.estimate) == [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
        #expect(result.answer == 3)
        #expect(result.confirmation?.probability.estimate == 1)
    }

    @Test("a district field (rebuilt scenario per value): relief funds of 12 million, the known quantile")
    func rebuiltLever() throws {
        // Revenue 0.1·R + 200,000 + D ≥ 1,500,000 ⇔ R ≥ 13,000,000 − 10·D: uniform on [3e6, 1.3e7], 0.9-quantile 1.2e7.
        let result = try GoalSeekTests.seek(GoalSeekTests.analyticJSON(targets: [GoalSeekTests.revenue("atLeast", 1_500_000)]),
                                            lever: "districts.0.reliefFunds", 0, 30_000_000, replicates: 400)
        let answer = try #require(result.answer)
        // Standard error √(0.09/400) / (1/1e7) = 150,000.
        #expect(abs(answer - 12_000_000) < 4 * 150_000)
        #expect(GoalSeekTests.covers(result, 12_000_000))
    }

    @Test("holding the parameter gives the outcomes of the rebuilt scenario", arguments: [
        ("budget.reliefShare", [0.005, 0.0173, 0.05]),
        ("budget.fiscal.0.amount", [0, 5_000_000, 20_000_000]),
        ("procurement.maxNewUnitsPerYear", [0, 7, 30]),
        ("subsidies.junior", [0, 150, 400]),
    ])
    func heldEqualsRebuilt(_ path: String, _ values: [Double]) throws {
        let file = try bundledScenario("ningde.json")
        let lever = try NumericLever.resolve(path, in: file).get()
        guard case .plain = lever.kind else { Issue.record("\(path) is not a plain parameter lever"); return }
        let targets = file.base.targets
        let question = GoalQuestion(lever: lever, low: values[0], high: values[2], targets: Array(targets.indices), probability: 0.9, replicates: 10, seed: 5)
        let held = GoalEvaluator(question: question, scenario: file.base, targets: targets, grid: [])
        for value in values {
            let probe = ReplicateProbe(scenario: file.base.applying([try lever.change(to: value).get()]), seed: 5, targets: targets)
            for r in 0..<10 {
                try probe.run(replicate: r)
                #expect(try held.met(replicate: r, at: value) == targets.indices.allSatisfy { probe.met($0) }, "replicate \(r) at \(value)")
            }
        }
    }

    // Two targets on revenue, at least 1.2 and at most 1.8 million: met for s in the window
    // [0.1 − d, 0.16 − d] (d = D/R uniform on [0, 0.1]), so every replicate's outcome rises and falls.
    static var windowTargets: [[String: Any]] { [revenue("atLeast", 1_200_000), revenue("atMost", 1_800_000)] }

    @Test("non-monotone outcomes are detected; the answer holds where the direct probability reaches P")
    func nonMonotoneDetected() throws {
        let result = try GoalSeekTests.seek(GoalSeekTests.analyticJSON(targets: GoalSeekTests.windowTargets), lever: "budget.reliefShare", 0, 0.3,
                                            probability: 0.5, replicates: 1000)
        #expect(result.nonMonotone == 1)
        // P(s) = s / 0.1 up to 0.06: the quantile of the lower crossings, 0.05, is met directly by half the replicates.
        #expect(result.method == "quantile")
        let answer = try #require(result.answer)
        let tolerance: Double = 4 * (0.25 / 1000).squareRoot() / 10
        #expect(abs(answer - 0.05) < tolerance)
    }

    @Test("non-monotone outcomes that matter: no grid value reaches P, so no answer")
    func nonMonotoneMatters() throws {
        // The lower crossings' 0.7-quantile is 0.07, but at most 60% of replicates meet both targets at any share.
        let result = try GoalSeekTests.seek(GoalSeekTests.analyticJSON(targets: GoalSeekTests.windowTargets), lever: "budget.reliefShare", 0, 0.3,
                                            probability: 0.7, replicates: 1000)
        #expect(result.nonMonotone == 1)
        #expect(result.method == "grid")
        #expect(result.outcome == .nonMonotone && result.answer == nil)
        #expect(result.curve.allSatisfy { $0.probability.estimate < 0.7 })
    }

    @Test("the same seed gives a bit-identical goal.json for any thread count")
    func threadInvariance() throws {
        let json = GoalSeekTests.analyticJSON(targets: [GoalSeekTests.revenue("atLeast", 1_500_000)])
        let one = try GoalSeekTests.seek(json, lever: "budget.reliefShare", 0, 0.3, replicates: 300, threads: 1)
        let three = try GoalSeekTests.seek(json, lever: "budget.reliefShare", 0, 0.3, replicates: 300, threads: 3)
        #expect(one.json() == three.json())
        #expect(try GoalResult(goalJSON: one.json()) == one)
    }

    @Test("bad questions are refused naming what is wrong")
    func checks() throws {
        let json = GoalSeekTests.analyticJSON(targets: [GoalSeekTests.revenue("atLeast", 1_500_000)])
        let file = try ScenarioLoader.load(text: jsonText(json))
        let lever = try NumericLever.resolve("budget.reliefShare", in: file).get()
        var question = GoalQuestion(lever: lever, low: 0, high: 1.5, targets: [0], probability: 0.9, replicates: 10, seed: 1)
        #expect(GoalSeek.check(question, scenario: file.base)?.description.contains("a rate in [0, 1], found 1.5") == true)
        question.high = 0.5
        question.targets = [1]
        #expect(GoalSeek.check(question, scenario: file.base)?.description.contains("--target 2: expected a target position from 1 to 1") == true)
        let count = try NumericLever.resolve("procurement.maxNewUnitsPerYear", in: file).get()
        let fractional = GoalQuestion(lever: count, low: 0.5, high: 4, targets: [0], probability: 0.9, replicates: 10, seed: 1)
        #expect(GoalSeek.check(fractional, scenario: file.base) != nil)
    }
}
