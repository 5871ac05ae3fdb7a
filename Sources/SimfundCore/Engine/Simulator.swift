import Foundation
import SimfundStochastics

/// Receives each simulated year of a replicate (statistics accumulators,
/// trajectory recorders in tests).
protocol YearObserver {
    /// After each year, with the workspace's end-of-year state and totals.
    mutating func record(replicate: Int, yearIndex: Int, workspace: borrowing Workspace)
    /// After each district's step: its flows of the year that no later step reads.
    mutating func district(_ d: Int, _ flows: DistrictFlows)
}

extension YearObserver {
    @inline(__always)
    mutating func district(_ d: Int, _ flows: DistrictFlows) {}
}

/// The model of docs/model.md, "The yearly step", compiled from a scenario: constants laid
/// out for the yearly step, and the step itself.
///
/// Random streams (section 5): every draw comes from the stream keyed by
/// (seed, replicate, year, unit, purpose). Parameters use unit = slot;
/// district processes use unit = district index; the graduate split uses the
/// region unit. A replicate's numbers therefore depend only on what they are
/// for, never on the thread that runs it or on other processes' draws.
struct Simulator: Sendable {
    let scenario: Scenario
    let seed: UInt64
    let districtCount: Int
    let years: Int
    let parameters: [Parameter]
    /// Slots drawn once per replicate / every year (fixed ones are preset).
    let replicateSlots: [Int]
    let yearSlots: [Int]
    let fixedValues: [Double]
    /// Slots whose value follows a schedule, set every year by `drawYearParameters`.
    let scheduled: [(slot: Int, schedule: Schedule)]
    /// How each fiscal line is allocated (plain enums: the hot loop copies no strings).
    let fiscalAllocations: [Allocation]
    let totalPopulation: Double
    let placesTownships: Double
    let placesCommunities: Double
    /// Per-replicate slots set jointly from one weighted row (their own distributions are not drawn).
    let posterior: Posterior?

    init(scenario: Scenario, seed: UInt64) {
        self.scenario = scenario
        self.seed = seed
        districtCount = scenario.districts.count
        years = scenario.years
        let parameters = scenario.parameters
        self.parameters = parameters
        let schedules = scenario.schedules
        posterior = scenario.posterior
        let fromPosterior = Set(scenario.posterior?.slots ?? [])
        replicateSlots = parameters.indices.filter {
            !parameters[$0].isFixed && parameters[$0].per == .replicate && schedules[$0] == nil && !fromPosterior.contains($0)
        }
        yearSlots = parameters.indices.filter { !parameters[$0].isFixed && parameters[$0].per == .year && schedules[$0] == nil }
        scheduled = schedules.keys.sorted().map { ($0, schedules[$0]!) }
        fixedValues = parameters.map { $0.fixedValue ?? 0 }
        fiscalAllocations = scenario.fiscal.map(\.allocate)
        totalPopulation = Double(scenario.districts.reduce(0) { $0 + $1.population })
        placesTownships = Double(scenario.districts.reduce(0) { $0 + $1.townships })
        placesCommunities = Double(scenario.districts.reduce(0) { $0 + $1.communities })
    }

    func makeWorkspace() -> Workspace {
        let ws = Workspace(districtCount: districtCount, parameterCount: parameters.count)
        for (d, district) in scenario.districts.enumerated() {
            for k in 0..<4 { ws.places[k * districtCount + d] = district.places[k] }
            ws.populationWeights[d] = Double(district.population)
            ws.populationShares[d] = Double(district.population) / totalPopulation
        }
        return ws
    }

    // MARK: - One replicate

