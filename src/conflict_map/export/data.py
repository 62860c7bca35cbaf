"""What an export writes, gathered once for every format: places with excerpts, checked claims, articles.

* :func:`collect` reads a corpus (all articles, or some), with the user's corrections applied: one
  :class:`~conflict_map.store.queries.PlaceSummary` per place (mentions, articles, up to ``max_excerpts``
  quoted sentences) and one :class:`ClaimRecord` per checked distance/length claim
  (:func:`conflict_map.claims.check.check_claims`).
* :func:`data_from_result` does the same for one geoparsed text that is not stored (the dashboard's
  current article).
* :class:`ExportFormat` is what a writer registers (:mod:`conflict_map.export.registry`): its name,
  extension, MIME type and the function that turns an :class:`ExportData` into a file.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conflict_map.claims.check import check_claims
from conflict_map.export.lines import LatLon, geodesic_points
from conflict_map.models import ParseResult, Place
from conflict_map.store.queries import CorpusFilter, Excerpt, PlaceSummary, place_summaries
from conflict_map.store.sqlite import Article, Corpus

#: Above this many articles claims are not re-checked for a corpus export (it would take minutes).
MAX_CLAIM_ARTICLES = 2000


@dataclass(slots=True)
class ClaimRecord:
    """A checked distance/length claim, flattened for export."""

    article_id: int
    sentence: str
    stated: str
    measured: str
    verdict: str
    line: list[LatLon] = field(default_factory=list)
    stated_km: float | None = None
    measured_km: float | None = None
    places: list[str] = field(default_factory=list)
    explanation: str = ""

    def properties(self, articles: dict[int, Article]) -> dict[str, Any]:
        """The exported attributes of the claim (GeoJSON properties; KML extended data)."""
        art = articles.get(self.article_id)
        return {
            "type": "claim",
            "article_id": self.article_id,
            "article_title": art.title if art else "",
            "sentence": self.sentence,
            "stated": self.stated,
            "measured": self.measured,
            "verdict": self.verdict,
            "explanation": self.explanation,
            "stated_km": self.stated_km,
            "measured_km": self.measured_km,
            "places": list(self.places),
        }


@dataclass(slots=True)
class ExportData:
    """Everything an export writes: places (with excerpts), claims and the articles they refer to.

    The writers go through ``places`` and ``claims`` in order and look articles up by id; a later
    exporter can hand them rows in chunks without changing what they write.
    """

    places: list[PlaceSummary]
    claims: list[ClaimRecord]
    articles: dict[int, Article]
    title: str = "conflict-map export"
    generated_at: str = ""
    warnings: list[str] = field(default_factory=list)


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


def _now() -> str:
    """The current UTC time as ``2024-01-02T03:04:05Z``."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def collect(
    corpus: Corpus,
    *,
    article_ids: Sequence[int] = (),
    flt: CorpusFilter | None = None,
    max_excerpts: int = 5,
    claims: bool = True,
) -> ExportData:
    """Gather the export data from ``corpus`` (all articles, or ``article_ids``)."""
    flt = flt or CorpusFilter()
    if article_ids:
        for aid in article_ids:
            corpus.get_article(aid)  # raises a clear error for an unknown id
        flt = CorpusFilter(
            date_from=flt.date_from,
            date_to=flt.date_to,
            publishers=flt.publishers,
            kinds=flt.kinds,
            article_ids=list(article_ids),
            include_undated=flt.include_undated,
        )
    places = place_summaries(corpus, flt, max_excerpts=max_excerpts)
    ids = sorted({a for s in places for a in s.article_ids} | set(article_ids))
    articles = {a.id: a for a in corpus.list_articles() if a.id in set(ids)} if ids else {}
    warnings: list[str] = []
    claim_list: list[ClaimRecord] = []
    if claims:
        claim_ids = list(article_ids) or [
            a.id for a in corpus.list_articles(date_from=flt.date_from, date_to=flt.date_to)
        ]
        if len(claim_ids) > MAX_CLAIM_ARTICLES:
            warnings.append(
                f"claims not re-checked: {len(claim_ids)} articles (limit {MAX_CLAIM_ARTICLES});"
                " export fewer articles with --article to include them"
            )
        else:
            for aid in claim_ids:
                claim_list += claims_for(aid, corpus.load_result(aid))
            for c in claim_list:
                if c.article_id not in articles:
                    articles[c.article_id] = corpus.get_article(c.article_id)
    if len(article_ids) == 1:
        title = articles[article_ids[0]].label() if article_ids[0] in articles else f"article {article_ids[0]}"
    else:
        title = f"conflict-map corpus: {len(articles)} article(s), {len(places)} place(s)"
    return ExportData(
        places=places,
        claims=claim_list,
        articles=articles,
        title=title,
        generated_at=_now(),
        warnings=warnings,
    )


