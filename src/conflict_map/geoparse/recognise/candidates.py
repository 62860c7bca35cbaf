"""Candidate spans: runs of capitalised tokens whose name (or transliteration skeleton) is in the gazetteer.

A candidate is a possible mention before the accept/reject decision; :mod:`.features` weighs the evidence
for it. Demonyms ("Iraqi", "Syrians") are found here too: they are linked to their country, not places.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from itertools import repeat

from conflict_map.gazetteer.index import Gazetteer
from conflict_map.geoparse.recognise.arabic import arabic_match, kind_phrase, list_kind, nisba_country
from conflict_map.geoparse.recognise.lexicon import ARTICLES, CONNECTORS, CONTRACTION, LONE_CONNECTORS, NEVER
from conflict_map.text.boilerplate import in_spans
from conflict_map.text.doc import Doc
from conflict_map.text.names import norm_key
from conflict_map.text.sentences import lines
from conflict_map.text.tokens import Token

#: After these, a capital says nothing (an opening quote, bracket or colon).
OPENERS = ('"', "“", "(", "[", ":", "'", "‘")

Demonym = tuple[int, int, str, str, tuple[int, int]]  # start, end, text, country id, sentence


@dataclass(slots=True)
class Candidate:
    """A possible mention before the accept/reject decision."""

    start: int
    end: int
    text: str
    key: str
    rows: tuple[int, ...]
    match: str  # "exact" | "skeleton"
    first: int  # index of the first token
    last: int  # index of the last token (inclusive)
    sentence: tuple[int, int]
    score: float = 0.0
    hints: set[str] = field(default_factory=set)  # "admin", "base", "populated", "veto", "name-part"
    container: tuple[int, ...] = ()  # rows of the province/country named after a comma
    reasons: list[str] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)  # the named evidence that fired (name -> value)
    clitic: str = ""  # Arabic proclitics written on the name, outside the span ("ب" of "ببغداد")
    kind_word: str = ""  # the hint of an Arabic kind word right before the name ("populated" for "مدينة")
    whole: tuple[int, ...] = ()  # rows named by the kind word and the name together ("مطار بغداد", "قطاع غزة")
    near: tuple[int, ...] = ()  # facilities of the kind word's kind near the town ("مطار أربيل")


@dataclass(slots=True)
class Found:
    """Everything the evidence needs about a document's candidates."""

    candidates: list[Candidate]
    demonyms: list[Demonym]
    sentence_first: set[int]  # indexes of tokens after which a capital says nothing
    headlines: list[tuple[int, int]]  # lines in Title Case
    adjectives: list[Demonym] = field(default_factory=list)  # Arabic nisba adjectives of countries ("العراقية")


