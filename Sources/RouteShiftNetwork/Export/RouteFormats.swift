import Foundation
import RouteShiftCore
import RouteShiftGeoJSON

/// Stable, documented output schemas for route results.
///
/// - GeoJSON: one `LineString` Feature per route, properties `rank`, `from`,
///   `to`, `cost`, `length_km`, `nodes` (labels), `edges` (ids).
/// - JSON: `{"routes":[{rank, from, to, cost, length_km, nodes, edges, steps:[…]}]}`.
/// - CSV: pgRouting's `pgr_KSP` shape, one row per step plus a final row per
///   route with edge -1: `path_id,path_seq,node,edge,cost,agg_cost`.
public enum RouteFormats {
    public static func feature(_ route: RouteDescription, in network: RouteNetwork) -> Feature {
        var props: [String: JSONValue] = [
            "rank": .number(Double(route.rank)),
            "from": .string(network.label(ofNode: route.from)),
            "to": .string(network.label(ofNode: route.to)),
            "cost": .number(route.cost),
            "nodes": .array(route.nodes.map { .string(network.label(ofNode: $0)) }),
            "edges": .array(route.steps.map { .number(Double($0.edgeId)) }),
        ]
        props["length_km"] = route.lengthKm.map(JSONValue.number) ?? .null
        let geometry: Geometry? = route.geometry.map { $0.count == 1 ? .point($0[0]) : .lineString($0) }
        return Feature(geometry: geometry, properties: props)
    }

    public static func json(_ routes: [RouteDescription], in network: RouteNetwork) -> JSONValue {
        .object(["routes": .array(routes.map { route in
            var object: [String: JSONValue] = [
                "rank": .number(Double(route.rank)),
                "from": .string(network.label(ofNode: route.from)),
                "to": .string(network.label(ofNode: route.to)),
                "cost": .number(route.cost),
                "length_km": route.lengthKm.map(JSONValue.number) ?? .null,
                "nodes": .array(route.nodes.map { .string(network.label(ofNode: $0)) }),
                "edges": .array(route.steps.map { .number(Double($0.edgeId)) }),
            ]
            object["steps"] = .array(route.steps.map { step in
                var s: [String: JSONValue] = [
                    "edge": .number(Double(step.edgeId)),
                    "from": .string(network.label(ofNode: step.from)),
                    "to": .string(network.label(ofNode: step.to)),
                    "cost": .number(step.cost),
                    "agg_cost": .number(step.aggregateCost),
                    "length_km": step.lengthKm.map(JSONValue.number) ?? .null,
                ]
                for key in ["kind", "segment", "border", "route", "mode"] {
                    if let row = network.graph.edgeIndex(of: step.edgeId), let v = network.edgeString(key, row: Int(row)) {
                        s[key] = .string(v)
                    }
                }
                return .object(s)
            })
            return .object(object)
        })])
    }

    /// pgr_KSP's columns: `seq` counts rows over all paths from 1, `path_seq` within a path.
    public static let csvHeader = "seq,path_id,path_seq,node,edge,cost,agg_cost\n"

    /// The rows of `route`, numbered from `seq` on (the row count of the routes before it, plus 1).
    public static func csvRows(_ route: RouteDescription, in network: RouteNetwork, seq: Int = 1) -> String {
        var out = ""
        for (i, step) in route.steps.enumerated() {
            out += "\(seq + i),\(route.rank),\(i + 1),\(csvField(network.label(ofNode: step.from))),\(step.edgeId),"
            // agg_cost is the sum before this step: the previous step's running total, not a subtraction.
            let before = i == 0 ? 0 : route.steps[i - 1].aggregateCost
            out += "\(NumberFormat.shortest(step.cost)),\(NumberFormat.shortest(before))\n"
        }
        out += "\(seq + route.steps.count),\(route.rank),\(route.steps.count + 1),\(csvField(network.label(ofNode: route.to))),-1,0,"
        out += "\(NumberFormat.shortest(route.cost))\n"
        return out
    }

    /// RFC 4180 quoting when the field needs it.
    public static func csvField(_ s: String) -> String { CSV.field(s) }
}

/// Number formatting shared by the CSV writers: the shortest decimal that reads
/// back as the same double (the text of Swift's `description`: decimals of up to nine
/// places by `writeShortDecimal`, the others of [10⁻⁴, 2⁵²) by `ShortestDecimal`'s
/// Ryū digits, the rest by `description` itself), so a table diffs equal to
/// pgRouting's and loses nothing; integers below 2^53 without a fractional part.
///
/// The writers put the bytes at a pointer, for loops over millions of numbers that
/// fill one output buffer; the `append` forms add them to an array.
public enum NumberFormat {
    /// The most bytes `write` puts down for one number (a double's `description` is at
    /// most 24, an `Int64` at most 20).
    public static let maximumLength = 32

    public static func shortest(_ x: Double) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(x, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `shortest(x)` appended as UTF-8 bytes.
    @inline(__always)
    public static func append(_ x: Double, to out: inout [UInt8]) {
        var text: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &text) { buffer in
            let start = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            out.append(contentsOf: UnsafeRawBufferPointer(start: start, count: write(x, to: start)))
        }
    }

