import RouteShiftGraph

/// Connected components of a routing graph.
public enum Connectivity {
    /// Component label of every node index, with the component count and size of the largest.
    public struct Components: Sendable {
        public var label: [Int32]
        public var count: Int
        public var largest: Int
    }

    /// Weakly connected components (arc directions ignored), by union–find
    /// with path halving and union by size (Tarjan 1975).
    /// - Complexity: O(m · α(n)).
    public static func weakComponents(_ graph: RoutingGraph) -> Components {
        let n = graph.nodeCount
        var parent = (0..<n).map(Int32.init)
        var size = [Int32](repeating: 1, count: n)
        func find(_ x: Int32) -> Int32 {
            var x = x
            while parent[Int(x)] != x {
                parent[Int(x)] = parent[Int(parent[Int(x)])]
                x = parent[Int(x)]
            }
            return x
        }
        for u in 0..<n {
            for arc in Int(graph.firstArc[u])..<Int(graph.firstArc[u + 1]) {
                var a = find(Int32(u)), b = find(graph.arcHead[arc])
                if a == b { continue }
                if size[Int(a)] < size[Int(b)] { swap(&a, &b) }
                parent[Int(b)] = a
                size[Int(a)] += size[Int(b)]
            }
        }
        return relabel((0..<n).map { find(Int32($0)) })
    }

    /// Strongly connected components, by Tarjan's algorithm (Tarjan 1972)
    /// with an explicit stack so deep graphs cannot overflow the call stack.
    /// - Complexity: O(n + m).
    public static func strongComponents(_ graph: RoutingGraph) -> Components {
        let n = graph.nodeCount
        var index = [Int32](repeating: -1, count: n)
        var low = [Int32](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var component = [Int32](repeating: -1, count: n)
        var stack: [Int32] = []
        var callStack: [(node: Int32, nextArc: Int32)] = []
        var counter: Int32 = 0
        var components: Int32 = 0
        for start in 0..<n where index[start] < 0 {
            callStack.append((Int32(start), graph.firstArc[start]))
            index[start] = counter; low[start] = counter; counter += 1
            stack.append(Int32(start)); onStack[start] = true
            while let (u, next) = callStack.last {
                let ui = Int(u)
                if next < graph.firstArc[ui + 1] {
                    callStack[callStack.count - 1].nextArc += 1
                    let v = Int(graph.arcHead[Int(next)])
                    if index[v] < 0 {
                        index[v] = counter; low[v] = counter; counter += 1
                        stack.append(Int32(v)); onStack[v] = true
                        callStack.append((Int32(v), graph.firstArc[v]))
                    } else if onStack[v] {
                        low[ui] = min(low[ui], index[v])
                    }
                } else {
                    callStack.removeLast()
                    if let parent = callStack.last { low[Int(parent.node)] = min(low[Int(parent.node)], low[ui]) }
                    if low[ui] == index[ui] {
                        while let w = stack.popLast() {
                            onStack[Int(w)] = false
                            component[Int(w)] = components
                            if w == u { break }
                        }
                        components += 1
                    }
                }
            }
        }
        return relabel(component)
    }

    /// Renumbers labels 0, 1, … in order of each component's smallest node index.
    private static func relabel(_ raw: [Int32]) -> Components {
        var map: [Int32: Int32] = [:]
        var label = [Int32](repeating: 0, count: raw.count)
        var sizes: [Int] = []
        for (i, r) in raw.enumerated() {
            if let l = map[r] { label[i] = l; sizes[Int(l)] += 1 } else {
                let l = Int32(map.count); map[r] = l; label[i] = l; sizes.append(1)
            }
        }
        return Components(label: label, count: sizes.count, largest: sizes.max() ?? 0)
    }
}
