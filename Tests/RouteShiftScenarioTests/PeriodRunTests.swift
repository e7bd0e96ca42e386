import XCTest
import RouteShiftCore
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftReports
import RouteShiftScenario
import RouteShiftScenarioFixtures
@testable import RouteShiftSimulation

/// Month-by-month runs on the observation fixture (network + tables small enough to
/// work every figure out by hand; see `ObservationFixtures`).
final class PeriodRunTests: XCTestCase {
    func load() throws -> (RouteNetwork, ObservationData) { try ObservationFixtures.load() }

    func scenario(_ yaml: String) throws -> Scenario { try ObservationFixtures.scenario(yaml) }

    /// A fence from 16 September covers 15 of September's 30 days: half of September's
    /// 300 people meet it (stranded at Belgrade), all of October's, none of August's.
    func testWindowCoveringHalfAMonthAppliesToHalfItsDemand() throws {
        let run = try ObservationFixtures.runPeriods("""
        name: half
        demand: [{origin: belgrade, destination: berlin, flow: 300}]
        periods: 2015-08:2015-10
        assignment: {method: all-or-nothing}
        interventions:
          - close: HU-RS
            from: 2015-09-16
        """)
        let totals = run.report.periods.map(\.report.totals)
        XCTAssertEqual(run.report.periods.map(\.period.description), ["2015-08", "2015-09", "2015-10"])
        XCTAssertEqual(totals.map(\.scenarioStranded), [0, 150, 300])
        XCTAssertEqual(totals.map(\.scenarioAssigned), [300, 150, 0])
        XCTAssertEqual(totals.map(\.baselineAssigned), [300, 300, 300])   // the baseline of each period has no fence
        XCTAssertEqual(run.interventionShares.map { $0[0] }, [0, 0.5, 1])
        XCTAssertEqual(run.report.periods[1].report.strandedByHub.first?.hub, "belgrade")
        // The whole range adds the periods.
        XCTAssertEqual(run.report.whole.totals.scenarioStranded, 450, accuracy: 1e-9)
        XCTAssertEqual(run.report.whole.totals.demand, 900, accuracy: 1e-9)
    }

