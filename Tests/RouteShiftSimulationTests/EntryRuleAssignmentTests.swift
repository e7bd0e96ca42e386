import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
import RouteShiftNetwork
@testable import RouteShiftSimulation
import XCTest

/// Access restrictions per class of travellers (entry rules) on hand-drawn graphs:
/// a class barred from an edge never uses it, the others do.
final class EntryRuleAssignmentTests: XCTestCase {
    /// `TestNetworks.twoRoutes`: 1→2→4 costs 2, 1→3→4 costs 4. Class `SYR` may not use edge 10 (row 0).
    private func problem(_ method: AssignmentMethod) throws -> AssignmentProblem {
        let graph = try TestNetworks.twoRoutes()
        return AssignmentProblem(graph: graph, demand: [Demand(origin: 1, destination: 4, flow: 60, userClass: "SYR"),
                                                        Demand(origin: 1, destination: 4, flow: 40, userClass: "*"),
                                                        Demand(origin: 1, destination: 4, flow: 10)],
                                 method: method, barredRows: ["SYR": [0]])
    }

    func testABarredClassNeverUsesItsEdgeAndTheOthersDo() throws {
        for method in [AssignmentMethod.allOrNothing, .pathSizeLogit(k: 2, theta: 0.001),
                       .equilibrium(maxIterations: 20, relativeGap: 1e-6, alpha: 0.15, beta: 4)] {
            let r = try Assignment.run(try problem(method))
            // The barred class: all 60 on 1→3→4, none on edge 10.
            XCTAssertEqual(r.outcomes[0].assigned, 60, "\(method)")
            XCTAssertTrue(r.outcomes[0].paths.allSatisfy { !$0.path.edges.contains(10) }, "\(method)")
            XCTAssertEqual(r.outcomes[0].paths.map(\.path.edges), [[20, 21]], "\(method)")
            // The others still take the cheaper route (all of it without a logit spread).
            for i in [1, 2] {
                XCTAssertTrue(r.outcomes[i].paths.contains { $0.path.edges == [10, 11] }, "\(method) demand \(i)")
            }
            if case .allOrNothing = method { XCTAssertEqual(r.edgeFlows, [50, 50, 60, 60]) }
        }
    }

    /// The option not to go is priced against the best route a class may travel: for `SYR`
    /// (barred from 1→2→4) the reference is 1→3→4 (cost 4), not the barred route (2).
    /// θ = 1, margin 1: P(stay) = e^{−5} / (e^{−4} + e^{−5}) = 1 / (1 + e) for `SYR`; for the
    /// others, with both routes, e^{−3} / (e^{−2} + e^{−4} · PS + e^{−3}), PS = 1 (disjoint routes).
    func testTheOutsideOptionOfABarredClassIsPricedAgainstTheRoutesItMayUse() throws {
        var p = try problem(.pathSizeLogit(k: 2, theta: 1))
        p.outsideOption = OutsideOption(margin: 1)
        let r = try Assignment.run(p)
        XCTAssertEqual(r.outcomes[0].suppressed, 60 / (1 + M_E), accuracy: 1e-9)
        let stay = exp(-3.0) / (exp(-2.0) + exp(-4.0) + exp(-3.0))
        XCTAssertEqual(r.outcomes[1].suppressed, 40 * stay, accuracy: 1e-9)
        XCTAssertEqual(r.outcomes[2].suppressed, 10 * stay, accuracy: 1e-9)
    }

    /// Under an intervention the reference stays the class's undisturbed best route: with 1→3
    /// (edge 20) doubled to cost 2 + 2, `SYR`'s only route costs 6 but its reference is still 4,
    /// so P(stay) = e^{−5} / (e^{−6} + e^{−5}) = e / (1 + e); without the intervention it is the
    /// set's own cheapest route, 1 / (1 + e) as above.
    func testUnderAnInterventionTheReferenceIsTheUndisturbedRouteOfTheClass() throws {
        var p = try problem(.pathSizeLogit(k: 2, theta: 1))
        p.outsideOption = OutsideOption(margin: 1)
        var overlay = CostOverlay(graph: p.graph)
        try overlay.multiplyCost(ofEdge: 20, by: 2)
        p.overlay = overlay
        let r = try Assignment.run(p)
        XCTAssertEqual(r.outcomes[0].suppressed, 60 * M_E / (1 + M_E), accuracy: 1e-9)
        XCTAssertEqual(r.outcomes[0].assigned, 60 / (1 + M_E), accuracy: 1e-9)
    }

