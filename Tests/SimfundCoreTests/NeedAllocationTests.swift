import Testing
@testable import SimfundCore

/// `allocate: need` (docs/model.md): shares by each district's cost of
/// renewing its units under contract plus opening a station in every
/// township without one, at the year's prices.
@Suite("Need allocation")
struct NeedAllocationTests {
    /// The tiny scenario with a second district, Beta (30,000 people, no
    /// stations), and one fiscal line of `amount` split by `allocate`; no other
    /// money, so each district's revenue is its share of the line.
    func twoDistricts(allocate: String, amount: Double) -> [String: Any] {
        var json = tinyScenarioJSON()
        var beta = (json["districts"] as! [[String: Any]])[0]
        beta["name"] = "Beta"
        beta["stations"] = ["streets": 0, "towns": 0]
        beta["population"] = 30000
        json["districts"] = (json["districts"] as! [[String: Any]]) + [beta]
        json = setting(json, "budget.fiscal", [["name": "n", "amount": amount, "allocate": allocate]])
        json = setting(json, "budget.reliefShare", 0)
        json = setting(json, "budget.lottery", 0)
        return json
    }

    @Test("Year 1: shares by renewal plus opening costs, computed by hand")
    func yearOneByHand() throws {
        let y = trace(try scenario(setting(twoDistricts(allocate: "need", amount: 304_000), "years", 1))).years[0]
        // Costs: street 200k, town 100k, urban room 50k, rural room 20k, station build 10k, φ = 1.
        // Alpha: renew 1 street + 1 town + 1 rural room = 320,000; open 1 street (210,000)
        //        and 2 towns (2 · 110,000) = 430,000; need 750,000.
        // Beta:  renew 1 rural room = 20,000; open 2 streets (420,000) and 3 towns (330,000); need 770,000.
        #expect(y[0].revenue == 304_000 * (750_000.0 / 1_520_000))
        #expect(y[1].revenue == 304_000 * (770_000.0 / 1_520_000))
        #expect(abs(y[0].revenue - 150_000) < 1e-6 && abs(y[1].revenue - 154_000) < 1e-6)
    }

    @Test("Year 2: shares from the units at the start of the year")
    func yearTwoFromStartOfYearUnits() throws {
        let run = trace(try scenario(twoDistricts(allocate: "need", amount: 304_000)))
        let contract = [200_000.0, 100_000, 50_000, 20_000]
        // Units at the end of year 1 (under contract; failures are 0) price year 2's needs.
        func need(_ d: Int) -> Double {
            let units = run.years[0][d].units
            let places = run.years[0][d].places
            let renewal = (0..<4).reduce(0.0) { $0 + Double(units[$1]) * contract[$1] }
            let opening = (0..<2).reduce(0.0) { $0 + Double(places[$1] - units[$1]) * (10_000 + contract[$1]) }
            return renewal + opening
        }
        let total = need(0) + need(1)
        #expect(run.years[1][0].revenue == 304_000 * (need(0) / total))
        #expect(run.years[1][1].revenue == 304_000 * (need(1) / total))
        // By hand. Alpha's year 1: 150,000 − subsidies 31,200 = 118,800 renews the town station only
        // (the street costs 200,000; 18,800 is left, short of the rural room's 20,000) and opens nothing.
        // Beta's year 1: 154,000 − 31,200 − rural room 20,000 − training 10,000 = 92,800 opens one urban
        // room (55,000) and one rural room (25,000).
        #expect(run.years[0][0].units == [0, 1, 0, 0])
        #expect(run.years[0][1].units == [0, 0, 1, 2])
        // Year 2: Alpha renews 1 town (100,000), opens 2 streets (420,000) and 2 towns (220,000);
        // Beta renews 1 urban and 2 rural rooms (90,000), opens 2 streets and 3 towns (750,000).
        #expect(need(0) == 740_000)
        #expect(need(1) == 840_000)
    }