    /// Runs replicate `r` from the file's state, calling `observer` after each year.
    func run<Observer: YearObserver>(replicate r: Int, in ws: inout Workspace, stream: inout RandomStream, observer: inout Observer) {
        resetState(ws)
        for slot in 0..<parameters.count { ws.values[slot] = fixedValues[slot] }
        ws.nonFiniteSlot = nil
        for slot in replicateSlots {
            stream.select(seed: seed, key: StreamKey(replicate: ws.inputs.parameterReplicate(slot, own: r), year: 0, unit: slot, purpose: .parameter))
            draw(slot, parameters[slot], ws: &ws, stream: &stream)
        }
        if let posterior {
            // One row for all posterior slots, from a stream keyed by the replicate
            // alone: every alternative and sweep point takes the same row (CRN).
            stream.select(seed: seed, key: StreamKey(replicate: ws.inputs.posteriorReplicate ?? r, year: 0, unit: 0, purpose: .posteriorRow))
            posterior.apply(row: posterior.row(at: stream.uniform()), to: ws.values)
        }
        // After the row: a held slot wins over the posterior.
        ws.inputs.applyHeld(to: ws.values)
        // `uncovered` allocation in year 1 uses step 10 applied to the file's
        // state, with year 1's parameters (step 1 redraws the same values:
        // each parameter's stream is keyed by year).
        drawYearParameters(year: 1, replicate: r, ws: &ws, stream: &stream)
        let first = YearParameters(ws.values, fiscal: fiscalAllocations)
        for d in 0..<districtCount {
            staff(d, first, ws)
            ws.staffedStationsBefore[d] = ws.staffed[d] + ws.staffed[districtCount + d]
        }
        for t in 1...years {
            step(year: t, replicate: r, ws: &ws, stream: &stream, observer: &observer)
            observer.record(replicate: r, yearIndex: t - 1, workspace: ws)
        }
    }

    private func resetState(_ ws: borrowing Workspace) {
        for (d, district) in scenario.districts.enumerated() {
            ws.relief[d] = district.reliefFunds
            ws.carry[d] = 0
            for k in 0..<4 {
                ws.units[k * districtCount + d] = district.units[k]
                ws.failed[k * districtCount + d] = 0
            }
            ws.uncertified[d] = district.uncertified
            ws.junior[d] = district.junior
            ws.intermediate[d] = district.intermediate
            ws.senior[d] = district.senior
            ws.agencies[d] = district.agencies
            ws.paidShare[d] = 1
        }
    }

    /// One year, docs/model.md, "The yearly step" steps 1–12 (see docs/model.md): the
    /// region-wide part from start-of-year values, then every district.
    func step<Observer: YearObserver>(year t: Int, replicate own: Int, ws: inout Workspace, stream: inout RandomStream, observer: inout Observer) {
        // 1. Shocks: every per-year parameter, each from its own stream.
        drawYearParameters(year: t, replicate: own, ws: &ws, stream: &stream)
        // The binomial, multinomial and Poisson draws of the year ("chance").
        let r = ws.inputs.processReplicate ?? own
        let p = YearParameters(ws.values, fiscal: fiscalAllocations)
        let region = regionalStart(p, year: t, replicate: r, ws: &ws, stream: &stream)
        ws.totals = YearTotals(placesTownships: placesTownships, placesCommunities: placesCommunities, population: totalPopulation)
        ws.totals.spendAwards = Double(ws.awardsGiven) * p.awardAmount
        for d in 0..<districtCount {
            var flows = DistrictFlows()
            var budget = revenue(d, p, region, ws: ws, flows: &flows)
            paySubsidies(d, p, budget: &budget, ws: ws, flows: &flows)
            let underContract = renew(d, p, budget: &budget, ws: ws, flows: &flows)
            train(d, p, budget: &budget, ws: ws, flows: &flows)
            expand(d, p, underContract: underContract, budget: &budget, ws: ws, flows: &flows)
            fail(d, p, year: t, replicate: r, budget: &budget, ws: ws, flows: &flows, stream: &stream)
            workforce(d, p, year: t, replicate: r, ws: ws, flows: &flows, stream: &stream)
            staff(d, p, ws)
            ws.staffedStationsBefore[d] = ws.staffed[d] + ws.staffed[districtCount + d]
            agencies(d, p, year: t, replicate: r, ws: ws, flows: &flows, stream: &stream)
            // 12. Carry.
            ws.carry[d] = scenario.carryOver ? budget : 0
            flows.lapsed = scenario.carryOver ? 0 : budget
            accumulateTotals(d, flows, ws: &ws)
            observer.district(d, flows)
        }
    }

    /// What the district steps share, computed once a year from start-of-year values.
    struct RegionalStart {
        var unstaffedTotal = 0
        var needTotal = 0.0
    }

