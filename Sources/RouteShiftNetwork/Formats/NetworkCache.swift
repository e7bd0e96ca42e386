import Foundation
import RouteShiftCore

/// The default network read through a compiled cache (`CompiledNetwork`, `.rsnet`): the
/// first run reads the GeoJSON network and writes the cache, later runs map the cache
/// while it is fresh, ten times faster (0.1 s instead of 1 s for the bundled network).
///
/// A cache is used only while nothing it was built from has changed: the network file
/// and the RouteShift executable that built it (so a newer RouteShift, whose reader may
/// read the same file differently, builds it again), checked as `CompiledNetwork.read`
/// checks its inputs (size, modification time, checksum). A stale, unreadable or foreign
/// cache is built again; a cache that cannot be written leaves the run reading the
/// GeoJSON file, as without a cache. The network read from a cache names the network
/// file as its origin, so every output is the same either way.
///
/// The cache directory is `$ROUTESHIFT_CACHE` (empty or `off`: no cache), else
/// `$XDG_CACHE_HOME/routeshift`, else `~/.cache/routeshift`; each network file has its own
/// cache there, named by the file and a hash of its absolute path.
public enum NetworkCache {
    /// Environment variable naming the cache directory (`off` or empty: no cache).
    public static let variable = "ROUTESHIFT_CACHE"

    /// The cache directory of `environment`, or `nil` for none.
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let d = environment[variable] { return d.isEmpty || d == "off" ? nil : d }
        if let x = environment["XDG_CACHE_HOME"], !x.isEmpty { return x + "/routeshift" }
        if let h = environment["HOME"], !h.isEmpty { return h + "/.cache/routeshift" }
        return nil
    }

    /// Where the cache of the network file `file` is kept in `directory`.
    public static func path(of file: String, in directory: String) -> String {
        let absolute = URL(fileURLWithPath: file).standardizedFileURL.path
        let name = URL(fileURLWithPath: absolute).deletingPathExtension().lastPathComponent
        let hash = String(CompiledNetwork.fnv1a(Array(absolute.utf8)), radix: 16)
        return (directory as NSString).appendingPathComponent("\(name)-\(hash).\(CompiledNetwork.fileExtension)")
    }

    /// The GeoJSON network `file` (default options), through its cache in `directory`
    /// (`nil`: read the file itself).
    /// - Parameter builder: the executable whose change makes the cache stale (default:
    ///   the running one).
    /// - Throws: what `GeoJSONNetwork.read` throws; never an error of the cache.
    /// - Complexity: a fresh cache: O(n + m) to validate the mapped file; otherwise the
    ///   GeoJSON read, then O(n + m) to write the cache.
    public static func read(geoJSON file: String, directory: String?,
                            builder: String? = Bundle.main.executablePath) throws -> RouteNetwork {
        guard let directory else { return try GeoJSONNetwork.read(path: file) }
        let cache = path(of: file, in: directory)
        if FileManager.default.fileExists(atPath: cache), var network = try? CompiledNetwork.read(path: cache) {
            network.origin = file
            return network
        }
        let network = try GeoJSONNetwork.read(path: file)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try CompiledNetwork.write(network, inputs: [file] + (builder.map { [$0] } ?? []), to: cache)
        } catch {
            // A read-only or full disk: the run goes on from the file, as without a cache.
        }
        return network
    }
}
