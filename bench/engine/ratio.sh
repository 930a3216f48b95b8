#!/usr/bin/env bash
# The issue-31 targets from `facet bench --json`, median of N runs (default 3), with the load
# average beside each run (the machine may be shared; every ratio is measured within its run, so
# it holds better than absolute figures do): the step against its limit (each layer's best GEMM
# at its own shapes, or bandwidth), batch-1 latency against the weight-read floor, peak memory,
# and the older engine/sgemm 1024³ ratio.
#   bench/engine/ratio.sh [N] [path/to/facet] [extra bench arguments…]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-3}"; facet="${2:-$root/.build/release/facet}"; shift $(( $# < 2 ? $# : 2 ))
out="$(mktemp -d)"
for i in $(seq "$runs"); do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    "$facet" bench --json "$@" > "$out/$i.json"
    python3 - "$out/$i.json" "$i" "$load" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"run {sys.argv[2]}: limit ratio {r['limitRatio']:.3f} (profiled {r['limitRatioProfiled']:.3f}), latency {r['latencyBatch1Milliseconds']:.2f} ms = "
      f"{r['latencyOverFloor']:.2f} x floor {r['latencyFloorMilliseconds']:.2f} ms ({r['memoryBandwidthGBps']:.1f} GB/s), "
      f"peak {r['peakResidentMB']:.0f} MB, {r['trainImagesPerSecond']:.1f} training images/s, "
      f"ratio/sgemm {r['ratio']:.3f} (best of OpenBLAS and oneDNN {r['ratioBestSgemm']:.3f}) (load {sys.argv[3]})")
PY
done
python3 - "$out"/*.json <<'PY'
import json, statistics, sys
rs = [json.load(open(p)) for p in sys.argv[1:]]
med = lambda k: statistics.median(r[k] for r in rs)
print(f"median of {len(rs)}: limit ratio {med('limitRatio'):.3f} (profiled {med('limitRatioProfiled'):.3f}), latency/floor {med('latencyOverFloor'):.2f}, "
      f"latency {med('latencyBatch1Milliseconds'):.2f} ms, ratio/sgemm {med('ratio'):.3f}, "
      f"ratio/best sgemm {med('ratioBestSgemm'):.3f}; peak {max(r['peakResidentMB'] for r in rs):.0f} MB (largest)")
PY
rm -rf "$out"
