#!/usr/bin/env python3
"""flowrun benchmarks against peers, measured in the same run.

Benchmarks are not tests: run them on purpose with scripts/bench/run-all.
Every figure is a median over repeated runs; peers run interleaved with
flowrun so that noise on the shared machine hits both alike. Results go to
Benchmarks/RESULTS.md (and JSON next to it).
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def timed(cmd, *, cwd=None, env=None, stdout=subprocess.DEVNULL, shell=False, timeout=600):
    """Runs cmd under /usr/bin/time; returns (wall seconds, peak RSS in KB, exit code)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        argv = ["/usr/bin/time", "-f", "%e %M", "-o", tf.name]
        argv += ["sh", "-c", cmd] if shell else cmd
        # No `timeout=` on the wait: Popen.wait(timeout) polls with sleeps of
        # up to 50 ms and that latency ended up in every figure. A timer
        # thread kills a run that hangs instead.
        start = time.perf_counter()
        p = subprocess.Popen(argv, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.DEVNULL,
                             stdin=subprocess.DEVNULL)
        killer = threading.Timer(timeout, p.kill)
        killer.start()
        p.wait()
        wall = time.perf_counter() - start
        killer.cancel()
        fields = tf.read().split()
        rss = int(fields[-1]) if fields else 0
        return wall, rss, p.returncode


def median_of(runs, fn):
    walls, rsss, codes = [], [], []
    for _ in range(runs):
        w, r, c = fn()
        walls.append(w)
        rsss.append(r)
        codes.append(c)
    return statistics.median(walls), max(rsss), codes


