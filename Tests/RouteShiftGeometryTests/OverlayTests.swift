import XCTest
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGeometry

final class OverlayTests: XCTestCase {
    var engine: GeometryEngine!

    override func setUpWithError() throws {
        engine = try GeometryEngine()
    }

    func testIntersectionUnionDifferenceOfOverlappingSquares() throws {
        // [0,2]² and [1,3]² overlap in [1,2]²: area 1; union 4 + 4 - 1 = 7; difference 4 - 1 = 3.
        let a = try engine.geometry(square(0, 0, side: 2))
        let b = try engine.geometry(square(1, 1, side: 2))
        let overlap = try engine.intersection(a, b)
        XCTAssertEqual(overlap.typeName, "Polygon")
        XCTAssertEqual(try engine.area(overlap), 1, accuracy: 1e-12)
        XCTAssertEqual(try engine.boundingBox(overlap), BoundingBox(minX: 1, minY: 1, maxX: 2, maxY: 2))
        XCTAssertEqual(try engine.area(try engine.union(a, b)), 7, accuracy: 1e-12)
        XCTAssertEqual(try engine.area(try engine.difference(a, b)), 3, accuracy: 1e-12)
        XCTAssertTrue(try engine.intersects(a, b))
        XCTAssertFalse(try engine.touches(a, b))
    }

    func testAdjacentSquaresShareABorderOfLengthOne() throws {
        let west = try engine.geometry(square(0, 0))
        let east = try engine.geometry(square(1, 0))
        let shared = try engine.intersection(try engine.boundary(west), try engine.boundary(east))
        let border = try engine.lineMerge(shared)
        XCTAssertEqual(border.typeName, "LineString")
        XCTAssertEqual(try engine.length(border), 1, accuracy: 1e-12)
        let ends = Set(try engine.coordinates(border))
        XCTAssertEqual(ends, [c(1, 0), c(1, 1)])
        XCTAssertTrue(try engine.touches(west, east))
        // Interiors disjoint, boundaries meet in a line: a land border.
        XCTAssertTrue(try engine.relate(west, east, pattern: "F***1****"))
        XCTAssertEqual(try engine.relate(west, east), "FF2F11212")
    }

    func testCornerContactIsAPointNotALine() throws {
        let a = try engine.geometry(square(0, 0))
        let b = try engine.geometry(square(1, 1))
        let contact = try engine.intersection(a, b)
        XCTAssertEqual(contact.typeName, "Point")
        XCTAssertEqual(try engine.geoJSON(contact), .point(c(1, 1)))
        XCTAssertTrue(try engine.touches(a, b))
        XCTAssertFalse(try engine.relate(a, b, pattern: "F***1****"))
    }

    func testUnaryUnionOfAGridDissolvesInnerEdges() throws {
        // Nine unit squares tiling [0,3]²: one polygon, area 9, perimeter 12.
        var cells: [PlanarGeometry] = []
        for i in 0..<3 { for j in 0..<3 { cells.append(try engine.geometry(square(Double(i), Double(j)))) } }
        let land = try engine.unaryUnion(cells)
        XCTAssertEqual(land.typeName, "Polygon")
        XCTAssertEqual(try engine.area(land), 9, accuracy: 1e-12)
        XCTAssertEqual(try engine.length(land), 12, accuracy: 1e-12)
        // The inputs are untouched (the union worked on copies).
        XCTAssertEqual(try engine.area(cells[4]), 1, accuracy: 1e-12)
    }

    func testBufferOfAPointIsTheInscribedPolygon() throws {
        // 8 segments per quadrant: a regular 32-gon of circumradius r, area (n/2)·r²·sin(2π/n).
        let p = try engine.point(c(10, 20))
        let disc = try engine.buffer(p, distance: 2, quadrantSegments: 8)
        let n = 32.0
        XCTAssertEqual(try engine.area(disc), n / 2 * 4 * sin(2 * .pi / n), accuracy: 1e-9)
        XCTAssertEqual(try engine.numberOfPoints(disc), 33)
    }

    func testSimplifyDropsSmallZigzags() throws {
        let zigzag = try engine.geometry(.lineString([c(0, 0), c(1, 0.01), c(2, -0.01), c(3, 0.01), c(4, 0)]))
        let simple = try engine.simplify(zigzag, tolerance: 0.1)
        XCTAssertEqual(try engine.geoJSON(simple), .lineString([c(0, 0), c(4, 0)]))
        let kept = try engine.topologyPreservingSimplify(zigzag, tolerance: 0.001)
        XCTAssertEqual(try engine.numberOfPoints(kept), 5)
    }

    func testSnapMovesAnEndpointOntoANearbyVertex() throws {
        let leg = try engine.geometry(.lineString([c(0, 0), c(0.98, 0.01)]))
        let hub = try engine.point(c(1, 0))
        let snapped = try engine.snap(leg, to: hub, tolerance: 0.05)
        XCTAssertEqual(try engine.coordinates(snapped).last, c(1, 0))
        let untouched = try engine.snap(leg, to: hub, tolerance: 0.001)
        XCTAssertEqual(try engine.coordinates(untouched).last, c(0.98, 0.01))
    }

