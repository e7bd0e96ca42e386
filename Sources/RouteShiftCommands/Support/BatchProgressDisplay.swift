import RouteShiftBatch
import RouteShiftReports
import RouteShiftScenario
import RouteShiftSimulation

/// Progress of `routeshift batch` on stderr: a bar redrawn in place on a
/// terminal, one plain line per finished scenario otherwise (logs, notebooks, CI).
///
/// Called by `BatchRunner` one event at a time, never concurrently.
final class BatchProgressDisplay: @unchecked Sendable {
    let terminal: Bool
    let quiet: Bool
    private var failed = 0
    private var lastName = ""
    private var running = 0
    private var barShown = false
    private let write: (String) -> Void

    init(terminal: Bool, quiet: Bool, write: @escaping (String) -> Void = Diagnostics.write) {
        self.terminal = terminal
        self.quiet = quiet
        self.write = write
    }

    func handle(_ event: BatchProgress) {
        switch event {
        case .started(let name, let running, let done, let total):
            self.running = running
            lastName = name
            if terminal, !quiet { drawBar(done: done, total: total) }
        case .finished(let entry, let done, let total):
            running = max(0, running - 1)
            if entry.status == .failed { failed += 1 }
            if terminal {
                // Lines that stay (errors) go above the bar: clear it, print, redraw.
                if entry.status == .failed { clearBar(); write("routeshift: error: \(entry.name): \(entry.error ?? "failed")\n") }
                if !quiet { drawBar(done: done, total: total) }
            } else {
                if !quiet { write(Self.plainLine(entry, done: done, total: total)) }
                if entry.status == .failed { write("routeshift: error: \(entry.name): \(entry.error ?? "failed")\n") }
            }
        }
    }

    /// `[2/5] completed close-hu-rs`: what a log or a notebook cell shows.
    static func plainLine(_ entry: BatchEntry, done: Int, total: Int) -> String {
        let note = entry.status == .skipped ? " (up to date)" : ""
        return "[\(done)/\(total)] \(entry.status.rawValue) \(entry.name)\(note)\n"
    }

    /// Clears the bar so the summary line starts on a clean line.
    func finish() { clearBar() }

    private func drawBar(done: Int, total: Int) {
        let width = 24
        let filled = total == 0 ? width : width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        var line = "\r\u{1B}[K[\(bar)] \(done)/\(total)"
        if running > 0 { line += "  \(running) running" }
        if failed > 0 { line += "  \(failed) failed" }
        if !lastName.isEmpty { line += "  \(lastName)" }
        write(line)
        barShown = true
    }

    private func clearBar() {
        guard barShown else { return }
        write("\r\u{1B}[K")
        barShown = false
    }
}
