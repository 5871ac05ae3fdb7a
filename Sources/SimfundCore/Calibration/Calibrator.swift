import Foundation
import Synchronization
public import SimfundStochastics

/// A per-replicate uncertain parameter that calibration fits: its prior is the
/// file's distribution, truncated to the values the field keeps.
public struct CalibratedParameter: Sendable, Hashable {
    /// Index into ``Scenario/parameters``.
    public var slot: Int
    /// The scenario path, as in the file (`workforce.passRate.junior`).
    public var path: String
    public var prior: Distribution
    /// The distribution's support within the file's clamps and the role's range.
    public var support: ClosedRange<Double>

    /// The prior's log density (up to the truncation's constant); −∞ outside the support.
    func logPrior(_ x: Double) -> Double {
        guard support.contains(x), let density = prior.density(x), density > 0 else { return -.infinity }
        return Foundation.log(density)
    }
}

/// What `simfund calibrate` was asked for (docs/model.md, "Calibrating to history").
public struct CalibrationSettings: Sendable {
    /// Particles per generation.
    public var particles: Int
    /// Generations, counting generation 0 (the prior).
    public var generations: Int
    public var seed: UInt64
    public var threads: Int
    /// Replicates of the posterior predictive check.
    public var predictiveReplicates: Int

    /// Each generation's tolerance is this quantile of the previous generation's distances.
    public static let toleranceQuantile = 0.5
    /// A generation that cannot accept its particles within particles / 0.02
    /// attempts (an acceptance rate below 2%) is abandoned and calibration stops.
    public static let minimumAcceptance = 0.02
    /// The weights cost particles² kernel terms per generation: 20,000
    /// particles are 4 × 10⁸ (seconds); more would take hours.
    public static let maximumParticles = 20_000
    /// Generation numbers key random streams (8 bits) and replicate ids (the
    /// top 8 of 32 bits; 254 is the predictive check's).
    public static let maximumGenerations = 100

    public init(particles: Int, generations: Int, seed: UInt64, threads: Int, predictiveReplicates: Int? = nil) {
        self.particles = particles
        self.generations = generations
        self.seed = seed
        self.threads = threads
        self.predictiveReplicates = predictiveReplicates ?? Swift.max(particles, 1000)
    }
}

/// One generation of ABC-SMC: its particles, their weights and distances.
public struct CalibrationGeneration: Sendable {
    public var tolerance: Double
    /// Particles accepted / attempts made.
    public var acceptance: Double
    /// Effective sample size of the weights, (Σw)² / Σw².
    public var ess: Double
    public var attempts: Int
    /// Particle-major: `values[i * parameterCount + k]`.
    public var values: [Double]
    /// Normalised to sum to 1.
    public var weights: [Double]
    public var distances: [Double]
}

/// The posterior predictive check of one history point.
public struct PredictiveCheck: Sendable {
    public var point: HistoryPoint
    public var p5: Double, p50: Double, p95: Double
    /// The same band under the prior (generation 0's simulations).
    public var priorP5: Double, priorP50: Double, priorP95: Double
    public var inside: Bool { p5 <= point.value && point.value <= p95 }
}

/// Everything `simfund calibrate` reports.
public struct CalibrationResult: Sendable {
    public var parameters: [CalibratedParameter]
    /// Uncertain inputs that are not fitted (drawn every year, scheduled,
    /// discrete or counts): they stay random, drawn from their distributions.
    public var unfitted: [String]
    public var generations: [CalibrationGeneration]
    /// Prior p5, p50, p95 per parameter (from 10,000 draws).
    public var priorQuantiles: [[Double]]
    public var predictive: [PredictiveCheck]
    /// Why calibration stopped, as a sentence.
    public var stopReason: String
    public var settings: CalibrationSettings

    /// The last generation: the posterior sample.
    public var posterior: CalibrationGeneration { generations[generations.count - 1] }

