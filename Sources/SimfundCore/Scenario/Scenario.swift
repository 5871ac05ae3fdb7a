/// The four kinds of service unit, in the model's priority order (docs/model.md): renewal,
/// expansion and staffing all walk the kinds in this order.
public enum UnitKind: Int, Sendable, CaseIterable {
    case streetStation, townStation, urbanRoom, ruralRoom

    public var isStation: Bool { self == .streetStation || self == .townStation }
}

/// A county (区县) and its state at the end of startYear − 1.
public struct District: Sendable, Hashable {
    public var name: String
    public var population: Int
    /// Townships and communities by ``UnitKind``: street, town, urban, rural.
    public var places: [Int]
    /// Units under contract at the start, by ``UnitKind``.
    public var units: [Int]
    public var uncertified: Int, junior: Int, intermediate: Int, senior: Int
    public var agencies: Int
    /// Social-assistance funds of startYear − 1, yuan.
    public var reliefFunds: Double

    public var townships: Int { places[0] + places[1] }
    public var communities: Int { places[2] + places[3] }
}

/// How a fiscal line is split over districts: by population, equally, by
/// unstaffed townships, or by the cost of renewing and completing each
/// district's network (`need`, an extension; docs/model.md).
public enum Allocation: String, Sendable, Hashable, CaseIterable {
    case population, equal, uncovered, need
}

/// A fiscal line; its amount is a parameter (slot after the fixed ones).
public struct FiscalLine: Sendable, Hashable {
    public var name: String
    public var allocate: Allocation
}

/// A target whose probability is reported (docs/model.md, "Outputs").
public struct Target: Sendable, Hashable {
    public enum Bound: Sendable, Hashable {
        case atLeast(Double), atMost(Double)
    }
    public var metric: Metric
    public var year: Int
    public var bound: Bound
    /// Index into ``Scenario/districts`` when the target is for one district.
    public var district: Int?

    public func isMet(by value: Double) -> Bool {
        switch bound {
        case let .atLeast(threshold): return value >= threshold
        case let .atMost(threshold): return value <= threshold
        }
    }
}

/// A validated scenario, ready to run.
public struct Scenario: Sendable, Hashable {
    public var name: String
    public var description: String?
    public var startYear: Int
    public var years: Int
    public var replicates: Int
    public var seed: UInt64?
    public var districts: [District]
    /// One entry per ``ParameterSlot``, then one per fiscal line.
    public var parameters: [Parameter]
    public var fiscal: [FiscalLine]
    public var carryOver: Bool
    public var targets: [Target]
    /// Dotted path → source text (`provenance`).
    public var provenance: [String: String]
    /// Parameters whose value changes over the horizon, by slot (``Schedule``);
    /// `parameters[slot]` holds the first entry.
    public var schedules: [Int: Schedule] = [:]
    /// Per-replicate parameters drawn jointly from a weighted sample (the
    /// `posterior` block); their slots' own distributions are not drawn.
    public var posterior: Posterior?
    /// Observed values inside the horizon (`history`), for calibration and reports.
    public var history: [HistoryPoint] = []

    public subscript(slot: ParameterSlot) -> Parameter {
        get { parameters[slot.rawValue] }
        set { parameters[slot.rawValue] = newValue }
    }

    /// The parameter slot of fiscal line `index`.
    public static func fiscalSlot(_ index: Int) -> Int { ParameterSlot.allCases.count + index }

    /// Calendar years of the horizon.
    public var calendarYears: [Int] { (0..<years).map { startYear + $0 } }
}

/// A policy alternative: the base scenario with some paths replaced.
public struct Alternative: Sendable, Hashable {
    public var name: String
    /// The replaced paths and their new values, in file order.
    public var changes: [Change]
    public var scenario: Scenario
    /// The same changes, typed (checked once, when the file was loaded).
    public var typedChanges: [ScenarioChange] = []

    /// The alternative as a variant of a run plan.
    public var variant: Variant { Variant(name: name, scenario: scenario, changes: typedChanges) }

    public struct Change: Sendable, Hashable {
        public var path: String
        public var value: JSONNode
    }
}

/// A scenario file: the base and its alternatives, all validated.
public struct ScenarioFile: Sendable {
    public var base: Scenario
    public var alternatives: [Alternative]
    /// The parsed file, kept for alternatives and sweeps.
    public var document: JSONNode
    /// The file's bytes as read (copied into outputs; hashed in manifests).
    public var source: [UInt8] = []
    /// Values that are valid but probably unit slips (`reliefShare` of 1,
    /// subsidies per year instead of per month, …), each saying what was
    /// probably meant. Not fatal; `--strict` makes them errors. A warning's
    /// sentence is its ``ScenarioIssue/expected``; it has no `found`.
    public var warnings: [ScenarioIssue] = []

    /// One line per warning: `FILE:LINE:COLUMN: PATH: MESSAGE`.
    public func warningLines(file: String) -> [String] {
        warnings.map { "\(ScenarioError.place(of: $0, in: file)): \($0.warningDescription)" }
    }
}
