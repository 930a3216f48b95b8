#!/usr/bin/env bash
# Facet against PyTorch on this machine, one run (a benchmark, not a test; not run by CI).
# Installs torch into a virtual environment under the cache folder (PyPI's Linux wheel also pulls
# its CUDA packages, several GB, unused here: no CPU-only torch is on PyPI), builds facet in
# release mode, then runs compare.py. Extra arguments go to compare.py (--threads, --batch,
# --iterations, --repeats, --no-bf16, --net EXPR, --study OUT).
# usage: bench/pytorch/compare.sh [--threads N] [--repeats 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${FACET_BENCH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/facet-bench/torch-venv}
if ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q torch numpy
fi
swift build -c release --product facet >/dev/null
"$VENV/bin/python" bench/pytorch/compare.py --facet .build/release/facet "$@"