    /// References known beforehand (`AssignmentProblem.referenceCosts`: the baseline outcomes'
    /// cheapest costs, what a scenario run has at hand) give what the trees give: under the same
    /// doubled edge, `SYR`'s baseline cheapest is 4 and the others' 2, so the shares are those of
    /// the test above. A reference given as 5 instead is taken as it is: P(stay) = e^{−6} / (e^{−6}
    /// + e^{−6}) = 1/2 for `SYR`, hand-computed, which no tree of this graph gives.
    func testKnownReferenceCostsReplaceTheTreesOfTheOrigins() throws {
        var p = try problem(.pathSizeLogit(k: 2, theta: 1))
        p.outsideOption = OutsideOption(margin: 1)
        let baseline = try Assignment.run(p)
        XCTAssertEqual(baseline.outcomes.map(\.cheapestCost), [4, 2, 2])
        var overlay = CostOverlay(graph: p.graph)
        try overlay.multiplyCost(ofEdge: 20, by: 2)
        p.overlay = overlay
        let fromTrees = try Assignment.run(p)
        p.referenceCosts = baseline.outcomes.map(\.cheapestCost)
        let fromBaseline = try Assignment.run(p)
        XCTAssertEqual(fromBaseline.outcomes, fromTrees.outcomes)
        XCTAssertEqual(fromBaseline.outcomes[0].suppressed, 60 * M_E / (1 + M_E), accuracy: 1e-9)
        p.referenceCosts = [5, nil, nil]
        let given = try Assignment.run(p)
        XCTAssertEqual(given.outcomes[0].suppressed, 30, accuracy: 1e-9)
        XCTAssertEqual(given.outcomes[1].suppressed, fromTrees.outcomes[1].suppressed)   // nil: the tree's
    }

    func testAClassBarredFromEveryRouteIsStranded() throws {
        var p = try problem(.allOrNothing)
        p.barredRows = ["SYR": [0, 2]]
        let r = try Assignment.run(p)
        XCTAssertEqual(r.outcomes[0].stranded, 60)
        XCTAssertEqual(r.outcomes[0].assigned, 0)
        XCTAssertEqual(r.outcomes[1].assigned, 40)
        XCTAssertEqual(r.totalStranded, 60)
    }

    func testBarredRowsOutOfRangeAreRejected() throws {
        var p = try problem(.allOrNothing)
        p.barredRows = ["SYR": [9]]
        XCTAssertThrowsError(try Assignment.run(p)) { error in
            XCTAssertEqual((error as? ContractError)?.argument, "problem.barredRows[SYR]")
        }
    }

