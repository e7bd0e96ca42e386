import XCTest
import RouteShiftCore
@testable import RouteShiftGeodesy

final class GeodesicTests: XCTestCase {
    private let wgs84 = Geodesic.wgs84
    private func c(_ lon: Double, _ lat: Double) -> Coordinate { Coordinate(longitude: lon, latitude: lat) }

    /// Karney (2013), worked example of the direct problem: φ1 = 40°, α1 = 30°, s12 = 10 000 km
    /// gives φ2 = 41.79331020506°, λ12 = 137.84490004377°, α2 = 149.09016931807°.
    func testKarneyDirectExample() {
        let (p, azi2) = wgs84.directWithAzimuth(from: c(0, 40), azimuth: 30, distance: 10_000_000)
        XCTAssertEqual(p.latitude, 41.79331020506, accuracy: 1e-11)
        XCTAssertEqual(p.longitude, 137.84490004377, accuracy: 1e-11)
        XCTAssertEqual(azi2, 149.09016931807, accuracy: 1e-11)
    }

    /// Karney (2013), worked example of the inverse problem (nearly antipodal):
    /// φ1 = −30°, φ2 = 29.9°, λ12 = 179.8° gives α1 = 161.890524736°, α2 = 18.090737246°,
    /// s12 = 19 989 832.827610 m.
    func testKarneyInverseExample() {
        let r = wgs84.inverse(from: c(0, -30), to: c(179.8, 29.9))
        XCTAssertEqual(r.initialAzimuth, 161.890524736, accuracy: 1e-9)
        XCTAssertEqual(r.finalAzimuth, 18.090737246, accuracy: 1e-9)
        XCTAssertEqual(r.distance, 19_989_832.827610, accuracy: 1e-3)
    }

    /// On the equator a short geodesic is the equator itself: s = a·Δλ exactly.
    func testEquatorialArcIsRadiusTimesAngle() {
        XCTAssertEqual(wgs84.distance(from: c(0, 0), to: c(1, 0)), 6_378_137 * .pi / 180, accuracy: 1e-6)
        XCTAssertEqual(wgs84.inverse(from: c(0, 0), to: c(1, 0)).initialAzimuth, 90, accuracy: 1e-12)
    }

    /// The WGS84 meridian quadrant (equator to pole) is 10 001 965.729 m.
    func testMeridianQuadrant() {
        XCTAssertEqual(wgs84.distance(from: c(0, 0), to: c(0, 90)), 10_001_965.729, accuracy: 1e-3)
    }

    /// The example in PROJ's geodesic.h, JFK (40.64N 73.78W) to Singapore Changi (1.36N 103.99E);
    /// `geod +ellps=WGS84 -I` prints 15347512.941 m.
    func testJFKToChangi() {
        XCTAssertEqual(wgs84.distance(from: c(-73.78, 40.64), to: c(103.99, 1.36)), 15_347_512.941, accuracy: 1e-3)
    }

