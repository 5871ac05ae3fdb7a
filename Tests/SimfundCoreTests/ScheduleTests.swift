import Foundation
import Testing
@testable import SimfundCore

/// Schedules: `{"schedule": {"2024": V, "2026": W}}` for any policy parameter.
@Suite("Schedules")
struct ScheduleTests {
    /// One district of 10 towns and no randomness: relief funds of 10 million
    /// that do not grow, no other money, no subsidies or training, free
    /// building, 100,000 yuan per town station, no carry-over. A year's
    /// revenue buys ⌊revenue / 100,000⌋ stations under contract.
    func switchingScenario(reliefShare: Any) -> [String: Any] {
        [
            "simfund": 1, "name": "switch", "startYear": 2020, "years": 4, "replicates": 2, "seed": 1,
            "districts": [[
                "name": "Solo", "population": 10000,
                "townships": ["streets": 0, "towns": 10], "communities": ["urban": 0, "rural": 0],
                "stations": ["streets": 0, "towns": 0], "rooms": ["urban": 0, "rural": 0],
                "workforce": ["uncertified": 100, "junior": 0, "intermediate": 0, "senior": 0],
                "agencies": 10, "reliefFunds": 10_000_000,
            ]],
            "budget": ["reliefShare": reliefShare, "reliefGrowth": 0, "carryOver": false],
            "costs": [
                "stationContract": ["street": 200_000, "town": 100_000], "roomContract": ["urban": 50_000, "rural": 20_000],
                "stationBuild": 0, "roomBuild": 0, "priceFactor": 1,
            ],
            "staffing": ["street": 2, "town": 1, "urbanRoom": 2, "ruralRoom": 1, "stationShare": 0.5],
            "subsidies": ["junior": 0, "intermediate": 0, "senior": 0],
            "workforce": [
                "graduates": 0, "entryRate": 0,
                "examTakeRate": ["junior": 0, "intermediate": 0, "senior": 0],
                "passRate": ["junior": 0, "intermediate": 0, "senior": 0],
                "attrition": ["uncertified": 0, "junior": 0, "intermediate": 0, "senior": 0],
                "referenceWage": 60_000, "subsidyElasticity": 0, "awardElasticity": 0,
            ],
            "procurement": [
                "contractsPerAgency": 3, "failureRate": 0, "agencyEntryPer10M": 0,
                "agencyExitRate": 0, "maxNewUnitsPerYear": 10,
            ],
        ]
    }

    @Test("reliefShare switching from 1% to 3% in 2022 changes revenue and contracts exactly from 2022")
    func switchByHand() throws {
        let plain = trace(try scenario(switchingScenario(reliefShare: 0.01))).years.map { $0[0] }
        let switched = trace(try scenario(switchingScenario(reliefShare: ["schedule": ["2020": 0.01, "2022": 0.03]]))).years.map { $0[0] }
        // 1% of 10 million: 100,000 a year opens one station in 2020 and renews it after.
        #expect(plain.map(\.revenue) == [100_000, 100_000, 100_000, 100_000])
        #expect(plain.map(\.contracts) == [100_000, 100_000, 100_000, 100_000])
        #expect(plain.map { $0.units[1] } == [1, 1, 1, 1])
        // From 2022, 3%: 300,000 renews the station and opens two more; 2023 renews all three.
        #expect(switched.map(\.revenue) == [100_000, 100_000, 0.03 * 10_000_000, 0.03 * 10_000_000])
        #expect(switched.map(\.contracts) == [100_000, 100_000, 300_000, 300_000])
        #expect(switched.map { $0.opened[1] } == [1, 0, 2, 0])
        #expect(switched.map { $0.units[1] } == [1, 1, 3, 3])
        // Before the switch every value of the year is the same.
        #expect(Array(switched.prefix(2)) == Array(plain.prefix(2)))
    }

