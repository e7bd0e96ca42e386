#!/usr/bin/env python3
"""Validate and normalise the ogr2ogr output into Geodata/countries.geojson.

usage: finalize_countries.py RAW_GEOJSON REGION_LIST OUT_GEOJSON NE_VERSION

- every ADM0_A3 in REGION_LIST must appear exactly once;
- `code` (from ISO_A2_EH) must be two upper-case letters and unique
  (guards against Natural Earth's -99 placeholders; values are handled as
  strings throughout, so Namibia's "NA" could never turn into a NaN);
- geometry must be Polygon/MultiPolygon and valid (GEOS) after rounding;
- output bytes are deterministic: features sorted by code, fixed property
  order, one feature per line, coordinates as written by ogr2ogr (6 decimals).
"""
import json
import re
import sys

from shapely.geometry import shape
from shapely.validation import explain_validity

PROPS = ["code", "adm0_a3", "name", "continent", "region_un", "subregion"]


def main() -> int:
    raw_path, list_path, out_path, ne_version = sys.argv[1:5]
    wanted = []
    with open(list_path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                wanted.append(line.split()[0])
    with open(raw_path, encoding="utf-8") as fh:
        raw = json.load(fh, parse_float=str)  # keep the exact decimal text written by ogr2ogr

    errors = []
    by_a3 = {}
    for feat in raw["features"]:
        p = feat["properties"]
        a3 = p["adm0_a3"]
        if a3 in by_a3:
            errors.append(f"duplicate ADM0_A3 {a3}")
        by_a3[a3] = feat
    missing = sorted(set(wanted) - set(by_a3))
    extra = sorted(set(by_a3) - set(wanted))
    if missing:
        errors.append(f"ADM0_A3 codes not found in Natural Earth layer: {missing}")
    if extra:
        errors.append(f"unexpected features: {extra}")

    codes = {}
    for a3, feat in by_a3.items():
        code = feat["properties"]["code"]
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2}", code):
            errors.append(f"{a3}: ISO_A2_EH {code!r} is not a two-letter code")
        elif code in codes:
            errors.append(f"{a3}: code {code} already used by {codes[code]}")
        else:
            codes[code] = a3
        gtype = feat["geometry"]["type"]
        if gtype not in ("Polygon", "MultiPolygon"):
            errors.append(f"{a3}: unexpected geometry type {gtype}")
    if errors:
        for e in errors:
            print("countries: ERROR:", e, file=sys.stderr)
        return 1

    invalid = []
    out_lines = []
    for code in sorted(codes):
        feat = by_a3[codes[code]]
        props = {k: feat["properties"][k] for k in PROPS}
        geom_txt = json.dumps(feat["geometry"], separators=(",", ":"), ensure_ascii=False)
        # floats were parsed as strings: strip the quotes to restore the numbers verbatim
        geom_txt = re.sub(r'"(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"', r"\1", geom_txt)
        g = shape(json.loads(geom_txt))
        if not g.is_valid:
            invalid.append(f"{code}: {explain_validity(g)}")
        out_lines.append(
            '{"type":"Feature","properties":'
            + json.dumps(props, separators=(",", ":"), ensure_ascii=False)
            + ',"geometry":' + geom_txt + "}"
        )
    header = (
        '{"type":"FeatureCollection",'
        '"source":"Natural Earth ' + ne_version + ' ne_10m_admin_0_countries_deu (public domain), '
        'filtered by Geodata/sources/extract.sh",'
        '"features":[\n'
    )
    with open(out_path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(header + ",\n".join(out_lines) + "\n]}\n")
    for msg in invalid:
        print("countries: WARNING invalid geometry (kept as published by Natural Earth; not repaired):", msg, file=sys.stderr)
    print(f"countries: wrote {len(out_lines)} features to {out_path} ({len(invalid)} invalid)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
