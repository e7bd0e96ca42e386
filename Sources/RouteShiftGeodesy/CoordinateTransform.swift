import CPROJ
import RouteShiftCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure reported by PROJ: an unknown or unusable CRS, or a point outside a
/// transformation's domain. `message` is PROJ's own text. Domain `invalidInput`:
/// the CRS or the point is the caller's.
public struct ProjError: DomainError, Hashable, Sendable {
    /// PROJ's error number (`proj_context_errno` / `proj_errno`), 0 if PROJ set none.
    public var code: Int32
    public var message: String

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    public var domain: ErrorDomain { .invalidInput }
    public var description: String { "PROJ error \(code): \(message)" }
}

/// A point in a projected (or any non-WGS84-degree) CRS, in that CRS's easting/northing order.
public struct ProjectedPoint: Hashable, Sendable, CustomStringConvertible {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    public var description: String { "(\(x), \(y))" }
}

/// Owns a `PJ_CONTEXT`. PROJ contexts are not thread-safe, so each transform gets its own;
/// PROJ's error log for the context is collected here rather than printed to stderr.
final class ProjContext {
    let handle: OpaquePointer
    private let log = ProjLog()

    init() throws {
        // returns NULL only if allocation fails
        guard let handle = proj_context_create() else {
            throw ProjError(code: 0, message: "cannot create a PROJ context")
        }
        self.handle = handle
        // The log box outlives every callback: it is released with this owner, after proj_context_destroy.
        proj_log_func(handle, Unmanaged.passUnretained(log).toOpaque()) { appData, _, message in
            guard let appData, let message else { return }
            Unmanaged<ProjLog>.fromOpaque(appData).takeUnretainedValue().messages.append(String(cString: message))
        }
        proj_log_level(handle, PJ_LOG_ERROR)
    }

    /// The context's current error, in PROJ's own words: its errno text and whatever it logged.
    func error(_ what: String) -> ProjError {
        error(what, code: proj_context_errno(handle))
    }

    /// Error text for a failed operation on `pj`, which records its own errno.
    func error(_ what: String, object pj: OpaquePointer) -> ProjError {
        error(what, code: proj_errno(pj))
    }

    private func error(_ what: String, code: Int32) -> ProjError {
        var parts = [what]
        // PROJ_ERR_OTHER's text is only "Unknown error (code 4096)"; the log says what actually happened.
        if code != 0, code != PROJ_ERR_OTHER || log.messages.isEmpty,
           let text = proj_context_errno_string(handle, code) {
            parts.append(String(cString: text))
        }
        parts += log.messages
        log.messages.removeAll()
        return ProjError(code: code, message: parts.joined(separator: ": "))
    }

    deinit { proj_context_destroy(handle) }
}

/// Messages PROJ logged through `proj_log_func`.
final class ProjLog {
    var messages: [String] = []
}

/// Owns a `PJ*`, keeping its context alive for as long as it exists (PROJ requires the
/// context to outlive every object created in it).
final class ProjObject {
    let handle: OpaquePointer
    let context: ProjContext

    /// Takes ownership of `handle`.
    init(_ handle: OpaquePointer, in context: ProjContext) {
        self.handle = handle
        self.context = context
    }

    deinit { proj_destroy(handle) }
}

/// A transformation between two coordinate reference systems, by PROJ (`proj_create_crs_to_crs`).
///
/// Axis order is always longitude/easting first (`proj_normalize_for_visualization`), whatever
/// the CRS definition says: EPSG:4326 in, `Coordinate(longitude:latitude:)`; EPSG:3035 out,
/// `ProjectedPoint(x: easting, y: northing)`. Any CRS PROJ understands is accepted
/// ("EPSG:3035", "ESRI:54009", a PROJ string, WKT).
///
/// Not Sendable: it holds a PROJ context, which must not be used from two threads at once.
/// Make one per task or thread; creating one costs a database lookup, so reuse it across points.
public final class CoordinateTransform {
    public let source: String
    public let target: String
    private let object: ProjObject

    /// - Throws: `ProjError` with PROJ's message if either CRS is unknown or no transformation exists.
    public init(from source: String, to target: String) throws {
        self.source = source
        self.target = target
        let context = try ProjContext()
        // returns NULL on failure, with the reason in the context's errno and log
        guard let raw = proj_create_crs_to_crs(context.handle, source, target, nil) else {
            throw context.error("cannot create a transformation from \(source) to \(target)")
        }
        let created = ProjObject(raw, in: context)
        // returns a new object (NULL on failure); `created` is released at the end of init either way
        guard let normalized = proj_normalize_for_visualization(context.handle, created.handle) else {
            throw context.error("cannot normalise the axis order of \(source) → \(target)")
        }
        object = ProjObject(normalized, in: context)
    }

    /// PROJ's database file (proj.db) as found through PROJ_DATA or the built-in search path;
    /// `nil` means EPSG codes cannot be resolved on this machine.
    public static func databasePath() -> String? {
        guard let context = try? ProjContext() else { return nil }
        return proj_context_get_database_path(context.handle).map { String(cString: $0) }
    }

    /// Source → target. - Complexity: O(1).
    public func transform(_ c: Coordinate) throws -> ProjectedPoint {
        let (x, y) = try apply(PJ_FWD, c.longitude, c.latitude)
        return ProjectedPoint(x: x, y: y)
    }

    /// Target → source. - Complexity: O(1).
    public func inverse(_ p: ProjectedPoint) throws -> Coordinate {
        let (x, y) = try apply(PJ_INV, p.x, p.y)
        return Coordinate(longitude: x, latitude: y)
    }

    /// Source → target for every point; the error names the index of the first point that fails.
    /// - Complexity: O(n).
    public func transform(_ coordinates: [Coordinate]) throws -> [ProjectedPoint] {
        try coordinates.enumerated().map { i, c in
            do { return try transform(c) } catch let e as ProjError {
                throw ProjError(code: e.code, message: "point \(i): \(e.message)")
            }
        }
    }

    /// Target → source for every point; the error names the index of the first point that fails.
    /// - Complexity: O(n).
    public func inverse(_ points: [ProjectedPoint]) throws -> [Coordinate] {
        try points.enumerated().map { i, p in
            do { return try inverse(p) } catch let e as ProjError {
                throw ProjError(code: e.code, message: "point \(i): \(e.message)")
            }
        }
    }

    private func apply(_ direction: PJ_DIRECTION, _ a: Double, _ b: Double) throws -> (Double, Double) {
        guard a.isFinite, b.isFinite else {
            throw ProjError(code: 0, message: "cannot transform non-finite point (\(a), \(b))")
        }
        proj_errno_reset(object.handle)
        let out = proj_trans(object.handle, direction, proj_coord(a, b, 0, 0))
        // proj_trans signals failure with HUGE_VAL (infinite) coordinates and sets the object's errno
        guard out.xy.x.isFinite, out.xy.y.isFinite else {
            let way = direction == PJ_FWD ? "\(source) → \(target)" : "\(target) → \(source)"
            throw object.context.error("cannot transform (\(a), \(b)) \(way)", object: object.handle)
        }
        return (out.xy.x, out.xy.y)
    }
}

@available(*, unavailable, message: "holds a PROJ context; create one per task or thread")
extension CoordinateTransform: Sendable {}
