#!/usr/bin/env python3
"""Facet against PyTorch on the same machine, in one run: training and inference images/s and
batch-1 latency of the paper's best network (the net `facet bench` times: NetSpec.paper), or of
any net `facet bench --net` takes (--net 'ferc(fc: 256)'), same batch, same threads, fp32, timed the
way `facet bench` times it; then bf16 autocast in PyTorch as an extra line. The PyTorch net is built
from the `spec` in facet's JSON, so both sides run the same layers.

  48x48x1 -> conv 64 5x5 -> ReLU -> LCN 9 -> max-pool 3x3/2 (ceil) -> conv 64 5x5 -> ReLU
          -> conv 128 4x4 -> ReLU -> dense 3072 -> ReLU -> dropout 0.2 -> softmax 7 (NLL)
  training step: forward + backward + SGD (momentum 0.9, no weight decay), batch 100
  inference: forward without dropout, batch 100

Each side runs `--repeats` times; the medians are compared. Prints a ready-to-paste Markdown table.
usage: compare.py --facet .build/release/facet [--net EXPR] [--threads N] [--batch 100] [--iterations 5] [--repeats 3]
       compare.py --facet .build/release/facet --study OUT  (every net of bench/engine/study-nets.txt, one
       run each, PyTorch's figures to OUT/torch.json for bench/engine/study.sh's table)
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


def pool_extent(n, size, stride, ceil):
    """FacetEngine's poolExtent: ceil mode keeps a last partial window that starts inside the input."""
    if not ceil:
        return (n - size) // stride + 1
    out = (n - size + stride - 1) // stride + 1
    return out - 1 if (out - 1) * stride >= n else out


class Heads(nn.Module):
    """Every head's linear map on the trunk's features; the loss sums the heads' losses."""

    def __init__(self, features, heads):
        super().__init__()
        self.kinds = [(h["name"], *next(iter(h["kind"].items()))) for h in heads]
        self.linears = nn.ModuleList(nn.Linear(features, next(iter(k.values()))) for _, _, k in self.kinds)

    def forward(self, f):
        return [linear(f) for linear in self.linears]


def spec_net(spec):
    """A PyTorch net from facet's `spec` JSON (NetSpec: input, layers, heads)."""
    c, h, w = spec["input"]["channels"], spec["input"]["height"], spec["input"]["width"]
    layers = []
    for layer in spec["layers"]:
        (kind, a), = layer.items()
        if kind == "conv":
            layers.append(nn.Conv2d(c, a["maps"], (a["kernelHeight"], a["kernelWidth"]), a["stride"], a["padding"]))
            c = a["maps"]
            h = (h + 2 * a["padding"] - a["kernelHeight"]) // a["stride"] + 1
            w = (w + 2 * a["padding"] - a["kernelWidth"]) // a["stride"] + 1
        elif kind == "relu":
            layers.append(nn.ReLU())
        elif kind == "lcn":
            layers.append(LocalContrastNorm(a["size"], h, w))
        elif kind == "maxpool":
            layers.append(nn.MaxPool2d(a["size"], a["stride"], ceil_mode=a["ceil"]))
            h, w = pool_extent(h, a["size"], a["stride"], a["ceil"]), pool_extent(w, a["size"], a["stride"], a["ceil"])
        elif kind == "dropout":
            layers.append(nn.Dropout(a["rate"]))
        elif kind == "dense":
            layers += [nn.Flatten(), nn.Linear(c * h * w, a["units"])]
            c, h, w = a["units"], 1, 1
        elif kind == "flatten":
            layers.append(nn.Flatten())
            c, h, w = c * h * w, 1, 1
        else:
            raise SystemExit(f"compare.py: no PyTorch layer for {kind}")
    return nn.Sequential(*layers, nn.Flatten(), Heads(c * h * w, spec["heads"]))


def targets(heads, batch):
    out = []
    for h in heads:
        (kind, a), = h["kind"].items()
        k = next(iter(a.values()))
        if kind == "softmax":
            out.append(torch.randint(0, k, (batch,)))
        elif kind == "sigmoid":
            out.append(torch.randint(0, 2, (batch, k)).float())
        else:
            out.append(torch.randn(batch, k))
    return out


def loss_of(net, outputs, ys):
    total = 0
    for (_, kind, _), z, y in zip(net[-1].kinds, outputs, ys):
        if kind == "softmax":
            total = total + F.cross_entropy(z, y)
        elif kind == "sigmoid":
            total = total + F.binary_cross_entropy_with_logits(z, y)
        else:
            total = total + F.mse_loss(z, y)
    return total


def torch_run(spec, batch, iterations, bf16):
    """(training images/s, inference images/s, batch-1 latency ms), timed like Benchmark.run: one
    warm-up, then `iterations` timed batches; latency the median of 20 single images."""
    torch.manual_seed(1)
    net = spec_net(spec)
    i = spec["input"]
    x = torch.randn(batch, i["channels"], i["height"], i["width"])
    ys = targets(spec["heads"], batch)
    opt = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    cast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16)

    def step():
        opt.zero_grad(set_to_none=False)
        with cast:
            loss = loss_of(net, net(x), ys)
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
        one = x[:1].contiguous()
        net(one)
        latencies = []
        for _ in range(max(20, iterations)):
            t0 = time.perf_counter()
            net(one)
            latencies.append((time.perf_counter() - t0) * 1e3)
    return train, infer, statistics.median(latencies)


