import RouteShiftGraph
@testable import RouteShiftSimulation
import XCTest

final class StrandedDemandTests: XCTestCase {
    /// Baseline route 1 → 2 (hub) → 3 (border side) → 4 (hub) → 5, edges 12, 23, 34, 45,
    /// plus a detour 2 → 6 → 4 (edges 26, 64) dearer than 2 → 3 → 4.
    private func corridor() throws -> RoutingGraph {
        try TestNetworks.graph([(12, 1, 2, 1, -1), (23, 2, 3, 1, -1), (34, 3, 4, 1, -1), (45, 4, 5, 1, -1),
                                (26, 2, 6, 5, -1), (64, 6, 4, 5, -1)])
    }

    private let methods: [AssignmentMethod] = [
        .allOrNothing, .pathSizeLogit(k: 3, theta: 1),
        .equilibrium(maxIterations: 20, relativeGap: 1e-6, alpha: 0.15, beta: 4),
    ]

    private func run(closing edges: [Int64], method: AssignmentMethod) throws -> DemandOutcome {
        let graph = try corridor()
        var overlay = CostOverlay(graph: graph)
        for e in edges { try overlay.close(edge: e) }
        let problem = AssignmentProblem(graph: graph, overlay: overlay,
                                        demand: [Demand(origin: 1, destination: 5, flow: 40)],
                                        capacities: [2: 10], method: method,
                                        options: AssignmentOptions(hubs: [2, 4]))
        return try Assignment.run(problem).outcomes[0]
    }

    /// Closing the last leg 4→5: hub 4 is still reached, so people are held there.
    func testStrandedAtLastReachableHub() throws {
        for method in methods {
            let outcome = try run(closing: [45], method: method)
            XCTAssertEqual(outcome.assigned, 0)
            XCTAssertEqual(outcome.stranded, 40)
            XCTAssertEqual(outcome.paths, [])
            XCTAssertEqual(outcome.strandedAt, 4, "\(method)")
        }
    }

    /// Closing the crossing 3→4 and the detour: 3 is reached but is no hub, so hub 2.
    func testStrandedBeforeClosedCrossing() throws {
        for method in methods {
            let outcome = try run(closing: [34, 64, 45], method: method)
            XCTAssertEqual(outcome.stranded, 40)
            XCTAssertEqual(outcome.strandedAt, 2, "\(method)")
        }
    }

    /// Crossing closed but the detour open: everyone gets through.
    func testDetourAvoidsStranding() throws {
        for method in methods {
            let outcome = try run(closing: [34], method: method)
            XCTAssertEqual(outcome.assigned, 40)
            XCTAssertEqual(outcome.stranded, 0)
            XCTAssertNil(outcome.strandedAt)
            XCTAssertEqual(outcome.paths.first?.path.edges, [12, 26, 64, 45])
        }
    }

    func testStrandedLocationHelper() {
        let path = Path(nodes: [1, 2, 3, 4, 5], edges: [12, 23, 34, 45], arcCosts: [1, 1, 1, 1], arcs: [0, 1, 2, 3])
        XCTAssertEqual(Assignment.strandedLocation(baselinePath: path, reachable: { $0 <= 3 }, isHub: { $0 % 2 == 0 }), 2)
        XCTAssertNil(Assignment.strandedLocation(baselinePath: path, reachable: { $0 == 1 }, isHub: { $0 == 4 }))
    }
}
