"""Checks the ONNX files `facet export` wrote for the four test models (ONNXExportTests writes them
with Facet's own outputs): each passes onnx.checker, onnxruntime matches Facet within 1e-5 and
OpenCV's dnn module within 1e-4, the metadata carry preprocessing and labels, and the preprocessing
code shown in docs/onnx.md turns the raw test images into exactly the inputs Facet fed its nets.

usage: check_onnx.py FIXTURE_FOLDER DOCS_ONNX_MD
"""
import json
import re
import sys

import cv2
import numpy as np
import onnx
import onnxruntime as ort
from safetensors.numpy import load_file

# four bar models trained by the test, and an emotion model saved by save(run, path) after a training on
# synthetic faces (its own inputs: `emotion.input`)
MODELS = ["softmax", "sigmoid", "linear", "joint", "emotion"]
ORT_TOLERANCE, OPENCV_TOLERANCE = 1e-5, 1e-4


def docs_preprocessing(docs_path):
    """The Python block docs/onnx.md shows for preprocessing, executed: returns its `preprocess`."""
    text = open(docs_path, encoding="utf-8").read()
    block = re.search(r"<!-- preprocessing: checked by Tests/onnx/check_onnx.py -->\s*```python\n(.*?)```", text, re.S)
    if not block:
        sys.exit(f"{docs_path}: the preprocessing example (marked for check_onnx.py) is missing")
    scope = {}
    exec(block.group(1), scope)
    return scope["preprocess"]


def main(folder, docs_path):
    facet = load_file(f"{folder}/facet_outputs.safetensors")
    failures = []
    preprocess = docs_preprocessing(docs_path)
    table, pre_diffs = None, []
    for name in MODELS:
        path = f"{folder}/{name}.onnx"
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        meta = {p.key: p.value for p in model.metadata_props}
        for key in ("facet.preprocessing", "facet.labels", "facet.heads", "facet.model", "facet.input"):
            if key not in meta:
                failures.append(f"{name}: metadata_props lacks {key}")
        heads = [h["name"] for h in json.loads(meta["facet.heads"])]
        x = facet.get(f"{name}.input", facet["input"])
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        ort_out = dict(zip([o.name for o in session.get_outputs()], session.run(None, {"input": x})))
        net = cv2.dnn.readNetFromONNX(path)
        net.setInput(x)
        cv_out = dict(zip(heads, net.forward(heads)))
        for head in heads:
            want = facet[f"{name}.{head}"]
            d_ort = float(np.abs(ort_out[head] - want).max())
            d_cv = float(np.abs(cv_out[head].reshape(want.shape) - want).max())
            print(f"{name:8} {head:8} onnxruntime max |diff| {d_ort:.2e}   OpenCV {cv2.__version__} max |diff| {d_cv:.2e}")
            if not d_ort <= ORT_TOLERANCE:
                failures.append(f"{name}.{head}: onnxruntime differs from Facet by {d_ort:.3g} (> {ORT_TOLERANCE})")
            if not d_cv <= OPENCV_TOLERANCE:
                failures.append(f"{name}.{head}: OpenCV differs from Facet by {d_cv:.3g} (> {OPENCV_TOLERANCE})")
        if name == "joint":
            labels = json.loads(meta["facet.labels"])
            table = [(head, labels[head][i], facet[f"{name}.{head}"][0, i], ort_out[head][0, i], cv_out[head].reshape(facet[f"{name}.{head}"].shape)[0, i])
                     for head in heads for i in range(len(labels[head]))]
        # the documented preprocessing reproduces Facet's inputs from the raw bytes
        pre = json.loads(meta["facet.preprocessing"])
        if name == "emotion":
            if pre["pipeline"]["size"] != 24 or len(pre["statistics"]["mean"]) != 24 * 24 or len(json.loads(meta["facet.labels"])["out"]) != 7:
                failures.append("emotion: the preprocessing or labels of the run are not in the metadata")
            continue
        mine = np.stack([preprocess(raw.astype(np.uint8), pre) for raw in facet["raw"]])
        d_pre = float(np.abs(mine - x).max())
        pre_diffs.append(d_pre)
        if not d_pre <= 1e-4:
            failures.append(f"{name}: docs/onnx.md's preprocessing differs from Facet's by {d_pre:.3g}")
    print(f"docs/onnx.md preprocessing vs Facet's inputs: max |diff| {max(pre_diffs):.2e}")
    print("\njoint model, first test image:")
    print(f"{'head':8} {'output':11} {'Facet':>10} {'onnxruntime':>12} {'OpenCV':>10}")
    for head, label, a, b, c in table:
        print(f"{head:8} {label:11} {a:10.6f} {b:12.6f} {c:10.6f}")
    if failures:
        print("\n".join(["FAILED:"] + failures), file=sys.stderr)
        sys.exit(1)
    print(f"ONNX export: {len(MODELS)} models pass onnx.checker; onnxruntime within {ORT_TOLERANCE}, OpenCV within {OPENCV_TOLERANCE}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
