"""Page logic of the dashboard that is not layout: input limits, corrections, borders, claims, URL state.

``app.py`` only lays out widgets; everything here is plain Python and unit-tested.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from conflict_map.errors import InputError, UserError
from conflict_map.geo import geodesy
from conflict_map.memo import locked_cache
from conflict_map.models import Mention, ParseResult, Place
from conflict_map.view import offline
from conflict_map.view.mapview import MapPlace, map_places, plan_map
from conflict_map.view.overlays import LineOverlay, format_km, label_point
from conflict_map.view.render import markdown_text

#: Largest article the dashboard maps (characters). Longer texts are refused with a clear message.
MAX_ARTICLE_CHARS = 100_000
#: Largest upload accepted (bytes) - PDFs and HTML pages carry markup around the text.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
#: URL fetch limits (only offered when the machine is online): body size, and time for the whole fetch.
URL_MAX_BYTES = 5 * 1024 * 1024
URL_TIMEOUT_S = 10.0

SAMPLE_ID = "sample"
NOT_A_PLACE = "__not_a_place__"


def sample_text() -> str:
    """The team's sample briefing (written for the project; not a copy of any article)."""
    return resources.files("conflict_map").joinpath("data/sample_briefing.txt").read_text(encoding="utf-8")


def check_article(text: str) -> str:
    """Refuse empty or too long texts with a message the user can act on; return the text."""
    if not text or not text.strip():
        raise InputError("The article is empty: paste some text, upload a file or load the sample briefing.")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"The article is too long for the dashboard: {len(text):,} characters "
            f"(the limit is {MAX_ARTICLE_CHARS:,}). Split it or use the command line "
            "(`conflict-map extract FILE`)."
        )
    return text


def read_upload(data: bytes, filename: str) -> tuple[str, str]:
    """Uploaded bytes -> (text, title) via :mod:`conflict_map.ingest.readers`; InputError on bad files."""
    from conflict_map.ingest import readers as sources

    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(
            f"{filename or 'The file'} is too large: {len(data) / 1048576:.1f} MB "
            f"(the limit is {MAX_UPLOAD_BYTES // 1048576} MB)."
        )
    doc = sources.read_bytes(data, filename)
    title = getattr(doc, "title", "") or filename
    return check_article(doc.text), title


def fetch_url(url: str) -> tuple[str, str]:
    """Fetch an article by URL and extract its text: (text, title); InputError with the reason otherwise.

    Goes through :mod:`conflict_map.ingest.fetch` (public http/https addresses only, redirects re-checked,
    :data:`URL_MAX_BYTES` and :data:`URL_TIMEOUT_S` for the whole fetch) and
    :func:`conflict_map.ingest.readers.read_bytes`.
    """
    from conflict_map.ingest import fetch

    doc = fetch.fetch_document(url, timeout=URL_TIMEOUT_S, max_bytes=URL_MAX_BYTES)
    return check_article(doc.text), doc.title or doc.url


def online(host: str = "tile.openstreetmap.org", timeout: float = 0.8) -> bool:
    """True when an outside host answers on port 443 (decides whether web options are offered)."""
    import socket

    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


# --- downloads ------------------------------------------------------------------------------------

EXPORT_MIME = {
    "geojson": "application/geo+json",
    "csv": "text/csv",
    "kml": "application/vnd.google-earth.kml+xml",
    "gpkg": "application/geopackage+sqlite3",
    "html": "text/html",
}


#: Excerpts per place in the HTML download: all of them, so its popups count sentences as the dashboard does.
HTML_EXCERPTS = 10_000


def export_file_name(title: str, fmt: str) -> str:
    """A safe file name for a download: slug of the title (ASCII letters/digits) plus the extension."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title or "").strip("-")[:50].lower() or "article"
    return f"{slug}.{fmt}"


def export_article(result: ParseResult, fmt: str, title: str = "") -> bytes:
    """The current article's places (and claims) in ``fmt`` via :mod:`conflict_map.export.registry`."""
    from conflict_map.export import registry as export

    # the HTML map's popups quote and count every sentence, as the dashboard's do ("+8 more", not "+2 more")
    return export.result_bytes(result, fmt, title=title, max_excerpts=HTML_EXCERPTS if fmt == "html" else 5)[0]


# --- corpus articles ------------------------------------------------------------------------------

CORPUS_PREFIX = "corpus:"


def corpus_ref(article_id: int) -> str:
    """The URL/article id of a stored corpus article: ``corpus:12``."""
    return f"{CORPUS_PREFIX}{int(article_id)}"


