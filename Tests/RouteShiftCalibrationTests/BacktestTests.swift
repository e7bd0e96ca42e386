import XCTest
import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftScenario
import RouteShiftSimulation
@testable import RouteShiftCalibration

final class BacktestTests: XCTestCase {
    static let catalogue = """
    episodes:
      - id: T1
        name: Hungary–Serbia closed from 15 September
        interventions:
          - close: HU-RS
            from: 2015-09-15
        before: 2015-08:2015-08
        after: 2015-10:2015-10
        elements:
          - {border: HU-RS, before: 1000, after: 0, source: hand-made}
          - {border: HR-RS, before: 0, after: 1000, source: hand-made}
    """

    private func inputs(outside: Double? = nil) -> Backtest.Inputs {
        var p = CostModel.Parameters()
        p.outsideOption = outside
        return Backtest.Inputs(network: CalibrationTests.network, parameters: p, theta: 0.002,
                               choiceSet: ChoiceSetSettings().rule(size: 4),
                               demand: { _ in [Demand(origin: 1, destination: 9, flow: 1000)] },
                               routeCounter: { _, _ in [] }, workers: 2)
    }

    /// Sep 2015 with a closure from the 15th: 14 days without, 16 with (hand count), the
    /// split of `simulate --periods` (`NetworkTimeline.segments`).
    func testMonthIsSplitByTheDaysAnInterventionIsInForce() throws {
        let c = try EpisodeCatalogue.parse(Self.catalogue)
        let windows = try c.episodes[0].interventions.map { try $0.calendarWindow() }
        let timeline = NetworkTimeline(network: CalibrationTests.network, from: CalendarDay(year: 2015, month: 8, day: 1),
                                       through: CalendarDay(year: 2015, month: 10, day: 31))
        let september = timeline.segments(of: Period(month: YearMonth(year: 2015, month: 9)), windows: windows)
        XCTAssertEqual(september.map(\.inForce), [[false], [true]])
        XCTAssertEqual(september.map(\.days), [14, 16])
        XCTAssertEqual(timeline.segments(of: Period(month: YearMonth(year: 2015, month: 8)), windows: windows).map(\.inForce), [[false]])
        // A window written in day numbers has no date: named at its key.
        let days = Self.catalogue.replacingOccurrences(of: "from: 2015-09-15", with: "from: 12")
        XCTAssertThrowsError(try Backtest.run(try EpisodeCatalogue.parse(days, file: "e.yaml"), inputs())) { error in
            XCTAssertTrue("\(error)".contains("day number"), "\(error)")
            XCTAssertEqual((error as? InputError)?.location.path, "$.episodes[0].interventions[0].from", "\(error)")
        }
    }

    /// Everyone from Izmir to Vienna crosses Serbia's border with Hungary or Croatia,
    /// so before the closure HU-RS + HR-RS carry the whole 1,000; after it HU-RS carries nothing.
    func testClosureMovesTheFlowAndTheVerdictFollows() throws {
        let results = try Backtest.run(try EpisodeCatalogue.parse(Self.catalogue), inputs())
        let r = results[0]
        XCTAssertEqual(r.elements[0].modelledBefore + r.elements[1].modelledBefore, 1000, accuracy: 1e-6)
        XCTAssertEqual(r.elements[0].modelledAfter, 0, accuracy: 1e-9)
        XCTAssertEqual(r.elements[1].modelledAfter, 1000, accuracy: 1e-6)
        XCTAssertTrue(r.directionCorrect)
        XCTAssertEqual(r.magnitudeRatio!, r.elements[1].modelledChange / 1000, accuracy: 1e-12)
        XCTAssertGreaterThan(r.magnitudeRatio!, 0.5)
        // With the option not to go, some of the diverted flow stays home instead.
        let deterred = try Backtest.run(try EpisodeCatalogue.parse(Self.catalogue), inputs(outside: 300))[0]
        XCTAssertLessThan(deterred.elements[1].modelledAfter, 1000 - 1)
        let json = String(decoding: try GeoJSON.encode(BacktestReport.json(results, context: [:])), as: UTF8.self)
        XCTAssertTrue(json.contains("\"schema\":\"routeshift.backtest/1\""))
        XCTAssertTrue(BacktestReport.text(results).contains("direction right in 1 of 1"))
    }

    /// A model in which the record's gainer does not gain gets the direction wrong, even
    /// when everything else falls by more (hand-made figures).
    func testDirectionNeedsTheGainerToGain() {
        let episode = try! EpisodeCatalogue.parse(Self.catalogue).episodes[0]
        let falls = episode.elements.map { ElementResult(element: $0, modelledBefore: 100, modelledAfter: 0) }
        XCTAssertFalse(Backtest.verdict(episode, falls).directionCorrect)
        let right = [ElementResult(element: episode.elements[0], modelledBefore: 900, modelledAfter: 0),
                     ElementResult(element: episode.elements[1], modelledBefore: 100, modelledAfter: 700)]
        let verdict = Backtest.verdict(episode, right)
        XCTAssertTrue(verdict.directionCorrect)
        XCTAssertEqual(verdict.magnitudeRatio!, 0.6, accuracy: 1e-12)
    }

    func testUnknownBorderIsNamedWithTheNearestOne() throws {
        let bad = Self.catalogue.replacingOccurrences(of: "{border: HR-RS,", with: "{border: HR-RZ,")
        XCTAssertThrowsError(try Backtest.run(try EpisodeCatalogue.parse(bad, file: "e.yaml"), inputs())) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("e.yaml:11"), text)
            XCTAssertTrue(text.contains("HR-RS"), text)
        }
        XCTAssertThrowsError(try EpisodeCatalogue.parse(Self.catalogue.replacingOccurrences(of: "before: 2015-08:2015-08",
                                                                                          with: "before: 2015-11:2015-11")))
    }
}
