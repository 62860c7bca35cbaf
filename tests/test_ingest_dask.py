"""``ingest --engine dask``: same results as the local ingest, workers that die, unreachable schedulers.

A local Dask cluster of two worker processes (``distributed.LocalCluster``) stands in for a real one; the
geoparser is the fake one (``dask_hooks``, importable by the workers) except in the CLI test, which runs the
real geoparser on the tiny invented gazetteer. Texts are invented.
"""

from __future__ import annotations

import functools
import json
import socket
import sys
import types
from pathlib import Path

import pytest
from dask_hooks import kill_always, kill_once
from fake_geoparse import fake_geoparse, make_text
from gazetteer_tiny import build_tiny_index

from conflict_map.cli.main import main
from conflict_map.errors import UserError
from conflict_map.ingest import dask_engine as de
from conflict_map.ingest.batch import ingest_paths
from conflict_map.store.sqlite import Corpus

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

N = 60


@pytest.fixture(scope="module", autouse=True)
def plain_main():
    """A ``__main__`` without a file while the module runs: worker processes are spawned, and spawning re-runs
    ``__main__``'s file, which a Streamlit AppTest run earlier in this process may have left as a page script."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
        yield


@pytest.fixture(scope="module")
def cluster(plain_main):
    """Two worker processes of one thread; a task is given up after its second dead worker."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}), _cluster(2) as c:
        yield c


def _cluster(workers: int) -> distributed.LocalCluster:
    return distributed.LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=50,
    )


def _ingest_on(cluster: distributed.LocalCluster, parse: object, feed: Path, db: Path) -> object:
    """Ingest ``feed`` into ``db`` on ``cluster`` (batches of 10) with the geoparser ``parse``."""
    with de.dask_engine(scheduler=cluster.scheduler_address, parse=parse, batch_size=10) as engine, Corpus(db) as c:
        return ingest_paths([feed], c, engine=engine, batch_size=10, progress=False)


def _feed(tmp_path: Path, n: int = N) -> Path:
    lines = [json.dumps({"id": f"a{i}", "text": make_text(i, words=40), "title": f"T {i}"}) for i in range(n)]
    lines += ["{not json", json.dumps({"id": "dup", "text": make_text(3, words=40)})]  # a bad line, a duplicate
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return feed


def _stored(db: Path) -> dict[str, list[tuple[int, int, str]]]:
    """ext_id -> the mentions stored for it (offsets, place id)."""
    out = {}
    with Corpus(db) as c:
        assert c.check() == []
        for a in c.list_articles(limit=10_000):
            out[a.ext_id] = [(m.start, m.end, m.place.id if m.place else "") for m in c.load_mentions(a.id)]
    return out


def _local(tmp_path: Path, feed: Path) -> tuple[dict, object]:
    db = tmp_path / "local.sqlite"
    with Corpus(db) as c:
        rep = ingest_paths([feed], c, geoparse=fake_geoparse, batch_size=10, progress=False)
    return _stored(db), rep


def test_dask_ingest_stores_what_the_local_ingest_stores(tmp_path, cluster) -> None:
    feed = _feed(tmp_path)
    expected, local_rep = _local(tmp_path, feed)
    db = tmp_path / "dask.sqlite"
    with de.dask_engine(scheduler=cluster.scheduler_address, parse=fake_geoparse, batch_size=10) as engine:
        assert engine.threads == 2 and engine.ahead >= 2
        with Corpus(db) as c:
            rep = ingest_paths([feed], c, engine=engine, batch_size=10, progress=False)
        with Corpus(db) as c:  # run again: everything is already there
            again = ingest_paths([feed], c, engine=engine, batch_size=10, progress=False)
    assert (rep.added, rep.duplicates, rep.mentions) == (local_rep.added, local_rep.duplicates, local_rep.mentions)
    assert rep.added == N and rep.duplicates == 1 and [f for f, _ in rep.failed] == [f"{feed}:{N + 1}"]
    assert _stored(db) == expected
    assert again.added == 0 and again.duplicates == N + 1


