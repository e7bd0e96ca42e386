#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import RouteShiftCore

/// Where a command's result goes: stdout, or a file written atomically
/// (temporary file + rename, so no half-written file is ever left behind).
final class OutputSink {
    private let file: AtomicFileWriter?
    private var buffer: [UInt8] = []

    init(path: String?) throws {
        if let path, path != "-" {
            file = try AtomicFileWriter(path: path)
        } else {
            file = nil
        }
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ s: String) throws {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func write(bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes one complete document (JSON/GeoJSON), ending it with exactly one newline.
    func writeDocument(_ bytes: [UInt8]) throws {
        try write(bytes: bytes)
        if bytes.last != UInt8(ascii: "\n") { try write("\n") }
    }

    private func flush() throws {
        if let file {
            try file.write(buffer)
        } else {
            let ok = buffer.withUnsafeBufferPointer { writeAll(fd: STDOUT_FILENO, $0) }
            guard ok else { throw OutputError(errno: errno, "cannot write to standard output") }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and, for a file, renames it into place.
    func finish() throws {
        try flush()
        try file?.commit()
    }

    /// Runs `body` with a sink; a file is committed only if `body` returns.
    static func with(path: String?, _ body: (OutputSink) throws -> Void) throws {
        let sink = try OutputSink(path: path)
        do {
            try body(sink)
            try sink.finish()
        } catch {
            sink.file?.abort()
            throw error
        }
    }
}