    func testNodeAndPolygonize() throws {
        // Two crossing segments are noded into four.
        let cross = try engine.geometry(.multiLineString([[c(0, 0), c(2, 2)], [c(0, 2), c(2, 0)]]))
        XCTAssertEqual(try engine.numberOfGeometries(try engine.node(cross)), 4)
        // The four sides of the unit square close into one polygon of area 1.
        let sides = try [
            [c(0, 0), c(1, 0)], [c(1, 0), c(1, 1)], [c(1, 1), c(0, 1)], [c(0, 1), c(0, 0)],
        ].map { try engine.geometry(.lineString($0)) }
        let faces = try engine.polygonize(sides)
        XCTAssertEqual(try engine.numberOfGeometries(faces), 1)
        XCTAssertEqual(try engine.area(faces), 1, accuracy: 1e-12)
    }

    func testStructureAndEnvelope() throws {
        let multi = try engine.geometry(.multiPolygon([
            [[c(0, 0), c(1, 0), c(1, 1), c(0, 0)]],
            [[c(5, 5), c(6, 5), c(6, 7), c(5, 5)]],
        ]))
        XCTAssertEqual(try engine.numberOfGeometries(multi), 2)
        XCTAssertEqual(try engine.numberOfPoints(multi), 8)
        XCTAssertEqual(try engine.geoJSON(try engine.geometry(multi, at: 1)),
                       .polygon([[c(5, 5), c(6, 5), c(6, 7), c(5, 5)]]))
        XCTAssertEqual(try engine.parts(multi).count, 2)
        XCTAssertEqual(try engine.boundingBox(multi), BoundingBox(minX: 0, minY: 0, maxX: 6, maxY: 7))
        XCTAssertEqual(try engine.area(try engine.envelope(multi)), 42, accuracy: 1e-12)
        XCTAssertNil(try engine.boundingBox(try engine.geometry(.lineString([]))))
        XCTAssertThrowsError(try engine.geometry(multi, at: 2)) { XCTAssertTrue($0 is InputError) }
    }

    func testProjectAndInterpolateAlongALine() throws {
        let line = try engine.geometry(.lineString([c(0, 0), c(4, 0), c(4, 4)]))
        XCTAssertEqual(try engine.project(try engine.point(c(4, 1)), onto: line), 5, accuracy: 1e-12)
        XCTAssertEqual(try engine.geoJSON(try engine.interpolate(line, distance: 6)), .point(c(4, 2)))
        XCTAssertEqual(try engine.distance(line, try engine.point(c(2, 3))), 2, accuracy: 1e-12)
    }

    func testNormalizedMakesRingOrderIrrelevant() throws {
        let a = try engine.geometry(square(0, 0))
        let b = try engine.geometry(.polygon([[c(1, 1), c(0, 1), c(0, 0), c(1, 0), c(1, 1)]]))
        XCTAssertFalse(try engine.equalsExact(a, b))
        XCTAssertTrue(try engine.equalsTopologically(a, b))
        XCTAssertTrue(try engine.equalsExact(try engine.normalized(a), try engine.normalized(b)))
    }
}

final class SharedBoundaryTests: XCTestCase {
    func testLineContactIsKeptAndPointContactDropped() throws {
        let engine = try GeometryEngine()
        // A = [0,2]²; B meets A along x = 2 for 0 ≤ y ≤ 1, and again at the corner (2, 2).
        let a = try engine.geometry(square(0, 0, side: 2))
        let b = try engine.geometry(.polygon([[c(2, 0), c(4, 0), c(4, 3), c(2, 2), c(3, 1.5), c(2, 1), c(2, 0)]]))
        let reason = try engine.validityReason(b)
        XCTAssertTrue(try engine.isValid(b), reason)
        let raw = try engine.intersection(try engine.boundary(a), try engine.boundary(b))
        XCTAssertEqual(try engine.numberOfGeometries(raw), 2, "\(raw)")
        let border = try engine.sharedBoundary(a, b)
        XCTAssertEqual(border.typeName, "LineString")
        XCTAssertEqual(try engine.length(border), 1, accuracy: 1e-12)
        XCTAssertEqual(Set(try engine.coordinates(border)), [c(2, 0), c(2, 1)])

        let corner = try engine.sharedBoundary(a, try engine.geometry(square(2, 2)))
        XCTAssertTrue(corner.isEmpty)
        XCTAssertEqual(try engine.length(corner), 0)
    }

    func testBorderAroundAnEnclaveIsAClosedLine() throws {
        let engine = try GeometryEngine()
        let outer = try engine.geometry(.polygon([
            [c(0, 0), c(10, 0), c(10, 10), c(0, 10), c(0, 0)],
            [c(4, 4), c(4, 6), c(6, 6), c(6, 4), c(4, 4)],
        ]))
        let enclave = try engine.geometry(square(4, 4, side: 2))
        let border = try engine.sharedBoundary(outer, enclave)
        XCTAssertEqual(try engine.length(border), 8, accuracy: 1e-12)
        let ring = try engine.coordinates(border)
        XCTAssertEqual(ring.first, ring.last)
    }
}