    /// Decimal digits of `n` appended as UTF-8 bytes, without a `String`.
    @inline(__always)
    public static func append(_ n: Int64, to out: inout [UInt8]) {
        var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &text) { buffer in
            let start = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            out.append(contentsOf: UnsafeRawBufferPointer(start: start, count: write(n, to: start)))
        }
    }

    /// Writes `shortest(x)` at `p` (room for `maximumLength` bytes) and returns its length.
    @inline(__always)
    public static func write(_ x: Double, to p: UnsafeMutablePointer<UInt8>) -> Int {
        if x == 0 {
            p.pointee = UInt8(ascii: "0")
            return 1
        }
        if x.rounded(.towardZero) == x, abs(x) < 9_007_199_254_740_992 { return write(Int64(x), to: p) }
        if let n = writeShortDecimal(x, to: p) { return n }
        if let n = ShortestDecimal.write(x, to: p) { return n }
        var text = x.description
        return text.withUTF8 { bytes in
            UnsafeMutableRawPointer(p).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            return bytes.count
        }
    }

    /// Writes the decimal digits of `n` at `p` (room for 20 bytes) and returns their count.
    @inline(__always)
    public static func write(_ n: Int64, to p: UnsafeMutablePointer<UInt8>) -> Int {
        var q = p
        if n < 0 { q.pointee = UInt8(ascii: "-"); q += 1 }
        let magnitude = n.magnitude
        let count = ShortestDecimal.decimalLength(magnitude)
        ShortestDecimal.writeDigits(magnitude, count: count, to: q)
        return q + count - p
    }

    /// Powers of ten that are exact doubles, 10^0 ... 10^9.
    private static let powersOfTen: [Double] = (0...9).map { (0..<$0).reduce(1.0) { r, _ in r * 10 } }

    /// `x` written at `p` with the fewest decimals (1 to 9) that read back as `x`, as
    /// `description` writes it; `nil` (nothing written) when more are needed or `x` is
    /// outside [1e-4, 1e9) (where `description` may use an exponent).
    /// A decimal m / 10^d with m < 2^53 reads back as `Double(m) / 10^d` (one correctly
    /// rounded division of exact values, Clinger 1990), which is what is compared;
    /// among the decimals with d places the nearest to `x` is taken, as the shortest
    /// round-trip form does (Steele & White 1990).
    @inline(__always)
    static func writeShortDecimal(_ x: Double, to p: UnsafeMutablePointer<UInt8>) -> Int? {
        let magnitude = x.magnitude
        guard magnitude >= 1e-4, magnitude < 1e9 else { return nil }
        // Nine decimals first: a decimal of d ≤ 9 places reading back as x is also one of 9
        // places doing so, and the 9-place decimals reading back as x are consecutive, around
        // x. So when the nearest one does and neither neighbour does, it is the only one, and
        // the shortest decimal is it with its trailing zeros dropped; when the nearest one
        // does not, none does (16-17 significant digits, the general path at once).
        let nine = magnitude * 1e9
        if nine < 4_503_599_627_370_496 {  // 2^52: adding one half is exact, truncating rounds
            let m = UInt64(nine + 0.5)
            let units = Double(m)
            guard units / 1e9 == magnitude else { return nil }
            if (units - 1) / 1e9 != magnitude, (units + 1) / 1e9 != magnitude {
                var fraction = m % 1_000_000_000, d = 9
                while fraction % 10 == 0, d > 0 { fraction /= 10; d -= 1 }
                guard d > 0 else { return nil }  // an integer: the caller's case
                return writeDecimal(negative: x < 0, whole: m / 1_000_000_000, fraction: fraction, places: d, to: p)
            }
        }
        for d in 1...9 {
            let scale = powersOfTen[d]
            let m = (magnitude * scale).rounded()
            // Beyond 2^53 the units are not exact, and the reading argument fails: the general path.
            guard m < 9_007_199_254_740_992 else { return nil }
            guard Double(m) / scale == magnitude else { continue }
            // A neighbour with as many decimals reading back as `x` too: `description` picks the
            // nearer of the two, which the rounded product may not; leave it the choice.
            guard Double(m - 1) / scale != magnitude, Double(m + 1) / scale != magnitude else { return nil }
            let units = UInt64(m)
            return writeDecimal(negative: x < 0, whole: units / UInt64(scale), fraction: units % UInt64(scale),
                                places: d, to: p)
        }
        return nil
    }

    /// `-whole.fraction` (sign only when `negative`) with `fraction` written as exactly
    /// `places` decimals (1 to 9, leading zeros kept) at `p`; returns the length.
    @inline(__always)
    private static func writeDecimal(negative: Bool, whole: UInt64, fraction: UInt64, places d: Int,
                                     to p: UnsafeMutablePointer<UInt8>) -> Int {
        var q = p
        if negative { q.pointee = UInt8(ascii: "-"); q += 1 }
        let count = ShortestDecimal.decimalLength(whole)
        ShortestDecimal.writeDigits(whole, count: count, to: q)
        q += count
        q.pointee = UInt8(ascii: ".")
        ShortestDecimal.writeDigits(fraction, count: d, to: q + 1)
        return q + 1 + d - p
    }
}
