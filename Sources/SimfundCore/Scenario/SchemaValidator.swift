import SimfundStochastics

/// Checks a parsed scenario against ``ScenarioSchema``: types, required and
/// unknown fields, ranges of plain numbers and distribution parameters.
/// Collects every problem rather than stopping at the first.
struct SchemaValidator {
    private(set) var issues: [ScenarioIssue] = []

    mutating func check(_ node: JSONNode, against type: SchemaType, at path: JSONPath) {
        switch type {
        case let .object(fields):
            checkObject(node, fields: fields, at: path)
        case let .map(valueType):
            guard let members = members(of: node, at: path, expected: "an object") else { return }
            for member in members { check(member.value, against: valueType, at: path.field(member.key)) }
        case let .array(elementType, minItems, maxItems):
            guard let elements = node.elements else {
                return report(path, node, expected: "an array")
            }
            if elements.count < minItems || elements.count > maxItems {
                report(path, node, expected: minItems == maxItems ? "\(minItems) items" : "between \(minItems) and \(maxItems) items",
                       found: "\(elements.count)")
            }
            for (i, element) in elements.enumerated() { check(element, against: elementType, at: path.index(i)) }
        case let .parameter(role, _):
            checkParameter(node, role: role, at: path)
        case let .integer(lo, hi):
            guard let value = node.number else { return report(path, node, expected: "a whole number") }
            if value != value.rounded() { return report(path, node, expected: "a whole number") }
            if value < Double(lo) || value > Double(hi) {
                report(path, node, expected: rangePhrase(Double(lo), Double(hi), whole: true))
            }
        case let .number(lo, hi):
            guard let value = node.number else { return report(path, node, expected: "a number") }
            if value < lo || value > hi { report(path, node, expected: rangePhrase(lo, hi, whole: false)) }
        case .seed:
            guard case let .number(_, literal) = node.value, UInt64(literal) != nil else {
                return report(path, node, expected: "a whole number from 0 to 18446744073709551615")
            }
        case let .string(allowed):
            guard let text = node.string else { return report(path, node, expected: "a string") }
            if let allowed, !allowed.contains(text) {
                let hint = nearest(text, in: allowed).first.map { "did you mean \"\($0)\"?" }
                report(path, node, expected: "one of \(allowed.joined(separator: ", "))", hint: hint)
            } else if text.isEmpty {
                report(path, node, expected: "a non-empty string")
            }
        case .boolean:
            if node.bool == nil { report(path, node, expected: "true or false") }
        case .any:
            break
        }
    }

    private mutating func report(_ path: JSONPath, _ node: JSONNode?, expected: String, found: String? = nil, hint: String? = nil) {
        issues.append(ScenarioIssue(path: path.text, location: node?.location, expected: expected,
                                    found: found ?? node?.summary, hint: hint))
    }

    private func rangePhrase(_ lo: Double, _ hi: Double, whole: Bool) -> String {
        func show(_ x: Double) -> String { whole || x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)" }
        let noun = whole ? "a whole number" : "a number"
        if hi >= 1e15 { return "\(noun) ≥ \(show(lo))" }
        return "\(noun) from \(show(lo)) to \(show(hi))"
    }

    private mutating func members(of node: JSONNode, at path: JSONPath, expected: String) -> [JSONNode.Member]? {
        guard let members = node.members else {
            report(path, node, expected: expected)
            return nil
        }
        var seen: Set<String> = []
        for member in members where !seen.insert(member.key).inserted {
            report(path.field(member.key), member.value, expected: "each field once", found: "\"\(member.key)\" again")
        }
        return members
    }

    private mutating func checkObject(_ node: JSONNode, fields: [SchemaField], at path: JSONPath) {
        guard let members = members(of: node, at: path, expected: "an object") else { return }
        let known = fields.map(\.name)
        for member in members {
            guard let field = fields.first(where: { $0.name == member.key }) else {
                let hint = nearest(member.key, in: known).first.map { "did you mean \"\($0)\"?" }
                    ?? "known fields: \(known.joined(separator: ", "))"
                issues.append(ScenarioIssue(path: path.field(member.key).text, location: member.value.location,
                                            expected: "a known field", found: "unknown field \"\(member.key)\"", hint: hint))
                continue
            }
            check(member.value, against: field.type, at: path.field(member.key))
        }
        for field in fields where field.required && !members.contains(where: { $0.key == field.name }) {
            issues.append(ScenarioIssue(path: path.field(field.name).text, location: node.location,
                                        expected: "required field \"\(field.name)\" (\(field.summary))", found: "nothing"))
        }
    }

    // MARK: - Parameters

