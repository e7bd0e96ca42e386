import XCTest
import Foundation
import RouteShiftTestSupport
@testable import RouteShiftGraph
import RouteShiftNetwork
@testable import RouteShiftSimulation

/// The corridor choice sets as `ShortestPathQuery.distinctPaths` finds them equal those of the
/// straightforward form of the same search (`ReferenceCorridors`: each candidate path built as
/// arrays joined, its rows, groups and repeats kept in hash sets, the overlap of
/// `LinkGroups.overlap`), paths, costs and searched rows alike: on random graphs with groups of
/// several edges (with and without an overlay, for rules that keep repeats apart only by the
/// overlap bound or not at all) and on the bundled network; the crossings counted along a
/// path and the cheapest costs through given arcs against their plain forms.
final class CorridorReferenceTests: XCTestCase {
    private func assertSame(_ query: ShortestPathQuery, from origin: Int64, to targets: [CostsToTarget], rule: ChoiceSetRule,
                            groups: LinkGroups, overlay: CostOverlay?, _ label: String) throws -> (total: Int, largest: Int) {
        let found = try query.distinctPaths(from: origin, to: targets, rule: rule, groups: groups, overlay: overlay)
        let reference = try ReferenceCorridors.paths(query, from: origin, to: targets, rule: rule, groups: groups, overlay: overlay)
        XCTAssertEqual(found.count, reference.count)
        var alternatives = 0, largest = 0
        for (costs, (a, b)) in zip(targets, zip(found, reference)) {
            XCTAssertEqual(a.paths.map(\.edges), b.paths.map(\.edges), "\(origin) → \(costs.target) \(label)")
            XCTAssertEqual(a.paths.map(\.totalCost), b.paths.map(\.totalCost), "\(origin) → \(costs.target) \(label)")
            XCTAssertEqual(a.searchedRows, b.searchedRows, "\(origin) → \(costs.target) \(label)")
            alternatives += a.paths.count
            largest = max(largest, a.paths.count)
        }
        return (alternatives, largest)
    }

