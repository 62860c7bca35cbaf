"""User corrections to the geoparser, and how they are applied.

Four kinds, each stored with the local user name and a UTC timestamp (by a store,
:class:`conflict_map.store.base.Store`):

``choose``
    this mention (article + character span) means another place, usually one of its candidates;
``coords``
    this mention is at the given coordinates (a place the gazetteer lacks; the user clicked the map);
``not_place``
    this span is not a place at all (a person, a tribe, boilerplate): the mention is dropped;
``alias``
    this spelling (``"Al Qaem"``) means this place everywhere in the corpus, from now on; occurrences the
    recogniser missed are added as new mentions.

Corrections are never written into the machine's mentions. :func:`apply_corrections` layers the active
ones over a :class:`~conflict_map.models.ParseResult`, so re-processing an article or exporting it always
shows them and undoing one is exact. Mention-specific corrections win over aliases; a later correction of
the same mention wins over an earlier one.

Applying is pure (no database): the functions that record a correction (:func:`choose_place`,
:func:`add_alias`, ...) check it and hand it to the store interface, which keeps the corrected view of the
articles it touches up to date for SQL exports.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from conflict_map.errors import UserError
from conflict_map.models import Candidate, CorrectionRecord, Mention, ParseResult, Place, SentencePool
from conflict_map.text.clean import clean_text

if TYPE_CHECKING:
    from conflict_map.store.base import Store as Corpus

KINDS = ("choose", "coords", "not_place", "alias")
#: Longest alias accepted (the longest place name the gazetteer knows has 79 characters).
MAX_ALIAS_CHARS = 200

_APOS = re.compile(r"[\u0027\u2019\u2018\u02bf\u02be\u02bc\u02bb`\u00b4]")
_SEP = re.compile(r"[\s\-\u2010-\u2015_.,/()]+")


def alias_key(text: str) -> str:
    """Case-, accent- and punctuation-folded alias key (``"Al-Qaem"`` -> ``"al qaem"``)."""
    s = unicodedata.normalize("NFKD", text.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = _APOS.sub("", s)
    return _SEP.sub(" ", s).strip()


@functools.cache
def _accented() -> dict[str, str]:
    """Each base letter with its accented Latin forms ("a" -> "aàáâãäåāăą..."), for accent-blind patterns."""
    out: dict[str, set[str]] = {}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).lower()
        if len(base) == 1 and base.isalpha() and base != ch.lower():
            out.setdefault(base, set()).add(ch.lower())
    return {b: b + "".join(sorted(v)) for b, v in out.items()}


def _letter(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", ch.lower()) if not unicodedata.combining(c))
    forms = _accented().get(base) if len(base) == 1 else None
    return f"[{re.escape(forms)}]" if forms else re.escape(ch)


def alias_pattern(text: str) -> re.Pattern[str]:
    """A regex finding ``text`` in running text, tolerant of case, accents, hyphen/space and apostrophe variants.

    >>> bool(alias_pattern("Al Qaim").search("near Al-Qā'im today"))
    True
    """
    words = [w for w in _SEP.split(_APOS.sub("", text)) if w]
    if not words:
        raise UserError("an alias needs at least one letter")
    parts = []
    for w in words:
        parts.append("[\u0027\u2019\u2018\u02bf\u02be\u02bc\u02bb`\u00b4]?".join(_letter(ch) for ch in w))
    body = r"[\s\-\u2010-\u2015_.]+".join(parts)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


# --------------------------------------------------------------------------- applying


def apply_corrections(result: ParseResult, corrections: Iterable[CorrectionRecord]) -> ParseResult:
    """A copy of ``result`` with the active ``corrections`` applied (the input is not modified)."""
    active = sorted((c for c in corrections if c.active), key=lambda c: c.id)
    mentions = [replace(m, candidates=list(m.candidates)) for m in result.mentions]
    text = result.text
    pool = SentencePool(text, mentions)  # added mentions share the sentences already held
    breaks: list[int] | None = None

    # 1. corpus-wide aliases (later aliases for the same spelling win)
    aliases: dict[str, CorrectionRecord] = {}
    for c in active:
        if c.kind == "alias" and c.place is not None and c.alias_key:
            aliases[c.alias_key] = c
    if aliases:
        for m in mentions:
            c = aliases.get(alias_key(m.text))
            if c is not None and c.place is not None:
                _set_place(m, c.place)
        breaks = sentence_breaks(text)
        taken = _Spans((m.start, m.end) for m in mentions)
        for c in aliases.values():
            assert c.place is not None
            pattern = alias_pattern(c.mention_text or c.alias_key)
            for hit in pattern.finditer(text):
                if taken.overlaps(hit.start(), hit.end()):
                    continue
                taken.add(hit.start(), hit.end())
                mentions.append(_new_mention(text, hit.start(), hit.end(), c.place, pool, breaks))

    # 2. mention-specific corrections, oldest first so the newest wins
    for c in active:
        if c.kind == "alias" or c.start is None or c.end is None:
            continue
        idx = _find_mention(mentions, c)
        if c.kind == "not_place":
            if idx is not None:
                del mentions[idx]
            continue
        if c.place is None:
            continue
        if idx is None:
            if text[c.start : c.end] != c.mention_text and c.mention_text:
                continue  # the text changed under the correction; do not guess
            breaks = sentence_breaks(text) if breaks is None else breaks
            mentions.append(_new_mention(text, c.start, c.end, c.place, pool, breaks))
        else:
            _set_place(mentions[idx], c.place)

    mentions.sort(key=lambda m: (m.start, m.end))
    return ParseResult(text=text, mentions=mentions, body=result.body, warnings=list(result.warnings))


def applying_aliases(result: ParseResult, aliases: Sequence[CorrectionRecord]) -> list[CorrectionRecord]:
    """Those of the active ``aliases`` that change ``result``: a mention spelt like one, or its spelling in
    the text (where :func:`apply_corrections` would add a mention)."""
    out: list[CorrectionRecord] = []
    folded: str | None = None
    spelt = {alias_key(m.text) for m in result.mentions} if aliases else set()
    for c in aliases:
        if not (c.active and c.kind == "alias" and c.place is not None and c.alias_key):
            continue
        if c.alias_key in spelt:
            out.append(c)
            continue
        words = sorted(re.findall(r"\w+", c.alias_key), key=len, reverse=True)
        folded = alias_key(result.text) if folded is None else folded
        if words and words[0] not in folded:
            continue  # cheap test first: the alias's longest word does not occur at all
        if alias_pattern(c.mention_text or c.alias_key).search(result.text) is not None:
            out.append(c)
    return out


class _Spans:
    """Sorted character spans with a fast overlap test (many alias hits in a long text stay linear-ish)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self._spans = sorted(spans)
        self._longest = max((e - s for s, e in self._spans), default=0)

    def overlaps(self, start: int, end: int) -> bool:
        """True when some span shares a character with ``[start, end)``."""
        i = bisect.bisect_left(self._spans, (end,))  # spans starting before ``end``
        lo = bisect.bisect_left(self._spans, (start - self._longest,))
        return any(e > start for _s, e in self._spans[lo:i])

    def add(self, start: int, end: int) -> None:
        bisect.insort(self._spans, (start, end))
        self._longest = max(self._longest, end - start)


