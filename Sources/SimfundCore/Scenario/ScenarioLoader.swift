import Foundation
import SimfundStochastics

/// Reads, validates and types scenario files (MODEL.md sections 1–2).
public enum ScenarioLoader {
    /// Loads a scenario file and its alternatives.
    /// - Throws: ``ScenarioError`` listing every problem found.
    /// `-` reads standard input.
    public static func load(path: String) throws(ScenarioError) -> ScenarioFile {
        // Pipes (`-`, /dev/stdin) have no size to read up front, so read them to the end.
        let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile()
            : FileManager.default.contents(atPath: path) ?? FileHandle(forReadingAtPath: path)?.readDataToEndOfFile()
        guard let data else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw ScenarioError(file: path, issues: [ScenarioIssue(path: "", location: nil,
                expected: "a readable scenario file", found: exists ? "a file that cannot be read" : "no such file")])
        }
        return try load(bytes: [UInt8](data), fileName: path)
    }

    public static func load(text: String, fileName: String = "scenario.json") throws(ScenarioError) -> ScenarioFile {
        try load(bytes: Array(text.utf8), fileName: fileName)
    }

    public static func load(bytes: [UInt8], fileName: String) throws(ScenarioError) -> ScenarioFile {
        let document: JSONNode
        do {
            document = try JSONParser.parse(bytes: bytes)
        } catch {
            throw ScenarioError(file: fileName, issues: [ScenarioIssue(path: "", location: error.location,
                expected: "well-formed JSON: \(error.expected)", found: error.found)])
        }
        var file = try load(document: document, fileName: fileName)
        file.source = bytes
        return file
    }

    /// Validates a parsed document: structure first, then the rules that
    /// relate fields, then each alternative as a whole scenario.
    public static func load(document: JSONNode, fileName: String) throws(ScenarioError) -> ScenarioFile {
        var issues = validate(document)
        let baseIsValid = issues.isEmpty
        var alternatives: [Alternative] = []
        var names: Set<String> = []
        for (i, node) in (document["alternatives"]?.elements ?? []).enumerated() {
            let path = JSONPath().field("alternatives").index(i)
            guard let name = node["name"]?.string, let changes = node["set"]?.members else { continue }
            if !names.insert(name).inserted {
                issues.append(ScenarioIssue(path: path.field("name").text, location: node["name"]?.location,
                                            expected: "a name not used by another alternative", found: "\"\(name)\" again"))
            }
            let (changed, applied, pathIssues) = DocumentPaths.applying(changes, to: document, at: path.field("set"))
            issues += pathIssues
            // An alternative is checked as a whole scenario once its base is valid.
            guard baseIsValid, pathIssues.isEmpty else { continue }
            let alternativeIssues = validate(changed).map { issue in
                var issue = issue
                issue.path = "\(path.text) (\(name)): \(issue.path)"
                return issue
            }
            issues += alternativeIssues
            if alternativeIssues.isEmpty {
                alternatives.append(Alternative(name: name, changes: applied, scenario: build(changed)))
            }
        }
        for member in document["provenance"]?.members ?? [] {
            if case let .failure(problem) = DocumentPaths.resolve(member.key, in: document) {
                issues.append(ScenarioIssue(path: JSONPath().field("provenance").field(member.key).text, location: member.value.location,
                                            expected: "a path of this scenario", found: "\"\(member.key)\" (\(problem.reason))",
                                            hint: problem.suggestions.isEmpty ? nil : "valid paths nearby: \(problem.suggestions.joined(separator: ", "))"))
            }
        }
        guard issues.isEmpty else { throw ScenarioError(file: fileName, issues: issues) }
        return ScenarioFile(base: build(document), alternatives: alternatives, document: document)
    }

    /// Every problem of a document considered as a base scenario (alternatives
    /// are not applied here).
    static func validate(_ document: JSONNode) -> [ScenarioIssue] {
        var validator = SchemaValidator()
        validator.check(document, against: ScenarioSchema.root, at: JSONPath())
        // Cross-field rules read only fields that passed their own checks, so
        // both kinds of problem are reported together.
        let valid = { (path: String) in !validator.issues.contains { $0.path == path || $0.path.hasPrefix(path + ".") || $0.path.hasPrefix(path + "[") } }
        return validator.issues + crossFieldIssues(document, isValid: valid)
    }

    /// Rules that relate several fields (run only on a structurally valid document).
    private static func crossFieldIssues(_ document: JSONNode, isValid: (String) -> Bool) -> [ScenarioIssue] {
        guard document.members != nil else { return [] }
        var issues: [ScenarioIssue] = []
        let districts = document["districts"]?.elements ?? []
        var names: [String: Int] = [:]
        for (i, district) in districts.enumerated() {
            let path = JSONPath().field("districts").index(i)
            guard isValid(path.text) else { continue }
            let name = district["name"]?.string ?? ""
            if names[name] != nil {
                issues.append(ScenarioIssue(path: path.field("name").text, location: district["name"]?.location,
                                            expected: "a district name used once", found: "\"\(name)\" again"))
            }
            names[name] = i
            for (units, places, kinds) in [("stations", "townships", ["streets", "towns"]), ("rooms", "communities", ["urban", "rural"])] {
                for kind in kinds {
                    let have = district[units]?[kind]?.number ?? 0
                    let room = district[places]?[kind]?.number ?? 0
                    if have > room {
                        issues.append(ScenarioIssue(path: path.field(units).field(kind).text, location: district[units]?[kind]?.location,
                                                    expected: "at most \(places).\(kind) = \(Int(room)) (one unit per place)",
                                                    found: "\(Int(have))"))
                    }
                }
            }
        }
        let horizonKnown = isValid("startYear") && isValid("years") && document["startYear"] != nil && document["years"] != nil
        let startYear = Int(document["startYear"]?.number ?? 0)
        let years = Int(document["years"]?.number ?? 1)
        for (i, target) in (document["targets"]?.elements ?? []).enumerated() {
            let path = JSONPath().field("targets").index(i)
            guard isValid(path.text) else { continue }
            let hasLeast = target["atLeast"] != nil, hasMost = target["atMost"] != nil
            if hasLeast == hasMost {
                issues.append(ScenarioIssue(path: path.text, location: target.location,
                                            expected: "exactly one of \"atLeast\" or \"atMost\"", found: hasLeast ? "both" : "neither"))
            }
            if horizonKnown, let year = target["year"]?.number, Int(year) < startYear || Int(year) > startYear + years - 1 {
                issues.append(ScenarioIssue(path: path.field("year").text, location: target["year"]?.location,
                                            expected: "a year of the horizon \(startYear)–\(startYear + years - 1)", found: "\(Int(year))"))
            }
            if let district = target["district"], isValid("districts") {
                let name = district.string ?? ""
                if names[name] == nil {
                    issues.append(ScenarioIssue(path: path.field("district").text, location: district.location,
                                                expected: "a district of this scenario", found: "\"\(name)\"",
                                                hint: nearest(name, in: Array(names.keys)).first.map { "did you mean \"\($0)\"?" }))
                }
                let metric = target["metric"]?.string ?? ""
                if !Metric.districtMetrics.map(\.name).contains(metric) {
                    issues.append(ScenarioIssue(path: path.field("metric").text, location: target["metric"]?.location,
                                                expected: "townshipCoverage or communityCoverage for a district target", found: "\"\(metric)\""))
                }
            }
        }
        return issues
    }

    // MARK: - Typed values (the document is valid here)

    static func build(_ document: JSONNode) -> Scenario {
        func int(_ node: JSONNode?) -> Int { Int(node?.number ?? 0) }
        let districts = (document["districts"]?.elements ?? []).map { d in
            District(
                name: d["name"]?.string ?? "",
                population: int(d["population"]),
                places: [int(d["townships"]?["streets"]), int(d["townships"]?["towns"]),
                         int(d["communities"]?["urban"]), int(d["communities"]?["rural"])],
                units: [int(d["stations"]?["streets"]), int(d["stations"]?["towns"]),
                        int(d["rooms"]?["urban"]), int(d["rooms"]?["rural"])],
                uncertified: int(d["workforce"]?["uncertified"]), junior: int(d["workforce"]?["junior"]),
                intermediate: int(d["workforce"]?["intermediate"]), senior: int(d["workforce"]?["senior"]),
                agencies: int(d["agencies"]),
                reliefFunds: d["reliefFunds"]?.number ?? 0)
        }
        var parameters: [Parameter] = ParameterSlot.allCases.map { slot in
            let kind = slot.schemaKind
            let node = slot.path.split(separator: ".").reduce(Optional(document)) { $0?[String($1)] }
            return node.map { parameter($0, role: kind.role, per: kind.per) } ?? .fixed(0, role: kind.role, per: kind.per)
        }
        let fiscalNodes = document["budget"]?["fiscal"]?.elements ?? []
        parameters += fiscalNodes.map { parameter($0["amount"]!, role: .money, per: .replicate) }
        let fiscal = fiscalNodes.map { FiscalLine(name: $0["name"]?.string ?? "", allocate: Allocation(rawValue: $0["allocate"]?.string ?? "") ?? .population) }
        let names = districts.map(\.name)
        let targets = (document["targets"]?.elements ?? []).map { t in
            Target(metric: Metric(name: t["metric"]?.string ?? "") ?? .townshipCoverage,
                   year: int(t["year"]),
                   bound: t["atMost"]?.number.map { .atMost($0) } ?? .atLeast(t["atLeast"]?.number ?? 0),
                   district: t["district"]?.string.flatMap { names.firstIndex(of: $0) })
        }
        var provenance: [String: String] = [:]
        for member in document["provenance"]?.members ?? [] { provenance[member.key] = member.value.string ?? "" }
        var seed: UInt64?
        if case let .number(_, literal)? = document["seed"]?.value { seed = UInt64(literal) }
        return Scenario(
            name: document["name"]?.string ?? "",
            description: document["description"]?.string,
            startYear: int(document["startYear"]),
            years: int(document["years"]),
            replicates: int(document["replicates"]),
            seed: seed,
            districts: districts,
            parameters: parameters,
            fiscal: fiscal,
            carryOver: document["budget"]?["carryOver"]?.bool ?? true,
            targets: targets,
            provenance: provenance)
    }

    private static func parameter(_ node: JSONNode, role: ParameterRole, per defaultPer: Resampling) -> Parameter {
        if let value = node.number { return Parameter(.fixed(value), per: defaultPer, role: role) }
        var numbers: [String: Double] = [:]
        for member in node.members ?? [] { if let n = member.value.number { numbers[member.key] = n } }
        let name = node["dist"]?.string ?? "fixed"
        let distribution = (try? Distribution.make(name: name, parameters: numbers).get()) ?? .fixed(0)
        let per = node["per"]?.string.flatMap(Resampling.init(rawValue:)) ?? defaultPer
        let clamps = Clamps(numbers: numbers)
        return Parameter(distribution, per: per, role: role, lowerClamp: clamps.lower, upperClamp: clamps.upper)
    }
}