    /// Region-wide, from start-of-year counts: awards (step 8), the graduate
    /// split (step 9) and the totals the fiscal allocation shares divide by.
    private func regionalStart(_ p: YearParameters, year t: Int, replicate r: Int, ws: inout Workspace, stream: inout RandomStream) -> RegionalStart {
        let D = districtCount
        var certifiedAtStart = 0
        for d in 0..<D { certifiedAtStart += ws.junior[d] + ws.intermediate[d] + ws.senior[d] }
        awards(p, certifiedAtStart: certifiedAtStart, ws: &ws)
        splitGraduates(p, year: t, replicate: r, ws: &ws, stream: &stream)
        var region = RegionalStart()
        for d in 0..<D { region.unstaffedTotal += ws.places[d] + ws.places[D + d] - ws.staffedStationsBefore[d] }
        if p.fiscal.need > 0 {
            for d in 0..<D { region.needTotal += need(d, p, ws) }
        }
        return region
    }

    /// Step 2: relief funds grow; the district's budget is its carry plus this year's money.
    private func revenue(_ d: Int, _ p: YearParameters, _ region: RegionalStart, ws: borrowing Workspace, flows: inout DistrictFlows) -> Double {
        let D = districtCount
        // Capped like every amount (10¹⁵ yuan), so growth cannot overflow to infinity.
        ws.relief[d] = min(ws.relief[d] * (1 + p.reliefGrowth), ScenarioSchema.maximumMoney)
        let uncoveredShare = region.unstaffedTotal > 0
            ? Double(ws.places[d] + ws.places[D + d] - ws.staffedStationsBefore[d]) / Double(region.unstaffedTotal)
            : ws.populationShares[d]
        // Read before district d's renewal, so from its start-of-year units.
        let needShare = p.fiscal.need > 0 ? (region.needTotal > 0 ? need(d, p, ws) / region.needTotal : ws.populationShares[d]) : 0
        // Without a `need` line the extra term adds exactly 0.0: other scenarios' sums are unchanged.
        let revenue = p.reliefShare * ws.relief[d]
            + p.fiscal.byPopulation * ws.populationShares[d] + p.fiscal.equal / Double(D) + p.fiscal.uncovered * uncoveredShare
            + p.fiscal.need * needShare
            + p.regionMoney * ws.populationShares[d]
        flows.carryIn = ws.carry[d]
        flows.revenue = revenue
        return ws.carry[d] + revenue
    }

    /// Step 3: subsidies are paid first, as far as the budget goes.
    private func paySubsidies(_ d: Int, _ p: YearParameters, budget: inout Double, ws: borrowing Workspace, flows: inout DistrictFlows) {
        let due = 12 * (p.subsidyJunior * Double(ws.junior[d]) + p.subsidyIntermediate * Double(ws.intermediate[d]) + p.subsidySenior * Double(ws.senior[d]))
        let paid = min(due, budget)
        flows.due = due
        flows.paid = paid
        ws.paidShare[d] = due > 0 ? paid / due : 1
        budget -= paid
    }

    /// Step 4: renewal in class order; units not renewed close. Returns the units under contract.
    private func renew(_ d: Int, _ p: YearParameters, budget: inout Double, ws: borrowing Workspace, flows: inout DistrictFlows) -> Int {
        var underContract = 0
        for kind in UnitKind.allCases {
            let i = kind.rawValue * districtCount + d
            let cost = p.contract[kind]
            let renewed = min(ws.units[i], affordable(budget, cost))
            budget -= Double(renewed) * cost
            ws.units[i] = renewed
            flows.renewed[kind] = renewed
            underContract += renewed
        }
        return underContract
    }

    /// Step 5: training of uncertified workers (not scaled by the price factor).
    private func train(_ d: Int, _ p: YearParameters, budget: inout Double, ws: borrowing Workspace, flows: inout DistrictFlows) {
        var trainees = 0
        if p.costPerTrainee > 0 {
            trainees = min(affordable(p.trainingShare * budget, p.costPerTrainee), ws.uncertified[d])
            budget -= Double(trainees) * p.costPerTrainee
        }
        ws.trainees[d] = trainees
        flows.training = Double(trainees) * p.costPerTrainee
    }

