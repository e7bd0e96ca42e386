// Typed edge attribute columns against string lookups, for Benchmarks/attributes.sh.
//
// usage: routeshift-attributes-bench [--network path] [--passes 200] [--repetitions 5]
//
// The network (default: the bundled Geodata network) is loaded once. Each measure reads
// one attribute of every edge row the way setup code reads it (cost model, corridors,
// Frontex route map, edge references, agents), `--passes` times over, once through
// `RouteNetwork.edgeString`/`edgeNumber` (a dictionary lookup per row, then the word
// parsed) and once through `RouteNetwork.edgeAttributes` (an array read); the median of
// `--repetitions` is reported. Both sides fold what they read into a checksum, and the
// two checksums must agree. Also reported: the one-off cost of building the columns at
// load. Prints one JSON object, then `ratios <measure>=<strings / columns> ...`.
import RouteShiftBenchHarness
import RouteShiftCore
import RouteShiftNetwork

let options = benchmarkOptions(tool: "routeshift-attributes-bench")
let passes = Int(options["passes"] ?? "200") ?? 200
let repetitions = Int(options["repetitions"] ?? "5") ?? 5

let network: RouteNetwork
do { network = try NetworkSource.load(options["network"]) } catch { fail("\(error)", tool: "routeshift-attributes-bench") }
guard let columns = network.edgeAttributes, let properties = network.edgeProperties else {
    fail("\(network.origin) has no edge attributes", tool: "routeshift-attributes-bench")
}
let rows = network.edgeCount

/// Median seconds of `body` over the repetitions, and its checksum (the same every time).
func time(_ body: () -> Double) -> (seconds: Double, checksum: Double) {
    var times: [Double] = [], checksum = 0.0
    for _ in 0..<max(1, repetitions) {
        let start = now()
        checksum = body()
        times.append(now() - start)
    }
    return (median(times), checksum)
}

/// One measure: the string-lookup way and the column way of reading the same values.
struct Measure {
    var name: String
    var strings: () -> Double
    var columns: () -> Double
}

let day = "2015-09-01"
let measures: [Measure] = [
    Measure(name: "kind", strings: {
        var n = 0.0
        for _ in 0..<passes {
            for row in 0..<rows {
                let kind = network.edgeString(NetworkSchema.kind, row: row).flatMap(NetworkSchema.EdgeKind.init(rawValue:))
                if kind == .border || kind == .sea { n += 1 }
            }
        }
        return n
    }, columns: {
        var n = 0.0
        for _ in 0..<passes {
            for row in 0..<rows {
                let kind = columns.kind[row]
                if kind == .border || kind == .sea { n += 1 }
            }
        }
        return n
    }),
    Measure(name: "segment_border", strings: {
        var n = 0.0
        for _ in 0..<passes {
            for row in 0..<rows {
                n += Double(network.edgeString(NetworkSchema.segment, row: row)?.utf8.count ?? 0)
                n += Double(network.edgeString(NetworkSchema.border, row: row)?.utf8.count ?? 0)
            }
        }
        return n
    }, columns: {
        var n = 0.0
        for _ in 0..<passes {
            for row in 0..<rows {
                n += Double(columns.segment[row]?.utf8.count ?? 0)
                n += Double(columns.border[row]?.utf8.count ?? 0)
            }
        }
        return n
    }),
    Measure(name: "length_risk", strings: {
        var sum = 0.0
        for _ in 0..<passes {
            for row in 0..<rows {
                sum += network.edgeNumber(NetworkSchema.lengthKm, row: row) ?? 0
                sum += network.edgeNumber(NetworkSchema.risk, row: row) ?? 0
            }
        }
        return sum
    }, columns: {
        var sum = 0.0
        for _ in 0..<passes {
            for row in 0..<rows {
                sum += columns.lengthKm[row] ?? 0
                sum += columns.risk[row] ?? 0
            }
        }
        return sum
    }),
    Measure(name: "surveillance", strings: {
        var n = 0.0
        for _ in 0..<passes {
            for row in 0..<rows where network.edgeString(NetworkSchema.surveillance, row: row).flatMap(Surveillance.init(rawValue:)) == .high {
                n += 1
            }
        }
        return n
    }, columns: {
        var n = 0.0
        for _ in 0..<passes {
            for row in 0..<rows where columns.surveillance[row] == .high { n += 1 }
        }
        return n
    }),
    // As `CostModel.pending`: is the row's `since` later than the day?
    Measure(name: "since", strings: {
        var n = 0.0
        for _ in 0..<passes {
            for row in 0..<rows {
                if let since = network.edgeString(NetworkSchema.since, row: row), since > day { n += 1 }
            }
        }
        return n
    }, columns: {
        var n = 0.0
        for _ in 0..<passes {
            for row in 0..<rows {
                if let since = columns.since[row], since.description > day { n += 1 }
            }
        }
        return n
    }),
]

var results: [String] = [], ratios: [String] = []
for m in measures {
    let s = time(m.strings), c = time(m.columns)
    guard s.checksum == c.checksum else {
        fail("\(m.name): string lookups give \(s.checksum), columns \(c.checksum)", tool: "routeshift-attributes-bench")
    }
    let ratio = s.seconds / c.seconds
    results.append("\"\(m.name)\": {\"strings_s\": \(s.seconds), \"columns_s\": \(c.seconds), \"ratio\": \(ratio), \"checksum\": \(s.checksum)}")
    ratios.append("\(m.name)=\(String(format: "%.2f", ratio))")
}
// The one-off price of the columns: parsing every row's attributes at load.
let build = time {
    let built = try? EdgeAttributeColumns(properties: properties, location: { _, _ in InputLocation(file: network.origin) })
    return Double(built?.kind.count ?? -1)
}
print("{\"network\": \"\(network.origin)\", \"edges\": \(rows), \"passes\": \(passes), \"repetitions\": \(repetitions), "
      + results.joined(separator: ", ") + ", \"columns_build_s\": \(build.seconds)}")
print("ratios " + ratios.joined(separator: " "))
