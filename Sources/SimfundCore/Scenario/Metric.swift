/// A yearly output of the model (docs/model.md, "Outputs"), region-wide.
///
/// ``name`` is the name used in scenario targets and every output file; the
/// raw value is the metric's position in output tables.
public enum Metric: Int, Sendable, CaseIterable, Hashable {
    case townshipCoverage, communityCoverage, stations, rooms
    case certified, junior, intermediate, senior, talent, certifiedPer10k
    case subsidyPaidRatio
    case spendSubsidies, spendContracts, spendBuild, spendTraining, spendAwards
    case carry, failedContracts, agencies
    // Extensions beyond the model's outputs (documented in docs/model.md).
    /// New money of the year: relief share + fiscal lines + lottery + donations (carry excluded).
    case revenue
    /// spendSubsidies + spendContracts + spendBuild + spendTraining + spendAwards.
    case spendTotal

    public static let count = allCases.count
    private static let names: [String] = allCases.map { String(describing: $0) }
    private static let byName: [String: Metric] = Dictionary(uniqueKeysWithValues: allCases.map { (String(describing: $0), $0) })

    /// The metric's name in files: `townshipCoverage`, `certified`, …
    public var name: String { Metric.names[rawValue] }

    public init?(name: String) {
        guard let metric = Metric.byName[name] else { return nil }
        self = metric
    }

    /// Metrics a target may name together with `district`.
    public static let districtMetrics: [Metric] = [.townshipCoverage, .communityCoverage]

    /// Whether a higher value is better for a planner (used when ranking and
    /// comparing alternatives): coverage, workforce and agencies up; spending down.
    public var higherIsBetter: Bool {
        switch self {
        case .spendSubsidies, .spendContracts, .spendBuild, .spendTraining, .spendAwards, .spendTotal,
             .failedContracts, .carry:
            return false
        default:
            return true
        }
    }

    /// Unit shown next to values.
    public var unit: String {
        switch self {
        case .townshipCoverage, .communityCoverage, .subsidyPaidRatio: return "share"
        case .stations, .rooms, .failedContracts: return "units"
        case .certified, .junior, .intermediate, .senior, .talent: return "people"
        case .certifiedPer10k: return "per 10k people"
        case .agencies: return "agencies"
        default: return "yuan"
        }
    }
}
