#!/usr/bin/env bash
# Per-task CPU breakdown of 1,000 x /bin/true (issue 12's method): `perf record`
# over flowrun and everything it starts, then the samples split by process
# (flowrun's own threads against the tasks' /bin/true) and, inside each, by
# where they fell (kernel, ld.so, libc, the Swift runtime, flowrun's code).
# The same for make -j as the reference. CPU per task = user + system / 1,000.
# Usage: scripts/bench/cpu-breakdown.sh [JOBS]   (default 8; needs perf, Linux)
# Env:   FLOWRUN (default .build/release/flowrun)
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs="${1:-8}"
flowrun="$(realpath "${FLOWRUN:-.build/release/flowrun}")"
command -v perf >/dev/null || { echo "cpu-breakdown: perf not installed"; exit 0; }
work="$(mktemp -d "${TMPDIR:-/tmp}/flowrun-cpu.XXXXXX")"
trap 'rm -rf "$work"' EXIT
n=1000
{ echo "stages:"; echo "  - name: s"; echo "    tasks:"; for _ in $(seq $n); do echo "      - /bin/true"; done; } > "$work/true.yaml"
{ printf 'all:'; for i in $(seq $n); do printf ' t%d' "$i"; done; echo
  for i in $(seq $n); do printf 't%d:\n\t@/bin/true\n' "$i"; done
  printf '.PHONY: all'; for i in $(seq $n); do printf ' t%d' "$i"; done; echo; } > "$work/Makefile"

breakdown() { # label, command...
    local label="$1"; shift
    local cpu
    # CPU of the whole tree, measured apart from perf's own overhead.
    cpu=$(python3 -c '
import os, subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, ru = os.wait4(p.pid, 0)
print(f"{ru.ru_utime + ru.ru_stime:.4f}")' "$@")
    (cd "$work" && perf record -q -F 4999 -g -o "$work/perf.data" -- "$@" > /dev/null 2>&1) || true
    echo "== $label: $(python3 -c "print(f'{$cpu * 1000 / $n:.3f}')") ms CPU per task (user+sys, all processes)"
    perf report -i "$work/perf.data" --no-children --sort comm,dso --stdio 2>/dev/null \
        | awk -v cpu="$cpu" -v n="$n" '/^ +[0-9.]+%/ { pct = $1; sub("%", "", pct); if (pct + 0 >= 1.0) {
              $1 = ""; printf "  %6.1f%%  %7.3f ms/task  %s\n", pct, pct / 100 * cpu * 1000 / n, $0 } }'
}

cd "$work"
breakdown "flowrun --jobs $jobs" "$flowrun" run "$work/true.yaml" --jobs "$jobs" --output quiet
breakdown "make -j$jobs" make -s -f "$work/Makefile" "-j$jobs"
