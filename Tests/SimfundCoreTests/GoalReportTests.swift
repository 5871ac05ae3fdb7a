import Testing
@testable import SimfundCore

/// The goal report, rendered from goal.json and manifest.json as `simfund report DIR` does.
@Suite("Goal report")
struct GoalReportTests {
    func files(seed: UInt64 = 11, manifestSeed: UInt64? = nil) throws -> [String: String] {
        let json = GoalSeekTests.analyticJSON(targets: [GoalSeekTests.revenue("atLeast", 1_500_000)])
        let result = try GoalSeekTests.seek(json, lever: "budget.reliefShare", 0, 0.3, replicates: 200, seed: seed)
        let source = Array(jsonText(json).utf8)
        let manifest = RunManifest(command: "simfund goal tiny.json", scenarioName: "tiny", scenarioFile: "tiny.json", scenarioBytes: source,
                                   seed: manifestSeed ?? seed, replicates: 200, threads: 2)
        return ["goal.json": result.json(), "manifest.json": manifest.json(), "scenario.json": jsonText(json)]
    }

    @Test("the chart marks the answer and the P line; the targets are in words")
    func rendered() throws {
        let html = try HTMLReport.render(files: try files())
        #expect(html.contains("<svg id=\"goal-curve\""))
        #expect(html.contains("answer 12."))
        #expect(html.contains("P = 90%"))
        #expect(html.contains("new funds ≥ 1.5 million yuan in 2020"))
        #expect(html.contains("must be at least"))
        let zh = try HTMLReport.render(files: try files(), language: .zh)
        #expect(zh.contains("答案 12."))
    }

    @Test("a manifest from another run is refused")
    func mismatchedManifest() throws {
        #expect(throws: ReportError.self) { try HTMLReport.render(files: try files(manifestSeed: 12)) }
    }
}
