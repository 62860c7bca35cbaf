"""Benchmark: ingest 10,000 generated ~600-word articles into a fresh corpus with the real geoparser.

Run by hand: ``.venv/bin/python bench/bench_ingest.py`` (``--n``, ``--runs``, ``--jobs``). Results go to
``bench/results/ingest.txt``. Each run is a fresh subprocess (``conflict-map ingest`` on a JSONL file into
a new database), so timings include loading the gazetteer and peak memory is that of a cold process:
``ru_maxrss`` of the ingest process and, separately, of its largest geoparser worker.

The corpus is generated from this file's own sentence templates (no copied text): place names, numbers,
dates and actors vary, and a share of the sentences carry distractors (people named after places,
tribes) and measured-distance claims, so the geoparser does realistic work.

Targets (issue 5): 10,000 articles in <= 2 minutes, memory <= 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "ingest.txt"

TOWNS = [
    "Mosul", "Tikrit", "Ramadi", "Fallujah", "Haditha", "Hit", "Rawa", "Anah", "Al Qaim", "Albu Kamal",
    "Deir ez-Zor", "Raqqa", "Palmyra", "Kirkuk", "Erbil", "Samarra", "Baiji", "Baghdad", "Basra", "Najaf",
    "Karbala", "Hasakah", "Qamishli", "Aleppo", "Homs", "Damascus", "Tal Afar", "Sinjar", "Rutba",
    "Habbaniyah", "Tuz Khurmatu", "Hawija", "Makhmour", "Qayyarah", "Sharqat", "Baqubah", "Kut", "Amarah",
    "Nasiriyah", "Samawah", "Hillah", "Zakho", "Dohuk", "Sulaymaniyah", "Halabja", "Manbij", "Kobani",
    "Tabqa", "Mayadin", "Amerli",
]  # fmt: skip
PROVINCES = ["Anbar", "Nineveh", "Salahaddin", "Diyala", "Kirkuk province", "Deir ez-Zor province", "Babil"]
COUNTRIES = ["Iraq", "Syria", "Jordan", "Turkey", "Iran", "Saudi Arabia"]
PEOPLE = ["Abu Bakr al-Baghdadi", "Abu Omar al-Iraqi", "Ahmed al-Mosuli", "Hassan al-Tikriti", "Omar Haditha"]
GROUPS = [
    "the Albu Mahal tribe",
    "a local militia",
    "the provincial council",
    "an aid convoy",
    "army engineers",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

TEMPLATES = [
    "Fighting broke out on the outskirts of {t1} on {day}, residents said.",
    "{g} reported that the road between {t1} and {t2} was closed for {n} hours.",
    "Officials in {p} said {n} families had left {t1} since the start of the month.",
    "The convoy travelled from {t1} towards {t2}, a journey of about {km} kilometres.",
    "{person} was quoted as saying that the situation in {t1} remained tense.",
    "Aid workers in {t2} warned that water supplies could run out within {n} days.",
    "A spokesman for {g} said patrols had been stepped up along the border with {c}.",
    "Markets in {t1} reopened after {n} days, although many shops stayed shut.",
    "Engineers began repairing the bridge over the river near {t2} on {day}.",
    "According to a report from {t1}, at least {n} people were injured in the blast.",
    "The governor of {p} visited {t2} and promised new funds for reconstruction.",
    "Troops moved north from {t1}, which lies roughly {km} km from {t2}.",
    "Local radio in {t2} broadcast appeals for blood donors throughout the night.",
    "Talks between {g} and officials from {c} ended without agreement.",
    "Farmers near {t1} said the harvest had been lost for the second year running.",
    "Schools in {p} remained closed, and teachers in {t2} said they had not been paid.",
    "Witnesses described long queues at the fuel station on the main road out of {t1}.",
    "The hospital in {t2} said it had received {n} wounded since {day}.",
]

FILLER = [
    "The claims could not be independently verified.",
    "It was not clear how many people were still trapped.",
    "Prices for bread and cooking gas have risen sharply.",
    "Several families said they had nowhere else to go.",
    "A curfew remained in force after dark.",
]


def make_article(i: int, words: int = 600) -> dict[str, str]:
    """One deterministic invented article of about ``words`` words."""
    rng = random.Random(i * 7919 + 17)
    towns = rng.sample(TOWNS, 6)
    out: list[str] = []
    n_words = 0
    while n_words < words:
        tpl = rng.choice(TEMPLATES) if rng.random() < 0.8 else rng.choice(FILLER)
        s = tpl.format(
            t1=rng.choice(towns),
            t2=rng.choice(towns),
            p=rng.choice(PROVINCES),
            c=rng.choice(COUNTRIES),
            person=rng.choice(PEOPLE),
            g=rng.choice(GROUPS).capitalize() if tpl.startswith("{g}") else rng.choice(GROUPS),
            day=rng.choice(DAYS),
            n=rng.randint(2, 400),
            km=rng.choice([15, 40, 60, 85, 120, 150, 210, 300]),
        )
        out.append(s)
        n_words += len(s.split())
    paras = [" ".join(out[k : k + 5]) for k in range(0, len(out), 5)]
    month = 1 + i % 12
    return {
        "id": f"gen-{i}",
        "title": f"Report {i} from {towns[0]}",
        "date": f"2024-{month:02d}-{1 + i % 28:02d}",
        "url": f"https://example.org/news/{i}",
        "text": "\n\n".join(paras),
    }


def write_corpus(path: Path, n: int) -> int:
    words = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            a = make_article(i)
            words += len(a["text"].split())
            fh.write(json.dumps(a, ensure_ascii=False) + "\n")
    return words


RUN_SNIPPET = """
import json, resource, sys, time
t0 = time.perf_counter()
from conflict_map.store.sqlite import Corpus
from conflict_map.ingest.batch import ingest_paths
with Corpus(sys.argv[1]) as c:
    rep = ingest_paths([sys.argv[2]], c, jobs=int(sys.argv[3]), batch_size=200, progress=False)
    problems = c.check()
    n = c.count_articles()
