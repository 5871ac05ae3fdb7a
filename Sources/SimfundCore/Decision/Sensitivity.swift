import Dispatch
import SimfundStochastics
import Synchronization

/// Variance-based sensitivity analysis of a scenario's uncertain inputs
/// (docs/model.md, "Sensitivity analysis"): first-order and total Sobol
/// indices per metric and year with bootstrap intervals, and a tornado of
/// each input held at its 10th and 90th percentiles.
///
/// Sampling (Saltelli et al. 2010) on the engine's own streams: sample j of
/// matrix A is replicate j, sample j of matrix B is replicate N + j, and
/// sample j of A_B^(i) is replicate j with input i's parameter streams taken
/// from replicate N + j (for chance: every binomial, multinomial and Poisson
/// draw taken from replicate N + j). So A is exactly what `simfund run` with
/// the same seed simulates in its first N replicates.
public enum Sensitivity {
    /// The name of the process noise as an input.
    public static let chance = "chance"
    /// The name of the input that swaps whole posterior rows.
    public static let posterior = "posterior"
    /// Bootstrap resamples behind every interval.
    public static let bootstrapResamples = 500
    /// The percentiles a tornado holds each input at.
    public static let tornadoProbabilities = (low: 0.1, high: 0.9)
    /// Metrics analysed when none are named: the key outcomes, then every
    /// metric a target of the scenario names.
    public static let keyMetrics: [Metric] = [.certified, .townshipCoverage, .communityCoverage, .spendTotal]
    public static let sampleRange = 2...1_000_000
    /// Values kept in memory at most (metric-years × evaluations), about 4 GB.
    public static let maximumValues = 500_000_000

    public static func defaultMetrics(_ scenario: Scenario) -> [Metric] {
        var metrics = keyMetrics
        for target in scenario.targets where !metrics.contains(target.metric) { metrics.append(target.metric) }
        return metrics
    }

    /// How many replicates an analysis runs: A, B, one A_B per input (chance
    /// included) and two tornado runs per input that has percentiles.
    public static func evaluations(_ scenario: Scenario, samples: Int) -> Int {
        SensitivityDesign(scenario: scenario, samples: samples).evaluations
    }

    /// Runs the analysis. The result depends on the scenario, samples,
    /// metrics and seed only, never on `threads`.
    public static func analyse(_ scenario: Scenario, samples: Int, metrics: [Metric], seed: UInt64, threads: Int,
                               control: RunControl? = nil) throws(RunFailure) -> SensitivityResult {
        precondition(sampleRange.contains(samples) && !metrics.isEmpty)
        let design = SensitivityDesign(scenario: scenario, samples: samples)
        let values = try evaluate(design, scenario: scenario, metrics: metrics, seed: seed, threads: threads, control: control)
        let analysis = SensitivityEstimates(design: design, values: values, metricCount: metrics.count, years: scenario.years, seed: seed)
        let perMetricYear = analysis.estimate(threads: threads)
        let years = scenario.calendarYears
        let results = metrics.enumerated().map { m, metric in
            MetricSensitivity(metric: metric, years: years.indices.map { y in
                var year = perMetricYear[m * years.count + y]
                year.year = years[y]
                return year
            })
        }
        return SensitivityResult(scenarioName: scenario.name, seed: seed, samples: samples, bootstrap: bootstrapResamples,
                                 inputs: design.inputs.map(\.name), held: design.inputs.map(\.held), metrics: results)
    }

