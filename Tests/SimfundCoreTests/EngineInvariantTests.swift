import Foundation
import Testing
@testable import SimfundCore

/// Properties that hold in every replicate of every scenario.
@Suite("Engine invariants")
struct EngineInvariantTests {
    /// Ningde with wide uncertainty everywhere, so limits are actually reached.
    func stressedNingde() throws -> Scenario {
        var scenario = try bundledScenario("ningde.json").base
        scenario[.failureRate] = Parameter(.beta(alpha: 2, beta: 8), per: .year, role: .rate)
        scenario[.stationShare] = Parameter(.uniform(min: 0.01, max: 0.2), per: .replicate, role: .rate)
        scenario[.subsidyJunior] = Parameter(.uniform(min: 0, max: 3000), per: .replicate, role: .money)
        scenario[.agencyExitRate] = Parameter(.uniform(min: 0, max: 0.5), per: .replicate, role: .rate)
        return scenario
    }

    @Test("Money is conserved per district, counts stay in range", arguments: [false, true])
    func conservationAndRanges(carryOver: Bool) throws {
        var scenario = try stressedNingde()
        scenario.carryOver = carryOver
        for replicate in 0..<200 {
            let run = trace(scenario, seed: 99, replicate: replicate)
            for (t, year) in run.years.enumerated() {
                for (d, y) in year.enumerated() {
                    // carry in + revenue = subsidies + contracts + build + training + carry out (+ lapsed).
                    let inflow = y.carryIn + y.revenue
                    let outflow = y.paid + y.contracts + y.build + y.training + y.carryOut + y.lapsed
                    #expect(abs(inflow - outflow) <= 1e-6 * max(1, inflow), "replicate \(replicate) year \(t) district \(d)")
                    #expect(y.carryOut >= 0 && y.lapsed >= 0 && y.paid <= y.due + 1e-9)
                    for k in 0..<4 {
                        // staffed ≤ operating ≤ under contract ≤ places.
                        #expect(0 <= y.staffed[k] && y.staffed[k] <= y.units[k] - y.failed[k])
                        #expect(y.failed[k] <= y.units[k] && y.units[k] <= y.places[k])
                    }
                    #expect(min(y.uncertified, y.junior, y.intermediate, y.senior, y.agencies) >= 0)
                    #expect(y.trainees >= 0 && y.entrants <= y.graduates)
                }
                let metrics = run.metrics[t]
                for coverage in [Metric.townshipCoverage, .communityCoverage, .subsidyPaidRatio] {
                    #expect((0...1).contains(metrics[coverage.rawValue]))
                }
                // Awards come from their own pool, never from district budgets.
                #expect(metrics[Metric.spendAwards.rawValue] <= 900_000)
            }
        }
    }

    @Test("The same replicate gives the same trajectory, another replicate does not")
    func replicateDeterminism() throws {
        let scenario = try stressedNingde()
        let a = trace(scenario, seed: 5, replicate: 17)
        let b = trace(scenario, seed: 5, replicate: 17)
        let c = trace(scenario, seed: 5, replicate: 18)
        #expect(a.years == b.years)
        #expect(a.years != c.years)
        // A replicate does not depend on which replicate ran before it in the same workspace.
        let simulator = Simulator(scenario: scenario, seed: 5)
        var workspace = simulator.makeWorkspace()
        var stream = RandomStream()
        var warmUp = TraceRecorder(), again = TraceRecorder()
        simulator.run(replicate: 3, in: &workspace, stream: &stream, observer: &warmUp)
        simulator.run(replicate: 17, in: &workspace, stream: &stream, observer: &again)
        #expect(again.years == a.years)
    }

    @Test("Output is bit-identical for 1, 2 and 3 threads")
    func threadIndependence() throws {
        let file = try bundledScenario("ningde.json")
        let one = try Runner.simulate(file.base, seed: 11, replicates: 300, threads: 1)
        for threads in [2, 3, 7] {
            let many = try Runner.simulate(file.base, seed: 11, replicates: 300, threads: threads)
            #expect(RunSummary(one).summaryJSON() == RunSummary(many).summaryJSON())
        }
    }