    /// The same graph as a network whose edge 10 carries entry rules: barred to everyone,
    /// open to Iraqis in 2021-06 … 2021-11-11 and cheaper than going round. Fixed choice sets follow the classes and the day.
    func testFixedChoiceSetsFollowTheRulesInForceOnTheDay() throws {
        let graph = try TestNetworks.twoRoutes()
        var table = EdgeTable()
        for row in 0..<graph.edgeCount {
            table.append(id: graph.edgeIds[row], source: [1, 2, 1, 3][row], target: [2, 4, 3, 4][row],
                         cost: [1, 1, 2, 2][row], reverseCost: -1)
        }
        let rules: JSONValue = .array([
            .object(["nationalities": .string("*"), "access": .string("barred")]),
            .object(["nationalities": .string("IRQ"), "access": .string("open"), "from": .string("2021-06-01"),
                     "until": .string("2021-11-12")]),
        ])
        let properties: [[String: JSONValue]] = (0..<4).map { row in
            // The flight (a priced crossing's wait, 24 h at EUR 3 = 72) beats 800 km overland (0.22 per km: 176).
            var p: [String: JSONValue] = ["kind": .string(row == 0 ? "air" : "leg"), "length_km": .number([500, 1, 400, 400][row])]
            if row == 0 { p["entry"] = rules; p["segment"] = .string("AIR-a-b"); p["price_eur"] = .number(0) }
            return p
        }
        let network = try RouteNetwork(graph: RoutingGraph(edges: table), edges: table, edgeProperties: properties, origin: "fixture")
        let classes = network.entryClasses
        XCTAssertEqual(classes.userClass(of: "IRQ"), "IRQ")
        XCTAssertEqual(classes.userClass(of: "SYR"), "*")
        XCTAssertEqual(classes.barredRows(on: "2021-07-01"), ["*": [0]])
        XCTAssertEqual(classes.barredRows(on: "2021-11-12"), ["*": [0], "IRQ": [0]])
        XCTAssertEqual(classes.barredRows(on: nil), ["*": [0], "IRQ": [0]])
        XCTAssertEqual(CostModel.pendingChanges(in: network, asOf: "2021-07-01"), ["2021-11-12"])
        XCTAssertEqual(CostModel.pendingChanges(in: network, asOf: "2021-01-01"), ["2021-06-01", "2021-11-12"])

        let pairs = [ODPair(origin: 1, destination: 4, userClass: "IRQ"), ODPair(origin: 1, destination: 4, userClass: "*"),
                     ODPair(origin: 1, destination: 4)]
        func firstEdges(on day: String) throws -> [[Int64]] {
            let costed = try CostModel.apply(CostModel.Parameters(), to: network, asOf: day)
            let sets = try FixedChoiceSets.build(costed: costed, pairs: pairs, rule: ChoiceSetSettings().rule(size: 2),
                                                 counter: { _, _ in [] }, workers: 1)
            return pairs.map { sets.alternatives(of: $0)!.map { $0.edges.first! } }
        }
        // July 2021: Iraqis may fly (edge 10) or go round; the unnamed class only goes round.
        let july = try firstEdges(on: "2021-07-01")
        XCTAssertTrue(july[0].contains(10))
        XCTAssertEqual(july[1], [20])
        XCTAssertTrue(july[2].contains(10), "demand without a class is not restricted")
        // From 12 November 2021 nobody with a class may.
        let december = try firstEdges(on: "2021-12-01")
        XCTAssertEqual(december[0], [20])
        XCTAssertEqual(december[1], [20])
    }

