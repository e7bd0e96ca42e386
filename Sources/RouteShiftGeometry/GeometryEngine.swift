import CGEOS
import RouteShiftCore
import RouteShiftGeoJSON

/// Planar geometry operations backed by GEOS, for one task or worker.
///
/// **One engine per task.** An engine owns a GEOS context, which is not
/// thread-safe; the engine and every `PlanarGeometry`, `PreparedGeometry` and
/// `SpatialIndex` it makes must stay on the task that created them (the types are
/// not `Sendable`, so Swift 6 enforces this). Bulk work makes one engine per
/// worker and reuses it for all of that worker's items, which avoids a context
/// per call. Results leave the engine as `RouteShiftGeoJSON.Geometry` values.
///
/// All measures are planar in the geometry's own units: project to a metric CRS
/// first when distances, areas or buffers must be in metres.
///
/// Errors: `InputError` for input GEOS cannot represent (an unclosed ring, a
/// line with one position, non-finite numbers, unparsable WKT); `GEOSError` with
/// GEOS's own message when an operation fails inside GEOS.
///
/// ```swift
/// let engine = try GeometryEngine()                  // one per task
/// let land = try engine.unaryUnion(countries.map { try engine.geometry($0) })
/// let landTest = try engine.prepare(land)            // index once, test many legs
/// let crossesLand = try landTest.intersects(try engine.geometry(.lineString(leg)))
/// let border = try engine.geoJSON(try engine.sharedBoundary(france, spain))
/// ```
public final class GeometryEngine {
    let context: GEOSContext
    private var cachedWKTReader: WKTReader?
    private var cachedWKTWriter: WKTWriter?
    private var cachedWKBReader: WKBReader?
    private var cachedWKBWriter: WKBWriter?

    public init() throws {
        context = try GEOSContext()
    }

    /// The last notice GEOS emitted on this engine (e.g. why a geometry is invalid), if any.
    public var lastNotice: String? { context.lastNotice }

    // MARK: - Internal plumbing

    func own(_ pointer: OpaquePointer) -> PlanarGeometry {
        PlanarGeometry(GEOSGeometryOwner(context: context, pointer: pointer))
    }

    /// Wraps an owned result, or throws GEOS's message when the call returned NULL.
    func result(_ operation: String, _ pointer: OpaquePointer?) throws -> PlanarGeometry {
        guard let pointer else { throw context.error(operation) }
        return own(pointer)
    }


    /// Geometries from another engine live in another context: mixing them is a programming error.
    func check(_ geometry: PlanarGeometry) {
        precondition(geometry.context === context, "PlanarGeometry used with an engine that did not create it")
    }

    func wktReader() throws -> WKTReader {
        if let cachedWKTReader { return cachedWKTReader }
        let reader = try WKTReader(context: context)
        cachedWKTReader = reader
        return reader
    }

    func wktWriter() throws -> WKTWriter {
        if let cachedWKTWriter { return cachedWKTWriter }
        let writer = try WKTWriter(context: context)
        cachedWKTWriter = writer
        return writer
    }

    func wkbReader() throws -> WKBReader {
        if let cachedWKBReader { return cachedWKBReader }
        let reader = try WKBReader(context: context)
        cachedWKBReader = reader
        return reader
    }

    func wkbWriter() throws -> WKBWriter {
        if let cachedWKBWriter { return cachedWKBWriter }
        let writer = try WKBWriter(context: context)
        cachedWKBWriter = writer
        return writer
    }
}

// MARK: - GeoJSON → GEOS

extension GeometryEngine {
    /// Builds the GEOS form of a GeoJSON geometry; longitude is `x`, latitude is `y`.
    ///
    /// Validates structure only (RFC 7946 §3.1.4: a LineString has two or more
    /// positions; §3.1.6: a ring is closed with four or more positions); use
    /// `isValid` for topology.
    /// - Throws: `InputError` naming the offending member, or `GEOSError`.
    /// - Complexity: O(n) in the number of positions.
    public func geometry(_ geometry: Geometry) throws -> PlanarGeometry {
        PlanarGeometry(try build(geometry, path: "$"))
    }