    /// Step 6: expansion, limited by agency capacity, the yearly cap and money.
    private func expand(_ d: Int, _ p: YearParameters, underContract: Int, budget: inout Double, ws: borrowing Workspace, flows: inout DistrictFlows) {
        // Saturating: agencies × contractsPerAgency cannot overflow even for absurd inputs.
        let (slots, overflow) = ws.agencies[d].multipliedReportingOverflow(by: p.contractsPerAgency)
        var capacity = overflow ? Int.max : max(0, slots - underContract)
        var left = p.maxNewUnits
        for kind in UnitKind.allCases {
            let i = kind.rawValue * districtCount + d
            let cost = p.contract[kind]
            let buildCost = kind.isStation ? p.stationBuild : p.roomBuild
            // Two-argument mins: the variadic min(_:_:_:_:) allocates an array.
            let opened = min(min(ws.places[i] - ws.units[i], capacity), min(left, affordable(budget, buildCost + cost)))
            budget -= Double(opened) * (buildCost + cost)
            flows.build += Double(opened) * buildCost
            ws.units[i] += opened
            flows.opened[kind] = opened
            capacity -= opened
            left -= opened
        }
    }

    /// Step 7: failed units are dark for the year and their contract money returns.
    private func fail(_ d: Int, _ p: YearParameters, year t: Int, replicate r: Int, budget: inout Double, ws: borrowing Workspace,
                      flows: inout DistrictFlows, stream: inout RandomStream) {
        stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .failures))
        var contracts = 0.0
        for kind in UnitKind.allCases {
            let i = kind.rawValue * districtCount + d
            let failed = stream.binomial(ws.units[i], p.failureRate)
            let cost = p.contract[kind]
            budget += Double(failed) * cost
            // Net of refunds, from counts: never below 0 by rounding.
            contracts += Double(ws.units[i] - failed) * cost
            ws.failed[i] = failed
        }
        flows.contracts = contracts
    }

    /// Step 11: agency entry from this year's net contract spending, exit from the start count.
    private func agencies(_ d: Int, _ p: YearParameters, year t: Int, replicate r: Int, ws: borrowing Workspace, flows: inout DistrictFlows,
                          stream: inout RandomStream) {
        stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .agencyEntry))
        // At most 10⁹ new agencies a year: only absurd inputs reach the cap (docs/model.md).
        let entries = stream.poisson(min(p.agencyEntryPer10M * flows.contracts / 1e7, 1e9))
        stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .agencyExit))
        let exits = stream.binomial(ws.agencies[d], p.agencyExitRate)
        ws.agencies[d] += entries - exits
        flows.agencyEntries = entries
        flows.agencyExits = exits
    }

    private func drawYearParameters(year t: Int, replicate r: Int, ws: inout Workspace, stream: inout RandomStream) {
        for slot in yearSlots {
            stream.select(seed: seed, key: StreamKey(replicate: ws.inputs.parameterReplicate(slot, own: r), year: t, unit: slot, purpose: .parameter))
            draw(slot, parameters[slot], ws: &ws, stream: &stream)
        }
        // Scheduled slots: the entry in force, drawn from the very stream a plain
        // parameter of its kind uses (year 0 for per-replicate entries), so equal
        // entries reproduce the plain value and a later entry changes nothing before it.
        for (slot, schedule) in scheduled {
            let parameter = schedule.parameter(atYearIndex: t - 1)
            if parameter.isFixed {
                ws.values[slot] = parameter.fixedValue ?? 0
                continue
            }
            let probability = ws.inputs.heldQuantiles[slot]
            if !probability.isNaN {
                ws.values[slot] = parameter.clamp(parameter.distribution.quantile(probability))
                continue
            }
            stream.select(seed: seed, key: StreamKey(replicate: ws.inputs.parameterReplicate(slot, own: r), year: parameter.per == .year ? t : 0, unit: slot, purpose: .parameter))
            draw(slot, parameter, ws: &ws, stream: &stream)
        }
        ws.inputs.applyHeld(to: ws.values)
    }

    /// `allocate: need` (docs/model.md): district d's cost, at this year's
    /// prices, of renewing every unit it has under contract and of opening a
    /// station in every township without one. Reads the units as they stand
    /// when called: at the start of the year, before district d's renewal.
    private func need(_ d: Int, _ p: YearParameters, _ ws: borrowing Workspace) -> Double {
        let D = districtCount
        var need = 0.0
        for kind in UnitKind.allCases { need += Double(ws.units[kind.rawValue * D + d]) * p.contract[kind] }
        for kind in [UnitKind.streetStation, .townStation] {
            let i = kind.rawValue * D + d
            need += Double(ws.places[i] - ws.units[i]) * (p.stationBuild + p.contract[kind])
        }
        return need
    }

    /// One clamped draw of `parameter` into `slot`. Validation bounds every
    /// distribution so draws stay finite; should one not be, the run reports
    /// an internal error (the slot is remembered) instead of trapping on it.
    @inline(__always)
    private func draw(_ slot: Int, _ parameter: Parameter, ws: inout Workspace, stream: inout RandomStream) {
        let drawn = parameter.distribution.sample(&stream)
        if drawn.isFinite {
            ws.values[slot] = parameter.clamp(drawn)
        } else {
            if ws.nonFiniteSlot == nil { ws.nonFiniteSlot = slot }
            ws.values[slot] = parameter.clamp(0)
        }
    }

    /// The scenario path of a parameter slot, for messages.
    func parameterPath(_ slot: Int) -> String { scenario.parameterPath(slot) }

    /// Step 8, region-wide: awards paid from their own pool.
    private func awards(_ p: YearParameters, certifiedAtStart: Int, ws: inout Workspace) {
        let given = p.awardAmount > 0 ? min(p.awardCount, affordable(p.awardPool, p.awardAmount)) : 0
        ws.awardsGiven = given
        ws.awardIntensity = Double(given) * p.awardAmount / (Double(max(1, certifiedAtStart)) * p.referenceWage)
    }

    /// Step 9's region part: graduates G split over districts by population.
    private func splitGraduates(_ p: YearParameters, year t: Int, replicate r: Int, ws: inout Workspace, stream: inout RandomStream) {
        let total = p.graduates
        ws.graduatesTotal = total
        if districtCount == 1 || total == 0 {
            ws.graduates.fill(0)
            ws.graduates[0] = UInt32(total)
            return
        }
        stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: StreamKey.regionUnit, purpose: .graduateSplit))
        stream.multinomial(total: total, weights: ws.populationWeights.buffer, counts: ws.graduates.mutableBuffer)
    }

    /// Step 9 for one district: entrants, three exams, then attrition on the
    /// updated counts; every binomial reads start-of-step counts.
    private func workforce(_ d: Int, _ p: YearParameters, year t: Int, replicate r: Int, ws: borrowing Workspace, flows: inout DistrictFlows,
                           stream: inout RandomStream) {
        let U = ws.uncertified[d], J = ws.junior[d], I = ws.intermediate[d], S = ws.senior[d]

        stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .entrants))
        let entrants = stream.binomial(Int(ws.graduates[d]), p.entryRate)

        stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .juniorExam))
        let takers = stream.binomial(U, p.takeJunior)
        let cover = min(1, Double(ws.trainees[d]) / Double(max(1, takers)))
        let passJ = stream.binomial(takers, min(1, p.passJunior * (1 + p.passBoost * cover)))

        stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .intermediateExam))
        // Binomial(Binomial(J, take), pass) is Binomial(J, take·pass): one draw instead of two.
        let passI = stream.binomial(J, p.takeIntermediate * p.passIntermediate)

        stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .seniorExam))
        let passS = stream.binomial(I, p.takeSenior * p.passSenior)

        let u = U + entrants - passJ, j = J + passJ - passI, i = I + passI - passS, s = S + passS

        // Attrition: retention incentives x_c lower the leaving rate a_c·exp(−x_c).
        let subsidyTerm = p.subsidyElasticity * 12 * ws.paidShare[d] / p.referenceWage
        let awardTerm = p.awardElasticity * ws.awardIntensity
        stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .attrition))
        let leaveU = stream.binomial(u, p.attritionUncertified)
        let leaveJ = stream.binomial(j, p.attritionJunior * exp(-(subsidyTerm * p.subsidyJunior + awardTerm)))
        let leaveI = stream.binomial(i, p.attritionIntermediate * exp(-(subsidyTerm * p.subsidyIntermediate + awardTerm)))
        let leaveS = stream.binomial(s, p.attritionSenior * exp(-(subsidyTerm * p.subsidySenior + awardTerm)))

        ws.uncertified[d] = u - leaveU
        ws.junior[d] = j - leaveJ
        ws.intermediate[d] = i - leaveI
        ws.senior[d] = s - leaveS
        flows.entrants = entrants
        flows.passJunior = passJ
        flows.passIntermediate = passI
        flows.passSenior = passS
        flows.leavers = PerKind(leaveU, leaveJ, leaveI, leaveS)
    }

    /// Step 10: a share of all talent staffs working units in class order.
    private func staff(_ d: Int, _ p: YearParameters, _ ws: borrowing Workspace) {
        let talent = ws.uncertified[d] + ws.junior[d] + ws.intermediate[d] + ws.senior[d]
        var pool = Int((p.stationShare * Double(talent)).rounded(.down))
        for kind in UnitKind.allCases {
            let i = kind.rawValue * districtCount + d
            let need = p.staffing[kind]
            let working = ws.units[i] - ws.failed[i]
            let staffed = need > 0 ? min(working, pool / need) : working
            pool -= staffed * need
            ws.staffed[i] = staffed
        }
    }

    private func accumulateTotals(_ d: Int, _ flows: DistrictFlows, ws: inout Workspace) {
        let D = districtCount
        ws.totals.staffedStations += ws.staffed[d] + ws.staffed[D + d]
        ws.totals.staffedRooms += ws.staffed[2 * D + d] + ws.staffed[3 * D + d]
        ws.totals.stations += ws.units[d] + ws.units[D + d]
        ws.totals.rooms += ws.units[2 * D + d] + ws.units[3 * D + d]
        ws.totals.failed += ws.failed[d] + ws.failed[D + d] + ws.failed[2 * D + d] + ws.failed[3 * D + d]
        ws.totals.junior += ws.junior[d]
        ws.totals.intermediate += ws.intermediate[d]
        ws.totals.senior += ws.senior[d]
        ws.totals.talent += ws.uncertified[d] + ws.junior[d] + ws.intermediate[d] + ws.senior[d]
        ws.totals.agencies += ws.agencies[d]
        ws.totals.due += flows.due
        ws.totals.paid += flows.paid
        ws.totals.spendContracts += flows.contracts
        ws.totals.spendBuild += flows.build
        ws.totals.spendTraining += flows.training
        ws.totals.carry += ws.carry[d]
        ws.totals.revenue += flows.revenue
    }
}

