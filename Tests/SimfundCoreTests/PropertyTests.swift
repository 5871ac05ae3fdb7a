import Foundation
import Testing
@_spi(Checking) @testable import SimfundCore
import SimfundStochastics

/// Properties of every valid scenario (issue 8, "Tests must show"): random
/// valid scenarios — every distribution kind, per replicate and per year,
/// clamps, every allocation rule, optional blocks present or absent, edge
/// values (zero places, zero costs, rates 0 and 1, counts and amounts at
/// their caps, one or several districts) — are loaded, run and checked.
/// Each case is one seed; a failure names it, and
/// `ScenarioGenerator(seed:).json()` rebuilds the scenario.
@Suite("Properties of random valid scenarios")
struct PropertyTests {
    static let seeds = Array(UInt64(0)..<200)

    @Test("Random valid scenarios: no crash, finite statistics, no negative count or money, coverage in [0, 1], staffed ≤ operating ≤ total",
          arguments: seeds)
    func randomScenario(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        let text = jsonText(generator.json())
        let file: ScenarioFile
        do {
            file = try ScenarioLoader.load(text: text, fileName: "seed-\(seed).json")
        } catch {
            Issue.record("seed \(seed): the generated scenario does not validate: \(error.lines.prefix(5))")
            return
        }
        // Alternatives checked and built from their changes equal those of whole documents.
        let whole = try ScenarioLoader.load(document: JSONParser.parse(text), fileName: "seed-\(seed).json", wholeAlternatives: true)
        #expect(whole.alternatives == file.alternatives, "seed \(seed)")
        #expect(whole.warnings == file.warnings, "seed \(seed)")
        for scenario in [file.base] + file.alternatives.map(\.scenario) {
            try check(scenario, seed: seed)
        }
    }

    func check(_ scenario: Scenario, seed: UInt64) throws {
        let output = try Runner.simulate(scenario, seed: seed, replicates: 4, threads: 1)
        let summary = RunSummary(output)
        let label = "seed \(seed) (\(scenario.name))"

        for (metric, years) in summary.metrics {
            for (y, statistics) in years.enumerated() {
                let values = [statistics.mean, statistics.stderr, statistics.sd, statistics.p5, statistics.p25,
                              statistics.p50, statistics.p75, statistics.p95, statistics.min, statistics.max]
                #expect(values.allSatisfy { $0.isFinite }, "\(label): \(metric.name) year \(y): \(statistics)")
                // Every metric is a count, a share or an amount of money.
                #expect(statistics.min >= 0, "\(label): \(metric.name) year \(y) min \(statistics.min)")
                if metric.unit == "share" {
                    #expect(statistics.max <= 1, "\(label): \(metric.name) year \(y) max \(statistics.max)")
                }
            }
        }
        for district in summary.districts {
            for statistics in district.townshipCoverage + district.communityCoverage {
                #expect(statistics.min >= 0 && statistics.max <= 1 && statistics.mean.isFinite && statistics.sd.isFinite,
                        "\(label): district \(district.name): \(statistics)")
            }
        }
        for outcome in summary.targets {
            #expect((0...1).contains(outcome.probability.estimate) && outcome.probability.low <= outcome.probability.high,
                    "\(label): \(outcome.target)")
        }

        // Per district and year, from the full trace of two replicates.
        for replicate in 0..<2 {
            let run = trace(scenario, seed: seed, replicate: replicate)
            for (t, year) in run.years.enumerated() {
                for (d, y) in year.enumerated() {
                    let at = "\(label): replicate \(replicate) year \(t) district \(d)"
                    let money = [y.carryIn, y.revenue, y.due, y.paid, y.build, y.training, y.carryOut, y.lapsed]
                    #expect((money + [y.contracts]).allSatisfy { $0.isFinite }, "\(at): money \(money), contracts \(y.contracts)")
                    #expect(money.allSatisfy { $0 >= 0 }, "\(at): money \(money)")
                    #expect(y.contracts >= 0, "\(at): spendContracts \(y.contracts)")
                    for k in 0..<4 {
                        let operating = y.units[k] - y.failed[k]
                        #expect(0 <= y.staffed[k] && y.staffed[k] <= operating && operating <= y.units[k] && y.units[k] <= y.places[k],
                                "\(at): kind \(k): staffed \(y.staffed[k]), units \(y.units[k]), failed \(y.failed[k]), places \(y.places[k])")
                    }
                    let counts = [y.uncertified, y.junior, y.intermediate, y.senior, y.agencies, y.trainees, y.entrants,
                                  y.graduates, y.passJunior, y.passIntermediate, y.passSenior, y.agencyEntries, y.agencyExits]
                        + y.renewed + y.opened + y.leavers
                    #expect(counts.allSatisfy { $0 >= 0 }, "\(at): counts \(counts)")
                }
                #expect(run.metrics[t].allSatisfy { $0.isFinite }, "\(label): replicate \(replicate) year \(t): \(run.metrics[t])")
            }
        }
    }

    @Test("The generator covers every distribution, allocation and optional block within the seeds")
    func generatorCoverage() {
        var distributions: Set<String> = [], allocations: Set<String> = [], pers: Set<String> = []
        var optionalPresent: Set<String> = [], optionalAbsent: Set<String> = []
        var districtCounts: Set<Int> = [], clamped = false
        for seed in PropertyTests.seeds {
            var generator = ScenarioGenerator(seed: seed)
            let json = generator.json()
            func walk(_ node: Any) {
                if let object = node as? [String: Any] {
                    if let dist = object["dist"] as? String { distributions.insert(dist) }
                    if let per = object["per"] as? String { pers.insert(per) }
                    if let allocate = object["allocate"] as? String { allocations.insert(allocate) }
                    if object["dist"] != nil, object["min"] != nil, !["uniform", "triangular", "pert"].contains(object["dist"] as? String ?? "") { clamped = true }
                    object.values.forEach(walk)
                } else if let array = node as? [Any] {
                    array.forEach(walk)
                }
            }
            walk(json)
            let budget = json["budget"] as! [String: Any]
            for (name, present) in [("awards", json["awards"] != nil), ("training", json["training"] != nil),
                                    ("targets", json["targets"] != nil), ("lottery", budget["lottery"] != nil),
                                    ("fiscal", budget["fiscal"] != nil), ("alternatives", json["alternatives"] != nil)] {
                if present { optionalPresent.insert(name) } else { optionalAbsent.insert(name) }
            }
            districtCounts.insert((json["districts"] as! [Any]).count)
        }
        #expect(distributions == Set(Distribution.parameterNames.keys))
        #expect(allocations == ["population", "equal", "uncovered"])
        #expect(pers == ["replicate", "year"])
        #expect(optionalPresent == optionalAbsent && optionalPresent.count == 6)
        #expect(districtCounts.contains(1) && districtCounts.contains { $0 > 1 })
        #expect(clamped)
    }
}

