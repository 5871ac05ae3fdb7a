// Every call into GSL lives in this file.
public import CGSL
import Synchronization
import Glibc

/// A GSL generator of simfund's xoshiro256++ type, owned by one worker.
///
/// Non-copyable: exactly one owner frees the generator, and it can never be
/// shared across threads by accident. Point it at a stream with
/// ``select(seed:key:)`` before each process draws.
public struct RandomStream: ~Copyable {
    @usableFromInline let generator: UnsafeMutablePointer<gsl_rng>

    /// The generator's name as recorded in outputs.
    public static var generatorName: String { String(cString: simfund_rng_type_xoshiro256pp().pointee.name) }

    public init() {
        GSLRuntime.installErrorHandler()
        guard let generator = gsl_rng_alloc(simfund_rng_type_xoshiro256pp()) else {
            fatalError("gsl_rng_alloc failed: out of memory")
        }
        self.generator = generator
    }

    /// A stream at (seed, key) in one step.
    public init(seed: UInt64, key: StreamKey) {
        self.init()
        select(seed: seed, key: key)
    }

    deinit { gsl_rng_free(generator) }

    /// Restarts the generator at the beginning of stream (seed, key).
    @inlinable
    public mutating func select(seed: UInt64, key: StreamKey) {
        simfund_rng_select_stream(generator, seed, key.rawValue)
    }

    /// Uniform on [0, 1).
    public mutating func uniform() -> Double { gsl_rng_uniform(generator) }

    /// The raw 64-bit output (for tests of the generator itself).
    public mutating func nextRaw() -> UInt64 { UInt64(gsl_rng_get(generator)) }

    /// Binomial(n, p). Certain outcomes (n = 0, p ≤ 0, p ≥ 1) take no draw.
    /// GSL takes n < 2³²; a larger n is drawn as a sum of binomials of at most
    /// 2³² − 1 trials each, which has the same distribution.
    @inlinable
    public mutating func binomial(_ n: Int, _ p: Double) -> Int {
        if n <= 0 || !(p > 0) { return 0 }
        if p >= 1 { return n }
        if n <= Int(UInt32.max) { return Int(gsl_ran_binomial(generator, p, UInt32(truncatingIfNeeded: n))) }
        return largeBinomial(n, p)
    }

    @usableFromInline
    mutating func largeBinomial(_ n: Int, _ p: Double) -> Int {
        var left = n, total = 0
        while left > 0 {
            let trials = min(left, Int(UInt32.max))
            total += Int(gsl_ran_binomial(generator, p, UInt32(trials)))
            left -= trials
        }
        return total
    }

    /// Poisson(mean). A mean of 0 takes no draw. GSL returns 32-bit counts, so
    /// a mean above 10⁹ is drawn as a sum of Poissons of mean ≤ 10⁹ (same distribution).
    @inlinable
    public mutating func poisson(_ mean: Double) -> Int {
        if !(mean > 0) { return 0 }
        if mean <= 1e9 { return Int(gsl_ran_poisson(generator, mean)) }
        return largePoisson(mean)
    }

    @usableFromInline
    mutating func largePoisson(_ mean: Double) -> Int {
        guard mean.isFinite else { return Int.max }
        var left = mean, total = 0
        while left > 0 {
            let part = min(left, 1e9)
            total += Int(gsl_ran_poisson(generator, part))
            left -= part
        }
        return total
    }

    /// Splits `total` over categories in proportion to `weights` (normalised
    /// by GSL), writing the counts into `counts`.
    public mutating func multinomial(total: Int, weights: UnsafeBufferPointer<Double>, counts: UnsafeMutableBufferPointer<UInt32>) {
        precondition(weights.count == counts.count && total >= 0 && total <= Int(UInt32.max))
        gsl_ran_multinomial(generator, weights.count, UInt32(total), weights.baseAddress, counts.baseAddress)
    }

    public mutating func flat(_ low: Double, _ high: Double) -> Double { gsl_ran_flat(generator, low, high) }
    public mutating func gaussian(sd: Double) -> Double { gsl_ran_gaussian(generator, sd) }
    public mutating func lognormal(zeta: Double, sigma: Double) -> Double { gsl_ran_lognormal(generator, zeta, sigma) }
    public mutating func beta(_ a: Double, _ b: Double) -> Double { gsl_ran_beta(generator, a, b) }
    public mutating func gamma(shape: Double, scale: Double) -> Double { gsl_ran_gamma(generator, shape, scale) }
}

/// Process-wide GSL set-up: GSL's default error handler aborts the process;
/// simfund replaces it with one that records the error, so a GSL error
/// becomes a reported bug with context, never a crash.
///
/// Errors are recorded per thread: GSL calls its handler on the thread that
/// made the failing call, so a failure belongs to the work running on that
/// thread, and a GSL error on another thread (another run, a test) never
/// fails an unrelated run. A run collects its workers' errors with a
/// ``GSLFailureCollector``.
public enum GSLRuntime {
    private static let installed = Mutex(false)

