"""Benchmark: ``ingest --engine dask`` against the local 2-process ingest, and what one worker core does.

Run by hand: ``.venv/bin/python bench/bench_cluster.py`` (``--n``, ``--runs``). Results go to
``bench/results/cluster.txt``. The corpus is bench_ingest.py's generated one (invented sentences).

1. **Same machine, same input.** ``conflict-map ingest --jobs 2`` (the local engine: two forked geoparser
   processes) and ``conflict-map ingest --engine dask --workers 2`` (a local Dask cluster: two worker
   processes of one thread, a scheduler, the client) on this 2-core machine, alternately, each a fresh
   process into a fresh database. Reported: the whole command's wall time (geoparser load, cluster start and
   worker warm-up included) and the ingest's own rate (the report's articles/s), median of the runs; the
   ratio dask / local (target >= 0.8). The two databases of the last pair are compared: the same articles with
   the same mentions (offsets and place ids) and counts.
2. **One worker core.** A scheduler (``dask scheduler``) and one worker (``dask worker --nthreads 1``) started
   as separate processes, as on a real cluster, and the client (``--scheduler``) in a third: the CPU seconds per
   article of the worker, the client (reading, hashing, storing in SQLite) and the scheduler, read from
   /proc before and after the run (after a warm-up run). Articles/hour per worker core = 3600 / worker CPU
   seconds per article; one client (one writer) stores at most 3600 / client CPU seconds per article.
3. **Projection** for a 10-million-article archive from those rates.
4. **PostGIS size**: the same generated articles ingested into a throwaway PostGIS server and into SQLite;
   bytes per mention of each, and the size of a 10-million-article archive (``--only-postgis`` runs only
   this part and appends its lines to ``--out``; ``--src`` runs another checkout's conflict-map).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_ingest import _mem_mb, _tree, write_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "cluster.txt"
BIN = Path(sys.executable).parent
ENV = dict(os.environ)
TICK = os.sysconf("SC_CLK_TCK")
ARCHIVE = 10_000_000


def cli(*args: str) -> list[str]:
    """The ``conflict-map`` command of this checkout."""
    return [sys.executable, "-m", "conflict_map.cli.main", *args]


def use_sources(root: Path) -> None:
    """Run the conflict-map of the checkout at ``root`` (``src/`` first on the path, here and in the runs)."""
    ENV["PYTHONPATH"] = str(root / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")
    sys.path.insert(0, str(root / "src"))


def run_ingest(jsonl: Path, db: Path | str, *engine: str, batch: int = 200) -> dict:
    """One ``conflict-map ingest`` process: its JSON report, wall time, CPU of its process tree, peak PSS."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cli("ingest", str(jsonl), "--db", str(db), "--batch", str(batch), "--no-progress", "--json", *engine),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
        text=True,
    )
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, _mem_mb(_tree(proc.pid))[0])
        time.sleep(0.2)
    wall = time.perf_counter() - t0
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"{engine}: exit {proc.returncode}: {err}")
    rep = json.loads(out)
    rep.update(wall=wall, pss_mb=peak, load=os.getloadavg()[0])
    return rep


def stored(db: Path) -> dict[str, list[tuple[int, int, str]]]:
    """ext_id -> the mentions stored (offsets, place id)."""
    from conflict_map.store.sqlite import Corpus

    with Corpus(db) as c:
        return {
            a.ext_id: [(m.start, m.end, m.place.id if m.place else "") for m in c.load_mentions(a.id)]
            for a in c.list_articles(limit=10**9)
        }


def compare(n: int, runs: int, jsonl: Path, work: Path) -> tuple[list[str], dict]:
    """Part 1: local --jobs 2 against dask --workers 2, alternately."""
    engines = {"local --jobs 2": ("--jobs", "2"), "dask --workers 2": ("--engine", "dask", "--workers", "2")}
    res: dict[str, list[dict]] = {k: [] for k in engines}
    for r in range(runs):
        order = list(engines) if r % 2 == 0 else list(reversed(engines))
        for name in order:
            db = work / f"{name.split()[0]}-{r}.sqlite"
            rep = run_ingest(jsonl, db, *engines[name])
            assert rep["added"] == n and not rep["failed"], rep
            res[name].append(rep)
            print(f"{name} run {r + 1}: {json.dumps(rep)}", flush=True)
    lines = []
    med: dict[str, dict[str, float]] = {}
    for name, reps in res.items():
        wall = statistics.median(x["wall"] for x in reps)
        rate = statistics.median(x["articles_per_second"] for x in reps)
        med[name] = {"wall": wall, "rate": rate}
        runs_txt = ", ".join(f"{x['wall']:.1f} s (load {x['load']:.1f})" for x in reps)
        lines.append(
            f"{name}: whole command median {wall:.1f} s = {n / wall:.0f} articles/s (runs: {runs_txt}); ingest "
            f"rate median {rate:.0f} articles/s; peak memory of all processes {max(x['pss_mb'] for x in reps):.0f} "
            f"MB (PSS); {reps[-1]['mentions']} mentions stored"
        )
    loc, dsk = med["local --jobs 2"], med["dask --workers 2"]
    pairs = list(zip(res["local --jobs 2"], res["dask --workers 2"], strict=True))  # run back to back
    wall_ratio = statistics.median(a["wall"] / b["wall"] for a, b in pairs)
    rate_ratio = statistics.median(b["articles_per_second"] / a["articles_per_second"] for a, b in pairs)
    lines.append(
        f"dask / local throughput: {wall_ratio:.2f}x for the whole command, {rate_ratio:.2f}x for the ingest rate "
        f"(medians of the {len(pairs)} back-to-back pairs; ratio of the medians {loc['wall'] / dsk['wall']:.2f}x and "
        f"{dsk['rate'] / loc['rate']:.2f}x; target >= 0.8x)"
    )
    a, b = stored(work / f"local-{runs - 1}.sqlite"), stored(work / f"dask-{runs - 1}.sqlite")
    same = a == b
    lines.append(
        f"same places and mention counts: {'yes' if same else 'NO'} ({len(a)} articles, "
        f"{sum(map(len, a.values()))} mentions local, {sum(map(len, b.values()))} dask; offsets and place ids "
        "of every mention compared)"
    )
    return lines, {"same": same, **{f"{k}_{m}": v for k, d in med.items() for m, v in d.items()}}


