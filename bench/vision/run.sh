#!/usr/bin/env bash
# Face-pipeline benchmarks (release build). Inputs are generated under $BENCH (default
# /tmp/facet-bench) and never committed.
#   1. FER2013 CSV load, full size (35,887 rows, ~300 MB, synthetic content): parse + split + GCN fit
#   2. the same file served from the processed-data cache (second load)
#   3. detection + alignment of 640x480 photos, images/s
#   4. detection + alignment of 48x48 FER-style face crops, images/s
# usage: bench/vision/run.sh [photos=60] [faces=1000]
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=${BENCH:-/tmp/facet-bench}
PHOTOS=${1:-60}
FACES=${2:-1000}
mkdir -p "$BENCH"

swift build -c release --scratch-path .build-vision-rel --product facet >/dev/null
FACET=.build-vision-rel/release/facet

[ -f "$BENCH/fer2013_synthetic.csv" ] || python3 bench/vision/make_fer.py "$BENCH/fer2013_synthetic.csv"
g++ -O2 -I/usr/include/opencv4 bench/vision/make_inputs.cpp -o "$BENCH/make_inputs" \
    -lopencv_imgcodecs -lopencv_imgproc -lopencv_core
rm -rf "$BENCH/photos"
"$BENCH/make_inputs" Tests/FacetVisionTests/Fixtures/messi5.jpg "$BENCH" "$PHOTOS" "$FACES"

echo "== 1. FER2013 full-size load, no detection, no cache"
/usr/bin/time -f "process: %e s wall, %M KB max RSS" \
    "$FACET" data info "$BENCH/fer2013_synthetic.csv" --no-detect --no-cache 2>&1 | grep -E "samples|loaded|process"

echo "== 2. same file, processed-data cache (first load writes it, second maps it)"
rm -rf "$BENCH/cache"
"$FACET" data info "$BENCH/fer2013_synthetic.csv" --no-detect --cache-dir "$BENCH/cache" | grep loaded
/usr/bin/time -f "process: %e s wall, %M KB max RSS" \
    "$FACET" data info "$BENCH/fer2013_synthetic.csv" --no-detect --cache-dir "$BENCH/cache" 2>&1 | grep -E "loaded|process"

echo "== 3. 640x480 photos: decode + detect + align (+ PNG write)"
for workers in 1 2; do
    echo "-- $workers worker(s)"
    "$FACET" data align "$BENCH/photos" --out "$BENCH/aligned" --workers "$workers" | grep -E "faces found|aligned "
done

echo "== 4. 48x48 FER-style face crops: detect + align"
for workers in 1 2; do
    echo "-- $workers worker(s)"
    "$FACET" data info "$BENCH/fer_faces.csv" --no-cache --workers "$workers" | grep -E "faces found|aligned "
done
uptime
