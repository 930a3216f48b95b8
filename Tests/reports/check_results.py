#!/usr/bin/env python3
"""Checks every report's NAME_files/results.json against the report's own text, with Python's json.

    python3 Tests/reports/check_results.py REPORTS_DIR [NAME...]

For each NAME.md in REPORTS_DIR (or only the NAMEs given): results.json exists and round-trips through json; every
comparison's text (as printed, the verdict unbolded) is in the report, and the difference and
interval it prints are the JSON numbers rounded as the format says; both sides' per-seed values are
printed in the report; every estimate's per-seed values give its mean and lie in its range, its
interval contains the mean and stays in the range; a decided verdict (holds, does not hold) rests only
on estimates whose runs all learned. Exits 1 naming every mismatch. Standard library only.
"""
import json
import math
import os
import re
import sys


def fmt(fmt_name, x):
    """NumberFormat.bare: percent(d) → x·100 with d decimals; fixed(d) → d decimals."""
    m = re.fullmatch(r"(percent|fixed)\((\d+)\)", fmt_name)
    if not m:
        return str(round(x))
    d = int(m.group(2))
    v = x * 100 if m.group(1) == "percent" else x
    s = f"{v:.{d}f}"
    if s.startswith("-") and not any(c in "123456789" for c in s):
        s = s[1:]
    return s


def check_report(md_path, problems):
    name = os.path.basename(md_path)[:-3]
    results = os.path.join(os.path.dirname(md_path), name + "_files", "results.json")
    if not os.path.exists(results):
        problems.append(f"{name}: no {name}_files/results.json")
        return 0
    with open(md_path, encoding="utf-8") as f:
        md = f.read()
    plain = md.replace("**", "")
    with open(results, encoding="utf-8") as f:
        text = f.read()
    doc = json.loads(text)
    if json.loads(json.dumps(doc)) != doc:
        problems.append(f"{name}: results.json does not round-trip")
    estimates = {e["id"]: e for e in doc["estimates"]}
    for e in doc["estimates"]:
        vals = e["values"]
        if len(vals) != e["n"] or len(e["seeds"]) != e["n"]:
            problems.append(f"{name} {e['id']}: n {e['n']} but {len(vals)} values, {len(e['seeds'])} seeds")
        if abs(sum(vals) / len(vals) - e["mean"]) > 1e-9:
            problems.append(f"{name} {e['id']}: mean {e['mean']} is not the mean of {vals}")
        iv, rng = e["interval"], e["range"]
        if iv is not None and not (iv[0] - 1e-12 <= e["mean"] <= iv[1] + 1e-12):
            problems.append(f"{name} {e['id']}: interval {iv} does not contain the mean {e['mean']}")
        if iv is not None and rng is not None and (iv[0] < rng[0] - 1e-12 or iv[1] > rng[1] + 1e-12):
            problems.append(f"{name} {e['id']}: interval {iv} leaves the range {rng}")
    for c in doc["comparisons"]:
        where = f"{name} {c['id']} ({c['finding']})"
        if c["text"] not in plain:
            problems.append(f"{where}: its text is not in the report: {c['text']}")
        if c["verdict"] not in ("not decided",):
            lo, hi = (fmt(c["format"], x) for x in c["interval"])
            if f"[{lo}, {hi}]" not in c["text"]:
                problems.append(f"{where}: interval {c['interval']} prints as [{lo}, {hi}], not in: {c['text']}")
        diff = fmt(c["format"], c["difference"])
        if diff not in c["text"]:
            problems.append(f"{where}: difference {c['difference']} ({diff}) not in: {c['text']}")
        for side in ("a", "b"):
            e = estimates.get(c[side])
            if e is None:
                problems.append(f"{where}: side {side} names no estimate")
                continue
            per_seed = ", ".join(fmt(e["format"], v) for v in e["values"])
            if per_seed not in md:
                problems.append(f"{where}: per-seed values of {side} ({per_seed}) are not printed")
            if c["verdict"] in ("holds", "does not hold") and e["did_not_learn"]:
                problems.append(f"{where}: decided ({c['verdict']}) on {side}, whose runs did not all learn: {e['did_not_learn']}")
    for r in doc["runs"]:
        for k in r["checks"]:
            if not isinstance(k["learned"], bool) or not math.isfinite(k["score"]):
                problems.append(f"{name}: run {r['configuration']} seed {r['seed']}: bad check {k}")
    return len(doc["comparisons"])


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    folder = sys.argv[1]
    problems = []
    reports = [n + ".md" for n in sys.argv[2:]] or sorted(f for f in os.listdir(folder) if f.endswith(".md"))
    if not reports:
        print(f"check_results: no reports in {folder}", file=sys.stderr)
        return 1
    comparisons = sum(check_report(os.path.join(folder, f), problems) for f in reports)
    for p in problems:
        print("check_results: " + p, file=sys.stderr)
    print(f"results.json: {len(reports)} reports, {comparisons} comparisons checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
