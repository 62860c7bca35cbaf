"""Benchmark: an archive of ~54,000 articles / ~1.5 million mentions loaded and exported on SQLite and PostGIS.

Run by hand: ``.venv/bin/python bench/bench_archive.py``; results go to ``bench/results/archive.txt``.

1. Geoparses the shared eval texts (``../shared/eval/{gwn,trnews,lgl,geovirus}.jsonl``) once, two or three
   texts to an article (about 28 mentions each), and writes PARSED.jsonl lines as ``conflict-map extract
   --jsonl`` does (the record's fields next to ``mentions``): the articles repeated with new ids, dates spread
   over ten years and a line ``(Archive copy N.)`` appended so that every text is new to the corpus. The
   benchmark measures loading and exporting, not parsing.
2. For each backend (a SQLite file; a throwaway PostgreSQL 15 + PostGIS server started like the tests'),
   runs, each in a fresh child process whose peak RSS is read with ``wait4``: ``conflict-map load``, then
   ``export`` to GeoJSON, to GeoParquet (places) and to GeoParquet (``--layer mentions``).
3. Compares the exports of the two backends (GeoJSON text without its time stamp; Parquet tables).

Target (issue 12): ``load`` and each export within 500 MB peak memory; identical exports on both backends.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "archive.txt"
EVAL = ROOT.parent / "shared" / "eval"
SOURCES = ("gwn", "trnews", "lgl", "geovirus")
LIMIT_MB = 500
CLI = "import sys; from conflict_map.cli.main import main; sys.exit(main(sys.argv[1:]))"


def base_articles(folder: Path = EVAL) -> list[dict]:
    """Two or three eval texts to an article (one in three articles gets two), geoparsed once."""
    from conflict_map.geoparse.pipeline import geoparse

    docs = [json.loads(line) for s in SOURCES for line in (folder / f"{s}.jsonl").open(encoding="utf-8")]
    out = []
    for k in range(len(docs)):
        size = 2 if k % 3 == 0 else 3
        text = "\n\n".join(docs[(k + j) % len(docs)]["text"] for j in range(size))
        mentions = [m.to_dict() for m in geoparse(text).mentions]
        out.append({"id": docs[k]["id"], "text": text, "publisher": f"Wire {k % 7}", "mentions": mentions})
    return out


def write_parsed(path: Path, n_articles: int, folder: Path = EVAL) -> tuple[int, int]:
    """PARSED.jsonl with ``n_articles`` lines; ``(articles, mentions)``."""
    base = base_articles(folder)
    n = mentions = 0
    with path.open("w", encoding="utf-8") as fh:
        copy = 0
        while n < n_articles:
            for k, b in enumerate(base):
                if n >= n_articles:
                    break
                rec = dict(b)
                rec["id"] = f"{b['id']}-copy{copy}"
                rec["text"] = b["text"] + f"\n\n(Archive copy {copy}.)"  # after every mention: offsets unchanged
                rec["title"] = f"Archive {copy} / {b['id']}"
                rec["date"] = f"{2015 + copy % 10}-{k % 12 + 1:02d}-{k % 28 + 1:02d}"
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
                mentions += len(b["mentions"])
            copy += 1
    return n, mentions


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """``conflict-map ARGS`` in a child process: ``(seconds, peak RSS in MB, output)``."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CLI, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"conflict-map {' '.join(args)} failed ({proc.returncode}):\n{output[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, output.strip().splitlines()[-1] if output.strip() else ""


def bench_backend(name: str, db: str, parsed: Path, out: Path, env: dict[str, str]) -> list[tuple]:
    """Load and the three exports on one backend: ``(step, seconds, peak MB, last output line)``."""
    rows = []
    steps = [
        ("load", ["load", str(parsed), "--db", db, "--no-progress"]),
        ("export GeoJSON", ["export", "--db", db, "-o", str(out / f"{name}.geojson")]),
        ("export GeoParquet places", ["export", "--db", db, "-o", str(out / f"{name}-places.parquet")]),
        (
            "export GeoParquet mentions",
            ["export", "--db", db, "-o", str(out / f"{name}-mentions.parquet"), "--layer", "mentions"],
        ),
    ]
    for step, args in steps:
        seconds, mb, last = run(args, env)
        rows.append((step, seconds, mb, last))
        print(f"{name:8} {step:28} {seconds:8.1f} s {mb:7.0f} MB  {last}", flush=True)
    return rows


def same_exports(out: Path) -> list[str]:
    """Differences between the SQLite and the PostGIS exports (empty when identical)."""
    import pyarrow.parquet as pq

    diffs = []

    def text(p: Path) -> list[str]:
        return [line for line in p.read_text(encoding="utf-8").splitlines() if '"generated_at"' not in line]

    if text(out / "sqlite.geojson") != text(out / "postgis.geojson"):
        diffs.append("GeoJSON differs")
    for layer in ("places", "mentions"):
        if not pq.read_table(out / f"sqlite-{layer}.parquet").equals(pq.read_table(out / f"postgis-{layer}.parquet")):
            diffs.append(f"GeoParquet {layer} differs")
    return diffs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=54_000)
    ap.add_argument("--work", default="", help="folder for PARSED.jsonl and the outputs (default: a temp folder)")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/results/archive.txt")
    ap.add_argument("--eval", default=str(EVAL), help="folder of the shared eval JSONL files")
    args = ap.parse_args()
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]
    work = Path(args.work or tempfile.mkdtemp(prefix="cm-archive-"))
    work.mkdir(parents=True, exist_ok=True)
    parsed = work / f"parsed-{args.articles}.jsonl"
    t0 = time.perf_counter()
    n, mentions = write_parsed(parsed, args.articles, Path(args.eval))
    print(f"PARSED.jsonl: {n} articles, {mentions} mentions, {parsed.stat().st_size / 1e9:.2f} GB "
          f"({time.perf_counter() - t0:.0f} s)", flush=True)  # fmt: skip
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    import pg_server

    server = pg_server.Server()
    try:
        url = server.new_database()
        results = {
            "sqlite": bench_backend("sqlite", str(work / "archive.sqlite"), parsed, work, env),
            "postgis": bench_backend("postgis", url, parsed, work, env),
        }
        with server.admin() as conn:
            pg_bytes = conn.execute("SELECT pg_database_size(%s)", (url.rsplit("/", 1)[1],)).fetchone()[0]
    finally:
        server.stop()
    sizes = {"sqlite": (work / "archive.sqlite").stat().st_size, "postgis": pg_bytes}
    diffs = same_exports(work)
    report = render(n, mentions, parsed, results, sizes, diffs, work)
    print(report)
    if not args.no_write:
        RESULTS.write_text(report + "\n", encoding="utf-8")
    return 0 if not diffs and all(r[2] <= LIMIT_MB for rows in results.values() for r in rows) else 1


