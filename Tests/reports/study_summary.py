#!/usr/bin/env python3
"""What the study's verdicts rest on, read from every report's NAME_files/results.json.

    python3 Tests/reports/study_summary.py REPORTS_DIR [--require-learned FRACTION] [NAME...]

Prints a Markdown table, one row per report: the trained configurations (a configuration is one
`train` call's net and data: its runs differ only by seed), how many of them learned in every seed,
the verdicts by kind, the report's wall time and (when its runs came from the result cache) what
their training took, both from its footer; then the totals, where the training time counts each
cached run once (by the key in its "_from cache, trained … in …, key …_" note), so reports that
share runs (attributes and joint) are not counted twice. A configuration
that did not learn is named with the seeds it failed in.

Exits 1 when a decided verdict (holds, does not hold) rests on an estimate whose runs did not all
learn, or, with --require-learned F, when fewer than F of the configurations learned in every seed
(the default profile's bar is 0.9; the quick profile's nets are not meant to learn). Standard
library only.
"""
import json
import os
import re
import sys


def footer(md_path):
    """The report's wall time, its runs' training time (when the footer states it), and the
    training time of each cached run by its key prefix."""
    with open(md_path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^\| Wall time \| ([^|]+) \|", text, re.M)
    t = re.search(r"^\| Training \| [^|]*training took (.+?) in all", text, re.M)
    runs = {key: when for when, key in re.findall(r"_from cache, trained \S+ in ([^,]+), key ([0-9a-f]+)…_", text)}
    return (m.group(1).strip() if m else "?"), (t.group(1).strip() if t else "—"), runs


def seconds(text):
    """'1 h 02 min', '42 min 27 s', '8.1 s' → seconds (None when unreadable)."""
    total, found = 0.0, False
    for value, unit in re.findall(r"(\d+(?:\.\d+)?)\s*(h|min|s)\b", text):
        total += float(value) * {"h": 3600, "min": 60, "s": 1}[unit]
        found = True
    return round(total) if found else None


def hours(total):
    """Seconds → '1 h 44 min'."""
    return f"{total // 3600} h {total % 3600 // 60:02d} min"


def summarise(folder, name, problems):
    with open(os.path.join(folder, name + "_files", "results.json"), encoding="utf-8") as f:
        doc = json.load(f)
    configurations = {}
    for run in doc["runs"]:
        configurations.setdefault(run["configuration"], []).append(run)
    dead = {c: sorted(r["seed"] for r in runs if not r["learned"]) for c, runs in configurations.items()}
    dead = {c: s for c, s in dead.items() if s}
    estimates = {e["id"]: e for e in doc["estimates"]}
    verdicts = {}
    for c in doc["comparisons"]:
        verdicts[c["verdict"]] = verdicts.get(c["verdict"], 0) + 1
        if c["verdict"] in ("holds", "does not hold"):
            for side in ("a", "b"):
                e = estimates.get(c[side])
                if e is not None and e["did_not_learn"]:
                    problems.append(f"{name} {c['id']} “{c['finding']}”: {c['verdict']} on {side}, whose runs did not all learn")
    return {
        "name": name,
        "configurations": len(configurations),
        "learned": len(configurations) - len(dead),
        "dead": dead,
        "verdicts": verdicts,
        **dict(zip(("wall", "training", "cached"), footer(os.path.join(folder, name + ".md")))),
    }


def short(configuration):
    """'NET on DATASET(…) | split | align | gcn' → 'NET on … | split | align | gcn': the net and the
    pipeline, which tell a notebook's configurations apart, without the data set's parameters."""
    net, _, data = configuration.partition(" on ")
    steps = data.split(" | ")[1:]
    return net + (" on … | " + " | ".join(steps) if steps else "")


def main(argv):
    args = argv[1:]
    require = None
    if "--require-learned" in args:
        i = args.index("--require-learned")
        require = float(args[i + 1])
        del args[i:i + 2]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    folder, names = args[0], args[1:]
    if not names:
        names = sorted(f[:-3] for f in os.listdir(folder)
                       if f.endswith(".md") and os.path.exists(os.path.join(folder, f[:-3] + "_files", "results.json")))
    problems = []
    rows = [summarise(folder, n, problems) for n in names]
    kinds = ["holds", "does not hold", "inconclusive", "not decided"]
    print("| report | configurations learned in every seed | " + " | ".join(kinds) + " | did not learn | wall time | training |")
    print("|---|---:|" + "---:|" * len(kinds) + "---|---:|---:|")
    for r in rows:
        dead = "; ".join(f"{short(c)} (seeds {', '.join(map(str, s))})" for c, s in r["dead"].items()) or "—"
        dead = dead.replace("|", "\\|")  # a pipe ends a Markdown table cell
        counts = " | ".join(str(r["verdicts"].get(k, 0)) for k in kinds)
        print(f"| {r['name']} | {r['learned']} of {r['configurations']} | {counts} | {dead} | {r['wall']} | {r['training']} |")
    configurations = sum(r["configurations"] for r in rows)
    learned = sum(r["learned"] for r in rows)
    total = {k: sum(r["verdicts"].get(k, 0) for r in rows) for k in kinds}
    walls = [seconds(r["wall"]) for r in rows]
    wall = sum(walls) if None not in walls else None
    cached = {}
    for r in rows:
        cached.update(r["cached"])
    trained = [seconds(t) for t in cached.values()]
    print()
    print(f"{learned} of {configurations} trained configurations learned in every seed; verdicts: "
          + ", ".join(f"{total[k]} {k}" for k in kinds)
          + (f"; the footers' wall times add up to {hours(wall)}" if wall is not None else "")
          + (f"; the {len(cached)} cached runs' training took {hours(sum(trained))}, each run counted once"
             if cached and None not in trained else ""))
    for p in problems:
        print("study_summary: " + p, file=sys.stderr)
    if require is not None and configurations and learned / configurations < require:
        print(f"study_summary: {learned} of {configurations} configurations learned in every seed, fewer than {require:.0%}",
              file=sys.stderr)
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
