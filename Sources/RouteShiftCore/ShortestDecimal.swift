/// The shortest decimal that reads back as a given double, written as bytes without
/// building a `String`: the text of Swift's `description` for the doubles it covers.
///
/// The digits are found as by Ryū (U. Adams, "Ryū: fast float-to-string conversion",
/// PLDI 2018, §3): the double's rounding interval, the neighbours halfway to the
/// adjacent doubles (inclusive when the significand is even, as round-to-nearest-even
/// reads them), is scaled by a power of ten so that its ends are integers of about 17
/// digits, and decimal digits are then removed from the three values together while the
/// ends still differ in what is left; the last removed digit rounds the middle value,
/// ties to even. Where Ryū multiplies by 128-bit approximations of 5ⁱ and 5⁻ⁱ from a
/// table, this covers only magnitudes in [10⁻⁴, 2⁵²), where 5ⁱ is an exact 64-bit integer
/// (i ≤ 22), so each scaled end is one exact 64 × 64-bit product shifted right, and whether
/// it is an integer (what Ryū's trailing-zero flags track) is read off the shifted-out bits.
/// Swift writes that range in positional notation (`0.0001`, `79.19326095371792`), which
/// is what `append` writes; other doubles, integers and non-finite values are refused.
public enum ShortestDecimal {
    /// 5⁰ … 5²⁷, exact.
    private static let powersOfFive: [UInt64] = (0...27).map { p in (0..<p).reduce(UInt64(1)) { r, _ in r * 5 } }

