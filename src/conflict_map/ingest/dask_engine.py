"""Geoparse on a Dask cluster: ``conflict-map ingest --engine dask``.

The client (the ``conflict-map ingest`` process) reads the inputs, skips texts already stored (content hash)
and stores the results, as with the local engine: it is the only writer. This engine only sends the texts
of each batch to the workers of a Dask cluster (``distributed``), in tasks of :data:`CHUNK` texts, and
gathers the results in order.

* ``--scheduler tcp://HOST:PORT`` uses a running cluster (``dask scheduler``, ``dask worker tcp://...``);
  ``--workers N`` starts a local one (N processes of one thread each) for this run.
* Workers open the gazetteer index by path (the ``--gazetteer`` / ``$CONFLICT_MAP_GAZETTEER`` file, else the
  client's cached one): the path is shipped, the memory-mapped file opened once per worker process, never
  rebuilt there. Before the run each worker opens it, checks it is the client's index (same fingerprint) and
  the same conflict-map and weights versions, and warms the geoparser up; a worker that cannot stops the run
  with one clear line.
* A worker that dies mid-run: the scheduler runs its tasks again on another worker (the nanny restarts the
  dead one). A task that keeps killing workers (``distributed.scheduler.allowed-failures``) is split into one
  task per text, run one after the other, and a text that still kills its worker is reported and skipped.
  Nothing is stored twice: each batch is stored once, in one transaction, by the client, and texts are keyed
  by their hash.
* A scheduler that cannot be reached: one line within :data:`CONNECT_TIMEOUT` seconds, before the corpus is
  opened; a scheduler lost mid-run, or a cluster left without workers for :data:`WORKERS_TIMEOUT` seconds:
  one line, the batches stored so far are kept (run again to resume).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import socket
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import CancelledError
from typing import Any

from conflict_map.errors import UserError
from conflict_map.gazetteer.index import Gazetteer, get_gazetteer, index_path, open_gazetteer
from conflict_map.ingest.engines import GeoparseFn, Outcome, parse_or_error

#: Texts per Dask task: a tenth of a second of geoparsing, so the scheduler's cost per task (~1 ms) is small.
CHUNK = 16
#: Seconds to reach the scheduler before giving up (the issue asks for a clear error within 30 s).
CONNECT_TIMEOUT = 20.0
#: Seconds to wait for a scheduler's first worker (and, mid-run, for any worker when none is left).
WORKERS_TIMEOUT = 60.0
#: Seconds between checks that the cluster still has workers while a task is awaited.
_POLL = 5.0
#: At most this many batches are geoparsed ahead of the one being stored (memory on the client).
MAX_AHEAD = 64
_WARM_UP = "Warm-up: Baghdad."


def _one_line(exc: BaseException, limit: int = 300) -> str:
    """``Type: message`` on one line, cut at ``limit`` characters (Dask's messages span several lines)."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class WorkerSetupError(Exception):
    """A worker cannot geoparse as the client would (no gazetteer index there, another index or version)."""


# --------------------------------------------------------------------------- on the workers


def _worker_gazetteer(path: str, fingerprint: str) -> Gazetteer:
    """The index at ``path`` on this worker, checked against the client's ``fingerprint``."""
    try:
        gaz = open_gazetteer(path)
    except UserError as exc:
        raise WorkerSetupError(f"a worker on {socket.gethostname()} cannot use the gazetteer: {exc}") from None
    if fingerprint and gaz.fingerprint != fingerprint:
        raise WorkerSetupError(
            f"the gazetteer index {path} on {socket.gethostname()} is not the client's (built from other "
            "sources): copy the same index file to every worker"
        )
    return gaz


def parse_chunk(texts: Sequence[str], parse: GeoparseFn | None, gazetteer: str, fingerprint: str) -> list[Outcome]:
    """The Dask task: geoparse ``texts`` with ``parse``, or the real geoparser on the index at ``gazetteer``."""
    if parse is None:
        from conflict_map.geoparse.pipeline import geoparse

        parse = functools.partial(geoparse, gaz=_worker_gazetteer(gazetteer, fingerprint))
    return [parse_or_error(parse, t) for t in texts]


def _versions() -> str:
    """What must be equal on the client and the workers for equal results: code and weights versions."""
    from conflict_map import __version__
    from conflict_map.geoparse.weights import default_weights

    return f"conflict-map {__version__}, weights version {default_weights().version}"


def prepare_worker(parse: GeoparseFn | None, gazetteer: str, fingerprint: str, versions: str) -> str:
    """Run once on each worker before the run: ``""`` when it can geoparse, else why not (one line)."""
    if parse is None and _versions() != versions:
        return f"a worker on {socket.gethostname()} runs {_versions()}, the client {versions}"
    try:
        parse_chunk([_WARM_UP], parse, gazetteer, fingerprint)  # opens the index, loads the models
    except WorkerSetupError as exc:
        return str(exc)
    return ""


# --------------------------------------------------------------------------- on the client


class _DaskBatch:
    """The tasks of one batch; :meth:`get` gathers them in order."""

    def __init__(self, engine: DaskEngine, chunks: list[list[str]], futures: list[Any]) -> None:
        self._engine = engine
        self._chunks = chunks
        self._futures = futures

    def get(self) -> list[Outcome]:
        out: list[Outcome] = []
        for texts, fut in zip(self._chunks, self._futures, strict=True):
            out += self._engine.collect(texts, fut)
        self._futures = []
        return out


class DaskEngine:
    """Geoparse batches on the workers of ``client`` (see the module docstring)."""

    def __init__(
        self,
        client: Any,
        *,
        parse: GeoparseFn | None = None,
        gazetteer: str = "",
        fingerprint: str = "",
        batch_size: int = 100,
        chunk: int = CHUNK,
    ) -> None:
        self.client = client
        self._args = (parse, gazetteer, fingerprint)
        self.threads = max(1, sum(client.nthreads().values()))
        self.chunk = max(1, chunk)
        # enough texts submitted to keep every worker thread busy while a batch is being stored
        self.ahead = min(MAX_AHEAD, max(2, math.ceil(4 * self.threads * self.chunk / max(1, batch_size))))
        self._outstanding: set[Any] = set()

    def describe(self) -> str:
        """The cluster in a few words, e.g. ``2 Dask worker(s), 2 thread(s), scheduler tcp://127.0.0.1:8786``."""
        n = len(self.client.nthreads())
        return f"{n} Dask worker(s), {self.threads} thread(s), scheduler {self.client.scheduler.address}"

    def _submit_chunk(self, texts: list[str]) -> Any:
        fut = self.client.submit(parse_chunk, texts, *self._args, pure=False)
        self._outstanding.add(fut)
        return fut

    def submit(self, texts: Sequence[str]) -> _DaskBatch:
        """Send ``texts`` in tasks of at most :attr:`chunk` texts, spread over the worker threads."""
        texts = list(texts)
        size = max(1, min(self.chunk, math.ceil(len(texts) / self.threads)))
        chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
        return _DaskBatch(self, chunks, [self._submit_chunk(c) for c in chunks])

    def collect(self, texts: list[str], fut: Any) -> list[Outcome]:
        """The outcomes of one task; a task that killed its workers is retried text by text."""
        from distributed import KilledWorker

        try:
            return self._result(fut)
        except KilledWorker as exc:
            if len(texts) == 1:
                return [f"a Dask worker died each time it geoparsed this text ({exc.allowed_failures + 1} times)"]
            # one text at a time, so that a text that kills its worker does not take the others' tries with it
            return [out for t in texts for out in self.collect([t], self._submit_chunk([t]))]
        finally:
            self._outstanding.discard(fut)

    def _result(self, fut: Any) -> list[Outcome]:
        """``fut``'s value; every way the cluster can fail but a killed worker ends the run with one line."""
        from distributed import KilledWorker

        try:
            return self._wait(fut)
        except WorkerSetupError as exc:
            raise UserError(str(exc)) from None
        except KilledWorker:
            raise
        except (CancelledError, OSError, TimeoutError) as exc:
            why = "" if isinstance(exc, CancelledError) else f" ({_one_line(exc)})"
            raise UserError(
                f"lost the connection to the Dask scheduler at {self.client.scheduler.address}{why}; the batches "
                "stored so far are kept: run the same command again to go on"
            ) from None
        except Exception as exc:  # noqa: BLE001 - e.g. a worker without conflict-map installed
            raise UserError(f"a Dask worker could not geoparse ({_one_line(exc)})") from None

    def _wait(self, fut: Any) -> list[Outcome]:
        """``fut.result()``, unless the cluster has had no worker for :data:`WORKERS_TIMEOUT` seconds."""
        alone_since = None
        while True:
            try:
                return fut.result(timeout=_POLL)
            except TimeoutError:
                if self.client.nthreads():
                    alone_since = None
                    continue
                alone_since = alone_since or time.monotonic()
                if time.monotonic() - alone_since > WORKERS_TIMEOUT:
                    raise UserError(
                        f"the Dask cluster at {self.client.scheduler.address} has had no workers for "
                        f"{WORKERS_TIMEOUT:g} s; the batches stored so far are kept: start workers and run the same "
                        "command again to go on"
                    ) from None

    def finish(self, *, abort: bool = False) -> None:
        """Cancel the tasks nobody will collect (the client and cluster are closed by :func:`dask_engine`)."""
        if abort and self._outstanding:
            with contextlib.suppress(Exception):
                self.client.cancel(list(self._outstanding))
        self._outstanding.clear()


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise UserError(
            "the Dask engine needs dask[distributed]: install it with `pip install 'conflict-map[cluster]'` "
            "(`make setup` does)"
        ) from None
    return distributed


def _gazetteer_for_workers(local: bool) -> tuple[str, str]:
    """The index path to ship and its fingerprint ("" when this machine has no such file to compare with)."""
    if local:
        gaz = get_gazetteer()  # built in the cache on first use, as the local ingest does
        return str(gaz.path), gaz.fingerprint
    path = index_path().expanduser().absolute()
    try:
        return str(path), open_gazetteer(path).fingerprint
    except UserError:
        return str(path), ""  # the client need not have it: each worker checks that it can open it


@contextlib.contextmanager
def _quiet_logs(level: int = logging.CRITICAL) -> Iterator[None]:
    """Within the block, Dask's own log lines below ``level`` are not printed (the ingest reports its own)."""
    names = ["distributed"] + [n for n in logging.Logger.manager.loggerDict if n.startswith("distributed.")]
    loggers = [logging.getLogger(n) for n in names]  # distributed sets some of its loggers' levels one by one
    before = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(level)
    try:
        yield
    finally:
        for lg, lvl in zip(loggers, before, strict=True):
            lg.setLevel(lvl)


def _connect(distributed: Any, scheduler: str, timeout: float) -> Any:
    try:
        return distributed.Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise UserError(
            f"cannot reach the Dask scheduler at {scheduler} within {timeout:g} s ({type(exc).__name__}): start "
            "one with `dask scheduler` and check the address"
        ) from None
    except (ValueError, TypeError) as exc:
        raise UserError(
            f"not a Dask scheduler address: {scheduler!r} ({_one_line(exc)}); expected tcp://HOST:PORT"
        ) from None


def _local_cluster(distributed: Any, workers: int, attempts: int = 2) -> Any:
    """A local cluster of ``workers`` one-thread processes on 127.0.0.1.

    A worker process that does not come up in time (a busy machine) fails the whole start with a bare assertion
    inside distributed; the start is tried ``attempts`` times before it is reported.
    """
    error: Exception | None = None
    for _ in range(attempts):
        try:
            return distributed.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                scheduler_port=0,
                dashboard_address="127.0.0.1:0",  # every port on the loopback interface, chosen free
                silence_logs=logging.CRITICAL,
            )
        except Exception as exc:  # noqa: BLE001 - whatever stops the processes from starting
            error = exc
    assert error is not None
    raise UserError(f"cannot start a local Dask cluster of {workers} worker(s): {_one_line(error)}") from None


