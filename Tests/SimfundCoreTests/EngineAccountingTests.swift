import Testing
@testable import SimfundCore

/// Every step of docs/model.md, "The yearly step" on a scenario with fixed values and rates
/// of 0 or 1, computed by hand in the comments.
@Suite("Engine accounting by hand")
struct EngineAccountingTests {
    @Test("Year 1 of the tiny scenario, step by step")
    func yearOneByHand() throws {
        let run = trace(try scenario(tinyScenarioJSON()))
        let y = run.years[0][0]

        // 2. Revenue: R = 10,000,000 · 1.1 = 11,000,000; 0.1·R + fiscal 200,000 + lottery 100,000.
        #expect(y.carryIn == 0)
        #expect(y.revenue == 1_100_000 + 200_000 + 100_000)
        // 3. Subsidies: 12·(100·10 + 200·5 + 300·2) = 31,200, paid in full.
        #expect(y.due == 31_200)
        #expect(y.paid == 31_200)
        // 4. Renewal: 1 street (200k), 1 town (100k), 0 urban, 1 rural (20k); budget left 1,048,800.
        #expect(y.renewed == [1, 1, 0, 1])
        // 5. Training: ⌊0.1 · 1,048,800 / 1000⌋ = 104, capped at U = 100; cost 100,000; left 948,800.
        #expect(y.trainees == 100)
        #expect(y.training == 100_000)
        // 6. Expansion: capacity 2·3 − 3 = 3. Street: min(1, 3, 10, ⌊948,800/210,000⌋ = 4) = 1, left 738,800.
        //    Town: min(2, 2, 9, ⌊738,800/110,000⌋ = 6) = 2, left 518,800. Capacity is then used up.
        #expect(y.opened == [1, 2, 0, 0])
        #expect(y.units == [2, 3, 0, 1])
        // Contracts: renewal 320,000 + new 200,000 + 2·100,000; build 10,000 + 2·10,000.
        #expect(y.contracts == 720_000)
        #expect(y.build == 30_000)
        // 7. Failures: q = 0.
        #expect(y.failed == [0, 0, 0, 0])
        // 8. Awards: min(3, ⌊100,000/40,000⌋) = 2 given; intensity 80,000 / (17 · 60,000).
        #expect(run.awardsGiven[0] == 2)
        #expect(abs(run.awardIntensity[0] - 80_000.0 / (17 * 60_000)) < 1e-15)
        // 9. Workforce: 50 graduates all enter; 100 take the junior exam and pass with
        //    p = min(1, 0.5·(1 + 1·min(1, 100/100))) = 1; all 10 juniors pass intermediate;
        //    then every uncertified worker leaves (rate 1), certified stay (rate 0).
        #expect(y.graduates == 50)
        #expect(y.entrants == 50)
        #expect(y.passJunior == 100)
        #expect(y.passIntermediate == 10)
        #expect(y.passSenior == 0)
        #expect(y.leavers == [50, 0, 0, 0])
        #expect([y.uncertified, y.junior, y.intermediate, y.senior] == [0, 100, 15, 2])
        // 10. Staffing: pool ⌊0.5 · 117⌋ = 58; street 2·2 → 54; town 3 → 51; urban 0; rural 1 → 50.
        #expect(y.staffed == [2, 3, 0, 1])
        // 11. Agencies: no entry, no exit.
        #expect(y.agencies == 2)
        // 12. Carry: 518,800.
        #expect(y.carryOut == 518_800)

        let metrics = run.metrics[0]
        #expect(metrics[Metric.townshipCoverage.rawValue] == 1)
        #expect(metrics[Metric.communityCoverage.rawValue] == 1.0 / 6)
        #expect(metrics[Metric.stations.rawValue] == 5)
        #expect(metrics[Metric.rooms.rawValue] == 1)
        #expect(metrics[Metric.certified.rawValue] == 117)
        #expect(metrics[Metric.talent.rawValue] == 117)
        #expect(metrics[Metric.certifiedPer10k.rawValue] == 117)
        #expect(metrics[Metric.subsidyPaidRatio.rawValue] == 1)
        #expect(metrics[Metric.spendAwards.rawValue] == 80_000)
        #expect(metrics[Metric.spendTotal.rawValue] == 31_200 + 720_000 + 30_000 + 100_000 + 80_000)
        #expect(metrics[Metric.carry.rawValue] == 518_800)
    }

    @Test("Year 2 starts from year 1's carry, grown relief funds and new counts")
    func yearTwoCarries() throws {
        let run = trace(try scenario(tinyScenarioJSON()))
        let y = run.years[1][0]
        #expect(y.carryIn == 518_800)
        // R = 11,000,000 · 1.1 = 12,100,000 (rounding of 1.1·1.1 aside).
        #expect(abs(y.revenue - (1_210_000 + 300_000)) < 1e-6)
        // Due on start-of-year counts J 100, I 15, S 2: 12·(10,000 + 3,000 + 600).
        #expect(y.due == 163_200)
        // Renewal of everything opened in year 1: 2·200k + 3·100k + 20k.
        #expect(y.renewed == [2, 3, 0, 1])
        // No uncertified workers are left to train, so nothing is spent on training.
        #expect(y.trainees == 0)
    }

