#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Diagnostics and progress go to stderr; stdout carries results only.
enum Diagnostics {
    nonisolated(unsafe) static var quiet = false

    static func error(_ message: String) {
        write("routeshift: error: \(message)\n")
    }

    static func warning(_ message: String) {
        write("routeshift: warning: \(message)\n")
    }

    static func info(_ message: String) {
        guard !quiet else { return }
        write("\(message)\n")
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    static func write(_ s: String) {
        var s = s
        s.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, stderr) }
    }
}
