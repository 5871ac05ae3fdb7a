import SimfundStochastics

/// Dotted paths into a scenario document, as used by alternatives (`set`),
/// sweeps (`--set`) and `provenance`: `budget.reliefShare`,
/// `districts.Jiaocheng.population` (a district by name or by index, as in
/// `districts.0.population`), `budget.fiscal.0.amount`, and fields inside a
/// distribution object such as `budget.lottery.median`.
public enum DocumentPaths {
    enum Step: Hashable {
        case field(String)
        case index(Int)
    }

    /// Why a path does not resolve.
    public struct Problem: Error, Sendable, Equatable {
        public var reason: String
        /// Valid paths close to the one given, nearest first.
        public var suggestions: [String]
        /// Whether nearby paths would help (not for a path that exists but may not be set).
        var suggestible = false
    }

    /// Top-level fields every alternative shares with its base, so that runs
    /// stay comparable (same horizon, replicates and seed).
    static let unchangeable: Set<String> = ["$schema", "simfund", "name", "description", "startYear", "years", "replicates", "seed",
                                             "targets", "alternatives", "provenance", "posterior"]

    /// Checks that `path` names a value of the document's schema. The
    /// problem has no suggestions yet (see ``suggestions(for:in:using:)``).
    /// Each district's index by name (the first of equal names), so that
    /// resolving many paths stays linear in their number.
    static func nameIndex(of districts: JSONNode?) -> [String: Int] {
        var index: [String: Int] = [:]
        for (i, district) in (districts?.elements ?? []).enumerated() {
            if let name = district["name"]?.string, index[name] == nil { index[name] = i }
        }
        return index
    }

    static func resolve(_ path: String, in document: JSONNode, forChange: Bool = false,
                        districtIndex: [String: Int]? = nil) -> Result<[Step], Problem> {
        let segments = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var type = ScenarioSchema.root
        var node: JSONNode? = document
        var steps: [Step] = []
        func fail(_ reason: String) -> Result<[Step], Problem> {
            .failure(Problem(reason: reason, suggestions: [], suggestible: true))
        }
        for (depth, segment) in segments.enumerated() {
            switch type {
            case let .object(fields):
                guard let field = fields.first(where: { $0.name == segment }) else {
                    return fail(segment.isEmpty ? "an empty segment" : "no field \"\(quoted: segment)\" here")
                }
                if forChange, depth == 0, unchangeable.contains(segment) {
                    return .failure(Problem(reason: "\"\(segment)\" is shared by every alternative and cannot be set", suggestions: []))
                }
                if forChange, segment == "name", steps.first == .field("districts") {
                    return .failure(Problem(reason: "district names identify districts and cannot be set", suggestions: []))
                }
                type = field.type
                node = node?[segment]
                steps.append(.field(segment))
            case let .array(element, _, _):
                let elements = node?.elements ?? []
                let byName = steps == [.field("districts")] ? districtIndex : nil
                let index = Int(segment).flatMap { $0 >= 0 && $0 < elements.count ? $0 : nil }
                    ?? (byName.map { $0[segment] } ?? elements.firstIndex { $0["name"]?.string == segment })
                guard let index else {
                    return fail("no element \"\(quoted: segment)\" (give an index from 0 to \(elements.count - 1) or a name)")
                }
                type = element
                node = elements[index]
                steps.append(.index(index))
            case .parameter:
                if let schedule = node, ScheduleSyntax.isSchedule(schedule) {
                    guard segment == ScheduleSyntax.key else {
                        return fail(ScheduleSyntax.pathProblem(reached: segments[..<depth].joined(separator: "."), segment: segment, schedule: schedule))
                    }
                    // Its entries are values of the same field.
                    type = .map(type)
                    node = schedule[segment]
                    steps.append(.field(segment))
                    continue
                }
                guard let distribution = node, let name = distribution["dist"]?.string,
                      let parameters = Distribution.parameterNames[name] else {
                    return fail("\(quoted: segments[..<depth].joined(separator: ".")) is a plain number; set it whole")
                }
                guard (parameters + ["per", "min", "max"]).contains(segment) else {
                    return fail("\(name) has no parameter \"\(quoted: segment)\"")
                }
                type = segment == "per" ? .string(oneOf: Resampling.allCases.map(\.rawValue)) : .number(min: -1e18, max: 1e18)
                node = distribution[segment]
                steps.append(.field(segment))
            case let .map(valueType):
                guard let entry = node?[segment] else {
                    let keys = (node?.members ?? []).map(\.key).joined(separator: ", ")
                    return fail("no entry \"\(segment)\" in \(segments[..<depth].joined(separator: ".")) (entries: \(keys); set it whole to add or remove one)")
                }
                type = valueType
                node = entry
                steps.append(.field(segment))
            default:
                return fail("\(quoted: segments[..<depth].joined(separator: ".")) has no fields")
            }
        }
        return .success(steps)
    }