    /// The Ningde scenario as a dictionary, to rewrite its parameters.
    func ningde() throws -> [String: Any] {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/ningde.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    func value(_ json: [String: Any], _ path: String) -> Any {
        path.split(separator: ".").reduce(json as Any) { node, key in
            if let array = node as? [Any], let i = Int(key) { return array[i] }
            return (node as! [String: Any])[String(key)]!
        }
    }

    @Test("Schedules whose entries all equal the plain value give identical results")
    func equalEntriesChangeNothing() throws {
        let plain = try ningde()
        var scheduled = plain
        // A fixed value, a per-replicate distribution, a per-year distribution and a fiscal amount.
        for (path, years) in [("budget.reliefShare", ["2020"]), ("workforce.examTakeRate.junior", ["2019", "2022"]),
                              ("costs.priceFactor", ["2020", "2021", "2023"]), ("budget.fiscal.0.amount", ["2020", "2023"])] {
            let entry = value(plain, path)
            scheduled = setting(scheduled, path, ["schedule": Dictionary(uniqueKeysWithValues: years.map { ($0, entry) })])
        }
        let base = try scenario(plain), same = try scenario(scheduled)
        #expect(same.schedules.count == 4)
        let a = RunSummary(try Runner.simulate(base, seed: 5, replicates: 300, threads: 2))
        let b = RunSummary(try Runner.simulate(same, seed: 5, replicates: 300, threads: 2))
        #expect(a.metrics == b.metrics)
        #expect(a.targets == b.targets)
        #expect(a.districts == b.districts)
    }

    @Test("An alternative changing the 2022 value leaves 2020 and 2021 identical in every replicate")
    func laterEntryChangesNothingBefore() throws {
        var json = try ningde()
        json = setting(json, "budget.reliefShare", ["schedule": ["2020": 0.01, "2022": 0.01]])
        let pert = value(json, "workforce.examTakeRate.junior")
        json = setting(json, "workforce.examTakeRate.junior", ["schedule": ["2020": pert, "2022": pert]])
        json["alternatives"] = [["name": "2% and more exam takers from 2022",
                                 "set": ["budget.reliefShare.schedule.2022": 0.02, "workforce.examTakeRate.junior.schedule.2022.mode": 0.45]]]
        let file = try ScenarioLoader.load(text: jsonText(json))
        let alternative = try #require(file.alternatives.first).scenario
        var changedIn2022 = 0
        for r in 0..<25 {
            let before = trace(file.base, seed: 11, replicate: r), after = trace(alternative, seed: 11, replicate: r)
            #expect(Array(before.years.prefix(2)) == Array(after.years.prefix(2)), "replicate \(r)")
            #expect(Array(before.parameters.prefix(2)) == Array(after.parameters.prefix(2)), "replicate \(r)")
            #expect(after.parameters[2][ParameterSlot.reliefShare.rawValue] == 0.02)
            if before.years[2] != after.years[2] { changedIn2022 += 1 }
        }
        #expect(changedIn2022 == 25)
    }

    @Test("Sweeps and alternatives reach a year's value; a missing year is a clear error")
    func paths() throws {
        let json = setting(try ningde(), "budget.reliefShare", ["schedule": ["2020": 0.01, "2022": 0.02]])
        let document = try JSONParser.parse(bytes: Array(jsonText(json).utf8))
        let changed = try DocumentPaths.setting("budget.reliefShare.schedule.2022", to: JSONNode(.number(0.05, literal: "0.05")), in: document).get()
        let swept = try ScenarioLoader.load(document: changed, fileName: "s.json").base
        #expect(swept.schedules[ParameterSlot.reliefShare.rawValue]?.entries.map(\.parameter.fixedValue) == [0.01, 0.05])
        guard case let .failure(problem) = DocumentPaths.setting("budget.reliefShare.schedule.2021", to: JSONNode(.number(1, literal: "1")), in: document) else {
            Issue.record("a year that is not in the schedule must not resolve")
            return
        }
        #expect(problem.reason.contains("2020, 2022"))
        guard case let .failure(whole) = DocumentPaths.setting("budget.reliefShare.median", to: JSONNode(.number(1, literal: "1")), in: document) else {
            Issue.record("a schedule has no distribution parameters")
            return
        }
        #expect(whole.reason.contains("budget.reliefShare.schedule.YEAR"))
        // Replacing the whole schedule works too.
        let replaced = ScenarioLoader.validate(try DocumentPaths.setting("budget.reliefShare.schedule", to: try JSONParser.parse(bytes: Array(#"{"2019": 0.03}"#.utf8)), in: document).get())
        #expect(replaced.isEmpty)
    }

    @Test("Bad schedules name the year and say what was expected")
    func validation() throws {
        func problems(_ schedule: Any, at path: String = "budget.reliefShare") throws -> [String] {
            issues(setting(try ningde(), path, schedule)).map { "\($0.path): \($0.expected)" }
        }
        #expect(try problems(["schedule": ["2020": 0.01, "2023": 0.02]]).isEmpty)
        #expect(try problems(["schedule": ["2021": 0.01]]) == ["budget.reliefShare.schedule.2021: a first entry at or before startYear 2020, so that every year has a value"])
        #expect(try problems(["schedule": ["2020": 0.01, "2024": 0.02]]) == ["budget.reliefShare.schedule.2024: a year of the horizon after startYear, 2021–2023 (only the first entry may be at or before 2020)"])
        #expect(try problems(["schedule": ["2018": 0.01, "2019": 0.02]]).first?.hasPrefix("budget.reliefShare.schedule.2019: a year of the horizon") == true)
        #expect(try problems(["schedule": ["2020": 1.5]]) == ["budget.reliefShare.schedule.2020: a rate in [0, 1]"])
        #expect(try problems(["schedule": ["2020": ["dist": "beta", "alpha": 2]]]) == ["budget.reliefShare.schedule.2020.beta: required parameter \"beta\" of beta"])
        #expect(try problems(["schedule": ["twenty": 0.01]]) == ["budget.reliefShare.schedule.twenty: a calendar year as the key, such as \"2026\""])
        #expect(try problems(["schedule": [:] as [String: Any]]).first?.hasPrefix("budget.reliefShare.schedule: an object of year → value") == true)
        #expect(try problems(["schedule": ["2020": ["schedule": ["2020": 0.01]]]]) == ["budget.reliefShare.schedule.2020: a number or a distribution (schedules do not nest)"])
        #expect(try problems(["schedule": ["2020": 0.01], "dist": "fixed"]).first?.hasPrefix("budget.reliefShare.dist: only the field \"schedule\"") == true)
        #expect(try problems(["schedule": ["2020": -5]], at: "budget.fiscal.1.amount") == ["budget.fiscal[1].amount.schedule.2020: an amount ≥ 0 (yuan, at most 1e15)"])
        // Years out of order (JSONSerialization sorts keys, so write the text).
        let text = jsonText(try ningde()).replacingOccurrences(of: "\"reliefShare\" : 0.01", with: "\"reliefShare\" : {\"schedule\": {\"2022\": 0.02, \"2020\": 0.01}}")
        #expect(issues(text).map(\.expected).contains("years in increasing order (after 2022)"))
    }
}
