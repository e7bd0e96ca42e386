#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a directory of files all or nothing, even under `kill -9`: the files go
/// into a fresh staging directory beside the destination (`.NAME.staging-PID-XXXXXX`),
/// which then replaces the destination in one `rename(2)`: an exchange
/// (`renameat2(RENAME_EXCHANGE)`) when the destination exists, so a reader sees
/// the old directory or the new one, never a mix. The replaced directory is
/// removed afterwards. The staging directory is registered with `InFlightOutputs`
/// so an interrupted run removes it, and a later run removes it if its process died.
public final class StagedDirectory {
    public let destination: String
    public let staging: String
    private var done = false

    /// Creates the staging directory (and the destination's parents).
    /// - Throws: `OutputError` when the parent cannot be created or written, or
    ///   the destination exists and is not a directory.
    public init(destination path: String) throws {
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard !trimmed.isEmpty else { throw OutputError("the output directory path is empty") }
        destination = trimmed
        var info = stat()
        if stat(trimmed, &info) == 0, info.st_mode & S_IFMT != S_IFDIR {
            throw OutputError("exists and is not a directory", path: trimmed)
        }
        let (parent, base) = FilePaths.split(trimmed)
        try FilePaths.createDirectories(parent)
        var template = Array("\(parent)/.\(base).staging-\(getpid())-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw OutputError(errno: errno, "cannot create a directory in \(parent)", path: trimmed)
        }
        staging = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        InFlightOutputs.register(staging)
    }

    /// Writes one file of the set into the staging directory.
    public func write(_ name: String, _ bytes: [UInt8]) throws {
        // Under the in-flight lock, so an interrupt's clean-up never removes the
        // staging directory while a file is half-written into it (and, once the
        // clean-up has begun, no file is written into it any more).
        try InFlightOutputs.whileRegistered { try writeUnlocked(name, bytes) }
    }

    private func writeUnlocked(_ name: String, _ bytes: [UInt8]) throws {
        let path = staging + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw OutputError(errno: errno, "cannot create \(name)", path: destination) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputError(errno: errno, "cannot write \(name)", path: destination)
            }
            offset += n
        }
        guard fsync(fd) == 0 else { throw OutputError(errno: errno, "cannot write \(name)", path: destination) }
    }

    /// Swaps the staging directory in for the destination, then removes the old one.
    public func commit() throws {
        guard !done else { return }
        done = true
        // The swap happens under the in-flight lock: an interrupt either comes first
        // (the staging directory is removed and the destination is untouched) or
        // after the swap (the destination is whole).
        try InFlightOutputs.whileRegistered { try commitUnlocked() }
        FilePaths.removeTree(staging)
        InFlightOutputs.unregister(staging)
    }

    private func commitUnlocked() throws {
        var info = stat()
        if stat(destination, &info) != 0 {
            guard rename(staging, destination) == 0 else {
                let code = errno
                FilePaths.removeTree(staging)
                InFlightOutputs.unregisterLocked(staging)
                throw OutputError(errno: code, "cannot move the finished directory into place", path: destination)
            }
        } else if FilePaths.exchange(staging, destination) {
            // The old directory now sits at the staging path.
        } else {
            // No atomic exchange on this system: move the old one aside, then the new one in.
            let aside = staging + ".old"
            guard rename(destination, aside) == 0 else {
                let code = errno
                FilePaths.removeTree(staging)
                InFlightOutputs.unregisterLocked(staging)
                throw OutputError(errno: code, "cannot replace the directory", path: destination)
            }
            guard rename(staging, destination) == 0 else {
                let code = errno
                _ = rename(aside, destination)
                FilePaths.removeTree(staging)
                InFlightOutputs.unregisterLocked(staging)
                throw OutputError(errno: code, "cannot replace the directory", path: destination)
            }
            FilePaths.removeTree(aside)
        }
    }

    /// Removes the staging directory; the destination is untouched.
    public func abort() {
        guard !done else { return }
        done = true
        abortStaging()
    }

    private func abortStaging() {
        FilePaths.removeTree(staging)
        InFlightOutputs.unregister(staging)
    }

    deinit { abort() }

    /// Writes `files` as the whole content of `directory`, all or nothing.
    public static func write(_ files: [(name: String, bytes: [UInt8])], to directory: String) throws {
        let staged = try StagedDirectory(destination: directory)
        do {
            for file in files { try staged.write(file.name, file.bytes) }
            try staged.commit()
        } catch {
            staged.abort()
            throw error
        }
    }
}

