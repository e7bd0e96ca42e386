import Foundation

/// The directories searched, in order, for the bundled Geodata: the default
/// network, the calibrated cost model, the observation tables.
///
/// The library does not guess them from the running process (its executable or
/// the source file it was compiled from): a tool passes them in by setting
/// `standard` once at startup (the `routeshift` command passes the directories
/// beside its executable and its source tree's `Geodata`); a program using the
/// library sets `standard`, passes a network path, or sets `$ROUTESHIFT_GEODATA`.
public struct GeodataSearchPath: Hashable, Sendable {
    public var directories: [String]

    public init(_ directories: [String] = []) { self.directories = directories }

    /// `$ROUTESHIFT_GEODATA` alone when it is set; otherwise `directories`.
    public var resolved: [String] {
        if let dir = ProcessInfo.processInfo.environment[NetworkSource.geodataVariable], !dir.isEmpty { return [dir] }
        return directories
    }

    /// `../share/routeshift/Geodata` and `Geodata` beside the executable at `path`
    /// (symbolic links resolved), the places an installation puts them.
    public static func besideExecutable(_ path: String) -> [String] {
        let exeDir = URL(fileURLWithPath: path).resolvingSymlinksInPath().deletingLastPathComponent().path
        return [exeDir + "/../share/routeshift/Geodata", exeDir + "/Geodata"]
    }

    /// The search path used where none is passed; empty (only `$ROUTESHIFT_GEODATA`) until set.
    public static var standard: GeodataSearchPath {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }

    private static let storage = LockedSearchPath()
}

/// `GeodataSearchPath.standard` behind a lock: set once by a tool, read by any thread.
private final class LockedSearchPath: @unchecked Sendable {
    private let lock = NSLock()
    private var value = GeodataSearchPath()

    func withLock<T>(_ body: (inout GeodataSearchPath) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
