import Foundation
import Testing
@testable import SimfundCore

/// The formatter shared by terminal tables and reports.
@Suite("Formatting")
struct FormattingTests {
    @Test func groupedDigitsAndSigns() {
        #expect(groupedNumber(1234567, decimals: 0) == "1,234,567")
        #expect(groupedNumber(1234.56, decimals: 1) == "1,234.6")
        #expect(groupedNumber(174.726, decimals: 1, signed: true) == "+174.7")
        #expect(groupedNumber(-0.04, decimals: 1, signed: true) == "0.0")
        #expect(groupedNumber(-2.5, decimals: 2, signed: true) == "-2.50")
        #expect(groupedNumber(.nan, decimals: 0) == "–")
    }

    @Test func moneyScaleFollowsTheLargestValueOfAColumn() {
        // The interval `104.2万 [999002, 108.4万]` in one scale.
        let zh = MoneyScale(values: [1_042_000, 999_002, 1_084_000], language: .zh)
        #expect(zh.unit == "万元")
        #expect([1_042_000, 999_002, 1_084_000].map { zh.format($0) } == ["104", "100", "108"])
        let en = MoneyScale(values: [1_042_000, 999_002, 1_084_000], language: .en)
        #expect(en.unit == "million yuan")
        #expect(en.format(999_002) == "1.00")
        #expect(MoneyScale(largest: 27_865_000, language: .zh).withUnit(27_865_000) == "2,787万元")
        #expect(MoneyScale(largest: 27_865_000, language: .en).withUnit(27_865_000) == "27.9 million yuan")
        #expect(MoneyScale(largest: 3.2e8, language: .zh).withUnit(3.2e8) == "3.20亿元")
        #expect(MoneyScale(largest: 3.2e9, language: .en).withUnit(3.2e9) == "3.20 billion yuan")
        #expect(MoneyScale(largest: 86_000, language: .zh).withUnit(86_000) == "86,000元")
        #expect(MoneyScale(largest: 8_600, language: .en).withUnit(8_600) == "8,600 yuan")
        #expect(MoneyScale(largest: 343_377, language: .en).withUnit(343_377) == "343 thousand yuan")
        #expect(MoneyScale(largest: 860_000, language: .en).withUnit(-860_000, signed: true) == "-860 thousand yuan")
    }

    @Test func columnsKeepFixedDecimals() {
        let shares = ColumnFormat(metric: .townshipCoverage, values: [0.85, 0.807], language: .en)
        #expect([0.85, 0.807].map(shares.format) == ["85.0%", "80.7%"])
        #expect(shares.unit == nil)
        let points = ColumnFormat(metric: .townshipCoverage, values: [0.012, -0.03], difference: true, language: .en)
        #expect(points.format(0.012) == "+1.2" && points.header("Δ") == "Δ (pp)")
        #expect(ColumnFormat(metric: .townshipCoverage, values: [0.01], difference: true, language: .zh).unit == "百分点")
        let people = ColumnFormat(metric: .certified, values: [2602.4, 1322], language: .en)
        #expect(people.format(2602.4) == "2,602")
        let fewPeople = ColumnFormat(metric: .certified, values: [17.46, -3], difference: true, language: .en)
        #expect(fewPeople.format(17.46) == "+17.5")
        let manyPeople = ColumnFormat(metric: .certified, values: [174.726], difference: true, language: .en)
        #expect(manyPeople.format(174.726) == "+175")
        let money = ColumnFormat(metric: .spendTotal, values: [23_104_000, 30_407_000], language: .zh)
        #expect(money.header("支出") == "支出 (万元)")
        #expect(money.interval(27_865_000, low: 25_034_000, high: 30_407_000) == "2,787 [2,503, 3,041]")
    }

    @Test func timeLeftInHoursAndMinutes() {
        #expect(durationText(seconds: 42.2) == "43 s")
        #expect(durationText(seconds: 600) == "10 min")
        #expect(durationText(seconds: 3900) == "1 h 05 min")
        #expect(durationText(seconds: 3900, language: .zh) == "1小时05分")
    }

