#!/usr/bin/env bash
# ONNX export checked by other runtimes: trains the four test models (ONNXExportTests), exports each
# with `facet export`, then Tests/onnx/check_onnx.py runs them in onnxruntime and OpenCV's dnn module
# against Facet's outputs. Needs a built test bundle (swift build --build-tests). The Python packages
# live in .build/onnx-venv (scripts/deps.sh); when they cannot be installed the check fails and says why.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/deps.sh
venv=.build/onnx-venv
if ! facet_need_onnx_python "$venv"; then
    echo "ONNX runtime checks FAILED: onnx, onnxruntime, safetensors or Debian's python3-opencv (cv2) is missing from $venv (above)" >&2
    exit 1
fi
fixtures=$(mktemp -d)
trap 'rm -rf "$fixtures"' EXIT
FACET_ONNX_FIXTURES="$fixtures" swift test --skip-build --filter 'ONNXExportTests.testWritesRoundTripFixturesForOtherRuntimes' >"$fixtures/swift-test.log" 2>&1 \
    || { cat "$fixtures/swift-test.log" >&2; exit 1; }
"$venv/bin/python" Tests/onnx/check_onnx.py "$fixtures" docs/onnx.md
