import Foundation

/// Decimal text of a double with a fixed number of places, exactly as C's `printf("%.Nf")`
/// writes it (the exact binary value rounded half to even), without going through
/// `String(format:)`: the report files write millions of numbers.
///
/// The product x · 10ᴺ is formed exactly as a sum of two doubles (`hi` by multiplication,
/// the rounding error `lo` by a fused multiply-add, exact since 10ᴺ is exact for N ≤ 22);
/// `hi` rounded to the nearest integer is the answer unless `hi` lies exactly halfway,
/// where the sign of `lo` decides, and an exact tie goes to the even neighbour.
/// Magnitudes whose scaled value reaches 2⁵⁰, non-finite values and more than 17 places
/// go through `String(format:)`.
public enum FixedDecimal {
    private static let powers: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { r, _ in r * 10 } }

    /// `x` with `places` decimals; `-0.000` style results keep their sign, as printf does.
    /// - Complexity: O(digits).
    public static func text(_ x: Double, places: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(x, places: places, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text of `text(x, places:)` to `out`.
    public static func append(_ x: Double, places: Int, to out: inout [UInt8]) {
        guard places >= 0, places <= 17, x.isFinite else { return slow(x, places, &out) }
        let scale = powers[places]
        let hi = x * scale
        guard abs(hi) < 1_125_899_906_842_624 else { return slow(x, places, &out) }  // 2^50
        let lo = (-hi).addingProduct(x, scale)  // x · scale − hi, rounded once: exact
        var n = hi.rounded(.toNearestOrEven)
        let gap = hi - n  // exact: n is hi rounded to an integer
        if abs(gap) == 0.5 {
            // hi lies halfway; the exact product is above, below or on the tie.
            if lo > 0 { n = gap > 0 ? n + 1 : n } else if lo < 0 { n = gap < 0 ? n - 1 : n }
        }
        var magnitude = UInt64(abs(n))
        if x.sign == .minus { out.append(UInt8(ascii: "-")) }
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: 20)
        var i = digits.count
        repeat {
            i -= 1
            digits[i] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        let count = digits.count - i
        if count <= places {
            out.append(UInt8(ascii: "0"))
            if places > 0 { out.append(UInt8(ascii: ".")) }
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: places - count))
            out.append(contentsOf: digits[i...])
        } else {
            out.append(contentsOf: digits[i..<(digits.count - places)])
            if places > 0 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[(digits.count - places)...])
            }
        }
    }

    private static func slow(_ x: Double, _ places: Int, _ out: inout [UInt8]) {
        out.append(contentsOf: String(format: "%.\(places)f", x).utf8)
    }
}
