"""The recogniser's evidence: small named functions, each naming the feature that fires for a candidate.

A candidate's score is the prior importance of its best reading plus the weights (``geoparse/weights.json``)
of the features that fire. Each *evidence function* below looks at one thing (a locative before the name, a
kind word after it, a dictionary word at a sentence start...) and returns the name of the feature that fires,
or ``None``; some features also leave hints for the resolver and the discourse rules (``admin``, ``base``,
``populated``, ``person``, ``veto``...). Person-name evidence lives in :mod:`.persons`.

>>> sorted(FEATURE_HINTS)[:3]
['admin_word_after', 'base_word_after', 'container_after']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from conflict_map.gazetteer.index import Gazetteer
from conflict_map.gazetteer.scoring import TRANSLITERATED
from conflict_map.geoparse.recognise.candidates import Candidate
from conflict_map.geoparse.recognise.lexicon import (
    ADMIN_NAME_ENDINGS,
    ADMIN_WORDS,
    BASE_WORDS,
    DATELINE,
    DIRECTION_OF,
    GROUP_AFTER,
    KIN_WORDS,
    LOCATIVE_BEFORE,
    NEVER,
    PLACE_TYPE_WORDS,
    POPULATED_BEFORE,
    RESIDENT_AFTER,
    SPEECH_VERBS,
    WIDE_KINDS,
)
from conflict_map.geoparse.weights import Weights
from conflict_map.text.boilerplate import in_spans
from conflict_map.text.names import norm_key
from conflict_map.text.tokens import Token

#: Hints a feature leaves on the candidate when it fires.
FEATURE_HINTS: dict[str, frozenset[str]] = {
    "names_its_kind": frozenset({"admin", "typed"}),
    "common_word_variant": frozenset({"veto"}),
    "plural_title": frozenset({"veto", "person"}),
    "dictionary_word_initial": frozenset({"dict-initial"}),
    "dictionary_word_initial_famous": frozenset({"dict-initial"}),
    "person_name_before": frozenset({"veto", "person"}),
    "inside_longer_name": frozenset({"name-part"}),
    "title_before": frozenset({"veto", "person"}),
    "kunya_chain": frozenset({"veto", "person"}),
    "nisba_after": frozenset({"veto"}),
    "given_name_before_surname": frozenset({"veto", "person"}),
    "town_word_after": frozenset({"typed"}),
    "group_after": frozenset({"veto"}),
    "admin_word_after": frozenset({"admin"}),
    "resident_after": frozenset({"populated"}),
    "base_word_after": frozenset({"base"}),
    "tribe_list": frozenset({"veto"}),
    "town_of": frozenset({"populated"}),
    "province_of": frozenset({"admin"}),
    "kind_word_before": frozenset({"populated"}),
    "container_after": frozenset(),
    "same_word_as_person": frozenset({"veto"}),
}


@dataclass(slots=True)
class Context:
    """What the evidence functions look at: the candidate, its neighbouring tokens and the gazetteer."""

    c: Candidate
    text: str
    tokens: list[Token]
    gaz: Gazetteer
    common: frozenset[str]
    rows: tuple[int, ...]
    best: float  # importance of the best reading
    words: list[str]
    single: bool
    initial: bool  # a sentence start (or after an opening quote): a capital says nothing
    in_headline: bool
    title_case: bool
    prev: Token | None
    prev2: Token | None
    nxt: Token | None
    gap_prev: str
    gap_next: str
    sent_first: set[int]
    memo: dict[str, object] = field(default_factory=dict)  # what several evidence functions read, computed once

    @property
    def prev_adjacent(self) -> bool:
        return self.prev is not None and self.gap_prev in (" ", "-")

    @property
    def next_adjacent(self) -> bool:
        return self.nxt is not None and self.gap_next in (" ", "-")

    def kinds(self) -> set[str]:
        return {self.gaz.kind_of(r) for r in self.rows}


def context(
    c: Candidate,
    text: str,
    tokens: list[Token],
    gaz: Gazetteer,
    sent_first: set[int],
    headlines: list[tuple[int, int]],
) -> Context:
    """The :class:`Context` of candidate ``c`` (after :func:`ordinary_words` narrowed its readings)."""
    prev = tokens[c.first - 1] if c.first > 0 else None
    nxt = tokens[c.last + 1] if c.last + 1 < len(tokens) else None
    return Context(
        c=c,
        text=text,
        tokens=tokens,
        gaz=gaz,
        common=gaz.common_words,
        rows=c.rows,
        best=max(gaz.importance(r) for r in c.rows),
        words=c.key.split(),
        single=c.first == c.last,
        initial=c.first in sent_first,
        in_headline=in_spans(c.start, headlines),
        title_case=c.text[:1].isupper() and not c.text.isupper(),
        prev=prev,
        prev2=tokens[c.first - 2] if c.first > 1 else None,
        nxt=nxt,
        gap_prev=text[prev.end : tokens[c.first].start] if prev else "\n",
        gap_next=text[tokens[c.last].end : nxt.start] if nxt else "\n",
        sent_first=sent_first,
    )


def ordinary_words(c: Candidate, gaz: Gazetteer) -> bool:
    """A phrase of ordinary words ("White House") names a place only under that very name: narrow its readings.

    A country's or sea's other name is still that place ("Holy See", "the Atlantic"). Returns False (and vetoes
    the candidate) when no reading is left: a hard rule, not a weighted feature.
    """
    words = c.key.split()
    if len(words) > 1 and all(w in gaz.common_words or w in NEVER for w in words):
        rows = tuple(
            r for r in c.rows if gaz.kind_of(r) in WIDE_KINDS or fuzz.ratio(norm_key(gaz.place(r).name), c.key) >= 70
        )
        if not rows:
            c.score = -10.0
            c.hints.add("veto")
            c.reasons = ["ordinary words, no place of that name -10"]
            return False
        c.rows = rows
    return True


# --- the evidence functions: each returns the name of the feature that fires, or None ------------------------


def names_its_kind(x: Context) -> str | None:
    """ "Laurel County", "Nineveh Governorate": the name says it is a division."""
    if (
        len(x.words) > 1
        and x.words[-1] in ADMIN_NAME_ENDINGS
        and any(x.gaz.kind_of(r) in ("province", "district") for r in x.rows)
    ):
        return "names_its_kind"
    return None


def common_word_variant(x: Context) -> str | None:
    """A common word is no spelling variant: "Has" is not a spelling of Ha'il."""
    if x.c.match == "skeleton" and x.single and x.c.key in x.common:
        return "common_word_variant"
    return None