def _cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by ``pids``."""
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICK


def _start(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, stdout=log.open("w"), stderr=subprocess.STDOUT, env=ENV)


def _measure(jsonl: Path, db: Path, engine: tuple[str, ...], worker: int, sched: int) -> dict[str, float]:
    """One client run against the running cluster: wall time and CPU seconds of worker, client and scheduler."""
    w0, s0, t0 = _cpu(_tree(worker)), _cpu([sched]), os.times()
    rep = run_ingest(jsonl, db, *engine)
    w1, s1, t1 = _cpu(_tree(worker)), _cpu([sched]), os.times()
    client = (t1.children_user + t1.children_system) - (t0.children_user + t0.children_system)
    return {"wall": rep["wall"], "worker": w1 - w0, "client": client, "scheduler": s1 - s0, "mentions": rep["mentions"]}


def one_core(n: int, small: tuple[Path, int], jsonl: Path, warm: Path, work: Path) -> tuple[list[str], dict]:
    """Part 2: CPU per article of one worker, the client and the scheduler, each its own process.

    Per-article costs are marginal: (run of ``n`` articles - run of the ``small`` file) / the difference in
    articles, so that fixed costs (starting the client process, connecting, checking the workers) drop out.
    """
    sched_file = work / "scheduler.json"
    sched = _start(
        [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
         "--scheduler-file", str(sched_file)],
        work / "scheduler.log",
    )  # fmt: skip
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not sched_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(sched_file.read_text())["address"]
        worker = _start(
            [str(BIN / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1",
             "--no-dashboard"],
            work / "worker.log",
        )  # fmt: skip
        engine = ("--engine", "dask", "--scheduler", address)
        run_ingest(warm, work / "warm.sqlite", *engine)  # the worker loads the geoparser
        a = _measure(small[0], work / "small.sqlite", engine, worker.pid, sched.pid)
        b = _measure(jsonl, work / "one.sqlite", engine, worker.pid, sched.pid)
    finally:
        for p in (worker, sched):
            if p is not None:
                p.terminate()
                p.wait(timeout=30)
    extra = n - small[1]
    per = {k: (b[k] - a[k]) / extra for k in ("wall", "worker", "client", "scheduler")}
    lines = [
        f"one worker core (a scheduler, one worker of one thread and the client as separate processes): "
        f"{b['wall']:.1f} "
        f"s for {n} articles, {a['wall']:.1f} s for {small[1]}; per article (the difference between the two runs, "
        f"so fixed costs drop out): {per['wall'] * 1000:.2f} ms wall = {3600 / per['wall']:,.0f} articles/hour; CPU "
        f"{per['worker'] * 1000:.2f} ms in the worker, {per['client'] * 1000:.2f} ms in the client (reading, "
        f"hashing, storing in SQLite), {per['scheduler'] * 1000:.2f} ms in the scheduler; fixed cost of a client "
        f"run {a['wall'] - small[1] * per['wall']:.1f} s; {b['mentions'] / n:.1f} mentions per article",
    ]
    return lines, {"per": per, "mentions_per_article": b["mentions"] / n, "db_mb": _db_mb(work / "one.sqlite")}


def _db_mb(db: Path) -> float:
    return sum(f.stat().st_size for f in db.parent.glob(db.name + "*")) / 1e6


def projection(n: int, one: dict) -> list[str]:
    """Part 3: what 10 million articles need, from the measured per-article CPU."""
    per = one["per"]
    core_rate = 3600 / per["worker"]  # articles per hour per worker core, CPU-bound
    client_max = 3600 / per["client"]  # one client (one writer) on a core of its own
    sched_max = 3600 / max(per["scheduler"], 1e-9)
    lines = [
        f"projection for {ARCHIVE:,} articles: {core_rate:,.0f} articles/hour per worker core -> "
        f"{ARCHIVE / core_rate:,.0f} worker core-hours; one client stores at most {client_max:,.0f} articles/hour "
        f"(SQLite here; {ARCHIVE / client_max:,.1f} h for the archive at that ceiling); the scheduler's CPU per "
        f"article allows {sched_max:,.0f}/hour"
    ]
    for cores in (8, 16, 32, 64, 128):
        rate = min(cores * core_rate, client_max, sched_max)
        bound = "workers" if rate == cores * core_rate else ("client" if rate == client_max else "scheduler")
        lines.append(f"  {cores:>3} worker cores: {ARCHIVE / rate:6.1f} h ({bound}-bound)")
    mpa = one["mentions_per_article"]
    lines.append(
        f"  SQLite size measured here: {one['db_mb'] * 1e6 / (n * mpa):.0f} bytes per mention ({mpa:.0f} mentions "
        f"per generated article, text included) -> {one['db_mb'] * 1e6 / n * ARCHIVE / 1e9:,.0f} GB for "
        f"{ARCHIVE:,} such articles"
    )
    return lines


def postgis_size(jsonl: Path, n: int, root: Path, work: Path) -> list[str]:
    """Part 4: bytes per mention of a PostGIS corpus and of a SQLite one, the same ``n`` articles ingested.

    The server is a throwaway one (``tests/pg_server.py``: initdb in a temporary folder, loopback only); the
    size is the database's minus that of an empty database with PostGIS, after VACUUM (tables and indexes).
    """
    sys.path.insert(0, str(root / "tests"))
    try:
        from pg_server import Server, missing
    except ImportError:
        return ["PostGIS size: not measured (no tests/pg_server.py in this checkout)"]
    if why := missing():
        return [f"PostGIS size: not measured ({why})"]
    server = Server()
    try:
        empty, url = server.new_database(), server.new_database()
        rep = run_ingest(jsonl, url)
        sizes = {}
        for name, u in (("empty", empty), ("corpus", url)):
            dbname = u.rsplit("/", 1)[1]
            with server.admin(dbname) as conn:
                conn.execute("VACUUM")
                sizes[name] = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    finally:
        server.stop()
    sqlite = run_ingest(jsonl, work / "size.sqlite")
    sq_bytes = _db_mb(work / "size.sqlite") * 1e6
    pg_bytes = sizes["corpus"] - sizes["empty"]
    m = rep["mentions"]
    per_art = m / n
    return [
        f"PostGIS size ({n} generated articles, {m} mentions, {per_art:.0f} per article; tables and indexes, after "
        f"VACUUM): {pg_bytes / 1e6:.1f} MB = {pg_bytes / m:.0f} bytes per mention, text included; SQLite "
        f"{sq_bytes / 1e6:.1f} MB = {sq_bytes / sqlite['mentions']:.0f} bytes per mention "
        f"(PostGIS / SQLite {pg_bytes / sq_bytes:.2f}x)",
        f"  -> {ARCHIVE:,} articles: {ARCHIVE * per_art * pg_bytes / m / 1e9:,.0f} GB in PostGIS at {per_art:.0f} "
        f"mentions per article (these generated ones), {ARCHIVE * 28 * pg_bytes / m / 1e9:,.0f} GB at 28 per "
        "article (the eval texts: ~1.5 million mentions in ~54,000 articles)",
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--src", type=Path, default=ROOT, help="the checkout whose conflict-map is run (default: this)")
    ap.add_argument("--postgis", type=int, default=2000, metavar="N", help="articles for the size part (0: skip)")
    ap.add_argument("--only-postgis", action="store_true", help="only the size part, appended to --out")
    args = ap.parse_args(argv)
    use_sources(args.src)
    if args.only_postgis:
        with tempfile.TemporaryDirectory(prefix="cm-bench-cluster-") as d:
            jsonl = Path(d) / "corpus.jsonl"
            write_corpus(jsonl, args.postgis)
            lines = postgis_size(jsonl, args.postgis, args.src, Path(d))
        with args.out.open("a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        print("\n".join(lines))
        return 0
    lines = [
        f"# conflict-map cluster benchmark ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        f"# machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; load average at start "
        f"{os.getloadavg()[0]:.1f} (other processes on the machine slow the runs down)",
    ]
    with tempfile.TemporaryDirectory(prefix="cm-bench-cluster-") as d:
        work = Path(d)
        jsonl, warm, small = work / "corpus.jsonl", work / "warm.jsonl", work / "small.jsonl"
        words = write_corpus(jsonl, args.n)
        write_corpus(warm, 50)
        write_corpus(small, args.n // 5)
        lines.append(
            f"corpus: {args.n} generated articles, {words / args.n:.0f} words each, batches of 200; each run a "
            "fresh process into a fresh database"
        )
        part1, _ = compare(args.n, args.runs, jsonl, work)
        lines += part1
        print("\n".join(part1), flush=True)
        part2, one = one_core(args.n, (small, args.n // 5), jsonl, warm, work)
        lines += part2 + projection(args.n, one)
        if args.postgis:
            write_corpus(small, args.postgis)
            lines += postgis_size(small, args.postgis, args.src, work)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[-8:]))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
