import Foundation
import Testing
@_spi(Checking) @testable import SimfundCore
import SimfundStochastics

/// Regression tests for the validation findings of issue 8 (hostile input)
/// and the planner mistakes of issue 10.
@Suite("Validation of hostile input")
struct HardeningTests {
    func paths(_ found: [ScenarioIssue]) -> Set<String> { Set(found.map(\.path)) }

    // MARK: Unreadable files

    @Test("A directory or a missing file is a problem of the file, not a crash")
    func unreadableFiles() {
        for (path, found) in [(repositoryRoot.appendingPathComponent("Scenarios").path, "a directory"),
                              (repositoryRoot.appendingPathComponent("Scenarios/none.json").path, "no such file")] {
            do {
                _ = try ScenarioLoader.load(path: path)
                Issue.record("\(path) loaded")
            } catch {
                #expect(error.issues.count == 1 && error.issues[0].found?.hasPrefix(found) == true, "\(error.issues)")
            }
        }
    }

    // MARK: Numbers beyond Int

    @Test("Integer fields beyond the range of Int are reported, not converted", arguments: [
        "years", "startYear", "replicates", "simfund", "districts.0.population", "districts.0.agencies",
        "districts.0.townships.towns", "districts.0.stations.towns", "districts.0.workforce.junior", "targets.0.year",
    ])
    func hugeIntegers(path: String) {
        var json = setting(tinyScenarioJSON(), "targets", [["metric": "certified", "year": 2021, "atLeast": 1]])
        for value in [1e19, -1e19, 1e300, -1e300] {
            json = setting(json, path, value)
            let found = issues(json)
            let expectedPath = path.replacingOccurrences(of: ".0.", with: "[0].")
            #expect(paths(found).contains(expectedPath), "\(path) = \(value): \(found.map(\.description))")
        }
    }

    @Test("Stations beyond Int with places beyond Int: both fields reported")
    func hugeStationsAndPlaces() {
        var json = setting(tinyScenarioJSON(), "districts.0.townships.towns", 1e30)
        json = setting(json, "districts.0.stations.towns", 9e18)
        #expect(paths(issues(json)) == ["districts[0].townships.towns", "districts[0].stations.towns"])
    }

    @Test("A target year beyond Int in a valid horizon is out of the horizon")
    func hugeTargetYearStartYearValid() {
        let json = setting(tinyScenarioJSON(), "targets", [["metric": "certified", "year": 2021, "atLeast": 1],
                                                          ["metric": "certified", "year": 2022, "atLeast": 1]])
        let issue = issues(json).first { $0.path == "targets[1].year" }
        #expect(issue?.expected == "a year of the horizon 2020–2021")
        #expect(issue?.found == "2022")
    }

    @Test("An alternative setting an integer beyond Int is reported under the alternative")
    func hugeIntegerInAlternative() {
        let json = setting(tinyScenarioJSON(), "alternatives", [["name": "big", "set": ["districts.Alpha.population": 1e19]]])
        #expect(paths(issues(json)) == ["alternatives[0] (big): districts[0].population"])
    }

    // MARK: Distribution bounds: every draw finite

