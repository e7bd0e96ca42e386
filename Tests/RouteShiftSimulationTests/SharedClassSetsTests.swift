import XCTest
import Foundation
import RouteShiftTestSupport
import RouteShiftGraph
import RouteShiftNetwork
@testable import RouteShiftSimulation

/// `FixedChoiceSets.build` searches once for the classes of travellers barred from the same
/// edges: every pair's set, bit for bit (paths, features, path sizes, counted crossings,
/// searched rows), equals the set of a build of that class's pairs alone, on the bundled
/// network on a day when several classes share their barred edges and some do not, with
/// sets taken over from a build of an earlier day.
final class SharedClassSetsTests: XCTestCase {
    func testClassesBarredFromTheSameEdgesGetTheSetsOfTheirOwnBuilds() throws {
        let path = SourceTree.geodata + "/network.geojson"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no bundled network at \(path)") }
        let network = try NetworkSource.load(path)
        let classes = network.entryClasses.names
        let hubs = Assignment.hubs(in: network).sorted()
        let destinations = stride(from: 3, to: hubs.count, by: 60).map { hubs[$0] }
        let origins = try ["kabul", "istanbul"].map { try network.resolveNode($0) }
        let pairs = origins.flatMap { o in
            destinations.flatMap { d in [ODPair(origin: o, destination: d)] + classes.map { ODPair(origin: o, destination: d, userClass: $0) } }
        }
        // Crossings counted on border edges, so the counts say something.
        let counter: @Sendable (Int, Bool) -> [Int] = { row, forward in
            network.edgeString(NetworkSchema.border, row: row) == nil ? [] : [row % 7 + (forward ? 0 : 7)]
        }
        let rule = ChoiceSetSettings().rule(size: 6)
        // 2016: the sets to take over from; 2021: the shared sets against each class's own build.
        let before = try FixedChoiceSets.build(costed: CostModel.apply(CostModel.Parameters(), to: network, asOf: "2016-03-01"),
                                               pairs: pairs, rule: rule, counter: counter, workers: 2)
        let day = "2021-07-01"
        let costed = try CostModel.apply(CostModel.Parameters(), to: network, asOf: day)
        let barred = costed.barredRows
        let lists = classes.compactMap { barred[$0] }
        XCTAssertGreaterThan(lists.count, Set(lists).count, "\(day): some classes share their barred edges")
        XCTAssertGreaterThan(Set(lists).count, 1, "\(day): and some do not")
        let together = try FixedChoiceSets.build(costed: costed, pairs: pairs, rule: rule, counter: counter, workers: 2,
                                                 reusing: before)
        for c in [nil] + classes.map(Optional.some) {
            let own = pairs.filter { $0.userClass == c }
            let alone = try FixedChoiceSets.build(costed: costed, pairs: own, rule: rule, counter: counter, workers: 1,
                                                  reusing: before)
            for pair in own {
                let a = together.alternatives(of: pair)!, b = alone.alternatives(of: pair)!
                XCTAssertEqual(a, b, "\(pair)")
                XCTAssertEqual(a.map { $0.logPathSize.bitPattern }, b.map { $0.logPathSize.bitPattern }, "\(pair)")
                XCTAssertEqual(together.searchedRows[together.index[pair]!], alone.searchedRows[alone.index[pair]!], "\(pair)")
            }
        }
        XCTAssertGreaterThan(together.alternatives.map(\.count).reduce(0, +), 2 * pairs.count, "several routes per pair")
        XCTAssertGreaterThan(together.reusedSets, 0, "some sets taken over from 2016")
        XCTAssertLessThan(together.reusedSets, pairs.count, "and some searched again")
    }
}
