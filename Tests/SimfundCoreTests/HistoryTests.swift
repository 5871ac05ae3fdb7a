import Testing
@testable import SimfundCore

/// Checks against history (docs/figures.md).
@Suite("History checks")
struct HistoryTests {
    @Test("Ningde: 2,610 certified in 2023 lies inside the p5–p95 band")
    func ningdeBacktest() throws {
        let file = try bundledScenario("ningde.json")
        let output = try Runner.simulate(file.base, seed: file.base.seed!, replicates: file.base.replicates, threads: 2)
        let certified2023 = RunSummary(output).metrics[.certified]![2023 - file.base.startYear]
        #expect(certified2023.p5 <= 2610 && 2610 <= certified2023.p95, "p5 \(certified2023.p5), p95 \(certified2023.p95)")
        // Coverage near the 128 stations Ningde reports.
        let coverage = RunSummary(output).metrics[.townshipCoverage]![3]
        #expect(coverage.p50 > 0.85)
    }
}