    @Test("Distribution parameters spanning the double range are refused", arguments: [
        ("costs.priceFactor", #"{"dist": "triangular", "min": -1e308, "mode": 0, "max": 1e308}"#, "costs.priceFactor.min costs.priceFactor.max"),
        ("staffing.stationShare", #"{"dist": "pert", "min": -1e308, "mode": 0, "max": 1e308}"#, "staffing.stationShare.min staffing.stationShare.max"),
        ("budget.lottery", #"{"dist": "uniform", "min": 0, "max": 1e300}"#, "budget.lottery.max"),
        ("workforce.graduates", #"{"dist": "normal", "mean": 0, "sd": 1e300}"#, "workforce.graduates.sd"),
        ("budget.donations", #"{"dist": "lognormal", "median": 1e15, "sigma": 11}"#, "budget.donations.sigma"),
        ("budget.donations", #"{"dist": "lognormal", "median": 1e16, "sigma": 1}"#, "budget.donations.median"),
        ("workforce.subsidyElasticity", #"{"dist": "gamma", "shape": 1e10, "scale": 1}"#, "workforce.subsidyElasticity.shape"),
        ("workforce.subsidyElasticity", #"{"dist": "gamma", "shape": 1, "scale": 1e16}"#, "workforce.subsidyElasticity.scale"),
        ("workforce.entryRate", #"{"dist": "beta", "alpha": 1e-300, "beta": 1e-300}"#, "workforce.entryRate.alpha"),
        ("workforce.awardElasticity", #"{"dist": "normal", "mean": 0, "sd": 1, "min": -1e308}"#, "workforce.awardElasticity.min"),
        ("costs.stationBuild", #"{"dist": "fixed", "value": 1e300}"#, "costs.stationBuild.value"),
    ])
    func boundedParameters(path: String, distribution: String, issuePaths: String) {
        let found = issues(setting(tinyScenarioJSON(), path, object(distribution)))
        #expect(paths(found) == Set(issuePaths.split(separator: " ").map(String.init)), "\(found.map(\.description))")
    }

    /// The widest distributions validation accepts, for each role.
    static var extremes: [[String: Any]] { [
        ["dist": "triangular", "min": -1e15, "mode": 1e15, "max": 1e15],
        ["dist": "pert", "min": -1e15, "mode": -1e15, "max": 1e15],
        ["dist": "uniform", "min": -1e15, "max": 1e15],
        ["dist": "normal", "mean": 1e15, "sd": 1e15],
        ["dist": "normal", "mean": -1e15, "sd": 1e15],
        ["dist": "lognormal", "median": 1e15, "sigma": 10],
        ["dist": "lognormal", "median": 1e-300, "sigma": 10],
        ["dist": "gamma", "shape": 1e9, "scale": 1e15],
        ["dist": "gamma", "shape": 0.001, "scale": 1e15],
        ["dist": "beta", "alpha": 0.001, "beta": 0.001],
        ["dist": "beta", "alpha": 1e9, "beta": 0.001],
        ["dist": "poisson", "mean": 1e9],
    ] }

    @Test("Every draw of the widest accepted distributions is finite and within the role's bounds",
          arguments: ["budget.reliefShare", "budget.reliefGrowth", "budget.lottery", "staffing.town",
                      "workforce.subsidyElasticity", "procurement.agencyEntryPer10M"])
    func finiteDraws(path: String) throws {
        for (i, distribution) in HardeningTests.extremes.enumerated() {
            let loaded = try scenario(setting(tinyScenarioJSON(), path, distribution))
            let slot = try #require(ParameterSlot.allCases.first { $0.path == path })
            let parameter = loaded[slot]
            var stream = RandomStream(seed: UInt64(i), key: StreamKey(replicate: 0, year: 0, unit: 3, purpose: .parameter))
            for _ in 0..<2_000 {
                let x = parameter.draw(&stream)
                #expect(x.isFinite, "\(path) \(distribution): \(x)")
                switch parameter.role {
                case .rate: #expect((0...1).contains(x))
                case .growth: #expect((-1...ScenarioSchema.maximumGrowth).contains(x))
                case .money: #expect((0...ScenarioSchema.maximumMoney).contains(x))
                case .count: #expect((0...Double(ScenarioSchema.maximumCount)).contains(x) && x == x.rounded())
                case .free: #expect(abs(x) <= ScenarioSchema.maximumFree, "\(path) \(distribution): \(x)")
                case .positive: #expect(x > 0)
                }
                if !x.isFinite { return }
            }
        }
    }

    @Test("free parameters drawn from distributions are clamped to ±1e12, like plain values")
    func freeClamp() throws {
        let loaded = try scenario(setting(tinyScenarioJSON(), "training.passBoost", ["dist": "normal", "mean": 1e15, "sd": 0]))
        #expect(loaded[.passBoost].fixedValue == 1e12)
        let negative = try scenario(setting(tinyScenarioJSON(), "training.passBoost", ["dist": "fixed", "value": -5e14]))
        #expect(negative[.passBoost].fixedValue == -1e12)
    }

    @Test("Growth drawn from a distribution is clamped to [-1, 100], like a plain value")
    func growthClamp() throws {
        let loaded = try scenario(setting(tinyScenarioJSON(), "budget.reliefGrowth", ["dist": "uniform", "min": 500, "max": 500]))
        #expect(loaded[.reliefGrowth].fixedValue == 100)
    }

    // MARK: referenceWage

    @Test("A referenceWage distribution that can draw 0 is refused unless min > 0", arguments: [
        #"{"dist": "gamma", "shape": 0.001, "scale": 60000}"#,
        #"{"dist": "lognormal", "median": 60000, "sigma": 0.2}"#,
        #"{"dist": "beta", "alpha": 2, "beta": 2}"#,
        #"{"dist": "poisson", "mean": 60000}"#,
        #"{"dist": "uniform", "min": 0, "max": 60000}"#,
        #"{"dist": "normal", "mean": 60000, "sd": 100, "min": 0}"#,
        #"{"dist": "lognormal", "median": 60000, "sigma": 0.2, "min": 30000, "max": -1}"#,
    ])
    func referenceWageRefused(distribution: String) {
        let found = issues(setting(tinyScenarioJSON(), "workforce.referenceWage", object(distribution)))
        #expect(found.contains { $0.path == "workforce.referenceWage" && $0.expected.contains("stays above 0") },
                "\(found.map(\.description))")
    }

    @Test("A referenceWage distribution with min > 0 is accepted and never draws below it")
    func referenceWageAccepted() throws {
        for distribution: [String: Any] in [["dist": "gamma", "shape": 0.001, "scale": 60000, "min": 20000],
                                            ["dist": "lognormal", "median": 60000, "sigma": 0.2, "min": 20000],
                                            ["dist": "uniform", "min": 40000, "max": 80000]] {
            let loaded = try scenario(setting(tinyScenarioJSON(), "workforce.referenceWage", distribution))
            var stream = RandomStream(seed: 3, key: StreamKey(replicate: 0, year: 0, unit: 4, purpose: .parameter))
            for _ in 0..<1_000 { #expect(loaded[.referenceWage].draw(&stream) >= 20000) }
        }
    }

    // MARK: Control characters in messages

    @Test("Scenario strings echoed in messages have their control characters escaped")
    func escapedMessages() throws {
        var json = tinyScenarioJSON()
        var districts = json["districts"] as! [[String: Any]]
        districts.append(districts[0])
        districts[0]["name"] = "Al\npha\u{1B}[31m\u{9B}2J\u{7F}"
        districts[1]["name"] = "Al\npha\u{1B}[31m\u{9B}2J\u{7F}"
        json["districts"] = districts
        json = setting(json, "budget.relief\u{1B}]0;title\u{07}", 1)
        json = setting(json, "targets", [["metric": "townshipCoverage", "year": 2020, "atLeast": 0.5, "district": "Be\r\nta"]])
        let error = try #require(loadError(jsonText(json), fileName: "bad\nname.json"))
        #expect(error.issues.count == 3)
        for line in error.lines {
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(line.debugDescription)")
        }
        let text = error.lines.joined(separator: "\n")
        #expect(text.contains(#"Al\npha\u001B[31m\u009B2J\u007F"#))
        #expect(text.contains(#"relief\u001B]0;title\u0007"#))
        #expect(text.contains(#"Be\r\nta"#))
        #expect(text.contains(#"bad\nname.json:"#))
    }

    @Test("Escaping leaves ordinary text, Chinese included, unchanged")
    func escapingKeepsText() {
        #expect("社工站 Jiaocheng 100%".escapingControlCharacters == "社工站 Jiaocheng 100%")
        #expect("a\tb\u{2028}c\u{202E}".escapingControlCharacters == #"a\tb\u2028c\u202E"#)
    }

    // MARK: Linear time, bounded suggestions

    @Test("40,000 districts that are numbers: one problem each, found in linear time")
    func manyBadDistricts() {
        var json = tinyScenarioJSON()
        json["districts"] = Array(0..<40_000)
        let found = issues(json)
        #expect(found.count == 40_001)
        #expect(found.filter { $0.path == "districts" }.first?.expected == "between 1 and 10000 items")
        #expect(found.filter { $0.expected == "an object" }.count == 40_000)
    }

    @Test("A 1 MB provenance key: one problem, no suggestion, a readable path")
    func hugeProvenanceKey() throws {
        let key = "budget." + String(repeating: "reliefShare.", count: 90_000)
        let json = setting(tinyScenarioJSON(), "provenance", [key: "source", String(repeating: "x", count: 1_000_000): "other"])
        let found = issues(json)
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.hint == nil && $0.path.count < 200 }, "\(found.map(\.path))")
        // The whole message stays short: the key is shortened wherever it is echoed.
        #expect(found.allSatisfy { $0.description.count < 400 }, "\(found.map { $0.description.count })")
    }

    @Test("Found by the fuzzer (took over 20 s): 5,000 districts that are numbers and an alternative path into them")
    func fuzzSlowUnit() {
        var json = tinyScenarioJSON()
        json["districts"] = Array(0..<5_000)
        json["alternatives"] = [["name": "a", "set": ["districts.Alpha.reliefFunds": 1, "districts.Alpha.populaton": 2]]]
        let found = issues(json)
        #expect(found.count == 5_002)
        let alternative = found.filter { $0.path.hasPrefix("alternatives[0]") }
        #expect(alternative.count == 2)
        #expect(alternative.allSatisfy { $0.found?.contains("no element \"Alpha\"") == true })
    }

    @Test("Only the first problems of a file get suggestions, and all are reported")
    func suggestionsCapped() {
        var budget = tinyScenarioJSON()["budget"] as! [String: Any]
        for i in 0..<5_000 { budget["reliefShar\(i)"] = 1 }
        let found = issues(setting(tinyScenarioJSON(), "budget", budget))
        #expect(found.count == 5_000)
        #expect(found.filter { $0.hint?.hasPrefix("did you mean") == true }.count == Suggestions.maximumProblems)
    }

    @Test("Many provenance paths into many districts resolve in linear time")
    func manyProvenancePaths() {
        var json = tinyScenarioJSON()
        let district = (json["districts"] as! [[String: Any]])[0]
        json["districts"] = (0..<3_000).map { i in district.merging(["name": "D\(i)"]) { $1 } }
        var provenance: [String: String] = [:]
        for i in 0..<3_000 { provenance["districts.D\(2_999 - i).population"] = "census" }
        provenance["districts.D3000.population"] = "typo"
        json["provenance"] = provenance
        let found = issues(json)
        #expect(found.map(\.path) == [#"provenance["districts.D3000.population"]"#])
    }

    @Test("Suggestions stay within their work bound for long candidate lists")
    func boundedNearest() {
        let candidates = (0..<100_000).map { "district\($0)" }
        #expect(nearest("district99", in: candidates) == ["district99"])
        #expect(nearest(String(repeating: "a", count: 101), in: ["a"]).isEmpty)
        #expect(nearest("reliefShar", in: ["reliefShare", "reliefGrowth"]) == ["reliefShare"])
    }

    // MARK: Alternatives keep the districts

    func alternativeIssues(_ set: [String: Any]) -> [ScenarioIssue] {
        var json = tinyScenarioJSON()
        var districts = json["districts"] as! [[String: Any]]
        districts.append(districts[0].merging(["name": "Beta"]) { $1 })
        json["districts"] = districts
        return issues(setting(json, "alternatives", [["name": "a", "set": set]]))
    }

    @Test("An alternative cannot add, remove, reorder or rename districts")
    func alternativeDistrictList() {
        let json = tinyScenarioJSON()
        let alpha = (json["districts"] as! [[String: Any]])[0]
        let beta = alpha.merging(["name": "Beta"]) { $1 }
        let gamma = alpha.merging(["name": "Gamma"]) { $1 }
        for (set, path) in [
            (["districts": [alpha]], "alternatives[0].set.districts"),
            (["districts": [beta, alpha]], "alternatives[0].set.districts"),
            (["districts": [alpha, gamma]], "alternatives[0].set.districts"),
            (["districts": [alpha, beta, gamma]], "alternatives[0].set.districts"),
            (["districts.1": gamma], #"alternatives[0].set["districts.1"]"#),
            (["districts.Beta": alpha], #"alternatives[0].set["districts.Beta"]"#),
            (["districts.Beta.name": "Gamma"], #"alternatives[0].set["districts.Beta.name"]"#),
        ] as [([String: Any], String)] {
            let found = alternativeIssues(set)
            #expect(found.map(\.path) == [path], "\(set.keys): \(found.map(\.description))")
        }
        #expect(alternativeIssues(["districts": [alpha]]).first?.found?.contains("cannot add, remove, reorder or rename districts") == true)
    }

    @Test("An alternative may change district fields, or replace districts keeping their names and order")
    func alternativeDistrictFields() throws {
        let alpha = (tinyScenarioJSON()["districts"] as! [[String: Any]])[0]
        let beta = alpha.merging(["name": "Beta"]) { $1 }
        #expect(alternativeIssues(["districts.Beta.reliefFunds": 1_000]).isEmpty)
        #expect(alternativeIssues(["districts": [alpha.merging(["reliefFunds": 5]) { $1 }, beta]]).isEmpty)
        #expect(alternativeIssues(["districts.0": alpha.merging(["population": 5000]) { $1 }]).isEmpty)
        // A replacement of the wrong type is a type error, not a district-list error.
        #expect(alternativeIssues(["districts": 3]).first?.expected == "an array")
    }

    @Test("Alternatives checked from their changes report what checking them whole reports")
    func incrementalAlternatives() throws {
        let json = tinyScenarioJSON()
        let alpha = (json["districts"] as! [[String: Any]])[0]
        let sets: [[String: Any]] = [
            ["budget.reliefShare": 2],
            ["budget.lottery": ["dist": "normal", "mean": 5, "sd": -1]],
            ["districts.Alpha.stations.towns": 9],
            ["districts.0": alpha.merging(["stations": ["streets": 5, "towns": 1]]) { $1 }],
            ["districts": [alpha.merging(["rooms": ["urban": 7, "rural": 0], "population": -1]) { $1 }]],
            ["districts.Alpha.townships.towns": 0, "districts.Alpha.townships": ["streets": 2, "towns": 3]],
            ["workforce.referenceWage": ["dist": "lognormal", "median": 60000, "sigma": 0.2]],
            ["awards": ["pool": 1, "count": "many"]],
            ["budget.fiscal": [["name": "x", "amount": 1, "allocate": "everyone"]]],
            ["budget.fiscal.0.amount": ["dist": "gamma", "shape": 0, "scale": 1]],
            ["costs.stationContract.town": 15, "subsidies.junior": 5000, "districts.0.reliefFunds": 5],
            ["training.share": 0.5, "districts.Alpha.population": 1e19],
        ]
        for set in sets {
            let text = jsonText(setting(json, "alternatives", [["name": "a", "set": set], ["name": "b", "set": ["budget.reliefShare": 0.2]]]))
            let document = try JSONParser.parse(text)
            func outcome(_ whole: Bool) -> (issues: Set<String>, alternatives: [Alternative], warnings: [ScenarioIssue]) {
                do {
                    let file = try ScenarioLoader.load(document: document, fileName: "s.json", wholeAlternatives: whole)
                    return ([], file.alternatives, file.warnings)
                } catch {
                    return (Set(error.lines), [], [])
                }
            }
            let (incremental, whole) = (outcome(false), outcome(true))
            #expect(incremental.issues == whole.issues, "\(set.keys)")
            #expect(incremental.alternatives == whole.alternatives, "\(set.keys)")
            #expect(incremental.warnings == whole.warnings, "\(set.keys)")
        }
    }

    @Test("A thousand alternatives of a large file: each checked from its changes")
    func manyAlternatives() throws {
        var json = tinyScenarioJSON()
        let district = (json["districts"] as! [[String: Any]])[0]
        json["districts"] = (0..<1_000).map { i in district.merging(["name": "D\(i)"]) { $1 } }
        json["alternatives"] = (0..<1_000).map { i in ["name": "a\(i)", "set": ["districts.D\(i).reliefFunds": 5e7, "budget.reliefShare": 0.2]] }
        let file = try ScenarioLoader.load(text: jsonText(json))
        #expect(file.alternatives.count == 1_000)
        #expect(file.alternatives[999].scenario.districts[999].reliefFunds == 5e7)
        #expect(file.alternatives[999].scenario.districts[998].reliefFunds == 10_000_000)
        #expect(file.alternatives[999].scenario[.reliefShare].fixedValue == 0.2)
    }

    @Test("A sweep (--set) cannot change the list of districts either")
    func sweepDistrictList() throws {
        let file = try ScenarioLoader.load(text: jsonText(tinyScenarioJSON()))
        let result = DocumentPaths.setting("districts", to: JSONNode(.array([])), in: file.document)
        guard case let .failure(problem) = result else {
            Issue.record("accepted")
            return
        }
        #expect(problem.reason.contains("cannot add, remove, reorder or rename districts"))
    }

    // MARK: Planner mistakes (issue 10)

    @Test("A share target outside [0, 1] is an error that suggests the share", arguments: [
        ("townshipCoverage", "atLeast", 80.0, "did you mean 0.8 (80%)?"),
        ("communityCoverage", "atMost", 95.0, "did you mean 0.95 (95%)?"),
        ("subsidyPaidRatio", "atLeast", -0.5, nil),
        ("townshipCoverage", "atLeast", 250.0, nil),
    ] as [(String, String, Double, String?)])
    func shareTargets(metric: String, bound: String, value: Double, hint: String?) {
        let found = issues(setting(tinyScenarioJSON(), "targets", [["metric": metric, "year": 2021, bound: value]]))
        #expect(found.count == 1)
        #expect(found.first?.path == "targets[0].\(bound)")
        #expect(found.first?.expected == "a share from 0 to 1 for \(metric)")
        #expect(found.first?.hint == hint)
    }

    @Test("Targets on counts and money may exceed 1")
    func nonShareTargets() {
        #expect(issues(setting(tinyScenarioJSON(), "targets", [["metric": "certified", "year": 2021, "atLeast": 80]])).isEmpty)
        #expect(issues(setting(tinyScenarioJSON(), "targets", [["metric": "townshipCoverage", "year": 2021, "atLeast": 1]])).isEmpty)
    }

    @Test("$schema is accepted as a top-level string and cannot be set by an alternative")
    func schemaField() throws {
        let json = setting(tinyScenarioJSON(), "$schema", "https://example.org/scenario-v1.schema.json")
        #expect(issues(json).isEmpty)
        #expect(issues(setting(tinyScenarioJSON(), "$schema", 3)).map(\.path) == [#"["$schema"]"#])
        let alternative = setting(json, "alternatives", [["name": "a", "set": ["$schema": "x"]]])
        #expect(issues(alternative).first?.found?.contains("shared by every alternative") == true)
    }

    func warnings(_ json: [String: Any]) throws -> [ScenarioIssue] {
        try ScenarioLoader.load(text: jsonText(json)).warnings
    }

    @Test("Probable unit slips are warnings saying what was probably meant", arguments: [
        ("budget.reliefShare", "1", "budget.reliefShare", "did you mean 1%, 0.01?"),
        ("budget.reliefGrowth", "3", "budget.reliefGrowth", "did you mean 3%, 0.03?"),
        ("budget.reliefGrowth", #"{"dist": "normal", "mean": 2, "sd": 0.5}"#, "budget.reliefGrowth", "did you mean 2%, 0.02?"),
        ("subsidies.junior", "2400", "subsidies.junior", "per year instead of per month (200 a month)?"),
        ("costs.stationContract.town", "15", "costs.stationContract.town", "entered in 万 (15万 = 150000 yuan)?"),
        ("costs.roomContract.rural", #"{"dist": "lognormal", "median": 4, "sigma": 0.1}"#, "costs.roomContract.rural", "entered in 万"),
        ("workforce.referenceWage", "5000", "workforce.referenceWage", "per month instead of per year (60000 a year)?"),
        ("budget.fiscal.0.amount", "300", "budget.fiscal[0].amount", "entered in 万 (300万 = 3000000 yuan)?"),
        ("budget.lottery", "50", "budget.lottery", "entered in 万"),
    ])
    func unitSlips(path: String, value: String, warningPath: String, meant: String) throws {
        let found = try warnings(setting(tinyScenarioJSON(), path, object(value)))
        #expect(found.count == 1, "\(found.map(\.warningDescription))")
        #expect(found.first?.path == warningPath)
        #expect(found.first?.expected.contains(meant) == true, "\(found.first?.expected ?? "none")")
        #expect(found.first?.location != nil)
    }

    @Test("A district of fewer than 100 people is a probable slip")
    func smallPopulation() throws {
        var json = setting(tinyScenarioJSON(), "districts.0.population", 52)
        json = setting(json, "districts.0.reliefFunds", 1_000)
        let found = try warnings(json)
        #expect(found.map(\.path) == ["districts[0].population"])
        #expect(found.first?.expected.contains("52万 = 520000 people") == true)
    }

    @Test("Relief funds under 1e5 yuan warn only for districts above 1e4 people; zero never warns")
    func reliefFundsThreshold() throws {
        #expect(try warnings(setting(tinyScenarioJSON(), "districts.0.reliefFunds", 99_999)).isEmpty)   // 10,000 people
        var bigger = setting(tinyScenarioJSON(), "districts.0.population", 10_001)
        let slip = try warnings(setting(bigger, "districts.0.reliefFunds", 2_000))
        #expect(slip.map(\.path) == ["districts[0].reliefFunds"])
        #expect(slip.first?.expected == "relief funds of 2000 yuan a year for 10001 people; entered in 万 (2000万 = 20000000 yuan)?")
        #expect(try warnings(setting(bigger, "districts.0.reliefFunds", 99_999)).count == 1)
        #expect(try warnings(setting(bigger, "districts.0.reliefFunds", 100_000)).isEmpty)
        bigger = setting(bigger, "districts.0.reliefFunds", 0)
        #expect(try warnings(bigger).isEmpty)
    }

    @Test("The bundled scenarios and the tiny fixture have no warnings")
    func noWarnings() throws {
        #expect(try warnings(tinyScenarioJSON()).isEmpty)
        for name in ["ningde.json", "longyan.json", "chongqing.json", "bijie.json", "province-80.json"] {
            #expect(try bundledScenario(name).warnings.isEmpty, "\(name)")
        }
    }

    @Test("An alternative's own slips are warned under its name; the base's once")
    func alternativeWarnings() throws {
        var json = setting(tinyScenarioJSON(), "subsidies.senior", 3000)
        json = setting(json, "alternatives", [["name": "all", "set": ["budget.reliefShare": 1]],
                                             ["name": "more", "set": ["subsidies.senior": 4000]]])
        let file = try ScenarioLoader.load(text: jsonText(json), fileName: "s.json")
        #expect(file.warnings.map(\.path) == ["subsidies.senior", "alternatives[0] (all): budget.reliefShare",
                                              "alternatives[1] (more): subsidies.senior"])
        let lines = file.warningLines(file: "s.json")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("s.json:"))
        #expect(lines[1].contains("alternatives[0] (all): budget.reliefShare: 1 is 100% of relief funds; did you mean 1%, 0.01?"))
    }

    /// A JSON value written as text (test arguments must be Sendable).
    func object(_ text: String) -> Any {
        try! JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    func loadError(_ text: String, fileName: String) -> ScenarioError? {
        do {
            _ = try ScenarioLoader.load(text: text, fileName: fileName)
            return nil
        } catch {
            return error
        }
    }
}
