import Foundation

/// A probability distribution of a scenario parameter (docs/model.md, "The scenario").
public enum Distribution: Sendable, Hashable {
    case fixed(Double)
    case uniform(min: Double, max: Double)
    case triangular(min: Double, mode: Double, max: Double)
    /// Beta-PERT with λ = 4: min + (max − min)·Beta(1 + 4(mode − min)/(max − min), 1 + 4(max − mode)/(max − min)).
    case pert(min: Double, mode: Double, max: Double)
    case normal(mean: Double, sd: Double)
    /// exp(N(ln median, sigma²)).
    case lognormal(median: Double, sigma: Double)
    case beta(alpha: Double, beta: Double)
    case gamma(shape: Double, scale: Double)
    case poisson(mean: Double)

    /// The names accepted in scenario files, with their parameters in order.
    public static let parameterNames: [String: [String]] = [
        "fixed": ["value"],
        "uniform": ["min", "max"],
        "triangular": ["min", "mode", "max"],
        "pert": ["min", "mode", "max"],
        "normal": ["mean", "sd"],
        "lognormal": ["median", "sigma"],
        "beta": ["alpha", "beta"],
        "gamma": ["shape", "scale"],
        "poisson": ["mean"],
    ]

    /// Builds a distribution from its name and parameters, or says what is wrong
    /// with them (in a form that can follow "expected"): GSL must never see a
    /// parameter it would reject.
    public static func make(name: String, parameters p: [String: Double]) -> Result<Distribution, DistributionProblem> {
        func need(_ key: String) -> Double { p[key] ?? .nan }
        let d: Distribution
        switch name {
        case "fixed": d = .fixed(need("value"))
        case "uniform": d = .uniform(min: need("min"), max: need("max"))
        case "triangular": d = .triangular(min: need("min"), mode: need("mode"), max: need("max"))
        case "pert": d = .pert(min: need("min"), mode: need("mode"), max: need("max"))
        case "normal": d = .normal(mean: need("mean"), sd: need("sd"))
        case "lognormal": d = .lognormal(median: need("median"), sigma: need("sigma"))
        case "beta": d = .beta(alpha: need("alpha"), beta: need("beta"))
        case "gamma": d = .gamma(shape: need("shape"), scale: need("scale"))
        case "poisson": d = .poisson(mean: need("mean"))
        default: return .failure(DistributionProblem(parameter: nil, expected: "one of \(parameterNames.keys.sorted().joined(separator: ", "))"))
        }
        if let problem = d.problem { return .failure(problem) }
        return .success(d)
    }

    /// The largest magnitude of any location or scale parameter (and of the
    /// `min` / `max` clamps). With every parameter within ±1e15, no draw can
    /// overflow: a triangular width is at most 2e15, a normal draw at most
    /// about 1e15 + 40·1e15.
    public static let maximumMagnitude = 1e15
    /// Largest lognormal sigma: exp(ln 1e15 + 10 · 40) stays far below the
    /// largest double, and a sigma of 10 already spans 10⁻⁸…10⁸ times the
    /// median within two standard deviations.
    public static let maximumSigma = 10.0
    /// Bounds of beta and gamma shape parameters. Below 10⁻³ GSL's beta can
    /// divide 0 by 0 (both of its gamma draws underflow); above 10⁹ nothing
    /// changes but the run time.
    public static let minimumShape = 1e-3
    public static let maximumShape = 1e9

    /// The first parameter outside the distribution's domain, if any. Every
    /// draw of a distribution without a problem is finite.
    public var problem: DistributionProblem? {
        func bad(_ parameter: String, _ expected: String) -> DistributionProblem {
            DistributionProblem(parameter: parameter, expected: expected)
        }
        let limit = Distribution.maximumMagnitude
        // `!(… <= …)` also catches NaN.
        func outOfRange(_ names: [String], _ values: [Double]) -> DistributionProblem? {
            for (name, value) in zip(names, values) where !(abs(value) <= limit) {
                return bad(name, "\(name) from -1e15 to 1e15")
            }
            return nil
        }
        func shapeProblem(_ name: String, _ value: Double) -> DistributionProblem? {
            value >= Distribution.minimumShape && value <= Distribution.maximumShape
                ? nil : bad(name, "\(name) from 0.001 to 1e9")
        }
        switch self {
        case let .fixed(value):
            return outOfRange(["value"], [value])
        case let .uniform(lo, hi):
            if let problem = outOfRange(["min", "max"], [lo, hi]) { return problem }
            return lo <= hi ? nil : bad("max", "max ≥ min (\(show(lo)))")
        case let .triangular(lo, mode, hi), let .pert(lo, mode, hi):
            if let problem = outOfRange(["min", "mode", "max"], [lo, mode, hi]) { return problem }
            if lo > hi { return bad("max", "max ≥ min (\(show(lo)))") }
            if mode < lo || mode > hi { return bad("mode", "mode within [min, max] = [\(show(lo)), \(show(hi))]") }
            return nil
        case let .normal(mean, sd):
            if let problem = outOfRange(["mean"], [mean]) { return problem }
            return sd >= 0 && sd <= limit ? nil : bad("sd", "sd from 0 to 1e15")
        case let .lognormal(median, sigma):
            if !(median > 0 && median <= limit) { return bad("median", "median > 0 (at most 1e15)") }
            return sigma >= 0 && sigma <= Distribution.maximumSigma ? nil : bad("sigma", "sigma from 0 to 10")
        case let .beta(a, b):
            return shapeProblem("alpha", a) ?? shapeProblem("beta", b)
        case let .gamma(shape, scale):
            if let problem = shapeProblem("shape", shape) { return problem }
            return scale > 0 && scale <= limit ? nil : bad("scale", "scale > 0 (at most 1e15)")
        case let .poisson(mean):
            return mean >= 0 && mean <= 1e9 ? nil : bad("mean", "mean in [0, 1e9]")
        }
    }