    /// The key of each thread's ``FailureSlot`` (freed with its thread).
    private static let slotKey: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { slot in
            guard let slot else { return }
            Unmanaged<FailureSlot>.fromOpaque(slot).release()
        }
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()

    /// The first GSL error on one thread since its last ``takeFailure()``.
    /// Only its own thread reads or writes it.
    private final class FailureSlot {
        var message: String?
    }

    private static var currentSlot: FailureSlot {
        if let slot = pthread_getspecific(slotKey) { return Unmanaged<FailureSlot>.fromOpaque(slot).takeUnretainedValue() }
        let slot = FailureSlot()
        pthread_setspecific(slotKey, Unmanaged.passRetained(slot).toOpaque())
        return slot
    }

    /// The linked GSL's version, e.g. "2.7.1".
    public static var version: String { String(cString: simfund_gsl_version()) }

    /// Idempotent; called by every ``RandomStream``.
    public static func installErrorHandler() {
        installed.withLock { done in
            guard !done else { return }
            _ = gsl_set_error_handler { reason, file, line, code in
                let message = "GSL error \(code) at \(file.map { String(cString: $0) } ?? "?"):\(line): "
                    + (reason.map { String(cString: $0) } ?? "")
                GSLRuntime.record(message)
            }
            done = true
        }
    }

    static func record(_ message: String) {
        let slot = currentSlot
        if slot.message == nil { slot.message = message }
    }

    /// Makes GSL report an error (gsl_rng_uniform_int with n = 0) on the
    /// calling thread, so tests can check that errors are recorded instead
    /// of aborting the process, and recorded for that thread only.
    public static func provokeErrorForTesting() {
        installErrorHandler()
        let generator = gsl_rng_alloc(simfund_rng_type_xoshiro256pp())
        defer { gsl_rng_free(generator) }
        _ = gsl_rng_uniform_int(generator, 0)
    }

    /// The first GSL error raised on the calling thread since its last call,
    /// if any, and clears it. Errors of other threads are not seen.
    public static func takeFailure() -> String? {
        guard let slot = pthread_getspecific(slotKey) else { return nil }
        let owner = Unmanaged<FailureSlot>.fromOpaque(slot).takeUnretainedValue()
        defer { owner.message = nil }
        return owner.message
    }
}

/// The GSL errors of one run, gathered from the threads its workers ran on.
///
///     let failures = GSLFailureCollector()
///     DispatchQueue.concurrentPerform(iterations: workers) { worker in
///         failures.collect { /* the worker's draws */ }
///     }
///     if let failure = failures.first { … }
public final class GSLFailureCollector: Sendable {
    private let firstFailure = Mutex<String?>(nil)

    public init() {}

    /// Runs `body` on the calling thread and keeps the first GSL error it
    /// raised there (an error left on the thread from earlier is discarded).
    public func collect<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        _ = GSLRuntime.takeFailure()
        defer {
            if let failure = GSLRuntime.takeFailure() { firstFailure.withLock { if $0 == nil { $0 = failure } } }
        }
        return try body()
    }

    /// The first GSL error of any ``collect(_:)`` so far.
    public var first: String? { firstFailure.withLock { $0 } }
}

/// GSL's inverse cumulative distribution functions (quantiles), used by
/// ``Distribution/quantile(_:)``. `p` is a probability in (0, 1).
enum GSLQuantile {
    static func gaussian(_ p: Double, sd: Double) -> Double { gsl_cdf_gaussian_Pinv(p, sd) }
    static func lognormal(_ p: Double, zeta: Double, sigma: Double) -> Double { gsl_cdf_lognormal_Pinv(p, zeta, sigma) }
    static func beta(_ p: Double, _ a: Double, _ b: Double) -> Double { gsl_cdf_beta_Pinv(p, a, b) }
    static func gamma(_ p: Double, shape: Double, scale: Double) -> Double { gsl_cdf_gamma_Pinv(p, shape, scale) }
    /// P(X ≤ k) for a Poisson variable (GSL has no Poisson quantile).
    static func poissonCDF(_ k: UInt32, mean: Double) -> Double { gsl_cdf_poisson_P(k, mean) }
}

/// GSL's probability densities, for the calibration's prior densities
/// (``Distribution/density(_:)``).
public enum GSLDensity {
    public static func gaussian(_ x: Double, sd: Double) -> Double { gsl_ran_gaussian_pdf(x, sd) }
    public static func lognormal(_ x: Double, zeta: Double, sigma: Double) -> Double { gsl_ran_lognormal_pdf(x, zeta, sigma) }
    public static func beta(_ x: Double, _ a: Double, _ b: Double) -> Double { gsl_ran_beta_pdf(x, a, b) }
    public static func gamma(_ x: Double, shape: Double, scale: Double) -> Double { gsl_ran_gamma_pdf(x, shape, scale) }
}
