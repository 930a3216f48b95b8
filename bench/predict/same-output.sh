#!/usr/bin/env bash
# Checks that `facet predict` (release build) prints exactly what a saved reference printed, text
# and --json, on the bench photos and on harder variants of the source photos (turned and small
# ones, from make_variants.cpp, plus the test fixture), so a speed-up that must not change
# detections can be verified. Needs bench/predict/run.sh to have run once (photos, model).
#
# usage: [FACET=binary] bench/predict/same-output.sh save            # the current build's output becomes the reference
#        bench/predict/same-output.sh [OPTION...]     # compare, passing OPTIONs to facet predict
# Exit status 1 and a per-photo list of what moved when anything differs.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=${BENCH:-/tmp/facet-bench-predict}
REF=$BENCH/reference
MODEL=$BENCH/model.safetensors
[ -f "$MODEL" ] && [ -d "$BENCH/photos" ] || { echo "run bench/predict/run.sh first (photos and model)" >&2; exit 2; }

# FACET=path: another build (e.g. the commit the reference is saved from) instead of this tree's.
if [ -z "${FACET:-}" ]; then swift build -c release --product facet >/dev/null; FACET=.build/release/facet; fi
if [ ! -d "$BENCH/variants" ]; then
    g++ -O2 -I/usr/include/opencv4 bench/predict/make_variants.cpp -o "$BENCH/make_variants" \
        -lopencv_imgcodecs -lopencv_imgproc -lopencv_core
    mkdir -p "$BENCH/variants"
    "$BENCH/make_variants" "$BENCH/variants" $(find "$BENCH/src" -type f | sort) \
        Tests/FacetVisionTests/Fixtures/messi5.jpg 2>&1 | grep -v "iCCP" || true
fi

mode=check
if [ "${1:-}" = save ]; then mode=save; shift; mkdir -p "$REF"; fi
OUT=$BENCH/output
mkdir -p "$OUT"
status=0
for set in photos variants; do
    "$FACET" predict --model "$MODEL" "$@" "$BENCH/$set" >"$OUT/$set.txt" 2>/dev/null
    "$FACET" predict --model "$MODEL" "$@" --json "$BENCH/$set" >"$OUT/$set.json" 2>/dev/null
    if [ $mode = save ]; then
        cp "$OUT/$set.txt" "$OUT/$set.json" "$REF/"
        echo "$set: reference saved ($(ls "$BENCH/$set" | wc -l) photos)"
    elif cmp -s "$OUT/$set.txt" "$REF/$set.txt" && cmp -s "$OUT/$set.json" "$REF/$set.json"; then
        echo "$set: same text and JSON as the reference ($(ls "$BENCH/$set" | wc -l) photos)"
    else
        status=1
        echo "$set: DIFFERENT from the reference; photos whose faces moved:"
        python3 - "$REF/$set.json" "$OUT/$set.json" <<'PY'
import json, sys
ref, new = (json.load(open(p))["images"] for p in sys.argv[1:3])
faces = lambda image: [(f["box"], f["alignment"], f.get("eyes")) for f in image["faces"]]
for a, b in zip(ref, new):
    if a != b:
        print("  " + a["path"].rsplit("/", 1)[-1] + (":" if faces(a) != faces(b) else ": same faces, other outputs"))
        if faces(a) != faces(b):
            print("    reference:", [(f[0], f[1]) for f in faces(a)])
            print("    now:      ", [(f[0], f[1]) for f in faces(b)])
PY
    fi
done
exit $status
