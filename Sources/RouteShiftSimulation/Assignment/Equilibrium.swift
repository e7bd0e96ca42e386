import Foundation
import RouteShiftGraph

/// Capacity-constrained user equilibrium by the Frank–Wolfe algorithm, with
/// conjugate directions (Mitradjieva & Lindberg 2013) unless
/// `AssignmentOptions.conjugateDirections` is off.
///
/// M. Frank & P. Wolfe, "An algorithm for quadratic programming", Naval
/// Research Logistics Quarterly 3 (1956) 95–110; applied to traffic
/// assignment by L. J. LeBlanc, E. K. Morlok & W. P. Pierskalla, "An efficient
/// approach to solving the road network equilibrium traffic assignment
/// problem", Transportation Research 9 (1975) 309–318. Link costs are the
/// Bureau of Public Roads function t_a(v) = t0_a (1 + α (v / c_a)^β) on
/// capacitated arcs (t0_a their cost under the scenario overlay); other arcs
/// keep a constant cost.
///
/// Each iteration sets the congested costs on a copy of the scenario overlay
/// (`CostOverlay.setCost`, capacitated arcs only), finds the all-or-nothing
/// direction with one tree per origin, and steps by an exact line search:
/// bisection on the derivative of the Beckmann objective along the direction.
/// Path flows are kept per demand (each all-or-nothing path with its
/// convex-combination weight), so the routes of every demand can be reported.
/// Stops at the requested gap, after `maxIterations` steps, or when the line
/// search finds no descent (the flows are then an equilibrium to rounding);
/// the gap of the returned flows is always reported.
///
/// - Complexity: per iteration one tree per distinct origin, O(o (n + m) log n),
///   plus O(m) for gap and flows and O(c · 40) for the bisection (c capacitated arcs).
enum Equilibrium {
    /// A capacitated arc and its BPR parameters.
    struct Link {
        let arc: Int32
        let edgeId: Int64
        let direction: TravelDirection
        let freeCost: Double
        let capacity: Double
    }

    static func assign(_ problem: AssignmentProblem, maxIterations: Int, relativeGap: Double,
                       alpha: Double, beta: Double) throws -> AssignmentResult {
        let graph = problem.graph, demand = problem.demand, options = problem.options
        let base = problem.overlay ?? CostOverlay(graph: graph)
        var links: [Link] = []
        for (row, capacity) in problem.capacities.sorted(by: { $0.key < $1.key }) {
            for (arc, direction) in [(graph.edgeForwardArc[row], TravelDirection.forward),
                                     (graph.edgeBackwardArc[row], .backward)]
            where arc >= 0 && base.cost(ofArc: arc) < .infinity {
                links.append(Link(arc: arc, edgeId: graph.edgeIds[row], direction: direction,
                                  freeCost: base.cost(ofArc: arc), capacity: capacity))
            }
        }
        let capacitated = Set(links.map(\.arc))
        func bpr(_ link: Link, _ v: Double) -> Double {
            link.freeCost * (1 + alpha * pow(max(v, 0) / link.capacity, beta))
        }

        // Free-flow all-or-nothing: also settles which demand is stranded.
        var choices = try AllOrNothing.cheapestRoutesByClass(problem, overlay: base)
        var strandedAt: [Int: Int64?] = [:]
        var routable: [Int] = []
        for i in demand.indices {
            if case let .unreachable(hub)? = choices[i] { strandedAt[i] = hub } else { routable.append(i) }
        }
        var bookkeeping = [PathWeights](repeating: PathWeights(), count: demand.count)
        var flows = [Double](repeating: 0, count: graph.arcCount)
        for i in routable {
            guard case let .route(arcs, _)? = choices[i] else { continue }
            bookkeeping[i].add(arcs, weight: 1)
            for arc in arcs { flows[Int(arc)] += demand[i].flow }
        }

        var iterations = 0
        var gap = 0.0
        var overlay = base
        var previousTarget: (flows: [Double], paths: [PathWeights])? = nil
        while true {
            overlay = base
            for link in links {
                try overlay.setCost(ofEdge: link.edgeId, to: bpr(link, flows[Int(link.arc)]), direction: link.direction)
            }
            choices = try AllOrNothing.cheapestRoutesByClass(problem, overlay: overlay, subset: routable)
            var target = [Double](repeating: 0, count: graph.arcCount)
            var shortest = 0.0
            for i in routable {
                guard case let .route(arcs, cost)? = choices[i] else { continue }
                shortest += demand[i].flow * cost
                for arc in arcs { target[Int(arc)] += demand[i].flow }
            }
            var total = 0.0
            for a in 0..<graph.arcCount where flows[a] != 0 { total += flows[a] * overlay.cost(ofArc: Int32(a)) }
            gap = total > 0 ? max(0, (total - shortest) / total) : 0
            if gap <= relativeGap || iterations >= maxIterations { break }

            // Frank–Wolfe target: the all-or-nothing flows; conjugate FW bends it toward the previous target.
            var aonPaths = [PathWeights](repeating: PathWeights(), count: demand.count)
            for i in routable {
                guard case let .route(arcs, _)? = choices[i] else { continue }
                aonPaths[i].add(arcs, weight: 1)
            }
            var direction = (flows: target, paths: aonPaths)
            var conjugated = false
            if options.conjugateDirections, let previous = previousTarget {
                let mix = conjugateWeight(flows: flows, previous: previous.flows, target: target, links: links,
                                          derivative: { link, v in bprDerivative(link, v, alpha, beta) })
                if mix > 0 {
                    conjugated = true
                    direction.flows = zip(previous.flows, target).map { mix * $0 + (1 - mix) * $1 }
                    for i in routable {
                        direction.paths[i] = previous.paths[i]
                        direction.paths[i].blend(keeping: mix, with: aonPaths[i], weight: 1 - mix)
                    }
                }
            }
            var step = lineSearch(flows: flows, target: direction.flows, links: links, capacitated: capacitated,
                                  overlay: overlay, bpr: bpr)
            if step <= 0 && conjugated {
                direction = (target, aonPaths)
                step = lineSearch(flows: flows, target: target, links: links, capacitated: capacitated,
                                  overlay: overlay, bpr: bpr)
            }
            if step <= 0 { break }
            for a in 0..<graph.arcCount { flows[a] += step * (direction.flows[a] - flows[a]) }
            for i in routable { bookkeeping[i].blend(keeping: 1 - step, with: direction.paths[i], weight: step) }
            previousTarget = direction
            iterations += 1
        }

        var outcomes: [DemandOutcome] = []
        outcomes.reserveCapacity(demand.count)
        for (i, d) in demand.enumerated() {
            if let hub = strandedAt[i] {
                outcomes.append(DemandOutcome(demand: d, assigned: 0, stranded: d.flow, paths: [], strandedAt: hub))
                continue
            }
            let origin = graph.index(of: d.origin)!
            var paths: [PathFlow] = []
            for (arcs, weight) in zip(bookkeeping[i].paths, bookkeeping[i].weights) where d.flow * weight > 0 {
                paths.append(PathFlow(path: graph.path(start: origin, arcs: arcs, overlay: overlay), flow: d.flow * weight))
            }
            paths.sortByUse()
            outcomes.append(DemandOutcome(demand: d, assigned: d.flow, stranded: 0, paths: paths))
        }
        return AssignmentResult(graph: graph, outcomes: outcomes, relativeGap: gap, iterations: iterations)
    }

