#!/usr/bin/env bash
# Builds and runs bench/engine/gemm_libraries.c: OpenBLAS vs oneDNN sgemm, one thread, at the
# engine's GEMM shapes; once with the environment's OPENBLAS_CORETYPE (if any) and once with
# OpenBLAS choosing its own kernels. Needs libopenblas-dev and libdnnl-dev (scripts/deps.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${TMPDIR:-/tmp}/facet-gemm-libraries"
gcc -O2 "$here/gemm_libraries.c" -o "$out" -ldnnl -lopenblas -lgomp
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}"
"$out"
if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
    echo "== OPENBLAS_CORETYPE unset (OpenBLAS's own choice)"
    env -u OPENBLAS_CORETYPE "$out"
fi
