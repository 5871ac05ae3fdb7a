import Testing
@testable import SimfundCore

/// The engine's only unsafe storage.
@Suite("Columns")
struct ColumnTests {
    @Test("Columns start filled, read back what is written, and stay independent")
    func readWrite() {
        var arena = ColumnArena()
        let a = arena.column(7, count: 5)
        let b = arena.column(0.5, count: 3)
        let empty = arena.column(0, count: 0)
        #expect(a.array == [7, 7, 7, 7, 7])
        #expect(b.array == [0.5, 0.5, 0.5])
        #expect(empty.count == 0 && empty.array.isEmpty)
        a[2] = 42
        b.fill(1.5)
        #expect(a.array == [7, 7, 42, 7, 7])
        #expect(b.buffer.reduce(0, +) == 4.5)
        b.mutableBuffer[0] = 3
        #expect(b[0] == 3)
        // A copy of a column is the same storage (a pointer), as the engine relies on.
        let alias = a
        alias[0] = -1
        #expect(a[0] == -1)
    }

    @Test("A workspace lays unit columns out kind-major")
    func layout() throws {
        let scenario = try scenario(tinyScenarioJSON())
        let simulator = Simulator(scenario: scenario, seed: 1)
        let ws = simulator.makeWorkspace()
        #expect(ws.places.array == scenario.districts[0].places)
        #expect(ws.populationShares[0] == 1)
    }
}
