import Testing
@testable import SimfundCore

/// Every bad-input case of the engine issue: one line naming the JSON path,
/// what was expected and what was found.
@Suite("Scenario validation")
struct ValidationTests {
    /// The single issue at `path`, failing the test if there is not exactly one.
    func single(at path: String, in found: [ScenarioIssue], sourceLocation: SourceLocation = #_sourceLocation) -> ScenarioIssue? {
        let matching = found.filter { $0.path == path }
        #expect(matching.count == 1, "issues: \(found.map(\.description))", sourceLocation: sourceLocation)
        return matching.first
    }

    @Test("The tiny fixture and every bundled scenario are valid")
    func validScenarios() throws {
        #expect(issues(tinyScenarioJSON()).isEmpty)
        for name in ["ningde.json", "longyan.json", "chongqing.json", "bijie.json", "province-80.json"] {
            let file = try bundledScenario(name)
            #expect(!file.base.districts.isEmpty)
        }
    }

    @Test("Malformed JSON gives the line and column of the fault")
    func malformed() throws {
        let found = issues("{\n  \"simfund\": 1,\n  \"name\": \"x\",,\n}")
        #expect(found.count == 1)
        #expect(found[0].location == SimfundCore.FilePosition(line: 3, column: 15))
        #expect(found[0].expected.contains("well-formed JSON"))
        let unterminated = issues("{\"simfund\": 1, \"name\": \"x")
        #expect(unterminated.first?.expected.contains("'\"' to close the string") == true)
    }

    @Test("A wrong type names the path, the expected type and the value found")
    func wrongType() {
        let found = issues(setting(tinyScenarioJSON(), "districts.0.population", "many"))
        let issue = single(at: "districts[0].population", in: found)
        #expect(issue?.expected == "a whole number")
        #expect(issue?.found == "\"many\"")
        #expect(issue?.location != nil)
    }

    @Test("A missing required field is named with what it is for")
    func missingField() {
        var json = tinyScenarioJSON()
        json["years"] = nil
        let issue = single(at: "years", in: issues(json))
        #expect(issue?.expected.contains("required field \"years\"") == true)
        #expect(issue?.found == "nothing")
    }

    @Test("An unknown field suggests the nearest known name")
    func unknownField() {
        let issue = single(at: "budget.reliefShar", in: issues(setting(tinyScenarioJSON(), "budget.reliefShar", 0.1)))
        #expect(issue?.hint == "did you mean \"reliefShare\"?")
        let deep = single(at: "workforce.attrition.junor", in: issues(setting(tinyScenarioJSON(), "workforce.attrition.junor", 0.1)))
        #expect(deep?.hint == "did you mean \"junior\"?")
    }

    @Test("Negative counts and amounts are rejected")
    func negatives() {
        let count = single(at: "districts[0].agencies", in: issues(setting(tinyScenarioJSON(), "districts.0.agencies", -1)))
        #expect(count?.found == "-1")
        let money = single(at: "costs.stationBuild", in: issues(setting(tinyScenarioJSON(), "costs.stationBuild", -5)))
        #expect(money?.expected.contains("≥ 0") == true)
        let staff = single(at: "staffing.town", in: issues(setting(tinyScenarioJSON(), "staffing.town", -1)))
        #expect(staff?.expected.contains("whole number ≥ 0") == true)
        let relief = single(at: "districts[0].reliefFunds", in: issues(setting(tinyScenarioJSON(), "districts.0.reliefFunds", -1)))
        #expect(relief != nil)
    }

    @Test("Rates outside [0, 1] are rejected", arguments: ["budget.reliefShare", "workforce.entryRate", "workforce.attrition.senior",
                                                           "procurement.failureRate", "staffing.stationShare", "training.share"])
    func rates(path: String) {
        let issue = single(at: path, in: issues(setting(tinyScenarioJSON(), path, 1.5)))
        #expect(issue?.expected == "a rate in [0, 1]")
        #expect(issue?.found == "1.5")
    }

    @Test("More stations than townships, or rooms than communities")
    func moreUnitsThanPlaces() {
        let stations = single(at: "districts[0].stations.towns", in: issues(setting(tinyScenarioJSON(), "districts.0.stations.towns", 4)))
        #expect(stations?.expected.contains("townships.towns = 3") == true)
        let rooms = single(at: "districts[0].rooms.rural", in: issues(setting(tinyScenarioJSON(), "districts.0.rooms.rural", 5)))
        #expect(rooms?.expected.contains("communities.rural = 4") == true)
    }

