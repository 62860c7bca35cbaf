"""The ``conflict-map`` command line.

Sub-commands live next to the code they expose; each command module has a
``register(subparsers)`` function that adds its parsers. Errors the user can fix
(bad input, unknown place) are raised as :class:`conflict_map.errors.UserError`
and printed as one clear line with exit status 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from conflict_map.errors import UserError

#: Modules that contribute sub-commands, in help order.
COMMAND_MODULES: tuple[str, ...] = (
    "conflict_map.cli.geoparse",
    "conflict_map.cli.geo",
    "conflict_map.cli.corpus",
    "conflict_map.cli.story",
)
#: The environment variable that names the gazetteer index (read by ``conflict_map.gazetteer.index``).
GAZETTEER_ENV = "CONFLICT_MAP_GAZETTEER"
_GAZETTEER_HELP = (
    "the gazetteer index file to use (default: $CONFLICT_MAP_GAZETTEER, else the one in the cache, "
    "built on first use); `build-index` writes it"
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every installed sub-command."""
    parser = argparse.ArgumentParser(
        prog="conflict-map",
        description="Map the places in news articles about wars, offline, and check their distances.",
    )
    parser.add_argument("--gazetteer", metavar="PATH", help=_GAZETTEER_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command group not built yet
            if exc.name != name:
                raise
            continue
        module.register(sub)
    for command in sub.choices.values():  # also accepted after the command: `conflict-map extract --gazetteer P`
        command.add_argument("--gazetteer", metavar="PATH", default=argparse.SUPPRESS, help=_GAZETTEER_HELP)
    return parser


@contextlib.contextmanager
def _gazetteer(path: str | None) -> Iterator[None]:
    """Within the block, ``path`` (when given) is the gazetteer index, for this process and its workers."""
    if not path:
        yield
        return
    before = os.environ.get(GAZETTEER_ENV)
    os.environ[GAZETTEER_ENV] = str(Path(path).expanduser().absolute())
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(GAZETTEER_ENV, None)
        else:
            os.environ[GAZETTEER_ENV] = before


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``conflict-map`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with _gazetteer(args.gazetteer):
            return int(args.func(args) or 0)
    except UserError as exc:
        print(f"conflict-map: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
