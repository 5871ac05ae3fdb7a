import Foundation
import SimfundStochastics

/// Receives each simulated year of a replicate (statistics accumulators,
/// trajectory recorders in tests).
protocol YearObserver {
    mutating func record(replicate: Int, yearIndex: Int, workspace: borrowing Workspace)
}

/// The model of MODEL.md section 3, compiled from a scenario: constants laid
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

    init(scenario: Scenario, seed: UInt64) {
        self.scenario = scenario
        self.seed = seed
        districtCount = scenario.districts.count
        years = scenario.years
        let parameters = scenario.parameters
        self.parameters = parameters
        let schedules = scenario.schedules
        replicateSlots = parameters.indices.filter { !parameters[$0].isFixed && parameters[$0].per == .replicate && schedules[$0] == nil }
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
            stream.select(seed: seed, key: StreamKey(replicate: r, year: 0, unit: slot, purpose: .parameter))
            draw(slot, ws: &ws, stream: &stream)
        }
        // `uncovered` allocation in year 1 uses step 10 applied to the file's
        // state, with year 1's parameters (step 1 redraws the same values:
        // each parameter's stream is keyed by year).
        drawYearParameters(year: 1, replicate: r, ws: &ws, stream: &stream)
        for d in 0..<districtCount {
            staff(d, ws)
            ws.staffedStationsBefore[d] = ws.staffed[d] + ws.staffed[districtCount + d]
        }
        for t in 1...years {
            step(year: t, replicate: r, ws: &ws, stream: &stream)
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

    /// One year, MODEL.md section 3 steps 1–12.
    func step(year t: Int, replicate r: Int, ws: inout Workspace, stream: inout RandomStream) {
        let D = districtCount
        let v = ws.values

        // 1. Shocks: every per-year parameter, each from its own stream.
        drawYearParameters(year: t, replicate: r, ws: &ws, stream: &stream)
        let growth = v[ParameterSlot.reliefGrowth.rawValue]
        let reliefShare = v[ParameterSlot.reliefShare.rawValue]
        let regionMoney = v[ParameterSlot.lottery.rawValue] + v[ParameterSlot.donations.rawValue]
        let price = v[ParameterSlot.priceFactor.rawValue]
        let contractCost = (v[ParameterSlot.stationContractStreet.rawValue] * price, v[ParameterSlot.stationContractTown.rawValue] * price,
                            v[ParameterSlot.roomContractUrban.rawValue] * price, v[ParameterSlot.roomContractRural.rawValue] * price)
        let stationBuild = v[ParameterSlot.stationBuild.rawValue] * price
        let roomBuild = v[ParameterSlot.roomBuild.rawValue] * price
        let subsidy = (v[ParameterSlot.subsidyJunior.rawValue], v[ParameterSlot.subsidyIntermediate.rawValue], v[ParameterSlot.subsidySenior.rawValue])
        let trainingShare = v[ParameterSlot.trainingShare.rawValue]
        let costPerTrainee = v[ParameterSlot.costPerTrainee.rawValue]
        let contractsPerAgency = Int(v[ParameterSlot.contractsPerAgency.rawValue])
        let maxNewUnits = Int(v[ParameterSlot.maxNewUnitsPerYear.rawValue])
        let failureRate = v[ParameterSlot.failureRate.rawValue]

        // Region-wide, from start-of-year counts: awards (step 8) and the
        // graduate split (step 9), and the fiscal allocation shares.
        var certifiedAtStart = 0
        for d in 0..<D { certifiedAtStart += ws.junior[d] + ws.intermediate[d] + ws.senior[d] }
        awards(certifiedAtStart: certifiedAtStart, ws: &ws)
        splitGraduates(year: t, replicate: r, ws: &ws, stream: &stream)

        var fiscalByPopulation = 0.0, fiscalEqual = 0.0, fiscalUncovered = 0.0, fiscalNeed = 0.0
        for i in fiscalAllocations.indices {
            let amount = v[Scenario.fiscalSlot(i)]
            switch fiscalAllocations[i] {
            case .population: fiscalByPopulation += amount
            case .equal: fiscalEqual += amount
            case .uncovered: fiscalUncovered += amount
            case .need: fiscalNeed += amount
            }
        }
        var unstaffedTotal = 0
        for d in 0..<D { unstaffedTotal += ws.places[d] + ws.places[D + d] - ws.staffedStationsBefore[d] }
        var needTotal = 0.0
        if fiscalNeed > 0 {
            for d in 0..<D { needTotal += need(d, ws, contractCost: contractCost, stationBuild: stationBuild) }
        }

        ws.totals = YearTotals(placesTownships: placesTownships, placesCommunities: placesCommunities, population: totalPopulation)
        ws.totals.spendAwards = Double(ws.awardsGiven) * v[ParameterSlot.awardAmount.rawValue]
        for d in 0..<D {
            // 2. Revenue.
            // Capped like every amount (10¹⁵ yuan), so growth cannot overflow to infinity.
            ws.relief[d] = min(ws.relief[d] * (1 + growth), ScenarioSchema.maximumMoney)
            let uncoveredShare = unstaffedTotal > 0
                ? Double(ws.places[d] + ws.places[D + d] - ws.staffedStationsBefore[d]) / Double(unstaffedTotal)
                : ws.populationShares[d]
            // Read before district d's renewal below, so from its start-of-year units.
            let needShare = fiscalNeed > 0 ? self.needShare(d, total: needTotal, ws, contractCost: contractCost, stationBuild: stationBuild) : 0
            // Without a `need` line the extra term adds exactly 0.0: other scenarios' sums are unchanged.
            let revenue = reliefShare * ws.relief[d]
                + fiscalByPopulation * ws.populationShares[d] + fiscalEqual / Double(D) + fiscalUncovered * uncoveredShare
                + fiscalNeed * needShare
                + regionMoney * ws.populationShares[d]
            ws.carryIn[d] = ws.carry[d]
            ws.revenue[d] = revenue
            var budget = ws.carry[d] + revenue

            // 3. Subsidies.
            let due = 12 * (subsidy.0 * Double(ws.junior[d]) + subsidy.1 * Double(ws.intermediate[d]) + subsidy.2 * Double(ws.senior[d]))
            let paid = min(due, budget)
            ws.due[d] = due
            ws.paid[d] = paid
            ws.paidShare[d] = due > 0 ? paid / due : 1
            budget -= paid

            // 4. Renewal, in class order; units not renewed close.
            var contracts = 0.0
            var underContract = 0
            for k in 0..<4 {
                let i = k * D + d
                let cost = unitCost(contractCost, k)
                let renewed = min(ws.units[i], affordable(budget, cost))
                budget -= Double(renewed) * cost
                ws.units[i] = renewed
                ws.renewed[i] = renewed
                underContract += renewed
            }

            // 5. Training (not scaled by the price factor).
            var trainees = 0
            if costPerTrainee > 0 {
                trainees = min(affordable(trainingShare * budget, costPerTrainee), ws.uncertified[d])
                budget -= Double(trainees) * costPerTrainee
            }
            ws.trainees[d] = trainees
            ws.spendTraining[d] = Double(trainees) * costPerTrainee

            // 6. Expansion, limited by agency capacity, the yearly cap and money.
            // Saturating: agencies × contractsPerAgency cannot overflow even for absurd inputs.
            let (slots, overflow) = ws.agencies[d].multipliedReportingOverflow(by: contractsPerAgency)
            var capacity = overflow ? Int.max : max(0, slots - underContract)
            var left = maxNewUnits
            var build = 0.0
            for k in 0..<4 {
                let i = k * D + d
                let cost = unitCost(contractCost, k)
                let buildCost = k < 2 ? stationBuild : roomBuild
                // Two-argument mins: the variadic min(_:_:_:_:) allocates an array.
                let opened = min(min(ws.places[i] - ws.units[i], capacity), min(left, affordable(budget, buildCost + cost)))
                budget -= Double(opened) * (buildCost + cost)
                build += Double(opened) * buildCost
                ws.units[i] += opened
                ws.opened[i] = opened
                capacity -= opened
                left -= opened
            }

            // 7. Failures: dark for the year, their contract money returns.
            stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .failures))
            for k in 0..<4 {
                let i = k * D + d
                let failed = stream.binomial(ws.units[i], failureRate)
                let cost = unitCost(contractCost, k)
                budget += Double(failed) * cost
                // Net of refunds, from counts: never below 0 by rounding.
                contracts += Double(ws.units[i] - failed) * cost
                ws.failed[i] = failed
            }
            ws.spendContracts[d] = contracts
            ws.spendBuild[d] = build

            // 9. Workforce.
            workforce(district: d, year: t, replicate: r, ws: &ws, stream: &stream)

            // 10. Staffing.
            staff(d, ws)
            ws.staffedStationsBefore[d] = ws.staffed[d] + ws.staffed[D + d]

            // 11. Agencies: entry from this year's net contract spending, exit from the start count.
            stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .agencyEntry))
            // At most 10⁹ new agencies a year: only absurd inputs reach the cap (docs/model.md).
            let entries = stream.poisson(min(v[ParameterSlot.agencyEntryPer10M.rawValue] * contracts / 1e7, 1e9))
            stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .agencyExit))
            let exits = stream.binomial(ws.agencies[d], v[ParameterSlot.agencyExitRate.rawValue])
            ws.agencies[d] += entries - exits
            ws.agencyEntries[d] = entries
            ws.agencyExits[d] = exits

            // 12. Carry.
            ws.budget[d] = budget
            ws.carry[d] = scenario.carryOver ? budget : 0
            ws.lapsed[d] = scenario.carryOver ? 0 : budget

            accumulateTotals(d, ws: &ws)
        }
    }

    private func drawYearParameters(year t: Int, replicate r: Int, ws: inout Workspace, stream: inout RandomStream) {
        for slot in yearSlots {
            stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: slot, purpose: .parameter))
            draw(slot, ws: &ws, stream: &stream)
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
            stream.select(seed: seed, key: StreamKey(replicate: r, year: parameter.per == .year ? t : 0, unit: slot, purpose: .parameter))
            ws.values[slot] = parameter.draw(&stream)
        }
    }

    /// `allocate: need` (docs/model.md): district d's cost, at this year's
    /// prices (`contractCost` and `stationBuild` include φ), of renewing every
    /// unit it has under contract and of opening a station in every township
    /// without one. Reads the units as they stand when called: at the start
    /// of the year, before any renewal of district d.
    private func need(_ d: Int, _ ws: borrowing Workspace, contractCost: (Double, Double, Double, Double), stationBuild: Double) -> Double {
        let D = districtCount
        var need = 0.0
        for k in 0..<4 { need += Double(ws.units[k * D + d]) * unitCost(contractCost, k) }
        for k in 0..<2 { need += Double(ws.places[k * D + d] - ws.units[k * D + d]) * (stationBuild + unitCost(contractCost, k)) }
        return need
    }

    /// District d's share of the `need` lines: need_d / Σ need, population
    /// shares when no district needs anything.
    private func needShare(_ d: Int, total: Double, _ ws: borrowing Workspace, contractCost: (Double, Double, Double, Double), stationBuild: Double) -> Double {
        total > 0 ? need(d, ws, contractCost: contractCost, stationBuild: stationBuild) / total : ws.populationShares[d]
    }

    /// One clamped draw of parameter `slot`. Validation bounds every
    /// distribution so draws stay finite; should one not be, the run reports
    /// an internal error (the slot is remembered) instead of trapping on it.
    @inline(__always)
    private func draw(_ slot: Int, ws: inout Workspace, stream: inout RandomStream) {
        let drawn = parameters[slot].distribution.sample(&stream)
        if drawn.isFinite {
            ws.values[slot] = parameters[slot].clamp(drawn)
        } else {
            if ws.nonFiniteSlot == nil { ws.nonFiniteSlot = slot }
            ws.values[slot] = parameters[slot].clamp(0)
        }
    }

    /// The scenario path of a parameter slot, for messages.
    func parameterPath(_ slot: Int) -> String {
        slot < ParameterSlot.allCases.count ? ParameterSlot.allCases[slot].path : "budget.fiscal.\(slot - ParameterSlot.allCases.count).amount"
    }

    @inline(__always)
    private func unitCost(_ costs: (Double, Double, Double, Double), _ k: Int) -> Double {
        switch k {
        case 0: return costs.0
        case 1: return costs.1
        case 2: return costs.2
        default: return costs.3
        }
    }

    /// Step 8, region-wide: awards paid from their own pool.
    private func awards(certifiedAtStart: Int, ws: inout Workspace) {
        let v = ws.values
        let amount = v[ParameterSlot.awardAmount.rawValue]
        let count = Int(v[ParameterSlot.awardCount.rawValue])
        let given = amount > 0 ? min(count, affordable(v[ParameterSlot.awardPool.rawValue], amount)) : 0
        ws.awardsGiven = given
        ws.awardIntensity = Double(given) * amount / (Double(max(1, certifiedAtStart)) * v[ParameterSlot.referenceWage.rawValue])
    }

    /// Step 9's region part: graduates G split over districts by population.
    private func splitGraduates(year t: Int, replicate r: Int, ws: inout Workspace, stream: inout RandomStream) {
        let total = Int(ws.values[ParameterSlot.graduates.rawValue])
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
    private func workforce(district d: Int, year t: Int, replicate r: Int, ws: inout Workspace, stream: inout RandomStream) {
        let v = ws.values
        let U = ws.uncertified[d], J = ws.junior[d], I = ws.intermediate[d], S = ws.senior[d]

        stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .entrants))
        let entrants = stream.binomial(Int(ws.graduates[d]), v[ParameterSlot.entryRate.rawValue])

        stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .juniorExam))
        let takers = stream.binomial(U, v[ParameterSlot.examTakeJunior.rawValue])
        let cover = min(1, Double(ws.trainees[d]) / Double(max(1, takers)))
        let passProbability = min(1, v[ParameterSlot.passRateJunior.rawValue] * (1 + v[ParameterSlot.passBoost.rawValue] * cover))
        let passJ = stream.binomial(takers, passProbability)

        stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .intermediateExam))
        // Binomial(Binomial(J, take), pass) is Binomial(J, take·pass): one draw instead of two.
        let passI = stream.binomial(J, v[ParameterSlot.examTakeIntermediate.rawValue] * v[ParameterSlot.passRateIntermediate.rawValue])

        stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .seniorExam))
        let passS = stream.binomial(I, v[ParameterSlot.examTakeSenior.rawValue] * v[ParameterSlot.passRateSenior.rawValue])

        let u = U + entrants - passJ, j = J + passJ - passI, i = I + passI - passS, s = S + passS

        // Attrition: retention incentives x_c lower the leaving rate a_c·exp(−x_c).
        let wage = v[ParameterSlot.referenceWage.rawValue]
        let subsidyTerm = v[ParameterSlot.subsidyElasticity.rawValue] * 12 * ws.paidShare[d] / wage
        let awardTerm = v[ParameterSlot.awardElasticity.rawValue] * ws.awardIntensity
        stream.select(seed: seed, key: StreamKey(replicate: r, year: t, unit: d, purpose: .attrition))
        let leaveU = stream.binomial(u, v[ParameterSlot.attritionUncertified.rawValue])
        let leaveJ = stream.binomial(j, v[ParameterSlot.attritionJunior.rawValue] * exp(-(subsidyTerm * v[ParameterSlot.subsidyJunior.rawValue] + awardTerm)))
        let leaveI = stream.binomial(i, v[ParameterSlot.attritionIntermediate.rawValue] * exp(-(subsidyTerm * v[ParameterSlot.subsidyIntermediate.rawValue] + awardTerm)))
        let leaveS = stream.binomial(s, v[ParameterSlot.attritionSenior.rawValue] * exp(-(subsidyTerm * v[ParameterSlot.subsidySenior.rawValue] + awardTerm)))

        ws.uncertified[d] = u - leaveU
        ws.junior[d] = j - leaveJ
        ws.intermediate[d] = i - leaveI
        ws.senior[d] = s - leaveS
        ws.entrants[d] = entrants
        ws.passJunior[d] = passJ
        ws.passIntermediate[d] = passI
        ws.passSenior[d] = passS
        let D = districtCount
        ws.leavers[d] = leaveU
        ws.leavers[D + d] = leaveJ
        ws.leavers[2 * D + d] = leaveI
        ws.leavers[3 * D + d] = leaveS
    }

    /// Step 10: a share of all talent staffs working units in class order.
    private func staff(_ d: Int, _ ws: borrowing Workspace) {
        let v = ws.values
        let D = districtCount
        let talent = ws.uncertified[d] + ws.junior[d] + ws.intermediate[d] + ws.senior[d]
        var pool = Int((v[ParameterSlot.stationShare.rawValue] * Double(talent)).rounded(.down))
        for k in 0..<4 {
            let i = k * D + d
            let need = Int(v[ParameterSlot.staffingStreet.rawValue + k])
            let working = ws.units[i] - ws.failed[i]
            let staffed = need > 0 ? min(working, pool / need) : working
            pool -= staffed * need
            ws.staffed[i] = staffed
        }
    }

    private func accumulateTotals(_ d: Int, ws: inout Workspace) {
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
        ws.totals.due += ws.due[d]
        ws.totals.paid += ws.paid[d]
        ws.totals.spendContracts += ws.spendContracts[d]
        ws.totals.spendBuild += ws.spendBuild[d]
        ws.totals.spendTraining += ws.spendTraining[d]
        ws.totals.carry += ws.carry[d]
        ws.totals.revenue += ws.revenue[d]
    }
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