    /// Appends the shortest round-trip decimal of `x` in positional notation, as
    /// `x.description` writes it, and returns `true`; returns `false` (appending nothing)
    /// when `x` is an integer, not finite, or its magnitude is outside [10⁻⁴, 2⁵²).
    /// - Complexity: O(digits), at most 17 digits.
    @inline(__always)
    public static func append(_ x: Double, to out: inout [UInt8]) -> Bool {
        var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &text) { buffer in
            let start = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            guard let n = write(x, to: start) else { return false }
            out.append(contentsOf: UnsafeRawBufferPointer(start: start, count: n))
            return true
        }
    }

    /// `append`'s text written at `p` (room for 24 bytes: a sign, "0.", three zeros and
    /// 17 digits at most); returns its length, or `nil` (nothing written) where `append`
    /// returns `false`.
    @inline(__always)
    public static func write(_ x: Double, to p: UnsafeMutablePointer<UInt8>) -> Int? {
        let magnitude = x.magnitude
        guard magnitude >= 1e-4, magnitude < 4_503_599_627_370_496, x.rounded(.towardZero) != x else { return nil }
        let (digits, exponent) = shortestDigits(magnitude)
        var q = p
        if x < 0 { q.pointee = UInt8(ascii: "-"); q += 1 }
        let count = decimalLength(digits)
        let whole = count + exponent  // digits before the point
        if whole > 0 {
            writeDigits(digits / powersOfTen[count - whole], count: whole, to: q)
            q[whole] = UInt8(ascii: ".")
            writeDigits(digits % powersOfTen[count - whole], count: count - whole, to: q + whole + 1)
            q += count + 1
        } else {
            q[0] = UInt8(ascii: "0"); q[1] = UInt8(ascii: ".")
            for k in 0..<(-whole) { q[2 + k] = UInt8(ascii: "0") }
            writeDigits(digits, count: count, to: q + 2 - whole)
            q += 2 - whole + count
        }
        return q - p
    }

    /// 10⁰ … 10¹⁹.
    private static let powersOfTen: [UInt64] = (0...19).map { p in (0..<p).reduce(UInt64(1)) { r, _ in r * 10 } }

    /// The number of decimal digits of `n` (1 for 0).
    @inline(__always)
    public static func decimalLength(_ n: UInt64) -> Int {
        var count = 1, bound: UInt64 = 10
        while count < 20, n >= bound {
            count += 1
            if count < 20 { bound &*= 10 }
        }
        return count
    }

    /// Writes the last `count` decimal digits of `n` at `p`, leading zeros included,
    /// two at a time from a table of the pairs 00 … 99.
    @inline(__always)
    public static func writeDigits(_ n: UInt64, count: Int, to p: UnsafeMutablePointer<UInt8>) {
        let pairs = digitPairs.utf8Start
        var n = n, k = count
        while k >= 2 {
            let r = Int(truncatingIfNeeded: n % 100)
            n /= 100
            k -= 2
            p[k] = pairs[2 * r]
            p[k + 1] = pairs[2 * r + 1]
        }
        if k == 1 { p[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: n % 10) }
    }

    /// "00", "01", … "99" run together (a literal: no lazily built table).
    private static var digitPairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }

    /// The shortest digits of a positive normal `x` in [10⁻⁴, 2⁵²) that is not an
    /// integer: `x` reads back from `digits` · 10^`exponent`, `exponent` < 0.
    @inline(__always)
    static func shortestDigits(_ x: Double) -> (digits: UInt64, exponent: Int) {
        let bits = x.bitPattern
        let fractionBits = bits & ((1 << 52) - 1)
        let biasedExponent = Int(bits >> 52)  // positive: no sign bit
        let m2 = fractionBits | (1 << 52)
        // x = (4 m2) · 2^-e with e = 1077 - biasedExponent, 3 ≤ e ≤ 68 in the range covered.
        let e = 1077 - biasedExponent
        let acceptBounds = m2 & 1 == 0
        let mv = 4 * m2
        let mp = mv + 2
        let mm = mv - (fractionBits != 0 ? 2 : 1)  // a power of two has the closer neighbour below
        // Ryū's scaling for negative binary exponents: q = ⌊e log10 5⌋ - 1, the ends
        // multiplied by 10^(e-q) / 2^e = 5^(e-q) / 2^q.
        let q = ((e * 732_923) >> 20) - 1
        let five = powersOfFive[e - q]
        let lowMask: UInt64 = (1 << UInt64(q)) - 1
        @inline(__always) func scaled(_ a: UInt64) -> (value: UInt64, exact: Bool) {
            let (high, low) = a.multipliedFullWidth(by: five)
            return ((high << UInt64(64 - q)) | (low >> UInt64(q)), low & lowMask == 0)
        }
        let r = scaled(mv), p = scaled(mp), m = scaled(mm)
        var vr = r.value, vp = p.value, vm = m.value
        if p.exact, !acceptBounds { vp -= 1 }  // the upper end itself is excluded
        var vmIsTrailingZeros = acceptBounds && m.exact
        var vrIsTrailingZeros = r.exact
        var removed = 0
        var lastRemovedDigit: UInt64 = 0
        let output: UInt64
        if vmIsTrailingZeros || vrIsTrailingZeros {
            // An end or the value itself is exactly representable at this scale: track
            // whether everything removed was zero (for the lower end and for ties).
            while vp / 10 > vm / 10 {
                vmIsTrailingZeros = vmIsTrailingZeros && vm % 10 == 0
                vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0
                lastRemovedDigit = vr % 10
                vr /= 10; vp /= 10; vm /= 10
                removed += 1
            }
            if vmIsTrailingZeros {
                while vm % 10 == 0 {
                    vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0
                    lastRemovedDigit = vr % 10
                    vr /= 10; vp /= 10; vm /= 10
                    removed += 1
                }
            }
            if vrIsTrailingZeros, lastRemovedDigit == 5, vr % 2 == 0 { lastRemovedDigit = 4 }  // tie: to even
            let outside = vr == vm && (!acceptBounds || !vmIsTrailingZeros)
            output = vr + (outside || lastRemovedDigit >= 5 ? 1 : 0)
        } else {
            var roundUp = false
            if vp / 100 > vm / 100 {
                roundUp = vr % 100 >= 50
                vr /= 100; vp /= 100; vm /= 100
                removed += 2
            }
            while vp / 10 > vm / 10 {
                roundUp = vr % 10 >= 5
                vr /= 10; vp /= 10; vm /= 10
                removed += 1
            }
            output = vr + (vr == vm || roundUp ? 1 : 0)
        }
        return (output, q - e + removed)
    }
}
