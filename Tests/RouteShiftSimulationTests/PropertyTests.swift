import RouteShiftGraph
@testable import RouteShiftSimulation
import RouteShiftTestSupport
import XCTest

/// Properties on seeded random networks, for every method.
final class PropertyTests: XCTestCase {
    static let methods: [AssignmentMethod] = [
        .allOrNothing, .pathSizeLogit(k: 4, theta: 0.3),
        .equilibrium(maxIterations: 30, relativeGap: 1e-4, alpha: 0.15, beta: 4),
    ]

    private func capacities(_ graph: RoutingGraph) -> [Int: Double] {
        var capacities: [Int: Double] = [:]
        for row in stride(from: 0, to: graph.edgeCount, by: 3) { capacities[row] = 40 }
        return capacities
    }

    /// Closes about 45 % of the edges (both directions), by a seeded draw.
    private func randomClosures(_ graph: RoutingGraph, seed: UInt64) throws -> CostOverlay {
        var rng = SplitMix64(seed: seed)
        var overlay = CostOverlay(graph: graph)
        for id in graph.edgeIds where rng.unit() < 0.45 { try overlay.close(edge: id) }
        return overlay
    }

    private func assertConserved(_ result: AssignmentResult, _ problem: AssignmentProblem,
                                 file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.outcomes.count, problem.demand.count, file: file, line: line)
        for (outcome, demand) in zip(result.outcomes, problem.demand) {
            XCTAssertEqual(outcome.demand, demand, file: file, line: line)
            let scale = max(1, demand.flow)
            XCTAssertEqual(outcome.assigned + outcome.stranded, demand.flow, accuracy: 1e-9 * scale, file: file, line: line)
            let onPaths = outcome.paths.reduce(0) { $0 + $1.flow }
            XCTAssertEqual(onPaths, outcome.assigned, accuracy: 1e-9 * scale, file: file, line: line)
            XCTAssertTrue(outcome.stranded == 0 || outcome.paths.isEmpty, file: file, line: line)
            for p in outcome.paths {
                XCTAssertEqual(p.path.nodes.first, demand.origin, file: file, line: line)
                XCTAssertEqual(p.path.nodes.last, demand.destination, file: file, line: line)
                XCTAssertGreaterThan(p.flow, 0, file: file, line: line)
                XCTAssertLessThan(p.path.totalCost, .infinity, file: file, line: line)
            }
        }
        let total = result.edgeFlows.reduce(0, +)
        let expected = result.outcomes.reduce(0) { sum, o in sum + o.paths.reduce(0) { $0 + $1.flow * Double($1.path.edges.count) } }
        XCTAssertEqual(total, expected, accuracy: 1e-6 * max(1, expected), file: file, line: line)
    }

    func testConservationBeforeAndAfterRandomClosures() throws {
        for seed: UInt64 in [1, 2, 3] {
            let (graph, demand) = try TestNetworks.random(nodes: 30, extra: 45, seed: seed)
            for method in Self.methods {
                var problem = AssignmentProblem(graph: graph, demand: demand, capacities: capacities(graph),
                                                method: method, options: AssignmentOptions(hubs: [0, 5, 10, 15]))
                assertConserved(try Assignment.run(problem), problem)
                problem.overlay = try randomClosures(graph, seed: seed &* 31)
                let closed = try Assignment.run(problem)
                assertConserved(closed, problem)
                XCTAssertGreaterThan(closed.totalStranded, 0, "seed \(seed): closures should strand someone")
            }
        }
    }

    func testParallelAndSerialRunsAreIdentical() throws {
        let (graph, demand) = try TestNetworks.random(nodes: 40, extra: 70, seed: 11)
        let overlay = try randomClosures(graph, seed: 5)
        for method in Self.methods {
            var problem = AssignmentProblem(graph: graph, overlay: overlay, demand: demand,
                                            capacities: capacities(graph), method: method,
                                            options: AssignmentOptions(hubs: [1, 2, 3], workers: 1))
            let serial = try Assignment.run(problem)
            problem.options.workers = 4
            let parallel = try Assignment.run(problem)
            let again = try Assignment.run(problem)
            for other in [parallel, again] {
                XCTAssertEqual(other.outcomes, serial.outcomes, "\(method)")
                XCTAssertEqual(other.edgeFlows, serial.edgeFlows, "\(method)")
                XCTAssertEqual(other.forwardFlows, serial.forwardFlows)
                XCTAssertEqual(other.backwardFlows, serial.backwardFlows)
                XCTAssertEqual(other.relativeGap, serial.relativeGap)
                XCTAssertEqual(other.iterations, serial.iterations)
            }
        }
    }
}
