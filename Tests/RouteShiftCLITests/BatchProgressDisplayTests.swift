@testable import RouteShiftCommands
import RouteShiftBatch
import RouteShiftSimulation
import XCTest

/// What `batch` shows on stderr, on a terminal and off it.
final class BatchProgressDisplayTests: XCTestCase {
    final class Lines: @unchecked Sendable { var text = "" }

    func show(terminal: Bool, quiet: Bool = false) -> String {
        let lines = Lines()
        let display = BatchProgressDisplay(terminal: terminal, quiet: quiet) { lines.text += $0 }
        display.handle(.started(name: "a", running: 1, done: 0, total: 2))
        display.handle(.started(name: "b", running: 2, done: 0, total: 2))
        display.handle(.finished(BatchEntry(name: "b", file: "b.yaml", status: .failed, error: "b.yaml:3: bad"), done: 1, total: 2))
        display.handle(.finished(BatchEntry(name: "a", file: "a.yaml", status: .skipped), done: 2, total: 2))
        display.finish()
        return lines.text
    }

    func testPlainLinesOffATerminal() {
        XCTAssertEqual(show(terminal: false), """
        [1/2] failed b
        routeshift: error: b: b.yaml:3: bad
        [2/2] skipped a (up to date)

        """)
        XCTAssertEqual(show(terminal: false, quiet: true), "routeshift: error: b: b.yaml:3: bad\n")
    }

    func testBarRedrawnInPlaceOnATerminalWithErrorsAboveIt() {
        let text = show(terminal: true)
        XCTAssertTrue(text.hasPrefix("\r\u{1B}[K[------------------------] 0/2  1 running  a"), text)
        XCTAssertTrue(text.contains("\r\u{1B}[Krouteshift: error: b: b.yaml:3: bad\n"), text)
        XCTAssertTrue(text.contains("[########################] 2/2  1 failed"), text)
        XCTAssertTrue(text.hasSuffix("\r\u{1B}[K"), "the bar is cleared at the end: \(text)")
        XCTAssertEqual(show(terminal: true, quiet: true), "routeshift: error: b: b.yaml:3: bad\n")
    }
}
