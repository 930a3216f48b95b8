"""study_summary.py on hand-made reports: what it counts, and when it fails.

    python3 -m unittest discover -s Tests/reports -p 'test_*.py'
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "study_summary.py")
DATA = 'synthetic(n: 3000, seed: 7, size: 48, preset: "fer")'


def run_record(net, seed, learned, steps="split | gcn"):
    return {"configuration": f"{net} on {DATA} | {steps}", "seed": seed, "learned": learned,
            "epochs": 6, "best_epoch": 6, "checks": []}


def estimate(eid, dead_seeds):
    return {"id": eid, "did_not_learn": dead_seeds, "values": [0.5], "seeds": [1], "n": 1}


def comparison(cid, verdict, a, b):
    return {"id": cid, "verdict": verdict, "a": a, "b": b, "finding": f"finding {cid}"}


def write_report(folder, name, runs, estimates, comparisons, wall="1 min 30 s", notes=(), training=None):
    os.makedirs(os.path.join(folder, name + "_files"))
    with open(os.path.join(folder, name + "_files", "results.json"), "w", encoding="utf-8") as f:
        json.dump({"runs": runs, "estimates": estimates, "comparisons": comparisons, "findings": []}, f)
    with open(os.path.join(folder, name + ".md"), "w", encoding="utf-8") as f:
        f.write(f"# {name}\n\n")
        for when, key in notes:
            f.write(f"_from cache, trained 2026-12-06 in {when}, key {key}…_\n\n")
        f.write("| | |\n|---|---|\n")
        if training:
            f.write(f"| Training | {len(notes)} from cache, 0 trained; the {len(notes)} runs' training took {training} in all, "
                    "all in earlier sessions (as the cache recorded it) |\n")
        f.write(f"| Wall time | {wall} |\n")


def summary(folder, *args):
    p = subprocess.run([sys.executable, SCRIPT, folder, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


class StudySummaryTests(unittest.TestCase):
    def test_counts_configurations_by_net_and_pipeline_and_names_dead_seeds(self):
        with tempfile.TemporaryDirectory() as d:
            runs = [run_record("ferc(fc: 256)", s, True) for s in (1, 2, 3)]
            # the same net on another pipeline is another configuration; it failed in seeds 1 and 3
            runs += [run_record("ferc(fc: 256)", s, s == 2, steps="split | scale") for s in (1, 2, 3)]
            write_report(d, "one", runs, [estimate("e1", []), estimate("e2", [1, 3])],
                         [comparison("c1", "not decided", "e1", "e2")], wall="42 min 27 s")
            write_report(d, "two", [run_record("ferc_size(depth: 1)", 1, True)], [], [], wall="1 h 02 min")
            code, out, err = summary(d)
            self.assertEqual(code, 0, err)
            self.assertIn("| one | 1 of 2 | 0 | 0 | 0 | 1 |", out)
            self.assertIn("ferc(fc: 256) on … \\| split \\| scale (seeds 1, 3)", out)
            self.assertIn("| two | 1 of 1 |", out)
            self.assertIn("2 of 3 trained configurations learned in every seed", out)
            self.assertIn("add up to 1 h 44 min", out)

    def test_training_time_counts_each_cached_run_once(self):
        with tempfile.TemporaryDirectory() as d:
            # "joint" restores two runs "attributes" trained (same keys) and one of its own.
            write_report(d, "attributes", [run_record("a", 1, True)], [], [], wall="12 s",
                         notes=[("10 min 00 s", "aaaa"), ("20 min 00 s", "bbbb")], training="30 min 00 s")
            write_report(d, "joint", [run_record("j", 1, True)], [], [], wall="9 s",
                         notes=[("10 min 00 s", "aaaa"), ("20 min 00 s", "bbbb"), ("1 h 05 min", "cccc")], training="1 h 35 min")
            code, out, err = summary(d)
            self.assertEqual(code, 0, err)
            self.assertIn("| 12 s | 30 min 00 s |", out)
            self.assertIn("| 9 s | 1 h 35 min |", out)
            self.assertIn("the 3 cached runs' training took 1 h 35 min, each run counted once", out)

    def test_a_decided_verdict_on_runs_that_did_not_learn_fails(self):
        with tempfile.TemporaryDirectory() as d:
            write_report(d, "bad", [run_record("ferc()", 1, False)], [estimate("e1", []), estimate("e2", [1])],
                         [comparison("c1", "holds", "e1", "e2"), comparison("c2", "inconclusive", "e1", "e2")])
            code, _, err = summary(d)
            self.assertEqual(code, 1)
            self.assertIn("c1", err)
            self.assertIn("holds on b", err)
            self.assertNotIn("c2", err)  # an undecided verdict may involve a dead net

    def test_require_learned_is_a_bar_on_the_share_of_configurations(self):
        with tempfile.TemporaryDirectory() as d:
            runs = [run_record(f"net{i}()", 1, i != 0) for i in range(10)]
            write_report(d, "study", runs, [], [])
            self.assertEqual(summary(d, "--require-learned", "0.9")[0], 0)  # 9 of 10
            self.assertEqual(summary(d, "--require-learned", "0.95")[0], 1)


if __name__ == "__main__":
    unittest.main()