    /// A network whose one cheap border X (10 km; the other, Y, is 100 km) is barred to everyone
    /// until 10 August 2015 (an entry rule) and closed from 16 September 2015 (a dated status),
    /// under all-or-nothing: each day's 1/days of the month's 300 people take X when it is open,
    /// Y otherwise, with or without interventions. By hand: August 21 of 31 days on X,
    /// September 15 of 30, October none.
    func testEachPeriodUsesTheNetworkStateOfItsOwnDays() throws {
        let network = try datedNetwork()
        let (_, data) = try load()
        let x = try XCTUnwrap(network.edgeAttributes?.segment.firstIndex(of: "X-001"))
        let y = try XCTUnwrap(network.edgeAttributes?.segment.firstIndex(of: "Y-001"))
        for method in ["all-or-nothing", "equilibrium"] {
            let s = try scenario("""
            name: dated
            demand: [{origin: a, destination: b, flow: 300}]
            periods: 2015-08:2015-10
            assignment: {method: \(method)}
            """)
            let run = try Simulation.runPeriods(scenario: s, network: network, observations: data, workers: 2)
            let expectedX = [300.0 * 21 / 31, 150, 0], expectedY = [300.0 * 10 / 31, 150, 300]
            for (i, p) in run.report.periods.enumerated() {
                for flows in [p.report.baseline.edgeFlows, p.report.result.edgeFlows] {
                    XCTAssertEqual(flows[x], expectedX[i], accuracy: 1e-6, "\(method) \(p.period) X")
                    XCTAssertEqual(flows[y], expectedY[i], accuracy: 1e-6, "\(method) \(p.period) Y")
                }
                XCTAssertEqual(p.report.totals.scenarioStranded, 0, accuracy: 1e-9)
            }
            XCTAssertEqual(run.report.whole.result.edgeFlows[x], expectedX.reduce(0, +), accuracy: 1e-6)
            XCTAssertEqual(run.report.whole.result.edgeFlows[y], expectedY.reduce(0, +), accuracy: 1e-6)
        }
        // A window on top of the dated network: Y closed from 1 October strands October's
        // people at a (X is closed by then), and only the scenario's.
        var closed: Scenario! = nil
        for method in ["all-or-nothing", "equilibrium"] {
            closed = try scenario("""
            name: dated and closed
            demand: [{origin: a, destination: b, flow: 300}]
            periods: 2015-08:2015-10
            assignment: {method: \(method)}
            interventions:
              - close: Y-001
                from: 2015-10-01
            """)
            let run = try Simulation.runPeriods(scenario: closed, network: network, observations: data)
            XCTAssertEqual(run.report.periods.map(\.report.totals.scenarioStranded), [0, 0, 300], method)
            XCTAssertEqual(run.report.periods.map(\.report.totals.baselineStranded), [0, 0, 0], method)
        }
        // Logit: c → d goes direct (Z) or through e (W, then a leg), and W's checks are raised on 1 October
        // (before it, the defaults: medium), which a → b never meets. Taking outcomes over from the
        // network state before (the default) gives what assigning every state afresh gives.
        let logit = try scenario("""
        name: dated logit
        demand: [{origin: a, destination: b, flow: 300}, {origin: c, destination: d, flow: 100}]
        periods: 2015-08:2015-10
        assignment: {method: logit, k: 3}
        cost_model: {outside_option: 2000}
        interventions:
          - close: W-001
            from: 2015-09-20
        """)
        let taken = try Simulation.runPeriods(scenario: logit, network: network, observations: data)
        let fresh = try Simulation.runPeriods(scenario: logit, network: network, observations: data, incremental: false)
        for (p, q) in zip(taken.report.periods, fresh.report.periods) {
            XCTAssertEqual(p.report.baseline.edgeFlows, q.report.baseline.edgeFlows, "\(p.period)")
            XCTAssertEqual(p.report.result.edgeFlows, q.report.result.edgeFlows, "\(p.period)")
            XCTAssertEqual(p.report.totals.scenarioSuppressed, q.report.totals.scenarioSuppressed)
        }
        let w = try XCTUnwrap(network.edgeAttributes?.segment.firstIndex(of: "W-001"))
        let september = taken.report.periods[1].report.baseline.edgeFlows[w], october = taken.report.periods[2].report.baseline.edgeFlows[w]
        XCTAssertGreaterThan(september, 0)
        XCTAssertLessThan(october, september)   // dearer from 1 October
        // Across 11 August X is let through (cheaper on a → b): c → d, which cannot reach X, keeps
        // its outcome; a → b's, whose searches ran through X, is assigned again.
        func state(on day: String) throws -> ResolvedScenario {
            var s = logit
            s.asOf = day
            s.interventions = []
            return try ScenarioResolver(costed: ScenarioResolver.costed(s, network: network)).resolve(s)
        }
        let before = try state(on: "2015-08-10"), after = try state(on: "2015-08-11")
        XCTAssertNotEqual(before.costed.barredRows, after.costed.barredRows)
        let outcomes = try Simulation.assign(before, workers: 1).outcomes
        XCTAssertEqual(outcomes.map(\.demand.origin), [1, 5])   // a, c
        let kept = try NetworkChange.kept(from: before, to: after, outcomes: outcomes)
        XCTAssertEqual(kept, [false, true])
        // Pinned to one day (`on:`), the whole range sees that day's network.
        var pinned: Scenario = closed
        pinned.interventions = []
        pinned.asOf = "2015-10-01"
        let fixed = try Simulation.runPeriods(scenario: pinned, network: network, observations: data)
        XCTAssertEqual(fixed.report.periods.map { $0.report.result.edgeFlows[y] }, [300, 300, 300])
    }

