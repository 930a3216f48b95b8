#!/usr/bin/env bash
# Every net the notebooks train (bench/engine/study-nets.txt) through `facet bench --net … --json`,
# one process per net (so each peak is its own), then a Markdown table: training images/s and
# the step's % of its limit (each layer's best GEMM at its own shapes, or bandwidth), inference
# images/s, batch-1 latency, peak memory; a PyTorch column when bench/pytorch/compare.py --study
# left its results in the same folder (torch.json).
#   bench/engine/study.sh [out-folder] [path/to/facet] [extra bench arguments…]
# STUDY_TABLE_ONLY=1 only prints the table of a folder measured before (e.g. after compare.py --study).
# STUDY_REPEATS=3 runs each net three times, in turn, and keeps the run with the median % of limit (a
# single run moves by 10-20 points on a shared 2-core machine). "capped" is the % of limit with no
# part credited beyond its own time (a conv on oneDNN's primitive beats its GEMMs: limitRatioCapped).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/.build/study}"; facet="${2:-$root/.build/release/facet}"; shift $(( $# < 2 ? $# : 2 ))
mkdir -p "$out"
i=0
repeats="${STUDY_REPEATS:-1}"
[ -n "${STUDY_TABLE_ONLY:-}" ] || grep -v '^#' "$root/bench/engine/study-nets.txt" | while IFS=$'\t' read -r notebook net; do
    i=$((i + 1))
    load="$(cut -d' ' -f1 /proc/loadavg)"
    echo "[$i] $net (load $load)" >&2
    for r in $(seq 1 "$repeats"); do
        (cd "$root" && "$facet" bench --net "$net" --json "$@") > "$out/$i-run$r.json"
    done
    # the run with the median limitRatio stands for the net
    python3 - "$out" "$i" "$repeats" <<'PY'
import json, shutil, sys
out, i, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
runs = sorted((json.load(open(f"{out}/{i}-run{r}.json"))["limitRatio"], r) for r in range(1, n + 1))
shutil.copy(f"{out}/{i}-run{runs[(n - 1) // 2][1]}.json", f"{out}/{i}.json")
PY
    printf '%s\t%s\t%s\n' "$notebook" "$load" "$out/$i.json" >> "$out/index.tsv.tmp"
done
[ -n "${STUDY_TABLE_ONLY:-}" ] || mv "$out/index.tsv.tmp" "$out/index.tsv"
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
torch = {}
if os.path.exists(os.path.join(out, "torch.json")):
    torch = json.load(open(os.path.join(out, "torch.json")))
print("| notebook | net | parameters | training images/s | % of limit (profiled; capped) | inference images/s | batch-1 ms (× floor) | peak MB | PyTorch: training images/s, batch-1 ms | load |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for line in open(os.path.join(out, "index.tsv")):
    notebook, load, path = line.rstrip("\n").split("\t")
    r = json.load(open(path))
    t = torch.get(r["net"])
    pt = f"{t['train']:.0f}, {t['latency']:.2f}" if t else "—"
    print(f"| {notebook} | `{r['net']}` | {r['parameters'] / 1e6:.2f} M | {r['trainImagesPerSecond']:.0f} | "
          f"{100 * r['limitRatio']:.0f} % ({100 * r['limitRatioProfiled']:.0f} %; {100 * r.get('limitRatioCapped', r['limitRatio']):.0f} %) | {r['inferenceImagesPerSecond']:.0f} | "
          f"{r['latencyBatch1Milliseconds']:.2f} ({r['latencyOverFloor']:.1f}) | {r['peakResidentMB']:.0f} | {pt} | {load} |")
PY
