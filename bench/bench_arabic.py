"""Geoparser speed on Arabic text against English, per character (issue "Arabic-language articles").

Both articles were written for the project (``article_600.txt`` in English, ``article_600_ar.txt`` an Arabic
text on the same invented events). Each is geoparsed ``--runs`` times, taking turns, after a warm-up (the
gazetteer is opened and the caches filled once, as in a running app); the best and the median CPU time per
1,000 characters are reported (CPU time of this process, so that other processes' load does not count), and
the ratio Arabic / English (target: at most 1.5).

    PYTHONPATH=src python bench/bench_arabic.py [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from conflict_map.gazetteer.index import get_gazetteer
from conflict_map.geoparse.pipeline import geoparse

HERE = Path(__file__).resolve().parent


def timings(texts: dict[str, str], runs: int) -> dict[str, list[float]]:
    """CPU seconds per 1,000 characters of each text, ``runs`` times, the texts taking turns; after one warm-up
    parse of each."""
    gaz = get_gazetteer()
    for text in texts.values():
        geoparse(text, gaz)
    out: dict[str, list[float]] = {name: [] for name in texts}
    for _ in range(runs):
        for name, text in texts.items():
            t0 = time.process_time()  # CPU time of this process: other processes' load does not count
            geoparse(text, gaz)
            out[name].append((time.process_time() - t0) / len(text) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    texts = {
        "English": (HERE / "article_600.txt").read_text(encoding="utf-8"),
        "Arabic": (HERE / "article_600_ar.txt").read_text(encoding="utf-8"),
    }
    gaz = get_gazetteer()
    t = timings(texts, args.runs)
    for name, text in texts.items():
        print(
            f"{name + ':':<8} {len(text):,} chars, {len(geoparse(text, gaz).places)} places, per 1,000 chars: "
            f"best {min(t[name]) * 1000:.2f} ms, median {statistics.median(t[name]) * 1000:.2f} ms"
        )
    best = min(t["Arabic"]) / min(t["English"])
    median = statistics.median(t["Arabic"]) / statistics.median(t["English"])
    print(f"Arabic / English per character: {best:.2f} best, {median:.2f} median (target <= 1.5)")


if __name__ == "__main__":
    main()
