import Foundation
import RouteShiftCore
import RouteShiftNetwork
import RouteShiftTestSupport
import XCTest
@testable import RouteShiftAgents

final class ValidationTests: XCTestCase {
    func testInterpolationTruncatesToWholePeople() {
        let data = ValidationData(names: ["total", "C"], tables: [[(0, 0), (10, 100)], [(2, 10), (5, 11), (9, 20)]])
        XCTAssertEqual(data.value(0, day: -3), 0)
        XCTAssertEqual(data.value(0, day: 3), 30)
        XCTAssertEqual(data.value(0, day: 25), 100)
        XCTAssertEqual(data.value(1, day: 0), 10)
        XCTAssertEqual(data.value(1, day: 4), 10)  // 10 + 2/3 → 10
        XCTAssertEqual(data.value(1, day: 7), 15)  // 11 + 2/4 × 9 = 15.5 → 15
    }

    /// A correction on the row of day 20 scales the rows before it by 100 / 40.
    func testRegistrationCorrectionScalesEarlierRows() throws {
        var data = ValidationData(names: ["C"], tables: [[(0, 10), (10, 40), (20, 100)]])
        try data.apply(RegistrationCorrection(name: "C", day: 1000 + 20, line: 1), startDay: 1000, file: "corrections.csv")
        XCTAssertEqual(data.value(0, day: 0), 25)
        XCTAssertEqual(data.value(0, day: 10), 100)
        XCTAssertEqual(data.value(0, day: 5), 62)  // 25 + 0.5 × 75 = 62.5
        XCTAssertThrowsError(try data.apply(RegistrationCorrection(name: "C", day: 1000 + 7, line: 3), startDay: 1000,
                                            file: "corrections.csv")) { error in
            XCTAssertTrue("\(error)".contains("corrections.csv:3"), "\(error)")
        }
        // Before the start: ignored, as Flee does.
        XCTAssertNoThrow(try data.apply(RegistrationCorrection(name: "C", day: 990, line: 4), startDay: 1000, file: "c.csv"))
    }

    /// ARD(t) = Σ|sim − obs| / max(Σobs, 1) over the camps with data.
    func testAveragedRelativeDifference() {
        let result = FleeSimulation.Result(
            names: ["A", "X", "Y", "Z"], campIndices: [1, 2, 3], routeCount: 0, startDay: 0,
            counts: [[0, 10, 0, 5], [0, 30, 10, 99]], crossings: [[], []], totals: [15, 139], refugeesRaw: [0, 0],
            refugeeDebt: [0, 0], observed: [[20, 0, nil], [20, 20, nil]], agentCount: 139, bytesPerAgent: 22)
        let score = ValidationScore(result)!
        XCTAssertEqual(score.daily[0], 10.0 / 20, accuracy: 1e-12)
        XCTAssertEqual(score.daily[1], 20.0 / 40, accuracy: 1e-12)
        XCTAssertEqual(score.mean, 0.5, accuracy: 1e-12)
        XCTAssertEqual(score.final, 0.5, accuracy: 1e-12)
    }

    /// Flee's test city (../shared/flee-testcity): conflict zone A spawns; the validation series
    /// D, E and F go from 20, 60 and 20 on 2010-01-01 to 500, 500 and 200 on 2010-01-11, and the
    /// ABC-DEF border is closed on days 5-7.
    func testFleeTestCityEndToEnd() throws {
        let dir = SourceTree.fleeTestCity.path
        guard FileManager.default.fileExists(atPath: dir + "/locations.csv") else { throw XCTSkip("../shared/flee-testcity absent") }
        let input = try FleeScenarioInput.read(directory: dir)
        let start = CalendarDay(year: 2010, month: 1, day: 1).ordinal
        let data = try ValidationData.read(directory: dir + "/refugee_data", startDay: start)
        let sim = try FleeSimulation(input: input, validation: data, seed: 4, days: 10, startDay: start, threads: 2)
        let result = try sim.run()
        // Day 0: camp E starts with its 60 (D is a town and F no location, so none are placed
        // there); then the daily increases of D, E and F: D(9) = int(20 + 0.9 × 480) = 452,
        // E(9) = int(60 + 0.9 × 440) = 456, F(9) = int(20 + 0.9 × 180) = 182.
        XCTAssertEqual(result.totals[0], 60)
        XCTAssertEqual(result.totals[9], 60 + (452 - 20) + (456 - 60) + (182 - 20))
        // Flee's raw count: every series on day 0 (Total 100 + 20 + 60 + 20), then the increases.
        XCTAssertEqual(result.refugeesRaw[0], 200)
        // Nobody completes a cross-border link while the border is closed (days 5-7).
        let countries = Dictionary(uniqueKeysWithValues: input.locations.map { ($0.name, $0.country) })
        let border = input.routes.indices.filter { countries[input.routes[$0].name1] != countries[input.routes[$0].name2] }
        XCTAssertFalse(border.isEmpty)
        for t in 5...7 { for r in border { XCTAssertEqual(result.crossings[t][r], 0, "day \(t) route \(r + 1)") } }
        XCTAssertGreaterThan(border.map { Int(result.crossings[8][$0]) }.reduce(0, +)
                             + border.map { Int(result.crossings[4][$0]) }.reduce(0, +), 0)
        let files = try AgentReport.render(result, context: .init(input: input, validationDirectory: dir, seed: 4))
        let out = String(decoding: files.first { $0.name == "out.csv" }!.bytes, as: UTF8.self)
        XCTAssertTrue(out.hasPrefix("Day,Date,N sim,N data,N error,E sim,E data,E error,S sim"), out)
        XCTAssertTrue(out.contains("\n0,2010-01-02,"))
    }
}
