"""Benchmark: the corpus map with 10,000 articles and thousands of places (issue 5: opens in <= 3 s).

Run by hand: ``.venv/bin/python bench/bench_corpus_view.py``; results go to ``bench/results/corpus_view.txt``.

1. Builds a synthetic corpus directly through the storage API: 10,000 invented articles, each naming ~40
   places drawn (Zipf-like) from 3,000 invented places scattered over Iraq and Syria, dated over two years,
   from five sources. (The geoparser is not involved: this measures the view, not the parser.)
2. Times the plain functions: counts per place, map build + render, excerpts and time series of the
   busiest place.
3. Starts the real dashboard (``streamlit run app.py``) on 127.0.0.1 and opens the Corpus page in Debian's
   chromium through Playwright: time from navigation until the clustered markers are drawn (first load with
   cold caches, then reloads), the number of marker elements in the page, and how long a zoom-in takes to
   redraw the clusters.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from conflict_map.models import Candidate, Mention, ParseResult, Place
from conflict_map.store.sqlite import ArticleInput, Corpus

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "corpus_view.txt"
SYLLABLES = ["al", "qa", "ra", "ba", "ha", "di", "ma", "ku", "sa", "ta", "na", "ya", "mu", "ri", "fa", "za"]
KINDS = ["town"] * 6 + ["village"] * 3 + ["city", "base", "crossing", "province", "landmark"]


def make_places(n: int, rng: random.Random) -> list[Place]:
    out = []
    for i in range(n):
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        out.append(
            Place(
                id=f"bench:{i}",
                name=f"{name} {i}",
                kind=rng.choice(KINDS),
                lat=rng.uniform(31.0, 37.0),
                lon=rng.uniform(36.0, 47.0),
                country=rng.choice(["IQ", "SY"]),
                source="bench",
            )
        )
    return out


def make_article(
    i: int, places: list[Place], weights: list[float], rng: random.Random
) -> tuple[ArticleInput, ParseResult]:
    picks = rng.choices(places, weights=weights, k=40)
    text_parts: list[str] = []
    mentions: list[Mention] = []
    pos = 0
    for p in picks:
        before = f"Report {i}: fighting was reported near "
        sentence = f"{before}{p.name} on day {rng.randint(1, 28)}. "
        start = pos + len(before)
        mentions.append(
            Mention(start=start, end=start + len(p.name), text=p.name, sentence=sentence.strip(),
                    sentence_start=pos, candidates=[Candidate(p, 0.9)], place=p, confidence=0.9)
        )  # fmt: skip
        text_parts.append(sentence)
        pos += len(sentence)
    text = "".join(text_parts)
    day = i % 730
    date = time.strftime("%Y-%m-%d", time.gmtime(1_704_067_200 + day * 86400))
    art = ArticleInput(text=text, title=f"Report {i}", date=date, publisher=f"Source {i % 5}", ext_id=str(i))
    return art, ParseResult(text=text, mentions=mentions, body=(0, len(text)))


def build_db(path: Path, n_articles: int, n_places: int) -> None:
    rng = random.Random(7)
    places = make_places(n_places, rng)
    weights = [1.0 / (k + 1) ** 0.8 for k in range(n_places)]
    with Corpus(path) as c:
        batch = []
        for i in range(n_articles):
            batch.append(make_article(i, places, weights, rng))
            if len(batch) == 500:
                c.add_articles(batch)
                batch = []
        if batch:
            c.add_articles(batch)


def time_functions(path: Path) -> list[str]:
    from conflict_map.store.queries import mentions_over_time, place_excerpts, place_summaries
    from conflict_map.view import corpusmap

    lines = []
    with Corpus(path) as c:
        ts = []
        for _ in range(3):
            t = time.perf_counter()
            places = place_summaries(c, article_ids=False)
            ts.append(time.perf_counter() - t)
        lines.append(f"counts per place (SQL): median {statistics.median(ts):.2f} s for {len(places)} places")
        t = time.perf_counter()
        page = corpusmap.build_corpus_map(places).get_root().render()
        lines.append(f"map build + render: {time.perf_counter() - t:.2f} s, {len(page) / 1024:.0f} KB of HTML")
        top = places[0].place.id
        t = time.perf_counter()
        ex = place_excerpts(c, top, limit=200)
        took = time.perf_counter() - t
        lines.append(f"excerpts of the busiest place ({places[0].n_mentions} mentions): {took:.2f} s ({len(ex)} shown)")
        t = time.perf_counter()
        mentions_over_time(c, top)
        lines.append(f"mentions over time of the busiest place: {time.perf_counter() - t:.2f} s")
    return lines


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def time_browser(path: Path, loads: int) -> list[str]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return ["browser: playwright not installed, skipped"]
    port = _free_port()
    env = dict(os.environ, CONFLICT_MAP_DB=str(path))
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    lines: list[str] = []
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            )
            times = []
            markers = 0
            zoom = None
            for k in range(loads):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                t = time.perf_counter()
                page.goto(f"{base}/Corpus")
                frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
                frame.locator(".marker-cluster, .leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
                times.append(time.perf_counter() - t)
                if k == loads - 1:
                    markers = frame.locator(".leaflet-marker-pane > *").count()
                    shapes = frame.locator(".leaflet-overlay-pane path.leaflet-interactive").count()
                    t = time.perf_counter()
                    frame.locator(".leaflet-control-zoom-in").click()
                    page.wait_for_timeout(50)
                    frame.locator(".marker-cluster").first.wait_for(state="attached", timeout=10_000)
                    zoom = time.perf_counter() - t
                page.close()
            browser.close()
        lines.append(
            f"browser (chromium, Corpus page): first load {times[0]:.2f} s (cold caches); reloads median "
            f"{statistics.median(times[1:]) if len(times) > 1 else float('nan'):.2f} s "
            f"(loads: {', '.join(f'{x:.2f}' for x in times)} s)"
        )
        lines.append(
            f"after load: {markers} cluster/marker icons and {shapes} single-place circles in the DOM; "
            f"zoom-in redrawn in {zoom:.2f} s (includes a fixed 0.05 s wait)"
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--places", type=int, default=3_000)
    ap.add_argument("--loads", type=int, default=4)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    lines = [f"# conflict-map corpus view benchmark ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}), "
             f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"]  # fmt: skip
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "view.sqlite"
        t = time.perf_counter()
        build_db(db, args.articles, args.places)
        took = time.perf_counter() - t
        size = db.stat().st_size / 1e6
        lines.append(
            f"corpus: {args.articles} articles x 40 mentions over {args.places} places "
            f"(built in {took:.1f} s, {size:.0f} MB)"
        )
        print(lines[-1], flush=True)
        for line in time_functions(db):
            lines.append(line)
            print(line, flush=True)
        for line in time_browser(db, args.loads):
            lines.append(line)
            print(line, flush=True)
    lines.append("target: the corpus map opens in <= 3 s and stays responsive (clustered)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(json.dumps({"wrote": str(args.out)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
