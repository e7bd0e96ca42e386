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
/// overlap bound or not at all) and on the bundled network.
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
            var rng = SplitMix64(seed: seed)
            var edges = EdgeTable()
            let nodes = (0..<40).map { Int64(100 + $0) }
            for e in 0..<130 {
                let a = nodes[rng.int(0..<nodes.count)]
                var b = nodes[rng.int(0..<nodes.count)]
                if b == a { b = nodes[(nodes.firstIndex(of: a)! + 1) % nodes.count] }
                // Whole costs make ties, where the order of the search decides.
                let cost = Double(1 + rng.int(0..<9))
                let kind = rng.int(0..<4)
                edges.append(id: 7000 + Int64(e), source: a, target: b, cost: kind == 2 ? -1 : cost,
                             reverseCost: kind == 0 ? -1 : cost + Double(kind))
            }
            let graph = try RoutingGraph(edges: edges)
            let groupCount = 30
            let groupOfEdge = (0..<graph.edgeCount).map { _ in Int32(rng.int(0..<groupCount)) }
            let eliminable = (0..<groupCount).map { $0 % 5 != 0 }
            let lengths = (0..<graph.edgeCount).map { _ in Double(rng.int(0..<4)) }
            let groups = try LinkGroups(graph: graph, groupOfEdge: groupOfEdge, eliminable: eliminable, lengths: lengths)
            var overlay = CostOverlay(graph: graph)
            try overlay.close(edge: graph.edgeIds[rng.int(0..<graph.edgeCount)])
            try overlay.multiplyCost(ofEdge: graph.edgeIds[rng.int(0..<graph.edgeCount)], by: 0.5)
            let query = ShortestPathQuery(graph: graph)
            let present = nodes.filter { graph.index(of: $0) != nil }
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
