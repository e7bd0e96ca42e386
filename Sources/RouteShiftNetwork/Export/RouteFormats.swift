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
/// back as the same double (Steele & White / Ryu-style, Swift's `description`), so
/// a table diffs equal to pgRouting's and loses nothing; integers below 2^53
/// without a fractional part.
public enum NumberFormat {
    public static func shortest(_ x: Double) -> String {
        if x == 0 { return "0" }  // also -0
        if x.rounded(.towardZero) == x, abs(x) < 9_007_199_254_740_992 { return String(Int64(x)) }
        return x.description
    }

    /// `shortest(x)` appended as UTF-8 bytes.
    @inline(__always)
    public static func append(_ x: Double, to out: inout [UInt8]) {
        if x == 0 {
            out.append(UInt8(ascii: "0"))
        } else if x.rounded(.towardZero) == x, abs(x) < 9_007_199_254_740_992 {
            append(Int64(x), to: &out)
        } else if !appendShortDecimal(x, to: &out) {
            out.append(contentsOf: x.description.utf8)
        }
    }

    /// Powers of ten that are exact doubles, 10^0 ... 10^9.
    private static let powersOfTen: [Double] = (0...9).map { (0..<$0).reduce(1.0) { r, _ in r * 10 } }

    /// `x` written with the fewest decimals (1 to 9) that read back as `x`, as
    /// `description` writes it, without building a `String`; `false` when more are
    /// needed or `x` is outside [1e-4, 1e9) (where `description` may use an exponent).
    /// A decimal m / 10^d with m < 2^53 reads back as `Double(m) / 10^d` (one correctly
    /// rounded division of exact values, Clinger 1990), which is what is compared;
    /// among the decimals with d places the nearest to `x` is taken, as the shortest
    /// round-trip form does (Steele & White 1990).
    @inline(__always)
    static func appendShortDecimal(_ x: Double, to out: inout [UInt8]) -> Bool {
        let magnitude = x.magnitude
        guard magnitude >= 1e-4, magnitude < 1e9 else { return false }
        // Nine decimals first: a decimal of d ≤ 9 places reading back as x is also one of 9
        // places doing so, and the 9-place decimals reading back as x are consecutive, around
        // x. So when the nearest one does and neither neighbour does, it is the only one, and
        // the shortest decimal is it with its trailing zeros dropped; when the nearest one
        // does not, none does (16-17 significant digits, the general path at once).
        let nine = magnitude * 1e9
        if nine < 4_503_599_627_370_496 {  // 2^52: adding one half is exact, truncating rounds
            let m = UInt64(nine + 0.5)
            let units = Double(m)
            guard units / 1e9 == magnitude else { return false }
            if (units - 1) / 1e9 != magnitude, (units + 1) / 1e9 != magnitude {
                var fraction = m % 1_000_000_000, d = 9
                while fraction % 10 == 0, d > 0 { fraction /= 10; d -= 1 }
                guard d > 0 else { return false }  // an integer: the caller's case
                appendDecimal(negative: x < 0, whole: m / 1_000_000_000, fraction: fraction, places: d, to: &out)
                return true
            }
        }
        for d in 1...9 {
            let scale = powersOfTen[d]
            let m = (magnitude * scale).rounded()
            // Beyond 2^53 the units are not exact, and the reading argument fails: the general path.
            guard m < 9_007_199_254_740_992 else { return false }
            guard Double(m) / scale == magnitude else { continue }
            // A neighbour with as many decimals reading back as `x` too: `description` picks the
            // nearer of the two, which the rounded product may not; leave it the choice.
            guard Double(m - 1) / scale != magnitude, Double(m + 1) / scale != magnitude else { return false }
            let units = UInt64(m)
            appendDecimal(negative: x < 0, whole: units / UInt64(scale), fraction: units % UInt64(scale), places: d, to: &out)
            return true
        }
        return false
    }

    /// `-whole.fraction` (sign only when `negative`) with `fraction` written as exactly
    /// `places` decimals (1 to 9, leading zeros kept), as UTF-8 bytes.
    @inline(__always)
    private static func appendDecimal(negative: Bool, whole: UInt64, fraction: UInt64, places d: Int, to out: inout [UInt8]) {
        if negative { out.append(UInt8(ascii: "-")) }
        append(Int64(whole), to: &out)
        out.append(UInt8(ascii: "."))
        var fraction = fraction
        var digits: (UInt64, UInt64) = (0, 0)  // room for the d decimals, most significant first
        withUnsafeMutableBytes(of: &digits) { buffer in
            for k in stride(from: d - 1, through: 0, by: -1) {
                buffer[k] = UInt8(ascii: "0") &+ UInt8(fraction % 10)
                fraction /= 10
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<d]))
        }
    }

    /// Decimal digits of `n` appended as UTF-8 bytes, without a `String`.
    @inline(__always)
    public static func append(_ n: Int64, to out: inout [UInt8]) {
        if n < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = n.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            // As a raw buffer (contiguous: one copy), not a slice (copied byte by byte).
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }
}
