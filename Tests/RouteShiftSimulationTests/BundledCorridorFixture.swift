import Foundation
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftSimulation
import RouteShiftTestSupport
import XCTest

/// The bundled network as the corridor tests search it: costed with the default parameters
/// on one day, its link groups of that day, every `step`-th hub (by id) as destination, the
/// named origins, and an overlay with the borders `closing` names closed.
struct BundledCorridorFixture {
    let network: RouteNetwork
    let costed: CostedNetwork
    let groups: LinkGroups
    let destinations: [Int64]
    let origins: [Int64]
    /// Every edge whose `border` `closing` accepts closed both ways.
    let closed: CostOverlay

    var graph: RoutingGraph { costed.graph }

    /// - Throws: `XCTSkip` without the bundled network.
    init(day: String, step: Int, origins names: [String], closing: (String) -> Bool = { $0 == "HU-RS" }) throws {
        let path = SourceTree.geodata + "/network.geojson"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no bundled network at \(path)") }
        let network = try NetworkSource.load(path)
        costed = try CostModel.apply(CostModel.Parameters(), to: network, asOf: day)
        let graph = costed.graph
        groups = try Corridors.groups(in: network, graph: graph, asOf: day)
        let hubs = Assignment.hubs(in: network).sorted()
        destinations = stride(from: 0, to: hubs.count, by: step).map { hubs[$0] }
        origins = try names.map { try network.resolveNode($0) }
        self.network = network
        var closed = CostOverlay(graph: graph)
        for row in 0..<network.edgeCount where network.edgeString(NetworkSchema.border, row: row).map(closing) == true {
            try closed.close(edge: graph.edgeIds[row])
        }
        self.closed = closed
    }
}
