"""The corpus schema of both backends, one migration per version (the same numbers in SQLite and PostGIS).

``SQLITE[v]`` and ``POSTGIS[v]`` upgrade a database from version ``v - 1`` to ``v``; SQLite keeps its version
in ``PRAGMA user_version``, PostgreSQL in the one-row table ``schema_version``. A database written by a newer
conflict-map is refused, never changed. Bump :data:`SCHEMA_VERSION` and add a step to both for every change.

Version 5 stores each sentence once per article: a mention keeps the offsets of its sentence
(``sentence_start``, ``sentence_end``) in the article text, which is stored anyway (its ``sentence``
column is ``''`` unless the sentence is not a slice of the text). It also keeps what the corpus looks like
after the readers' corrections, so that exports aggregate in SQL: mention rows of ``origin`` 1 are an
article's mentions with its corrections applied, ``effective`` marks the rows that count (the corrected
rows of a corrected article, else the machine's), and ``claims`` holds each article's checked claims.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Current schema version of both backends.
SCHEMA_VERSION = 5

#: Mention rows: the machine's (kept as geoparsed) and those with the readers' corrections applied.
ORIGIN_MACHINE = 0
ORIGIN_CORRECTED = 1

#: The steps (or parts of steps) that are the same SQL in both backends.
_V1_CORRECTION_INDEXES = (
    "CREATE INDEX IF NOT EXISTS corrections_article ON corrections(article_id)",
    "CREATE INDEX IF NOT EXISTS corrections_alias ON corrections(alias_key)",
)
# 2: a covering index so corpus-wide counts per place scan a narrow index, not the wide mention rows
_V2_PLACE_COVER = (
    "CREATE INDEX IF NOT EXISTS mentions_place_cover ON mentions(place_id, article_id, type, confidence)",
    "DROP INDEX IF EXISTS mentions_place",
)
# 3: article date/publisher without touching the wide rows (text) when counting places per date/source
_V3_ARTICLES_META = ("CREATE INDEX IF NOT EXISTS articles_meta ON articles(id, date, publisher)",)
_V5_SENTENCE_OFFSETS = (
    "UPDATE mentions SET sentence_end = sentence_start + length(sentence)",
    # the sentence is the article's text between the offsets: keep it only where it is not
    "UPDATE mentions SET sentence = '' WHERE sentence = substr((SELECT a.text FROM articles a"
    " WHERE a.id = mentions.article_id), sentence_start + 1, length(sentence))",
)

SQLITE: dict[int, Sequence[str]] = {
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
        *_V1_CORRECTION_INDEXES,
    ),
    2: _V2_PLACE_COVER,
    3: _V3_ARTICLES_META,
    # 4: the teacher's story layout per article (conflict_map.present.layout_store); corpora where an earlier
    # version created it on first use already have it, hence IF NOT EXISTS
    4: (
        """CREATE TABLE IF NOT EXISTS story (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            layout TEXT NOT NULL,
            user TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
    ),
    # 5: sentences once per article; mentions after corrections and checked claims kept for SQL exports
    5: (
        "ALTER TABLE mentions ADD COLUMN sentence_end INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE mentions ADD COLUMN origin INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE mentions ADD COLUMN effective INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE articles ADD COLUMN corrected INTEGER NOT NULL DEFAULT 0",
        *_V5_SENTENCE_OFFSETS,
        "DROP INDEX IF EXISTS mentions_place_cover",
        "CREATE INDEX mentions_place_cover ON mentions(place_id, effective, type, article_id, confidence)",
        """CREATE TABLE IF NOT EXISTS claims (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (article_id, ord)
        )""",
    ),
}

