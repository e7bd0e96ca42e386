import Foundation
@testable import RouteShiftReports
import RouteShiftScenarioFixtures
@testable import RouteShiftSimulation
import XCTest

final class SimulationRunnerTests: XCTestCase {
    let demand = ScenarioFixtures.threePairDemand

    func flow(_ report: SimulationReport, _ segment: String) -> (Double, Double) {
        let s = report.segments.first { $0.segment == segment }!
        return (s.baselineFlow, s.scenarioFlow)
    }

    func testClosureMovesAllFlowToTheAlternative() throws {
        let report = try ScenarioFixtures.simulate("name: close HU-RS\n\(demand)\ninterventions:\n  - close: HU-RS\n")
        // Baseline: everything through Serbia–Hungary section 001 (cheaper than 002).
        XCTAssertEqual(flow(report, "HU-RS-001").0, 1500)
        XCTAssertEqual(flow(report, "HU-RS-002").0, 0)
        XCTAssertEqual(flow(report, "HU-RS-001").1, 0)
        XCTAssertEqual(flow(report, "HU-RS-002").1, 0)
        XCTAssertEqual(flow(report, "HR-RS-001").1, 1500)
        XCTAssertEqual(flow(report, "AT-SI-001").1, 1500)
        XCTAssertEqual(report.segments.first { $0.segment == "HU-RS-001" }?.status, .closed)
        XCTAssertEqual(report.segments.first { $0.segment == "HU-RS-001" }?.relativeChange, -1)
        XCTAssertNil(report.segments.first { $0.segment == "HR-RS-001" }?.relativeChange)
        XCTAssertEqual(report.totals.displaced, 1500)
        XCTAssertEqual(report.totals.scenarioStranded, 0)
        XCTAssertEqual(report.topAbsorbing.map(\.segment), ["AT-SI-001", "HR-RS-001", "HR-SI-001"])
        XCTAssertGreaterThan(report.totals.scenarioMeanKm, report.totals.baselineMeanKm)
        XCTAssertGreaterThan(report.totals.scenarioMeanCost, report.totals.baselineMeanCost)
        XCTAssertEqual(report.routeFlows.map(\.route), ["Eastern Mediterranean", "Western Balkans"])
    }

    func testConservationPerODBeforeAndAfter() throws {
        for closure in ["HU-RS", "{country: HU}", "belgrade", "{country: TR}"] {
            let report = try ScenarioFixtures.simulate("name: c\n\(demand)\ninterventions:\n  - close: \(closure)\n")
            for od in report.ods {
                XCTAssertEqual(od.baseline.assigned + od.baseline.stranded, od.demand, accuracy: 1e-9, closure)
                XCTAssertEqual(od.scenario.assigned + od.scenario.stranded, od.demand, accuracy: 1e-9, closure)
                XCTAssertEqual(od.scenario.paths.reduce(0) { $0 + $1.flow }, od.scenario.assigned, accuracy: 1e-9, closure)
            }
            let t = report.totals
            XCTAssertEqual(t.scenarioAssigned + t.scenarioStranded, t.demand, accuracy: 1e-9, closure)
        }
    }

    func testStrandedAtTheLastReachableHubOfTheBaselineRoute() throws {
        let report = try ScenarioFixtures.simulate("name: no way into Hungary\n\(demand)\ninterventions:\n  - close: {country: HU}\n")
        let budapest = report.ods.first { $0.destinationName == "budapest" }!
        XCTAssertEqual(budapest.scenario.stranded, 300)
        XCTAssertEqual(budapest.strandedAt, "belgrade")
        XCTAssertEqual(budapest.displaced, 300)
        XCTAssertEqual(report.strandedByHub.map(\.hub), ["belgrade"])
        XCTAssertEqual(report.strandedByHub.map(\.flow), [300])
        XCTAssertEqual(report.totals.scenarioStranded, 300)
        // Vienna is still reached, through Croatia and Slovenia.
        XCTAssertEqual(report.ods.first { $0.originName == "izmir" && $0.destinationName == "vienna" }?.scenario.stranded, 0)
    }

    func testExpectedFatalitiesFollowEdgeRisk() throws {
        let report = try ScenarioFixtures.simulate("name: none\n\(demand)\n")
        let od = report.ods[0]
        // izmir→vienna baseline goes overland (the sea crossing's waiting and price outweigh it):
        // BG-TR 2 + BG-RS 0.5 + HU-RS 1 + AT-HU 0.1 per 1,000, for 1,000 people.
        XCTAssertEqual(od.baseline.paths.first?.path.edges, [11, 12, 13, 6, 7])
        XCTAssertEqual(od.baseline.meanRisk, 3.6 / 1000, accuracy: 1e-12)
        XCTAssertEqual(od.baseline.expectedFatalities, 3.6, accuracy: 1e-9)
        XCTAssertEqual(report.totals.displaced, 0)
        XCTAssertEqual(od.scenario, od.baseline)
    }