    /// dt/dv of the BPR function.
    static func bprDerivative(_ link: Link, _ v: Double, _ alpha: Double, _ beta: Double) -> Double {
        guard beta != 0 else { return 0 }
        return link.freeCost * alpha * beta * pow(max(v, 0) / link.capacity, beta - 1) / link.capacity
    }

    /// The conjugate weight ᾱ of Mitradjieva & Lindberg (2013): the new target is
    /// ᾱ s̄_{k−1} + (1 − ᾱ) y_k, made conjugate to the previous direction with
    /// respect to the Hessian of the Beckmann objective (diagonal: t'_a(x_a)).
    /// ᾱ = N / D with N = (s̄ − x)ᵀ H (y − x), D = (s̄ − x)ᵀ H (y − s̄), kept in
    /// [0, 0.99]; 0 (a plain Frank–Wolfe step) when D = 0 or N / D < 0.
    ///
    /// M. Mitradjieva & P. O. Lindberg, "The stiff is moving — conjugate
    /// direction Frank–Wolfe methods with applications to traffic assignment",
    /// Transportation Science 47(2) (2013) 280–293.
    /// - Complexity: O(capacitated arcs).
    static func conjugateWeight(flows: [Double], previous: [Double], target: [Double], links: [Link],
                                derivative: (Link, Double) -> Double) -> Double {
        var n = 0.0, d = 0.0
        for link in links {
            let a = Int(link.arc)
            let h = derivative(link, flows[a])
            let back = previous[a] - flows[a]
            n += back * h * (target[a] - flows[a])
            d += back * h * (target[a] - previous[a])
        }
        guard d != 0, n.isFinite, d.isFinite else { return 0 }
        let ratio = n / d
        return ratio > 0 ? min(ratio, 0.99) : 0
    }

    /// The step λ ∈ [0, 1] minimising the Beckmann objective along
    /// `target − flows`: the root of g(λ) = Σ_a d_a t_a(x_a + λ d_a), which is
    /// nondecreasing, by bisection (to 1e-12 in λ).
    /// - Complexity: O(m) once for the constant-cost arcs, then O(capacitated arcs) per bisection step.
    static func lineSearch(flows: [Double], target: [Double], links: [Link], capacitated: Set<Int32>,
                           overlay: CostOverlay, bpr: (Link, Double) -> Double) -> Double {
        var constant = 0.0
        for a in 0..<flows.count where target[a] != flows[a] && !capacitated.contains(Int32(a)) {
            constant += (target[a] - flows[a]) * overlay.cost(ofArc: Int32(a))
        }
        func slope(_ step: Double) -> Double {
            var g = constant
            for link in links {
                let x = flows[Int(link.arc)], d = target[Int(link.arc)] - x
                if d != 0 { g += d * bpr(link, x + step * d) }
            }
            return g
        }
        if slope(0) >= 0 { return 0 }
        if slope(1) <= 0 { return 1 }
        var low = 0.0, high = 1.0
        while high - low > 1e-12 {
            let mid = (low + high) / 2
            if slope(mid) < 0 { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }
}

/// The paths one demand has used, with their convex-combination weights.
/// Few paths per demand, so a linear search beats hashing arc arrays.
struct PathWeights {
    var paths: [[Int32]] = []
    var weights: [Double] = []

    mutating func add(_ arcs: [Int32], weight: Double) {
        if let i = paths.firstIndex(of: arcs) { weights[i] += weight; return }
        paths.append(arcs)
        weights.append(weight)
    }

    /// self · keeping + other · weight.
    mutating func blend(keeping: Double, with other: PathWeights, weight: Double) {
        for i in weights.indices { weights[i] *= keeping }
        for (arcs, w) in zip(other.paths, other.weights) { add(arcs, weight: w * weight) }
    }
}