    func testDirectInverseRoundTripOnManyPairs() {
        // A fixed linear congruential sequence: the same pairs every run.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        for _ in 0..<500 {
            let a = c(next() * 360 - 180, next() * 178 - 89)
            let azimuth = next() * 360 - 180
            let distance = next() * 19_000_000
            let b = wgs84.direct(from: a, azimuth: azimuth, distance: distance)
            XCTAssertTrue(b.isValidGeographic)
            let r = wgs84.inverse(from: a, to: b)
            // The direct path may not be the shortest one when it is long; it can never be shorter.
            XCTAssertLessThanOrEqual(r.distance, distance + 1e-6)
            if distance < 5_000_000 {
                XCTAssertEqual(r.distance, distance, accuracy: 1e-6)
                XCTAssertEqual(r.initialAzimuth, azimuth, accuracy: 1e-7)
            }
            // Going back the inverse's way from b lands on a.
            let back = wgs84.direct(from: b, azimuth: r.finalAzimuth + 180, distance: r.distance)
            XCTAssertEqual(wgs84.distance(from: back, to: a), 0, accuracy: 1e-6)
        }
    }

    func testLengthOfPolylineIsSumOfLegs() {
        XCTAssertEqual(wgs84.length(of: []), 0)
        XCTAssertEqual(wgs84.length(of: [c(5, 5)]), 0)
        let line = [c(0, 0), c(1, 0), c(2, 0), c(3, 0)]
        XCTAssertEqual(wgs84.length(of: line), 3 * 6_378_137 * .pi / 180, accuracy: 1e-6)
    }

    func testPointAlongEquator() throws {
        let line = [c(0, 0), c(0.5, 0), c(2, 0)]
        let mid = try XCTUnwrap(wgs84.point(along: line, atFraction: 0.5))
        XCTAssertEqual(mid.longitude, 1, accuracy: 1e-12)
        XCTAssertEqual(mid.latitude, 0, accuracy: 1e-12)
        let p = try XCTUnwrap(wgs84.point(along: line, atDistance: 6_378_137 * .pi / 180 * 0.25))
        XCTAssertEqual(p.longitude, 0.25, accuracy: 1e-12)
        XCTAssertEqual(wgs84.point(along: line, atDistance: -5), c(0, 0))
        XCTAssertEqual(wgs84.point(along: line, atDistance: 1e9), c(2, 0))
        XCTAssertNil(wgs84.point(along: [], atDistance: 0))
    }

    func testIntermediatePointsAndDensify() {
        let pts = wgs84.intermediatePoints(from: c(0, 0), to: c(4, 0), count: 3)
        XCTAssertEqual(pts.map(\.longitude), [1, 2, 3].map(Double.init), accuracy: 1e-12)
        // A long leg: Lisbon to New York, 100 km maximum spacing.
        let leg = [c(-9.14, 38.72), c(-74.0, 40.71)]
        let dense = wgs84.densified(leg, maximumSpacing: 100_000)
        XCTAssertEqual(dense.first, leg[0])
        XCTAssertEqual(dense.last, leg[1])
        let total = wgs84.length(of: leg)
        XCTAssertEqual(dense.count, Int((total / 100_000).rounded(.up)) + 1)
        XCTAssertEqual(wgs84.length(of: dense), total, accuracy: 1e-6)  // points lie on the geodesic
        for i in dense.indices.dropFirst() {
            XCTAssertLessThanOrEqual(wgs84.distance(from: dense[i - 1], to: dense[i]), 100_000)
        }
        // The great-circle-like path bulges north of both ends.
        XCTAssertGreaterThan(dense.map(\.latitude).max()!, 40.71 + 1)
    }

    func testSectionsOfABorderAreAtMost25Kilometres() throws {
        // A zig-zag line of a few hundred kilometres with vertices at irregular spacing.
        let line = [c(6.0, 49.0), c(6.05, 49.02), c(6.4, 49.3), c(6.41, 49.31), c(7.2, 49.1), c(7.9, 49.6), c(8.0, 49.6)]
        let total = wgs84.length(of: line)
        let sections = wgs84.sections(of: line, maximumLength: 25_000)
        XCTAssertEqual(sections.count, Int((total / 25_000).rounded(.up)))
        for s in sections {
            XCTAssertGreaterThanOrEqual(s.count, 2)
            XCTAssertEqual(wgs84.length(of: s), total / Double(sections.count), accuracy: 1e-6)
        }
        for i in sections.indices.dropFirst() { XCTAssertEqual(sections[i - 1].last, sections[i].first) }
        XCTAssertEqual(sections.first?.first, line.first)
        XCTAssertEqual(sections.last?.last, line.last)
        // Every original vertex is kept, in order.
        let joined = sections.flatMap { $0 }
        var cursor = joined.startIndex
        for v in line {
            let found = try XCTUnwrap(joined[cursor...].firstIndex(of: v), "vertex \(v) missing")
            cursor = found
        }
        // Short lines come back whole.
        XCTAssertEqual(wgs84.sections(of: [c(6, 49), c(6.1, 49)], maximumLength: 25_000), [[c(6, 49), c(6.1, 49)]])
    }

    func testSectionsOnEquatorCutAtExactLongitudes() {
        // 4° of equator, a·4π/180 ≈ 445 km, cut into pieces of at most 100 km: 5 equal sections of 0.8°.
        let sections = wgs84.sections(of: [c(0, 0), c(4, 0)], maximumLength: 100_000)
        XCTAssertEqual(sections.count, 5)
        XCTAssertEqual(sections.map { $0.last!.longitude }, [0.8, 1.6, 2.4, 3.2, 4.0], accuracy: 1e-12)
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}

final class AntimeridianTests: XCTestCase {
    func testDensifyAcrossTheAntimeridianGoesTheShortWay() {
        let wgs84 = Geodesic.wgs84
        let leg = [Coordinate(longitude: 179, latitude: 0), Coordinate(longitude: -179, latitude: 0)]
        // Two degrees of equator, not 358.
        XCTAssertEqual(wgs84.length(of: leg), 2 * 6_378_137 * .pi / 180, accuracy: 1e-6)
        let dense = wgs84.densified(leg, maximumSpacing: 60_000)
        XCTAssertEqual(dense.count, 5)  // 222.6 km in 4 steps of 55.7 km
        for p in dense {
            XCTAssertTrue(p.isValidGeographic)
            XCTAssertGreaterThanOrEqual(abs(p.longitude), 179 - 1e-9)
        }
    }
}
