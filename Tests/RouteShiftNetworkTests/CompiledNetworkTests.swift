import Foundation
import XCTest
import RouteShiftCore
import RouteShiftGeoJSON
@testable import RouteShiftNetwork

final class CompiledNetworkTests: XCTestCase {
    private func sourceNetwork(in dir: URL) throws -> String {
        let features: [Feature] = [
            Feature(geometry: .point(Coordinate(longitude: 0, latitude: 0)), properties: ["id": 1, "name": "alpha", "kind": "hub"]),
            Feature(geometry: .point(Coordinate(longitude: 1, latitude: 0)), properties: ["id": 2, "name": "beta"]),
            Feature(geometry: .point(Coordinate(longitude: 1, latitude: 1)), properties: ["id": 3, "name": "gamma"]),
            Feature(geometry: .lineString([Coordinate(longitude: 0, latitude: 0), Coordinate(longitude: 0.5, latitude: 0.2),
                                           Coordinate(longitude: 1, latitude: 0)]),
                    properties: ["id": 10, "source": 1, "target": 2, "segment": "AA-BB-001", "border": "AA-BB"]),
            Feature(geometry: .lineString([Coordinate(longitude: 1, latitude: 0), Coordinate(longitude: 1, latitude: 1)]),
                    properties: ["id": 11, "source": 2, "target": 3, "cost": 500, "reverse_cost": -1]),
            Feature(geometry: .lineString([Coordinate(longitude: 0, latitude: 0), Coordinate(longitude: 1, latitude: 1)]),
                    properties: ["id": 12, "source": 1, "target": 3, "kind": "sea"]),
        ]
        let path = dir.appendingPathComponent("net.geojson").path
        try AtomicFileWriter.withWriter(path: path) { try $0.write(GeoJSON.encode(FeatureCollection(features: features))) }
        return path
    }

    func testRoundTripPreservesEverythingRoutesUse() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try sourceNetwork(in: dir)
        let original = try NetworkSource.load(source)
        let cache = dir.appendingPathComponent("net.rsnet").path
        try CompiledNetwork.write(original, source: source, to: cache)
        let loaded = try NetworkSource.load(cache)
        XCTAssertEqual(loaded.edges.ids, original.edges.ids)
        XCTAssertEqual(loaded.edges.costs, original.edges.costs)
        XCTAssertEqual(loaded.edges.reverseCosts, original.edges.reverseCosts)
        XCTAssertEqual(loaded.graph.nodeIds, original.graph.nodeIds)
        XCTAssertEqual(loaded.graph.arcHead, original.graph.arcHead)
        XCTAssertEqual(loaded.nodeNames, original.nodeNames)
        XCTAssertEqual(loaded.nodeProperties, original.nodeProperties)
        XCTAssertEqual(loaded.edgeGeometries, original.edgeGeometries)
        XCTAssertEqual(loaded.edgeProperties, original.edgeProperties)
        let a = try RouteFinder(network: original).routes(from: 1, to: 3, k: 3)
        let b = try RouteFinder(network: loaded).routes(from: 1, to: 3, k: 3)
        XCTAssertEqual(a, b)
        // Writing the loaded network again gives the same bytes: the format is deterministic.
        let again = dir.appendingPathComponent("again.rsnet").path
        try CompiledNetwork.write(loaded, source: source, to: again)
        XCTAssertEqual(FileManager.default.contents(atPath: again), FileManager.default.contents(atPath: cache))
    }

    func testCorruptTruncatedForeignAndStaleCachesAreRejected() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try sourceNetwork(in: dir)
        let cache = dir.appendingPathComponent("net.rsnet").path
        try CompiledNetwork.write(try NetworkSource.load(source), source: source, to: cache)
        let good = [UInt8](FileManager.default.contents(atPath: cache)!)

        func expectError(_ bytes: [UInt8], containing text: String, line: UInt = #line) throws {
            let path = dir.appendingPathComponent("bad.rsnet").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try CompiledNetwork.read(path: path), line: line) { error in
                XCTAssertTrue("\(error)".contains(text), "\(error)", line: line)
                XCTAssertTrue("\(error)".contains("bad.rsnet"), line: line)
            }
        }
        var flipped = good
        flipped[good.count / 2] ^= 0x40
        try expectError(flipped, containing: "checksum")
        try expectError(Array(good.dropLast(7)), containing: "truncated")
        try expectError(Array("{\"type\":\"FeatureCollection\"}".utf8), containing: "not a RouteShift compiled network")
        var otherVersion = good
        otherVersion[8] = 99
        try expectError(otherVersion, containing: "format version 99")

        // Edit the source after compiling: the cache is stale.
        var text = try String(contentsOfFile: source, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"alpha\"", with: "\"alfa\"")
        try text.write(toFile: source, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CompiledNetwork.read(path: cache)) { error in
            XCTAssertTrue("\(error)".contains("stale"), "\(error)")
        }
        XCTAssertNoThrow(try CompiledNetwork.read(path: cache, checkSource: false))
    }
}
