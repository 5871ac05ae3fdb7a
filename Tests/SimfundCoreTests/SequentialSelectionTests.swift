import Foundation
import Testing
@testable import SimfundCore

@Suite struct SequentialSelectionTests {
    /// k = 2, n₀ = 10, α = 0.05: η = ½(0.1^(−2/9) − 1) = ½(10^(2/9) − 1) = 0.334050, h² = 2η·9 = 6.01291.
    @Test func constantsByHand() {
        let (eta, h2) = SequentialSelection.constants(systems: 2, firstStage: 10, confidence: 0.95)
        #expect(abs(eta - 0.5 * (pow(10, 2.0 / 9) - 1)) < 1e-12)
        #expect(abs(eta - 0.334050) < 1e-6)
        #expect(abs(h2 - 6.01291) < 1e-5)
        // More systems or a higher confidence widen the continuation region.
        #expect(SequentialSelection.constants(systems: 4, firstStage: 10, confidence: 0.95).h2 > h2)
        #expect(SequentialSelection.constants(systems: 2, firstStage: 10, confidence: 0.99).h2 > h2)
    }

    /// h² = 6, S² = 4, D = 1: the bound after r replicates is min(0, −12 + r/2).
    @Test func eliminationRuleByHand() {
        let variances = [[0, 4.0], [4.0, 0]]
        // r = 10: bound −7; a sum 6.5 behind survives, 7.5 behind goes.
        #expect(SequentialSelection.eliminated(survivors: [0, 1], sums: [0, 6.5], variances: variances, h2: 6, indifference: 1, replicates: 10).isEmpty)
        #expect(SequentialSelection.eliminated(survivors: [0, 1], sums: [0, 7.5], variances: variances, h2: 6, indifference: 1, replicates: 10) == [0])
        // r = 24: the region has closed (bound 0): any deficit eliminates, a tie does not.
        #expect(SequentialSelection.eliminated(survivors: [0, 1], sums: [0.5, 0], variances: variances, h2: 6, indifference: 1, replicates: 24) == [1])
        #expect(SequentialSelection.eliminated(survivors: [0, 1], sums: [3, 3], variances: variances, h2: 6, indifference: 1, replicates: 24).isEmpty)
        // Only survivors are compared: system 2 far behind an eliminated system 0 stays.
        let three = [[0, 4.0, 4], [4.0, 0, 4], [4, 4, 0]]
        #expect(SequentialSelection.eliminated(survivors: [1, 2], sums: [100, 0, 0], variances: three, h2: 6, indifference: 1, replicates: 10).isEmpty)
    }

    /// The base's revenue in 2020 is c + L, L = lottery ~ U(0, 200,000) per
    /// replicate; an alternative with the lottery fixed at `fixed` differs by
    /// fixed − L (mean fixed − 100,000, sd 57,735) on common random numbers.
    static func lotteryPlan(fixed: Double, seed: UInt64, replicates: Int) throws -> RunPlan {
        let json = setting(tinyScenarioJSON(), "budget.lottery", ["dist": "uniform", "min": 0, "max": 200_000, "per": "replicate"])
        let base = try scenario(json)
        let alternative = try scenario(setting(json, "budget.lottery", fixed))
        return RunPlan(base: base, alternatives: [Variant(name: "fixed lottery", scenario: alternative)], seed: seed, replicates: replicates)
    }

    static let revenue = RankKey(metric: .revenue, year: 2020, target: nil)

    @Test func clearlyBetterAlternativeIsSelectedEarly() throws {
        // Better by 60,000 yuan a replicate on average, D = 5,000: KN's region closes by r ≈ h²S²/D²,
        // but a lead this large leaves it after the first few batches.
        let plan = try Self.lotteryPlan(fixed: 160_000, seed: 4, replicates: 20_000)
        let (state, outcome) = try SequentialSelection.run(plan, rankKey: Self.revenue, indifference: 5_000, confidence: 0.95, batch: 50, threads: 2)
        #expect(outcome.decided)
        #expect(outcome.selected == "fixed lottery")
        #expect(outcome.eliminated == [.init(name: "base", afterReplicates: outcome.replicatesUsed)])
        #expect(outcome.replicatesUsed <= 200)
        #expect(state.replicates == outcome.replicatesUsed)
    }

    @Test func alternativesWithinTheZoneRunToTheMaximum() throws {
        // The alternative is the base itself: every difference is 0, nothing is eliminated.
        let json = setting(tinyScenarioJSON(), "budget.lottery", ["dist": "uniform", "min": 0, "max": 200_000, "per": "replicate"])
        let base = try scenario(json)
        let plan = RunPlan(base: base, alternatives: [Variant(name: "same", scenario: base)], seed: 2, replicates: 700)
        let (state, outcome) = try SequentialSelection.run(plan, rankKey: Self.revenue, indifference: 1_000, confidence: 0.95, batch: 100, threads: 2)
        #expect(!outcome.decided)
        #expect(outcome.replicatesUsed == 700 && state.replicates == 700)
        #expect(outcome.remaining == ["base", "same"] && outcome.eliminated.isEmpty)
    }

