"""The embedded corpus: one SQLite file holding articles, their geoparse and the user's corrections.

* Path: ``--db`` / ``$CONFLICT_MAP_DB``, else ``$XDG_DATA_HOME/conflict-map/corpus.sqlite``
  (``~/.local/share/conflict-map/corpus.sqlite``). Created on first use.
* The schema carries a version (``PRAGMA user_version``) and is migrated automatically on open
  (:mod:`conflict_map.store.schema`); a database written by a newer conflict-map is refused rather than damaged.
* WAL journal, a busy timeout, and every write inside ``BEGIN IMMEDIATE ... COMMIT``: a process killed
  mid-write leaves the last committed state; two writers queue instead of failing or losing data.
  (``synchronous=NORMAL``: a power cut, unlike a killed process, may lose the last few commits, never
  the database's consistency.)
* Articles are keyed by the SHA-256 of their text, so re-ingesting the same text is recognised.
* Mentions keep the machine's output (offsets, chosen place, confidence, ranked alternatives).
  Corrections are stored separately and applied on read (see :mod:`conflict_map.store.corrections`),
  so undoing one is exact and re-processing an article never loses them.

The SQL itself is shared with the PostGIS backend (:mod:`conflict_map.store.sqlbase`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from conflict_map.errors import UserError
from conflict_map.models import (  # noqa: F401 - re-exported: the records used to live here
    Article,
    ArticleInput,
    CorrectionRecord,
    normalise_date,
    place_from_json,
    place_to_json,
    text_hash,
)
from conflict_map.store import schema
from conflict_map.store.derive import MAX_CANDIDATES, Row  # noqa: F401 - re-exported
from conflict_map.store.sqlbase import SqlStore, current_user, now_iso  # noqa: F401 - re-exported

#: Current schema version; :data:`MIGRATIONS` ``[v]`` upgrades a database from version ``v - 1`` to ``v``.
SCHEMA_VERSION = schema.SCHEMA_VERSION
MIGRATIONS: dict[int, Sequence[str]] = schema.SQLITE

#: Rows fetched at a time by :meth:`Corpus.rows`.
FETCH_ROWS = 2000


def default_db_path() -> Path:
    """``$CONFLICT_MAP_DB``, else ``$XDG_DATA_HOME/conflict-map/corpus.sqlite`` (``~/.local/share/...``)."""
    env = os.environ.get("CONFLICT_MAP_DB")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "conflict-map" / "corpus.sqlite"


class Corpus(SqlStore):
    """A connection to one SQLite corpus file. Use as a context manager or call :meth:`close`.

    One ``Corpus`` may be shared by threads (a lock serialises use of the connection); separate
    processes each open their own.
    """

    dialect = "sqlite"
    # INDEXED BY: the narrow (id, date, publisher) index instead of the text-heavy rows (3x faster)
    articles_meta = "articles a INDEXED BY articles_meta"

    def __init__(self, path: str | Path | None = None, *, timeout: float = 60.0) -> None:
        super().__init__()
        self.path = Path(path).expanduser() if path else default_db_path()
        self.location = str(self.path)
        self.timeout = timeout
        if self.path.is_dir():
            raise UserError(f"{self.path}: is a folder; give a database file path")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise UserError(f"cannot open corpus database {self.path}: {exc}") from exc
        self._lock = threading.RLock()
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":  # pragma: no cover - e.g. a read-only medium
                raise UserError(f"{self.path}: cannot switch the database to WAL mode (got {mode})")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise UserError(f"{self.path}: not a conflict-map corpus database ({exc})") from exc

    # ---- primitives ------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self.conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on any exception)."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                self._known_places.clear()  # places cached during the failed transaction were not stored
                raise
            else:
                self.conn.execute("COMMIT")

    _tx = transaction

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self.conn

    def rows(self, sql: str, args: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """Rows of a read-only query, fetched :data:`FETCH_ROWS` at a time on a connection of their own
        (other threads go on using the shared one while a long export reads)."""
        conn = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True, timeout=self.timeout)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            cur = conn.execute(sql, list(args))
            while batch := cur.fetchmany(FETCH_ROWS):
                yield from batch
        finally:
            conn.close()

    def _bulk(self, tx: Any, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        if rows:
            cols = ", ".join(f'"{c}"' for c in columns)
            tx.executemany(f"INSERT INTO {table}({cols}) VALUES ({','.join('?' * len(columns))})", rows)

    # ---- schema ----------------------------------------------------------------------------------

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise UserError(
                f"{self.path} was written by a newer conflict-map (schema {version}; this version "
                f"knows {SCHEMA_VERSION}). Upgrade conflict-map to use it."
            )
        if version == SCHEMA_VERSION:
            return
        with self.transaction() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have won
            rebuild = False
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for stmt in MIGRATIONS[v]:
                    conn.execute(stmt)
                conn.execute(f"PRAGMA user_version = {v}")
                rebuild = rebuild or (version > 0 and v in schema.REBUILD_AFTER)
            if rebuild:
                self.rebuild_derived(conn)
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_migrated_at', ?)", (now_iso(),))

    @property
    def schema_version(self) -> int:
        """``PRAGMA user_version``."""
        with self._lock:
            return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def check(self) -> list[str]:
        """Consistency problems (empty list when the database is sound)."""
        problems: list[str] = []
        with self._lock:
            res = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
            if res != ["ok"]:
                problems += res
            fk = self.conn.execute("PRAGMA foreign_key_check").fetchall()
            if fk:
                problems.append(f"{len(fk)} rows with broken references")
            problems += self._check_sql(self.conn)
        return problems


__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Corpus", "default_db_path"]
