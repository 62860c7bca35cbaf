"""Benchmark: gazetteer load time and memory, shared memory of two processes, one-document CLI call, throughput.

Run by hand (``make bench`` or ``.venv/bin/python bench/bench_gazetteer.py``); results are written to
``bench/results/gazetteer.txt`` (``--out`` elsewhere; ``--label`` names the code measured). Every figure comes
from fresh subprocesses of the interpreter running this script, with the package found as it finds it (run with
``PYTHONPATH=src`` to measure a checkout, or with another tree first on the path to measure that one):

1. **load**: import + open the index + one look-up, median of 5 processes; peak RSS of such a process;
2. **two processes**: two processes open the index and geoparse the eval texts (touching much of it) at the same
   time; their RSS and PSS (``/proc/self/smaps_rollup``: PSS counts a page shared by two processes half in each)
   and the part of both that is shared;
3. **one document**: wall time (and CPU time) of ``conflict-map extract`` on ``bench/article_600.txt``, a
   600-word invented article, median of 5 after one warm-up run (target <= 0.6 s);
4. **throughput**: documents per second geoparsing ``../shared/eval/gwn.jsonl`` on one core after start-up,
   median of 3 processes (target >= 500 docs/s), wall and CPU time: the first pass over the texts (caches and
   index pages touched for the first time) and the steady state (best of two more passes).

The page cache is warm (the warm-up run), as it is for a user. Figures vary with the load of the machine: CPU
times are given beside wall times because they vary less.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "gazetteer.txt"
ARTICLE = HERE / "article_600.txt"
EVAL = HERE.parents[1] / "shared" / "eval"

LOAD_SNIPPET = """
import json, resource, time
t0 = time.perf_counter()
from conflict_map.gazetteer.index import get_gazetteer
gaz = get_gazetteer()
gaz.lookup("Al Qaem")
t1 = time.perf_counter()
rss = int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize() / 2**20
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": t1 - t0, "rss_mb": rss, "peak_mb": peak}))
"""

BASE_SNIPPET = """
import json, resource
import numpy, conflict_map.models
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

#: Loads, works, says "ready", waits for a line, measures its memory, says it, waits for a line, exits.
SHARED_SNIPPET = """
import json, sys
from conflict_map.geoparse.pipeline import geoparse, get_gazetteer
gaz = get_gazetteer()
for line in open(sys.argv[1], encoding="utf-8"):
    geoparse(json.loads(line)["text"], gaz)
print("ready", flush=True)
sys.stdin.readline()
mem = {}
for line in open("/proc/self/smaps_rollup"):
    parts = line.split()
    if len(parts) == 3 and parts[2] == "kB":
        mem[parts[0].rstrip(":")] = int(parts[1]) / 1024
index = {"Rss": 0.0, "Pss": 0.0}
current = None
for line in open("/proc/self/smaps"):
    parts = line.split()
    if parts and "-" in parts[0] and len(parts) >= 5:
        current = parts[-1] if len(parts) >= 6 else None
    elif current and current == str(getattr(gaz, "path", "")) and parts and parts[0] in ("Rss:", "Pss:"):
        index[parts[0].rstrip(":")] += int(parts[1]) / 1024
mem["index"] = index
print(json.dumps(mem), flush=True)
sys.stdin.readline()
"""

THROUGHPUT_SNIPPET = """
import json, sys, time
from conflict_map.geoparse.pipeline import geoparse, get_gazetteer
gaz = get_gazetteer()
docs = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
geoparse(docs[0], gaz)
passes = []
for _ in range(3):  # the first pass pays for first touches (caches, index pages); the others are steady
    t0, c0 = time.perf_counter(), time.process_time()
    for d in docs:
        geoparse(d, gaz)
    passes.append((len(docs) / (time.perf_counter() - t0), len(docs) / (time.process_time() - c0)))
print(json.dumps({"docs": len(docs), "first": passes[0], "steady": max(passes[1:]),
                  "chars_per_doc": sum(map(len, docs)) / len(docs)}))
"""

#: One thread per process; byte code cached as in a normal installation (the warm-up run writes it).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}


def run(snippet: str, *args: str) -> dict:
    """Run a snippet in a fresh interpreter; its last output line is JSON."""
    out = subprocess.run([sys.executable, "-c", snippet, *args], capture_output=True, text=True, check=True, env=ENV)
    return json.loads(out.stdout.strip().splitlines()[-1])