    @Test("Different seeds give different runs")
    func seedsMatter() throws {
        let scenario = try bundledScenario("ningde.json").base
        let a = MetricTable(scenario, seed: 1, replicates: 50)
        let b = MetricTable(scenario, seed: 2, replicates: 50)
        #expect(a.storage != b.storage)
    }
}

import SimfundStochastics

@Suite("Extreme draws")
struct ExtremeDrawTests {
    @Test("Absurdly large or wide distributions run without trapping")
    func extremes() throws {
        var json = tinyScenarioJSON()
        json = setting(json, "years", 30)
        // The largest parameters validation accepts (±1e15, docs/model.md).
        json = setting(json, "workforce.graduates", ["dist": "normal", "mean": 1e15, "sd": 1e14])
        json = setting(json, "procurement.maxNewUnitsPerYear", ["dist": "normal", "mean": 1e15, "sd": 1])
        json = setting(json, "budget.reliefGrowth", ["dist": "normal", "mean": 50, "sd": 10])
        json = setting(json, "procurement.agencyEntryPer10M", 1e9)
        json = setting(json, "procurement.contractsPerAgency", ["dist": "uniform", "min": 1e7, "max": 1e9])
        json = setting(json, "costs.priceFactor", ["dist": "normal", "mean": 0, "sd": 5])
        let s = try scenario(json)
        #expect(s[.graduates].clamp(1e18) == 1e8)
        let output = try Runner.simulate(s, seed: 1, replicates: 20, threads: 2)
        let summary = RunSummary(output)
        #expect(summary.metrics[.talent]!.last!.min > 0)
        #expect(summary.metrics[.townshipCoverage]!.allSatisfy { (0...1).contains($0.max) })
    }
}

@Suite("Engine values stay in range")
struct EngineRangeTests {
    @Test("A draw that is not finite is reported as an internal error naming the parameter, never a trap")
    func nonFiniteDraw() throws {
        var s = try scenario(tinyScenarioJSON())
        // Validation refuses such a distribution; build it behind the validator's back.
        s[.entryRate] = Parameter(.triangular(min: -1e308, mode: 0, max: 1e308), per: .replicate, role: .rate)
        do {
            _ = try Runner.simulate(s, seed: 1, replicates: 10, threads: 2)
            Issue.record("expected a failure")
        } catch {
            guard case let .gsl(message) = error else { Issue.record("expected an internal error, got \(error)"); return }
            #expect(message.contains("workforce.entryRate") && message.contains("not finite"), "\(message)")
        }
    }

    @Test("Relief funds are capped at 10^15 yuan: growth cannot overflow to infinity")
    func reliefCap() throws {
        var json = tinyScenarioJSON()
        json = setting(json, "years", 200)
        json = setting(json, "budget.reliefGrowth", 100)
        json = setting(json, "districts.0.reliefFunds", 1e15)
        let summary = RunSummary(try Runner.simulate(try scenario(json), seed: 1, replicates: 3, threads: 1))
        for metric in Metric.allCases {
            for stats in summary.metrics[metric]! {
                let finite = [stats.mean, stats.sd, stats.p5, stats.p95, stats.min, stats.max].allSatisfy { $0.isFinite }
                #expect(finite, "\(metric.name)")
            }
        }
        #expect(summary.summaryJSON().contains("null") == false)
    }

    @Test("When every unit fails, contract spending is exactly 0, never −1e-9")
    func refundsExact() throws {
        var json = tinyScenarioJSON()
        json = setting(json, "procurement.failureRate", 1)
        json = setting(json, "costs.stationContract.street", 123_456.789)
        json = setting(json, "costs.priceFactor", ["dist": "lognormal", "median": 1.0, "sigma": 0.3])
        let t = trace(try scenario(json))
        for year in t.years { for d in year { #expect(d.contracts == 0) } }
    }
}
