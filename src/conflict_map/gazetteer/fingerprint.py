"""Which index file, and is it current: the default path and the fingerprint of what the index is built from.

Checked each time the default index is opened, so this module is light: it reads package versions from folder
names and hashes the curated files and the building code (a few milliseconds), without importing the sources.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from conflict_map.gazetteer.fileformat import INDEX_FORMAT
from conflict_map.gazetteer.sources.curated import curated_bytes
from conflict_map.gazetteer.sources.packages import installed_versions
from conflict_map.paths import cache_dir
from conflict_map.text import names as _names

_HERE = Path(__file__).resolve().parent
#: The code that decides what the index holds: a change to it means a rebuild.
_BUILD_CODE = ("build.py", "builder.py", "fileformat.py", "fingerprint.py", "scoring.py")


def _code_files() -> list[Path]:
    return [
        *(_HERE / n for n in _BUILD_CODE),
        *sorted((_HERE / "sources").glob("*.py")),
        Path(_names.__file__),  # the name keys
    ]


def source_fingerprint() -> str:
    """Hash of the source package versions, the curated files and the building code: the index's cache key."""
    h = hashlib.sha256(f"format={INDEX_FORMAT}".encode())
    for pkg, version in installed_versions().items():
        h.update(f"{pkg}={version}".encode())
    h.update(curated_bytes())
    for p in _code_files():
        h.update(p.read_bytes())
    manifest = cache_dir("boundaries", create=False) / "manifest.json"
    h.update(b"provinces" if manifest.exists() else b"no-provinces")
    return h.hexdigest()[:16]


def default_index_path() -> Path:
    """Where the index is kept by default: ``gazetteer-v4.idx`` in the cache directory."""
    return cache_dir() / f"gazetteer-v{INDEX_FORMAT}.idx"


__all__ = ["default_index_path", "source_fingerprint"]