def parse_corpus_ref(ref: str) -> int | None:
    """``"corpus:12"`` -> 12; None for anything else."""
    m = re.fullmatch(r"corpus:(\d{1,12})", ref or "")
    return int(m.group(1)) if m else None


def corpus_db_path() -> str | Path:
    """The corpus the dashboard reads: ``$CONFLICT_MAP_DB`` (a file or a PostGIS URL) or the per-user file."""
    from conflict_map.store.factory import resolve_db

    return resolve_db(None)


def _open(path: str | Path | None = None) -> Any:
    from conflict_map.store.factory import open_store

    return open_store(path or corpus_db_path())


def corpus_articles(limit: int = 500) -> list[tuple[str, str]]:
    """``(ref, label)`` of stored articles, newest first; empty when there is no corpus database."""
    from conflict_map.store.factory import store_exists

    if not store_exists(corpus_db_path()):
        return []
    corpus = _open()
    try:
        return [(corpus_ref(a.id), a.label()) for a in corpus.list_articles(limit=limit)]
    finally:
        corpus.close()


def load_corpus_article(ref: str) -> tuple[str, str, ParseResult]:
    """(text, title, stored parse with the corpus's corrections applied) of ``corpus:N``."""
    from conflict_map.store.factory import store_exists

    aid = parse_corpus_ref(ref)
    if aid is None or not store_exists(corpus_db_path()):
        raise UserError(f"No corpus article {ref[:40]!r} on this machine.")
    corpus = _open()
    try:
        art = corpus.get_article(aid)
        result = corpus.load_result(aid)
    except UserError:  # the store's message names the database file: not for readers of a shared dashboard
        raise UserError(f"No corpus article {aid} on this machine.") from None
    finally:
        corpus.close()
    return art.text, art.label(), result


def _record(
    corpus: Any,
    aid: int,
    raw: ParseResult,
    key: str,
    choice: str,
    lookup: Callable[[str], Place | None] | None,
) -> list[int]:
    """Record one reader's choice for every mention spelt like the mention at ``key``; the correction ids."""
    from conflict_map.store import corrections as corr

    by_key = {mention_key(m): m for m in raw.mentions}
    m0 = by_key.get(key)
    if m0 is None:
        return []
    place = None
    if choice != NOT_A_PLACE:
        place = next((c.place for c in m0.candidates if c.place.id == choice), None)
        if place is None and m0.place is not None and m0.place.id == choice:
            place = m0.place
        if place is None and lookup is not None:
            place = lookup(choice)
        if place is None:
            raise UserError(f"unknown place {choice!r} for {m0.text!r}")
    ids = []
    for m in raw.mentions:
        if m.type != "place" or m.text.casefold() != m0.text.casefold():
            continue
        if place is None:
            rec = corr.mark_not_place(corpus, aid, m.start, m.end, mention_text=m.text, note="dashboard")
        else:
            rec = corr.choose_place(corpus, aid, m.start, m.end, place, mention_text=m.text, note="dashboard")
        ids.append(rec.id)
    return ids


def keep_in_corpus(
    text: str,
    title: str,
    raw: ParseResult,
    choices: Mapping[str, str],
    lookup: Callable[[str], Place | None] | None = None,
    path: Path | None = None,
) -> tuple[str, int]:
    """Store a pasted or uploaded article in the corpus with the reader's corrections, so they outlast the session.

    ``raw`` is the article's geoparse before corrections and ``choices`` the page's corrections
    (:func:`mention_key` -> place id or :data:`NOT_A_PLACE`). An article already in the corpus (same text) is
    not stored twice; the corrections are added to it. Returns ``(corpus ref, corrections recorded)``.
    """
    from conflict_map.models import ArticleInput

    corpus = _open(path)
    try:
        aid, _created = corpus.add_article(ArticleInput(text=text, title=title, source_name="dashboard"), raw)
        n = sum(len(_record(corpus, aid, raw, k, v, lookup)) for k, v in choices.items())
    finally:
        corpus.close()
    return corpus_ref(aid), n


def correct_corpus_article(
    ref: str,
    key: str,
    choice: str,
    lookup: Callable[[str], Place | None] | None = None,
    path: Path | None = None,
) -> list[int]:
    """Record a correction of a corpus article at once (it applies wherever the corpus is read); the ids."""
    aid = parse_corpus_ref(ref)
    if aid is None:
        raise UserError(f"{ref[:40]!r} is not a corpus article")
    corpus = _open(path)
    try:
        return _record(corpus, aid, corpus.load_result(aid), key, choice, lookup)
    finally:
        corpus.close()


