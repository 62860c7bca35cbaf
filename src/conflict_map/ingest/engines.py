"""Where an ingest geoparses: the engine interface and the local engines (this process, or forked workers).

The ingest (:mod:`conflict_map.ingest.batch`) reads the inputs, drops texts already stored, hands the texts of
each batch to an engine and stores the results in order; it is the only writer. An engine only computes:
:meth:`Engine.submit` starts geoparsing a batch and returns a :class:`BatchHandle` whose ``get()`` gives, in
the order submitted, a :class:`ParseResult` per text or an error message (``str``) for a text the geoparser
could not handle (reported and skipped; the others are stored).

* :class:`LocalEngine` - the default: in this process (``jobs=1``), or in ``jobs`` worker processes forked
  after the geoparser is loaded, so the gazetteer and models are shared copy-on-write.
* ``conflict_map.ingest.dask_engine.DaskEngine`` - on the workers of a Dask cluster (``--engine dask``).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from conflict_map.errors import UserError
from conflict_map.models import ParseResult

GeoparseFn = Callable[[str], ParseResult]
#: A text's geoparse, or why it failed (one line; the article is reported and skipped).
Outcome = ParseResult | str


class BatchHandle(Protocol):
    """A batch being geoparsed."""

    def get(self) -> list[Outcome]:
        """Wait for the batch: one outcome per text, in the order submitted."""
        ...


class Engine(Protocol):
    """Geoparses batches of texts for the ingest (see the module docstring)."""

    #: Batches the ingest keeps submitted ahead of the one it is storing (1: the next batch is geoparsed
    #: while the previous one is written).
    ahead: int

    def submit(self, texts: Sequence[str]) -> BatchHandle:
        """Start geoparsing ``texts``."""
        ...

    def finish(self, *, abort: bool = False) -> None:
        """Release the workers; ``abort``: drop work still running (the ingest stopped early)."""
        ...


def parse_or_error(parse: GeoparseFn, text: str) -> Outcome:
    """``parse(text)``, or the one-line reason it failed (one article must not stop the others)."""
    try:
        return parse(text)
    except Exception as exc:  # noqa: BLE001 - reported per article, the ingest goes on
        return f"geoparser failed: {type(exc).__name__}: {exc}"


def default_geoparse() -> GeoparseFn:
    """The real geoparser, loaded (gazetteer included) once."""
    try:
        from conflict_map.geoparse.pipeline import geoparse
    except ImportError as exc:
        raise UserError(f"the geoparser is not available ({exc}); run `make setup`") from exc
    geoparse("Warm-up: Baghdad.")  # load the gazetteer and models before timing/forking
    return geoparse


class _Lazy:
    """A batch geoparsed in this process when the ingest asks for it."""

    def __init__(self, parse: GeoparseFn, texts: Sequence[str]) -> None:
        self._parse = parse
        self._texts = list(texts)

    def get(self) -> list[Outcome]:
        return [parse_or_error(self._parse, t) for t in self._texts]


class _Pooled:
    """A batch mapped over a process pool."""

    def __init__(self, result: Any) -> None:
        self._result = result

    def get(self) -> list[Outcome]:
        return self._result.get()


_WORKER_GEOPARSE: GeoparseFn | None = None


def _worker_parse(text: str) -> Outcome:
    assert _WORKER_GEOPARSE is not None
    return parse_or_error(_WORKER_GEOPARSE, text)


class LocalEngine:
    """This process (``jobs=1``) or a pool of ``jobs`` processes forked after the geoparser is loaded."""

    ahead = 1

    def __init__(self, parse: GeoparseFn, jobs: int = 1) -> None:
        global _WORKER_GEOPARSE
        self.parse = parse
        self.jobs = max(1, jobs)
        self._pool: Any = None
        if self.jobs > 1:
            _WORKER_GEOPARSE = parse  # inherited by the forked workers
            try:
                ctx = multiprocessing.get_context("fork")
            except ValueError:  # pragma: no cover - platforms without fork
                ctx = None
            if ctx is not None:
                self._pool = ctx.Pool(self.jobs)

    def submit(self, texts: Sequence[str]) -> BatchHandle:
        """Map ``texts`` over the pool (a single text, or no pool: geoparsed here when asked for)."""
        if self._pool is None or len(texts) <= 1:
            return _Lazy(self.parse, texts)
        chunk = max(1, len(texts) // (4 * self.jobs))
        return _Pooled(self._pool.map_async(_worker_parse, list(texts), chunksize=chunk))

    def finish(self, *, abort: bool = False) -> None:
        """Close the pool; ``abort``: do not wait for work nobody will store."""
        global _WORKER_GEOPARSE
        if self._pool is not None:
            if abort:
                self._pool.terminate()
            else:
                self._pool.close()
            self._pool.join()
            self._pool = None
        _WORKER_GEOPARSE = None


__all__ = ["BatchHandle", "Engine", "GeoparseFn", "LocalEngine", "Outcome", "default_geoparse", "parse_or_error"]
