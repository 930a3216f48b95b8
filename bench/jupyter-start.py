#!/usr/bin/env python3
"""Kernel start to first `idle`: the time from starting `facet jupyter kernel` (as Jupyter does,
from the kernelspec) until the kernel has answered kernel_info and published `idle`, i.e. until a
notebook can run its first cell. Prints each run and the median.

    FACET_BIN=.build/release/facet .build/jupyter-venv/bin/python bench/jupyter-start.py [RUNS]
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from jupyter_client.manager import KernelManager

root = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
facet = os.environ.get("FACET_BIN", os.path.join(root, ".build", "release", "facet"))
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
prefix = tempfile.mkdtemp(prefix="facet-start-")
subprocess.run([facet, "jupyter", "install", "--prefix", prefix], check=True, capture_output=True)
os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")

times = []
for i in range(runs):
    km = KernelManager(kernel_name="facet")
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    # kernel_info until its `idle` arrives: iopub drops what is published before the client's
    # subscription reaches the kernel, so the first request's status may never be seen (clients
    # such as jupyter_client's wait_for_ready also ask again).
    ready = False
    while not ready:
        msg_id = kc.kernel_info()
        deadline = time.perf_counter() + 0.1
        while not ready and time.perf_counter() < deadline:
            try:
                msg = kc.get_iopub_msg(timeout=0.01)
            except Exception:
                continue
            ready = msg["parent_header"].get("msg_id") == msg_id and msg["content"].get("execution_state") == "idle"
    elapsed = time.perf_counter() - t0
    times.append(elapsed)
    print(f"run {i + 1}: {elapsed * 1000:.0f} ms")
    kc.stop_channels()
    km.shutdown_kernel(now=True)
shutil.rmtree(prefix, ignore_errors=True)
print(f"kernel start to first idle: median {statistics.median(times) * 1000:.0f} ms over {runs} runs "
      f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}) — {facet}")
