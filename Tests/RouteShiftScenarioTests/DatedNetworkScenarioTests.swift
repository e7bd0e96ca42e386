import Foundation
import RouteShiftCore
import RouteShiftNetwork
import RouteShiftScenarioFixtures
@testable import RouteShiftScenario
import RouteShiftSimulation
import RouteShiftTestSupport
import XCTest

/// A scenario's day selects the network as it stood (`date:`, else the first day of its periods),
/// and demand rows carry their nationality into a class of travellers.
final class DatedNetworkScenarioTests: XCTestCase {
    func bundled() throws -> RouteNetwork {
        let path = SourceTree.geodata + "/network.geojson"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no \(path)") }
        return try NetworkSource.load(path)
    }

    func testDateAndPeriodsSelectTheNetworkDay() throws {
        let dated = try ScenarioParser.parse("name: x\ndemand: [{origin: a, destination: b, flow: 1}]\ndate: 2023-11\n")
        XCTAssertEqual(dated.asOf, "2023-11-01")
        XCTAssertEqual(dated.networkDay, "2023-11-01")
        let periods = try ScenarioParser.parse("name: x\ndemand: observed\nperiods: 2015-07:2016-06\n")
        XCTAssertNil(periods.asOf)
        XCTAssertEqual(periods.networkDay, "2015-07-01")
        let both = try ScenarioParser.parse("name: x\ndemand: observed\nperiods: 2015-07:2016-06\ndate: 2015-09-20\n")
        XCTAssertEqual(both.networkDay, "2015-09-20")
        let plain = try ScenarioParser.parse("name: x\ndemand: [{origin: a, destination: b, flow: 1}]\n")
        XCTAssertNil(plain.networkDay, "a single run without a date: the current network")
        XCTAssertThrowsError(try ScenarioParser.parse("name: x\ndemand: [{origin: a, destination: b, flow: 1}]\ndate: 2023-13-01\n",
                                                      file: "s.yaml")) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.location.line, 3)
            XCTAssertEqual(e?.location.path, "$.date")
            XCTAssertTrue(e?.message.contains("'2023-13-01'") ?? false)
        }
        XCTAssertThrowsError(try ScenarioParser.parse("name: x\ndemand: [{origin: a, destination: b, flow: 1}]\ndat: 2023-11-01\n")) { error in
            XCTAssertTrue((error as? InputError)?.suggestions.contains("date") ?? false)
        }
    }

    /// Raja-Jooseppi (FI-RU-004) closed on 30 November 2023: open in a scenario dated before, closed in
    /// one dated after and in the current network.
    func testTheCostedNetworkIsTheOneOfTheScenarioDay() throws {
        let network = try bundled()
        let row = try XCTUnwrap(network.resolveEdges("FI-RU-004").first)
        func closed(_ yaml: String) throws -> Bool {
            let s = try ScenarioParser.parse("name: x\ndemand: [{origin: helsinki, destination: berlin, flow: 1}]\n" + yaml)
            return try ScenarioResolver.costed(s, network: network).attributes[row].closed
        }
        XCTAssertFalse(try closed("date: 2023-11-29\n"))
        XCTAssertTrue(try closed("date: 2023-11-30\n"))
        XCTAssertTrue(try closed(""))
        // The entry rules of the day: Iraqis may fly Istanbul → Minsk in September 2021 only.
        let air = try XCTUnwrap((0..<network.edgeCount).first { network.edgeString("segment", row: $0) == "AIR-istanbul-minsk" })
        let s = try ScenarioParser.parse("name: x\ndemand: [{origin: istanbul, destination: berlin, flow: 1}]\ndate: 2021-09-01\n")
        let iraqi = network.entryClasses.userClass(of: "IRQ")
        XCTAssertFalse(try ScenarioResolver.costed(s, network: network).barredRows[iraqi]?.contains(BarredEdge(row: air)) ?? false)
        XCTAssertTrue(try ScenarioResolver.costed(s, network: network).barredRows[EntryClasses.unnamed]?.contains(BarredEdge(row: air)) ?? false)
    }

    func testDemandRowsCarryTheirNationalityIntoAClass() throws {
        let network = try bundled()
        let dir = try TemporaryDirectory("rs-scen")
        try "origin,destination,flow,nationality\nistanbul,berlin,10,IRQ\nistanbul,berlin,5,SYR\nistanbul,berlin,2,\nistanbul,berlin,1,MAR\n"
            .write(toFile: dir.path("d.csv"), atomically: true, encoding: .utf8)
        let rows = try ScenarioResolver.readDemandCSV(path: dir.path("d.csv"))
        XCTAssertEqual(rows.map(\.nationality), ["IRQ", "SYR", nil, "MAR"])
        let costed = try CostModel.apply(CostModel.Parameters(), to: network)
        let demand = try ScenarioResolver(costed: costed).resolve(rows)
        // Iraqis and Syrians are classes of their own; Moroccans and rows without a nationality share '*'.
        XCTAssertEqual(demand.map(\.userClass), ["IRQ", "SYR", "*"])
        XCTAssertEqual(demand.map(\.flow), [10, 5, 3])
        try "origin,destination,flow,nationality\nistanbul,berlin,10,Iraq\n".write(toFile: dir.path("bad.csv"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ScenarioResolver.readDemandCSV(path: dir.path("bad.csv"))) { error in
            XCTAssertEqual((error as? InputError)?.location, InputLocation(file: dir.path("bad.csv"), line: 2, path: "nationality"))
        }
    }
}
