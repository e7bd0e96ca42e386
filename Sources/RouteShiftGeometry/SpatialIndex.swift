import CGEOS
import RouteShiftCore

/// Owner of a `GEOSSTRtree*`, destroyed in `deinit`, plus the geometries it indexes.
///
/// GEOS keeps pointers to the inserted geometries (their envelopes and, for
/// nearest-neighbour search, the geometries themselves), so their owners are held here.
final class GEOSSTRtreeOwner {
    let context: GEOSContext
    let pointer: OpaquePointer
    let items: [GEOSGeometryOwner]

    init(context: GEOSContext, items: [GEOSGeometryOwner], nodeCapacity: Int) throws {
        self.context = context
        self.items = items
        // returns NULL on exception
        guard let pointer = GEOSSTRtree_create_r(context.handle, nodeCapacity) else {
            throw context.error("GEOSSTRtree_create_r")
        }
        self.pointer = pointer
        // Insert reports failure only through the error handler: start from a clean slate.
        _ = context.takeErrorMessage()
        for (id, item) in items.enumerated() {
            // returns nothing; an exception is reported through the error handler only
            GEOSSTRtree_insert_r(context.handle, pointer, item.pointer, SpatialIndex.tag(id))
            if let message = context.takeErrorMessage() {
                // `self` is fully initialised, so deinit destroys the tree.
                throw GEOSError(operation: "GEOSSTRtree_insert_r", message: message)
            }
        }
    }

    deinit {
        GEOSSTRtree_destroy_r(context.handle, pointer)
    }
}

/// Userdata for the nearest-neighbour distance callback.
private final class NearestSearch {
    let handle: GEOSContextHandle_t
    let items: [GEOSGeometryOwner]
    let query: OpaquePointer
    var failed = false

    init(handle: GEOSContextHandle_t, items: [GEOSGeometryOwner], query: OpaquePointer) {
        self.handle = handle
        self.items = items
        self.query = query
    }

    func geometry(_ tag: UnsafeRawPointer?) -> OpaquePointer {
        guard let id = SpatialIndex.id(tag) else { return query }
        return items[id].pointer
    }
}

/// A sort-tile-recursive R-tree (Leutenegger et al. 1997) over geometries
/// identified by their position in the array it was built from.
///
/// Immutable once built (GEOS forbids inserts after the first query). Belongs
/// to the engine (and task) that built it.
public struct SpatialIndex {
    let owner: GEOSSTRtreeOwner

    /// Number of indexed geometries; ids are `0..<count`.
    public var count: Int { owner.items.count }

    /// Items are stored as pointer-sized tags `id + 1`, so no allocation per item
    /// and a null tag never stands for an item.
    static func tag(_ id: Int) -> UnsafeMutableRawPointer? {
        UnsafeMutableRawPointer(bitPattern: id + 1)
    }

    /// The id of an item tag; `nil` for the query tag (`queryTag`).
    static func id(_ tag: UnsafeRawPointer?) -> Int? {
        let bits = Int(bitPattern: tag)
        return bits > 0 ? bits - 1 : nil
    }

    /// Tag of the query geometry in nearest-neighbour search (never an item's tag).
    static var queryTag: UnsafeRawPointer? { UnsafeRawPointer(bitPattern: -1) }

    /// Ids of the geometries whose bounding boxes intersect `g`'s, in ascending order.
    ///
    /// A candidate filter: test the candidates with an exact predicate (ideally prepared).
    /// - Complexity: O(log n + k) for k candidates, typically.
    public func candidates(intersecting g: PlanarGeometry) -> [Int] {
        precondition(g.context === owner.context, "PlanarGeometry used with a SpatialIndex from another engine")
        var ids: [Int] = []
        withUnsafeMutablePointer(to: &ids) { idsPointer in
            // returns nothing; the callback runs once per candidate, synchronously
            GEOSSTRtree_query_r(owner.context.handle, owner.pointer, g.pointer, { item, userdata in
                guard let id = SpatialIndex.id(item), let userdata else { return }
                userdata.assumingMemoryBound(to: [Int].self).pointee.append(id)
            }, idsPointer)
        }
        return ids.sorted()
    }

    /// The id of the indexed geometry at the least planar distance from `g`,
    /// or `nil` when the index is empty. Ties go to whichever GEOS meets first.
    ///
    /// - Complexity: O(log n) distance evaluations, typically (branch and bound).
    public func nearest(to g: PlanarGeometry) throws -> Int? {
        precondition(g.context === owner.context, "PlanarGeometry used with a SpatialIndex from another engine")
        if owner.items.isEmpty { return nil }
        let search = NearestSearch(handle: owner.context.handle, items: owner.items, query: g.pointer)
        let found = withExtendedLifetime(search) { () -> UnsafeRawPointer? in
            // returns the nearest item's tag, or NULL on exception; the callback runs synchronously
            GEOSSTRtree_nearest_generic_r(
                owner.context.handle, owner.pointer, SpatialIndex.queryTag, g.pointer,
                { a, b, distance, userdata in
                    guard let userdata, let distance else { return 0 }
                    let search = Unmanaged<NearestSearch>.fromOpaque(userdata).takeUnretainedValue()
                    // returns 0 on exception
                    guard GEOSDistance_r(search.handle, search.geometry(a), search.geometry(b), distance) != 0 else {
                        search.failed = true
                        return 0
                    }
                    // GEOS 3.11 treats a non-zero return as success (the header's comment says the opposite).
                    return 1
                },
                Unmanaged.passUnretained(search).toOpaque())
        }
        guard let found, !search.failed, let id = SpatialIndex.id(found) else {
            throw owner.context.error("GEOSSTRtree_nearest_generic_r")
        }
        return id
    }
}

extension GeometryEngine {
    /// Indexes `geometries`; an item's id is its position in the array.
    ///
    /// The index keeps the geometries alive.
    /// - Parameter nodeCapacity: children per tree node (GEOS's default is 10).
    /// - Complexity: O(n log n) to build, on the first query.
    public func spatialIndex(_ geometries: [PlanarGeometry], nodeCapacity: Int = 10) throws -> SpatialIndex {
        geometries.forEach(check)
        guard nodeCapacity >= 2 else { throw InputError("STRtree node capacity \(nodeCapacity) must be at least 2") }
        return SpatialIndex(owner: try GEOSSTRtreeOwner(context: context, items: geometries.map(\.owner),
                                                       nodeCapacity: nodeCapacity))
    }
}
