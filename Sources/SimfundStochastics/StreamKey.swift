/// What a random stream is used for. Every process that draws has its own
/// purpose, so changing how one process draws never shifts another's numbers
/// (common random numbers across policy alternatives, docs/model.md, "Random numbers").
///
/// Raw values are part of the output's reproducibility contract: never renumber.
public enum StreamPurpose: UInt8, Sendable, CaseIterable {
    /// A scenario parameter's draw; the stream's unit is the parameter slot.
    case parameter = 1
    /// The multinomial split of region-wide graduates over districts (step 9).
    case graduateSplit = 2
    /// Contract failures of one district (step 7).
    case failures = 3
    /// Graduates entering the workforce (step 9).
    case entrants = 4
    case juniorExam = 5
    case intermediateExam = 6
    case seniorExam = 7
    /// Leavers of every class (step 9).
    case attrition = 8
    /// New agencies (step 11).
    case agencyEntry = 9
    /// Agencies that close (step 11).
    case agencyExit = 10
    /// The row of the scenario's posterior a replicate takes (one per
    /// replicate: year 0, unit 0; docs/model.md, "Forecasting from a posterior").
    case posteriorRow = 11
    /// Bootstrap resamples of an analysis (sensitivity indices); the stream's
    /// replicate is the resample's number.
    case bootstrap = 12
}

/// Identifies one random stream of one replicate: (replicate, year, unit,
/// purpose) packed into 64 bits. Together with the run's 64-bit seed it fixes
/// the generator's whole starting state, so a replicate's draws depend only on
/// what they are for, never on the thread that runs them or what ran before.
///
/// Layout: replicate (32 bits) | year (8) | unit (16) | purpose (8).
/// `year` is 0 for per-replicate draws and 1... for simulated years; `unit` is a
/// district index, a parameter slot, or ``regionUnit``.
public struct StreamKey: Hashable, Sendable {
    public let rawValue: UInt64

    /// The unit of region-wide processes (no district index reaches it).
    public static let regionUnit: Int = 0xFFFF
    public static let maxReplicates: Int = Int(UInt32.max)
    public static let maxYear: Int = 255
    public static let maxUnits: Int = 0xFFFF

    /// - Precondition: `replicate` < 2³², `year` ≤ 255, `unit` ≤ 65535.
    @inlinable
    public init(replicate: Int, year: Int, unit: Int, purpose: StreamPurpose) {
        precondition(replicate >= 0 && replicate <= StreamKey.maxReplicates, "replicate out of range")
        precondition(year >= 0 && year <= StreamKey.maxYear, "year out of range")
        precondition(unit >= 0 && unit <= StreamKey.regionUnit, "unit out of range")
        rawValue = UInt64(replicate) << 32 | UInt64(year) << 24 | UInt64(unit) << 8 | UInt64(purpose.rawValue)
    }
}
