#!/usr/bin/env bash
# Runs a directory of RouteShift scenarios as a Slurm job array of N shards,
# then merges the shards in a job that starts when all of them have ended.
#
#   Examples/scale-out/slurm-array.sh SCENARIO_DIR OUT_DIR [N]
#
# Each array task runs `routeshift batch --shard K/N` (K = SLURM_ARRAY_TASK_ID)
# into OUT_DIR/shards/K on a shared file system; the merge job writes OUT_DIR/all,
# byte for byte what one `routeshift batch` would have written. Rerunning the
# script resumes: finished scenarios are skipped (see `routeshift batch --help`).
#
# Needs `routeshift` on PATH on the compute nodes (or set ROUTESHIFT=/path/to/routeshift).
set -euo pipefail

SCENARIOS=${1:?usage: slurm-array.sh SCENARIO_DIR OUT_DIR [N]}
OUT=${2:?usage: slurm-array.sh SCENARIO_DIR OUT_DIR [N]}
N=${3:-8}
ROUTESHIFT=${ROUTESHIFT:-routeshift}
CPUS=${CPUS_PER_TASK:-4}

mkdir -p "$OUT/shards" "$OUT/logs"

# Read the network once into a compiled cache that every task shares.
"$ROUTESHIFT" network build --out "$OUT/network.rsnet" ${NETWORK:+--network "$NETWORK"}

# The array: tasks 0..N-1, one shard each. `batch` exits 3 when some scenarios
# failed; the merge below still runs (afterany) and reports them.
array_job=$(sbatch --parsable \
  --job-name=routeshift-batch \
  --array=0-$((N - 1)) \
  --cpus-per-task="$CPUS" \
  --output="$OUT/logs/shard-%a.log" \
  --wrap="\"$ROUTESHIFT\" batch \"$SCENARIOS\" --out \"$OUT/shards/\${SLURM_ARRAY_TASK_ID}\" \
          --shard \${SLURM_ARRAY_TASK_ID}/$N --jobs $CPUS --network \"$OUT/network.rsnet\"")

# The merge: after every array task has ended, whatever its exit code.
shard_dirs=$(for ((k = 0; k < N; k++)); do printf '"%s/shards/%d" ' "$OUT" "$k"; done)
merge_job=$(sbatch --parsable \
  --job-name=routeshift-merge \
  --dependency=afterany:"$array_job" \
  --output="$OUT/logs/merge.log" \
  --wrap="\"$ROUTESHIFT\" merge $shard_dirs --out \"$OUT/all\"")

echo "submitted array job $array_job ($N shards) and merge job $merge_job; results in $OUT/all"
