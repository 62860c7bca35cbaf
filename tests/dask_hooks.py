"""Geoparsers for Dask workers in tests: the fake one, and ones that kill their worker process (invented text).

They live in an importable module (not a test file) so that the spawned worker processes can unpickle them.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from fake_geoparse import fake_geoparse

from conflict_map.models import ParseResult


def kill_once(text: str, *, trigger: str, marker: str) -> ParseResult:
    """Kill this worker process (SIGKILL, as the OOM killer would) the first time ``trigger`` is seen."""
    if trigger in text:
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            pass  # killed once already: geoparse normally
        else:
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            os.kill(os.getpid(), signal.SIGKILL)
    return fake_geoparse(text)


def kill_always(text: str, *, trigger: str, marker_dir: str) -> ParseResult:
    """Kill this worker process each time ``trigger`` is seen (a text that crashes the geoparser)."""
    if trigger in text:
        Path(marker_dir, f"killed-{os.getpid()}").touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return fake_geoparse(text)