    @Test("The price factor scales every need alike; no need at all falls back to population")
    func priceAndFallback() throws {
        let doubled = trace(try scenario(setting(setting(twoDistricts(allocate: "need", amount: 304_000), "costs.priceFactor", 2), "years", 1))).years[0]
        #expect(doubled[0].revenue == 304_000 * (1_500_000.0 / 3_040_000))
        // Every unit free: Σ need = 0, so population shares 10,000 : 30,000.
        var free = setting(twoDistricts(allocate: "need", amount: 400_000), "years", 1)
        for path in ["costs.stationContract.street", "costs.stationContract.town", "costs.roomContract.urban",
                     "costs.roomContract.rural", "costs.stationBuild"] {
            free = setting(free, path, 0)
        }
        let y = trace(try scenario(free)).years[0]
        #expect(y[0].revenue == 400_000 * 0.25)
        #expect(y[1].revenue == 400_000 * 0.75)
    }

    @Test("`need` is validated like the other rules")
    func validation() {
        #expect(issues(twoDistricts(allocate: "need", amount: 1)).isEmpty)
        let bad = issues(twoDistricts(allocate: "needs", amount: 1))
        #expect(bad.count == 1)
        #expect(bad.first?.path == "budget.fiscal[0].allocate")
        #expect(bad.first?.expected.contains("need") == true)
    }

    /// A fully staffed district, Full, whose four town stations are paid by a
    /// fiscal line alone, next to Empty, whose four towns can never get a
    /// station (no agencies). Nothing else moves: no workforce flows, no
    /// subsidies, awards or training, no carry-over (so a year's money is
    /// that year's share only).
    func staffedNextToEmpty(allocate: String) -> [String: Any] {
        func district(_ name: String, stations: Int, workers: Int, agencies: Int) -> [String: Any] {
            ["name": name, "population": 10000,
             "townships": ["streets": 0, "towns": 4], "communities": ["urban": 0, "rural": 0],
             "stations": ["streets": 0, "towns": stations], "rooms": ["urban": 0, "rural": 0],
             "workforce": ["uncertified": workers, "junior": 0, "intermediate": 0, "senior": 0],
             "agencies": agencies, "reliefFunds": 0]
        }
        var json = tinyScenarioJSON()
        json["districts"] = [district("Full", stations: 4, workers: 100, agencies: 2), district("Empty", stations: 0, workers: 0, agencies: 0)]
        json = setting(json, "years", 6)
        json = setting(json, "budget.fiscal", [["name": "stations", "amount": 880_000, "allocate": allocate]])
        for (path, value) in [("budget.reliefShare", 0.0), ("budget.lottery", 0), ("awards.pool", 0), ("training.share", 0),
                              ("workforce.graduates", 0), ("workforce.examTakeRate.junior", 0), ("workforce.examTakeRate.intermediate", 0),
                              ("workforce.attrition.uncertified", 0)] as [(String, Double)] {
            json = setting(json, path, value)
        }
        return setting(json, "budget.carryOver", false)
    }

    @Test("`uncovered` makes a fully staffed district lose its stations every other year; `need` does not")
    func noOscillation() throws {
        // uncovered: year 1 Full has 0 unstaffed townships (Empty 4): share 0, nothing renews, all 4 close.
        // Year 2: 4 and 4 unstaffed, Full gets 440,000 and reopens 4 · (10,000 + 100,000). Year 3 as year 1…
        let uncovered = trace(try scenario(staffedNextToEmpty(allocate: "uncovered"))).years
        #expect(uncovered.map { $0[0].staffed[1] } == [0, 4, 0, 4, 0, 4])
        #expect(uncovered.map { $0[0].revenue } == [0, 440_000, 0, 440_000, 0, 440_000])
        #expect(uncovered.map { $0[0].opened[1] } == [0, 4, 0, 4, 0, 4])

        // need: Full needs 4 · 100,000 = 400,000 (renewal), Empty 4 · 110,000 = 440,000 (opening), every year;
        // Full gets 880,000 · 400/840 ≥ 400,000 and renews all 4 every year.
        let need = trace(try scenario(staffedNextToEmpty(allocate: "need"))).years
        #expect(need.map { $0[0].staffed[1] } == [4, 4, 4, 4, 4, 4])
        #expect(need.allSatisfy { $0[0].revenue == 880_000 * (400_000.0 / 840_000) })
        #expect(need.allSatisfy { $0[0].renewed[1] == 4 && $0[0].opened[1] == 0 })
        #expect(need.allSatisfy { $0[1].revenue == 880_000 * (440_000.0 / 840_000) })
    }
}
