"""Ten readers at once: N sessions open the dashboard together on one server and click markers.

    .venv/bin/python bench/bench_dashboard_load.py                 # both modes, 10 readers, real geoparser
    .venv/bin/python bench/bench_dashboard_load.py --mode replayed --rounds 8
    .venv/bin/python bench/bench_dashboard_load.py --mode browsers --sessions 5 --clicks 4 --fake

Two ways to put ten readers on the server:

* ``browsers``: every reader is a Chromium context on this machine (no shared cache, like ten pupils' laptops),
  all opening the sample briefing at the same moment, then clicking markers one after another, each time waiting
  until the page shows the clicked place selected. The browsers run on the same 2 cores as the server, so this
  measures mostly Chromium: each fresh context needs ~3-5 CPU-seconds to draw the page.
* ``replayed``: the readers' browsers are elsewhere, as in a classroom. One real session is recorded first (on a
  server of its own) - the files it fetched and the messages that started page runs - then, for ``--rounds``
  rounds, one Chromium reader (measured as above) and N-1 replayed readers start together: each replayed reader
  fetches the same files and sends the same messages over its own websocket, so the server does the same work
  for it (``replay_sessions.py``) while no drawing competes for the cores.

Measured: page open to the markers painted and to all markers (p50/p95), marker click to updated page (p50/p95),
the click's page run, errors (a Streamlit exception box, a page error, a failed open or replay), requests that
left 127.0.0.1, the server's peak RSS (VmHWM); for replayed readers: page open (every file fetched and the first
page run sent, map included) and each later page run. Writes ``bench/results/dashboard_load.txt``. Targets
(issue 10): p95 open <= 10 s, p95 click <= 1.5 s, 0 errors, 0 outside requests, peak RSS <= 1.5 GB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from playwright.async_api import Page, async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dashboard import CHROMIUM_ARGS, CLICK_AND_WAIT_JS, LOCAL, MAP_FRAME, PAINTED_JS, start_server  # noqa: E402
from replay_sessions import Recording, attach_recorder, replay  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "dashboard_load.txt"


def pct(xs: list[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation; NaN for no data."""
    if not xs:
        return float("nan")
    if len(xs) == 1:
        return xs[0]
    return statistics.quantiles(xs, n=100, method="inclusive")[max(0, min(98, round(q * 100) - 1))]


