"""``ingest --engine``: geoparse here (the default) or on a Dask cluster (``--scheduler`` / ``--workers``)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

from conflict_map.errors import UserError


def add_engine_options(p: argparse.ArgumentParser) -> None:
    """The ``ingest`` options that choose where the geoparser runs."""
    p.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="where to geoparse: 'local' processes on this machine (default, see --jobs) or the workers of a "
        "Dask cluster ('dask', see --scheduler and --workers); results are stored here either way",
    )
    p.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="with --engine dask: the running Dask scheduler to use (workers open the --gazetteer file by path)",
    )
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="with --engine dask: start a local cluster of N worker processes (default: one per core)",
    )
    p.add_argument(
        "--connect-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="with --scheduler: give up reaching it after this long (default 20)",
    )


def _check(args: argparse.Namespace) -> None:
    """One line for options that do not go together."""
    dask_only = [o for o, v in (("--scheduler", args.scheduler), ("--workers", args.workers)) if v is not None]
    if args.connect_timeout is not None:
        dask_only.append("--connect-timeout")
    if args.engine != "dask":
        if dask_only:
            raise UserError(f"{' and '.join(dask_only)} go with --engine dask")
        return
    if args.jobs:
        raise UserError("--jobs is for the local engine; with --engine dask give --workers N or --scheduler")
    if args.scheduler is not None and args.workers is not None:
        raise UserError("give --scheduler (a running cluster) or --workers N (a local one), not both")
    if args.workers is not None and args.workers < 1:
        raise UserError("--workers must be at least 1")
    if args.connect_timeout is not None and not 0 < args.connect_timeout <= 3600:
        raise UserError("--connect-timeout must be between 0 and 3600 seconds")


@contextlib.contextmanager
def ingest_engine(args: argparse.Namespace) -> Iterator[Any]:
    """``None`` for the local engine, else a connected ``DaskEngine`` (reached before the corpus is opened)."""
    _check(args)
    if args.engine != "dask":
        yield None
        return
    from conflict_map.ingest.dask_engine import CONNECT_TIMEOUT, dask_engine

    with dask_engine(
        scheduler=args.scheduler or "",
        workers=args.workers or os.cpu_count() or 1,
        batch_size=max(1, args.batch),
        connect_timeout=args.connect_timeout or CONNECT_TIMEOUT,
    ) as engine:
        if not args.no_progress:
            print(f"conflict-map: geoparsing on {engine.describe()}", file=sys.stderr)
        yield engine
