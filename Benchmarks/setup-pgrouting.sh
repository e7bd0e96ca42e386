#!/usr/bin/env bash
# Installs what Benchmarks/pgrouting.py needs: PostgreSQL 15 with pgRouting (Debian).
# Not part of scripts/setup.sh: the tests never need a database.
set -euo pipefail
if [ -f /usr/share/postgresql/15/extension/pgrouting.control ]; then exit 0; fi
sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get install -y postgresql-15-pgrouting
