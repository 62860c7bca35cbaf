"""The corpus in PostgreSQL + PostGIS: one database shared by several ingests and dashboard users.

``--db postgresql://user[:password]@host[:port]/dbname`` (or ``$CONFLICT_MAP_DB``); the password may also
come from ``$PGPASSWORD`` or ``~/.pgpass`` (libpq reads them). The database needs the PostGIS extension:
conflict-map creates it when the user may (a superuser), else says so in one line.

* psycopg 3 with a connection pool (``psycopg_pool``): threads of one process (the dashboard's sessions)
  share it; each process opens its own.
* Places are ``geography(Point, 4326)`` with a GiST index, JSON is ``JSONB``, mention and claim rows go in
  with ``COPY``; text is compared byte-wise (``COLLATE "C"``), so sorting and filtering give what SQLite
  gives and both backends export the same files.
* Every write is one transaction. Articles are unique by content hash (``ON CONFLICT DO NOTHING``), so
  ingests running at once never store a text twice; an article's derived rows are written under a row
  lock, and alias corrections take an advisory lock that ingests share, so neither misses the other's rows.
* The schema version lives in the table ``schema_version`` (the same numbers as SQLite's,
  :mod:`conflict_map.store.schema`); migrations run once, under an advisory lock, when a store opens.
"""

from __future__ import annotations

import contextlib
import functools
import re
import uuid
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from conflict_map.errors import UserError
from conflict_map.models import Place
from conflict_map.store import schema
from conflict_map.store.derive import Row
from conflict_map.store.sqlbase import SqlStore, now_iso

#: Rows fetched at a time by :meth:`PostgisStore.rows` (a server-side cursor).
FETCH_ROWS = 2000
#: Advisory lock keys: migrations, and aliases against ingests.
_MIGRATION_LOCK = 0x636D6D67  # "cmmg"
_ALIAS_LOCK = 0x636D616C  # "cmal"
_POINT = "ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography"


def redact_url(url: str) -> str:
    """``url`` without its password (for messages and page captions)."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.hostname or ""
        netloc = f"{parts.username or ''}@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    except ValueError:
        return "postgresql://(unreadable address)"


@functools.lru_cache(maxsize=512)
def _pg(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (the shared SQL holds no other ``?`` or ``%``)."""
    return sql.replace("?", "%s")


def _one_line(exc: BaseException) -> str:
    """A driver error as one readable line (libpq's ``FATAL:`` part when there is one)."""
    text = " ".join(str(exc).split())
    m = re.search(r"FATAL:\s*(.*)", text)
    return (m.group(1) if m else text) or type(exc).__name__


