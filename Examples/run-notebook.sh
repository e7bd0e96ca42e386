#!/usr/bin/env bash
# Executes Examples/notebook.ipynb headless, as a check that the CLI workflow in
# it still works. Exits 0 with "skipped: ..." when Jupyter or matplotlib is missing.
#
#   Examples/run-notebook.sh            uses $ROUTESHIFT, else builds the debug binary
#   pip install nbconvert ipykernel matplotlib   what it needs
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v jupyter >/dev/null 2>&1 || ! jupyter nbconvert --version >/dev/null 2>&1; then
  echo "skipped: jupyter not installed (pip install nbconvert ipykernel matplotlib)"
  exit 0
fi
if ! python3 -c "import matplotlib, ipykernel" >/dev/null 2>&1; then
  echo "skipped: matplotlib or ipykernel not installed (pip install ipykernel matplotlib)"
  exit 0
fi

if [[ -z "${ROUTESHIFT:-}" ]]; then
  swift build --product routeshift >&2
  ROUTESHIFT="$(swift build --show-bin-path)/routeshift"
fi
export ROUTESHIFT

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
jupyter nbconvert --to notebook --execute Examples/notebook.ipynb \
  --output-dir "$out" --ExecutePreprocessor.timeout=600
echo "notebook ran: every cell executed without error"
