"""scripts/compare-reports on hand-made folders: timings differ → same; a number differs → not.

    python3 -m unittest discover -s Tests/reports -p 'test_*.py'
"""
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "compare-reports")


def write(folder, text, figure=b"<svg/>"):
    os.makedirs(os.path.join(folder, "r_files"))
    with open(os.path.join(folder, "r.md"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(folder, "r_files", "fig1.svg"), "wb") as f:
        f.write(figure)


def compare(a, b):
    return subprocess.run([sys.executable, SCRIPT, a, b], capture_output=True, text=True)


class CompareReportsTests(unittest.TestCase):
    REPORT = "accuracy 61.2 % [57.0, 65.3]\n\nCell 1 · {t}\n\n| Wall time | {w} |\n"

    def test_timings_are_ignored(self):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            write(a, self.REPORT.format(t="1 min 5 s", w="2 min 01 s"))
            write(b, self.REPORT.format(t="58 s", w="1 min 59 s"))
            p = compare(a, b)
            self.assertEqual(p.returncode, 0, p.stdout)
            self.assertIn("1 of 1 reports/results.json identical", p.stdout)

    def test_a_changed_number_or_figure_is_a_difference(self):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            write(a, self.REPORT.format(t="1 s", w="1 s"))
            write(b, self.REPORT.format(t="1 s", w="1 s").replace("61.2", "61.3"))
            p = compare(a, b)
            self.assertEqual(p.returncode, 1)
            self.assertIn("DIFFERS: r.md", p.stdout)
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            write(a, "same\n")
            write(b, "same\n", figure=b"<svg>other</svg>")
            p = compare(a, b)
            self.assertEqual(p.returncode, 1)
            self.assertIn("figures byte-identical: 0 of 1", p.stdout)


if __name__ == "__main__":
    unittest.main()
