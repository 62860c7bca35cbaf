"""What an export writes, gathered once for every format: places with excerpts, checked claims, articles.

* :func:`collect` reads a corpus (all articles, or some), with the user's corrections applied: one
  :class:`~conflict_map.store.queries.PlaceSummary` per place (mentions, articles, up to ``max_excerpts``
  quoted sentences), one :class:`ClaimRecord` per checked distance/length claim (checked when the article
  was stored, :mod:`conflict_map.claims.record`) and, for the GeoParquet ``mentions`` layer, one row per
  mention. It counts in SQL and hands the writers lazy sequences (:mod:`conflict_map.export.stream`) that
  read the corpus in chunks, so memory does not grow with the corpus.
* :func:`data_from_result` does the same for one geoparsed text that is not stored (the dashboard's
  current article).
* :class:`ExportFormat` is what a writer registers (:mod:`conflict_map.export.registry`): its name,
  extension, MIME type and the function that turns an :class:`ExportData` into a file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conflict_map.claims.record import ClaimRecord, claim_record, claims_for
from conflict_map.export.stream import ArticleCache, ClaimStream, MentionStream, PlaceStream, in_list
from conflict_map.models import Article, ParseResult
from conflict_map.store.base import Store
from conflict_map.store.queries import EFFECTIVE, CorpusFilter, Excerpt, PlaceSummary, place_counts


@dataclass(slots=True)
class ExportData:
    """Everything an export writes: places (with excerpts), claims and the articles they refer to.

    The writers go through ``places`` and ``claims`` in order and look articles up by id; for a corpus
    they are lazy sequences that read it in chunks (:mod:`conflict_map.export.stream`). ``mentions`` holds
    one row per mention (:data:`conflict_map.export.stream.MENTION_FIELDS`) for ``layer="mentions"``.
    """

    places: Sequence[PlaceSummary]
    claims: Sequence[ClaimRecord]
    articles: Mapping[int, Article]
    title: str = "conflict-map export"
    generated_at: str = ""
    warnings: list[str] = field(default_factory=list)
    mentions: Iterable[tuple[Any, ...]] = ()
    layer: str = "places"


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format: name, file extension, MIME type and its writer.

    A writer either returns the file's content (``to_bytes``: GeoJSON, CSV, KML, HTML) or writes the file
    at a path itself (``to_file``: the GeoPackage, written by GDAL). :meth:`write_file` is the one way the
    registry writes either kind, always into a temporary file that is then renamed over the target, so a
    writer that streams its rows to a path later slots in as a ``to_file`` writer.
    """

    name: str
    extension: str
    mime_type: str
    to_bytes: Callable[[ExportData], bytes] | None = None
    to_file: Callable[[ExportData, Path], object] | None = None

    def write_file(self, data: ExportData, path: Path) -> None:
        """Write ``data`` in this format to ``path`` (a new file or one to overwrite)."""
        if self.to_file is not None:
            self.to_file(data, path)
        elif self.to_bytes is not None:
            path.write_bytes(self.to_bytes(data))
        else:
            raise TypeError(f"export format {self.name!r} has no writer")


def materialised(data: ExportData) -> ExportData:
    """``data`` with its places and claims read into lists (for writers that build the whole file in memory:
    KML, the HTML map); the articles stay a look-up."""
    return dataclasses.replace(data, places=list(data.places), claims=list(data.claims))


