import XCTest
import RouteShiftTestSupport
import Foundation
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftScenarioFixtures
@testable import RouteShiftSimulation

/// Path-size logit over distinct choice sets, with the option not to go.
final class ChoiceSetAssignmentTests: XCTestCase {
    private func distinct(_ graph: RoutingGraph, overlap: Double = 0.8, detour: Double = 10) throws -> ChoiceSetMethod {
        let lengths = (0..<graph.edgeCount).map { graph.cost(ofArc: graph.edgeForwardArc[$0]) }
        return .distinct(ChoiceSetRule(size: 4, maxOverlap: overlap, maxDetour: detour),
                         try LinkGroups.edges(of: graph, lengths: lengths))
    }

    /// Disjoint routes of cost 2 and 4, θ = 0.5, margin 1: V₁ = −1, V₂ = −2 and
    /// V₀ = −0.5 · (2 + 1) = −1.5. Closing the cheap route keeps the reference
    /// at 2 (undisturbed cost), so V₀ stays −1.5 against V₂ = −2.
    func testOutsideOptionShares() throws {
        let graph = try TestNetworks.twoRoutes()
        var problem = AssignmentProblem(graph: graph, demand: [Demand(origin: 1, destination: 4, flow: 100)],
                                        method: .pathSizeLogit(k: 4, theta: 0.5), choiceSet: try distinct(graph),
                                        outsideOption: OutsideOption(margin: 1))
        let open = try Assignment.run(problem).outcomes[0]
        let w = [exp(-1.0), exp(-2.0), exp(-1.5)]
        let sum = w.reduce(0, +)
        XCTAssertEqual(open.paths.map(\.path.edges), [[10, 11], [20, 21]])
        XCTAssertEqual(open.paths[0].flow, 100 * w[0] / sum, accuracy: 1e-9)
        XCTAssertEqual(open.paths[1].flow, 100 * w[1] / sum, accuracy: 1e-9)
        XCTAssertEqual(open.suppressed, 100 * w[2] / sum, accuracy: 1e-9)
        XCTAssertEqual(open.assigned + open.stranded + open.suppressed, 100, accuracy: 1e-9)

        var overlay = CostOverlay(graph: graph)
        try overlay.close(edge: 10)
        problem.overlay = overlay
        let closed = try Assignment.run(problem).outcomes[0]
        XCTAssertEqual(closed.paths.map(\.path.edges), [[20, 21]])
        XCTAssertEqual(closed.suppressed, 100 / (1 + exp(-0.5)), accuracy: 1e-9)
        XCTAssertEqual(closed.assigned, 100 * exp(-0.5) / (1 + exp(-0.5)), accuracy: 1e-9)
        XCTAssertEqual(closed.stranded, 0)
    }

    /// Path size on groups: routes a b (cost 2) and a c (2.5) share link a
    /// (length 1 of 2 and 1 of 2.5): PS = 0.5/2 + 0.5 = 0.75 and 0.4/2 + 0.6 = 0.8,
    /// as with arcs when every edge is its own group.
    func testPathSizeOnGroupsMatchesArcsWhenGroupsAreEdges() throws {
        let graph = try TestNetworks.graph([(1, 1, 2, 1, -1), (2, 2, 4, 1, -1), (3, 2, 4, 1.5, -1), (4, 1, 4, 3, -1)])
        let problem = AssignmentProblem(graph: graph, demand: [Demand(origin: 1, destination: 4, flow: 1)],
                                        method: .pathSizeLogit(k: 3, theta: 1), choiceSet: try distinct(graph, overlap: 1))
        let byRoute = Dictionary(uniqueKeysWithValues: try Assignment.run(problem).outcomes[0].paths.map { ($0.path.edges, $0.flow) })
        let w = [0.75 * exp(-2.0), 0.8 * exp(-2.5), 1.0 * exp(-3.0)]
        let sum = w.reduce(0, +)
        XCTAssertEqual(byRoute[[1, 2]]!, w[0] / sum, accuracy: 1e-12)
        XCTAssertEqual(byRoute[[1, 3]]!, w[1] / sum, accuracy: 1e-12)
        XCTAssertEqual(byRoute[[4]]!, w[2] / sum, accuracy: 1e-12)
    }

    /// assigned + stranded + suppressed = demand for every pair, with and without random closures.
    func testConservationWithOutsideOption() throws {
        for seed: UInt64 in [4, 5, 6] {
            let (graph, demand) = try TestNetworks.random(nodes: 30, extra: 45, seed: seed)
            var problem = AssignmentProblem(graph: graph, demand: demand, method: .pathSizeLogit(k: 4, theta: 0.3),
                                            options: AssignmentOptions(hubs: [0, 5, 10]),
                                            choiceSet: try distinct(graph, overlap: 0.7, detour: 1),
                                            outsideOption: OutsideOption(margin: 3))
            for round in 0..<2 {
                let result = try Assignment.run(problem)
                for o in result.outcomes {
                    XCTAssertEqual(o.assigned + o.stranded + o.suppressed, o.demand.flow, accuracy: 1e-9 * max(1, o.demand.flow))
                    XCTAssertEqual(o.paths.reduce(0) { $0 + $1.flow }, o.assigned, accuracy: 1e-9 * max(1, o.demand.flow))
                    XCTAssertGreaterThanOrEqual(o.suppressed, 0)
                }
                if round == 0 {
                    var overlay = CostOverlay(graph: graph)
                    for row in stride(from: 0, to: graph.edgeCount, by: 5) { try overlay.close(edge: graph.edgeIds[row]) }
                    problem.overlay = overlay
                } else {
                    XCTAssertGreaterThan(result.totalSuppressed, 0, "seed \(seed)")
                }
            }
        }
    }

