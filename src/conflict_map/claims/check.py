"""Claim checking: find the distances and lengths an article states, and measure them.

Three kinds of statement are found and checked:

``distance``
    "Ain al-Asad, which is 150 kilometres away" (from a place named earlier), "lies 240 km north
    of Baghdad", "some 90 km up the road". Linked to two places of the same sentence (or the one
    before), measured as the straight-line geodesic on WGS84; a stated direction is checked against
    the bearing.
``border_distance``
    "just 2 km from the Syrian border": measured from the place to the nearest point of that border.
``length``
    "the border is about 600 kilometres long", "a 600-km frontier": linked to the land border between
    the countries the passage names, measured along the whole Natural Earth 1:10m border line.

Every claim carries the assumptions used: the hedge and the tolerance it earns, which places or
border it was linked to and how sure that link is (``high``/``medium``/``low``), the other candidate
readings, and a one-paragraph explanation. A claim whose link is unsure or impossible is reported
as ``unchecked`` with its candidates rather than measured against a guess.

The input is a :class:`~conflict_map.models.ParseResult` (the geoparser's output): claims are
linked through its resolved mentions, so the checker never resolves names itself.

This module runs the steps: :mod:`~conflict_map.claims.statements` finds and reads each statement,
:mod:`~conflict_map.claims.linking` links it, :mod:`~conflict_map.claims.judging` measures and
judges it, into a :class:`~conflict_map.claims.model.Claim`.
"""

from __future__ import annotations

from typing import Any

from conflict_map.claims.linking import LinkContext, link_border_distance, link_distance, link_length
from conflict_map.claims.model import Claim
from conflict_map.claims.statements import Reading, claim_languages, find_statements, patterns_for, read_statement
from conflict_map.models import ParseResult
from conflict_map.text.sentences import sentences

__all__ = ["Claim", "check_claims", "check_text"]


def _new_claim(text: str, start: int, end: int, sentence: tuple[int, int], f: dict[str, Any]) -> Claim:
    """An unlinked ``distance`` claim from :func:`find_statements` fields."""
    s0, s1 = sentence
    return Claim(
        start=start,
        end=end,
        text=text[start:end],
        sentence=text[s0:s1],
        kind="distance",
        value=f["value"],
        unit=f["unit"],
        value_km=f["value_km"],
        value_high=f["value_high"],
        value_high_km=f["value_high_km"],
        hedge=f["hedge"],
        hedge_kind=f["hedge_kind"],
    )


def _link(c: Claim, r: Reading, ctx: LinkContext, si: int) -> None:
    """Link (and so measure and judge) claim ``c`` as the words around it read."""
    if r.travel:
        c.notes.append(f"The text speaks of a {r.noun}; the figure checked is the straight line between the places.")
    if r.kind == "other":
        c.kind = "other"
        c.subject = r.noun or "a figure that is not a distance between places"
        c.explanation = (
            "A range, radius, height or similar figure, not a distance between two places or a border "
            "length: unchecked."
        )
    elif r.kind == "part":
        c.kind = "length"
        c.subject = f"a {r.noun}"
        c.explanation = f"Length of a {r.noun} (part of something longer), which the data cannot locate: unchecked."
    elif r.kind == "length":
        c.kind = "length"
        link_length(c, ctx, si, r.noun)
    elif r.kind == "border_distance":
        assert r.border is not None
        c.kind = "border_distance"
        link_border_distance(c, ctx, si, r.border)
    else:
        link_distance(c, ctx, si, r.anchor_from, r.tail)


def check_claims(result: ParseResult, *, lang: str | None = None) -> list[Claim]:
    """Find, link and check every distance/length statement of a geoparsed document written in ``lang``
    (``"en"``, ``"ar"``; by default the languages its scripts say, main one first: see
    :func:`~conflict_map.claims.statements.claim_languages`)."""
    text = result.text
    body = result.body if result.body and result.body[1] > result.body[0] else (0, len(text))
    spans = sentences(text)
    mentions = sorted((m for m in result.mentions if m.place is not None), key=lambda m: m.start)
    claims: list[Claim] = []
    for code in [lang] if lang else claim_languages(text):
        patterns = patterns_for(code)
        ctx = LinkContext(text=text, spans=spans, mentions=mentions, patterns=patterns)
        for start, end, f in find_statements(text, patterns):
            if not (body[0] <= start < body[1]) or any(c.start < end and start < c.end for c in claims):
                continue  # outside the story, or read already in the main language
            si = ctx.sent_index(start)
            span = ctx.spans[si] if ctx.spans else (0, len(text))
            c = _new_claim(text, start, end, span, f)
            r = read_statement(text, span[0], start, end, f["sep"], patterns)
            c.direction = r.direction
            _link(c, r, ctx, si)
            claims.append(c)
    claims.sort(key=lambda c: c.start)
    return claims


def check_text(text: str) -> list[Claim]:
    """Geoparse ``text`` with the project's pipeline and check its claims."""
    from conflict_map.geoparse.pipeline import geoparse

    return check_claims(geoparse(text))
