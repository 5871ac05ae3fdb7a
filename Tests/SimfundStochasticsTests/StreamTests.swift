import Testing
import SimfundStochastics

@Suite("Random streams")
struct StreamTests {
    @Test("A stream is a pure function of (seed, key)")
    func reproducible() {
        let key = StreamKey(replicate: 12, year: 3, unit: 4, purpose: .attrition)
        var a = RandomStream(seed: 99, key: key)
        var b = RandomStream()
        _ = b.nextRaw()
        b.select(seed: 99, key: key)
        for _ in 0..<100 { #expect(a.nextRaw() == b.nextRaw()) }
    }

    @Test("Key fields pack into disjoint bits")
    func packing() {
        let key = StreamKey(replicate: 0xABCD_EF01, year: 0x23, unit: 0x4567, purpose: .seniorExam)
        #expect(key.rawValue == 0xABCD_EF01_2345_6707)
        #expect(StreamKey(replicate: 1, year: 0, unit: 0, purpose: .parameter) != StreamKey(replicate: 0, year: 1, unit: 0, purpose: .parameter))
    }

    @Test("10⁶ replicates: no two streams start alike (32-bit seeds would collide)")
    func noCollisions() {
        var firstOutputs = Set<UInt64>()
        var stream = RandomStream()
        for r in 0..<1_000_000 {
            stream.select(seed: 42, key: StreamKey(replicate: r, year: 1, unit: 0, purpose: .failures))
            firstOutputs.insert(stream.nextRaw())
        }
        #expect(firstOutputs.count == 1_000_000)
        // Neighbouring seeds and purposes differ too.
        var a = RandomStream(seed: 1, key: StreamKey(replicate: 0, year: 1, unit: 0, purpose: .entrants))
        var b = RandomStream(seed: 2, key: StreamKey(replicate: 0, year: 1, unit: 0, purpose: .entrants))
        var c = RandomStream(seed: 1, key: StreamKey(replicate: 0, year: 1, unit: 0, purpose: .juniorExam))
        let x = a.nextRaw()
        #expect(x != b.nextRaw() && x != c.nextRaw())
    }

    @Test("Uniform draws: mean 1/2 and variance 1/12 within 4 standard errors, all in [0, 1)")
    func uniformMoments() {
        var stream = RandomStream(seed: 7, key: StreamKey(replicate: 0, year: 0, unit: 0, purpose: .parameter))
        let n = 200_000
        var sum = 0.0, squares = 0.0
        for _ in 0..<n {
            let u = stream.uniform()
            #expect(u >= 0 && u < 1)
            sum += u
            squares += u * u
        }
        let mean = sum / Double(n)
        #expect(abs(mean - 0.5) < 4 * (1.0 / 12 / Double(n)).squareRoot())
        // Var(U²) = 1/5 − 1/9 = 4/45.
        #expect(abs(squares / Double(n) - 1.0 / 3) < 4 * (4.0 / 45 / Double(n)).squareRoot())
    }

    @Test("Certain binomial outcomes take no draw")
    func certainOutcomes() {
        let key = StreamKey(replicate: 0, year: 1, unit: 0, purpose: .failures)
        var a = RandomStream(seed: 3, key: key)
        var b = RandomStream(seed: 3, key: key)
        #expect(a.binomial(0, 0.5) == 0)
        #expect(a.binomial(10, 0) == 0)
        #expect(a.binomial(10, 1) == 10)
        #expect(a.binomial(10, 1.5) == 10)
        #expect(a.poisson(0) == 0)
        #expect(a.nextRaw() == b.nextRaw())
    }

    @Test("Binomial and Poisson means within 4 standard errors")
    func discreteMoments() {
        var stream = RandomStream(seed: 11, key: StreamKey(replicate: 0, year: 1, unit: 0, purpose: .attrition))
        let n = 50_000
        var binomialSum = 0.0, poissonSum = 0.0
        for _ in 0..<n {
            binomialSum += Double(stream.binomial(50, 0.3))
            poissonSum += Double(stream.poisson(4.5))
        }
        #expect(abs(binomialSum / Double(n) - 15) < 4 * (50 * 0.3 * 0.7 / Double(n)).squareRoot())
        #expect(abs(poissonSum / Double(n) - 4.5) < 4 * (4.5 / Double(n)).squareRoot())
    }

    @Test("A GSL error is recorded, not an abort")
    func gslErrorsAreRecorded() {
        _ = GSLRuntime.takeFailure()
        GSLRuntime.provokeErrorForTesting()
        let failure = GSLRuntime.takeFailure()
        #expect(failure?.contains("GSL error") == true)
        #expect(GSLRuntime.takeFailure() == nil)
        #expect(GSLRuntime.version.hasPrefix("2."))
    }
}

@Suite("Draws beyond GSL's 32-bit counts")
struct LargeCountTests {
    @Test("Binomial with n ≥ 2³² and Poisson with mean > 10⁹ are drawn in parts, with the right mean")
    func largeCounts() {
        var stream = RandomStream(seed: 1, key: StreamKey(replicate: 0, year: 1, unit: 0, purpose: .attrition))
        let n = 10_000_000_000
        let x = stream.binomial(n, 0.5)
        // sd = √(n/4) = 50,000: within 6 sd.
        #expect(abs(Double(x) - 5e9) < 300_000)
        let y = stream.poisson(3e9)
        #expect(abs(Double(y) - 3e9) < 6 * (3e9).squareRoot())
        #expect(stream.binomial(n, 1) == n)
        #expect(stream.poisson(.nan) == 0 && stream.binomial(5, .nan) == 0)
    }
}