def spelling_variant(x: Context) -> str | None:
    """A transliteration-skeleton match: expected for names from Arabic, Persian, Turkic... script."""
    if x.c.match != "skeleton" or x.tokens[x.c.first].arabic:  # Arabic script: see arabic_features
        return None
    return "variant_transliterated" if any(x.gaz.country_of(r) in TRANSLITERATED for r in x.rows) else "variant_other"


def plural_title(x: Context) -> str | None:
    """ "Sens. Tom Udall and Martin Heinrich": senators, not the French town."""
    if x.c.text in ("Sens", "Reps", "Gens", "Govs") and x.text[x.c.end : x.c.end + 1] == ".":
        return "plural_title"
    return None


def dictionary_word(x: Context) -> str | None:
    """A dictionary word: at a sentence start a capital says nothing ("Turkey" or "turkey"?)."""
    if not (x.single and x.c.key in x.common and (x.title_case or x.in_headline)):
        return None
    if not (x.initial or x.in_headline):
        return "dictionary_word"  # a mid-sentence capital: a proper name, though maybe not of a place ("Aid")
    famous = x.best >= 8.0 and any(
        x.gaz.importance(r) >= 8.0 and norm_key(x.gaz.place(r).name) == x.c.key for r in x.rows
    )  # a country or great city under its own name ("Turkey", "Japan"), not an alias ("Car", "Island")
    return "dictionary_word_initial_famous" if famous else "dictionary_word_initial"