def test_a_worker_killed_mid_run_loses_nothing_and_stores_nothing_twice(tmp_path, cluster) -> None:
    feed = _feed(tmp_path)
    expected, _ = _local(tmp_path, feed)
    marker = tmp_path / "killed"
    parse = functools.partial(kill_once, trigger="Report number 37.", marker=str(marker))
    db = tmp_path / "dask.sqlite"
    client = distributed.Client(cluster, set_as_default=False)
    before = set(client.run(lambda: __import__("os").getpid()).values())
    rep = _ingest_on(cluster, parse, feed, db)
    killed = int(marker.read_text())  # the worker really died: its pid was written just before
    assert killed in before
    client.wait_for_workers(2, timeout=30)  # the nanny started a new one
    assert killed not in client.run(lambda: __import__("os").getpid()).values()
    client.close()
    assert rep.added == N and len(rep.failed) == 1  # only the line that is not JSON
    assert _stored(db) == expected  # every article once, with the mentions the local ingest stores


def test_a_text_that_kills_every_worker_is_reported_and_the_rest_stored(tmp_path) -> None:
    """A task is given up at its first dead worker here: the text kills two of three workers, the third stays.

    (A worker killed while its nanny is still starting it is not restarted by distributed: the third worker
    keeps this test from depending on restarts.)
    """
    feed = _feed(tmp_path, n=20)
    parse = functools.partial(kill_always, trigger="Report number 7.", marker_dir=str(tmp_path))
    db = tmp_path / "dask.sqlite"
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), _cluster(3) as cluster:
        rep = _ingest_on(cluster, parse, feed, db)
    failed = dict(rep.failed)
    assert "died each time it geoparsed this text" in failed[f"{feed}:8"]
    assert rep.added == 19 and len(rep.failed) == 2
    assert sorted(_stored(db)) == sorted(f"a{i}" for i in range(20) if i != 7)
    assert len(list(tmp_path.glob("killed-*"))) == 2  # the task of 10 texts, then the text alone


