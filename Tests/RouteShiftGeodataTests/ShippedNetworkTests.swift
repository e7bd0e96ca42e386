import Foundation
import RouteShiftGraph
import RouteShiftNetwork
import XCTest
import RouteShiftTestSupport

/// Well-known routes on the committed Geodata/network.geojson; skipped when it is absent.
final class ShippedNetworkTests: XCTestCase {
    nonisolated(unsafe) static var cached: RouteNetwork?

    /// The committed network, loaded once for the geodata tests; throws `XCTSkip` when it is absent.
    static func shippedNetwork() throws -> RouteNetwork {
        if let cached { return cached }
        let path = SourceTree.geodata + "/network.geojson"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no \(path); run `routeshift geodata build`") }
        let network = try NetworkSource.load(path)
        cached = network
        return network
    }

    func network() throws -> RouteNetwork { try Self.shippedNetwork() }

    /// Edge rows of the shortest path, in travel order.
    func pathRows(_ network: RouteNetwork, _ from: String, _ to: String, closing closed: [String] = []) throws -> [Int]? {
        var overlay: CostOverlay?
        if !closed.isEmpty {
            var o = CostOverlay(graph: network.graph)
            for name in closed {
                for row in try network.resolveEdges(name) { try o.close(edge: network.edges.ids[row]) }
            }
            overlay = o
        }
        let finder = RouteFinder(network: network)
        let path = try finder.shortestPath(from: network.resolveNode(from),
                                           to: network.resolveNode(to), algorithm: .dijkstra, overlay: overlay)
        return path.map { $0.edges.map { Int(network.graph.edgeIndex(of: $0)!) } }
    }

    func testIstanbulToBerlinOverlandCrossesAWesternBalkansSection() throws {
        let network = try network()
        // Overland: no Black Sea departure, and Ukraine's borders out of use.
        let closed = ["SEA-istanbul-varna", "SEA-istanbul-constanta", "RO-UA", "MD-RO", "MD-UA", "HU-UA", "SK-UA", "PL-UA"]
        let rows = try XCTUnwrap(pathRows(network, "istanbul", "berlin", closing: closed))
        let borders = rows.filter { network.edgeString("kind", row: $0) == "border" }
        let balkan = borders.filter { network.edgeString("route", row: $0) == "Western Balkans" }
        let through = balkan.compactMap { network.edgeString("border", row: $0) }
        XCTAssertTrue(through.contains { $0.contains("RS") || $0.contains("MK") },
                      "\(borders.compactMap { network.edgeString("segment", row: $0) })")
    }

    func testZuwaraToLampedusaIsOneCentralMediterraneanSeaEdge() throws {
        let network = try network()
        let rows = try XCTUnwrap(pathRows(network, "zuwara", "lampedusa"))
        let sea = rows.filter { network.edgeString("kind", row: $0) == "sea" }
        XCTAssertEqual(sea.count, 1)
        XCTAssertEqual(network.edgeString("route", row: sea[0]), "Central Mediterranean")
        XCTAssertEqual(network.edgeString("segment", row: sea[0]), "SEA-zuwara-lampedusa")
    }

    func testClosingHungarySerbiaReroutesAndAvoidsIt() throws {
        let network = try network()
        // Athens → Berlin survives the closure.
        let athens = try XCTUnwrap(pathRows(network, "athens", "berlin", closing: ["HU-RS"]))
        XCTAssertFalse(athens.contains { network.edgeString("border", row: $0) == "HU-RS" })
        // Belgrade → Budapest uses HU-RS when open, and goes round it (via HR or RO) when closed.
        let open = try XCTUnwrap(pathRows(network, "belgrade", "budapest"))
        XCTAssertTrue(open.contains { network.edgeString("border", row: $0) == "HU-RS" })
        let closed = try XCTUnwrap(pathRows(network, "belgrade", "budapest", closing: ["HU-RS"]))
        let borders = Set(closed.compactMap { network.edgeString("border", row: $0) })
        XCTAssertFalse(borders.contains("HU-RS"))
        XCTAssertTrue(borders.contains("HR-RS") || borders.contains("RO-RS"), "\(borders)")
    }

    func testEveryDestinationReachableFromEveryOrigin() throws {
        let network = try network()
        var origins: [Int64] = [], destinations: [Int64] = []
        for (id, props) in network.nodeProperties {
            guard case .string(let roles)? = props["roles"] else { continue }
            if roles.split(separator: ";").contains("origin") { origins.append(id) }
            if roles.split(separator: ";").contains("destination") { destinations.append(id) }
        }
        XCTAssertFalse(origins.isEmpty)
        for origin in origins.sorted().prefix(5) {
            let reached = Set(try Catchment.compute(in: network, from: origin).map(\.node))
            for d in destinations { XCTAssertTrue(reached.contains(d), "\(network.label(ofNode: origin)) → \(network.label(ofNode: d))") }
        }
    }
}