def headline_lines(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Lines written in Title Case (headlines, captions): capitalisation says nothing there."""
    out = []
    starts = [t.start for t in tokens]
    ti = 0
    for s, e in lines(text):
        ti = bisect.bisect_left(starts, s, ti)
        j = bisect.bisect_left(starts, e, ti)
        if j - ti > 20:  # a line of more than 20 words is no headline
            continue
        content = [t for t in tokens[ti:j] if t.lower not in CONNECTORS and not t.arabic]
        if len(content) >= 3 and sum(t.cap for t in content) >= 0.75 * len(content):
            out.append((s, e))
    return out


def sentence_of(pos: int, sents: list[tuple[int, int]]) -> tuple[int, int]:
    """The sentence span holding ``pos``, or ``(pos, pos)``."""
    i = bisect.bisect_right(sents, (pos, float("inf"))) - 1
    if i >= 0 and sents[i][0] <= pos < sents[i][1]:
        return sents[i]
    return (pos, pos)


def token_sentences(doc: Doc) -> list[tuple[int, int]]:
    """The sentence span of every token (:func:`sentence_of` its start), in one pass over the sentences.

    A token between sentences gets ``(start, start)``. The sentences are sorted and disjoint (as
    :func:`conflict_map.text.sentences.sentences` makes them), so each one takes a run of tokens at once.
    """
    starts = [t.start for t in doc.tokens]
    out: list[tuple[int, int]] = []
    k = 0
    for sent in doc.sentences:
        a = bisect.bisect_left(starts, sent[0], k)
        out.extend(zip(starts[k:a], starts[k:a], strict=True))  # tokens before the sentence
        k = bisect.bisect_left(starts, sent[1], a)
        out.extend(repeat(sent, k - a))
    out.extend(zip(starts[k:], starts[k:], strict=True))
    return out


def sentence_firsts(doc: Doc, tok_sents: list[tuple[int, int]]) -> set[int]:
    """Indexes of tokens that open a sentence, or follow an opening quote, bracket or colon.

    ``tok_sents`` is the sentence of every token (:func:`token_sentences`).
    """
    text, tokens = doc.text, doc.tokens
    out: set[int] = set()
    prev_sent = None
    for i, t in enumerate(tokens):
        s = tok_sents[i]
        if s != prev_sent:
            out.add(i)
            prev_sent = s
        elif i > 0 and (gap := text[tokens[i - 1].end : t.start]) != " " and gap.strip()[-1:] in OPENERS:
            out.add(i)
    return out


def gap_ok(text: str, a: Token, b: Token) -> bool:
    """May tokens ``a`` and ``b`` belong to one name (a space, a hyphen, an apostrophe, "W. Va.")?"""
    gap = text[a.end : b.start]
    return (
        gap in (" ", "-", "‐", "‑", "–", "'", "’", "'s ", "’s ")  # ... "Cox's Bazar"
        or (gap == " " * len(gap) and len(gap) <= 2)
        or (a.text.endswith(".") and gap == " ")
        or (len(a.text) == 1 and a.text.isupper() and gap == ". ")  # "W. Va.", "N. Y."
    )


def name_reach(doc: Doc) -> list[int]:
    """For every token, the last token a name starting there may run to: each next token is capitalised (or a
    connector such as "al", "de") and the gap before it may sit inside a name (:func:`gap_ok`)."""
    text, tokens = doc.text, doc.tokens
    reach = list(range(len(tokens)))
    for k in range(len(tokens) - 2, -1, -1):
        b = tokens[k + 1]
        a = tokens[k]
        # a single space, the commonest gap inside a name, is tested here before calling gap_ok
        if (b.cap or b.lower in CONNECTORS) and ((a.end + 1 == b.start and text[a.end] == " ") or gap_ok(text, a, b)):
            reach[k] = reach[k + 1]
    return reach


def longest_match(
    doc: Doc,
    i: int,
    n: int,
    max_words: int,
    sent: tuple[int, int],
    gaz: Gazetteer,
    reach: list[int],
    *,
    exact: bool,
) -> Candidate | None:
    """The longest gazetteer name starting at token ``i`` (exact key, or transliteration skeleton).

    ``reach`` is :func:`name_reach` of ``doc``: tokens beyond ``reach[i]`` cannot belong to the name.
    """
    text, tokens = doc.text, doc.tokens
    t = tokens[i]
    for j in range(min(n, i + max_words, reach[i] + 1) - 1, i - 1, -1):
        last = tokens[j]
        if not last.cap or last.end > sent[1]:
            continue
        surface = text[t.start : last.end]
        key = norm_key(surface)
        if j == i and (
            key in NEVER or key in ARTICLES or (key in LONE_CONNECTORS and "." not in surface) or len(key) < 2
        ):
            return None
        if exact:
            rows = gaz.rows_for_key(key)
        else:
            if len(key) < 4 or (j > i and t.lower in NEVER):
                continue
            rows = gaz.variant_rows(surface)
        if rows:
            return Candidate(t.start, last.end, surface, key, rows, "exact" if exact else "skeleton", i, j, sent)
    return None


def demonym_of(t: Token, gaz: Gazetteer) -> str | None:
    """The country id of a demonym or adjective ("Iraqi", "Syrians"), or None."""
    if not t.cap or t.arabic:
        return None
    key = norm_key(t.text)
    pid = gaz.demonyms.get(key)
    if pid is None and key.endswith("s"):
        pid = gaz.demonyms.get(key[:-1])
    return pid


def _arabic_candidate(doc: Doc, i: int, sent: tuple[int, int], gaz: Gazetteer) -> Candidate | None:
    """The Arabic-script name starting in token ``i`` (see :mod:`.arabic`), with the readings its kind word adds."""
    m = arabic_match(doc, i, sent, gaz)
    if m is None:
        return None
    c = Candidate(
        m.start, m.end, doc.text[m.start : m.end], m.key, m.rows, "exact" if m.exact else "skeleton", m.first, m.last,
        sent, clitic=m.clitic,
    )  # fmt: skip
    if m.loose:
        c.hints.add("consonants")  # "الدلنج": Dilling by its consonants only
    if not m.clitic:
        c.kind_word, c.whole, c.near = kind_phrase(doc, m.first, m.key, m.rows, gaz)
        if c.whole or c.near:
            c.rows = tuple(sorted({*c.rows, *c.whole, *c.near}))
    elif m.clitic == "و":
        c.kind_word = list_kind(doc, m.first)  # "ناحيتي الزاب والعباسي": the list's kind word is its too
    return c


def _starts_name(doc: Doc, i: int) -> bool:
    t, tokens = doc.tokens[i], doc.tokens
    return t.cap or (
        t.lower in ARTICLES
        and i + 1 < len(tokens)
        and tokens[i + 1].cap
        and doc.text[t.end : tokens[i + 1].start] == "-"
    )


def find_candidates(doc: Doc, gaz: Gazetteer, boiler: list[tuple[int, int]]) -> Found:
    """Every candidate span and demonym of ``doc`` outside page boilerplate, longest match first."""
    tokens, n = doc.tokens, len(doc.tokens)
    cands: list[Candidate] = []
    demonyms: list[Demonym] = []
    adjectives: list[Demonym] = []
    tok_sents, reach = token_sentences(doc), name_reach(doc)
    i = 0
    while i < n:
        t = tokens[i]
        starts = t.cap or (t.lower in ARTICLES and _starts_name(doc, i))  # the cheap tests first: most words fail
        if not starts or in_spans(t.start, boiler) or t.text.endswith(CONTRACTION):
            i += 1
            continue
        sent = tok_sents[i]
        if t.arabic:
            found = _arabic_candidate(doc, i, sent, gaz)
            # "السورية" (Syrian) is no spelling of "سورية" (Syria): a nisba adjective beats a variant
            country = nisba_country(t, gaz) if found is None or found.match == "skeleton" else None
            if country is not None:
                adjectives.append((t.start, t.end, t.text, country, sent))
            elif found is not None:
                cands.append(found)
                i = found.last + 1
                continue
            i += 1
            continue
        found = longest_match(doc, i, n, gaz.max_words, sent, gaz, reach, exact=True)
        if not t.arabic and t.lower not in NEVER and (found is None or found.first == found.last):
            # a transliteration match may be longer: "Al Qaem" beats a hamlet called "Al"
            variant = longest_match(doc, i, min(n, i + 3), 3, sent, gaz, reach, exact=False)
            if variant is not None and (found is None or variant.last > found.last):
                found = variant
        dem = demonym_of(t, gaz) if (found is None or found.first == found.last) else None
        if dem is not None:  # "Iraqi", "Syrians": a demonym, not a place (even if a village shares it)
            demonyms.append((t.start, t.end, t.text, dem, sent))
            i += 1
            continue
        if found is None:
            i += 1
            continue
        cands.append(found)
        i = found.last + 1
    return Found(cands, demonyms, sentence_firsts(doc, tok_sents), headline_lines(doc.text, tokens), adjectives)