def facet_run(facet, threads, batch, iterations, net=None):
    """(training images/s, inference images/s, batch-1 ms, OpenBLAS kernels, the net's spec)."""
    args = [facet, "bench", "--json", "--threads", str(threads), "--batch", str(batch), "--iterations", str(iterations)]
    if net:
        args += ["--net", net]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    r = json.loads(subprocess.run(args, check=True, capture_output=True, text=True, cwd=root).stdout)
    return r["trainImagesPerSecond"], r["inferenceImagesPerSecond"], r["latencyBatch1Milliseconds"], r["blasCore"], r["spec"], r["net"]


def study(a):
    """Every net of bench/engine/study-nets.txt: one facet run for its spec, `--repeats` PyTorch runs
    (median); PyTorch's figures go to OUT/torch.json keyed by facet's name for the net."""
    here = os.path.dirname(os.path.abspath(__file__))
    nets = [line.rstrip("\n").split("\t")[1] for line in open(os.path.join(here, "..", "engine", "study-nets.txt"))
            if line.strip() and not line.startswith("#")]
    os.makedirs(a.study, exist_ok=True)
    path = os.path.join(a.study, "torch.json")
    out = json.load(open(path)) if os.path.exists(path) else {}
    for net in nets:
        f = facet_run(a.facet, a.threads, 1, 1, net)
        runs = [torch_run(f[4], a.batch, a.iterations, bf16=False) for _ in range(a.repeats)]
        out[f[5]] = {"train": statistics.median(r[0] for r in runs), "infer": statistics.median(r[1] for r in runs),
                     "latency": statistics.median(r[2] for r in runs), "torch": torch.__version__,
                     "load": open("/proc/loadavg").read().split()[0]}
        print(f"{f[5]}: {out[f[5]]}", flush=True)
        json.dump(out, open(path, "w"), indent=1)


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
    p.add_argument("--net", help="a net as `facet bench --net` takes one expression, e.g. 'ferc(fc: 256)'")
    p.add_argument("--study", metavar="OUT", help="PyTorch on every study net, to OUT/torch.json")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    if a.study:
        return study(a)

    runs = {"facet": [], "fp32": [], "bf16": []}
    for r in range(a.repeats):  # interleaved, so a change in machine load hits every side alike
        runs["facet"].append(facet_run(a.facet, a.threads, a.batch, a.iterations, a.net))
        spec = runs["facet"][-1][4]
        runs["fp32"].append(torch_run(spec, a.batch, a.iterations, bf16=False))
        if not a.no_bf16:
            try:
                runs["bf16"].append(torch_run(spec, a.batch, a.iterations, bf16=True))
            except RuntimeError as e:  # no bf16 kernels on this CPU/build
                print(f"bf16 autocast failed: {e}")
                a.no_bf16 = True
        print(f"run {r + 1}/{a.repeats}: facet {runs['facet'][-1][:3]}, pytorch fp32 {runs['fp32'][-1]}"
              + (f", pytorch bf16 {runs['bf16'][-1]}" if runs["bf16"] else ""), flush=True)

    def med(side, k):
        return statistics.median(x[k] for x in runs[side])

    ft, fi, fl = med("facet", 0), med("facet", 1), med("facet", 2)
    tt, ti, tl = med("fp32", 0), med("fp32", 1), med("fp32", 2)
    flags = open("/proc/cpuinfo").read() if os.path.exists("/proc/cpuinfo") else ""
    bf16_cpu = "avx512_bf16" in flags or "amx_bf16" in flags
    print()
    print(f"{datetime.date.today().isoformat()}, {cpu_name()}, {a.threads} threads, batch {a.batch}, "
          f"median of {a.repeats} runs of {a.iterations} batches; Facet (OpenBLAS {runs['facet'][0][3]}) "
          f"vs PyTorch {torch.__version__} (oneDNN {'on' if torch.backends.mkldnn.is_available() else 'off'}), "
          f"net {runs['facet'][0][5]}, load {open('/proc/loadavg').read().split()[0]} at the end"
          f"{', CPU has bf16' if bf16_cpu else ''}:")
    print()
    print("| images/s | Facet fp32 | PyTorch fp32 | Facet / PyTorch |")
    print("|---|---:|---:|---:|")
    print(f"| training | {ft:.1f} | {tt:.1f} | {ft / tt:.2f}× |")
    print(f"| inference | {fi:.1f} | {ti:.1f} | {fi / ti:.2f}× |")
    print(f"| batch-1 latency, ms (lower is better) | {fl:.2f} | {tl:.2f} | {tl / fl:.2f}× faster |")
    if runs["bf16"]:
        bt, bi = med("bf16", 0), med("bf16", 1)
        print(f"| training, PyTorch bf16 autocast | {ft:.1f} (fp32) | {bt:.1f} | {ft / bt:.2f}× |")
        print(f"| inference, PyTorch bf16 autocast | {fi:.1f} (fp32) | {bi:.1f} | {fi / bi:.2f}× |")


if __name__ == "__main__":
    main()
