#!/usr/bin/env python3
"""Route-choice evaluation and calibration time against their goals.

    swift build -c release && Benchmarks/calibration.py [--config Geodata/calibration.yaml]

Runs `routeshift calibrate` on the bundled data and prints, from its own
report: seconds per evaluation of the objective (every training month on fixed
choice sets), per month, the evaluations and the wall time, next to the goals
(one month <= 30 ms; >= 1,000 evaluations <= 120 s on 2 cores) as ratios.
It also times one full baseline assignment of one month with the new choice
sets (`routeshift calibrate` on a one-month window with one evaluation:
choice-set search included).
"""
import argparse, json, os, re, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
exe = os.path.join(root, ".build", "release", "routeshift")

def run(config, out, report):
    start = time.time()
    p = subprocess.run([exe, "calibrate", config, "--out", out, "--report", report], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(p.stderr)
    return time.time() - start, json.load(open(report))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default=os.path.join(root, "Geodata", "calibration.yaml"))
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
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

if __name__ == "__main__":
    main()
