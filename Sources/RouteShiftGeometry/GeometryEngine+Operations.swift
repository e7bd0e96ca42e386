import CGEOS
import RouteShiftCore

// MARK: - Validity

extension GeometryEngine {
    /// `true` when the geometry is valid in the OGC Simple Features sense.
    public func isValid(_ g: PlanarGeometry) throws -> Bool {
        check(g)
        // returns 1 (valid), 0 (invalid) or 2 on exception
        return try context.predicate("GEOSisValid_r", GEOSisValid_r(context.handle, g.pointer))
    }

    /// GEOS's explanation: `"Valid Geometry"`, or e.g. `"Self-intersection[0.5 0.5]"`.
    public func validityReason(_ g: PlanarGeometry) throws -> String {
        check(g)
        // returns NULL on exception; the string is freed with GEOSFree_r
        guard let reason = GEOSisValidReason_r(context.handle, g.pointer) else {
            throw context.error("GEOSisValidReason_r")
        }
        defer { GEOSFree_r(context.handle, reason) }
        return String(cString: reason)
    }

    /// A valid geometry covering the same points (GEOS's "linework" method):
    /// a bow-tie becomes a MultiPolygon of its two triangles.
    public func makeValid(_ g: PlanarGeometry) throws -> PlanarGeometry {
        check(g)
        // returns NULL on exception
        return try result("GEOSMakeValid_r", GEOSMakeValid_r(context.handle, g.pointer))
    }
}

// MARK: - Overlay and constructive operations

extension GeometryEngine {
    /// The points shared by `a` and `b`. Two polygons meeting along an edge give
    /// a LineString (or MultiLineString); meeting at a corner, a Point.
    public func intersection(_ a: PlanarGeometry, _ b: PlanarGeometry) throws -> PlanarGeometry {
        check(a); check(b)
        // returns NULL on exception
        return try result("GEOSIntersection_r", GEOSIntersection_r(context.handle, a.pointer, b.pointer))
    }

    public func union(_ a: PlanarGeometry, _ b: PlanarGeometry) throws -> PlanarGeometry {
        check(a); check(b)
        // returns NULL on exception
        return try result("GEOSUnion_r", GEOSUnion_r(context.handle, a.pointer, b.pointer))
    }

    /// The points of `a` not in `b`.
    public func difference(_ a: PlanarGeometry, _ b: PlanarGeometry) throws -> PlanarGeometry {
        check(a); check(b)
        // returns NULL on exception
        return try result("GEOSDifference_r", GEOSDifference_r(context.handle, a.pointer, b.pointer))
    }

    /// The union of all parts of `g` (dissolving shared edges of a collection's polygons).
    public func unaryUnion(_ g: PlanarGeometry) throws -> PlanarGeometry {
        check(g)
        // returns NULL on exception
        return try result("GEOSUnaryUnion_r", GEOSUnaryUnion_r(context.handle, g.pointer))
    }

    /// The union of many geometries in one cascaded pass, e.g. land = union of countries.
    ///
    /// - Complexity: about O(n log n) in the total vertex count (cascaded union),
    ///   much faster than folding `union(_:_:)` pairwise.
    public func unaryUnion(_ geometries: [PlanarGeometry]) throws -> PlanarGeometry {
        try unaryUnion(try collection(geometries))
    }

    /// A GeometryCollection of copies of `geometries`.
    public func collection(_ geometries: [PlanarGeometry]) throws -> PlanarGeometry {
        let copies = try geometries.map { try clone($0).owner }
        return PlanarGeometry(try collection(GEOS_GEOMETRYCOLLECTION, copies))
    }

    /// An independent copy.
    public func clone(_ g: PlanarGeometry) throws -> PlanarGeometry {
        check(g)
        // returns NULL on exception
        return try result("GEOSGeom_clone_r", GEOSGeom_clone_r(context.handle, g.pointer))
    }

    /// The combinatorial boundary: a polygon's rings as lines, a line's end points.
    public func boundary(_ g: PlanarGeometry) throws -> PlanarGeometry {
        check(g)
        // returns NULL on exception
        return try result("GEOSBoundary_r", GEOSBoundary_r(context.handle, g.pointer))
    }

    /// Sews lines that meet end to end (at nodes of degree 2) into maximal LineStrings.
    public func lineMerge(_ g: PlanarGeometry) throws -> PlanarGeometry {
        check(g)
        // returns NULL on exception
        return try result("GEOSLineMerge_r", GEOSLineMerge_r(context.handle, g.pointer))
    }

