import Foundation
import RouteShiftCore
import RouteShiftScenarioFixtures
@testable import RouteShiftScenario
import XCTest
import RouteShiftTestSupport

final class DemandCSVTests: XCTestCase {
    func testColumnsByNameQuotedFieldsAndExtraColumns() throws {
        let dir = try TemporaryDirectory("rs-scen")
        try #"""
        origin_hub,destination_hub,flow,period,route,source
        izmir,vienna,476,2019-01/2019-10,Western Balkans,"a note, with a comma and ""quotes"""
        "athens",budapest,12.5,,,
        """#.write(toFile: dir.path("d.csv"), atomically: true, encoding: .utf8)
        let rows = try ScenarioResolver.readDemandCSV(path: dir.path("d.csv"))
        XCTAssertEqual(rows.map(\.origin), ["izmir", "athens"])
        XCTAssertEqual(rows.map(\.destination), ["vienna", "budapest"])
        XCTAssertEqual(rows.map(\.flow), [476, 12.5])
        XCTAssertEqual(rows.map(\.location.line), [2, 3])

        try "from,to,flow\na,b,1\n".write(toFile: dir.path("bad.csv"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ScenarioResolver.readDemandCSV(path: dir.path("bad.csv"))) { error in
            XCTAssertEqual((error as? InputError)?.location.line, 1)
        }
        try "origin,destination,flow\na,b,lots\n".write(toFile: dir.path("bad.csv"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ScenarioResolver.readDemandCSV(path: dir.path("bad.csv"))) { error in
            XCTAssertEqual((error as? InputError)?.location, InputLocation(file: dir.path("bad.csv"), line: 2, path: "flow"))
        }
    }
}