    /// Posterior mean, sd, p5, p50, p95 of parameter `k`.
    public func posteriorSummary(_ k: Int) -> (mean: Double, sd: Double, p5: Double, p50: Double, p95: Double) {
        let d = parameters.count
        let column = posterior.weights.indices.map { posterior.values[$0 * d + k] }
        let (mean, variance) = weightedMoments(column, posterior.weights)
        let q = weightedQuantiles(column, posterior.weights, [0.05, 0.5, 0.95])
        return (mean, variance.squareRoot(), q[0], q[1], q[2])
    }
}

/// Approximate Bayesian computation by sequential Monte Carlo (Toni et al.
/// 2009) with the importance weights and perturbation kernel of Beaumont et
/// al. 2009, over a scenario's per-replicate uncertain parameters
/// (docs/model.md, "Calibrating to history").
///
/// Reproducibility: attempt `a` of generation `g` draws its proposal from a
/// calibration stream keyed (a, g) and simulates replicate id g·2²⁴ + a with
/// the fitted slots held, so its outcome depends on nothing but the seed and
/// (g, a). Attempts are evaluated in batches whose sizes depend only on
/// earlier results, and accepted in index order: the posterior is the same
/// for any thread count.
public enum Calibrator {
    /// Replicate ids: generation in the top 8 bits, attempt in the low 24.
    static let attemptBits = 24
    /// The generation number of the predictive check's replicates (stream year 255).
    static let predictiveGeneration = 254

    /// The parameters calibration fits and the uncertain inputs it leaves random.
    public static func parameters(of scenario: Scenario) -> (fitted: [CalibratedParameter], unfitted: [String]) {
        var fitted: [CalibratedParameter] = [], unfitted: [String] = []
        for input in scenario.uncertainInputs {
            let parameter = scenario.parameters[input.slot]
            guard input.per == .replicate, scenario.schedules[input.slot] == nil, parameter.role != .count,
                  parameter.distribution.density(parameter.distribution.mean) != nil else {
                unfitted.append(input.path)
                continue
            }
            fitted.append(CalibratedParameter(slot: input.slot, path: input.path, prior: parameter.distribution,
                                              support: support(of: parameter)))
        }
        return (fitted, unfitted)
    }

    static func support(of parameter: Parameter) -> ClosedRange<Double> {
        var lower = parameter.distribution.support.lowerBound, upper = parameter.distribution.support.upperBound
        if let clamp = parameter.lowerClamp { lower = Swift.max(lower, clamp) }
        if let clamp = parameter.upperClamp { upper = Swift.min(upper, clamp) }
        let role: ClosedRange<Double>
        switch parameter.role {
        case .rate: role = 0...1
        case .growth: role = -1...ScenarioSchema.maximumGrowth
        case .money, .count: role = 0...ScenarioSchema.maximumMoney
        case .positive: role = -ScenarioSchema.maximumMoney...ScenarioSchema.maximumMoney
        case .free: role = -ScenarioSchema.maximumFree...ScenarioSchema.maximumFree
        }
        lower = Swift.max(lower, role.lowerBound)
        upper = Swift.min(upper, role.upperBound)
        return lower <= upper ? lower...upper : lower...lower
    }

    /// Why the scenario cannot be calibrated, if it cannot (a sentence naming the field).
    public static func problem(_ scenario: Scenario) -> String? {
        if scenario.history.isEmpty {
            return "history: expected at least one observed point ({\"metric\", \"year\", \"value\"}) to calibrate to, found none"
        }
        if scenario.posterior != nil {
            // Its rows would replace the priors being fitted, and calibrated.json would carry two blocks.
            return "posterior: expected a scenario whose priors are its own distributions, found a posterior block (calibrate the scenario it came from instead)"
        }
        if parameters(of: scenario).fitted.isEmpty {
            return "expected at least one parameter drawn once per replicate from a continuous distribution (the priors), found none"
        }
        return nil
    }