/// Four values, one per ``UnitKind`` (no array: the hot loop allocates nothing).
struct PerKind<Value> {
    var street: Value, town: Value, urban: Value, rural: Value

    init(_ street: Value, _ town: Value, _ urban: Value, _ rural: Value) {
        (self.street, self.town, self.urban, self.rural) = (street, town, urban, rural)
    }

    @inline(__always)
    subscript(kind: UnitKind) -> Value {
        get {
            switch kind {
            case .streetStation: return street
            case .townStation: return town
            case .urbanRoom: return urban
            case .ruralRoom: return rural
            }
        }
        set {
            switch kind {
            case .streetStation: street = newValue
            case .townStation: town = newValue
            case .urbanRoom: urban = newValue
            case .ruralRoom: rural = newValue
            }
        }
    }
}

extension PerKind where Value == Int {
    init() { self.init(0, 0, 0, 0) }
}

/// The parameters one year of the model reads, by name: built once a year
/// from the drawn values (fixed, per replicate, per year, scheduled), with
/// prices already multiplied by the year's price factor φ.
struct YearParameters {
    var reliefShare: Double, reliefGrowth: Double
    /// Lottery and donations: region-wide money allocated by population.
    var regionMoney: Double
    var fiscal: FiscalMoney
    /// Contract prices of one unit-year, ·φ.
    var contract: PerKind<Double>
    var stationBuild: Double, roomBuild: Double
    var staffing: PerKind<Int>
    var stationShare: Double
    var subsidyJunior: Double, subsidyIntermediate: Double, subsidySenior: Double
    var awardPool: Double, awardCount: Int, awardAmount: Double
    var trainingShare: Double, costPerTrainee: Double, passBoost: Double
    var graduates: Int, entryRate: Double
    var takeJunior: Double, takeIntermediate: Double, takeSenior: Double
    var passJunior: Double, passIntermediate: Double, passSenior: Double
    var attritionUncertified: Double, attritionJunior: Double, attritionIntermediate: Double, attritionSenior: Double
    var referenceWage: Double, subsidyElasticity: Double, awardElasticity: Double
    var contractsPerAgency: Int, failureRate: Double, agencyEntryPer10M: Double, agencyExitRate: Double, maxNewUnits: Int

