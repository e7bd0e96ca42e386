import Foundation
import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftScenario
import RouteShiftScenarioFixtures
@testable import RouteShiftSimulation
import XCTest
@testable import RouteShiftCalibration

/// The pooled evaluation (`FixedSetObjective`: distinct sets' logits once, demand resolved to
/// terms) against the straightforward one, `FixedSetLogit.crossings` on each period's own sets:
/// the same figures to the last digit, on the Balkan fixture and on a bundled month.
final class FixedSetObjectiveTests: XCTestCase {
    /// Period by period, every route's crossings and the assigned, stranded and suppressed
    /// flow of `objective` are exactly `FixedSetLogit.crossings`'s.
    func assertSameAsCrossings(_ objective: FixedSetObjective, _ p: CostModel.Parameters, theta: Double,
                               file: StaticString = #filePath, line: UInt = #line) {
        let fits = objective.fits(p, theta: theta)
        for (i, period) in objective.periods.enumerated() {
            // Part by part, each its share of the demand on its state's sets, added in order.
            var r = (counts: [Double](repeating: 0, count: objective.routes.count), assigned: 0.0, stranded: 0.0, suppressed: 0.0)
            for (k, part) in objective.parts[i].enumerated() {
                let demand = part.share == 1 ? period.demand : period.demand.map {
                    Demand(origin: $0.origin, destination: $0.destination, flow: $0.flow * part.share, userClass: $0.userClass)
                }
                let q = FixedSetLogit.crossings(of: demand, sets: objective.pool.members[part.state]!,
                                                parameters: p, theta: theta,
                                                outsideOption: p.outsideOption.map(OutsideOption.init(margin:)),
                                                counters: objective.routes.count)
                if k == 0 { r = (q.counts, q.assigned, q.stranded, q.suppressed); continue }
                for c in r.counts.indices { r.counts[c] += q.counts[c] }
                r.assigned += q.assigned; r.stranded += q.stranded; r.suppressed += q.suppressed
            }
            XCTAssertEqual(fits[i].routes.map(\.modelled), r.counts, period.period, file: file, line: line)
            XCTAssertEqual(fits[i].assigned, r.assigned, period.period, file: file, line: line)
            XCTAssertEqual(fits[i].stranded, r.stranded, period.period, file: file, line: line)
            XCTAssertEqual(fits[i].suppressed, r.suppressed, period.period, file: file, line: line)
            XCTAssertEqual(fits[i].demand, period.demand.reduce(0) { $0 + $1.flow }, file: file, line: line)
        }
    }

