"""Browser tests: run the dashboard as ``make run`` does, once per session on 127.0.0.1; drive it with Debian chromium.

Never run ``playwright install``: the tests use ``/usr/bin/chromium`` (``make setup`` installs it).
The app runs with a fake geoparser (``tests/dashboard_fake.py``) unless ``CONFLICT_MAP_REAL_GEOPARSER=1``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-output"
CHROMIUM = os.environ.get("CONFLICT_MAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests run last: fast feedback first, and pytest-playwright's session-wide event loop
    # starts only after every other test (a plain sync_playwright() elsewhere would clash with it).
    # Among browser tests, those driving their own sync_playwright() go before the pytest-playwright ones.
    def uses_pytest_playwright(it: pytest.Item) -> bool:
        return bool({"page", "context", "browser"} & set(getattr(it, "fixturenames", ())))

    browser = [it for it in items if "browser" in it.keywords]
    for it in browser:  # under pytest-xdist (--dist loadgroup) every browser test runs on one worker, in this order
        it.add_marker(pytest.mark.xdist_group("browser"))
    items[:] = (
        [it for it in items if "browser" not in it.keywords]
        + [it for it in browser if not uses_pytest_playwright(it)]
        + [it for it in browser if uses_pytest_playwright(it)]
    )
    if not Path(CHROMIUM).exists() or not shutil.which("streamlit", path=str(Path(sys.executable).parent)):
        skip = pytest.mark.skip(reason=f"{CHROMIUM} or streamlit missing (run `make setup`)")
        for it in items:
            if "browser" in it.keywords:
                it.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


#: The corpus database (``CONFLICT_MAP_DB``) of each running app, by base URL.
APP_DB: dict[str, Path] = {}


def _run_app(tmp_path_factory: pytest.TempPathFactory, *, real_geoparser: bool) -> Iterator[str]:
    """Start the dashboard as ``make run`` does, on 127.0.0.1 and a free port; yield its base URL; stop it."""
    port = _free_port()
    db = tmp_path_factory.mktemp("corpus") / "corpus.sqlite"
    env = {
        **os.environ,
        "CONFLICT_MAP_DB": str(db),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")]),
    }
    if not real_geoparser:
        env["CONFLICT_MAP_GEOPARSER"] = "dashboard_fake:geoparse"
    else:
        env.pop("CONFLICT_MAP_GEOPARSER", None)
    OUT.mkdir(exist_ok=True)
    log = open(OUT / ("streamlit-real.log" if real_geoparser else "streamlit.log"), "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "conflict_map.web.serve", f"--server.port={port}"],  # what `make run` runs
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    APP_DB[base] = db
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start; see {log.name}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running dashboard with the deterministic fake geoparser (real one with CONFLICT_MAP_REAL_GEOPARSER=1)."""
    yield from _run_app(tmp_path_factory, real_geoparser=bool(os.environ.get("CONFLICT_MAP_REAL_GEOPARSER")))


@pytest.fixture(scope="session")
def app_db(app_url: str) -> Path:
    """The corpus database the ``app_url`` server reads (its Corpus page, "Open from corpus", Present)."""
    return APP_DB[app_url]


@pytest.fixture(scope="session")
def real_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running dashboard with the real geoparser and gazetteer: the product as users get it."""
    yield from _run_app(tmp_path_factory, real_geoparser=True)


@pytest.fixture()
def outside_requests(page: Any) -> list[str]:
    """URLs the page requested that are not on 127.0.0.1 (fills while the test runs)."""
    seen: list[str] = []

    def on_request(req: Any) -> None:
        url = req.url
        if not (
            url.startswith("http://127.0.0.1")
            or url.startswith("data:")
            or url.startswith("blob:")
            or url.startswith("about:")
        ):
            seen.append(url)

    page.on("request", on_request)
    return seen


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1500, "height": 1000}}
