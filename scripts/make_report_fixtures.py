#!/usr/bin/env python3
"""Make the scikit-learn reference values that FacetReport's tests compare against.

Run once (needs numpy and scikit-learn; the tests do not):
    /usr/bin/python3 -m venv .build/fixtures-venv     # Debian's python3 refuses pip install (PEP 668)
    .build/fixtures-venv/bin/pip install numpy scikit-learn
    .build/fixtures-venv/bin/python scripts/make_report_fixtures.py
It writes Tests/FacetReportTests/Fixtures/sklearn_metrics.json. Data are drawn from a seeded
generator, so rerunning gives the same file for the same numpy/scikit-learn versions.
"""
import json
import os

import numpy as np
import sklearn
from sklearn import metrics
from sklearn.metrics.pairwise import cosine_similarity

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "FacetReportTests", "Fixtures", "sklearn_metrics.json")


def floats(a):
    """A list of Python floats, NaN as None (JSON has no NaN)."""
    return [None if np.isnan(x) else float(x) for x in np.asarray(a, dtype=float).ravel()]


def binary_case(name, scores, labels):
    """ROC (all points, no dropping), AUC, precision-recall curve and AP of one binary problem."""
    fpr, tpr, thr = metrics.roc_curve(labels, scores, drop_intermediate=False)
    precision, recall, pr_thr = metrics.precision_recall_curve(labels, scores)
    return {
        "name": name,
        "scores": floats(scores),
        "labels": [int(x) for x in labels],
        "auc": float(metrics.roc_auc_score(labels, scores)),
        "average_precision": float(metrics.average_precision_score(labels, scores)),
        # roc_curve's first threshold is +inf; JSON cannot hold it, so it is left out.
        "roc_fpr": floats(fpr),
        "roc_tpr": floats(tpr),
        "roc_thresholds": floats(thr[1:]),
        # precision_recall_curve lists points lowest threshold first and appends (P=1, R=0).
        "pr_precision": floats(precision[:-1][::-1]),
        "pr_recall": floats(recall[:-1][::-1]),
        "pr_thresholds": floats(pr_thr[::-1]),
    }


def multiclass_case(rng, n, k):
    """Softmax scores with some signal, labels, and one-vs-rest AUC / AP plus label metrics."""
    labels = rng.integers(0, k, size=n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), labels] += rng.uniform(0.0, 2.0, size=n)
    scores = np.round(np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True), 3)  # rounding makes ties
    predicted = scores.argmax(axis=1)
    onehot = np.eye(k, dtype=int)[labels]
    return {
        "scores": [floats(row) for row in scores],
        "labels": [int(x) for x in labels],
        "predicted": [int(x) for x in predicted],
        "accuracy": float(metrics.accuracy_score(labels, predicted)),
        "confusion": metrics.confusion_matrix(labels, predicted, labels=list(range(k))).tolist(),
        "precision": floats(metrics.precision_score(labels, predicted, labels=list(range(k)), average=None,
                                                    zero_division=np.nan)),
        "recall": floats(metrics.recall_score(labels, predicted, labels=list(range(k)), average=None,
                                              zero_division=np.nan)),
        "auc": floats(metrics.roc_auc_score(onehot, scores, average=None)),
        "average_precision": floats(metrics.average_precision_score(onehot, scores, average=None)),
        # roc_auc_score(multi_class="ovr") wants rows summing to 1, which rounding breaks; its macro
        # average is the plain mean of the per-class AUCs.
        "macro_auc": float(np.mean(metrics.roc_auc_score(onehot, scores, average=None))),
    }


def multilabel_case(rng, n, labels_count):
    """Sigmoid scores and binary targets; per-label AUC and accuracy at 0.5."""
    targets = rng.random(size=(n, labels_count)) < np.array([0.5, 0.2, 0.7, 0.35])[:labels_count]
    logits = rng.normal(size=(n, labels_count)) + np.where(targets, 1.0, -1.0) * rng.uniform(0, 1.5, size=labels_count)
    scores = np.round(1 / (1 + np.exp(-logits)), 2)
    return {
        "scores": [floats(row) for row in scores],
        "targets": targets.astype(int).tolist(),
        "auc": floats(metrics.roc_auc_score(targets.astype(int), scores, average=None)),
        "accuracy": [float(metrics.accuracy_score(targets[:, j], scores[:, j] >= 0.5)) for j in range(labels_count)],
    }


def regression_case(rng, n, d):
    """Vectors and their noisy predictions; MSE and per-sample cosine similarity."""
    actual = rng.normal(size=(n, d))
    predicted = actual + rng.normal(scale=0.7, size=(n, d))
    cos = np.diag(cosine_similarity(predicted, actual))
    return {
        "predicted": [floats(r) for r in predicted],
        "actual": [floats(r) for r in actual],
        "mse": float(metrics.mean_squared_error(actual, predicted)),
        "cosine": floats(cos),
        "mean_cosine": float(cos.mean()),
    }


def main():
    rng = np.random.default_rng(20150601)
    n = 300
    labels = rng.random(n) < 0.3
    continuous = rng.normal(size=n) + 1.2 * labels
    tied = np.round(1 / (1 + np.exp(-continuous)), 1)  # ten or so distinct values: heavy ties
    data = {
        "generator": f"scripts/make_report_fixtures.py, numpy {np.__version__}, scikit-learn {sklearn.__version__}",
        "binary": [
            binary_case("continuous", continuous, labels.astype(int)),
            binary_case("ties", tied, labels.astype(int)),
        ],
        "multiclass": multiclass_case(rng, 400, 5),
        "multilabel": multilabel_case(rng, 250, 4),
        "regression": regression_case(rng, 120, 6),
    }
    with open(OUT, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
