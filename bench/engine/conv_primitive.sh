#!/usr/bin/env bash
# Builds and runs bench/engine/conv_primitive.c: oneDNN's convolution primitive at the study nets'
# second and later conv shapes (batch 100, 2 threads), in oneDNN's own blocked layout and in NCHW.
# Compare with the engine's conv rows of `facet bench --net … --layers`. Needs libdnnl-dev.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${TMPDIR:-/tmp}/facet-conv-primitive"
gcc -O2 "$here/conv_primitive.c" -o "$out" -ldnnl -lgomp
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
# C H M K: ferc_size width 16 and 32 (second conv on the pooled 22x22 maps, third conv), the paper's
# second and third conv
for shape in "16 22 16 5" "16 18 32 4" "32 22 32 5" "32 18 64 4" "64 22 64 5" "64 18 128 4"; do
    "$out" $shape
done
