import XCTest
import RouteShiftCore
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftReports
import RouteShiftScenario
@testable import RouteShiftSimulation

/// Month-by-month runs on the observation fixture (network + tables small enough to
/// work every figure out by hand). The only way from Belgrade to Berlin is the
/// Hungary–Serbia section HU-RS-001; everyone from Syria, Turkey, Afghanistan and Iran
/// crosses Izmir → Mytilene and then HU-RS-001.
final class PeriodRunTests: XCTestCase {
    static var fixture: String { Bundle.module.path(forResource: "Fixtures/observations-mini", ofType: nil)! }

    func load() throws -> (RouteNetwork, ObservationData) {
        (try NetworkSource.load(Self.fixture + "/network.geojson"), try ObservationData.load(directory: Self.fixture))
    }

    func scenario(_ yaml: String) throws -> Scenario {
        try ScenarioParser.parse(yaml, file: "/tmp/period-test.yaml")
    }

    /// A fence from 16 September covers 15 of September's 30 days: half of September's
    /// 300 people meet it (stranded at Belgrade), all of October's, none of August's.
    func testWindowCoveringHalfAMonthAppliesToHalfItsDemand() throws {
        let (network, data) = try load()
        let s = try scenario("""
        name: half
        demand: [{origin: belgrade, destination: berlin, flow: 300}]
        periods: 2015-08:2015-10
        assignment: {method: all-or-nothing}
        interventions:
          - close: HU-RS
            from: 2015-09-16
        """)
        let run = try Simulation.runPeriods(scenario: s, network: network, observations: data)
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

    /// routes_timeseries: observed = Frontex sums of the fixture; modelled = people
    /// crossing in the entering direction. September: 190 people (SYR 120, AFG 60, SRB 10);
    /// all but the 10 Serbians cross Izmir → Mytilene (EM sea), all 190 cross HU-RS (WB).
    func testRouteTotalsAndARDAgainstTheRecord() throws {
        let (network, data) = try load()
        let s = try scenario("""
        name: observed
        demand: observed
        periods: 2015-09:2015-10
        by: month
        assignment: {method: all-or-nothing}
        """)
        let run = try Simulation.runPeriods(scenario: s, network: network, observations: data)
        let rows = PeriodReportFiles.routeComparisons(run)
        func row(_ p: String, _ r: FrontexRoute) -> RouteComparison { rows.first { $0.period.description == p && $0.route == r }! }
        XCTAssertEqual(row("2015-09", .easternMediterranean).observed, 50 + 30 + 100)
        XCTAssertEqual(row("2015-09", .westernBalkans).observed, 40 + 10 + 80)
        XCTAssertEqual(row("2015-10", .centralMediterranean).observed, 7)
        XCTAssertEqual(row("2015-10", .westernBalkans).observed, 150)
        XCTAssertEqual(row("2015-09", .blackSea).observed, 0)
        XCTAssertEqual(row("2015-09", .easternMediterranean).modelledBaseline, 180, accuracy: 1e-6)
        XCTAssertEqual(row("2015-09", .westernBalkans).modelledScenario, 190, accuracy: 1e-6)
        // October: SYR 200 from Syria/Turkey (EM, WB) and NAM 6 from Windhoek via Damascus (EM, WB).
        XCTAssertEqual(row("2015-10", .westernBalkans).modelledScenario, 206, accuracy: 1e-6)
        // Observed risk: September, 5 dead located on Izmir–Mytilene over its 180 baseline crossings,
        // so the baseline expects exactly those 5 (every other edge has default risk 0); October,
        // 1 dead on HU-RS-001 over 206 crossings, and the sea leg's default 1 per 1,000 × 206.
        XCTAssertEqual(run.expectedDeaths(period: 0).baseline, 5, accuracy: 1e-9)
        XCTAssertEqual(run.expectedDeaths(period: 1).baseline, 1 + 0.206, accuracy: 1e-9)
        let ard = PeriodReportFiles.routeARD(rows)
        // September: (|180 − 180| + |190 − 130|) / (180 + 130); October: (|206 − 206| + |206 − 150| + |0 − 7|) / 363.
        XCTAssertEqual(ard[0].ard!, 60.0 / 310, accuracy: 1e-9)
        XCTAssertEqual(ard[1].ard!, (56.0 + 7) / 363, accuracy: 1e-9)
        // Every file is rendered, the time-stamped GeoJSON with RFC 3339 starts.
        let files = try PeriodReportFiles.render(run)
        XCTAssertEqual(Set(files.map(\.name)), Set(PeriodReportFiles.names))
        let geo = String(decoding: files.first { $0.name == "segments_timeseries.geojson" }!.bytes, as: UTF8.self)
        XCTAssertTrue(geo.contains("\"start\":\"2015-09-01T00:00:00Z\""), String(geo.prefix(300)))
        let report = String(decoding: files.first { $0.name == "report.md" }!.bytes, as: UTF8.self)
        XCTAssertTrue(report.contains("| 2015-09 | 190 |"), report)
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

    /// The same files byte for byte on one worker and on several (choice sets with an
    /// outside option under a closure: shared target trees and reference trees).
    func testPeriodFilesDoNotDependOnTheWorkerCount() throws {
        let (network, data) = try load()
        let s = try scenario("""
        name: workers
        demand: observed
        periods: 2015-09:2015-10
        cost_model: {outside_option: 500}
        assignment: {method: logit, k: 3}
        interventions:
          - close: HU-RS
            from: 2015-09-20
        """)
        let one = try PeriodReportFiles.render(try Simulation.runPeriods(scenario: s, network: network, observations: data, workers: 1))
        let three = try PeriodReportFiles.render(try Simulation.runPeriods(scenario: s, network: network, observations: data, workers: 3))
        XCTAssertEqual(one.map(\.name), three.map(\.name))
        for (a, b) in zip(one, three) { XCTAssertEqual(a.bytes, b.bytes, a.name) }
    }

    /// summary_timeseries.csv: in every period assigned + stranded + suppressed = demand,
    /// with all three present (a closure that strands the Belgrade demand, an outside
    /// option that keeps some from going), and the columns are the period totals.
    func testSummaryTimeseriesConservesDemandPerPeriod() throws {
        let (network, data) = try load()
        let s = try scenario("""
        name: conservation
        demand:
          - {origin: belgrade, destination: berlin, flow: 300}
          - {origin: damascus, destination: berlin, flow: 100}
        periods: 2015-08:2015-10
        cost_model: {outside_option: 200}
        assignment: {method: logit, k: 3}
        interventions:
          - close: HU-RS
            from: 2015-09-16
        """)
        let run = try Simulation.runPeriods(scenario: s, network: network, observations: data)
        let files = try PeriodReportFiles.render(run)
        let text = String(decoding: files.first { $0.name == "summary_timeseries.csv" }!.bytes, as: UTF8.self)
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(lines[0], ["period", "demand", "assigned", "stranded", "suppressed", "displaced",
                                  "expected_deaths_baseline", "expected_deaths_scenario"])
        XCTAssertEqual(lines.count, 4)
        var sawSuppressed = false, sawStranded = false
        for (row, (p, report)) in zip(lines.dropFirst(), run.report.periods) {
            XCTAssertEqual(row[0], p.description)
            let demand = Double(row[1])!, assigned = Double(row[2])!, stranded = Double(row[3])!, suppressed = Double(row[4])!
            XCTAssertEqual(demand, 400, accuracy: 1e-9)
            XCTAssertEqual(assigned + stranded + suppressed, demand, accuracy: 0.002, p.description)
            XCTAssertEqual(suppressed, report.totals.scenarioSuppressed, accuracy: 0.0005)
            sawSuppressed = sawSuppressed || suppressed > 0
            sawStranded = sawStranded || stranded > 0
        }
        // August: no fence, nobody stranded; October: the fence all month.
        XCTAssertEqual(Double(lines[1][3])!, 0)
        XCTAssertTrue(sawSuppressed && sawStranded, text)
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
}