    /// The seed of calibration's own streams (proposals, predictive rows),
    /// apart from the model's streams, which use `seed` itself.
    static func calibrationSeed(_ seed: UInt64) -> UInt64 {
        var z = seed &+ 0x63616C6962726174 // "calibrat"
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    /// Runs ABC-SMC. `onGeneration` is called after each generation (for progress lines).
    public static func calibrate(_ scenario: Scenario, settings: CalibrationSettings, control: RunControl? = nil,
                                 onGeneration: (Int, CalibrationGeneration) -> Void = { _, _ in }) throws(RunFailure) -> CalibrationResult {
        let (fitted, unfitted) = parameters(of: scenario)
        precondition(!fitted.isEmpty && !scenario.history.isEmpty, "check Calibrator.problem first")
        let context = Context(scenario: scenario, parameters: fitted, settings: settings)
        let n = settings.particles, d = fitted.count

        // Generation 0: the prior, every draw accepted.
        let first = try context.evaluate(generation: 0, attempts: 0..<n, control: control) { a, stream, theta in
            for k in 0..<d { theta[k] = drawPrior(fitted[k], &stream) }
        }
        var generation = CalibrationGeneration(tolerance: first.distances.max() ?? 0, acceptance: 1, ess: Double(n), attempts: n,
                                               values: first.values, weights: [Double](repeating: 1 / Double(n), count: n),
                                               distances: first.distances)
        let priorSimulated = first.simulated
        var generations = [generation]
        onGeneration(0, generation)
        var stopReason = "reached --generations \(settings.generations)"
        let maximumAttempts = Swift.min(Int((Double(n) / CalibrationSettings.minimumAcceptance).rounded(.up)), 1 << attemptBits)

        for g in 1..<Swift.max(1, settings.generations) {
            let previous = generation
            let tolerance = quantile(previous.distances, CalibrationSettings.toleranceQuantile)
            var kernelSD = [Double](repeating: 0, count: d)
            for k in 0..<d {
                let column = (0..<n).map { previous.values[$0 * d + k] }
                let variance = weightedMoments(column, previous.weights).variance
                // A collapsed coordinate still needs a positive kernel width.
                kernelSD[k] = Swift.max((2 * variance).squareRoot(), 1e-9 * (abs(column[0]) + 1))
            }
            var cumulative = [Double](repeating: 0, count: n)
            var total = 0.0
            for i in 0..<n { total += previous.weights[i]; cumulative[i] = total }
            let proposalSD = kernelSD
            let propose: (Int, inout RandomStream, inout [Double]) -> Void = { _, stream, theta in
                let u = stream.uniform() * total
                var lo = 0, hi = n - 1
                while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] > u { hi = mid } else { lo = mid + 1 } }
                for k in 0..<d { theta[k] = previous.values[lo * d + k] + stream.gaussian(sd: proposalSD[k]) }
            }
            var values: [Double] = [], distances: [Double] = []
            values.reserveCapacity(n * d)
            var attempted = 0, used = 0
            var rate = previous.acceptance
            while distances.count < n, attempted < maximumAttempts {
                let remaining = n - distances.count
                let size = Swift.min(maximumAttempts - attempted, Swift.max(64, Swift.min(8192, Int((Double(remaining) / Swift.max(rate, 0.01) * 1.1).rounded(.up)))))
                let batch = try context.evaluate(generation: g, attempts: attempted..<(attempted + size), control: control, propose: propose)
                for j in 0..<size where distances.count < n && batch.distances[j] <= tolerance {
                    values += batch.values[(j * d)..<((j + 1) * d)]
                    distances.append(batch.distances[j])
                    used = attempted + j + 1
                }
                attempted += size
                rate = Double(distances.count) / Double(attempted)
            }
            guard distances.count == n else {
                stopReason = "generation \(g) accepted fewer than \(n) of \(maximumAttempts) attempts (an acceptance rate below \(Int(CalibrationSettings.minimumAcceptance * 100))%) at tolerance \(calibrationNumber(tolerance))"
                break
            }
            let weights = context.beaumontWeights(values: values, previous: previous, kernelSD: kernelSD)
            generation = CalibrationGeneration(tolerance: tolerance, acceptance: Double(n) / Double(used), ess: effectiveSampleSize(weights),
                                               attempts: used, values: values, weights: weights, distances: distances)
            generations.append(generation)
            onGeneration(g, generation)
        }

