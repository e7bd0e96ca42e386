/// Builds SVG text by hand: one element per line, numbers with a fixed number of
/// decimals and attributes in a fixed order, so the same map always gives the same bytes.
struct SVGText {
    private(set) var text = ""

    mutating func line(_ s: String) {
        text += s
        text += "\n"
    }

    /// `x` with one decimal (a tenth of a pixel is below what a rasteriser shows), never `-0.0`.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let tenths = Int((x * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let a = abs(tenths)
        return a % 10 == 0 ? "\(sign)\(a / 10)" : "\(sign)\(a / 10).\(a % 10)"
    }

    /// Text content and attribute values with XML's five special characters escaped.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Path data for polylines (`M x y L x y …`) and, when `closed`, rings ending in `Z`.
    static func pathData(_ parts: [[PixelPoint]], closed: Bool) -> String {
        var d = ""
        for part in parts where part.count >= 2 {
            var first = true
            for p in part {
                d += first ? "M" : "L"
                d += number(p.x)
                d += " "
                d += number(p.y)
                first = false
            }
            if closed { d += "Z" }
        }
        return d
    }

    /// Removes consecutive vertices that round to the same tenth of a pixel.
    static func thinned(_ points: [PixelPoint]) -> [PixelPoint] {
        var out: [PixelPoint] = []
        out.reserveCapacity(points.count)
        var lastKey: (Int, Int)?
        for p in points {
            let key = (Int((p.x * 10).rounded()), Int((p.y * 10).rounded()))
            if let lastKey, lastKey == key { continue }
            out.append(p)
            lastKey = key
        }
        return out
    }
}
