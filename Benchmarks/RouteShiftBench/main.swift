// RouteShift side of the benchmark in Benchmarks/run.py.
//
// usage: routeshift-bench --edges edges.csv --sources 1,2,3 [--nodes nodes.csv]
//                         [--repetitions 5] [--load-repetitions 3] [--out distances.bin]
//                         [--loader stream|table] [--edge-coordinates yes] [--workers N]
//                         [--pairs S:T,S:T,...]
//
// Times CSV load + graph build (with --nodes, node coordinates are read too and
// the graph numbers nodes along the Hilbert curve) and one-to-all Dijkstra from
// each source, and prints one JSON object. The default loader,
// `PgRoutingCSV.readGraph`, parses rows in batches straight into the graph
// builder (load and build interleave, so only their sum is timed);
// `--loader table` reads an `EdgeTable` with `readEdges` and then builds, timing
// both. `--edge-coordinates yes` (table loader) also parses the x1, y1, x2, y2
// columns (to time the loader on every column). `--workers` sets the CSV parser
// threads of the streaming loader (default: one per processor). The distances file holds, for
// each source in order, (max node id + 1) little-endian doubles indexed by
// external node id (+infinity for unreachable or absent ids). `--pairs` also times
// one-to-one searches between the given nodes: bidirectional Dijkstra (`route`'s
// default on an edge table), one-sided Dijkstra stopped at the target, and A* with
// the landmark bounds a `.rsnet` cache keeps (`route`'s default there; the landmarks'
// own computation, done once by `network build`, is reported apart).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RouteShiftBenchHarness
import RouteShiftGraph
import RouteShiftNetwork

func fail(_ message: String) -> Never { fail(message, tool: "routeshift-bench") }

let options = benchmarkOptions(tool: "routeshift-bench")
guard let edgesPath = options["edges"] else { fail("--edges is required") }
let sources = (options["sources"] ?? "").split(separator: ",").compactMap { Int64($0) }
let repetitions = Int(options["repetitions"] ?? "5") ?? 5

let nodesPath = options["nodes"]
let outPath = options["out"]
let readEdgeCoordinates = options["edge-coordinates"] == "yes"
let streaming = (options["loader"] ?? "stream") == "stream"
let workers = options["workers"].flatMap { Int($0) } ?? PgRoutingCSV.defaultWorkers

/// Loads and builds; the edge table is freed when this returns, as in an
/// application that keeps only the graph. `build` is `nil` when streaming.
func loadGraph() throws -> (graph: RoutingGraph, load: Double, build: Double?) {
    let start = now()
    if streaming {
        let graph = try PgRoutingCSV.readGraph(
            path: edgesPath, coordinates: nodesPath.map { try PgRoutingCSV.readNodes(path: $0, workers: workers) },
            workers: workers)
        return (graph, now() - start, nil)
    }
    let edges = try PgRoutingCSV.readEdges(path: edgesPath, readCoordinates: readEdgeCoordinates)
    let coordinates = try nodesPath.map { try PgRoutingCSV.readNodes(path: $0) }
    let loaded = now()
    let graph = try RoutingGraph(edges: edges.table, coordinates: coordinates)
    return (graph, loaded - start, now() - loaded)
}

var loadTimes: [Double] = [], buildTimes: [Double] = [], loadCPUTimes: [Double] = []
var built: RoutingGraph?
for _ in 0..<max(1, Int(options["load-repetitions"] ?? "3") ?? 3) {
    built = nil
    do {
        let startCPU = processCPUSeconds()
        let (g, load, build) = try loadGraph()
        loadCPUTimes.append(processCPUSeconds() - startCPU)
        built = g
        loadTimes.append(load); buildTimes.append(build ?? 0)
    } catch {
        fail("\(error)")
    }
}
let graph = built!
/// Peak RSS once the graph is loaded, before any search: shows which phase sets the overall peak.
let loadPeakRSS = peakRSSKiB()
let query = ShortestPathQuery(graph: graph)

// Distances by external node id, one block per source, written as they come
// through a small buffer (gathered by id, so no id-indexed copy is held).
let maxId = (0..<graph.nodeCount).reduce(Int64(0)) { max($0, graph.externalId(of: Int32($1))) }
let outFile = outPath.map { path -> UnsafeMutablePointer<FILE> in
    guard let f = fopen(path, "wb") else { fail("cannot write \(path)") }
    return f
}
var block = [Double](repeating: .infinity, count: outFile == nil ? 0 : 1 << 16)
var ssspTimes: [Double] = [], ssspCPUTimes: [Double] = []
for source in sources {
    var tree: ShortestPathTree?
    for _ in 0..<max(1, repetitions) {
        tree = nil
        let start = now(), startCPU = processCPUSeconds()
        do { tree = try query.shortestPathTree(from: source) } catch { fail("\(error)") }
        ssspTimes.append(now() - start)
        ssspCPUTimes.append(processCPUSeconds() - startCPU)
    }
    if let outFile, let distances = tree?.distances {
        var id: Int64 = 0
        while id <= maxId {
            let count = Int(min(Int64(block.count), maxId + 1 - id))
            for k in 0..<count {
                block[k] = graph.index(of: id + Int64(k)).map { distances[Int($0)] } ?? .infinity
            }
            let written = block.withUnsafeBufferPointer { fwrite($0.baseAddress, 8, count, outFile) }
            guard written == count else { fail("short write to \(outPath!)") }
            id += Int64(count)
        }
    }
}
if let outFile { fclose(outFile) }

