import Foundation

extension Distribution {
    /// The probability density at `x` (0 outside the support), used as a
    /// prior density by calibration. Triangular and PERT are analytic (PERT
    /// through the beta density of its scaled value); the others are GSL's.
    /// Degenerate and discrete distributions have no density: nil.
    public func density(_ x: Double) -> Double? {
        guard !isDegenerate, x.isFinite else { return isDegenerate ? nil : 0 }
        switch self {
        case .fixed, .poisson:
            return nil
        case let .uniform(lo, hi):
            return x >= lo && x <= hi ? 1 / (hi - lo) : 0
        case let .triangular(lo, mode, hi):
            guard x >= lo && x <= hi else { return 0 }
            let width = hi - lo
            if x < mode { return 2 * (x - lo) / (width * (mode - lo)) }
            if x > mode { return 2 * (hi - x) / (width * (hi - mode)) }
            return 2 / width
        case let .pert(lo, mode, hi):
            guard x >= lo && x <= hi else { return 0 }
            let width = hi - lo
            let alpha = 1 + 4 * (mode - lo) / width, beta = 1 + 4 * (hi - mode) / width
            return GSLDensity.beta((x - lo) / width, alpha, beta) / width
        case let .normal(mean, sd):
            return GSLDensity.gaussian(x - mean, sd: sd)
        case let .lognormal(median, sigma):
            return x > 0 ? GSLDensity.lognormal(x, zeta: Foundation.log(median), sigma: sigma) : 0
        case let .beta(a, b):
            return x >= 0 && x <= 1 ? GSLDensity.beta(x, a, b) : 0
        case let .gamma(shape, scale):
            return x >= 0 ? GSLDensity.gamma(x, shape: shape, scale: scale) : 0
        }
    }

    /// The smallest closed interval holding every draw (infinite ends where unbounded).
    public var support: ClosedRange<Double> {
        switch self {
        case let .fixed(v): return v...v
        case let .uniform(lo, hi), let .triangular(lo, _, hi), let .pert(lo, _, hi): return lo...hi
        case .normal: return -Double.infinity...Double.infinity
        case .lognormal, .gamma, .poisson: return 0...Double.infinity
        case .beta: return 0...1
        }
    }
}
