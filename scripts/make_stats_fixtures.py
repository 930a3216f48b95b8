#!/usr/bin/env python3
"""Make the scipy.stats reference values that FacetReport's estimate and comparison tests use.

Run once (needs numpy and scipy; the tests do not, they read the committed JSON):
    /usr/bin/python3 -m venv .build/fixtures-venv     # Debian's python3 refuses pip install (PEP 668)
    .build/fixtures-venv/bin/pip install numpy scipy
    .build/fixtures-venv/bin/python scripts/make_stats_fixtures.py
It writes Tests/FacetReportTests/Fixtures/scipy_statistics.json: Student-t quantiles, 95 %
intervals of means, paired (ttest_rel) and Welch (ttest_ind, equal_var=False) tests with their
intervals. Samples come from a seeded generator, so rerunning gives the same file.
"""
import json
import os

import numpy as np
import scipy
from scipy import stats

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "FacetReportTests", "Fixtures", "scipy_statistics.json")


def interval(mean, se, df):
    lo, hi = stats.t.interval(0.95, df, loc=mean, scale=se)
    return [float(lo), float(hi)]


def main():
    rng = np.random.default_rng(14)
    quantiles = []
    for df in [1, 2, 3, 4, 5, 7.5, 9, 19, 29.3, 100]:
        for p in [0.6, 0.9, 0.95, 0.975, 0.995]:
            quantiles.append({"p": p, "df": df, "t": float(stats.t.ppf(p, df))})
    cdfs = []
    for df in [1, 2, 3.7, 10]:
        for t in [-3.0, -0.4, 0.0, 1.2, 4.5]:
            cdfs.append({"t": t, "df": df, "cdf": float(stats.t.cdf(t, df)), "two_sided_p": float(2 * stats.t.sf(abs(t), df))})

    means = []
    for n in [2, 3, 5, 10]:
        x = rng.normal(0.6, 0.02, n)
        se = stats.sem(x)
        means.append({"values": x.tolist(), "mean": float(np.mean(x)), "sd": float(np.std(x, ddof=1)),
                      "interval": interval(np.mean(x), se, n - 1)})

    paired = []
    for n, shift in [(3, 0.03), (3, 0.0), (5, -0.01), (8, 0.005)]:
        a = rng.normal(0.6, 0.02, n)
        b = a - shift + rng.normal(0, 0.01, n)
        r = stats.ttest_rel(a, b)
        d = a - b
        paired.append({"a": a.tolist(), "b": b.tolist(), "difference": float(np.mean(d)),
                       "t": float(r.statistic), "p": float(r.pvalue), "df": n - 1,
                       "interval": interval(np.mean(d), stats.sem(d), n - 1)})

    welch = []
    for na, nb, shift in [(3, 3, 0.04), (3, 5, 0.0), (4, 6, -0.02), (10, 3, 0.01)]:
        a = rng.normal(0.6 + shift, 0.02, na)
        b = rng.normal(0.6, 0.035, nb)
        r = stats.ttest_ind(a, b, equal_var=False)
        va, vb = np.var(a, ddof=1) / na, np.var(b, ddof=1) / nb
        df = (va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1))
        diff = np.mean(a) - np.mean(b)
        welch.append({"a": a.tolist(), "b": b.tolist(), "difference": float(diff), "t": float(r.statistic),
                      "p": float(r.pvalue), "df": float(df), "interval": interval(diff, np.sqrt(va + vb), df)})

    out = {"versions": {"numpy": np.__version__, "scipy": scipy.__version__},
           "quantiles": quantiles, "cdfs": cdfs, "means": means, "paired": paired, "welch": welch}
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
