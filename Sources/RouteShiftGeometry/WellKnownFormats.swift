import CGEOS
import RouteShiftCore

/// Owner of a `GEOSWKTWriter*`: 2-D output, trailing zeros trimmed.
final class WKTWriter {
    let context: GEOSContext
    let writer: OpaquePointer

    init(context: GEOSContext) throws {
        self.context = context
        // returns NULL on exception
        guard let writer = GEOSWKTWriter_create_r(context.handle) else {
            throw context.error("GEOSWKTWriter_create_r")
        }
        self.writer = writer
        GEOSWKTWriter_setTrim_r(context.handle, writer, 1)
        GEOSWKTWriter_setOutputDimension_r(context.handle, writer, 2)
    }

    deinit { GEOSWKTWriter_destroy_r(context.handle, writer) }

    func write(_ geometry: OpaquePointer) throws -> String {
        // returns NULL on exception; the string is freed with GEOSFree_r
        guard let text = GEOSWKTWriter_write_r(context.handle, writer, geometry) else {
            throw context.error("GEOSWKTWriter_write_r")
        }
        defer { GEOSFree_r(context.handle, text) }
        return String(cString: text)
    }
}

/// Owner of a `GEOSWKTReader*`.
final class WKTReader {
    let context: GEOSContext
    let reader: OpaquePointer

    init(context: GEOSContext) throws {
        self.context = context
        // returns NULL on exception
        guard let reader = GEOSWKTReader_create_r(context.handle) else {
            throw context.error("GEOSWKTReader_create_r")
        }
        self.reader = reader
    }

    deinit { GEOSWKTReader_destroy_r(context.handle, reader) }
}

/// Owner of a `GEOSWKBReader*`.
final class WKBReader {
    let context: GEOSContext
    let reader: OpaquePointer

    init(context: GEOSContext) throws {
        self.context = context
        // returns NULL on exception
        guard let reader = GEOSWKBReader_create_r(context.handle) else {
            throw context.error("GEOSWKBReader_create_r")
        }
        self.reader = reader
    }

    deinit { GEOSWKBReader_destroy_r(context.handle, reader) }
}

/// Owner of a `GEOSWKBWriter*`.
final class WKBWriter {
    let context: GEOSContext
    let writer: OpaquePointer

    init(context: GEOSContext) throws {
        self.context = context
        // returns NULL on exception
        guard let writer = GEOSWKBWriter_create_r(context.handle) else {
            throw context.error("GEOSWKBWriter_create_r")
        }
        self.writer = writer
    }

    deinit { GEOSWKBWriter_destroy_r(context.handle, writer) }
}

extension GeometryEngine {
    /// Parses Well-Known Text. Throws `InputError` carrying GEOS's parse message.
    public func geometry(wkt: String) throws -> PlanarGeometry {
        let reader = try wktReader()
        // returns NULL on exception (a parse error)
        guard let pointer = GEOSWKTReader_read_r(context.handle, reader.reader, wkt) else {
            let message = context.takeErrorMessage() ?? "unparsable WKT"
            throw InputError("invalid WKT: \(message)", at: InputLocation(path: "WKT"))
        }
        return own(pointer)
    }

    /// Trimmed 2-D Well-Known Text, e.g. `POINT (1 2)`.
    public func wkt(_ geometry: PlanarGeometry) throws -> String {
        check(geometry)
        return try wktWriter().write(geometry.pointer)
    }

    /// Parses Well-Known Binary. Throws `InputError` carrying GEOS's parse message.
    public func geometry(wkb: [UInt8]) throws -> PlanarGeometry {
        let reader = try wkbReader()
        let result = wkb.withUnsafeBufferPointer { bytes in
            // returns NULL on exception (a parse error)
            GEOSWKBReader_read_r(context.handle, reader.reader, bytes.baseAddress, bytes.count)
        }
        guard let pointer = result else {
            let message = context.takeErrorMessage() ?? "unparsable WKB"
            throw InputError("invalid WKB: \(message)", at: InputLocation(path: "WKB"))
        }
        return own(pointer)
    }

    /// 2-D Well-Known Binary (little-endian as GEOS writes by default on this platform).
    public func wkb(_ geometry: PlanarGeometry) throws -> [UInt8] {
        check(geometry)
        let writer = try wkbWriter()
        var size = 0
        // returns NULL on exception; the buffer is freed with GEOSFree_r
        guard let bytes = GEOSWKBWriter_write_r(context.handle, writer.writer, geometry.pointer, &size) else {
            throw context.error("GEOSWKBWriter_write_r")
        }
        defer { GEOSFree_r(context.handle, bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: size))
    }
}
