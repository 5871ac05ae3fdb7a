/// A sum of doubles kept exactly, so that adding values in any order and
/// merging partial sums in any grouping gives the very same bits.
///
/// The sum is a 384-bit two's-complement fixed-point number with 128
/// fractional bits: every double whose lowest set bit is at or above 2⁻¹²⁸
/// and whose magnitude is below 2²²³ adds exactly; bits below 2⁻¹²⁸ are
/// dropped (towards zero) before adding, the same way for every value, so
/// the result is still a function of the multiset of values alone. simfund's
/// values (counts, shares, yuan amounts capped at 10¹⁵ per district) and
/// their squares lie far inside that range.
///
/// Why not floating point: Welford's or Chan's updates are not associative,
/// so a run split over threads, shards or machines would differ in the last
/// bits from a single run. With exact sums, merge(a, b) over two replicate
/// ranges equals one run over both, bit for bit.
struct ExactSum: Sendable, Hashable {
    // Little-endian limbs: value = Σ limbᵢ · 2^(64·i − 128), two's complement.
    private(set) var l0: UInt64 = 0, l1: UInt64 = 0, l2: UInt64 = 0, l3: UInt64 = 0, l4: UInt64 = 0, l5: UInt64 = 0

    static let fractionalBits = 128
    static let limbCount = 6

    init() {}

    init(limbs: [UInt64]) {
        precondition(limbs.count == ExactSum.limbCount)
        (l0, l1, l2, l3, l4, l5) = (limbs[0], limbs[1], limbs[2], limbs[3], limbs[4], limbs[5])
    }

    var limbs: [UInt64] { [l0, l1, l2, l3, l4, l5] }

    var isNegative: Bool { l5 >> 63 == 1 }

    /// Adds `x` (finite; |x| < 2²²³).
    @inline(__always)
    mutating func add(_ x: Double) {
        guard x != 0, x.isFinite else { return }
        let bits = x.bitPattern
        let biased = Int((bits >> 52) & 0x7FF)
        var mantissa = bits & 0x000F_FFFF_FFFF_FFFF
        // Position of the mantissa's lowest bit relative to 2⁻¹²⁸.
        var shift: Int
        if biased == 0 {
            shift = -1074 + ExactSum.fractionalBits
        } else {
            mantissa |= 1 << 52
            shift = biased - 1075 + ExactSum.fractionalBits
        }
        if shift < 0 {
            guard shift > -64 else { return }
            mantissa >>= UInt64(-shift)
            shift = 0
            if mantissa == 0 { return }
        }
        let limb = shift >> 6, offset = UInt64(shift & 63)
        precondition(limb <= 4, "ExactSum: value out of range")
        let low = mantissa << offset
        let high = offset == 0 ? 0 : mantissa >> (64 - offset)
        addTerm(low, high, at: limb, negative: bits >> 63 != 0)
    }

    /// Adds x·y exactly (the product split into its rounded value and the
    /// rounding error with a fused multiply-add).
    @inline(__always)
    mutating func addProduct(_ x: Double, _ y: Double) {
        let product = x * y
        add(product)
        add(x.multipliedAddingError(y, product))
    }

    mutating func add(_ other: ExactSum) {
        var carry = false
        func step(_ a: inout UInt64, _ b: UInt64) {
            let (s1, o1) = a.addingReportingOverflow(b)
            let (s2, o2) = s1.addingReportingOverflow(carry ? 1 : 0)
            a = s2
            carry = o1 || o2
        }
        step(&l0, other.l0); step(&l1, other.l1); step(&l2, other.l2)
        step(&l3, other.l3); step(&l4, other.l4); step(&l5, other.l5)
    }

    /// Adds ±(high·2⁶⁴ + low)·2^(64·limb) in units of 2⁻¹²⁸: a negative term
    /// is added as its two's complement, so one carry chain serves both signs.
    @inline(__always)
    private mutating func addTerm(_ low: UInt64, _ high: UInt64, at limb: Int, negative: Bool) {
        var term = ExactSum()
        switch limb {
        case 0: (term.l0, term.l1) = (low, high)
        case 1: (term.l1, term.l2) = (low, high)
        case 2: (term.l2, term.l3) = (low, high)
        case 3: (term.l3, term.l4) = (low, high)
        default: (term.l4, term.l5) = (low, high)
        }
        if negative {
            (term.l0, term.l1, term.l2, term.l3, term.l4, term.l5) = (~term.l0, ~term.l1, ~term.l2, ~term.l3, ~term.l4, ~term.l5)
            var one = ExactSum()
            one.l0 = 1
            term.add(one)
        }
        add(term)
    }