    /// One draw. Degenerate cases (zero spread) take no random number.
    public func sample(_ stream: inout RandomStream) -> Double {
        switch self {
        case let .fixed(value):
            return value
        case let .uniform(lo, hi):
            return lo == hi ? lo : stream.flat(lo, hi)
        case let .triangular(lo, mode, hi):
            if lo == hi { return lo }
            // Inverse CDF (GSL has no triangular distribution).
            return Distribution.triangularInverse(stream.uniform(), min: lo, mode: mode, max: hi)
        case let .pert(lo, mode, hi):
            if lo == hi { return lo }
            let width = hi - lo
            let alpha = 1 + 4 * (mode - lo) / width
            let beta = 1 + 4 * (hi - mode) / width
            return lo + width * stream.beta(alpha, beta)
        case let .normal(mean, sd):
            return sd == 0 ? mean : mean + stream.gaussian(sd: sd)
        case let .lognormal(median, sigma):
            return sigma == 0 ? median : stream.lognormal(zeta: Foundation.log(median), sigma: sigma)
        case let .beta(a, b):
            return stream.beta(a, b)
        case let .gamma(shape, scale):
            return stream.gamma(shape: shape, scale: scale)
        case let .poisson(mean):
            return Double(stream.poisson(mean))
        }
    }

    /// The analytic mean (used by tests and documentation).
    public var mean: Double {
        switch self {
        case let .fixed(v): return v
        case let .uniform(lo, hi): return (lo + hi) / 2
        case let .triangular(lo, mode, hi): return (lo + mode + hi) / 3
        case let .pert(lo, mode, hi): return (lo + 4 * mode + hi) / 6
        case let .normal(mean, _): return mean
        case let .lognormal(median, sigma): return median * Foundation.exp(sigma * sigma / 2)
        case let .beta(a, b): return a / (a + b)
        case let .gamma(shape, scale): return shape * scale
        case let .poisson(mean): return mean
        }
    }

    /// The analytic variance.
    public var variance: Double {
        switch self {
        case .fixed: return 0
        case let .uniform(lo, hi): return (hi - lo) * (hi - lo) / 12
        case let .triangular(a, c, b): return (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        case let .pert(lo, mode, hi):
            let width = hi - lo
            let alpha = 1 + 4 * (mode - lo) / width, beta = 1 + 4 * (hi - mode) / width
            return width * width * alpha * beta / ((alpha + beta) * (alpha + beta) * (alpha + beta + 1))
        case let .normal(_, sd): return sd * sd
        case let .lognormal(median, sigma):
            let s2 = sigma * sigma
            return (Foundation.exp(s2) - 1) * Foundation.exp(2 * Foundation.log(median) + s2)
        case let .beta(a, b): return a * b / ((a + b) * (a + b) * (a + b + 1))
        case let .gamma(shape, scale): return shape * scale * scale
        case let .poisson(mean): return mean
        }
    }

    /// True when every draw gives the same value.
    public var isDegenerate: Bool {
        switch self {
        case .fixed: return true
        case let .uniform(lo, hi), let .triangular(lo, _, hi), let .pert(lo, _, hi): return lo == hi
        case let .normal(_, sd): return sd == 0
        case let .lognormal(_, sigma): return sigma == 0
        case .beta, .gamma: return false
        case let .poisson(mean): return mean == 0
        }
    }
}

/// A parameter value as written in a scenario file (no trailing ".0").
func show(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
}

/// Why a distribution's parameters were rejected.
public struct DistributionProblem: Error, Sendable, Equatable {
    /// The offending parameter, or nil when the distribution name is unknown.
    public let parameter: String?
    /// What was expected, as a phrase.
    public let expected: String
}
