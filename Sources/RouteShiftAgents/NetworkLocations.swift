import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork

extension FleeScenarioInput {
    /// Any RouteShift network as a Flee location graph: hubs whose `roles` include `origin`
    /// become conflict zones (with their `population`), hubs with `destination` camps without
    /// a capacity limit, every other node a town; each edge is a two-way link of its
    /// `length_km` (else its cost). Nodes in id order, edges in table order.
    public init(network: RouteNetwork) {
        var ids = Set<Int64>()
        for row in 0..<network.edges.count { ids.insert(network.edges.sources[row]); ids.insert(network.edges.targets[row]) }
        ids.formUnion(network.nodeProperties.keys)
        var names: [Int64: String] = [:]
        var used = Set<String>()
        var rows: [FleeLocationRow] = []
        for (i, id) in ids.sorted().enumerated() {
            var name = network.label(ofNode: id)
            if !used.insert(name).inserted { name = String(id); used.insert(name) }
            names[id] = name
            let props = network.nodeProperties[id] ?? [:]
            var roles = ""
            if case .string(let r)? = props["roles"] { roles = r }
            let roleSet = Set(roles.split(separator: ";").map(String.init))
            var population = "0"
            if case .number(let p)? = props["population"] { population = String(Int(p)) }
            var country = ""
            if case .string(let c)? = props["country"] { country = c }
            let type = roleSet.contains("origin") ? "conflict_zone" : roleSet.contains("destination") ? "camp" : "town"
            let point = network.coordinate(ofNode: id) ?? Coordinate(longitude: 0, latitude: 0)
            rows.append(FleeLocationRow(name: name, region: country, country: country, latitude: point.latitude,
                                        longitude: point.longitude, locationType: type, conflictDate: "0",
                                        population: type == "camp" ? "0" : population, line: i + 1))
        }
        let routes = (0..<network.edges.count).map { row in
            FleeRouteRow(name1: names[network.edges.sources[row]]!, name2: names[network.edges.targets[row]]!,
                         distance: network.edgeAttributes?.lengthKm[row] ?? network.edges.costs[row],
                         forcedRedirection: "", line: row + 1)
        }
        self.init(directory: network.origin, locations: rows, routes: routes)
    }
}