def _prepare(client: Any, scheduler: str, parse: GeoparseFn | None, gazetteer: str, fingerprint: str) -> None:
    """Wait for a worker, then check and warm up every worker (one clear line for the first that fails)."""
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except (TimeoutError, OSError):
        raise UserError(
            f"the Dask scheduler at {scheduler} has no workers (waited {WORKERS_TIMEOUT:g} s): start them with "
            f"`dask worker {scheduler}`"
        ) from None
    try:
        problems = client.run(prepare_worker, parse, gazetteer, fingerprint, _versions())
    except Exception as exc:  # noqa: BLE001 - e.g. conflict-map not installed on a worker
        raise UserError(
            f"a Dask worker cannot run conflict-map ({_one_line(exc)}): install the project, the same version, on "
            "every worker"
        ) from None
    bad = sorted((addr, msg) for addr, msg in problems.items() if msg)
    if bad:
        more = f" (and {len(bad) - 1} other worker(s))" if len(bad) > 1 else ""
        raise UserError(f"{bad[0][1]}{more}")


@contextlib.contextmanager
def dask_engine(
    *,
    scheduler: str = "",
    workers: int = 0,
    batch_size: int = 100,
    parse: GeoparseFn | None = None,
    connect_timeout: float = CONNECT_TIMEOUT,
) -> Iterator[DaskEngine]:
    """A :class:`DaskEngine` on the cluster at ``scheduler``, or on a local cluster of ``workers`` processes.

    ``parse`` replaces the real geoparser on the workers (it must be importable there; tests use it).
    Raises :class:`UserError` (one line) when the cluster cannot be reached or its workers cannot geoparse.
    The client, and a local cluster, are closed when the block ends.
    """
    distributed = _import_distributed()
    gazetteer, fingerprint = ("", "") if parse is not None else _gazetteer_for_workers(local=not scheduler)
    with _quiet_logs(), contextlib.ExitStack() as stack:
        if scheduler:
            client = _connect(distributed, scheduler, connect_timeout)
        else:
            cluster = stack.enter_context(_local_cluster(distributed, max(1, workers)))
            client = distributed.Client(cluster, set_as_default=False, direct_to_workers=True)
            scheduler = cluster.scheduler_address
        stack.enter_context(client)
        _prepare(client, scheduler, parse, gazetteer, fingerprint)
        yield DaskEngine(client, parse=parse, gazetteer=gazetteer, fingerprint=fingerprint, batch_size=batch_size)


__all__ = ["CHUNK", "CONNECT_TIMEOUT", "DaskEngine", "WorkerSetupError", "dask_engine", "parse_chunk"]