    func testSurveillanceDivertsFlow() throws {
        let report = try ScenarioFixtures.simulate("""
        name: tighter Hungarian border
        \(demand)
        interventions:
          - surveillance: {border: HU-RS, cost_multiplier: 3}
        """)
        XCTAssertEqual(flow(report, "HU-RS-001").1, 0)
        XCTAssertEqual(flow(report, "HR-RS-001").1, 1500)
        XCTAssertEqual(report.segments.first { $0.segment == "HU-RS-001" }?.status, .surveillance)
    }
}

final class ScenarioSweepTests: XCTestCase {
    func testElementsBySectionBorderAndHub() throws {
        let costed = try ScenarioFixtures.costed()
        let sections = ScenarioSweep.elements(.section, in: costed)
        XCTAssertEqual(sections.count, 11)
        XCTAssertEqual(sections.first?.id, "AT-HU-001")
        let borders = ScenarioSweep.elements(.border, in: costed)
        XCTAssertEqual(borders.map(\.id), ["AT-HU", "AT-SI", "BG-RS", "BG-TR", "GR-MK", "GR-TR", "HR-RS", "HR-SI", "HU-RS", "MK-RS"])
        XCTAssertEqual(borders.first { $0.id == "HU-RS" }?.edgeRows, [5, 13])
        let hubs = ScenarioSweep.elements(.hub, in: costed)
        XCTAssertEqual(hubs.count, 12)
        XCTAssertEqual(hubs.first { $0.id == "belgrade" }?.edgeRows.count, 5)
    }

    func testSweepMatchesFullSimulationOfEachClosure() throws {
        let yaml = """
        name: sweep
        demand:
          - {origin: izmir, destination: vienna, flow: 1000}
          - {origin: izmir, destination: budapest, flow: 300}
        assignment: {method: all-or-nothing}
        """
        let resolved = try ScenarioFixtures.resolve(yaml)
        let sweep = try ScenarioSweep.run(resolved, by: .border, workers: 2).result
        XCTAssertEqual(sweep.outcomes.count, 10)
        for outcome in sweep.outcomes {
            let report = try ScenarioFixtures.simulate(yaml + "\ninterventions:\n  - close: {border: \(outcome.id)}\n")
            XCTAssertEqual(outcome.displacedFlow, report.totals.displaced, accuracy: 1e-9, outcome.id)
            XCTAssertEqual(outcome.strandedFlow, report.totals.scenarioStranded - report.totals.baselineStranded,
                           accuracy: 1e-9, outcome.id)
        }
    }
}

final class IncrementalSimulationTests: XCTestCase {
    func testIncrementalEqualsFullReassignment() throws {
        for (method, closure) in [("all-or-nothing", "close: HU-RS"), ("logit", "close: {country: HU}"),
                                  ("logit", "surveillance: {border: HR-RS, cost_multiplier: 1.3}"),
                                  ("logit", "surveillance: {border: HU-RS, cost_multiplier: 0.5}")] {
            let resolved = try ScenarioFixtures.resolve("""
            name: incremental
            demand:
              - {origin: izmir, destination: vienna, flow: 1000}
              - {origin: izmir, destination: budapest, flow: 300}
              - {origin: athens, destination: vienna, flow: 200}
              - {origin: izmir, destination: lesvos, flow: 50}
            assignment: {method: \(method), k: 4, theta: 0.002}
            interventions:
              - \(closure)
            """)
            let fast = try Simulation.run(resolved, incremental: true), full = try Simulation.run(resolved, incremental: false)
            XCTAssertEqual(fast.result.outcomes, full.result.outcomes, closure)
            for (a, b) in zip(fast.result.edgeFlows, full.result.edgeFlows) { XCTAssertEqual(a, b, accuracy: 1e-9, closure) }
            XCTAssertEqual(try ReportFiles.render(fast).map(\.bytes), try ReportFiles.render(full).map(\.bytes), closure)
        }
        // Only demand through Hungary–Serbia is re-assigned; a cheaper crossing re-assigns everything.
        let resolved = try ScenarioFixtures.resolve("""
        name: affected
        demand:
          - {origin: izmir, destination: vienna, flow: 1000}
          - {origin: izmir, destination: lesvos, flow: 50}
        assignment: {method: all-or-nothing}
        interventions:
          - close: HU-RS
        """)
        let baseline = try Simulation.run(resolved).baseline
        XCTAssertEqual(Simulation.affectedDemand(resolved, baseline: baseline.outcomes), [0])
    }
}
