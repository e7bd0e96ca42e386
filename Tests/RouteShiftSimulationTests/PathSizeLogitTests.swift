import Foundation
import RouteShiftGraph
@testable import RouteShiftSimulation
import XCTest

final class PathSizeLogitTests: XCTestCase {
    /// Disjoint routes of cost 2 and 4 (PS = 1 each), θ = 0.5:
    /// P_A = e^{−1} / (e^{−1} + e^{−2}) = 1 / (1 + e^{−1}) ≈ 0.7311.
    func testPlainLogitOnDisjointRoutes() throws {
        let graph = try TestNetworks.twoRoutes()
        let problem = AssignmentProblem(graph: graph, demand: [Demand(origin: 1, destination: 4, flow: 100)],
                                        method: .pathSizeLogit(k: 5, theta: 0.5))
        let result = try Assignment.run(problem)
        let share = 1 / (1 + exp(-1.0))
        let paths = result.outcomes[0].paths
        XCTAssertEqual(paths.map(\.path.edges), [[10, 11], [20, 21]])
        XCTAssertEqual(paths[0].flow, 100 * share, accuracy: 1e-9)
        XCTAssertEqual(paths[1].flow, 100 * (1 - share), accuracy: 1e-9)
        XCTAssertEqual(result.edgeFlows[0], 100 * share, accuracy: 1e-9)
        XCTAssertEqual(result.outcomes[0].assigned, 100)
    }

    /// Edges a = 1→2 (cost 1), b = 2→4 (cost 1), c = 2→4 (cost 1.5), d = 1→4 (cost 3).
    /// Paths P1 = a b (cost 2), P2 = a c (2.5), P3 = d (3); a is shared by P1 and P2.
    private func overlapping() throws -> RoutingGraph {
        try TestNetworks.graph([(1, 1, 2, 1, -1), (2, 2, 4, 1, -1), (3, 2, 4, 1.5, -1), (4, 1, 4, 3, -1)])
    }

    /// Lengths = costs: PS1 = (1/2)/2 + (1/2)/1 = 0.75, PS2 = (1/2.5)/2 + (1.5/2.5)/1 = 0.8, PS3 = 1.
    /// θ = 1: P_i ∝ PS_i e^{−c_i}.
    func testPathSizeFactorsFromCosts() throws {
        let result = try Assignment.run(AssignmentProblem(graph: try overlapping(),
                                                          demand: [Demand(origin: 1, destination: 4, flow: 1)],
                                                          method: .pathSizeLogit(k: 3, theta: 1)))
        let w = [0.75 * exp(-2.0), 0.8 * exp(-2.5), 1.0 * exp(-3.0)]
        let sum = w.reduce(0, +)
        let byRoute = Dictionary(uniqueKeysWithValues: result.outcomes[0].paths.map { ($0.path.edges, $0.flow) })
        XCTAssertEqual(byRoute[[1, 2]]!, w[0] / sum, accuracy: 1e-12)
        XCTAssertEqual(byRoute[[1, 3]]!, w[1] / sum, accuracy: 1e-12)
        XCTAssertEqual(byRoute[[4]]!, w[2] / sum, accuracy: 1e-12)
    }

    /// Lengths a = 10, b = 30, c = 10, d = 50 km: PS1 = (10/40)/2 + 30/40 = 0.875,
    /// PS2 = (10/20)/2 + 10/20 = 0.75, PS3 = 1; θ = 2.
    func testPathSizeFactorsFromEdgeLengths() throws {
        let options = AssignmentOptions(edgeLengths: [10, 30, 10, 50])
        let result = try Assignment.run(AssignmentProblem(graph: try overlapping(),
                                                          demand: [Demand(origin: 1, destination: 4, flow: 10)],
                                                          method: .pathSizeLogit(k: 3, theta: 2), options: options))
        let w = [0.875 * exp(-4.0), 0.75 * exp(-5.0), 1.0 * exp(-6.0)]
        let sum = w.reduce(0, +)
        let byRoute = Dictionary(uniqueKeysWithValues: result.outcomes[0].paths.map { ($0.path.edges, $0.flow) })
        XCTAssertEqual(byRoute[[1, 2]]!, 10 * w[0] / sum, accuracy: 1e-12)
        XCTAssertEqual(byRoute[[1, 3]]!, 10 * w[1] / sum, accuracy: 1e-12)
        XCTAssertEqual(byRoute[[4]]!, 10 * w[2] / sum, accuracy: 1e-12)
    }

    /// Bound 0.3: only paths up to 1.3 × 2 = 2.6 stay (P1, P2; PS still 0.75 and 0.8).
    func testCostBoundFiltersTheChoiceSet() throws {
        let options = AssignmentOptions(pathCostBound: 0.3)
        let result = try Assignment.run(AssignmentProblem(graph: try overlapping(),
                                                          demand: [Demand(origin: 1, destination: 4, flow: 1)],
                                                          method: .pathSizeLogit(k: 3, theta: 1), options: options))
        let w = [0.75 * exp(-2.0), 0.8 * exp(-2.5)]
        let paths = result.outcomes[0].paths
        XCTAssertEqual(paths.map(\.path.edges), [[1, 2], [1, 3]])
        XCTAssertEqual(paths[0].flow, w[0] / (w[0] + w[1]), accuracy: 1e-12)
    }

    /// Huge θ · cost differences must not overflow: all flow on the best path.
    func testLargeThetaIsStable() throws {
        let result = try Assignment.run(AssignmentProblem(graph: try overlapping(),
                                                          demand: [Demand(origin: 1, destination: 4, flow: 5)],
                                                          method: .pathSizeLogit(k: 3, theta: 1e6)))
        XCTAssertEqual(result.outcomes[0].paths.map(\.flow), [5])
        XCTAssertEqual(result.outcomes[0].paths[0].path.edges, [1, 2])
    }
}
