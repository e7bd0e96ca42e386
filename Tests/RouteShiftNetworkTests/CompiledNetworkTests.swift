import Foundation
import XCTest
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
@testable import RouteShiftNetwork
import RouteShiftTestSupport

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

    /// A temporary directory holding the source network and its cache `net.rsnet` written from
    /// it: (directory, source path, cache path); the directory goes with the caller's scope.
    private func compiledFixture() throws -> (dir: TemporaryDirectory, source: String, cache: String) {
        let dir = try TemporaryDirectory("rs-net")
        let source = try sourceNetwork(in: dir.url)
        let cache = dir.path("net.rsnet")
        try CompiledNetwork.write(try NetworkSource.load(source), source: source, to: cache)
        return (dir, source, cache)
    }

    func testRoundTripPreservesEverythingRoutesUse() throws {
        let dir = try TemporaryDirectory("rs-net")
        let source = try sourceNetwork(in: dir.url)
        let original = try NetworkSource.load(source)
        let cache = dir.path("net.rsnet")
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
        let again = dir.path("again.rsnet")
        try CompiledNetwork.write(loaded, source: source, to: again)
        XCTAssertEqual(FileManager.default.contents(atPath: again), FileManager.default.contents(atPath: cache))
    }

    func testCorruptTruncatedForeignAndStaleCachesAreRejected() throws {
        let (dir, source, cache) = try compiledFixture()
        let good = [UInt8](FileManager.default.contents(atPath: cache)!)

        func expectError(_ bytes: [UInt8], containing text: String, line: UInt = #line) throws {
            let path = dir.path("bad.rsnet")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try CompiledNetwork.read(path: path), line: line) { error in
                XCTAssertTrue("\(error)".contains(text), "\(error)", line: line)
                XCTAssertTrue("\(error)".contains("bad.rsnet"), line: line)
            }
        }
        try expectError(Array(good.dropLast(7)), containing: "truncated")
        try expectError(Array("{\"type\":\"FeatureCollection\"}".utf8), containing: "not a RouteShift compiled network")
        var otherVersion = good
        otherVersion[8] = 99
        try expectError(otherVersion, containing: "format version 99")

        // Touched, not changed (new modification time, same bytes): still fresh, by its checksum.
        let contents = try XCTUnwrap(FileManager.default.contents(atPath: source))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 3600)], ofItemAtPath: source)
        XCTAssertNoThrow(try CompiledNetwork.read(path: cache))
        // Same size, other bytes, another modification time: stale (the checksum differs).
        var text = try XCTUnwrap(String(data: contents, encoding: .utf8))
        text = text.replacingOccurrences(of: "\"alpha\"", with: "\"alfa_\"")
        XCTAssertEqual(text.utf8.count, contents.count)
        try text.write(toFile: source, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 7200)], ofItemAtPath: source)
        XCTAssertThrowsError(try CompiledNetwork.read(path: cache)) { error in
            XCTAssertTrue("\(error)".contains("stale"), "\(error)")
        }
        XCTAssertNoThrow(try CompiledNetwork.read(path: cache, checkSource: false))
        // Another size: stale without reading the source.
        try (text + " ").write(toFile: source, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CompiledNetwork.read(path: cache)) { error in
            XCTAssertTrue("\(error)".contains("stale"), "\(error)")
        }
    }

    /// The graph and the edge table are used where they lie in the mapped file, not copied.
    func testGraphAndEdgeTableStayInTheMappedFile() throws {
        let fixture = try compiledFixture(), cache = fixture.cache
        let loaded = try CompiledNetwork.read(path: cache)
        XCTAssertTrue(loaded.graph.firstArc.isHeldInPlace)
        XCTAssertTrue(loaded.graph.arcHead.isHeldInPlace)
        XCTAssertTrue(loaded.edges.ids.isHeldInPlace)
        XCTAssertTrue(loaded.edges.costs.isHeldInPlace)
        // Changing a column read in place gives a copy; the file stays as it was.
        var edges = loaded.edges
        edges.costs[0] = 42
        XCTAssertFalse(edges.costs.isHeldInPlace)
        XCTAssertEqual(edges.costs[0], 42)
        XCTAssertNotEqual(loaded.edges.costs[0], 42)
        XCTAssertNotEqual(try CompiledNetwork.read(path: cache).edges.costs[0], 42)
    }

    /// Property: every prefix of a cache (a file cut short while copied) is an
    /// `InputError` naming the file, never a crash.
    func testEveryTruncationIsAnInputError() throws {
        let fixture = try compiledFixture(), cache = fixture.cache
        let good = [UInt8](FileManager.default.contents(atPath: cache)!)
        for length in 0..<good.count {
            XCTAssertThrowsError(try CompiledNetwork.decode(Array(good[..<length]), path: "cut.rsnet", checkSource: false)) {
                XCTAssertEqual(($0 as? InputError)?.location.file, "cut.rsnet", "\(length): \($0)")
            }
        }
    }

    private func offset(of needle: [UInt8], in bytes: [UInt8], after start: Int = 24) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        return (start...(bytes.count - needle.count)).first { Array(bytes[$0..<$0 + needle.count]) == needle }
    }

    /// A geometry point count of -1 and an edge claiming 2^32 - 1 attributes used to trap
    /// (signal 4) and abort on a 344 GB allocation (signal 6); both are input errors naming the file.
    func testCraftedCountsAreInputErrors() throws {
        let (dir, _, cache) = try compiledFixture()
        let good = [UInt8](FileManager.default.contents(atPath: cache)!)
        let bad = dir.path("crafted.rsnet")

        func expectInputError(_ bytes: [UInt8], line: UInt = #line) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: bad))
            XCTAssertThrowsError(try CompiledNetwork.read(path: bad, checkSource: false), line: line) { error in
                guard let e = error as? InputError else { return XCTFail("\(type(of: error)): \(error)", line: line) }
                XCTAssertEqual(e.location.file, bad, line: line)
            }
        }
        // Geometry point counts: the Int32 array [3, 2, 2] (edge ids 10, 11, 12) after its 8-byte length.
        let counts: [UInt8] = [3, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0]
        let at = try XCTUnwrap(offset(of: counts, in: good))
        var negative = good
        for i in 0..<4 { negative[at + 8 + i] = 0xFF }  // first count = -1
        try expectInputError(negative)
        // Edge attributes: the last table; its first dictionary's entry count is a UInt32
        // right after the dictionary count (3 edges).
        let edgeDicts: [UInt8] = [3, 0, 0, 0, 0, 0, 0, 0]
        var start = 24, last: Int?
        while let found = offset(of: edgeDicts, in: good, after: start) { last = found; start = found + 1 }
        let dictionaries = try XCTUnwrap(last)
        var huge = good
        for i in 0..<4 { huge[dictionaries + 8 + i] = 0xFF }
        try expectInputError(huge)
    }

    /// Property: overwriting any 4 bytes of the payload with extreme values never traps; the reader returns a network or throws an `InputError` naming the file.
    func testEveryCraftedWordIsRejectedOrReadNeverCrashes() throws {
        let (dir, _, cache) = try compiledFixture()
        let good = [UInt8](FileManager.default.contents(atPath: cache)!)
        let bad = dir.path("mutant.rsnet")
        let words: [[UInt8]] = [[0xFF, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0x7F], [0, 0, 0, 0]]
        var rejected = 0
        // About 60 positions spread over every table (a debug-build read takes milliseconds).
        for at in stride(from: 24, to: good.count - 4, by: max(1, (good.count - 32) / 60)) {
            for word in words {
                var mutant = good
                for i in 0..<4 { mutant[at + i] = word[i] }
                try Data(mutant).write(to: URL(fileURLWithPath: bad))
                do {
                    _ = try CompiledNetwork.read(path: bad, checkSource: false)
                } catch let error as InputError {
                    XCTAssertEqual(error.location.file, bad, "\(error)")
                    rejected += 1
                }
            }
        }
        XCTAssertGreaterThan(rejected, 0)
    }

    /// A cache built from an edge table depends on its nodes table too (coordinates, the
    /// node numbering): changing `nodes.csv`, or adding one where there was none, stales it.
    func testChangedOrNewNodesTableMakesACacheStale() throws {
        let dir = try TemporaryDirectory("rs-net")
        let edges = dir.path("edges.csv"), nodes = dir.path("nodes.csv")
        try "id,source,target,cost,reverse_cost\n1,1,2,5,5\n2,2,3,4,-1\n".write(toFile: edges, atomically: true, encoding: .utf8)
        let cache = dir.path("net.rsnet")
        // Without nodes.csv: fresh until one appears.
        try CompiledNetwork.write(try NetworkSource.load(edges), source: edges, to: cache)
        XCTAssertNoThrow(try CompiledNetwork.read(path: cache))
        let table = "id,lon,lat\n1,20.5,44.8\n2,19.8,45.3\n3,19.0,47.5\n"
        try table.write(toFile: nodes, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CompiledNetwork.read(path: cache)) { error in
            XCTAssertTrue("\(error)".contains("stale") && "\(error)".contains("nodes.csv"), "\(error)")
            XCTAssertTrue("\(error)".contains("absent"), "\(error)")
        }
        // With nodes.csv: fresh, then stale once a coordinate changes (same size, another time).
        let network = try NetworkSource.load(edges)
        XCTAssertTrue(network.graph.hasCoordinates)
        try CompiledNetwork.write(network, source: edges, to: cache)
        XCTAssertNoThrow(try CompiledNetwork.read(path: cache))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 3600)], ofItemAtPath: nodes)
        XCTAssertNoThrow(try CompiledNetwork.read(path: cache), "touched, not changed")
        let moved = table.replacingOccurrences(of: "19.8,45.3", with: "19.9,45.3")
        XCTAssertEqual(moved.utf8.count, table.utf8.count)
        try moved.write(toFile: nodes, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 7200)], ofItemAtPath: nodes)
        XCTAssertThrowsError(try CompiledNetwork.read(path: cache)) { error in
            XCTAssertTrue("\(error)".contains("stale") && "\(error)".contains("nodes.csv"), "\(error)")
            XCTAssertEqual(((error as? InputError)?.underlying as? CompiledNetwork.Outdated)?.source,
                           URL(fileURLWithPath: nodes).standardizedFileURL.path)
        }
        // The edge table is still checked as before.
        try "id,source,target,cost,reverse_cost\n1,1,2,5,5\n2,2,3,4,4\n".write(toFile: edges, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 3600)], ofItemAtPath: nodes)
        try CompiledNetwork.write(try NetworkSource.load(edges), source: edges, to: cache)
        try "id,source,target,cost,reverse_cost\n1,1,2,5,5\n2,2,3,4,-1\n".write(toFile: edges, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CompiledNetwork.read(path: cache)) { error in
            XCTAssertTrue("\(error)".contains("stale") && "\(error)".contains("edges.csv"), "\(error)")
        }
    }

    /// Landmarks kept in the cache are read in place and give the route search of the
    /// default algorithm the same costs as Dijkstra on every pair.
    func testLandmarksInTheCacheGiveTheCheapestRoutes() throws {
        let dir = try TemporaryDirectory("rs-net")
        var network = try Fixtures.randomGeographicNetwork(n: 80, seed: 9)
        network.landmarks = Landmarks(graph: network.graph, count: 4)
        let cache = dir.path("random.rsnet")
        try CompiledNetwork.write(network, inputs: [], to: cache)
        let loaded = try CompiledNetwork.read(path: cache)
        let landmarks = try XCTUnwrap(loaded.landmarks)
        XCTAssertTrue(landmarks.belong(to: loaded.graph))
        XCTAssertEqual(landmarks.nodes.array, network.landmarks?.nodes.array)
        XCTAssertEqual(landmarks.fromLandmark.array, network.landmarks?.fromLandmark.array)
        XCTAssertTrue(landmarks.fromLandmark.isHeldInPlace)
        let finder = RouteFinder(network: loaded)
        var compared = 0
        for a in Int64(1)...80 where a % 3 == 0 {
            for b in Int64(1)...80 {
                let expected = try finder.shortestPath(from: a, to: b, algorithm: .dijkstra)?.totalCost
                let found = try finder.shortestPath(from: a, to: b, algorithm: .automatic)?.totalCost
                XCTAssertEqual(found == nil, expected == nil, "\(a)→\(b)")
                if let found, let expected {
                    XCTAssertEqual(found, expected, accuracy: 1e-9 * max(1, expected), "\(a)→\(b)")
                    compared += 1
                }
            }
        }
        XCTAssertGreaterThan(compared, 500)
        // A network derived with other costs has no landmarks: they would not bound its costs.
        XCTAssertNil(try loaded.undirected().landmarks)
    }
}
