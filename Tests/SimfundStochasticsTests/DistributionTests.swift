import Testing
import SimfundStochastics

@Suite("Distributions")
struct DistributionTests {
    static let cases: [Distribution] = [
        .uniform(min: 2, max: 5),
        .triangular(min: 0, mode: 1, max: 4),
        .pert(min: 10, mode: 12, max: 20),
        .normal(mean: 3, sd: 2),
        .lognormal(median: 1, sigma: 0.3),
        .beta(alpha: 6, beta: 14),
        .gamma(shape: 2, scale: 1.5),
        .poisson(mean: 7),
    ]

    @Test("Sample means within 4 standard errors of the analytic mean", arguments: cases)
    func means(distribution: Distribution) {
        var stream = RandomStream(seed: 2024, key: StreamKey(replicate: 0, year: 0, unit: 1, purpose: .parameter))
        let n = 40_000
        var sum = 0.0, squares = 0.0
        for _ in 0..<n {
            let x = distribution.sample(&stream)
            sum += x
            squares += x * x
        }
        let mean = sum / Double(n)
        let variance = squares / Double(n) - mean * mean
        #expect(abs(mean - distribution.mean) < 4 * (distribution.variance / Double(n)).squareRoot(), "\(distribution): \(mean)")
        // The sample variance within 10% of the analytic one (n is large).
        #expect(abs(variance / distribution.variance - 1) < 0.1, "\(distribution): variance \(variance)")
    }

    @Test("Draws stay in the support")
    func support() {
        var stream = RandomStream(seed: 5, key: StreamKey(replicate: 0, year: 0, unit: 2, purpose: .parameter))
        for _ in 0..<10_000 {
            let t = Distribution.triangular(min: 1, mode: 1, max: 3).sample(&stream)
            #expect(t >= 1 && t <= 3)
            let p = Distribution.pert(min: 0, mode: 4, max: 4).sample(&stream)
            #expect(p >= 0 && p <= 4)
            let b = Distribution.beta(alpha: 0.5, beta: 0.5).sample(&stream)
            #expect(b >= 0 && b <= 1)
        }
    }

    @Test("Degenerate distributions return their value without drawing")
    func degenerate() {
        let key = StreamKey(replicate: 0, year: 0, unit: 3, purpose: .parameter)
        var a = RandomStream(seed: 1, key: key)
        var b = RandomStream(seed: 1, key: key)
        #expect(Distribution.fixed(3).sample(&a) == 3)
        #expect(Distribution.normal(mean: 4, sd: 0).sample(&a) == 4)
        #expect(Distribution.uniform(min: 2, max: 2).sample(&a) == 2)
        #expect(Distribution.lognormal(median: 5, sigma: 0).sample(&a) == 5)
        #expect(a.nextRaw() == b.nextRaw())
    }

    @Test("Parameters GSL would reject are caught before any draw", arguments: [
        ("beta", ["alpha": 0, "beta": 1], "alpha"), ("normal", ["mean": 0, "sd": -1], "sd"),
        ("uniform", ["min": 2, "max": 1], "max"), ("gamma", ["shape": 1, "scale": 0], "scale"),
        ("lognormal", ["median": 0, "sigma": 1], "median"), ("triangular", ["min": 0, "mode": 5, "max": 4], "mode"),
        ("poisson", ["mean": -1], "mean"),
    ])
    func rejected(name: String, parameters: [String: Double], parameter: String) {
        guard case let .failure(problem) = Distribution.make(name: name, parameters: parameters) else {
            Issue.record("\(name) \(parameters) accepted")
            return
        }
        #expect(problem.parameter == parameter)
    }

    @Test("Unknown names are rejected")
    func unknownName() {
        guard case let .failure(problem) = Distribution.make(name: "cauchy", parameters: [:]) else {
            Issue.record("accepted")
            return
        }
        #expect(problem.parameter == nil)
    }
}
