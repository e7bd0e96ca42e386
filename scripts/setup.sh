#!/usr/bin/env bash
# Installs what RouteShift needs on Debian/Ubuntu; safe to run repeatedly.
#
#   scripts/setup.sh          GEOS, PROJ (+ its data), NLopt and pkg-config: enough to build and run
#   scripts/setup.sh --tests  also the tools some tests drive when present: rsvg-convert (PNG
#                             maps), Leaflet (offline HTML maps), headless Chromium (HTML map
#                             check), Python's jsonschema (output schemas), and Jupyter +
#                             matplotlib from PyPI for Examples/run-notebook.sh
#
# The Swift 6 toolchain itself is a prerequisite (https://www.swift.org/install/).
set -euo pipefail
packages=(libgeos-dev libproj-dev proj-data libnlopt-dev pkg-config)
if [[ "${1:-}" == "--tests" ]]; then
  packages+=(librsvg2-bin libjs-leaflet chromium fonts-dejavu-core python3-jsonschema)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
if [[ "${1:-}" == "--tests" ]] && command -v pip3 >/dev/null; then
  python3 -c "import nbconvert, ipykernel, matplotlib" 2>/dev/null \
    || pip3 install --quiet --disable-pip-version-check nbconvert ipykernel matplotlib >&2 \
    || echo "setup: could not install Jupyter; the notebook check will be skipped" >&2
fi
command -v swift >/dev/null || { echo "setup: no 'swift' on PATH; install a Swift 6 toolchain" >&2; exit 1; }
