#!/usr/bin/env python3
"""Reference values for FacetReport's intervals over seeds and test items, computed independently
with numpy and scipy.stats (docs/metrics.md, "Intervals"; Tests/FacetReportTests/IntervalTests.swift).

Run once (needs numpy and scipy; the tests read the committed JSON):
    /usr/bin/python3 -m venv .build/fixtures-venv     # Debian's python3 refuses pip install (PEP 668)
    .build/fixtures-venv/bin/pip install numpy scipy
    .build/fixtures-venv/bin/python scripts/make_interval_fixtures.py
It writes Tests/FacetReportTests/Fixtures/scipy_intervals.json. Each case is a seeds x test-items
matrix of per-item scores (0/1 answers or real values) from a seeded generator, so rerunning gives
the same file. The method, written out here from its definition rather than from Facet's code:
  value per seed       v_s = mean_j X[s, j]
  seeds' variance      V_s = var(v, ddof=1) / n                      df n - 1
  test items' variance V_t = var(mean_s X[s, j], ddof=1) / N         df N - 1
  total                V = V_s + V_t, df = V^2 / (V_s^2/(n-1) + V_t^2/(N-1))   (Satterthwaite)
  interval             m +- t(0.975, df) sqrt(V); proportions on the logit scale:
                       expit(logit m +- t sqrt(V) / (m (1 - m)))
  paired comparison    the same on the per-seed differences and the per-item differences of
                       the item means; different test sets add their V_t.
  seeds to decide      the smallest n' > n whose interval, with V_s scaled by n/n' and df n'-1
                       for the seeds' part, lies entirely above +margin or entirely below it.
"""
import json
import os

import numpy as np
import scipy
from scipy import stats
from scipy.special import expit, logit

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "FacetReportTests", "Fixtures", "scipy_intervals.json")


def satterthwaite(parts):
    total = sum(v for v, _ in parts)
    den = sum(v * v / d for v, d in parts if d > 0)
    return total, (total * total / den if den > 0 else parts[0][1])


def interval(m, parts, proportion):
    v, df = satterthwaite(parts)
    half = stats.t.ppf(0.975, df) * np.sqrt(v)
    if proportion and 0 < m < 1 and half > 0:
        h = half / (m * (1 - m))
        return [float(expit(logit(m) - h)), float(expit(logit(m) + h))], v, df
    return [float(m - half), float(m + half)], v, df


def estimate_case(x, proportion):
    n, N = x.shape
    per_seed = x.mean(axis=1)
    m = per_seed.mean()
    vs = np.var(per_seed, ddof=1) / n
    vt = np.var(x.mean(axis=0), ddof=1) / N
    iv, v, df = interval(m, [(vs, n - 1), (vt, N - 1)], proportion)
    return {"items": x.tolist(), "proportion": proportion, "mean": float(m), "seed_variance": float(vs),
            "test_variance": float(vt), "df": float(df), "interval": iv}


def verdict(lo, hi, margin):
    if lo == hi:
        return "inconclusive"
    if lo > margin:
        return "holds"
    if hi < margin:
        return "does not hold"
    return "inconclusive"


def comparison_case(xa, xb, same_items, margin):
    n = xa.shape[0]
    da = xa.mean(axis=1) - xb.mean(axis=1)
    d = da.mean()
    vs = np.var(da, ddof=1) / n
    if same_items:
        diff = xa.mean(axis=0) - xb.mean(axis=0)
        tests = [(np.var(diff, ddof=1) / len(diff), len(diff) - 1)]
    else:
        tests = [(np.var(xa.mean(axis=0), ddof=1) / xa.shape[1], xa.shape[1] - 1),
                 (np.var(xb.mean(axis=0), ddof=1) / xb.shape[1], xb.shape[1] - 1)]
    iv, v, df = interval(d, [(vs, n - 1)] + tests, False)
    # Differences of proportions live in [-1, 1].
    iv = [max(iv[0], -1.0), min(iv[1], 1.0)]
    out = {"a": xa.tolist(), "b": xb.tolist(), "same_items": same_items, "margin": margin,
           "difference": float(d), "seed_variance": float(vs), "test_variance": float(sum(t for t, _ in tests)),
           "df": float(df), "interval": iv, "verdict": verdict(iv[0], iv[1], margin), "seeds_to_decide": None}
    if out["verdict"] == "inconclusive":
        for k in range(n + 1, 201):
            ivk, _, _ = interval(d, [(vs * n / k, k - 1)] + tests, False)
            if verdict(max(ivk[0], -1.0), min(ivk[1], 1.0), margin) != "inconclusive":
                out["seeds_to_decide"] = k
                break
    return out


def main():
    rng = np.random.default_rng(28)
    estimates = []
    for n, N, p in [(3, 150, 0.45), (5, 400, 0.62), (3, 60, 0.97), (8, 1000, 0.3)]:
        seed_effect = rng.normal(0, 0.03, n)
        x = (rng.random((n, N)) < np.clip(p + seed_effect[:, None], 0, 1)).astype(float)
        estimates.append(estimate_case(x, True))
    x = rng.normal(2.5, 1.0, (4, 80))
    estimates.append(estimate_case(x, False))

    comparisons = []
    for n, N, pa, pb, same, margin in [(3, 150, 0.50, 0.42, True, 0.01), (5, 300, 0.50, 0.49, True, 0.01),
                                       (3, 150, 0.45, 0.45, True, 0.0), (5, 200, 0.55, 0.40, False, 0.01),
                                       (4, 500, 0.60, 0.58, True, 0.01)]:
        difficulty = rng.random(N) * 0.4 - 0.2   # shared per-item difficulty: the items pair
        se_a, se_b = rng.normal(0, 0.02, n), rng.normal(0, 0.02, n)
        xa = (rng.random((n, N)) < np.clip(pa + difficulty + se_a[:, None], 0, 1)).astype(float)
        Nb = N if same else N + 37
        db = difficulty if same else rng.random(Nb) * 0.4 - 0.2
        xb = (rng.random((n, Nb)) < np.clip(pb + db + se_b[:, None], 0, 1)).astype(float)
        comparisons.append(comparison_case(xa, xb, same, margin))

    out = {"versions": {"numpy": np.__version__, "scipy": scipy.__version__},
           "estimates": estimates, "comparisons": comparisons}
    with open(OUT, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