def undo_corpus_corrections(ids: list[int], path: Path | None = None) -> int:
    """Undo the given corpus corrections (those made on this page); how many were still active."""
    from conflict_map.store.corrections import undo_corrections

    corpus = _open(path)
    try:
        return undo_corrections(corpus, ids)
    finally:
        corpus.close()


# --- geoparsing + corrections ---------------------------------------------------------------------


def default_geoparser() -> Callable[[str], ParseResult]:
    """The project's geoparser (``conflict_map.geoparse.pipeline.geoparse``).

    ``CONFLICT_MAP_GEOPARSER=module:function`` substitutes another one (the tests use a small fake).
    """
    spec = os.environ.get("CONFLICT_MAP_GEOPARSER", "")
    if spec:
        mod, _, fn = spec.partition(":")
        return getattr(importlib.import_module(mod), fn or "geoparse")
    from conflict_map.geoparse.pipeline import geoparse  # type: ignore[import-not-found]

    return geoparse


def mention_key(m: Mention) -> str:
    """Stable key of a mention within one text: ``"start:end"``."""
    return f"{m.start}:{m.end}"


def apply_corrections(
    result: ParseResult,
    corrections: Mapping[str, str],
    lookup: Callable[[str], Place | None] | None = None,
) -> ParseResult:
    """A copy of ``result`` with the user's choices applied.

    ``corrections`` maps :func:`mention_key` -> a place id (one of the mention's candidates, or any
    id ``lookup`` knows) or :data:`NOT_A_PLACE`. A correction applies to that mention and to every
    other mention with the same surface text, as a reader would expect.
    """
    if not corrections:
        return result
    by_key = {mention_key(m): m for m in result.mentions}
    by_text: dict[str, str] = {}
    for k, v in corrections.items():
        m = by_key.get(k)
        if m is not None:
            by_text[m.text.casefold()] = v
    out: list[Mention] = []
    for m in result.mentions:
        choice = corrections.get(mention_key(m), by_text.get(m.text.casefold()))
        if choice is None:
            out.append(m)
            continue
        if choice == NOT_A_PLACE:
            out.append(replace(m, place=None, candidates=list(m.candidates), confidence=0.0))
            continue
        place = next((c.place for c in m.candidates if c.place.id == choice), None)
        if place is None and lookup is not None:
            place = lookup(choice)
        if place is None:
            out.append(m)
            continue
        out.append(replace(m, place=place, candidates=list(m.candidates), confidence=1.0))
    return ParseResult(text=result.text, mentions=out, body=result.body, warnings=list(result.warnings))


def place_label(p: Place) -> str:
    """``Name (kind, province, CC)`` for selects."""
    extra = ", ".join(x for x in (p.kind, p.province, p.country) if x)
    return f"{p.name} ({extra})" if extra else p.name


# --- shared borders --------------------------------------------------------------------------------

_BORDER_WORDS = re.compile(r"\b(border|borders|frontier|boundary)\b", re.I)
_COUNTRY_ALIASES = {
    "syrian arab republic": "syria",
    "iraq republic": "iraq",
    "hashemite kingdom of jordan": "jordan",
}


def _norm_country(name: str) -> str:
    n = name.casefold().strip()
    return _COUNTRY_ALIASES.get(n, n)


@dataclass(slots=True)
class BorderView:
    """A shared international border to highlight: the two countries, its geometry and length."""

    a: str
    b: str
    parts: list[list[tuple[float, float]]]
    km: float

    @property
    def label(self) -> str:
        return f"{self.a}\u2013{self.b} border, {format_km(self.km)}"

    def overlay(
        self, avoid: Sequence[tuple[float, float]] = (), view: Sequence[Sequence[float]] | None = None
    ) -> LineOverlay:
        """The border as a line to draw; its label inside ``view`` and clear of the ``avoid`` points (pins)."""
        at = label_point(self.parts, avoid, view, self.label) if view is not None else None
        return LineOverlay(self.parts, self.label, colour="#ff7b00", weight=5, legend="border", label_at=at)


@locked_cache(maxsize=64)
def _measured_border(a: str, b: str) -> BorderView:
    import shapely

    from conflict_map.geo import borders

    bl = borders.shared_border(a, b)
    geom = shapely.simplify(bl.geometry, 0.002, preserve_topology=False)
    parts = [[(float(y), float(x)) for x, y in g.coords] for g in shapely.get_parts(geom)]
    return BorderView(bl.a_name, bl.b_name, parts, float(bl.length_km))


