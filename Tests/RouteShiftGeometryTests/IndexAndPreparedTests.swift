import XCTest
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGeometry
import RouteShiftTestSupport

final class IndexAndPreparedTests: XCTestCase {
    var engine: GeometryEngine!

    override func setUpWithError() throws {
        engine = try GeometryEngine()
    }

    func testNearestMatchesBruteForceOnRandomPoints() throws {
        var rng = SplitMix64(seed: 0x5EED_0001)
        let sites = (0..<400).map { _ in randomCoordinate(&rng) }
        let points = try sites.map { try engine.point($0) }
        let index = try engine.spatialIndex(points)
        XCTAssertEqual(index.count, 400)
        for _ in 0..<200 {
            let q = randomCoordinate(&rng, in: -10...110)
            let query = try engine.point(q)
            let id = try XCTUnwrap(try index.nearest(to: query))
            let best = try points.map { try engine.distance($0, query) }.min()!
            XCTAssertEqual(try engine.distance(points[id], query), best, "query \(q)")
        }
    }

    func testNearestPolygonUsesExactDistanceNotBoxes() throws {
        // A long thin diagonal polygon whose box covers the query, and a small square nearby.
        let diagonal = try engine.geometry(.polygon([[c(0, 0), c(10, 10), c(10, 9.9), c(0, 0)]]))
        let near = try engine.geometry(square(8, 1, side: 0.5))
        let index = try engine.spatialIndex([diagonal, near])
        XCTAssertEqual(try index.nearest(to: try engine.point(c(8, 2))), 1)
        XCTAssertEqual(try index.nearest(to: try engine.point(c(5, 5.2))), 0)
    }

    func testCandidatesMatchBoundingBoxBruteForce() throws {
        var rng = SplitMix64(seed: 42)
        let boxes = (0..<300).map { _ -> BoundingBox in
            let a = randomCoordinate(&rng)
            return BoundingBox(minX: a.longitude, minY: a.latitude,
                               maxX: a.longitude + Double.random(in: 0...8, using: &rng),
                               maxY: a.latitude + Double.random(in: 0...8, using: &rng))
        }
        let index = try engine.spatialIndex(try boxes.map { try engine.rectangle($0) })
        for _ in 0..<50 {
            let a = randomCoordinate(&rng)
            let window = BoundingBox(minX: a.longitude, minY: a.latitude, maxX: a.longitude + 15, maxY: a.latitude + 5)
            let expected = boxes.indices.filter {
                boxes[$0].minX <= window.maxX && window.minX <= boxes[$0].maxX
                    && boxes[$0].minY <= window.maxY && window.minY <= boxes[$0].maxY
            }
            XCTAssertEqual(index.candidates(intersecting: try engine.rectangle(window)), expected)
        }
    }

    func testEmptyIndex() throws {
        let index = try engine.spatialIndex([])
        XCTAssertNil(try index.nearest(to: try engine.point(c(0, 0))))
        XCTAssertEqual(index.candidates(intersecting: try engine.point(c(0, 0))), [])
    }

    func testPreparedPredicatesAgreeWithPlainOnes() throws {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<40 {
            let land = try engine.buffer(try engine.point(randomCoordinate(&rng, in: 20...80)),
                                         distance: Double.random(in: 5...25, using: &rng))
            let prepared = try engine.prepare(land)
            for _ in 0..<15 {
                let probe: PlanarGeometry
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: probe = try engine.point(randomCoordinate(&rng))
                case 1: probe = try engine.geometry(.lineString([randomCoordinate(&rng), randomCoordinate(&rng)]))
                default:
                    probe = try engine.buffer(try engine.point(randomCoordinate(&rng)),
                                              distance: Double.random(in: 1...30, using: &rng))
                }
                let context = "\(land) vs \(probe)"
                XCTAssertEqual(try prepared.intersects(probe), try engine.intersects(land, probe), context)
                XCTAssertEqual(try prepared.disjoint(probe), try engine.disjoint(land, probe), context)
                XCTAssertEqual(try prepared.contains(probe), try engine.contains(land, probe), context)
                XCTAssertEqual(try prepared.covers(probe), try engine.covers(land, probe), context)
                XCTAssertEqual(try prepared.within(probe), try engine.within(land, probe), context)
                XCTAssertEqual(try prepared.coveredBy(probe), try engine.covers(probe, land), context)
                XCTAssertEqual(try prepared.touches(probe), try engine.touches(land, probe), context)
                XCTAssertEqual(try prepared.crosses(probe), try engine.crosses(land, probe), context)
                if try prepared.containsProperly(probe) {
                    XCTAssertTrue(try engine.contains(land, probe), context)
                }
            }
        }
    }

    func testPreparedGeometryKeepsItsBaseAlive() throws {
        let prepared = try engine.prepare(try engine.geometry(square(0, 0, side: 4)))
        // The only reference to the base is inside `prepared` now.
        XCTAssertTrue(try prepared.contains(try engine.point(c(2, 2))))
        XCTAssertEqual(try engine.area(prepared.base), 16, accuracy: 1e-12)
    }
}