class RssWatch(threading.Thread):
    """Polls a process's resident memory; ``peak`` is the largest VmRSS seen and the kernel's VmHWM."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.stop = pid, 0, threading.Event()

    def _read(self, key: str) -> int:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def run(self) -> None:
        while not self.stop.wait(0.2):
            self.peak_kb = max(self.peak_kb, self._read("VmRSS:"), self._read("VmHWM:"))


async def session(
    i: int, browser: Any, base: str, clicks: int, out: dict[str, list[Any]], rec: Recording | None = None
) -> None:
    ctx = await browser.new_context(viewport={"width": 1400, "height": 950})
    await ctx.add_init_script(PAINTED_JS)
    page: Page = await ctx.new_page()
    if rec is not None:
        attach_recorder(page, base, rec)
    page.on("request", lambda r: out["outside"].append(r.url) if not r.url.startswith(LOCAL) else None)
    page.on("pageerror", lambda e: out["errors"].append(f"session {i}: page error {e}"))
    try:
        t0 = time.perf_counter()
        await page.goto(base, timeout=120_000)
        fr = page.frame_locator(MAP_FRAME)
        markers = fr.locator(".leaflet-marker-pane > *")
        await markers.first.wait_for(state="visible", timeout=120_000)
        n = await markers.count()
        await markers.nth(n - 1).wait_for(state="visible", timeout=60_000)
        out["open"].append(time.perf_counter() - t0)
        await page.wait_for_function("() => window.__cmMarkersPainted", timeout=60_000)
        out["painted"].append(float(await page.evaluate("window.__cmMarkersPainted")) / 1000)
        await page.locator("button[data-place]").first.wait_for(state="attached", timeout=60_000)
        ids = await page.locator("button[data-place]").evaluate_all("els => els.map(e => e.dataset.place)")
        for k in range(clicks):
            pid = ids[(i + k * 3) % len(ids)]
            try:
                t1 = time.perf_counter()
                ms = await page.evaluate(
                    CLICK_AND_WAIT_JS,
                    [f'.leaflet-marker-icon:has([data-place="{pid}"])', f'mark.cm-sel[data-place="{pid}"]'],
                )
                out["click"].append(ms / 1000)
                # the page's run that the click starts has finished: it writes the place into the address
                await page.wait_for_function(
                    "(pid) => new URLSearchParams(location.search).get('place') === pid", arg=pid, timeout=60_000
                )
                out["run"].append(time.perf_counter() - t1)
            except Exception as exc:  # noqa: BLE001 - a timeout is an error of the run, counted
                out["errors"].append(f"session {i}: click {k} {type(exc).__name__}: {str(exc)[:120]}")
            await page.wait_for_timeout(400)
        if await page.locator('[data-testid="stException"]').count():
            out["errors"].append(f"session {i}: exception shown on the page")
    except Exception as exc:  # noqa: BLE001
        out["errors"].append(f"session {i}: {type(exc).__name__}: {str(exc)[:160]}")
    finally:
        await ctx.close()


async def run(base: str, sessions: int, clicks: int) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {"open": [], "painted": [], "click": [], "run": [], "errors": [], "outside": []}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        await asyncio.gather(*(session(i, browser, base, clicks, out) for i in range(sessions)))
        await browser.close()
    return out


def _new_out() -> dict[str, list[Any]]:
    return {"open": [], "painted": [], "click": [], "run": [], "errors": [], "outside": []}


async def record(base: str, clicks: int) -> Recording:
    """One browser session's requests and run messages (open, the map's first report, ``clicks`` clicks)."""
    rec = Recording()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        await session(0, browser, base, clicks, _new_out(), rec)
        await browser.close()
    return rec


async def run_replayed(
    base: str, rec: Recording, sessions: int, clicks: int, rounds: int
) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """``rounds`` times: one real browser session and ``sessions - 1`` replayed readers start at once."""
    out, rep = _new_out(), {"open": [], "run": [], "errors": [], "cold": []}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for r in range(rounds):
            n = len(rep["open"])
            await asyncio.gather(
                session(r, browser, base, clicks, out), *(replay(base, rec, rep) for _ in range(sessions - 1))
            )
            if r == 0:  # the first round's opens wait for the server's start (gazetteer, layers, the sample)
                rep["cold"] = rep["open"][n:]
        await browser.close()
    return out, rep


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _figures(name: str, xs: list[float], target: str = "") -> str:
    xs = sorted(xs)
    return (
        f"{name}: n={len(xs)} p50 {pct(xs, 0.5):.2f} s  p95 {pct(xs, 0.95):.2f} s  "
        f"max {max(xs, default=float('nan')):.2f} s{'   ' + target if target else ''}"
    )


def _browser_lines(out: dict[str, list[Any]]) -> list[str]:
    return [
        _figures("page open to the markers painted (in the page)", out["painted"], "target p95 <= 10 s"),
        _figures("page open to all markers (Playwright's wait)", out["open"]),
        _figures("marker click -> updated page", out["click"], "target p95 <= 1.5 s"),
        _figures("marker click -> the page's run finished (the place in the address)", out["run"]),
        f"errors: {len(out['errors'])}  {out['errors'][:5]}",
        f"requests that left 127.0.0.1: {len(out['outside'])} {sorted(set(out['outside']))[:5]}",
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--clicks", type=int, default=6)
    ap.add_argument("--fake", action="store_true", help="the tests' fake geoparser")
    ap.add_argument("--warm", action="store_true", help="open the page once before the sessions start")
    ap.add_argument("--url", help="use a server already running there (e.g. under a profiler); no RSS figure")
    ap.add_argument(
        "--mode",
        choices=("browsers", "replayed", "both"),
        default="both",
        help="browsers: every session a Chromium on this machine; replayed: one Chromium and the other readers "
        "replayed at the protocol level (readers on their own machines); both (default)",
    )
    ap.add_argument("--rounds", type=int, default=8, help="replayed mode: rounds of SESSIONS readers at once")
    args = ap.parse_args(argv)
    if args.url:
        out = asyncio.run(run(args.url, args.sessions, args.clicks))
        print({k: (sorted(v) if k in ("open", "click") else v[:3]) for k, v in out.items()})
        return 0
    lines = [f"# bench_dashboard_load.py  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"]
    if args.mode in ("browsers", "both"):
        lines += _measure_browsers(args)
    if args.mode in ("replayed", "both"):
        lines += _measure_replayed(args)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


def _on_watched_server(fake: bool, work: Any) -> tuple[Any, float, float]:
    """Start a server, run ``work(base_url)`` while watching its memory: (result, wall seconds, peak RSS in MB)."""
    proc, base = start_server(fake)
    watch = RssWatch(proc.pid)
    watch.start()
    try:
        t0 = time.perf_counter()
        result = work(base)
        wall = time.perf_counter() - t0
    finally:
        watch.stop.set()
        watch.join()
        _stop(proc)
    return result, wall, watch.peak_kb / 1024


def _measure_browsers(args: argparse.Namespace) -> list[str]:
    """Every reader a Chromium context on this machine, all opening at once (browsers and server share the cores)."""

    def work(base: str) -> dict[str, list[Any]]:
        if args.warm:
            asyncio.run(run(base, 1, 0))
        return asyncio.run(run(base, args.sessions, args.clicks))

    out, wall, peak_mb = _on_watched_server(args.fake, work)
    return [
        f"## {args.sessions} Chromium sessions on this machine: server and browsers share the {os.cpu_count()} "
        f"cores ({platform.machine()}); geoparser: {'fake' if args.fake else 'real'}; sample briefing; server "
        f"{'warm' if args.warm else 'cold'} at the start; {args.clicks} marker clicks per session; wall {wall:.1f} s",
        *_browser_lines(out),
        f"server peak RSS: {peak_mb:.0f} MB   target <= 1536 MB",
        "",
    ]


def _measure_replayed(args: argparse.Namespace) -> list[str]:
    """One Chromium reader measured while the others, replayed at the protocol level, load the server."""
    proc, base = start_server(args.fake)
    try:
        rec = asyncio.run(record(base, args.clicks))  # on a server of its own: the measured one starts cold
    finally:
        _stop(proc)
    (out, rep), wall, peak_mb = _on_watched_server(
        args.fake, lambda base: asyncio.run(run_replayed(base, rec, args.sessions, args.clicks, args.rounds))
    )
    return [
        f"## {args.sessions} readers at once, {args.rounds} rounds: each round one Chromium session on this machine "
        f"and {args.sessions - 1} readers replayed at the protocol level (their browsers elsewhere: the same "
        f"{len(set(rec.paths))} files fetched, the same {len(rec.runs)} page runs asked for); server cold at the "
        f"first round; {args.clicks} clicks per reader; wall {wall:.1f} s",
        "### the Chromium reader of each round",
        *_browser_lines(out),
        _figures("page open to the markers painted, rounds 2-N (server warm)", out["painted"][1:]),
        "### the replayed readers",
        _figures(
            "page open: every file fetched and the first page run sent, map included", rep["open"], "target p95 <= 10 s"
        ),
        _figures("the same, rounds 2-N (server warm)", rep["open"][len(rep["cold"]) :], "target p95 <= 10 s"),
        _figures("each later page run (the map's first report, each click)", rep["run"], "target p95 <= 1.5 s"),
        f"errors: {len(rep['errors'])}  {rep['errors'][:5]}",
        f"server peak RSS: {peak_mb:.0f} MB   target <= 1536 MB",
        "",
    ]


if __name__ == "__main__":
    sys.exit(main())
