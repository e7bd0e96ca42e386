// The calibration's costs against its goals, on the bundled record, for Benchmarks/calibration.py:
//
// - one evaluation of the objective on fixed choice sets, the pooled way (`FixedSetObjective`:
//   each distinct set's logit once, each month's demand resolved to terms once) against the way
//   before it (each network state's `FixedSetLogit.unitCrossings`, then each month's demand
//   spread by `UnitCrossings.add`), side by side, for the training months;
// - one month alone (`--month`, default 2015-10): its choice sets searched at the start values,
//   then one evaluation of that month (goal ≤ 30 ms);
// - with `--calibrate N`, a calibration of N evaluations (`Calibration.run` on the whole config,
//   train and validate, its rounds with N ÷ rounds evaluations each and a tolerance of 10⁻¹²
//   so that none stops early): wall, process CPU and load (goal ≤ 120 s for ≥ 1,000).
//
// usage: routeshift-calibration-bench [--config Geodata/calibration.yaml] [--train 2014-01:2019-12]
//                                     [--evaluations 30] [--threads N] [--skip-reference 0]
//                                     [--month 2015-10|none] [--calibrate 0]
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

/// Load averages over 1, 5 and 15 minutes (`getloadavg`).
func loadAverage() -> [Double] {
    var l = [Double](repeating: 0, count: 3)
    return getloadavg(&l, 3) == 3 ? l : []
}
let loadAtStart = loadAverage()
let setupStart = now()
let config: CalibrationConfig, network: RouteNetwork, data: ObservationData, problem: CalibrationProblem
do {
    let file = try CalibrationConfig.load(path: options["config"] ?? "Geodata/calibration.yaml")
    var c = file
    if let train = options["train"] {
        guard let range = MonthRange(train) else { fail("--train \(train) is not YYYY-MM:YYYY-MM", tool: tool) }
        c.train = range
    }
    c.validate = nil
    config = file
    network = try NetworkSource.load(options["network"] ?? file.network ?? "Geodata/network.geojson")
    data = try ObservationData.load(directory: options["observations"] ?? file.observations ?? "Geodata/observations")
    var built = try RecordedData.problem(c, network: network, data: data, workers: threads)
    // The way before counts each crossing once: compare the two on crossings (no redetections).
    built.redetectionShare = nil
    problem = built
} catch { fail("\(error)", tool: tool) }
let loaded = now(), loadedCPU = processCPUSeconds()
let start: (objective: FixedSetObjective, parameters: CostModel.Parameters, theta: Double, redetectionShare: Double)
do { start = try Calibration.startingObjective(problem) } catch { fail("\(error)", tool: tool) }
let objective = start.objective
let setsFound = now(), setsFoundCPU = processCPUSeconds()

