"""The corpus database: one SQLite file holding articles, their geoparse and the user's corrections.

* Path: ``--db`` / ``$CONFLICT_MAP_DB``, else ``$XDG_DATA_HOME/conflict-map/corpus.sqlite``
  (``~/.local/share/conflict-map/corpus.sqlite``). Created on first use.
* The schema carries a version (``PRAGMA user_version``) and is migrated automatically on open;
  a database written by a newer conflict-map is refused rather than damaged.
* WAL journal, a busy timeout, and every write inside ``BEGIN IMMEDIATE ... COMMIT``: a process killed
  mid-write leaves the last committed state; two writers queue instead of failing or losing data.
  (``synchronous=NORMAL``: a power cut, unlike a killed process, may lose the last few commits, never
  the database's consistency.)
* Articles are keyed by the SHA-256 of their text, so re-ingesting the same text is recognised.
* Mentions keep the machine's output (offsets, chosen place, confidence, ranked alternatives).
  Corrections are stored separately and applied on read (see :mod:`conflict_map.store.corrections`),
  so undoing one is exact and re-processing an article never loses them.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conflict_map.errors import UserError
from conflict_map.models import Candidate, Mention, ParseResult, Place

#: Current schema version; bump it and append to :data:`MIGRATIONS` for every change.
SCHEMA_VERSION = 4

#: ``MIGRATIONS[v]`` upgrades a database from version ``v - 1`` to ``v``.
MIGRATIONS: dict[int, Sequence[str]] = {
    1: (
        """CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS articles (
            id INTEGER PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            ext_id TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            publisher TEXT NOT NULL DEFAULT '',
            date TEXT NOT NULL DEFAULT '',
            source_name TEXT NOT NULL DEFAULT '',
            format TEXT NOT NULL DEFAULT 'txt',
            text TEXT NOT NULL,
            body_start INTEGER NOT NULL DEFAULT 0,
            body_end INTEGER NOT NULL DEFAULT 0,
            warnings TEXT NOT NULL DEFAULT '[]',
            n_mentions INTEGER NOT NULL DEFAULT 0,
            added_at TEXT NOT NULL,
            processed_at TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX IF NOT EXISTS articles_date ON articles(date)",
        "CREATE INDEX IF NOT EXISTS articles_publisher ON articles(publisher)",
        """CREATE TABLE IF NOT EXISTS places (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT '',
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            country TEXT NOT NULL DEFAULT '',
            province TEXT NOT NULL DEFAULT '',
            population INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL DEFAULT ''
        )""",
        """CREATE TABLE IF NOT EXISTS mentions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            sentence TEXT NOT NULL DEFAULT '',
            sentence_start INTEGER NOT NULL DEFAULT 0,
            type TEXT NOT NULL DEFAULT 'place',
            key TEXT NOT NULL DEFAULT '',
            place_id TEXT REFERENCES places(id),
            confidence REAL NOT NULL DEFAULT 0,
            candidates TEXT NOT NULL DEFAULT '[]'
        )""",
        "CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id, start)",
        "CREATE INDEX IF NOT EXISTS mentions_place ON mentions(place_id)",
        """CREATE TABLE IF NOT EXISTS corrections (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('choose', 'coords', 'not_place', 'alias')),
            article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER,
            "end" INTEGER,
            mention_text TEXT NOT NULL DEFAULT '',
            alias_key TEXT NOT NULL DEFAULT '',
            place TEXT,
            note TEXT NOT NULL DEFAULT '',
            user TEXT NOT NULL,
            created_at TEXT NOT NULL,
            undone_at TEXT,
            undone_by TEXT
        )""",
        "CREATE INDEX IF NOT EXISTS corrections_article ON corrections(article_id)",
        "CREATE INDEX IF NOT EXISTS corrections_alias ON corrections(alias_key)",
    ),
    # 2: a covering index so corpus-wide counts per place scan a narrow index, not the wide mention rows
    2: (
        "CREATE INDEX IF NOT EXISTS mentions_place_cover ON mentions(place_id, article_id, type, confidence)",
        "DROP INDEX IF EXISTS mentions_place",
    ),
    # 3: article date/publisher without touching the wide rows (text) when counting places per date/source
    3: ("CREATE INDEX IF NOT EXISTS articles_meta ON articles(id, date, publisher)",),
    # 4: the teacher's story layout per article (conflict_map.present.layout_store); corpora where an earlier version
    # created it on first use already have it, hence IF NOT EXISTS
    4: (
        """CREATE TABLE IF NOT EXISTS story (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            layout TEXT NOT NULL,
            user TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
    ),
}

#: Candidates kept per mention (the best first).
MAX_CANDIDATES = 10


def default_db_path() -> Path:
    """``$CONFLICT_MAP_DB``, else ``$XDG_DATA_HOME/conflict-map/corpus.sqlite`` (``~/.local/share/...``)."""
    env = os.environ.get("CONFLICT_MAP_DB")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "conflict-map" / "corpus.sqlite"


def text_hash(text: str) -> str:
    """SHA-256 (hex) of an article's text with surrounding whitespace removed."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def now_iso() -> str:
    """Current UTC time, ISO 8601 with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def current_user() -> str:
    """The local user name, as shown next to corrections."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no passwd entry / no env vars in a container
        return "unknown"


# --------------------------------------------------------------------------- records


@dataclass(slots=True)
class ArticleInput:
    """What ingest hands to :meth:`Corpus.add_articles`: the text and its metadata."""

    text: str
    title: str = ""
    url: str = ""
    publisher: str = ""
    date: str = ""
    source_name: str = ""
    ext_id: str = ""
    format: str = "txt"
    warnings: list[str] = field(default_factory=list)

    @property
    def hash(self) -> str:
        return text_hash(self.text)


@dataclass(slots=True)
class Article:
    """A stored article (``text`` is ``""`` when listed without text)."""

    id: int
    hash: str
    title: str
    url: str
    publisher: str
    date: str
    source_name: str
    ext_id: str
    format: str
    n_mentions: int
    added_at: str
    text: str = ""
    body: tuple[int, int] = (0, 0)
    warnings: list[str] = field(default_factory=list)

    def label(self) -> str:
        """Short human label: title, else source name, else ``article N``."""
        return self.title or self.source_name or self.ext_id or f"article {self.id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "publisher": self.publisher,
            "date": self.date,
            "source_name": self.source_name,
            "ext_id": self.ext_id,
            "format": self.format,
            "mentions": self.n_mentions,
            "added_at": self.added_at,
        }