    /// Three classes of travellers per pair (none barred from anything, so their sets are
    /// the same), two network states (open, and Hungary–Serbia closed, with the sets that do not
    /// reach it taken over), an unknown pair (stranded), with and without the outside option,
    /// on one thread and on three.
    func testPooledFiguresAreTheStraightforwardOnesOnTheFixture() throws {
        let network = ScenarioFixtures.network
        var p = CostModel.Parameters()
        p.outsideOption = 900
        let costed = try CostModel.apply(p, to: network)
        var closed = CostOverlay(graph: costed.graph)
        for row in 0..<network.edgeCount where network.edgeString(NetworkSchema.segment, row: row)?.hasPrefix("HU-RS") ?? false {
            try closed.close(edge: costed.graph.edgeId(ofRow: Int32(row)))
        }
        let ods: [(Int64, Int64)] = [(1, 9), (1, 7), (1, 3), (3, 9), (8, 9), (1, 11)]
        let classes: [String?] = [nil, "A", "B"]
        let pairs = ods.flatMap { o, d in classes.map { ODPair(origin: o, destination: d, userClass: $0) } }
        let counter = CalibrationTests.counter(network)
        let rule = ChoiceSetSettings().rule(size: 4)
        let open = try FixedChoiceSets.build(costed: costed, pairs: pairs, rule: rule, counter: counter, workers: 1)
        let shut = try FixedChoiceSets.build(costed: costed, pairs: pairs, rule: rule, overlay: closed, counter: counter,
                                             workers: 1, reusing: open)
        XCTAssertGreaterThan(shut.reusedSets, 0)
        func demand(_ scale: Double) -> [Demand] {
            pairs.enumerated().map { i, pair in
                Demand(origin: pair.origin, destination: pair.destination, flow: scale * Double(37 * i + 11) / 3,
                       userClass: pair.userClass)
            } + [Demand(origin: 9, destination: 1, flow: 5)]  // no set: stranded
        }
        let periods = (0..<4).map { i in
            CalibrationPeriod(period: "2015-0\(i + 1)", set: .train, demand: demand(1 + 0.7 * Double(i)),
                              observed: ["sea": 100, "land": 50, "HR": 10])
        }
        for workers in [1, 3] {
            let objective = FixedSetObjective(periods: periods, stateOfPeriod: [0, 1, 0, 1], sets: [open, shut],
                                              routes: ["sea", "land", "HR"], workers: workers)
            // Months cut at a closure inside them: 14 days open and 16 closed, or 10, 5 and 16.
            let split = FixedSetObjective(periods: periods, parts: [
                [.init(state: 0, share: 14.0 / 30), .init(state: 1, share: 16.0 / 30)], [.init(state: 1, share: 1)],
                [.init(state: 0, share: 10.0 / 31), .init(state: 1, share: 5.0 / 31), .init(state: 0, share: 16.0 / 31)],
                [.init(state: 0, share: 1)],
            ], sets: [open, shut], routes: ["sea", "land", "HR"], workers: workers)
            assertSameAsCrossings(split, p, theta: 0.003)
            XCTAssertEqual(split.fits(p, theta: 0.003)[1], objective.fits(p, theta: 0.003)[1], "a period of one part")
            // The classes of a pair share one distinct set in each state.
            for (m, sets) in [open, shut].enumerated() {
                for (o, d) in ods {
                    let ids = classes.map { sets.index[ODPair(origin: o, destination: d, userClass: $0)]! }
                    XCTAssertEqual(Set(ids.map { objective.pool.distinct[m][$0] }).count, 1, "\(o)→\(d)")
                }
            }
            XCTAssertLessThanOrEqual(objective.pool.distinctSets, 2 * ods.count)
            var q = p
            q.seaCrossingPrice *= 1.7
            q.detectionProbability[.high] = 0.3
            var without = p
            without.outsideOption = nil
            for (params, theta) in [(p, 0.003), (q, 0.002), (without, 0.004)] {
                assertSameAsCrossings(objective, params, theta: theta)
            }
            XCTAssertGreaterThan(objective.fits(p, theta: 0.003)[0].stranded, 0)
        }
    }

