#!/usr/bin/env python3
"""Consistency checks for the hand-curated inputs in Geodata/sources/.

- sea_crossings.csv: from_hub/to_hub exist in hubs.csv, route in the allowed set (or empty),
  risk is a non-negative number, ids unique;
- demand_example.csv: hubs exist, flow is a positive integer, and the per-route
  totals in the `route` column add up to the sourced totals listed in
  demand_route_totals.csv;
- published_border_lengths.csv: two-letter codes exist in countries.geojson and
  lengths are positive numbers.
Exits non-zero on any problem.
"""
import argparse
import csv
import json
import os
import sys

ROUTES = {
    "Eastern Mediterranean", "Central Mediterranean", "Western Mediterranean",
    "Western African", "Western Balkans", "Eastern Land Borders",
    "Circular Albania–Greece", "Black Sea", "Channel",
}


def read(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--geodata", required=True)
    g = ap.parse_args().geodata
    src = os.path.join(g, "sources")
    errs = []
    hubs = {r["id"]: r for r in read(os.path.join(g, "hubs.csv"))}
    with open(os.path.join(g, "countries.geojson"), encoding="utf-8") as fh:
        codes = {f["properties"]["code"] for f in json.load(fh)["features"]}

    p = os.path.join(src, "sea_crossings.csv")
    if os.path.exists(p):
        seen = set()
        rows = read(p)
        for r in rows:
            if r["id"] in seen:
                errs.append(f"sea_crossings: duplicate id {r['id']}")
            seen.add(r["id"])
            for k in ("from_hub", "to_hub"):
                if r[k] not in hubs:
                    errs.append(f"sea_crossings {r['id']}: unknown {k} {r[k]}")
            # Empty: on no route (a bridge or ferry between two Schengen states).
            if r["route"] not in ROUTES and r["route"] != "":
                errs.append(f"sea_crossings {r['id']}: unknown route {r['route']!r}")
            try:
                if float(r["risk_missing_per_1000"]) < 0:
                    raise ValueError
            except ValueError:
                errs.append(f"sea_crossings {r['id']}: bad risk {r['risk_missing_per_1000']!r}")
            if not r["risk_source"].strip():
                errs.append(f"sea_crossings {r['id']}: empty risk_source")
        print(f"check: sea_crossings.csv {len(rows)} legs")

    p = os.path.join(src, "demand_example.csv")
    if os.path.exists(p):
        rows = read(p)
        totals = {}
        for r in rows:
            for k in ("origin_hub", "destination_hub"):
                if r[k] not in hubs:
                    errs.append(f"demand: unknown {k} {r[k]}")
            if not r["flow"].isdigit() or int(r["flow"]) <= 0:
                errs.append(f"demand: bad flow {r['flow']!r} ({r['origin_hub']}->{r['destination_hub']})")
                continue
            if r["route"] not in ROUTES:
                errs.append(f"demand: unknown route {r['route']!r}")
            totals[(r["period"], r["route"])] = totals.get((r["period"], r["route"]), 0) + int(r["flow"])
        tp = os.path.join(src, "demand_route_totals.csv")
        want = {}
        for t in read(tp):
            if t["route"] not in ROUTES:
                errs.append(f"demand_route_totals: unknown route {t['route']!r}")
            key = (t["period"], t["route"])
            want[key] = want.get(key, 0) + int(t["total"])
        for key, total in sorted(want.items()):
            got = totals.pop(key, 0)
            if got != total:
                errs.append(f"demand: {key} sums to {got}, sourced total is {total}")
            else:
                print(f"check: demand {key[0]} {key[1]}: {got}")
        for key, got in totals.items():
            errs.append(f"demand: {key} ({got}) has no sourced total in demand_route_totals.csv")
        print(f"check: demand_example.csv {len(rows)} OD rows")

    p = os.path.join(src, "published_border_lengths.csv")
    if os.path.exists(p):
        rows = read(p)
        for r in rows:
            for k in ("country_a", "country_b"):
                if r[k] not in codes:
                    errs.append(f"border_lengths: {r[k]} not in countries.geojson")
            try:
                if float(r["length_km"]) <= 0:
                    raise ValueError
            except ValueError:
                errs.append(f"border_lengths: bad length {r['length_km']!r}")
        print(f"check: published_border_lengths.csv {len(rows)} borders")

    for e in errs:
        print("check: ERROR:", e, file=sys.stderr)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
