import Foundation
import XCTest
import RouteShiftNetwork
import RouteShiftTestSupport

/// The default network is found only where the caller says to look (or the environment does).
final class GeodataSearchPathTests: XCTestCase {
    func testDefaultNetworkIsLookedForInThePassedDirectoriesInOrder() throws {
        guard ProcessInfo.processInfo.environment[NetworkSource.networkVariable] == nil,
              ProcessInfo.processInfo.environment[NetworkSource.geodataVariable] == nil else {
            throw XCTSkip("ROUTESHIFT_NETWORK or ROUTESHIFT_GEODATA is set")
        }
        let root = try TemporaryDirectory("rs-search")
        let empty = root.path("empty"), second = root.path("second"), third = root.path("third")
        for dir in [empty, second, third] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        try Data("{}".utf8).write(to: URL(fileURLWithPath: second + "/network.geojson"))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: third + "/network.geojson"))

        let search = GeodataSearchPath([empty, second, third])
        XCTAssertEqual(try NetworkSource.locate(nil, searchPath: search), second + "/network.geojson")
        XCTAssertEqual(NetworkSource.geodataFile("network.geojson", searchPath: search), second + "/network.geojson")

        XCTAssertThrowsError(try NetworkSource.locate(nil, searchPath: GeodataSearchPath([empty]))) { error in
            guard let e = error as? NetworkNotFound else { return XCTFail("\(error)") }
            XCTAssertNil(e.path)
            XCTAssertEqual(e.searched, [empty + "/network.geojson"])
        }
        XCTAssertEqual(GeodataSearchPath.besideExecutable("/opt/rs/bin/routeshift"),
                       ["/opt/rs/bin/../share/routeshift/Geodata", "/opt/rs/bin/Geodata"])
    }
}
