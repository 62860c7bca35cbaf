"""Open the corpus a ``--db`` value names: a SQLite file (the embedded default) or a PostGIS database.

``open_store(db)``:

* ``None`` or ``""``: ``$CONFLICT_MAP_DB``, else the per-user SQLite file
  (``~/.local/share/conflict-map/corpus.sqlite``);
* ``postgresql://user[:password]@host[:port]/dbname`` (or ``postgres://``): the PostGIS backend
  (:mod:`conflict_map.store.postgis`); the password may also come from ``$PGPASSWORD`` or ``~/.pgpass``;
* anything else: the path of a SQLite file.
"""

from __future__ import annotations

import os
from pathlib import Path

from conflict_map.store.base import Store
from conflict_map.store.sqlite import Corpus, default_db_path

URL_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(db: str | Path | None) -> bool:
    """Whether ``db`` names a PostgreSQL database rather than a file."""
    return isinstance(db, str) and db.strip().lower().startswith(URL_SCHEMES)


def resolve_db(db: str | Path | None) -> str | Path:
    """The corpus ``db`` names: itself, else ``$CONFLICT_MAP_DB``, else the per-user SQLite file."""
    if db is not None and str(db).strip():
        return db
    env = os.environ.get("CONFLICT_MAP_DB", "").strip()
    if is_database_url(env):
        return env
    return default_db_path()


def open_store(db: str | Path | None = None, **kwargs: object) -> Store:
    """The store of ``db`` (see the module docstring); :class:`~conflict_map.errors.UserError` (one line)
    when it cannot be opened: a wrong password, an unreachable server, no PostGIS, not a corpus file."""
    target = resolve_db(db)
    if is_database_url(target):
        from conflict_map.store.postgis import PostgisStore

        return PostgisStore(str(target).strip(), **kwargs)  # type: ignore[arg-type]
    return Corpus(target, **kwargs)  # type: ignore[arg-type]


def store_exists(db: str | Path | None = None) -> bool:
    """Whether there is a corpus to read: a database URL (the server decides), or an existing file."""
    target = resolve_db(db)
    return is_database_url(target) or Path(target).expanduser().is_file()


def describe_db(db: str | Path | None = None) -> str:
    """``db`` for messages, without a password."""
    target = resolve_db(db)
    if is_database_url(target):
        from conflict_map.store.postgis import redact_url

        return redact_url(str(target))
    return str(Path(target).expanduser())


__all__ = ["URL_SCHEMES", "describe_db", "is_database_url", "open_store", "resolve_db", "store_exists"]