    /// This year's fiscal money by allocation rule.
    struct FiscalMoney {
        var byPopulation = 0.0, equal = 0.0, uncovered = 0.0, need = 0.0
    }

    @inline(__always)
    init(_ v: Column<Double>, fiscal allocations: [Allocation]) {
        func value(_ slot: ParameterSlot) -> Double { v[slot.rawValue] }
        let price = value(.priceFactor)
        reliefShare = value(.reliefShare)
        reliefGrowth = value(.reliefGrowth)
        regionMoney = value(.lottery) + value(.donations)
        fiscal = FiscalMoney()
        for i in allocations.indices {
            let amount = v[Scenario.fiscalSlot(i)]
            switch allocations[i] {
            case .population: fiscal.byPopulation += amount
            case .equal: fiscal.equal += amount
            case .uncovered: fiscal.uncovered += amount
            case .need: fiscal.need += amount
            }
        }
        contract = PerKind(value(.stationContractStreet) * price, value(.stationContractTown) * price,
                           value(.roomContractUrban) * price, value(.roomContractRural) * price)
        stationBuild = value(.stationBuild) * price
        roomBuild = value(.roomBuild) * price
        staffing = PerKind(Int(value(.staffingStreet)), Int(value(.staffingTown)), Int(value(.staffingUrbanRoom)), Int(value(.staffingRuralRoom)))
        stationShare = value(.stationShare)
        subsidyJunior = value(.subsidyJunior)
        subsidyIntermediate = value(.subsidyIntermediate)
        subsidySenior = value(.subsidySenior)
        awardPool = value(.awardPool)
        awardCount = Int(value(.awardCount))
        awardAmount = value(.awardAmount)
        trainingShare = value(.trainingShare)
        costPerTrainee = value(.costPerTrainee)
        passBoost = value(.passBoost)
        graduates = Int(value(.graduates))
        entryRate = value(.entryRate)
        takeJunior = value(.examTakeJunior)
        takeIntermediate = value(.examTakeIntermediate)
        takeSenior = value(.examTakeSenior)
        passJunior = value(.passRateJunior)
        passIntermediate = value(.passRateIntermediate)
        passSenior = value(.passRateSenior)
        attritionUncertified = value(.attritionUncertified)
        attritionJunior = value(.attritionJunior)
        attritionIntermediate = value(.attritionIntermediate)
        attritionSenior = value(.attritionSenior)
        referenceWage = value(.referenceWage)
        subsidyElasticity = value(.subsidyElasticity)
        awardElasticity = value(.awardElasticity)
        contractsPerAgency = Int(value(.contractsPerAgency))
        failureRate = value(.failureRate)
        agencyEntryPer10M = value(.agencyEntryPer10M)
        agencyExitRate = value(.agencyExitRate)
        maxNewUnits = Int(value(.maxNewUnitsPerYear))
    }
}