class _Tx:
    """A psycopg connection that speaks the shared SQL (``?`` placeholders)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return self.conn.execute(_pg(sql), list(args) if args else None)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(_pg(sql), rows)


def _driver() -> tuple[Any, Any]:
    try:
        import psycopg
        import psycopg_pool
    except ImportError as exc:
        raise UserError(
            "the PostGIS backend needs psycopg 3 and psycopg_pool: pip install 'psycopg[binary,pool]'"
        ) from exc
    return psycopg, psycopg_pool


class PostgisStore(SqlStore):
    """A corpus in a PostgreSQL database with PostGIS. Use as a context manager or call :meth:`close`."""

    dialect = "postgis"
    sql_find = "strpos"
    sql_like = "ILIKE"  # SQLite's LIKE ignores ASCII case
    articles_meta = "articles a"
    place_lat_lon = "ST_Y(p.geog::geometry), ST_X(p.geog::geometry)"
    place_cols = "id, name, kind, ST_Y(geog::geometry), ST_X(geog::geometry), country, province, population, source"
    place_point_cols = "geog"
    place_point_sql = _POINT
    place_point_set = f"geog = {_POINT}"

    def __init__(self, url: str, *, timeout: float = 30.0, max_connections: int = 8) -> None:
        super().__init__()
        psycopg, psycopg_pool = _driver()
        self.url = url
        self.location = redact_url(url)
        self._psycopg = psycopg
        try:
            with psycopg.connect(url, connect_timeout=max(1, int(timeout)), application_name="conflict-map") as conn:
                self._require_postgis(conn)
                self._migrate(conn)
        except psycopg.Error as exc:
            raise UserError(f"cannot open the corpus database {self.location}: {_one_line(exc)}") from exc
        self.pool = psycopg_pool.ConnectionPool(
            url,
            min_size=1,
            max_size=max_connections,
            timeout=timeout,
            kwargs={"connect_timeout": max(1, int(timeout)), "application_name": "conflict-map"},
            open=False,
        )
        try:
            self.pool.open(wait=True, timeout=timeout)
        except psycopg_pool.PoolTimeout as exc:
            self.pool.close()
            raise UserError(f"cannot open the corpus database {self.location}: no connection in {timeout:g} s") from exc

    # ---- primitives --------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the pool's connections."""
        self.pool.close()

    @contextlib.contextmanager
    def _tx(self) -> Iterator[_Tx]:
        try:
            with self.pool.connection() as conn, conn.transaction():
                yield _Tx(conn)
        except BaseException:
            self._known_places.clear()  # places cached during the failed transaction were not stored
            raise

    transaction = _tx

    @contextlib.contextmanager
    def _read(self) -> Iterator[_Tx]:
        with self.pool.connection() as conn:
            yield _Tx(conn)

    def rows(self, sql: str, args: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """Rows of a read-only query from a server-side cursor, :data:`FETCH_ROWS` at a time."""
        with self.pool.connection() as conn, conn.cursor(name=f"cm_{uuid.uuid4().hex}") as cur:
            cur.itersize = FETCH_ROWS
            cur.execute(_pg(sql), list(args) if args else None)
            yield from cur

    def _bulk(self, tx: Any, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        """``COPY table (columns) FROM STDIN``."""
        if not rows:
            return
        cols = ", ".join(f'"{c}"' for c in columns)
        with tx.conn.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)

    def _lock_article(self, tx: Any, article_id: int) -> None:
        tx.execute("SELECT id FROM articles WHERE id = ? FOR UPDATE", (int(article_id),))

    def _lock_aliases(self, tx: Any, exclusive: bool) -> None:
        fn = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        tx.execute(f"SELECT {fn}(?)", (_ALIAS_LOCK,))

    def _place_point_args(self, p: Place) -> tuple[float, float]:
        return (p.lon, p.lat)

    # ---- schema ------------------------------------------------------------------------------------

    def _require_postgis(self, conn: Any) -> None:
        """The PostGIS extension, created when missing and allowed; one clear line when it cannot be."""
        have = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'").fetchone()
        if have is not None:
            return
        try:
            with conn.transaction():
                conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except self._psycopg.Error as exc:
            raise UserError(
                f"the database {self.location} has no PostGIS extension ({_one_line(exc)}); a superuser of the"
                " server can add it with: CREATE EXTENSION postgis;"
            ) from exc

    def _migrate(self, conn: Any) -> None:
        with conn.transaction():
            tx = _Tx(conn)
            tx.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
            tx.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = tx.execute("SELECT max(version) FROM schema_version").fetchone()
            version = int(row[0] or 0)
            if version > schema.SCHEMA_VERSION:
                raise UserError(
                    f"{self.location} was written by a newer conflict-map (schema {version}; this version "
                    f"knows {schema.SCHEMA_VERSION}). Upgrade conflict-map to use it."
                )
            if version == schema.SCHEMA_VERSION:
                return
            rebuild = False
            for v in range(version + 1, schema.SCHEMA_VERSION + 1):
                for stmt in schema.POSTGIS[v]:
                    tx.execute(stmt)
                rebuild = rebuild or (version > 0 and v in schema.REBUILD_AFTER)
            tx.execute("DELETE FROM schema_version")
            tx.execute("INSERT INTO schema_version(version) VALUES (?)", (schema.SCHEMA_VERSION,))
            if rebuild:
                self.rebuild_derived(tx)
            tx.execute(
                "INSERT INTO meta(key, value) VALUES ('schema_migrated_at', ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (now_iso(),),
            )

    @property
    def schema_version(self) -> int:
        """The version in the ``schema_version`` table."""
        with self._read() as tx:
            return int(tx.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0)

    def check(self) -> list[str]:
        """Consistency problems (empty list when the database is sound)."""
        with self._read() as tx:
            return self._check_sql(tx)


__all__ = ["PostgisStore", "redact_url"]
