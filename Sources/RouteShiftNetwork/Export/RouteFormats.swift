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

    public static let csvHeader = "path_id,path_seq,node,edge,cost,agg_cost\n"

    public static func csvRows(_ route: RouteDescription, in network: RouteNetwork) -> String {
        var out = ""
        for (i, step) in route.steps.enumerated() {
            out += "\(route.rank),\(i + 1),\(csvField(network.label(ofNode: step.from))),\(step.edgeId),"
            out += "\(NumberFormat.shortest(step.cost)),\(NumberFormat.shortest(step.aggregateCost - step.cost))\n"
        }
        out += "\(route.rank),\(route.steps.count + 1),\(csvField(network.label(ofNode: route.to))),-1,0,"
        out += "\(NumberFormat.shortest(route.cost))\n"
        return out
    }

    /// RFC 4180 quoting when the field needs it.
    public static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Number formatting shared by the CSV writers: at most 12 significant digits
/// (sums of costs carry binary rounding noise in the 16th digit, which a table
/// for people should not show), integers without a fractional part.
public enum NumberFormat {
    public static func shortest(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        let exact = "\(x)"
        guard x.isFinite, exact.count > 13 else { return exact }
        let rounded = Double(String(format: "%.12g", x))!
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return "\(rounded)"
    }
}