    /// A point at `x, y` (longitude, latitude for geographic input).
    public func point(_ coordinate: Coordinate) throws -> PlanarGeometry {
        try checkFinite([coordinate], path: "$")
        // returns NULL on exception
        return try result("GEOSGeom_createPointFromXY_r",
                          GEOSGeom_createPointFromXY_r(context.handle, coordinate.longitude, coordinate.latitude))
    }

    /// The axis-aligned rectangle `box` as a polygon.
    public func rectangle(_ box: BoundingBox) throws -> PlanarGeometry {
        // returns NULL on exception
        try result("GEOSGeom_createRectangle_r",
                   GEOSGeom_createRectangle_r(context.handle, box.minX, box.minY, box.maxX, box.maxY))
    }

    private func checkFinite(_ coordinates: [Coordinate], path: String) throws {
        if let i = coordinates.firstIndex(where: { !$0.longitude.isFinite || !$0.latitude.isFinite }) {
            throw InputError("position \(coordinates[i]) is not finite", at: InputLocation(path: "\(path)[\(i)]"))
        }
    }

    /// A new coordinate sequence owned by the caller (who hands it straight to a constructor).
    private func sequence(_ coordinates: [Coordinate], path: String) throws -> OpaquePointer {
        try checkFinite(coordinates, path: path)
        var buffer = [Double]()
        buffer.reserveCapacity(coordinates.count * 2)
        for c in coordinates {
            buffer.append(c.longitude)
            buffer.append(c.latitude)
        }
        // returns NULL on exception
        let sequence = buffer.withUnsafeBufferPointer {
            GEOSCoordSeq_copyFromBuffer_r(context.handle, $0.baseAddress, UInt32(coordinates.count), 0, 0)
        }
        guard let sequence else { throw context.error("GEOSCoordSeq_copyFromBuffer_r") }
        return sequence
    }

    private func lineString(_ coordinates: [Coordinate], path: String) throws -> GEOSGeometryOwner {
        if coordinates.count == 1 {
            throw InputError("a LineString needs 2 or more positions, found 1 (RFC 7946 §3.1.4)",
                             at: InputLocation(path: path))
        }
        let sequence = try sequence(coordinates, path: path)
        // returns NULL on exception; takes ownership of `sequence` either way
        guard let line = GEOSGeom_createLineString_r(context.handle, sequence) else {
            throw context.error("GEOSGeom_createLineString_r")
        }
        return GEOSGeometryOwner(context: context, pointer: line)
    }

    private func linearRing(_ coordinates: [Coordinate], path: String) throws -> GEOSGeometryOwner {
        guard coordinates.count >= 4 else {
            throw InputError("a linear ring needs 4 or more positions, found \(coordinates.count) (RFC 7946 §3.1.6)",
                             at: InputLocation(path: path))
        }
        guard coordinates.first == coordinates.last else {
            throw InputError("a linear ring must be closed: first \(coordinates.first!) ≠ last \(coordinates.last!) (RFC 7946 §3.1.6)",
                             at: InputLocation(path: path))
        }
        let sequence = try sequence(coordinates, path: path)
        // returns NULL on exception; takes ownership of `sequence` either way
        guard let ring = GEOSGeom_createLinearRing_r(context.handle, sequence) else {
            throw context.error("GEOSGeom_createLinearRing_r")
        }
        return GEOSGeometryOwner(context: context, pointer: ring)
    }

