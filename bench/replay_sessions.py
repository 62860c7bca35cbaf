"""Readers on other machines: a recorded browser session replayed at the protocol level, for load benchmarks.

A classroom's readers open the dashboard on their own laptops; a benchmark that runs ten Chromium instances on
the server's own two cores measures mostly Chromium (each fresh browser context spends ~3-5 CPU-seconds drawing
the page). To load the *server* as ten readers would, one real browser session is recorded once, what it asked
of the server: the HTTP requests (page, scripts, styles, component frames, basemap layers) and the websocket
messages that start page runs (open, the map component's first report, each click). A replayed reader then
makes the same requests and sends the same messages over its own websocket, so the server does the same work
(a session, its page runs, every delta and file sent), while the drawing happens nowhere.

Used by ``bench_dashboard_load.py --mode replayed``.
"""

from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


@dataclass
class Recording:
    """What one browser session asked of the server: same-origin HTTP paths and the run-starting messages."""

    paths: list[str] = field(default_factory=list)
    runs: list[bytes] = field(default_factory=list)


def is_run_request(payload: bytes) -> bool:
    """Whether a websocket message from the page asks the server for a page run (``rerun_script``)."""
    msg = BackMsg()
    try:
        msg.ParseFromString(payload)
    except Exception:  # noqa: BLE001 - a frame that is no BackMsg is not replayed
        return False
    return msg.WhichOneof("type") == "rerun_script"


def attach_recorder(page: Any, base: str, rec: Recording) -> None:
    """Record a Playwright page's same-origin HTTP requests and its run-starting websocket messages."""

    def on_request(req: Any) -> None:
        if req.url.startswith(base) and not req.url.startswith(base + "/_stcore/stream"):
            rec.paths.append(req.url[len(base) :])

    def on_ws(ws: Any) -> None:
        ws.on("framesent", lambda payload: rec.runs.append(payload) if _is_run(payload) else None)

    page.on("request", on_request)
    page.on("websocket", on_ws)


def _is_run(payload: Any) -> bool:
    return isinstance(payload, bytes) and is_run_request(payload)


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=120) as resp:
            return len(resp.read())
    except urllib.error.HTTPError as exc:
        if exc.code == 404 and "/media/" in url:  # a media file's name is the session's own: the download
            return 0  # buttons' files differ per session and are fetched only when pressed
        raise OSError(f"{url}: {exc}") from exc
    except OSError as exc:
        raise OSError(f"{url}: {exc}") from exc


async def _fetch_all(base: str, paths: list[str], parallel: int = 6) -> int:
    """GET every path (six at a time, as a browser does per host); the bytes received."""
    sem = asyncio.Semaphore(parallel)

    async def one(path: str) -> int:
        async with sem:
            return await asyncio.to_thread(_get, base + path)

    return sum(await asyncio.gather(*(one(p) for p in dict.fromkeys(paths))))


async def _until_run_finished(ws: Any, timeout: float) -> int:
    """Read forward messages until the page run has finished; the bytes received."""
    got = 0
    deadline = time.perf_counter() + timeout
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError("page run not finished")
        data = await asyncio.wait_for(ws.recv(), left)
        got += len(data)
        msg = ForwardMsg()
        msg.ParseFromString(data)
        if msg.WhichOneof("type") == "script_finished":
            return got


async def replay(base: str, rec: Recording, out: dict[str, list[Any]], pause: float = 0.4) -> None:
    """One replayed reader: fetch the page's files, open a session, send each recorded run and wait for it.

    Appends to ``out``: ``open`` (seconds until every file is fetched and the first page run has sent the whole
    page, map included), ``run`` (seconds per later page run: the map's first report, each click) and
    ``errors``."""
    t0 = time.perf_counter()
    ws_url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
    try:
        later = ("/media/", "/component/")  # made or registered by the page run: asked for after it, as a page does
        static = [p for p in rec.paths if not p.startswith(later)]
        files = asyncio.create_task(_fetch_all(base, static))
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, origin=base) as ws:
            await ws.send(rec.runs[0])
            await _until_run_finished(ws, 120)
            await files
            await _fetch_all(base, [p for p in rec.paths if p.startswith(later)])
            out["open"].append(time.perf_counter() - t0)
            for payload in rec.runs[1:]:
                await asyncio.sleep(pause)
                t1 = time.perf_counter()
                await ws.send(payload)
                await _until_run_finished(ws, 60)
                out["run"].append(time.perf_counter() - t1)
    except Exception as exc:  # noqa: BLE001 - a failed replay is an error of the run, counted
        out["errors"].append(f"replayed reader: {type(exc).__name__}: {str(exc)[:160]}")
