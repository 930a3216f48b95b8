#!/usr/bin/env python3
"""Facet against PyTorch on the same machine, in one run: training and inference images/s of the
paper's best network (the net `facet bench` times: Benchmark.paperNet), same batch, same threads,
fp32, timed the way `facet bench` times it; then bf16 autocast in PyTorch as an extra line.

  48x48x1 -> conv 64 5x5 -> ReLU -> LCN 9 -> max-pool 3x3/2 (ceil) -> conv 64 5x5 -> ReLU
          -> conv 128 4x4 -> ReLU -> dense 3072 -> ReLU -> dropout 0.2 -> softmax 7 (NLL)
  training step: forward + backward + SGD (momentum 0.9, no weight decay), batch 100
  inference: forward without dropout, batch 100

Each side runs `--repeats` times; the medians are compared. Prints a ready-to-paste Markdown table.
usage: compare.py --facet .build/release/facet [--threads N] [--batch 100] [--iterations 5] [--repeats 3]
"""
import argparse
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class LocalContrastNorm(nn.Module):
    """Facet's `lcn` (FacetEngine/LocalContrastNorm.swift): subtractive then divisive normalisation
    with one size x size Gaussian window (sigma = size / 4) shared by all maps, renormalised at the
    borders; divisor max(sigma, mean sigma of the sample, 1e-4)."""

    def __init__(self, size, height, width):
        super().__init__()
        r, sg = size // 2, size / 4
        g = torch.tensor([math.exp(-((i - r) ** 2) / (2 * sg * sg)) for i in range(size)])
        self.register_buffer("window", (g[:, None] * g[None, :])[None, None])
        ones = torch.ones(1, 1, height, width)
        self.register_buffer("inverse_norm", 1 / F.conv2d(ones, self.window, padding=r))
        self.pad = r

    def local_mean(self, x):  # x: [N, C, H, W] -> [N, 1, H, W], weighted over maps and window
        return F.conv2d(x.mean(dim=1, keepdim=True), self.window.to(x.dtype), padding=self.pad) * self.inverse_norm.to(x.dtype)

    def forward(self, x):
        v = x - self.local_mean(x)
        sigma = self.local_mean(v * v).sqrt()
        floor = sigma.mean(dim=(2, 3), keepdim=True).clamp_min(1e-4)
        return v / torch.maximum(sigma, floor)


def paper_net():
    return nn.Sequential(
        nn.Conv2d(1, 64, 5), nn.ReLU(), LocalContrastNorm(9, 44, 44), nn.MaxPool2d(3, 2, ceil_mode=True),
        nn.Conv2d(64, 64, 5), nn.ReLU(), nn.Conv2d(64, 128, 4), nn.ReLU(), nn.Flatten(),
        nn.Linear(128 * 15 * 15, 3072), nn.ReLU(), nn.Dropout(0.2), nn.Linear(3072, 7))


def torch_run(batch, iterations, bf16):
    """(training images/s, inference images/s), timed like Benchmark.run: one warm-up, then
    `iterations` timed batches."""
    torch.manual_seed(1)
    net = paper_net()
    x = torch.randn(batch, 1, 48, 48)
    y = torch.randint(0, 7, (batch,))
    opt = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    cast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16)

    def step():
        opt.zero_grad(set_to_none=False)
        with cast:
            loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()

    net.train()
    step()
    t0 = time.perf_counter()
    for _ in range(iterations):
        step()
    train = batch * iterations / (time.perf_counter() - t0)

    net.eval()
    with torch.inference_mode(), cast:
        net(x)
        t0 = time.perf_counter()
        for _ in range(iterations):
            net(x)
        infer = batch * iterations / (time.perf_counter() - t0)
    return train, infer


def facet_run(facet, threads, batch, iterations):
    out = subprocess.run([facet, "bench", "--json", "--threads", str(threads), "--batch", str(batch),
                          "--iterations", str(iterations)], check=True, capture_output=True, text=True).stdout
    r = json.loads(out)
    return r["trainImagesPerSecond"], r["inferenceImagesPerSecond"], r["blasCore"]


def cpu_name():
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--facet", required=True, help="a release build of facet")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--no-bf16", action="store_true", help="skip the PyTorch bf16 autocast line")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)

    runs = {"facet": [], "fp32": [], "bf16": []}
    for r in range(a.repeats):  # interleaved, so a change in machine load hits every side alike
        runs["facet"].append(facet_run(a.facet, a.threads, a.batch, a.iterations))
        runs["fp32"].append(torch_run(a.batch, a.iterations, bf16=False))
        if not a.no_bf16:
            try:
                runs["bf16"].append(torch_run(a.batch, a.iterations, bf16=True))
            except RuntimeError as e:  # no bf16 kernels on this CPU/build
                print(f"bf16 autocast failed: {e}")
                a.no_bf16 = True
        print(f"run {r + 1}/{a.repeats}: facet {runs['facet'][-1][:2]}, pytorch fp32 {runs['fp32'][-1]}"
              + (f", pytorch bf16 {runs['bf16'][-1]}" if runs["bf16"] else ""), flush=True)

    def med(side, k):
        return statistics.median(x[k] for x in runs[side])

    ft, fi = med("facet", 0), med("facet", 1)
    tt, ti = med("fp32", 0), med("fp32", 1)
    flags = open("/proc/cpuinfo").read() if os.path.exists("/proc/cpuinfo") else ""
    bf16_cpu = "avx512_bf16" in flags or "amx_bf16" in flags
    print()
    print(f"{datetime.date.today().isoformat()}, {cpu_name()}, {a.threads} threads, batch {a.batch}, "
          f"median of {a.repeats} runs of {a.iterations} batches; Facet (OpenBLAS {runs['facet'][0][2]}) "
          f"vs PyTorch {torch.__version__} (oneDNN {'on' if torch.backends.mkldnn.is_available() else 'off'})"
          f"{', CPU has bf16' if bf16_cpu else ''}:")
    print()
    print("| images/s | Facet fp32 | PyTorch fp32 | Facet / PyTorch |")
    print("|---|---:|---:|---:|")
    print(f"| training | {ft:.1f} | {tt:.1f} | {ft / tt:.2f}× |")
    print(f"| inference | {fi:.1f} | {ti:.1f} | {fi / ti:.2f}× |")
    if runs["bf16"]:
        bt, bi = med("bf16", 0), med("bf16", 1)
        print(f"| training, PyTorch bf16 autocast | {ft:.1f} (fp32) | {bt:.1f} | {ft / bt:.2f}× |")
        print(f"| inference, PyTorch bf16 autocast | {fi:.1f} (fp32) | {bi:.1f} | {fi / bi:.2f}× |")


if __name__ == "__main__":
    main()