    /// The network of `testEachPeriodUsesTheNetworkStateOfItsOwnDays`: a → b over X (10 km, barred
    /// to everyone until 10 August 2015, closed from 16 September) or Y (100 km); c → d direct over
    /// Z or through e over W, whose checks are raised on 1 October 2015.
    func datedNetwork() throws -> RouteNetwork {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dated-network-\(getpid()).geojson").path
        try """
        {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [20.0, 44.0]}, "properties": {"id": 1, "name": "a", "kind": "hub", "country": "RS", "roles": "origin"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [20.1, 44.1]}, "properties": {"id": 2, "name": "x", "kind": "hub", "country": "HU", "roles": "transit"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [21.0, 45.0]}, "properties": {"id": 3, "name": "y", "kind": "hub", "country": "RO", "roles": "transit"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [20.2, 44.2]}, "properties": {"id": 4, "name": "b", "kind": "hub", "country": "AT", "roles": "destination"}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[20.0, 44.0], [20.1, 44.1]]}, "properties": {"id": 11, "source": 1, "target": 2, "kind": "border", "mode": "land", "border": "HU-RS", "segment": "X-001", "length_km": 10, "surveillance": "medium", "status": "closed", "since": "2015-09-16", "entry": [{"nationalities": "*", "access": "barred", "until": "2015-08-11"}]}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[20.1, 44.1], [20.2, 44.2]]}, "properties": {"id": 12, "source": 2, "target": 4, "kind": "leg", "mode": "land", "length_km": 10}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[20.0, 44.0], [21.0, 45.0]]}, "properties": {"id": 13, "source": 1, "target": 3, "kind": "border", "mode": "land", "border": "RO-RS", "segment": "Y-001", "length_km": 100, "surveillance": "medium", "status": "open"}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[21.0, 45.0], [20.2, 44.2]]}, "properties": {"id": 14, "source": 3, "target": 4, "kind": "leg", "mode": "land", "length_km": 10}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [10.0, 50.0]}, "properties": {"id": 5, "name": "c", "kind": "hub", "country": "DE", "roles": "origin"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [10.1, 50.1]}, "properties": {"id": 6, "name": "d", "kind": "hub", "country": "AT", "roles": "destination"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [10.2, 50.0]}, "properties": {"id": 7, "name": "e", "kind": "hub", "country": "CZ", "roles": "transit"}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[10.0, 50.0], [10.1, 50.1]]}, "properties": {"id": 15, "source": 5, "target": 6, "kind": "border", "mode": "land", "border": "AT-DE", "segment": "Z-001", "length_km": 20, "surveillance": "medium", "status": "open"}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[10.0, 50.0], [10.2, 50.0]]}, "properties": {"id": 16, "source": 5, "target": 7, "kind": "border", "mode": "land", "border": "CZ-DE", "segment": "W-001", "length_km": 10, "surveillance": "high", "status": "open", "since": "2015-10-01"}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[10.2, 50.0], [10.1, 50.1]]}, "properties": {"id": 17, "source": 7, "target": 6, "kind": "leg", "mode": "land", "length_km": 10}}
        ]}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try NetworkSource.load(path)
    }

    /// Scenario outcomes are taken over from the same interventions on an earlier network state
    /// as baseline outcomes are (`NetworkChange`, with each state's interventions priced in).
    /// With Z closed from 15 August, the checks raised on W on 1 October change c → d's
    /// searches under the closure (it can only go through W) and not a → b's, which never
    /// meet W nor Z: across that day a → b keeps its scenario outcome, c → d does not.
    /// Whatever is taken over, every period's flows are those of assigning each state afresh.
    /// An intervention that lowers a cost takes nothing over (the bounds assume raised costs).
    func testScenarioOutcomesCarryOverNetworkStatesThatCannotChangeThem() throws {
        let network = try datedNetwork()
        let (_, data) = try load()
        let yaml = """
        name: carried
        demand: [{origin: a, destination: b, flow: 300}, {origin: c, destination: d, flow: 100}]
        periods: 2015-08:2015-11
        assignment: {method: logit, k: 3}
        cost_model: {outside_option: 2000}
        interventions:
          - close: Z-001
            from: 2015-08-15
        """
        let closure = try scenario(yaml)
        let taken = try Simulation.runPeriods(scenario: closure, network: network, observations: data)
        let fresh = try Simulation.runPeriods(scenario: closure, network: network, observations: data, incremental: false)
        for (p, q) in zip(taken.report.periods, fresh.report.periods) {
            XCTAssertEqual(p.report.result.edgeFlows, q.report.result.edgeFlows, "\(p.period)")
            XCTAssertEqual(p.report.totals.scenarioSuppressed, q.report.totals.scenarioSuppressed, "\(p.period)")
            XCTAssertEqual(p.report.totals.scenarioStranded, q.report.totals.scenarioStranded, "\(p.period)")
        }
        let z = try XCTUnwrap(network.edgeAttributes?.segment.firstIndex(of: "Z-001"))
        XCTAssertEqual(taken.report.periods[2].report.result.edgeFlows[z], 0)   // closed all September
        XCTAssertGreaterThan(taken.report.periods[2].report.baseline.edgeFlows[z], 0)

        func state(on day: String, _ scenario: Scenario) throws -> ResolvedScenario {
            var s = scenario
            s.asOf = day
            return try ScenarioResolver(costed: ScenarioResolver.costed(s, network: network)).resolve(s)
        }
        let before = try state(on: "2015-09-30", closure), after = try state(on: "2015-10-01", closure)
        XCTAssertFalse(before.overlay.isEmpty)
        let outcomes = try Simulation.assign(before, workers: 1).outcomes   // the baseline's pairs, in demand order
        XCTAssertEqual(outcomes.map(\.demand.origin), [1, 5])               // a, c
        var problem = try before.assignmentProblem(workers: 1)
        problem.undisturbed = UndisturbedTrees(graph: before.costed.graph)
        let underClosure = try Assignment.run(problem).outcomes
        XCTAssertEqual(underClosure[1].paths.count, 1)                      // c → d: through W only
        // The option not to go: each outcome's reference cost on both networks (its baseline's cheapest).
        let references = Array(zip(outcomes.map(\.cheapestCost), try Simulation.assign(after, workers: 1).outcomes.map(\.cheapestCost)))
        XCTAssertEqual(references.map(\.0), references.map(\.1))   // neither baseline meets W
        XCTAssertEqual(try NetworkChange.kept(from: before, to: after, outcomes: underClosure, references: references), [true, false])
        XCTAssertNil(try NetworkChange.kept(from: before, to: after, outcomes: underClosure))   // references needed
        let moved = references.map { ($0.0, $0.1.map { $0 + 1 }) }   // a reference that moved keeps nothing
        XCTAssertEqual(try NetworkChange.kept(from: before, to: after, outcomes: underClosure, references: moved), [false, false])
        // Checks lowered on Z by the intervention instead: nothing is taken over.
        var lowered = closure
        lowered.interventions = try scenario(yaml.replacingOccurrences(of: "close: Z-001", with: "surveillance: {segment: Z-001, detection_probability: 0.01}")).interventions
        let b2 = try state(on: "2015-09-30", lowered), a2 = try state(on: "2015-10-01", lowered)
        XCTAssertNil(try NetworkChange.kept(from: b2, to: a2, outcomes: underClosure, references: references))
    }

    func testLinearRunsEqualAssigningEachPeriodAlone() throws {
        let (network, data) = try load()
        let s = try scenario("""
        name: logit
        demand: observed
        periods: 2015-09:2015-10
        interventions:
          - close: SEA-izmir-mytilene
            from: 2015-10-11
        """)
        let run = try Simulation.runPeriods(scenario: s, network: network, observations: data)
        // October alone: its demand assigned with the closure, then without, weighted 21:10 by days.
        let october = try ObservedDemand.build(periods: [try Period.parse("2015-10")], data: data, network: network)
        var rows: [DemandEntry] = []
        for r in october.rows { rows.append(DemandEntry(origin: r.originHub, destination: r.destinationHub, flow: r.flow)) }
        var closed = s; closed.periods = nil; closed.demand = .inline(rows)
        var open = closed; open.interventions = []
        let a = try Simulation.run(scenario: closed, network: network), b = try Simulation.run(scenario: open, network: network)
        let expected = a.result.edgeFlows.indices.map { a.result.edgeFlows[$0] * 21 / 31 + b.result.edgeFlows[$0] * 10 / 31 }
        let got = run.report.periods[1].report.result.edgeFlows
        for i in expected.indices { XCTAssertEqual(got[i], expected[i], accuracy: 1e-6 * max(1, expected[i])) }
    }

    /// Pairs with demand in some periods only: each period measures as a run of its own
    /// demand alone, and the whole range adds the periods pair by pair.
    func testAPairWithoutDemandInAPeriodAddsNothingToIt() throws {
        let (network, data) = try load()
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("sparse-demand-\(getpid()).csv").path
        try """
        period,origin_hub,destination_hub,nationality,flow,source
        2015-08,belgrade,berlin,SRB,300,x
        2015-09,athens,stockholm,SYR,100,x
        2015-10,belgrade,berlin,SRB,50,x
        2015-10,athens,stockholm,SYR,20,x

        """.write(toFile: csv, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let s = try scenario("name: sparse\ndemand: \(csv)\nperiods: 2015-08:2015-10\nassignment: {method: logit, k: 3}\n"
                             + "interventions:\n  - close: HU-RS\n    from: 2015-08-01\n")
        let run = try Simulation.runPeriods(scenario: s, network: network, observations: data)
        let alone: [[DemandEntry]] = [
            [DemandEntry(origin: "belgrade", destination: "berlin", flow: 300, nationality: "SRB")],
            [DemandEntry(origin: "athens", destination: "stockholm", flow: 100, nationality: "SYR")],
            [DemandEntry(origin: "belgrade", destination: "berlin", flow: 50, nationality: "SRB"),
             DemandEntry(origin: "athens", destination: "stockholm", flow: 20, nationality: "SYR")],
        ]
        var whole = [Double](repeating: 0, count: network.edgeCount)
        for (i, rows) in alone.enumerated() {
            var single = s; single.periods = nil; single.demand = .inline(rows)
            let expected = try Simulation.run(scenario: single, network: network)
            let got = run.report.periods[i].report
            XCTAssertEqual(got.totals.demand, expected.totals.demand, "\(i)")
            XCTAssertEqual(got.totals.scenarioAssigned, expected.totals.scenarioAssigned, accuracy: 1e-9 * expected.totals.demand)
            for row in expected.result.edgeFlows.indices {
                XCTAssertEqual(got.result.edgeFlows[row], expected.result.edgeFlows[row], accuracy: 1e-9 * max(1, expected.result.edgeFlows[row]))
                XCTAssertEqual(got.baseline.edgeFlows[row], expected.baseline.edgeFlows[row], accuracy: 1e-9 * max(1, expected.baseline.edgeFlows[row]))
                whole[row] += expected.result.edgeFlows[row]
            }
        }
        XCTAssertEqual(run.report.whole.ods.map(\.demand), [350, 120])
        for row in whole.indices {
            XCTAssertEqual(run.report.whole.result.edgeFlows[row], whole[row], accuracy: 1e-9 * max(1, whole[row]))
        }
    }

    /// The same files byte for byte on one worker and on several (choice sets with an
    /// outside option under a closure: shared target trees and reference trees; the periods
    /// measured in parallel and merged in order).
    func testPeriodFilesDoNotDependOnTheWorkerCount() throws {
        let yaml = """
        name: workers
        demand: observed
        periods: 2015-09:2015-10
        cost_model: {outside_option: 500}
        assignment: {method: logit, k: 3}
        interventions:
          - close: HU-RS
            from: 2015-09-20
        """
        let one = try PeriodReportFiles.render(ObservationFixtures.runPeriods(yaml, workers: 1))
        let three = try PeriodReportFiles.render(ObservationFixtures.runPeriods(yaml, workers: 3))
        XCTAssertEqual(one.map(\.name), three.map(\.name))
        for (a, b) in zip(one, three) { XCTAssertEqual(a.bytes, b.bytes, a.name) }
    }

    func testBadPeriodInputIsRejectedWithTheNearestValidValue() throws {
        let (network, data) = try load()
        let outside = try scenario("""
        name: w
        demand: [{origin: belgrade, destination: berlin, flow: 1}]
        periods: 2015-09
        interventions:
          - close: HU-RS
            from: 2016-03-09
        """)
        XCTAssertThrowsError(try Simulation.runPeriods(scenario: outside, network: network, observations: data)) { error in
            let e = error as! InputError
            XCTAssertTrue(e.message.contains("overlaps no simulated period"), e.message)
            XCTAssertEqual(e.location.line, 5)
            XCTAssertEqual(e.suggestions, ["2015-09"])
        }
        let days = try scenario("""
        name: d
        demand: [{origin: belgrade, destination: berlin, flow: 1}]
        periods: 2015-09
        interventions:
          - close: HU-RS
            from: 3
        """)
        XCTAssertThrowsError(try Simulation.runPeriods(scenario: days, network: network, observations: data)) { error in
            XCTAssertTrue((error as! InputError).message.contains("calendar dates"))
        }
        let early = try scenario("name: e\ndemand: observed\nperiods: 2014-01:2014-03\n")
        XCTAssertThrowsError(try Simulation.runPeriods(scenario: early, network: network, observations: data)) { error in
            let e = error as! InputError
            XCTAssertTrue(e.message.contains("outside the Frontex data"), e.message)
            XCTAssertEqual(e.location.line, 3)
            XCTAssertEqual(e.suggestions, ["2015-09"])
        }
        // A demand file whose period column disagrees with the simulated periods.
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("period-demand-\(getpid()).csv").path
        try "period,origin_hub,destination_hub,nationality,flow,source\n2015-09,belgrade,berlin,SRB,5,x\n2015-11,belgrade,berlin,SRB,5,x\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let mismatch = try scenario("name: m\ndemand: \(csv)\nperiods: 2015-09:2015-10\n")
        XCTAssertThrowsError(try Simulation.runPeriods(scenario: mismatch, network: network, observations: data)) { error in
            let e = error as! InputError
            XCTAssertEqual(e.location, InputLocation(file: csv, line: 3, path: "period"))
            XCTAssertTrue(e.message.contains("'2015-11'"), e.message)
            XCTAssertEqual(e.suggestions.first, "2015-10")
        }
        XCTAssertThrowsError(try ScenarioParser.parse("name: b\ndemand: observed\nperiods: 2015-13\n")) { error in
            XCTAssertEqual((error as! InputError).location.line, 3)
        }
        XCTAssertThrowsError(try ScenarioParser.parse("name: b\ndemand: observed\nperiods: 2015\nby: week\n")) { error in
            XCTAssertEqual((error as! InputError).suggestions, [])
        }
        // A static run cannot use observed demand.
        var s = try scenario("name: s\ndemand: observed\n")
        s.periods = nil
        XCTAssertThrowsError(try Simulation.run(scenario: s, network: network)) { error in
            XCTAssertTrue((error as! InputError).message.contains("needs 'periods'"))
        }
    }

    /// On the bundled network, Iraqis may fly Baghdad → Minsk from 1 June 2021 until 5 August
    /// 2021 (`AIR-baghdad-minsk`'s entry rule, Geodata/README.md; the record: ELB detections
    /// of Iraqis from June 2021, episodes.md E13). A run from May sees nobody on that flight in
    /// May, and in August exactly 5/31 of what July's network carries (the rule ends on the 6th).
    func testDatedEntryRulesOfTheBundledNetworkApplyInTheirMonthsOnly() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let geodata = root.appendingPathComponent("Geodata").path
        guard FileManager.default.fileExists(atPath: geodata + "/network.geojson") else { throw XCTSkip("bundled network absent") }
        let search = GeodataSearchPath.standard
        GeodataSearchPath.standard = GeodataSearchPath([geodata])
        defer { GeodataSearchPath.standard = search }
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("iraq-demand-\(getpid()).csv").path
        try "origin_hub,destination_hub,nationality,flow\nbaghdad,berlin,IRQ,1000\n".write(toFile: csv, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let s = try scenario("name: belarus\ndemand: \(csv)\nperiods: 2021-05:2021-08\n")
        let run = try Simulation.runPeriods(scenario: s, workers: 2)
        let network = run.report.whole.network
        let flight = try XCTUnwrap(network.edgeAttributes?.segment.firstIndex(of: "AIR-baghdad-minsk"))
        let flows = run.report.periods.map { $0.report.baseline.edgeFlows[flight] }
        XCTAssertEqual(run.report.periods.map(\.period.description), ["2021-05", "2021-06", "2021-07", "2021-08"])
        XCTAssertEqual(flows[0], 0)
        XCTAssertGreaterThan(flows[1], 0)
        XCTAssertEqual(flows[1], flows[2], accuracy: 1e-9 * flows[1])   // June and July: the same network
        XCTAssertEqual(flows[3], flows[2] * 5 / 31, accuracy: 1e-9 * flows[2])
    }

    /// A month-by-month run on the bundled network with no `cost_model:` uses the bundled
    /// calibrated file, as a single run does; one that gives its own keeps it. The expected
    /// values are read from `Geodata/calibrated.yaml` as text, not through the loader.
    func testPeriodRunsOnTheBundledNetworkUseTheCalibratedCostModel() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let geodata = root.appendingPathComponent("Geodata").path
        guard FileManager.default.fileExists(atPath: geodata + "/network.geojson"),
              let text = try? String(contentsOfFile: geodata + "/calibrated.yaml", encoding: .utf8) else {
            throw XCTSkip("bundled network or Geodata/calibrated.yaml absent")
        }
        // The scenarios name no network: the bundled one, found where a tool would say to look.
        let search = GeodataSearchPath.standard
        GeodataSearchPath.standard = GeodataSearchPath([geodata])
        defer { GeodataSearchPath.standard = search }
        func value(_ key: String) -> Double? {
            for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
                let rest = line.dropFirst(key.count + 1).split(separator: "#")[0].trimmingCharacters(in: .whitespaces)
                return Double(rest)
            }
            return nil
        }
        let theta = try XCTUnwrap(value("theta")), outside = try XCTUnwrap(value("outside_option"))
        let plain = try scenario("""
        name: bundled
        demand: [{origin: belgrade, destination: berlin, flow: 100}]
        periods: 2015-09
        assignment: {method: all-or-nothing}
        """)
        let run = try Simulation.runPeriods(scenario: plain, workers: 1)
        XCTAssertEqual(run.scenario.costModel.theta, theta)
        XCTAssertEqual(run.scenario.costModel.outsideOption, outside)
        let own = try scenario("""
        name: own
        demand: [{origin: belgrade, destination: berlin, flow: 100}]
        periods: 2015-09
        assignment: {method: all-or-nothing}
        cost_model: {theta: 0.004}
        """)
        let kept = try Simulation.runPeriods(scenario: own, workers: 1)
        XCTAssertEqual(kept.scenario.costModel.theta, 0.004)
        XCTAssertNil(kept.scenario.costModel.outsideOption)
    }
}