    /// Douglas–Peucker simplification (Douglas & Peucker 1973); may produce invalid polygons.
    /// `tolerance` is in the geometry's units.
    public func simplify(_ g: PlanarGeometry, tolerance: Double) throws -> PlanarGeometry {
        check(g)
        // returns NULL on exception
        return try result("GEOSSimplify_r", GEOSSimplify_r(context.handle, g.pointer, tolerance))
    }

    /// Simplification that keeps rings simple and does not make them cross.
    public func topologyPreservingSimplify(_ g: PlanarGeometry, tolerance: Double) throws -> PlanarGeometry {
        check(g)
        // returns NULL on exception
        return try result("GEOSTopologyPreserveSimplify_r",
                          GEOSTopologyPreserveSimplify_r(context.handle, g.pointer, tolerance))
    }

    /// The area within `distance` of `g`, in the geometry's own units.
    ///
    /// GEOS is planar: buffering lon/lat degrees gives distorted shapes. Project
    /// to a local metric CRS first (RouteShiftGeodesy) and pass metres.
    /// - Parameter quadrantSegments: segments per quarter circle on round joins and caps.
    public func buffer(_ g: PlanarGeometry, distance: Double, quadrantSegments: Int = 8) throws -> PlanarGeometry {
        check(g)
        guard distance.isFinite else { throw InputError("buffer distance \(distance) is not finite") }
        // returns NULL on exception
        return try result("GEOSBuffer_r", GEOSBuffer_r(context.handle, g.pointer, distance, Int32(quadrantSegments)))
    }

    /// Moves vertices and segments of `g` onto vertices of `reference` within `tolerance`.
    public func snap(_ g: PlanarGeometry, to reference: PlanarGeometry, tolerance: Double) throws -> PlanarGeometry {
        check(g); check(reference)
        // returns NULL on exception
        return try result("GEOSSnap_r", GEOSSnap_r(context.handle, g.pointer, reference.pointer, tolerance))
    }

    /// The lines of `g` split at every intersection (a fully noded MultiLineString).
    public func node(_ g: PlanarGeometry) throws -> PlanarGeometry {
        check(g)
        // returns NULL on exception
        return try result("GEOSNode_r", GEOSNode_r(context.handle, g.pointer))
    }

    /// The polygons formed by noded lines, as a GeometryCollection of Polygons.
    public func polygonize(_ lines: [PlanarGeometry]) throws -> PlanarGeometry {
        lines.forEach(check)
        var pointers: [OpaquePointer?] = lines.map(\.pointer)
        // returns NULL on exception; the inputs stay ours (borrowed)
        let polygons = pointers.withUnsafeMutableBufferPointer {
            GEOSPolygonize_r(context.handle, $0.baseAddress, UInt32($0.count))
        }
        return try result("GEOSPolygonize_r", polygons)
    }

    /// The bounding rectangle as a geometry (a Point for a single point).
    public func envelope(_ g: PlanarGeometry) throws -> PlanarGeometry {
        check(g)
        // returns NULL on exception
        return try result("GEOSEnvelope_r", GEOSEnvelope_r(context.handle, g.pointer))
    }

    /// The bounding box, or `nil` for an empty geometry.
    public func boundingBox(_ g: PlanarGeometry) throws -> BoundingBox? {
        check(g)
        if g.isEmpty { return nil }
        var box = BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
        // each returns 0 on exception
        guard GEOSGeom_getXMin_r(context.handle, g.pointer, &box.minX) != 0,
              GEOSGeom_getYMin_r(context.handle, g.pointer, &box.minY) != 0,
              GEOSGeom_getXMax_r(context.handle, g.pointer, &box.maxX) != 0,
              GEOSGeom_getYMax_r(context.handle, g.pointer, &box.maxY) != 0
        else { throw context.error("GEOSGeom_getXMin_r") }
        return box
    }

    /// Rewrites `g` in GEOS's normal form (ordered parts and rings), so equal shapes compare equal.
    public func normalized(_ g: PlanarGeometry) throws -> PlanarGeometry {
        let copy = try clone(g)
        // returns -1 on exception
        guard GEOSNormalize_r(context.handle, copy.pointer) == 0 else { throw context.error("GEOSNormalize_r") }
        return copy
    }
}

// MARK: - Linear referencing

extension GeometryEngine {
    /// Distance along `line` to the point on it nearest `point`, in the line's units.
    public func project(_ point: PlanarGeometry, onto line: PlanarGeometry) throws -> Double {
        check(point); check(line)
        // returns -1 on exception
        let d = GEOSProject_r(context.handle, line.pointer, point.pointer)
        guard d >= 0 else { throw context.error("GEOSProject_r") }
        return d
    }

