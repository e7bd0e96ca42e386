// Synthetic throughput run of the agent engine for Benchmarks/agents.py.
//
// usage: routeshift-agents-bench [--network path] [--people 4000000] [--days 1000] [--threads 2] [--seed 1] [--stats 1]
// (--stats: people at locations, on links and in camps, and links completed, on 15 days, to stderr)
//
// The network (default: the bundled Geodata network) is read as a Flee location graph
// (`FleeScenarioInput(network:)`: origin hubs are conflict zones, destination hubs camps, the
// rest towns); `--people` are placed at the conflict zones in proportion to their population
// before day 0, then `--days` days run under the Flee rules (Flee's reference settings). Prints
// one JSON object: seconds for the days (wall and CPU, all threads), agent-days per second, bytes of people's state per person
// (the per-location counts and the travelling groups),
// peak RSS.
import RouteShiftAgents
import RouteShiftBenchHarness
import RouteShiftNetwork
import Foundation

let options = benchmarkOptions(tool: "routeshift-agents-bench")
let people = Int(options["people"] ?? "4000000")!
let days = Int(options["days"] ?? "1000")!
let threads = Int(options["threads"] ?? "2")!
let seed = UInt64(options["seed"] ?? "1")!

let t0 = now()
let network = try NetworkSource.load(options["network"])
let input = FleeScenarioInput(network: network)
var settings = FleeSettings.reference
settings.conflictSpawning = .init(mode: .constant, displacedPerConflictDay: 0)
let simulation = try FleeSimulation(input: input, settings: settings, seed: seed, days: days, startDay: 0, threads: threads)
let origins = input.locations.filter { $0.locationType == "conflict_zone" }
let weights = origins.map { Double(Int($0.population) ?? 0) + 1 }
let total = weights.reduce(0, +)
var placed = 0
for (i, origin) in origins.enumerated() {
    let n = i == origins.count - 1 ? people - placed : Int(Double(people) * weights[i] / total)
    try simulation.place(n, at: origin.name)
    placed += n
}
let t1 = now(), cpu1 = processCPUSeconds()
let result = try simulation.run()
let t2 = now(), cpu2 = processCPUSeconds()
let last = result.counts.count - 1
let inCamps = result.campIndices.reduce(0) { $0 + Int(result.counts[last][$1]) }
print("""
{"people": \(result.agentCount), "days": \(days), "threads": \(threads), "locations": \(input.locations.count), \
"links": \(input.routes.count), "setup_s": \(t1 - t0), "run_s": \(t2 - t1), "run_cpu_s": \(cpu2 - cpu1), \
"agent_days_per_s": \(Double(result.agentCount) * Double(days) / (t2 - t1)), \
"bytes_per_agent": \(result.bytesPerAgent), "peak_rss_mib": \(Double(peakRSSKiB()) / 1024), \
"in_camps_last_day": \(inCamps)}
""")
if options["stats"] != nil {
    for d in stride(from: 0, to: days, by: max(1, days / 15)) {
        let hops = result.crossings[d].reduce(0) { $0 + Int($1) }
        let here = result.counts[d].reduce(0) { $0 + Int($1) }
        let camps = result.campIndices.reduce(0) { $0 + Int(result.counts[d][$1]) }
        FileHandle.standardError.write("day \(d) hops \(hops) atLocations \(here) onLinks \(result.totals[d] - here) inCamps \(camps)\n".data(using: .utf8)!)
    }
}
