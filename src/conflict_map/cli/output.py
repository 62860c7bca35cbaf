"""Output files of the commands: one clear error line when they cannot be written, never a half-written file.

:func:`output_file` writes into a temporary file next to the target and renames it over the target only when
everything was written, so an error (a full disk, a bad input found half-way, Ctrl-C) leaves the old file, or
no file, behind. A target that is not a regular file (``/dev/stdout``, ``/dev/null``, a FIFO) is written to
directly, since it cannot be replaced.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from conflict_map.errors import UserError
from conflict_map.paths import cannot_write, new_file_mode


def check_output_path(path: str | Path) -> Path:
    """``path`` as a :class:`Path` when a file can be written there; :class:`UserError` otherwise."""
    p = Path(path)
    if not str(path).strip():
        raise UserError("the output file name is empty")
    try:
        if p.is_dir():
            raise UserError(f"cannot write {p}: it is a folder; give a file name")
        if not p.parent.is_dir():
            raise UserError(f"cannot write {p}: the folder {p.parent} does not exist")
    except OSError as exc:  # a name too long for the file system, a loop of links
        raise cannot_write(p, exc) from exc
    return p


@contextlib.contextmanager
def output_file(path: str | Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Open ``path`` for writing (``mode`` ``"w"``: UTF-8 text, ``"wb"``: bytes), atomically.

    Every :class:`OSError` of opening, writing, closing and renaming becomes a one-line :class:`UserError`;
    an exception inside the block removes the temporary file and leaves ``path`` as it was.
    """
    p = check_output_path(path)
    encoding = None if "b" in mode else "utf-8"
    try:
        existing: os.stat_result | None = os.stat(p)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise cannot_write(p, exc) from exc
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        yield from _write_special(p, mode, encoding)
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    except OSError as exc:
        raise cannot_write(p, exc) from exc
    try:
        with os.fdopen(fd, mode, encoding=encoding) as fh:
            yield fh
        os.chmod(tmp, new_file_mode(existing))
        os.replace(tmp, p)
    except OSError as exc:
        _remove(tmp)
        raise cannot_write(p, exc) from exc
    except BaseException:
        _remove(tmp)
        raise


def _write_special(p: Path, mode: str, encoding: str | None) -> Iterator[IO[Any]]:
    """Write straight into a device or FIFO (it cannot be replaced by a rename)."""
    try:
        fh = open(p, mode, encoding=encoding)  # noqa: SIM115 - closed below, errors mapped
    except OSError as exc:
        raise cannot_write(p, exc) from exc
    try:
        yield fh
        fh.close()
    except OSError as exc:
        raise cannot_write(p, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            fh.close()


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def write_output(path: str | Path, content: str | bytes) -> Path:
    """Write ``content`` to ``path`` atomically (see :func:`output_file`); returns the path."""
    with output_file(path, "wb" if isinstance(content, bytes) else "w") as fh:
        fh.write(content)
    return Path(path)


__all__ = ["check_output_path", "output_file", "write_output"]
