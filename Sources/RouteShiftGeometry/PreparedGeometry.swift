import CGEOS

/// Owner of a `GEOSPreparedGeometry*`, destroyed in `deinit`.
///
/// A prepared geometry borrows its base geometry (GEOS keeps a pointer to it),
/// so the owner holds the base's owner to keep it alive at least as long.
final class GEOSPreparedOwner {
    let base: GEOSGeometryOwner
    let pointer: OpaquePointer

    init(base: GEOSGeometryOwner) throws {
        self.base = base
        // returns NULL on exception
        guard let pointer = GEOSPrepare_r(base.context.handle, base.pointer) else {
            throw base.context.error("GEOSPrepare_r")
        }
        self.pointer = pointer
    }

    deinit {
        GEOSPreparedGeom_destroy_r(base.context.handle, pointer)
    }
}

/// A geometry indexed for many predicate tests against it, e.g. one land
/// polygon tested against thousands of sea legs.
///
/// Answers agree with the `GeometryEngine` predicates; only faster when reused.
/// Belongs to the engine (and task) that prepared it.
public struct PreparedGeometry {
    let owner: GEOSPreparedOwner

    /// The geometry that was prepared.
    public var base: PlanarGeometry { PlanarGeometry(owner.base) }

    private var context: GEOSContext { owner.base.context }

    private func test(_ name: String, _ other: PlanarGeometry,
                      _ call: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> CChar) throws -> Bool {
        precondition(other.context === context, "PlanarGeometry used with a PreparedGeometry from another engine")
        // returns 1 (true), 0 (false) or 2 on exception
        return try context.predicate(name, call(context.handle, owner.pointer, other.pointer))
    }

    public func intersects(_ other: PlanarGeometry) throws -> Bool {
        try test("GEOSPreparedIntersects_r", other, GEOSPreparedIntersects_r)
    }

    public func disjoint(_ other: PlanarGeometry) throws -> Bool {
        try test("GEOSPreparedDisjoint_r", other, GEOSPreparedDisjoint_r)
    }

    public func contains(_ other: PlanarGeometry) throws -> Bool {
        try test("GEOSPreparedContains_r", other, GEOSPreparedContains_r)
    }

    /// `other` lies in the interior, touching no boundary.
    public func containsProperly(_ other: PlanarGeometry) throws -> Bool {
        try test("GEOSPreparedContainsProperly_r", other, GEOSPreparedContainsProperly_r)
    }

    public func covers(_ other: PlanarGeometry) throws -> Bool {
        try test("GEOSPreparedCovers_r", other, GEOSPreparedCovers_r)
    }

    public func coveredBy(_ other: PlanarGeometry) throws -> Bool {
        try test("GEOSPreparedCoveredBy_r", other, GEOSPreparedCoveredBy_r)
    }

    public func within(_ other: PlanarGeometry) throws -> Bool {
        try test("GEOSPreparedWithin_r", other, GEOSPreparedWithin_r)
    }

    public func touches(_ other: PlanarGeometry) throws -> Bool {
        try test("GEOSPreparedTouches_r", other, GEOSPreparedTouches_r)
    }

    public func crosses(_ other: PlanarGeometry) throws -> Bool {
        try test("GEOSPreparedCrosses_r", other, GEOSPreparedCrosses_r)
    }

    public func overlaps(_ other: PlanarGeometry) throws -> Bool {
        try test("GEOSPreparedOverlaps_r", other, GEOSPreparedOverlaps_r)
    }
}

extension GeometryEngine {
    /// Prepares `g` for repeated predicate tests; `g` is kept alive by the result.
    /// - Complexity: O(n log n) in `g`'s vertices, once; each test is then sub-linear for typical inputs.
    public func prepare(_ g: PlanarGeometry) throws -> PreparedGeometry {
        check(g)
        return PreparedGeometry(owner: try GEOSPreparedOwner(base: g.owner))
    }
}