    func testEntryRuleValuesAreCheckedWithTheirPathAndTheNearestWord() throws {
        let at = InputLocation(file: "net.geojson", path: "$.features[3].properties.entry")
        XCTAssertThrowsError(try EntryRule.parse(.array([.object(["nationalities": .string("*"), "access": .string("bared")])]), location: at)) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.location.path, "$.features[3].properties.entry[0].access")
            XCTAssertEqual(e?.suggestions, ["barred"])
            XCTAssertTrue(e?.message.contains("'bared'") ?? false)
        }
        XCTAssertThrowsError(try EntryRule.parse(.array([.object(["nationalities": .string("SYR;syria"), "access": .string("open")])]), location: at)) { error in
            XCTAssertEqual((error as? InputError)?.location.path, "$.features[3].properties.entry[0].nationalities")
        }
        XCTAssertThrowsError(try EntryRule.parse(.array([.object(["nationalities": .string("*"), "access": .string("open"),
                                                                  "from": .string("2021-11-12"), "until": .string("2021-06-01")])]), location: at)) { error in
            XCTAssertEqual((error as? InputError)?.location.path, "$.features[3].properties.entry[0].until")
        }
        XCTAssertThrowsError(try EntryRule.parse(.array([.object(["nationalities": .string("*"), "acces": .string("open")])]), location: at)) { error in
            XCTAssertEqual((error as? InputError)?.suggestions, ["access"])
        }
    }

    /// A hand-drawn border A | B: the crossing 1–2 (edge 10, source 1 in A, target 2 in B)
    /// costs 1 each way, the way round 1–3–2 (edges 20, 21) costs 3 each way. The rules bar
    /// entering B to Syrians (forward) and, from 2023-11-01, open the way out of B again (the
    /// rules of the backward direction alone). Hand-computed: into B the Syrians go round
    /// (cost 3), out of B they cross (cost 1) once the exit is open, round before it; the
    /// class `*` crosses both ways always.
    func testARuleBarsOnlyTheDirectionItNames() throws {
        var table = EdgeTable()
        table.append(id: 10, source: 1, target: 2, cost: 1, reverseCost: 1)
        table.append(id: 20, source: 1, target: 3, cost: 1.5, reverseCost: 1.5)
        table.append(id: 21, source: 3, target: 2, cost: 1.5, reverseCost: 1.5)
        let rules: JSONValue = .array([
            .object(["nationalities": .string("SYR"), "access": .string("barred"), "direction": .string("forward")]),
            .object(["nationalities": .string("SYR"), "access": .string("barred"), "direction": .string("backward")]),
            .object(["nationalities": .string("SYR"), "access": .string("open"), "direction": .string("backward"),
                     "from": .string("2023-11-01")]),
        ])
        let properties: [[String: JSONValue]] = (0..<3).map { row in
            var p: [String: JSONValue] = ["kind": .string(row == 0 ? "border" : "leg"), "length_km": .number(1)]
            if row == 0 { p["entry"] = rules; p["segment"] = .string("AB-001"); p["border"] = .string("A-B") }
            return p
        }
        let graph = try RoutingGraph(edges: table)
        let network = try RouteNetwork(graph: graph, edges: table, edgeProperties: properties, origin: "fixture")
        let classes = network.entryClasses
        XCTAssertEqual(classes.barredRows(on: "2023-10-01"), ["SYR": [0]], "both ways before the exit opens")
        XCTAssertEqual(classes.barredRows(on: "2023-11-01"), ["SYR": [BarredEdge(row: 0, direction: .forward)]])
        XCTAssertTrue(EntryRule.allows(network.edgeAttributes!.entry[0], nationality: "SYR", on: "2023-11-01", direction: .backward))
        XCTAssertFalse(EntryRule.allows(network.edgeAttributes!.entry[0], nationality: "SYR", on: "2023-11-01"),
                       "both: the forward rule still bars")

        for (day, outCost) in [("2023-10-01", 3.0), ("2023-11-01", 1.0)] as [(CalendarDay, Double)] {
            let demand = [Demand(origin: 1, destination: 2, flow: 10, userClass: "SYR"),
                          Demand(origin: 2, destination: 1, flow: 20, userClass: "SYR"),
                          Demand(origin: 1, destination: 2, flow: 30, userClass: "*"),
                          Demand(origin: 2, destination: 1, flow: 40, userClass: "*")]
            let r = try Assignment.run(AssignmentProblem(graph: graph, demand: demand, method: .allOrNothing,
                                                         barredRows: classes.barredRows(on: day)))
            XCTAssertEqual(r.outcomes[0].paths.map(\.path.edges), [[20, 21]], "\(day): into B the Syrians go round")
            XCTAssertEqual(r.outcomes[1].paths.map(\.path.totalCost), [outCost], "\(day): out of B")
            XCTAssertEqual(r.outcomes[2].paths.map(\.path.edges), [[10]], "\(day)")
            XCTAssertEqual(r.outcomes[3].paths.map(\.path.edges), [[10]], "\(day)")
        }
        // The same through the network's own overlay (route, reach, matrix).
        let finder = RouteFinder(network: network)
        let overlay = network.baseOverlay(asOf: "2023-11-01", userClass: "SYR")
        let into = try XCTUnwrap(finder.shortestPath(from: 1, to: 2, algorithm: .dijkstra, overlay: overlay))
        let out = try XCTUnwrap(finder.shortestPath(from: 2, to: 1, algorithm: .dijkstra, overlay: overlay))
        XCTAssertEqual(into.totalCost, 3)
        XCTAssertEqual(out.totalCost, 1)
    }

    func testADirectionOtherThanForwardBackwardOrBothIsRejected() {
        let at = InputLocation(file: "net.geojson", path: "$.features[3].properties.entry")
        XCTAssertThrowsError(try EntryRule.parse(.array([.object(["nationalities": .string("*"), "access": .string("barred"),
                                                                  "direction": .string("forwards")])]), location: at)) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.location.path, "$.features[3].properties.entry[0].direction")
            XCTAssertEqual(e?.suggestions.first, "forward")
        }
    }

    /// The last rule in force that names a nationality decides, else the last one for `*`, else open.
    func testPrecedenceOfRules() {
        let rules = [EntryRule(nationalities: [], access: .barred),
                     EntryRule(nationalities: ["ARM", "UZB"], access: .open),
                     EntryRule(nationalities: ["UZB"], access: .barred, from: "2020-01-01", until: "2021-01-01")]
        XCTAssertFalse(EntryRule.allows(rules, nationality: "SYR", on: "2015-01-01"))
        XCTAssertTrue(EntryRule.allows(rules, nationality: "ARM", on: "2015-01-01"))
        XCTAssertTrue(EntryRule.allows(rules, nationality: "UZB", on: "2019-12-31"))
        XCTAssertFalse(EntryRule.allows(rules, nationality: "UZB", on: "2020-06-01"))
        XCTAssertTrue(EntryRule.allows(rules, nationality: "UZB", on: nil))
        XCTAssertTrue(EntryRule.allows([], nationality: "SYR", on: nil))
    }

    /// Classes barred from the same edges share one assignment of their pairs; a class barred
    /// from other edges, and the classes barred from none, get their own. Each shared outcome
    /// equals the one the pair gets when every class is assigned separately.
    func testClassesBarredFromTheSameEdgesShareTheirPairs() throws {
        let graph = try TestNetworks.twoRoutes()
        // Rows 0 (edge 10) and 2 (edge 20): SYR and IRQ may not take 1→2→4, RUS not 1→3→4.
        let barred: [String: [BarredEdge]] = ["SYR": [0], "IRQ": [0], "RUS": [2]]
        let pairs = [Demand(origin: 1, destination: 4, flow: 1, userClass: "SYR"),
                     Demand(origin: 1, destination: 4, flow: 1, userClass: "RUS"),
                     Demand(origin: 1, destination: 4, flow: 1, userClass: "IRQ"),
                     Demand(origin: 1, destination: 4, flow: 1, userClass: "*"),
                     Demand(origin: 1, destination: 4, flow: 1),
                     Demand(origin: 2, destination: 4, flow: 1, userClass: "SYR")]
        let shared = SharedPairs(pairs, barredRows: barred)
        // IRQ stands in for SYR (first by name); `*` is barred from nothing, like no class.
        XCTAssertEqual(shared.distinct.map(\.userClass), ["IRQ", "RUS", nil, "IRQ"])
        XCTAssertEqual(shared.position, [0, 1, 0, 2, 2, 3])
        for method in [AssignmentMethod.allOrNothing, .pathSizeLogit(k: 2, theta: 0.5)] {
            let separate = try Assignment.run(AssignmentProblem(graph: graph, demand: pairs, method: method, barredRows: barred))
            let once = try Assignment.run(AssignmentProblem(graph: graph, demand: shared.distinct, method: method, barredRows: barred))
            XCTAssertEqual(shared.expand(once.outcomes), separate.outcomes, "\(method)")
            // The barred classes go round by 3, RUS takes 2, the free classes split between both.
            XCTAssertEqual(separate.outcomes[0].paths.map(\.path.edges), [[20, 21]])
            XCTAssertEqual(separate.outcomes[1].paths.map(\.path.edges), [[10, 11]])
        }
    }
}