    /// One bundled month (August 2015, observed demand with its classes of travellers) on the
    /// networks of August and of October 2015 (Croatia's corridor): the 25 largest OD pairs by flow
    /// with every class they have, at the bundled parameters and at moved ones.
    func testPooledFiguresAreTheStraightforwardOnesOnABundledMonth() throws {
        let files = try BundledCalibration.load()
        let (network, parameters, data) = (files.network, files.parameters, files.data)
        var config = files.config
        config.train = MonthRange("2015-08:2015-08")!
        config.validate = nil
        let problem = try RecordedData.problem(config, network: network, data: data, base: parameters)
        let month = problem.periods[0]
        let largest = Set(month.demand.sorted { $0.flow != $1.flow ? $0.flow > $1.flow : ODPair($0) < ODPair($1) }.prefix(25)
            .map { [$0.origin, $0.destination] })
        var period = month
        period.demand = month.demand.filter { largest.contains([$0.origin, $0.destination]) }
        XCTAssertGreaterThan(Set(period.demand.compactMap(\.userClass)).count, 1, "the month has several classes")
        let pairs = period.demand.map(ODPair.init)
        var sets: [FixedChoiceSets] = []
        for day in ["2015-08-01", "2015-10-01"] {
            let costed = try CostModel.apply(parameters, to: network, asOf: day)
            sets.append(try FixedChoiceSets.build(costed: costed, pairs: pairs, rule: problem.choiceSet, counter: problem.counter,
                                                  reusing: sets.last))
        }
        let objective = FixedSetObjective(periods: [period, period], stateOfPeriod: [0, 1], sets: sets, routes: problem.routes)
        XCTAssertLessThan(objective.pool.distinctSets, 2 * pairs.count)
        let theta = parameters.theta ?? problem.theta
        var moved = parameters
        moved.borderCrossingPrice *= 2
        moved.outsideOption = (parameters.outsideOption ?? 1000) / 2
        for (p, t) in [(parameters, theta), (moved, theta * 1.5)] { assertSameAsCrossings(objective, p, theta: t) }
    }
    /// Failed attempts: with the redetection counters, a route's modelled detections are its
    /// crossings plus share × Σ_level p/(1 − p) × its crossings of checked land borders at that
    /// level, the latter counted here with a counter of their own (rows by level from the costed
    /// attributes); linear in the share, the crossings themselves at share 0.
    func testFailedAttemptsAtCheckedLandBordersCountByTheirOdds() throws {
        let network = ScenarioFixtures.network
        var p = CostModel.Parameters()
        p.outsideOption = 900
        p.detectionProbability = [.low: 0.1, .medium: 0.4, .high: 0.8]
        let costed = try CostModel.apply(p, to: network)
        let counter = CalibrationTests.counter(network)
        let routes = ["sea", "land", "HR"]
        let pairs = [(1, 9), (1, 7), (1, 3), (3, 9), (8, 9)].map { ODPair(origin: Int64($0.0), destination: Int64($0.1), userClass: nil) }
        let rule = ChoiceSetSettings().rule(size: 4)
        let extended = FixedSetObjective.redetectionCounters(costed, routes: routes.count, counter: counter)
        let sets = try FixedChoiceSets.build(costed: costed, pairs: pairs, rule: rule, counter: extended, workers: 1)
        let demand = pairs.enumerated().map { i, pair in Demand(origin: pair.origin, destination: pair.destination, flow: Double(10 + 7 * i)) }
        let period = CalibrationPeriod(period: "2015-01", set: .train, demand: demand, observed: ["sea": 100, "land": 50, "HR": 10])
        let objective = FixedSetObjective(periods: [period], stateOfPeriod: [0], sets: [sets], routes: routes, workers: 1,
                                          redetections: true)
        var level: [Int: Int] = [:]
        for row in 0..<network.edgeCount {
            let a = costed.attributes[row]
            if a.kind == .border, a.checked, let s = a.surveillance, let l = Surveillance.levels.firstIndex(of: s) { level[row] = l }
        }
        let levels = level
        let byLevel: @Sendable (Int, Bool) -> [Int] = { row, forward in
            guard let l = levels[row] else { return [] }
            return counter(row, forward).map { $0 * 3 + l }
        }
        let own = try FixedChoiceSets.build(costed: costed, pairs: pairs, rule: rule, counter: byLevel, workers: 1)
        let attempts = FixedSetLogit.crossings(of: demand, sets: own, parameters: p, theta: 0.003,
                                               outsideOption: OutsideOption(margin: 900), counters: routes.count * 3).counts
        let once = try FixedChoiceSets.build(costed: costed, pairs: pairs, rule: rule, counter: counter, workers: 1)
        let plain = FixedSetLogit.crossings(of: demand, sets: once, parameters: p, theta: 0.003,
                                            outsideOption: OutsideOption(margin: 900), counters: routes.count).counts
        XCTAssertGreaterThan(attempts.reduce(0, +), 0, "the fixture's routes cross checked land borders")
        for share in [0.0, 0.5, 1.0] {
            let fit = objective.fits(p, theta: 0.003, redetectionShare: share)[0]
            for (j, r) in fit.routes.enumerated() {
                var expected = plain[j]
                for (l, s) in Surveillance.levels.enumerated() {
                    let q = p.detectionProbability[s]!
                    expected += share * q / (1 - q) * attempts[j * 3 + l]
                }
                XCTAssertEqual(r.modelled, expected, accuracy: 1e-9 * max(1, expected), "\(r.route) at share \(share)")
            }
        }
        XCTAssertGreaterThan(objective.fits(p, theta: 0.003, redetectionShare: 1)[0].routes.map(\.modelled).reduce(0, +),
                             plain.reduce(0, +))
    }
}