    /// Re-assigning only the demand whose searches touched a changed edge gives
    /// the full re-assignment, outside option included.
    func testIncrementalEqualsFullWithOutsideOption() throws {
        for closure in ["close: HU-RS", "close: {country: HU}", "surveillance: {border: HR-RS, cost_multiplier: 1.3}"] {
            let resolved = try ScenarioFixtures.resolve("""
            name: incremental
            demand:
              - {origin: izmir, destination: vienna, flow: 1000}
              - {origin: izmir, destination: budapest, flow: 300}
              - {origin: athens, destination: vienna, flow: 200}
              - {origin: izmir, destination: lesvos, flow: 50}
            cost_model: {outside_option: 400, theta: 0.004}
            choice_set: {method: link-elimination, size: 3, max_overlap: 0.7, max_detour: 0.8}
            interventions:
              - \(closure)
            """)
            let fast = try Simulation.run(resolved, incremental: true), full = try Simulation.run(resolved, incremental: false)
            XCTAssertEqual(fast.result.outcomes, full.result.outcomes, closure)
            XCTAssertGreaterThan(full.result.totalSuppressed, full.baseline.totalSuppressed, closure)
        }
    }

    /// The report's totals keep assigned + stranded + suppressed = demand, before and after,
    /// and a closure of every route to Budapest strands nobody who can still choose not to go.
    func testReportTotalsConserveDemand() throws {
        let report = try ScenarioFixtures.simulate("""
        name: totals
        demand:
          - {origin: izmir, destination: vienna, flow: 1000}
          - {origin: izmir, destination: budapest, flow: 300}
        cost_model: {outside_option: 500}
        interventions:
          - close: HU-RS
        """)
        let t = report.totals
        XCTAssertEqual(t.baselineAssigned + t.baselineStranded + t.baselineSuppressed, t.demand, accuracy: 1e-6)
        XCTAssertEqual(t.scenarioAssigned + t.scenarioStranded + t.scenarioSuppressed, t.demand, accuracy: 1e-6)
        XCTAssertGreaterThan(t.scenarioSuppressed, t.baselineSuppressed)
        XCTAssertEqual(t.scenarioStranded, 0)
    }

    /// The bundled network: on 15 September 2015 the flow from Serbia switched
    /// to Croatia (episodes E3), so Istanbul → Vienna must have a route via
    /// Croatia among its alternatives, and alternatives that are not near-copies.
    func testIstanbulViennaChoiceSetHoldsARouteViaCroatia() throws {
        let path = SourceTree.geodata + "/network.geojson"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no bundled network at \(path)") }
        let network = try NetworkSource.load(path)
        let costed = try CostModel.apply(CostModel.Parameters(), to: network)
        let groups = try Corridors.groups(in: network, graph: costed.graph)
        let settings = ChoiceSetSettings()
        let found = try ShortestPathQuery(graph: costed.graph)
            .distinctPaths(from: try network.resolveNode("istanbul"),
                           to: try network.resolveNode("vienna"), rule: settings.rule(size: 6), groups: groups)
        func borders(_ p: Path) -> Set<String> {
            Set(p.arcs.compactMap { arc -> String? in
                let row = Int(costed.graph.arcEdge[Int(arc)])
                switch network.edgeString(NetworkSchema.kind, row: row) {
                case "border": return network.edgeString(NetworkSchema.border, row: row)
                case "sea": return network.edgeString(NetworkSchema.segment, row: row)
                default: return nil
                }
            })
        }
        let sets = found.paths.map(borders)
        XCTAssertTrue(sets.contains { $0.contains("HR-RS") && ($0.contains("HR-SI") || $0.contains("HR-HU")) }, "\(sets)")
        XCTAssertEqual(Set(sets).count, sets.count, "every alternative crosses a different set of borders and seas: \(sets)")
        for (i, p) in found.paths.enumerated() {
            XCTAssertLessThanOrEqual(p.totalCost, (1 + settings.maxDetour) * found.paths[0].totalCost + 1e-6)
            for q in found.paths[..<i] {
                XCTAssertLessThanOrEqual(groups.overlap(p.arcs, q.arcs, graph: costed.graph), settings.maxOverlap + 1e-12)
            }
        }
    }

