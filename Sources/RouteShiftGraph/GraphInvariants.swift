/// The structural promise of a `RoutingGraph` that a check found broken.
enum GraphInvariant: String, Sendable {
    /// `firstArc` has `nodeCount + 1` entries, starts at 0, ends at `arcCount`, never decreases.
    case offsets
    /// The arc columns (`arcEdge`, costs, direction bits) have one entry per arc.
    case arcColumns
    /// Every arc head is a node index.
    case arcHead
    /// Every arc names an edge-table row.
    case arcEdge
    /// Every arc cost is finite and not negative.
    case arcCost
    /// No direction bit is set past the last arc.
    case directionBits
    /// Each node's arcs are ordered by (head, edge id, forward before backward), no two alike.
    case arcOrder
    /// The edge → arc maps and the arcs are one-to-one, and a row's two arcs are twins.
    case edgeArcs
    /// `isSymmetric` holds: every row gives both arcs at the same cost, or neither.
    case symmetry
    /// Node ids and the id lookup agree, index for index.
    case nodeIds
    /// Edge ids and the row lookup agree, row for row.
    case edgeIds
    /// Coordinates, when present, are one finite pair per node.
    case coordinates
    /// The reverse offsets have `nodeCount + 1` entries, start at 0, end at `arcCount`, never decrease.
    case reverseOffsets
    /// The reverse adjacency lists each forward arc once, under its head, with its tail and cost.
    case reverseArcs
}

/// A broken invariant and where it broke.
struct GraphInvariantViolation: Error, Equatable, CustomStringConvertible {
    var invariant: GraphInvariant
    var detail: String

    var description: String { "graph invariant '\(invariant.rawValue)' broken: \(detail)" }
}

// Internal consistency checks, as swift-collections' `_checkInvariants()`: built with
// ROUTESHIFT_INTERNAL_CHECKS (debug builds), every graph is checked once it is laid out
// and each derived array once it is built; otherwise the calls compile to nothing.
extension RoutingGraph {
#if ROUTESHIFT_INTERNAL_CHECKS
    /// Traps when the graph breaks one of its structural invariants.
    /// - Complexity: O(n + m log n).
    @inline(never)
    func _checkInvariants() {
        do { try _validateInvariants() } catch { preconditionFailure("\(error)") }
    }

    /// Traps when `reverse` is not the reverse adjacency of this graph.
    @inline(never)
    func _checkReverseAdjacency(_ reverse: ReverseAdjacency) {
        do { try _validateReverseAdjacency(reverse) } catch { preconditionFailure("\(error)") }
    }

    /// Traps when `forward`/`backward` are not this graph's edge → arc maps.
    @inline(never)
    func _checkEdgeArcs(forward: [Int32], backward: [Int32]) {
        do { try _validateEdgeArcs(forward: forward, backward: backward) } catch { preconditionFailure("\(error)") }
    }
#else
    @inline(__always) func _checkInvariants() {}
    @inline(__always) func _checkReverseAdjacency(_ reverse: ReverseAdjacency) {}
    @inline(__always) func _checkEdgeArcs(forward: [Int32], backward: [Int32]) {}
#endif

