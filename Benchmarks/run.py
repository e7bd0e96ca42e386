#!/usr/bin/env python3
"""RouteShift vs numpy/scipy, igraph and networkx on a 1M-node geographic network.

Builds routeshift-bench in release mode, generates the network if missing, runs
every contender in its own process (so peak RSS is per process), checks that
all report the same distances, and prints a table and a final line:

  ratios sssp_vs_scipy=... load_vs_numpy=... sssp_vs_igraph=... sssp_vs_networkx=... rss_vs_scipy=...

Speed ratios are peer time / RouteShift time; rss_vs_scipy is RouteShift's
peak RSS / the numpy+scipy process's. Then (unless --skip-whole-process) the
`routeshift` command itself, each run a whole process, against the goals:

  goals route_rsnet_s=... reach_rsnet_s=... reach_csv_s=... load_vs_numpy=... one_to_one_vs_one_to_all=... default_vs_dijkstra=...
  cpu_goals ... (the same figures from user + system CPU seconds: on a shared machine
                 wall time mostly measures the other jobs)

See README.md.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(HERE, "data")
SOURCES = [1, 333_333, 777_777]  # external node ids; the generator numbers nodes 1..n
RELATIVE_TOLERANCE = 1e-9


def peak_rss_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def write_distances(f, dist_by_id):
    import numpy as np
    np.asarray(dist_by_id, dtype="<f8").tofile(f)


# ---------------------------------------------------------------- peers
# Each runs in a child process started by `run.py --peer NAME`, prints one JSON object.

def load_numpy_csr(path):
    """numpy.loadtxt of the cost columns, then a scipy CSR matrix over node ids.

    A negative cost means no arc in that direction, as in pgRouting. csgraph
    treats an explicit 0 as an edge only in dense input, so costs must be > 0
    (true for the generated data). Row/column index = external node id.
    """
    import numpy as np
    import scipy.sparse as sp
    table = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(1, 2, 3, 4), dtype=np.float64)
    src = table[:, 0].astype(np.int64)
    tgt = table[:, 1].astype(np.int64)
    cost, reverse = table[:, 2], table[:, 3]
    del table
    forward, backward = cost >= 0, reverse >= 0
    rows = np.concatenate([src[forward], tgt[backward]])
    cols = np.concatenate([tgt[forward], src[backward]])
    weights = np.concatenate([cost[forward], reverse[backward]])
    n = int(max(src.max(), tgt.max())) + 1
    del src, tgt, cost, reverse, forward, backward
    graph = sp.csr_matrix((weights, (rows, cols)), shape=(n, n))
    return graph, n


def peer_scipy(args):
    from scipy.sparse.csgraph import dijkstra
    start, start_cpu = time.perf_counter(), time.process_time()
    graph, n = load_numpy_csr(args.edges)
    load_build, load_build_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    times, cpu_times = [], []
    with open(args.out, "wb") as f:
        for s in args.sources:
            for _ in range(args.repetitions):
                t, c = time.perf_counter(), time.process_time()
                dist = dijkstra(graph, directed=True, indices=s)
                times.append(time.perf_counter() - t)
                cpu_times.append(time.process_time() - c)
            write_distances(f, dist)
    return {"load_build_s": load_build, "load_build_cpu_s": load_build_cpu, "sssp_s": statistics.median(times),
            "sssp_cpu_s": statistics.median(cpu_times), "sssp_all_s": times, "peak_rss_kib": peak_rss_kib()}


def peer_igraph(args):
    import igraph as ig
    import numpy as np
    graph, n = load_numpy_csr(args.edges)
    coo = graph.tocoo()
    del graph
    start = time.perf_counter()
    g = ig.Graph(n=n, edges=np.column_stack([coo.row, coo.col]).tolist(), directed=True)
    g.es["weight"] = coo.data.tolist()
    build = time.perf_counter() - start
    del coo
    times = []
    with open(args.out, "wb") as f:
        for s in args.sources:
            for _ in range(args.repetitions):
                t = time.perf_counter()
                dist = g.distances(source=[s], weights="weight", mode="out")[0]
                times.append(time.perf_counter() - t)
            write_distances(f, dist)
    return {"build_s": build, "sssp_s": statistics.median(times), "sssp_all_s": times,
            "peak_rss_kib": peak_rss_kib()}


def peer_networkx(args):
    """One source, once: networkx needs minutes and gigabytes at this size."""
    import networkx as nx
    import numpy as np
    graph, n = load_numpy_csr(args.edges)
    coo = graph.tocoo()
    del graph
    start = time.perf_counter()
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist()))
    build = time.perf_counter() - start
    del coo
    s = args.sources[0]
    t = time.perf_counter()
    lengths = nx.single_source_dijkstra_path_length(g, s, weight="weight")
    elapsed = time.perf_counter() - t
    dist = np.full(n, np.inf)
    dist[np.fromiter(lengths.keys(), dtype=np.int64)] = np.fromiter(lengths.values(), dtype=np.float64)
    with open(args.out, "wb") as f:
        write_distances(f, dist)
    return {"build_s": build, "sssp_s": elapsed, "sssp_all_s": [elapsed], "peak_rss_kib": peak_rss_kib()}


PEERS = {"scipy": peer_scipy, "igraph": peer_igraph, "networkx": peer_networkx}

# One-to-one pairs (external ids) for `route`, far apart on the map.
PAIRS = [(1, 777_777), (333_333, 1), (777_777, 333_333)]


def whole_process(cmd, repetitions):
    """`cmd` as a whole process, stdout discarded: (median wall s, median CPU s of user + system time)."""
    times, cpu = [], []
    for _ in range(repetitions):
        t = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=CHILD_ENV)
        _, status, usage = os.wait4(child.pid, 0)
        times.append(time.perf_counter() - t)
        cpu.append(usage.ru_utime + usage.ru_stime)
        if status != 0:
            raise SystemExit(f"{' '.join(cmd)}: exit status {status >> 8}")
    return statistics.median(times), statistics.median(cpu)


def median_pair(results):
    """Per-column medians of (wall, CPU) pairs."""
    results = list(results)
    return statistics.median(w for w, _ in results), statistics.median(c for _, c in results)


def measure_commands(data, edges_path, repetitions):
    """`routeshift route` and `reach` on the CSV and on its `.rsnet` cache, whole processes."""
    subprocess.run(["swift", "build", "-c", "release", "--product", "routeshift"], cwd=ROOT, check=True)
    routeshift = os.path.join(ROOT, ".build", "release", "routeshift")
    cache = os.path.join(data, "net.rsnet")
    t = time.perf_counter()
    subprocess.run([routeshift, "network", "build", "--network", edges_path, "--out", cache], check=True,
                   stderr=subprocess.DEVNULL)
    print(f"  network build: {time.perf_counter() - t:.2f} s (not part of the figures below)", file=sys.stderr)
    out = {}
    def route(network, s, d, *extra):
        return [routeshift, "route", "--network", network, "--from", str(s), "--to", str(d), "--format", "csv", *extra]
    out["route_rsnet"] = median_pair(whole_process(route(cache, s, d), repetitions) for s, d in PAIRS)
    out["route_csv"] = median_pair(whole_process(route(edges_path, s, d), repetitions) for s, d in PAIRS)
    out["route_csv_dijkstra"] = median_pair(
        whole_process(route(edges_path, s, d, "--algorithm", "dijkstra"), repetitions) for s, d in PAIRS)
    out["route_rsnet_dijkstra"] = median_pair(
        whole_process(route(cache, s, d, "--algorithm", "dijkstra"), repetitions) for s, d in PAIRS)
    reach = lambda network: [routeshift, "reach", "--network", network, "--from", "1", "--format", "csv"]
    out["reach_rsnet"] = whole_process(reach(cache), repetitions)
    out["reach_csv"] = whole_process(reach(edges_path), repetitions)
    return out


# ---------------------------------------------------------------- driver

# Every contender runs with glibc's mmap threshold fixed at 128 KiB (the
# default adapts upward after large frees, after which freed buffers of up to
# 32 MB stay resident): large freed arrays go back to the system at once, so
# peak RSS measures what each process holds rather than allocator leftovers.
CHILD_ENV = dict(os.environ, MALLOC_MMAP_THRESHOLD_="131072")


def run_child(cmd):
    print("  $ " + " ".join(cmd), file=sys.stderr, flush=True)
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, env=CHILD_ENV).stdout
    return json.loads(out.strip().splitlines()[-1])


def compare(name, path, reference, source_count, sources_checked=None):
    """Worst relative difference to RouteShift's distances; exits if over the tolerance."""
    import numpy as np
    got = np.fromfile(path, dtype="<f8")
    n = reference.size // source_count
    ref = reference[: n * (sources_checked or source_count)]
    if got.size != ref.size:
        raise SystemExit(f"{name}: {got.size} distances, expected {ref.size}")
    same_inf = np.isinf(got) == np.isinf(ref)
    finite = np.isfinite(ref) & np.isfinite(got)
    scale = np.maximum(np.abs(ref[finite]), 1e-300)
    worst = float(np.max(np.abs(got[finite] - ref[finite]) / scale)) if finite.any() else 0.0
    if not same_inf.all() or worst > RELATIVE_TOLERANCE:
        raise SystemExit(f"{name}: distances differ from RouteShift's (worst relative {worst:.3g}, "
                         f"{int((~same_inf).sum())} reachability mismatches)")
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peer", choices=sorted(PEERS))
    parser.add_argument("--data", default=DATA, help="folder with edges.csv and nodes.csv (generated if missing)")
    parser.add_argument("--edges", help="(child processes) edges CSV")
    parser.add_argument("--sources", type=lambda s: [int(x) for x in s.split(",")], default=SOURCES)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--out")
    parser.add_argument("--skip-networkx", action="store_true", help="networkx takes minutes and several GB")
    parser.add_argument("--skip-whole-process", action="store_true",
                        help="do not time the routeshift command (route, reach) as whole processes")
    parser.add_argument("--no-node-coordinates", action="store_true",
                        help="build RouteShift's graph without nodes.csv (no Hilbert numbering)")
    args = parser.parse_args()

    if args.peer:
        print(json.dumps(PEERS[args.peer](args)))
        return

    subprocess.run(["swift", "build", "-c", "release", "--product", "routeshift-bench"], cwd=ROOT, check=True)
    data = args.data
    edges_path, nodes_path = os.path.join(data, "edges.csv"), os.path.join(data, "nodes.csv")
    if not (os.path.exists(edges_path) and os.path.exists(nodes_path)):
        subprocess.run([sys.executable, os.path.join(HERE, "generate_network.py"), "--out", data], check=True)

    import numpy as np
    sources = ",".join(map(str, args.sources))
    outputs = {name: os.path.join(data, f"distances-{name}.bin") for name in ["routeshift", *PEERS]}
    results = {}
    bench = [os.path.join(ROOT, ".build", "release", "routeshift-bench"), "--edges", edges_path, "--sources", sources,
             "--repetitions", str(args.repetitions), "--out", outputs["routeshift"],
             "--pairs", ",".join(f"{s}:{d}" for s, d in PAIRS)]
    if not args.no_node_coordinates:
        bench += ["--nodes", nodes_path]
    results["routeshift"] = run_child(bench)
    peers = ["scipy", "igraph"] + ([] if args.skip_networkx else ["networkx"])
    for name in peers:
        results[name] = run_child([sys.executable, os.path.abspath(__file__), "--peer", name, "--edges", edges_path,
                                   "--sources", sources, "--repetitions", str(args.repetitions),
                                   "--out", outputs[name]])

    reference = np.fromfile(outputs["routeshift"], dtype="<f8")
    worst = {name: compare(name, outputs[name], reference, len(args.sources), 1 if name == "networkx" else None)
             for name in peers}

    rs = results["routeshift"]
    print()
    print(f"edges.csv: {os.path.getsize(edges_path) / 1e6:.1f} MB, {rs['nodes']} nodes, {rs['arcs']} arcs; "
          f"sources {sources}; median of {args.repetitions} runs per source")
    print(f"{'':28} {'load+build s':>12} {'one-to-all s':>12} {'peak RSS MiB':>12} {'max rel diff':>12}")
    rows = [("RouteShift", rs["load_build_s"], rs["sssp_s"], rs["peak_rss_kib"], 0.0)]
    cpu_rows = [("RouteShift", rs["load_build_cpu_s"], rs["sssp_cpu_s"]),
                ("numpy.loadtxt + scipy CSR", results["scipy"]["load_build_cpu_s"], results["scipy"]["sssp_cpu_s"])]
    rows.append(("numpy.loadtxt + scipy CSR", results["scipy"]["load_build_s"], results["scipy"]["sssp_s"],
                 results["scipy"]["peak_rss_kib"], worst["scipy"]))
    rows.append(("python-igraph", float("nan"), results["igraph"]["sssp_s"], results["igraph"]["peak_rss_kib"],
                 worst["igraph"]))
    if "networkx" in results:
        rows.append(("networkx (1 run, 1 source)", float("nan"), results["networkx"]["sssp_s"],
                     results["networkx"]["peak_rss_kib"], worst["networkx"]))
    for name, lb, sssp, rss, diff in rows:
        print(f"{name:28} {lb:12.3f} {sssp:12.3f} {rss / 1024:12.1f} {diff:12.2g}")
    print(f"CPU s (user + system, all threads): " + "; ".join(f"{name} load+build {lb:.3f}, one-to-all {sssp:.3f}"
                                                             for name, lb, sssp in cpu_rows))
    if rs.get("build_s") is None:
        print(f"RouteShift: CSV parsed straight into the graph builder ({rs.get('loader', 'stream')} loader)")
    else:
        print(f"RouteShift: CSV load {rs['load_s']:.3f} s + graph build {rs['build_s']:.3f} s")
    if "peak_rss_after_load_kib" in rs:
        print(f"RouteShift: peak RSS {rs['peak_rss_after_load_kib'] / 1024:.1f} MiB after loading, "
              f"{rs['peak_rss_kib'] / 1024:.1f} MiB after the searches")

    ratio = lambda peer: results[peer]["sssp_s"] / rs["sssp_s"] if peer in results else float("nan")
    print(f"ratios sssp_vs_scipy={ratio('scipy'):.2f} "
          f"load_vs_numpy={results['scipy']['load_build_s'] / rs['load_build_s']:.2f} "
          f"sssp_vs_igraph={ratio('igraph'):.2f} sssp_vs_networkx={ratio('networkx'):.2f} "
          f"rss_vs_scipy={rs['peak_rss_kib'] / results['scipy']['peak_rss_kib']:.2f}")
    print(f"cpu_ratios sssp_vs_scipy={results['scipy']['sssp_cpu_s'] / rs['sssp_cpu_s']:.2f} "
          f"load_vs_numpy={results['scipy']['load_build_cpu_s'] / rs['load_build_cpu_s']:.2f}")
    if rs.get("one_to_one_s") is not None:
        print(f"RouteShift: one-to-one search (median over {len(PAIRS)} pairs) {rs['one_to_one_landmarks_s']:.4f} s "
              f"A* with landmarks, {rs['one_to_one_s']:.4f} s bidirectional, {rs['one_to_one_dijkstra_s']:.4f} s "
              f"one-sided, one-to-all {rs['sssp_s']:.4f} s; CPU {rs['one_to_one_landmarks_cpu_s']:.4f} s, "
              f"{rs['one_to_one_cpu_s']:.4f} s, {rs['one_to_one_dijkstra_cpu_s']:.4f} s, {rs['sssp_cpu_s']:.4f} s; "
              f"computing the landmarks (network build) {rs['landmarks_build_s']:.2f} s, "
              f"CPU {rs['landmarks_build_cpu_s']:.2f} s")
    if args.skip_whole_process:
        return
    cmd = measure_commands(data, edges_path, args.repetitions)
    print("routeshift whole process, wall s / CPU s (median of "
          f"{args.repetitions}; route: median over {len(PAIRS)} pairs): "
          + ", ".join(f"{k} {w:.3f}/{c:.3f}" for k, (w, c) in cmd.items()))
    load_ratio = results['scipy']['load_build_s'] / rs['load_build_s']
    print(f"goals route_rsnet_s={cmd['route_rsnet'][0]:.3f} (<= 0.1) reach_rsnet_s={cmd['reach_rsnet'][0]:.3f} (<= 0.5) "
          f"reach_csv_s={cmd['reach_csv'][0]:.3f} load_vs_numpy={load_ratio:.2f} (>= 4) "
          f"one_to_one_vs_one_to_all={rs['one_to_one_landmarks_s'] / rs['sssp_s']:.3f} (well under 1; "
          f"bidirectional {rs['one_to_one_s'] / rs['sssp_s']:.2f}) "
          f"default_vs_dijkstra={cmd['route_csv_dijkstra'][0] / cmd['route_csv'][0]:.2f} (>= 1; on the cache "
          f"{cmd['route_rsnet_dijkstra'][0] / cmd['route_rsnet'][0]:.2f})")
    print(f"cpu_goals route_rsnet_s={cmd['route_rsnet'][1]:.3f} (<= 0.1) reach_rsnet_s={cmd['reach_rsnet'][1]:.3f} "
          f"(<= 0.5) reach_csv_s={cmd['reach_csv'][1]:.3f} "
          f"load_vs_numpy={results['scipy']['load_build_cpu_s'] / rs['load_build_cpu_s']:.2f} (>= 4) "
          f"one_to_one_vs_one_to_all={rs['one_to_one_landmarks_cpu_s'] / rs['sssp_cpu_s']:.3f} (well under 1; "
          f"bidirectional {rs['one_to_one_cpu_s'] / rs['sssp_cpu_s']:.2f}) "
          f"default_vs_dijkstra={cmd['route_csv_dijkstra'][1] / cmd['route_csv'][1]:.2f} (>= 1; on the cache "
          f"{cmd['route_rsnet_dijkstra'][1] / cmd['route_rsnet'][1]:.2f})")


if __name__ == "__main__":
    main()
