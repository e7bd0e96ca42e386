#!/usr/bin/env bash
# Month-by-month runs of `routeshift simulate` on the bundled network with observed demand:
# 12 months (2015, goal <= 3 s wall) and 120 months (2015-2024, goal <= 20 s wall), each
# timed as wall and CPU (user + sys) seconds: on a shared machine CPU time is the figure
# that other jobs disturb least. Side by side with
#   - the same jobs on one thread (`--threads 1`): the parallel speed-up, and a check that
#     the files are the same byte for byte whatever the thread count;
#   - the peer a user would otherwise run: one static `simulate` per month (3 months, scaled);
#   - optionally an earlier build (second argument) that reads the same network, e.g. one
#     built from an earlier commit:
#       git worktree add /tmp/rs-earlier <commit> && (cd /tmp/rs-earlier && swift build -c release)
#     whose files are compared byte for byte with this build's.
# The last line prints the ratios.
#
#   swift build -c release && Benchmarks/periods.sh [path/to/routeshift] [path/to/earlier/routeshift]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
bin="${1:-$root/.build/release/routeshift}"
before="${2:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Both builds read this checkout's network, observations and calibrated cost model (an earlier
# build would otherwise read those beside it), so their files can be compared byte for byte.
export ROUTESHIFT_GEODATA="$root/Geodata"
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

# Runs a command with its output discarded; prints "wall cpu" (seconds, cpu = user + sys).
timed() {
  local TIMEFORMAT='%R %U %S' t
  t=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
  echo "$t" | awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }'
}
ratio() { echo "$1 / $2" | bc -l; }

read -r w12 c12 < <(timed "$bin" simulate "$work/year.yaml" --periods 2015-01:2015-12 --by month --out "$work/y12" -q)
read -r w120 c120 < <(timed "$bin" simulate "$scenario" --periods 2015-01:2024-12 --by month --out "$work/y120" -q)
read -r s12 sc12 < <(timed "$bin" simulate "$work/year.yaml" --periods 2015-01:2015-12 --by month --out "$work/s12" -q --threads 1)
read -r s120 sc120 < <(timed "$bin" simulate "$scenario" --periods 2015-01:2024-12 --by month --out "$work/s120" -q --threads 1)
threads_same=yes
diff -rq "$work/y12" "$work/s12" >&2 || threads_same=no
diff -rq "$work/y120" "$work/s120" >&2 || threads_same=no

if [ -n "$before" ]; then
  read -r b12 bc12 < <(timed "$before" simulate "$work/year.yaml" --periods 2015-01:2015-12 --by month --out "$work/b12" -q)
  read -r b120 bc120 < <(timed "$before" simulate "$scenario" --periods 2015-01:2024-12 --by month --out "$work/b120" -q)
  same=yes
  diff -rq "$work/y12" "$work/b12" >&2 || same=no
  diff -rq "$work/y120" "$work/b120" >&2 || same=no
fi

# Peer: one static simulate per month, on that month's demand from `routeshift demand`.
peer=0
for m in 2015-08 2015-09 2015-10; do
  "$bin" demand --period "$m" --output "$work/d-$m.csv" -q
  printf 'name: %s\ndemand: %s\nassignment: {method: logit, k: 4}\ninterventions:\n  - close: HU-RS\n' "$m" "$work/d-$m.csv" > "$work/m-$m.yaml"
  read -r t _ < <(timed "$bin" simulate "$work/m-$m.yaml" --out "$work/m-$m" -q)
  peer=$(echo "$peer + $t" | bc -l)
done
per_month_peer=$(ratio "$peer" 3)

printf 'periods 12 months: %.2f s wall, %.2f s CPU (goal 3 s wall); one thread: %.2f s wall, %.2f s CPU\n' "$w12" "$c12" "$s12" "$sc12"
printf 'periods 120 months: %.2f s wall, %.2f s CPU (goal 20 s wall); one thread: %.2f s wall, %.2f s CPU\n' "$w120" "$c120" "$s120" "$sc120"
printf 'same files on one thread and on all: %s\n' "$threads_same"
printf 'peer, one static simulate per month: %.2f s wall per month\n' "$per_month_peer"
extra=""
if [ -n "$before" ]; then
  printf 'earlier build: 12 months %.2f s wall, %.2f s CPU; 120 months %.2f s wall, %.2f s CPU; same files: %s\n' \
    "$b12" "$bc12" "$b120" "$bc120" "$same"
  extra=$(printf ' months12_before_vs_after_wall=%.2f months12_before_vs_after_cpu=%.2f months120_before_vs_after_wall=%.2f months120_before_vs_after_cpu=%.2f' \
    "$(ratio "$b12" "$w12")" "$(ratio "$bc12" "$c12")" "$(ratio "$b120" "$w120")" "$(ratio "$bc120" "$c120")")
fi
printf 'ratios months12_vs_goal=%.2f months120_vs_goal=%.2f one_thread_vs_all_12=%.2f one_thread_vs_all_120=%.2f peer12_vs_periods12=%.2f%s\n' \
  "$(ratio "$w12" 3)" "$(ratio "$w120" 20)" "$(ratio "$s12" "$w12")" "$(ratio "$s120" "$w120")" \
  "$(ratio "12 * $per_month_peer" "$w12")" "$extra"