def claims_for(article_id: int, result: ParseResult) -> list[ClaimRecord]:
    """The checked distance and length claims of one article (:func:`conflict_map.claims.check.check_claims`)."""
    return [claim_record(article_id, c) for c in check_claims(result)]


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _latlon(v: Any) -> LatLon | None:
    """A (lat, lon) from a Place, a dict with lat/lon or a (lat, lon) pair."""
    if v is None:
        return None
    if isinstance(v, Place):
        return (v.lat, v.lon)
    if isinstance(v, dict) and "lat" in v and "lon" in v:
        lat, lon = _num(v["lat"]), _num(v["lon"])
        return (lat, lon) if lat is not None and lon is not None else None
    if hasattr(v, "lat") and hasattr(v, "lon"):
        return (float(v.lat), float(v.lon))
    if isinstance(v, list | tuple) and len(v) == 2:
        lat, lon = _num(v[0]), _num(v[1])
        return (lat, lon) if lat is not None and lon is not None else None
    return None


def claim_record(article_id: int, c: Any) -> ClaimRecord:
    """Adapter from a :class:`conflict_map.claims.check.Claim` (or a dict with similar keys) to a record.

    Geometry: an explicit ``line``; else the two places of a distance claim (geodesic); else a place and
    the ``nearest_point`` of a distance-to-border claim; else none (e.g. a border length claim).
    """
    d: dict[str, Any] = c.to_dict() if hasattr(c, "to_dict") else dict(c)
    line: list[LatLon] = []
    for key in ("line", "geometry", "coords", "path"):
        raw = d.get(key) if key in d else getattr(c, key, None)
        if isinstance(raw, list | tuple) and raw:
            pts = [_latlon(p) for p in raw]
            line = [p for p in pts if p is not None]
            if line:
                break
    ends: list[Any] = []
    for a_key, b_key in (("a", "b"), ("from", "to"), ("place_a", "place_b")):
        a = d.get(a_key, getattr(c, a_key, None))
        b = d.get(b_key, getattr(c, b_key, None))
        if a is not None and b is not None:
            ends = [a, b]
            break
    places = list(getattr(c, "places", None) or d.get("places") or [])
    if not ends and places:
        ends = places[:2]
    names = [e.name if isinstance(e, Place) else (e.get("name", "") if isinstance(e, dict) else str(e)) for e in ends]
    nearest = _latlon(d.get("nearest_point"))
    if not line:
        pts = [_latlon(e) for e in ends]
        if len(pts) == 2 and pts[0] is not None and pts[1] is not None:
            line = geodesic_points(pts[0], pts[1])
        elif len(pts) == 1 and pts[0] is not None and nearest is not None:
            line = geodesic_points(pts[0], nearest)
    measured_km = _num(d.get("measured_km"))
    measured = str(d.get("measured", "") or "")
    if not measured and measured_km is not None:
        measured = f"{measured_km:.1f} km"
    stated = str(d.get("stated", "") or d.get("claim", "") or d.get("text", "") or "")
    subject = str(d.get("subject", "") or "")
    return ClaimRecord(
        article_id=article_id,
        sentence=str(d.get("sentence", "") or ""),
        stated=stated,
        measured=measured,
        verdict=str(d.get("verdict", "") or ""),
        line=line,
        stated_km=_num(d.get("stated_km", d.get("value_km"))),
        measured_km=measured_km,
        places=[n for n in names if n] or ([subject] if subject else []),
        explanation=str(d.get("explanation", "") or ""),
    )


def article_refs(ids: Iterable[int], articles: dict[int, Article]) -> list[dict[str, Any]]:
    """Id, title, date and URL of each article in ``ids`` (empty strings for one not in ``articles``)."""
    out = []
    for i in ids:
        a = articles.get(i)
        out.append({"id": i, "title": a.title if a else "", "date": a.date if a else "", "url": a.url if a else ""})
    return out


def place_properties(s: PlaceSummary, articles: dict[int, Article]) -> dict[str, Any]:
    """The exported attributes of a place (GeoJSON properties; the GeoPackage flattens some)."""
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
    return ExportData(
        places=places,
        claims=claims_for(0, result),
        articles={0: art},
        title=title or "conflict-map article",
        generated_at=_now(),
    )


__all__ = [
    "MAX_CLAIM_ARTICLES",
    "ClaimRecord",
    "ExportData",
    "ExportFormat",
    "article_refs",
    "claim_record",
    "claims_for",
    "collect",
    "data_from_result",
    "place_properties",
]