    /// Every path of the document a planner could name (for suggestions).
    static func allPaths(in document: JSONNode) -> [String] {
        var paths: [String] = []
        func walk(_ type: SchemaType, _ node: JSONNode?, _ prefix: String) {
            switch type {
            case let .object(fields):
                for field in fields {
                    let path = prefix.isEmpty ? field.name : prefix + "." + field.name
                    paths.append(path)
                    walk(field.type, node?[field.name], path)
                }
            case let .array(element, _, _):
                // Elements that are not objects have no paths inside them.
                for (i, item) in (node?.elements ?? []).enumerated() where item.members != nil {
                    let key = item["name"]?.string ?? String(i)
                    walk(element, item, prefix + "." + key)
                }
            case .parameter:
                if let node, ScheduleSyntax.isSchedule(node) {
                    paths.append(prefix + "." + ScheduleSyntax.key)
                    for entry in node[ScheduleSyntax.key]?.members ?? [] {
                        paths.append(prefix + "." + ScheduleSyntax.key + "." + entry.key)
                        walk(type, entry.value, prefix + "." + ScheduleSyntax.key + "." + entry.key)
                    }
                } else if let node, let name = node["dist"]?.string, let parameters = Distribution.parameterNames[name] {
                    for parameter in parameters + ["per", "min", "max"] { paths.append(prefix + "." + parameter) }
                }
            default:
                break
            }
        }
        walk(ScenarioSchema.root, document, "")
        return paths
    }

