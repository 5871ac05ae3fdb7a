public import SimfundStochastics

/// A numeric field of a district.
public enum DistrictField: String, Sendable, CaseIterable {
    case population, streets, towns, urbanCommunities, ruralCommunities
    case streetStations, townStations, urbanRooms, ruralRooms
    case uncertified, junior, intermediate, senior, agencies, reliefFunds

    /// The field's path inside a district object (`townships.streets`).
    var path: [String] {
        switch self {
        case .population: return ["population"]
        case .streets: return ["townships", "streets"]
        case .towns: return ["townships", "towns"]
        case .urbanCommunities: return ["communities", "urban"]
        case .ruralCommunities: return ["communities", "rural"]
        case .streetStations: return ["stations", "streets"]
        case .townStations: return ["stations", "towns"]
        case .urbanRooms: return ["rooms", "urban"]
        case .ruralRooms: return ["rooms", "rural"]
        case .uncertified: return ["workforce", "uncertified"]
        case .junior: return ["workforce", "junior"]
        case .intermediate: return ["workforce", "intermediate"]
        case .senior: return ["workforce", "senior"]
        case .agencies: return ["agencies"]
        case .reliefFunds: return ["reliefFunds"]
        }
    }

    func value(of district: District) -> Double {
        switch self {
        case .population: return Double(district.population)
        case .streets: return Double(district.places[0])
        case .towns: return Double(district.places[1])
        case .urbanCommunities: return Double(district.places[2])
        case .ruralCommunities: return Double(district.places[3])
        case .streetStations: return Double(district.units[0])
        case .townStations: return Double(district.units[1])
        case .urbanRooms: return Double(district.units[2])
        case .ruralRooms: return Double(district.units[3])
        case .uncertified: return Double(district.uncertified)
        case .junior: return Double(district.junior)
        case .intermediate: return Double(district.intermediate)
        case .senior: return Double(district.senior)
        case .agencies: return Double(district.agencies)
        case .reliefFunds: return district.reliefFunds
        }
    }

    func set(_ value: Double, in district: inout District) {
        let count = Int(value)
        switch self {
        case .population: district.population = count
        case .streets: district.places[0] = count
        case .towns: district.places[1] = count
        case .urbanCommunities: district.places[2] = count
        case .ruralCommunities: district.places[3] = count
        case .streetStations: district.units[0] = count
        case .townStations: district.units[1] = count
        case .urbanRooms: district.units[2] = count
        case .ruralRooms: district.units[3] = count
        case .uncertified: district.uncertified = count
        case .junior: district.junior = count
        case .intermediate: district.intermediate = count
        case .senior: district.senior = count
        case .agencies: district.agencies = count
        case .reliefFunds: district.reliefFunds = value
        }
    }
}

/// A typed change to a scenario: which value, and its new value. Made and
/// checked once (from an alternative's `set`, a sweep axis or a goal lever);
/// applying it to a copy of the base never re-reads JSON.
public struct ScenarioChange: Sendable, Hashable, CustomStringConvertible {
    public enum Target: Sendable, Hashable {
        /// A parameter slot (``ParameterSlot`` or a fiscal line's amount).
        case parameter(slot: Int)
        case district(index: Int, field: DistrictField)
        case fiscalAllocation(line: Int)
        case carryOver
        /// The schedule of a parameter slot (nil value: the plain parameter alone).
        case schedule(slot: Int)
    }

    public enum Value: Sendable, Hashable {
        case parameter(Parameter)
        case number(Double)
        case allocation(Allocation)
        case bool(Bool)
        case schedule(Schedule?)
    }

    /// The path as the planner wrote it (`budget.reliefShare`).
    public var path: String
    public var target: Target
    public var value: Value

    public var description: String {
        switch value {
        case let .parameter(p): return "\(path)=\(p.compactDescription)"
        case let .number(x): return "\(path)=\(jsonNumber(x))"
        case let .allocation(a): return "\(path)=\(a.rawValue)"
        case let .bool(b): return "\(path)=\(b)"
        case let .schedule(schedule): return "\(path)=" + (schedule.map { "schedule of \($0.entries.count) entries" } ?? "no schedule")
        }
    }

    public func apply(to scenario: inout Scenario) {
        switch (target, value) {
        case let (.parameter(slot), .parameter(parameter)): scenario.parameters[slot] = parameter
        case let (.district(d, field), .number(x)): field.set(x, in: &scenario.districts[d])
        case let (.fiscalAllocation(line), .allocation(rule)): scenario.fiscal[line].allocate = rule
        case let (.carryOver, .bool(flag)): scenario.carryOver = flag
        case let (.schedule(slot), .schedule(schedule)):
            scenario.schedules[slot] = schedule
            if let first = schedule?.entries.first { scenario.parameters[slot] = first.parameter }
        default: preconditionFailure("ScenarioChange \(path): value does not fit its target")
        }
    }

