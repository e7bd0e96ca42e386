import RouteShiftGeoJSON
import RouteShiftGraph
import RouteShiftNetwork

/// Which edges of a route network are "the same way" for comparing and
/// building alternatives (see `LinkGroups`).
///
/// On networks with the border-section schema (`NetworkSchema`) a border is
/// crossed by many parallel sections of at most 25 km, each with its own
/// legs; paths that differ only by section are near-copies of one route. So:
/// - every section of one border is one group (`border` attribute), and may be eliminated
///   when at least one of its sections is checked on the day (`surveillance` other than
///   `none` in the state of `asOf`): an open internal border (Hungary → Austria in 2014) is
///   no crossing that tells routes apart, so no alternative is built through it and
///   crossing it does not make a border sequence of its own (`LinkGroups.crossings`);
/// - the sea crossings between the same two countries (`border` of a sea edge: every
///   Turkey → Greek islands crossing, every Libya → Italy one) are one group, and may be
///   eliminated: Dikili → Lesbos and Çanakkale → Lesbos are one way across the Aegean, and
///   removing it makes the search look for a route that avoids that sea;
/// - a leg is grouped by what it joins: a hub, or a side of a border (border and
///   country of a border-side node), so a leg from Belgrade to any section of
///   Hungary–Serbia is one group; legs are never eliminated;
/// - domestic ferries and other edges are their own groups, not eliminated.
/// Without edge attributes every edge is its own eliminable group (plain link elimination).
public enum Corridors {
    /// `asOf`: the day whose network state tells which borders are checked (`nil`: every
    /// attribute as written), as `CostModel.apply(_:to:asOf:)` reads it.
    /// - Complexity: O(E) dictionary work.
    public static func groups(in network: RouteNetwork, graph: RoutingGraph, asOf day: String? = nil) throws -> LinkGroups {
        let columns = network.edgeAttributes
        let lengths = (0..<network.edgeCount).map { row -> Double in
            if let km = columns?.lengthKm[row], km > 0 { return km }
            return max(network.edges.costs[row], network.edges.reverseCosts[row], 0)
        }
        guard let columns else { return try LinkGroups.edges(of: graph, lengths: lengths) }

        // Each node's side once (a node ends many legs).
        var endpoints: [Int64: String] = [:]
        func endpoint(_ node: Int64) -> String {
            if let known = endpoints[node] { return known }
            let side = side(of: node)
            endpoints[node] = side
            return side
        }
        func side(of node: Int64) -> String {
            let properties = network.nodeProperties[node]
            if case .string(let kind)? = properties?[NetworkSchema.kind], kind == "border-side",
               case .string(let segment)? = properties?[NetworkSchema.segment],
               case .string(let country)? = properties?[NetworkSchema.country] {
                return "side:\(border(ofSegment: segment)):\(country)"
            }
            return "node:\(node)"
        }
        var ids: [String: Int32] = [:]
        var eliminable: [Bool] = []
        var groupOfEdge = [Int32](repeating: 0, count: network.edgeCount)
        for row in 0..<network.edgeCount {
            let key: String, canEliminate: Bool
            switch columns.kind[row] {
            case .border?:
                key = "border:" + (columns.border[row] ?? "edge \(network.edges.ids[row])")
                canEliminate = CostModel.attributes(ofRow: row, in: network, CostModel.Parameters(), asOf: day).checked
            case .sea?, .air?:
                key = (columns.kind[row] == .air ? "air:" : "sea:") + (columns.border[row].map(NetworkSchema.borderKey)
                    ?? columns.segment[row] ?? "edge \(network.edges.ids[row])")
                canEliminate = true
            case .leg?:
                let ends = [endpoint(network.edges.sources[row]), endpoint(network.edges.targets[row])].sorted()
                key = "leg:" + ends.joined(separator: "|")
                canEliminate = false
            case .ferry?, nil:
                key = "edge:\(network.edges.ids[row])"
                canEliminate = false
            }
            if let id = ids[key] {
                groupOfEdge[row] = id
                if canEliminate { eliminable[Int(id)] = true }
            } else {
                let id = Int32(eliminable.count)
                ids[key] = id
                eliminable.append(canEliminate)
                groupOfEdge[row] = id
            }
        }
        return try LinkGroups(graph: graph, groupOfEdge: groupOfEdge, eliminable: eliminable, lengths: lengths)
    }

    /// `HU-RS-003` → `HU-RS`: a section id without its number.
    static func border(ofSegment segment: String) -> String {
        guard let dash = segment.lastIndex(of: "-"), segment[segment.index(after: dash)...].allSatisfy(\.isNumber)
        else { return segment }
        return String(segment[..<dash])
    }
}
