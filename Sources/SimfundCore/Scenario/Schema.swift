/// How a parameter's draws are clamped (docs/model.md) and what a plain
/// number for it must be.
public enum ParameterRole: String, Sendable {
    /// Clamped to [0, 1].
    case rate
    /// Clamped to [−1, 100] (`budget.reliefGrowth`).
    case growth
    /// Yuan; clamped to ≥ 0.
    case money
    /// Clamped to ≥ 0, then rounded to the nearest integer.
    case count
    /// Must stay above 0 (`workforce.referenceWage` divides): a distribution
    /// needs a `min` > 0; capped at 10¹⁵. See docs/model.md.
    case positive
    /// Used as drawn, within ±10¹².
    case free
}

/// When a parameter is drawn: once per replicate, or anew every year.
public enum Resampling: String, Sendable, CaseIterable {
    case replicate, year
}

/// The shape of one JSON value in a scenario file.
public indirect enum SchemaType: Sendable {
    case object([SchemaField])
    /// An object with free keys, all of one type (`set`, `provenance`).
    case map(SchemaType)
    case array(SchemaType, minItems: Int, maxItems: Int)
    /// A plain number or a distribution object (docs/model.md).
    case parameter(ParameterRole, per: Resampling)
    case integer(min: Int, max: Int)
    case number(min: Double, max: Double)
    /// An unsigned 64-bit integer.
    case seed
    case string(oneOf: [String]?)
    case boolean
    /// Any JSON value (validated later against the path it replaces).
    case any
}

/// A field of a scenario object: its name, type and documentation.
public struct SchemaField: Sendable {
    public var name: String
    public var type: SchemaType
    public var required: Bool
    public var summary: String
    /// Unit, where there is one ("yuan", "yuan per unit-year", "share", …).
    public var unit: String?
    /// Default when the field is optional.
    public var defaultValue: String?

    init(_ name: String, _ type: SchemaType, required: Bool = true, _ summary: String, unit: String? = nil, default defaultValue: String? = nil) {
        self.name = name
        self.type = type
        self.required = required
        self.summary = summary
        self.unit = unit
        self.defaultValue = defaultValue
    }
}

/// Scenario version 1: every field, its type, unit and default, in one place.
/// Validation, `simfund schema`, alternative paths and the parameter table all
/// read this tree.
public enum ScenarioSchema {
    public static let maximumYears = 200
    public static let maximumReplicates = 100_000_000
    public static let maximumDistricts = 10_000
    public static let maximumCount = 100_000_000
    public static let maximumMoney = 1e15
    /// Largest yearly growth rate (`budget.reliefGrowth`): 100 is ×101 a year.
    public static let maximumGrowth = 100.0
    /// Largest magnitude of a `free` parameter (elasticities, boosts, entry rates).
    public static let maximumFree = 1e12

    private static func p(_ role: ParameterRole, _ per: Resampling = .replicate) -> SchemaType {
        .parameter(role, per: per)
    }

    private static let count = SchemaType.integer(min: 0, max: maximumCount)
    private static let money = SchemaType.number(min: 0, max: maximumMoney)

    static let district = SchemaType.object([
        SchemaField("name", .string(oneOf: nil), "District (county, 区县) name; unique in the file."),
        SchemaField("population", .integer(min: 1, max: 10_000_000_000), "Resident population.", unit: "people"),
        SchemaField("townships", .object([
            SchemaField("streets", count, "Streets (街道).", unit: "townships"),
            SchemaField("towns", count, "Towns and townships (乡镇).", unit: "townships"),
        ]), "Townships by kind; each can host one station."),
        SchemaField("communities", .object([
            SchemaField("urban", count, "Urban communities (城市社区).", unit: "communities"),
            SchemaField("rural", count, "Rural communities, villages (农村社区).", unit: "communities"),
        ]), "Communities by kind; each can host one room."),
        SchemaField("stations", .object([
            SchemaField("streets", count, "Street stations operating at the start.", unit: "stations"),
            SchemaField("towns", count, "Town stations operating at the start.", unit: "stations"),
        ]), "Township stations under contract at the end of startYear − 1."),
        SchemaField("rooms", .object([
            SchemaField("urban", count, "Urban community rooms operating at the start.", unit: "rooms"),
            SchemaField("rural", count, "Rural community rooms operating at the start.", unit: "rooms"),
        ]), "Community rooms under contract at the end of startYear − 1."),
        SchemaField("workforce", .object([
            SchemaField("uncertified", count, "Social-work talent without a certificate.", unit: "people"),
            SchemaField("junior", count, "Holders of the junior (助理社工师) certificate.", unit: "people"),
            SchemaField("intermediate", count, "Holders of the intermediate (社工师) certificate.", unit: "people"),
            SchemaField("senior", count, "Holders of the senior (高级社工师) certificate.", unit: "people"),
        ]), "Workforce at the end of startYear − 1."),
        SchemaField("agencies", count, "Social-work agencies (社工机构) in the district.", unit: "agencies"),
        SchemaField("reliefFunds", money, "Social-assistance funds of startYear − 1.", unit: "yuan per year"),
    ])

