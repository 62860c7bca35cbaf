"""Dashboard timing with Playwright + Debian chromium: cold open, click-to-update, bytes per rerun.

    .venv/bin/python bench/bench_dashboard.py            # real geoparser (needs `make setup`)
    .venv/bin/python bench/bench_dashboard.py --fake     # the tests' fake geoparser

Measures, on the sample briefing:

* page open to all markers visible: the first open after the server starts (gazetteer load included)
  and the median of fresh browser contexts (no browser cache) on the running server;
* marker click to updated page (the place's mentions highlighted in the text panel), median;
* text click (a highlighted mention) to updated page (the map popup of that place open), median;
* bytes the server sends over the websocket per rerun (median over the clicks).

Writes ``bench/results/dashboard.txt``. Targets (issue 4): open <= 2.5 s, click <= 0.6 s, <= 100 KB/rerun.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "dashboard.txt"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: URL prefixes that stay on the machine (data:/blob: are in-page, not network).
LOCAL = ("http://127.0.0.1", "data:", "blob:", "about:")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(fake: bool) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = dict(os.environ)
    if fake:
        env["CONFLICT_MAP_GEOPARSER"] = "dashboard_fake:geoparse"
        env["PYTHONPATH"] = str(ROOT / "tests")
    proc = subprocess.Popen(
        [sys.executable, "-m", "conflict_map.web.serve", f"--server.port={port}"],  # what `make run` runs
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1):
                return proc, base
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("streamlit did not start")


#: Added to every page before it loads: in the map's frame, the time (ms since the page's navigation began) of the
#: first animation frame with the map's markers laid out in a frame the page shows (the iframe has a height).
#: Playwright's own wait polls at up to 500 ms intervals; this is the moment a reader sees the pins.
PAINTED_JS = """
/* In the map frame: the first animation frame at which a marker of the map is laid out in a frame the page shows
   (its iframe has a height): ms since the top page's navigation began. */
