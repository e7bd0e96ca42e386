#!/usr/bin/env python3
"""Route-choice evaluation and calibration time against their goals.

    swift build -c release && nice Benchmarks/calibration.py [--config Geodata/calibration.yaml] [--month 2015-10]
                                                             [--calibrate 1000] [--evaluation-only] [--full]
                                                             [--before EARLIER_EXE] [--before-bench EARLIER_BENCH]

Runs `routeshift-calibration-bench` once and prints the two goals directly, with the load
average (1 minute) at the start and the end and the CPU seconds next to each wall time:

- one model evaluation of one month (`--month`, default 2015-10, the busiest of the record):
  that month's choice sets searched at the config's start values, then one evaluation of its
  objective on them (median wall and process CPU milliseconds; goal <= 30 ms);
- a calibration of `--calibrate` evaluations (default 1,000; `Calibration.run` on the whole
  config, training and validation months, its rounds with N / rounds evaluations each and a
  tolerance of 1e-12 so that none stops early; the choice-set searches of every round
  included): wall and CPU seconds (goal <= 120 s on 2 cores).

It also times one evaluation of all training months the pooled way `routeshift calibrate`
evaluates it (each distinct choice set's logit once, each month's demand resolved to terms
once) and the way before it (each network state's sets and each month's demand on their
own), side by side in one process; the two must give every month's figures to the last digit
(`same_digits=yes`). With --evaluation-only it skips the calibration.

With --full it then runs `routeshift calibrate` on the config itself (its own evaluations and
rounds: 2,000 for the bundled one) and prints, from its report, seconds per evaluation, per
month, the evaluations and the wall time.

With --before-bench (an earlier build of routeshift-calibration-bench) both benches run one
after the other with the same arguments, and the wall seconds of finding the choice sets of
the training months and each process's CPU seconds (user + system, getrusage) are printed
side by side with their ratios (`sets_before_vs_after_wall=…`, `process_before_vs_after_cpu=…`).

With --before (an earlier build of routeshift) it first runs a short calibration
(3 parameters, 40 evaluations, one round, all 132 months) with both builds, side by
side, and prints the wall-time ratio and whether both found the same parameters.
"""
import argparse, json, os, re, resource, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
exe = os.path.join(root, ".build", "release", "routeshift")

SHORT = """train: 2014-01:2019-12
validate: 2020-01:2024-12
parameters:
  theta:                 {start: 0.002, min: 0.0003, max: 0.03}
  outside_option:        {start: 3000,  min: 200,    max: 20000}
  border_crossing_price: {start: 500,   min: 300,    max: 3500}
optimizer: {algorithm: bobyqa, max_evaluations: 40, tolerance: 0.0001, rounds: 1}
choice_set: {size: 4, max_overlap: 0.8, max_detour: 0.6}
"""

