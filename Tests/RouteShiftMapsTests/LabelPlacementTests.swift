import XCTest
@testable import RouteShiftMaps
import RouteShiftTestSupport

final class LabelPlacementTests: XCTestCase {
    /// Property: whatever the points, placed labels never overlap each other or an
    /// obstacle and stay inside the bounds; the highest-priority label always fits when it can.
    func testPlacedLabelsNeverOverlap() {
        var rng = SplitMix64(seed: 42)
        let bounds = PixelRect(x: 0, y: 0, width: 800, height: 600)
        for round in 0..<40 {
            let count = Int.random(in: 5...250, using: &rng)
            var requests: [LabelRequest] = []
            for _ in 0..<count {
                let p = PixelPoint(x: Double.random(in: 0...800, using: &rng), y: Double.random(in: 0...600, using: &rng))
                requests.append(LabelRequest(anchor: p, width: Double.random(in: 20...120, using: &rng),
                                             height: 14, priority: Double(Int.random(in: 0...5, using: &rng)), gap: 5))
            }
            let obstacles = requests.map { PixelRect(x: $0.anchor.x - 3, y: $0.anchor.y - 3, width: 6, height: 6) }
                + [PixelRect(x: 600, y: 450, width: 190, height: 140)]
            let placed = LabelPlacer.place(requests, in: bounds, obstacles: obstacles)
            XCTAssertEqual(Set(placed.map(\.index)).count, placed.count, "round \(round): a request placed twice")
            for (i, a) in placed.enumerated() {
                XCTAssertTrue(bounds.contains(a.rect), "round \(round): label outside the bounds")
                XCTAssertEqual(a.rect, a.position.rect(for: requests[a.index]))
                for o in obstacles { XCTAssertFalse(a.rect.overlaps(o), "round \(round): label over an obstacle") }
                for b in placed[(i + 1)...] { XCTAssertFalse(a.rect.overlaps(b.rect), "round \(round): labels overlap") }
            }
        }
    }

    func testIsolatedPointGetsThePreferredUpperRightPosition() {
        let r = LabelRequest(anchor: PixelPoint(x: 100, y: 100), width: 50, height: 12, priority: 1, gap: 5)
        let placed = LabelPlacer.place([r], in: PixelRect(x: 0, y: 0, width: 400, height: 400),
                                       obstacles: [PixelRect(x: 97, y: 97, width: 6, height: 6)])
        XCTAssertEqual(placed.map(\.position), [.upperRight])
    }

    func testHigherPriorityWinsAndCrowdedLabelsAreSkipped() {
        // Three points on top of each other: only as many labels as there are free positions fit,
        // and the most important one is placed first, in its preferred position.
        let anchor = PixelPoint(x: 200, y: 200)
        let requests = (0..<12).map { LabelRequest(anchor: anchor, width: 60, height: 12, priority: Double($0), gap: 5) }
        let placed = LabelPlacer.place(requests, in: PixelRect(x: 0, y: 0, width: 400, height: 400), obstacles: [])
        XCTAssertEqual(placed.first?.index, 11)
        XCTAssertEqual(placed.first?.position, .upperRight)
        XCTAssertLessThan(placed.count, 12)
    }

    func testOverlapIsStrict() {
        let a = PixelRect(x: 0, y: 0, width: 10, height: 10)
        XCTAssertFalse(a.overlaps(PixelRect(x: 10, y: 0, width: 5, height: 5)))   // touching edges
        XCTAssertTrue(a.overlaps(PixelRect(x: 9.9, y: 9.9, width: 5, height: 5)))
    }
}
