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
        s.withUTF8 { writeAll(fd: STDERR_FILENO, $0) }
    }
}

/// Writes the whole buffer to a file descriptor, retrying short writes.
@discardableResult
func writeAll(fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            return false
        }
        offset += n
    }
    return true
}