@locked_cache(maxsize=4)
def _border_lines(path: str) -> dict[tuple[str, str], list[list[tuple[float, float]]]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out: dict[tuple[str, str], list[list[tuple[float, float]]]] = {}
    for f in data.get("features", []):
        props = f.get("properties") or {}
        a = _norm_country(str(props.get("a_name", props.get("a", ""))))
        b = _norm_country(str(props.get("b_name", props.get("b", ""))))
        geom = f.get("geometry") or {}
        lines = geom.get("coordinates", [])
        if geom.get("type") == "LineString":
            lines = [lines]
        for line in lines:
            out.setdefault(tuple(sorted((a, b))), []).append([(float(y), float(x)) for x, y in line])
    return out


def shared_border(a: str, b: str, path: Path | None = None) -> BorderView | None:
    """The land border between countries ``a`` and ``b`` (names or ISO codes), or None.

    Measured on Natural Earth 1:10m by :func:`conflict_map.geo.borders.shared_border`; when that data is
    not built, on the display borders file in ``static/geo`` (coarser).
    """
    if path is None:
        try:
            return _measured_border(a, b)
        except UserError:
            return None
        except Exception:  # noqa: BLE001 - boundary data not built: fall back to the display file
            pass
    p = path or (offline.STATIC_DIR / "geo" / "borders.geojson")
    if not p.is_file():
        return None
    parts = _border_lines(str(p)).get(tuple(sorted((_norm_country(a), _norm_country(b)))))
    if not parts:
        return None
    km = 0.0
    for part in parts:
        for (la1, lo1), (la2, lo2) in zip(part, part[1:], strict=False):
            km += geodesy.distance_km(la1, lo1, la2, lo2)
    return BorderView(a, b, parts, km)


def discussed_borders(result: ParseResult, path: Path | None = None) -> list[BorderView]:
    """Borders the article talks about: pairs of countries named in a sentence about a border.

    Ranked by the number of such sentences, sentences naming exactly two countries first.
    """
    scores: dict[tuple[str, str], tuple[int, int]] = {}
    names: dict[str, str] = {}
    by_sentence: dict[int, list[Place]] = {}
    for m in result.places:
        assert m.place is not None
        if m.place.kind == "country" and _BORDER_WORDS.search(m.sentence or ""):
            by_sentence.setdefault(m.sentence_start, []).append(m.place)
    for places in by_sentence.values():
        uniq = {_norm_country(p.name): (p.country if path is None and p.country else p.name) for p in places}
        names.update(uniq)
        keys = sorted(uniq)
        for i, x in enumerate(keys):
            for y in keys[i + 1 :]:
                two, n = scores.get((x, y), (0, 0))
                scores[(x, y)] = (two + (len(keys) == 2), n + 1)
    out = []
    for (x, y), _ in sorted(scores.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0])):
        bv = shared_border(names[x], names[y], path)
        if bv is not None:
            out.append(bv)
    return out


def nearest_border_text(p: Place, path: Path | None = None) -> str:
    """``"Al Qa'im: 2.1 km from the Iraq-Syria border"`` (nearest international land border), or ""."""
    if path is None:
        try:
            from conflict_map.geo import borders

            nb = borders.nearest_border(p.lat, p.lon)
            return f"{p.name}: {format_km(nb.distance_km)} from the {nb.label} border"
        except UserError:
            return ""
        except Exception:  # noqa: BLE001 - boundary data not built: fall back to the display file
            pass
    pth = path or (offline.STATIC_DIR / "geo" / "borders.geojson")
    if not pth.is_file():
        return ""
    best: tuple[float, str] | None = None
    for (a, b), parts in _border_lines(str(pth)).items():
        for part in parts:
            for (la1, lo1), (la2, lo2) in zip(part, part[1:], strict=False):
                km = _point_segment_km(p.lat, p.lon, la1, lo1, la2, lo2)
                if best is None or km < best[0]:
                    best = (km, f"{a.title()}\u2013{b.title()}")
    if best is None:
        return ""
    return f"{p.name}: {format_km(best[0])} from the {best[1]} border"