def corrected_spans(corrections: Iterable[CorrectionRecord]) -> dict[tuple[int, int], CorrectionRecord]:
    """``{(start, end): latest active correction}`` of mention-specific corrections (to badge in a UI)."""
    out: dict[tuple[int, int], CorrectionRecord] = {}
    for c in sorted(corrections, key=lambda c: c.id):
        if c.active and c.kind != "alias" and c.start is not None and c.end is not None:
            out[(c.start, c.end)] = c
    return out


def _find_mention(mentions: Sequence[Mention], c: CorrectionRecord) -> int | None:
    for i, m in enumerate(mentions):
        if m.start == c.start and m.end == c.end:
            return i
    assert c.start is not None and c.end is not None
    for i, m in enumerate(mentions):  # re-processing may have widened/narrowed the span
        if m.start < c.end and c.start < m.end and alias_key(m.text) == alias_key(c.mention_text):
            return i
    return None


def _set_place(m: Mention, place: Place) -> None:
    m.place = place
    m.type = "place"
    m.confidence = 1.0
    m.candidates = [Candidate(place, 1.0)] + [c for c in m.candidates if c.place.id != place.id]


def _new_mention(text: str, start: int, end: int, place: Place, pool: SentencePool, breaks: list[int]) -> Mention:
    bounds = sentence_bounds(text, start, end, breaks)
    return Mention.single(text, start, end, bounds, place, key=alias_key(text[start:end]), sentences=pool)


