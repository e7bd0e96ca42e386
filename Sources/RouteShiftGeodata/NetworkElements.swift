import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork

/// A node of the derived network (a `Point` feature, `NetworkSchema` attributes).
public struct NetworkNode: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case hub
        /// One side of a land-border section, a little inside its country.
        case borderSide = "border-side"
    }

    public var id: Int64
    /// Unique name: the hub slug (`athens`), or `<segment>:<country>` for a border side (`HU-RS-003:RS`).
    public var name: String
    public var kind: Kind
    public var country: String
    public var coordinate: Coordinate
    public var roles: [String]
    public var displayName: String
    public var population: Int?
    /// The border section a border side belongs to.
    public var segment: String?

    func feature() -> Feature {
        var p: [String: JSONValue] = [
            "id": .number(Double(id)), "name": .string(name), "kind": .string(kind.rawValue),
            "country": .string(country), "roles": .string(roles.joined(separator: ";")),
            "display_name": .string(displayName),
            "population": population.map { .number(Double($0)) } ?? .null,
        ]
        if let segment { p["segment"] = .string(segment) }
        return Feature(geometry: .point(coordinate), properties: p)
    }
}

/// An edge of the derived network (a `LineString` feature, `NetworkSchema` attributes).
public struct NetworkEdge: Hashable, Sendable {
    public var id: Int64
    public var source: Int64
    public var target: Int64
    public var cost: Double
    /// Negative: no arc target→source (pgRouting's convention).
    public var reverseCost: Double
    public var kind: NetworkSchema.EdgeKind
    public var lengthKm: Double
    /// Geometry in source→target order.
    public var line: [Coordinate]
    /// Legs: the country they lie in.
    public var country: String?
    public var segment: String?
    public var border: String?
    public var route: String?
    public var risk: Double?
    public var attributes: BorderAttributes?
    /// Recorded price per person, euros (sea crossings; borders carry it in `attributes`).
    public var price: Double? = nil
    /// Set on a leg that had to be kept although it leaves its country (`leaves-country`).
    public var flag: String?
    /// Entry rules (visa regimes), in source order.
    public var entry: [EntryRule] = []

    public var mode: String { kind == .sea || kind == .ferry ? "sea" : kind == .air ? "air" : "land" }

    func feature() -> Feature {
        var p: [String: JSONValue] = [
            "id": .number(Double(id)), "source": .number(Double(source)), "target": .number(Double(target)),
            "cost": .number(cost), "reverse_cost": .number(reverseCost),
            NetworkSchema.kind: .string(kind.rawValue), NetworkSchema.mode: .string(mode),
            NetworkSchema.lengthKm: .number(lengthKm),
        ]
        if let country { p[NetworkSchema.country] = .string(country) }
        if let segment { p[NetworkSchema.segment] = .string(segment) }
        if let border { p[NetworkSchema.border] = .string(border) }
        if kind != .leg { p[NetworkSchema.route] = route.map { .string($0) } ?? .null }
        if let risk { p[NetworkSchema.risk] = .number(risk) }
        if let attributes {
            p[NetworkSchema.barrier] = .string(attributes.barrier)
            p[NetworkSchema.surveillance] = .string(attributes.surveillance)
            p[NetworkSchema.status] = .string(attributes.status)
        }
        if let price = price ?? attributes?.price { p[NetworkSchema.price] = .number(price) }
        if let since = attributes?.since { p[NetworkSchema.since] = .string(since) }
        if let earlier = attributes?.earlier, !earlier.isEmpty {
            p[NetworkSchema.earlier] = .array(earlier.map { state in
                // A state without a day (a sea crossing's defaults at its own price) holds before every dated one.
                var o: [String: JSONValue] = [
                    NetworkSchema.barrier: .string(state.barrier),
                    NetworkSchema.surveillance: .string(state.surveillance), NetworkSchema.status: .string(state.status),
                ]
                if let since = state.since { o[NetworkSchema.since] = .string(since) }
                if let price = state.price { o[NetworkSchema.price] = .number(price) }
                return .object(o)
            })
        }
        if let flag { p["flag"] = .string(flag) }
        if !entry.isEmpty { p[NetworkSchema.entry] = .array(entry.map(\.json)) }
        return Feature(geometry: .lineString(line), properties: p)
    }
}

/// Rounds to `places` decimals so that written values are stable and short.
func rounded(_ x: Double, _ places: Int = 3) -> Double {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    return (x * scale).rounded() / scale
}