def _point_segment_km(lat: float, lon: float, la1: float, lo1: float, la2: float, lo2: float) -> float:
    """Distance (km) from a point to a short segment: nearest point found on a local planar projection."""
    import math

    k = math.cos(math.radians(lat))
    ax, ay, bx, by = (lo1 - lon) * k, la1 - lat, (lo2 - lon) * k, la2 - lat
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy)))
    qlat, qlon = la1 + t * (la2 - la1), lo1 + t * (lo2 - lo1)
    # cheap pre-filter in degrees before the geodesic
    if abs(qlat - lat) > 15 or abs(qlon - lon) > 20:
        return 1e9
    return geodesy.distance_km(lat, lon, qlat, qlon)


def warm_up(result: ParseResult) -> None:
    """Load once what every reader shares (boundary layers, border index) by using them on ``result``; then
    freeze it out of the garbage collector (it lives as long as the server).

    The dashboard calls this once per server process before the first page is drawn, so ten readers who
    open the page together wait for one load instead of each starting their own.
    """
    discussed_borders(result)
    for mp in places_of(result)[:1]:
        nearest_border_text(mp.place)
    find_claims(result)
    plan_map(places_of(result))  # country and province outlines, the rivers layer
    gc.collect()
    gc.freeze()  # what is loaded now lives as long as the server: the collector need not scan it again


def locate(lat: float, lon: float) -> tuple[str, str]:
    """(ISO2 country, province name) at a point, for a place the reader moved; ("", "") outside any country."""
    from conflict_map.geo import borders

    c = borders.country_at(lat, lon)
    prov = borders.province_at(lat, lon) if c is not None else None
    return (c.iso2 if c else "", prov.name if prov else "")


# --- claims ---------------------------------------------------------------------------------------


VERDICT_MARK = {"consistent": "\u2714", "differs": "\u2716", "unchecked": "?"}


@dataclass(slots=True)
class ClaimView:
    """One distance/length claim for the claims panel, with the geometry that was measured."""

    text: str
    sentence: str
    stated: str
    measured: str
    verdict: str
    explanation: str = ""
    overlay: LineOverlay | None = None

    @property
    def label(self) -> str:
        mark = VERDICT_MARK.get(self.verdict, "?")
        measured = self.measured if self.measured.startswith("not ") else f"measured {self.measured}"
        return markdown_text(f"{mark} {self.verdict}: \u201c{self.text}\u201d \u2014 {measured}")


def find_claims(result: ParseResult) -> list[ClaimView]:
    """The article's distance and length claims (:func:`conflict_map.claims.check.check_claims`), for display."""
    from conflict_map.claims import check as claims

    return [claim_view(c) for c in claims.check_claims(result)]


def claim_view(c: Any) -> ClaimView:
    """A :class:`conflict_map.claims.check.Claim` -> :class:`ClaimView` with the measured line to draw."""
    d = c.to_dict()
    colour = {"consistent": "#1e7b34", "differs": "#b3261e"}.get(c.verdict, "#555")
    legend = {"consistent": "claim_ok", "differs": "claim_bad"}.get(c.verdict, "claim")
    overlay: LineOverlay | None = None
    label = f"measured {d['measured']}" if c.measured_km is not None else "not measured"
    if c.measured_km is not None:
        label = f"{format_km(c.measured_km)} measured \u00b7 stated {d['stated']}"
    try:
        if c.kind == "distance" and len(c.places) >= 2:
            a, b = c.places[0], c.places[1]
            line = geodesy.geodesic_line(a.lat, a.lon, b.lat, b.lon, spacing_km=5.0)
            overlay = LineOverlay([line], label, colour=colour, weight=4, endpoints=True, legend=legend)
        elif c.kind == "border_distance" and c.places and c.nearest_point:
            a = c.places[0]
            la, lo = c.nearest_point
            line = geodesy.geodesic_line(a.lat, a.lon, la, lo, spacing_km=2.0)
            overlay = LineOverlay([line], label, colour=colour, weight=4, endpoints=True, legend=legend)
        elif c.kind == "length" and c.border:
            bv = shared_border(c.border[0], c.border[1])
            if bv is not None:
                overlay = LineOverlay(bv.parts, label, colour=colour, weight=6, legend=legend)
    except (ValueError, UserError):
        overlay = None
    return ClaimView(
        text=c.text,
        sentence=c.sentence,
        stated=str(d["stated"]),
        measured=str(d["measured"]),
        verdict=str(c.verdict),
        explanation=c.explanation,
        overlay=overlay,
    )


def places_of(result: ParseResult) -> list[MapPlace]:
    """Markers of a result (first-mention order)."""
    return map_places(result.resolved_places())