        let priorQuantiles = context.priorQuantiles()
        let predictive = try context.predictive(posterior: generation, priorSimulated: priorSimulated, control: control)
        return CalibrationResult(parameters: fitted, unfitted: unfitted, generations: generations, priorQuantiles: priorQuantiles,
                                 predictive: predictive, stopReason: stopReason, settings: settings)
    }

    /// A draw from the truncated prior: draws outside the support are drawn again.
    static func drawPrior(_ parameter: CalibratedParameter, _ stream: inout RandomStream) -> Double {
        for _ in 0..<1000 {
            let x = parameter.prior.sample(&stream)
            if parameter.support.contains(x) { return x }
        }
        // A support the distribution almost never reaches: its nearest end.
        return Swift.min(Swift.max(parameter.prior.mean, parameter.support.lowerBound), parameter.support.upperBound)
    }

    /// The simulation side of calibration: probes, batches, weights.
    struct Context: Sendable {
        let scenario: Scenario
        let parameters: [CalibratedParameter]
        let settings: CalibrationSettings
        let streamSeed: UInt64

        init(scenario: Scenario, parameters: [CalibratedParameter], settings: CalibrationSettings) {
            self.scenario = scenario
            self.parameters = parameters
            self.settings = settings
            streamSeed = Calibrator.calibrationSeed(settings.seed)
        }

        struct Batch {
            var values: [Double]
            var distances: [Double]
            /// Simulated history values, attempt-major (`simulated[a * points + p]`); NaN when not simulated.
            var simulated: [Double]
        }

        /// The simulated value of every history point in the probe's last run.
        static func observe(_ probe: ReplicateProbe, scenario: Scenario, into output: inout [Double], at offset: Int) {
            for (p, point) in scenario.history.enumerated() {
                let y = point.year - scenario.startYear
                if let district = point.district {
                    let isTownship = point.metric == .townshipCoverage
                    let staffed = isTownship ? probe.recorder.staffedStations[district * scenario.years + y]
                        : probe.recorder.staffedRooms[district * scenario.years + y]
                    let places = isTownship ? scenario.districts[district].townships : scenario.districts[district].communities
                    output[offset + p] = places > 0 ? Double(staffed) / Double(places) : 0
                } else {
                    output[offset + p] = probe.value(point.metric, yearIndex: y)
                }
            }
        }

        /// Proposes and simulates every attempt of `attempts` (in parallel, results by index).
        func evaluate(generation g: Int, attempts: Range<Int>, control: RunControl?,
                      propose: @escaping (Int, inout RandomStream, inout [Double]) -> Void) throws(RunFailure) -> Batch {
            let d = parameters.count, points = scenario.history.count, count = attempts.count
            var batch = Batch(values: [Double](repeating: 0, count: count * d), distances: [Double](repeating: .infinity, count: count),
                              simulated: [Double](repeating: .nan, count: count * points))
            let chunkSize = 16
            let chunks = (count + chunkSize - 1) / chunkSize
            let workers = Swift.max(1, Swift.min(settings.threads, chunks))
            let failure = Mutex<String?>(nil)
            let gslFailures = GSLFailureCollector()
            let scenario = self.scenario, parameters = self.parameters, seed = settings.seed, streamSeed = self.streamSeed
            nonisolated(unsafe) let propose = propose
            batch.values.withUnsafeMutableBufferPointer { valuesBuffer in
              batch.distances.withUnsafeMutableBufferPointer { distanceBuffer in
                batch.simulated.withUnsafeMutableBufferPointer { simulatedBuffer in
                  // Each attempt writes only its own slots.
                  nonisolated(unsafe) let (valuesOut, distancesOut, simulatedOut) = (valuesBuffer, distanceBuffer, simulatedBuffer)
                  DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    gslFailures.collect {
                      let probe = ReplicateProbe(scenario: scenario, seed: seed)
                      var stream = RandomStream()
                      var theta = [Double](repeating: 0, count: d)
                      var observed = [Double](repeating: 0, count: points)
                      var index = worker
                      while index < chunks, control?.isCancelled != true {
                        for j in (index * chunkSize)..<Swift.min(count, (index + 1) * chunkSize) {
                          let a = attempts.lowerBound + j
                          stream.select(seed: streamSeed, key: StreamKey(replicate: a, year: g + 1, unit: 0, purpose: .parameter))
                          propose(a, &stream, &theta)
                          for k in 0..<d { valuesOut[j * d + k] = theta[k] }
                          guard (0..<d).allSatisfy({ parameters[$0].support.contains(theta[$0]) }) else { continue }
                          var inputs = probe.inputs
                          for k in 0..<d { inputs.hold(parameters[k].slot, at: theta[k]) }
                          probe.inputs = inputs
                          do {
                            try probe.run(replicate: g << Calibrator.attemptBits | a)
                          } catch {
                            let message: String
                            if case let .gsl(text)? = error as? RunFailure { message = text } else { message = String(describing: error) }
                            failure.withLock { if $0 == nil { $0 = message } }
                            control?.cancel()
                            return
                          }
                          Context.observe(probe, scenario: scenario, into: &observed, at: 0)
                          for p in 0..<points { simulatedOut[j * points + p] = observed[p] }
                          var sum = 0.0
                          for (p, point) in scenario.history.enumerated() {
                            let z = (observed[p] - point.value) / point.sd
                            sum += z * z
                          }
                          distancesOut[j] = sum.squareRoot()
                        }
                        control?.finished(Swift.min(count, (index + 1) * chunkSize) - index * chunkSize)
                        index += workers
                      }
                    }
                  }
                }
              }
            }
            if let message = failure.withLock({ $0 }) { throw .gsl(message) }
            if let message = gslFailures.first { throw .gsl(message) }
            if control?.isCancelled == true { throw .cancelled }
            return batch
        }

        /// Beaumont et al. (2009): w_i ∝ π(θ_i) / Σ_j w_j K(θ_i | θ_j), K a
        /// Gaussian with per-coordinate sd `kernelSD` (its constant cancels).
        func beaumontWeights(values: [Double], previous: CalibrationGeneration, kernelSD: [Double]) -> [Double] {
            let d = parameters.count, n = previous.weights.count
            var logWeights = [Double](repeating: 0, count: n)
            let workers = Swift.max(1, Swift.min(settings.threads, n))
            let parameters = self.parameters
            logWeights.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let out = buffer
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    var exponents = [Double](repeating: 0, count: n)
                    var i = worker
                    while i < n {
                        var logPrior = 0.0
                        for k in 0..<d { logPrior += parameters[k].logPrior(values[i * d + k]) }
                        var largest = -Double.infinity
                        for j in 0..<n {
                            var e = 0.0
                            for k in 0..<d {
                                let z = (values[i * d + k] - previous.values[j * d + k]) / kernelSD[k]
                                e += z * z
                            }
                            exponents[j] = -0.5 * e
                            if previous.weights[j] > 0 { largest = Swift.max(largest, exponents[j]) }
                        }
                        var sum = 0.0
                        for j in 0..<n where previous.weights[j] > 0 { sum += previous.weights[j] * Foundation.exp(exponents[j] - largest) }
                        out[i] = logPrior - (largest + Foundation.log(sum))
                        i += workers
                    }
                }
            }
            let top = logWeights.max() ?? 0
            let raw = logWeights.map { $0.isFinite ? Foundation.exp($0 - top) : 0 }
            let total = raw.reduce(0, +)
            return raw.map { $0 / total }
        }

        /// Prior p5, p50, p95 of each parameter, from 10,000 draws of its own stream.
        func priorQuantiles() -> [[Double]] {
            var stream = RandomStream()
            return parameters.enumerated().map { k, parameter in
                var draws: [Double] = []
                draws.reserveCapacity(10_000)
                for r in 0..<10_000 {
                    stream.select(seed: streamSeed, key: StreamKey(replicate: r, year: 0, unit: 1 + k, purpose: .parameter))
                    draws.append(drawPrior(parameter, &stream))
                }
                return weightedQuantiles(draws, [Double](repeating: 1, count: draws.count), [0.05, 0.5, 0.95])
            }
        }

        /// Replicates with rows drawn from the posterior by weight: p5, p50, p95 of each history point.
        func predictive(posterior: CalibrationGeneration, priorSimulated: [Double], control: RunControl?) throws(RunFailure) -> [PredictiveCheck] {
            let n = posterior.weights.count, d = parameters.count, points = scenario.history.count
            var cumulative = [Double](repeating: 0, count: n)
            var total = 0.0
            for i in 0..<n { total += posterior.weights[i]; cumulative[i] = total }
            let rows = cumulative
            let batch = try evaluate(generation: Calibrator.predictiveGeneration, attempts: 0..<settings.predictiveReplicates,
                                     control: control) { _, stream, theta in
                let u = stream.uniform() * total
                var lo = 0, hi = n - 1
                while lo < hi { let mid = (lo + hi) / 2; if rows[mid] > u { hi = mid } else { lo = mid + 1 } }
                for k in 0..<d { theta[k] = posterior.values[lo * d + k] }
            }
            let replicates = settings.predictiveReplicates, priorCount = priorSimulated.count / Swift.max(points, 1)
            return scenario.history.enumerated().map { p, point in
                let simulated = (0..<replicates).map { batch.simulated[$0 * points + p] }
                let prior = (0..<priorCount).map { priorSimulated[$0 * points + p] }
                let q = weightedQuantiles(simulated, [Double](repeating: 1, count: simulated.count), [0.05, 0.5, 0.95])
                let qp = weightedQuantiles(prior, [Double](repeating: 1, count: prior.count), [0.05, 0.5, 0.95])
                return PredictiveCheck(point: point, p5: q[0], p50: q[1], p95: q[2], priorP5: qp[0], priorP50: qp[1], priorP95: qp[2])
            }
        }
    }
}

