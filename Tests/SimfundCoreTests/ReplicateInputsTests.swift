import Testing
@testable import SimfundCore

/// The hook that rearranges a replicate's inputs (docs/model.md, "Rearranged inputs").
@Suite("Rearranged replicate inputs")
struct ReplicateInputsTests {
    private func values(_ probe: ReplicateProbe, _ metric: Metric) -> [Double] {
        (0..<probe.simulator.years).map { probe.value(metric, yearIndex: $0) }
    }

    @Test("default inputs reproduce the model's replicates exactly")
    func defaultInputs() throws {
        let scenario = try bundledScenario("ningde.json").base
        let table = MetricTable(scenario, seed: 7, replicates: 3)
        let probe = ReplicateProbe(scenario: scenario, seed: 7)
        for r in 0..<3 {
            try probe.run(replicate: r)
            for metric in Metric.allCases {
                #expect(values(probe, metric) == (0..<scenario.years).map { table.value(metric, yearIndex: $0, replicate: r) })
            }
        }
    }

    @Test("every parameter and the process streams from replicate 5 give replicate 5")
    func borrowedStreams() throws {
        let scenario = try bundledScenario("ningde.json").base
        let table = MetricTable(scenario, seed: 3, replicates: 6)
        let probe = ReplicateProbe(scenario: scenario, seed: 3)
        var inputs = probe.inputs
        for slot in scenario.parameters.indices { inputs.drawParameter(slot, fromReplicate: 5) }
        inputs.processReplicate = 5
        probe.inputs = inputs
        try probe.run(replicate: 0)
        let expected = (0..<scenario.years).map { table.value(.spendTotal, yearIndex: $0, replicate: 5) }
        #expect(values(probe, .spendTotal) == expected)
        // Borrowing only the process streams changes the outcome (Ningde has
        // uncertain parameters, so replicate 0's parameters with 5's chance differ from both).
        inputs.reset()
        inputs.processReplicate = 5
        probe.inputs = inputs
        try probe.run(replicate: 0)
        let mixed = values(probe, .certified)
        #expect(mixed != (0..<scenario.years).map { table.value(.certified, yearIndex: $0, replicate: 0) })
        #expect(mixed != (0..<scenario.years).map { table.value(.certified, yearIndex: $0, replicate: 5) })
    }

    @Test("a held value is used every year, and releasing it restores the draw")
    func heldValue() throws {
        var json = tinyScenarioJSON()
        json = setting(json, "budget.reliefShare", 0.02)
        let scenario = try scenario(json)
        let probe = ReplicateProbe(scenario: scenario, seed: 1)
        try probe.run(replicate: 0)
        let revenueAtTwoPercent = values(probe, .revenue)
        var inputs = probe.inputs
        inputs.hold(ParameterSlot.reliefShare.rawValue, at: 0.04)
        probe.inputs = inputs
        try probe.run(replicate: 0)
        let revenueAtFourPercent = values(probe, .revenue)
        // Holding at the file's value changes nothing.
        inputs.hold(ParameterSlot.reliefShare.rawValue, at: 0.02)
        probe.inputs = inputs
        try probe.run(replicate: 0)
        #expect(values(probe, .revenue) == revenueAtTwoPercent)
        #expect(zip(revenueAtFourPercent, revenueAtTwoPercent).allSatisfy { $0 > $1 })
        inputs.hold(ParameterSlot.reliefShare.rawValue, at: nil)
        probe.inputs = inputs
        try probe.run(replicate: 0)
        #expect(values(probe, .revenue) == revenueAtTwoPercent)
    }
}

@Suite("Uncertain inputs")
struct UncertainInputsTests {
    @Test("the tiny scenario has none; a distribution and a scheduled distribution are listed with their paths")
    func listed() throws {
        var json = tinyScenarioJSON()
        #expect(try scenario(json).uncertainInputs.isEmpty)
        json = setting(json, "workforce.passRate.junior", ["dist": "uniform", "min": 0.4, "max": 0.6])
        json = setting(json, "budget.reliefShare", ["schedule": ["2020": 0.1, "2021": ["dist": "uniform", "min": 0.05, "max": 0.15]]])
        json = setting(json, "budget.fiscal.0.amount", ["dist": "normal", "mean": 200_000, "sd": 10_000, "per": "year"])
        let inputs = try scenario(json).uncertainInputs
        #expect(inputs.map(\.path) == ["budget.reliefShare", "workforce.passRate.junior", "budget.fiscal.0.amount"])
        #expect(inputs.last?.per == .year)
    }
}
