import XCTest
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGeometry
import RouteShiftTestSupport

final class LifetimeTests: XCTestCase {
    /// Creates and drops many geometries, prepared geometries, indexes and engines.
    /// Run under valgrind to check that nothing leaks or is freed twice.
    func testManyShortLivedObjects() throws {
        let engine = try GeometryEngine()
        var rng = SplitMix64(seed: 99)
        var totalArea = 0.0
        for i in 0..<2_000 {
            let o = randomCoordinate(&rng)
            let a = try engine.geometry(square(o.longitude, o.latitude, side: 2))
            let b = try engine.geometry(square(o.longitude + 1, o.latitude + 1, side: 2))
            totalArea += try engine.area(try engine.intersection(a, b))
            if i % 10 == 0 {
                let prepared = try engine.prepare(try engine.union(a, b))
                XCTAssertTrue(try prepared.intersects(b))
                let index = try engine.spatialIndex([a, b])
                XCTAssertNotNil(try index.nearest(to: try engine.point(o)))
                _ = try engine.unaryUnion([a, b, try engine.makeValid(a)])
                _ = try engine.wkb(try engine.geoJSON(b) == .point(o) ? a : b)
            }
            if i % 100 == 0 {
                // Failure paths free what they built.
                XCTAssertThrowsError(try engine.geometry(wkt: "LINESTRING (0 0")) { XCTAssertTrue($0 is InputError, "\($0)") }
                XCTAssertThrowsError(try engine.geometry(.polygon([[c(0, 0), c(1, 0), c(1, 1), c(0, 0)], [c(0, 0)]]))) {
                    XCTAssertEqual(($0 as? InputError)?.location.path, "$.coordinates[1]")
                }
            }
        }
        XCTAssertEqual(totalArea, 2_000, accuracy: 1e-6)
        for _ in 0..<50 {
            let other = try GeometryEngine()
            _ = try other.buffer(try other.point(c(0, 0)), distance: 1)
        }
    }

    /// One engine per task: independent contexts work in parallel.
    func testOneEnginePerTask() async throws {
        let areas = try await withThrowingTaskGroup(of: Double.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    let engine = try GeometryEngine()
                    var cells: [PlanarGeometry] = []
                    for i in 0..<10 {
                        for j in 0..<10 {
                            cells.append(try engine.geometry(square(Double(i + worker * 100), Double(j))))
                        }
                    }
                    let land = try engine.unaryUnion(cells)
                    return try engine.area(land)
                }
            }
            return try await group.reduce(into: [Double]()) { $0.append($1) }
        }
        XCTAssertEqual(areas, [100, 100, 100, 100])
    }
}
