// One evaluation of the calibration objective, the pooled way (`FixedSetObjective`: each
// distinct set's logit once, each month's demand resolved to terms once) against the way
// before it (each network state's `FixedSetLogit.unitCrossings`, then each month's demand
// spread by `UnitCrossings.add`), side by side on the bundled record, for Benchmarks/calibration.py.
//
// usage: routeshift-calibration-bench [--config Geodata/calibration.yaml] [--train 2014-01:2019-12]
//                                     [--evaluations 30] [--threads N] [--skip-reference 0]
//
// The choice sets of the training months are found once at the config's start values (as the
// first round of `routeshift calibrate` does). Then both ways evaluate the same parameter
// points (the start and points moved along each free parameter); every month's modelled
// crossings per route, assigned, stranded and suppressed flow must be equal to the last digit.
// Each way is timed over `--evaluations` evaluations (the median of wall and of process CPU
// seconds per evaluation). Prints one JSON object, then `ratios ...`; the object's
// `choice_set_fingerprints` (a hash of every state's sets, bit for bit) tell whether two builds
// found the same sets.
import Foundation
import RouteShiftBenchHarness
import RouteShiftCalibration
import RouteShiftCore
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftSimulation

let tool = "routeshift-calibration-bench"
let options = benchmarkOptions(tool: tool)
let evaluations = Int(options["evaluations"] ?? "30") ?? 30
let threads = Int(options["threads"] ?? "") ?? Assignment.defaultWorkers

let problem: CalibrationProblem
let setupStart = now()
do {
    var config = try CalibrationConfig.load(path: options["config"] ?? "Geodata/calibration.yaml")
    if let train = options["train"] {
        guard let range = MonthRange(train) else { fail("--train \(train) is not YYYY-MM:YYYY-MM", tool: tool) }
        config.train = range
    }
    config.validate = nil
    let network = try NetworkSource.load(options["network"] ?? config.network ?? "Geodata/network.geojson")
    let data = try ObservationData.load(directory: options["observations"] ?? config.observations ?? "Geodata/observations")
    problem = try RecordedData.problem(config, network: network, data: data, workers: threads)
} catch { fail("\(error)", tool: tool) }
let loaded = now(), loadedCPU = processCPUSeconds()
let start: (objective: FixedSetObjective, parameters: CostModel.Parameters, theta: Double)
do { start = try Calibration.startingObjective(problem) } catch { fail("\(error)", tool: tool) }
let objective = start.objective
let setsFound = now(), setsFoundCPU = processCPUSeconds()

// The evaluation before the pooling, as `Calibration.run` made it.
let states = objective.pool.members
let setDemand = objective.periods.indices.map { SetDemand(objective.periods[$0].demand, sets: states[objective.stateOfPeriod[$0]]!) }
/// Per month: crossings per route, then assigned, stranded, suppressed and total flow.
func referenceFits(_ p: CostModel.Parameters, theta: Double) -> [[Double]] {
    let units = states.map { sets in
        sets.map {
            FixedSetLogit.unitCrossings(sets: $0, parameters: p, theta: theta,
                                        outsideOption: p.outsideOption.map(OutsideOption.init(margin:)), workers: threads)
        }
    }
    return Parallel.map(count: objective.periods.count, workers: threads, state: {}) { _, i in
        var counts = [Double](repeating: 0, count: problem.routes.count)
        let r = units[objective.stateOfPeriod[i]]!.add(setDemand[i], into: &counts)
        return counts + [r.assigned, r.stranded, r.suppressed, setDemand[i].total]
    }
}
func pooledFits(_ p: CostModel.Parameters, theta: Double) -> [[Double]] {
    objective.fits(p, theta: theta).map { $0.routes.map(\.modelled) + [$0.assigned, $0.stranded, $0.suppressed, $0.demand] }
}
/// The mean route ARD of figures as `referenceFits` gives them.
func meanARD(_ figures: [[Double]]) -> Double {
    zip(objective.periods, figures).reduce(0.0) { sum, pf in
        let (period, f) = pf
        var misfit = 0.0, observed = 0.0
        for (j, name) in problem.routes.enumerated() {
            let o = period.observed[name] ?? 0
            misfit += abs(f[j] - o); observed += o
        }
        return sum + (observed > 0 ? misfit / observed : (misfit > 0 ? 1 : 0))
    } / Double(figures.count)
}

