"""Corpus files as older conflict-map versions wrote them (schema 1-4), for migration tests.

Written with the SQL of those versions (:data:`conflict_map.store.schema.SQLITE` up to the version asked
for, and their insert statements: every mention row holding its whole sentence), never with today's code.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from conflict_map.models import ArticleInput, ParseResult, Place, normalise_date, place_to_json
from conflict_map.store.schema import SQLITE

STAMP = "2025-01-01T00:00:00Z"


def _place_row(p: Place) -> tuple:
    return (p.id, p.name, p.kind, p.lat, p.lon, p.country, p.province, p.population, p.source)


def make_old_corpus(
    path: Path,
    version: int,
    articles: Sequence[tuple[ArticleInput, ParseResult]],
    corrections: Sequence[dict] = (),
) -> Path:
    """A corpus file at schema ``version`` (1-4) holding ``articles`` and ``corrections`` (dicts of the
    corrections table's columns, ``place`` a :class:`Place`)."""
    con = sqlite3.connect(path)
    for v in range(1, version + 1):
        for stmt in SQLITE[v]:
            con.execute(stmt)
    con.execute(f"PRAGMA user_version = {version}")
    for aid, (art, result) in enumerate(articles, start=1):
        con.execute(
            "INSERT INTO articles(id, hash, ext_id, title, url, publisher, date, source_name, format, text,"
            " body_start, body_end, warnings, n_mentions, added_at, processed_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (aid, art.hash, art.ext_id, art.title, art.url, art.publisher, normalise_date(art.date),
             art.source_name, art.format, art.text, result.body[0], result.body[1], "[]",
             len(result.mentions), STAMP, STAMP),
        )  # fmt: skip
        for m in result.mentions:
            for p in [m.place, *(c.place for c in m.candidates)]:
                if p is not None:
                    con.execute("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?)", _place_row(p))
            con.execute(
                'INSERT INTO mentions(article_id, start, "end", text, sentence, sentence_start, type, key,'
                " place_id, confidence, candidates) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (aid, m.start, m.end, m.text, m.sentence, m.sentence_start, m.type, m.key,
                 m.place.id if m.place else None, m.confidence,
                 json.dumps([[c.place.id, c.score] for c in m.candidates])),
            )  # fmt: skip
    for c in corrections:
        if c.get("place") is not None:
            con.execute("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?)", _place_row(c["place"]))
        con.execute(
            'INSERT INTO corrections(kind, article_id, start, "end", mention_text, alias_key, place, note, user,'
            " created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (c["kind"], c.get("article_id"), c.get("start"), c.get("end"), c.get("mention_text", ""),
             c.get("alias_key", ""), place_to_json(c["place"]) if c.get("place") else None, "", "old", STAMP),
        )  # fmt: skip
    con.commit()
    con.close()
    return path
