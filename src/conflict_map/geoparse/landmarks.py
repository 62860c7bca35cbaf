"""Landmarks: named streets, bridges, hospitals, camps, dams and the like that no gazetteer lists.

War reporting names sub-city places all the time ("Al-Shifa hospital", "Tahrir Square", "the Zaatari camp",
"Camp Lejeune", "Royal Street"). The gazetteer cannot place them, but the article usually says which town
they are in. :func:`find_landmarks` recognises such names by their head word; :func:`anchor_landmarks` places
each at the town the article names with it (same sentence first, then the neighbouring sentences, then the
document's main town), marked as an approximate location with a low confidence, so a reader sees it on the map
and knows it is placed only as precisely as its town.

>>> from conflict_map.text.tokens import tokenize
>>> text = "Wounded were taken to Al-Shifa hospital in Gaza City."
>>> [(text[s:e], head) for s, e, head in find_landmarks(text, tokenize(text))]
[('Al-Shifa hospital', 'hospital')]
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence

from conflict_map.models import Mention, Place, SentencePool
from conflict_map.text.tokens import Token

#: Head words that end a landmark name when capitalised ("Royal Street", "Mosul University").
SUFFIX_HEADS = frozenset(
    "street st road rd avenue ave boulevard blvd lane highway hwy expressway freeway parkway motorway square plaza "
    "park bridge tunnel hospital clinic school academy university college church cathedral chapel mosque shrine "
    "temple synagogue monastery center centre airport airfield airbase station stadium arena plantation canal "
    "lake river creek mountains mountain valley beach island islands market bazaar mall hotel palace tower prison "
    "jail base harbor harbour dam gate hall museum library theatre theater cemetery forest desert bay refinery "
    "plant courthouse crossing checkpoint camp barracks compound complex district neighbourhood neighborhood "
    "quarter".split()
)
#: Heads that also count in lower case after a capitalised name ("Al-Shifa hospital", "Zaatari camp").
LOWER_HEADS = frozenset(
    "hospital camp mosque refinery dam bridge airport base airbase crossing prison checkpoint market square "
    "stadium university school church".split()
)
#: Words that open a landmark name ("Lake Victoria", "Camp Lejeune", "University of Mosul").
PREFIX_HEADS = frozenset("lake mount camp fort cape isle gulf bay university port".split())
#: Prefixes that need "of" to open a name ("Gulf of Aden", not "Gulf War"; "University of Mosul").
PREFIX_NEEDS_OF = frozenset("gulf bay isle university".split())
#: Words that make a generic description, not a name ("Medical Center", "Catholic church", "City Hall" alone).
GENERIC = frozenset(
    "research medical arts art fire learning care health science sciences community recreation senior student "
    "students training treatment detention processing data money secondary primary elementary middle high great "
    "christmas catholic coptic islamic christian jewish muslim evangelical whilst added superintendent joint "
    "operations space city town state national regional general public private charter new old local main central "
    "county district federal international police army military naval air children women youth family "
    "convention conference business shopping trade technology".split()
)
#: Street heads before which an ordinary word is still a name ("Main Street", "High Street", "State Road").
STREET_HEADS = frozenset("street st road rd avenue ave boulevard blvd lane".split())
STREET_NAMES = frozenset("main high central state market church new old national".split())
_STOP = frozenset(
    "the a an in on at of for to by with from and or but this that these those he she it we they i you his her its "
    "our their mr mrs ms dr president minister general gen sheikh said says".split()
)
_CONNECTORS = frozenset("of de del la le al el ad ar as ash at az ibn bin abu".split())
_GAPS = (" ", "-", "'", "’")


def _name_token(t: Token) -> bool:
    return t.cap and not t.arabic and t.lower not in _STOP and not t.text.isupper()


def find_landmarks(text: str, tokens: Sequence[Token]) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, head)`` of landmark names in ``text``."""
    out: list[tuple[int, int, str]] = []
    n = len(tokens)
    used_until = -1
    for k, t in enumerate(tokens):
        if k <= used_until:
            continue
        head = t.lower.rstrip(".")
        # suffix form: capitalised name words, then the head ("Royal Street", "Al-Shifa hospital")
        is_head = head in SUFFIX_HEADS and (t.cap or head in LOWER_HEADS)
        if is_head and k > 0:
            j = k
            while j > 0 and k - j < 5:
                prev = tokens[j - 1]
                gap = text[prev.end : tokens[j].start]
                if gap not in _GAPS:
                    break
                if _name_token(prev) or (prev.lower in _CONNECTORS and j - 2 >= 0 and _name_token(tokens[j - 2])):
                    j -= 1
                    continue
                break
            generic = GENERIC - STREET_NAMES if head in STREET_HEADS and t.cap else GENERIC
            if j < k and not all(tokens[x].lower in generic or tokens[x].lower in _CONNECTORS for x in range(j, k)):
                out.append((tokens[j].start, t.end, head))
                used_until = k
                continue
        # prefix form: "Lake Cunningham", "Camp Lejeune", "University of Mosul"
        if t.cap and head in PREFIX_HEADS and k + 1 < n:
            j = k + 1
            if tokens[j].lower == "of" and j + 1 < n and text[t.end : tokens[j].start] == " ":
                j += 1
            elif head in PREFIX_NEEDS_OF:
                continue
            last = None
            while (
                j < n and j - k <= 4 and _name_token(tokens[j]) and text[tokens[j - 1].end : tokens[j].start] in _GAPS
            ):
                last = j
                j += 1
            if last is not None:
                out.append((t.start, tokens[last].end, head))
                used_until = last
    return out


