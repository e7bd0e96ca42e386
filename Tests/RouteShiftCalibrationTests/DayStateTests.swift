import Foundation
import RouteShiftCore
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftScenario
import RouteShiftScenarioFixtures
import RouteShiftSimulation
import XCTest
@testable import RouteShiftCalibration

/// Calibration and backtests model each day of a month on the network in force that day, as
/// `simulate --periods` does: on the Balkan fixture with Hungary–Serbia (both sections) closed
/// from 16 September 2015 by the network itself (`status: closed, since: 2015-09-16`, open
/// before), September is 15 days open and 15 days closed.
///
///     izmir ─ … ─ belgrade ─HU-RS-001/002─ budapest ─AT-HU─ vienna
///                 belgrade ─HR-RS-001─ zagreb ─HR-SI─ ljubljana ─AT-SI─ vienna
final class DayStateTests: XCTestCase {
    /// The fixture with Hungary–Serbia closed from 16 September 2015.
    static let dated: RouteNetwork = {
        let data = FileManager.default.contents(atPath: ScenarioFixtures.networkPath)!
        var root = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        var features = root["features"] as! [[String: Any]]
        for i in features.indices {
            var properties = features[i]["properties"] as! [String: Any]
            guard (properties["segment"] as? String)?.hasPrefix("HU-RS") ?? false else { continue }
            properties["status"] = "closed"
            properties["since"] = "2015-09-16"
            features[i]["properties"] = properties
        }
        root["features"] = features
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dated-balkans-\(getpid()).geojson").path
        try! JSONSerialization.data(withJSONObject: root).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try! NetworkSource.load(path)
    }()

    static func rows(_ prefix: String) -> [Int] {
        (0..<dated.edgeCount).filter { dated.edgeString(NetworkSchema.segment, row: $0)?.hasPrefix(prefix) ?? false }
    }

    static func node(_ name: String) -> Int64 { dated.nodeNames.first { $0.value == name }!.key }

    static func month(_ m: Int) -> Period { Period(month: YearMonth(year: 2015, month: m)) }

    func testTheDatedNetworkClosesHungarySerbiaOnTheSixteenth() throws {
        let rows = Self.rows("HU-RS")
        XCTAssertEqual(rows.count, 2)
        for (day, closed) in [("2015-09-15", false), ("2015-09-16", true)] {
            let costed = try CostModel.apply(CostModel.Parameters(), to: Self.dated, asOf: day)
            XCTAssertEqual(rows.map { costed.attributes[$0].closed }, [closed, closed], day)
        }
        let timeline = NetworkTimeline(network: Self.dated, from: Self.month(8).firstDay, through: Self.month(10).lastDay)
        XCTAssertEqual(timeline.starts.map(\.description), ["2015-08-01", "2015-09-16"])
        XCTAssertEqual(timeline.segments(of: Self.month(9)).map(\.days), [15, 15])
        XCTAssertEqual(timeline.segments(of: Self.month(8)).map(\.network), [0])
    }

    /// Izmir → Vienna, 1,000 people in August and in September. Every path crosses Serbia's border
    /// with Hungary or with Croatia, once. September's modelled totals are, by hand, 15/30 of an
    /// open day's (August's) plus 15/30 of a closed day's (Hungary 0, Croatia all 1,000).
    func testACalibrationMonthIsTheSumOfItsDaysOnTheirOwnNetworks() throws {
        let hu = Set(Self.rows("HU-RS")), hr = Set(Self.rows("HR-RS"))
        let counter: @Sendable (Int, Bool) -> [Int] = { row, _ in hu.contains(row) ? [0] : hr.contains(row) ? [1] : [] }
        let demand = [Demand(origin: Self.node("izmir"), destination: Self.node("vienna"), flow: 1000)]
        let periods = [8, 9].map { m in
            CalibrationPeriod(period: Self.month(m).description, set: .train, demand: demand, observed: ["HU": 500, "HR": 500],
                              days: Self.month(m))
        }
        let problem = CalibrationProblem(network: Self.dated, theta: 0.002,
                                         free: [FreeParameter(name: "theta", start: 0.002, lower: 0.001, upper: 0.01)],
                                         periods: periods, routes: ["HU", "HR"], counter: counter, workers: 2)
        let states = NetworkStates(problem)
        XCTAssertEqual(states.parts["2015-08"], [FixedSetObjective.Part(state: 0, share: 1)])
        XCTAssertEqual(states.parts["2015-09"], [FixedSetObjective.Part(state: 0, share: 0.5), FixedSetObjective.Part(state: 1, share: 0.5)])
        XCTAssertEqual(states.days, ["2015-08-01", "2015-09-16"])

        let start = try Calibration.startingObjective(problem)
        let fits = start.objective.fits(start.parameters, theta: start.theta)
        let august = fits[0].routes.map(\.modelled), september = fits[1].routes.map(\.modelled)
        XCTAssertEqual(august[0] + august[1], 1000, accuracy: 1e-6)
        XCTAssertGreaterThan(august[0], 100, "an open day sends many through Hungary")
        XCTAssertEqual(september[0], august[0] * 15 / 30, accuracy: 1e-6)
        XCTAssertEqual(september[1], august[1] * 15 / 30 + 1000 * 15 / 30, accuracy: 1e-6)
        XCTAssertEqual(fits[1].demand, 1000)
        XCTAssertEqual(fits[1].assigned, 1000, accuracy: 1e-9)

        // The same on the network of the month's first day throughout (`asOf`) gives August's figures.
        var first = problem
        first.periods = periods.map { var p = $0; p.days = nil; p.asOf = $0.period + "-01"; return p }
        let pinned = try Calibration.startingObjective(first)
        XCTAssertEqual(pinned.objective.fits(pinned.parameters, theta: pinned.theta)[1].routes.map(\.modelled), august)

        // A full calibration reports the split month the same way at its parameters.
        var short = problem
        short.maxEvaluations = 5
        short.rounds = 1
        let result = try Calibration.run(short)
        let aug = result.periods[0].routes.map(\.modelled), sep = result.periods[1].routes.map(\.modelled)
        XCTAssertEqual(sep[0], aug[0] / 2, accuracy: 1e-6)
        XCTAssertEqual(sep[1], aug[1] / 2 + 500, accuracy: 1e-6)
    }

