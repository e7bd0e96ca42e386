import RouteShiftCore
import RouteShiftGraph
@testable import RouteShiftSimulation
import RouteShiftTestSupport
import XCTest

final class SweepTests: XCTestCase {
    /// Two routes: A = edges 10, 11 (rows 0, 1; cost 2), B = edges 20, 21 (rows 2, 3; cost 4).
    /// Closing A moves all 100 to B: displaced 100, added cost 100 × (4 − 2) = 200,
    /// added risk 100 × ((0.01 + 0.01) − (0.001 + 0.001)) = 1.8. Closing B changes nothing.
    /// Closing both strands everyone: displaced 100, stranded 100.
    func testTwoRouteSweepByHand() throws {
        let graph = try TestNetworks.twoRoutes()
        let problem = AssignmentProblem(graph: graph, demand: [Demand(origin: 1, destination: 4, flow: 100)],
                                        method: .allOrNothing)
        let baseline = try Assignment.run(problem)
        let elements = [SweepElement(id: "B", edgeRows: [2]), SweepElement(id: "A", edgeRows: [1]),
                        SweepElement(id: "AB", edgeRows: [0, 3])]
        let sweep = try Sweep.run(baseline: problem, baselineResult: baseline, elements: elements,
                                  risk: [0.001, 0.001, 0.01, 0.01])
        XCTAssertTrue(sweep.incremental)
        XCTAssertEqual(sweep.outcomes.map(\.id), ["A", "AB", "B"])
        let a = sweep.outcomes[0], ab = sweep.outcomes[1], b = sweep.outcomes[2]
        XCTAssertEqual(a.displacedFlow, 100)
        XCTAssertEqual(a.strandedFlow, 0)
        XCTAssertEqual(a.addedCost, 200, accuracy: 1e-9)
        XCTAssertEqual(a.addedRisk, 1.8, accuracy: 1e-12)
        XCTAssertEqual(a.baselineFlow, 100)
        XCTAssertEqual(a.reassignedDemands, 1)
        XCTAssertEqual(ab.displacedFlow, 100)
        XCTAssertEqual(ab.strandedFlow, 100)
        XCTAssertEqual(ab.addedCost, 0)
        XCTAssertEqual(b.displacedFlow, 0)
        XCTAssertEqual(b.reassignedDemands, 0)
        XCTAssertEqual(b.baselineFlow, 0)
        XCTAssertGreaterThan(sweep.elementsPerSecond, 0)
    }

    /// Baseline all on A (cost 2, risk 0.002 per person); scenario with A closed all on B
    /// (cost 4, risk 0.02): displaced 100, added cost 200, added risk 1.8.
    func testDisplacementBetweenTwoAssignments() throws {
        let graph = try TestNetworks.twoRoutes()
        var problem = AssignmentProblem(graph: graph, demand: [Demand(origin: 1, destination: 4, flow: 100)],
                                        method: .allOrNothing)
        let baseline = try Assignment.run(problem)
        var overlay = CostOverlay(graph: graph)
        try overlay.close(edge: 10)
        problem.overlay = overlay
        let scenario = try Assignment.run(problem)
        let change = try Displacement(baseline: baseline, scenario: scenario, graph: graph,
                                      risk: [0.001, 0.001, 0.01, 0.01])
        XCTAssertEqual(change.displacedFlow, 100)
        XCTAssertEqual(change.strandedFlow, 0)
        XCTAssertEqual(change.addedCost, 200, accuracy: 1e-12)
        XCTAssertEqual(change.addedRisk, 1.8, accuracy: 1e-12)
        XCTAssertEqual(try Displacement(baseline: baseline, scenario: baseline, graph: graph),
                       Displacement(displacedFlow: 0, strandedFlow: 0, addedCost: 0, addedRisk: 0))
        problem.demand[0].flow = 50
        XCTAssertThrowsError(try Displacement(baseline: baseline, scenario: try Assignment.run(problem), graph: graph)) { error in
            XCTAssertEqual((error as? ContractError)?.function, "Displacement.init")
            XCTAssertEqual((error as? ContractError)?.argument, "scenario")
        }
    }

    private func randomElements(_ graph: RoutingGraph, seed: UInt64) -> [SweepElement] {
        var rng = SplitMix64(seed: seed)
        var elements: [SweepElement] = []
        for row in 0..<graph.edgeCount { elements.append(SweepElement(id: "edge-\(row)", edgeRows: [row])) }
        // A node's incident edges, as for a hub: closing them strands the demand to and from it.
        for node in 0..<Int64(5) {
            let rows = (0..<graph.edgeCount).filter { row in
                let arc = graph.edgeForwardArc[row] >= 0 ? graph.edgeForwardArc[row] : graph.edgeBackwardArc[row]
                let ends = [graph.externalId(of: graph.tail(ofArc: arc)), graph.externalId(of: graph.arcHead[Int(arc)])]
                return ends.contains(node)
            }
            elements.append(SweepElement(id: "node-\(node)", edgeRows: rows))
        }
        for g in 0..<15 {
            elements.append(SweepElement(id: "group-\(g)", edgeRows: (0..<3).map { _ in rng.int(0..<graph.edgeCount) }))
        }
        return elements
    }

