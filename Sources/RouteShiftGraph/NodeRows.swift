import CMemoryHints

extension RoutingGraph {
    /// Rows at most this long are gathered at once by `gatherNodeRows`.
    public static let nodeRowBlock = 4096

    /// What a table of reached nodes prints of each node, gathered for the node indices
    /// `nodes` (in row order) into the given buffers, one entry per node: its external id,
    /// the edge id of the arc `predecessorArcs[node]` (-1 where that is negative: the start
    /// node) and, when the graph has coordinates and the buffers are given, its position.
    ///
    /// Rows in cost order visit nodes in no memory order, so each row's reads are cache
    /// misses; they are made in passes with nothing else between them, the loads of a few
    /// rows ahead started early (prefetch), instead of one at a time between the writes
    /// of a row's text.
    /// - Complexity: O(nodes.count).
    public func gatherNodeRows(nodes: UnsafeBufferPointer<Int32>, predecessorArcs: UnsafeBufferPointer<Int32>,
                               ids: UnsafeMutablePointer<Int64>, edgeIds: UnsafeMutablePointer<Int64>,
                               longitudes lonOut: UnsafeMutablePointer<Double>?,
                               latitudes latOut: UnsafeMutablePointer<Double>?) {
        let n = nodes.count, ahead = 16
        guard n > 0 else { return }
        // Pass 1: the predecessor arc (kept in `edgeIds` for pass 2), the id and the position.
        func firstPass(_ coordinates: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>)?) {
            let arcs = predecessorArcs.baseAddress!
            switch nodeIdColumn {
            case let .offsets(base, offsets):
                offsets.withUnsafeBufferPointer { offsets in
                    for k in 0..<n {
                        if k + ahead < n {
                            let w = Int(nodes[k + ahead])
                            routeshift_prefetch(arcs + w)
                            routeshift_prefetch(offsets.baseAddress! + w)
                            if let (lon, lat) = coordinates {
                                routeshift_prefetch(lon.baseAddress! + w); routeshift_prefetch(lat.baseAddress! + w)
                            }
                        }
                        let v = Int(nodes[k])
                        edgeIds[k] = Int64(arcs[v])
                        ids[k] = base + Int64(offsets[v])
                        if let (lon, lat) = coordinates {
                            lonOut.unsafelyUnwrapped[k] = lon[v]; latOut.unsafelyUnwrapped[k] = lat[v]
                        }
                    }
                }
            case .listed:
                for k in 0..<n {
                    let v = Int(nodes[k])
                    edgeIds[k] = Int64(arcs[v])
                    ids[k] = nodeIdColumn[v]
                    if let (lon, lat) = coordinates {
                        lonOut.unsafelyUnwrapped[k] = lon[v]; latOut.unsafelyUnwrapped[k] = lat[v]
                    }
                }
            }
        }
        if lonOut == nil || latOut == nil || withCoordinateColumns({ firstPass(($0, $1)) }) == nil { firstPass(nil) }
        // Pass 2: the arcs' edge rows, then their ids.
        arcEdge.withUnsafeBufferPointer { arcEdge in
            for k in 0..<n {
                if k + ahead < n, edgeIds[k + ahead] >= 0 { routeshift_prefetch(arcEdge.baseAddress! + Int(edgeIds[k + ahead])) }
                let arc = edgeIds[k]
                edgeIds[k] = arc < 0 ? -1 : edgeRows.id(ofRow: arcEdge[Int(arc)])
            }
        }
    }
}
