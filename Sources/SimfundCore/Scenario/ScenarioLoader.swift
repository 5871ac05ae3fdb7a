import Foundation
import SimfundStochastics

/// Reads, validates and types scenario files (docs/model.md, "The scenario").
public enum ScenarioLoader {
    /// Loads a scenario file and its alternatives.
    /// - Throws: ``ScenarioError`` listing every problem found.
    /// `-` reads standard input.
    public static func load(path: String) throws(ScenarioError) -> ScenarioFile {
        switch readFile(path) {
        case let .success(bytes): return try load(bytes: bytes, fileName: path)
        case let .failure(problem):
            throw ScenarioError(file: path, issues: [ScenarioIssue(path: "", location: nil,
                expected: path == "-" ? "a scenario on standard input" : "a readable scenario file", found: problem.found)])
        }
    }

    struct ReadProblem: Error {
        var found: String
    }

    /// Reads a whole file (or standard input for `-`) with read(2), so a
    /// directory, a closed descriptor or an I/O error is reported with the
    /// system's reason instead of trapping. Pipes have no size up front, so
    /// everything is read to the end. A file larger than `limit` bytes is
    /// refused (before reading, when its size is known).
    static func readFile(_ path: String, limit: Int? = nil) -> Result<[UInt8], ReadProblem> {
        let descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let number = errno
            return .failure(ReadProblem(found: number == ENOENT ? "no such file" : "a file that cannot be opened (\(systemErrorText(number)))"))
        }
        defer { if path != "-" { close(descriptor) } }
        var status = stat()
        if fstat(descriptor, &status) != 0 {
            let number = errno
            return .failure(ReadProblem(found: path == "-" && number == EBADF ? "standard input closed (\(systemErrorText(number)))"
                                               : "a file that cannot be read (\(systemErrorText(number)))"))
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            return .failure(ReadProblem(found: "a directory (\(systemErrorText(EISDIR)))"))
        }
        var bytes: [UInt8] = []
        func tooLarge(_ size: Int) -> ReadProblem { ReadProblem(found: "a file of \(size) bytes or more, over the limit of \(limit ?? 0) bytes") }
        if let limit, status.st_mode & S_IFMT == S_IFREG, Int(status.st_size) > limit { return .failure(tooLarge(Int(status.st_size))) }
        if status.st_mode & S_IFMT == S_IFREG, status.st_size > 0 { bytes.reserveCapacity(Int(status.st_size)) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                let number = errno
                if number == EINTR { continue }
                return .failure(ReadProblem(found: "a file that cannot be read (\(systemErrorText(number)))"))
            }
            bytes += buffer[..<count]
            if let limit, bytes.count > limit { return .failure(tooLarge(bytes.count)) }
        }
        return .success(bytes)
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
    /// relate fields, then what each alternative changes. Probable unit
    /// slips of a valid file are returned as ``ScenarioFile/warnings``.
    public static func load(document: JSONNode, fileName: String) throws(ScenarioError) -> ScenarioFile {
        try load(document: document, fileName: fileName, wholeAlternatives: false)
    }

    /// `wholeAlternatives` checks and builds each alternative as a whole
    /// changed document (slow; the fuzz target and tests compare both ways).
    @_spi(Checking)
    public static func load(document: JSONNode, fileName: String, wholeAlternatives: Bool) throws(ScenarioError) -> ScenarioFile {
        let suggestions = Suggestions()
        var issues = validate(document, suggestions: suggestions)
        let baseIsValid = issues.isEmpty
        var base = baseIsValid ? build(document) : nil
        let baseSlips = baseIsValid ? ScenarioWarnings.check(document) : []
        let baseWarnings = Set(baseSlips.map { [$0.path, $0.expected] })
        var warnings = baseSlips
        var alternatives: [Alternative] = []
        var names: Set<String> = []
        let districtIndex = DocumentPaths.nameIndex(of: document["districts"])
        for (i, node) in (document["alternatives"]?.elements ?? []).enumerated() {
            let path = JSONPath().field("alternatives").index(i)
            guard let name = node["name"]?.string, let changes = node["set"]?.members else { continue }
            if !names.insert(name).inserted {
                issues.append(ScenarioIssue(path: path.field("name").text, location: node["name"]?.location,
                                            expected: "a name not used by another alternative", found: "\"\(quoted: name)\" again"))
            }
            let (changed, applied, pathIssues) = DocumentPaths.applying(changes, to: document, at: path.field("set"), suggestions: suggestions,
                                                                        districtIndex: districtIndex)
            issues += pathIssues
            // A path the posterior sets is refused (docs/model.md, "Forecasting from a posterior").
            let posteriorIssues = applied.compactMap { change in
                PosteriorLoader.conflict(change.steps, in: document).map { reason in
                    ScenarioIssue(path: path.field("set").field(change.change.path).text, location: change.change.value.location,
                                  expected: "a path alternative \"\(quoted: name)\" can set", found: "\"\(quoted: change.change.path)\" (\(reason))")
                }
            }
            issues += posteriorIssues
            // An alternative is checked once its base is valid.
            guard baseIsValid, pathIssues.isEmpty, posteriorIssues.isEmpty else { continue }
            func underAlternative(_ issue: ScenarioIssue) -> ScenarioIssue {
                var issue = issue
                issue.path = "\(path.text) (\(quoted: name)): \(issue.path)"
                return issue
            }
            // Only what the alternative changes is checked and rebuilt, so
            // that 1,000 alternatives of a 10,000-district file stay fast;
            // `wholeAlternatives` checks and builds each changed document
            // whole (tests compare both).
            let touched = DocumentPaths.changedRoots(applied.map(\.steps), in: document)
            let alternativeIssues = (wholeAlternatives ? validate(changed, suggestions: suggestions)
                : validateChanges(touched, in: changed, suggestions: suggestions)).map(underAlternative)
            issues += alternativeIssues
            if alternativeIssues.isEmpty, let base {
                // Only the alternative's own slips: those of the base are reported once.
                let districts = wholeAlternatives ? nil : touched.districts
                warnings += ScenarioWarnings.check(changed, districts: districts)
                    .filter { !baseWarnings.contains([$0.path, $0.expected]) }.map(underAlternative)
                let scenario = wholeAlternatives ? build(changed) : rebuild(base, from: changed, districts: touched.districts)
                var alternative = Alternative(name: name, changes: applied.map(\.change), scenario: scenario)
                alternative.typedChanges = ScenarioChange.differences(from: base, to: scenario,
                                                                      path: applied.map(\.change.path).joined(separator: ", "))
                alternatives.append(alternative)
            }
        }
        for member in document["provenance"]?.members ?? [] {
            if case let .failure(problem) = DocumentPaths.resolve(member.key, in: document, districtIndex: districtIndex) {
                let nearby = problem.suggestible ? DocumentPaths.suggestions(for: member.key, in: document, using: suggestions) : []
                issues.append(ScenarioIssue(path: JSONPath().field("provenance").field(member.key).text, location: member.value.location,
                                            expected: "a path of this scenario", found: "\"\(quoted: member.key)\" (\(problem.reason))",
                                            hint: nearby.isEmpty ? nil : "valid paths nearby: \(nearby.joined(separator: ", "))"))
            }
        }
        if let block = document["posterior"], let scenario = base {
            switch PosteriorLoader.load(block, for: scenario, scenarioFile: fileName) {
            case let .failure(problems): issues += problems.issues
            case let .success(posterior):
                base?.posterior = posterior
                for i in alternatives.indices { alternatives[i].scenario.posterior = posterior }
            }
        }
        guard issues.isEmpty, let base else { throw ScenarioError(file: fileName, issues: issues) }
        return ScenarioFile(base: base, alternatives: alternatives, document: document, warnings: warnings)
    }

    /// Every problem of a document considered as a base scenario (alternatives
    /// are not applied here).
    static func validate(_ document: JSONNode, suggestions: Suggestions = Suggestions()) -> [ScenarioIssue] {
        var validator = SchemaValidator(suggestions: suggestions)
        validator.check(document, against: ScenarioSchema.root, at: JSONPath())
        // Cross-field rules read only fields that passed their own checks, so
        // both kinds of problem are reported together.
        let invalid = InvalidRoots(validator.issues)
        return validator.issues + crossFieldIssues(document, isValid: invalid.isValid, suggestions: suggestions)
            + ScheduleSyntax.horizonIssues(document, isValid: invalid.isValid)
    }

    /// The top-level fields (`years`) and top-level array elements
    /// (`districts[3]`) that have a problem, found in one pass over the
    /// issues, so that asking about each of 40,000 districts stays linear.
    struct InvalidRoots {
        private var roots: Set<String> = []

        init(_ issues: [ScenarioIssue]) {
            for issue in issues {
                let path = issue.path
                // The first segment ends at the first "." or "[".
                guard let end = path.firstIndex(where: { $0 == "." || $0 == "[" }) else {
                    roots.insert(path)
                    continue
                }
                roots.insert(String(path[..<end]))
                if path[end] == "[", let close = path[end...].firstIndex(of: "]"),
                   path[path.index(after: end)..<close].allSatisfy(\.isNumber) {
                    roots.insert(String(path[...close]))
                }
            }
        }

        /// Whether `path` (a top-level field or `field[index]`) and everything
        /// under it passed the structural checks.
        func isValid(_ path: String) -> Bool { !roots.contains(path) }
    }

    /// At most one unit per place: stations ≤ townships and rooms ≤
    /// communities, by kind, for a district that passed its own checks.
    static func unitIssues(_ district: JSONNode, at path: JSONPath) -> [ScenarioIssue] {
        var issues: [ScenarioIssue] = []
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
        return issues
    }

    /// Rules that relate several fields (run only on a structurally valid document).
    private static func crossFieldIssues(_ document: JSONNode, isValid: (String) -> Bool, suggestions: Suggestions) -> [ScenarioIssue] {
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
                                            expected: "a district name used once", found: "\"\(quoted: name)\" again"))
            }
            names[name] = i
            issues += unitIssues(district, at: path)
        }
        // Converted to Int only once checked: a year of 1e19 does not fit.
        var horizon: (first: Int, last: Int)?
        if isValid("startYear"), isValid("years"), let start = document["startYear"]?.number, let years = document["years"]?.number {
            horizon = (Int(start), Int(start) + Int(years) - 1)
        }
        var sortedNames: [String]?
        for (i, target) in (document["targets"]?.elements ?? []).enumerated() {
            let path = JSONPath().field("targets").index(i)
            guard isValid(path.text) else { continue }
            let hasLeast = target["atLeast"] != nil, hasMost = target["atMost"] != nil
            if hasLeast == hasMost {
                issues.append(ScenarioIssue(path: path.text, location: target.location,
                                            expected: "exactly one of \"atLeast\" or \"atMost\"", found: hasLeast ? "both" : "neither"))
            }
            if let horizon, let year = target["year"]?.number, !(Double(horizon.first)...Double(horizon.last)).contains(year) {
                issues.append(ScenarioIssue(path: path.field("year").text, location: target["year"]?.location,
                                            expected: "a year of the horizon \(horizon.first)–\(horizon.last)", found: jsonNumber(year)))
            }
            if let metric = target["metric"]?.string.flatMap(Metric.init(name:)), metric.unit == "share" {
                for bound in ["atLeast", "atMost"] {
                    guard let node = target[bound], let value = node.number, !(0...1).contains(value) else { continue }
                    // 80 for 80% is the usual slip.
                    issues.append(ScenarioIssue(path: path.field(bound).text, location: node.location,
                                                expected: "a share from 0 to 1 for \(metric.name)", found: node.summary,
                                                hint: value > 1 && value <= 100 ? "did you mean \(jsonNumber(value / 100)) (\(jsonNumber(value))%)?" : nil))
                }
            }
            if let district = target["district"], isValid("districts") {
                let name = district.string ?? ""
                if names[name] == nil {
                    // Sorted (once): a dictionary's order varies from run to run, and so would ties.
                    if sortedNames == nil { sortedNames = names.keys.sorted() }
                    issues.append(ScenarioIssue(path: path.field("district").text, location: district.location,
                                                expected: "a district of this scenario", found: "\"\(quoted: name)\"",
                                                hint: suggestions.nearest(name, in: sortedNames ?? []).first.map { "did you mean \"\($0)\"?" }))
                }
                let metric = target["metric"]?.string ?? ""
                if !Metric.districtMetrics.map(\.name).contains(metric) {
                    issues.append(ScenarioIssue(path: path.field("metric").text, location: target["metric"]?.location,
                                                expected: "townshipCoverage or communityCoverage for a district target", found: "\"\(metric)\""))
                }
            }
        }
        issues += HistorySyntax.issues(document, isValid: isValid, districtNames: isValid("districts") ? names : nil,
                                       horizon: horizon, suggestions: suggestions)
        return issues
    }

    // MARK: - Typed values (the document is valid here)

    private static func int(_ node: JSONNode?) -> Int { Int(node?.number ?? 0) }

    static func district(_ d: JSONNode) -> District {
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

    /// The parameter table (slots, then one per fiscal line) and the fiscal lines.
    static func parameters(_ document: JSONNode) -> ([Parameter], [FiscalLine], [Int: Schedule]) {
        var parameters: [Parameter] = ParameterSlot.allCases.map { slot in
            let kind = slot.schemaKind
            let node = slot.path.split(separator: ".").reduce(Optional(document)) { $0?[String($1)] }
            return node.map { parameter($0, role: kind.role, per: kind.per) } ?? .fixed(0, role: kind.role, per: kind.per)
        }
        let fiscalNodes = document["budget"]?["fiscal"]?.elements ?? []
        parameters += fiscalNodes.map { parameter($0["amount"]!, role: .money, per: .replicate) }
        // A scheduled slot keeps its first entry here (the value of startYear); the schedule says the rest.
        let schedules = ScheduleSyntax.schedules(in: document)
        for (slot, schedule) in schedules { parameters[slot] = schedule.entries[0].parameter }
        let fiscal = fiscalNodes.map { FiscalLine(name: $0["name"]?.string ?? "", allocate: Allocation(rawValue: $0["allocate"]?.string ?? "") ?? .population) }
        return (parameters, fiscal, schedules)
    }

    static func build(_ document: JSONNode) -> Scenario {
        let districts = (document["districts"]?.elements ?? []).map(district)
        let (parameters, fiscal, schedules) = parameters(document)
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
            provenance: provenance,
            schedules: schedules,
            history: HistorySyntax.points(document, districtNames: names))
    }

    static func parameter(_ node: JSONNode, role: ParameterRole, per defaultPer: Resampling) -> Parameter {
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