    /// The first broken invariant of the forward adjacency, the id columns, the
    /// coordinates and whichever derived arrays are already built (none is built here).
    ///
    /// - Complexity: O(n + m log n) time (a row's twin arcs are matched through
    ///   `tail(ofArc:)`), O(rows) memory.
    func _validateInvariants() throws(GraphInvariantViolation) {
        let n = nodeCount, m = arcCount, rows = edgeCount
        func broken(_ invariant: GraphInvariant, _ detail: String) -> GraphInvariantViolation {
            GraphInvariantViolation(invariant: invariant, detail: detail)
        }
        try Self.validateOffsets(firstArc, nodes: n, arcs: m, as: .offsets, name: "firstArc")
        for (name, count) in [("arcEdge", arcEdge.count), ("arc costs", arcCosts.count)] where count != m {
            throw broken(.arcColumns, "\(name) has \(count) entries for \(m) arcs")
        }
        guard arcBackwardBits.count == (m + 63) / 64 else {
            throw broken(.arcColumns, "\(arcBackwardBits.count) direction words for \(m) arcs")
        }
        if m % 64 != 0, arcBackwardBits[m / 64] >> UInt64(m % 64) != 0 {
            throw broken(.directionBits, "bits set past arc \(m - 1)")
        }
        for a in 0..<m {
            let head = arcHead[a], row = arcEdge[a], cost = arcCosts[a]
            if head < 0 || Int(head) >= n { throw broken(.arcHead, "arc \(a) has head \(head) of \(n) nodes") }
            if row < 0 || Int(row) >= rows { throw broken(.arcEdge, "arc \(a) has row \(row) of \(rows) rows") }
            if !cost.isFinite || cost < 0 { throw broken(.arcCost, "arc \(a) costs \(cost)") }
        }

        // Edge → arc maps, built here from the arcs: a second arc of the same row and direction breaks them.
        var forward = [Int32](repeating: -1, count: rows), backward = [Int32](repeating: -1, count: rows)
        for a in 0..<Int32(m) {
            let row = Int(arcEdge[Int(a)])
            let previous = isBackward(arc: a) ? backward[row] : forward[row]
            if previous >= 0 {
                throw broken(.edgeArcs, "arcs \(previous) and \(a) both run \(isBackward(arc: a) ? "backward" : "forward") on row \(row)")
            }
            if isBackward(arc: a) { backward[row] = a } else { forward[row] = a }
        }
        try _validateEdgeArcs(forward: forward, backward: backward)

        for u in 0..<n {
            let start = Int(firstArc[u]), end = Int(firstArc[u + 1])
            guard end - start > 1 else { continue }
            for a in (start + 1)..<end {
                let before = (arcHead[a - 1], edgeRows.id(ofRow: arcEdge[a - 1]), isBackward(arc: Int32(a - 1)) ? 1 : 0)
                let here = (arcHead[a], edgeRows.id(ofRow: arcEdge[a]), isBackward(arc: Int32(a)) ? 1 : 0)
                if !(before < here) {
                    throw broken(.arcOrder, "node \(u): arc \(a - 1) \(before) is not before arc \(a) \(here)")
                }
            }
        }

        if isSymmetric {
            for row in 0..<rows where (forward[row] < 0) != (backward[row] < 0)
                || (forward[row] >= 0 && cost(ofArc: forward[row]).bitPattern != cost(ofArc: backward[row]).bitPattern) {
                throw broken(.symmetry, "row \(row) has arcs \(forward[row]) and \(backward[row]) of different costs or only one")
            }
        }

        for i in 0..<Int32(n) {
            let id = externalId(of: i)
            if index(of: id) != i { throw broken(.nodeIds, "node \(i) has id \(id), which the lookup maps to \(String(describing: index(of: id)))") }
        }
        for row in 0..<Int32(rows) {
            let id = edgeRows.id(ofRow: row)
            if edgeRows.row(of: id) != row { throw broken(.edgeIds, "row \(row) has id \(id), which the lookup maps to \(String(describing: edgeRows.row(of: id)))") }
        }
        switch (longitudes, latitudes) {
        case (nil, nil): break
        case let (lon?, lat?):
            guard lon.count == n, lat.count == n else {
                throw broken(.coordinates, "\(lon.count) longitudes and \(lat.count) latitudes for \(n) nodes")
            }
            for i in 0..<n where !lon[i].isFinite || !lat[i].isFinite {
                throw broken(.coordinates, "node \(i) at (\(lon[i]), \(lat[i]))")
            }
        default: throw broken(.coordinates, "longitudes without latitudes or the other way round")
        }

        let cached = derived.built()
        if let reverse = cached.reverse { try _validateReverseAdjacency(reverse) }
        if let arcs = cached.edgeArcs {
            guard arcs.forward == forward, arcs.backward == backward else {
                throw broken(.edgeArcs, "the stored edge → arc maps differ from the arcs")
            }
        }
    }

