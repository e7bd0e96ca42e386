import Foundation
import RouteShiftNetwork
import XCTest
@testable import RouteShiftAgents

/// Small graphs whose days can be worked out by hand from Flee's rules.
final class FleeRulesTests: XCTestCase {
    /// (name, type, population/capacity, country)
    typealias Place = (String, String, String, String)

    static func scenario(_ places: [Place], routes: [(String, String, Double)], closures: [FleeClosure] = []) -> FleeScenarioInput {
        let rows = places.enumerated().map { i, p in
            FleeLocationRow(name: p.0, region: "r", country: p.3, latitude: 10 + Double(i) * 0.1, longitude: 20,
                            locationType: p.1, conflictDate: "0", population: p.2, line: i + 2)
        }
        let links = routes.enumerated().map { i, r in
            FleeRouteRow(name1: r.0, name2: r.1, distance: r.2, forcedRedirection: "", line: i + 2)
        }
        return FleeScenarioInput(directory: "memory", locations: rows, routes: links, closures: closures)
    }

    /// Settings with people never leaving camps, so camp counts only grow.
    static var settings: FleeSettings {
        var s = FleeSettings.reference
        s.campMoveChance = 0
        s.conflictSpawning = .init(mode: .constant, displacedPerConflictDay: 0)
        return s
    }

    static func simulation(_ input: FleeScenarioInput, settings: FleeSettings = settings, days: Int = 10,
                           seed: UInt64 = 1, threads: Int = 1) throws -> FleeSimulation {
        try FleeSimulation(input: input, settings: settings, seed: seed, days: days, startDay: 0, threads: threads)
    }

    func count(_ sim: FleeSimulation, _ name: String) -> Int {
        Int(sim.result.counts.last![sim.names.firstIndex(of: name)!])
    }

    // MARK: Speed and multi-link days

    /// A forwarding hub A, a marker B (not a destination, so A's only route is A→B→C), a camp C.
    /// Day 1: 200 km to B (200 < 360 completes the link, 200 km moved < 360, so the person goes on);
    /// Flee then advances the next link by a full day's 360 km (not the 160 km left): 360 > 250, so
    /// the person is at C after day 1.
    func testTwoLinksOf200And250KmAreBothTravelledOnDayOne() throws {
        let input = Self.scenario([("A", "forwarding_hub", "0", "X"), ("B", "marker", "0", "X"), ("C", "camp", "0", "X")],
                                  routes: [("A", "B", 200), ("B", "C", 250)])
        let sim = try Self.simulation(input)
        try sim.place(1, at: "A")
        try sim.advance()
        XCTAssertEqual(sim.position(of: 0), .at("C"))
        try sim.advance()
        XCTAssertEqual(sim.position(of: 0), .at("C"))
        XCTAssertEqual(sim.result.crossings[0], [1, 1])
        XCTAssertEqual(sim.result.crossings[1], [0, 0])
    }

    /// Same with a second link of 400 km: after B the person is 360 km along B→C at the end of
    /// day 1 (360 is not > 400); day 2 adds 360 km (720 > 400) and the person reaches C.
    func testSecondLinkLongerThanADayIsFinishedOnDayTwo() throws {
        let input = Self.scenario([("A", "forwarding_hub", "0", "X"), ("B", "marker", "0", "X"), ("C", "camp", "0", "X")],
                                  routes: [("A", "B", 200), ("B", "C", 400)])
        let sim = try Self.simulation(input)
        try sim.place(1, at: "A")
        try sim.advance()
        XCTAssertEqual(sim.position(of: 0), .onLink(from: "B", to: "C", km: 360))
        try sim.advance()
        XCTAssertEqual(sim.position(of: 0), .at("C"))
    }

    /// A link of exactly 360 km is not finished in one day (Flee needs travelled > length).
    func testALinkOfExactlyOneDayTakesTwoDays() throws {
        let input = Self.scenario([("A", "forwarding_hub", "0", "X"), ("C", "camp", "0", "X")], routes: [("A", "C", 360)])
        let sim = try Self.simulation(input)
        try sim.place(1, at: "A")
        try sim.advance()
        XCTAssertEqual(sim.position(of: 0), .onLink(from: "A", to: "C", km: 360))
        try sim.advance()
        XCTAssertEqual(sim.position(of: 0), .at("C"))
    }