/// One district's flows in one year that no later step reads: handed to the
/// observer (tests record them; statistics ignore them and the compiler
/// drops them) instead of being stored in the workspace.
struct DistrictFlows {
    var carryIn = 0.0, revenue = 0.0, due = 0.0, paid = 0.0
    var contracts = 0.0, build = 0.0, training = 0.0, lapsed = 0.0
    var renewed = PerKind<Int>(), opened = PerKind<Int>(), leavers = PerKind<Int>()
    var entrants = 0, passJunior = 0, passIntermediate = 0, passSenior = 0
    var agencyEntries = 0, agencyExits = 0
}

/// ⌊budget / unitCost⌋ as a count the budget can really pay for: the largest
/// n with n·unitCost ≤ budget as computed in floating point (the quotient
/// alone can be off by one either way), never negative, and unlimited when
/// the unit is free. Paying n·unitCost therefore never drives a budget below 0.
@inline(__always)
func affordable(_ budget: Double, _ unitCost: Double) -> Int {
    if unitCost <= 0 { return Int.max }
    let quotient = budget / unitCost
    guard quotient > 0 else { return 0 }
    if quotient >= 9e15 { return Int.max }
    var n = Int(quotient)
    if Double(n) * unitCost > budget {
        n -= 1
    } else if Double(n + 1) * unitCost <= budget {
        n += 1
    }
    return n
}
