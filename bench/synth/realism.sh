#!/usr/bin/env bash
# Realism bar of the synthetic faces: Haar frontal-face detection rate on near-frontal scenes
# (|yaw|, |pitch| <= 15 deg) and the face pipeline's eye-line angle error against ground truth.
# Usage: bench/synth/realism.sh [N=1000] [SEED=1]
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-1000}"; seed="${2:-1}"
swift build -c release --scratch-path .build-synth-rel --product facet 2>&1 | { grep -E "error|complete" >&2 || true; }
.build-synth-rel/release/facet data synth --realism --n "$n" --seed "$seed"
