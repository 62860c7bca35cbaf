"""Evidence that a name belongs to a person, not a place: titles, kunyas, nisbas, given names and surnames.

"Abu Bakr al-Baghdadi" is a man (Khan al-Baghdadi is a town), "Sheikh Ahmed" a person, "David Watson" a
person, "Moore said" a person. Like :mod:`.features`, each function returns the feature that fires or None;
:func:`same_word_as_person` is the document-level rule: a word seen as a person's name is that person where it
recurs alone.
"""

from __future__ import annotations

from conflict_map.gazetteer.index import Gazetteer
from conflict_map.geoparse.recognise.candidates import Candidate
from conflict_map.geoparse.recognise.features import Context
from conflict_map.geoparse.recognise.lexicon import (
    ARTICLES,
    CONNECTORS,
    KUNYA,
    LOWER_TITLES,
    NAME_LINKS,
    NEVER,
    PERSON_BEFORE,
    QUALIFIERS,
    SPEECH_VERBS,
)
from conflict_map.geoparse.weights import Weights
from conflict_map.text.boilerplate import in_spans
from conflict_map.text.names import norm_key
from conflict_map.text.tokens import Token


def _paired(x: Context) -> bool:
    """ "the Iraq-Syria border", "US-Mexico talks": two places joined by a hyphen, not one longer name."""
    return (
        x.prev is not None
        and x.gap_prev in ("-", "–", "‑", "/")
        and any(x.gaz.importance(r) >= 6.0 for r in x.gaz.rows_for_key(x.prev.lower))
        and x.best >= 6.0
    )


def name_before(x: Context) -> str | None:
    """The word before: a kunya or title in one name ("Abu Omar al-Iraq"), part of a longer name
    ("George Washington"), or a title ("President Obama", "president Obama")."""
    prev = x.prev
    if prev is None:
        return None
    party = prev.text in ("D", "R", "I") and x.gap_prev == "-"
    if (
        not party
        and not _paired(x)
        and x.prev_adjacent
        and prev.cap
        and not prev.arabic
        and not x.in_headline
        and x.c.first - 1 not in x.sent_first
        and prev.lower not in NEVER
    ):
        pl = prev.lower
        if pl in KUNYA or pl in PERSON_BEFORE:
            return "person_name_before"
        if pl not in QUALIFIERS and pl not in CONNECTORS and x.gaz.demonyms.get(pl) is None:
            return "inside_longer_name"
        return None
    if prev.lower in PERSON_BEFORE and x.prev_adjacent and (prev.cap or prev.lower in LOWER_TITLES):
        return "title_before"
    return None


def kunya_chain(x: Context) -> str | None:
    """ "Abu Bakr al-Baghdadi", "Abu Saeed al-Masri": a kunya up to three words before, names in between."""
    tokens, first = x.tokens, x.c.first
    for back in range(1, 4):
        k = first - back
        if k < 0:
            return None
        if tokens[k].lower in KUNYA and tokens[k].cap:
            gap = x.text[tokens[k].end : tokens[first].start]
            chain = all(tokens[j].cap or tokens[j].lower in NAME_LINKS for j in range(k + 1, first))
            if chain and "\n" not in gap and "," not in gap and "." not in gap and len(gap) < 30:
                return "kunya_chain"
            return None
    return None


def nisba_after(x: Context) -> str | None:
    """ "Qassim al-Ithawai", "Rafea al-Fahdawi": a name followed by a nisba (al-<Name>) is a person."""
    nxt, tokens, last = x.nxt, x.tokens, x.c.last
    if (
        nxt is not None
        and x.gap_next == " "
        and nxt.lower in ARTICLES
        and last + 2 < len(tokens)
        and x.text[nxt.end : tokens[last + 2].start] == "-"
        and tokens[last + 2].cap
        and not x.gaz.has_key(norm_key(x.text[nxt.start : tokens[last + 2].end]))
        and not x.gaz.has_key(tokens[last + 2].lower)
    ):
        return "nisba_after"
    return None


def given_or_surname(x: Context) -> str | None:
    """ "David Watson", "Paris Hilton": a given name before a surname; "Moore said": a surname."""
    if not (x.single and x.title_case):
        return None
    key, gaz, nxt = x.c.key, x.gaz, x.nxt
    if key in gaz.given_names:
        if (
            x.next_adjacent
            and x.gap_next == " "
            and nxt is not None
            and nxt.cap
            and nxt.lower in gaz.surnames
            and nxt.lower not in NEVER  # "in Alexandria Friday night": a weekday, not a surname
            and not x.in_headline
            and not any(gaz.importance(r) >= 6.0 for r in gaz.rows_for_key(nxt.lower))
        ):
            return "given_name_before_surname"
        if x.best < 6.0:
            return "also_common_given_name" if key in gaz.common_given_names else "also_given_name"
        return None
    if key in gaz.surnames and x.best < 6.0:
        return "surname_said" if nxt is not None and nxt.lower in SPEECH_VERBS else "also_surname"
    return None


def _personal(c: Candidate, tokens: list[Token], gaz: Gazetteer, sent_first: set[int], headlines) -> bool:
    """A surname seen inside a person's name ("Tom Jones", "Vladimir Putin") is a person when it recurs alone."""
    if "person" in c.hints:
        return True
    if "name-part" not in c.hints:
        return False
    prev = tokens[c.first - 1]
    common = gaz.common_words
    return (
        c.key in gaz.surnames
        or prev.lower in gaz.given_names
        or (
            prev.text[:1].isupper()
            and not prev.text.isupper()
            and prev.lower not in common
            and prev.lower.rstrip("s") not in common  # "Joins", "Opens": a headline verb, not a first name
            and c.first - 1 not in sent_first
            and not in_spans(prev.start, headlines)
        )
    )


def same_word_as_person(
    cands: list[Candidate],
    tokens: list[Token],
    gaz: Gazetteer,
    sent_first: set[int],
    headlines: list[tuple[int, int]],
    weights: Weights,
) -> None:
    """A word named as a person earlier ("Georgia Stevens", "Mr Hit") is weak evidence of a place elsewhere."""
    name = "same_word_as_person"
    if not weights.enabled(name):
        return
    person_keys = {c.key for c in cands if c.first == c.last and _personal(c, tokens, gaz, sent_first, headlines)}
    certain = {c.key for c in cands if c.first == c.last and "person" in c.hints}
    w = weights.feature(name)
    for c in cands:
        if c.key not in person_keys or tokens[c.first].arabic:
            continue  # "محمد الخليل" says nothing of "بالخليل": Arabic nisbas name places and persons alike
        weak = c.match == "skeleton" or max(gaz.importance(r) for r in c.rows) < 6.0 or c.key in certain
        if c.key in person_keys and weak and not c.hints & {"name-part", "veto"} and c.first == c.last:
            c.score += w
            c.hints.add("veto")
            c.features[name] = 1.0
            c.reasons.append(f"{name} {w:+g}")
