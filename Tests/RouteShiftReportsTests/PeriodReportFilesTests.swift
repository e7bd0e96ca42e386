import XCTest
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork
import RouteShiftObservations
@testable import RouteShiftReports
import RouteShiftScenario
import RouteShiftScenarioFixtures
import RouteShiftSimulation

/// The files of a month-by-month run on the observation fixture (see `ObservationFixtures`).
final class PeriodReportFilesTests: XCTestCase {
    /// routes_timeseries: observed = Frontex sums of the fixture; modelled = people
    /// crossing in the entering direction. September: 190 people (SYR 120, AFG 60, SRB 10);
    /// all but the 10 Serbians cross Izmir → Mytilene (EM sea), all 190 cross HU-RS (WB).
    func testRouteTotalsAndARDAgainstTheRecord() throws {
        let run = try ObservationFixtures.runPeriods("""
        name: observed
        demand: observed
        periods: 2015-09:2015-10
        by: month
        assignment: {method: all-or-nothing}
        """)
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

    /// segments_timeseries.geojson is written straight into bytes; the generic writer (a
    /// Feature per crossing with flow and period, `GeoJSON.encode`) is the independent answer
    /// it must equal byte for byte.
    func testTimeseriesGeoJSONEqualsTheGenericFeatureWriter() throws {
        let run = try ObservationFixtures.runPeriods("""
        name: timeseries geojson
        demand: observed
        periods: 2015-09:2015-10
        assignment: {method: logit, k: 3}
        interventions:
          - close: HU-RS
            from: 2015-09-16
        """)
        let (network, _) = try ObservationFixtures.load()
        var features: [Feature] = []
        for (p, report) in run.report.periods {
            for s in report.segments where s.baselineFlow > 0 || s.scenarioFlow > 0 {
                guard let line = network.geometry(ofEdgeRow: s.row) else { continue }
                features.append(Feature(geometry: .lineString(line), properties: [
                    "period": .string(p.description), "start": .string(p.startTimestamp), "end": .string(p.endTimestamp),
                    "segment": .string(s.segment), "edge_id": .number(Double(s.edgeId)), "kind": .string(s.kind.rawValue),
                    "border": s.border.map(JSONValue.string) ?? .null, "route": s.route.map(JSONValue.string) ?? .null,
                    "baseline_flow": ReportFiles.number(s.baselineFlow, 3), "scenario_flow": ReportFiles.number(s.scenarioFlow, 3),
                    "change": ReportFiles.number(s.change, 3),
                ]))
            }
        }
        XCTAssertGreaterThan(features.count, 3)
        let expected = try GeoJSON.encode(FeatureCollection(features: features), options: GeoJSONWriterOptions(coordinatePrecision: 6)) + [10]
        let got = try PeriodReportFiles.render(run).first { $0.name == "segments_timeseries.geojson" }!.bytes
        XCTAssertEqual(String(decoding: got, as: UTF8.self), String(decoding: expected, as: UTF8.self))
    }

    /// summary_timeseries.csv: in every period assigned + stranded + suppressed = demand,
    /// with all three present (a closure that strands the Belgrade demand, an outside
    /// option that keeps some from going), and the columns are the period totals.
    func testSummaryTimeseriesConservesDemandPerPeriod() throws {
        let run = try ObservationFixtures.runPeriods("""
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
}
