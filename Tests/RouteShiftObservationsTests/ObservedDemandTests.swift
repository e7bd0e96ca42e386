import XCTest
import RouteShiftCore
import RouteShiftNetwork
@testable import RouteShiftObservations
import RouteShiftTestSupport

/// The fixture (Fixtures/mini) is small enough to work every figure out by hand; each
/// expected value below is written as the arithmetic that gives it.
final class ObservedDemandTests: XCTestCase {
    static var fixture: String { Bundle.module.path(forResource: "Fixtures/mini", ofType: nil)! }

    func load() throws -> (ObservationData, RouteNetwork) {
        (try ObservationData.load(directory: Self.fixture), try NetworkSource.load(Self.fixture + "/network.geojson"))
    }

    func testTablesReadEveryFieldAsText() throws {
        let (data, _) = try load()
        XCTAssertEqual(data.countries.alpha2ByAlpha3["NAM"], "NA")   // Namibia's code, not a missing value
        XCTAssertEqual(data.frontex.rows.count, 10)
        XCTAssertEqual(data.frontex.coverage?.description, "2015-09:2015-10")
        // EU27 is an aggregate of the reporting countries, not one of them.
        XCTAssertEqual(data.asylum.reportingCountries, ["DEU", "SWE"])
        XCTAssertEqual(data.asylum.applicants[2015]?["SYR"], ["DEU": 300, "SWE": 100])
        // Only refugees and asylum-seekers count as stocks (the returnee row is left out).
        XCTAssertEqual(data.stocks.people[2014]?["SYR"]?["TUR"], 2_000_000)
        // A quoted field with a comma and a line break is one field.
        let split = data.incidents.incidents[1]
        XCTAssertEqual(split.type, .split)
        XCTAssertEqual(split.coordinate, Coordinate(longitude: 26.9, latitude: 38.8))
        XCTAssertEqual(data.incidents.incidents.count, 7)
        XCTAssertEqual(data.incidents.incidents[2].line, 5)   // the quoted line break moved it one line down
    }

    func testPeopleAreCountedOnceAtFirstEntry() throws {
        let (data, network) = try load()
        let demand = try ObservedDemand.build(periods: [try Period.parse("2015-09")], data: data, network: network)
        func account(_ n: String) -> ObservedDemand.Account { demand.accounts.first { $0.nationality == n }! }
        // EM sea: SYR 100, AFG 50, OOO 30 shared 100:50; WB: SRB 10 counted, SYR 80 and OOO 40 secondary.
        XCTAssertEqual(account("SYR").firstEntries, 100)
        XCTAssertEqual(account("SYR").unknownShare, 30.0 * 100 / 150, accuracy: 1e-9)
        XCTAssertEqual(account("SYR").secondary, 80)
        XCTAssertEqual(account("AFG").placed, 50 + 30.0 * 50 / 150, accuracy: 1e-9)
        XCTAssertEqual(account("SRB").placed, 10, accuracy: 1e-9)
        XCTAssertEqual(account("OOO").unknownShare, 30)
        XCTAssertEqual(account("OOO").secondary, 40)
        // Rows add up to the hand sums per nationality.
        func rowSum(_ n: String) -> Double { demand.rows.filter { $0.nationality == n }.reduce(0) { $0 + $1.flow } }
        XCTAssertEqual(rowSum("SYR"), 120, accuracy: 1e-9)
        XCTAssertEqual(rowSum("AFG"), 60, accuracy: 1e-9)
        XCTAssertEqual(rowSum("SRB"), 10, accuracy: 1e-9)
        XCTAssertEqual(demand.totals, [190], accuracy: 1e-9)
    }

