import RouteShiftGraph

enum PathSizeLogit {
    static func assign(_ problem: AssignmentProblem, k: Int, theta: Double) throws -> AssignmentResult {
        throw AssignmentUnavailable.method("path-size logit")
    }
}

enum AssignmentUnavailable: Error { case method(String) }
