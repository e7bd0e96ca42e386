import Foundation
import XCTest
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
@testable import RouteShiftNetwork
import RouteShiftTestSupport

/// The default network read through its compiled cache: the same network either way,
/// taken from the mapped cache only while the network file and the builder are unchanged.
final class NetworkCacheTests: XCTestCase {
    /// alpha —10→ beta —11 (cost `cost`, one way)→ gamma.
    private func writeNetwork(to path: String, cost: Double) throws {
        let features: [Feature] = [
            Feature(geometry: .point(Coordinate(longitude: 0, latitude: 0)), properties: ["id": 1, "name": "alpha", "kind": "hub"]),
            Feature(geometry: .point(Coordinate(longitude: 1, latitude: 0)), properties: ["id": 2, "name": "beta"]),
            Feature(geometry: .point(Coordinate(longitude: 1, latitude: 1)), properties: ["id": 3, "name": "gamma"]),
            Feature(geometry: .lineString([Coordinate(longitude: 0, latitude: 0), Coordinate(longitude: 1, latitude: 0)]),
                    properties: ["id": 10, "source": 1, "target": 2, "segment": "AA-BB-001", "border": "AA-BB"]),
            Feature(geometry: .lineString([Coordinate(longitude: 1, latitude: 0), Coordinate(longitude: 1, latitude: 1)]),
                    properties: ["id": 11, "source": 2, "target": 3, "cost": .number(cost), "reverse_cost": -1]),
        ]
        try AtomicFileWriter.withWriter(path: path) { try $0.write(GeoJSON.encode(FeatureCollection(features: features))) }
    }

    func testAFreshCacheIsReadInPlaceAndAChangedFileOrBuilderBuildsItAgain() throws {
        let dir = try TemporaryDirectory("rs-net")
        let source = dir.path("net.geojson")
        let builder = dir.path("builder")
        let caches = dir.path("cache")
        try writeNetwork(to: source, cost: 500)
        try "v1".write(toFile: builder, atomically: true, encoding: .utf8)
        func read() throws -> RouteNetwork { try NetworkCache.read(geoJSON: source, directory: caches, builder: builder) }
        func costOfEdge11(_ n: RouteNetwork) -> Double { n.edges.costs[n.edges.ids.firstIndex(of: 11)!] }

        // First read: from the file, and the cache is written.
        let first = try read()
        XCTAssertFalse(first.graph.firstArc.isHeldInPlace)
        XCTAssertTrue(FileManager.default.fileExists(atPath: NetworkCache.path(of: source, in: caches)))
        // Then from the mapped cache: the same network, named by the file.
        let second = try read()
        XCTAssertTrue(second.graph.firstArc.isHeldInPlace)
        XCTAssertEqual(second.origin, source)
        XCTAssertEqual(Array(second.edges.ids), Array(first.edges.ids))
        XCTAssertEqual(Array(second.edges.costs), Array(first.edges.costs))
        XCTAssertEqual(second.nodeNames, first.nodeNames)
        XCTAssertEqual(costOfEdge11(second), 500)

        // A changed network file: read from the file (the new cost), and the cache built again.
        try writeNetwork(to: source, cost: 700)
        let changed = try read()
        XCTAssertFalse(changed.graph.firstArc.isHeldInPlace)
        XCTAssertEqual(costOfEdge11(changed), 700)
        let rebuilt = try read()
        XCTAssertTrue(rebuilt.graph.firstArc.isHeldInPlace)
        XCTAssertEqual(costOfEdge11(rebuilt), 700)

        // Another builder: the cache is not trusted.
        try "v2, a different build".write(toFile: builder, atomically: true, encoding: .utf8)
        XCTAssertFalse(try read().graph.firstArc.isHeldInPlace)
        XCTAssertTrue(try read().graph.firstArc.isHeldInPlace)
    }

    func testNoCacheDirectoryOrAnUnwritableOneReadsTheFile() throws {
        let dir = try TemporaryDirectory("rs-net")
        let source = dir.path("net.geojson")
        try writeNetwork(to: source, cost: 500)
        XCTAssertFalse(try NetworkCache.read(geoJSON: source, directory: nil).graph.firstArc.isHeldInPlace)
        // A file where the cache directory should be: nothing can be written there.
        let blocked = dir.path("blocked")
        try "not a directory".write(toFile: blocked, atomically: true, encoding: .utf8)
        for _ in 0..<2 {
            let n = try NetworkCache.read(geoJSON: source, directory: blocked + "/cache")
            XCTAssertFalse(n.graph.firstArc.isHeldInPlace)
            XCTAssertEqual(n.edgeCount, 2)
        }
        XCTAssertEqual(NetworkCache.directory(environment: [NetworkCache.variable: "off", "HOME": "/h"]), nil)
        XCTAssertEqual(NetworkCache.directory(environment: [NetworkCache.variable: "/c"]), "/c")
        XCTAssertEqual(NetworkCache.directory(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]), "/x/routeshift")
        XCTAssertEqual(NetworkCache.directory(environment: ["HOME": "/h"]), "/h/.cache/routeshift")
    }
}