    private func polygon(_ rings: [[Coordinate]], path: String) throws -> GEOSGeometryOwner {
        if rings.isEmpty {
            // returns NULL on exception
            guard let empty = GEOSGeom_createEmptyPolygon_r(context.handle) else {
                throw context.error("GEOSGeom_createEmptyPolygon_r")
            }
            return GEOSGeometryOwner(context: context, pointer: empty)
        }
        // Owners free every ring already built if a later one throws.
        let owners = try rings.enumerated().map { try linearRing($1, path: "\(path)[\($0)]") }
        // Ownership of shell and holes passes to GEOS here: none is destroyed by us afterwards.
        let shell = owners[0].release()
        var holes = owners.dropFirst().map { Optional($0.release()) }
        // returns NULL on exception
        let polygon = holes.withUnsafeMutableBufferPointer {
            GEOSGeom_createPolygon_r(context.handle, shell, $0.baseAddress, UInt32($0.count))
        }
        guard let polygon else { throw context.error("GEOSGeom_createPolygon_r") }
        return GEOSGeometryOwner(context: context, pointer: polygon)
    }

    /// A collection of `type` absorbing `members` (ownership passes to GEOS).
    func collection(_ type: GEOSGeomTypes, _ members: [GEOSGeometryOwner]) throws -> GEOSGeometryOwner {
        // Ownership of every member passes to the new collection here.
        var pointers = members.map { Optional($0.release()) }
        // returns NULL on exception
        let collection = pointers.withUnsafeMutableBufferPointer {
            GEOSGeom_createCollection_r(context.handle, Int32(type.rawValue), $0.baseAddress, UInt32($0.count))
        }
        guard let collection else { throw context.error("GEOSGeom_createCollection_r") }
        return GEOSGeometryOwner(context: context, pointer: collection)
    }

    private func build(_ geometry: Geometry, path: String) throws -> GEOSGeometryOwner {
        switch geometry {
        case .point(let c):
            return try point(c).owner
        case .multiPoint(let coordinates):
            let points = try coordinates.enumerated().map { i, c in
                try checkFinite([c], path: "\(path).coordinates[\(i)]")
                // returns NULL on exception
                guard let p = GEOSGeom_createPointFromXY_r(context.handle, c.longitude, c.latitude) else {
                    throw context.error("GEOSGeom_createPointFromXY_r")
                }
                return GEOSGeometryOwner(context: context, pointer: p)
            }
            return try collection(GEOS_MULTIPOINT, points)
        case .lineString(let coordinates):
            return try lineString(coordinates, path: "\(path).coordinates")
        case .multiLineString(let lines):
            let members = try lines.enumerated().map { try lineString($1, path: "\(path).coordinates[\($0)]") }
            return try collection(GEOS_MULTILINESTRING, members)
        case .polygon(let rings):
            return try polygon(rings, path: "\(path).coordinates")
        case .multiPolygon(let polygons):
            let members = try polygons.enumerated().map { try polygon($1, path: "\(path).coordinates[\($0)]") }
            return try collection(GEOS_MULTIPOLYGON, members)
        case .geometryCollection(let geometries):
            let members = try geometries.enumerated().map { try build($1, path: "\(path).geometries[\($0)]") }
            return try collection(GEOS_GEOMETRYCOLLECTION, members)
        }
    }
}

// MARK: - GEOS → GeoJSON

extension GeometryEngine {
    /// The GeoJSON form of a GEOS geometry; `x` becomes longitude, `y` latitude.
    ///
    /// A `LinearRing` becomes a `.lineString`; an empty point becomes `.multiPoint([])`
    /// (GeoJSON has no empty Point). Z and M are dropped.
    /// - Complexity: O(n) in the number of positions.
    public func geoJSON(_ geometry: PlanarGeometry) throws -> Geometry {
        check(geometry)
        return try read(geometry.pointer)
    }

    /// The positions of a LineString or LinearRing (or the one position of a Point).
    public func coordinates(_ geometry: PlanarGeometry) throws -> [Coordinate] {
        check(geometry)
        return try readSequence(geometry.pointer)
    }

    private func typeID(_ g: OpaquePointer) throws -> GEOSGeomTypes {
        // returns -1 on exception
        let id = GEOSGeomTypeId_r(context.handle, g)
        guard id >= 0 else { throw context.error("GEOSGeomTypeId_r") }
        return GEOSGeomTypes(UInt32(id))
    }