    func testCorridorSetsEqualTheReferenceOnRandomGraphs() throws {
        var largest = 0
        for seed: UInt64 in 1...4 {
            // Forward only, backward only, or both ways at a dearer cost back.
            let (graph, present, start) = try randomGraph(seed: seed) { rng in
                let cost = Double(1 + rng.int(0..<9)), kind = rng.int(0..<4)
                return (kind == 2 ? -1 : cost, kind == 0 ? -1 : cost + Double(kind))
            }
            var rng = start
            let groupCount = 30
            let groupOfEdge = (0..<graph.edgeCount).map { _ in Int32(rng.int(0..<groupCount)) }
            let eliminable = (0..<groupCount).map { $0 % 5 != 0 }
            let lengths = (0..<graph.edgeCount).map { _ in Double(rng.int(0..<4)) }
            let groups = try LinkGroups(graph: graph, groupOfEdge: groupOfEdge, eliminable: eliminable, lengths: lengths)
            var overlay = CostOverlay(graph: graph)
            try overlay.close(edge: graph.edgeIds[rng.int(0..<graph.edgeCount)])
            try overlay.multiplyCost(ofEdge: graph.edgeIds[rng.int(0..<graph.edgeCount)], by: 0.5)
            let query = ShortestPathQuery(graph: graph)
            // Every edge its own group: more kept paths than one 64-bit mask holds.
            let own = try LinkGroups.edges(of: graph, lengths: lengths)
            let targetsOwn = try present.prefix(12).map { try query.costsToTarget($0) }
            let many = ChoiceSetRule(size: 90, maxOverlap: 1, maxDetour: 4, distinctCrossings: false, generation: .corridors)
            for s in present.prefix(seed == 1 ? 2 : 0) {
                largest = max(largest, try assertSame(query, from: s, to: targetsOwn, rule: many, groups: own, overlay: nil,
                                                      "seed \(seed), own groups").largest)
            }
            for o in [nil, overlay] as [CostOverlay?] {
                let targets = try present.map { try query.costsToTarget($0, overlay: o) }
                for (size, overlap, detour, distinct) in [(4, 0.8, 0.5, true), (8, 1.0, 2.0, false), (3, 0.5, 0.3, false),
                                                          (6, 0.9, 1.0, true)] {
                    let rule = ChoiceSetRule(size: size, maxOverlap: overlap, maxDetour: detour, distinctCrossings: distinct,
                                             generation: .corridors)
                    for s in present.prefix(8) {
                        _ = try assertSame(query, from: s, to: targets, rule: rule, groups: groups, overlay: o, "seed \(seed) \(rule)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(largest, 64, "some set keeps more paths than one mask word holds")
    }

    func testCorridorSetsEqualTheReferenceOnTheBundledNetwork() throws {
        let fixture = try BundledCorridorFixture(day: "2015-08-01", step: 25, origins: ["dakar", "kabul", "istanbul", "damascus"])
        let (groups, destinations, origins) = (fixture.groups, fixture.destinations, fixture.origins)
        let query = ShortestPathQuery(graph: fixture.graph)
        for overlay in [nil, fixture.closed] as [CostOverlay?] {
            let targets = try destinations.map { try query.costsToTarget($0, overlay: overlay) }
            for rule in [ChoiceSetSettings().rule(size: 8), ChoiceSetRule(size: 5, maxOverlap: 1, maxDetour: 0.6,
                                                                          distinctCrossings: false, generation: .corridors)] {
                for origin in origins {
                    let alternatives = try assertSame(query, from: origin, to: targets, rule: rule, groups: groups,
                                                      overlay: overlay, "\(rule)").total
                    XCTAssertGreaterThan(alternatives, 2 * destinations.count, "several routes per pair from \(origin)")
                }
            }
        }
    }

    /// A random graph of 130 edges on 40 nodes, each edge's costs drawn by `costs` (by default
    /// one-way or two-way, independently); whole costs make ties, where the order of the search
    /// decides. Returns the nodes that have edges and the generator as the draw left it.
    private func randomGraph(seed: UInt64, costs: (inout SplitMix64) -> (cost: Double, reverseCost: Double) = { rng in
        let kind = rng.int(0..<3)
        return (Double(1 + rng.int(0..<9)), kind == 0 ? -1 : Double(1 + rng.int(0..<9)))
    }) throws -> (RoutingGraph, [Int64], SplitMix64) {
        var rng = SplitMix64(seed: seed)
        var edges = EdgeTable()
        let nodes = (0..<40).map { Int64(100 + $0) }
        for e in 0..<130 {
            let a = nodes[rng.int(0..<nodes.count)]
            var b = nodes[rng.int(0..<nodes.count)]
            if b == a { b = nodes[(nodes.firstIndex(of: a)! + 1) % nodes.count] }
            let (cost, reverseCost) = costs(&rng)
            edges.append(id: 7000 + Int64(e), source: a, target: b, cost: cost, reverseCost: reverseCost)
        }
        let graph = try RoutingGraph(edges: edges)
        return (graph, nodes.filter { graph.index(of: $0) != nil }, rng)
    }

    /// `FixedChoiceSets.CountedCrossings` (the counter asked once per arc) against the counter asked
    /// arc by arc along the path, on random paths of random graphs with counters on some arcs
    /// (several on one arc, one counter on several arcs, by direction).
    func testCountedCrossingsEqualTheCounterAskedArcByArc() throws {
        for seed: UInt64 in 1...3 {
            let (graph, _, start) = try randomGraph(seed: seed)
            var rng = start
            let marks = (0..<graph.edgeCount).map { _ in rng.int(0..<6) }
            let counter: (Int, Bool) -> [Int] = { row, forward in
                switch marks[row] {
                case 0: return [row % 5]
                case 1: return forward ? [7, row % 3] : [8]
                case 2: return [4, 4]
                default: return []
                }
            }
            let table = FixedChoiceSets.CountedCrossings(graph: graph, counter: counter)
            var counted = 0
            for _ in 0..<200 {
                let arcs = (0..<rng.int(0..<30)).map { _ in Int32(rng.int(0..<graph.arcCount)) }
                var reference: [(counter: Int, times: Double)] = []
                for arc in arcs {
                    let row = Int(graph.arcEdge[Int(arc)])
                    for c in counter(row, graph.edgeForwardArc[row] == arc) {
                        if let i = reference.firstIndex(where: { $0.counter == c }) { reference[i].times += 1 } else {
                            reference.append((c, 1))
                        }
                    }
                }
                reference.sort { $0.counter < $1.counter }
                let found = table.counts(of: arcs)
                XCTAssertEqual(found.map(\.counter), reference.map(\.counter), "seed \(seed) \(arcs)")
                XCTAssertEqual(found.map(\.times), reference.map(\.times), "seed \(seed) \(arcs)")
                counted += found.count
            }
            XCTAssertGreaterThan(counted, 100, "seed \(seed): paths cross counters")
        }
    }

    /// `cheapestCosts(from:via:to:maxCost:overlay:)` against its formula summed the plain way
    /// (the forward tree's cost to the tail, the arc, the backward tree's cost from the head), with
    /// and without an overlay, on random graphs: equal to the last bit.
    func testCheapestCostsThroughArcsEqualTheFormula() throws {
        for seed: UInt64 in 1...3 {
            let (graph, nodes, start) = try randomGraph(seed: seed)
            var rng = start
            var overlay = CostOverlay(graph: graph)
            try overlay.close(edge: graph.edgeIds[rng.int(0..<graph.edgeCount)])
            try overlay.multiplyCost(ofEdge: graph.edgeIds[rng.int(0..<graph.edgeCount)], by: 0.5)
            let query = ShortestPathQuery(graph: graph)
            var finite = 0
            for o in [nil, overlay] as [CostOverlay?] {
                let targets = try nodes.map { try query.costsToTarget($0, overlay: o) }
                let backward = try nodes.map { try query.shortestPathTree(to: $0, overlay: o) }
                for source in nodes.prefix(10) {
                    let arcs = (0..<rng.int(1..<12)).map { _ in Int32(rng.int(0..<graph.arcCount)) }
                    let maxCost = Double(rng.int(5..<40))
                    let found = try query.cheapestCosts(from: source, via: arcs, to: targets, maxCost: maxCost, overlay: o)
                    let forward = try query.shortestPathTree(from: source, maxCost: maxCost, overlay: o).distances
                    for (k, tree) in backward.enumerated() {
                        var best = Double.infinity
                        for arc in arcs {
                            let u = graph.tail(ofArc: arc), v = graph.arcHead[Int(arc)]
                            let c = o?.cost(ofArc: arc) ?? graph.cost(ofArc: arc)
                            best = min(best, forward[Int(u)] + c + tree.distances[Int(v)])
                        }
                        let expected = best <= maxCost ? best : .infinity
                        XCTAssertEqual(found[k].bitPattern, expected.bitPattern, "seed \(seed) \(source) → \(nodes[k])")
                        if expected < .infinity { finite += 1 }
                    }
                }
            }
            XCTAssertGreaterThan(finite, 50, "seed \(seed): paths through the arcs within the bound")
        }
    }
}

/// The corridor rule of `ShortestPathQuery.distinctPaths` written the straightforward way (the
/// form the library had before its candidates were tested with reused marks): every candidate
/// path built as arrays joined, its rows and the paths and crossing sequences seen kept in hash
/// sets, overlaps by `LinkGroups.overlap` on the paths' group sets.
enum ReferenceCorridors {
    static func paths(_ query: ShortestPathQuery, from source: Int64, to targets: [CostsToTarget], rule: ChoiceSetRule,
                      groups: LinkGroups, overlay: CostOverlay?) throws -> [DistinctPaths] {
        let graph = query.graph
        let s = try query.nodeIndex(source)
        let active = overlay.flatMap { $0.isEmpty ? nil : $0 }
        let known = targets.map { costs -> DistinctPaths? in
            if s == costs.index { return DistinctPaths(paths: [graph.path(start: s, arcs: [], overlay: overlay)], searchedRows: [], searches: 0) }
            if !(costs.bound.remaining[Int(s)] < .infinity) { return DistinctPaths(paths: [], searchedRows: [], searches: 0) }
            return nil
        }
        let margins = zip(targets, known).map { costs, known -> Double in
            guard known == nil else { return -.infinity }
            let limit = (1 + rule.maxDetour) * costs.bound.remaining[Int(s)]
            return limit + 1e-9 * limit
        }
        let reach = margins.max() ?? -.infinity
        guard reach >= 0 else { return known.map { $0! } }
        let fromSource = query.tree(.forward, root: s, maxCost: reach, overlay: active)
        let d = fromSource.distances
        var viaGroup: [Int32] = [], viaFirst: [Int32] = [0], viaArc: [Int32] = [], viaHead: [Int32] = [], viaCost: [Double] = []
        for j in groups.crossingGroups.indices {
            for i in Int(groups.crossingFirst[j])..<Int(groups.crossingFirst[j + 1]) {
                let du = d[Int(groups.crossingTails[i])]
                guard du < .infinity else { continue }
                let arc = groups.crossingArcs[i]
                let c = active.map { $0.cost(ofArc: arc) } ?? graph.cost(ofArc: arc)
                let via = du + c
                guard via <= reach else { continue }
                viaArc.append(arc); viaHead.append(groups.crossingHeads[i]); viaCost.append(via)
            }
            if viaArc.count > Int(viaFirst.last!) { viaGroup.append(groups.crossingGroups[j]); viaFirst.append(Int32(viaArc.count)) }
        }
        return targets.indices.map { k in
            if let set = known[k] { return set }
            let costs = targets[k]
            let toTarget = costs.bound.remaining
            let margin = margins[k]
            var candidates: [(cost: Double, group: Int32, arc: Int32)] = []
            for j in viaGroup.indices {
                var bestCost = Double.infinity, bestArc: Int32 = -1
                for i in Int(viaFirst[j])..<Int(viaFirst[j + 1]) where viaCost[i] <= margin {
                    let total = viaCost[i] + toTarget[Int(viaHead[i])]
                    if total < bestCost { bestCost = total; bestArc = viaArc[i] }
                }
                if bestArc >= 0, bestCost <= margin { candidates.append((bestCost, viaGroup[j], bestArc)) }
            }
            candidates.sort { ($0.cost, $0.group) < ($1.cost, $1.group) }
            let firstArcs = costs.arcs(from: s, graph: graph)
            var kept: [[Int32]] = [firstArcs]
            var keptGroups: [Set<Int32>] = [groups.groups(of: firstArcs, graph: graph)]
            var found: Set<[Int32]> = [firstArcs]
            var sequences: Set<[Int32]> = rule.distinctCrossings ? [groups.crossings(firstArcs, graph: graph)] : []
            var searchedRows = Set(firstArcs.map { graph.arcEdge[Int($0)] })
            for candidate in candidates {
                guard kept.count < rule.size else { break }
                let u = graph.tail(ofArc: candidate.arc), v = graph.arcHead[Int(candidate.arc)]
                let arcs = fromSource.arcs(toIndex: u) + [candidate.arc] + costs.arcs(from: v, graph: graph)
                for a in arcs { searchedRows.insert(graph.arcEdge[Int(a)]) }
                guard found.insert(arcs).inserted else { continue }
                var nodes: Set<Int32> = [s]
                guard arcs.allSatisfy({ nodes.insert(graph.arcHead[Int($0)]).inserted }) else { continue }
                var crossed = Set<Int32>()
                guard arcs.allSatisfy({ arc in
                    let g = groups.groupOfEdge[Int(graph.arcEdge[Int(arc)])]
                    return !groups.eliminable[Int(g)] || crossed.insert(g).inserted
                }) else { continue }
                if rule.distinctCrossings, !sequences.insert(groups.crossings(arcs, graph: graph)).inserted { continue }
                let pathGroups = groups.groups(of: arcs, graph: graph)
                if kept.indices.allSatisfy({ groups.overlap(kept[$0], keptGroups[$0], arcs, pathGroups, graph: graph) <= rule.maxOverlap }) {
                    kept.append(arcs)
                    keptGroups.append(pathGroups)
                }
            }
            let paths = kept.map { graph.path(start: s, arcs: $0, overlay: active) }.sorted { a, b in
                a.totalCost != b.totalCost ? a.totalCost < b.totalCost : a.edges.lexicographicallyPrecedes(b.edges)
            }
            return DistinctPaths(paths: paths, searchedRows: searchedRows.sorted(), searches: 1)
        }
    }
}