class Bench:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.flowrun = os.path.join(ROOT, ".build", "release", "flowrun")
        self.tmp = tempfile.mkdtemp(prefix="flowrun-bench-")
        self.rows = []   # (benchmark, tool, wall, rss, note)
        self.notes = []

    def add(self, bench, tool, wall, rss, note=""):
        self.rows.append({"bench": bench, "tool": tool, "wall": wall, "rss_kb": rss, "note": note})
        print(f"  {bench:<28} {tool:<22} {wall:8.3f} s {rss / 1024:8.1f} MB {note}", flush=True)

    def have(self, tool):
        return shutil.which(tool) is not None

    def write(self, path, text):
        full = os.path.join(self.tmp, path)
        with open(full, "w") as f:
            f.write(text)
        return full

    # B1: the seed workflow, overhead above its critical path.
    def b1(self):
        runs = 3 if self.quick else 5
        scale = 0.1 if self.quick else 1.0
        seed = os.path.join(ROOT, "workflows", "seed.yaml")
        if self.quick:
            seed = self.write("seed-quick.yaml", "stages:\n" + "".join(
                f"  - name: s{s}\n    tasks:\n      - sleep: {3.0 * scale}\n      - sleep: {3.5 * scale}\n" for s in range(3)))
        critical = 10.5 * scale
        recipe = self.write("seed.py", f"""
import asyncio
async def do_task(name, delay):
    await asyncio.sleep(delay)
    return f'task ({{name}}) result'
async def main():
    r = []
    for a, b in ((1, 2), (3, 4), (5, 6)):
        r += await asyncio.gather(do_task(str(a), {3.0 * scale}), do_task(str(b), {3.5 * scale}))
    return r
print(asyncio.run(main()))
""")
        for _ in range(1):
            w, r, _ = median_of(runs, lambda: timed([self.flowrun, seed, "--output", "quiet"]))
            self.add("B1 seed overhead", "flowrun", w - critical, r, f"wall {w:.3f} s, critical path {critical} s")
            w, r, _ = median_of(runs, lambda: timed([sys.executable, recipe]))
            self.add("B1 seed overhead", "python asyncio", w - critical, r, f"wall {w:.3f} s")

    # B2: 1,000 /bin/true at a concurrency cap.
    def b2(self):
        n = 200 if self.quick else 1000
        runs = 1 if self.quick else 3
        wf = self.write("true.yaml", "stages:\n  - name: s\n    tasks:\n" + "      - /bin/true\n" * n)
        mk = self.write("Makefile", "all: " + " ".join(f"t{i}" for i in range(n)) + "\n" +
                        "".join(f"t{i}:\n\t@/bin/true\n" for i in range(n)) + ".PHONY: all " + " ".join(f"t{i}" for i in range(n)) + "\n")
        taskfile = self.write("Taskfile.yml", "version: '3'\ntasks:\n  all:\n    deps: [" + ", ".join(f"t{i}" for i in range(n)) + "]\n"
                              + "".join(f"  t{i}:\n    cmds: [/bin/true]\n    silent: true\n" for i in range(n)))
        justfile = self.write("justfile", "[parallel]\nall: " + " ".join(f"t{i}" for i in range(n)) + "\n"
                              + "".join(f"t{i}:\n  @/bin/true\n" for i in range(n)))
        asy = self.write("true.py", f"""
import asyncio, sys
async def main(j):
    sem = asyncio.Semaphore(j)
    async def one():
        async with sem:
            p = await asyncio.create_subprocess_exec('/bin/true')
            await p.wait()
    await asyncio.gather(*(one() for _ in range({n})))
asyncio.run(main(int(sys.argv[1])))
""")
        for jobs in (2, 8, 64):
            name = f"B2 {n}x true -j{jobs}"
            peers = [
                ("flowrun", lambda: timed([self.flowrun, "run", wf, "--jobs", str(jobs), "--output", "quiet"])),
                ("xargs -P", lambda: timed(f"seq {n} | xargs -P {jobs} -n 1 sh -c /bin/true", shell=True)),
                ("make -j", lambda: timed(["make", "-s", "-f", mk, f"-j{jobs}"], cwd=self.tmp)),
                ("python asyncio", lambda: timed([sys.executable, asy, str(jobs)])),
            ]
            if self.have("parallel"):
                peers.append(("GNU parallel", lambda: timed(f"seq {n} | parallel -j {jobs} /bin/true", shell=True)))
            if self.have("task"):
                peers.append(("go-task", lambda: timed(["task", "-t", taskfile, "--concurrency", str(jobs), "all"], cwd=self.tmp)))
            if self.have("just"):
                # just has no cap: its [parallel] runs every dependency at once.
                peers.append(("just [parallel]", lambda: timed(["just", "-f", justfile, "all"], cwd=self.tmp)))
            for tool, fn in peers:
                w, r, codes = median_of(runs, fn)
                self.add(name, tool, w, r, "" if all(c == 0 for c in codes) else f"exit {codes}")

    # B3: many built-in sleeps: scheduling cost and memory per task.
    def b3(self):
        sizes = (10_000,) if self.quick else (10_000, 100_000)
        for n in sizes:
            wf = self.write(f"sleep{n}.yaml", "stages:\n  - name: s\n    tasks:\n" + "      - sleep: 1\n" * n)
            asy = self.write(f"sleep{n}.py", f"""
import asyncio
async def main():
    await asyncio.gather(*(asyncio.sleep(1) for _ in range({n})))
asyncio.run(main())
""")
            w, r, c = median_of(1 if self.quick else 3, lambda: timed([self.flowrun, "run", wf, "--output", "quiet"]))
            self.add(f"B3 {n} sleep tasks", "flowrun", w, r, "" if c == [0] * len(c) else f"exit {c}")
            w, r, c = median_of(1 if self.quick else 3, lambda: timed([sys.executable, asy]))
            self.add(f"B3 {n} sleep tasks", "python asyncio", w, r)

    # B4: 1,000 sleeping processes at once, also under a low fd limit.
    def b4(self):
        n = 200 if self.quick else 1000
        wf = self.write("sleepproc.yaml", "stages:\n  - name: s\n    tasks:\n" + "      - sleep 1\n" * n)
        w, r, c = median_of(1 if self.quick else 3, lambda: timed([self.flowrun, "run", wf, "--output", "quiet"]))
        self.add(f"B4 {n} sleep-1 processes", "flowrun", w, r, f"exit {c}")
        w, r, c = median_of(1, lambda: timed(f"ulimit -Sn 256; exec {self.flowrun} run {wf} --output quiet", shell=True))
        self.add(f"B4 {n} sleep-1 processes", "flowrun ulimit -Sn 256", w, r, f"exit {c}")
        w, r, c = median_of(1 if self.quick else 3, lambda: timed(f"seq {n} | xargs -P {n} -n 1 sh -c 'sleep 1'", shell=True))
        self.add(f"B4 {n} sleep-1 processes", "xargs -P", w, r)

    # B5: validating a large file, against libyaml's own event parse.
    def b5(self):
        n = 5_000 if self.quick else 50_000
        stages = 50
        yaml_lines = ["name: big", "stages:"]
        doc = {"name": "big", "stages": []}
        for s in range(stages):
            yaml_lines += [f"  - name: stage{s}", "    tasks:"]
            tasks = []
            for t in range(n // stages):
                cmd = f"echo building component {s}-{t} with some flags --verbose --output=out/{t}"
                yaml_lines += [f"      - name: task{t}", f"        run: {cmd}", "        timeout: 5m"]
                tasks.append({"name": f"task{t}", "run": cmd, "timeout": "5m"})
            doc["stages"].append({"name": f"stage{s}", "tasks": tasks})
        y = self.write("big.yaml", "\n".join(yaml_lines) + "\n")
        j = self.write("big.json", json.dumps(doc, indent=1))
        cprog = self.write("events.c", r"""
#include <yaml.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    FILE *f = fopen(argv[1], "rb"); fseek(f, 0, SEEK_END); long n = ftell(f); rewind(f);
    unsigned char *b = malloc(n); if (fread(b, 1, n, f) != (size_t)n) return 2;
    yaml_parser_t p; yaml_parser_initialize(&p); yaml_parser_set_input_string(&p, b, n);
    yaml_event_t e; long k = 0;
    for (;;) { if (!yaml_parser_parse(&p, &e)) return 1; int t = e.type; yaml_event_delete(&e); k++; if (t == YAML_STREAM_END_EVENT) break; }
    printf("%ld\n", k); return 0;
}
""")
        exe = os.path.join(self.tmp, "events")
        subprocess.run(["cc", "-O2", "-o", exe, cprog, "-lyaml"], check=True)
        runs = 3 if self.quick else 7
        for label, path in (("YAML", y), ("JSON", j)):
            size = os.path.getsize(path) / 1e6
            w, r, c = median_of(runs, lambda: timed([self.flowrun, "validate", path], stdout=subprocess.DEVNULL))
            self.add(f"B5 validate {n} tasks {label} ({size:.1f} MB)", "flowrun", w, r, f"exit {c[0]}")
            w, r, _ = median_of(runs, lambda: timed([exe, path]))
            self.add(f"B5 validate {n} tasks {label} ({size:.1f} MB)", "libyaml events (C)", w, r)

    # B6: start-up: validating a ten-line file.
    def b6(self):
        wf = self.write("small.yaml", "name: small\nstages:\n  - name: a\n    tasks:\n      - echo a\n      - echo b\n"
                        "  - name: b\n    tasks:\n      - sleep: 1\n      - run: echo c\n")
        runs = 20 if self.quick else 100
        def loop(cmd):
            walls = []
            for _ in range(runs):
                t = time.perf_counter()
                subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                walls.append(time.perf_counter() - t)
            return statistics.median(walls)
        self.add("B6 validate 10-line file", "flowrun", loop([self.flowrun, "validate", wf]), 0, f"median of {runs}")
        self.add("B6 validate 10-line file", "/bin/true (spawn floor)", loop(["/bin/true"]), 0, f"median of {runs}")
        mk = self.write("small.mk", "all:\n\t@true\n")
        self.add("B6 validate 10-line file", "make -n", loop(["make", "-n", "-f", mk]), 0, f"median of {runs}")
        if self.have("just"):
            jf = self.write("small.just", "a:\n  echo a\nb: a\n  echo b\n")
            self.add("B6 validate 10-line file", "just --summary", loop(["just", "-f", jf, "--summary"]), 0, f"median of {runs}")
        if self.have("task"):
            tf = self.write("small-Taskfile.yml", "version: '3'\ntasks:\n  a:\n    cmds: [echo a]\n  b:\n    deps: [a]\n    cmds: [echo b]\n")
            self.add("B6 validate 10-line file", "go-task --list-all", loop(["task", "-t", tf, "--list-all"]), 0, f"median of {runs}")

    # B7: output throughput of one chatty task, prefixed, to /dev/null.
    def b7(self):
        mb = 20 if self.quick else 100
        gen = self.write("gen.py", f"""
import sys
line = b'x' * 99 + b'\\n'
block = line * 10000
out = sys.stdout.buffer
for _ in range({mb} * 1000000 // len(block)):
    out.write(block)
""")
        wf = self.write("chatty.yaml", f"stages:\n  - name: s\n    tasks:\n      - name: t\n        run: {sys.executable} {gen}\n")
        runs = 1 if self.quick else 5
        w0, r0, _ = median_of(runs, lambda: timed([sys.executable, gen]))
        self.add(f"B7 {mb} MB of 100-byte lines", "task alone", w0, r0)
        w, r, c = median_of(runs, lambda: timed([self.flowrun, "run", wf, "--output", "prefixed"]))
        self.add(f"B7 {mb} MB of 100-byte lines", "flowrun prefixed", w, r, f"{w / w0:.2f}x the task alone")
        if self.have("parallel"):
            w, r, _ = median_of(runs, lambda: timed(f"echo 1 | parallel --tag --line-buffer {sys.executable} {gen}", shell=True))
            self.add(f"B7 {mb} MB of 100-byte lines", "parallel --tag --line-buffer", w, r, f"{w / w0:.2f}x")

    def markdown(self):
        uname = platform.uname()
        lines = [
            "# flowrun benchmark results", "",
            f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {uname.system} {uname.machine}, "
            f"{os.cpu_count()} cores, by `scripts/bench/run-all{' --quick' if self.quick else ''}`. "
            "Wall times are medians of repeated runs; peers ran in the same session, so compare ratios, not absolutes.", "",
            "| benchmark | tool | wall (s) | peak RSS (MB) | note |", "|---|---|---:|---:|---|",
        ]
        for row in self.rows:
            lines.append(f"| {row['bench']} | {row['tool']} | {row['wall']:.3f} | {row['rss_kb'] / 1024:.1f} | {row['note']} |")
        lines += ["", "## Targets (issue 5)", "", "| # | target | measured | met |", "|---|---|---|---|"]
        lines += self.targets()
        lines += [""] + [f"- {n}" for n in self.notes]
        return "\n".join(lines) + "\n"

    def find(self, bench_prefix, tool):
        for row in self.rows:
            if row["bench"].startswith(bench_prefix) and row["tool"] == tool:
                return row
        return None

    def targets(self):
        """One row per target: what issue 5 asks, what this run measured, whether it is met."""
        out = []
        def row(name, target, measured, met):
            out.append(f"| {name} | {target} | {measured} | {'yes' if met else 'no'} |")
        f = self.find("B1", "flowrun")
        if f:
            row("B1", "overhead above the critical path <= 15 ms", f"{f['wall'] * 1000:.1f} ms", f["wall"] <= 0.015)
        for jobs in (2, 8, 64):
            f = next((r for r in self.rows if r["bench"].startswith("B2") and r["bench"].endswith(f"-j{jobs}") and r["tool"] == "flowrun"), None)
            m = next((r for r in self.rows if r["bench"].startswith("B2") and r["bench"].endswith(f"-j{jobs}") and r["tool"] == "make -j"), None)
            if f and m:
                row(f"B2 -j{jobs}", "wall <= make -j", f"{f['wall']:.2f} s = {f['wall'] / m['wall']:.2f}x make", f["wall"] <= m["wall"])
        f = next((r for r in self.rows if r["bench"].startswith("B3 100000") and r["tool"] == "flowrun"), None)
        if f:
            row("B3 100k", "wall <= 1.2 s, RSS <= 50 MB", f"{f['wall']:.2f} s, {f['rss_kb'] / 1024:.0f} MB",
                f["wall"] <= 1.2 and f["rss_kb"] <= 50 * 1024)
        f = next((r for r in self.rows if r["bench"].startswith("B4") and r["tool"] == "flowrun"), None)
        if f:
            row("B4", "wall <= 1.5 s", f"{f['wall']:.2f} s", f["wall"] <= 1.5)
        for label in ("YAML", "JSON"):
            f = next((r for r in self.rows if r["bench"].startswith("B5") and label in r["bench"] and r["tool"] == "flowrun"), None)
            c = next((r for r in self.rows if r["bench"].startswith("B5") and label in r["bench"] and r["tool"].startswith("libyaml")), None)
            if f and c:
                row(f"B5 {label}", "<= 2x libyaml events, RSS <= 150 MB",
                    f"{f['wall'] / c['wall']:.1f}x, {f['rss_kb'] / 1024:.0f} MB", f["wall"] <= 2 * c["wall"] and f["rss_kb"] <= 150 * 1024)
        f = self.find("B6", "flowrun")
        if f:
            row("B6", "<= 5 ms", f"{f['wall'] * 1000:.1f} ms", f["wall"] <= 0.005)
        f = next((r for r in self.rows if r["bench"].startswith("B7") and r["tool"] == "flowrun prefixed"), None)
        a = next((r for r in self.rows if r["bench"].startswith("B7") and r["tool"] == "task alone"), None)
        if f and a:
            row("B7", "<= 1.3x the task alone, RSS <= 30 MB", f"{f['wall'] / a['wall']:.2f}x, {f['rss_kb'] / 1024:.0f} MB",
                f["wall"] <= 1.3 * a["wall"] and f["rss_kb"] <= 30 * 1024)
        return out


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke mode: each benchmark once at small N")
    parser.add_argument("--only", default="", help="comma-separated subset, e.g. b2,b5")
    parser.add_argument("--out", default=os.path.join(ROOT, "Benchmarks", "RESULTS.md"))
    parser.add_argument("--keep-others", action="store_true",
                        help="with --only: keep the other benchmarks' rows from the last RESULTS.json")
    args = parser.parse_args()
    bench = Bench(args)
    if not os.path.exists(bench.flowrun):
        sys.exit(f"missing {bench.flowrun}: run `swift build -c release` first")
    chosen = [b for b in args.only.split(",") if b] or ["b1", "b2", "b3", "b4", "b5", "b6", "b7"]
    if args.keep_others:
        previous = os.path.splitext(args.out)[0] + ".json"
        with open(previous) as f:
            bench.rows = [r for r in json.load(f) if r["bench"].split()[0].lower() not in chosen]
        bench.notes.append(f"{', '.join(c.upper() for c in chosen)} re-measured on their own; the other rows are from the previous full run.")
    try:
        for name in chosen:
            print(f"{name}:", flush=True)
            getattr(bench, name)()
    finally:
        shutil.rmtree(bench.tmp, ignore_errors=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(bench.markdown())
    with open(os.path.splitext(args.out)[0] + ".json", "w") as f:
        json.dump(bench.rows, f, indent=1)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
