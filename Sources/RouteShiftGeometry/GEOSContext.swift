import CGEOS
import RouteShiftCore

/// A failure inside GEOS itself, carrying GEOS's own message.
///
/// Bad input (a ring that is not closed, too few positions, unparsable WKT) is
/// reported as `RouteShiftCore.InputError` instead. Domain `failure`.
public struct GEOSError: DomainError, Hashable, Sendable {
    /// The GEOS function that failed, e.g. `GEOSIntersection_r`.
    public var operation: String
    /// The text GEOS passed to the context's error handler.
    public var message: String

    public init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    public var domain: ErrorDomain { .failure }
    public var description: String { "\(operation): \(message)" }
}

/// The last error and notice a context reported; read by the thread that made the call.
final class GEOSMessageLog {
    var lastError: String?
    var lastNotice: String?
}

/// Owner of one `GEOSContextHandle_t`, finished in `deinit`.
///
/// Not thread-safe: a context belongs to exactly one task or worker.
final class GEOSContext {
    let handle: GEOSContextHandle_t
    private let log = GEOSMessageLog()

    init() throws {
        // returns NULL when the context cannot be allocated
        guard let handle = GEOS_init_r() else {
            throw GEOSError(operation: "GEOS_init_r", message: "could not allocate a GEOS context")
        }
        self.handle = handle
        // `log` lives as long as `self`, and GEOS_finish_r in deinit ends all callbacks.
        let userdata = Unmanaged.passUnretained(log).toOpaque()
        // returns the previous handler (none to restore)
        _ = GEOSContext_setErrorMessageHandler_r(handle, { message, userdata in
            guard let message, let userdata else { return }
            Unmanaged<GEOSMessageLog>.fromOpaque(userdata).takeUnretainedValue().lastError = String(cString: message)
        }, userdata)
        // returns the previous handler (none to restore)
        _ = GEOSContext_setNoticeMessageHandler_r(handle, { message, userdata in
            guard let message, let userdata else { return }
            Unmanaged<GEOSMessageLog>.fromOpaque(userdata).takeUnretainedValue().lastNotice = String(cString: message)
        }, userdata)
    }

    deinit {
        GEOS_finish_r(handle)
    }

    /// The error GEOS reported for the call that just failed; cleared so it is not reported twice.
    func error(_ operation: String) -> GEOSError {
        defer { log.lastError = nil }
        return GEOSError(operation: operation, message: log.lastError ?? "failed without a message")
    }

    /// Maps GEOS's predicate convention: 1 true, 0 false, 2 on exception
    /// (thrown with GEOS's message, named by `operation`).
    func predicate(_ operation: String, _ value: CChar) throws -> Bool {
        switch value {
        case 1: return true
        case 0: return false
        default: throw error(operation)
        }
    }

    /// GEOS's message for the call that just failed, or `nil`; cleared.
    func takeErrorMessage() -> String? {
        defer { log.lastError = nil }
        return log.lastError
    }

    /// The last notice (warning) GEOS emitted, if any.
    var lastNotice: String? { log.lastNotice }
}

/// Owner of one `GEOSGeometry*`, destroyed in `deinit` unless ownership was handed to GEOS.
final class GEOSGeometryOwner {
    let context: GEOSContext
    let pointer: OpaquePointer
    private var owned = true

    init(context: GEOSContext, pointer: OpaquePointer) {
        self.context = context
        self.pointer = pointer
    }

    /// Gives up ownership: the caller passes the pointer to a GEOS function that absorbs it.
    func release() -> OpaquePointer {
        owned = false
        return pointer
    }

    deinit {
        if owned { GEOSGeom_destroy_r(context.handle, pointer) }
    }
}

/// A geometry living in one `GeometryEngine`'s GEOS context.
///
/// Coordinates are planar `x, y` in whatever units the geometry was built with
/// (degrees for GeoJSON input, metres after a projection). Immutable: every
/// operation returns a new geometry. Not `Sendable`: it belongs to the engine
/// (and task) that made it; convert to `RouteShiftGeoJSON.Geometry` to pass it on.
public struct PlanarGeometry: CustomStringConvertible {
    let owner: GEOSGeometryOwner

    init(_ owner: GEOSGeometryOwner) {
        self.owner = owner
    }

    var pointer: OpaquePointer { owner.pointer }
    var context: GEOSContext { owner.context }

    /// The GEOS type name, e.g. `"Polygon"`, `"MultiLineString"`.
    public var typeName: String {
        // returns NULL on exception; the string is freed with GEOSFree_r
        guard let name = GEOSGeomType_r(context.handle, pointer) else { return "Unknown" }
        defer { GEOSFree_r(context.handle, name) }
        return String(cString: name)
    }

    /// `true` for a geometry with no points.
    public var isEmpty: Bool {
        // returns 1 (empty), 0 (not empty) or 2 on exception
        GEOSisEmpty_r(context.handle, pointer) == 1
    }

    /// Trimmed WKT, for debugging and test messages.
    public var description: String {
        (try? WKTWriter(context: context).write(pointer)) ?? "<\(typeName)>"
    }
}
