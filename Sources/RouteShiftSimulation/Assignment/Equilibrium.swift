import RouteShiftGraph

enum Equilibrium {
    static func assign(_ problem: AssignmentProblem, maxIterations: Int, relativeGap: Double,
                       alpha: Double, beta: Double) throws -> AssignmentResult {
        throw AssignmentUnavailable.method("equilibrium")
    }
}