def test_a_cluster_left_without_workers_ends_the_run_with_one_line(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(de, "WORKERS_TIMEOUT", 1.0)
    monkeypatch.setattr(de, "_POLL", 0.2)
    db = tmp_path / "c.sqlite"
    with _cluster(1) as cluster, de.dask_engine(scheduler=cluster.scheduler_address, parse=fake_geoparse) as engine:
        engine.client.retire_workers(close_workers=True)
        with Corpus(db) as c, pytest.raises(UserError, match="has had no workers for 1 s; the batches stored"):
            ingest_paths([_feed(tmp_path, n=5)], c, engine=engine, progress=False)
    with Corpus(db) as c:
        assert c.count_articles() == 0 and c.check() == []


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_is_one_line_and_nothing_is_written(tmp_path, capsys) -> None:
    assert de.CONNECT_TIMEOUT < 30  # the default gives up within 30 s
    feed = _feed(tmp_path, n=3)
    db = tmp_path / "never.sqlite"
    address = f"tcp://127.0.0.1:{_closed_port()}"
    args = ["ingest", str(feed), "--db", str(db), "--engine", "dask", "--scheduler", address]
    assert main([*args, "--connect-timeout", "1.5"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"conflict-map: error: cannot reach the Dask scheduler at {address} within 1.5 s")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not db.exists()  # the corpus is opened only once the cluster is reached


@pytest.mark.parametrize(
    "extra,message",
    [
        (["--workers", "2"], "--workers go with --engine dask"),
        (["--engine", "dask", "--jobs", "2"], "--jobs is for the local engine"),
        (["--engine", "dask", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "not both"),
        (["--engine", "dask", "--workers", "0"], "at least 1"),
        (["--engine", "dask", "--scheduler", "nonsense://x"], "not a Dask scheduler address"),
    ],
)
def test_engine_options_that_do_not_go_together(tmp_path, capsys, extra, message) -> None:
    db = tmp_path / "never.sqlite"
    assert main(["ingest", str(_feed(tmp_path, n=1)), "--db", str(db), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not db.exists()


def test_workers_without_the_gazetteer_stop_the_run_with_one_line(tmp_path, cluster, monkeypatch) -> None:
    missing = tmp_path / "nowhere" / "gazetteer.idx"
    monkeypatch.setenv("CONFLICT_MAP_GAZETTEER", str(missing))  # the client has no such file either
    with pytest.raises(UserError, match=r"a worker on .* cannot use the gazetteer: no gazetteer index at .*nowhere"):
        _ingest_on(cluster, None, _feed(tmp_path, n=1), tmp_path / "c.sqlite")
    assert not (tmp_path / "c.sqlite").exists()


def test_a_worker_with_another_index_is_refused(tmp_path) -> None:
    path = build_tiny_index(tmp_path / "tiny.idx")  # fingerprint "test"
    assert de._worker_gazetteer(str(path), "test").fingerprint == "test"
    with pytest.raises(de.WorkerSetupError, match="not the client's"):
        de._worker_gazetteer(str(path), "another")


def test_a_scheduler_without_workers_is_one_line(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(de, "WORKERS_TIMEOUT", 1.0)
    with _cluster(0) as c, pytest.raises(UserError, match="has no workers .* start them with `dask worker tcp://"):
        _ingest_on(c, fake_geoparse, _feed(tmp_path, n=1), tmp_path / "c.sqlite")


TINY_TEXTS = [
    "Shelling was reported in Braskovo on Monday. Residents of Quellport said the road was closed.",
    "Convoys left Camp Veltra for Quellport. The Zorvanian army said the bridge was repaired.",
    "Nothing happened in the valley today.",
    "Aid reached Ain al-Qarsh after the storm, officials in Zorvania said.",
]


def test_cli_dask_ingest_with_the_real_geoparser_matches_the_local_one(tmp_path, capsys) -> None:
    """`ingest --engine dask --workers 2` (its own local cluster) geoparses on the workers as the local ingest."""
    index = build_tiny_index(tmp_path / "tiny.idx")
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps({"id": f"t{i}", "text": t}) for i, t in enumerate(TINY_TEXTS)) + "\n")
    common = ["--gazetteer", str(index), "ingest", str(feed), "--no-progress", "--json"]
    assert main([*common, "--db", str(tmp_path / "local.sqlite"), "--jobs", "1"]) == 0
    local = json.loads(capsys.readouterr().out)
    assert main([*common, "--db", str(tmp_path / "dask.sqlite"), "--engine", "dask", "--workers", "2"]) == 0
    out = capsys.readouterr()
    rep = json.loads(out.out)
    assert rep["added"] == local["added"] == 4 and rep["mentions"] == local["mentions"] > 4
    assert _stored(tmp_path / "dask.sqlite") == _stored(tmp_path / "local.sqlite")
    assert "Traceback" not in out.err and "distributed" not in out.err


def test_a_local_cluster_that_fails_to_start_is_tried_again_then_reported() -> None:
    """A worker that does not come up in time fails LocalCluster with a bare AssertionError: one retry, then a line."""
    from types import SimpleNamespace

    from conflict_map.errors import UserError
    from conflict_map.ingest import dask_engine

    calls: list[int] = []

    def flaky(**_kw: object) -> str:
        calls.append(1)
        if len(calls) == 1:
            raise AssertionError
        return "cluster"

    assert dask_engine._local_cluster(SimpleNamespace(LocalCluster=flaky), 2) == "cluster"
    assert len(calls) == 2

    def broken(**_kw: object) -> str:
        raise AssertionError

    with pytest.raises(UserError, match="cannot start a local Dask cluster of 2 worker"):
        dask_engine._local_cluster(SimpleNamespace(LocalCluster=broken), 2)
