#!/usr/bin/env bash
# Builds and runs the bf16 prototype (bench/engine/bf16_matmul.cpp): oneDNN bf16 vs fp32 vs
# OpenBLAS sgemm at the paper's net's GEMM shapes. Needs libdnnl-dev and libopenblas-dev.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${TMPDIR:-/tmp}/facet-bf16-matmul"
g++ -O2 -std=c++17 "$here/bf16_matmul.cpp" -o "$out" -ldnnl -lopenblas
grep -o 'avx512_bf16\|amx_bf16' /proc/cpuinfo | sort -u | tr '\n' ' '; echo
exec "$out"
