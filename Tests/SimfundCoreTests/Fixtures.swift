import Foundation
@testable import SimfundCore
import SimfundStochastics

/// A one-district scenario whose every value is fixed and every rate is 0 or
/// 1, so each step can be computed by hand (see EngineAccountingTests).
func tinyScenarioJSON() -> [String: Any] {
    [
        "simfund": 1, "name": "tiny", "startYear": 2020, "years": 2, "replicates": 3, "seed": 7,
        "districts": [[
            "name": "Alpha", "population": 10000,
            "townships": ["streets": 2, "towns": 3], "communities": ["urban": 2, "rural": 4],
            "stations": ["streets": 1, "towns": 1], "rooms": ["urban": 0, "rural": 1],
            "workforce": ["uncertified": 100, "junior": 10, "intermediate": 5, "senior": 2],
            "agencies": 2, "reliefFunds": 10_000_000,
        ]],
        "budget": [
            "reliefShare": 0.1, "reliefGrowth": 0.1,
            "fiscal": [["name": "line", "amount": 200_000, "allocate": "population"]],
            "lottery": 100_000, "donations": 0, "carryOver": true,
        ],
        "costs": [
            "stationContract": ["street": 200_000, "town": 100_000],
            "roomContract": ["urban": 50_000, "rural": 20_000],
            "stationBuild": 10_000, "roomBuild": 5_000, "priceFactor": 1,
        ],
        "staffing": ["street": 2, "town": 1, "urbanRoom": 2, "ruralRoom": 1, "stationShare": 0.5],
        "subsidies": ["junior": 100, "intermediate": 200, "senior": 300],
        "awards": ["pool": 100_000, "count": 3, "amount": 40_000],
        "training": ["share": 0.1, "costPerTrainee": 1000, "passBoost": 1],
        "workforce": [
            "graduates": 50, "entryRate": 1,
            "examTakeRate": ["junior": 1, "intermediate": 1, "senior": 0],
            "passRate": ["junior": 0.5, "intermediate": 1, "senior": 0],
            "attrition": ["uncertified": 1, "junior": 0, "intermediate": 0, "senior": 0],
            "referenceWage": 60_000, "subsidyElasticity": 1, "awardElasticity": 2,
        ],
        "procurement": [
            "contractsPerAgency": 3, "failureRate": 0, "agencyEntryPer10M": 0,
            "agencyExitRate": 0, "maxNewUnitsPerYear": 10,
        ],
    ]
}

/// Sets a dotted path in a JSON dictionary (arrays by index).
func setting(_ json: [String: Any], _ path: String, _ value: Any) -> [String: Any] {
    func set(_ node: Any, _ keys: ArraySlice<String>) -> Any {
        guard let key = keys.first else { return value }
        if var array = node as? [Any], let i = Int(key) {
            array[i] = set(array[i], keys.dropFirst())
            return array
        }
        var object = node as? [String: Any] ?? [:]
        object[key] = set(object[key] as Any, keys.dropFirst())
        return object
    }
    return set(json, path.split(separator: ".").map(String.init)[...]) as! [String: Any]
}

func jsonText(_ json: [String: Any]) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
}

/// Loads a scenario from a JSON dictionary; fails the test on validation errors.
func scenario(_ json: [String: Any]) throws -> Scenario {
    try ScenarioLoader.load(text: jsonText(json)).base
}

/// The issues of an invalid scenario text (empty when it is valid).
func issues(_ text: String) -> [ScenarioIssue] {
    do {
        _ = try ScenarioLoader.load(text: text)
        return []
    } catch {
        return error.issues
    }
}

func issues(_ json: [String: Any]) -> [ScenarioIssue] { issues(jsonText(json)) }

/// The repository root (tests read Scenarios/).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func bundledScenario(_ name: String) throws -> ScenarioFile {
    try ScenarioLoader.load(path: repositoryRoot.appendingPathComponent("Scenarios/\(name)").path)
}

/// Everything the engine computed for one district in one year.
struct DistrictYear: Equatable {
    var carryIn = 0.0, revenue = 0.0, due = 0.0, paid = 0.0
    var contracts = 0.0, build = 0.0, training = 0.0, carryOut = 0.0, lapsed = 0.0
    var units: [Int] = [], renewed: [Int] = [], opened: [Int] = [], failed: [Int] = [], staffed: [Int] = []
    var trainees = 0, entrants = 0, passJunior = 0, passIntermediate = 0, passSenior = 0
    var leavers: [Int] = []
    var uncertified = 0, junior = 0, intermediate = 0, senior = 0, agencies = 0
    var agencyEntries = 0, agencyExits = 0, graduates = 0
    var places: [Int] = []
}

/// Records the full state of every district after every year: the
/// workspace's end-of-year state and the flows the engine hands over.
struct TraceRecorder: YearObserver {
    var years: [[DistrictYear]] = []
    var awardsGiven: [Int] = []
    var awardIntensity: [Double] = []
    var metrics: [[Double]] = []
    /// Drawn parameter values by slot, per year.
    var parameters: [[Double]] = []
    /// This year's flows, by district.
    var flows: [Int: DistrictFlows] = [:]

    mutating func district(_ d: Int, _ flows: DistrictFlows) { self.flows[d] = flows }

    mutating func record(replicate: Int, yearIndex: Int, workspace ws: borrowing Workspace) {
        let D = ws.districtCount
        func kinds(_ column: Column<Int>, _ d: Int) -> [Int] { (0..<4).map { column[$0 * D + d] } }
        func kinds(_ values: PerKind<Int>) -> [Int] { UnitKind.allCases.map { values[$0] } }
        years.append((0..<D).map { d in
            let f = flows[d] ?? DistrictFlows()
            return DistrictYear(
                carryIn: f.carryIn, revenue: f.revenue, due: f.due, paid: f.paid,
                contracts: f.contracts, build: f.build, training: f.training,
                carryOut: ws.carry[d], lapsed: f.lapsed,
                units: kinds(ws.units, d), renewed: kinds(f.renewed), opened: kinds(f.opened),
                failed: kinds(ws.failed, d), staffed: kinds(ws.staffed, d),
                trainees: ws.trainees[d], entrants: f.entrants, passJunior: f.passJunior,
                passIntermediate: f.passIntermediate, passSenior: f.passSenior,
                leavers: kinds(f.leavers),
                uncertified: ws.uncertified[d], junior: ws.junior[d], intermediate: ws.intermediate[d], senior: ws.senior[d],
                agencies: ws.agencies[d], agencyEntries: f.agencyEntries, agencyExits: f.agencyExits,
                graduates: Int(ws.graduates[d]), places: kinds(ws.places, d))
        })
        flows = [:]
        awardsGiven.append(ws.awardsGiven)
        awardIntensity.append(ws.awardIntensity)
        metrics.append(Metric.allCases.map { ws.totals.value(of: $0) })
        parameters.append(ws.values.array)
    }
}

/// Runs one replicate and returns its trace.
func trace(_ scenario: Scenario, seed: UInt64 = 1, replicate: Int = 0) -> TraceRecorder {
    let simulator = Simulator(scenario: scenario, seed: seed)
    var workspace = simulator.makeWorkspace()
    var stream = RandomStream()
    var recorder = TraceRecorder()
    simulator.run(replicate: replicate, in: &workspace, stream: &stream, observer: &recorder)
    return recorder
}

/// A deterministic generator for test data (SplitMix64): the same numbers on every machine.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