_SENT_GAP = 2  # how many sentences away an anchoring town may be


def anchor_landmarks(
    text: str,
    spans: list[tuple[int, int, str]],
    places: list[Mention],
    sentences: list[tuple[int, int]],
    *,
    pool: SentencePool | None = None,
) -> list[Mention]:
    """Place each landmark at the town the article names with it; landmarks with no town are dropped.

    ``pool`` shares sentence strings with the document's other mentions.
    """
    towns = [m for m in places if m.place is not None and m.place.kind in ("city", "town", "village", "district")]
    if not towns:
        return []
    starts = [s for s, _ in sentences]

    def sent_index(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    main = Counter(m.place.id for m in towns).most_common(1)[0]
    main_place = next(m.place for m in towns if m.place.id == main[0])
    main_share = main[1] / len(towns)
    out: list[Mention] = []
    for start, end, _head in spans:
        si = sent_index(start)
        best: tuple[float, Mention] | None = None
        for m in towns:
            d_sent = abs(sent_index(m.start) - si)
            if d_sent > _SENT_GAP:
                continue
            # same sentence first; within it, the nearest name (after the landmark slightly preferred: "X Street, Y")
            dist = d_sent * 10_000 + (m.start - end if m.start >= end else (start - m.end) * 1.5)
            if best is None or dist < best[0]:
                best = (dist, m)
        if best is not None:
            anchor = best[1].place
            conf = 0.4 if best[0] < 10_000 else 0.3
        elif main_share >= 0.3:
            anchor, conf = main_place, 0.2
        else:
            continue
        assert anchor is not None
        surface = text[start:end]
        s0, s1 = sentences[si] if sentences else (start, end)
        place = Place(
            id=f"lm:{anchor.id}:{_slug(surface)}",
            name=surface,
            kind="landmark",
            lat=anchor.lat,
            lon=anchor.lon,
            country=anchor.country,
            province=anchor.province,
            population=0,
            source=f"placed at {anchor.name} (approximate)",
        )
        out.append(Mention.single(text, start, end, (s0, s1), place, conf, sentences=pool))
    return out


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")[:60] or "landmark"