    /// Valid paths near a path that does not resolve, within the bounds of
    /// `budget` (nothing for an absurdly long path or once the file's quota
    /// of hints is spent).
    static func suggestions(for path: String, in document: JSONNode, using budget: Suggestions) -> [String] {
        guard path.count <= Suggestions.maximumWordLength, budget.take() else { return [] }
        let all = budget.allPaths(in: document)
        let bound = max(3, path.count / 3)
        var work = Suggestions.maximumCellsPerProblem
        var close: [(String, Int)] = []
        for candidate in all {
            if let distance = editDistance(path, candidate, bound: bound, budget: &work) { close.append((candidate, distance)) }
        }
        close.sort { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        // The nearest paths, plus the siblings under the longest valid prefix.
        var result = close.prefix(3).map(\.0)
        var prefix = path.split(separator: ".").map(String.init)
        while !prefix.isEmpty {
            prefix.removeLast()
            let stem = prefix.joined(separator: ".")
            let start = stem.isEmpty ? "" : stem + "."
            let siblings = all.filter { candidate in
                guard candidate.hasPrefix(start) else { return false }
                return !candidate.utf8.dropFirst(start.utf8.count).contains(UInt8(ascii: "."))
            }
            if !siblings.isEmpty {
                result += siblings.filter { !result.contains($0) }.prefix(8)
                break
            }
        }
        return result
    }

    /// The document with each `(path, value)` change applied, or the problems
    /// of the paths. Values are not validated here; the caller validates the
    /// changed document as a whole.
    static func applying(_ changes: [JSONNode.Member], to document: JSONNode, at path: JSONPath, suggestions budget: Suggestions,
                         districtIndex: [String: Int]? = nil)
        -> (document: JSONNode, changes: [(change: Alternative.Change, steps: [Step])], issues: [ScenarioIssue]) {
        var changed = document
        changed.remove("alternatives")
        var issues: [ScenarioIssue] = []
        var applied: [(change: Alternative.Change, steps: [Step])] = []
        for change in changes {
            switch resolveChange(change.key, to: change.value, in: document, districtIndex: districtIndex) {
            case let .failure(problem):
                let nearby = problem.suggestible ? suggestions(for: change.key, in: document, using: budget) : []
                issues.append(ScenarioIssue(path: path.field(change.key).text, location: change.value.location,
                                            expected: "a path of the base scenario that an alternative can set",
                                            found: "\"\(quoted: change.key)\" (\(problem.reason))",
                                            hint: nearby.isEmpty ? nil : "valid paths nearby: \(nearby.joined(separator: ", "))"))
            case let .success(steps):
                changed = changed.replacing(steps[...], with: change.value)
                applied.append((Alternative.Change(path: change.key, value: change.value), steps))
            }
        }
        return (changed, applied, issues)
    }

    /// Applies `--set PATH=VALUE` changes given as text (sweeps), returning
    /// the changed document or a problem naming the path.
    public static func setting(_ path: String, to value: JSONNode, in document: JSONNode) -> Result<JSONNode, Problem> {
        switch resolveChange(path, to: value, in: document) {
        case var .failure(problem):
            if problem.suggestible { problem.suggestions = suggestions(for: path, in: document, using: Suggestions()) }
            // The caller prints these: scenario strings in them are escaped.
            problem.reason = problem.reason.escapingControlCharacters
            problem.suggestions = problem.suggestions.map(\.escapingControlCharacters)
            return .failure(problem)
        case let .success(steps): return .success(document.replacing(steps[...], with: value))
        }
    }

    /// Resolves a path that an alternative or a sweep sets to `value`, and
    /// checks that the change keeps the base's list of districts: the
    /// engine and every comparison pair districts by position, so adding,
    /// removing, reordering or renaming districts is refused. Fields of a
    /// district (`districts.Jiaocheng.reliefFunds`) can be changed, and a
    /// whole district or the whole array replaced if the names stay.
    static func resolveChange(_ path: String, to value: JSONNode, in document: JSONNode,
                              districtIndex: [String: Int]? = nil) -> Result<[Step], Problem> {
        let resolved = resolve(path, in: document, forChange: true, districtIndex: districtIndex)
        guard case let .success(steps) = resolved, steps.first == .field("districts"), steps.count <= 2 else { return resolved }
        let districts = document["districts"]?.elements ?? []
        func describe(_ list: [String?]) -> String {
            let shown = list.prefix(5).map { $0.map { "\"\(quoted: $0)\"" } ?? "a district without a name" }
            return shown.joined(separator: ", ") + (list.count > 5 ? " … (\(list.count) districts)" : "")
        }
        switch steps.count {
        case 1:
            // A value that is not an array is reported by validation ("an array").
            guard let elements = value.elements else { return resolved }
            let names = districts.map { $0["name"]?.string }
            if elements.map({ $0["name"]?.string }) != names {
                return .failure(Problem(reason: "an alternative cannot add, remove, reorder or rename districts: "
                    + "give the base's districts in its order (\(describe(names))), or set fields such as districts.NAME.reliefFunds",
                                        suggestions: []))
            }
        case 2:
            guard case let .index(i) = steps[1], value.members != nil else { return resolved }
            let name = districts[i]["name"]?.string
            if value["name"]?.string != name {
                return .failure(Problem(reason: "a district replaced whole must keep its name \(describe([name]))", suggestions: []))
            }
        default:
            break
        }
        return resolved
    }
}

extension String.StringInterpolation {
    /// A scenario string inside quotes in a message: long ones shortened.
    mutating func appendInterpolation(quoted text: String) {
        appendLiteral(text.count > 80 ? "\(text.prefix(60))… (\(text.count) characters)" : text)
    }
}

extension JSONNode {
    /// A copy with the value at `steps` replaced (missing object fields are created).
    func replacing(_ steps: ArraySlice<DocumentPaths.Step>, with newValue: JSONNode) -> JSONNode {
        guard let step = steps.first else { return newValue }
        var copy = self
        switch (step, value) {
        case let (.field(key), .object(members)):
            var members = members
            if let i = members.firstIndex(where: { $0.key == key }) {
                members[i].value = members[i].value.replacing(steps.dropFirst(), with: newValue)
            } else {
                let fresh = JSONNode(.object([]), at: newValue.location)
                members.append(Member(key: key, value: fresh.replacing(steps.dropFirst(), with: newValue)))
            }
            copy.value = .object(members)
        case let (.index(i), .array(elements)):
            var elements = elements
            elements[i] = elements[i].replacing(steps.dropFirst(), with: newValue)
            copy.value = .array(elements)
        case (.field, _):
            // Not an object yet (a plain number replaced field by field): start one.
            copy = JSONNode(.object([]), at: location).replacing(steps, with: newValue)
        case (.index, _):
            preconditionFailure("DocumentPaths.resolve yields indices into arrays only")
        }
        return copy
    }

    mutating func remove(_ key: String) {
        if case let .object(members) = value { value = .object(members.filter { $0.key != key }) }
    }
}