    @Test("Failure rate 1: every unit is dark, its contract refunded, nothing staffed")
    func allContractsFail() throws {
        let run = trace(try scenario(setting(tinyScenarioJSON(), "procurement.failureRate", 1)))
        let y = run.years[0][0]
        #expect(y.failed == y.units)
        #expect(y.staffed == [0, 0, 0, 0])
        // Net contract spending is zero; build costs stay spent.
        #expect(y.contracts == 0)
        #expect(y.build == 30_000)
        #expect(y.carryOut == 518_800 + 720_000)
        #expect(run.metrics[0][Metric.townshipCoverage.rawValue] == 0)
        #expect(run.metrics[0][Metric.failedContracts.rawValue] == 6)
        // Dark units stay under contract and count in `stations` / `rooms`.
        #expect(run.metrics[0][Metric.stations.rawValue] == 5)
    }

    @Test("Agency exit rate 1 closes every agency; entry follows net contract spending")
    func agencies() throws {
        var json = setting(tinyScenarioJSON(), "procurement.agencyExitRate", 1)
        json = setting(json, "years", 1)
        let y = trace(try scenario(json)).years[0][0]
        #expect(y.agencyExits == 2)
        #expect(y.agencies == y.agencyEntries)
    }

    @Test("Subsidies beyond the budget are paid in part and lower the paid share")
    func subsidyShortfall() throws {
        var json = setting(tinyScenarioJSON(), "subsidies.junior", 20_000)
        json = setting(json, "years", 1)
        let run = trace(try scenario(json))
        let y = run.years[0][0]
        // Due 12·(20,000·10 + 1,000 + 600) = 2,419,200 > budget 1,400,000: all of it goes to subsidies.
        #expect(y.due == 2_419_200)
        #expect(y.paid == 1_400_000)
        #expect(y.renewed == [0, 0, 0, 0])
        #expect(y.opened == [0, 0, 0, 0])
        #expect(run.metrics[0][Metric.subsidyPaidRatio.rawValue] == 1_400_000.0 / 2_419_200)
    }

    @Test("Without carry-over the remaining budget lapses")
    func noCarryOver() throws {
        let run = trace(try scenario(setting(tinyScenarioJSON(), "budget.carryOver", false)))
        #expect(run.years[0][0].carryOut == 0)
        #expect(run.years[0][0].lapsed == 518_800)
        #expect(run.years[1][0].carryIn == 0)
    }

    @Test("Expansion stops at maxNewUnitsPerYear and at agency capacity")
    func expansionLimits() throws {
        var json = setting(tinyScenarioJSON(), "procurement.maxNewUnitsPerYear", 2)
        json = setting(json, "procurement.contractsPerAgency", 100)
        let y = trace(try scenario(json)).years[0][0]
        #expect(y.opened == [1, 1, 0, 0])
    }

    @Test("`uncovered` allocation follows unstaffed townships; `equal` splits evenly")
    func allocationRules() throws {
        var json = tinyScenarioJSON()
        var second = (json["districts"] as! [[String: Any]])[0]
        second["name"] = "Beta"
        second["stations"] = ["streets": 0, "towns": 0]
        second["population"] = 30000
        json["districts"] = (json["districts"] as! [[String: Any]]) + [second]
        json = setting(json, "budget.fiscal", [["name": "u", "amount": 300_000, "allocate": "uncovered"],
                                               ["name": "e", "amount": 100_000, "allocate": "equal"]])
        json = setting(json, "budget.reliefShare", 0)
        json = setting(json, "budget.lottery", 0)
        json = setting(json, "years", 1)
        let y = trace(try scenario(json)).years[0]
        // Step 10 on the file's state: Alpha staffs its 2 stations (5 − 2 = 3 unstaffed), Beta none (5 unstaffed).
        #expect(y[0].revenue == 300_000 * 3 / 8 + 50_000)
        #expect(y[1].revenue == 300_000 * 5 / 8 + 50_000)
    }

    @Test("Graduates are split over districts by population, summing to G")
    func graduateSplit() throws {
        var json = tinyScenarioJSON()
        var second = (json["districts"] as! [[String: Any]])[0]
        second["name"] = "Beta"
        json["districts"] = (json["districts"] as! [[String: Any]]) + [second]
        json = setting(json, "workforce.graduates", 1000)
        let run = trace(try scenario(json))
        for year in run.years {
            #expect(year[0].graduates + year[1].graduates == 1000)
            #expect(year[0].entrants == year[0].graduates)
        }
    }

    @Test("affordable() never buys more than the budget covers")
    func affordableCounts() {
        #expect(affordable(1_000, 300) == 3)
        #expect(affordable(900, 300) == 3)
        #expect(affordable(0, 300) == 0)
        #expect(affordable(-1e-9, 300) == 0)
        #expect(affordable(100, 0) == Int.max)
        // 0.3 / 0.1 rounds to 2.9999999999999996; three units of 0.1 cost 0.30000000000000004 > 0.3.
        #expect(affordable(0.3, 0.1) == 2)
        for budget in stride(from: 0.0, to: 50, by: 0.7) {
            let n = affordable(budget, 0.35)
            #expect(Double(n) * 0.35 <= budget)
            #expect(Double(n + 1) * 0.35 > budget)
        }
    }
}