/// Weighted mean and variance (weights summing to any positive total).
func weightedMoments(_ values: [Double], _ weights: [Double]) -> (mean: Double, variance: Double) {
    let total = weights.reduce(0, +)
    var mean = 0.0
    for (x, w) in zip(values, weights) { mean += w * x }
    mean /= total
    var variance = 0.0
    for (x, w) in zip(values, weights) { variance += w * (x - mean) * (x - mean) }
    return (mean, variance / total)
}

/// Weighted quantiles: the smallest value whose cumulative weight reaches q of the total.
func weightedQuantiles(_ values: [Double], _ weights: [Double], _ levels: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
    let total = weights.reduce(0, +)
    return levels.map { q in
        var cumulative = 0.0
        for i in order {
            cumulative += weights[i]
            if cumulative >= q * total * (1 - 1e-12) { return values[i] }
        }
        return values[order.last ?? 0]
    }
}

/// The unweighted q-quantile (the smallest value with at least q of the values at or below it).
func quantile(_ values: [Double], _ q: Double) -> Double {
    weightedQuantiles(values, [Double](repeating: 1, count: values.count), [q])[0]
}

/// (Σw)² / Σw².
func effectiveSampleSize(_ weights: [Double]) -> Double {
    let sum = weights.reduce(0, +), squares = weights.reduce(0) { $0 + $1 * $1 }
    return squares > 0 ? sum * sum / squares : 0
}
