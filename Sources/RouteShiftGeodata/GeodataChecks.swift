import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork

/// The derived network failed a check; `problems` says which, one per line.
/// Domain `invalidInput`: the sources do not give a usable network.
public struct GeodataCheckFailure: DomainError {
    public var domain: ErrorDomain { .invalidInput }
    public var problems: [String]
    /// Sea crossings left out, which often explain a problem.
    public var excludedCrossings: [ExcludedCrossing]
    public var description: String {
        var text = "the derived network fails \(problems.count) check(s):\n  " + problems.joined(separator: "\n  ")
        if !excludedCrossings.isEmpty {
            text += "\nexcluded sea crossings:\n  " + excludedCrossings.map { "\($0.id): \($0.reason)" }.joined(separator: "\n  ")
        }
        return text
    }
}

/// Reachability checks on the derived network, run on the network as a loader
/// reads it (`GeoJSONNetwork.build`), so they also prove the output follows the schema.
///
/// 1. Every hub is in the main (largest weakly connected) component.
/// 2. Every `destination` hub is reachable, following arc directions, from every `origin` hub.
enum GeodataChecks {
    /// - Complexity: O(m α(n)) for the components plus one Dijkstra per origin hub.
    static func verify(_ build: GeodataBuild) throws {
        let network = try GeoJSONNetwork.build(FeatureCollection(features: build.networkFeatures()), file: "derived network")
        var problems: [String] = []
        let components = Connectivity.weakComponents(network.graph)
        var sizes = [Int](repeating: 0, count: components.count)
        for l in components.label { sizes[Int(l)] += 1 }
        let main = sizes.indices.max { (sizes[$0], -$0) < (sizes[$1], -$1) }.map(Int32.init)
        let hubs = build.nodes.filter { $0.kind == .hub }
        for hub in hubs {
            guard let index = network.graph.index(of: hub.id) else {
                problems.append("hub \(hub.name) has no edge")
                continue
            }
            if components.label[Int(index)] != main { problems.append("hub \(hub.name) is not connected to the main network") }
        }
        let destinations = hubs.filter { $0.roles.contains("destination") }
        for origin in hubs where origin.roles.contains("origin") {
            guard network.graph.index(of: origin.id) != nil else { continue }
            let reached = Set(try Catchment.compute(in: network, from: origin.id).map(\.node))
            let missed = destinations.filter { !reached.contains($0.id) }.map(\.name)
            if !missed.isEmpty {
                problems.append("from origin \(origin.name) no path to destination(s) \(missed.joined(separator: ", "))")
            }
        }
        if !problems.isEmpty { throw GeodataCheckFailure(problems: problems, excludedCrossings: build.excludedCrossings) }
    }
}
