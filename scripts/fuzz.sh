#!/usr/bin/env bash
# Fuzzes RouteShift's input parsers with libFuzzer + AddressSanitizer (Linux).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      # default: 60 s for each of edges-csv geojson scenario rsnet
#
# Builds routeshift-fuzz with -sanitize=fuzzer,address (release, in .build/fuzz),
# then runs each target for SECONDS from its seed corpus in Fuzz/corpus/TARGET
# (new inputs go to .build/fuzz/corpus/TARGET, the seeds are left alone), with
# leak detection on and a 10 s limit per input (a hang is a failure), inputs up
# to ROUTESHIFT_FUZZ_MAX_LEN bytes (default per target: 4 KiB for the CSV and
# scenario texts, 16 KiB for GeoJSON and .rsnet, a little above the largest
# seed). AddressSanitizer records no allocation stacks and keeps a 32 MB
# quarantine (ASAN_OPTIONS, unless set): recording a stack for every allocation
# took most of an execution. A leak or a crash is still detected; replay the
# saved input for its stacks. Prints
# the executions reached per target; exits 1 if any target found a crash, a
# leak or a hang (the input is saved as .build/fuzz/artifacts/TARGET-crash-*).
# Replay one with: swift run routeshift-fuzz TARGET FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(edges-csv geojson scenario rsnet)

scratch=.build/fuzz
# The link needs lld (GNU gold fails on the sanitizer runtime's debug info).
swift build -c release --scratch-path "$scratch" --product routeshift-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING \
    -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld >&2
binary="$scratch/release/routeshift-fuzz"

status=0
summary=()
for target in "${targets[@]}"; do
    corpus="$scratch/corpus/$target"
    artifacts="$scratch/artifacts"
    mkdir -p "$corpus" "$artifacts"
    log="$scratch/$target.log"
    case "$target" in
        edges-csv|scenario) max_len=4096 ;;
        *) max_len=16384 ;;
    esac
    max_len=${ROUTESHIFT_FUZZ_MAX_LEN:-$max_len}
    set +e
    ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0:quarantine_size_mb=32} \
    ROUTESHIFT_FUZZ_TARGET="$target" "$binary" "$corpus" "Fuzz/corpus/$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
        -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" >"$log" 2>&1 </dev/null
    rc=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    if [ "$rc" -ne 0 ]; then
        status=1
        summary+=("$target: FAILED after ${runs:-?} executions (exit $rc); see $log")
        grep -E 'ERROR|Fatal error|SUMMARY|Test unit written' "$log" | head -8 >&2 || true
    else
        summary+=("$target: ${runs:-?} executions in ${seconds} s, no crash, leak or hang")
    fi
done
printf '%s\n' "${summary[@]}"
exit $status