    /// start_on_foot: the first link goes at the walking speed (35 km/day): a 100 km link takes
    /// three days (35, 70, 105 > 100).
    func testStartOnFootWalksTheFirstLink() throws {
        var settings = Self.settings
        settings.startOnFoot = true
        let input = Self.scenario([("A", "forwarding_hub", "0", "X"), ("C", "camp", "0", "X")], routes: [("A", "C", 100)])
        let sim = try Self.simulation(input, settings: settings)
        try sim.place(1, at: "A")
        try sim.advance(); XCTAssertEqual(sim.position(of: 0), .onLink(from: "A", to: "C", km: 35))
        try sim.advance(); XCTAssertEqual(sim.position(of: 0), .onLink(from: "A", to: "C", km: 70))
        try sim.advance(); XCTAssertEqual(sim.position(of: 0), .at("C"))
    }

    // MARK: Camps

    /// Camp X (capacity 10) already holds 10: its capacity factor is 0, so its route weighs 0 and
    /// all 1,000 people leaving hub T go to the unlimited camp Y.
    func testAFullCampIsNotChosen() throws {
        let input = Self.scenario([("T", "forwarding_hub", "0", "X"), ("X", "camp", "10", "X"), ("Y", "camp", "0", "X")],
                                  routes: [("T", "X", 10), ("T", "Y", 50)])
        let sim = try Self.simulation(input)
        try sim.place(10, at: "X")
        try sim.place(1000, at: "T")
        try sim.advance()
        XCTAssertEqual(count(sim, "X"), 10)
        XCTAssertEqual(count(sim, "Y"), 1000)
        XCTAssertEqual(count(sim, "T"), 0)
    }

    /// X holds 8 of 10 (below the 90% buffer, full weight): X weighs 1/(10+10), Y 1/(10+50), so
    /// about 3/4 head for X, but only 2 fit; the others are turned back to T with no route. Camp
    /// capacity is a hard limit (in Flee, everyone on a link gets in).
    func testCapacityIsAHardLimitAndTheRestAreTurnedBack() throws {
        let input = Self.scenario([("T", "forwarding_hub", "0", "X"), ("X", "camp", "10", "X"), ("Y", "camp", "0", "X")],
                                  routes: [("T", "X", 10), ("T", "Y", 50)])
        let sim = try Self.simulation(input)
        try sim.place(8, at: "X")
        try sim.place(1000, at: "T")
        try sim.advance()
        XCTAssertEqual(count(sim, "X"), 10)
        let y = count(sim, "Y"), t = count(sim, "T")
        XCTAssertEqual(y + t, 998)
        // Y ~ Binomial(1000, 1/4): mean 250, sd 13.7; turned back ~ 748.
        XCTAssertLessThan(abs(y - 250), 70)
        // Next day, X is full (factor 0): every one of them goes to Y.
        try sim.advance()
        XCTAssertEqual(count(sim, "X"), 10)
        XCTAssertEqual(count(sim, "Y"), 998)
    }

    // MARK: Closures

    /// Conflict zone A spawns one person a day, who reaches camp C (100 km) the same day. C is
    /// closed on days 3-4 and reopened on day 5 (closure 3..5): C holds 1, 2, 3, 3, 3, then the
    /// two who waited at A arrive with day 5's person: 6, then 7.
    func testLocationClosureOnDayThreeAndItsLifting() throws {
        try checkClosure(FleeClosure(kind: .location, name1: "C", name2: "", start: 3, end: 5))
    }

    /// The same with a link closure, which Flee's code never applies (it compares names by identity).
    func testLinkClosureTakesEffect() throws {
        try checkClosure(FleeClosure(kind: .link, name1: "C", name2: "A", start: 3, end: 5))
    }

    /// Country closure between the two countries of A and C.
    func testCountryClosure() throws {
        try checkClosure(FleeClosure(kind: .country, name1: "Q", name2: "P", start: 3, end: 5))
    }

    func checkClosure(_ closure: FleeClosure) throws {
        var settings = Self.settings
        settings.conflictSpawning = .init(mode: .constant, displacedPerConflictDay: 1)
        let input = Self.scenario([("A", "conflict_zone", "1000", "P"), ("C", "camp", "0", "Q")],
                                  routes: [("A", "C", 100)], closures: [closure])
        let sim = try Self.simulation(input, settings: settings, days: 7)
        let result = try sim.run()
        XCTAssertEqual(result.counts.map { Int($0[1]) }, [1, 2, 3, 3, 3, 6, 7])
        XCTAssertEqual(result.counts.map { Int($0[0]) }, [0, 0, 0, 1, 2, 0, 0])
    }