    @Test func sameStoppingPointForAnyThreadCount() throws {
        let plan = try Self.lotteryPlan(fixed: 108_000, seed: 9, replicates: 50_000)
        let one = try SequentialSelection.run(plan, rankKey: Self.revenue, indifference: 5_000, confidence: 0.95, batch: 40, threads: 1)
        let three = try SequentialSelection.run(plan, rankKey: Self.revenue, indifference: 5_000, confidence: 0.95, batch: 40, threads: 3)
        #expect(one.outcome == three.outcome)
        var a = Comparer.report(plan: plan, state: one.state, rankKey: Self.revenue), b = Comparer.report(plan: plan, state: three.state, rankKey: Self.revenue)
        a.sequential = one.outcome
        b.sequential = three.outcome
        #expect(a.compareJSON() == b.compareJSON())
        #expect(one.outcome.replicatesUsed > 40)
    }

    /// The least favourable configuration: the alternative leads by exactly D.
    /// KN guarantees P(correct selection) ≥ C; over 200 seeds the count of
    /// correct selections must clear C·200 less 2.33 binomial standard errors (one-sided 1%).
    @Test func correctSelectionsAtLeastTheConfidence() throws {
        let seeds = 200
        var correct = 0
        for seed in 0..<seeds {
            let plan = try Self.lotteryPlan(fixed: 110_000, seed: UInt64(seed) + 100, replicates: 100_000)
            let outcome = try SequentialSelection.run(plan, rankKey: Self.revenue, indifference: 10_000, confidence: 0.95, batch: 20, threads: 2).outcome
            #expect(outcome.decided)
            if outcome.selected == "fixed lottery" { correct += 1 }
        }
        let floor = 0.95 * Double(seeds) - 2.33 * (Double(seeds) * 0.95 * 0.05).squareRoot()
        #expect(Double(correct) >= floor, "\(correct) of \(seeds) correct")
    }
}

@Suite struct DecisionOutputTests {
    func report() throws -> ComparisonReport {
        let plan = try SequentialSelectionTests.lotteryPlan(fixed: 160_000, seed: 4, replicates: 200)
        let (state, outcome) = try SequentialSelection.run(plan, rankKey: SequentialSelectionTests.revenue, indifference: 5_000,
                                                           confidence: 0.95, batch: 50, threads: 2)
        var report = Comparer.report(plan: plan, state: state, rankKey: SequentialSelectionTests.revenue)
        report.sequential = outcome
        report.valueOfInformation = try ValueOfInformation.analyse(plan: plan, rankKey: SequentialSelectionTests.revenue,
                                                                   replicates: state.replicates, threads: 2)
        return report
    }

    @Test func compareJSONRoundTrips() throws {
        let report = try report()
        #expect(report.valueOfInformation?.map(\.input) == ["budget.lottery"])
        let read = try ComparisonReport(compareJSON: report.compareJSON())
        #expect(read == report)
        #expect(read.sequential == report.sequential && read.valueOfInformation == report.valueOfInformation)
    }

    @Test func editedDecisionFieldsAreRefusedNamingThePath() throws {
        let text = try report().compareJSON()
        let selected = text.replacingOccurrences(of: "\"selected\": \"fixed lottery\"", with: "\"selected\": \"nobody\"")
        #expect(selected != text)
        do {
            _ = try ComparisonReport(compareJSON: selected)
            Issue.record("an unknown selected run was accepted")
        } catch {
            #expect(error.path == "sequential.selected" && error.problem.contains("compared run"), "\(error)")
        }
        let negative = text.replacingOccurrences(of: "\"evppi\": ", with: "\"evppi\": -")
        do {
            _ = try ComparisonReport(compareJSON: negative)
            Issue.record("a negative value of information was accepted")
        } catch {
            #expect(error.path == "valueOfInformation[0].evppi", "\(error)")
        }
    }

    @Test func sentencesInBothLanguages() throws {
        var report = try report()
        report.valueOfInformation = [InputValueOfInformation(input: "budget.lottery", evppi: 25_000, low: 23_000, high: 27_500, source: "lottery office")]
        let en = report.valueOfInformationSentences(language: .en)
        #expect(en == ["knowing budget.lottery exactly could change the choice; it is worth up to 25.0 thousand yuan (95% interval 23.0–27.5). Source: lottery office"])
        let zh = report.valueOfInformationSentences(language: .zh)
        #expect(zh.first?.hasPrefix("确知budget.lottery的准确值可能改变选择，其价值最多约25,000元") == true, "\(zh)")
        report.valueOfInformation = [InputValueOfInformation(input: "budget.lottery", evppi: 1, low: 0, high: 2)]
        #expect(report.valueOfInformationSentences(language: .en).first?.hasPrefix("knowing budget.lottery exactly would not change the choice (worth 1 yuan)") == true)
        // Above the threshold (0.5% of the ranked revenue, about 7,000 yuan) but not above noise by as much.
        #expect(report.materialValueOfInformation > 6_000 && report.materialValueOfInformation < 8_000)
        report.valueOfInformation = [InputValueOfInformation(input: "budget.lottery", evppi: 9_000, low: 5_000, high: 12_000, noise: 6_000)]
        #expect(report.valueOfInformationSentences(language: .en).first?.hasPrefix("knowing budget.lottery exactly would not clearly change the choice (worth 9,000 yuan, close to the 6,000 yuan an input carrying no information shows") == true,
                "\(report.valueOfInformationSentences(language: .en))")
        let words = try #require(report.sequentialSentence(language: .en))
        #expect(words.hasPrefix("Sequential selection (Kim–Nelson, 95% confidence, indifference 5,000 yuan): fixed lottery selected after \(report.sequential!.replicatesUsed) replicates; eliminated: base after"), "\(words)")
    }
}