    func readSequence(_ g: OpaquePointer) throws -> [Coordinate] {
        // returns NULL on exception; the sequence is borrowed from `g`
        guard let sequence = GEOSGeom_getCoordSeq_r(context.handle, g) else {
            throw context.error("GEOSGeom_getCoordSeq_r")
        }
        var size: UInt32 = 0
        // returns 0 on exception
        guard GEOSCoordSeq_getSize_r(context.handle, sequence, &size) != 0 else {
            throw context.error("GEOSCoordSeq_getSize_r")
        }
        if size == 0 { return [] }
        var buffer = [Double](repeating: 0, count: Int(size) * 2)
        // returns 0 on exception
        let status = buffer.withUnsafeMutableBufferPointer {
            GEOSCoordSeq_copyToBuffer_r(context.handle, sequence, $0.baseAddress, 0, 0)
        }
        guard status != 0 else { throw context.error("GEOSCoordSeq_copyToBuffer_r") }
        return (0..<Int(size)).map { Coordinate(longitude: buffer[2 * $0], latitude: buffer[2 * $0 + 1]) }
    }

    /// Borrowed parts of a collection (valid while the collection lives).
    func parts(_ g: OpaquePointer) throws -> [OpaquePointer] {
        // returns -1 on exception
        let n = GEOSGetNumGeometries_r(context.handle, g)
        guard n >= 0 else { throw context.error("GEOSGetNumGeometries_r") }
        return try (0..<n).map { i in
            // returns NULL on exception; the part is borrowed
            guard let part = GEOSGetGeometryN_r(context.handle, g, i) else {
                throw context.error("GEOSGetGeometryN_r")
            }
            return part
        }
    }

    private func rings(_ polygon: OpaquePointer) throws -> [[Coordinate]] {
        // returns 1 (empty), 0 or 2 on exception
        let empty = try context.predicate("GEOSisEmpty_r", GEOSisEmpty_r(context.handle, polygon))
        if empty { return [] }
        // returns NULL on exception; borrowed
        guard let shell = GEOSGetExteriorRing_r(context.handle, polygon) else {
            throw context.error("GEOSGetExteriorRing_r")
        }
        // returns -1 on exception
        let holes = GEOSGetNumInteriorRings_r(context.handle, polygon)
        guard holes >= 0 else { throw context.error("GEOSGetNumInteriorRings_r") }
        var rings = [try readSequence(shell)]
        for i in 0..<holes {
            // returns NULL on exception; borrowed
            guard let hole = GEOSGetInteriorRingN_r(context.handle, polygon, i) else {
                throw context.error("GEOSGetInteriorRingN_r")
            }
            rings.append(try readSequence(hole))
        }
        return rings
    }

    private func read(_ g: OpaquePointer) throws -> Geometry {
        switch try typeID(g) {
        case GEOS_POINT:
            let c = try readSequence(g)
            return c.count == 1 ? .point(c[0]) : .multiPoint([])
        case GEOS_LINESTRING, GEOS_LINEARRING:
            return .lineString(try readSequence(g))
        case GEOS_POLYGON:
            return .polygon(try rings(g))
        case GEOS_MULTIPOINT:
            return .multiPoint(try parts(g).flatMap { try readSequence($0) })
        case GEOS_MULTILINESTRING:
            return .multiLineString(try parts(g).map { try readSequence($0) })
        case GEOS_MULTIPOLYGON:
            return .multiPolygon(try parts(g).map { try rings($0) })
        default:
            return .geometryCollection(try parts(g).map { try read($0) })
        }
    }
}

// A GEOS context must not be shared between threads: these types stay on their task.
@available(*, unavailable, message: "one GeometryEngine per task: a GEOS context is not thread-safe")
extension GeometryEngine: Sendable {}

@available(*, unavailable, message: "a PlanarGeometry belongs to the engine (and task) that made it")
extension PlanarGeometry: Sendable {}

@available(*, unavailable, message: "a PreparedGeometry belongs to the engine (and task) that made it")
extension PreparedGeometry: Sendable {}

@available(*, unavailable, message: "a SpatialIndex belongs to the engine (and task) that made it")
extension SpatialIndex: Sendable {}
