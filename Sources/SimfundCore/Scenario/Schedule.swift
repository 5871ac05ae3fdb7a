/// A policy parameter whose value changes over the horizon, written
/// `{"schedule": {"2024": V, "2026": W}}`: each value (a number or a
/// distribution) holds from its year until the next entry. The first entry
/// is at or before `startYear`, so every simulated year has a value.
///
/// Random streams do not depend on the schedule: an entry drawn once per
/// replicate uses the parameter's replicate stream, an entry drawn every
/// year the parameter's stream of that year, exactly as a plain parameter.
/// So a schedule whose entries all equal the plain value changes nothing,
/// and changing one entry changes nothing before its year.
public struct Schedule: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        /// First year index (0 = `startYear`) in which the entry holds; 0 for
        /// the first entry even when its calendar year is earlier.
        public var startYearIndex: Int
        public var parameter: Parameter
    }

    /// In year order; never empty.
    public var entries: [Entry]

    /// The parameter in force in year index `yearIndex` (0 = `startYear`).
    public func parameter(atYearIndex yearIndex: Int) -> Parameter {
        var current = entries[0].parameter
        for entry in entries.dropFirst() where entry.startYearIndex <= yearIndex { current = entry.parameter }
        return current
    }
}

/// Reading and checking schedules in a scenario document.
enum ScheduleSyntax {
    static let key = "schedule"

    /// Whether a parameter's value is a schedule object rather than a number
    /// or a distribution.
    static func isSchedule(_ node: JSONNode) -> Bool {
        node.members?.contains { $0.key == key } ?? false
    }

    /// The calendar year a schedule key names, if it names one.
    static func year(_ key: String) -> Int? {
        guard !key.isEmpty, key.count <= 4, key.allSatisfy(\.isASCII), let year = Int(key), (1900...2600).contains(year) else { return nil }
        return year
    }

    // MARK: - Validation

    /// The structure of a schedule and each of its values, checked as the
    /// field's own values (called by the schema validator).
    static func issues(_ node: JSONNode, role: ParameterRole, at path: JSONPath) -> [ScenarioIssue] {
        var issues: [ScenarioIssue] = []
        func report(_ path: JSONPath, _ node: JSONNode?, expected: String, found: String? = nil) {
            issues.append(ScenarioIssue(path: path.text, location: node?.location, expected: expected, found: found ?? node?.summary))
        }
        let example = "{\"schedule\": {\"2024\": 0.01, \"2026\": 0.02}}"
        for member in node.members ?? [] where member.key != key {
            report(path.field(member.key), member.value, expected: "only the field \"schedule\" in a scheduled value, as in \(example)",
                   found: "unknown field \"\(member.key)\"")
        }
        let schedulePath = path.field(key)
        guard let scheduleNode = node[key], let entries = scheduleNode.members, !entries.isEmpty else {
            report(schedulePath, node[key], expected: "an object of year → value with at least one entry, as in \(example)",
                   found: node[key]?.members?.isEmpty == true ? "an empty object" : nil)
            return issues
        }
        var previous: Int?
        var seen: Set<String> = []
        for entry in entries {
            let entryPath = schedulePath.field(entry.key)
            guard seen.insert(entry.key).inserted else {
                report(entryPath, entry.value, expected: "each year once", found: "\"\(entry.key)\" again")
                continue
            }
            guard let year = year(entry.key) else {
                report(entryPath, entry.value, expected: "a calendar year as the key, such as \"2026\"", found: "\"\(entry.key)\"")
                continue
            }
            if let previous, year <= previous {
                report(entryPath, entry.value, expected: "years in increasing order (after \(previous))", found: "\(year)")
            }
            previous = year
            if isSchedule(entry.value) {
                report(entryPath, entry.value, expected: "a number or a distribution (schedules do not nest)")
                continue
            }
            var validator = SchemaValidator()
            validator.check(entry.value, against: .parameter(role, per: .replicate), at: entryPath)
            issues += validator.issues
        }
        return issues
    }

    /// Every schedule's years against the horizon: the first entry at or
    /// before `startYear`, the others inside the horizon (an entry before it
    /// would never hold). Skips schedules and horizons that already failed.
    static func horizonIssues(_ document: JSONNode, isValid: (String) -> Bool) -> [ScenarioIssue] {
        guard isValid("startYear"), isValid("years"), let start = document["startYear"]?.number.map(Int.init),
              let years = document["years"]?.number.map(Int.init) else { return [] }
        let last = start + years - 1
        var issues: [ScenarioIssue] = []
        for (_, node, path, _) in parameterNodes(in: document) where isSchedule(node) && isValid(path.text) {
            let entries = node[key]?.members ?? []
            for (i, entry) in entries.enumerated() {
                guard let year = year(entry.key) else { continue }
                let entryPath = path.field(key).field(entry.key)
                if i == 0, year > start {
                    issues.append(ScenarioIssue(path: entryPath.text, location: entry.value.location,
                                                expected: "a first entry at or before startYear \(start), so that every year has a value",
                                                found: "\(year)"))
                } else if i > 0, year <= start || year > last {
                    issues.append(ScenarioIssue(path: entryPath.text, location: entry.value.location,
                                                expected: "a year of the horizon after startYear, \(start + 1)–\(last) (only the first entry may be at or before \(start))",
                                                found: "\(year)"))
                }
            }
        }
        return issues
    }

    // MARK: - Typed values

    /// Every parameter value of a document with its slot, path and kind:
    /// the fixed slots, then one fiscal amount per line.
    static func parameterNodes(in document: JSONNode) -> [(slot: Int, node: JSONNode, path: JSONPath, kind: (role: ParameterRole, per: Resampling))] {
        var result: [(slot: Int, node: JSONNode, path: JSONPath, kind: (role: ParameterRole, per: Resampling))] = []
        for slot in ParameterSlot.allCases {
            var node: JSONNode? = document
            var path = JSONPath()
            for name in slot.path.split(separator: ".").map(String.init) {
                node = node?[name]
                path = path.field(name)
            }
            if let node { result.append((slot.rawValue, node, path, slot.schemaKind)) }
        }
        for (i, line) in (document["budget"]?["fiscal"]?.elements ?? []).enumerated() {
            if let amount = line["amount"] {
                result.append((Scenario.fiscalSlot(i), amount, JSONPath().field("budget").field("fiscal").index(i).field("amount"), (.money, .replicate)))
            }
        }
        return result
    }

    /// The schedules of a valid document, by parameter slot.
    static func schedules(in document: JSONNode) -> [Int: Schedule] {
        let start = Int(document["startYear"]?.number ?? 0)
        var schedules: [Int: Schedule] = [:]
        for (slot, node, _, kind) in parameterNodes(in: document) where isSchedule(node) {
            let entries = (node[key]?.members ?? []).enumerated().map { i, entry in
                Schedule.Entry(startYearIndex: i == 0 ? 0 : (year(entry.key) ?? start) - start,
                               parameter: ScenarioLoader.parameter(entry.value, role: kind.role, per: kind.per))
            }
            if !entries.isEmpty { schedules[slot] = Schedule(entries: entries) }
        }
        return schedules
    }

    /// Why a dotted path cannot go further into a schedule (for
    /// alternatives and sweeps), given the segments that reached it.
    static func pathProblem(reached: String, segment: String, schedule: JSONNode) -> String {
        let years = (schedule[key]?.members ?? []).map(\.key).joined(separator: ", ")
        if segment == key { return "\(reached) is a schedule" }
        return "\(reached) is a schedule; name one of its years (\(reached).schedule.YEAR, years \(years)) or set \(reached).schedule whole"
    }
}