let pairs: [(Int64, Int64)] = (options["pairs"] ?? "").split(separator: ",").compactMap { pair in
    let ends = pair.split(separator: ":").compactMap { Int64($0) }
    return ends.count == 2 ? (ends[0], ends[1]) : nil
}
var bidirectionalTimes: [Double] = [], dijkstraTimes: [Double] = []
var bidirectionalCPUTimes: [Double] = [], dijkstraCPUTimes: [Double] = []
var landmarkTimes: [Double] = [], landmarkCPUTimes: [Double] = []
/// Peak RSS of the load and the searches, before the landmarks (a cache's, not a search's, memory).
let searchPeakRSS = peakRSSKiB()
// What `network build` keeps in a cache for route's default search (not part of the load above).
let landmarkStart = now(), landmarkStartCPU = processCPUSeconds()
let landmarks = pairs.isEmpty ? nil : Landmarks(graph: graph, count: Int(options["landmarks"] ?? "") ?? Landmarks.defaultCount)
let landmarkBuild = (now() - landmarkStart, processCPUSeconds() - landmarkStartCPU)
for (s, t) in pairs {
    for _ in 0..<max(1, repetitions) {
        var start = now(), startCPU = processCPUSeconds()
        let a: Path?, b: Path?
        do { a = try query.bidirectionalShortestPath(from: s, to: t) } catch { fail("\(error)") }
        bidirectionalTimes.append(now() - start)
        bidirectionalCPUTimes.append(processCPUSeconds() - startCPU)
        start = now(); startCPU = processCPUSeconds()
        do { b = try query.shortestPath(from: s, to: t) } catch { fail("\(error)") }
        dijkstraTimes.append(now() - start)
        dijkstraCPUTimes.append(processCPUSeconds() - startCPU)
        guard a?.totalCost == b?.totalCost else { fail("\(s) -> \(t): the two searches disagree") }
        start = now(); startCPU = processCPUSeconds()
        let c: Path?
        do { c = try query.aStarShortestPath(from: s, to: t, bound: landmarks!.bound(to: graph.index(of: t)!)) }
        catch { fail("\(error)") }
        landmarkTimes.append(now() - start)
        landmarkCPUTimes.append(processCPUSeconds() - startCPU)
        guard let ca = c?.totalCost, let cb = b?.totalCost, abs(ca - cb) <= 1e-9 * cb else {
            fail("\(s) -> \(t): the landmark search disagrees")
        }
    }
}

print("""
    {"nodes": \(graph.nodeCount), "arcs": \(graph.arcCount), "loader": "\(streaming ? "stream" : "table")", \
    "load_s": \(median(loadTimes)), "build_s": \(streaming ? "null" : "\(median(buildTimes))"), \
    "load_build_s": \(median(zip(loadTimes, buildTimes).map { $0 + $1 })), \
    "load_build_cpu_s": \(median(loadCPUTimes)), "sssp_cpu_s": \(median(ssspCPUTimes)), \
    "sssp_s": \(median(ssspTimes)), "sssp_all_s": \(ssspTimes), "peak_rss_kib": \(searchPeakRSS), "peak_rss_with_landmarks_kib": \(peakRSSKiB()), \
    "peak_rss_after_load_kib": \(loadPeakRSS), \
    "one_to_one_s": \(pairs.isEmpty ? "null" : "\(median(bidirectionalTimes))"), \
    "one_to_one_dijkstra_s": \(pairs.isEmpty ? "null" : "\(median(dijkstraTimes))"), \
    "one_to_one_cpu_s": \(pairs.isEmpty ? "null" : "\(median(bidirectionalCPUTimes))"), \
    "one_to_one_dijkstra_cpu_s": \(pairs.isEmpty ? "null" : "\(median(dijkstraCPUTimes))"), \
    "one_to_one_landmarks_s": \(pairs.isEmpty ? "null" : "\(median(landmarkTimes))"), \
    "one_to_one_landmarks_cpu_s": \(pairs.isEmpty ? "null" : "\(median(landmarkCPUTimes))"), \
    "landmarks_build_s": \(landmarkBuild.0), "landmarks_build_cpu_s": \(landmarkBuild.1)}
    """)