    @Test func languageFromFlagThenEnvironment() throws {
        #expect(try Language.resolve(flag: nil, environment: [:]).get() == .en)
        #expect(try Language.resolve(flag: nil, environment: ["SIMFUND_LANG": "zh_CN.UTF-8"]).get() == .zh)
        #expect(try Language.resolve(flag: "en", environment: ["SIMFUND_LANG": "zh"]).get() == .en)
        #expect(throws: LanguageError.self) { try Language.resolve(flag: "fr", environment: [:]).get() }
    }

    @Test func targetsInWords() {
        let coverage = Target(metric: .townshipCoverage, year: 2022, bound: .atLeast(0.9), district: nil)
        #expect(Labels(.en).target(coverage, districtNames: []) == "township coverage ≥ 90% in 2022")
        #expect(Labels(.zh).target(coverage, districtNames: []) == "2022年乡镇(街道)社工站覆盖率 ≥ 90%")
        let district = Target(metric: .townshipCoverage, year: 2023, bound: .atLeast(1), district: 0)
        #expect(Labels(.en).target(district, districtNames: ["Shouning"]) == "township coverage ≥ 100% in 2023 (Shouning)")
        let certified = Target(metric: .certified, year: 2023, bound: .atLeast(2610), district: nil)
        #expect(Labels(.en).target(certified, districtNames: []) == "certified workers ≥ 2,610 in 2023")
        #expect(Labels(.zh).target(certified, districtNames: []) == "2023年持证社工 ≥ 2,610人")
        let spending = Target(metric: .spendTotal, year: 2023, bound: .atMost(3e7), district: nil)
        #expect(Labels(.en).target(spending, districtNames: []) == "total spending ≤ 30 million yuan in 2023")
        #expect(Labels(.zh).target(spending, districtNames: []) == "2023年总支出 ≤ 3,000万元")
    }

    func difference(_ mean: Double, _ halfWidth: Double) -> PairedDifference {
        var d = PairedDifference([0, 0])
        d.mean = mean
        d.stderr = halfWidth / Proportion.z95
        return d
    }

    @Test func costEffectivenessByQuadrant() {
        let en = Labels(.en)
        #expect(CostQuadrant.classify(spending: -1, stations: 2) == .dominant)
        #expect(CostQuadrant.classify(spending: 1, stations: 2) == .costsMoreGainsMore)
        #expect(CostQuadrant.classify(spending: -1, stations: -2) == .savesLosesStations)
        #expect(CostQuadrant.classify(spending: 1, stations: -2) == .dominated)
        #expect(en.costEffectiveness(spending: difference(-1_200_000, 100_000), stations: difference(3.4, 1), ratio: nil)
            == "saves 1.20 million yuan and gains 3.4 staffed stations")
        #expect(en.costEffectiveness(spending: difference(2_000_000, 100_000), stations: difference(-2, 1), ratio: nil)
            == "costs 2.00 million yuan more and loses 2.0 staffed stations")
        let perStation = CostEffectiveness.Ratio(estimate: 420_000, low: 300_000, high: 540_000)
        #expect(en.costEffectiveness(spending: difference(2_100_000, 100_000), stations: difference(5, 1), ratio: perStation)
            == "420 thousand yuan more per extra staffed station [300, 540]")
        // A cut: less money, fewer stations; the ratio is positive but reads as a saving per station lost.
        let cut = CostEffectiveness.Ratio(estimate: 250_000, low: -50_000, high: 550_000)
        #expect(en.costEffectiveness(spending: difference(-1_000_000, 100_000), stations: difference(-4, 3), ratio: cut)
            == "saves 250 thousand yuan per station lost [-50, 550]; the ratio is undetermined (its 95% interval includes 0)")
        #expect(Labels(.zh).costEffectiveness(spending: difference(-1_000_000, 100_000), stations: difference(-4, 1),
                                              ratio: CostEffectiveness.Ratio(estimate: 250_000, low: 200_000, high: 300_000))
            == "每少一个有人驻站的社工站节省25.0万元 [20.0, 30.0]")
    }
}
