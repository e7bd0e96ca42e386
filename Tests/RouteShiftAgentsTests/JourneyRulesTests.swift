import Foundation
import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftScenario
import RouteShiftSimulation
import RouteShiftTestSupport
import XCTest
@testable import RouteShiftAgents

/// The RouteShift rules on hand-drawn networks whose days can be worked out by hand: at
/// 10 km/h with no border waits and 10 travel hours a day, a 100 km link is one day.
final class JourneyRulesTests: XCTestCase {
    typealias Link = (id: Int, from: Int, to: Int, km: Double, kind: String, segment: String?)

    /// A network of hubs 1…n named by `names`, with `links` (two-way).
    /// `entry`: the entry rules of some links (the network file's `entry` attribute).
    static func network(_ names: [String], _ links: [Link], surveillance: [Int: String] = [:],
                        entry: [Int: [[String: String]]] = [:]) throws -> RouteNetwork {
        var features: [[String: Any]] = []
        for (i, name) in names.enumerated() {
            features.append(["type": "Feature", "geometry": ["type": "Point", "coordinates": [20 + Double(i) * 0.5, 45]],
                             "properties": ["id": i + 1, "name": name, "kind": "hub", "country": "XX"]])
        }
        for l in links {
            var properties: [String: Any] = ["id": l.id, "source": l.from, "target": l.to, "kind": l.kind, "length_km": l.km,
                                             "status": "open"]
            if let s = l.segment { properties["segment"] = s; properties["border"] = String(s.prefix(5)) }
            if let level = surveillance[l.id] { properties["surveillance"] = level }
            if let rules = entry[l.id] { properties["entry"] = rules }
            features.append(["type": "Feature",
                             "geometry": ["type": "LineString", "coordinates": [[20 + Double(l.from - 1) * 0.5, 45],
                                                                                [20 + Double(l.to - 1) * 0.5, 45]]],
                             "properties": properties])
        }
        let data = try JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rs-journey-\(UUID().uuidString).geojson").path
        try data.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try GeoJSONNetwork.read(path: path)
    }

    static var parameters: CostModel.Parameters {
        var p = CostModel.Parameters()
        p.landSpeedKmh = 10
        p.borderWaitHours = 0
        p.detectionProbability = [.high: 0.3]
        return p
    }

    static var settings: JourneySettings {
        var s = JourneySettings()
        s.travelHoursPerDay = 10
        s.threads = 1
        s.seed = 7
        return s
    }

    /// `people` setting out from `origin` to `destination` on each of the first `departing` days.
    static func daily(_ costed: CostedNetwork, _ origin: Int64, _ destination: Int64, people: Int, departing: Int, days: Int) -> [[Departure]] {
        (0..<days).map { t in t < departing ? [Departure(origin: origin, destination: destination, people: people)] : [] }
    }

    static func input(_ costed: CostedNetwork, departures: [[Departure]], states: [JourneyNetworkState]? = nil,
                      stateOfDay: @escaping @Sendable (Int) -> Int = { _ in 0 }, size: Int = 1) -> JourneyInput {
        JourneyInput(costed: costed, rule: ChoiceSetRule(size: size, maxOverlap: 0.8, maxDetour: 3), theta: 0.002,
                     startDay: CalendarDay(year: 2015, month: 9, day: 1), days: departures.count, departures: departures,
                     states: states ?? [JourneyNetworkState(overlay: CostOverlay(graph: costed.graph))], stateOfDay: stateOfDay)
    }

    func row(_ costed: CostedNetwork, edge id: Int64) -> Int { Int(costed.graph.edgeIndex(of: id)!) }

    // MARK: Movement

