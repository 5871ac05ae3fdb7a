import Foundation

extension Distribution {
    /// The `p`-quantile: the least x with P(X ≤ x) ≥ p, for `p` in (0, 1).
    ///
    /// GSL's inverse CDFs for the normal, lognormal, beta and gamma; the
    /// triangular inverts its CDF in closed form (as ``sample(_:)`` does);
    /// PERT is min + (max − min) · the quantile of its beta; the Poisson
    /// searches its CDF from a normal approximation's lower end.
    /// Degenerate distributions give their one value.
    public func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "quantile(\(p)): p must be in (0, 1)")
        switch self {
        case let .fixed(value):
            return value
        case let .uniform(lo, hi):
            return lo + p * (hi - lo)
        case let .triangular(lo, mode, hi):
            return lo == hi ? lo : Distribution.triangularInverse(p, min: lo, mode: mode, max: hi)
        case let .pert(lo, mode, hi):
            if lo == hi { return lo }
            let width = hi - lo
            let alpha = 1 + 4 * (mode - lo) / width
            let beta = 1 + 4 * (hi - mode) / width
            return lo + width * GSLQuantile.beta(p, alpha, beta)
        case let .normal(mean, sd):
            return sd == 0 ? mean : mean + GSLQuantile.gaussian(p, sd: sd)
        case let .lognormal(median, sigma):
            return sigma == 0 ? median : GSLQuantile.lognormal(p, zeta: Foundation.log(median), sigma: sigma)
        case let .beta(a, b):
            return GSLQuantile.beta(p, a, b)
        case let .gamma(shape, scale):
            return GSLQuantile.gamma(p, shape: shape, scale: scale)
        case let .poisson(mean):
            if mean == 0 { return 0 }
            // Start at least 10 standard deviations below the quantile, so the
            // search takes about 10·√mean steps at most (means are at most 10⁹).
            var k = UInt32(Swift.max(0, (mean - 10 * mean.squareRoot() - 10).rounded(.down)))
            while GSLQuantile.poissonCDF(k, mean: mean) < p { k += 1 }
            // Only for tiny p: the start may lie above the quantile.
            while k > 0, GSLQuantile.poissonCDF(k - 1, mean: mean) >= p { k -= 1 }
            return Double(k)
        }
    }

    /// The triangular distribution's inverse CDF at `u` in [0, 1], for min < max:
    /// its quantile, and (of a uniform draw) its sampler.
    static func triangularInverse(_ u: Double, min lo: Double, mode: Double, max hi: Double) -> Double {
        let width = hi - lo
        let split = (mode - lo) / width
        return u < split
            ? lo + (u * width * (mode - lo)).squareRoot()
            : hi - ((1 - u) * width * (hi - mode)).squareRoot()
    }
}