(function () {
  if (window.top === window) { return; }
  var top0 = null;
  try { top0 = window.top.performance.timeOrigin; } catch (e) { return; }
  var iv = setInterval(function () {
    var pane = document.querySelector(".leaflet-marker-pane");
    var fe = window.frameElement;
    if (!(pane && pane.children.length && fe && fe.getBoundingClientRect().height > 0)) { return; }
    var shown = Array.prototype.some.call(pane.children, function (el) {
      var r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0;
    });
    if (!shown) { return; }
    clearInterval(iv);
    requestAnimationFrame(function () {
      window.top.__cmMarkersPainted = Math.round(performance.timeOrigin + performance.now() - top0);
    });
  }, 10);
})();
"""


def painted_s(page: Page) -> float:
    """Seconds from navigation to the first frame with the markers painted (see :data:`PAINTED_JS`)."""
    page.wait_for_function("() => window.__cmMarkersPainted", timeout=60_000)
    return float(page.evaluate("window.__cmMarkersPainted")) / 1000


def open_and_wait(page: Page, url: str) -> tuple[float, int]:
    """Seconds from navigation to every marker visible (Playwright's wait), and the marker count."""
    t0 = time.perf_counter()
    page.goto(url)
    fr = page.frame_locator(MAP_FRAME)
    fr.locator(".leaflet-marker-pane > *").first.wait_for(state="visible", timeout=60_000)
    n = fr.locator(".leaflet-marker-pane > *").count()
    # all markers laid out (Leaflet adds them in one go; wait for the last one to be visible)
    fr.locator(".leaflet-marker-pane > *").nth(n - 1).wait_for(state="visible", timeout=10_000)
    return time.perf_counter() - t0, n


#: In-page timing: click ``target`` (in the page, a shadow root or the map iframe) and resolve with the
#: milliseconds until ``done`` matches, watched by MutationObservers (no Playwright polling delay).
CLICK_AND_WAIT_JS = """
async ([target, done]) => {
  const frameDoc = () => document.querySelector('iframe[title="streamlit_folium.st_folium"]').contentDocument;
  const roots = () => [document, frameDoc(),
    ...[...document.querySelectorAll('*')].filter(e => e.shadowRoot).map(e => e.shadowRoot)];
  const find = (sel) => {
    for (const r of roots()) { const el = r && r.querySelector(sel); if (el) return el; }
    return null;
  };
  const el = find(target);
  if (!el) throw new Error('no element ' + target);
  return await new Promise((resolve, reject) => {
    const obs = [];
    const stop = () => obs.forEach(o => o.disconnect());
    const t0 = performance.now();
    const check = () => {
      if (find(done)) { stop(); resolve(performance.now() - t0); return true; }
      return false;
    };
    for (const r of roots()) {
      if (!r) continue;
      const o = new MutationObserver(check);
      o.observe(r, {subtree: true, childList: true, attributes: true});
      obs.push(o);
    }
    // shadow roots re-created on rerender: re-attach observers now and then
    const iv = setInterval(() => { for (const r of roots()) { if (r) { const o = new MutationObserver(check);
      o.observe(r, {subtree: true, childList: true, attributes: true}); obs.push(o); } } }, 50);
    setTimeout(() => { clearInterval(iv); stop(); reject(new Error('timeout ' + done)); }, 10000);
    const orig = resolve; resolve = (v) => { clearInterval(iv); orig(v); };
    const view = el.ownerDocument.defaultView;
    el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view}));
  });
}
"""


def idle(page: Page, timeout: float = 15.0) -> None:
    """Wait until Streamlit shows no running status."""
    page.wait_for_timeout(150)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=timeout * 1000)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fake", action="store_true", help="use the tests' fake geoparser")
    ap.add_argument("--opens", type=int, default=5)
    ap.add_argument("--clicks", type=int, default=8)
    args = ap.parse_args(argv)

    load_before = os.getloadavg()[0]
    proc, base = start_server(args.fake)
    lines: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            outside: list[str] = []

            def new_page() -> Any:
                ctx = browser.new_context(viewport={"width": 1500, "height": 1000})
                ctx.add_init_script(PAINTED_JS)
                pg = ctx.new_page()
                pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(LOCAL) else None)
                return ctx, pg

            ctx, page = new_page()
            first, n_markers = open_and_wait(page, base)
            ctx.close()
            opens, painted = [], []
            for _ in range(args.opens):
                ctx, page = new_page()
                t, _n = open_and_wait(page, base)
                opens.append(t)
                painted.append(painted_s(page))
                ctx.close()

            ctx, page = new_page()
            received: list[int] = []
            page.on(
                "websocket",
                lambda ws: ws.on(
                    "framereceived",
                    lambda payload: received.append(len(payload) if payload else 0),
                ),
            )
            open_and_wait(page, base)
            # the place list comes with the run the map's first report starts (a browser's first page is the
            # article and its map)
            page.locator("button[data-place]").first.wait_for(state="attached", timeout=60_000)
            idle(page)
            ids = page.locator("button[data-place]").evaluate_all("els => els.map(e => e.dataset.place)")

            marker_ms, marker_runs, marker_bytes = [], [], []
            for i in range(args.clicks):
                pid = ids[i % len(ids)]
                received.clear()
                # a DOM click on the marker icon (markers may overlap at this zoom, so no pointer click);
                # done when the page shows the place selected in the text panel (in the browser at once), and
                # again when the page's run that the click starts has finished
                t0 = time.perf_counter()
                ms = page.evaluate(
                    CLICK_AND_WAIT_JS,
                    [f'.leaflet-marker-icon:has([data-place="{pid}"])', f'mark.cm-sel[data-place="{pid}"]'],
                )
                marker_ms.append(ms / 1000)
                # the run has finished when it has written the place into the page's address (the shared link)
                page.wait_for_function(
                    "(pid) => new URLSearchParams(location.search).get('place') === pid", arg=pid, polling=10
                )
                marker_runs.append(time.perf_counter() - t0)
                idle(page)
                page.wait_for_timeout(300)
                marker_bytes.append(sum(received))

            text_ms, text_bytes = [], []
            for i in range(args.clicks):
                pid = ids[(i * 3 + 1) % len(ids)]
                received.clear()
                ms = page.evaluate(
                    CLICK_AND_WAIT_JS,
                    [f'mark[data-place="{pid}"]', f'.leaflet-popup-content .cm-popup[data-place="{pid}"]'],
                )
                text_ms.append(ms / 1000)
                idle(page)
                page.wait_for_timeout(300)
                text_bytes.append(sum(received))
            ctx.close()
            browser.close()

        def med(xs: list[float]) -> float:
            return statistics.median(xs) if xs else float("nan")

        lines = [
            f"# bench_dashboard.py  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
            f"# machine: {platform.machine()}, {os.cpu_count()} cores; "
            f"geoparser: {'fake' if args.fake else 'real'}; sample briefing, {n_markers} markers; "
            f"1-min load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
            "(other work on the machine slows the page open)",
            f"first open after server start (gazetteer load incl.): {first:.2f} s",
            f"cold page open to the markers painted (in the page: first frame), median of {len(painted)} fresh "
            f"contexts: {med(painted):.2f} s  (min {min(painted):.2f}, max {max(painted):.2f})   target <= 2.5 s",
            f"cold page open to all markers visible (Playwright's polling wait), median of {len(opens)}: "
            f"{med(opens):.2f} s  (min {min(opens):.2f}, max {max(opens):.2f})",
            f"marker click -> updated page, median of {len(marker_ms)}: {med(marker_ms):.2f} s"
            f"  (min {min(marker_ms):.2f}, max {max(marker_ms):.2f})   target <= 0.6 s",
            f"marker click -> the page's run finished (the place in the page's address), median of "
            f"{len(marker_runs)}: {med(marker_runs):.2f} s  (min {min(marker_runs):.2f}, max {max(marker_runs):.2f})",
            f"text click -> map popup open, median of {len(text_ms)}: {med(text_ms):.2f} s"
            f"  (min {min(text_ms):.2f}, max {max(text_ms):.2f})   target <= 0.6 s",
            f"bytes received per marker-click rerun, median: {med(marker_bytes) / 1024:.1f} KB   target <= 100 KB",
            f"bytes received per text-click rerun, median: {med(text_bytes) / 1024:.1f} KB",
            f"requests that left 127.0.0.1: {len(outside)} {sorted(set(outside))[:5]}",
        ]
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
