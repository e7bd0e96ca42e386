#!/usr/bin/env python3
"""RouteShift against pgRouting on the 1M-node benchmark network, side by side.

    Benchmarks/setup-pgrouting.sh && python3 Benchmarks/pgrouting.py [--pairs 5] [--max-cost 20]

Starts a private PostgreSQL 15 cluster (initdb in a temporary directory, a Unix
socket there, no TCP; as the `postgres` user when run as root), loads
Benchmarks/data/edges.csv, and for random pairs runs, each as a whole process:

  route   psql -c "SELECT * FROM pgr_dijkstra('SELECT id, source, target, cost, reverse_cost FROM edges', s, t)"
          vs  routeshift route --network edges.csv --from s --to t --format csv
          and routeshift route --network net.rsnet (the compiled cache)
  reach   pgr_drivingDistance(..., s, D) vs routeshift reach --from s --max-cost D
  k paths pgr_KSP(..., s, t, K) vs routeshift route --from s --to t --k K (Yen's algorithm in
          both), t the farthest node within --ksp-radius of s (pgr_KSP runs one Dijkstra over
          the whole table per spur node, so far pairs take it minutes)

Answers are compared (total cost to 1e-9 relative, the same node sequence; the
same reached nodes with the same costs), times printed as ratios pgRouting /
RouteShift (above 1: RouteShift is faster). The cluster is stopped and removed
at the end. The table load is not timed (pgRouting users have the table already).
"""
import argparse, csv, io, os, random, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PGBIN = "/usr/lib/postgresql/15/bin"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(HERE, "data"))
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--max-cost", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--ksp-pairs", type=int, default=2)
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--ksp-radius", type=float, default=15.0)
    args = ap.parse_args()
    edges = os.path.join(args.data, "edges.csv")
    if not os.path.exists(edges):
        subprocess.run([sys.executable, os.path.join(HERE, "generate_network.py"), "--out", args.data], check=True)
    subprocess.run(["swift", "build", "-c", "release", "--product", "routeshift"], cwd=ROOT, check=True)
    routeshift = os.path.join(ROOT, ".build", "release", "routeshift")

    tmp = tempfile.mkdtemp(prefix="rs-pgr-")
    as_user = []
    if os.geteuid() == 0:  # initdb refuses root
        shutil.chown(tmp, "postgres")
        os.chmod(tmp, 0o755)
        as_user = ["runuser", "-u", "postgres", "--"]
    db = os.path.join(tmp, "db")
    port = "54329"
    def run(cmd, **kw):
        return subprocess.run(as_user + cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    run([f"{PGBIN}/initdb", "-D", db, "-A", "trust", "-U", "bench"])
    run([f"{PGBIN}/pg_ctl", "-D", db, "-l", os.path.join(tmp, "log"), "-w", "-o",
         f"-k {tmp} -p {port} -c listen_addresses='' -c shared_buffers=256MB -c work_mem=256MB", "start"])
    psql = as_user + ["psql", "-h", tmp, "-p", port, "-U", "bench", "-d", "postgres", "-X", "-q", "-A", "-F", ",", "-v", "ON_ERROR_STOP=1"]
    try:
        subprocess.run(psql + ["-c", "CREATE EXTENSION pgrouting CASCADE;"], check=True)
        subprocess.run(psql + ["-c", "CREATE TABLE edges (id bigint, source bigint, target bigint, cost float8, "
                               "reverse_cost float8, x1 float8, y1 float8, x2 float8, y2 float8);"], check=True)
        t = time.perf_counter()
        with open(edges, "rb") as f:
            subprocess.run(psql + ["-c", "\\copy edges FROM STDIN WITH (FORMAT csv, HEADER true)"], stdin=f, check=True)
        print(f"loaded {edges} into PostgreSQL in {time.perf_counter() - t:.1f} s (not timed below)", file=sys.stderr)
        version = subprocess.run(psql + ["-t", "-c", "SELECT pgr_version();"], check=True, stdout=subprocess.PIPE,
                                 text=True).stdout.strip()

        cache = os.path.join(tmp, "net.rsnet")
        subprocess.run([routeshift, "network", "build", "--network", edges, "--out", cache], check=True,
                       stderr=subprocess.DEVNULL)
        ids = []
        with open(edges) as f:
            next(f)
            for i, line in enumerate(f):
                if i % 997 == 0:
                    ids.append(int(line.split(",", 2)[1]))
        rng = random.Random(args.seed)
        sql = "SELECT id, source, target, cost, reverse_cost FROM edges"

        def timed(cmd):
            t = time.perf_counter()
            out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
            return time.perf_counter() - t, out

        mismatches = 0
        rows = []
        for _ in range(args.pairs):
            s, d = rng.choice(ids), rng.choice(ids)
            tp, out = timed(psql + ["-c", f"SELECT node, agg_cost FROM pgr_dijkstra('{sql}', {s}, {d}) ORDER BY seq;"])
            pg = [(int(a), float(b)) for a, b in (l.split(",") for l in out.split("\n")[1:] if l and not l.startswith("("))]
            tr, out = timed([routeshift, "route", "--network", edges, "--from", str(s), "--to", str(d), "--format", "csv"])
            tc, out2 = timed([routeshift, "route", "--network", cache, "--from", str(s), "--to", str(d), "--format", "csv"])
            rs = [(int(r["node"]), float(r["agg_cost"])) for r in csv.DictReader(io.StringIO(out))]
            same = (len(pg) == len(rs) and [n for n, _ in pg] == [n for n, _ in rs]
                    and all(abs(a[1] - b[1]) <= 1e-9 * max(1, abs(a[1])) for a, b in zip(pg, rs))) or (not pg and not rs)
            same = same and out == out2
            mismatches += not same
            rows.append(("route", s, d, tp, tr, tc, same))
        for _ in range(max(1, args.pairs // 2)):
            s = rng.choice(ids)
            tp, out = timed(psql + ["-c", f"SELECT node, agg_cost FROM pgr_drivingDistance('{sql}', {s}, {args.max_cost});"])
            pg = {int(a): float(b) for a, b in (l.split(",") for l in out.split("\n")[1:] if l and not l.startswith("("))}
            tr, out = timed([routeshift, "reach", "--network", edges, "--from", str(s), "--max-cost", str(args.max_cost),
                             "--format", "csv"])
            tc, _ = timed([routeshift, "reach", "--network", cache, "--from", str(s), "--max-cost", str(args.max_cost),
                           "--format", "csv"])
            rs = {int(r["node"]): float(r["agg_cost"]) for r in csv.DictReader(io.StringIO(out))}
            same = pg.keys() == rs.keys() and all(abs(pg[k] - rs[k]) <= 1e-9 * max(1, abs(pg[k])) for k in pg)
            mismatches += not same
            rows.append((f"reach {len(rs)}", s, args.max_cost, tp, tr, tc, same))

        def paths(rows):
            """(path id, node, agg_cost) rows as [(total cost, nodes)] in path order."""
            by_id = {}
            for pid, node, agg in rows:
                by_id.setdefault(pid, []).append((node, agg))
            return [(steps[-1][1], [n for n, _ in steps]) for _, steps in sorted(by_id.items())]
        def same_paths(a, b):
            # Equal costs may come in either order (ties): compare sorted by cost, then nodes.
            key = lambda p: (round(p[0], 6), p[1])
            return len(a) == len(b) and all(abs(x[0] - y[0]) <= 1e-9 * max(1, abs(x[0])) and x[1] == y[1]
                                            for x, y in zip(sorted(a, key=key), sorted(b, key=key)))
        for _ in range(args.ksp_pairs):
            s = rng.choice(ids)
            _, out = timed([routeshift, "reach", "--network", cache, "--from", str(s), "--max-cost", str(args.ksp_radius),
                            "--format", "csv"])
            reached = [(float(r["agg_cost"]), int(r["node"])) for r in csv.DictReader(io.StringIO(out))]
            d = max(reached)[1]
            tp, out = timed(psql + ["-c", f"SELECT path_id, node, agg_cost FROM pgr_KSP('{sql}', {s}, {d}, {args.k}) "
                                    "ORDER BY seq;"])
            pg = paths([(int(a), int(b), float(c)) for a, b, c in
                        (l.split(",") for l in out.split("\n")[1:] if l and not l.startswith("("))])
            tr, out = timed([routeshift, "route", "--network", edges, "--from", str(s), "--to", str(d), "--k", str(args.k),
                             "--format", "csv"])
            tc, out2 = timed([routeshift, "route", "--network", cache, "--from", str(s), "--to", str(d), "--k", str(args.k),
                              "--format", "csv"])
            rs = paths([(int(r["path_id"]), int(r["node"]), float(r["agg_cost"])) for r in csv.DictReader(io.StringIO(out))])
            same = same_paths(pg, rs) and out == out2
            mismatches += not same
            rows.append((f"ksp k={args.k}", s, d, tp, tr, tc, same))

        print(f"pgRouting {version}, PostgreSQL 15; whole-process seconds")
        print("query,from,to,pgrouting_s,routeshift_csv_s,routeshift_rsnet_s,ratio_csv,ratio_rsnet,same")
        for q, s, d, tp, tr, tc, same in rows:
            print(f"{q},{s},{d},{tp:.2f},{tr:.2f},{tc:.2f},{tp / tr:.1f},{tp / tc:.1f},{same}")
        def geo(kind, col):
            xs = [r[3] / r[col] for r in rows if r[0].startswith(kind)]
            p = 1.0
            for x in xs: p *= x
            return p ** (1 / len(xs)) if xs else float("nan")
        print(f"ratios route_vs_pgr_dijkstra={geo('route', 4):.2f} route_rsnet_vs_pgr_dijkstra={geo('route', 5):.2f} "
              f"reach_vs_pgr_drivingDistance={geo('reach', 4):.2f} reach_rsnet_vs_pgr_drivingDistance={geo('reach', 5):.2f} "
              f"ksp_vs_pgr_KSP={geo('ksp', 4):.2f} ksp_rsnet_vs_pgr_KSP={geo('ksp', 5):.2f} "
              f"mismatches={mismatches}")
    finally:
        subprocess.run(as_user + [f"{PGBIN}/pg_ctl", "-D", db, "-m", "fast", "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