    /// A→B 150 km, B→C 120 km at 100 km a day: day 0 ends 100 km along A→B (10 h), day 1 finishes
    /// A→B (5 h) and goes 50 km along B→C (5 h), day 2 finishes B→C (7 h) and arrives.
    func testOnePersonAlongTwoLinks() throws {
        let costed = try CostModel.apply(Self.parameters, to: Self.network(["A", "B", "C"], [
            (1, 1, 2, 150, "leg", nil), (2, 2, 3, 120, "leg", nil),
        ]))
        let departures: [[Departure]] = [[Departure(origin: 1, destination: 3, people: 1)], [], [], []]
        let sim = try JourneySimulation(input: Self.input(costed, departures: departures), settings: Self.settings)
        try sim.advance()
        XCTAssertEqual(sim.position(of: 0), .onEdge(row: row(costed, edge: 1), toward: 2, hours: 10))
        try sim.advance()
        XCTAssertEqual(sim.position(of: 0), .onEdge(row: row(costed, edge: 2), toward: 3, hours: 5))
        try sim.advance()
        XCTAssertEqual(sim.position(of: 0), .at(3))
        XCTAssertEqual(sim.status[2].arrived, 1)
        XCTAssertEqual(sim.status[1].arrived, 0)
        let r = sim.result
        XCTAssertEqual(r.crossings[1][row(costed, edge: 1)], 1)
        XCTAssertEqual(r.crossings[2][row(costed, edge: 2)], 1)
    }

    // MARK: Closures and the information delay