    /// The magnitude as little-endian limbs, and the sign.
    var magnitude: (limbs: [UInt64], negative: Bool) {
        guard isNegative else { return (limbs, false) }
        var result = limbs.map { ~$0 }
        var i = 0
        while i < result.count {
            let (s, o) = result[i].addingReportingOverflow(1)
            result[i] = s
            if !o { break }
            i += 1
        }
        return (result, true)
    }

    /// The sum, rounded to a double (deterministically: a function of the limbs).
    var value: Double {
        let (words, negative) = magnitude
        let magnitude = BigMagnitude.double(words, scale: -ExactSum.fractionalBits)
        return negative ? -magnitude : magnitude
    }
}

extension Double {
    /// The rounding error of `self · y` given its rounded value `product`
    /// (exact with a fused multiply-add: self·y = product + error).
    @inline(__always)
    func multipliedAddingError(_ y: Double, _ product: Double) -> Double {
        (-product).addingProduct(self, y)
    }
}

/// Arithmetic on non-negative integers held as little-endian 64-bit limbs,
/// enough for the exact variance numerator n·Σx² − (Σx)².
enum BigMagnitude {
    /// a · b.
    static func multiply(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var result = [UInt64](repeating: 0, count: a.count + b.count)
        for i in a.indices where a[i] != 0 {
            var carry: UInt64 = 0
            for j in b.indices {
                let (high, low) = a[i].multipliedFullWidth(by: b[j])
                let (s1, o1) = result[i + j].addingReportingOverflow(low)
                let (s2, o2) = s1.addingReportingOverflow(carry)
                result[i + j] = s2
                carry = high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            }
            var k = i + b.count
            while carry != 0 && k < result.count {
                let (s, o) = result[k].addingReportingOverflow(carry)
                result[k] = s
                carry = o ? 1 : 0
                k += 1
            }
        }
        return result
    }

    /// a · 2^(64·limbs).
    static func shiftedLimbs(_ a: [UInt64], by limbs: Int) -> [UInt64] {
        [UInt64](repeating: 0, count: limbs) + a
    }

    /// a − b, or nil when b > a. Both are padded to the same length.
    static func subtract(_ a: [UInt64], _ b: [UInt64]) -> [UInt64]? {
        let count = max(a.count, b.count)
        let a = a + [UInt64](repeating: 0, count: count - a.count)
        let b = b + [UInt64](repeating: 0, count: count - b.count)
        var result = [UInt64](repeating: 0, count: count)
        var borrow: UInt64 = 0
        for i in 0..<count {
            let (d1, o1) = a[i].subtractingReportingOverflow(b[i])
            let (d2, o2) = d1.subtractingReportingOverflow(borrow)
            result[i] = d2
            borrow = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        return borrow == 0 ? result : nil
    }

    /// The integer times 2^scale, correctly rounded to a double: the top 64
    /// bits with a sticky bit for everything below, converted once.
    static func double(_ words: [UInt64], scale: Int) -> Double {
        guard let top = words.lastIndex(where: { $0 != 0 }) else { return 0 }
        let leading = words[top].leadingZeroBitCount
        // Bit position (from 0) of the lowest of the 64 bits kept.
        let lowest = 64 * top - leading
        var kept: UInt64 = 0
        var sticky = false
        if lowest <= 0 {
            kept = words[top] << UInt64(leading)
            if top > 0 { kept |= words[top - 1] >> UInt64(64 - leading) }
            // lowest can be negative only when top == 0 (kept then holds every bit).
        } else {
            let limb = lowest / 64, offset = lowest % 64
            kept = words[limb] >> UInt64(offset)
            if offset > 0, limb + 1 < words.count { kept |= words[limb + 1] << UInt64(64 - offset) }
            sticky = offset > 0 && words[limb] & ((1 << UInt64(offset)) - 1) != 0
            if !sticky { sticky = words[..<limb].contains { $0 != 0 } }
        }
        if sticky { kept |= 1 }
        let exponent = lowest + scale
        return Double(kept) * Double(sign: .plus, exponent: exponent, significand: 1)
    }
}