def run(config, out, report, binary=None):
    start = time.time()
    p = subprocess.run([binary or exe, "calibrate", config, "--out", out, "--report", report], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(p.stderr)
    return time.time() - start, json.load(open(report))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default=os.path.join(root, "Geodata", "calibration.yaml"))
    ap.add_argument("--before", help="an earlier build of routeshift, run side by side on a short calibration")
    ap.add_argument("--evaluation-only", action="store_true", help="only the side-by-side timing of one evaluation")
    ap.add_argument("--before-bench", help="an earlier build of routeshift-calibration-bench, run side by side")
    ap.add_argument("--month", default="2015-10", help="the month evaluated on its own (goal 1)")
    ap.add_argument("--calibrate", type=int, default=1000, help="evaluations of the timed calibration (goal 2); 0 skips it")
    ap.add_argument("--full", action="store_true", help="also run routeshift calibrate on the config itself")
    a = ap.parse_args()
    bench = os.path.join(root, ".build", "release", "routeshift-calibration-bench")

    def run_bench(binary, *extra):
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        p = subprocess.run([binary, "--config", a.config, *extra], capture_output=True, text=True, cwd=root)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode != 0:
            sys.exit(p.stdout + p.stderr)
        text, ratios = p.stdout.rsplit("ratios", 1)
        cpu = (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)
        return json.loads(text), ratios, cpu

    if a.before_bench:
        runs = {name: run_bench(binary, "--evaluations", "3", "--skip-reference", "1", *(["--month", "none"] if name == "this" else []))
                for name, binary in (("earlier", a.before_bench), ("this", bench))}
        (eb, _, ec), (tb, _, tc) = runs["earlier"], runs["this"]
        print(f"choice sets of the {tb['months']} training months ({tb['choice_sets']} sets in {tb['network_states']} network "
              f"states): earlier build {eb['seconds_choice_sets']:.1f} s wall, process {ec:.1f} s CPU; this build "
              f"{tb['seconds_choice_sets']:.1f} s wall ({tb.get('cpu_seconds_choice_sets', float('nan')):.1f} s CPU), "
              f"process {tc:.1f} s CPU; loading {eb['seconds_loading']:.1f} / {tb['seconds_loading']:.1f} s wall")
        print(f"ratios sets_before_vs_after_wall={eb['seconds_choice_sets'] / tb['seconds_choice_sets']:.2f} "
              f"process_before_vs_after_cpu={ec / tc:.2f}")
    extra = ["--month", a.month, "--calibrate", "0" if a.evaluation_only else str(a.calibrate)]
    b, ratios, process_cpu = run_bench(bench, "--evaluations", "60", *extra)
    load = lambda xs: f"{xs[0]:.1f}" if xs else "?"
    print(f"load average (1 min) {load(b['load_at_start'])} at the start, {load(b['load_at_end'])} at the end; "
          f"{b['threads']} threads; the bench process used {process_cpu:.1f} s CPU")
    print(f"one evaluation ({b['months']} training months, {b['choice_sets']} choice sets in {b['network_states']} network "
          f"states, {b['distinct_choice_sets']} distinct, {b['terms']} terms): pooled {b['pooled_ms_wall']:.1f} ms wall, "
          f"{b['pooled_ms_cpu']:.1f} ms CPU ({b['pooled_ms_per_month_wall']:.2f} ms wall per month); before "
          f"{b['reference_ms_wall']:.1f} ms wall, {b['reference_ms_cpu']:.1f} ms CPU (median of {b['evaluations']}); "
          f"choice sets of the training months {b['seconds_choice_sets']:.1f} s wall, {b['cpu_seconds_choice_sets']:.1f} s CPU")
    if "month_ms_wall" in b:
        print(f"goal 1, one month ({b['month']}: {b['month_choice_sets']} choice sets, {b['month_distinct_choice_sets']} distinct, "
              f"{b['month_terms']} terms): one evaluation {b['month_ms_wall']:.2f} ms wall, {b['month_ms_cpu']:.2f} ms CPU "
              f"(goal 30 ms: ratio {b['month_ms_wall'] / 30:.3f}); its choice sets {b['month_seconds_choice_sets']:.1f} s wall, "
              f"{b['month_cpu_seconds_choice_sets']:.1f} s CPU")
    if "calibration_seconds_wall" in b:
        print(f"goal 2, a calibration of {b['calibration_evaluations']} evaluations ({b['calibration_rounds']} rounds, "
              f"{b['calibration_months']} months, {b['calibration_ms_per_evaluation']:.1f} ms per evaluation, optimiser "
              f"{b['calibration_seconds_optimizer']:.1f} s; {b['calibration_sets_searched']} choice sets searched, "
              f"{b['calibration_sets_reused']} taken over): {b['calibration_seconds_wall']:.1f} s wall, "
              f"{b['calibration_cpu_seconds']:.1f} s CPU, load {load(b['calibration_load_before'])} -> "
              f"{load(b['calibration_load_after'])} (goal 120 s: ratio {b['calibration_seconds_wall'] / 120:.2f})")
    print("ratios" + ratios.rstrip())
    if a.evaluation_only or not (a.full or a.before):
        return
    with tempfile.TemporaryDirectory() as tmp:
        if a.before:
            short = os.path.join(tmp, "short.yaml")
            open(short, "w").write(SHORT)
            runs = {}
            for name, binary in (("earlier", a.before), ("this", exe)):
                runs[name] = run(short, os.path.join(tmp, f"s-{name}.yaml"), os.path.join(tmp, f"s-{name}.json"), binary)
            (tb, fb), (ta, fa) = runs["earlier"], runs["this"]
            digits = lambda f: [f"{p['value']:.6g}" for p in f["parameters"]]
            print(f"short calibration (40 evaluations, 132 months): earlier build {tb:.1f} s wall "
                  f"({fb['summary']['seconds_per_evaluation'] * 1000:.1f} ms per evaluation), this build {ta:.1f} s "
                  f"({fa['summary']['seconds_per_evaluation'] * 1000:.1f} ms); same parameters to 6 digits: "
                  f"{'yes' if digits(fa) == digits(fb) else 'no'}")
            print(f"ratios short_before_vs_after={tb / ta:.2f} "
                  f"evaluation_before_vs_after={fb['summary']['seconds_per_evaluation'] / fa['summary']['seconds_per_evaluation']:.1f}")
        if not a.full:
            return
        one = os.path.join(tmp, "one.yaml")
        open(one, "w").write("train: 2015-08:2015-08\nparameters:\n  theta: {start: 0.002, min: 0.0003, max: 0.01}\n"
                             "optimizer: {max_evaluations: 1, rounds: 1}\n")
        wall, fit = run(one, os.path.join(tmp, "p1.yaml"), os.path.join(tmp, "f1.json"))
        print(f"one month, full baseline assignment incl. choice sets ({fit['summary']['od_pairs']} OD pairs): "
              f"{wall:.2f} s wall (goal 0.030 s: ratio {wall / 0.030:.1f})")
        print(f"one month on fixed choice sets: {fit['summary']['seconds_per_evaluation'] * 1000:.2f} ms "
              f"(goal 30 ms: ratio {fit['summary']['seconds_per_evaluation'] / 0.030:.3f})")
        wall, fit = run(a.config, os.path.join(tmp, "p.yaml"), os.path.join(tmp, "f.json"))
        months = sum(1 for p in fit["periods"] if p["set"] == "train")
        per = fit["summary"]["seconds_per_evaluation"]
        ev = fit["optimizer"]["evaluations"]
        print(f"calibration: {ev} evaluations of {months} training months, {per * 1000:.1f} ms each "
              f"({per / months * 1000:.2f} ms per month), optimiser {fit['optimizer']['seconds']:.1f} s, wall {wall:.1f} s "
              f"(goal 120 s for >= 1,000 evaluations: ratio {wall / 120:.2f})")
        print(f"route ARD train {fit['summary']['ard_train']}, validate {fit['summary']['ard_validate']}")
        if "choice_sets_searched" in fit["summary"]:
            print(f"choice sets searched {fit['summary']['choice_sets_searched']}, "
                  f"taken over from the network state before {fit['summary']['choice_sets_reused']}")
        print(f"ratios calibration_vs_goal={wall / 120:.2f} evaluation_month_vs_goal={per / months / 0.030:.3f}")

if __name__ == "__main__":
    main()
