#!/usr/bin/env bash
# Time to draw and write a 64-crop sample grid (issue 23: "well under a second").
# Writes 1,000 synthetic faces as a manifest once, then times `facet data show --n 64` (8×8) and `--by emotion` (7 rows of ⌈64/7⌉ = 10)
# (selection, display crops, OpenCV drawing and PNG encoding, the file write), three times.
# Usage: bench/grid/grid.sh [BUILD=debug|release]
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-debug}"
swift build -c "$build" --product facet 2>&1 | { grep -E "error|Compiling|Build" >&2 || true; }
bin=".build/$build/facet"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin" data synth --n 1000 --seed 1 --out "$work/faces" --sheet 0 >/dev/null
for run in 1 2 3; do
    "$bin" data show "$work/faces/labels.csv" --no-detect --no-cache --n 64 --seed "$run" --out "$work/grid.png"
    "$bin" data show "$work/faces/labels.csv" --no-detect --no-cache --n 64 --by emotion --seed "$run" --out "$work/grid.png"
done
