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
/// within one file system).
public final class AtomicFileWriter {
    public let destination: String
    private let temporaryPath: String
    private var handle: UnsafeMutablePointer<FILE>?

    /// Opens a temporary sibling of `path` for writing.
    public init(path: String) throws {
        destination = path
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(dir.isEmpty ? "/" : dir)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw InputError("cannot create a temporary file next to the output: \(String(cString: strerror(errno)))",
                             at: InputLocation(file: path))
        }
        temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        fchmod(fd, 0o644)
        handle = fdopen(fd, "w")
        guard handle != nil else {
            close(fd); unlink(temporaryPath)
            throw InputError("cannot open the temporary output file", at: InputLocation(file: path))
        }
    }

    /// Appends bytes to the temporary file.
    public func write(_ bytes: some Collection<UInt8>) throws {
        guard let handle else { throw InputError("write after commit or abort", at: InputLocation(file: destination)) }
        let written = bytes.withContiguousStorageIfAvailable { fwrite($0.baseAddress, 1, $0.count, handle) }
            ?? Array(bytes).withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, handle) }
        guard written == bytes.count else {
            throw InputError("write failed: \(String(cString: strerror(errno)))", at: InputLocation(file: destination))
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
        let ok = fflush(h) == 0 && fsync(fileno(h)) == 0
        fclose(h)
        guard ok, rename(temporaryPath, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw InputError("cannot write output: \(reason)", at: InputLocation(file: destination))
        }
    }

    /// Discards the temporary file; the destination is left untouched.
    public func abort() {
        guard let h = handle else { return }
        handle = nil
        fclose(h)
        unlink(temporaryPath)
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
