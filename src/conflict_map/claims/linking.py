"""Linking a distance or length statement to what it measures.

``distance``
    Two places of the same sentence (or the one before): a reference place after "from/of" and the
    subject before the figure, "between A and B", or the two places the sentence names.
``border_distance``
    "just 2 km from the Syrian border": the place the statement is about and the border named.
``length``
    "the border is about 600 kilometres long": the land border between the countries the passage
    names (or one named country and the country the article's places lie in).

Each link says how sure it is (``high``/``medium``/``low``/``none``) and lists the other readings
as candidates; a ``low`` or impossible link leaves the claim ``unchecked``. Linked claims are
measured and judged by :mod:`conflict_map.claims.judging`. The input is the geoparser's resolved
mentions: the linker never resolves names itself. Language-dependent words come from the
context's :class:`~conflict_map.claims.patterns.Patterns`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from conflict_map.claims.judging import judge_border_distance, judge_border_length, judge_distance
from conflict_map.claims.model import AREA_KINDS, Claim
from conflict_map.claims.patterns import Patterns
from conflict_map.geo.geodesy import distance
from conflict_map.models import Mention, Place

if TYPE_CHECKING:
    from conflict_map.geo.borders import NearestBorder

#: A candidate reading of a distance: (reference place, other place).
Pair = tuple[Mention, Mention]
#: What a linker found: the pair (or None), the link level, a note on how, and the other readings.
PairLink = tuple[Pair | None, str, str, list[Pair]]


@dataclass(slots=True)
class LinkContext:
    """The document a statement is linked in: its text, sentence spans, resolved mentions, language."""

    text: str
    spans: list[tuple[int, int]]
    mentions: list[Mention]  # resolved place mentions, text order
    patterns: Patterns

    def sent_index(self, pos: int) -> int:
        """The index of the sentence holding text offset ``pos`` (or the one before a gap)."""
        for i, (s, e) in enumerate(self.spans):
            if s <= pos < e or (i + 1 < len(self.spans) and pos < self.spans[i + 1][0]):
                return i
        return len(self.spans) - 1

    def in_sentence(self, i: int) -> list[Mention]:
        """The resolved mentions of sentence ``i`` (none outside the document)."""
        if i < 0 or i >= len(self.spans):
            return []
        s, e = self.spans[i]
        return [m for m in self.mentions if s <= m.start < e]


# ------------------------------------------------------------------------------------- mentions


def _is_point(m: Mention) -> bool:
    return m.place is not None and m.place.kind not in AREA_KINDS


def _pid(m: Mention) -> str:
    return m.place.id if m.place else ""


def _pname(m: Mention) -> str:
    return m.place.name if m.place else m.text


def _pkind(m: Mention) -> str:
    return m.place.kind if m.place else ""


def _distinct(ms: list[Mention]) -> list[Mention]:
    seen: set[str] = set()
    out = []
    for m in ms:
        assert m.place is not None
        if m.place.id not in seen:
            seen.add(m.place.id)
            out.append(m)
    return out


def _pair_label(a: Place, b: Place) -> str:
    return f"{a.name} – {b.name}"


def _pair_candidate(a: Mention, b: Mention) -> dict[str, Any]:
    assert a.place is not None and b.place is not None
    d = distance(a.place.lat, a.place.lon, b.place.lat, b.place.lon)
    return {
        "places": [a.place.name, b.place.name],
        "ids": [a.place.id, b.place.id],
        "mentions": [a.text, b.text],
        "measured_km": round(d.km, 1),
    }


# ------------------------------------------------------------------------------------ countries


def _country_terms() -> dict[str, tuple[str, str]]:
    from conflict_map.geo.borders import country_names

    # only words and names (no 2-3 letter codes, which collide with English words)
    return {k: v for k, v in country_names().items() if len(k) > 3 and not k.isupper()}


def _countries_in(text: str, patterns: Patterns, offset: int = 0) -> list[tuple[int, str, str]]:
    """``(position, iso2, name)`` of country names/adjectives written in ``text`` (capitalised words only)."""
    from conflict_map.geo.borders import _norm

    if patterns.find_countries is not None:
        return patterns.find_countries(text, offset)

    terms = _country_terms()
    toks = [(m.start(), m.end(), m.group()) for m in patterns.name_token.finditer(text)]
    out: list[tuple[int, str, str]] = []
    i = 0
    while i < len(toks):
        hit = None
        for n in (4, 3, 2, 1):
            if i + n > len(toks):
                continue
            words = toks[i : i + n]
            if patterns.capitalised_names and not words[0][2][0].isupper():
                continue
            key = _norm(text[words[0][0] : words[-1][1]])
            if key in terms:
                hit = (n, terms[key])
                break
        if hit:
            out.append((offset + toks[i][0], hit[1][0], hit[1][1]))
            i += hit[0]
        else:
            i += 1
    return out


def _claim_countries(ctx: LinkContext, si: int) -> list[tuple[int, str, str, int]]:
    """Countries named in sentence ``si`` and the two before: ``(position, iso2, name, sentences back)``."""
    out: list[tuple[int, str, str, int]] = []
    for back in (0, 1, 2):
        j = si - back
        if j < 0:
            break
        s, e = ctx.spans[j]
        named = _countries_in(ctx.text[s:e], ctx.patterns, s)
        found = {(pos, iso) for pos, iso, _n in named}
        for pos, iso, name in named:
            out.append((pos, iso, name, back))
        # country / demonym mentions from the geoparser that the name table does not know
        for m in ctx.mentions:
            p = m.place
            if s <= m.start < e and p is not None and p.kind == "country" and (m.start, p.country) not in found:
                out.append((m.start, p.country, p.name, back))
    return out


def _home_countries(ctx: LinkContext) -> list[str]:
    counts: dict[str, int] = {}
    for m in ctx.mentions:
        if m.place is not None and m.place.country:
            counts[m.place.country] = counts.get(m.place.country, 0) + 1
    return sorted(counts, key=lambda k: -counts[k])[:2]


def _neighbour_pairs(c: Claim, ctx: LinkContext, si: int) -> tuple[list[tuple[float, str, str]], dict[str, str]]:
    """Pairs of countries near the statement that share a land border, best first, and their names."""
    from conflict_map.geo.borders import shares_border

    # countries scored by proximity to the claim
    score: dict[str, float] = {}
    names: dict[str, str] = {}
    for pos, iso, name, back in _claim_countries(ctx, si):
        w = 3.0 if back == 0 else (1.5 if back == 1 else 0.75)
        # an explicit "Iraqi-Syrian border" right before the border word scores highest
        if back == 0 and abs(pos - c.start) < 200:
            w += 0.5
        score[iso] = score.get(iso, 0.0) + w
        names.setdefault(iso, name)
    pairs = []
    isos = sorted(score, key=lambda k: -score[k])
    for i, a in enumerate(isos):
        for b in isos[i + 1 :]:
            if shares_border(a, b):
                pairs.append((score[a] + score[b], a, b))
    # a single country named: pair it with the country the article's places lie in
    if not pairs and len(isos) >= 1:
        home = _home_countries(ctx)
        for a in isos:
            for b in home:
                if b != a and shares_border(a, b):
                    pairs.append((score[a] + 0.5, a, b))
    pairs.sort(key=lambda p: -p[0])
    return pairs, {iso: names[iso] for iso in isos}


# --------------------------------------------------------------------------------------- length


def link_length(c: Claim, ctx: LinkContext, si: int, noun: str) -> None:
    """Link a length statement to a border between two countries, when it is about a border."""
    s0, _s1 = ctx.spans[si]
    sentence = ctx.text[s0 : ctx.spans[si][1]]
    rel = c.start - s0
    about_border = noun in ("border", "frontier", "boundary") or bool(ctx.patterns.border_word.search(sentence[:rel]))
    if not about_border:
        m = ctx.patterns.unmeasurable_length.search(sentence)
        what = noun or (m.group(1).lower() if m else "")
        c.subject = what or "unknown"
        c.link = "none"
        c.explanation = (
            f"Length of {('a ' + what) if what else 'something'} the boundary data cannot measure"
            " (only land borders between countries are measured): unchecked."
        )
        return
    from conflict_map.geo.borders import shared_border

    pairs, names = _neighbour_pairs(c, ctx, si)
    if not pairs:
        c.subject = "a border"
        c.link = "none"
        c.explanation = "Length of a border, but the passage names no two neighbouring countries: unchecked."
        return
    best = pairs[0]
    border = shared_border(*sorted(best[1:]))
    c.border = (border.a_iso2, border.b_iso2)
    c.border_names = (border.a_name, border.b_name)
    c.subject = f"{border.label} border"
    others = [p for p in pairs[1:] if p[0] >= best[0] * 0.6]
    c.candidates = [
        {
            "border": f"{shared_border(a, b).label}",
            "iso2": [a, b],
            "measured_km": round(shared_border(a, b).length_km, 1),
        }
        for _s, a, b in pairs[1:4]
    ]
    if others:
        c.link = "low" if others[0][0] >= best[0] * 0.9 else "medium"
    else:
        c.link = "high" if best[0] >= 5.0 else "medium"
    c.link_note = f"Countries named near the statement: {', '.join(names.values())}."
    if c.link == "low":
        c.explanation = (
            f"Length of a border; the passage could mean the {border.label} border or "
            f"{', '.join(x['border'] for x in c.candidates)}: unchecked (see candidates)."
        )
        return
    judge_border_length(c, border)


# ------------------------------------------------------------------------------ border distance


def _nearest_border(p: Place, home: str, named: list[str]) -> NearestBorder:
    """The border nearest ``p``, a place in country ``home``, that the statement names.

    With the first country ``named`` when it is not ``home``, else between the two ``named``, else
    any border of ``home`` (or any border at all).
    """
    from conflict_map.geo.borders import nearest_border

    if named and home and named[0] != home:
        return nearest_border(p.lat, p.lon, country=home, other=named[0])
    if len(named) >= 2:
        return nearest_border(p.lat, p.lon, country=named[0], other=named[1])
    if home:
        return nearest_border(p.lat, p.lon, country=home)
    return nearest_border(p.lat, p.lon)


def link_border_distance(c: Claim, ctx: LinkContext, si: int, bm: re.Match[str]) -> None:
    """'X km from the (Syrian) border': subject place -> nearest point of that border."""
    from conflict_map.geo.borders import country_at

    subject = _subject_before(ctx, si, c.start)
    if subject is None:
        c.subject = "a place and a border"
        c.link = "none"
        c.explanation = "Distance to a border, but no place is named before it: unchecked."
        return
    m, link, note, cands = subject
    p = m.place
    assert p is not None
    adj = bm.group("adj").strip()
    named = [iso for _pos, iso, _n in _countries_in(adj, ctx.patterns)] if adj else []
    home_hit = country_at(p.lat, p.lon)
    home = home_hit.iso2 if home_hit else p.country
    try:
        nb = _nearest_border(p, home, named)
    except Exception as exc:  # no such border: say so, do not guess
        c.subject = f"{p.name} – border"
        c.link = "none"
        c.explanation = f"Distance from {p.name} to a border that the data cannot match ({exc}): unchecked."
        return
    c.places = [p]
    c.mentions = [m]
    c.border = (nb.a_iso2, nb.b_iso2)
    c.border_names = (nb.a_name, nb.b_name)
    c.subject = f"{p.name} – {nb.label} border"
    c.link, c.link_note, c.candidates = link, note, cands
    c.nearest_point = (nb.lat, nb.lon)
    if link == "low":
        c.explanation = f"Distance from a place to the {nb.label} border; the place is uncertain: unchecked."
        return
    judge_border_distance(c, nb)


def _subject_before(ctx: LinkContext, si: int, pos: int) -> tuple[Mention, str, str, list[dict[str, Any]]] | None:
    """The place a statement is about: the last point place before it, in its sentence or the previous one."""
    here = [m for m in ctx.in_sentence(si) if m.start < pos and _is_point(m)]
    if here:
        d = _distinct(here)
        m = here[-1]
        cands = [{"place": _pname(x), "id": _pid(x)} for x in d if _pid(x) != _pid(m)]
        return (m, "high" if len(d) == 1 else "medium", "nearest place named before the figure", cands)
    prev = [m for m in ctx.in_sentence(si - 1) if _is_point(m)]
    if prev:
        d = _distinct(prev)
        m = prev[-1]
        cands = [{"place": _pname(x), "id": _pid(x)} for x in d if _pid(x) != _pid(m)]
        refers = bool(ctx.patterns.anaphor.search(ctx.text[ctx.spans[si][0] : pos]))
        link = "medium" if len(d) == 1 and refers else "low"
        return (m, link, "place taken from the previous sentence", cands)
    return None


# ------------------------------------------------------------------------------------- distance


def _find_anchor(ctx: LinkContext, here: list[Mention], anchor_from: int | None) -> Mention | None:
    """The reference place written right after 'from/of' (a few words such as 'the town of' between)."""
    if anchor_from is None:
        return None
    for m in here:
        if m.start >= anchor_from and ctx.patterns.anchor_gap.fullmatch(ctx.text[anchor_from : m.start]):
            return m
    return None


def _pair_with_anchor(c: Claim, ctx: LinkContext, si: int, anchor: Mention, points_here: list[Mention]) -> PairLink:
    """The anchor and the subject: the place named before the figure, else one of the previous sentence."""
    assert anchor.place is not None
    before_all = [m for m in points_here if m.start < c.start and _pid(m) != _pid(anchor)]
    before = _distinct(before_all)
    if before:
        subj = before_all[-1]
        link = "high" if len(before) == 1 else "medium"
        note = "reference place after the figure ('from/of ...'), subject: the place named before it"
        return (anchor, subj), link, note, [(anchor, b) for b in before if _pid(b) != _pid(subj)]
    prev = _distinct([m for m in ctx.in_sentence(si - 1) if _is_point(m) and m.place.id != anchor.place.id])
    if prev:
        refers = bool(ctx.patterns.anaphor.search(ctx.text[ctx.spans[si][0] : c.start]))
        link = "medium" if len(prev) == 1 and refers else "low"
        note = "reference place after the figure; the other place taken from the previous sentence"
        return (anchor, prev[-1]), link, note, [(anchor, b) for b in prev[:-1]]
    return None, "none", "", []


def _pair_without_anchor(c: Claim, ctx: LinkContext, si: int, points_here: list[Mention], tail: str) -> PairLink:
    """No reference place after the figure: the sentence's two places, or one and the previous sentence's."""
    s0, _s1 = ctx.spans[si]
    d_here = _distinct(points_here)
    if len(d_here) == 2:
        return (d_here[0], d_here[1]), "high", "the two places named in the sentence", []
    if len(d_here) > 2:
        return _best_pair(ctx, s0, c, points_here)
    if len(d_here) == 1:
        only = d_here[0]
        assert only.place is not None
        prev = _distinct([m for m in ctx.in_sentence(si - 1) if _is_point(m) and m.place.id != only.place.id])
        if prev:
            p = ctx.patterns
            refers = bool(p.anaphor.search(ctx.text[s0 : c.start]) or p.away_tail.match(tail))
            link = "medium" if len(prev) == 1 and refers else "low"
            note = "one place named in the sentence, the other taken from the previous sentence"
            return (prev[-1], only), link, note, [(b, only) for b in prev[:-1]]
        return None, "none", "", []
    prev = _distinct([m for m in ctx.in_sentence(si - 1) if _is_point(m)])
    if len(prev) == 2:
        return (prev[0], prev[1]), "low", "no place in the sentence; the two places of the previous sentence", []
    return None, "none", "", []


def _best_pair(ctx: LinkContext, s0: int, c: Claim, points: list[Mention]) -> PairLink:
    """Several places in the sentence: 'between A and B' / 'from A to B', else the two nearest the figure."""
    text = ctx.text
    d = _distinct(points)
    for m in d:
        pre = text[max(s0, m.start - 12) : m.start].lower()
        if ctx.patterns.pair_opener.search(pre):
            rest = [x for x in d if x.start > m.end and _pid(x) != _pid(m)]
            if rest:
                cands = [(m, x) for x in rest[1:]]
                return (
                    (m, rest[0]),
                    "high" if len(rest) == 1 else "medium",
                    "'between/from A and/to B'",
                    cands,
                )
    # nearest two places before the figure (the one right before it is usually the subject)
    before = [m for m in d if m.start < c.start]
    after = [m for m in d if m.start > c.end]
    ordered = sorted(before, key=lambda m: c.start - m.start) + after
    pair = (ordered[1], ordered[0])
    cands = [
        (a, b)
        for i, a in enumerate(ordered)
        for b in ordered[i + 1 :]
        if {a.place.id, b.place.id} != {pair[0].place.id, pair[1].place.id}
    ]
    return pair, "low", "more than two places in the sentence", cands


def _explain_unlinked(c: Claim, here: list[Mention]) -> None:
    """No pair of places: say why, naming the areas the sentence mentions instead of points."""
    c.subject = "unknown"
    c.link = "none"
    areas = _distinct([m for m in here if not _is_point(m)])
    if areas:
        what = "; ".join(f"'{m.text}' was resolved to {_pname(m)}, a {_pkind(m)}" for m in areas[:3])
        c.mentions = areas[:3]
        c.explanation = (
            f"A distance, but only one point place is named nearby ({what}: an area, not a point): unchecked."
        )
    else:
        c.explanation = "A distance, but the passage does not name two places it could join: unchecked."


def link_distance(c: Claim, ctx: LinkContext, si: int, anchor_from: int | None, tail: str) -> None:
    """Link a distance to two places: an anchor after 'from/of' and a subject before, or a sentence pair."""
    here = ctx.in_sentence(si)
    points_here = [m for m in here if _is_point(m)]
    anchor = _find_anchor(ctx, here, anchor_from)
    if anchor is not None and not _is_point(anchor):
        c.mentions = [anchor]
        c.subject = f"a distance to {_pname(anchor)}"
        c.link = "none"
        c.explanation = (
            f"Distance to {_pname(anchor)}, a {_pkind(anchor)}: an area, not a point, "
            "so a single distance cannot be measured: unchecked."
        )
        return
    if anchor is not None:
        pair, link, note, candidates = _pair_with_anchor(c, ctx, si, anchor, points_here)
    else:
        pair, link, note, candidates = _pair_without_anchor(c, ctx, si, points_here, tail)
    c.candidates = [_pair_candidate(a, b) for a, b in candidates[:5]]
    if pair is None:
        _explain_unlinked(c, here)
        return
    ref, other = pair
    assert ref.place is not None and other.place is not None
    c.places = [ref.place, other.place]
    c.mentions = [ref, other]
    c.subject = _pair_label(other.place, ref.place) if anchor is not None else _pair_label(ref.place, other.place)
    c.link, c.link_note = link, note
    if link == "low":
        c.candidates.insert(0, _pair_candidate(ref, other))
        c.explanation = (
            "A distance between places, but which ones is uncertain: unchecked. Candidates are listed with "
            "their straight-line distances."
        )
        return
    road = bool(ctx.patterns.road_words.search(c.sentence))
    judge_distance(c, ref.place, other.place, road_mentioned=road, reference_explicit=anchor is not None)
