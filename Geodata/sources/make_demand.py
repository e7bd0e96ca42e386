#!/usr/bin/env python3
"""Build Geodata/sources/demand_example.csv from the sourced route totals and the
explicit OD weights (a modelling assumption).

For each block in demand_route_totals.csv (period x route [x departure country]):
    flow(o, d) = total * w_origin(o) * w_destination(d)
rounded with the largest-remainder method so that every block sums exactly to its
total (ties broken by origin, destination ids for deterministic output).
Rows of blocks with the same period, route, origin and destination are merged.

usage: make_demand.py SOURCES_DIR
"""
import csv
import os
import sys
from fractions import Fraction


def main() -> int:
    src = sys.argv[1]
    with open(os.path.join(src, "demand_route_totals.csv"), encoding="utf-8", newline="") as fh:
        totals = list(csv.DictReader(fh))
    with open(os.path.join(src, "demand_weights.csv"), encoding="utf-8", newline="") as fh:
        weights = list(csv.DictReader(fh))
    merged = {}
    for t in totals:
        b = t["block"]
        orig = {w["hub"]: Fraction(w["weight"]) for w in weights if w["block"] == b and w["side"] == "origin"}
        dest = {w["hub"]: Fraction(w["weight"]) for w in weights if w["block"] == b and w["side"] == "destination"}
        if not orig or not dest:
            print(f"demand: block {b} has no origin or destination weights", file=sys.stderr)
            return 1
        if sum(orig.values()) != 1 or sum(dest.values()) != 1:
            print(f"demand: weights of block {b} do not sum to 1", file=sys.stderr)
            return 1
        total = int(t["total"])
        exact = {(o, d): total * wo * wd for o, wo in orig.items() for d, wd in dest.items()}
        flows = {k: int(v) for k, v in exact.items()}  # floor (values are non-negative)
        left = total - sum(flows.values())
        for k in sorted(exact, key=lambda k: (-(exact[k] - flows[k]), k))[:left]:
            flows[k] += 1
        assert sum(flows.values()) == total
        short = t["source"].split(":")[0]
        source = (f"{t['kind']} route total: {short} [block {b}, demand_route_totals.csv]; "
                  f"OD split is a modelling assumption (demand_weights.csv)")
        for (o, d), f in flows.items():
            if f <= 0:
                continue
            key = (t["period"], t["route"], o, d)
            if key in merged:
                merged[key]["flow"] += f
                merged[key]["source"] += " + " + source
            else:
                merged[key] = {"flow": f, "source": source}
    out = os.path.join(src, "demand_example.csv")
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["origin_hub", "destination_hub", "flow", "period", "route", "source"])
        for (period, route, o, d) in sorted(merged):
            m = merged[(period, route, o, d)]
            w.writerow([o, d, m["flow"], period, route, m["source"]])
    print(f"demand: wrote {len(merged)} OD rows to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
