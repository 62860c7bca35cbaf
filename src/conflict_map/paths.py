"""Where conflict-map keeps its files: the build cache.

Small curated data files are package data next to the code that reads them (``gazetteer/data/``,
``view/data/``; sources and licences in the repository's ``geodata/README.md``), so an installed wheel has them.
Large derived data (parsed boundary polygons, search indexes) is built at ``make setup`` into a
git-ignored cache directory, by default ``~/.cache/conflict-map``; set ``CONFLICT_MAP_CACHE`` to move it.
Nothing in the cache is downloaded at run time: it is rebuilt from registry packages.

Also what both ways of writing an output file (:mod:`conflict_map.export.files` for exports and hand-outs,
:mod:`conflict_map.cli.output` for the commands' output) share: the mode a new file gets and the error line.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from conflict_map.errors import UserError

#: The repository root (``src/conflict_map/paths.py`` -> three levels up) in a development checkout only.
REPO_ROOT = Path(__file__).resolve().parents[2]


def cache_dir(*parts: str, create: bool = True) -> Path:
    """The cache directory (or a sub-directory of it), created on demand.

    ``$CONFLICT_MAP_CACHE`` when set, else ``$XDG_CACHE_HOME/conflict-map``, else ``~/.cache/conflict-map``.
    """
    env = os.environ.get("CONFLICT_MAP_CACHE")
    if env:
        base = Path(env).expanduser()
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "conflict-map"
    path = base.joinpath(*parts)
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def new_file_mode(existing: os.stat_result | None) -> int:
    """The mode of the file being replaced (``existing``), or what a new file gets under the current umask."""
    if existing is not None:
        return stat.S_IMODE(existing.st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def cannot_write(path: Path, exc: OSError) -> UserError:
    """The one-line error for an :class:`OSError` ``exc`` met while writing ``path``."""
    return UserError(f"cannot write {path}: {exc.strerror or exc}")
