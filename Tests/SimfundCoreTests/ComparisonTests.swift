import Foundation
import Testing
@testable import SimfundCore

/// Paired comparisons with common random numbers (the compare issue).
@Suite("Comparisons")
struct ComparisonTests {
    @Test("Region-wide shocks are byte-identical across alternatives within a replicate")
    func sharedShocks() throws {
        let file = try bundledScenario("ningde.json")
        let shockSlots: [ParameterSlot] = [.reliefGrowth, .lottery, .priceFactor, .awardAmount, .graduates, .failureRate]
        for alternative in file.alternatives {
            for replicate in [0, 7, 123] {
                let base = trace(file.base, seed: 77, replicate: replicate)
                let other = trace(alternative.scenario, seed: 77, replicate: replicate)
                for year in base.parameters.indices {
                    for slot in shockSlots {
                        #expect(base.parameters[year][slot.rawValue].bitPattern == other.parameters[year][slot.rawValue].bitPattern,
                                "\(alternative.name): \(slot) in year \(year)")
                    }
                    // The graduate split is region-wide too.
                    #expect(base.years[year].map(\.graduates) == other.years[year].map(\.graduates))
                }
            }
        }
    }

    @Test("Changing one parameter's distribution leaves the other parameters' draws unchanged")
    func parameterStreamsAreSeparate() throws {
        var base = try bundledScenario("ningde.json").base
        base[.entryRate] = Parameter(.uniform(min: 0.2, max: 0.4), per: .replicate, role: .rate)
        var changed = base
        changed[.entryRate] = Parameter(.beta(alpha: 3, beta: 5), per: .replicate, role: .rate)
        let a = trace(base, seed: 5, replicate: 3), b = trace(changed, seed: 5, replicate: 3)
        for slot in ParameterSlot.allCases where slot != .entryRate {
            #expect(a.parameters[0][slot.rawValue] == b.parameters[0][slot.rawValue], "\(slot)")
        }
        #expect(a.parameters[0][ParameterSlot.entryRate.rawValue] != b.parameters[0][ParameterSlot.entryRate.rawValue])
    }

    @Test("A change confined to one district leaves every other district's trajectory identical")
    func districtIsolation() throws {
        // Awards couple districts on purpose (one intensity from the region's
        // certified count, step 8 of the model), and so would an `uncovered` line;
        // without them a district's change must stay in that district.
        var document = try bundledScenario("ningde.json").document
        document.remove("awards")
        document.remove("alternatives")
        let base = try ScenarioLoader.load(document: document, fileName: "base").base
        let changedDocument = try DocumentPaths.setting("districts.Gutian.reliefFunds", to: JSONNode(.number(150_000_000, literal: "150000000")), in: document).get()
        let changed = try ScenarioLoader.load(document: changedDocument, fileName: "changed").base
        let gutian = base.districts.firstIndex { $0.name == "Gutian" }!
        for replicate in 0..<20 {
            let a = trace(base, seed: 9, replicate: replicate), b = trace(changed, seed: 9, replicate: replicate)
            var gutianChanged = false
            for year in a.years.indices {
                for d in a.years[year].indices where d != gutian {
                    #expect(a.years[year][d] == b.years[year][d], "replicate \(replicate) year \(year) district \(d)")
                }
                gutianChanged = gutianChanged || a.years[year][gutian] != b.years[year][gutian]
            }
            #expect(gutianChanged)
        }
    }

    @Test("Paired standard error of final-year certified is well below the unpaired one")
    func pairingReducesNoise() throws {
        let file = try bundledScenario("ningde.json")
        let report = try Comparer.compare(base: file.base, alternatives: file.alternatives.map { ($0.name, $0.scenario) }, seed: 31,
                                          replicates: 1000, threads: 2, rankKey: RankKey.defaultKey(for: file.base))
        let last = file.base.years - 1
        for comparison in report.alternatives {
            let paired = comparison.differences[.certified]![last].difference.stderr
            let unpaired = (pow(comparison.summary.metrics[.certified]![last].stderr, 2) + pow(report.base.metrics[.certified]![last].stderr, 2)).squareRoot()
            #expect(paired / unpaired < 0.5, "\(comparison.name): paired \(paired), unpaired \(unpaired)")
        }
    }

    @Test("An alternative identical to the base: differences exactly 0, probability better 0")
    func identicalAlternative() throws {
        let file = try bundledScenario("longyan.json")
        let key = RankKey.defaultKey(for: file.base)
        let report = try Comparer.compare(base: file.base, alternatives: [("same", file.base)], seed: 4, replicates: 300, threads: 2, rankKey: key)
        let comparison = report.alternatives[0]
        for metric in Metric.allCases {
            for d in comparison.differences[metric]! {
                #expect(d.difference.mean == 0 && d.difference.stderr == 0 && d.probabilityBetter == 0, "\(metric.name)")
            }
        }
        for target in comparison.targets {
            #expect(target.difference.mean == 0 && target.probability == target.baseProbability)
        }
        #expect(comparison.costEffectiveness.perStaffedStation == nil)
    }

    @Test("Probability better follows the metric's direction")
    func direction() throws {
        let file = try bundledScenario("ningde.json")
        let twice = file.alternatives.first { $0.name == "2% of relief funds" }!
        let report = try Comparer.compare(base: file.base, alternatives: [(twice.name, twice.scenario)], seed: 8, replicates: 300, threads: 2,
                                          rankKey: RankKey.defaultKey(for: file.base))
        let last = file.base.years - 1
        // More money: revenue and spending up in every replicate; spending up is worse.
        #expect(report.alternatives[0].differences[.revenue]![last].probabilityBetter == 1)
        #expect(report.alternatives[0].differences[.spendTotal]![last].probabilityBetter < 0.05)
        #expect(report.ranking.first?.name == twice.name)
    }

    @Test("A sweep of reliefShare moves revenue exactly as the share")
    func sweepRevenue() throws {
        let file = try bundledScenario("ningde.json")
        let shares = [0.005, 0.01, 0.02, 0.03]
        var outputs: [MetricTable] = []
        for share in shares {
            let document = try DocumentPaths.setting("budget.reliefShare", to: JSONNode(.number(share, literal: "\(share)")), in: file.document).get()
            let scenario = try ScenarioLoader.load(document: document, fileName: "sweep").base
            #expect(scenario[.reliefShare].fixedValue == share)
            outputs.append(MetricTable(scenario, seed: 2, replicates: 200))
        }
        // Year 1 revenue = share · ΣR + (the same fiscal and lottery money), replicate by replicate:
        // the slope between any two grid points is ΣR, the same for every pair.
        for r in 0..<200 {
            let revenue = outputs.map { $0.value(.revenue, yearIndex: 0, replicate: r) }
            let slope = (revenue[1] - revenue[0]) / (shares[1] - shares[0])
            for i in 2..<shares.count {
                let other = (revenue[i] - revenue[0]) / (shares[i] - shares[0])
                #expect(abs(other - slope) <= 1e-6 * slope)
            }
            // ΣR in year 1 is the file's relief funds grown by the shared growth draw.
            let fileRelief = file.base.districts.reduce(0.0) { $0 + $1.reliefFunds }
            #expect(slope > fileRelief * 0.8 && slope < fileRelief * 1.2)
        }
    }

    @Test("Whole files that differ in years or districts cannot be compared")
    func incomparable() throws {
        let ningde = try bundledScenario("ningde.json").base
        let longyan = try bundledScenario("longyan.json").base
        let problem = Comparer.checkComparable(base: ningde, baseFile: "ningde.json", other: longyan, otherFile: "longyan.json")
        #expect(problem?.description.contains("startYear is 2023, not 2020") == true)
        #expect(problem?.description.contains("years is 5, not 4") == true)
        #expect(problem?.description.contains("lacks Jiaocheng") == true)
        #expect(Comparer.checkComparable(base: ningde, baseFile: "a", other: ningde, otherFile: "b") == nil)
    }

    @Test("--rank-by parses METRIC@YEAR and names what is wrong")
    func rankKeys() throws {
        let ningde = try bundledScenario("ningde.json").base
        let key = try RankKey.parse("certified@2023", scenario: ningde).get()
        #expect(key.target?.metric == .certified)
        #expect(try RankKey.parse("agencies@2021", scenario: ningde).get().target == nil)
        guard case let .failure(error) = RankKey.parse("certifed@2023", scenario: ningde) else { Issue.record("accepted"); return }
        #expect(error.description.contains("did you mean \"certified\"?"))
        guard case let .failure(yearError) = RankKey.parse("certified@2030", scenario: ningde) else { Issue.record("accepted"); return }
        #expect(yearError.description.contains("2020–2023"))
    }
}