_SENT_END = re.compile(r"[.!?\u061f\u06d4]\s+|\n\s*\n")


def sentence_breaks(text: str) -> list[int]:
    """Start and end offsets of the sentence breaks of ``text``, flattened and sorted (for :func:`sentence_bounds`)."""
    return [pos for m in _SENT_END.finditer(text) for pos in m.span()]


def sentence_bounds(text: str, start: int, end: int, breaks: list[int] | None = None) -> tuple[int, int]:
    """Approximate sentence span around ``[start, end)`` (for excerpts of added mentions).

    ``breaks`` (:func:`sentence_breaks` of ``text``, computed once per text) makes each call logarithmic.
    """
    if breaks is None:
        breaks = sentence_breaks(text)
    # breaks alternate start, end: the last break ending at or before ``start`` opens the sentence
    i = bisect.bisect_right(breaks, start)
    s0 = breaks[i - 1] if i % 2 == 0 and i > 0 else (breaks[i - 2] if i >= 2 else 0)
    j = bisect.bisect_left(breaks, end)
    j += j % 2  # the first break starting at or after ``end`` closes it
    s1 = breaks[j] + 1 if j < len(breaks) else len(text)
    return s0, min(s1, len(text))


# --------------------------------------------------------------------------- recording


def _check_span(corpus: Corpus, article_id: int, start: int, end: int, mention_text: str) -> str:
    art = corpus.get_article(article_id)
    if not (0 <= start < end <= len(art.text)):
        raise UserError(f"span {start}-{end} is outside article {article_id} ({len(art.text)} characters)")
    actual = art.text[start:end]
    if mention_text and actual != mention_text:
        raise UserError(f"article {article_id} has {actual!r} at {start}-{end}, not {mention_text!r}")
    return actual


def _record_span(
    corpus: Corpus,
    kind: str,
    article_id: int,
    start: int,
    end: int,
    actual: str,
    *,
    place: Place | None = None,
    note: str = "",
    user: str | None = None,
) -> CorrectionRecord:
    """Store a ``kind`` correction of the span ``start:end`` whose text ``actual`` was checked by
    :func:`_check_span`; the note is cleaned like all input text."""
    return corpus.add_correction(
        kind,
        article_id=article_id,
        start=start,
        end=end,
        mention_text=actual,
        place=place,
        note=clean_text(note),
        user=user,
    )


def choose_place(
    corpus: Corpus,
    article_id: int,
    start: int,
    end: int,
    place: Place,
    *,
    mention_text: str = "",
    note: str = "",
    user: str | None = None,
) -> CorrectionRecord:
    """Record that the mention at ``start:end`` means ``place`` (e.g. another of its candidates)."""
    actual = _check_span(corpus, article_id, start, end, mention_text)
    return _record_span(corpus, "choose", article_id, start, end, actual, place=place, note=note, user=user)


