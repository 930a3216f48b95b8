#!/usr/bin/env python3
"""Writes a full-size FER2013-format CSV with synthetic content (for the parse benchmark).

35,887 rows like the real file (28,709 Training, 3,589 PublicTest, 3,589 PrivateTest), 48x48
pixels per row, about 290 MB. The pixels are smooth random blobs plus noise, so value lengths
(1-3 digits) are spread like a real photo's. Never commit the output.

usage: make_fer.py [OUT] [--rows N] [--seed S]     (default OUT: /tmp/fer2013_synthetic.csv)
"""
import argparse
import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("out", nargs="?", default="/tmp/fer2013_synthetic.csv")
parser.add_argument("--rows", type=int, default=35887)
parser.add_argument("--seed", type=int, default=2013)
args = parser.parse_args()

rng = np.random.default_rng(args.seed)
lut = np.array([str(v) for v in range(256)], dtype=object)
n_train = round(args.rows * 28709 / 35887)
n_public = (args.rows - n_train) // 2
usage = ["Training"] * n_train + ["PublicTest"] * n_public + ["PrivateTest"] * (args.rows - n_train - n_public)
yy, xx = np.mgrid[0:48, 0:48]

with open(args.out, "w", newline="") as out:
    out.write("emotion,pixels,Usage\n")
    for i in range(args.rows):
        cx, cy, r = rng.uniform(8, 40), rng.uniform(8, 40), rng.uniform(6, 30)
        blob = 255 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))
        pixels = np.clip(blob * rng.uniform(0.3, 1) + rng.normal(60, 30, (48, 48)), 0, 255).astype(np.uint8)
        out.write(f"{rng.integers(0, 7)},{' '.join(lut[pixels.ravel()])},{usage[i]}\n")
print(f"wrote {args.rows} rows to {args.out}")
