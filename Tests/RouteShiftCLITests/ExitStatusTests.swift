import RouteShiftCore
import RouteShiftGraph
import RouteShiftMaps
import RouteShiftNetwork
import XCTest
@testable import RouteShiftCommands

/// Exit codes come from the error's type, as the README's table documents them.
final class ExitStatusTests: XCTestCase {
    private struct Unknown: Error {}

    func testCodesFollowTheErrorDomain() {
        XCTAssertEqual(ExitStatus.code(for: InputError("bad value")), 65)
        XCTAssertEqual(ExitStatus.code(for: MissingInput(path: "d.csv", what: "demand CSV")), 66)
        XCTAssertEqual(ExitStatus.code(for: NetworkNotFound(path: nil, searched: ["a"])), 66)
        XCTAssertEqual(ExitStatus.code(for: MissingDependencyError(what: "rsvg-convert", package: "librsvg2-bin")), 69)
        XCTAssertEqual(ExitStatus.code(for: ContractError("k = 0", function: "Assignment.run", argument: "problem.method.k")), 70)
        XCTAssertEqual(ExitStatus.code(for: GraphError.unknownNode(7)), 65)
        XCTAssertEqual(ExitStatus.code(for: GraphError.overlayFromAnotherGraph), 70)
        XCTAssertEqual(ExitStatus.code(for: Unknown()), 70)
    }

    func testCommandWordsAreAddedByTheCommandLayer() {
        let missing = NetworkNotFound(path: nil, searched: ["/x/network.geojson"])
        XCTAssertFalse(missing.description.contains("--network"), missing.description)
        XCTAssertTrue(ExitStatus.message(for: missing).contains("pass --network FILE|DIR"))
        let stale = InputError("compiled network is corrupt (checksum mismatch)", at: InputLocation(file: "n.rsnet"),
                               underlying: CompiledNetwork.Outdated(path: "n.rsnet", source: "net.geojson"))
        XCTAssertEqual(ExitStatus.message(for: stale), "n.rsnet: compiled network is corrupt (checksum mismatch); "
                       + "rebuild it with 'routeshift network build --out n.rsnet --network net.geojson'")
        XCTAssertTrue(ExitStatus.message(for: Unknown()).hasPrefix("internal error: "))
    }

    func testAnUnlocatedErrorIsPlacedAtItsOption() {
        XCTAssertThrowsError(try atOption("--from") { throw InputError("unknown node 'x'") }) { error in
            XCTAssertEqual((error as? InputError)?.location, InputLocation(path: "--from"))
        }
        let located = InputError("bad", at: InputLocation(file: "s.yaml", line: 3))
        XCTAssertThrowsError(try atOption("--from") { throw located }) { error in
            XCTAssertEqual((error as? InputError)?.location, located.location)
        }
    }
}
