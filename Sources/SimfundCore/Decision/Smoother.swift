import Foundation

/// A penalised cubic regression spline (Ruppert, Wand & Carroll 2003):
/// y ≈ β₀ + β₁u + β₂u² + β₃u³ + Σₖ bₖ (u − κₖ)³₊ with u = x scaled to [0, 1],
/// knots κₖ at quantiles of the distinct x, and a ridge penalty λ Σ bₖ² on
/// the knot coefficients only, so the cubic part is never shrunk and the
/// fitted values keep the mean of y exactly. λ is chosen per response by
/// generalised cross-validation (docs/model.md, "Value of information").
///
/// The design depends on x alone: it is built once and every response
/// (each alternative's values, each bootstrap resample's weights) reuses it.
public struct PenalisedSpline: Sendable {
    /// Knots at most; fewer when x has few distinct values.
    public static let maxKnots = 12
    /// λ candidates for GCV, as multiples of the mean diagonal of XᵀX.
    static let lambdaGrid: [Double] = stride(from: -9.0, through: 3.0, by: 0.5).map { pow(10, $0) }

    public let count: Int
    /// Basis functions: 4 + knots.
    public let columns: Int
    /// Row-major n × columns design matrix.
    let design: [Double]
    private let penalised: [Bool]

    public init(x: [Double]) {
        count = x.count
        let low = x.min() ?? 0, high = x.max() ?? 0
        let span = high > low ? high - low : 1
        let u = x.map { ($0 - low) / span }
        let distinct = Array(Set(u)).sorted()
        let knotCount = Swift.max(0, Swift.min(PenalisedSpline.maxKnots, distinct.count - 4))
        let knots = (0..<knotCount).map { k in distinct[(k + 1) * distinct.count / (knotCount + 1)] }
        columns = 4 + knotCount
        var design = [Double](repeating: 0, count: x.count * columns)
        for j in u.indices {
            let row = j * columns, v = u[j]
            design[row] = 1
            design[row + 1] = v
            design[row + 2] = v * v
            design[row + 3] = v * v * v
            for (k, knot) in knots.enumerated() {
                let t = Swift.max(0, v - knot)
                design[row + 4 + k] = t * t * t
            }
        }
        self.design = design
        penalised = (0..<columns).map { $0 >= 4 }
    }

    /// Weighted cross products XᵀWX (p × p, row-major); weights nil: all 1.
    func gram(weights: [Double]?) -> [Double] {
        let p = columns
        var g = [Double](repeating: 0, count: p * p)
        design.withUnsafeBufferPointer { X in
            g.withUnsafeMutableBufferPointer { G in
                for j in 0..<count {
                    let w = weights?[j] ?? 1
                    if w == 0 { continue }
                    let row = j * p
                    for a in 0..<p {
                        let xa = X[row + a] * w
                        for b in a..<p { G[a * p + b] += xa * X[row + b] }
                    }
                }
                for a in 0..<p { for b in 0..<a { G[a * p + b] = G[b * p + a] } }
            }
        }
        return g
    }

    /// XᵀWy.
    func moment(_ y: [Double], weights: [Double]?) -> [Double] {
        var m = [Double](repeating: 0, count: columns)
        for j in 0..<count {
            let w = weights?[j] ?? 1
            if w == 0 { continue }
            let row = j * columns
            for a in 0..<columns { m[a] += design[row + a] * w * y[j] }
        }
        return m
    }

    /// The fit of one response.
    public struct Fit: Sendable {
        /// The penalty chosen (absolute, on the scaled design).
        public var lambda: Double
        /// Effective degrees of freedom, trace of the hat matrix.
        public var degreesOfFreedom: Double
        public var coefficients: [Double]
    }

    /// Fits `y` with λ chosen by GCV: n·RSS / (n − df)².
    public func fit(_ y: [Double]) -> Fit { fit(y, gram: gram(weights: nil)) }

