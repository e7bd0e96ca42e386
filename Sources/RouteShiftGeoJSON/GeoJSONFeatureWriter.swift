import RouteShiftCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where streamed output goes. `commit()` is called once the document is complete,
/// `abort()` when it cannot be completed; both default to doing nothing.
public protocol ByteSink {
    mutating func append(_ bytes: [UInt8]) throws
    mutating func commit() throws
    mutating func abort()
}

extension ByteSink {
    public mutating func commit() throws {}
    public mutating func abort() {}
}

/// Commits by renaming into place and aborts by deleting the temporary file, so a failed
/// export leaves no half-written document behind.
extension AtomicFileWriter: ByteSink {
    public func append(_ bytes: [UInt8]) throws { try write(bytes) }
}

/// Collects the output in memory.
public struct InMemoryByteSink: ByteSink, Sendable {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public mutating func append(_ bytes: [UInt8]) throws { self.bytes.append(contentsOf: bytes) }
}

/// Writes to file descriptor 1 with write(2), unbuffered: the feature writer already hands
/// over one whole feature at a time.
public struct StandardOutputSink: ByteSink, Sendable {
    public init() {}

    public mutating func append(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputError(errno: errno, "cannot write to standard output")
            }
            offset += n
        }
    }
}

/// Streams a FeatureCollection (RFC 7946 §3.3) one feature at a time, so memory use is bounded
/// by the largest feature, not the document.
///
/// The bytes are identical to `GeoJSON.encode(_:options:)` for the same features. If a write
/// fails, or `abort()` is called, or the writer is released before `finish()`, the sink is
/// aborted: with an `AtomicFileWriter` no partial file remains.
///
/// Not Sendable: one writer belongs to one task.
public final class GeoJSONFeatureWriter<Sink: ByteSink> {
    public private(set) var sink: Sink
    public let options: GeoJSONWriterOptions
    /// Features written so far.
    public private(set) var count = 0
    private var state = State.open

    private enum State { case open, finished, failed }

    /// Writes the document's opening bytes.
    public init(sink: Sink, options: GeoJSONWriterOptions = .init()) throws {
        self.sink = sink
        self.options = options
        try guarded { try $0.sink.append(Array(#"{"type":"FeatureCollection","features":["#.utf8)) }
    }

    /// Appends one feature. An encoding error (a non-finite number) names the path
    /// `$.features[i]…` it would have had in the document, and aborts the sink.
    /// - Complexity: O(size of the feature).
    public func write(_ feature: Feature) throws {
        try guarded { w in
            var encoder = JSONWriter(options: w.options, path: [.key("features"), .index(w.count)])
            encoder.append(w.count == 0 ? "\n" : ",\n")
            try encoder.feature(feature)
            try w.sink.append(encoder.bytes)
            w.count += 1
        }
    }

    /// Closes the array and the document, then commits the sink.
    public func finish() throws {
        try guarded { w in
            try w.sink.append(Array((w.count == 0 ? "]}\n" : "\n]}\n").utf8))
            try w.sink.commit()
            w.state = .finished
        }
    }

    /// Abandons the document; the sink discards what it has.
    public func abort() {
        guard state == .open else { return }
        state = .failed
        sink.abort()
    }

    private func guarded(_ body: (GeoJSONFeatureWriter) throws -> Void) throws {
        switch state {
        case .open: break
        case .finished: throw InputError("GeoJSON writer used after finish()")
        case .failed: throw InputError("GeoJSON writer used after an earlier error")
        }
        do {
            try body(self)
        } catch {
            abort()
            throw error
        }
    }

    deinit { if state == .open { sink.abort() } }
}

@available(*, unavailable, message: "a writer streams into one sink and belongs to one task")
extension GeoJSONFeatureWriter: Sendable {}
