"""The geoparser pipeline: text -> mentions -> resolved places, as one call.

>>> result = geoparse("Troops moved from Ramadi towards Al Qaem, near the Syrian border.")  # doctest: +SKIP
>>> [(m.text, m.place.name) for m in result.places]  # doctest: +SKIP
[('Ramadi', 'Ramadi'), ('Al Qaem', 'Al Qā’im')]
"""

from __future__ import annotations

import bisect

from conflict_map.errors import InputError
from conflict_map.gazetteer.index import Gazetteer, get_gazetteer
from conflict_map.geoparse.landmarks import anchor_landmarks
from conflict_map.geoparse.recognise import recognise
from conflict_map.geoparse.resolve import resolve
from conflict_map.geoparse.resolve.rivers import place_rivers
from conflict_map.geoparse.weights import Weights
from conflict_map.models import Mention, ParseResult, SentencePool
from conflict_map.text.boilerplate import story_span
from conflict_map.text.clean import MAX_TEXT_CHARS
from conflict_map.text.doc import Doc

#: Largest text the geoparser accepts (characters), the same limit as for files; a 600-word article is ~4,000.
MAX_CHARS = MAX_TEXT_CHARS


def check_text(text: object) -> str:
    """Validate user text; raise :class:`InputError` with a clear message when it cannot be used."""
    if isinstance(text, bytes | bytearray):
        raise InputError("expected text, got bytes: decode the file first (conflict_map.ingest.readers reads files)")
    if not isinstance(text, str):
        raise InputError(f"expected text, got {type(text).__name__}")
    if not text.strip():
        raise InputError("the text is empty: nothing to map")
    if len(text) > MAX_CHARS:
        raise InputError(
            f"the text has {len(text):,} characters, more than the limit of {MAX_CHARS:,} ; split it into articles"
        )
    if "\x00" in text:
        raise InputError("the text contains NUL bytes: it looks like a binary file, not an article")
    return text


def geoparse(
    text: str, gaz: Gazetteer | None = None, *, weights: Weights | None = None, include_demonyms: bool = True
) -> ParseResult:
    """Find and resolve every place mention in ``text``.

    Offsets in the result are code-point offsets into ``text`` exactly as given. ``weights`` replaces the
    evidence weights of ``geoparse/weights.json`` (an ablation, a fitted set). Raises :class:`InputError` for
    empty, binary or oversized text.
    """
    check_text(text)
    gaz = gaz or get_gazetteer()
    doc = Doc.of(text)
    rec = recognise(doc, gaz, weights=weights)
    sent_starts = [s for s, _e in rec.sentences]

    def sentence_of(pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(sent_starts, pos) - 1
        if i >= 0 and rec.sentences[i][0] <= pos < rec.sentences[i][1]:
            return rec.sentences[i]
        return (pos, pos)

    pool = SentencePool(text)  # one str per sentence, shared by all its mentions
    mentions: list[Mention] = []
    for cand, ranked in resolve(rec, gaz, weights):
        s, e = sentence_of(cand.start)
        best = ranked[0]
        mentions.append(
            Mention(
                start=cand.start,
                end=cand.end,
                text=cand.text,
                sentence=pool(s, e),
                sentence_start=s,
                type="place",
                key=cand.key,
                candidates=ranked,
                place=best.place,
                confidence=best.score,
            )
        )
    mentions = place_rivers(mentions)
    mentions += anchor_landmarks(text, rec.landmarks, mentions, rec.sentences, pool=pool)
    if include_demonyms:
        for start, end, _surface, pid, _sent in rec.demonyms:
            mentions.append(
                Mention.single(text, start, end, sentence_of(start), gaz.get(pid), type="demonym", sentences=pool)
            )
    body = story_span(text, rec.boilerplate)
    # only the story is mapped: mastheads, addresses and notices around it are not
    mentions = [m for m in mentions if body[0] <= m.start and m.end <= body[1]]
    mentions.sort(key=lambda m: (m.start, m.end))
    return ParseResult(text=text, mentions=mentions, body=body)


__all__ = ["MAX_CHARS", "check_text", "geoparse", "get_gazetteer"]
