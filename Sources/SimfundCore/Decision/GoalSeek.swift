import Dispatch
import Foundation
import SimfundStochastics
import Synchronization

/// What `simfund goal` is asked: the lever, its range, the targets that must
/// be met together, and with what probability.
public struct GoalQuestion: Sendable {
    public var lever: NumericLever
    public var low: Double
    public var high: Double
    /// 0-based positions in the scenario's targets; all of them must be met in a replicate.
    public var targets: [Int]
    /// The probability to reach, 0 < P < 1.
    public var probability: Double
    public var replicates: Int
    public var seed: UInt64
    /// Points of the curve (and of the non-monotone check), LOW and HIGH included.
    public var gridPoints = 21

    public init(lever: NumericLever, low: Double, high: Double, targets: [Int], probability: Double, replicates: Int, seed: UInt64) {
        self.lever = lever
        self.low = low
        self.high = high
        self.targets = targets
        self.probability = probability
        self.replicates = replicates
        self.seed = seed
    }
}

/// Why a goal question cannot be asked of this scenario (exit status 2).
public struct GoalProblem: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The answer of `simfund goal` (docs/model.md, "Goal seek"), written as
/// goal.json and goal.csv and read back by ``init(goalJSON:file:)``.
public struct GoalResult: Sendable, Equatable {
    public enum Direction: String, Sendable, Equatable {
        /// Raising the lever helps: the answer is the least value that reaches P.
        case increasing
        /// Raising the lever hurts: the answer is the greatest value that still reaches P.
        case decreasing
    }

    /// Why the answer is what it is, beyond "found".
    public enum Outcome: String, Sendable, Equatable {
        /// A value inside the range reaches P.
        case found
        /// LOW already reaches P (for a decreasing lever: even HIGH still does).
        case alreadyMet
        /// No value of the range reaches P.
        case notReached
        /// The search's answer does not hold on the replicates (outcomes not monotone in the lever) and no grid value reaches P.
        case nonMonotone
    }

    public struct Point: Sendable, Equatable {
        public var value: Double
        public var probability: Proportion
    }

    public struct Confirmation: Sendable, Equatable {
        public var seed: UInt64
        public var probability: Proportion
    }

    public var scenarioName: String
    public var lever: String
    public var low: Double
    public var high: Double
    public var probability: Double
    /// 1-based positions of the targets met together.
    public var targets: [Int]
    public var seed: UInt64
    public var replicates: Int
    public var wholeNumbers: Bool
    public var unit: LeverUnit
    public var direction: Direction
    /// The bisection's precision, in the lever's units.
    public var precision: Double
    public var outcome: Outcome
    /// nil when no value of the range reaches P.
    public var answer: Double?
    /// The answer's distribution-free 95% interval; nil bounds lie beyond the range.
    public var answerLow: Double?
    public var answerHigh: Double?
    /// "quantile" (of the replicates' critical values) or "grid" (moved to a grid value because outcomes are not monotone).
    public var method: String
    public var confirmation: Confirmation?
    /// Share of replicates whose outcomes along the grid are not a single step.
    public var nonMonotone: Double
    public var curve: [Point]
}

/// Goal seek on common random numbers (docs/model.md, "Goal seek").
public enum GoalSeek {
    /// Relative precision of the bisection: the critical value is known to (HIGH − LOW) · 1e-4.
    public static let relativePrecision = 1e-4
    /// Replicates per scheduling chunk.
    static let chunkSize = 16