    /// The point `distance` along `line` (clamped to its ends).
    public func interpolate(_ line: PlanarGeometry, distance: Double) throws -> PlanarGeometry {
        check(line)
        // returns NULL on exception
        return try result("GEOSInterpolate_r", GEOSInterpolate_r(context.handle, line.pointer, distance))
    }
}

// MARK: - Measures and structure

extension GeometryEngine {
    /// Planar area in squared units of the geometry (0 for points and lines).
    public func area(_ g: PlanarGeometry) throws -> Double {
        check(g)
        var value = 0.0
        // returns 0 on exception
        guard GEOSArea_r(context.handle, g.pointer, &value) != 0 else { throw context.error("GEOSArea_r") }
        return value
    }

    /// Planar length of lines, or perimeter of polygons, in the geometry's units.
    public func length(_ g: PlanarGeometry) throws -> Double {
        check(g)
        var value = 0.0
        // returns 0 on exception
        guard GEOSLength_r(context.handle, g.pointer, &value) != 0 else { throw context.error("GEOSLength_r") }
        return value
    }

    /// Minimum planar distance between `a` and `b`.
    public func distance(_ a: PlanarGeometry, _ b: PlanarGeometry) throws -> Double {
        check(a); check(b)
        var value = 0.0
        // returns 0 on exception
        guard GEOSDistance_r(context.handle, a.pointer, b.pointer, &value) != 0 else {
            throw context.error("GEOSDistance_r")
        }
        return value
    }

    /// Parts of a collection; 1 for a single geometry.
    public func numberOfGeometries(_ g: PlanarGeometry) throws -> Int {
        check(g)
        // returns -1 on exception
        let n = GEOSGetNumGeometries_r(context.handle, g.pointer)
        guard n >= 0 else { throw context.error("GEOSGetNumGeometries_r") }
        return Int(n)
    }

    /// Vertices in all parts and rings.
    public func numberOfPoints(_ g: PlanarGeometry) throws -> Int {
        check(g)
        // returns -1 on exception
        let n = GEOSGetNumCoordinates_r(context.handle, g.pointer)
        guard n >= 0 else { throw context.error("GEOSGetNumCoordinates_r") }
        return Int(n)
    }

    /// A copy of part `index` (0-based) of a collection; a single geometry is its own part 0.
    public func geometry(_ g: PlanarGeometry, at index: Int) throws -> PlanarGeometry {
        let count = try numberOfGeometries(g)
        guard (0..<count).contains(index) else {
            throw InputError("geometry index \(index) out of range 0..<\(count)")
        }
        // returns NULL on exception; the part is borrowed, so it is cloned
        guard let part = GEOSGetGeometryN_r(context.handle, g.pointer, Int32(index)) else {
            throw context.error("GEOSGetGeometryN_r")
        }
        // returns NULL on exception
        return try result("GEOSGeom_clone_r", GEOSGeom_clone_r(context.handle, part))
    }

    /// Copies of every part of a collection, in order.
    public func parts(_ g: PlanarGeometry) throws -> [PlanarGeometry] {
        try (0..<numberOfGeometries(g)).map { try geometry(g, at: $0) }
    }
}

// MARK: - Predicates

extension GeometryEngine {
    /// One GEOS binary predicate on two geometries of this engine.
    private func binaryPredicate(_ operation: String, _ a: PlanarGeometry, _ b: PlanarGeometry,
                                 _ call: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> CChar) throws -> Bool {
        check(a); check(b)
        // returns 1, 0, or 2 on exception
        return try context.predicate(operation, call(context.handle, a.pointer, b.pointer))
    }

    public func intersects(_ a: PlanarGeometry, _ b: PlanarGeometry) throws -> Bool {
        try binaryPredicate("GEOSIntersects_r", a, b, GEOSIntersects_r)
    }

    public func disjoint(_ a: PlanarGeometry, _ b: PlanarGeometry) throws -> Bool {
        try binaryPredicate("GEOSDisjoint_r", a, b, GEOSDisjoint_r)
    }

    public func touches(_ a: PlanarGeometry, _ b: PlanarGeometry) throws -> Bool {
        try binaryPredicate("GEOSTouches_r", a, b, GEOSTouches_r)
    }

    public func crosses(_ a: PlanarGeometry, _ b: PlanarGeometry) throws -> Bool {
        try binaryPredicate("GEOSCrosses_r", a, b, GEOSCrosses_r)
    }