    @Test("Unknown distributions and impossible parameters")
    func distributions() {
        let name = single(at: "workforce.entryRate.dist",
                         in: issues(setting(tinyScenarioJSON(), "workforce.entryRate", ["dist": "normall", "mean": 0.4, "sd": 0.1])))
        #expect(name?.hint == "did you mean \"normal\"?")
        let alpha = single(at: "workforce.passRate.junior.alpha",
                          in: issues(setting(tinyScenarioJSON(), "workforce.passRate.junior", ["dist": "beta", "alpha": 0, "beta": 3])))
        #expect(alpha?.expected == "alpha from 0.001 to 1e9")
        let sd = single(at: "costs.priceFactor.sd",
                       in: issues(setting(tinyScenarioJSON(), "costs.priceFactor", ["dist": "normal", "mean": 1, "sd": -0.1])))
        #expect(sd?.expected == "sd from 0 to 1e15")
        let minMax = single(at: "awards.amount.max",
                           in: issues(setting(tinyScenarioJSON(), "awards.amount", ["dist": "uniform", "min": 6, "max": 5])))
        #expect(minMax?.expected == "max ≥ min (6)")
        let clamp = single(at: "budget.reliefGrowth.max",
                          in: issues(setting(tinyScenarioJSON(), "budget.reliefGrowth", ["dist": "normal", "mean": 0, "sd": 0.1, "min": 0.2, "max": 0.1])))
        #expect(clamp != nil)
        let missing = single(at: "budget.lottery.sigma",
                            in: issues(setting(tinyScenarioJSON(), "budget.lottery", ["dist": "lognormal", "median": 1])))
        #expect(missing?.found == "nothing")
        let extra = single(at: "budget.lottery.sd",
                          in: issues(setting(tinyScenarioJSON(), "budget.lottery", ["dist": "lognormal", "median": 1, "sigma": 1, "sd": 2])))
        #expect(extra?.found == "unknown field \"sd\"")
        let per = single(at: "budget.lottery.per",
                        in: issues(setting(tinyScenarioJSON(), "budget.lottery", ["dist": "lognormal", "median": 1, "sigma": 1, "per": "month"])))
        #expect(per?.expected == "\"replicate\" or \"year\"")
        let wage = single(at: "workforce.referenceWage",
                         in: issues(setting(tinyScenarioJSON(), "workforce.referenceWage", ["dist": "normal", "mean": 60000, "sd": 1000])))
        #expect(wage?.expected.contains("stays above 0") == true)
    }

    @Test("years and replicates of 0 or absurdly large", arguments: [("years", 0), ("years", 1000), ("replicates", 0), ("replicates", 1_000_000_000)])
    func horizon(field: String, value: Int) {
        let issue = single(at: field, in: issues(setting(tinyScenarioJSON(), field, value)))
        #expect(issue?.found == String(value))
    }

    @Test("An alternative whose set path does not exist lists valid paths nearby")
    func alternativePath() {
        let json = setting(tinyScenarioJSON(), "alternatives", [["name": "a", "set": ["budget.reliefShar": 0.2]]])
        let issue = single(at: "alternatives[0].set[\"budget.reliefShar\"]", in: issues(json))
        #expect(issue?.hint?.contains("budget.reliefShare") == true)
        let shared = setting(tinyScenarioJSON(), "alternatives", [["name": "a", "set": ["years": 3]]])
        #expect(issues(shared).first?.found?.contains("shared by every alternative") == true)
    }

    @Test("An alternative's new value is validated like the base")
    func alternativeValue() {
        let json = setting(tinyScenarioJSON(), "alternatives", [["name": "double", "set": ["budget.reliefShare": 3]]])
        let found = issues(json)
        #expect(found.count == 1)
        #expect(found.first?.path == "alternatives[0] (double): budget.reliefShare")
        #expect(found.first?.expected == "a rate in [0, 1]")
    }

    @Test("Targets on unknown metrics, years outside the horizon, unknown districts")
    func targets() {
        let metric = single(at: "targets[0].metric",
                           in: issues(setting(tinyScenarioJSON(), "targets", [["metric": "certifed", "year": 2020, "atLeast": 1]])))
        #expect(metric?.hint == "did you mean \"certified\"?")
        let year = single(at: "targets[0].year",
                         in: issues(setting(tinyScenarioJSON(), "targets", [["metric": "certified", "year": 2030, "atLeast": 1]])))
        #expect(year?.expected == "a year of the horizon 2020–2021")
        let district = single(at: "targets[0].district",
                             in: issues(setting(tinyScenarioJSON(), "targets", [["metric": "townshipCoverage", "year": 2020, "atLeast": 1, "district": "Alfa"]])))
        #expect(district?.hint == "did you mean \"Alpha\"?")
        let bounds = single(at: "targets[0]", in: issues(setting(tinyScenarioJSON(), "targets", [["metric": "certified", "year": 2020]])))
        #expect(bounds?.found == "neither")
    }

    @Test("All problems of a file are reported at once, in file order")
    func collectsAll() throws {
        var json = setting(tinyScenarioJSON(), "budget.reliefShare", 2)
        json = setting(json, "years", 0)
        json = setting(json, "districts.0.stations.towns", 9)
        json = setting(json, "workforce.entryRat", 1)
        let found = issues(json)
        #expect(Set(found.map(\.path)) == ["budget.reliefShare", "years", "districts[0].stations.towns", "workforce.entryRat"])
        let lines = found.compactMap(\.location?.line)
        #expect(lines == lines.sorted())
    }

    @Test("Messages read as one line: path, expected, found")
    func messageFormat() {
        let error = ScenarioError(file: "s.json", issues: [
            ScenarioIssue(path: "budget.reliefShare", location: .init(line: 3, column: 9), expected: "a rate in [0, 1]", found: "1.5"),
        ])
        #expect(error.lines == ["s.json:3:9: budget.reliefShare: expected a rate in [0, 1], found 1.5"])
    }

    @Test("Every parameter slot is a parameter of the schema with its role")
    func slotsMatchSchema() {
        for slot in ParameterSlot.allCases { _ = slot.schemaKind }
        #expect(ParameterSlot.reliefShare.schemaKind.role == .rate)
        #expect(ParameterSlot.lottery.schemaKind.per == .year)
        #expect(ParameterSlot.graduates.schemaKind == (.count, .year))
        #expect(ParameterSlot.entryRate.schemaKind.per == .replicate)
    }
}

@Suite("Documentation")
struct DocumentationTests {
    @Test("The README's field table is the one generated from the schema")
    func readmeFieldTable() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(readme.range(of: "<!-- fields:begin -->\n"))
        let end = try #require(readme.range(of: "<!-- fields:end -->"))
        #expect(String(readme[begin.upperBound..<end.lowerBound]) == ScenarioFieldTable.render(),
                "README.md is stale: paste `simfund schema --markdown` between the markers")
    }
}