def load_figures(repeats: int) -> list[str]:
    """Load time and memory of one process."""
    loads = [run(LOAD_SNIPPET) for _ in range(repeats)]
    base = run(BASE_SNIPPET)
    med = statistics.median(r["seconds"] for r in loads)
    rss = statistics.median(r["rss_mb"] for r in loads)
    peak = statistics.median(r["peak_mb"] for r in loads)
    return [
        f"load (import + open the index + one look-up), median of {repeats} fresh processes: {med:.3f} s",
        f"  RSS after it: {rss:.0f} MB, peak {peak:.0f} MB (interpreter + numpy alone: {base['peak_mb']:.0f} MB)",
    ]


def shared_figures(corpus: Path) -> list[str]:
    """RSS and PSS of two processes that use the gazetteer at the same time."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SHARED_SNIPPET, str(corpus)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        for _ in range(2)
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    mems = []
    for p in procs:  # measured while both are alive
        p.stdin.write("measure\n")
        p.stdin.flush()
        mems.append(json.loads(p.stdout.readline()))
    for p in procs:
        p.stdin.write("exit\n")
        p.stdin.flush()
        p.wait(timeout=60)
    lines = [f"two processes, each having geoparsed {corpus.name}, measured while both run:"]
    for i, m in enumerate(mems, 1):
        shared = m["Shared_Clean"] + m["Shared_Dirty"]
        private = m["Private_Clean"] + m["Private_Dirty"]
        lines.append(
            f"  process {i}: RSS {m['Rss']:.0f} MB, PSS {m['Pss']:.0f} MB (shared {shared:.0f} MB, private"
            f" {private:.0f} MB); of which the index file: RSS {m['index']['Rss']:.0f} MB,"
            f" PSS {m['index']['Pss']:.0f} MB"
        )
    rss, pss = sum(m["Rss"] for m in mems), sum(m["Pss"] for m in mems)
    lines.append(f"  both: RSS {rss:.0f} MB, PSS {pss:.0f} MB (PSS: the memory they take together)")
    return lines


def cli_figures(repeats: int) -> list[str]:
    """Wall and CPU time of one ``conflict-map extract`` call."""
    cmd = [sys.executable, "-m", "conflict_map.cli.main", "extract", str(ARTICLE)]
    subprocess.run(cmd, capture_output=True, check=True, env=ENV)  # warm-up (page cache, index built)
    walls, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, env=ENV)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    words = len(ARTICLE.read_text(encoding="utf-8").split())
    return [
        f"one document: `conflict-map extract` on a {words}-word article, median of {repeats}:"
        f" {statistics.median(walls):.3f} s wall, {statistics.median(cpus):.3f} s CPU (target <= 0.6 s)"
    ]


def throughput_figures(corpus: Path) -> list[str]:
    """Documents per second on one core after start-up: first pass, and steady (best of passes 2 and 3)."""
    tp = [run(THROUGHPUT_SNIPPET, str(corpus)) for _ in range(3)]

    def med(part: str, i: int) -> float:
        return statistics.median(r[part][i] for r in tp)

    return [
        f"throughput on {corpus.name} ({tp[0]['docs']} docs, {tp[0]['chars_per_doc']:.0f} chars/doc), one core, after"
        f" start-up, median of 3 processes (target >= 500 docs/s):",
        f"  first pass {med('first', 0):.0f} docs/s wall ({med('first', 1):.0f} CPU);"
        f" steady {med('steady', 0):.0f} docs/s wall ({med('steady', 1):.0f} CPU)",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=RESULTS, help="results file (default: bench/results/gazetteer.txt)")
    ap.add_argument("--label", default="", help="what is measured (written at the top of the results)")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    run(LOAD_SNIPPET)  # the index is built if needed, the page cache warm
    load = os.getloadavg()[0]
    lines = [f"{args.label or 'conflict-map'}: {time.strftime('%Y-%m-%d %H:%M')}, load average {load:.1f} at start"]
    lines += load_figures(args.repeats)
    corpus = EVAL / "gwn.jsonl"
    if corpus.exists():
        lines += shared_figures(corpus)
    lines += cli_figures(args.repeats)
    if corpus.exists():
        lines += throughput_figures(corpus)
    text = "\n".join(lines)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