print(json.dumps({
    "seconds": time.perf_counter() - t0, "added": rep.added, "failed": len(rep.failed), "articles": n,
    "mentions": rep.mentions, "problems": problems,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "cpu_s": sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                 for f in ("ru_utime", "ru_stime")),
}))
"""


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                kids = (task / "children").read_text().split()
                todo += [int(k) for k in kids]
        except OSError:
            continue
    return out


def _mem_mb(pids: list[int]) -> tuple[float, float]:
    """(sum of PSS, sum of RSS) in MB over ``pids``; PSS splits shared pages fairly between processes."""
    pss = rss = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss += int(line.split()[1])
        except OSError:
            continue
    return pss / 1024, rss / 1024


def run_once(jsonl: Path, jobs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "bench.sqlite"
        proc = subprocess.Popen(
            [sys.executable, "-c", RUN_SNIPPET, str(db), str(jsonl), str(jobs)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        peak_pss = peak_rss = 0.0
        while proc.poll() is None:
            pss, rss = _mem_mb(_tree(proc.pid))
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
            time.sleep(0.1)
        out, err = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(err)
        res = json.loads(out.strip().splitlines()[-1])
        res["tree_pss_mb"] = peak_pss
        res["tree_rss_mb"] = peak_rss
        res["db_mb"] = sum(f.stat().st_size for f in Path(d).iterdir()) / 1e6
        return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)

    lines = [
        f"# conflict-map ingest benchmark ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        f"# machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; load average at start "
        f"{os.getloadavg()[0]:.1f} (other processes on the machine slow the runs down)",
    ]
    with tempfile.TemporaryDirectory() as d:
        jsonl = Path(d) / "corpus.jsonl"
        t0 = time.perf_counter()
        words = write_corpus(jsonl, args.n)
        lines.append(
            f"corpus: {args.n} generated articles, {words / args.n:.0f} words each on average, "
            f"{jsonl.stat().st_size / 1e6:.1f} MB JSONL (generated in {time.perf_counter() - t0:.1f} s)"
        )
        print(lines[-1], flush=True)
        for jobs in dict.fromkeys(args.jobs):
            runs = []
            for r in range(args.runs):
                res = run_once(jsonl, jobs)
                res["load_avg_1min"] = round(os.getloadavg()[0], 1)
                runs.append(res)
                print(f"jobs={jobs} run {r + 1}: {json.dumps(res)}", flush=True)
                assert res["added"] == args.n and not res["problems"], res
            secs = statistics.median(x["seconds"] for x in runs)
            run_list = ", ".join(f"{x['seconds']:.1f} (load {x['load_avg_1min']})" for x in runs)
            rss = statistics.median(x["rss_mb"] for x in runs)
            crss = statistics.median(x["child_rss_mb"] for x in runs)
            pss = statistics.median(x["tree_pss_mb"] for x in runs)
            cpu = statistics.median(x["cpu_s"] for x in runs)
            lines.append(
                f"jobs={jobs}: median {secs:.1f} s for {args.n} articles = {args.n / secs:.0f} articles/s "
                f"(runs: {run_list} s); CPU time {cpu:.0f} s (all processes; wall time on an idle machine "
                f"is about CPU time / {min(jobs, os.cpu_count() or 1)}); "
                f"peak memory of all processes {pss:.0f} MB (PSS, sampled every 0.1 s); "
                f"peak RSS main process {rss:.0f} MB"
                + (f", largest worker {crss:.0f} MB" if jobs > 1 else "")
                + f"; {statistics.median(x['mentions'] for x in runs):.0f} mentions stored; "
                f"database {statistics.median(x['db_mb'] for x in runs):.0f} MB"
            )
            print(lines[-1], flush=True)
    lines.append("targets: 10,000 articles <= 120 s, memory <= 1024 MB")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
