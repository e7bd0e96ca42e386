import XCTest
import Foundation
import RouteShiftOptimization

final class OptimizerTests: XCTestCase {
    /// f(x, y) = (x − 1)² + 10 (y + 2)², minimum 0 at (1, −2).
    private func bowl(_ x: [Double]) -> Double { (x[0] - 1) * (x[0] - 1) + 10 * (x[1] + 2) * (x[1] + 2) }

    func testBothAlgorithmsFindTheMinimumOfAQuadratic() throws {
        for algorithm in OptimizationAlgorithm.allCases {
            let problem = OptimizationProblem(start: [4, 3], lower: [-5, -5], upper: [5, 5], algorithm: algorithm,
                                              maxEvaluations: 2_000, parameterTolerance: 1e-10)
            let result = try Optimizer.minimize(problem, objective: bowl)
            XCTAssertEqual(result.x[0], 1, accuracy: 1e-4, "\(algorithm)")
            XCTAssertEqual(result.x[1], -2, accuracy: 1e-4, "\(algorithm)")
            XCTAssertLessThan(result.value, 1e-7, "\(algorithm)")
            XCTAssertTrue(result.status.isConverged, "\(algorithm): \(result.status)")
            XCTAssertLessThanOrEqual(result.evaluations, 2_000)
        }
    }

    /// The unconstrained minimum (1, −2) lies outside x ≥ 2: the answer is on the bound, (2, −2).
    func testActiveBound() throws {
        let problem = OptimizationProblem(start: [3, 0], lower: [2, -5], upper: [5, 5], parameterTolerance: 1e-10)
        let result = try Optimizer.minimize(problem, objective: bowl)
        XCTAssertEqual(result.x[0], 2, accuracy: 1e-8)
        XCTAssertEqual(result.x[1], -2, accuracy: 1e-4)
        XCTAssertEqual(result.value, 1, accuracy: 1e-6)
    }

    /// Rosenbrock's valley, minimum 0 at (1, 1): the same run twice gives the same digits.
    func testDeterministicAndBudgeted() throws {
        func rosenbrock(_ x: [Double]) -> Double { 100 * pow(x[1] - x[0] * x[0], 2) + pow(1 - x[0], 2) }
        let problem = OptimizationProblem(start: [-1.2, 1], lower: [-3, -3], upper: [3, 3], maxEvaluations: 40)
        var seen: [[Double]] = []
        let a = try Optimizer.minimize(problem, objective: { seen.append($0); return rosenbrock($0) })
        let b = try Optimizer.minimize(problem, objective: rosenbrock)
        XCTAssertEqual(a.x, b.x)
        XCTAssertEqual(a.value, b.value)
        XCTAssertEqual(a.status, b.status)
        XCTAssertEqual(a.evaluations, b.evaluations)
        XCTAssertEqual(a.status, .maxEvaluationsReached)
        XCTAssertEqual(a.evaluations, 40)
        XCTAssertEqual(seen.count, 40)
        XCTAssertEqual(a.value, seen.map(rosenbrock).min()!)
    }

    func testObjectiveErrorStopsAndIsRethrown() {
        struct Boom: Error {}
        var calls = 0
        let problem = OptimizationProblem(start: [0, 0], lower: [-1, -1], upper: [1, 1])
        XCTAssertThrowsError(try Optimizer.minimize(problem, objective: { _ in
            calls += 1
            if calls == 3 { throw Boom() }
            return 1
        })) { XCTAssertTrue($0 is Boom) }
        XCTAssertEqual(calls, 3)
    }

    func testRejectsStartOutsideBounds() {
        let problem = OptimizationProblem(start: [2], lower: [0], upper: [1])
        XCTAssertThrowsError(try Optimizer.minimize(problem, objective: { $0[0] })) { error in
            XCTAssertEqual(error as? OptimizationError, .invalidBounds(index: 0, "start 2.0 is outside [0.0, 1.0]"))
        }
    }
}