    static let fiscalLine = SchemaType.object([
        SchemaField("name", .string(oneOf: nil), "A label for the fiscal line."),
        SchemaField("amount", p(.money), "Yearly amount for the whole region.", unit: "yuan per year"),
        SchemaField("allocate", .string(oneOf: Allocation.allCases.map(\.rawValue)),
                    "How the amount is split over districts: by population, equally, by unstaffed townships, or by need (the cost of renewing the district's units under contract and opening a station in each township without one)."),
    ])

    static let target = SchemaType.object([
        SchemaField("metric", .string(oneOf: Metric.allCases.map(\.name)), "The metric (listed in the README; defined in docs/model.md)."),
        SchemaField("year", .integer(min: 0, max: 100_000), "Calendar year, within the horizon."),
        SchemaField("atLeast", .number(min: -1e18, max: 1e18), required: false, "Met when the metric is ≥ this value. Give atLeast or atMost."),
        SchemaField("atMost", .number(min: -1e18, max: 1e18), required: false, "Met when the metric is ≤ this value. Give atLeast or atMost."),
        SchemaField("district", .string(oneOf: nil), required: false,
                    "A district name: the coverage metric of that district alone."),
    ])

    static let historyPoint = SchemaType.object([
        SchemaField("metric", .string(oneOf: Metric.allCases.map(\.name)), "The observed metric (listed in the README; defined in docs/model.md)."),
        SchemaField("year", .integer(min: 0, max: 100_000), "Calendar year of the observation, within the horizon."),
        SchemaField("value", .number(min: 0, max: 1e18), "The observed value, in the metric's unit (a share from 0 to 1 for coverage)."),
        SchemaField("district", .string(oneOf: nil), required: false,
                    "A district name: the coverage metric of that district alone.", default: "the whole region"),
        SchemaField("sd", .number(min: 0, max: 1e18), required: false,
                    "The observation's uncertainty (> 0), in the metric's unit; calibration divides the miss by it.",
                    default: "5% of the value, at least 0.01 for a share and 1 otherwise"),
    ])

    static let alternative = SchemaType.object([
        SchemaField("name", .string(oneOf: nil), "The alternative's name; unique in the file."),
        SchemaField("set", .map(.any), "Dotted paths of the base scenario and their new values, e.g. {\"budget.reliefShare\": 0.02}."),
    ])