    /// Fits `y` given the unweighted XᵀX (shared by every response on this design).
    func fit(_ y: [Double], gram g: [Double]) -> Fit {
        precondition(y.count == count)
        let m = moment(y, weights: nil)
        let yy = y.reduce(0) { $0 + $1 * $1 }
        let scale = Swift.max(1e-300, (0..<columns).reduce(0) { $0 + g[$1 * columns + $1] } / Double(columns))
        var best: (score: Double, fit: Fit)?
        for multiple in PenalisedSpline.lambdaGrid {
            let lambda = multiple * scale
            guard let (beta, df) = solve(gram: g, moment: m, lambda: lambda, wantTrace: true) else { continue }
            // RSS = yᵀy − 2βᵀXᵀy + βᵀXᵀXβ, from the cross products.
            var rss = yy
            for a in 0..<columns {
                rss -= 2 * beta[a] * m[a]
                var row = 0.0
                for b in 0..<columns { row += g[a * columns + b] * beta[b] }
                rss += beta[a] * row
            }
            rss = Swift.max(0, rss)
            let n = Double(count)
            guard n - df > 0.5 else { continue }
            let score = n * rss / ((n - df) * (n - df))
            if best == nil || score < best!.score { best = (score, Fit(lambda: lambda, degreesOfFreedom: df, coefficients: beta)) }
        }
        // A singular design at every λ (cannot happen with λ > 0): the mean.
        return best?.fit ?? Fit(lambda: 0, degreesOfFreedom: 1, coefficients: [y.reduce(0, +) / Double(Swift.max(1, count))] + [Double](repeating: 0, count: columns - 1))
    }

    /// The coefficients of a weighted fit at a given λ (the bootstrap's refits).
    func coefficients(gram g: [Double], moment m: [Double], lambda: Double) -> [Double] {
        solve(gram: g, moment: m, lambda: lambda, wantTrace: false)?.beta ?? [Double](repeating: 0, count: columns)
    }

    /// Fitted values at the design's points.
    public func fitted(_ coefficients: [Double]) -> [Double] {
        (0..<count).map { j in
            var s = 0.0
            for a in 0..<columns { s += design[j * columns + a] * coefficients[a] }
            return s
        }
    }

    /// Solves (G + λP)β = m by Cholesky; with `wantTrace`, also tr((G + λP)⁻¹G).
    private func solve(gram g: [Double], moment m: [Double], lambda: Double, wantTrace: Bool) -> (beta: [Double], df: Double)? {
        let p = columns
        var a = g
        // A tiny ridge on the cubic part too keeps a design with few distinct x solvable.
        for i in 0..<p { a[i * p + i] += penalised[i] ? lambda : lambda * 1e-9 }
        guard Cholesky.factor(&a, p) else { return nil }
        let beta = Cholesky.solve(a, p, m)
        guard wantTrace else { return (beta, 0) }
        var trace = 0.0
        for c in 0..<p {
            let column = Cholesky.solve(a, p, (0..<p).map { g[$0 * p + c] })
            trace += column[c]
        }
        return (beta, trace)
    }
}

/// Cholesky factorisation of a small symmetric positive-definite matrix, in place (lower triangle).
enum Cholesky {
    static func factor(_ a: inout [Double], _ p: Int) -> Bool {
        for j in 0..<p {
            var d = a[j * p + j]
            for k in 0..<j { d -= a[j * p + k] * a[j * p + k] }
            guard d > 0, d.isFinite else { return false }
            let root = d.squareRoot()
            a[j * p + j] = root
            for i in (j + 1)..<Swift.max(j + 1, p) {
                var s = a[i * p + j]
                for k in 0..<j { s -= a[i * p + k] * a[j * p + k] }
                a[i * p + j] = s / root
            }
        }
        return true
    }

    static func solve(_ l: [Double], _ p: Int, _ b: [Double]) -> [Double] {
        var z = b
        for i in 0..<p {
            var s = z[i]
            for k in 0..<i { s -= l[i * p + k] * z[k] }
            z[i] = s / l[i * p + i]
        }
        for i in stride(from: p - 1, through: 0, by: -1) {
            var s = z[i]
            for k in (i + 1)..<Swift.max(i + 1, p) { s -= l[k * p + i] * z[k] }
            z[i] = s / l[i * p + i]
        }
        return z
    }
}
