#!/usr/bin/env bash
# Month-by-month runs of `routeshift simulate` on the bundled network with observed demand:
# 12 months (2015, goal <= 3 s wall) and 120 months (2015-2024, goal <= 20 s wall), side by
# side with the peer a user would otherwise run: one static `simulate` per month (3 months,
# scaled), printing wall times and ratios. Given a second executable (an earlier build),
# it runs the two month-by-month jobs with it as well, checks that both write the same
# files byte for byte, and prints the ratios earlier / this one.
#
#   swift build -c release && Benchmarks/periods.sh [path/to/routeshift] [path/to/earlier/routeshift]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
bin="${1:-$root/.build/release/routeshift}"
before="${2:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

scenario="$root/Examples/scenarios/bundled/balkans-2015.yaml"
cat > "$work/year.yaml" <<YAML
name: 2015 by month, Hungarian fences
demand: observed
periods: 2015
assignment: {method: logit, k: 4}
interventions:
  - close: HU-RS
    from: 2015-09-15
  - close: HR-HU
    from: 2015-10-17
YAML

wall() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }

t12=$(wall "$bin" simulate "$work/year.yaml" --periods 2015-01:2015-12 --by month --out "$work/y12" -q)
t120=$(wall "$bin" simulate "$scenario" --periods 2015-01:2024-12 --by month --out "$work/y120" -q)
if [ -n "$before" ]; then
  b12=$(wall "$before" simulate "$work/year.yaml" --periods 2015-01:2015-12 --by month --out "$work/b12" -q)
  b120=$(wall "$before" simulate "$scenario" --periods 2015-01:2024-12 --by month --out "$work/b120" -q)
  same=yes
  diff -rq "$work/y12" "$work/b12" >&2 || same=no
  diff -rq "$work/y120" "$work/b120" >&2 || same=no
fi

# Peer: one static simulate per month, on that month's demand from `routeshift demand`.
peer=0
for m in 2015-08 2015-09 2015-10; do
  "$bin" demand --period "$m" --output "$work/d-$m.csv" -q
  printf 'name: %s\ndemand: %s\nassignment: {method: logit, k: 4}\ninterventions:\n  - close: HU-RS\n' "$m" "$work/d-$m.csv" > "$work/m-$m.yaml"
  t=$(wall "$bin" simulate "$work/m-$m.yaml" --out "$work/m-$m" -q)
  peer=$(echo "$peer + $t" | bc -l)
done
per_month_peer=$(echo "$peer / 3" | bc -l)

printf 'periods 12 months: %.2f s wall (goal 3 s)\n' "$t12"
printf 'periods 120 months: %.2f s wall (goal 20 s)\n' "$t120"
printf 'peer, one static simulate per month: %.2f s per month\n' "$per_month_peer"
if [ -n "$before" ]; then
  printf 'earlier build: 12 months %.2f s, 120 months %.2f s wall; same files: %s\n' "$b12" "$b120" "$same"
  printf 'ratios months12_before_vs_after=%.2f months120_before_vs_after=%.2f\n' \
    "$(echo "$b12 / $t12" | bc -l)" "$(echo "$b120 / $t120" | bc -l)"
fi
printf 'ratios months12_vs_goal=%.2f months120_vs_goal=%.2f peer12_vs_periods12=%.2f\n' \
  "$(echo "$t12 / 3" | bc -l)" "$(echo "$t120 / 20" | bc -l)" "$(echo "12 * $per_month_peer / $t12" | bc -l)"
