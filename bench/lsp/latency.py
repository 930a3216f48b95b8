#!/usr/bin/env python3
"""Latency of `facet lsp` on a real file, over stdio as an editor talks to it (stdlib only).

    python3 bench/lsp/latency.py [FACET_BIN] [FILE] [N]     # defaults: .build/release/facet stdlib/paper.facet 100

Opens FILE, then N times: a full-text change followed by waiting for its publishDiagnostics (the
server analyses once the burst is read), and N hover requests on a layer line. Prints the median
and the worst of each, in milliseconds."""
import json
import os
import pathlib
import select
import statistics
import subprocess
import sys
import time

facet = sys.argv[1] if len(sys.argv) > 1 else ".build/release/facet"
path = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "stdlib/paper.facet").resolve()
n = int(sys.argv[3]) if len(sys.argv) > 3 else 100
text = path.read_text()
uri = path.as_uri()
p = subprocess.Popen([facet, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
buf = b""


def send(m):
    body = json.dumps(dict(m, jsonrpc="2.0")).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()


def read():
    global buf
    while True:
        head, sep, rest = buf.partition(b"\r\n\r\n")
        if sep:
            length = int(head.split(b":")[1])
            if len(rest) >= length:
                buf = rest[length:]
                return json.loads(rest[:length])
        select.select([p.stdout], [], [], 30)
        chunk = os.read(p.stdout.fileno(), 1 << 20)
        if not chunk:
            raise SystemExit("facet lsp closed its output")
        buf += chunk


def until(pred):
    while True:
        m = read()
        if pred(m):
            return m


send({"id": 0, "method": "initialize", "params": {"capabilities": {}}})
until(lambda m: m.get("id") == 0)
send({"method": "initialized", "params": {}})
send({"method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "facet", "version": 1, "text": text}}})
until(lambda m: m.get("method") == "textDocument/publishDiagnostics")
line = next(i for i, l in enumerate(text.splitlines()) if l.strip().startswith("conv "))
diag, hover = [], []
for i in range(n):
    t = time.perf_counter()
    send({"method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": i + 2},
                                                         "contentChanges": [{"text": text + ("\n" if i % 2 else "")}]}})
    until(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    diag.append((time.perf_counter() - t) * 1000)
for i in range(n):
    t = time.perf_counter()
    send({"id": i + 1, "method": "textDocument/hover", "params": {"textDocument": {"uri": uri}, "position": {"line": line, "character": 4}}})
    until(lambda m: m.get("id") == i + 1)
    hover.append((time.perf_counter() - t) * 1000)
send({"id": 99999, "method": "shutdown"})
until(lambda m: m.get("id") == 99999)
send({"method": "exit"})
p.wait(timeout=10)
print(f"{path.name}: diagnostics after a change: median {statistics.median(diag):.1f} ms, worst {max(diag):.1f} ms ({n} changes)")
print(f"{path.name}: hover on line {line + 1}: median {statistics.median(hover):.1f} ms, worst {max(hover):.1f} ms ({n} requests)")