/// Draws for the scenario generator (SplitMix64 is in Fixtures.swift;
/// independent of the engine's streams).
extension SplitMix64 {
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func chance(_ p: Double) -> Bool { unit() < p }
    mutating func pick<T>(_ choices: [T]) -> T { choices[int(0...choices.count - 1)] }
}

/// Random valid scenarios, as JSON dictionaries, with edge values favoured.
struct ScenarioGenerator {
    var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(state: seed &* 0x2545_F491_4F6C_DD1D &+ 1) }

    /// A count: 0, 1, small, or at the cap.
    mutating func count(cap: Int) -> Int {
        switch random.int(0...9) {
        case 0: return 0
        case 1: return 1
        case 2: return cap
        case 3: return random.int(0...cap)
        default: return random.int(0...min(cap, 50))
        }
    }

    /// Typical size of a parameter of this role, for distribution centres.
    mutating func centre(_ role: ParameterRole) -> Double {
        switch role {
        case .rate: return random.pick([0, 1, random.unit()])
        case .growth: return random.pick([-1, 0, 0.05, 100, random.unit() - 0.5])
        case .money: return random.pick([0, 1e15, 1e3, 1e5, random.unit() * 1e6])
        case .count: return random.pick([0, 1, 2, 1e8, Double(random.int(0...20))])
        case .positive: return random.pick([1e3, 6e4, 1e15, 1e5 * random.unit() + 1])
        case .free: return random.pick([0, -1e12, 1e12, 4 * random.unit() - 2])
        }
    }

    /// A plain number for the role, within what validation accepts.
    mutating func plain(_ role: ParameterRole) -> Double {
        switch role {
        case .count: return centre(role).rounded()
        case .positive: return max(centre(role), 1)
        default: return centre(role)
        }
    }

    /// A plain number or a distribution of any kind, per replicate or per
    /// year, with clamps sometimes.
    mutating func parameter(_ role: ParameterRole) -> Any {
        if random.chance(0.35) { return plain(role) }
        let c = centre(role)
        let spread = random.pick([0, abs(c) * 0.2 + 0.01, abs(c) + 1, 1e15])
        let limit = Distribution.maximumMagnitude
        func bounded(_ x: Double) -> Double { min(max(x, -limit), limit) }
        var d: [String: Any]
        switch random.int(0...8) {
        case 0: d = ["dist": "fixed", "value": bounded(c)]
        case 1: d = ["dist": "uniform", "min": bounded(c - spread), "max": bounded(c + spread)]
        case 2, 3:
            let lo = bounded(c - spread * random.unit()), hi = bounded(c + spread * random.unit())
            d = ["dist": random.pick(["triangular", "pert"]), "min": lo, "mode": random.pick([lo, hi, (lo + hi) / 2]), "max": hi]
        case 4: d = ["dist": "normal", "mean": bounded(c), "sd": min(spread, limit)]
        case 5: d = ["dist": "lognormal", "median": min(max(abs(c), 1e-3), limit), "sigma": random.pick([0, 0.3, 2, 10])]
        case 6: d = ["dist": "beta", "alpha": random.pick([0.001, 0.5, 2, 1e9]), "beta": random.pick([0.001, 1, 14, 1e9])]
        case 7: d = ["dist": "gamma", "shape": random.pick([0.001, 1, 2, 1e9]), "scale": min(max(abs(c), 1e-6), limit)]
        default: d = ["dist": "poisson", "mean": min(abs(c), 1e9)]
        }
        if random.chance(0.5) { d["per"] = random.pick(["replicate", "year"]) }
        let bounds = ["uniform", "triangular", "pert"].contains(d["dist"] as! String)
        if !bounds, random.chance(0.3) {
            let lo = bounded(c - spread)
            d["min"] = lo
            if random.chance(0.5) { d["max"] = max(lo, bounded(c + spread)) }
        }
        if role == .positive {
            // referenceWage divides: its lowest draw must be above 0.
            if bounds {
                let lo = max(d["min"] as! Double, 1)
                let hi = max(d["max"] as! Double, lo)
                d["min"] = lo
                d["max"] = hi
                if let mode = d["mode"] as? Double { d["mode"] = min(max(mode, lo), hi) }
            } else {
                d["min"] = 1_000.0
                if let hi = d["max"] as? Double { d["max"] = max(hi, 1_000) }
            }
            if d["dist"] as? String == "fixed" { d["value"] = max(d["value"] as! Double, 1) }
        }
        return d
    }

    mutating func district(_ i: Int, years: Int) -> [String: Any] {
        // Places stay ≤ 10⁴ (≤ 10³ for long horizons), far below their cap of
        // 10⁸: per-district coverage histograms hold one counter per possible
        // staffed count and year, so 10⁸ places would need gigabytes (issue 8,
        // "resources", the engine's part) and 10⁶ takes seconds per seed.
        let cap = years > 5 ? 1_000 : 10_000
        let streets = count(cap: cap), towns = count(cap: 1_000), urban = count(cap: 1_000), rural = count(cap: cap / 10)
        func some(_ places: Int) -> Int { random.pick([0, places, random.int(0...places)]) }
        return [
            "name": "District \(i)",
            "population": random.pick([1, 100, 10_001, 500_000, 10_000_000_000]),
            "townships": ["streets": streets, "towns": towns],
            "communities": ["urban": urban, "rural": rural],
            "stations": ["streets": some(streets), "towns": some(towns)],
            "rooms": ["urban": some(urban), "rural": some(rural)],
            "workforce": ["uncertified": count(cap: 100_000_000), "junior": count(cap: 100_000_000),
                          "intermediate": count(cap: 1_000), "senior": count(cap: 100)],
            "agencies": count(cap: 100_000_000),
            "reliefFunds": random.pick([0, 1e15, 8e7, random.unit() * 1e9]),
        ]
    }

    mutating func json() -> [String: Any] {
        let years = random.pick([1, 2, 3, 5, random.chance(0.2) ? random.pick([60, ScenarioSchema.maximumYears]) : 4])
        let districtCount = random.pick([1, 1, 2, 3, 5])
        let districts = (0..<districtCount).map { district($0, years: years) }
        func p(_ path: String) -> Any {
            let slot = ParameterSlot.allCases.first { $0.path == path }!
            return parameter(slot.schemaKind.role)
        }
        var budget: [String: Any] = ["reliefShare": p("budget.reliefShare"), "reliefGrowth": p("budget.reliefGrowth"),
                                     "carryOver": random.chance(0.5)]
        if random.chance(0.6) {
            budget["fiscal"] = (0..<random.int(0...3)).map { i in
                ["name": "line \(i)", "amount": parameter(.money), "allocate": random.pick(["population", "equal", "uncovered"])]
            }
        }
        if random.chance(0.5) { budget["lottery"] = p("budget.lottery") }
        if random.chance(0.5) { budget["donations"] = p("budget.donations") }
        var json: [String: Any] = [
            "simfund": 1, "name": "generated", "startYear": 2020, "years": years, "replicates": 4, "seed": 1,
            "districts": districts,
            "budget": budget,
            "costs": [
                "stationContract": ["street": p("costs.stationContract.street"), "town": p("costs.stationContract.town")],
                "roomContract": ["urban": p("costs.roomContract.urban"), "rural": p("costs.roomContract.rural")],
                "stationBuild": p("costs.stationBuild"), "roomBuild": p("costs.roomBuild"), "priceFactor": p("costs.priceFactor"),
            ],
            "staffing": ["street": p("staffing.street"), "town": p("staffing.town"), "urbanRoom": p("staffing.urbanRoom"),
                         "ruralRoom": p("staffing.ruralRoom"), "stationShare": p("staffing.stationShare")],
            "subsidies": ["junior": p("subsidies.junior"), "intermediate": p("subsidies.intermediate"), "senior": p("subsidies.senior")],
            "workforce": [
                "graduates": p("workforce.graduates"), "entryRate": p("workforce.entryRate"),
                "examTakeRate": ["junior": p("workforce.examTakeRate.junior"), "intermediate": p("workforce.examTakeRate.intermediate"),
                                 "senior": p("workforce.examTakeRate.senior")],
                "passRate": ["junior": p("workforce.passRate.junior"), "intermediate": p("workforce.passRate.intermediate"),
                             "senior": p("workforce.passRate.senior")],
                "attrition": ["uncertified": p("workforce.attrition.uncertified"), "junior": p("workforce.attrition.junior"),
                              "intermediate": p("workforce.attrition.intermediate"), "senior": p("workforce.attrition.senior")],
                "referenceWage": p("workforce.referenceWage"), "subsidyElasticity": p("workforce.subsidyElasticity"),
                "awardElasticity": p("workforce.awardElasticity"),
            ],
            "procurement": [
                "contractsPerAgency": p("procurement.contractsPerAgency"), "failureRate": p("procurement.failureRate"),
                "agencyEntryPer10M": p("procurement.agencyEntryPer10M"), "agencyExitRate": p("procurement.agencyExitRate"),
                "maxNewUnitsPerYear": p("procurement.maxNewUnitsPerYear"),
            ],
        ]
        if random.chance(0.5) {
            json["awards"] = ["pool": p("awards.pool"), "count": p("awards.count"), "amount": p("awards.amount")]
        }
        if random.chance(0.5) {
            json["training"] = ["share": p("training.share"), "costPerTrainee": p("training.costPerTrainee"), "passBoost": p("training.passBoost")]
        }
        if random.chance(0.6) {
            json["targets"] = (0..<random.int(1...3)).map { _ -> [String: Any] in
                var target: [String: Any] = ["year": 2020 + random.int(0...years - 1)]
                if random.chance(0.4) {
                    target["metric"] = random.pick(["townshipCoverage", "communityCoverage"])
                    target["district"] = "District \(random.int(0...districtCount - 1))"
                } else {
                    target["metric"] = random.pick(Metric.allCases.map(\.name))
                }
                let isShare = Metric(name: target["metric"] as! String)!.unit == "share"
                target[random.pick(["atLeast", "atMost"])] = isShare ? random.unit() : random.unit() * 1e6
                return target
            }
        }
        if random.chance(0.4) {
            var replaced = districts
            replaced[0]["population"] = random.pick([1, 2_000_000])
            json["alternatives"] = [
                ["name": "changed", "set": [
                    "budget.reliefShare": plain(.rate),
                    "districts.District 0.reliefFunds": random.pick([0, 1e15, 5e7]),
                    "costs.priceFactor": parameter(.money),
                ] as [String: Any]],
                ["name": "replaced", "set": [
                    "districts.0.workforce.junior": count(cap: 100_000_000),
                ].merging(random.chance(0.5) ? ["districts": replaced] : ["staffing.town": plain(.count)]) { $1 } as [String: Any]],
            ]
        }
        return json
    }
}
