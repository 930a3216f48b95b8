#!/usr/bin/env bash
# CKernels' vector paths against each other: builds Tests/kernels/paths.c with the kernels (the
# flags of Package.swift's CKernels target), runs it on every path this CPU has (FACET_KERNEL_ISA),
# and fails unless all outputs are identical bit for bit.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cc="$(command -v clang || command -v cc)" \
    || { echo "Tests/kernels: no C compiler (clang comes with the Swift toolchain)" >&2; exit 1; }
"$cc" -O3 -ffp-contract=off -I "$root/Sources/CKernels/include" -I "$root/Sources/CKernels" \
    "$root"/Sources/CKernels/*.c "$root/Tests/kernels/paths.c" -o "$work/paths" -lm
best="$("$work/paths" 2>&1 >/dev/null | sed 's/kernel path: //')"
case "$best" in avx512) paths="avx512 avx2 scalar" ;; avx2) paths="avx2 scalar" ;; *) paths="scalar" ;; esac
for p in $paths; do FACET_KERNEL_ISA="$p" "$work/paths" > "$work/$p.out" 2>/dev/null; done
reference="${paths%% *}"
for p in $paths; do
    cmp -s "$work/$reference.out" "$work/$p.out" \
        || { echo "Tests/kernels: the $p path differs from the $reference path (see Tests/kernels/paths.c)" >&2; exit 1; }
done
echo "CKernels: paths $paths give identical outputs ($(wc -c < "$work/$reference.out") bytes)"