// The evaluation before the pooling, as `Calibration.run` made it; a month of several network
// states (a dated change inside it) is its parts, each its share of the demand, added in order.
let states = objective.pool.members
let setDemand = objective.periods.indices.map { i in
    objective.parts[i].map { part in
        SetDemand(objective.periods[i].demand.map {
            Demand(origin: $0.origin, destination: $0.destination, flow: part.share == 1 ? $0.flow : $0.flow * part.share,
                   userClass: $0.userClass)
        }, sets: states[part.state]!)
    }
}
/// Per month: crossings per route, then assigned, stranded, suppressed and total flow.
func referenceFits(_ p: CostModel.Parameters, theta: Double) -> [[Double]] {
    let units = states.map { sets in
        sets.map {
            FixedSetLogit.unitCrossings(sets: $0, parameters: p, theta: theta,
                                        outsideOption: p.outsideOption.map(OutsideOption.init(margin:)), workers: threads)
        }
    }
    return Parallel.map(count: objective.periods.count, workers: threads, state: {}) { _, i in
        var total: [Double] = []
        for (k, part) in objective.parts[i].enumerated() {
            var counts = [Double](repeating: 0, count: problem.routes.count)
            let r = units[part.state]!.add(setDemand[i][k], into: &counts)
            let figures = counts + [r.assigned, r.stranded, r.suppressed]
            if k == 0 { total = figures } else { for j in total.indices { total[j] += figures[j] } }
        }
        return total + [objective.periods[i].demand.reduce(0) { $0 + $1.flow }]
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

// One month alone: its choice sets at the start values, then its objective (with the config's
// counting of redetections, as `routeshift calibrate` evaluates it).
var monthReport: [String: Any] = [:]
let monthLabel = options["month"] ?? "2015-10"
if monthLabel != "none" {
    guard let range = MonthRange("\(monthLabel):\(monthLabel)") else { fail("--month \(monthLabel) is not YYYY-MM", tool: tool) }
    var c = config
    c.train = range
    c.validate = nil
    do {
        let one = try RecordedData.problem(c, network: network, data: data, workers: threads)
        let w0 = now(), c0 = processCPUSeconds()
        let s = try Calibration.startingObjective(one)
        let w1 = now(), c1 = processCPUSeconds()
        var walls: [Double] = [], cpus: [Double] = []
        for i in 0..<max(1, evaluations) {
            var p = s.parameters
            // Alternate two points so that nothing is reused from the evaluation before.
            if i % 2 == 1 { p.borderCrossingPrice *= 1.01 }
            let w = now(), cc = processCPUSeconds()
            _ = s.objective.value(p, theta: s.theta, redetectionShare: s.redetectionShare)
            walls.append(now() - w); cpus.append(processCPUSeconds() - cc)
        }
        let sets = s.objective.pool.members.compactMap { $0 }
        monthReport = [
            "month": monthLabel, "month_network_states": sets.count, "month_choice_sets": sets.reduce(0) { $0 + $1.pairs.count },
            "month_distinct_choice_sets": s.objective.pool.distinctSets, "month_terms": s.objective.terms,
            "month_seconds_choice_sets": w1 - w0, "month_cpu_seconds_choice_sets": c1 - c0,
            "month_ms_wall": median(walls) * 1000, "month_ms_cpu": median(cpus) * 1000,
        ]
    } catch { fail("\(error)", tool: tool) }
}

// A calibration of N evaluations on the whole config (train and validate).
var calibrationReport: [String: Any] = [:]
let calibrate = Int(options["calibrate"] ?? "0") ?? 0
if calibrate > 0 {
    do {
        var full = try RecordedData.problem(config, network: network, data: data, workers: threads)
        full.maxEvaluations = (calibrate + full.rounds - 1) / full.rounds
        full.tolerance = 1e-12
        let load0 = loadAverage(), w0 = now(), c0 = processCPUSeconds()
        let r = try Calibration.run(full)
        let w1 = now(), c1 = processCPUSeconds()
        calibrationReport = [
            "calibration_evaluations": r.evaluations, "calibration_rounds": full.rounds,
            "calibration_seconds_wall": w1 - w0, "calibration_cpu_seconds": c1 - c0,
            "calibration_seconds_optimizer": r.optimizerSeconds,
            "calibration_ms_per_evaluation": r.secondsPerEvaluation * 1000,
            "calibration_months": full.periods.count,
            "calibration_sets_searched": r.searchedSets, "calibration_sets_reused": r.reusedSets,
            "calibration_status": "\(r.status)",
            "calibration_load_before": load0, "calibration_load_after": loadAverage(),
        ]
    } catch { fail("\(error)", tool: tool) }
}

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
    "pooled_ms_per_month_wall": pooled.wall * 1000 / Double(objective.periods.count),
    "load_at_start": loadAtStart, "load_at_end": loadAverage(), "cpu_seconds_process": processCPUSeconds(),
]
report.merge(monthReport) { a, _ in a }
report.merge(calibrationReport) { a, _ in a }
if let reference {
    report["reference_ms_wall"] = reference.wall * 1000; report["reference_ms_cpu"] = reference.cpu * 1000
}
let json = try! JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
print(String(decoding: json, as: UTF8.self))
var ratios = "ratios evaluation_ms_vs_goal=\(String(format: "%.3f", pooled.wall * 1000 / 30))"
if let ms = monthReport["month_ms_wall"] as? Double { ratios += " month_ms_vs_goal=\(String(format: "%.3f", ms / 30))" }
if let wall = calibrationReport["calibration_seconds_wall"] as? Double, let n = calibrationReport["calibration_evaluations"] as? Int {
    ratios += " calibration_vs_goal=\(String(format: "%.2f", wall / 120))" + (n < 1000 ? " (only \(n) evaluations)" : "")
}
if let reference {
    ratios += " before_vs_after_wall=\(String(format: "%.2f", reference.wall / pooled.wall))"
        + " before_vs_after_cpu=\(String(format: "%.2f", reference.cpu / pooled.cpu))"
}
print(ratios + " same_digits=\(mismatches == 0 ? "yes" : "no")")
if mismatches > 0 { exit(1) }
