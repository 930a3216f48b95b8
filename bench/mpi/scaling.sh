#!/usr/bin/env bash
# Data-parallel scaling of the paper net's training (docs/distributed.md, "Speed"):
#   (a) 1 rank × 2 threads            mpirun -np 1 --bind-to none facet bench --threads 2 (the same
#                                     code path as (b) and (c); unbound, or mpirun pins it to one core)
#   (b) 2 ranks × 1 thread, one host  shared memory between the ranks (btl vader)
#   (c) 2 ranks × 1 thread in two network namespaces joined by a veth pair, so every gradient byte
#       crosses a TCP link (btl tcp); needs root (ip netns). Open MPI starts the second rank with
#       its rsh launcher, pointed at a tiny agent that runs the command inside the other namespace.
# Prints images/s, the share of wall time in the gradient allreduce and the bytes per batch, and
# for (c) the bytes the veth link actually carried. A benchmark, not a test: CI does not run it.
# usage: bench/mpi/scaling.sh [iterations=5] [batch=100]
set -euo pipefail
cd "$(dirname "$0")/../.."
ITERATIONS=${1:-5}
BATCH=${2:-100}
work=$(mktemp -d)
swift build -c release --product facet >/dev/null
FACET=$PWD/.build/release/facet
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
row() {  # row LABEL JSON [LINK_BYTES]
    python3 - "$@" <<'PY'
import json, sys
label, path = sys.argv[1], sys.argv[2]
j = json.load(open(path))
link = f"{int(sys.argv[3]) / 1e6:.0f} MB" if len(sys.argv) > 3 else "–"
print(f"| {label} | {j['ranks']} × {j['threadsPerRank']} | {j['imagesPerSecond']:.1f} | {j['millisecondsPerBatch']:.0f} | "
      f"{100 * j['allreduceShare']:.1f} % | {j['allreduceBytesPerBatch'] / 1e6:.0f} MB | "
      f"{j['ringBytesSentPerBatchPerRank'] / 1e6:.0f} MB | {link} |")
PY
}
bench=("$FACET" bench --batch "$BATCH" --iterations "$ITERATIONS" --json)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; global batch $BATCH, $ITERATIONS timed batches"

scripts/facet-mpirun -np 1 --bind-to none "${bench[@]}" --threads 2 > "$work/a.json"
# For reference, the ordinary single-process path (no collective: SGD folded into backward).
"$FACET" bench --batch "$BATCH" --iterations "$ITERATIONS" --json --threads 2 > "$work/plain.json"
scripts/facet-mpirun -np 2 "${bench[@]}" --threads 1 > "$work/b.json"

link_bytes=""
if [ "$(id -u)" = 0 ] && ip netns add facet-bench-probe 2>/dev/null; then
    ip netns del facet-bench-probe
    ns0=facet-mpi0 ns1=facet-mpi1 a0=10.231.77.1 a1=10.231.77.2
    drop_namespaces() { ip netns del "$ns0" 2>/dev/null || true; ip netns del "$ns1" 2>/dev/null || true; }
    trap 'drop_namespaces; rm -rf "$work"' EXIT
    drop_namespaces
    ip netns add "$ns0"; ip netns add "$ns1"
    ip link add veth-facet0 type veth peer name veth-facet1
    ip link set veth-facet0 netns "$ns0"; ip link set veth-facet1 netns "$ns1"
    ip -n "$ns0" addr add "$a0/24" dev veth-facet0; ip -n "$ns1" addr add "$a1/24" dev veth-facet1
    for ns in "$ns0" "$ns1"; do ip -n "$ns" link set lo up; done
    ip -n "$ns0" link set veth-facet0 up; ip -n "$ns1" link set veth-facet1 up
    # Open MPI's rsh launcher runs AGENT HOST COMMAND; this agent runs COMMAND in HOST's namespace,
    # under a hostname of its own so that Open MPI sees two nodes (no shared memory between them).
    # --bind-to none: each "node" would pin its rank to its core 0, the same core of this machine.
    cat > "$work/netns-agent" <<AGENT
#!/bin/sh
host=\$1; shift
case "\$host" in $a0) ns=$ns0 ;; $a1) ns=$ns1 ;; *) echo "netns-agent: unknown host \$host" >&2; exit 1 ;; esac
exec ip netns exec "\$ns" unshare --uts sh -c "hostname \$ns; \$*"
AGENT
    chmod +x "$work/netns-agent"
    printf '%s slots=1\n%s slots=1\n' "$a0" "$a1" > "$work/hosts"
    tx() { ip netns exec "$ns0" cat /sys/class/net/veth-facet0/statistics/tx_bytes /sys/class/net/veth-facet0/statistics/rx_bytes | awk '{ s += $1 } END { printf "%.0f\n", s }'; }
    before=$(tx)
    ip netns exec "$ns0" unshare --uts sh -c "hostname $ns0; exec mpirun -np 2 --hostfile $work/hosts --bind-to none \
        --mca plm_rsh_agent $work/netns-agent --mca btl tcp,self \
        --mca btl_tcp_if_include 10.231.77.0/24 --mca oob_tcp_if_include 10.231.77.0/24 \
        -x OMPI_ALLOW_RUN_AS_ROOT -x OMPI_ALLOW_RUN_AS_ROOT_CONFIRM -x OPENBLAS_CORETYPE \
        $(printf '%q ' "${bench[@]}") --threads 1" > "$work/c.json"
    link_bytes=$(( ( $(tx) - before ) / (ITERATIONS + 1) ))
else
    trap 'rm -rf "$work"' EXIT
    echo "(c) skipped: network namespaces need root and ip netns"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| setup | ranks × threads | images/s | ms per batch | allreduce share | gradients per batch per rank | ring sends per rank | veth carried per batch (both ways) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
row "(a) one process" "$work/a.json"
row "(b) 2 ranks, one host (shared memory)" "$work/b.json"
[ -f "$work/c.json" ] && row "(c) 2 ranks over a veth pair (TCP)" "$work/c.json" "$link_bytes"
a=$(field "$work/a.json" imagesPerSecond) b=$(field "$work/b.json" imagesPerSecond)
echo
echo "plain \`facet bench --threads 2\` (no MPI, SGD folded into backward): $(python3 -c "import json; print(f\"{json.load(open('$work/plain.json'))['trainImagesPerSecond']:.1f}\")") images/s"
echo "(b) / (a): $(python3 -c "print(f'{$b / $a:.2f}')")×"
[ -f "$work/c.json" ] && echo "(c) / (a): $(python3 -c "print(f'{$(field "$work/c.json" imagesPerSecond) / $a:.2f}')")×"
exit 0
