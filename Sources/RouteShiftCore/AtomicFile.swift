#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old content or the complete new
/// content, never a half-written file: data goes to a temporary file in the same
/// directory, is flushed, and is renamed over the destination (rename(2) is atomic
/// within one file system). A destination that exists and is not a regular file
/// (a terminal, `/dev/null`, a pipe) is written in place: renaming over it would
/// replace the device with a file.
public final class AtomicFileWriter {
    public let destination: String
    /// `nil` when writing straight into a device or pipe.
    private let temporaryPath: String?
    private var handle: UnsafeMutablePointer<FILE>?

    /// Opens a temporary sibling of `path` for writing.
    /// - Throws: `OutputError` for an empty path, a directory in the way, or a
    ///   directory where no file can be created (missing, read-only, no permission).
    public init(path: String) throws {
        destination = path
        guard !path.isEmpty else { throw OutputError("the output path is empty") }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw OutputError("is a directory, not a file that can be written", path: path)
        }
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            guard let h = fopen(path, "w") else { throw OutputError(errno: errno, "cannot open for writing", path: path) }
            handle = h
            temporaryPath = nil
            return
        }
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        // The process id lets a later run tell a killed writer's leftovers (InFlightOutputs.clearStale).
        var template = Array("\(dir.isEmpty ? "/" : dir)/.\(base).tmp-\(getpid())-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw OutputError(errno: errno, "cannot create a file in \(dir.isEmpty ? "/" : dir)", path: path)
        }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        temporaryPath = temporary
        InFlightOutputs.register(temporary)
        fchmod(fd, 0o644)
        handle = fdopen(fd, "w")
        guard handle != nil else {
            let code = errno
            close(fd); unlink(temporary)
            throw OutputError(errno: code, "cannot open the temporary output file", path: path)
        }
    }

    /// Appends bytes to the temporary file.
    public func write(_ bytes: some Collection<UInt8>) throws {
        guard let handle else { throw OutputError("write after commit or abort", path: destination) }
        let written = bytes.withContiguousStorageIfAvailable { fwrite($0.baseAddress, 1, $0.count, handle) }
            ?? Array(bytes).withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, handle) }
        guard written == bytes.count else {
            throw OutputError(errno: errno, "write failed", path: destination)
        }
    }

    public func write(_ string: String) throws {
        var s = string
        try s.withUTF8 { try write($0) }
    }

    /// Flushes, syncs and renames the temporary file over the destination.
    public func commit() throws {
        guard let h = handle else { return }
        handle = nil
        defer { if let temporaryPath { InFlightOutputs.unregister(temporaryPath) } }
        guard let temporaryPath else {
            let ok = fflush(h) == 0
            let flushError = errno
            guard fclose(h) == 0, ok else { throw OutputError(errno: ok ? errno : flushError, "write failed", path: destination) }
            return
        }
        let ok = fflush(h) == 0 && fsync(fileno(h)) == 0
        let flushError = errno
        let closed = fclose(h) == 0
        guard ok, closed else {
            unlink(temporaryPath)
            throw OutputError(errno: ok ? errno : flushError, "write failed", path: destination)
        }
        guard rename(temporaryPath, destination) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw OutputError(errno: code, "cannot move the finished file into place", path: destination)
        }
    }

    /// Discards the temporary file; the destination is left untouched.
    public func abort() {
        guard let h = handle else { return }
        handle = nil
        fclose(h)
        if let temporaryPath {
            unlink(temporaryPath)
            InFlightOutputs.unregister(temporaryPath)
        }
    }

    deinit { abort() }

    /// Writes `contents` to `path` atomically.
    public static func write(_ contents: String, to path: String) throws {
        let writer = try AtomicFileWriter(path: path)
        do {
            try writer.write(contents)
            try writer.commit()
        } catch {
            writer.abort()
            throw error
        }
    }

    /// Runs `body` with a writer for `path`; commits if it returns, aborts if it throws.
    public static func withWriter<R>(path: String, _ body: (AtomicFileWriter) throws -> R) throws -> R {
        let writer = try AtomicFileWriter(path: path)
        do {
            let result = try body(writer)
            try writer.commit()
            return result
        } catch {
            writer.abort()
            throw error
        }
    }
}

/// An output that cannot be written: a full disk, a directory in the way, a
/// missing or read-only directory, no permission. Not an input problem.
public struct OutputError: DomainError, Hashable, Sendable {
    /// The file or directory that could not be written, if known.
    public var path: String?
    public var reason: String

    public init(_ reason: String, path: String? = nil) {
        self.reason = reason
        self.path = path
    }

    /// `what`, followed by the system's words for `errno` (`No space left on device`).
    public init(errno code: Int32, _ what: String, path: String? = nil) {
        self.init("\(what): \(String(cString: strerror(code)))", path: path)
    }

    public var description: String { path.map { "\($0): \(reason)" } ?? reason }

    public var domain: ErrorDomain { .cannotWrite }
}