def place_at_coordinates(
    corpus: Corpus,
    article_id: int,
    start: int,
    end: int,
    lat: float,
    lon: float,
    *,
    name: str = "",
    kind: str = "landmark",
    mention_text: str = "",
    note: str = "",
    user: str | None = None,
    country: str = "",
    province: str = "",
) -> CorrectionRecord:
    """Record that the mention at ``start:end`` is at ``(lat, lon)`` (a place the gazetteer lacks, or a place
    the reader moved; ``country`` and ``province`` describe it when known)."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError) as exc:
        raise UserError(f"coordinates must be numbers, got {lat!r}, {lon!r}") from exc
    if not (-90.0 <= lat <= 90.0) or not (-180.0 <= lon <= 180.0) or lat != lat or lon != lon:
        raise UserError(f"coordinates out of range: latitude {lat} (-90..90), longitude {lon} (-180..180)")
    actual = _check_span(corpus, article_id, start, end, mention_text)
    place = Place(
        id=f"user:{lat:.5f},{lon:.5f}",
        name=clean_text(name or actual).strip(),
        kind=kind or "landmark",
        lat=lat,
        lon=lon,
        country=clean_text(country).strip()[:2] if country else "",
        province=clean_text(province).strip()[:200] if province else "",
        source="user",
    )
    return _record_span(corpus, "coords", article_id, start, end, actual, place=place, note=note, user=user)


def mark_not_place(
    corpus: Corpus,
    article_id: int,
    start: int,
    end: int,
    *,
    mention_text: str = "",
    note: str = "",
    user: str | None = None,
) -> CorrectionRecord:
    """Record that the span at ``start:end`` is not a place (the mention is dropped)."""
    actual = _check_span(corpus, article_id, start, end, mention_text)
    return _record_span(corpus, "not_place", article_id, start, end, actual, note=note, user=user)


def add_alias(corpus: Corpus, alias: str, place: Place, *, note: str = "", user: str | None = None) -> CorrectionRecord:
    """Record that the spelling ``alias`` means ``place`` in every article of the corpus.

    The alias and the note are cleaned like all input text (:func:`conflict_map.text.clean.clean_text`); an alias
    is a place name, so at most :data:`MAX_ALIAS_CHARS` characters.
    """
    alias, note = clean_text(alias).strip(), clean_text(note)
    if len(alias) > MAX_ALIAS_CHARS:
        raise UserError(f"an alias is a place name: at most {MAX_ALIAS_CHARS} characters, not {len(alias):,}")
    key = alias_key(alias)
    if not key or not any(ch.isalpha() for ch in key):
        raise UserError(f"alias {alias!r} has no letters")
    alias_pattern(alias)  # validates
    return corpus.add_correction("alias", alias_key=key, mention_text=alias, place=place, note=note, user=user)


def undo_corrections(corpus: Corpus, ids: Iterable[int]) -> int:
    """Undo the corrections ``ids``; how many were still active (one already undone is passed over)."""
    n = 0
    for i in ids:
        try:
            corpus.undo_correction(i)
            n += 1
        except UserError:
            pass  # already undone (e.g. on the Corpus page)
    return n


def describe(c: CorrectionRecord) -> str:
    """One line for lists: what the correction says."""
    where = f"article {c.article_id} @{c.start}-{c.end} {c.mention_text!r}" if c.kind != "alias" else ""
    p = c.place
    target = f"{p.name} ({p.lat:.4f}, {p.lon:.4f}) [{p.id}]" if p else ""
    if c.kind == "alias":
        return f"alias {c.mention_text!r} -> {target} (whole corpus)"
    if c.kind == "not_place":
        return f"{where} is not a place"
    if c.kind == "coords":
        return f"{where} placed at {target}"
    return f"{where} -> {target}"


def corrections_of(corpus: Corpus, article_id: int) -> list[CorrectionRecord]:
    """Active corrections that apply to ``article_id`` (its own and corpus-wide aliases)."""
    return corpus.corrections_for(article_id)
