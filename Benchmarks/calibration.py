#!/usr/bin/env python3
"""Route-choice evaluation and calibration time against their goals.

    swift build -c release && Benchmarks/calibration.py [--config Geodata/calibration.yaml] [--before EARLIER_EXE]
                                                        [--before-bench EARLIER_BENCH] [--evaluation-only]

First runs `routeshift-calibration-bench`: the choice sets of the 72 training months are
found once, then one evaluation of the objective is timed (median wall and process CPU
milliseconds) the pooled way `routeshift calibrate` evaluates it (each distinct choice set's
logit once, each month's demand resolved to terms once) and the way before it (each network
state's sets and each month's demand on their own), side by side in one process, and the two
must give every month's figures to the last digit (`same_digits=yes`). With
--evaluation-only it stops there.

Then runs `routeshift calibrate` on the bundled data and prints, from its own
report: seconds per evaluation of the objective (every training month on fixed
choice sets), per month, the evaluations and the wall time, next to the goals
(one month <= 30 ms; >= 1,000 evaluations <= 120 s on 2 cores) as ratios.
It also times one full baseline assignment of one month with the new choice
sets (`routeshift calibrate` on a one-month window with one evaluation:
choice-set search included).

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
        runs = {name: run_bench(binary, "--evaluations", "3", "--skip-reference", "1")
                for name, binary in (("earlier", a.before_bench), ("this", bench))}
        (eb, _, ec), (tb, _, tc) = runs["earlier"], runs["this"]
        print(f"choice sets of the {tb['months']} training months ({tb['choice_sets']} sets in {tb['network_states']} network "
              f"states): earlier build {eb['seconds_choice_sets']:.1f} s wall, process {ec:.1f} s CPU; this build "
              f"{tb['seconds_choice_sets']:.1f} s wall ({tb.get('cpu_seconds_choice_sets', float('nan')):.1f} s CPU), "
              f"process {tc:.1f} s CPU; loading {eb['seconds_loading']:.1f} / {tb['seconds_loading']:.1f} s wall")
        print(f"ratios sets_before_vs_after_wall={eb['seconds_choice_sets'] / tb['seconds_choice_sets']:.2f} "
              f"process_before_vs_after_cpu={ec / tc:.2f}")
    b, ratios, _ = run_bench(bench, "--evaluations", "60")
    print(f"one evaluation ({b['months']} training months, {b['choice_sets']} choice sets in {b['network_states']} network "
          f"states, {b['distinct_choice_sets']} distinct, {b['terms']} terms): pooled {b['pooled_ms_wall']:.1f} ms wall, "
          f"{b['pooled_ms_cpu']:.1f} ms CPU; before {b['reference_ms_wall']:.1f} ms wall, {b['reference_ms_cpu']:.1f} ms CPU "
          f"(goal 30 ms; {b['threads']} threads; median of {b['evaluations']})")
    print("ratios" + ratios.rstrip())
    if a.evaluation_only:
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
