import XCTest
@testable import RouteShiftCommands

/// `backtest` and `calibrate` read the network, the observations and `--quiet` through one option group.
final class RecordOptionsTests: XCTestCase {
    /// The help lines of the shared options, from `--network` on, as each command prints them.
    private func sharedHelp(_ help: String) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("--network") }),
              let end = lines[start...].firstIndex(where: { $0.contains("--quiet") }) else { return [] }
        return Array(lines[start...end])
    }

    func testBacktestAndCalibrateShowTheSameSharedOptions() {
        let backtest = sharedHelp(BacktestCommand.helpMessage(columns: 100))
        let calibrate = sharedHelp(CalibrateCommand.helpMessage(columns: 100))
        XCTAssertTrue(backtest.contains { $0.contains("--observations <dir>") }, backtest.joined(separator: "\n"))
        XCTAssertTrue(backtest.contains { $0.contains("--nodes <file>") }, backtest.joined(separator: "\n"))
        XCTAssertEqual(backtest, calibrate)
    }

    func testBothCommandsParseTheSharedOptions() throws {
        let backtest = try BacktestCommand.parse(["--observations", "obs", "--network", "net.geojson", "-q"])
        XCTAssertEqual(backtest.record.observations, "obs")
        XCTAssertEqual(backtest.record.networkOptions.network, "net.geojson")
        XCTAssertTrue(backtest.record.quiet)
        let calibrate = try CalibrateCommand.parse(["c.yaml", "--out", "p.yaml", "--observations", "obs", "--quiet"])
        XCTAssertEqual(calibrate.record.observations, "obs")
        XCTAssertNil(calibrate.record.networkOptions.network)
        XCTAssertTrue(calibrate.record.quiet)
        // What the written parameter file records as the command that made it.
        XCTAssertEqual(calibrate.record.commandLine, " --observations obs")
        let full = try CalibrateCommand.parse(["c.yaml", "--out", "p.yaml", "--network", "e.csv", "--nodes", "n.csv",
                                               "--undirected", "--snap-tolerance", "2.5"])
        XCTAssertEqual(full.record.commandLine, " --network e.csv --nodes n.csv --snap-tolerance 2.5 --undirected")
        XCTAssertEqual(try CalibrateCommand.parse(["c.yaml", "--out", "p.yaml"]).record.commandLine, "")
    }
}
