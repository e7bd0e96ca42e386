#!/usr/bin/env python3
"""RouteShift's agent mode against the reference Flee, side by side in one run.

For each Flee scenario (burundi2015: 396 days, about 210,000 people; ethiopia2020:
146 days), runs the reference Flee from ../shared/flee-reference (`runscripts/run.py`,
Python) and `routeshift agents` with the same inputs, each in its own process under
/usr/bin/time for wall time and peak RSS, and scores both out.csv files with the same
averaged relative difference (Flee's validation figure; formula in
../shared/flee-reference/README.md). Then a synthetic run of the engine alone:
`routeshift-agents-bench`, 4,000,000 people for 1,000 days on the bundled network.

Needs: numpy, pandas, PyYAML, beartype, matplotlib, networkx (pip) for Flee.
Ends with one line:

  ratios <scenario>_speed=<Flee wall / RouteShift wall> <scenario>_cpu_speed=<Flee CPU s / RouteShift CPU s>
         <scenario>_rss=<RouteShift / Flee peak RSS> <scenario>_ard_diff=<RouteShift ARD - Flee ARD> ...
         synthetic_<n>t_s=<wall s of the days on n threads> synthetic_<n>t_cpu_s=<CPU s, all threads> ...
         bytes_per_agent=<B> synthetic_speedup_<n>t_vs_1t=<1-thread wall / n-thread wall>
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FLEE = os.path.normpath(os.path.join(ROOT, "..", "shared", "flee-reference"))
SCENARIOS = {
    "burundi2015": ("conflict_input/burundi", "conflict_validation/burundi2015"),
    "ethiopia2020": ("conflict_input/ethiopia", "conflict_validation/ethiopia2020"),
}


def timed(cmd, stdout, cwd=None, env=None):
    """Runs cmd under /usr/bin/time; returns (wall seconds, CPU seconds (user + sys), peak RSS MiB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%e %U %S %M"] + cmd, stdout=stdout,
                       stderr=subprocess.DEVNULL, cwd=cwd, env=env, check=True)
        wall, user, system, rss = open(t.name).read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss) / 1024


def ard(path):
    """Mean and last-day ARD(t) = sum_c |sim - obs| / max(sum_c obs, 1) over out.csv's camps."""
    rows = list(csv.DictReader(open(path)))
    camps = [k[:-4] for k in rows[0] if k.endswith(" sim")]
    daily = []
    for r in rows:
        diff = sum(abs(float(r[c + " sim"]) - float(r[c + " data"])) for c in camps)
        obs = sum(float(r[c + " data"]) for c in camps)
        daily.append(diff / max(obs, 1))
    return sum(daily) / len(daily), daily[-1]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scenarios", default="burundi2015,ethiopia2020")
    p.add_argument("--people", type=int, default=4_000_000, help="synthetic run: people (0 skips it)")
    p.add_argument("--days", type=int, default=1000, help="synthetic run: days")
    p.add_argument("--threads", default="2",
                   help="threads; a list (e.g. 1,2) runs the synthetic run once per count, the scenarios with the first")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--skip-build", action="store_true")
    p.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"),
                   help="folder of the routeshift and routeshift-agents-bench binaries (default: the release build)")
    args = p.parse_args()
    if not os.path.isdir(FLEE):
        sys.exit(f"reference Flee not found at {FLEE}")
    if not args.skip_build:
        for product in ("routeshift", "routeshift-agents-bench"):
            subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
    routeshift = os.path.join(args.bin, "routeshift")
    ratios = []
    work = tempfile.mkdtemp(prefix="rs-agents-bench-")
    threads = [int(t) for t in args.threads.split(",")]
    print(f"{'scenario':14} {'tool':10} {'wall s':>9} {'CPU s':>9} {'peak MiB':>9} {'ARD mean':>9} {'ARD final':>9}")
    for name in args.scenarios.split(","):
        scenario, validation = (os.path.join(FLEE, x) for x in SCENARIOS[name])
        flee_out = os.path.join(work, f"{name}-flee.csv")
        env = dict(os.environ, PYTHONPATH=FLEE)
        with open(flee_out, "w") as f:
            flee_wall, flee_cpu, flee_rss = timed([sys.executable, "runscripts/run.py", scenario, validation, "0", "flee/simsetting.yml"],
                                        f, cwd=FLEE, env=env)
        rs_dir = os.path.join(work, name)
        rs_wall, rs_cpu, rs_rss = timed([routeshift, "agents", scenario, "--validation", validation, "--out", rs_dir,
                                         "--seed", str(args.seed), "--threads", str(threads[0]), "--quiet"], subprocess.DEVNULL)
        flee_ard, rs_ard = ard(flee_out), ard(os.path.join(rs_dir, "out.csv"))
        print(f"{name:14} {'Flee':10} {flee_wall:9.2f} {flee_cpu:9.2f} {flee_rss:9.1f} {flee_ard[0]:9.4f} {flee_ard[1]:9.4f}")
        print(f"{name:14} {'RouteShift':10} {rs_wall:9.2f} {rs_cpu:9.2f} {rs_rss:9.1f} {rs_ard[0]:9.4f} {rs_ard[1]:9.4f}")
        ratios += [f"{name}_speed={flee_wall / rs_wall:.1f}", f"{name}_cpu_speed={flee_cpu / max(rs_cpu, 0.01):.1f}",
                   f"{name}_rss={rs_rss / flee_rss:.2f}",
                   f"{name}_ard_diff={rs_ard[0] - flee_ard[0]:+.4f}"]
        sys.stdout.flush()
    if args.people > 0:
        bench = os.path.join(args.bin, "routeshift-agents-bench")
        walls = {}
        for n in threads:
            out = subprocess.run([bench, "--network", os.path.join(ROOT, "Geodata", "network.geojson"),
                                  "--people", str(args.people), "--days", str(args.days), "--threads", str(n),
                                  "--seed", str(args.seed)], capture_output=True, text=True, check=True).stdout
            r = json.loads(out)
            walls[n] = r["run_s"]
            print(f"synthetic: {r['people']:,} people x {r['days']} days on the bundled network ({r['locations']} locations, "
                  f"{r['links']} links), {r['threads']} threads: {r['run_s']:.1f} s ({r['run_cpu_s']:.1f} CPU s) "
                  f"({r['agent_days_per_s'] / 1e6:.1f} M agent-days/s), {r['bytes_per_agent']} B/agent of state, "
                  f"peak RSS {r['peak_rss_mib']:.0f} MiB ({r['peak_rss_mib'] * 2**20 / r['people']:.0f} B/agent)")
            sys.stdout.flush()
            ratios += [f"synthetic_{n}t_s={r['run_s']:.1f}", f"synthetic_{n}t_cpu_s={r['run_cpu_s']:.1f}"]
        ratios += [f"bytes_per_agent={r['bytes_per_agent']}"]
        if 1 in walls and len(walls) > 1:
            most = max(walls)
            ratios += [f"synthetic_speedup_{most}t_vs_1t={walls[1] / walls[most]:.2f}"]
    print("ratios " + " ".join(ratios))


if __name__ == "__main__":
    main()
