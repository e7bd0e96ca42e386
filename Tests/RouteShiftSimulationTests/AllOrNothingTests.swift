import RouteShiftCore
import RouteShiftGraph
@testable import RouteShiftSimulation
import XCTest

final class AllOrNothingTests: XCTestCase {
    /// Route A 1→2→4 costs 2, route B 1→3→4 costs 4: all 100 go by A; with
    /// edge 11 closed, A is gone and all 100 go by B (cost 4).
    func testClosingOneRouteMovesAllFlowToTheOther() throws {
        let graph = try TestNetworks.twoRoutes()
        var problem = AssignmentProblem(graph: graph, demand: [Demand(origin: 1, destination: 4, flow: 100)],
                                        method: .allOrNothing)
        let before = try Assignment.run(problem)
        XCTAssertEqual(before.outcomes[0].paths.map(\.path.edges), [[10, 11]])
        XCTAssertEqual(before.edgeFlows, [100, 100, 0, 0])

        var overlay = CostOverlay(graph: graph)
        try overlay.close(edge: 11)
        problem.overlay = overlay
        let after = try Assignment.run(problem)
        XCTAssertEqual(after.outcomes[0].paths.map(\.path.edges), [[20, 21]])
        XCTAssertEqual(after.outcomes[0].paths[0].path.totalCost, 4)
        XCTAssertEqual(after.edgeFlows, [0, 0, 100, 100])
        XCTAssertEqual(after.forwardFlows, [0, 0, 100, 100])
        XCTAssertEqual(after.backwardFlows, [0, 0, 0, 0])
        XCTAssertEqual(after.outcomes[0].assigned, 100)
        XCTAssertEqual(after.outcomes[0].stranded, 0)
    }

    func testValidationRejectsBadInput() throws {
        let graph = try TestNetworks.twoRoutes()
        func problem(_ d: Demand) -> AssignmentProblem { AssignmentProblem(graph: graph, demand: [d], method: .allOrNothing) }
        XCTAssertThrowsError(try Assignment.run(problem(Demand(origin: 1, destination: 4, flow: -1)))) { error in
            XCTAssertEqual((error as? ContractError)?.argument, "problem.demand[0].flow")
        }
        XCTAssertThrowsError(try Assignment.run(problem(Demand(origin: 1, destination: 4, flow: .nan)))) { error in
            XCTAssertEqual((error as? ContractError)?.argument, "problem.demand[0].flow")
        }
        XCTAssertThrowsError(try Assignment.run(problem(Demand(origin: 1, destination: 5, flow: 1)))) { error in
            let e = error as? ContractError
            XCTAssertEqual(e?.argument, "problem.demand[0].destination")
            XCTAssertEqual(e?.function, "Assignment.run")
            XCTAssertEqual(e?.domain, .failure)
        }
        var bad = problem(Demand(origin: 1, destination: 4, flow: 1))
        bad.method = .pathSizeLogit(k: 0, theta: 1)
        XCTAssertThrowsError(try Assignment.run(bad)) { error in
            XCTAssertEqual((error as? ContractError)?.function, "Assignment.run")
            XCTAssertEqual((error as? ContractError)?.argument, "problem.method.k")
        }
        bad.method = .equilibrium(maxIterations: 10, relativeGap: -1, alpha: 0.15, beta: 4)
        XCTAssertThrowsError(try Assignment.run(bad)) { error in
            XCTAssertEqual((error as? ContractError)?.function, "Assignment.run")
            XCTAssertEqual((error as? ContractError)?.argument, "problem.method.relativeGap")
        }
        bad.method = .allOrNothing
        bad.capacities = [7: 10]
        XCTAssertThrowsError(try Assignment.run(bad)) { error in
            XCTAssertEqual((error as? ContractError)?.function, "Assignment.run")
            XCTAssertEqual((error as? ContractError)?.argument, "problem.capacities[7]")
        }
        bad.capacities = [0: 0]
        XCTAssertThrowsError(try Assignment.run(bad)) { error in
            XCTAssertEqual((error as? ContractError)?.function, "Assignment.run")
            XCTAssertEqual((error as? ContractError)?.argument, "problem.capacities[0]")
        }
        let other = try TestNetworks.twoRoutes()
        bad.capacities = [:]
        bad.overlay = CostOverlay(graph: other)
        XCTAssertThrowsError(try Assignment.run(bad)) { error in
            XCTAssertEqual(error as? GraphError, .overlayFromAnotherGraph)
        }
    }
}