    /// A─B─(border X)─C─Z, and the dearer B─(border Y)─D─Z (D─Z 300 km); each link of 100 km is a
    /// day. 10 people leave A for Z every day; X closes on day 3 and people hear of it d = 2 days
    /// later. Cohorts 0 and 1 cross X on days 1 and 2 and arrive on days 2 and 3. Cohorts 2 and 3
    /// reach B on days 2 and 3 and wait at the closed X (10 people waiting on day 3, 20 on day 4);
    /// cohort 4 reaches B on day 4. On day 5 the 30 of cohorts 2-4 re-plan from B over Y (B─D day
    /// 5, D─Z days 6-8: all arrive on day 8); cohort 5 plans over Y from A and arrives on day 9.
    func testClosureLearnedAfterTheInformationDelay() throws {
        let costed = try CostModel.apply(Self.parameters, to: Self.network(["A", "B", "C", "D", "Z"], [
            (1, 1, 2, 100, "leg", nil), (2, 2, 3, 100, "border", "XX-YY-001"), (3, 3, 5, 100, "leg", nil),
            (4, 2, 4, 100, "border", "XX-ZZ-001"), (5, 4, 5, 300, "leg", nil),
        ]))
        var closed = CostOverlay(graph: costed.graph)
        try closed.close(edge: 2)
        let states = [JourneyNetworkState(overlay: CostOverlay(graph: costed.graph)), JourneyNetworkState(overlay: closed)]
        let input = Self.input(costed, departures: Self.daily(costed, 1, 5, people: 10, departing: 6, days: 12), states: states,
                               stateOfDay: { $0 >= 3 ? 1 : 0 })
        var settings = Self.settings
        settings.informationDelay = 2
        let sim = try JourneySimulation(input: input, settings: settings)
        _ = try sim.run()
        let status = sim.status
        XCTAssertEqual(status.map(\.waiting), [0, 0, 0, 10, 20, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(status.map(\.replanned), [0, 0, 0, 0, 0, 30, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(status.map(\.arrived), [0, 0, 10, 20, 20, 20, 20, 20, 50, 60, 60, 60])
        let r = sim.result
        let x = row(costed, edge: 2), y = row(costed, edge: 4)
        XCTAssertEqual(r.crossings.map { $0[x] }, [0, 10, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(r.crossings.map { $0[y] }, [0, 0, 0, 0, 0, 30, 10, 0, 0, 0, 0, 0])
        // Without a delay nobody waits: cohort 2 hears on day 3 at B and turns to Y at once.
        settings.informationDelay = 0
        let informed = try JourneySimulation(input: input, settings: settings)
        _ = try informed.run()
        XCTAssertEqual(informed.status.map(\.waiting).reduce(0, +), 0)
    }

    /// With nothing open to the destination people are stranded where they stand, and go on when
    /// the closure is lifted and they hear of it.
    func testStrandedUntilTheClosureIsLifted() throws {
        let costed = try CostModel.apply(Self.parameters, to: Self.network(["A", "B"], [(1, 1, 2, 100, "border", "XX-YY-001")]))
        var closed = CostOverlay(graph: costed.graph)
        try closed.close(edge: 1)
        let states = [JourneyNetworkState(overlay: CostOverlay(graph: costed.graph)), JourneyNetworkState(overlay: closed)]
        // Closed on days 0-3, heard of one day later: open again on day 4, known on day 5.
        let input = Self.input(costed, departures: Self.daily(costed, 1, 2, people: 5, departing: 1, days: 8), states: states,
                               stateOfDay: { $0 >= -1 && $0 <= 3 ? 1 : 0 })
        var settings = Self.settings
        settings.informationDelay = 1
        let sim = try JourneySimulation(input: input, settings: settings)
        _ = try sim.run()
        XCTAssertEqual(sim.status.map(\.stranded), [5, 5, 5, 5, 5, 0, 0, 0])
        XCTAssertEqual(sim.status.map(\.arrived), [0, 0, 0, 0, 0, 5, 5, 5])
    }

    // MARK: Entry rules

    /// A─B─Z over border X (100 km a link, a day each), or A─C─Z over border Y (C─Z 300 km).
    /// X is barred to Syrians (an entry rule). 10 people of the class `*` and 10 Syrians leave A
    /// for Z on day 0, all-or-nothing: the 10 of `*` take X (A─B day 0, B─Z day 1, arrived day
    /// 1); the Syrians take Y (A─C day 0, C─Z days 1-3, arrived day 3) and never cross X, as
    /// `simulate` routes the class.
    func testEntryRulesRouteEachClassOfTravellers() throws {
        let costed = try CostModel.apply(Self.parameters, to: Self.network(["A", "B", "C", "Z"], [
            (1, 1, 2, 100, "leg", nil), (2, 2, 4, 100, "border", "XX-YY-001"),
            (3, 1, 3, 100, "border", "XX-ZZ-001"), (4, 3, 4, 300, "leg", nil),
        ], entry: [2: [["nationalities": "SYR", "access": "barred"]]]))
        XCTAssertEqual(costed.network.entryClasses.userClass(of: "SYR"), "SYR")
        let departures: [[Departure]] = [[Departure(origin: 1, destination: 4, people: 10),
                                          Departure(origin: 1, destination: 4, people: 10, userClass: "SYR")], [], [], [], []]
        let sim = try JourneySimulation(input: Self.input(costed, departures: departures), settings: Self.settings)
        _ = try sim.run()
        XCTAssertEqual(sim.status.map(\.arrived), [0, 10, 10, 20, 20])
        let r = sim.result
        let x = row(costed, edge: 2), y = row(costed, edge: 3)
        XCTAssertEqual(r.crossings.map { $0[x] }, [0, 10, 0, 0, 0])
        XCTAssertEqual(r.crossings.map { $0[y] }, [10, 0, 0, 0, 0])
        XCTAssertEqual(sim.position(of: 0), .at(4))
        for i in 10..<20 { XCTAssertEqual(sim.position(of: i), .at(4)) }
    }

    // MARK: The option not to go

    /// A─Z over border X (100 km), or A─D─Z over border Y (200 km). With X closed from the start,
    /// the plan offers Y (one alternative, path size 1) and not going, with utility −θ (c₀ + m),
    /// c₀ the cost over X without the closure. With the margin m = c_Y − c₀ (both costs from
    /// Dijkstra on the costed graph) the two utilities are equal: half of 20,000 people are
    /// deterred on day 0 (within 5 binomial standard deviations, 354), the rest go over Y (a day
    /// a link) and arrive on day 1. Without the option everyone goes over Y.
    func testOutsideOptionDetersHalfWhenStayingIsAsGoodAsTheDetour() throws {
        let costed = try CostModel.apply(Self.parameters, to: Self.network(["A", "Z", "D"], [
            (1, 1, 2, 100, "border", "XX-YY-001"), (2, 1, 3, 100, "leg", nil), (3, 3, 2, 100, "border", "XX-ZZ-001"),
        ]))
        var closed = CostOverlay(graph: costed.graph)
        try closed.close(edge: 1)
        let query = ShortestPathQuery(graph: costed.graph)
        let c0 = try XCTUnwrap(query.shortestPath(from: 1, to: 2)).totalCost
        let cY = try XCTUnwrap(query.shortestPath(from: 1, to: 2, overlay: closed)).totalCost
        XCTAssertGreaterThan(cY, c0)
        let n = 20_000
        var departures = [[Departure]](repeating: [], count: 4)
        departures[0] = [Departure(origin: 1, destination: 2, people: n)]
        var input = Self.input(costed, departures: departures, states: [JourneyNetworkState(overlay: closed)])
        input.outsideOption = OutsideOption(margin: cY - c0)
        let sim = try JourneySimulation(input: input, settings: Self.settings)
        _ = try sim.run()
        let deterred = sim.status[0].deterred
        XCTAssertEqual(Double(deterred), Double(n) / 2, accuracy: 5 * (Double(n) / 4).squareRoot())
        XCTAssertEqual(sim.status.map(\.deterred), Array(repeating: deterred, count: 4))
        XCTAssertEqual(sim.status.map(\.arrived), [0, n - deterred, n - deterred, n - deterred])
        XCTAssertEqual(sim.result.crossings[1][row(costed, edge: 3)], Int32(n - deterred))
        XCTAssertEqual(sim.status.map(\.stranded).reduce(0, +), 0)

        input.outsideOption = nil
        let everyone = try JourneySimulation(input: input, settings: Self.settings)
        _ = try everyone.run()
        XCTAssertEqual(everyone.status.last!.deterred, 0)
        XCTAssertEqual(everyone.status.last!.arrived, n)
    }

    /// On the way the option not to go strands instead: A─B (100 km), then B─Z over X, or B─D─Z
    /// over Y. 20,000 people set out with everything open; X closes on day 1 and they hear of it
    /// at once, at B. With m = c_Y − c₀ from B, re-planning there offers Y and waiting at even
    /// odds: half are stranded, nobody deterred. When X reopens on day 4 the stranded re-plan:
    /// X (cost c₀) against not going (c₀ + m), so a share 1 / (1 + e^{θ m}) stays, as a share
    /// of the departures at A did on day 0 (θ = 0.002); the others cross X and arrive that day.
    func testOutsideOptionOnTheWayStrandsUntilTheNextChange() throws {
        let costed = try CostModel.apply(Self.parameters, to: Self.network(["A", "B", "Z", "D"], [
            (1, 1, 2, 100, "leg", nil), (2, 2, 3, 100, "border", "XX-YY-001"), (3, 2, 4, 100, "leg", nil),
            (4, 4, 3, 100, "border", "XX-ZZ-001"),
        ]))
        var closed = CostOverlay(graph: costed.graph)
        try closed.close(edge: 2)
        let query = ShortestPathQuery(graph: costed.graph)
        let c0 = try XCTUnwrap(query.shortestPath(from: 2, to: 3)).totalCost
        let cY = try XCTUnwrap(query.shortestPath(from: 2, to: 3, overlay: closed)).totalCost
        let stay = 1 / (1 + exp(0.002 * (cY - c0)))
        let n = 20_000
        var departures = [[Departure]](repeating: [], count: 8)
        departures[0] = [Departure(origin: 1, destination: 3, people: n)]
        let states = [JourneyNetworkState(overlay: CostOverlay(graph: costed.graph)), JourneyNetworkState(overlay: closed)]
        var input = Self.input(costed, departures: departures, states: states, stateOfDay: { $0 >= 1 && $0 <= 3 ? 1 : 0 })
        input.outsideOption = OutsideOption(margin: cY - c0)
        var settings = Self.settings
        settings.informationDelay = 0
        let sim = try JourneySimulation(input: input, settings: settings)
        _ = try sim.run()
        let status = sim.status
        func binomialBound(_ trials: Int, _ p: Double) -> Double { 5 * (Double(trials) * p * (1 - p)).squareRoot() }
        XCTAssertEqual(Double(status[0].deterred), Double(n) * stay, accuracy: binomialBound(n, stay))
        let going = n - status[0].deterred
        XCTAssertEqual(status[1].replanned, going)
        let stranded = status[1].stranded
        XCTAssertEqual(Double(stranded), Double(going) / 2, accuracy: binomialBound(going, 0.5))
        XCTAssertEqual(status.map(\.deterred), Array(repeating: status[0].deterred, count: 8))
        XCTAssertEqual(status[2].stranded, stranded)
        XCTAssertEqual(status[3].stranded, stranded)
        XCTAssertEqual(status[4].replanned, stranded)
        let staying = status[4].stranded
        XCTAssertEqual(Double(staying), Double(stranded) * stay, accuracy: binomialBound(stranded, stay))
        XCTAssertEqual(sim.result.crossings[4][row(costed, edge: 2)], Int32(stranded - staying))
        XCTAssertEqual(status[2].arrived, going - stranded)
        XCTAssertEqual(status.last!.arrived, going - staying)
        XCTAssertEqual(status.last!.stranded, staying)
    }

    // MARK: Capacity

    /// 10 people a day reach a crossing that lets 3 a day through: the queue grows by 7 a day,
    /// and the crossing (one day long) is completed by 3 people every day from day 1.
    func testCapacityQueueGrowsByDemandMinusCapacity() throws {
        let costed = try CostModel.apply(Self.parameters, to: Self.network(["B", "C"], [(1, 1, 2, 100, "border", "XX-YY-001")]))
        let r = row(costed, edge: 1)
        let states = [JourneyNetworkState(overlay: CostOverlay(graph: costed.graph), capacities: [r: 3])]
        let input = Self.input(costed, departures: Self.daily(costed, 1, 2, people: 10, departing: 10, days: 10), states: states)
        let sim = try JourneySimulation(input: input, settings: Self.settings)
        _ = try sim.run()
        XCTAssertEqual(sim.status.map(\.queued), (0..<10).map { 7 * ($0 + 1) })
        XCTAssertEqual(sim.result.crossings.map { $0[r] }, [0] + Array(repeating: 3, count: 9))
        // Admitted in person order: the first three set out on day 0.
        XCTAssertEqual(sim.status[9].arrived, 27)
    }

    // MARK: Detection and retries

    /// One attempt a day, each turned back with probability p = 0.3: the attempts a person needs
    /// are geometric with mean 1/(1−p) and variance p/(1−p)², so the mean over 20,000 people lies
    /// within 4 standard errors √p/(1−p)/√20000 ≈ 0.0055 of 1/0.7 (fixed seed).
    func testAttemptsUntilThroughAreGeometric() throws {
        let costed = try CostModel.apply(Self.parameters, to: Self.network(["B", "C"], [(1, 1, 2, 100, "border", "XX-YY-001")],
                                                                            surveillance: [1: "high"]))
        let n = 20_000, p = 0.3
        var departures = [[Departure]](repeating: [], count: 60)
        departures[0] = [Departure(origin: 1, destination: 2, people: n)]
        var settings = Self.settings
        settings.retryLimit = 254
        let sim = try JourneySimulation(input: Self.input(costed, departures: departures), settings: settings)
        _ = try sim.run()
        let status = sim.status
        XCTAssertEqual(status.last!.arrived, n)
        XCTAssertEqual(status.map(\.crossed).reduce(0, +), n)
        let attempts = Double(n + status.map(\.retries).reduce(0, +)) / Double(n)
        let standardError = p.squareRoot() / (1 - p) / Double(n).squareRoot()
        XCTAssertEqual(attempts, 1 / (1 - p), accuracy: 4 * standardError)
        // Day 0: the expected 30 % turned back, within 4 binomial standard deviations.
        XCTAssertEqual(Double(status[0].retries), p * Double(n), accuracy: 4 * (Double(n) * p * (1 - p)).squareRoot())
    }

    /// With a retry limit of 2, a person gives up at the third failure in a row: p³ of them.
    func testGivingUpAfterTheRetryLimit() throws {
        let costed = try CostModel.apply(Self.parameters, to: Self.network(["B", "C"], [(1, 1, 2, 100, "border", "XX-YY-001")]))
        let r = Int32(row(costed, edge: 1))
        let arcs = [costed.graph.edgeForwardArc[Int(r)], costed.graph.edgeBackwardArc[Int(r)]]
        let states = [JourneyNetworkState(overlay: CostOverlay(graph: costed.graph), detection: [arcs[0]: 0.5, arcs[1]: 0.5])]
        let n = 20_000
        var departures = [[Departure]](repeating: [], count: 6)
        departures[0] = [Departure(origin: 1, destination: 2, people: n)]
        var settings = Self.settings
        settings.retryLimit = 2
        let sim = try JourneySimulation(input: Self.input(costed, departures: departures, states: states), settings: settings)
        _ = try sim.run()
        let q = 0.125
        XCTAssertEqual(Double(sim.status.last!.gaveUp), q * Double(n), accuracy: 4 * (Double(n) * q * (1 - q)).squareRoot())
        XCTAssertEqual(sim.status.last!.gaveUp + sim.status.last!.arrived, n)
        XCTAssertEqual(sim.status[2].gaveUp, sim.status.last!.gaveUp)  // nobody gives up after the third attempt
    }

    // MARK: Determinism

    /// Route choice among three alternatives, detection, a capacity and a closure: the same
    /// output with 1, 2 and 5 threads (people processed in several blocks).
    func testSameOutputWhateverTheThreadCount() throws {
        let costed = try CostModel.apply(Self.parameters, to: Self.network(["A", "B", "C", "D", "E", "Z"], [
            (1, 1, 2, 100, "leg", nil), (2, 2, 3, 80, "border", "XX-YY-001"), (3, 3, 6, 120, "leg", nil),
            (4, 2, 4, 90, "border", "XX-ZZ-001"), (5, 4, 6, 140, "leg", nil),
            (6, 2, 5, 110, "border", "XX-WW-001"), (7, 5, 6, 100, "leg", nil),
        ], surveillance: [2: "high", 4: "high"]))
        var closed = CostOverlay(graph: costed.graph)
        try closed.close(edge: 4)
        let cap = [row(costed, edge: 6): 40.0]
        let states = [JourneyNetworkState(overlay: CostOverlay(graph: costed.graph), capacities: cap),
                      JourneyNetworkState(overlay: closed, capacities: cap)]
        let input = Self.input(costed, departures: Self.daily(costed, 1, 6, people: 300, departing: 10, days: 16), states: states,
                               stateOfDay: { $0 >= 4 && $0 < 9 ? 1 : 0 }, size: 3)
        func run(_ threads: Int) throws -> (FleeSimulation.Result, [JourneySimulation.DailyStatus]) {
            var settings = Self.settings
            settings.threads = threads
            let sim = try JourneySimulation(input: input, settings: settings)
            sim.parallelGrain = 64
            return (try sim.run(), sim.status)
        }
        let (one, oneStatus) = try run(1)
        XCTAssertGreaterThan(oneStatus.map(\.retries).reduce(0, +), 0)
        XCTAssertGreaterThan(oneStatus.map(\.queued).reduce(0, +), 0)
        XCTAssertGreaterThan(Set((0..<7).filter { e in one.crossings.contains { $0[e] > 0 } }).count, 5)  // all routes used
        for threads in [2, 5] {
            let (other, otherStatus) = try run(threads)
            XCTAssertEqual(other.counts, one.counts)
            XCTAssertEqual(other.crossings, one.crossings)
            XCTAssertEqual(otherStatus, oneStatus)
        }
    }

    /// Three network states (all open; B─D closed from day 4; B─D and B─E closed from day 9),
    /// links of whole days so people stand at places when news arrives: people re-planning at C
    /// under the third state take over the set of (C, Z) of the second (its only path C─Z does
    /// not touch B─E), and the run is the same as with every plan searched.
    func testPlansTakeChoiceSetsOverAcrossStates() throws {
        let costed = try CostModel.apply(Self.parameters, to: Self.network(["A", "B", "C", "D", "E", "Z"], [
            (1, 1, 2, 100, "leg", nil), (2, 2, 3, 100, "border", "XX-YY-001"), (3, 3, 6, 100, "leg", nil),
            (4, 2, 4, 100, "border", "XX-ZZ-001"), (5, 4, 6, 200, "leg", nil),
            (6, 2, 5, 100, "border", "XX-WW-001"), (7, 5, 6, 200, "leg", nil),
        ], surveillance: [2: "high"]))
        var one = CostOverlay(graph: costed.graph)
        try one.close(edge: 4)
        var two = one
        try two.close(edge: 6)
        let states = [JourneyNetworkState(overlay: CostOverlay(graph: costed.graph)), JourneyNetworkState(overlay: one),
                      JourneyNetworkState(overlay: two)]
        let input = Self.input(costed, departures: Self.daily(costed, 1, 6, people: 200, departing: 12, days: 16), states: states,
                               stateOfDay: { $0 >= 9 ? 2 : $0 >= 4 ? 1 : 0 }, size: 3)
        func run(reusing: Bool) throws -> (FleeSimulation.Result, [JourneySimulation.DailyStatus], JourneySimulation) {
            let sim = try JourneySimulation(input: input, settings: Self.settings)
            sim.reusesChoiceSets = reusing
            return (try sim.run(), sim.status, sim)
        }
        let (reused, reusedStatus, a) = try run(reusing: true)
        let (searched, searchedStatus, b) = try run(reusing: false)
        XCTAssertEqual(b.plansTakenOver, 0)
        XCTAssertGreaterThan(a.plansTakenOver, 0)
        XCTAssertEqual(a.plansTakenOver + a.plansSearched, b.plansSearched)
        XCTAssertEqual(reused.counts, searched.counts)
        XCTAssertEqual(reused.crossings, searched.crossings)
        XCTAssertEqual(reusedStatus, searchedStatus)
        XCTAssertGreaterThan(reusedStatus.map(\.replanned).reduce(0, +), 0)
    }

    // MARK: End to end on the bundled network

    /// People in Belgrade heading for Vienna before and after the Hungary–Serbia fence of
    /// 15 September 2015 (Examples/scenarios/bundled/balkans-2015.yaml closes HU-RS from that day),
    /// on the bundled network with the built-in cost model (the fence-day mechanics, not the
    /// calibration, are under test; the network as it stood on the first day): they cross into Hungary until the
    /// 14th; on the 15th and 16th those who reach the fence wait there; on the 17th (a two-day
    /// information delay) they re-plan from where they stand and cross into Croatia, which nobody
    /// did before.
    func testHungarianFenceShiftsCrossingsToCroatia() throws {
        let root = SourceTree.root
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("Geodata/network.geojson").path) else {
            throw XCTSkip("bundled network absent")
        }
        // The scenario names no network: the bundled one, found where a tool would say to look.
        let search = GeodataSearchPath.standard
        GeodataSearchPath.standard = GeodataSearchPath([root.appendingPathComponent("Geodata").path])
        defer { GeodataSearchPath.standard = search }
        let dir = try TemporaryDirectory("rs-fence")
        try "origin,destination,flow\nbelgrade,vienna,1500\n".write(toFile: dir.path("demand.csv"), atomically: true, encoding: .utf8)
        try """
        name: fence days
        demand: demand.csv
        cost_model: {turn_back_cost: 800}
        interventions:
          - close: HU-RS
            from: 2015-09-15
        """.write(toFile: dir.path("fence.yaml"), atomically: true, encoding: .utf8)
        let scenario = try ScenarioParser.load(path: dir.path("fence.yaml"))
        let input = try JourneyInput.scenario(scenario, startDay: CalendarDay(year: 2015, month: 9, day: 5), days: 15)
        var settings = JourneySettings()
        settings.threads = 2
        let sim = try JourneySimulation(input: input, settings: settings)
        let result = try sim.run()
        let labels = result.segmentLabels!
        func crossings(_ prefix: String, _ days: Range<Int>) -> Int {
            days.reduce(0) { sum, t in sum + labels.indices.filter { labels[$0].hasPrefix(prefix) }.reduce(0) { $0 + Int(result.crossings[t][$1]) } }
        }
        let fence = 10, news = 12  // 15 and 17 September
        XCTAssertGreaterThan(crossings("HU-RS-", 0..<fence), 300)
        XCTAssertEqual(crossings("HU-RS-", fence..<15), 0)
        XCTAssertGreaterThan(sim.status[fence].waiting + sim.status[fence + 1].waiting, 100)
        XCTAssertEqual(sim.status[news].waiting, 0)
        XCTAssertGreaterThan(sim.status[news].replanned, 100)
        XCTAssertEqual(crossings("HR-RS-", 0..<news), 0)
        XCTAssertGreaterThan(crossings("HR-RS-", news..<15), 20)
        XCTAssertEqual(sim.status.map(\.departed).reduce(0, +), 1500)
    }
}