    /// Every evaluation's value of every metric and year, by evaluation index
    /// (written by index, so the same for any number of threads).
    static func evaluate(_ design: SensitivityDesign, scenario: Scenario, metrics: [Metric], seed: UInt64, threads: Int,
                         control: RunControl?) throws(RunFailure) -> [Double] {
        let years = scenario.years
        let stride = metrics.count * years
        let chunkSize = 16
        let chunks = (design.evaluations + chunkSize - 1) / chunkSize
        let workers = Swift.max(1, Swift.min(threads, chunks))
        var values = [Double](repeating: .nan, count: design.evaluations * stride)
        let failure = Mutex<RunFailure?>(nil)
        let gslFailures = GSLFailureCollector()
        values.withUnsafeMutableBufferPointer { buffer in
            // Each evaluation writes only its own rows.
            nonisolated(unsafe) let buffer = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                gslFailures.collect {
                    let probe = ReplicateProbe(scenario: scenario, seed: seed)
                    var chunk = worker
                    while chunk < chunks, control?.isCancelled != true {
                        let range = chunk * chunkSize..<Swift.min(design.evaluations, (chunk + 1) * chunkSize)
                        for e in range {
                            let replicate = design.configure(&probe.inputs, evaluation: e)
                            do throws(RunFailure) {
                                try probe.run(replicate: replicate)
                            } catch {
                                failure.withLock { if $0 == nil { $0 = error } }
                                control?.cancel()
                                return
                            }
                            for (m, metric) in metrics.enumerated() {
                                for y in 0..<years { buffer[e * stride + m * years + y] = probe.value(metric, yearIndex: y) }
                            }
                        }
                        control?.finished(range.count)
                        chunk += workers
                    }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        if let message = gslFailures.first { throw .gsl(message) }
        if control?.isCancelled == true { throw .cancelled }
        return values
    }
}

/// One uncertain input of an analysis: what the A_B matrix swaps, and what
/// its tornado holds.
struct SensitivityInput: Sendable {
    enum Source: Sendable {
        /// A parameter slot's streams.
        case parameter(slot: Int)
        /// The scenario's posterior rows (docs/model.md, "Forecasting from a
        /// posterior"): the parameters they set move together, as one input.
        case posterior
        /// Every process stream.
        case chance
    }

    enum Tornado: Sendable {
        /// Held at these values (10th, 90th percentile) every year.
        case values(HeldValues)
        /// A scheduled input: held at the percentile of the entry in force
        /// each year (``ReplicateInputs/holdQuantile(_:at:)``).
        case quantiles
        /// No percentiles: chance and the posterior's rows.
        case none
    }

    var name: String
    var source: Source
    var tornado: Tornado

    /// The values sensitivity.json's `held` reports (nil when none, or when they change by year).
    var held: HeldValues? {
        if case let .values(values) = tornado { return values }
        return nil
    }

    var hasTornado: Bool {
        if case .none = tornado { return false }
        return true
    }
}

/// The two values a tornado holds an input at.
public struct HeldValues: Sendable, Hashable {
    public var low: Double
    public var high: Double
}

/// Which replicate and inputs each evaluation uses. Evaluations are laid out
/// in blocks of N: A, B, A_B^(i) for every input i, then a low and a high
/// tornado block for every input with held values.
struct SensitivityDesign: Sendable {
    let samples: Int
    let inputs: [SensitivityInput]
    /// Per tornado block pair: the input's index.
    let tornadoInputs: [Int]

    init(scenario: Scenario, samples: Int) {
        self.samples = samples
        let uncertain = scenario.uncertainInputs
        var inputs = uncertain.filter { !$0.fromPosterior }.map { input -> SensitivityInput in
            var tornado = SensitivityInput.Tornado.quantiles
            if scenario.schedules[input.slot] == nil {
                let parameter = scenario.parameters[input.slot]
                let p = Sensitivity.tornadoProbabilities
                tornado = .values(HeldValues(low: parameter.clamp(parameter.distribution.quantile(p.low)),
                                             high: parameter.clamp(parameter.distribution.quantile(p.high))))
            }
            return SensitivityInput(name: input.path, source: .parameter(slot: input.slot), tornado: tornado)
        }
        if uncertain.contains(where: \.fromPosterior) {
            inputs.append(SensitivityInput(name: Sensitivity.posterior, source: .posterior, tornado: .none))
        }
        inputs.append(SensitivityInput(name: Sensitivity.chance, source: .chance, tornado: .none))
        self.inputs = inputs
        tornadoInputs = inputs.indices.filter { inputs[$0].hasTornado }
    }

    var blocks: Int { 2 + inputs.count + 2 * tornadoInputs.count }
    var evaluations: Int { blocks * samples }

    func block(of evaluation: Int) -> Int { evaluation / samples }
    /// First evaluation of A_B^(i).
    func swapped(_ i: Int) -> Int { (2 + i) * samples }
    /// First evaluation of the tornado of tornado input t, low or high.
    func tornado(_ t: Int, high: Bool) -> Int { (2 + inputs.count + 2 * t + (high ? 1 : 0)) * samples }

    /// Sets `inputs` for evaluation `e` and returns the replicate to run.
    func configure(_ replicateInputs: inout ReplicateInputs, evaluation e: Int) -> Int {
        replicateInputs.reset()
        let b = e / samples, j = e % samples
        switch b {
        case 0:
            return j
        case 1:
            return samples + j
        case 2..<(2 + inputs.count):
            switch inputs[b - 2].source {
            case let .parameter(slot): replicateInputs.drawParameter(slot, fromReplicate: samples + j)
            case .posterior: replicateInputs.posteriorReplicate = samples + j
            case .chance: replicateInputs.processReplicate = samples + j
            }
            return j
        default:
            let t = (b - 2 - inputs.count) / 2
            let input = inputs[tornadoInputs[t]]
            let high = (b - 2 - inputs.count) % 2 == 1
            // Only parameter inputs have a tornado (see `hasTornado`).
            guard case let .parameter(slot) = input.source else { return j }
            switch input.tornado {
            case let .values(held): replicateInputs.hold(slot, at: high ? held.high : held.low)
            case .quantiles:
                let p = Sensitivity.tornadoProbabilities
                replicateInputs.holdQuantile(slot, at: high ? p.high : p.low)
            case .none: break
            }
            return j
        }
    }
}

/// The estimators, applied to the evaluations' values.
struct SensitivityEstimates {
    let design: SensitivityDesign
    let values: [Double]
    let metricCount: Int
    let years: Int
    let seed: UInt64

    var stride: Int { metricCount * years }

    /// Per (metric, year), metric-major: the year's estimates (year field unset).
    func estimate(threads: Int) -> [YearSensitivity] {
        let count = stride
        let workers = Swift.max(1, Swift.min(threads, count))
        var results = [YearSensitivity?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each column is written by one worker only.
            nonisolated(unsafe) let buffer = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var stream = RandomStream()
                var column = worker
                while column < count {
                    buffer[column] = estimate(column: column, stream: &stream)
                    column += workers
                }
            }
        }
        return results.map { $0! }
    }

    /// Fills `indices` with bootstrap resample `b`: N sample indices drawn
    /// with replacement from the resample's own stream, so every metric,
    /// year and input sees the same resamples, whichever worker draws them.
    func resample(_ b: Int, into indices: inout [Int32], stream: inout RandomStream) {
        let n = design.samples
        stream.select(seed: seed, key: StreamKey(replicate: b, year: 0, unit: StreamKey.regionUnit, purpose: .bootstrap))
        for j in 0..<n { indices[j] = Int32(Swift.min(n - 1, Int(stream.uniform() * Double(n)))) }
    }

    /// The value of (metric, year) column `c` in evaluation `e`.
    @inline(__always) func value(_ e: Int, _ c: Int) -> Double { values[e * stride + c] }

    func estimate(column c: Int, stream: inout RandomStream) -> YearSensitivity {
        let n = design.samples
        let a = (0..<n).map { value($0, c) }
        let bMatrix = (0..<n).map { value(n + $0, c) }
        let swapped = design.inputs.indices.map { i in (0..<n).map { value(design.swapped(i) + $0, c) } }
        let meanA = a.reduce(0, +) / Double(n)
        let tornado = design.inputs.indices.map { i -> (Double, Double)? in
            guard let t = design.tornadoInputs.firstIndex(of: i) else { return nil }
            func mean(_ high: Bool) -> Double {
                let first = design.tornado(t, high: high)
                return (0..<n).reduce(0.0) { $0 + value(first + $1, c) } / Double(n)
            }
            return (mean(false), mean(true))
        }
        // Centred on the mean of A and B: the indices do not change under a
        // shift of the metric, their estimators' noise does (a lot, for a
        // metric whose spread is small against its level).
        let centre = (a.reduce(0, +) + bMatrix.reduce(0, +)) / Double(2 * n)
        let ca = a.map { $0 - centre }, cb = bMatrix.map { $0 - centre }
        let cs = swapped.map { $0.map { $0 - centre } }
        let variance = SensitivityEstimates.variance(ca, cb, indices: nil)
        var year = YearSensitivity(year: 0, mean: meanA, variance: variance, reason: nil, inputs: [])
        guard variance > 0 else {
            year.reason = "the metric takes the same value in every sample: no variance to apportion"
            year.inputs = design.inputs.indices.map { i in
                InputSensitivity(input: design.inputs[i].name, tornadoLow: tornado[i]?.0, tornadoHigh: tornado[i]?.1)
            }
            return year
        }
        let inputCount = design.inputs.count
        var firstDraws = [[Double]](repeating: [], count: inputCount)
        var totalDraws = [[Double]](repeating: [], count: inputCount)
        var indices = [Int32](repeating: 0, count: n)
        for b in 0..<Sensitivity.bootstrapResamples {
            resample(b, into: &indices, stream: &stream)
            let v = SensitivityEstimates.variance(ca, cb, indices: indices)
            // A resample whose values are all equal has no indices; it is left out.
            guard v > 0 else { continue }
            for i in 0..<inputCount {
                let (s, st) = SensitivityEstimates.indices(ca, cb, cs[i], variance: v, indices: indices)
                firstDraws[i].append(s)
                totalDraws[i].append(st)
            }
        }
        year.inputs = (0..<inputCount).map { i in
            let (s, st) = SensitivityEstimates.indices(ca, cb, cs[i], variance: variance, indices: nil)
            let firstInterval = percentileInterval(firstDraws[i]), totalInterval = percentileInterval(totalDraws[i])
            return InputSensitivity(input: design.inputs[i].name, first: s, firstLow: firstInterval?.low, firstHigh: firstInterval?.high,
                                    total: st, totalLow: totalInterval?.low, totalHigh: totalInterval?.high,
                                    tornadoLow: tornado[i]?.0, tornadoHigh: tornado[i]?.1)
        }
        return year
    }

    /// The variance of A and B together (denominator 2N − 1), over the
    /// samples `indices` (all of them when nil).
    static func variance(_ a: [Double], _ b: [Double], indices: [Int32]?) -> Double {
        let n = a.count
        var sum = 0.0, count = 0
        func each(_ body: (Int) -> Void) {
            if let indices { for j in indices { body(Int(j)) } } else { for j in 0..<n { body(j) } }
        }
        each { j in sum += a[j] + b[j]; count += 2 }
        let mean = sum / Double(count)
        var squares = 0.0
        each { j in
            let da = a[j] - mean, db = b[j] - mean
            squares += da * da + db * db
        }
        return count > 1 ? squares / Double(count - 1) : 0
    }

    /// Saltelli's first-order and Jansen's total-effect estimators.
    static func indices(_ a: [Double], _ b: [Double], _ ab: [Double], variance: Double, indices: [Int32]?) -> (Double, Double) {
        var first = 0.0, total = 0.0, count = 0
        func add(_ j: Int) {
            let difference = ab[j] - a[j]
            first += b[j] * difference
            total += difference * difference
            count += 1
        }
        if let indices { for j in indices { add(Int(j)) } } else { for j in 0..<a.count { add(j) } }
        return (first / Double(count) / variance, total / Double(2 * count) / variance)
    }

    /// The 2.5th and 97.5th percentiles (linear interpolation between order statistics).
    func percentileInterval(_ draws: [Double]) -> (low: Double, high: Double)? {
        guard !draws.isEmpty else { return nil }
        let sorted = draws.sorted()
        func at(_ p: Double) -> Double {
            let position = p * Double(sorted.count - 1)
            let lower = Int(position.rounded(.down)), upper = Swift.min(sorted.count - 1, lower + 1)
            return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
        }
        return (at(0.025), at(0.975))
    }
}

/// What `simfund sensitivity` found.
public struct SensitivityResult: Sendable, Hashable {
    public var scenarioName: String
    public var seed: UInt64
    /// N: samples per matrix.
    public var samples: Int
    public var bootstrap: Int
    /// Every uncertain input's path, in slot order, then "chance".
    public var inputs: [String]
    /// Per input: the values its tornado holds it at (nil: no tornado).
    public var held: [HeldValues?]
    public var metrics: [MetricSensitivity]
}

public struct MetricSensitivity: Sendable, Hashable {
    public var metric: Metric
    public var years: [YearSensitivity]
}

public struct YearSensitivity: Sendable, Hashable {
    public var year: Int
    /// The metric's mean over A's samples (the tornado's centre).
    public var mean: Double
    /// The metric's variance over A and B.
    public var variance: Double
    /// Why the indices are null (no variance), if they are.
    public var reason: String?
    /// In the order of ``SensitivityResult/inputs``.
    public var inputs: [InputSensitivity]
}

public struct InputSensitivity: Sendable, Hashable {
    public var input: String
    public var first: Double?
    public var firstLow: Double?
    public var firstHigh: Double?
    public var total: Double?
    public var totalLow: Double?
    public var totalHigh: Double?
    /// The metric's mean with the input held at its 10th / 90th percentile.
    public var tornadoLow: Double?
    public var tornadoHigh: Double?

    public init(input: String, first: Double? = nil, firstLow: Double? = nil, firstHigh: Double? = nil, total: Double? = nil,
                totalLow: Double? = nil, totalHigh: Double? = nil, tornadoLow: Double? = nil, tornadoHigh: Double? = nil) {
        self.input = input
        self.first = first
        self.firstLow = firstLow
        self.firstHigh = firstHigh
        self.total = total
        self.totalLow = totalLow
        self.totalHigh = totalHigh
        self.tornadoLow = tornadoLow
        self.tornadoHigh = tornadoHigh
    }
}
