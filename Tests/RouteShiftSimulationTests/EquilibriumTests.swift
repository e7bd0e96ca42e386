import RouteShiftGraph
@testable import RouteShiftSimulation
import XCTest

final class EquilibriumTests: XCTestCase {
    /// Two parallel one-way links 1→2: edge 1 (row 0) and edge 2 (row 1).
    private func parallelLinks(_ t1: Double, _ t2: Double) throws -> RoutingGraph {
        try TestNetworks.graph([(1, 1, 2, t1, -1), (2, 1, 2, t2, -1)])
    }

    private func flows(_ result: AssignmentResult) -> (Double, Double) { (result.edgeFlows[0], result.edgeFlows[1]) }

    /// Linear BPR (α = 1, β = 1): t1 = 10 + 0.1 v1, t2 = 20 + 0.2 v2, v1 + v2 = 300.
    /// Equal costs: 10 + 0.1 v1 = 20 + 0.2 (300 − v1) ⇒ 0.3 v1 = 70 ⇒ v1 = 233.33…, v2 = 66.67…, t = 33.33….
    func testLinearBPRSplitsWhereCostsAreEqual() throws {
        let graph = try parallelLinks(10, 20)
        let problem = AssignmentProblem(graph: graph, demand: [Demand(origin: 1, destination: 2, flow: 300)],
                                        capacities: [0: 100, 1: 100],
                                        method: .equilibrium(maxIterations: 500, relativeGap: 1e-7, alpha: 1, beta: 1))
        let result = try Assignment.run(problem)
        let (v1, v2) = flows(result)
        XCTAssertEqual(v1, 700.0 / 3, accuracy: 0.05)
        XCTAssertEqual(v2, 200.0 / 3, accuracy: 0.05)
        XCTAssertEqual(v1 + v2, 300, accuracy: 1e-9)
        XCTAssertLessThanOrEqual(result.relativeGap!, 1e-7)
        // Both routes reported with their weights, at (nearly) equal congested cost.
        let paths = result.outcomes[0].paths
        XCTAssertEqual(Set(paths.map(\.path.edges)), [[1], [2]])
        XCTAssertEqual(paths[0].path.totalCost, 100.0 / 3, accuracy: 0.01)
        XCTAssertEqual(paths[1].path.totalCost, 100.0 / 3, accuracy: 0.01)
    }

    /// Quadratic BPR (α = 1, β = 2), capacities 100, demand 200:
    /// 10 (1 + (v1/100)²) = 20 (1 + ((200 − v1)/100)²) ⇔ v1² − 800 v1 + 90 000 = 0
    /// ⇒ v1 = (800 − √280 000) / 2 ≈ 135.425.
    func testQuadraticBPRMatchesClosedForm() throws {
        let graph = try parallelLinks(10, 20)
        let problem = AssignmentProblem(graph: graph, demand: [Demand(origin: 1, destination: 2, flow: 200)],
                                        capacities: [0: 100, 1: 100],
                                        method: .equilibrium(maxIterations: 1000, relativeGap: 1e-6, alpha: 1, beta: 2))
        let result = try Assignment.run(problem)
        let expected = (800 - 280_000.0.squareRoot()) / 2
        XCTAssertEqual(result.edgeFlows[0], expected, accuracy: 0.2)
        XCTAssertEqual(result.edgeFlows[1], 200 - expected, accuracy: 0.2)
        XCTAssertLessThanOrEqual(result.relativeGap!, 1e-6)
        XCTAssertLessThan(result.iterations, 1000)
    }

    /// Only link 1 is capacitated: t1 = 10 (1 + v1/100) reaches link 2's constant
    /// 30 at v1 = 200, so of 300 people 200 take link 1 and 100 link 2.
    func testUncapacitatedLinkKeepsConstantCost() throws {
        let graph = try parallelLinks(10, 30)
        let problem = AssignmentProblem(graph: graph, demand: [Demand(origin: 1, destination: 2, flow: 300)],
                                        capacities: [0: 100],
                                        method: .equilibrium(maxIterations: 500, relativeGap: 1e-8, alpha: 1, beta: 1))
        let result = try Assignment.run(problem)
        XCTAssertEqual(result.edgeFlows[0], 200, accuracy: 0.05)
        XCTAssertEqual(result.edgeFlows[1], 100, accuracy: 0.05)
    }

    /// Below capacity effects everything stays on the cheaper link and the gap is 0 at once.
    func testRequestedGapIsReachedAndReported() throws {
        let (graph, demand) = try TestNetworks.random(nodes: 40, extra: 80, seed: 7)
        var capacities: [Int: Double] = [:]
        for row in stride(from: 0, to: graph.edgeCount, by: 2) { capacities[row] = 50 }
        for gap in [1e-2, 1e-3, 1e-4] {
            let problem = AssignmentProblem(graph: graph, demand: demand, capacities: capacities,
                                            method: .equilibrium(maxIterations: 5_000, relativeGap: gap,
                                                                 alpha: 0.15, beta: 4))
            let result = try Assignment.run(problem)
            XCTAssertLessThanOrEqual(result.relativeGap!, gap)
            XCTAssertGreaterThan(result.iterations, 0)
        }
        let capped = AssignmentProblem(graph: graph, demand: demand, capacities: capacities,
                                       method: .equilibrium(maxIterations: 3, relativeGap: 0, alpha: 0.15, beta: 4))
        let result = try Assignment.run(capped)
        XCTAssertEqual(result.iterations, 3)
        XCTAssertGreaterThan(result.relativeGap!, 0)
    }
}

extension EquilibriumTests {
    /// Plain and conjugate Frank–Wolfe solve the same convex programme: capacitated
    /// arc flows (BPR strictly increasing) and each demand's equilibrium cost are
    /// unique, so both must agree (to what a 1e-4 gap allows).
    func testConjugateAndPlainFrankWolfeAgree() throws {
        let (graph, demand) = try TestNetworks.random(nodes: 15, extra: 25, seed: 21)
        var capacities: [Int: Double] = [:]
        for row in stride(from: 0, to: graph.edgeCount, by: 2) { capacities[row] = 60 }
        func solve(conjugate: Bool) throws -> AssignmentResult {
            try Assignment.run(AssignmentProblem(
                graph: graph, demand: demand, capacities: capacities,
                method: .equilibrium(maxIterations: 20_000, relativeGap: 1e-4, alpha: 1, beta: 2),
                options: AssignmentOptions(workers: 1, conjugateDirections: conjugate)))
        }
        let plain = try solve(conjugate: false), conjugate = try solve(conjugate: true)
        XCTAssertLessThanOrEqual(plain.relativeGap!, 1e-4)
        XCTAssertLessThanOrEqual(conjugate.relativeGap!, 1e-4)
        for row in capacities.keys.sorted() {
            XCTAssertEqual(plain.forwardFlows[row], conjugate.forwardFlows[row], accuracy: 0.05 * max(10, plain.forwardFlows[row]))
            XCTAssertEqual(plain.backwardFlows[row], conjugate.backwardFlows[row], accuracy: 0.05 * max(10, plain.backwardFlows[row]))
        }
        for (a, b) in zip(plain.outcomes, conjugate.outcomes) {
            XCTAssertEqual(a.meanCost, b.meanCost, accuracy: 1e-2 * max(1, a.meanCost))
        }
    }
}