    /// The typed changes that turn `base` into `changed` (a validated copy of
    /// the base with some paths set; same districts in the same order).
    static func differences(from base: Scenario, to changed: Scenario, path: String) -> [ScenarioChange] {
        var changes: [ScenarioChange] = []
        for slot in base.parameters.indices where base.parameters[slot] != changed.parameters[slot] {
            changes.append(ScenarioChange(path: path, target: .parameter(slot: slot), value: .parameter(changed.parameters[slot])))
        }
        for d in base.districts.indices {
            for field in DistrictField.allCases where field.value(of: base.districts[d]) != field.value(of: changed.districts[d]) {
                changes.append(ScenarioChange(path: path, target: .district(index: d, field: field), value: .number(field.value(of: changed.districts[d]))))
            }
        }
        for line in base.fiscal.indices where base.fiscal[line].allocate != changed.fiscal[line].allocate {
            changes.append(ScenarioChange(path: path, target: .fiscalAllocation(line: line), value: .allocation(changed.fiscal[line].allocate)))
        }
        for slot in Set(base.schedules.keys).union(changed.schedules.keys).sorted() where base.schedules[slot] != changed.schedules[slot] {
            changes.append(ScenarioChange(path: path, target: .schedule(slot: slot), value: .schedule(changed.schedules[slot])))
        }
        if base.carryOver != changed.carryOver {
            changes.append(ScenarioChange(path: path, target: .carryOver, value: .bool(changed.carryOver)))
        }
        return changes
    }
}

extension Scenario {
    /// A copy with parameter `slot` replaced (for levers on schedule entries).
    func withParameter(_ slot: Int, _ parameter: Parameter) -> Scenario {
        var copy = self
        copy.parameters[slot] = parameter
        return copy
    }

    /// A copy with `changes` applied in order.
    public func applying(_ changes: [ScenarioChange]) -> Scenario {
        var copy = self
        for change in changes { change.apply(to: &copy) }
        return copy
    }
}

extension Parameter {
    /// `0.02`, or `normal(mean 0.03, sd 0.02)`.
    var compactDescription: String {
        if case let .fixed(v) = distribution { return jsonNumber(v) }
        return "\(distribution)"
    }
}

/// Why a value does not fit a lever's path: "expected …".
public struct ChangeProblem: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// A numeric path resolved once (sweep axes, goal levers): every value
/// becomes a checked ``ScenarioChange`` without touching JSON again.
public struct NumericLever: Sendable {
    public let path: String
    enum Kind: Sendable {
        /// A parameter set to a plain number.
        case plain(slot: Int, role: ParameterRole, per: Resampling)
        /// One parameter of a distribution (`budget.lottery.median`).
        case distributionField(slot: Int, name: String, field: String)
        case district(index: Int, field: DistrictField, whole: Bool, low: Double, high: Double)
        /// One entry of a parameter's schedule (`budget.reliefShare.schedule.2026`), plain or one of its distribution's fields.
        case scheduleEntry(slot: Int, entry: Int, field: String?)
    }
    let kind: Kind
    let base: Scenario

