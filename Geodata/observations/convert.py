#!/usr/bin/env python3
"""Builds the observation tables RouteShift reads (the CSV files beside this script)
from the R data files in originals/ (IOM's R package gdidata, github iom/gdidata at
commit c9e4cc6, MIT licence).

Needs, at build time only: pip install pyreadr pandas. RouteShift reads the CSV files
natively at run time. Dates in the .rda files are R Dates (days since 1970-01-01).

The conversion is the one published with the data set (byte-identical CSVs), with two
trims so the repository carries only what the engine reads:
  * Eurostat: the EU27 aggregate rows are dropped (the engine sums reporting countries);
  * UNHCR: year-end stocks before 2008 are dropped (demand needs the stock at the end
    of the year before each Frontex year, and Frontex starts in 2009).
It also writes country_codes.csv, ISO 3166-1 alpha-3 to alpha-2 for the countries of
Geodata/countries.geojson (Natural Earth adm0_a3, with Natural Earth's four non-ISO
codes mapped to ISO: SAH->ESH, PSX->PSE, SDS->SSD, KOS->XKX, the code Frontex uses
for Kosovo).

Usage: python3 Geodata/observations/convert.py   (from the repository root or anywhere)
"""
import json, os, pyreadr, pandas as pd

here = os.path.dirname(os.path.abspath(__file__))
originals = os.path.join(here, "originals")


def rda(name):
    return pyreadr.read_r(os.path.join(originals, name + ".rda"))[name]


def write(frame, name):
    frame.to_csv(os.path.join(here, name), index=False)


f = rda("frontex")
f["month"] = pd.to_datetime(f["t"], unit="D").dt.strftime("%Y-%m")
f = f.rename(columns={"nat": "nationality", "n": "detections"})[["month", "route", "type", "nationality", "detections"]]
f["detections"] = f["detections"].astype(int)
write(f.sort_values(["month", "route", "type", "nationality"]), "frontex_detections_monthly.csv")

a = rda("eu_asyapp")
a["t"] = a["t"].astype(int); a["n"] = a["n"].astype(int)
a = a.rename(columns={"geo": "country_of_application", "t": "year", "nat": "nationality", "n": "first_time_applicants"})
a = a[["year", "country_of_application", "nationality", "sex", "first_time_applicants"]]
a = a[a["country_of_application"] != "EU27"]
write(a.sort_values(["year", "country_of_application", "nationality", "sex"]), "eurostat_first_time_asylum_applicants.csv")

m = rda("iom_mmp")
m["month"] = pd.to_datetime(m["m"], unit="D").dt.strftime("%Y-%m")
near = ["ITA", "GRC", "ESP", "MLT", "LBY", "TUN", "DZA", "MAR", "TUR", "HRV", "BIH", "SRB", "HUN", "BGR", "MKD", "POL", "BLR",
        "LTU", "LVA", "FRA", "GBR", "NER", "MRT", "SEN", "GMB", "EGY", "CYP"]
keep = m["route"].fillna("").str.contains("Mediterranean|Atlantic|Western Balkan|Eastern|English Channel|Sahara|Europe|Africa|Balkan", case=False) | m["geo"].isin(near)
m = m[keep].rename(columns={"t": "date", "geo": "country", "dead": "dead_missing", "surv": "survivors", "nat": "nationalities"})
m = m[["date", "month", "type", "route", "country", "dead_missing", "survivors", "cause", "nationalities", "location", "lon", "lat"]]
write(m.sort_values(["date", "country", "lon", "lat"]), "iom_missing_migrants_europe_africa.csv")

u = rda("unhcr")
u["t"] = u["t"].astype(int); u["n"] = u["n"].astype(int)
u = u[u["group"].isin(["refugee", "asylum"]) & (u["t"] >= 2008)]
u = u.rename(columns={"geo": "country_of_asylum", "t": "year", "from": "origin", "n": "people"})
u = u[["year", "country_of_asylum", "origin", "group", "people"]]
write(u.sort_values(["year", "country_of_asylum", "origin", "group"]), "unhcr_refugees_asylum_seekers.csv")

fix = {"SAH": "ESH", "PSX": "PSE", "SDS": "SSD", "KOS": "XKX", "ALD": "ALA"}
with open(os.path.join(here, "..", "countries.geojson")) as fh:
    countries = json.load(fh)["features"]
rows = sorted((fix.get(c["properties"]["adm0_a3"], c["properties"]["adm0_a3"]), c["properties"]["code"], c["properties"]["name"])
              for c in countries)
write(pd.DataFrame(rows, columns=["iso3", "iso2", "name"]), "country_codes.csv")