#: PostgreSQL + PostGIS: the same tables; text compared and sorted byte-wise (``COLLATE "C"``, as SQLite
#: does), points as ``geography(Point,4326)`` with a GiST index, JSON as ``JSONB``.
POSTGIS: dict[int, Sequence[str]] = {
    1: (
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE IF NOT EXISTS articles (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            hash TEXT COLLATE "C" NOT NULL UNIQUE,
            ext_id TEXT COLLATE "C" NOT NULL DEFAULT '',
            title TEXT COLLATE "C" NOT NULL DEFAULT '',
            url TEXT COLLATE "C" NOT NULL DEFAULT '',
            publisher TEXT COLLATE "C" NOT NULL DEFAULT '',
            date TEXT COLLATE "C" NOT NULL DEFAULT '',
            source_name TEXT COLLATE "C" NOT NULL DEFAULT '',
            format TEXT NOT NULL DEFAULT 'txt',
            text TEXT COLLATE "C" NOT NULL,
            body_start INTEGER NOT NULL DEFAULT 0,
            body_end INTEGER NOT NULL DEFAULT 0,
            warnings JSONB NOT NULL DEFAULT '[]',
            n_mentions INTEGER NOT NULL DEFAULT 0,
            added_at TEXT COLLATE "C" NOT NULL,
            processed_at TEXT COLLATE "C" NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX IF NOT EXISTS articles_date ON articles(date)",
        "CREATE INDEX IF NOT EXISTS articles_publisher ON articles(publisher)",
        """CREATE TABLE IF NOT EXISTS places (
            id TEXT COLLATE "C" PRIMARY KEY,
            name TEXT COLLATE "C" NOT NULL,
            kind TEXT COLLATE "C" NOT NULL DEFAULT '',
            geog geography(Point, 4326) NOT NULL,
            country TEXT COLLATE "C" NOT NULL DEFAULT '',
            province TEXT COLLATE "C" NOT NULL DEFAULT '',
            population BIGINT NOT NULL DEFAULT 0,
            source TEXT COLLATE "C" NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX IF NOT EXISTS places_geog ON places USING GIST (geog)",
        """CREATE TABLE IF NOT EXISTS mentions (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT COLLATE "C" NOT NULL,
            sentence TEXT COLLATE "C" NOT NULL DEFAULT '',
            sentence_start INTEGER NOT NULL DEFAULT 0,
            type TEXT COLLATE "C" NOT NULL DEFAULT 'place',
            key TEXT COLLATE "C" NOT NULL DEFAULT '',
            place_id TEXT COLLATE "C" REFERENCES places(id),
            confidence DOUBLE PRECISION NOT NULL DEFAULT 0,
            candidates JSONB NOT NULL DEFAULT '[]'
        )""",
        "CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id, start)",
        "CREATE INDEX IF NOT EXISTS mentions_place ON mentions(place_id)",
        """CREATE TABLE IF NOT EXISTS corrections (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('choose', 'coords', 'not_place', 'alias')),
            article_id BIGINT REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER,
            "end" INTEGER,
            mention_text TEXT COLLATE "C" NOT NULL DEFAULT '',
            alias_key TEXT COLLATE "C" NOT NULL DEFAULT '',
            place JSONB,
            note TEXT COLLATE "C" NOT NULL DEFAULT '',
            "user" TEXT COLLATE "C" NOT NULL,
            created_at TEXT COLLATE "C" NOT NULL,
            undone_at TEXT COLLATE "C",
            undone_by TEXT COLLATE "C"
        )""",
        *_V1_CORRECTION_INDEXES,
    ),
    2: _V2_PLACE_COVER,
    3: _V3_ARTICLES_META,
    4: (
        """CREATE TABLE IF NOT EXISTS story (
            article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            layout JSONB NOT NULL,
            "user" TEXT COLLATE "C" NOT NULL,
            updated_at TEXT COLLATE "C" NOT NULL
        )""",
    ),
    5: (
        "ALTER TABLE mentions ADD COLUMN sentence_end INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE mentions ADD COLUMN origin SMALLINT NOT NULL DEFAULT 0",
        "ALTER TABLE mentions ADD COLUMN effective SMALLINT NOT NULL DEFAULT 1",
        "ALTER TABLE articles ADD COLUMN corrected SMALLINT NOT NULL DEFAULT 0",
        *_V5_SENTENCE_OFFSETS,
        "DROP INDEX IF EXISTS mentions_place_cover",
        "CREATE INDEX mentions_place_cover ON mentions(place_id, effective, type, article_id, confidence)",
        """CREATE TABLE IF NOT EXISTS claims (
            article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            data JSONB NOT NULL,
            PRIMARY KEY (article_id, ord)
        )""",
    ),
}

#: Versions after whose SQL the stored corrections and claims are derived again in Python (see
#: ``SqlStore.rebuild_derived``): version 5 introduced them.
REBUILD_AFTER = frozenset({5})

__all__ = ["ORIGIN_CORRECTED", "ORIGIN_MACHINE", "POSTGIS", "REBUILD_AFTER", "SCHEMA_VERSION", "SQLITE"]
