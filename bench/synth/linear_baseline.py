#!/usr/bin/env python3
"""Difficulty probe for synthetic faces: a linear classifier on raw pixels.

Not the paper's network (the lead measures that with the training engine); a floor that says
whether the task is trivially separable. Reads a directory written by `facet data synth`.
Usage: bench/synth/linear_baseline.py DIR [attribute=emotion]
Needs numpy and scikit-learn.
"""
import csv, os, struct, sys, zlib
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, precision_score

def read_gray_png(path):
    """Decodes an 8-bit greyscale, non-interlaced PNG (what the renderer writes)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour == 0, f"{path}: expected 8-bit grey"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, out, prev = zlib.decompress(idat), [], bytearray(w)
    for y in range(h):
        f, row = raw[y * (w + 1)], bytearray(raw[y * (w + 1) + 1:(y + 1) * (w + 1)])
        for x in range(w):
            a = row[x - 1] if x else 0
            b, c = prev[x], (prev[x - 1] if x else 0)
            if f == 1: row[x] = (row[x] + a) & 255
            elif f == 2: row[x] = (row[x] + b) & 255
            elif f == 3: row[x] = (row[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[x] = (row[x] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 255
        out.append(bytes(row)); prev = row
    return np.frombuffer(b"".join(out), np.uint8).astype(np.float32)

def main():
    root, attr = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "emotion")
    rows = list(csv.DictReader(open(os.path.join(root, "labels.csv"))))
    x = np.stack([read_gray_png(os.path.join(root, r["path"])) for r in rows])
    y = np.array([int(r[attr]) for r in rows])
    x -= x.mean(1, keepdims=True)                                   # global contrast normalisation
    x /= np.linalg.norm(x, axis=1, keepdims=True) / 100 + 1e-6
    n = int(len(x) * 0.8)
    mu, sd = x[:n].mean(0), x[:n].std(0) + 1e-6
    x = (x - mu) / sd
    clf = LogisticRegression(max_iter=300, C=0.01).fit(x[:n], y[:n])
    p = clf.predict(x[n:])
    print(f"{attr}: linear classifier on {n} train / {len(x) - n} test faces: "
          f"accuracy {100 * accuracy_score(y[n:], p):.1f} %")
    prec = precision_score(y[n:], p, average=None, zero_division=0)
    print("per-class precision:", ", ".join(f"{k}: {100 * v:.0f} %" for k, v in zip(sorted(set(y[n:]) | set(p)), prec)))

if __name__ == "__main__":
    main()
