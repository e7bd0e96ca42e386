import Foundation
import XCTest
@testable import RouteShiftAgents
import RouteShiftTestSupport

/// Reading Flee scenario directories as Flee's own reader does.
final class FleeInputTests: XCTestCase {
    /// Flee strips the header names and values of conflicts.csv (`headers[i].strip()` in
    /// InputGeography.ReadConflictInputCSV); Ethiopia 2020's header is `"#Day"," Adigrat",…`.
    func testConflictHeaderNamesWithSpacesMatchTheirLocations() throws {
        let dir = try TemporaryDirectory("rs-flee-input")
        let files = [
            "locations.csv": "\"#name\",\"region\",\"country\",\"lat\",\"lon\",\"location_type\",\"conflict_date\",\"population\"\n"
                + "\"A\",\"r\",\"X\",1,30,\"conflict_zone\",0,100\n\"B\",\"r\",\"X\",1,31,\"conflict_zone\",1,100\n\"C\",\"r\",\"Y\",2,31,\"camp\",0,50\n",
            "routes.csv": "\"#name1\",\"name2\",\"distance\",\"forced_redirection\"\n\"A\",\"C\",100,\n\"B\",\"C\",100,\n",
            "conflicts.csv": "\"#Day\",\" A\",\" B\"\n0,1,0\n1,1, 1\n",
        ]
        for (name, text) in files { try text.write(to: dir.url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let input = try FleeScenarioInput.read(directory: dir.path)
        XCTAssertEqual(input.warnings, [])
        XCTAssertEqual(input.conflicts?.names, ["A", "B"])
        XCTAssertEqual(input.conflicts?.intensity, [[1, 0], [1, 1]])
    }
}
