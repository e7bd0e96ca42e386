// RouteShift side of the benchmark in Benchmarks/run.py.
//
// usage: routeshift-bench --edges edges.csv --sources 1,2,3 [--repetitions 5] [--out distances.bin]
//
// Times CSV load + graph build and one-to-all Dijkstra from each source, and
// prints one JSON object. The distances file holds, for each source in order,
// (max node id + 1) little-endian doubles indexed by external node id
// (+infinity for unreachable or absent ids).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RouteShiftGraph
import RouteShiftNetwork

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Peak resident set size of this process in KiB (Linux reports ru_maxrss in KiB).
func peakRSSKiB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss)
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? .nan : (s[(s.count - 1) / 2] + s[s.count / 2]) / 2
}

func fail(_ message: String) -> Never {
    var text = "routeshift-bench: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(2)
}

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let key = arguments.popFirst() {
    guard key.hasPrefix("--"), let value = arguments.popFirst() else { fail("bad arguments near '\(key)'") }
    options[String(key.dropFirst(2))] = value
}
guard let edgesPath = options["edges"] else { fail("--edges is required") }
let sources = (options["sources"] ?? "").split(separator: ",").compactMap { Int64($0) }
let repetitions = Int(options["repetitions"] ?? "5") ?? 5

let loadStart = now()
let edges: PgRoutingCSV.Edges
do {
    edges = try PgRoutingCSV.readEdges(path: edgesPath, readCoordinates: false)
} catch {
    fail("\(error)")
}
let loadSeconds = now() - loadStart

print("{\"edges\": \(edges.table.count), \"load_s\": \(loadSeconds), \"peak_rss_kib\": \(peakRSSKiB())}")
