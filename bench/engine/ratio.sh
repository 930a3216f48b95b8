#!/usr/bin/env bash
# The engine/sgemm ratio and peak memory of `facet bench --json`, median of N runs (default 3),
# with the load average beside each run (the machine may be shared; the ratio is measured
# within each run, so it holds better than absolute figures do).
#   bench/engine/ratio.sh [N] [path/to/facet] [extra bench arguments…]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-3}"; facet="${2:-$root/.build/release/facet}"; shift $(( $# < 2 ? $# : 2 ))
ratios=(); peaks=()
for i in $(seq "$runs"); do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    json="$("$facet" bench --json "$@")"
    read -r ratio cpu peak rate sgemm < <(python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["ratio"], r.get("cpuRatio", "nan"), r["peakResidentMB"], r["trainImagesPerSecond"], r["sgemmGFLOPS"])' <<<"$json")
    printf 'run %d: ratio %.3f (CPU time %.3f), peak %.0f MB, %.1f training images/s, sgemm %.1f GFLOP/s (load %s)\n' "$i" "$ratio" "$cpu" "$peak" "$rate" "$sgemm" "$load"
    ratios+=("$ratio"); peaks+=("$peak")
done
python3 - "${ratios[@]}" -- "${peaks[@]}" <<'PY'
import statistics, sys
args = sys.argv[1:]; cut = args.index("--")
ratios = [float(a) for a in args[:cut]]; peaks = [float(a) for a in args[cut + 1:]]
print(f"median ratio {statistics.median(ratios):.3f}, peak {max(peaks):.0f} MB (largest of {len(peaks)})")
PY