@dataclass(slots=True)
class CorrectionRecord:
    """One stored correction (see :mod:`conflict_map.store.corrections` for what each kind means)."""

    id: int
    kind: str
    article_id: int | None
    start: int | None
    end: int | None
    mention_text: str
    alias_key: str
    place: Place | None
    note: str
    user: str
    created_at: str
    undone_at: str | None = None
    undone_by: str | None = None

    @property
    def active(self) -> bool:
        return self.undone_at is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "article_id": self.article_id,
            "start": self.start,
            "end": self.end,
            "mention_text": self.mention_text,
            "alias": self.alias_key,
            "place": self.place.to_dict() if self.place else None,
            "note": self.note,
            "user": self.user,
            "created_at": self.created_at,
            "undone_at": self.undone_at,
            "undone_by": self.undone_by,
        }


def place_to_json(place: Place) -> str:
    return json.dumps(
        {
            "id": place.id,
            "name": place.name,
            "kind": place.kind,
            "lat": place.lat,
            "lon": place.lon,
            "country": place.country,
            "province": place.province,
            "population": place.population,
            "source": place.source,
        },
        ensure_ascii=False,
    )


def place_from_json(raw: str | None) -> Place | None:
    if not raw:
        return None
    d = json.loads(raw)
    return Place(
        id=d["id"],
        name=d["name"],
        kind=d.get("kind", ""),
        lat=float(d["lat"]),
        lon=float(d["lon"]),
        country=d.get("country", ""),
        province=d.get("province", ""),
        population=int(d.get("population", 0)),
        source=d.get("source", ""),
    )


# --------------------------------------------------------------------------- the database


