import SimfundStochastics

/// Region totals of one simulated year (docs/model.md, "Outputs").
struct YearTotals {
    /// Constants of the region, for ratios.
    var placesTownships = 0.0, placesCommunities = 0.0, population = 0.0
    var staffedStations = 0, staffedRooms = 0, stations = 0, rooms = 0
    var junior = 0, intermediate = 0, senior = 0, talent = 0
    var failed = 0, agencies = 0
    var due = 0.0, paid = 0.0
    var spendContracts = 0.0, spendBuild = 0.0, spendTraining = 0.0, spendAwards = 0.0
    var carry = 0.0, revenue = 0.0
}

/// One worker's mutable state: struct-of-arrays over districts, allocated once
/// and reused for every replicate the worker runs. Unit columns are
/// kind-major: index `kind · D + district`.
struct Workspace: ~Copyable {
    let districtCount: Int
    private let arena: ColumnArena

    // Constants copied from the scenario, so the hot loop reads only columns.
    let places: Column<Int>
    let populationWeights: Column<Double>
    let populationShares: Column<Double>

    // State carried from year to year.
    let relief: Column<Double>
    let carry: Column<Double>
    let units: Column<Int>
    let uncertified: Column<Int>, junior: Column<Int>, intermediate: Column<Int>, senior: Column<Int>
    let agencies: Column<Int>
    /// Staffed stations of the previous year's step 10 (for `allocate: uncovered`).
    let staffedStationsBefore: Column<Int>

    // Flows of the current year that later steps read (the others go to
    // the observer as ``DistrictFlows``).
    let paidShare: Column<Double>
    let failed: Column<Int>, staffed: Column<Int>
    let trainees: Column<Int>, graduates: Column<UInt32>

    /// Drawn parameter values by slot (fixed slots, then fiscal amounts).
    let values: Column<Double>

    // Region-wide values of the current year.
    var graduatesTotal = 0
    var awardsGiven = 0
    var awardIntensity = 0.0
    var totals = YearTotals()
    /// The first parameter slot whose draw was not finite in this replicate, if any.
    var nonFiniteSlot: Int?
    /// Where the next replicates' inputs come from (the model's own streams unless
    /// a method rearranges them); set by the caller, kept across replicates.
    var inputs: ReplicateInputs

    init(districtCount d: Int, parameterCount: Int) {
        districtCount = d
        var arena = ColumnArena()
        places = arena.column(0, count: 4 * d)
        populationWeights = arena.column(0, count: d)
        populationShares = arena.column(0, count: d)
        relief = arena.column(0, count: d)
        carry = arena.column(0, count: d)
        units = arena.column(0, count: 4 * d)
        uncertified = arena.column(0, count: d)
        junior = arena.column(0, count: d)
        intermediate = arena.column(0, count: d)
        senior = arena.column(0, count: d)
        agencies = arena.column(0, count: d)
        staffedStationsBefore = arena.column(0, count: d)
        paidShare = arena.column(0, count: d)
        failed = arena.column(0, count: 4 * d)
        staffed = arena.column(0, count: 4 * d)
        trainees = arena.column(0, count: d)
        graduates = arena.column(0, count: d)
        values = arena.column(0, count: parameterCount)
        inputs = ReplicateInputs(parameterCount: parameterCount)
        self.arena = arena
    }
}

/// How a replicate's inputs are chosen, for the methods that rearrange them
/// (docs/model.md, "Rearranged inputs"): sensitivity analysis draws a slot's
/// parameter streams, or the process streams, from another replicate's keys;
/// goal seek, calibration and posterior rows hold a slot at a given value;
/// the posterior's row can be taken from another replicate's key.
/// The default is the model's own: every stream keyed by the replicate itself,
/// nothing held.
struct ReplicateInputs: Sendable {
    /// Per parameter slot: the replicate whose parameter streams the slot draws from (−1: its own).
    private(set) var parameterStreams: [Int]
    /// The replicate whose process streams (binomial, multinomial and Poisson
    /// draws: "chance") are used; nil: its own.
    var processReplicate: Int?
    /// The replicate whose posterior-row stream picks the row of the
    /// scenario's posterior (one input: every posterior slot together); nil: its own.
    var posteriorReplicate: Int?
    /// Per slot: a value used every year instead of the draw (NaN: draw).
    private(set) var heldValues: [Double]
    private var heldCount = 0
    /// Per scheduled slot: a probability; each year the slot takes that
    /// quantile of the schedule's entry in force instead of a draw (NaN: draw).
    private(set) var heldQuantiles: [Double]

    init(parameterCount: Int) {
        parameterStreams = [Int](repeating: -1, count: parameterCount)
        heldValues = [Double](repeating: .nan, count: parameterCount)
        heldQuantiles = heldValues
    }

    /// Back to the model's own streams, nothing held.
    mutating func reset() {
        for i in parameterStreams.indices { parameterStreams[i] = -1; heldValues[i] = .nan; heldQuantiles[i] = .nan }
        processReplicate = nil
        posteriorReplicate = nil
        heldCount = 0
    }

    /// Slot `slot` draws from replicate `replicate`'s parameter streams (nil: its own).
    mutating func drawParameter(_ slot: Int, fromReplicate replicate: Int?) {
        parameterStreams[slot] = replicate ?? -1
    }

    /// Slot `slot` takes `value` every year (nil: drawn again). The value is used
    /// as given: callers pass values the parameter's field accepts.
    mutating func hold(_ slot: Int, at value: Double?) {
        let wasHeld = !heldValues[slot].isNaN
        heldValues[slot] = value ?? .nan
        heldCount += (value == nil ? 0 : 1) - (wasHeld ? 1 : 0)
    }

    /// Scheduled slot `slot` takes the `probability` quantile of the entry in
    /// force every year (nil: drawn again): a schedule held at a percentile
    /// keeps its changes from year to year, which one held value would not.
    mutating func holdQuantile(_ slot: Int, at probability: Double?) {
        heldQuantiles[slot] = probability ?? .nan
    }

    @inline(__always)
    func parameterReplicate(_ slot: Int, own: Int) -> Int {
        let other = parameterStreams[slot]
        return other < 0 ? own : other
    }

    @inline(__always)
    func applyHeld(to values: Column<Double>) {
        guard heldCount > 0 else { return }
        for slot in heldValues.indices where !heldValues[slot].isNaN { values[slot] = heldValues[slot] }
    }
}