    /// On the bundled network the corridor sets of one origin found together (one forward
    /// tree for all its destinations) are the sets found pair by pair, each with its own tree,
    /// for origins of two routes and every twentieth hub as destination, with and without
    /// Hungary–Serbia closed and with Russia's land entries barred.
    func testCorridorSetsOfAnOriginEqualPairByPairOnTheBundledNetwork() throws {
        let fixture = try BundledCorridorFixture(day: "2015-09-01", step: 20, origins: ["dakar", "kabul"],
                                                 closing: { $0 == "HU-RS" || $0.hasSuffix("-RU") })
        let (groups, destinations, origins) = (fixture.groups, fixture.destinations, fixture.origins)
        let query = ShortestPathQuery(graph: fixture.graph)
        let rule = ChoiceSetSettings().rule(size: 8)
        for overlay in [nil, fixture.closed] as [CostOverlay?] {
            let targets = try destinations.map { try query.costsToTarget($0, overlay: overlay) }
            for origin in origins {
                let together = try query.distinctPaths(from: origin, to: targets, rule: rule, groups: groups, overlay: overlay)
                var alternatives = 0
                for (costs, set) in zip(targets, together) {
                    let alone = try query.distinctPaths(from: origin, to: costs, rule: rule, groups: groups, overlay: overlay)
                    XCTAssertEqual(set.paths.map(\.edges), alone.paths.map(\.edges), "\(origin) → \(costs.target)")
                    XCTAssertEqual(set.paths.map(\.totalCost), alone.paths.map(\.totalCost))
                    XCTAssertEqual(set.searchedRows, alone.searchedRows)
                    alternatives += set.paths.count
                }
                XCTAssertGreaterThan(alternatives, 2 * destinations.count, "several routes per pair from \(origin)")
            }
        }
    }

    /// A border is a crossing of its own (a group alternatives are built through) only on
    /// the days it is checked: Croatia–Slovenia, the Schengen border, before the corridor of
    /// 17 October 2015 and again from 9 March 2016 until Croatia joined Schengen on
    /// 1 January 2023; Austria–Hungary, inside Schengen since 2007, never in 2014; Hungary–Serbia
    /// always (`../shared/observations/episodes.md`, E3–E4 and section 1).
    func testBordersAreCrossingsOnTheDaysTheyAreChecked() throws {
        let path = SourceTree.geodata + "/network.geojson"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no bundled network at \(path)") }
        let network = try NetworkSource.load(path)
        let graph = try CostModel.apply(CostModel.Parameters(), to: network).graph
        func eliminable(_ border: String, on day: String?) throws -> Bool {
            let groups = try Corridors.groups(in: network, graph: graph, asOf: day)
            let rows = (0..<network.edgeCount).filter {
                network.edgeString(NetworkSchema.kind, row: $0) == "border" && network.edgeString(NetworkSchema.border, row: $0) == border
            }
            XCTAssertFalse(rows.isEmpty, border)
            XCTAssertEqual(Set(rows.map { groups.groupOfEdge[$0] }).count, 1, "one group per border")
            return groups.eliminable[Int(groups.groupOfEdge[rows[0]])]
        }
        XCTAssertTrue(try eliminable("HR-SI", on: "2015-08-01"))
        XCTAssertFalse(try eliminable("HR-SI", on: "2015-11-01"))
        XCTAssertTrue(try eliminable("HR-SI", on: "2016-06-01"))
        XCTAssertFalse(try eliminable("HR-SI", on: "2023-06-01"))
        XCTAssertFalse(try eliminable("AT-HU", on: "2014-06-01"))
        XCTAssertTrue(try eliminable("HU-RS", on: "2014-06-01"))
        XCTAssertTrue(try eliminable("HU-RS", on: "2015-08-01"))
    }

    /// A costed network works its corridors out once and shares them with its copies; a copy
    /// moved to another day must get that day's (Croatia–Slovenia: checked in August 2015,
    /// not in November 2015, as above), not the first day's.
    func testCostedNetworkCorridorsFollowItsDay() throws {
        let path = SourceTree.geodata + "/network.geojson"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no bundled network at \(path)") }
        let network = try NetworkSource.load(path)
        let august = try CostModel.apply(CostModel.Parameters(), to: network, asOf: "2015-08-01")
        var november = august
        november.asOf = "2015-11-01"
        let rows = (0..<network.edgeCount).filter { network.edgeString(NetworkSchema.border, row: $0) == "HR-SI" }
        let row = try XCTUnwrap(rows.first)
        for _ in 0..<2 {
            let a = try august.corridorGroups(), n = try november.corridorGroups()
            XCTAssertTrue(a.eliminable[Int(a.groupOfEdge[row])])
            XCTAssertFalse(n.eliminable[Int(n.groupOfEdge[row])])
            let direct = try Corridors.groups(in: network, graph: august.graph, asOf: "2015-08-01")
            XCTAssertEqual(a.groupOfEdge, direct.groupOfEdge)
            XCTAssertEqual(a.eliminable, direct.eliminable)
            XCTAssertEqual(a.lengths, direct.lengths)
        }
    }
}