    private mutating func checkParameter(_ node: JSONNode, role: ParameterRole, at path: JSONPath) {
        if let value = node.number {
            if let expected = plainProblem(value, role: role) { report(path, node, expected: expected) }
            return
        }
        guard let members = members(of: node, at: path, expected: "a number or a distribution object {\"dist\": …}") else { return }
        guard let distNode = node["dist"] else {
            return report(path.field("dist"), node, expected: "required field \"dist\" (one of \(Distribution.parameterNames.keys.sorted().joined(separator: ", ")))", found: "nothing")
        }
        guard let name = distNode.string else { return report(path.field("dist"), distNode, expected: "a distribution name") }
        guard let parameterNames = Distribution.parameterNames[name] else {
            let names = Distribution.parameterNames.keys.sorted()
            return report(path.field("dist"), distNode, expected: "one of \(names.joined(separator: ", "))",
                          hint: nearest(name, in: names).first.map { "did you mean \"\($0)\"?" })
        }
        let allowed = Set(parameterNames + ["dist", "per", "min", "max"])
        var numbers: [String: Double] = [:]
        var broken = false
        for member in members {
            let memberPath = path.field(member.key)
            if !allowed.contains(member.key) {
                let choices = parameterNames + ["per", "min", "max"]
                report(memberPath, member.value, expected: "a parameter of \(name) (\(parameterNames.joined(separator: ", "))) or per, min, max",
                       found: "unknown field \"\(member.key)\"",
                       hint: nearest(member.key, in: choices).first.map { "did you mean \"\($0)\"?" })
                broken = true
                continue
            }
            switch member.key {
            case "dist": break
            case "per":
                if let per = member.value.string, Resampling(rawValue: per) != nil { break }
                report(memberPath, member.value, expected: "\"replicate\" or \"year\"")
            default:
                guard let number = member.value.number else {
                    report(memberPath, member.value, expected: "a number")
                    broken = true
                    continue
                }
                numbers[member.key] = number
            }
        }
        for parameter in parameterNames where numbers[parameter] == nil && node[parameter] == nil {
            report(path.field(parameter), node, expected: "required parameter \"\(parameter)\" of \(name)", found: "nothing")
            broken = true
        }
        guard !broken else { return }
        switch Distribution.make(name: name, parameters: numbers) {
        case let .failure(problem):
            let parameterPath = problem.parameter.map { path.field($0) } ?? path
            report(parameterPath, problem.parameter.flatMap { node[$0] } ?? node, expected: problem.expected)
        case let .success(distribution):
            let clamps = Clamps(numbers: numbers)
            if let lo = clamps.lower, let hi = clamps.upper, lo > hi {
                report(path.field("max"), node["max"], expected: "max ≥ min (\(jsonNumber(lo)))")
            }
            if role == .positive, !(clamps.lowestValue(of: distribution) > 0) {
                report(path, node, expected: "a distribution that stays above 0 (it divides; give \"min\" > 0)",
                       found: "\(name) that can reach \(clamps.lowestValue(of: distribution))")
            }
        }
    }

    private func plainProblem(_ value: Double, role: ParameterRole) -> String? {
        switch role {
        case .rate: return (0...1).contains(value) ? nil : "a rate in [0, 1]"
        case .growth: return value >= -1 && value <= 100 ? nil : "a growth rate from -1 to 100"
        case .money: return value >= 0 && value <= ScenarioSchema.maximumMoney ? nil : "an amount ≥ 0 (yuan, at most 1e15)"
        case .count:
            return value >= 0 && value == value.rounded() && value <= Double(ScenarioSchema.maximumCount)
                ? nil : "a whole number ≥ 0 (at most \(ScenarioSchema.maximumCount))"
        case .positive: return value > 0 ? nil : "a number > 0"
        case .free: return abs(value) <= 1e12 ? nil : "a number of sensible size (|x| ≤ 1e12)"
        }
    }
}

/// The optional `min` / `max` clamps of a distribution object. For uniform,
/// triangular and PERT, `min` and `max` are the distribution's own bounds.
struct Clamps {
    var lower: Double?
    var upper: Double?

    init(numbers: [String: Double]) {
        lower = numbers["min"]
        upper = numbers["max"]
    }

    /// The infimum of clamped draws (−∞ when unbounded below).
    func lowestValue(of distribution: Distribution) -> Double {
        let support: Double
        switch distribution {
        case let .fixed(v): support = v
        case let .uniform(lo, _), let .triangular(lo, _, _), let .pert(lo, _, _): support = lo
        case .normal: support = -.infinity
        case .lognormal, .beta, .gamma: support = .leastNonzeroMagnitude
        case .poisson: support = 0
        }
        return max(support, lower ?? -.infinity)
    }
}