    private func assertSame(_ x: [SweepOutcome], _ y: [SweepOutcome], file: StaticString = #filePath, line: UInt = #line) {
        let byId = Dictionary(uniqueKeysWithValues: y.map { ($0.id, $0) })
        XCTAssertEqual(x.count, y.count, file: file, line: line)
        for o in x {
            guard let other = byId[o.id] else { XCTFail("missing \(o.id)", file: file, line: line); continue }
            XCTAssertEqual(o.displacedFlow, other.displacedFlow, accuracy: 1e-9 * max(1, o.displacedFlow), file: file, line: line)
            XCTAssertEqual(o.strandedFlow, other.strandedFlow, accuracy: 1e-9 * max(1, abs(o.strandedFlow)), file: file, line: line)
            XCTAssertEqual(o.addedCost, other.addedCost, accuracy: 1e-9 * max(1, abs(o.addedCost)), file: file, line: line)
            XCTAssertEqual(o.addedRisk, other.addedRisk, accuracy: 1e-9 * max(1, abs(o.addedRisk)), file: file, line: line)
            XCTAssertEqual(o.baselineFlow, other.baselineFlow, file: file, line: line)
        }
    }

    /// Oracle: re-assigning everything per element must give the same answer
    /// as re-assigning only the demand whose baseline paths use the element.
    func testIncrementalSweepEqualsFullReassignment() throws {
        for method: AssignmentMethod in [.allOrNothing, .pathSizeLogit(k: 4, theta: 0.3)] {
            for seed: UInt64 in [3, 4] {
                let (graph, demand) = try TestNetworks.random(nodes: 25, extra: 40, seed: seed)
                var rng = SplitMix64(seed: seed)
                let risk = (0..<graph.edgeCount).map { _ in rng.unit() / 100 }
                let problem = AssignmentProblem(graph: graph, demand: demand, method: method,
                                                options: AssignmentOptions(hubs: [0, 1, 2, 3, 4]))
                let baseline = try Assignment.run(problem)
                let elements = randomElements(graph, seed: seed)
                let incremental = try Sweep.run(baseline: problem, baselineResult: baseline, elements: elements, risk: risk)
                let full = try Sweep.run(baseline: problem, baselineResult: baseline, elements: elements, risk: risk,
                                         incremental: false)
                XCTAssertTrue(incremental.incremental)
                XCTAssertFalse(full.incremental)
                assertSame(incremental.outcomes, full.outcomes)
                XCTAssertTrue(incremental.outcomes.contains { $0.displacedFlow > 0 })
                XCTAssertTrue(incremental.outcomes.contains { $0.strandedFlow > 0 })
                // Each element against a direct re-run of the closed scenario.
                for outcome in incremental.outcomes.prefix(5) {
                    let element = elements.first { $0.id == outcome.id }!
                    let closed = try Assignment.run(try Sweep.closing(element, in: problem))
                    let stranded = closed.totalStranded - baseline.totalStranded
                    XCTAssertEqual(outcome.strandedFlow, stranded, accuracy: 1e-9 * max(1, stranded))
                }
            }
        }
    }

    func testSweepIsDeterministicAndRanked() throws {
        let (graph, demand) = try TestNetworks.random(nodes: 25, extra: 40, seed: 9)
        for method: AssignmentMethod in [.allOrNothing, .pathSizeLogit(k: 3, theta: 0.5),
                                         .equilibrium(maxIterations: 10, relativeGap: 1e-3, alpha: 0.15, beta: 4)] {
            let problem = AssignmentProblem(graph: graph, demand: demand, capacities: [0: 30, 5: 30], method: method)
            let baseline = try Assignment.run(problem)
            let elements = Array(randomElements(graph, seed: 9).prefix(20))
            let serial = try Sweep.run(baseline: problem, baselineResult: baseline, elements: elements, workers: 1)
            let parallel = try Sweep.run(baseline: problem, baselineResult: baseline, elements: elements, workers: 4)
            XCTAssertEqual(serial.outcomes, parallel.outcomes)
            if case .equilibrium = method { XCTAssertFalse(serial.incremental) }
            for (x, y) in zip(serial.outcomes, serial.outcomes.dropFirst()) {
                XCTAssertTrue(x.displacedFlow > y.displacedFlow || (x.displacedFlow == y.displacedFlow && x.id <= y.id))
            }
        }
    }

    func testSweepRejectsBadElementsAndRisk() throws {
        let graph = try TestNetworks.twoRoutes()
        let problem = AssignmentProblem(graph: graph, demand: [Demand(origin: 1, destination: 4, flow: 1)],
                                        method: .allOrNothing)
        let baseline = try Assignment.run(problem)
        XCTAssertThrowsError(try Sweep.run(baseline: problem, baselineResult: baseline,
                                           elements: [SweepElement(id: "x", edgeRows: [9])])) { error in
            XCTAssertEqual((error as? ContractError)?.function, "Sweep.run")
            XCTAssertEqual((error as? ContractError)?.argument, "elements[0].edgeRows")
        }
        XCTAssertThrowsError(try Sweep.run(baseline: problem, baselineResult: baseline, elements: [], risk: [1])) { error in
            XCTAssertEqual((error as? ContractError)?.function, "Sweep.run")
            XCTAssertEqual((error as? ContractError)?.argument, "risk")
        }
        XCTAssertThrowsError(try Sweep.run(baseline: problem, baselineResult: baseline, elements: [],
                                           risk: [0, 0, -1, 0])) { error in
            XCTAssertEqual((error as? ContractError)?.function, "Sweep.run")
            XCTAssertEqual((error as? ContractError)?.argument, "risk[2]")
        }
    }
}