    /// Someone on a link that closes before they arrive is sent back to where the link starts.
    func testClosedWhileTravellingGoesBackToTheStart() throws {
        let input = Self.scenario([("A", "forwarding_hub", "0", "X"), ("C", "camp", "0", "X")], routes: [("A", "C", 500)],
                                  closures: [FleeClosure(kind: .link, name1: "A", name2: "C", start: 1, end: 9)])
        let sim = try Self.simulation(input)
        try sim.place(1, at: "A")
        try sim.advance()
        XCTAssertEqual(sim.position(of: 0), .onLink(from: "A", to: "C", km: 360))
        try sim.advance()
        XCTAssertEqual(sim.position(of: 0), .at("A"))
    }

    // MARK: Spawning and conflicts

    /// Validation-driven spawning (Flee's run.py): day-0 registrations start in their camps,
    /// then each day the increase of the camp series is spawned in conflict zones.
    func testSpawningFollowsTheValidationTotals() throws {
        let input = Self.scenario([("A", "conflict_zone", "1000", "P"), ("C", "camp", "100000", "Q")], routes: [("A", "C", 1000)])
        // C: 5 on day 0, 105 on day 10 (10 a day); the total series is not summed (sum_from_camps).
        let data = ValidationData(names: ["total", "C"], tables: [[(0, 7), (10, 107)], [(0, 5), (10, 105)]])
        var settings = FleeSettings.reference
        settings.campMoveChance = 0
        let sim = try FleeSimulation(input: input, settings: settings, validation: data, seed: 3, days: 4, startDay: 0)
        let result = try sim.run()
        XCTAssertEqual(result.totals, [5, 15, 25, 35])
        // Flee's refugees_raw counts every series on day 0 (total 7 + C 5), then the camp increases.
        XCTAssertEqual(result.refugeesRaw, [12, 22, 32, 42])
        XCTAssertEqual(result.counts[0], [0, 5])
        // Day-0 capacity is reduced by the day-0 registrations (Flee's spawn_daily_displaced).
        XCTAssertEqual(sim.capacity[1], 100000 - 5)
    }

    /// A location listed in conflicts.csv becomes a conflict zone on the first day its intensity
    /// is positive and a town again on the first day it is zero.
    func testConflictOnsetAndEnd() throws {
        var input = Self.scenario([("A", "town", "1000", "P"), ("C", "camp", "0", "Q")], routes: [("A", "C", 50)])
        input.conflicts = FleeConflictTable(names: ["A"], intensity: [[0], [0.5], [0.9], [0], [0]])
        let sim = try Self.simulation(input, days: 5)
        XCTAssertEqual(sim.moveChance[0], 0.3)
        try sim.advance()
        XCTAssertEqual(sim.conflict[0], -1)
        try sim.advance()
        XCTAssertEqual(sim.conflict[0], 0.5)
        XCTAssertEqual(sim.moveChance[0], 1)
        try sim.advance()
        XCTAssertEqual(sim.conflict[0], 0.5, "an intensity change while in conflict is not applied (as in Flee)")
        try sim.advance()
        XCTAssertEqual(sim.conflict[0], -1)
        XCTAssertEqual(sim.moveChance[0], 0.3)
    }

    // MARK: Route enumeration

    /// Awareness 2 from A on A–B–C and A–D: routes [B], [B,C], [D]; a marker M between A and E is
    /// not a destination and not counted: [M,E] is also a candidate, and [M,E,F] at level 2.
    func testCandidateRoutesUpToTheAwarenessLevel() throws {
        let input = Self.scenario([("A", "town", "0", "X"), ("B", "town", "0", "X"), ("C", "town", "0", "X"),
                                   ("D", "town", "0", "X"), ("M", "marker", "0", "X"), ("E", "town", "0", "X"),
                                   ("F", "town", "0", "X")],
                                  routes: [("A", "B", 10), ("B", "C", 10), ("A", "D", 10), ("A", "M", 10), ("M", "E", 10), ("E", "F", 10)])
        var settings = Self.settings
        settings.awarenessLevel = 2
        let sim = try Self.simulation(input, settings: settings)
        sim.rebuildCandidates()
        let routes = (Int(sim.candStart[0])..<Int(sim.candStart[1])).map { c -> [String] in
            let p = Int(sim.candPath[c])
            return (Int(sim.pathStart[p])..<Int(sim.pathStart[p + 1])).map { sim.names[Int(sim.pathNodes[$0])] }
        }
        XCTAssertEqual(Set(routes), [["B"], ["B", "C"], ["D"], ["M", "E"], ["M", "E", "F"]])
        XCTAssertEqual(routes.count, 5)
    }
}