    /// Resolves `path` against the scenario file, or says why it cannot be a numeric lever.
    public static func resolve(_ path: String, in file: ScenarioFile) -> Result<NumericLever, DocumentPaths.Problem> {
        let steps: [DocumentPaths.Step]
        switch DocumentPaths.resolve(path, in: file.document, forChange: true) {
        case var .failure(problem):
            if problem.suggestible { problem.suggestions = DocumentPaths.suggestions(for: path, in: file.document, using: Suggestions()) }
            return .failure(problem)
        case let .success(resolved): steps = resolved
        }
        if let conflict = PosteriorLoader.conflict(steps, in: file.document) {
            return .failure(DocumentPaths.Problem(reason: conflict, suggestions: []))
        }
        let base = file.base
        let names = steps.compactMap { step -> String? in if case let .field(name) = step { return name }; return nil }
        // A district field: districts.<index>.<field path>.
        if case .field("districts")? = steps.first, steps.count >= 3, case let .index(d) = steps[1] {
            let rest = Array(names.dropFirst())
            guard let field = DistrictField.allCases.first(where: { $0.path == rest }),
                  let type = ScenarioSchema.type(atFieldPath: ["districts"] + rest) else {
                return .failure(DocumentPaths.Problem(reason: "not a number of a district", suggestions: []))
            }
            switch type {
            case let .integer(lo, hi): return .success(NumericLever(path: path, kind: .district(index: d, field: field, whole: true, low: Double(lo), high: Double(hi)), base: base))
            case let .number(lo, hi): return .success(NumericLever(path: path, kind: .district(index: d, field: field, whole: false, low: lo, high: hi), base: base))
            default: return .failure(DocumentPaths.Problem(reason: "not a number of a district", suggestions: []))
            }
        }
        // A fiscal line's amount: budget.fiscal.<index>.amount[.<distribution field>].
        var slot: Int?
        var fieldNames = names
        if names.starts(with: ["budget", "fiscal"]), let index = steps.lazy.compactMap({ step -> Int? in if case let .index(i) = step { return i }; return nil }).first,
           names.count >= 3, names[2] == "amount" {
            slot = Scenario.fiscalSlot(index)
            fieldNames = Array(names.dropFirst(3))
        } else {
            for candidate in ParameterSlot.allCases {
                let parts = candidate.path.split(separator: ".").map(String.init)
                if names.starts(with: parts) {
                    slot = candidate.rawValue
                    fieldNames = Array(names.dropFirst(parts.count))
                    break
                }
            }
        }
        guard let slot else { return .failure(DocumentPaths.Problem(reason: "not a numeric parameter", suggestions: [])) }
        if fieldNames.first == "schedule" {
            guard fieldNames.count >= 2, fieldNames.count <= 3, let schedule = base.schedules[slot],
                  let node = parameterNode(file.document, steps: steps, droppingLast: fieldNames.count),
                  let keys = node["schedule"]?.members?.map(\.key), let entry = keys.firstIndex(of: fieldNames[1]), entry < schedule.entries.count else {
                return .failure(DocumentPaths.Problem(reason: "not an entry of the parameter's schedule", suggestions: []))
            }
            let field = fieldNames.count == 3 ? fieldNames[2] : nil
            if field == "per" { return .failure(DocumentPaths.Problem(reason: "not a number", suggestions: [])) }
            return .success(NumericLever(path: path, kind: .scheduleEntry(slot: slot, entry: entry, field: field), base: base))
        }
        let parameter = base.parameters[slot]
        if fieldNames.isEmpty {
            return .success(NumericLever(path: path, kind: .plain(slot: slot, role: parameter.role, per: parameter.per), base: base))
        }
        guard fieldNames.count == 1, let field = fieldNames.first, field != "per" else {
            return .failure(DocumentPaths.Problem(reason: "not a number", suggestions: []))
        }
        return .success(NumericLever(path: path, kind: .distributionField(slot: slot, name: parameter.distribution.name, field: field), base: base))
    }

    /// The node of the parameter a path's steps reach, without its last `count` field steps.
    static func parameterNode(_ document: JSONNode, steps: [DocumentPaths.Step], droppingLast count: Int) -> JSONNode? {
        var node: JSONNode? = document
        for step in steps.dropLast(count) {
            switch step {
            case let .field(name): node = node?[name]
            case let .index(i): node = node?.elements.flatMap { i < $0.count ? $0[i] : nil }
            }
        }
        return node
    }