/// Temporary files and staging directories being written right now, so that an
/// interrupted run (SIGINT, SIGTERM) can remove them, and a later run can remove
/// those of a process that was killed outright.
public enum InFlightOutputs {
    nonisolated(unsafe) private static var paths = Set<String>()
    nonisolated(unsafe) private static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()

    static func register(_ path: String) {
        pthread_mutex_lock(lock); defer { pthread_mutex_unlock(lock) }
        paths.insert(path)
    }

    static func unregister(_ path: String) {
        pthread_mutex_lock(lock); defer { pthread_mutex_unlock(lock) }
        paths.remove(path)
    }

    /// `unregister` for a caller already inside `whileRegistered`.
    static func unregisterLocked(_ path: String) {
        paths.remove(path)
    }

    /// Runs `body` (a write into, or the final rename of, a registered output) so
    /// that an interrupt's clean-up cannot run in the middle of it. Once the clean-up
    /// has begun, it does not return: the process is about to exit.
    static func whileRegistered<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(lock); defer { pthread_mutex_unlock(lock) }
        return try body()
    }

    /// Removes every registered file and directory, writes `message` to standard
    /// error and ends the process with `status`, without releasing the lock: no
    /// other thread can write into, or rename into place, an output it removed.
    public static func removeAllAndExit(status: Int32, message: String) -> Never {
        pthread_mutex_lock(lock)
        for path in paths { FilePaths.removeTree(path) }
        paths.removeAll()
        _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        _exit(status)
    }

    /// Removes every registered file and directory (for an interrupt handler).
    public static func removeAll() {
        pthread_mutex_lock(lock); defer { pthread_mutex_unlock(lock) }
        for path in paths { FilePaths.removeTree(path) }
        paths.removeAll()
    }

    /// Removes, in `directory`, the temporary files (`.NAME.tmp-PID-…`) and staging
    /// directories (`.NAME.staging-PID-…`) left by RouteShift processes that no
    /// longer run (killed before they could clean up). Others' files are kept.
    /// - Returns: the names removed.
    @discardableResult
    public static func clearStale(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            names.append(name)
        }
        closedir(dir)
        var removed: [String] = []
        for name in names where name.hasPrefix(".") {
            guard let pid = ownerProcess(of: name), pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                FilePaths.removeTree(directory + "/" + name)
                removed.append(name)
            }
        }
        return removed.sorted()
    }

    /// The process id in a RouteShift temporary name, or `nil` for any other name.
    static func ownerProcess(of name: String) -> pid_t? {
        let characters = Array(name)
        for marker in [".tmp-", ".staging-"].map(Array.init) {
            guard let start = (0...max(0, characters.count - marker.count)).first(where: {
                characters.count >= marker.count && Array(characters[$0..<$0 + marker.count]) == marker
            }) else { continue }
            let rest = Substring(String(characters[(start + marker.count)...]))
            guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0 else { return nil }
            let suffix = rest[rest.index(after: dash)...]
            // mkstemp/mkdtemp's six characters, optionally ".old" (the aside copy).
            guard suffix.count == 6 || (suffix.count == 10 && suffix.hasSuffix(".old")) else { return nil }
            return pid
        }
        return nil
    }
}

/// Small file-system helpers without Foundation.
enum FilePaths {
    /// Parent directory and last component of `path`.
    static func split(_ path: String) -> (parent: String, base: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let parent = String(path[..<slash])
        return (parent.isEmpty ? "/" : parent, String(path[path.index(after: slash)...]))
    }

    /// `mkdir -p`.
    static func createDirectories(_ path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw OutputError("exists and is not a directory", path: path) }
            return
        }
        let (parent, _) = split(path)
        if parent != path { try createDirectories(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw OutputError(errno: errno, "cannot create the directory", path: path)
        }
    }

    /// Exchanges two paths atomically (Linux `renameat2` with `RENAME_EXCHANGE`);
    /// `false` when the system cannot.
    static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let RENAME_EXCHANGE: UInt32 = 2
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0
        #else
        return false
        #endif
    }

    /// `rm -rf path`, not following symbolic links.
    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            if let dir = opendir(path) {
                var names: [String] = []
                while let entry = readdir(dir) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) {
                        String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
                    }
                    if name != "." && name != ".." { names.append(name) }
                }
                closedir(dir)
                for name in names { removeTree(path + "/" + name) }
            }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
