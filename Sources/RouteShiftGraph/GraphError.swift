/// Why a graph could not be built, or why a query or overlay was rejected.
///
/// Every case names the offending edge or node id and, where there is one, the
/// value, so a caller can point at the bad row of its input.
public enum GraphError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The edge table's parallel columns have different lengths.
    case columnLengthMismatch(column: String, count: Int, expected: Int)
    /// A cost is NaN or infinite. Negative costs are legal (no arc in that direction).
    case nonFiniteCost(edgeId: Int64, column: String, value: Double)
    /// A cost so large that a path of `nodeCount - 1` such arcs would sum to infinity.
    case costSumOverflow(edgeId: Int64, value: Double, nodeCount: Int)
    /// Two rows of the edge table share an id.
    case duplicateEdgeId(Int64)
    /// Two coordinate rows share a node id.
    case duplicateCoordinate(nodeId: Int64)
    /// Coordinates were given, but not for this edge endpoint.
    case missingCoordinate(nodeId: Int64)
    /// A coordinate is NaN or infinite.
    case invalidCoordinate(nodeId: Int64, longitude: Double, latitude: Double)
    /// The graph has more nodes or arcs than 32-bit indices can address.
    case tooLarge(String)
    /// A query named a node id that is not in the graph.
    case unknownNode(Int64)
    /// An overlay named an edge id that is not in the graph.
    case unknownEdge(Int64)
    /// An overlay addressed a direction in which the edge has no arc.
    case absentDirection(edgeId: Int64, direction: TravelDirection)
    /// An overlay factor or cost is NaN, infinite or negative.
    case invalidOverlayValue(edgeId: Int64, value: Double)
    /// An overlay built for one graph was used with another.
    case overlayFromAnotherGraph
    /// A cost bound is NaN or negative.
    case invalidCostBound(Double)
    /// A path count below one or above `ShortestPathQuery.maximumPathCount` was requested.
    case invalidPathCount(Int)
    /// A link-group table gave an edge a group id outside the table.
    case invalidGroup(edgeId: Int64, group: Int)
    /// An allocation the input asks for would not fit in memory (`bytes` nil: its size overflows).
    case exceedsMemory(what: String, bytes: UInt64?, limit: UInt64?)
    /// Costs to a target (`ShortestPathQuery.costsToTarget`) were used with another
    /// graph or under other overlay changes than those they were grown under.
    case mismatchedTargetCosts(target: Int64)
    /// Stored graph arrays (`RoutingGraph.init(storage:)`) that do not fit together.
    case inconsistentStorage(String)

    /// Whether the error is about the data (an edge table, coordinates, an
    /// overlay value, a query's node), rather than about how the graph's API was
    /// used (an overlay of another graph, a path count below one).
    public var isInvalidInput: Bool {
        switch self {
        case .overlayFromAnotherGraph, .invalidPathCount, .invalidCostBound, .exceedsMemory, .mismatchedTargetCosts: false
        default: true
        }
    }

    public var description: String {
        switch self {
        case let .columnLengthMismatch(column, count, expected):
            return "edge table column '\(column)' has \(count) values, expected \(expected)"
        case let .nonFiniteCost(edgeId, column, value):
            return "edge \(edgeId): \(column) is \(value); costs must be finite (negative means no arc)"
        case let .costSumOverflow(edgeId, value, nodeCount):
            return "edge \(edgeId): cost \(value) is too large: a path of \(max(1, nodeCount - 1)) such edges "
                + "would overflow; costs must stay below \(Double.greatestFiniteMagnitude / Double(max(1, nodeCount - 1)))"
        case let .duplicateEdgeId(id):
            return "edge id \(id) appears more than once"
        case let .duplicateCoordinate(nodeId):
            return "node \(nodeId) has more than one coordinate"
        case let .missingCoordinate(nodeId):
            return "node \(nodeId) has no coordinate"
        case let .invalidCoordinate(nodeId, longitude, latitude):
            return "node \(nodeId): coordinate (\(longitude), \(latitude)) is not finite"
        case let .exceedsMemory(what, bytes, limit):
            func size(_ b: UInt64) -> String {
                b >= 1 << 30 ? "\((Double(b) / Double(1 << 30) * 10).rounded() / 10) GiB" : "\(b >> 20) MiB"
            }
            let need = bytes.map { "needs \(size($0))" } ?? "needs more bytes than a 64-bit size can count"
            let room = limit.map { ", more than the \(size($0)) this process may use (physical memory, ulimit -v)" } ?? ""
            return "\(what) \(need)\(room); ask for less"
        case let .tooLarge(what):
            return "graph too large: \(what)"
        case let .unknownNode(id):
            return "node \(id) is not in the graph"
        case let .unknownEdge(id):
            return "edge \(id) is not in the graph"
        case let .absentDirection(edgeId, direction):
            return "edge \(edgeId) has no arc in direction \(direction)"
        case let .invalidOverlayValue(edgeId, value):
            return "edge \(edgeId): overlay value \(value) must be finite and not negative"
        case .overlayFromAnotherGraph:
            return "the cost overlay was made for a different graph"
        case let .invalidCostBound(value):
            return "cost bound \(value) must be a non-negative number"
        case let .invalidPathCount(k):
            return "path count \(k) must be between 1 and \(ShortestPathQuery.maximumPathCount)"
        case let .invalidGroup(edgeId, group):
            return "edge \(edgeId): link group \(group) is not in the group table"
        case let .inconsistentStorage(what):
            return "stored graph is inconsistent: \(what)"
        case let .mismatchedTargetCosts(target):
            return "the costs to node \(target) were grown on another graph or under other overlay changes"
        }
    }
}