    /// The whole scenario file.
    public static let root = SchemaType.object([
        SchemaField("$schema", .string(oneOf: nil), required: false,
                    "The JSON Schema an editor checks the file against (ignored by simfund).", default: "none"),
        SchemaField("simfund", .integer(min: 1, max: 1), "Scenario format version; must be 1."),
        SchemaField("name", .string(oneOf: nil), "Scenario name, shown in every output."),
        SchemaField("description", .string(oneOf: nil), required: false, "What the scenario is, which figures it uses, what it assumes.", default: "none"),
        SchemaField("startYear", .integer(min: 1900, max: 2500), "First simulated year; the file's state is the end of startYear − 1."),
        SchemaField("years", .integer(min: 1, max: maximumYears), "Horizon in years."),
        SchemaField("replicates", .integer(min: 1, max: maximumReplicates), "Monte Carlo replicates (`--replicates` overrides)."),
        SchemaField("seed", .seed, required: false, "Random seed, 0 … 2⁶⁴ − 1 (`--seed` overrides).", default: "drawn at run time, printed and recorded"),
        SchemaField("districts", .array(district, minItems: 1, maxItems: maximumDistricts), "Districts (counties) of the region."),
        SchemaField("budget", .object([
            SchemaField("reliefShare", p(.rate), "Share of relief funds used to purchase services.", unit: "share"),
            SchemaField("reliefGrowth", p(.growth, .year), "Yearly growth of relief funds.", unit: "share per year"),
            SchemaField("fiscal", .array(fiscalLine, minItems: 0, maxItems: 200), required: false, "Fiscal lines for purchasing services.", default: "none"),
            SchemaField("lottery", p(.money, .year), required: false, "Welfare-lottery money, region-wide, allocated by population.", unit: "yuan per year", default: "0"),
            SchemaField("donations", p(.money, .year), required: false, "Donations, region-wide, allocated by population.", unit: "yuan per year", default: "0"),
            SchemaField("carryOver", .boolean, "Whether unspent district budget carries into next year."),
        ]), "Where the district budgets come from."),
        SchemaField("costs", .object([
            SchemaField("stationContract", .object([
                SchemaField("street", p(.money), "Contract for one street station.", unit: "yuan per unit-year"),
                SchemaField("town", p(.money), "Contract for one town station.", unit: "yuan per unit-year"),
            ]), "Yearly contract price of a township station."),
            SchemaField("roomContract", .object([
                SchemaField("urban", p(.money), "Contract for one urban room.", unit: "yuan per unit-year"),
                SchemaField("rural", p(.money), "Contract for one rural room.", unit: "yuan per unit-year"),
            ]), "Yearly contract price of a community room."),
            SchemaField("stationBuild", p(.money), "One-off cost of opening a station.", unit: "yuan"),
            SchemaField("roomBuild", p(.money), "One-off cost of opening a room.", unit: "yuan"),
            SchemaField("priceFactor", p(.money, .year), "Multiplies contract and build prices (not training); clamped to ≥ 0 like the other costs.", unit: "factor"),
        ]), "Unit costs."),
        SchemaField("staffing", .object([
            SchemaField("street", p(.count), "Workers a street station needs.", unit: "people"),
            SchemaField("town", p(.count), "Workers a town station needs.", unit: "people"),
            SchemaField("urbanRoom", p(.count), "Workers an urban room needs.", unit: "people"),
            SchemaField("ruralRoom", p(.count), "Workers a rural room needs.", unit: "people"),
            SchemaField("stationShare", p(.rate), "Share of all talent available to staff stations and rooms.", unit: "share"),
        ]), "Staffing rules (Chongqing standard: 2 / 1 / 2 / 1)."),
        SchemaField("subsidies", .object([
            SchemaField("junior", p(.money), "Monthly subsidy per junior certificate holder.", unit: "yuan per person-month"),
            SchemaField("intermediate", p(.money), "Monthly subsidy per intermediate holder.", unit: "yuan per person-month"),
            SchemaField("senior", p(.money), "Monthly subsidy per senior holder.", unit: "yuan per person-month"),
        ]), "Per-grade subsidies, paid first from district budgets."),
        SchemaField("awards", .object([
            SchemaField("pool", p(.money), "Yearly award pool, outside district budgets.", unit: "yuan per year"),
            SchemaField("count", p(.count), "Awards offered per year.", unit: "awards"),
            SchemaField("amount", p(.money, .year), "Amount of one award.", unit: "yuan"),
        ]), required: false, "Awards for outstanding workers.", default: "none"),
        SchemaField("training", .object([
            SchemaField("share", p(.rate), "Share of the remaining district budget spent on training.", unit: "share"),
            SchemaField("costPerTrainee", p(.money), "Cost of training one uncertified worker.", unit: "yuan"),
            SchemaField("passBoost", p(.free), "Relative rise of the junior pass rate at full training cover.", unit: "factor"),
        ]), required: false, "Exam training for uncertified workers.", default: "none"),
        SchemaField("workforce", .object([
            SchemaField("graduates", p(.count, .year), "Social-work graduates in the region per year.", unit: "people per year"),
            SchemaField("entryRate", p(.rate), "Share of graduates who join the local workforce.", unit: "share"),
            SchemaField("examTakeRate", .object([
                SchemaField("junior", p(.rate), "Share of uncertified workers taking the junior exam.", unit: "share per year"),
                SchemaField("intermediate", p(.rate), "Share of junior holders taking the intermediate exam.", unit: "share per year"),
                SchemaField("senior", p(.rate), "Share of intermediate holders taking the senior exam.", unit: "share per year"),
            ]), "Exam take-up."),
            SchemaField("passRate", .object([
                SchemaField("junior", p(.rate), "Junior exam pass rate before training.", unit: "share"),
                SchemaField("intermediate", p(.rate), "Intermediate exam pass rate.", unit: "share"),
                SchemaField("senior", p(.rate), "Senior exam pass rate.", unit: "share"),
            ]), "Exam pass rates."),
            SchemaField("attrition", .object([
                SchemaField("uncertified", p(.rate), "Yearly leaving rate without a certificate.", unit: "share per year"),
                SchemaField("junior", p(.rate), "Yearly leaving rate of junior holders before incentives.", unit: "share per year"),
                SchemaField("intermediate", p(.rate), "Yearly leaving rate of intermediate holders before incentives.", unit: "share per year"),
                SchemaField("senior", p(.rate), "Yearly leaving rate of senior holders before incentives.", unit: "share per year"),
            ]), "Attrition before incentives."),
            SchemaField("referenceWage", p(.positive), "Wage that subsidies and awards are measured against.", unit: "yuan per year"),
            SchemaField("subsidyElasticity", p(.free), "How strongly subsidies keep workers.", unit: "per wage share"),
            SchemaField("awardElasticity", p(.free), "How strongly awards keep certified workers.", unit: "per wage share"),
        ]), "Workforce dynamics."),
        SchemaField("procurement", .object([
            SchemaField("contractsPerAgency", p(.count), "Units one agency can run.", unit: "units"),
            SchemaField("failureRate", p(.rate, .year), "Share of contracts that go dark in a year.", unit: "share per year"),
            SchemaField("agencyEntryPer10M", p(.free), "New agencies per 10 million yuan of contracts.", unit: "agencies per 1e7 yuan"),
            SchemaField("agencyExitRate", p(.rate), "Yearly closing rate of agencies.", unit: "share per year"),
            SchemaField("maxNewUnitsPerYear", p(.count), "Most units a district can open in a year.", unit: "units per year"),
        ]), "Government purchase of services."),
        SchemaField("targets", .array(target, minItems: 0, maxItems: 1000), required: false, "Targets whose probability is reported.", default: "none"),
        SchemaField("history", .array(historyPoint, minItems: 0, maxItems: 1000), required: false,
                    "Observed values inside the horizon: calibrate fits the uncertain parameters to them; reports draw them on the charts.", default: "none"),
        SchemaField("alternatives", .array(alternative, minItems: 0, maxItems: 1000), required: false, "Policy alternatives: the base with some paths replaced.", default: "none"),
        SchemaField("provenance", .map(.string(oneOf: nil)), required: false, "Dotted path → source of its figure, listed in reports.", default: "none"),
        SchemaField("posterior", posterior, required: false,
                    "Per-replicate parameters drawn jointly from a weighted sample, e.g. calibrate's posterior.csv (README, \"Forecasting from a posterior\").",
                    default: "none"),
    ])

    static let posterior = SchemaType.object([
        SchemaField("file", .string(oneOf: nil),
                    "CSV file, relative to the scenario file's directory: a header of parameter paths and weight, one row per particle."),
        SchemaField("parameters", .array(.string(oneOf: nil), minItems: 1, maxItems: Posterior.maximumColumns),
                    "Parameter paths (per replicate, as in this file) whose values each replicate takes from one row drawn with probability ∝ weight."),
    ])

    /// The schema of the value at a dotted path of field names (array levels
    /// are skipped: `districts.population` is the population of any district).
    public static func type(atFieldPath path: [String]) -> SchemaType? {
        var current = root
        for name in path {
            if case let .array(element, _, _) = current { current = element }
            guard case let .object(fields) = current, let field = fields.first(where: { $0.name == name }) else { return nil }
            current = field.type
        }
        return current
    }
}
