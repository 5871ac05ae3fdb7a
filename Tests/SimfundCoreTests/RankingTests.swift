import Testing
@testable import SimfundCore

/// The order of runs in a comparison (issue 10: ties broken by a second key).
@Suite("Ranking")
struct RankingTests {
    typealias Entry = Ranking.Entry

    @Test func tiesOnProbabilityAreBrokenByTheMetricsMean() {
        // The case: both at 0% probability, the alternative with more coverage first.
        let ranked = Ranking.order([Entry(name: "base", primary: 0, secondary: 0.61), Entry(name: "more", primary: 0, secondary: 0.74)],
                                   primaryHigherIsBetter: true, secondaryHigherIsBetter: true)
        #expect(ranked.map(\.name) == ["more", "base"])
    }

    @Test func primaryDecidesBeforeSecondary() {
        let ranked = Ranking.order([Entry(name: "a", primary: 0.2, secondary: 0.9), Entry(name: "b", primary: 0.5, secondary: 0.1)],
                                   primaryHigherIsBetter: true, secondaryHigherIsBetter: true)
        #expect(ranked.map(\.name) == ["b", "a"])
    }

    @Test func lowerIsBetterInBothKeys() {
        let entries = [Entry(name: "dear", primary: 3e7, secondary: 3e7), Entry(name: "cheap", primary: 2e7, secondary: 2e7),
                       Entry(name: "cheaper", primary: 1e7, secondary: 1e7)]
        #expect(Ranking.order(entries, primaryHigherIsBetter: false, secondaryHigherIsBetter: false).map(\.name) == ["cheaper", "cheap", "dear"])
        // An atMost spending target: probability higher is better, spending lower is better on ties.
        let target = [Entry(name: "dear", primary: 1, secondary: 3e7), Entry(name: "cheap", primary: 1, secondary: 2e7)]
        #expect(Ranking.order(target, primaryHigherIsBetter: true, secondaryHigherIsBetter: false).map(\.name) == ["cheap", "dear"])
    }

    @Test func fullTiesKeepInputOrderAndNaNRanksLast() {
        let entries = [Entry(name: "x", primary: .nan, secondary: 1), Entry(name: "a", primary: 0.5, secondary: 1),
                       Entry(name: "b", primary: 0.5, secondary: 1), Entry(name: "c", primary: 0.5, secondary: 1)]
        #expect(Ranking.order(entries, primaryHigherIsBetter: true, secondaryHigherIsBetter: true).map(\.name) == ["a", "b", "c", "x"])
        #expect(Ranking.order(entries, primaryHigherIsBetter: false, secondaryHigherIsBetter: true).map(\.name) == ["a", "b", "c", "x"])
    }
}
