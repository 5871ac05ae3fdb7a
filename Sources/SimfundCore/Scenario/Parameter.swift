public import SimfundStochastics

/// A scenario parameter: a distribution, when it is drawn, and how its draws
/// are clamped (docs/model.md, "The scenario").
public struct Parameter: Sendable, Hashable {
    public var distribution: Distribution
    public var per: Resampling
    public var role: ParameterRole
    /// Optional clamps given in the file (`min` / `max` beside `dist`).
    public var lowerClamp: Double?
    public var upperClamp: Double?

    public init(_ distribution: Distribution, per: Resampling, role: ParameterRole, lowerClamp: Double? = nil, upperClamp: Double? = nil) {
        self.distribution = distribution
        self.per = per
        self.role = role
        self.lowerClamp = lowerClamp
        self.upperClamp = upperClamp
    }

    public static func fixed(_ value: Double, role: ParameterRole, per: Resampling = .replicate) -> Parameter {
        Parameter(.fixed(value), per: per, role: role)
    }

    /// True when every draw gives the same value, so no random number is needed.
    public var isFixed: Bool { distribution.isDegenerate }

    /// Applies the file's clamps, then the role's clamp (and rounding for
    /// counts). Extension of the model (docs/model.md): every draw is also capped at the
    /// largest plain value the field accepts (counts 10⁸, amounts and
    /// `positive` values 10¹⁵, growth 100, `free` values ±10¹²), so an extreme
    /// draw can never overflow the engine's integers or its money.
    public func clamp(_ drawn: Double) -> Double {
        var value = drawn
        if let lowerClamp { value = Swift.max(value, lowerClamp) }
        if let upperClamp { value = Swift.min(value, upperClamp) }
        switch role {
        case .rate: return Swift.min(Swift.max(value, 0), 1)
        case .growth: return Swift.min(Swift.max(value, -1), ScenarioSchema.maximumGrowth)
        case .money: return Swift.min(Swift.max(value, 0), ScenarioSchema.maximumMoney)
        case .count: return Swift.min(Swift.max(value, 0), Double(ScenarioSchema.maximumCount)).rounded(.toNearestOrAwayFromZero)
        // Validation keeps every `positive` draw above 0 (a `min` > 0 is required).
        case .positive: return Swift.min(value, ScenarioSchema.maximumMoney)
        case .free: return Swift.min(Swift.max(value, -ScenarioSchema.maximumFree), ScenarioSchema.maximumFree)
        }
    }

    /// One clamped draw.
    public func draw(_ stream: inout RandomStream) -> Double {
        clamp(distribution.sample(&stream))
    }

    /// The value of a parameter that needs no draw.
    public var fixedValue: Double? {
        guard isFixed else { return nil }
        switch distribution {
        case let .fixed(v): return clamp(v)
        case let .uniform(lo, _), let .triangular(lo, _, _), let .pert(lo, _, _): return clamp(lo)
        case let .normal(mean, _): return clamp(mean)
        case let .lognormal(median, _): return clamp(median)
        case .poisson: return clamp(0)
        case .beta, .gamma: return nil
        }
    }
}

/// Every model parameter with a fixed place in the engine's parameter table.
/// Fiscal line amounts follow these slots, one per line, in file order.
///
/// The slot number keys the parameter's random stream, so it is part of the
/// reproducibility contract: append new slots, never renumber.
public enum ParameterSlot: Int, Sendable, CaseIterable {
    case reliefShare, reliefGrowth, lottery, donations
    case stationContractStreet, stationContractTown, roomContractUrban, roomContractRural
    case stationBuild, roomBuild, priceFactor
    case staffingStreet, staffingTown, staffingUrbanRoom, staffingRuralRoom, stationShare
    case subsidyJunior, subsidyIntermediate, subsidySenior
    case awardPool, awardCount, awardAmount
    case trainingShare, costPerTrainee, passBoost
    case graduates, entryRate
    case examTakeJunior, examTakeIntermediate, examTakeSenior
    case passRateJunior, passRateIntermediate, passRateSenior
    case attritionUncertified, attritionJunior, attritionIntermediate, attritionSenior
    case referenceWage, subsidyElasticity, awardElasticity
    case contractsPerAgency, failureRate, agencyEntryPer10M, agencyExitRate, maxNewUnitsPerYear

    /// The dotted path of the parameter in a scenario file.
    public var path: String {
        switch self {
        case .reliefShare: return "budget.reliefShare"
        case .reliefGrowth: return "budget.reliefGrowth"
        case .lottery: return "budget.lottery"
        case .donations: return "budget.donations"
        case .stationContractStreet: return "costs.stationContract.street"
        case .stationContractTown: return "costs.stationContract.town"
        case .roomContractUrban: return "costs.roomContract.urban"
        case .roomContractRural: return "costs.roomContract.rural"
        case .stationBuild: return "costs.stationBuild"
        case .roomBuild: return "costs.roomBuild"
        case .priceFactor: return "costs.priceFactor"
        case .staffingStreet: return "staffing.street"
        case .staffingTown: return "staffing.town"
        case .staffingUrbanRoom: return "staffing.urbanRoom"
        case .staffingRuralRoom: return "staffing.ruralRoom"
        case .stationShare: return "staffing.stationShare"
        case .subsidyJunior: return "subsidies.junior"
        case .subsidyIntermediate: return "subsidies.intermediate"
        case .subsidySenior: return "subsidies.senior"
        case .awardPool: return "awards.pool"
        case .awardCount: return "awards.count"
        case .awardAmount: return "awards.amount"
        case .trainingShare: return "training.share"
        case .costPerTrainee: return "training.costPerTrainee"
        case .passBoost: return "training.passBoost"
        case .graduates: return "workforce.graduates"
        case .entryRate: return "workforce.entryRate"
        case .examTakeJunior: return "workforce.examTakeRate.junior"
        case .examTakeIntermediate: return "workforce.examTakeRate.intermediate"
        case .examTakeSenior: return "workforce.examTakeRate.senior"
        case .passRateJunior: return "workforce.passRate.junior"
        case .passRateIntermediate: return "workforce.passRate.intermediate"
        case .passRateSenior: return "workforce.passRate.senior"
        case .attritionUncertified: return "workforce.attrition.uncertified"
        case .attritionJunior: return "workforce.attrition.junior"
        case .attritionIntermediate: return "workforce.attrition.intermediate"
        case .attritionSenior: return "workforce.attrition.senior"
        case .referenceWage: return "workforce.referenceWage"
        case .subsidyElasticity: return "workforce.subsidyElasticity"
        case .awardElasticity: return "workforce.awardElasticity"
        case .contractsPerAgency: return "procurement.contractsPerAgency"
        case .failureRate: return "procurement.failureRate"
        case .agencyEntryPer10M: return "procurement.agencyEntryPer10M"
        case .agencyExitRate: return "procurement.agencyExitRate"
        case .maxNewUnitsPerYear: return "procurement.maxNewUnitsPerYear"
        }
    }

    /// Role and default resampling, read from the schema (the single source).
    public var schemaKind: (role: ParameterRole, per: Resampling) {
        guard case let .parameter(role, per)? = ScenarioSchema.type(atFieldPath: path.split(separator: ".").map(String.init)) else {
            preconditionFailure("\(path) is not a parameter in ScenarioSchema")
        }
        return (role, per)
    }
}