    /// Western Balkans detections of nationals a flight into the region admits are first
    /// entries, in the share of the month's days the flight was open to them.
    func testWesternBalkansDetectionsOfNationalsFlyingInAreEntries() throws {
        let (data, _) = try load()
        var json = try String(contentsOfFile: Self.fixture + "/network.geojson", encoding: .utf8)
        // Istanbul → Belgrade, boarded by Syrians from 11 September to 10 October 2015 only, and an
        // Istanbul → Berlin flight open to them too (not into the region: no effect).
        let air = """
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[28.97, 41.01], [20.46, 44.82]]}, \
        "properties": {"id": 901, "source": 3, "target": 7, "kind": "air", "mode": "air", "cost": 800, "reverse_cost": -1, \
        "entry": [{"nationalities": "*", "access": "barred"}, \
        {"nationalities": "SYR", "access": "open", "from": "2015-09-11", "until": "2015-10-11"}]}}
        """
        let last = json.range(of: "]", options: .backwards)!
        json.replaceSubrange(last, with: ", " + air + "]")
        let dir = try TemporaryDirectory()
        let path = dir.path + "/network.geojson"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        let network = try NetworkSource.load(path)
        let demand = try ObservedDemand.build(periods: try Period.parse("2015-09:2015-10").split(by: .month), data: data, network: network)
        func account(_ p: String, _ n: String) -> ObservedDemand.Account {
            demand.accounts.first { $0.period.description == p && $0.nationality == n }!
        }
        // September: WB SYR 80 on 20 of 30 days open; OOO 40 stays secondary (no nationality to fly).
        XCTAssertEqual(account("2015-09", "SYR").flownIn, 80.0 * 20 / 30, accuracy: 1e-9)
        XCTAssertEqual(account("2015-09", "SYR").secondary, 80.0 * 10 / 30, accuracy: 1e-9)
        XCTAssertEqual(account("2015-09", "SYR").firstEntries, 100 + 80.0 * 20 / 30, accuracy: 1e-9)
        XCTAssertEqual(account("2015-09", "OOO").secondary, 40)
        XCTAssertEqual(account("2015-09", "SRB").placed, 10, accuracy: 1e-9)
        // October: WB SYR 150 on 10 of 31 days.
        XCTAssertEqual(account("2015-10", "SYR").flownIn, 150.0 * 10 / 31, accuracy: 1e-9)
        XCTAssertEqual(demand.totals[0], 190 + 80.0 * 20 / 30, accuracy: 1e-9)
        XCTAssertEqual(demand.totals[1], 206 + 150.0 * 10 / 31, accuracy: 1e-9)
        // Without the flight nothing is flown in (the fixture's own network).
        let (_, plain) = try load()
        let before = try ObservedDemand.build(periods: [try Period.parse("2015-09")], data: data, network: plain)
        XCTAssertEqual(before.accounts.reduce(0) { $0 + $1.flownIn }, 0)
    }

    func testOriginsFromNationalityAndFirstAsylumStocks() throws {
        let (data, network) = try load()
        let demand = try ObservedDemand.build(periods: [try Period.parse("2015-09")], data: data, network: network)
        func flow(_ o: String, _ d: String, _ n: String) -> Double? {
            demand.rows.first { $0.originHub == o && $0.destinationHub == d && $0.nationality == n }?.flow
        }
        // SYR 120 people. Origins: Syria's hubs 2M + 2M population; Turkey's UNHCR stock 2M spread over
        // istanbul (10M) and izmir (3M); Iran's 30,000 is under 1% of 6.03M and left out; Lebanon has no hub;
        // Germany reports to Eurostat, so it is a destination, not a first-asylum country.
        // Destinations: DEU 300, SWE 100 → berlin 3/4, stockholm 1/4.
        XCTAssertEqual(flow("damascus", "berlin", "SYR")!, 120 * (2.0 / 6) * 0.75, accuracy: 1e-9)
        XCTAssertEqual(flow("istanbul", "stockholm", "SYR")!, 120 * (2.0 * 10 / 13 / 6) * 0.25, accuracy: 1e-9)
        XCTAssertEqual(flow("izmir", "berlin", "SYR")!, 120 * (2.0 * 3 / 13 / 6) * 0.75, accuracy: 1e-9)
        XCTAssertNil(flow("tehran", "berlin", "SYR"))
        // AFG 60: kabul 4M population, tehran 0.95M stock (Pakistan has no hub); Eurostat has AFG only
        // in 2016 (nearest year): all to stockholm.
        XCTAssertEqual(flow("kabul", "stockholm", "AFG")!, 60 * 4 / 4.95, accuracy: 1e-9)
        XCTAssertEqual(flow("tehran", "stockholm", "AFG")!, 60 * 0.95 / 4.95, accuracy: 1e-9)
        // SRB has no applications at all: all nationalities of 2015 (DEU 305 incl. NAM, SWE 100).
        XCTAssertEqual(flow("belgrade", "berlin", "SRB")!, 10 * 305.0 / 405, accuracy: 1e-9)
        let row = demand.rows.first { $0.originHub == "istanbul" && $0.nationality == "SYR" }!
        XCTAssertEqual(row.source, "Frontex 2015-09 first entries; origin UNHCR 2014 stock in TR; destination Eurostat 2015 first-time applicants")
        let afg = demand.rows.first { $0.nationality == "AFG" }!
        XCTAssertTrue(afg.source.hasSuffix("destination Eurostat 2016 first-time applicants"), afg.source)
    }

