import XCTest
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGeometry

final class LinearReferencingTests: XCTestCase {
    // An L of planar length 8: 4 east, then 4 north.
    let ell = [c(0, 0), c(4, 0), c(4, 4)]

    func testSplitAtQuarterAndHalfGivesKnownPieces() throws {
        let pieces = try LinearReferencing.split(ell, atFractions: [0.25, 0.5])
        XCTAssertEqual(pieces, [
            [c(0, 0), c(2, 0)],
            [c(2, 0), c(4, 0)],
            [c(4, 0), c(4, 4)],
        ])
    }

    func testSplitInsideSegmentsKeepsInteriorVertices() throws {
        let pieces = try LinearReferencing.split(ell, atFractions: [0.375, 0.875])
        XCTAssertEqual(pieces, [
            [c(0, 0), c(3, 0)],
            [c(3, 0), c(4, 0), c(4, 3)],
            [c(4, 3), c(4, 4)],
        ])
    }

    func testEngineSplitPiecesHaveKnownLengths() throws {
        let engine = try GeometryEngine()
        let line = try engine.geometry(.lineString([c(0, 0), c(3, 0), c(3, 6), c(7, 6)]))  // length 13
        let pieces = try engine.split(line, atFractions: [0.25, 0.5])
        XCTAssertEqual(pieces.count, 3)
        let lengths = try pieces.map { try engine.length($0) }
        XCTAssertEqual(lengths[0], 3.25, accuracy: 1e-12)
        XCTAssertEqual(lengths[1], 3.25, accuracy: 1e-12)
        XCTAssertEqual(lengths[2], 6.5, accuracy: 1e-12)
        // Pieces join end to start exactly and merge back to the whole line.
        let merged = try engine.lineMerge(try engine.geometry(.multiLineString(try pieces.map { try engine.coordinates($0) })))
        XCTAssertEqual(try engine.length(merged), 13, accuracy: 1e-12)
        let middle = try engine.substring(line, from: 0.25, to: 0.5)
        XCTAssertTrue(try engine.equalsExact(middle, pieces[1]))
    }

    func testCumulativeDistancesDecideWhereTheCutFalls() throws {
        // Segment lengths 1 and 3 by the caller's measure (say geodesic metres),
        // although both are one unit long in the plane.
        let line = [c(0, 0), c(1, 0), c(2, 0)]
        let pieces = try LinearReferencing.split(line, cumulativeDistances: [0, 1, 4], atFractions: [0.5])
        // Half of 4 is 2: one third of the way along the second segment.
        XCTAssertEqual(pieces.count, 2)
        XCTAssertEqual(pieces[0].count, 3)
        XCTAssertEqual(pieces[0].last!.longitude, 1 + 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(pieces[1].first, pieces[0].last)
        XCTAssertEqual(pieces[1].last, c(2, 0))
        // Distances need not start at zero.
        XCTAssertEqual(try LinearReferencing.split(line, cumulativeDistances: [10, 11, 14], atFractions: [0.5]), pieces)
    }

    func testCustomSegmentInterpolationIsUsedWithinASegment() throws {
        var calls: [Double] = []
        let pieces = try LinearReferencing.split(
            [c(0, 0), c(10, 0)], cumulativeDistances: [0, 100], atFractions: [0.3],
            pointAt: { start, end, t in
                calls.append(t)
                return LinearReferencing.linear(start, end, t)
            })
        XCTAssertEqual(calls.count, 2)  // once for each side of the cut
        XCTAssertEqual(calls[0], 0.3, accuracy: 1e-15)
        XCTAssertEqual(pieces[0].last!.longitude, 3, accuracy: 1e-12)
    }

    func testEdgeFractionsGiveZeroLengthPieces() throws {
        let pieces = try LinearReferencing.split(ell, atFractions: [0, 0.5, 0.5, 1])
        XCTAssertEqual(pieces, [
            [c(0, 0), c(0, 0)],
            [c(0, 0), c(4, 0)],
            [c(4, 0), c(4, 0)],
            [c(4, 0), c(4, 4)],
            [c(4, 4), c(4, 4)],
        ])
        XCTAssertEqual(try LinearReferencing.split(ell, atFractions: []), [ell])
    }

    func testSubstring() throws {
        XCTAssertEqual(try LinearReferencing.substring(ell, from: 0.25, to: 0.75), [c(2, 0), c(4, 0), c(4, 2)])
        XCTAssertEqual(try LinearReferencing.substring(ell, from: 0, to: 1), ell)
    }

    func testBadArgumentsAreInputErrors() {
        XCTAssertThrowsError(try LinearReferencing.split(ell, atFractions: [0.5, 0.25])) { XCTAssertTrue($0 is InputError) }
        XCTAssertThrowsError(try LinearReferencing.split(ell, atFractions: [1.5])) { XCTAssertTrue($0 is InputError) }
        XCTAssertThrowsError(try LinearReferencing.split(ell, atFractions: [.nan])) { XCTAssertTrue($0 is InputError) }
        XCTAssertThrowsError(try LinearReferencing.split([c(0, 0)], atFractions: [0.5])) { XCTAssertTrue($0 is InputError) }
        XCTAssertThrowsError(try LinearReferencing.split(ell, cumulativeDistances: [0, 2, 1], atFractions: [0.5])) {
            XCTAssertTrue($0 is InputError)
        }
        XCTAssertThrowsError(try LinearReferencing.split(ell, cumulativeDistances: [0, 2], atFractions: [0.5])) {
            XCTAssertTrue($0 is InputError)
        }
    }
}
