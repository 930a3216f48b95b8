#!/usr/bin/env bash
# Builds and runs bench/engine/conv_thin.c: the first conv's forward (K = 25) the old way, the way
# Conv2D does it now (bias as an extra column of W), and as oneDNN's convolution primitive; one
# thread, with the environment's OPENBLAS_CORETYPE. Needs libopenblas-dev and libdnnl-dev.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${TMPDIR:-/tmp}/facet-conv-thin"
gcc -O2 "$here/conv_thin.c" -o "$out" -ldnnl -lopenblas -lgomp
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}"
"$out"
