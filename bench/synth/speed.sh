#!/usr/bin/env bash
# Rendering speed of the synthetic faces on one core (issue bar: >= 1,000 faces/s at 48x48).
# Usage: bench/synth/speed.sh [N=5000] [SIZE=48]
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-5000}"; size="${2:-48}"
swift build -c release --scratch-path .build-synth-rel --product facet 2>&1 | { grep -E "error|complete" >&2 || true; }
bin=.build-synth-rel/release/facet
# Pin to one CPU and one worker thread; render only (no PNG writing).
for run in 1 2 3; do
    taskset -c 0 "$bin" data synth --bench --threads 1 --n "$n" --size "$size" --seed "$run"
done