def _now() -> str:
    """The current UTC time as ``2024-01-02T03:04:05Z``."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def collect(
    corpus: Store,
    *,
    article_ids: Sequence[int] = (),
    flt: CorpusFilter | None = None,
    max_excerpts: int = 5,
    claims: bool = True,
) -> ExportData:
    """Gather the export data from ``corpus`` (all articles, or ``article_ids``), read lazily in chunks."""
    flt = flt or CorpusFilter()
    if article_ids:
        for aid in article_ids:
            corpus.get_article(aid)  # raises a clear error for an unknown id
        flt = dataclasses.replace(flt, article_ids=list(article_ids))
    summaries = place_counts(corpus, flt)
    claim_where, claim_args = _claim_filter(flt, article_ids) if claims else ("1=0", [])
    ids_sql, ids_args = _article_ids_sql(flt, article_ids, claim_where, claim_args)
    count = int(next(iter(list(corpus.rows(f"SELECT count(*) FROM ({ids_sql}) x", ids_args))))[0])
    articles = ArticleCache(corpus, ids_sql + " ORDER BY id", ids_args, count)
    places = PlaceStream(corpus, flt, summaries, articles, max_excerpts)
    if len(article_ids) == 1:
        title = corpus.get_article(article_ids[0]).label()
    else:
        title = f"conflict-map corpus: {count} article(s), {len(summaries)} place(s)"
    return ExportData(
        places=places,
        claims=ClaimStream(corpus, claim_where, claim_args, articles),
        articles=articles,
        title=title,
        generated_at=_now(),
        mentions=MentionStream(corpus, flt),
    )


def _claim_filter(flt: CorpusFilter, article_ids: Sequence[int]) -> tuple[str, list[Any]]:
    """Which stored claims an export carries: those of ``article_ids``, else of the articles in the date range."""
    if article_ids:
        return f"a.id IN ({in_list(article_ids)})", []
    where, args = ["1=1"], []
    if flt.date_from:
        where.append("a.date != '' AND a.date >= ?")
        args.append(flt.date_from)
    if flt.date_to:
        where.append("a.date != '' AND a.date <= ?")
        args.append(flt.date_to + "\uffff")
    return " AND ".join(where), args


def _article_ids_sql(
    flt: CorpusFilter, article_ids: Sequence[int], claim_where: str, claim_args: list[Any]
) -> tuple[str, list[Any]]:
    """SQL listing the ids of the exported articles: cited by a place, asked for, or holding a claim."""
    cond, args = flt.article_sql("a")
    kinds = list(flt.kinds)
    kind_sql = f" AND p.kind IN ({','.join('?' * len(kinds))})" if kinds else ""
    parts = [
        "SELECT m.article_id AS id FROM mentions m JOIN articles a ON a.id = m.article_id"
        f" JOIN places p ON p.id = m.place_id WHERE {cond} AND {EFFECTIVE}{kind_sql}",
        f"SELECT c.article_id AS id FROM claims c JOIN articles a ON a.id = c.article_id WHERE {claim_where}",
    ]
    if article_ids:
        parts.append(f"SELECT a.id AS id FROM articles a WHERE a.id IN ({in_list(article_ids)})")
    return "SELECT DISTINCT id FROM (" + " UNION ALL ".join(parts) + ") u", [*args, *kinds, *claim_args]


def article_refs(ids: Iterable[int], articles: dict[int, Article]) -> list[dict[str, Any]]:
    """Id, title, date and URL of each article in ``ids`` (empty strings for one not in ``articles``)."""
    out = []
    for i in ids:
        a = articles.get(i)
        out.append({"id": i, "title": a.title if a else "", "date": a.date if a else "", "url": a.url if a else ""})
    return out


def place_attributes(s: PlaceSummary) -> dict[str, Any]:
    """The place's own exported attributes, in the export's order: type, id, name, kind, country, province,
    lat and lon (rounded to 6 decimals, about 0.1 m), source, its mention and article counts, first and last date."""
    p = s.place
    return {
        "type": "place",
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "country": p.country,
        "province": p.province,
        "lat": round(p.lat, 6),
        "lon": round(p.lon, 6),
        "source": p.source,
        "mentions": s.n_mentions,
        "articles": s.n_articles,
        "first_date": s.first_date,
        "last_date": s.last_date,
    }


def place_properties(s: PlaceSummary, articles: dict[int, Article]) -> dict[str, Any]:
    """The exported attributes of a place (GeoJSON properties; the GeoPackage flattens some)."""
    return {
        **place_attributes(s),
        "article_refs": article_refs(s.article_ids, articles),
        "excerpts": [e.to_dict() for e in s.excerpts],
    }


def data_from_result(
    result: ParseResult, *, title: str = "", url: str = "", date: str = "", max_excerpts: int = 5
) -> ExportData:
    """Export data for one geoparsed text that is not in a corpus (the dashboard's current article)."""
    art = Article(
        id=0, hash="", title=title, url=url, publisher="", date=date, source_name="", ext_id="", format="txt",
        n_mentions=len(result.mentions), added_at="",
    )  # fmt: skip
    places = []
    for place, ms in result.resolved_places().values():
        seen: set[str] = set()
        excerpts = []
        for m in ms:
            sent = m.sentence or m.text
            if sent in seen or len(excerpts) >= max_excerpts:
                continue
            seen.add(sent)
            rel = m.start - m.sentence_start
            if not (rel >= 0 and sent[rel : rel + len(m.text)] == m.text):
                rel = max(sent.find(m.text), 0)
            excerpts.append(Excerpt(0, title, date, "", sent, rel, rel + len(m.text), m.text))
        places.append(
            PlaceSummary(
                place=place, n_mentions=len(ms), n_articles=1, article_ids=[0], first_date=date, last_date=date,
                min_confidence=min(m.confidence for m in ms), excerpts=excerpts,
            )
        )  # fmt: skip
    mentions = [
        (0, "", date, m.start, m.end, m.text, p.id, p.name, p.kind, p.country, p.province, m.confidence, p.lat, p.lon)
        for m in result.places
        if (p := m.place) is not None
    ]
    return ExportData(
        places=places,
        claims=claims_for(0, result),
        articles={0: art},
        title=title or "conflict-map article",
        generated_at=_now(),
        mentions=mentions,
    )


__all__ = [
    "ClaimRecord",
    "ExportData",
    "ExportFormat",
    "article_refs",
    "claim_record",
    "claims_for",
    "collect",
    "data_from_result",
    "materialised",
    "place_attributes",
    "place_properties",
]