    /// The checked change that sets the lever to `value`, or what is wrong with the value.
    public func change(to value: Double) -> Result<ScenarioChange, ChangeProblem> {
        guard value.isFinite else { return .failure(ChangeProblem("expected a finite number")) }
        switch kind {
        case let .plain(slot, role, per):
            if let problem = SchemaValidator.plainProblem(value, role: role) { return .failure(ChangeProblem("expected \(problem)")) }
            return .success(ScenarioChange(path: path, target: .parameter(slot: slot), value: .parameter(Parameter(.fixed(value), per: per, role: role))))
        case let .scheduleEntry(slot, entry, field):
            guard var schedule = base.schedules[slot] else { return .failure(ChangeProblem("expected a scheduled parameter")) }
            let current = schedule.entries[entry].parameter
            let changed: Parameter
            if let field {
                switch NumericLever(path: path, kind: .distributionField(slot: slot, name: current.distribution.name, field: field), base: base.withParameter(slot, current)).change(to: value) {
                case let .failure(problem): return .failure(problem)
                case let .success(change):
                    guard case let .parameter(p) = change.value else { return .failure(ChangeProblem("expected a parameter")) }
                    changed = p
                }
            } else {
                if let problem = SchemaValidator.plainProblem(value, role: current.role) { return .failure(ChangeProblem("expected \(problem)")) }
                changed = Parameter(.fixed(value), per: current.per, role: current.role)
            }
            schedule.entries[entry].parameter = changed
            return .success(ScenarioChange(path: path, target: .schedule(slot: slot), value: .schedule(schedule)))
        case let .distributionField(slot, name, field):
            var parameter = base.parameters[slot]
            if field == "min" || field == "max" {
                if field == "min" { parameter.lowerClamp = value } else { parameter.upperClamp = value }
                if ["uniform", "triangular", "pert"].contains(name) {
                    var values = parameter.distribution.parameterValues
                    values[field] = value
                    guard case let .success(d) = Distribution.make(name: name, parameters: values) else { return .failure(ChangeProblem("expected valid \(name) parameters")) }
                    parameter.distribution = d
                }
                if let lo = parameter.lowerClamp, let hi = parameter.upperClamp, lo > hi { return .failure(ChangeProblem("expected max ≥ min")) }
            } else {
                var values = parameter.distribution.parameterValues
                values[field] = value
                switch Distribution.make(name: name, parameters: values) {
                case let .failure(problem): return .failure(ChangeProblem("expected \(problem.expected)"))
                case let .success(d): parameter.distribution = d
                }
            }
            if parameter.role == .positive, !(Clamps(lower: parameter.lowerClamp, upper: parameter.upperClamp).lowestValue(of: parameter.distribution) > 0) {
                return .failure(ChangeProblem("expected a distribution that stays above 0 (give \"min\" > 0)"))
            }
            return .success(ScenarioChange(path: path, target: .parameter(slot: slot), value: .parameter(parameter)))
        case let .district(d, field, whole, low, high):
            if whole && value != value.rounded() { return .failure(ChangeProblem("expected a whole number")) }
            guard value >= low && value <= high else { return .failure(ChangeProblem("expected a number from \(jsonNumber(low)) to \(jsonNumber(high))")) }
            var district = base.districts[d]
            field.set(value, in: &district)
            for k in 0..<4 where district.units[k] > district.places[k] {
                return .failure(ChangeProblem("expected at most one unit per place in district \(district.name)"))
            }
            return .success(ScenarioChange(path: path, target: .district(index: d, field: field), value: .number(value)))
        }
    }
}

extension Distribution {
    /// The distribution's name in scenario files.
    public var name: String {
        switch self {
        case .fixed: return "fixed"
        case .uniform: return "uniform"
        case .triangular: return "triangular"
        case .pert: return "pert"
        case .normal: return "normal"
        case .lognormal: return "lognormal"
        case .beta: return "beta"
        case .gamma: return "gamma"
        case .poisson: return "poisson"
        }
    }

    /// Parameters by name, as in scenario files.
    var parameterValues: [String: Double] {
        switch self {
        case let .fixed(v): return ["value": v]
        case let .uniform(lo, hi): return ["min": lo, "max": hi]
        case let .triangular(lo, mode, hi), let .pert(lo, mode, hi): return ["min": lo, "mode": mode, "max": hi]
        case let .normal(mean, sd): return ["mean": mean, "sd": sd]
        case let .lognormal(median, sigma): return ["median": median, "sigma": sigma]
        case let .beta(a, b): return ["alpha": a, "beta": b]
        case let .gamma(shape, scale): return ["shape": shape, "scale": scale]
        case let .poisson(mean): return ["mean": mean]
        }
    }
}

/// The grid of a sweep: every combination of the axes' values, as variants.
public struct SweepGrid: Sendable {
    public struct Axis: Sendable {
        public var lever: NumericLever
        public var values: [Double]
        public init(lever: NumericLever, values: [Double]) {
            self.lever = lever
            self.values = values
        }
    }
    public let axes: [Axis]
    /// Each point's values, one per axis, first axis slowest.
    public let points: [[Double]]

    public init(axes: [Axis]) {
        self.axes = axes
        var points: [[Double]] = [[]]
        for axis in axes { points = points.flatMap { p in axis.values.map { p + [$0] } } }
        self.points = points
    }

    /// The point's name, `budget.reliefShare=0.02` (joined by ", " for two axes).
    public func name(of point: [Double]) -> String {
        zip(axes, point).map { "\($0.lever.path)=\(jsonNumber($1))" }.joined(separator: ", ")
    }

    /// Every point as a variant of `base`, or the first value that does not fit its path.
    public func variants(of base: Scenario) -> Result<[Variant], ComparisonError> {
        var variants: [Variant] = []
        for point in points {
            var changes: [ScenarioChange] = []
            for (axis, value) in zip(axes, point) {
                switch axis.lever.change(to: value) {
                case let .success(change): changes.append(change)
                case let .failure(reason):
                    return .failure(ComparisonError("--set \(axis.lever.path): \(reason), found \(jsonNumber(value))"))
                }
            }
            variants.append(Variant(name: name(of: point), scenario: base.applying(changes), changes: changes))
        }
        return .success(variants)
    }
}
