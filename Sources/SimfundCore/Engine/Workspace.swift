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
        self.arena = arena
    }
}