    func testPeriodsSplitAndUnknownWithoutKnownNationalityIsUnplaced() throws {
        let (data, network) = try load()
        let demand = try ObservedDemand.build(periods: try Period.parse("2015-09:2015-10").split(by: .month), data: data, network: network)
        XCTAssertEqual(demand.totals[0], 190, accuracy: 1e-9)
        XCTAssertEqual(demand.totals[1], 200 + 6, accuracy: 1e-9)      // SYR 200 + NAM 6; the WB SYR 150 are secondary
        let october = demand.accounts.filter { $0.period.description == "2015-10" }
        XCTAssertEqual(october.first { $0.nationality == "OOO" }?.unplaced, 7)   // CM OOO with no known nationality
        // Namibians start at Windhoek ('NA' read as a code) and go to Berlin (their only application).
        XCTAssertEqual(demand.rows.first { $0.nationality == "NAM" }?.originHub, "windhoek")
        // Whole range as one period: the same people.
        let whole = try ObservedDemand.build(periods: [try Period.parse("2015-09:2015-10")], data: data, network: network)
        XCTAssertEqual(whole.totals[0], 190 + 206, accuracy: 1e-9)
        let filtered = try ObservedDemand.build(periods: [try Period.parse("2015-09")], data: data, network: network, nationalities: ["AFG"])
        XCTAssertEqual(filtered.totals[0], 60, accuracy: 1e-9)
        XCTAssertEqual(Set(filtered.rows.map(\.nationality)), ["AFG"])
    }

    /// Periods are built side by side in runs; what makes that exact is that a period's rows and
    /// accounts depend on that period alone: built together or one by one, they are the same.
    func testEachPeriodsRowsAreThoseOfThatPeriodAlone() throws {
        let (data, network) = try load()
        let periods = try Period.parse("2015-09:2015-10").split(by: .month)
        let together = try ObservedDemand.build(periods: periods, data: data, network: network)
        let alone = try periods.map { try ObservedDemand.build(periods: [$0], data: data, network: network) }
        XCTAssertEqual(together.rows, alone.flatMap(\.rows))
        XCTAssertEqual(together.accounts, alone.flatMap(\.accounts))
        XCTAssertEqual(Set(together.rows.map(\.period)).count, 2)
    }

