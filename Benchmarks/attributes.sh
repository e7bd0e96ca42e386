#!/usr/bin/env bash
# Typed edge attribute columns (RouteNetwork.edgeAttributes) against the string lookups they
# replace (edgeString / edgeNumber plus parsing the word), side by side on the bundled network:
# every measure reads one attribute of every edge row as setup code does, both ways, checks
# that both read the same values, and prints the ratios strings / columns (above 1: the
# columns are faster), and the one-off cost of building the columns at load.
#
#   Benchmarks/attributes.sh [--network path] [--passes 200] [--repetitions 5]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
swift build -c release --package-path "$root" --product routeshift-attributes-bench >&2
"$root/.build/release/routeshift-attributes-bench" --network "$root/Geodata/network.geojson" "$@"
