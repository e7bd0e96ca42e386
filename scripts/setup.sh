#!/usr/bin/env bash
# Installs the system libraries RouteShift links against (GEOS, PROJ and PROJ's
# data) on Debian/Ubuntu. Safe to run repeatedly. The Swift 6 toolchain itself
# is a prerequisite (https://www.swift.org/install/).
set -euo pipefail
packages=(libgeos-dev libproj-dev proj-data pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi
command -v swift >/dev/null || { echo "setup: no 'swift' on PATH; install a Swift 6 toolchain" >&2; exit 1; }