def arabic_script(x: Context) -> str | None:
    """Arabic script has no capitals: a short or minor name is more likely a common word."""
    if not x.tokens[x.c.first].arabic:
        return None
    if len(x.c.key.replace(" ", "")) < 4:
        return "arabic_short"
    return "arabic_minor" if x.best < 6.0 else None


def acronym(x: Context) -> str | None:
    """ "PA", "CEO", "NATO" are no places; "US", "UK", "EU" are (countries and regions)."""
    t = x.c.text
    if (
        x.single
        and len(t) <= 5
        and t.isupper()
        and "." not in t
        and (len(t) <= 3 or x.best < 5.0 or x.c.match != "exact")
        and not x.kinds() & {"country", "region"}
    ):
        return "acronym"
    return None


def party_place(x: Context) -> str | None:
    """ "Sen. Ray Miller, D-Columbus": a party letter and the place the politician represents."""
    if x.prev is not None and x.prev.text in ("D", "R", "I") and x.gap_prev == "-":
        return "party_place"
    return None


def currency(x: Context) -> str | None:
    """ "US dollars", "US$3m": a currency, not the place."""
    if (
        (x.nxt is not None and x.nxt.lower in ("dollar", "dollars"))
        or x.text[x.c.start - 1 : x.c.start] == "$"
        or x.text[x.c.end : x.c.end + 1] == "$"
    ):
        return "currency"
    return None


def town_word_after(x: Context) -> str | None:
    """ "Mount Pleasant City Council": the town's own council (a hint that keeps it inside institution names)."""
    if x.next_adjacent and x.nxt is not None and x.nxt.lower in ("city", "town", "township", "village") and x.nxt.cap:
        return "town_word_after"
    return None


def word_after(x: Context) -> str | None:
    """The word right after the name: a group ("tribe", "Post"), a kind word, residents, a base, a proper name."""
    if not x.next_adjacent or x.nxt is None:
        return None
    nxt, nl = x.nxt, x.nxt.lower
    if nl in KIN_WORDS or (nl in GROUP_AFTER and nxt.cap and "in-landmark" not in x.c.hints):
        # "Toronto Police", "Dubai Police": still about the place; "Albu Mahal tribe", "Washington Post": not
        return "group_after_major" if x.best >= 6.0 and nl not in KIN_WORDS else "group_after"
    if nl in ADMIN_WORDS:
        return "admin_word_after"
    if nl in RESIDENT_AFTER and not nxt.cap and not (x.c.text.isupper() and len(x.c.text) <= 3):
        return "resident_after"  # "a Winona man", "Rochester area residents", "Gainesville police"
    if nl in BASE_WORDS or (
        nl in ("air", "army", "military")
        and x.c.last + 2 < len(x.tokens)
        and x.tokens[x.c.last + 2].lower in BASE_WORDS
    ):
        return "base_word_after"
    if (
        nxt.cap
        and not nxt.arabic
        and not x.in_headline
        and nl not in PLACE_TYPE_WORDS
        and not x.gaz.has_key(nl)
        and x.best < 6.0
        and "in-landmark" not in x.c.hints
        and "typed" not in x.c.hints
    ):  # "Obama Administration"; but "US Special Forces", "Laurel County Detention Center" name places too
        return "proper_name_after"
    return None


def tribe_list(x: Context) -> str | None:
    """ "the Albu Mahal and the al-Karbouli tribes"."""
    tail = x.text[x.c.end : x.c.end + 60].lower()
    if " tribes" in tail and " and " in tail[: tail.find(" tribes")]:
        return "tribe_list"
    return None


