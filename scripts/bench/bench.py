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


LAST_CPU = [0.0]


def timed(cmd, *, cwd=None, env=None, stdout=subprocess.DEVNULL, shell=False, timeout=600):
    """Runs cmd under /usr/bin/time; returns (wall seconds, peak RSS in KB, exit code).
    The run's user + system CPU seconds (its children's included) are left in LAST_CPU[0]."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        argv = ["/usr/bin/time", "-f", "%U %S %M", "-o", tf.name]
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
        try:
            LAST_CPU[0] = float(fields[-3]) + float(fields[-2])
        except (IndexError, ValueError):
            LAST_CPU[0] = 0.0
        return wall, rss, p.returncode


def median_of(runs, fn):
    walls, rsss, codes = [], [], []
    for _ in range(runs):
        w, r, c = fn()
        walls.append(w)
        rsss.append(r)
        codes.append(c)
    return statistics.median(walls), max(rsss), codes


def interleaved(runs, peers):
    """Runs every peer once per round, `runs` rounds, so that load from
    others on the machine falls on flowrun and its peers alike. Returns, per
    tool: median wall, max RSS, exit codes, median CPU seconds, median
    1-minute load average seen before its runs."""
    results = {tool: ([], [], [], [], []) for tool, _ in peers}
    for _ in range(runs):
        for tool, fn in peers:
            load = os.getloadavg()[0]
            w, r, c = fn()
            walls, rsss, codes, cpus, loads = results[tool]
            walls.append(w)
            rsss.append(r)
            codes.append(c)
            cpus.append(LAST_CPU[0])
            loads.append(load)
    return {tool: (statistics.median(v[0]), max(v[1]), v[2], statistics.median(v[3]), statistics.median(v[4]))
            for tool, v in results.items()}


class Bench:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.flowrun = os.path.join(ROOT, ".build", "release", "flowrun")
        self.tmp = tempfile.mkdtemp(prefix="flowrun-bench-")
        self.rows = []   # (benchmark, tool, wall, rss, note)
        self.notes = []

    def add(self, bench, tool, wall, rss, note="", cpu=None, load=None):
        load = os.getloadavg()[0] if load is None else load
        self.rows.append({"bench": bench, "tool": tool, "wall": wall, "rss_kb": rss, "note": note,
                          "cpu": cpu, "load": load})
        print(f"  {bench:<28} {tool:<22} {wall:8.3f} s {rss / 1024:8.1f} MB load {load:5.2f} {note}", flush=True)

    def add_all(self, bench, results, notes=None):
        """Adds the rows of one interleaved block, in the order measured."""
        for tool, (w, r, codes, cpu, load) in results.items():
            note = (notes or {}).get(tool, "")
            if any(c != 0 for c in codes):
                note = (note + " " if note else "") + f"exit {codes}"
            self.add(bench, tool, w, r, note, cpu=cpu, load=load)

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
        runs = 1 if self.quick else 7
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
            self.add_all(name, interleaved(runs, peers))

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
            self.add_all(f"B3 {n} sleep tasks", interleaved(1 if self.quick else 3, [
                ("flowrun", lambda: timed([self.flowrun, "run", wf, "--output", "quiet"])),
                ("python asyncio", lambda: timed([sys.executable, asy])),
            ]))

    # B4: 1,000 sleeping processes at once, also under a low fd limit.
    def b4(self):
        n = 200 if self.quick else 1000
        wf = self.write("sleepproc.yaml", "stages:\n  - name: s\n    tasks:\n" + "      - sleep 1\n" * n)
        self.add_all(f"B4 {n} sleep-1 processes", interleaved(1 if self.quick else 5, [
            ("flowrun", lambda: timed([self.flowrun, "run", wf, "--output", "quiet"])),
            ("xargs -P", lambda: timed(f"seq {n} | xargs -P {n} -n 1 sh -c 'sleep 1'", shell=True)),
            ("flowrun ulimit -Sn 256", lambda: timed(f"ulimit -Sn 256; exec {self.flowrun} run {wf} --output quiet", shell=True)),
        ]))

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
            self.add_all(f"B5 validate {n} tasks {label} ({size:.1f} MB)", interleaved(runs, [
                ("flowrun", lambda: timed([self.flowrun, "validate", path])),
                ("libyaml events (C)", lambda: timed([exe, path])),
            ]))

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
        # Output goes to a pipe read by cat, as a terminal or a CI log would
        # read it; /dev/null would let the writer skip the reader's cost.
        peers = [
            ("producer | cat", lambda: timed(f"{sys.executable} {gen} | cat > /dev/null", shell=True)),
            ("flowrun prefixed", lambda: timed(f"{self.flowrun} run {wf} --output prefixed | cat > /dev/null", shell=True)),
            ("flowrun grouped", lambda: timed(f"{self.flowrun} run {wf} --output grouped | cat > /dev/null", shell=True)),
            ("flowrun quiet", lambda: timed(f"{self.flowrun} run {wf} --output quiet | cat > /dev/null", shell=True)),
            ("task alone", lambda: timed([sys.executable, gen])),
        ]
        if self.have("parallel"):
            peers.append(("parallel --tag --line-buffer",
                          lambda: timed(f"echo 1 | parallel --tag --line-buffer {sys.executable} {gen} | cat > /dev/null", shell=True)))
        self.add_all(f"B7 {mb} MB of 100-byte lines", interleaved(runs, peers))

    def markdown(self):
        uname = platform.uname()
        lines = [
            "# flowrun benchmark results", "",
            f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(getattr(self, 'measured_at', None)))} on {uname.system} {uname.machine}, "
            f"{os.cpu_count()} cores, by `scripts/bench/run-all{' --quick' if self.quick else ''}` (release build). "
            "Each block ran its tools interleaved, round after round, and gives medians; other work shared the "
            "machine (the load column is the 1-minute load average before the runs, their median), so compare "
            "the ratios inside a block, not absolutes across blocks. CPU is user + system of the tool and its children.", "",
            "| benchmark | tool | wall (s) | CPU (s) | peak RSS (MB) | load | note |", "|---|---|---:|---:|---:|---:|---|",
        ]
        cell = lambda text: str(text).replace("|", "\\|")
        for row in self.rows:
            cpu = f"{row['cpu']:.3f}" if row.get("cpu") is not None else ""
            load = f"{row['load']:.1f}" if row.get("load") is not None else ""
            lines.append(f"| {cell(row['bench'])} | {cell(row['tool'])} | {row['wall']:.3f} | {cpu} | {row['rss_kb'] / 1024:.1f} | {load} | {cell(row['note'])} |")
        lines += ["", "## Targets (issue 12; B1 and B6 from issue 5)", "",
                  "| # | target | measured (same-run ratio) | load | met |", "|---|---|---|---:|---|"]
        lines += self.targets()
        lines += [""] + [f"- {n}" for n in self.notes]
        # Profiles and analysis written by hand (what bounds a missed target)
        # live beside the generated tables and are carried into every rewrite.
        notes = os.path.join(ROOT, "Benchmarks", "RESULTS-notes.md")
        if os.path.exists(notes):
            with open(notes) as fh:
                lines += ["", fh.read().rstrip("\n")]
        return "\n".join(lines) + "\n"

    def find(self, bench_prefix, tool, contains=""):
        for row in self.rows:
            if row["bench"].startswith(bench_prefix) and contains in row["bench"] and row["tool"] == tool:
                return row
        return None

    def targets(self):
        """One row per target: what the issue asks, what this run measured, whether it is met."""
        out = []
        def row(name, target, measured, load, met):
            shown = "" if load is None else f"{load:.1f}"
            verdict = "-" if met is None else "yes" if met else "no"
            out.append(f"| {name} | {target} | {measured} | {shown} | {verdict} |")
        mb = lambda r: r["rss_kb"] / 1024
        f = self.find("B1", "flowrun")
        if f:
            row("B1", "overhead above the critical path <= 15 ms", f"{f['wall'] * 1000:.1f} ms", f.get("load"), f["wall"] <= 0.015)
        for jobs in (2, 8, 64):
            f = next((r for r in self.rows if r["bench"].startswith("B2") and r["bench"].endswith(f"-j{jobs}") and r["tool"] == "flowrun"), None)
            m = next((r for r in self.rows if r["bench"].startswith("B2") and r["bench"].endswith(f"-j{jobs}") and r["tool"] == "make -j"), None)
            if f and m:
                row(f"B2 -j{jobs}", "<= 0.9x make -j", f"{f['wall']:.2f} s vs {m['wall']:.2f} s = {f['wall'] / m['wall']:.2f}x make",
                    f.get("load"), f["wall"] <= 0.9 * m["wall"])
        f = self.find("B4", "flowrun")
        x = self.find("B4", "xargs -P")
        u = self.find("B4", "flowrun ulimit -Sn 256")
        if f and x:
            ok_ulimit = u is not None and "exit" not in u["note"]
            row("B4", "<= 0.9x xargs -P1000; works with ulimit -Sn 256",
                f"{f['wall']:.2f} s vs {x['wall']:.2f} s = {f['wall'] / x['wall']:.2f}x xargs; ulimit 256: "
                + ("exit 0" if ok_ulimit else "failed"), f.get("load"), f["wall"] <= 0.9 * x["wall"] and ok_ulimit)
        f = self.find("B3 100000", "flowrun")
        if f:
            row("B3 100k", "wall <= 1.2 s, RSS <= 50 MB", f"{f['wall']:.2f} s, {mb(f):.0f} MB", f.get("load"),
                f["wall"] <= 1.2 and mb(f) <= 50)
        for label in ("YAML", "JSON"):
            f = self.find("B5", "flowrun", label)
            c = self.find("B5", "libyaml events (C)", label)
            if f and c:
                row(f"B5 {label}", "<= 2x libyaml events, RSS <= 40 MB",
                    f"{f['wall']:.3f} s vs {c['wall']:.3f} s = {f['wall'] / c['wall']:.1f}x, {mb(f):.0f} MB", f.get("load"),
                    f["wall"] <= 2 * c["wall"] and mb(f) <= 40)
        f = self.find("B6", "flowrun")
        if f:
            row("B6", "<= 5 ms", f"{f['wall'] * 1000:.1f} ms", f.get("load"), f["wall"] <= 0.005)
        c = self.find("B7", "producer | cat")
        for mode in ("prefixed", "grouped", "quiet"):
            f = self.find("B7", f"flowrun {mode}")
            if f and c:
                row(f"B7 {mode}", "<= 1.0x producer \\| cat, RSS <= 30 MB" if mode == "prefixed" else "(no target; for comparison)",
                    f"{f['wall']:.3f} s vs {c['wall']:.3f} s = {f['wall'] / c['wall']:.2f}x producer \\| cat, {mb(f):.0f} MB", f.get("load"),
                    (f["wall"] <= c["wall"] and mb(f) <= 30) if mode == "prefixed" else None)
        crash = os.path.join(ROOT, "Benchmarks", "crash-row.txt")
        if os.path.exists(crash):
            with open(crash) as fh:
                text = fh.read().strip()
            out.append(f"| crash | 1,000 concurrent sleep 1 x 200 runs; 100 quick tasks x 800 runs, 4 at a time: "
                       f"0 crashes, 0 hangs, exit 0 | {text} | | {'yes' if ' 0 crashed, 0 hung, 0 not exit 0' in text and 'pass' in text else 'no'} |")
        return out


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke mode: each benchmark once at small N")
    parser.add_argument("--only", default="", help="comma-separated subset, e.g. b2,b5")
    parser.add_argument("--out", default=os.path.join(ROOT, "Benchmarks", "RESULTS.md"))
    parser.add_argument("--keep-others", action="store_true",
                        help="with --only: keep the other benchmarks' rows from the last RESULTS.json")
    parser.add_argument("--render", action="store_true",
                        help="only rewrite the markdown from the last RESULTS.json (e.g. after editing RESULTS-notes.md)")
    args = parser.parse_args()
    bench = Bench(args)
    if args.render:
        shutil.rmtree(bench.tmp, ignore_errors=True)
        previous = os.path.splitext(args.out)[0] + ".json"
        with open(previous) as f:
            bench.rows = json.load(f)
        bench.measured_at = os.path.getmtime(previous)
        with open(args.out, "w") as f:
            f.write(bench.markdown())
        print(f"wrote {args.out}")
        return
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