    /// Checks that `forward[row]`/`backward[row]` name the arc of `row` in that
    /// direction (or -1), that every arc is named exactly once, and that a row's
    /// two arcs are twins (the backward one runs from the forward one's head to its tail).
    /// - Complexity: O(m + rows log n); needs valid offsets.
    func _validateEdgeArcs(forward: [Int32], backward: [Int32]) throws(GraphInvariantViolation) {
        let m = arcCount, rows = edgeCount
        func broken(_ detail: String) -> GraphInvariantViolation { GraphInvariantViolation(invariant: .edgeArcs, detail: detail) }
        guard forward.count == rows, backward.count == rows else {
            throw broken("maps of \(forward.count) and \(backward.count) rows for \(rows) rows")
        }
        var named = 0
        for (map, isBackwardMap) in [(forward, false), (backward, true)] {
            for row in 0..<rows where map[row] != -1 {
                let a = map[row]
                guard a >= 0, Int(a) < m, Int(arcEdge[Int(a)]) == row, isBackward(arc: a) == isBackwardMap else {
                    throw broken("row \(row) maps \(isBackwardMap ? "backward" : "forward") to arc \(a), which is not its arc")
                }
                named += 1
            }
        }
        // Each named arc is distinct (an arc has one row and one direction), so the count settles it.
        guard named == m else { throw broken("the maps name \(named) arcs of \(m)") }
        for row in 0..<rows where forward[row] >= 0 && backward[row] >= 0 {
            let f = forward[row], b = backward[row]
            guard arcHead[Int(f)] == tail(ofArc: b), arcHead[Int(b)] == tail(ofArc: f) else {
                throw broken("row \(row): arcs \(f) and \(b) are not twins")
            }
        }
    }

    /// Checks `reverse` against the forward adjacency: offsets as for `firstArc`,
    /// each forward arc listed once under its head with its tail and cost, in
    /// forward-arc order within each node (so by tail, then edge id).
    /// - Complexity: O(n + m log n); needs a valid forward adjacency.
    func _validateReverseAdjacency(_ reverse: ReverseAdjacency) throws(GraphInvariantViolation) {
        let n = nodeCount, m = arcCount
        func broken(_ detail: String) -> GraphInvariantViolation { GraphInvariantViolation(invariant: .reverseArcs, detail: detail) }
        try Self.validateOffsets(reverse.first, nodes: n, arcs: m, as: .reverseOffsets, name: "reverseFirstArc")
        guard reverse.tail.count == m, reverse.cost.count == m, reverse.forward.count == m else {
            throw broken("columns of \(reverse.tail.count), \(reverse.cost.count) and \(reverse.forward.count) entries for \(m) arcs")
        }
        var listed = [Bool](repeating: false, count: m)
        for v in 0..<n {
            for p in Int(reverse.first[v])..<Int(reverse.first[v + 1]) {
                let a = reverse.forward[p]
                guard a >= 0, Int(a) < m, !listed[Int(a)] else { throw broken("entry \(p) names arc \(a) again or out of range") }
                listed[Int(a)] = true
                guard Int(arcHead[Int(a)]) == v else { throw broken("arc \(a) is listed under node \(v) but enters \(arcHead[Int(a)])") }
                guard reverse.tail[p] == tail(ofArc: a) else { throw broken("entry \(p) gives tail \(reverse.tail[p]) for arc \(a)") }
                guard reverse.cost[p].bitPattern == cost(ofArc: a).bitPattern else {
                    throw broken("entry \(p) gives cost \(reverse.cost[p]) for arc \(a) of cost \(cost(ofArc: a))")
                }
                if p > Int(reverse.first[v]), reverse.forward[p - 1] >= a {
                    throw broken("node \(v): entries \(p - 1) and \(p) out of order")
                }
            }
        }
    }

    /// CSR offsets: `nodes + 1` entries from 0 to `arcs`, never decreasing.
    private static func validateOffsets(_ offsets: [Int32], nodes n: Int, arcs m: Int, as invariant: GraphInvariant,
                                        name: String) throws(GraphInvariantViolation) {
        func broken(_ detail: String) -> GraphInvariantViolation { GraphInvariantViolation(invariant: invariant, detail: detail) }
        guard offsets.count == n + 1 else { throw broken("\(name) has \(offsets.count) entries for \(n) nodes") }
        guard offsets[0] == 0, Int(offsets[n]) == m else {
            throw broken("\(name) runs from \(offsets[0]) to \(offsets[n]), not from 0 to \(m)")
        }
        for u in 0..<n where offsets[u] > offsets[u + 1] {
            throw broken("\(name)[\(u)] = \(offsets[u]) > \(name)[\(u + 1)] = \(offsets[u + 1])")
        }
    }
}
