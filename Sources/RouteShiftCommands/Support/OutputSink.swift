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
///
/// Bytes collect in one buffer, written out whenever it holds `flushSize` or more;
/// `write(atMost:_:)` lets a writer put bytes straight into it.
final class OutputSink {
    private let file: AtomicFileWriter?
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    private static let flushSize = 1 << 16

    init(path: String?) throws {
        if let path, path != "-" {
            file = try AtomicFileWriter(path: path)
        } else {
            file = nil
        }
        capacity = 4 * Self.flushSize
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    func write(_ s: String) throws {
        var s = s
        try s.withUTF8 { try write(raw: $0) }
    }

    func write(bytes: some Sequence<UInt8>) throws {
        if let done: Void = try bytes.withContiguousStorageIfAvailable({ try write(raw: $0) }) { return done }
        let array = Array(bytes)
        try array.withUnsafeBufferPointer { try write(raw: $0) }
    }

    /// Lets `body` write at most `limit` bytes at the end of the buffer; it returns how many it wrote.
    @inline(__always)
    func write(atMost limit: Int, _ body: (UnsafeMutablePointer<UInt8>) throws -> Int) throws {
        if count + limit > capacity { try makeRoom(limit) }
        count += try body(storage + count)
        if count >= Self.flushSize { try flush() }
    }

    private func write(raw bytes: UnsafeBufferPointer<UInt8>) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity {
            try flush()
            if bytes.count >= capacity { return try put(bytes) }  // a large document: no copy
        }
        try write(atMost: bytes.count) { p in
            p.update(from: base, count: bytes.count)
            return bytes.count
        }
    }

    /// Flushes, and grows the buffer if `limit` bytes would still not fit.
    private func makeRoom(_ limit: Int) throws {
        try flush()
        if limit > capacity {
            storage.deallocate()
            capacity = limit
            storage = .allocate(capacity: capacity)
        }
    }

    /// Writes one complete document (JSON/GeoJSON), ending it with exactly one newline.
    func writeDocument(_ bytes: [UInt8]) throws {
        try write(bytes: bytes)
        if bytes.last != UInt8(ascii: "\n") { try write("\n") }
    }

    private func flush() throws {
        guard count > 0 else { return }
        try put(UnsafeBufferPointer(start: storage, count: count))
        count = 0
    }

    private func put(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        if let file {
            try file.write(bytes)
        } else {
            guard writeAll(fd: STDOUT_FILENO, bytes) else { throw OutputError(errno: errno, "cannot write to standard output") }
        }
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