class Corpus:
    """A connection to one corpus database. Use as a context manager or call :meth:`close`.

    One ``Corpus`` may be shared by threads (a lock serialises use of the connection); separate
    processes each open their own.
    """

    def __init__(self, path: str | Path | None = None, *, timeout: float = 60.0) -> None:
        self.path = Path(path).expanduser() if path else default_db_path()
        if self.path.is_dir():
            raise UserError(f"{self.path}: is a folder; give a database file path")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise UserError(f"cannot open corpus database {self.path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._known_places: set[str] = set()
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

    # ---- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for stmt in MIGRATIONS[v]:
                    conn.execute(stmt)
                conn.execute(f"PRAGMA user_version = {v}")
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_migrated_at', ?)", (now_iso(),))

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def data_version(self) -> tuple[int, int, str, int, int]:
        """Changes whenever articles, their geoparse or corrections change (a cache key for derived views)."""
        with self._lock:
            row = self.conn.execute(
                "SELECT (SELECT count(*) FROM articles), (SELECT coalesce(max(id), 0) FROM articles),"
                " (SELECT coalesce(max(processed_at), '') FROM articles),"
                " (SELECT coalesce(max(id), 0) FROM corrections),"
                " (SELECT count(*) FROM corrections WHERE undone_at IS NOT NULL)"
            ).fetchone()
        return (row[0], row[1], row[2], row[3], row[4])

    # ---- articles --------------------------------------------------------------------------

    def find_hashes(self, hashes: Iterable[str]) -> dict[str, int]:
        """``{hash: article_id}`` for those of ``hashes`` already stored."""
        hs = list(dict.fromkeys(hashes))
        out: dict[str, int] = {}
        with self._lock:
            for i in range(0, len(hs), 500):
                chunk = hs[i : i + 500]
                q = f"SELECT hash, id FROM articles WHERE hash IN ({','.join('?' * len(chunk))})"
                out.update({r[0]: r[1] for r in self.conn.execute(q, chunk)})
        return out

    def add_article(self, article: ArticleInput, result: ParseResult | None = None) -> tuple[int, bool]:
        """Store one article (and its geoparse); returns ``(id, created)``; a known hash is not re-added."""
        return self.add_articles([(article, result)])[0]

    def add_articles(self, batch: Sequence[tuple[ArticleInput, ParseResult | None]]) -> list[tuple[int, bool]]:
        """Store several articles in ONE transaction; duplicates (by text hash) are skipped, not re-added."""
        out: list[tuple[int, bool]] = []
        stamp = now_iso()
        with self.transaction() as conn:
            for art, result in batch:
                h = art.hash
                row = conn.execute("SELECT id FROM articles WHERE hash = ?", (h,)).fetchone()
                if row:
                    out.append((int(row[0]), False))
                    continue
                body = result.body if result is not None else (0, 0)
                cur = conn.execute(
                    "INSERT INTO articles(hash, ext_id, title, url, publisher, date, source_name, format,"
                    " text, body_start, body_end, warnings, n_mentions, added_at, processed_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        h,
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
                        json.dumps(list(art.warnings) + (list(result.warnings) if result else [])),
                        0,
                        stamp,
                        stamp if result is not None else "",
                    ),
                )
                aid = int(cur.lastrowid or 0)
                if result is not None:
                    self._insert_mentions(conn, aid, result.mentions)
                out.append((aid, True))
        return out

    def replace_parse(self, article_id: int, result: ParseResult) -> None:
        """Replace an article's machine geoparse (re-processing); corrections are kept."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
            conn.execute(
                "UPDATE articles SET body_start=?, body_end=?, processed_at=?, n_mentions=0 WHERE id=?",
                (result.body[0], result.body[1], now_iso(), article_id),
            )
            self._insert_mentions(conn, article_id, result.mentions)

    def _insert_mentions(self, conn: sqlite3.Connection, article_id: int, mentions: Sequence[Mention]) -> None:
        places: dict[str, Place] = {}
        rows = []
        for m in mentions:
            if m.place is not None:
                places.setdefault(m.place.id, m.place)
            cands = []
            for c in m.candidates[:MAX_CANDIDATES]:
                places.setdefault(c.place.id, c.place)
                cands.append([c.place.id, round(float(c.score), 5)])
            rows.append(
                (
                    article_id,
                    m.start,
                    m.end,
                    m.text,
                    m.sentence,
                    m.sentence_start,
                    m.type,
                    m.key,
                    m.place.id if m.place else None,
                    float(m.confidence),
                    json.dumps(cands, separators=(",", ":")),
                )
            )
        self._upsert_places(conn, places.values())
        conn.executemany(
            'INSERT INTO mentions(article_id, start, "end", text, sentence, sentence_start, type, key,'
            " place_id, confidence, candidates) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        conn.execute("UPDATE articles SET n_mentions = ? WHERE id = ?", (len(rows), article_id))

    def _upsert_places(self, conn: sqlite3.Connection, places: Iterable[Place]) -> None:
        new = [p for p in places if p.id not in self._known_places]
        if not new:
            return
        conn.executemany(
            "INSERT INTO places(id, name, kind, lat, lon, country, province, population, source)"
            " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET name=excluded.name,"
            " kind=excluded.kind, lat=excluded.lat, lon=excluded.lon, country=excluded.country,"
            " province=excluded.province,"
            " population=excluded.population, source=excluded.source",
            [(p.id, p.name, p.kind, p.lat, p.lon, p.country, p.province, p.population, p.source) for p in new],
        )
        self._known_places.update(p.id for p in new)

    def delete_article(self, article_id: int) -> bool:
        """Remove an article with its mentions and corrections; True when it existed."""
        with self.transaction() as conn:
            cur = conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            return cur.rowcount > 0

    def count_articles(self) -> int:
        with self._lock:
            return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    _ART_COLS = "id, hash, title, url, publisher, date, source_name, ext_id, format, n_mentions, added_at"

    def _article_from_row(self, r: sqlite3.Row) -> Article:
        return Article(
            id=r["id"],
            hash=r["hash"],
            title=r["title"],
            url=r["url"],
            publisher=r["publisher"],
            date=r["date"],
            source_name=r["source_name"],
            ext_id=r["ext_id"],
            format=r["format"],
            n_mentions=r["n_mentions"],
            added_at=r["added_at"],
        )

    def get_article(self, article_id: int) -> Article:
        """The article with its text; :class:`UserError` when there is no such id."""
        with self._lock:
            r = self.conn.execute(
                f"SELECT {self._ART_COLS}, text, body_start, body_end, warnings FROM articles WHERE id = ?",
                (article_id,),
            ).fetchone()
        if r is None:
            raise UserError(f"no article {article_id} in {self.path}")
        art = self._article_from_row(r)
        art.text = r["text"]
        art.body = (r["body_start"], r["body_end"])
        art.warnings = json.loads(r["warnings"] or "[]")
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
            where.append("(title LIKE ? OR source_name LIKE ? OR ext_id LIKE ?)")
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
        q = f"SELECT {self._ART_COLS} FROM articles WHERE {' AND '.join(where)} ORDER BY date DESC, id DESC"
        if limit is not None:
            q += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        with self._lock:
            return [self._article_from_row(r) for r in self.conn.execute(q, args)]

    def publishers(self) -> list[str]:
        with self._lock:
            return [
                r[0]
                for r in self.conn.execute(
                    "SELECT DISTINCT publisher FROM articles WHERE publisher != '' ORDER BY publisher"
                )
            ]

    def get_place(self, place_id: str) -> Place | None:
        with self._lock:
            r = self.conn.execute("SELECT * FROM places WHERE id = ?", (place_id,)).fetchone()
        return _place_from_row(r) if r else None

    def places_by_id(self, ids: Iterable[str] | None = None) -> dict[str, Place]:
        """Stored places (all, or those with the given ids)."""
        with self._lock:
            if ids is None:
                rows = self.conn.execute("SELECT * FROM places").fetchall()
            else:
                wanted = list(set(ids))
                rows = []
                for i in range(0, len(wanted), 500):
                    chunk = wanted[i : i + 500]
                    rows += self.conn.execute(
                        f"SELECT * FROM places WHERE id IN ({','.join('?' * len(chunk))})", chunk
                    ).fetchall()
        return {r["id"]: _place_from_row(r) for r in rows}

    def load_mentions(self, article_id: int) -> list[Mention]:
        """The machine's mentions of one article, in text order, with places and alternatives."""
        with self._lock:
            rows = self.conn.execute(
                'SELECT start, "end", text, sentence, sentence_start, type, key, place_id, confidence,'
                " candidates FROM mentions WHERE article_id = ? ORDER BY start, id",
                (article_id,),
            ).fetchall()
        cand_lists = [json.loads(r["candidates"]) for r in rows]
        ids = {r["place_id"] for r in rows if r["place_id"]} | {c[0] for cl in cand_lists for c in cl}
        places = self.places_by_id(ids)
        out = []
        for r, cl in zip(rows, cand_lists, strict=True):
            out.append(
                Mention(
                    start=r["start"],
                    end=r["end"],
                    text=r["text"],
                    sentence=r["sentence"],
                    sentence_start=r["sentence_start"],
                    type=r["type"],
                    key=r["key"],
                    candidates=[Candidate(places[c[0]], float(c[1])) for c in cl if c[0] in places],
                    place=places.get(r["place_id"]) if r["place_id"] else None,
                    confidence=float(r["confidence"]),
                )
            )
        return out

    def load_result(self, article_id: int, *, corrected: bool = True) -> ParseResult:
        """The stored geoparse of an article as a :class:`ParseResult`, corrections applied by default."""
        art = self.get_article(article_id)
        result = ParseResult(text=art.text, mentions=self.load_mentions(article_id), body=art.body)
        if corrected:
            from conflict_map.store.corrections import apply_corrections

            result = apply_corrections(result, self.corrections_for(article_id))
        return result

    # ---- corrections -----------------------------------------------------------------------

    def add_correction(
        self,
        kind: str,
        *,
        article_id: int | None = None,
        start: int | None = None,
        end: int | None = None,
        mention_text: str = "",
        alias_key: str = "",
        place: Place | None = None,
        note: str = "",
        user: str | None = None,
    ) -> CorrectionRecord:
        """Store a correction (one transaction) and return it; validation is in :mod:`corrections`."""
        stamp = now_iso()
        who = user or current_user()
        with self.transaction() as conn:
            if place is not None:
                self._upsert_places(conn, [place])
            cur = conn.execute(
                'INSERT INTO corrections(kind, article_id, start, "end", mention_text, alias_key, place,'
                " note, user, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    kind,
                    article_id,
                    start,
                    end,
                    mention_text,
                    alias_key,
                    place_to_json(place) if place else None,
                    note,
                    who,
                    stamp,
                ),
            )
            cid = int(cur.lastrowid or 0)
        return self.get_correction(cid)

    def get_correction(self, correction_id: int) -> CorrectionRecord:
        with self._lock:
            r = self.conn.execute("SELECT * FROM corrections WHERE id = ?", (correction_id,)).fetchone()
        if r is None:
            raise UserError(f"no correction {correction_id}")
        return _correction_from_row(r)

    def list_corrections(
        self, *, article_id: int | None = None, include_undone: bool = False
    ) -> list[CorrectionRecord]:
        """Corrections in the order they were made (aliases included when filtering by article)."""
        q, args = "SELECT * FROM corrections WHERE 1=1", []
        if article_id is not None:
            q += " AND (article_id = ? OR kind = 'alias')"
            args.append(article_id)
        if not include_undone:
            q += " AND undone_at IS NULL"
        with self._lock:
            return [_correction_from_row(r) for r in self.conn.execute(q + " ORDER BY id", args)]

    def corrections_for(self, article_id: int) -> list[CorrectionRecord]:
        """Active corrections that apply to one article (its own + corpus-wide aliases), oldest first."""
        return self.list_corrections(article_id=article_id)

    def undo_correction(self, correction_id: int | None = None, *, user: str | None = None) -> CorrectionRecord:
        """Undo one correction (the latest active one when no id is given); it stays listed as undone."""
        who = user or current_user()
        with self.transaction() as conn:
            if correction_id is None:
                r = conn.execute(
                    "SELECT id FROM corrections WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
                ).fetchone()
                if r is None:
                    raise UserError("there is no correction to undo")
                correction_id = int(r[0])
            r = conn.execute("SELECT undone_at FROM corrections WHERE id = ?", (correction_id,)).fetchone()
            if r is None:
                raise UserError(f"no correction {correction_id}")
            if r[0] is not None:
                raise UserError(f"correction {correction_id} was already undone at {r[0]}")
            conn.execute(
                "UPDATE corrections SET undone_at = ?, undone_by = ? WHERE id = ?",
                (now_iso(), who, correction_id),
            )
        return self.get_correction(correction_id)

    # ---- checks ----------------------------------------------------------------------------

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
            bad = self.conn.execute(
                "SELECT a.id FROM articles a LEFT JOIN mentions m ON m.article_id = a.id"
                " GROUP BY a.id HAVING count(m.id) != a.n_mentions"
            ).fetchall()
            if bad:
                problems.append(f"{len(bad)} articles whose stored mentions are incomplete")
            orphans = self.conn.execute(
                "SELECT count(*) FROM mentions m LEFT JOIN articles a ON a.id = m.article_id WHERE a.id IS NULL"
            ).fetchone()[0]
            if orphans:
                problems.append(f"{orphans} mentions without an article")
        return problems


def normalise_date(value: str) -> str:
    """``YYYY-MM-DD`` (or ``YYYY-MM`` / ``YYYY``) prefix of an ISO-like date, else ``""``."""
    import re

    value = (value or "").strip()
    m = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not m:
        return ""
    return "-".join(g for g in m.groups() if g)


def _place_from_row(r: sqlite3.Row) -> Place:
    return Place(
        id=r["id"],
        name=r["name"],
        kind=r["kind"],
        lat=r["lat"],
        lon=r["lon"],
        country=r["country"],
        province=r["province"],
        population=r["population"],
        source=r["source"],
    )


def _correction_from_row(r: sqlite3.Row) -> CorrectionRecord:
    return CorrectionRecord(
        id=r["id"],
        kind=r["kind"],
        article_id=r["article_id"],
        start=r["start"],
        end=r["end"],
        mention_text=r["mention_text"],
        alias_key=r["alias_key"],
        place=place_from_json(r["place"]),
        note=r["note"],
        user=r["user"],
        created_at=r["created_at"],
        undone_at=r["undone_at"],
        undone_by=r["undone_by"],
    )
