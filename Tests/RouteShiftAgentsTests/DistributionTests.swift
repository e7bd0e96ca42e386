import Foundation
import RouteShiftNetwork
import XCTest
@testable import RouteShiftAgents

/// Counts over 100,000 people against binomial bounds (5 standard deviations: a false alarm
/// about once in 1.7 million runs), and the same output whatever the number of threads.
final class DistributionTests: XCTestCase {
    /// Town T (move chance 0.3) with camps X at 90 km and Y at 190 km: each person leaves with
    /// probability 0.3, and a leaver picks X with weight 1/(10+90) against 1/(10+190), i.e. 2/3.
    func testMoveChanceAndRouteChoiceOver100000People() throws {
        let input = FleeRulesTests.scenario([("T", "town", "0", "P"), ("X", "camp", "0", "P"), ("Y", "camp", "0", "P")],
                                            routes: [("T", "X", 90), ("T", "Y", 190)])
        for seed: UInt64 in [1, 2] {
            let sim = try FleeRulesTests.simulation(input, seed: seed, threads: 2)
            try sim.place(100_000, at: "T")
            try sim.advance()
            let counts = sim.result.counts[0].map(Int.init)
            let left = counts[1] + counts[2]
            let sdLeft = (100_000 * 0.3 * 0.7).squareRoot()
            XCTAssertLessThan(abs(Double(left) - 30_000), 5 * sdLeft, "seed \(seed): \(left) left")
            let sdX = (Double(left) * 2 / 9).squareRoot()
            XCTAssertLessThan(abs(Double(counts[1]) - Double(left) * 2 / 3), 5 * sdX, "seed \(seed): \(counts[1]) chose X")
        }
    }

    /// Conflict weight 0.25 on a conflict-zone destination: from hub H, town U and conflict zone
    /// V at equal distance weigh 1 : 0.25, so 20% go to V.
    func testConflictZonesAreAvoidedByTheirScore() throws {
        let input = FleeRulesTests.scenario([("H", "forwarding_hub", "0", "P"), ("U", "town", "0", "P"),
                                             ("V", "conflict_zone", "0", "P")],
                                            routes: [("H", "U", 1000), ("H", "V", 1000)])
        let sim = try FleeRulesTests.simulation(input, seed: 5, threads: 2)
        try sim.place(100_000, at: "H")
        try sim.advance()
        var toV = 0
        for i in 0..<sim.agentCount {
            if case .onLink(_, let to, _) = sim.position(of: i), to == "V" { toV += 1 }
        }
        let sd = (100_000 * 0.2 * 0.8).squareRoot()
        XCTAssertLessThan(abs(Double(toV) - 20_000), 5 * sd, "\(toV) toward V")
    }

    /// People hopping over a small graph for 12 days, split into blocks of at least 1,000: the
    /// recorded counts, crossings and every person's position are identical with 1, 2 and 5 threads.
    func testSameOutputWhateverTheThreadCount() throws {
        let input = FleeRulesTests.scenario(
            [("A", "conflict_zone", "1000", "P"), ("B", "town", "0", "P"), ("C", "town", "0", "P"), ("D", "marker", "0", "P"),
             ("E", "camp", "6000", "Q"), ("F", "camp", "0", "Q")],
            routes: [("A", "B", 120), ("B", "C", 90), ("A", "D", 200), ("D", "E", 300), ("C", "E", 150), ("C", "F", 500), ("B", "F", 700)])
        var settings = FleeRulesTests.settings
        settings.conflictSpawning = .init(mode: .constant, displacedPerConflictDay: 1_000)
        settings.campMoveChance = 0.01
        settings.awarenessLevel = 2
        func run(_ threads: Int, seed: UInt64 = 11) throws -> (FleeSimulation.Result, [FleeSimulation.Position]) {
            let sim = try FleeRulesTests.simulation(input, settings: settings, days: 12, seed: seed, threads: threads)
            sim.parallelGrain = 1_000
            sim.travellerBlock = 2
            try sim.place(10_000, at: "A")
            let result = try sim.run()
            let kept = sim.counts
            sim.recount()
            XCTAssertEqual(kept, sim.counts, "counts kept during the days differ from a recount")
            return (result, (0..<sim.agentCount).map(sim.position))
        }
        let one = try run(1), two = try run(2), five = try run(5)
        XCTAssertEqual(one.0.counts, two.0.counts)
        XCTAssertEqual(one.0.counts, five.0.counts)
        XCTAssertEqual(one.0.crossings, five.0.crossings)
        XCTAssertEqual(one.1, two.1)
        XCTAssertEqual(one.1, five.1)
        XCTAssertEqual(one.0.agentCount, 22_000)
        // The camp capacity holds every day, and the camp gets past the 90% buffer.
        XCTAssertTrue(one.0.counts.allSatisfy { $0[4] <= 6_000 })
        XCTAssertGreaterThan(one.0.counts.map { $0[4] }.max()!, 5_400)
        XCTAssertNotEqual(try run(2, seed: 12).0.counts, one.0.counts)
    }
}