// The start, and each free parameter moved to a quarter and three quarters of its range.
let points = [start.parameters] + problem.free.flatMap { f in
    [0.25, 0.75].map { u in
        var p = start.parameters
        CalibrationParameters.set(f.name, f.lower + u * (f.upper - f.lower), in: &p)
        return p
    }
}
func theta(_ p: CostModel.Parameters) -> Double { p.theta ?? start.theta }
var mismatches = 0
for p in points {
    let a = pooledFits(p, theta: theta(p)), b = referenceFits(p, theta: theta(p))
    if a != b { mismatches += 1 }
}

/// Median wall and CPU seconds of one evaluation of `body` over the points, in turn.
func time(_ body: (CostModel.Parameters) -> Double) -> (wall: Double, cpu: Double, checksum: Double) {
    var walls: [Double] = [], cpus: [Double] = [], checksum = 0.0
    for i in 0..<max(1, evaluations) {
        let p = points[i % points.count]
        let w0 = now(), c0 = processCPUSeconds()
        checksum += body(p)
        cpus.append(processCPUSeconds() - c0); walls.append(now() - w0)
    }
    return (median(walls), median(cpus), checksum)
}
let pooled = time { objective.value($0, theta: theta($0)) }
let skipReference = (options["skip-reference"] ?? "0") != "0"
let reference = skipReference ? nil : time { p in meanARD(referenceFits(p, theta: theta(p))) }

let sets = states.compactMap { $0 }
let alternatives = sets.reduce(0) { $0 + $1.alternatives.reduce(0) { $0 + $1.count } }

/// FNV-1a over every state's sets word by word: pairs, and per alternative its edges, arcs,
/// features, ln path size, overlay cost and counted crossings (doubles by their bits), and the
/// sets taken over: two builds found the same sets iff (up to hash collisions) they print the same.
func fingerprint(_ sets: FixedChoiceSets) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ x: UInt64) { for k in 0..<8 { h = (h ^ ((x >> (8 * UInt64(k))) & 0xff)) &* 0x0000_0100_0000_01b3 } }
    func mix(_ s: String) { for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }; mix(UInt64(s.utf8.count)) }
    mix(UInt64(sets.reusedSets))
    for (pair, set) in zip(sets.pairs, sets.alternatives) {
        mix(UInt64(bitPattern: pair.origin)); mix(UInt64(bitPattern: pair.destination)); mix(pair.userClass ?? "-")
        mix(UInt64(set.count))
        for a in set {
            mix(UInt64(a.edges.count)); for e in a.edges { mix(UInt64(bitPattern: e)) }
            mix(UInt64(a.arcs.count)); for arc in a.arcs { mix(UInt64(UInt32(bitPattern: arc))) }
            for x in a.features.vector { mix(x.bitPattern) }
            mix(a.logPathSize.bitPattern); mix(a.overlayExtraCost.bitPattern)
            for c in a.counts { mix(UInt64(c.counter)); mix(c.times.bitPattern) }
        }
    }
    return String(h, radix: 16)
}
var report: [String: Any] = [
    "months": objective.periods.count, "network_states": sets.count, "threads": threads,
    "choice_sets": sets.reduce(0) { $0 + $1.pairs.count }, "alternatives": alternatives,
    "distinct_choice_sets": objective.pool.distinctSets, "terms": objective.terms,
    "points_compared": points.count, "points_differing": mismatches,
    "seconds_loading": loaded - setupStart, "seconds_choice_sets": setsFound - loaded,
    "cpu_seconds_choice_sets": setsFoundCPU - loadedCPU,
    "evaluations": evaluations,
    "pooled_ms_wall": pooled.wall * 1000, "pooled_ms_cpu": pooled.cpu * 1000,
    "choice_set_fingerprints": sets.map(fingerprint),
]
if let reference {
    report["reference_ms_wall"] = reference.wall * 1000; report["reference_ms_cpu"] = reference.cpu * 1000
}
let json = try! JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
print(String(decoding: json, as: UTF8.self))
var ratios = "ratios evaluation_ms_vs_goal=\(String(format: "%.3f", pooled.wall * 1000 / 30))"
if let reference {
    ratios += " before_vs_after_wall=\(String(format: "%.2f", reference.wall / pooled.wall))"
        + " before_vs_after_cpu=\(String(format: "%.2f", reference.cpu / pooled.cpu))"
}
print(ratios + " same_digits=\(mismatches == 0 ? "yes" : "no")")
if mismatches > 0 { exit(1) }