    func testBadInputNamesTheValueAndTheNearestValidOne() throws {
        let (data, network) = try load()
        XCTAssertThrowsError(try ObservedDemand.build(periods: [try Period.parse("2016-01")], data: data, network: network)) { error in
            let e = error as! InputError
            XCTAssertTrue(e.message.contains("outside the Frontex data"), e.message)
            XCTAssertEqual(e.suggestions, ["2015-10"])
        }
        XCTAssertThrowsError(try ObservedDemand.build(periods: [try Period.parse("2015-09")], data: data, network: network, nationalities: ["SYX"])) { error in
            let e = error as! InputError
            XCTAssertTrue(e.message.contains("'SYX'"), e.message)
            XCTAssertEqual(e.suggestions, ["SYR"])
        }
        // An empty period: no first entries of that nationality in October.
        XCTAssertThrowsError(try ObservedDemand.build(periods: [try Period.parse("2015-10")], data: data, network: network, nationalities: ["AFG"])) { error in
            XCTAssertTrue((error as! InputError).message.contains("no first-entry detections"))
        }
    }

    func testMalformedTableNamesFileLineAndColumn() throws {
        let dir = try TemporaryDirectory("obs-bad")
        let path = dir.path("frontex_detections_monthly.csv")
        try "month,route,type,nationality,detections\n2015-09,Eastern Mediteranean Route,Sea,SYR,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try FrontexDetections.read(path: path)) { error in
            let e = error as! InputError
            XCTAssertEqual(e.location, InputLocation(file: path, line: 2, path: "route"))
            XCTAssertEqual(e.suggestions.first, "Eastern Mediterranean Route")
        }
        try "month,route,type,nationality,detections\n2015-09,Other,Sea,SYR,-3\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try FrontexDetections.read(path: path)) { error in
            XCTAssertEqual((error as! InputError).location.path, "detections")
        }
        XCTAssertThrowsError(try ObservationData.load(directory: dir.path("missing"))) { error in
            XCTAssertTrue(error is ObservationDataNotFound)
        }
    }

    /// The tables are read side by side; with two of them malformed, the error is always the
    /// first in the documented order (the UNHCR stocks before the Frontex detections).
    func testLoadReportsTheFirstBadTableInItsOrder() throws {
        let dir = try TemporaryDirectory("obs-two-bad")
        for file in [ObservationData.asylumFile, ObservationData.incidentsFile, ObservationData.countriesFile] {
            try FileManager.default.copyItem(atPath: Self.fixture + "/" + file, toPath: dir.path(file))
        }
        try "month,route,type,nationality,detections\n2015-09,Other,Sea,SYR,x\n"
            .write(toFile: dir.path(ObservationData.frontexFile), atomically: true, encoding: .utf8)
        try "year,country_of_asylum,origin,group,people\n2014,TUR,SYR,refugee,many\n"
            .write(toFile: dir.path(ObservationData.stocksFile), atomically: true, encoding: .utf8)
        for _ in 0..<5 {
            XCTAssertThrowsError(try ObservationData.load(directory: dir.path)) { error in
                XCTAssertEqual((error as? InputError)?.location, InputLocation(file: dir.path(ObservationData.stocksFile), line: 2, path: "people"))
            }
        }
        // With the stocks repaired, the Frontex table's error is the one reported.
        try FileManager.default.removeItem(atPath: dir.path(ObservationData.stocksFile))
        try FileManager.default.copyItem(atPath: Self.fixture + "/" + ObservationData.stocksFile, toPath: dir.path(ObservationData.stocksFile))
        XCTAssertThrowsError(try ObservationData.load(directory: dir.path)) { error in
            XCTAssertEqual((error as? InputError)?.location, InputLocation(file: dir.path(ObservationData.frontexFile), line: 2, path: "detections"))
        }
    }

    /// A route is found by its Frontex name or key as written, and by any case or padding of them.
    func testRoutesByNameOrKeyInAnyCase() {
        for r in FrontexRoute.allCases {
            for name in [r.rawValue, r.key, r.rawValue.uppercased(), " \(r.rawValue.lowercased())\t", " \(r.key.uppercased()) "] {
                XCTAssertEqual(FrontexRoute(name: name), r, name)
            }
        }
        XCTAssertNil(FrontexRoute(name: "Eastern Mediteranean Route"))
        XCTAssertNil(FrontexRoute(name: ""))
    }
}

func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