def render(n: int, mentions: int, parsed: Path, results: dict, sizes: dict, diffs: list[str], work: Path) -> str:
    """The results file."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"# conflict-map archive benchmark ({now}), {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}",
        f"archive: {n} articles, {mentions} mentions (PARSED.jsonl {parsed.stat().st_size / 1e9:.2f} GB; the shared "
        "eval texts, two or three to an article, repeated with new ids)",
        "each step in a fresh child process; peak = its maximum resident set size (wait4)",
        "",
        f"{'backend':8} {'step':28} {'seconds':>8} {'peak MB':>8}  result",
    ]
    for backend, rows in results.items():
        for step, seconds, mb, last in rows:
            ok = "" if mb <= LIMIT_MB else f"  OVER {LIMIT_MB} MB"
            lines.append(f"{backend:8} {step:28} {seconds:8.1f} {mb:8.0f}  {last}{ok}")
    for backend, rows in results.items():
        rate = n / rows[0][1]
        lines.append(f"{backend}: load {rate:,.0f} articles/s ({rate * 3600:,.0f}/hour)")
    lines.append(
        f"database size: SQLite {sizes['sqlite'] / 1e9:.2f} GB, PostGIS {sizes['postgis'] / 1e9:.2f} GB "
        f"({sizes['postgis'] / n / 1024:.1f} KB per article: 10 million articles ~ "
        f"{sizes['postgis'] / n * 1e7 / 1e12:.2f} TB)"
    )
    files = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.0f} MB" for p in sorted(work.glob("sqlite*")) if p.is_file())
    lines.append(f"exports (SQLite): {files}")
    lines.append("identical exports on both backends: " + ("yes" if not diffs else "NO: " + "; ".join(diffs)))
    lines.append(f"target: load and each export <= {LIMIT_MB} MB peak; identical exports on SQLite and PostGIS")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