def the_before_town(x: Context) -> str | None:
    """Towns rarely take "the" ("the White House"), unless used as a modifier ("the Mosul offensive")."""
    nxt = x.nxt
    if (
        x.prev is not None
        and x.prev.lower == "the"
        and x.best < 6.0
        and not (x.next_adjacent and nxt is not None and nxt.cap)
        and not (nxt is not None and nxt.lower in RESIDENT_AFTER)  # "the Rochester area"
        and not (
            x.next_adjacent
            and nxt is not None
            and not nxt.cap
            and nxt.lower not in NEVER
            and nxt.lower not in SPEECH_VERBS
            and nxt.lower.isalpha()
        )
        and "in-landmark" not in x.c.hints
        and not x.kinds() & {"region", "water", "country", "province", "district", "base", "crossing", "dam"}
    ):
        return "the_before_town"
    return None


def word_before(x: Context) -> str | None:
    """ "in", "near", "captured" before the name; "town of", "province of", "north of"; "city" before it."""
    if x.prev is None:
        return None
    pl = x.prev.lower
    if pl in LOCATIVE_BEFORE:
        return "locative_before_capital" if x.prev.cap else "locative_before"
    if pl == "of" and x.prev2 is not None:
        p2 = x.prev2.lower
        if p2 in POPULATED_BEFORE:
            return "town_of"
        if p2 in ADMIN_WORDS:
            return "province_of"
        if p2 in DIRECTION_OF:
            return "direction_of"
        return None
    if pl in POPULATED_BEFORE and not x.prev.cap:
        return "kind_word_before"
    return None


def dateline(x: Context) -> str | None:
    """A dateline: "WINONA -- The body of...", "BEIRUT (Reuters) - ...", "Paris, Tenn. — ..."."""
    m = DATELINE.match(x.text, x.c.end)
    if (x.initial or x.in_headline) and m and (x.c.text.isupper() or "(" in m.group()):
        return "dateline"
    return None


def container_after(x: Context) -> str | None:
    """ "Springfield, Illinois" / "Ramadi, Anbar": the province or country it lies in, after a comma."""
    if x.nxt is not None and x.gap_next.strip() == "," and x.nxt.cap:
        rows = container_rows(x.text, x.tokens, x.c.last + 1, x.gaz)
        if rows:
            x.c.container = rows
            return "container_after"
    return None


def container_rows(text: str, tokens: list[Token], k: int, gaz: Gazetteer) -> tuple[int, ...]:
    """Rows of a province or country named right after a comma ("Springfield, Ill.")."""
    for j in range(min(len(tokens), k + 3) - 1, k - 1, -1):
        key = norm_key(text[tokens[k].start : tokens[j].end])
        rows = tuple(r for r in gaz.rows_for_key(key) if gaz.kind_of(r) in ("country", "province"))
        if rows:
            return rows
    return ()


Evidence = Callable[[Context], "str | None"]


def apply(
    x: Context,
    evidence: Evidence,
    weights: Weights,
    score: float,
    reasons: list[str],
    hints: dict[str, frozenset[str]] = FEATURE_HINTS,
) -> float:
    """Run one evidence function; when a feature fires (and is not switched off) add its weight and ``hints``."""
    name = evidence(x)
    return score if name is None else credit(x, name, weights, score, reasons, hints)


def credit(
    x: Context,
    name: str,
    weights: Weights,
    score: float,
    reasons: list[str],
    hints: dict[str, frozenset[str]] = FEATURE_HINTS,
) -> float:
    """Feature ``name`` fired: unless it is switched off, add its weight to ``score`` and leave its ``hints``."""
    if not weights.enabled(name):
        return score
    w = weights.feature(name)
    x.c.hints.update(hints.get(name, ()))
    x.c.features[name] = 1.0
    if w:
        reasons.append(f"{name} {w:+g}")
    return score + w
