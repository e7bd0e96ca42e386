import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph

/// Counts, connectivity and extent of a network, for `routeshift info`.
public struct NetworkSummary: Sendable {
    public var origin: String
    public var nodes: Int
    public var edges: Int
    public var arcs: Int
    public var weakComponents: Int
    public var largestWeakComponent: Int
    public var strongComponents: Int
    public var largestStrongComponent: Int
    public var boundingBox: BoundingBox?
    /// Edge counts by the `kind` attribute (e.g. leg, border, sea), when present.
    public var edgesByKind: [String: Int]

    public init(_ network: RouteNetwork) {
        let graph = network.graph
        origin = network.origin
        nodes = graph.nodeCount
        edges = graph.edgeCount
        arcs = graph.arcCount
        let weak = Connectivity.weakComponents(graph)
        let strong = Connectivity.strongComponents(graph)
        weakComponents = weak.count
        largestWeakComponent = weak.largest
        strongComponents = strong.count
        largestStrongComponent = strong.largest
        boundingBox = BoundingBox(covering: (0..<graph.nodeCount).compactMap { i in
            graph.coordinate(of: Int32(i)).map { Coordinate(longitude: $0.longitude, latitude: $0.latitude) }
        })
        var kinds: [String: Int] = [:]
        if network.edgeProperties != nil {
            for row in 0..<network.edges.count {
                if let kind = network.edgeAttributes?.kind[row] { kinds[kind.rawValue, default: 0] += 1 }
            }
        }
        edgesByKind = kinds
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "network": .string(origin),
            "nodes": .number(Double(nodes)),
            "edges": .number(Double(edges)),
            "arcs": .number(Double(arcs)),
            "weak_components": .number(Double(weakComponents)),
            "largest_weak_component": .number(Double(largestWeakComponent)),
            "strong_components": .number(Double(strongComponents)),
            "largest_strong_component": .number(Double(largestStrongComponent)),
            "edges_by_kind": .object(edgesByKind.mapValues { .number(Double($0)) }),
        ]
        if let b = boundingBox {
            object["bbox"] = .array([b.minX, b.minY, b.maxX, b.maxY].map(JSONValue.number))
        } else {
            object["bbox"] = .null
        }
        return .object(object)
    }

    public var text: String {
        var s = """
        network                 \(origin)
        nodes                   \(nodes)
        edges                   \(edges) (\(arcs) arcs)
        weak components         \(weakComponents) (largest: \(largestWeakComponent) nodes)
        strong components       \(strongComponents) (largest: \(largestStrongComponent) nodes)

        """
        if let b = boundingBox {
            s += "bounding box            \(b.minX), \(b.minY), \(b.maxX), \(b.maxY) (lon/lat)\n"
        }
        for (kind, count) in edgesByKind.sorted(by: { $0.key < $1.key }) {
            s += "edges of kind \(kind.padding(12))\(count)\n"
        }
        return s
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