    static let catalogue = """
    episodes:
      - id: D1
        name: Bulgaria–Serbia closed from 6 September on a network that closes Hungary–Serbia on the 16th
        interventions:
          - close: BG-RS
            from: 2015-09-06
        before: 2015-08:2015-08
        after: 2015-09:2015-09
        elements:
          - {border: HU-RS, before: 1000, after: 0, source: hand-made}
          - {border: HR-RS, before: 0, after: 1000, source: hand-made}
          - {border: BG-RS, before: 500, after: 0, source: hand-made}
          - {border: GR-MK, before: 500, after: 1000, source: hand-made}
    """

    static let pairs: [(String, String, Double)] = [("izmir", "vienna", 1000), ("izmir", "budapest", 300), ("athens", "vienna", 200)]

    /// The backtest's months (three parts in September: all open; Bulgaria–Serbia closed from the
    /// 6th; Hungary–Serbia too from the 16th) against `simulate --periods` of the same scenario, a
    /// second implementation (`PeriodSimulation` on the full logit assignment): every element's
    /// crossings (both directions, every section) agree, with and without the option not to go.
    func testBacktestMonthsEqualSimulatePeriods() throws {
        let catalogue = try EpisodeCatalogue.parse(Self.catalogue)
        let (_, data) = try ObservationFixtures.load()
        for outside in [nil, 2500.0] {
            var p = CostModel.Parameters()
            p.outsideOption = outside
            let demand = Self.pairs.map { Demand(origin: Self.node($0.0), destination: Self.node($0.1), flow: $0.2) }
            let inputs = Backtest.Inputs(network: Self.dated, parameters: p, theta: 0.002, choiceSet: ChoiceSetSettings().rule(size: 4),
                                         demand: { _ in demand }, routeCounter: { _, _ in [] }, workers: 2)
            let result = try Backtest.run(catalogue, inputs)[0]

            let scenario = try ScenarioParser.parse("""
            name: D1
            demand:
            \(Self.pairs.map { "  - {origin: \($0.0), destination: \($0.1), flow: \(Int($0.2))}" }.joined(separator: "\n"))
            periods: 2015-08:2015-09
            assignment: {method: logit, k: 4, theta: 0.002}
            \(outside.map { "cost_model: {outside_option: \($0)}" } ?? "")
            interventions:
              - close: BG-RS
                from: 2015-09-06
            """, file: "d1.yaml")
            let run = try Simulation.runPeriods(scenario: scenario, network: Self.dated, observations: data, workers: 2)
            XCTAssertEqual(run.report.periods.map(\.period.description), ["2015-08", "2015-09"])
            for (i, element) in result.elements.enumerated() {
                guard case .border(let border) = element.element.target else { continue }
                let rows = Self.rows(border)
                XCTAssertFalse(rows.isEmpty, border)
                let simulated = run.report.periods.map { period in rows.reduce(0.0) { $0 + period.report.result.edgeFlows[$1] } }
                XCTAssertEqual(element.modelledBefore, simulated[0], accuracy: 1e-6 * max(1, simulated[0]), "\(border) August, outside \(String(describing: outside))")
                XCTAssertEqual(element.modelledAfter, simulated[1], accuracy: 1e-6 * max(1, simulated[1]), "\(border) September, outside \(String(describing: outside))")
                if i == 0 { XCTAssertGreaterThan(simulated[0] - simulated[1], 100, "Hungary–Serbia loses its flow in September") }
            }
        }
    }
}
