/// An sRGB colour with 8-bit channels.
public struct RGBColor: Hashable, Sendable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `#rrggbb`, lower case.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        var s = "#"
        for c in [red, green, blue] {
            s.append(digits[Int(c >> 4)])
            s.append(digits[Int(c & 15)])
        }
        return s
    }

    public var description: String { hex }

    /// Linear interpolation of each channel, `t` in 0...1 from `a` to `b`.
    public static func mix(_ a: RGBColor, _ b: RGBColor, _ t: Double) -> RGBColor {
        func channel(_ x: UInt8, _ y: UInt8) -> UInt8 {
            UInt8((Double(x) + (Double(y) - Double(x)) * t).rounded())
        }
        return RGBColor(channel(a.red, b.red), channel(a.green, b.green), channel(a.blue, b.blue))
    }
}

/// Colours for a change in flow: blue for a decrease, grey for none, red for an
/// increase, symmetric around 0 so that equal gains and losses look equally strong.
///
/// The end colours are ColorBrewer's RdBu extremes (Brewer, Harrower 2003); the
/// middle is a mid grey rather than RdBu's near-white, which would vanish on the
/// light country background.
public struct DivergingColorScale: Hashable, Sendable {
    public static let decrease = RGBColor(0x21, 0x66, 0xac)
    public static let neutral = RGBColor(0x9e, 0x9e, 0x9e)
    public static let increase = RGBColor(0xb2, 0x18, 0x2b)

    /// The magnitude drawn in the full colours; larger changes are clamped to it.
    public let maximum: Double

    /// - Parameter maximum: positive and finite; a non-positive value means 1 (nothing changed).
    public init(maximum: Double) {
        self.maximum = maximum.isFinite && maximum > 0 ? maximum : 1
    }

    /// A scale whose maximum is the largest |change| rounded up to a readable number.
    public init(fitting changes: some Sequence<Double>) {
        let largest = changes.reduce(0) { max($0, abs($1).isFinite ? abs($1) : 0) }
        self.init(maximum: NiceNumber.ceiling(largest))
    }

    /// Where `value` falls, from -1 (−maximum or less) through 0 to 1 (+maximum or more).
    public func position(_ value: Double) -> Double {
        guard value.isFinite else { return 0 }
        return min(1, max(-1, value / maximum))
    }

    public func color(_ value: Double) -> RGBColor {
        let t = position(value)
        return t < 0 ? RGBColor.mix(Self.neutral, Self.decrease, -t) : RGBColor.mix(Self.neutral, Self.increase, t)
    }

    /// Values for legend ticks: −max, −max/2, 0, max/2, max.
    public var ticks: [Double] { [-maximum, -maximum / 2, 0, maximum / 2, maximum] }
}

/// Line width proportional to the square root of a flow, so that a line's area on
/// the page (width × length) grows with the flow it carries rather than its square.
public struct SqrtWidthScale: Hashable, Sendable {
    /// The flow drawn `maximumWidth` wide.
    public let maximumValue: Double
    public let maximumWidth: Double
    /// The thinnest line drawn for a positive flow, so small flows stay visible.
    public let minimumWidth: Double

    public init(maximumValue: Double, maximumWidth: Double = 10, minimumWidth: Double = 0.75) {
        self.maximumValue = maximumValue.isFinite && maximumValue > 0 ? maximumValue : 1
        self.maximumWidth = maximumWidth
        self.minimumWidth = min(minimumWidth, maximumWidth)
    }

    /// `maximumWidth · √(value / maximumValue)`, at least `minimumWidth`; 0 for no flow.
    public func width(_ value: Double) -> Double {
        guard value.isFinite, value > 0 else { return 0 }
        return max(minimumWidth, maximumWidth * (min(value, maximumValue) / maximumValue).squareRoot())
    }

    /// Flows for a width legend: the maximum and round numbers near a quarter and a
    /// sixteenth of it (about ½ and ¼ of the widest line).
    public var legendValues: [Double] {
        [maximumValue, NiceNumber.floor125(maximumValue / 4), NiceNumber.floor125(maximumValue / 16)]
    }
}

/// Round numbers for scales and legends.
public enum NiceNumber {
    /// The smallest of 1, 2, 2.5, 5 × 10^k that is ≥ `x`; 1 for non-positive input.
    public static func ceiling(_ x: Double) -> Double {
        guard x.isFinite, x > 0 else { return 1 }
        var power = 1.0
        while power * 10 < x { power *= 10 }
        while power > x { power /= 10 }
        for m in [1.0, 2, 2.5, 5, 10] where m * power >= x * (1 - 1e-12) { return m * power }
        return 10 * power
    }

    /// The largest of 1, 2, 5 × 10^k that is ≤ `x` (for scale bars); `x` itself if not positive.
    public static func floor125(_ x: Double) -> Double {
        guard x.isFinite, x > 0 else { return x }
        var power = 1.0
        while power * 10 <= x { power *= 10 }
        while power > x { power /= 10 }
        for m in [5.0, 2, 1] where m * power <= x * (1 + 1e-12) { return m * power }
        return power
    }

    /// A short label: thousands separated by commas, at most `decimals` decimals, no trailing zeros, never `-0`.
    public static func label(_ x: Double, decimals: Int = 1) -> String {
        guard x.isFinite else { return String(x) }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        var units = (abs(x) * scale).rounded()
        let negative = x < 0 && units > 0
        var fraction = ""
        for _ in 0..<decimals {
            let digit = Int(units.truncatingRemainder(dividingBy: 10))
            units = (units / 10).rounded(.towardZero)
            fraction = String(digit) + fraction
        }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        var integer = String(Int(units))
        var grouped = ""
        while integer.count > 3 {
            grouped = "," + integer.suffix(3) + grouped
            integer.removeLast(3)
        }
        let body = integer + grouped + (fraction.isEmpty ? "" : "." + fraction)
        return (negative ? "−" : "") + body
    }
}