    /// `true` when `a` lies in `b` (interiors meet, no point of `a` outside `b`).
    public func within(_ a: PlanarGeometry, _ b: PlanarGeometry) throws -> Bool {
        try binaryPredicate("GEOSWithin_r", a, b, GEOSWithin_r)
    }

    public func contains(_ a: PlanarGeometry, _ b: PlanarGeometry) throws -> Bool {
        try binaryPredicate("GEOSContains_r", a, b, GEOSContains_r)
    }

    public func covers(_ a: PlanarGeometry, _ b: PlanarGeometry) throws -> Bool {
        try binaryPredicate("GEOSCovers_r", a, b, GEOSCovers_r)
    }

    /// Same shape, vertex for vertex, within `tolerance`.
    public func equalsExact(_ a: PlanarGeometry, _ b: PlanarGeometry, tolerance: Double = 0) throws -> Bool {
        check(a); check(b)
        // returns 1, 0, or 2 on exception
        return try context.predicate("GEOSEqualsExact_r", GEOSEqualsExact_r(context.handle, a.pointer, b.pointer, tolerance))
    }

    /// Same point set (topological equality).
    public func equalsTopologically(_ a: PlanarGeometry, _ b: PlanarGeometry) throws -> Bool {
        try binaryPredicate("GEOSEquals_r", a, b, GEOSEquals_r)
    }

    /// Whether the DE-9IM matrix of `a` and `b` matches `pattern`, e.g. `"F***1****"`
    /// (interiors disjoint, boundaries share a line: two countries with a land border).
    public func relate(_ a: PlanarGeometry, _ b: PlanarGeometry, pattern: String) throws -> Bool {
        check(a); check(b)
        guard pattern.count == 9, pattern.allSatisfy({ "TF*012".contains($0) }) else {
            throw InputError("DE-9IM pattern '\(pattern)' must be 9 characters from T F * 0 1 2")
        }
        // returns 1, 0, or 2 on exception
        return try context.predicate("GEOSRelatePattern_r", GEOSRelatePattern_r(context.handle, a.pointer, b.pointer, pattern))
    }

    /// The DE-9IM intersection matrix of `a` and `b`, e.g. `"FF2F11212"`.
    public func relate(_ a: PlanarGeometry, _ b: PlanarGeometry) throws -> String {
        check(a); check(b)
        // returns NULL on exception; the string is freed with GEOSFree_r
        guard let matrix = GEOSRelate_r(context.handle, a.pointer, b.pointer) else {
            throw context.error("GEOSRelate_r")
        }
        defer { GEOSFree_r(context.handle, matrix) }
        return String(cString: matrix)
    }
}

// MARK: - Line work

extension GeometryEngine {
    /// The LineString parts of `g` (found recursively in collections), merged end
    /// to end; points and polygons are dropped. Empty when `g` has no lines.
    public func lineal(_ g: PlanarGeometry) throws -> PlanarGeometry {
        check(g)
        var lines: [GEOSGeometryOwner] = []
        try collectLines(g.pointer, into: &lines)
        // Ownership of the copies passes to the collection.
        let multi = try collection(GEOS_MULTILINESTRING, lines)
        // returns NULL on exception
        return try result("GEOSLineMerge_r", GEOSLineMerge_r(context.handle, multi.pointer))
    }

    /// Where the boundaries of two areas meet along a line, merged into maximal
    /// LineStrings: the land border of two countries. Contacts at single points
    /// are dropped, so corner-touching neighbours share an empty border.
    ///
    /// Exact: boundaries that should coincide but differ by digitising noise
    /// share little; `snap` one to the other first.
    public func sharedBoundary(_ a: PlanarGeometry, _ b: PlanarGeometry) throws -> PlanarGeometry {
        try lineal(try intersection(try boundary(a), try boundary(b)))
    }

    private func collectLines(_ g: OpaquePointer, into lines: inout [GEOSGeometryOwner]) throws {
        // returns -1 on exception
        let type = GEOSGeomTypeId_r(context.handle, g)
        guard type >= 0 else { throw context.error("GEOSGeomTypeId_r") }
        switch GEOSGeomTypes(UInt32(type)) {
        case GEOS_LINESTRING, GEOS_LINEARRING:
            if try context.predicate("GEOSisEmpty_r", GEOSisEmpty_r(context.handle, g)) { return }
            // Copied as a LineString: a MultiLineString may not hold LinearRings.
            let coordinates = try readSequence(g)
            lines.append(try geometry(.lineString(coordinates)).owner)
        case GEOS_MULTILINESTRING, GEOS_GEOMETRYCOLLECTION:
            for part in try parts(g) { try collectLines(part, into: &lines) }
        default:
            return
        }
    }
}