    /// The seed of the confirmation run: the first output of SplitMix64 started at `seed`.
    public static func confirmationSeed(_ seed: UInt64) -> UInt64 {
        var z = seed &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Whether the lever takes whole numbers only (counts).
    static func wholeNumbers(_ lever: NumericLever) -> Bool {
        switch lever.kind {
        case let .plain(_, role, _): return role == .count
        case let .district(_, _, whole, _, _): return whole
        case let .scheduleEntry(slot, entry, field):
            return field == nil && lever.base.schedules[slot]?.entries[entry].parameter.role == .count
        case .distributionField: return false
        }
    }

    /// Checks the question against the scenario: the lever accepts LOW and HIGH, the targets exist.
    public static func check(_ question: GoalQuestion, scenario: Scenario) -> GoalProblem? {
        let path = question.lever.path
        guard question.low < question.high else { return GoalProblem("--lever \(path): expected LOW < HIGH, found \(jsonNumber(question.low)):\(jsonNumber(question.high))") }
        for value in [question.low, question.high] {
            if case let .failure(problem) = question.lever.change(to: value) {
                return GoalProblem("--lever \(path)=\(jsonNumber(question.low)):\(jsonNumber(question.high)): \(problem), found \(jsonNumber(value))")
            }
        }
        if wholeNumbers(question.lever), question.low != question.low.rounded() || question.high != question.high.rounded() {
            return GoalProblem("--lever \(path): expected whole numbers for LOW and HIGH (the field counts), found \(jsonNumber(question.low)):\(jsonNumber(question.high))")
        }
        if scenario.targets.isEmpty { return GoalProblem("the scenario has no \"targets\": goal seek needs at least one target to meet") }
        for t in question.targets where !scenario.targets.indices.contains(t) {
            return GoalProblem("--target \(t + 1): expected a target position from 1 to \(scenario.targets.count) (the scenario has \(scenario.targets.count) target\(scenario.targets.count == 1 ? "" : "s"))")
        }
        return nil
    }

    /// The lever's grid: `points` values from LOW to HIGH (whole numbers, without repeats, for counts).
    static func grid(low: Double, high: Double, points: Int, whole: Bool) -> [Double] {
        var values: [Double] = []
        for i in 0..<points {
            var v = i == points - 1 ? high : low + (high - low) * Double(i) / Double(points - 1)
            if whole { v = v.rounded() }
            if values.last != v { values.append(v) }
        }
        return values
    }

    /// Answers the question. Bit-identical for any `threads`.
    /// - Precondition: ``check(_:scenario:)`` found no problem.
    public static func run(_ question: GoalQuestion, scenario: Scenario, threads: Int, control: RunControl? = nil) throws(RunFailure) -> GoalResult {
        let whole = wholeNumbers(question.lever)
        let grid = grid(low: question.low, high: question.high, points: question.gridPoints, whole: whole)
        let precision = whole ? 1 : (question.high - question.low) * relativePrecision
        let n = question.replicates
        let G = grid.count
        let targets = question.targets.map { scenario.targets[$0] }

        // Pass 1: every replicate at every grid value (the curve, the direction, the non-monotone check).
        let makeEvaluator: @Sendable () -> GoalEvaluator = { GoalEvaluator(question: question, scenario: scenario, targets: targets, grid: grid) }
        let gridMet = try filled(n * G, false) { (buffer) throws(RunFailure) in
            // Each replicate's cells are written by one worker only.
            nonisolated(unsafe) let slots = buffer
            try parallel(n, threads: threads, control: control, makeEvaluator) { (evaluator, range) throws(RunFailure) in
                for r in range {
                    for i in 0..<G { slots[r * G + i] = try evaluator.met(replicate: r, at: grid[i]) }
                }
            }
        }
        // The direction: raising the lever helps when HIGH meets the targets at least as often as LOW.
        let metAt = (0..<G).map { i in (0..<n).reduce(0) { $0 + (gridMet[$1 * G + i] ? 1 : 0) } }
        let direction: GoalResult.Direction = metAt[G - 1] >= metAt[0] ? .increasing : .decreasing
        var nonMonotoneCount = 0
        for r in 0..<n {
            let row = gridMet[(r * G)..<(r * G + G)]
            // A single step: one change at most, the right way round.
            let changes = zip(row.dropLast(), row.dropFirst()).filter { $0 != $1 }.count
            let rightWay = direction == .increasing ? (row.first == false || row.allSatisfy { $0 }) : (row.last == false || row.allSatisfy { $0 })
            if changes > 1 || (changes == 1 && !rightWay) { nonMonotoneCount += 1 }
        }
        // Pass 2: each replicate's critical value, by bisection inside its grid bracket.
        let critical = try filled(n, 0.0) { (buffer) throws(RunFailure) in
            nonisolated(unsafe) let slots = buffer
            try parallel(n, threads: threads, control: control, makeEvaluator) { (evaluator, range) throws(RunFailure) in
                for r in range {
                    slots[r] = try criticalValue(r, row: Array(gridMet[(r * G)..<(r * G + G)]), grid: grid, direction: direction,
                                                 precision: precision, whole: whole, evaluator: evaluator)
                }
            }
        }

        // The answer: the P-quantile of the critical values, in the direction's order.
        let ordered = direction == .increasing ? critical.sorted() : critical.sorted(by: >)
        let rank = quantileRank(n: n, probability: question.probability)
        let (lowerRank, upperRank) = confidenceRanks(n: n, probability: question.probability)
        func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
        var answer = finite(ordered[rank - 1])
        // Ranks beyond the replicates: the interval reaches past the range's end.
        let nearEnd = direction == .increasing ? question.low : question.high
        let fromNear: Double? = lowerRank >= 1 ? finite(ordered[lowerRank - 1]) : nearEnd
        let fromFar: Double? = upperRank <= n ? finite(ordered[upperRank - 1]) : nil
        var answerLow = direction == .increasing ? fromNear : fromFar
        var answerHigh = direction == .increasing ? fromFar : fromNear
        var method = "quantile"
        var outcome: GoalResult.Outcome = answer == nil ? .notReached : answer == nearEnd ? .alreadyMet : .found

        let curve = zip(grid, metAt).map { GoalResult.Point(value: $0, probability: Proportion(successes: $1, trials: n)) }
        // Outcomes not monotone in the lever: the quantile assumes every replicate stays met beyond its
        // critical value. Check that at the answer directly; if too few are met there, take the nearest
        // grid value beyond it whose share met reaches P.
        if nonMonotoneCount > 0, let found = answer {
            let metThere = Atomic<Int>(0)
            try parallel(n, threads: threads, control: nil, makeEvaluator) { (evaluator, range) throws(RunFailure) in
                var count = 0
                for r in range where try evaluator.met(replicate: r, at: found) { count += 1 }
                metThere.add(count, ordering: .relaxed)
            }
            if Double(metThere.load(ordering: .relaxed)) < question.probability * Double(n) {
                method = "grid"
                let beyond = curve.filter { point in
                    (direction == .increasing ? point.value > found : point.value < found) && point.probability.estimate >= question.probability
                }
                let moved = direction == .increasing ? beyond.first?.value : beyond.last?.value
                answer = moved
                if let moved {
                    // Beyond the answer, so never the near end of the range.
                    outcome = .found
                    if direction == .increasing { answerHigh = answerHigh.map { max($0, moved) } } else { answerLow = answerLow.map { min($0, moved) } }
                } else {
                    answerLow = nil
                    answerHigh = nil
                    outcome = .nonMonotone
                }
            }
        }

        // Confirmation: the scenario at the answer, fresh seed, same replicates, the model's own streams.
        var confirmation: GoalResult.Confirmation?
        if let answer, case let .success(change) = question.lever.change(to: answer) {
            let seed = confirmationSeed(question.seed)
            let confirmed = scenario.applying([change])
            let metCount = Atomic<Int>(0)
            try parallel(n, threads: threads, control: control, { ReplicateProbe(scenario: confirmed, seed: seed, targets: targets) }) { (probe, range) throws(RunFailure) in
                var count = 0
                for r in range {
                    try probe.run(replicate: r)
                    if targets.indices.allSatisfy({ probe.met($0) }) { count += 1 }
                }
                metCount.add(count, ordering: .relaxed)
            }
            confirmation = GoalResult.Confirmation(seed: seed, probability: Proportion(successes: metCount.load(ordering: .relaxed), trials: n))
        }

        return GoalResult(scenarioName: scenario.name, lever: question.lever.path, low: question.low, high: question.high,
                          probability: question.probability, targets: question.targets.map { $0 + 1 }, seed: question.seed, replicates: n,
                          wholeNumbers: whole, unit: LeverUnit.of(question.lever), direction: direction, precision: precision, outcome: outcome, answer: answer,
                          answerLow: answerLow, answerHigh: answerHigh, method: method, confirmation: confirmation,
                          nonMonotone: Double(nonMonotoneCount) / Double(n), curve: curve)
    }

    /// Replicate r's critical value: for an increasing lever the least value at which its
    /// targets are met (LOW when met there, +∞ when not met even at HIGH); for a decreasing
    /// one the greatest (HIGH when still met there, −∞ when not met even at LOW). Found by
    /// bisection inside the grid interval where the outcome first changes, to `precision`.
    static func criticalValue(_ r: Int, row: [Bool], grid: [Double], direction: GoalResult.Direction, precision: Double, whole: Bool,
                              evaluator: GoalEvaluator) throws(RunFailure) -> Double {
        let G = grid.count
        // (met side, unmet side) of the bracket.
        var met: Double, unmet: Double
        switch direction {
        case .increasing:
            guard let first = row.firstIndex(of: true) else { return .infinity }
            if first == 0 { return grid[0] }
            (met, unmet) = (grid[first], grid[first - 1])
        case .decreasing:
            guard let last = row.lastIndex(of: true) else { return -.infinity }
            if last == G - 1 { return grid[G - 1] }
            (met, unmet) = (grid[last], grid[last + 1])
        }
        while abs(met - unmet) > precision {
            var middle = (met + unmet) / 2
            if whole { middle = middle.rounded(.down) }
            if middle == met || middle == unmet { break }
            if try evaluator.met(replicate: r, at: middle) { met = middle } else { unmet = middle }
        }
        return met
    }

    /// The rank k (1-based) of the P-quantile among n ordered values: the least k with k ≥ P·n.
    static func quantileRank(n: Int, probability p: Double) -> Int {
        // The small allowance keeps P·n = 900 (P = 0.9, n = 1000) at 900 despite rounding.
        min(n, max(1, Int((p * Double(n) - 1e-9).rounded(.up))))
    }

    /// Ranks (l, u), 1-based, of the distribution-free 95% interval [x₍ₗ₎, x₍ᵤ₎] for the P-quantile:
    /// with B ~ Binomial(n, P), l is the largest rank with Pr(B ≤ l − 1) ≤ 0.025 and u the least
    /// with Pr(B ≥ u) ≤ 0.025, so the interval covers the quantile with probability ≥ 95%.
    /// l = 0 or u = n + 1 say the interval is open at that end.
    static func confidenceRanks(n: Int, probability p: Double) -> (lower: Int, upper: Int) {
        let cdf = binomialCDF(n: n, p: p)
        var lower = 0
        while lower + 1 <= n, cdf[lower] <= 0.025 { lower += 1 }
        // cdf[j] = Pr(B ≤ j); Pr(B ≥ u) = 1 − cdf[u − 1].
        var upper = n + 1
        while upper - 1 >= 1, 1 - cdf[upper - 2] <= 0.025 { upper -= 1 }
        return (lower, upper)
    }

    /// Pr(B ≤ j) for j = 0…n, B ~ Binomial(n, p), from the probabilities in log space.
    static func binomialCDF(n: Int, p: Double) -> [Double] {
        func lgamma(_ x: Double) -> Double { Foundation.lgamma(x) }
        let logP = log(p), logQ = log1p(-p), logN = lgamma(Double(n) + 1)
        var cdf = [Double](repeating: 0, count: n + 1)
        var sum = 0.0
        for j in 0...n {
            let x = Double(j)
            sum += exp(logN - lgamma(x + 1) - lgamma(Double(n) - x + 1) + x * logP + (Double(n) - x) * logQ)
            cdf[j] = min(1, sum)
        }
        return cdf
    }

    /// An array of `count` values that `fill` writes by index from several workers (each index once).
    static func filled<T>(_ count: Int, _ initial: T, _ fill: (UnsafeMutableBufferPointer<T>) throws(RunFailure) -> Void) throws(RunFailure) -> [T] {
        var values = [T](repeating: initial, count: count)
        var failure: RunFailure?
        values.withUnsafeMutableBufferPointer { buffer in
            do throws(RunFailure) { try fill(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
        return values
    }

    /// Runs `body` over chunks of replicates 0..<n on up to `threads` workers, each with its own
    /// `make()` (probes own their workspaces). Bodies write results by replicate index only.
    static func parallel<Worker>(_ n: Int, threads: Int, control: RunControl?, _ make: @Sendable () -> Worker,
                                 _ body: @Sendable (Worker, Range<Int>) throws(RunFailure) -> Void) throws(RunFailure) {
        let chunks = (n + chunkSize - 1) / chunkSize
        let workers = max(1, min(threads, chunks))
        let failure = Mutex<RunFailure?>(nil)
        let gslFailures = GSLFailureCollector()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            gslFailures.collect {
                let state = make()
                var index = worker
                while index < chunks, control?.isCancelled != true, failure.withLock({ $0 == nil }) {
                    let first = index * chunkSize
                    let chunk = first..<min(n, first + chunkSize)
                    do throws(RunFailure) { try body(state, chunk) } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                        control?.cancel()
                        break
                    }
                    control?.finished(chunk.count)
                    index += workers
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        if let message = gslFailures.first { throw .gsl(message) }
        if control?.isCancelled == true { throw .cancelled }
    }
}

/// One worker's evaluations of "replicate r meets the targets at lever value v".
/// A parameter lever is held in the workspace (one simulator for every value);
/// other levers rebuild the scenario, with the grid's simulators kept.
final class GoalEvaluator {
    private let question: GoalQuestion
    private let scenario: Scenario
    private let targets: [Target]
    private let heldSlot: Int?
    private var heldProbe: ReplicateProbe?
    private var gridProbes: [Double: ReplicateProbe] = [:]
    private let grid: Set<Double>

    init(question: GoalQuestion, scenario: Scenario, targets: [Target], grid: [Double]) {
        self.question = question
        self.scenario = scenario
        self.targets = targets
        self.grid = Set(grid)
        if case let .plain(slot, _, _) = question.lever.kind, scenario.schedules[slot] == nil {
            heldSlot = slot
            heldProbe = ReplicateProbe(scenario: scenario, seed: question.seed, targets: targets)
        } else {
            heldSlot = nil
        }
    }

    func met(replicate r: Int, at value: Double) throws(RunFailure) -> Bool {
        let probe: ReplicateProbe
        if let heldSlot, let heldProbe {
            var inputs = heldProbe.inputs
            inputs.hold(heldSlot, at: value)
            heldProbe.inputs = inputs
            probe = heldProbe
        } else if let cached = gridProbes[value] {
            probe = cached
        } else {
            guard case let .success(change) = question.lever.change(to: value) else {
                throw RunFailure.gsl("goal seek: \(question.lever.path) = \(jsonNumber(value)) is not a value the lever accepts")
            }
            probe = ReplicateProbe(scenario: scenario.applying([change]), seed: question.seed, targets: targets)
            if grid.contains(value) { gridProbes[value] = probe }
        }
        try probe.run(replicate: r)
        return targets.indices.allSatisfy { probe.met($0) }
    }
}
