"""A corpus export read in chunks: places, claims, mentions and the articles they cite, never all at once.

:func:`conflict_map.export.data.collect` hands the writers these lazy sequences instead of lists:

* :class:`PlaceStream` - the places (counted in one SQL ``GROUP BY``), filled with their article ids and
  excerpts a chunk at a time (:func:`conflict_map.store.queries.filled_summaries`); while a chunk is
  written, :class:`ArticleCache` holds just the articles it cites;
* :class:`ClaimStream` - the checked claims stored with the articles, in article order;
* :class:`MentionStream` - one row per resolved mention (the GeoParquet ``mentions`` layer).

Each can be iterated more than once and has a length, so writers treat them like lists; memory holds one
chunk (a few hundred places, a few thousand rows), however large the corpus.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from conflict_map.claims.record import ClaimRecord
from conflict_map.models import Article
from conflict_map.store.base import Store
from conflict_map.store.derive import chunks, loads
from conflict_map.store.queries import EFFECTIVE, CorpusFilter, PlaceSummary, filled_summaries

#: A chunk of places holds at most this many (place, article) references (and so cached articles).
MAX_REFS_PER_CHUNK = 20_000
#: ... and at most this many places.
MAX_PLACES_PER_CHUNK = 500
#: Claims read per round trip.
CLAIM_CHUNK = 1000


class ArticleCache(Mapping[int, Article]):
    """The exported articles by id: the ones the current chunk cites are held, others read on demand.

    Iterating gives every exported article id (read from the database); ``len`` is their number.
    """

    def __init__(self, store: Store, ids_sql: str, args: Sequence[Any], count: int) -> None:
        self._store = store
        self._ids_sql = ids_sql
        self._args = list(args)
        self._count = count
        self._held: dict[int, Article] = {}

    def hold(self, ids: set[int]) -> None:
        """Keep exactly the articles ``ids`` (read them now, drop the others)."""
        keep = {i: a for i, a in self._held.items() if i in ids}
        missing = ids - set(keep)
        if missing:
            keep.update(self._store.articles_by_id(missing))
        self._held = keep

    def __getitem__(self, article_id: int) -> Article:
        art = self._held.get(article_id)
        if art is None:
            art = self._store.articles_by_id([article_id]).get(article_id)
            if art is None:
                raise KeyError(article_id)
            self._held[article_id] = art
        return art

    def __iter__(self) -> Iterator[int]:
        return (int(r[0]) for r in self._store.rows(self._ids_sql, self._args))

    def __len__(self) -> int:
        return self._count


class PlaceStream(Sequence[PlaceSummary]):
    """The exported places in order (most articles first), filled chunk by chunk."""

    def __init__(
        self,
        store: Store,
        flt: CorpusFilter,
        summaries: list[PlaceSummary],
        articles: ArticleCache,
        max_excerpts: int,
    ) -> None:
        self._store = store
        self._flt = flt
        self._summaries = summaries
        self._articles = articles
        self._max_excerpts = max_excerpts

    def __len__(self) -> int:
        return len(self._summaries)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return next(iter(self._fill([self._summaries[i]])))

    def _fill(self, chunk: Sequence[PlaceSummary]) -> list[PlaceSummary]:
        base = [dataclasses.replace(s, article_ids=[], excerpts=[]) for s in chunk]
        filled = list(filled_summaries(self._store, self._flt, base, max_excerpts=self._max_excerpts))
        cited = {a for s in filled for a in s.article_ids} | {e.article_id for s in filled for e in s.excerpts}
        self._articles.hold(cited)
        return filled

    def __iter__(self) -> Iterator[PlaceSummary]:
        chunk: list[PlaceSummary] = []
        refs = 0
        for s in self._summaries:
            if chunk and (refs + s.n_articles > MAX_REFS_PER_CHUNK or len(chunk) >= MAX_PLACES_PER_CHUNK):
                yield from self._fill(chunk)
                chunk, refs = [], 0
            chunk.append(s)
            refs += s.n_articles
        if chunk:
            yield from self._fill(chunk)

    def bbox(self) -> tuple[float, float, float, float] | None:
        """``(min lon, min lat, max lon, max lat)`` of the places, ``None`` without places."""
        if not self._summaries:
            return None
        lons = [s.place.lon for s in self._summaries]
        lats = [s.place.lat for s in self._summaries]
        return (min(lons), min(lats), max(lons), max(lats))


class ClaimStream(Sequence[ClaimRecord]):
    """The stored claims of the exported articles, newest article first (as the article list shows them)."""

    def __init__(self, store: Store, where: str, args: Sequence[Any], articles: ArticleCache) -> None:
        self._store = store
        self._sql = (
            "SELECT c.article_id, c.data FROM claims c JOIN articles a ON a.id = c.article_id"
            f" WHERE {where} ORDER BY a.date DESC, a.id DESC, c.ord"
        )
        self._args = list(args)
        self._articles = articles
        rows = store.rows(f"SELECT count(*) FROM claims c JOIN articles a ON a.id = c.article_id WHERE {where}", args)
        self._count = int(next(iter(list(rows)))[0])

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, i: Any) -> Any:
        items = list(self)
        return items[i]

    def __iter__(self) -> Iterator[ClaimRecord]:
        batch: list[ClaimRecord] = []
        for aid, data in self._store.rows(self._sql, self._args):
            batch.append(ClaimRecord.from_json(int(aid), loads(data)))
            if len(batch) >= CLAIM_CHUNK:
                self._articles.hold({c.article_id for c in batch})
                yield from batch
                batch = []
        self._articles.hold({c.article_id for c in batch})
        yield from batch


#: Columns of a :class:`MentionStream` row.
MENTION_FIELDS = (
    "article_id",
    "ext_id",
    "date",
    "start",
    "end",
    "mention",
    "place_id",
    "name",
    "kind",
    "country",
    "province",
    "confidence",
    "lat",
    "lon",
)


class MentionStream:
    """One row per resolved mention of the exported articles (corrections applied), in article order."""

    def __init__(self, store: Store, flt: CorpusFilter) -> None:
        cond, args = flt.article_sql("a")
        kinds = list(flt.kinds)
        kind_sql = f" AND p.kind IN ({','.join('?' * len(kinds))})" if kinds else ""
        self._store = store
        self._sql = (
            'SELECT m.article_id, a.ext_id, a.date, m.start, m."end", m.text, m.place_id, p.name, p.kind,'
            f" p.country, p.province, m.confidence, {store.place_lat_lon} FROM mentions m"
            f" JOIN {store.articles_meta} ON a.id = m.article_id JOIN places p ON p.id = m.place_id"
            f" WHERE {cond} AND {EFFECTIVE}{kind_sql}"
        )
        self._args = [*args, *kinds]

    def __len__(self) -> int:
        q = f"SELECT count(*) FROM ({self._sql}) n"
        return int(next(iter(list(self._store.rows(q, self._args))))[0])

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return self._store.rows(self._sql + ' ORDER BY m.article_id, m.start, m."end"', self._args)


def in_list(ids: Sequence[int]) -> str:
    """``1,2,3`` for an SQL ``IN`` list of integers (never text: nothing to escape)."""
    return ",".join(str(int(i)) for i in ids)


__all__ = [
    "CLAIM_CHUNK",
    "MAX_PLACES_PER_CHUNK",
    "MAX_REFS_PER_CHUNK",
    "MENTION_FIELDS",
    "ArticleCache",
    "ClaimStream",
    "MentionStream",
    "PlaceStream",
    "chunks",
    "in_list",
]
