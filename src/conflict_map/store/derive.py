"""Rows the corpus derives from an article: its mentions (one sentence per article, not per mention), its
mentions after the readers' corrections and its checked claims. Pure functions, no database.

* :func:`mention_rows` - the mention table's rows of a parse. A mention keeps the offsets of its sentence
  in the article text (the text is stored anyway), so a 400 KB one-sentence article with 50,000 mentions
  stores the sentence once, not 50,000 times; ``sentence`` holds text only when the sentence is not a
  slice of the article text.
* :func:`mentions_from_rows` - the mentions back, one shared ``str`` per sentence
  (:class:`~conflict_map.models.SentencePool`).
* :func:`derived_rows` - what an article contributes to the SQL views and exports once corrections apply:
  the corrected mention rows (when a correction touches it) and the checked claims.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from conflict_map.models import Candidate, CorrectionRecord, Mention, ParseResult, Place, SentencePool
from conflict_map.store.corrections import apply_corrections
from conflict_map.store.schema import ORIGIN_CORRECTED, ORIGIN_MACHINE

#: Candidates kept per mention (the best first).
MAX_CANDIDATES = 10

#: Columns of :func:`mention_rows`, in order.
MENTION_COLUMNS = (
    "article_id",
    "start",
    "end",
    "text",
    "sentence",
    "sentence_start",
    "sentence_end",
    "type",
    "key",
    "place_id",
    "confidence",
    "candidates",
    "origin",
    "effective",
)
#: Columns of :func:`derived_rows`' claim rows.
CLAIM_COLUMNS = ("article_id", "ord", "data")

Row = tuple[Any, ...]


def dumps(value: Any) -> str:
    """Compact JSON text, non-ASCII kept (how JSON columns are written)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads(value: Any) -> Any:
    """A JSON column's value: SQLite gives its text, PostgreSQL (JSONB) the decoded object."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def places_of(mentions: Iterable[Mention]) -> dict[str, Place]:
    """Every place the mentions refer to (chosen or candidate), by id, first seen first."""
    out: dict[str, Place] = {}
    for m in mentions:
        if m.place is not None:
            out.setdefault(m.place.id, m.place)
        for c in m.candidates[:MAX_CANDIDATES]:
            out.setdefault(c.place.id, c.place)
    return out


def mention_rows(
    article_id: int,
    text: str,
    mentions: Sequence[Mention],
    *,
    origin: int = ORIGIN_MACHINE,
    effective: bool = True,
    candidates: bool = True,
) -> list[Row]:
    """Rows of :data:`MENTION_COLUMNS` for ``mentions`` of ``text`` (sentences as offsets into the text)."""
    is_slice: dict[tuple[int, int], bool] = {}  # one comparison per distinct sentence object
    rows: list[Row] = []
    for m in mentions:
        s0 = m.sentence_start
        sent = m.sentence
        key = (s0, id(sent))
        found = is_slice.get(key)
        if found is None:
            found = is_slice[key] = isinstance(s0, int) and s0 >= 0 and text.startswith(sent, s0)
        cands = [[c.place.id, round(float(c.score), 5)] for c in m.candidates[:MAX_CANDIDATES]] if candidates else []
        rows.append(
            (
                article_id,
                m.start,
                m.end,
                m.text,
                "" if found else sent,
                s0,
                s0 + len(sent) if found else s0,
                m.type,
                m.key,
                m.place.id if m.place else None,
                float(m.confidence),
                dumps(cands),
                origin,
                1 if effective else 0,
            )
        )
    return rows


def mentions_from_rows(text: str, rows: Iterable[Row], places: dict[str, Place]) -> list[Mention]:
    """Mentions from rows ``(start, end, text, sentence, sentence_start, sentence_end, type, key, place_id,
    confidence, candidates)``; the mentions of one sentence share one string."""
    pool = SentencePool(text)
    out = []
    for start, end, surface, sentence, s0, s1, mtype, key, place_id, conf, cands in rows:
        out.append(
            Mention(
                start=start,
                end=end,
                text=surface,
                sentence=sentence or pool(s0, s1),
                sentence_start=s0,
                type=mtype,
                key=key,
                candidates=[Candidate(places[c[0]], float(c[1])) for c in loads(cands) if c[0] in places],
                place=places.get(place_id) if place_id else None,
                confidence=float(conf),
            )
        )
    return out


def candidate_place_ids(rows: Iterable[Row]) -> set[str]:
    """Place ids named by mention rows (chosen and candidates), for one look-up of them all."""
    ids: set[str] = set()
    for r in rows:
        if r[8]:
            ids.add(r[8])
        ids.update(c[0] for c in loads(r[10]))
    return ids


def derived_rows(
    article_id: int,
    result: ParseResult,
    corrections: Sequence[CorrectionRecord],
    check: Callable[[int, ParseResult], list[Any]] | None = None,
) -> tuple[list[Row], list[Row]]:
    """``(corrected mention rows, claim rows)`` of an article with the ``corrections`` that apply to it.

    Without corrections there are no corrected rows (the machine's rows count); the claims are checked on
    the corrected parse either way, as an export of the article would show them (``check``, by default
    :func:`conflict_map.claims.record.claims_for`, imported when first needed: reading a corpus does not load
    the claim checker).
    """
    if check is None:
        from conflict_map.claims.record import claims_for as check
    effective = result
    rows: list[Row] = []
    if corrections:
        effective = apply_corrections(result, corrections)
        rows = mention_rows(article_id, result.text, effective.mentions, origin=ORIGIN_CORRECTED, candidates=False)
    claims = [(article_id, i, dumps(c.to_json())) for i, c in enumerate(check(article_id, effective))]
    return rows, claims


def chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """``items`` in slices of at most ``size`` (SQL ``IN (...)`` lists stay short)."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


__all__ = [
    "CLAIM_COLUMNS",
    "MAX_CANDIDATES",
    "MENTION_COLUMNS",
    "candidate_place_ids",
    "chunks",
    "derived_rows",
    "dumps",
    "loads",
    "mention_rows",
    "mentions_from_rows",
    "places_of",
]
