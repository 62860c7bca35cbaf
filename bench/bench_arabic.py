"""Geoparser speed on Arabic text against English, per character (issue "Arabic-language articles").

Both articles were written for the project (``article_600.txt`` in English, ``article_600_ar.txt`` an Arabic
text on the same invented events). Each is geoparsed ``--runs`` times after a warm-up (the gazetteer is opened
and the caches filled once, as in a running app); the median time per 1,000 characters is reported, and the
ratio Arabic / English (target: at most 1.5).

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


def per_kchar(text: str, runs: int) -> tuple[float, int]:
    """Median seconds per 1,000 characters over ``runs`` geoparses of ``text``, and the mentions found."""
    gaz = get_gazetteer()
    found = len(geoparse(text, gaz).places)  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        geoparse(text, gaz)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) / len(text) * 1000, found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    en = (HERE / "article_600.txt").read_text(encoding="utf-8")
    ar = (HERE / "article_600_ar.txt").read_text(encoding="utf-8")
    en_s, en_n = per_kchar(en, args.runs)
    ar_s, ar_n = per_kchar(ar, args.runs)
    print(f"English: {len(en):,} chars, {en_n} places, {en_s * 1000:.2f} ms per 1,000 chars")
    print(f"Arabic:  {len(ar):,} chars, {ar_n} places, {ar_s * 1000:.2f} ms per 1,000 chars")
    print(f"Arabic / English per character: {ar_s / en_s:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
