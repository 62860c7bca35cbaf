"""Writing an export (or a hand-out) to a file: one clear error line, never a half-written file.

:func:`write_atomic` writes into a temporary file in the target's folder and renames it over the target
(``os.replace``) only once everything was written, so an error (a full disk, a writer failing half-way,
Ctrl-C) leaves the old file, or no file, behind. It refuses a target that is not a regular file (a folder,
a device such as ``/dev/full``, a FIFO) and a folder that does not exist (it creates none), and turns every
:class:`OSError` into one :class:`~conflict_map.errors.UserError` line.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from conflict_map.errors import UserError
from conflict_map.paths import cannot_write, new_file_mode


def _stat(p: Path) -> os.stat_result | None:
    """``os.stat`` of ``p``, ``None`` when there is nothing there yet."""
    try:
        return os.stat(p)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:  # a name too long for the file system, a loop of links, no permission
        raise cannot_write(p, exc) from exc


def check_target(path: str | Path) -> Path:
    """``path`` as a :class:`Path` when a regular file can be written (or replaced) there.

    :class:`UserError` for an empty name, a folder, anything else that is not a regular file (a device,
    a FIFO, a socket) and a folder that does not exist.
    """
    if not str(path).strip():
        raise UserError("the output file name is empty")
    p = Path(path)
    st = _stat(p)
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise UserError(f"cannot write {p}: it is a folder; give a file name")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise UserError(f"cannot write {p}: it is not a regular file (a device, a FIFO or a socket); give a file name")
    parent = _stat(p.parent)
    if parent is None or not stat.S_ISDIR(parent.st_mode):
        raise UserError(f"cannot write {p}: the folder {p.parent} does not exist")
    return p


def write_atomic(path: str | Path, fill: Callable[[Path], object]) -> Path:
    """Let ``fill`` write a temporary file next to ``path``, then rename it over ``path``; returns ``path``.

    The temporary file has ``path``'s suffix (some writers go by it) and exists, empty, when ``fill`` is
    called. Every :class:`OSError` (of creating, filling, renaming) becomes one :class:`UserError` line;
    any error removes the temporary file and leaves ``path`` as it was.
    """
    p = check_target(path)
    mode = new_file_mode(_stat(p))
    try:
        fd, name = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=f".tmp{p.suffix}")
        os.close(fd)
    except OSError as exc:
        raise cannot_write(p, exc) from exc
    tmp = Path(name)
    try:
        fill(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, p)
    except OSError as exc:
        raise cannot_write(p, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return p


def write_bytes_atomic(path: str | Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` atomically (see :func:`write_atomic`)."""
    return write_atomic(path, lambda tmp: tmp.write_bytes(content))


__all__ = ["check_target", "write_atomic", "write_bytes_atomic"]
