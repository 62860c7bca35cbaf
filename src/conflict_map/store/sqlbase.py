"""The store's SQL, shared by both backends: articles, mentions, corrections, claims and story layouts.

:class:`SqlStore` implements :class:`conflict_map.store.base.Store` over a small set of primitives that each
backend provides (a write transaction, a read connection, a bulk insert, the point columns of the places
table, row locks). Statements use ``?`` placeholders and SQL that SQLite and PostgreSQL both accept, so the
two backends store and return exactly the same data.

Whenever an article's mentions or the corrections that apply to it change, its derived rows are written
again in the same transaction (:meth:`SqlStore._refresh`): the mentions with the corrections applied
(``origin`` 1; the machine's rows of that article stop counting) and its checked claims. Views and exports
then aggregate ``effective`` mention rows in SQL, corrections included.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from conflict_map.errors import UserError
from conflict_map.models import (
    Article,
    ArticleInput,
    Mention,
    ParseResult,
    Place,
    normalise_date,
)
from conflict_map.store.corrections import apply_corrections
from conflict_map.store.derive import (
    MENTION_COLUMNS,
    Row,
    candidate_place_ids,
    chunks,
    dumps,
    loads,
    mention_rows,
    mentions_from_rows,
    places_of,
)
from conflict_map.store.schema import ORIGIN_MACHINE
from conflict_map.store.sqlcorrect import CORR_COLS, CorrectionsSql, correction_from_row, current_user, now_iso

ART_COLS = "id, hash, title, url, publisher, date, source_name, ext_id, format, n_mentions, added_at"
_MENTION_READ = (
    'start, "end", text, sentence, sentence_start, sentence_end, type, key, place_id, confidence, candidates'
)


def article_from_row(r: Sequence[Any]) -> Article:
    """An :class:`Article` (without text) from the :data:`ART_COLS` of a row."""
    return Article(*r[:11])


class SqlStore(CorrectionsSql):
    """The SQL both backends share; subclasses provide the connection primitives below."""

    location: str = ""
    dialect: str = ""
    sql_find: str = "instr"
    sql_like: str = "LIKE"
    articles_meta: str = "articles a"
    place_lat_lon: str = "p.lat, p.lon"
    #: Columns of a place row: id, name, kind, lat, lon, country, province, population, source.
    place_cols: str = "id, name, kind, lat, lon, country, province, population, source"
    #: Column(s) written for a place's point, the SQL of its value(s), and how an UPDATE sets it.
    place_point_cols: str = "lat, lon"
    place_point_sql: str = "?, ?"
    place_point_set: str = "lat = ?, lon = ?"

    def __init__(self) -> None:
        self._known_places: set[str] = set()

    # ---- backend primitives ----------------------------------------------------------------------

    def _tx(self) -> contextlib.AbstractContextManager[Any]:
        """A write transaction; yields an object with ``execute(sql, args)`` and ``executemany``."""
        raise NotImplementedError

    def _read(self) -> contextlib.AbstractContextManager[Any]:
        """A connection for a few reads."""
        raise NotImplementedError

    def rows(self, sql: str, args: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """Rows of a read-only query, fetched in chunks."""
        raise NotImplementedError

    def _bulk(self, tx: Any, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        """Insert many rows (``executemany`` on SQLite, ``COPY`` on PostgreSQL)."""
        raise NotImplementedError

    def _lock_article(self, tx: Any, article_id: int) -> None:
        """Serialise writers of one article's derived rows (a row lock; SQLite serialises all writers)."""

    def _lock_aliases(self, tx: Any, exclusive: bool) -> None:
        """Serialise alias corrections against ingests (so neither misses the other's new rows)."""

    def _place_point_args(self, p: Place) -> tuple[float, float]:
        return (p.lat, p.lon)

    # ---- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection(s)."""
        raise NotImplementedError

    def data_version(self) -> tuple[int, int, str, int, int]:
        """Changes whenever articles, their geoparse or corrections change (a cache key for derived views)."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM articles), (SELECT coalesce(max(id), 0) FROM articles),"
                " (SELECT coalesce(max(processed_at), '') FROM articles),"
                " (SELECT coalesce(max(id), 0) FROM corrections),"
                " (SELECT count(*) FROM corrections WHERE undone_at IS NOT NULL)"
            ).fetchone()
        return (int(row[0]), int(row[1]), str(row[2]), int(row[3]), int(row[4]))

    # ---- articles: writing -------------------------------------------------------------------------

    def find_hashes(self, hashes: Iterable[str]) -> dict[str, int]:
        """``{hash: article_id}`` for those of ``hashes`` already stored."""
        with self._read() as conn:
            return self._find_hashes(conn, hashes)

    def _find_hashes(self, conn: Any, hashes: Iterable[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in chunks(list(dict.fromkeys(hashes))):
            q = f"SELECT hash, id FROM articles WHERE hash IN ({','.join('?' * len(chunk))})"
            out.update({r[0]: int(r[1]) for r in conn.execute(q, list(chunk))})
        return out

    def add_article(self, article: ArticleInput, result: ParseResult | None = None) -> tuple[int, bool]:
        """Store one article (and its geoparse); returns ``(id, created)``; a known hash is not re-added."""
        return self.add_articles([(article, result)])[0]

    def add_articles(self, batch: Sequence[tuple[ArticleInput, ParseResult | None]]) -> list[tuple[int, bool]]:
        """Store several articles in ONE transaction; duplicates (by text hash) are skipped, not re-added.

        Mentions go in with one bulk insert; each new article's claims are checked (and the corpus-wide
        aliases applied to it) in the same transaction.
        """
        stamp = now_iso()
        out: list[tuple[int, bool]] = []
        with self._tx() as tx:
            self._lock_aliases(tx, exclusive=False)
            known = self._find_hashes(tx, (a.hash for a, _r in batch))
            fresh = [(a, r) for a, r in batch if a.hash not in known]
            self._upsert_places(tx, places_of(m for _a, r in fresh if r is not None for m in r.mentions).values())
            new: list[tuple[int, ParseResult]] = []
            rows: list[Row] = []
            for art, result in batch:
                aid = known.get(art.hash)
                if aid is not None:
                    out.append((aid, False))
                    continue
                aid = self._insert_article(tx, art, result, stamp)
                if aid is None:  # a concurrent writer stored it first
                    aid = self._find_hashes(tx, [art.hash])[art.hash]
                    out.append((aid, False))
                else:
                    out.append((aid, True))
                    parsed = result or ParseResult(text=art.text, mentions=[])
                    new.append((aid, parsed))
                    rows += mention_rows(aid, art.text, parsed.mentions)
                known[art.hash] = aid
            self._bulk(tx, "mentions", MENTION_COLUMNS, rows)
            self._derive(tx, new, self._active_aliases(tx), {})
        return out

    def _insert_article(self, tx: Any, art: ArticleInput, result: ParseResult | None, stamp: str) -> int | None:
        body = result.body if result is not None else (0, 0)
        values = (
            art.hash,
            art.ext_id,
            art.title,
            art.url,
            art.publisher,
            normalise_date(art.date),
            art.source_name,
            art.format,
            art.text,
            body[0],
            body[1],
            dumps(list(art.warnings) + (list(result.warnings) if result else [])),
            len(result.mentions) if result is not None else 0,
            stamp,
            stamp if result is not None else "",
        )
        r = tx.execute(
            "INSERT INTO articles(hash, ext_id, title, url, publisher, date, source_name, format, text, body_start,"
            " body_end, warnings, n_mentions, added_at, processed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT (hash) DO NOTHING RETURNING id",
            values,
        ).fetchone()
        return None if r is None else int(r[0])  # None: another writer stored the same text first

    def replace_parse(self, article_id: int, result: ParseResult) -> None:
        """Replace an article's machine geoparse (re-processing); corrections are kept and applied again."""
        with self._tx() as tx:
            self._lock_aliases(tx, exclusive=False)
            self._lock_article(tx, article_id)
            r = tx.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
            if r is None:
                raise UserError(f"no article {article_id} in {self.location}")
            tx.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
            tx.execute(
                "UPDATE articles SET body_start=?, body_end=?, processed_at=?, n_mentions=? WHERE id=?",
                (result.body[0], result.body[1], now_iso(), len(result.mentions), article_id),
            )
            self._upsert_places(tx, places_of(result.mentions).values())
            self._bulk(tx, "mentions", MENTION_COLUMNS, mention_rows(article_id, r[0], result.mentions))
            self._refresh(tx, [article_id])

    def _upsert_places(self, tx: Any, places: Iterable[Place]) -> None:
        """Store new places; update a stored one whose gazetteer values changed (in id order: no deadlocks)."""
        new = sorted((p for p in places if p.id not in self._known_places), key=lambda p: p.id)
        if not new:
            return
        stored = self._places(tx, [p.id for p in new])
        cols = f"id, name, kind, {self.place_point_cols}, country, province, population, source"
        for p in new:
            old = stored.get(p.id)
            if old is None:
                tx.execute(
                    f"INSERT INTO places({cols}) VALUES (?, ?, ?, {self.place_point_sql}, ?, ?, ?, ?)"
                    " ON CONFLICT (id) DO NOTHING",
                    (p.id, p.name, p.kind, *self._place_point_args(p), p.country, p.province, p.population, p.source),
                )
            elif old != p and p.source:  # a place without a source (from a loaded parse) never overwrites
                tx.execute(
                    f"UPDATE places SET name = ?, kind = ?, {self.place_point_set},"
                    " country = ?, province = ?, population = ?, source = ? WHERE id = ?",
                    (p.name, p.kind, *self._place_point_args(p), p.country, p.province, p.population, p.source, p.id),
                )
        self._known_places.update(p.id for p in new)

    def delete_article(self, article_id: int) -> bool:
        """Remove an article with its mentions, claims, layout and corrections; True when it existed."""
        with self._tx() as tx:
            return tx.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount > 0

    # ---- articles: reading -------------------------------------------------------------------------

    def count_articles(self) -> int:
        """Number of stored articles."""
        with self._read() as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def get_article(self, article_id: int) -> Article:
        """The article with its text; :class:`UserError` when there is no such id."""
        with self._read() as conn:
            return self._get_article(conn, article_id)

    def _get_article(self, conn: Any, article_id: int) -> Article:
        r = conn.execute(
            f"SELECT {ART_COLS}, text, body_start, body_end, warnings FROM articles WHERE id = ?", (int(article_id),)
        ).fetchone()
        if r is None:
            raise UserError(f"no article {article_id} in {self.location}")
        art = article_from_row(r)
        art.text, art.body, art.warnings = r[11], (r[12], r[13]), list(loads(r[14] or "[]"))
        return art

    def list_articles(
        self,
        *,
        search: str = "",
        publisher: str = "",
        date_from: str = "",
        date_to: str = "",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Articles (without text), newest publication date first; optional filters."""
        where, args = ["1=1"], []
        if search:
            like = self.sql_like
            where.append(f"(title {like} ? OR source_name {like} ? OR ext_id {like} ?)")
            args += [f"%{search}%"] * 3
        if publisher:
            where.append("publisher = ?")
            args.append(publisher)
        if date_from:
            where.append("date != '' AND date >= ?")
            args.append(date_from)
        if date_to:
            where.append("date != '' AND date <= ?")
            args.append(date_to + "\uffff")
        q = f"SELECT {ART_COLS} FROM articles WHERE {' AND '.join(where)} ORDER BY date DESC, id DESC"
        if limit is not None:
            q += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        with self._read() as conn:
            return [article_from_row(r) for r in conn.execute(q, args)]

    def articles_by_id(self, ids: Iterable[int]) -> dict[int, Article]:
        """Articles (without text) with the given ids."""
        out: dict[int, Article] = {}
        with self._read() as conn:
            for chunk in chunks(sorted({int(i) for i in ids})):
                q = f"SELECT {ART_COLS} FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
                out.update({int(r[0]): article_from_row(r) for r in conn.execute(q, list(chunk))})
        return out

    def publishers(self) -> list[str]:
        """Distinct non-empty publishers, sorted."""
        with self._read() as conn:
            q = "SELECT DISTINCT publisher FROM articles WHERE publisher != '' ORDER BY publisher"
            return [r[0] for r in conn.execute(q)]

    def get_place(self, place_id: str) -> Place | None:
        """A stored place, or ``None``."""
        return self.places_by_id([place_id]).get(place_id)

    def places_by_id(self, ids: Iterable[str] | None = None) -> dict[str, Place]:
        """Stored places (all, or those with the given ids)."""
        with self._read() as conn:
            if ids is None:
                return {r[0]: Place(*r) for r in conn.execute(f"SELECT {self.place_cols} FROM places")}
            return self._places(conn, ids)

    def _places(self, conn: Any, ids: Iterable[str]) -> dict[str, Place]:
        out: dict[str, Place] = {}
        for chunk in chunks(sorted(set(ids))):
            q = f"SELECT {self.place_cols} FROM places WHERE id IN ({','.join('?' * len(chunk))})"
            out.update({r[0]: Place(*r) for r in conn.execute(q, list(chunk))})
        return out

    def load_mentions(self, article_id: int) -> list[Mention]:
        """The machine's mentions of one article, in text order, with places and alternatives."""
        with self._read() as conn:
            return self._machine_result(conn, article_id).mentions

    def _machine_result(self, conn: Any, article_id: int) -> ParseResult:
        art = self._get_article(conn, article_id)
        rows = conn.execute(
            f"SELECT {_MENTION_READ} FROM mentions WHERE article_id = ? AND origin = ? ORDER BY start, id",
            (article_id, ORIGIN_MACHINE),
        ).fetchall()
        places = self._places(conn, candidate_place_ids(rows))
        return ParseResult(text=art.text, mentions=mentions_from_rows(art.text, rows, places), body=art.body)

    def load_result(self, article_id: int, *, corrected: bool = True) -> ParseResult:
        """The stored geoparse of an article as a :class:`ParseResult`, corrections applied by default."""
        with self._read() as conn:
            result = self._machine_result(conn, article_id)
            if corrected:
                result = apply_corrections(result, self._corrections(conn, article_id=article_id))
        return result

    # ---- checks --------------------------------------------------------------------------------------

    def _check_sql(self, conn: Any) -> list[str]:
        """The consistency checks both backends run."""
        problems: list[str] = []
        bad = conn.execute(
            "SELECT a.id FROM articles a LEFT JOIN mentions m ON m.article_id = a.id AND m.origin = 0"
            " GROUP BY a.id, a.n_mentions HAVING count(m.id) != a.n_mentions"
        ).fetchall()
        if bad:
            problems.append(f"{len(bad)} articles whose stored mentions are incomplete")
        orphans = conn.execute(
            "SELECT count(*) FROM mentions m LEFT JOIN articles a ON a.id = m.article_id WHERE a.id IS NULL"
        ).fetchone()[0]
        if orphans:
            problems.append(f"{orphans} mentions without an article")
        stale = conn.execute(
            "SELECT count(*) FROM articles a WHERE a.corrected = 0 AND EXISTS (SELECT 1 FROM mentions m"
            " WHERE m.article_id = a.id AND (m.origin = 1 OR m.effective = 0))"
        ).fetchone()[0]
        if stale:
            problems.append(f"{stale} articles whose corrected mentions are out of date")
        return problems


__all__ = [
    "ART_COLS",
    "CORR_COLS",
    "SqlStore",
    "article_from_row",
    "correction_from_row",
    "current_user",
    "now_iso",
]
