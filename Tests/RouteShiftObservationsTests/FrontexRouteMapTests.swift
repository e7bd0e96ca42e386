import XCTest
import RouteShiftTestSupport
import RouteShiftNetwork
@testable import RouteShiftObservations

final class FrontexRouteMapTests: XCTestCase {
    func testClassifiesByCountryPairArrivalCoastAndLabel() {
        func c(_ k: NetworkSchema.EdgeKind, _ a: String, _ b: String, _ label: String? = nil) -> String? {
            FrontexRouteMap.classify(kind: k, sourceCountry: a, targetCountry: b, label: label).map { "\($0.route.key) \($0.type.rawValue) \($0.entering.rawValue)" }
        }
        XCTAssertEqual(c(.border, "RS", "HU"), "western-balkans Land forward")
        XCTAssertEqual(c(.border, "HR", "BA"), "western-balkans Land backward")
        XCTAssertEqual(c(.border, "RS", "RO"), "western-balkans Land forward")
        XCTAssertEqual(c(.border, "MK", "BG"), "western-balkans Land forward")
        XCTAssertEqual(c(.border, "TR", "GR"), "eastern-mediterranean Land forward")
        XCTAssertEqual(c(.border, "BG", "TR"), "eastern-mediterranean Land backward")
        XCTAssertEqual(c(.border, "AL", "GR"), "circular-albania-greece Land forward")
        XCTAssertEqual(c(.border, "BY", "PL"), "eastern-borders Land forward")
        XCTAssertEqual(c(.border, "MA", "ES"), "western-mediterranean Land forward")
        XCTAssertNil(c(.border, "MK", "GR"))       // an exit from Greece, not an entry from the region
        XCTAssertNil(c(.border, "HR", "SI"))       // both inside
        XCTAssertNil(c(.border, "RS", "BA"))       // both outside
        XCTAssertNil(c(.border, "GI", "ES"))
        XCTAssertEqual(c(.sea, "TR", "GR", "Eastern Mediterranean"), "eastern-mediterranean Sea forward")
        XCTAssertEqual(c(.sea, "LB", "CY", "Eastern Mediterranean"), "eastern-mediterranean Sea forward")
        XCTAssertEqual(c(.sea, "TR", "IT", "Eastern Mediterranean"), "central-mediterranean Sea forward")   // Calabria
        XCTAssertEqual(c(.sea, "LY", "MT", "Central Mediterranean"), "central-mediterranean Sea forward")
        XCTAssertEqual(c(.sea, "MA", "ES", "Western African"), "western-african Sea forward")
        XCTAssertEqual(c(.sea, "MA", "ES", "Western Mediterranean"), "western-mediterranean Sea forward")
        XCTAssertEqual(c(.sea, "AL", "IT", "Western Balkans"), "western-balkans Sea forward")
        XCTAssertEqual(c(.sea, "TR", "RO", "Black Sea"), "black-sea Sea forward")
        XCTAssertNil(c(.sea, "FR", "GB", "Channel"))
        XCTAssertNil(c(.sea, "GR", "IT", "Eastern Mediterranean"))
        XCTAssertNil(c(.ferry, "TR", "GR", "Eastern Mediterranean"))
    }

    /// The bundled network against Frontex's own route notes: Western Balkans includes
    /// Croatia's borders with Bosnia and Herzegovina and Montenegro, Romania–Serbia and
    /// Bulgaria–Serbia/North Macedonia (and Hungary's and Croatia's with Serbia);
    /// Eastern Mediterranean the Greek and Bulgarian land borders with Turkey, the
    /// Greek islands and Cyprus.
    func testBundledNetworkRoutesFollowFrontexNotes() throws {
        let network = try NetworkSource.load(SourceTree.geodata + "/network.geojson")
        let map = FrontexRouteMap.build(network: network)
        func borders(_ r: FrontexRoute, _ t: CrossingType) -> Set<String> {
            Set(map.crossings(of: r).filter { $0.type == t }.compactMap { network.edgeString(NetworkSchema.border, row: $0.row) })
        }
        XCTAssertEqual(borders(.westernBalkans, .land), ["BA-HR", "BG-MK", "BG-RS", "HR-ME", "HR-RS", "HU-RS", "RO-RS"])
        XCTAssertEqual(borders(.easternMediterranean, .land), ["BG-TR", "GR-TR"])
        XCTAssertEqual(borders(.circularAlbaniaGreece, .land), ["AL-GR"])
        XCTAssertEqual(borders(.westernMediterranean, .land), ["ES-MA"])
        XCTAssertEqual(borders(.easternBorders, .land),
                       ["BY-LT", "BY-LV", "BY-PL", "EE-RU", "FI-RU", "HU-UA", "LT-RU", "LV-RU", "MD-RO", "NO-RU", "PL-RU", "PL-UA", "RO-UA", "SK-UA"])
        XCTAssertEqual(borders(.easternMediterranean, .sea), ["CY-LB", "GR-LY", "GR-TR"])
        XCTAssertTrue(borders(.centralMediterranean, .sea).isSuperset(of: ["IT-LY", "IT-TN", "LY-MT", "IT-TR"]))
        XCTAssertEqual(borders(.blackSea, .sea), ["BG-TR", "RO-TR"])
        // Every Hungary–Serbia section is entered from Serbia.
        for c in map.crossings(of: .westernBalkans) where network.edgeString(NetworkSchema.border, row: c.row) == "HU-RS" {
            let enteringNode = c.entering == .forward ? network.edges.targets[c.row] : network.edges.sources[c.row]
            XCTAssertEqual(FrontexRouteMap.country(network, enteringNode), "HU")
        }
    }
}
