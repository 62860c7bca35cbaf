"""The shape of one language's claim patterns: what finding, reading and linking a statement need.

Every word list and regular expression that depends on the language of the article is a field of
:class:`Patterns`; the rest of the claim checker only uses canonical keys (hedge kinds such as
``approx``, units such as ``km``, nouns such as ``border``, directions such as ``northwest``).
A new language is one more :class:`Patterns` value (see :mod:`conflict_map.claims.english`)
registered in :data:`conflict_map.claims.statements.PATTERNS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass


def alternation(words: list[str]) -> str:
    """A regex alternation of ``words``, longest first, any run of spaces matching a space."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def collapse(s: str) -> str:
    """Lower case with runs of whitespace as one space: the key of a hedge, unit or noun."""
    return re.sub(r"\s+", " ", s.lower())


@dataclass(frozen=True, slots=True)
class Patterns:
    """One language's words for distance and length statements.

    Finding (:func:`~conflict_map.claims.statements.find_statements`):

    ``claim``
        A figure with its unit; named groups ``hedge``, ``between``, ``num``, ``num2`` (upper end of
        a range), ``sep`` (what joins number and unit, ``-`` in "a 600-km border"), ``unit``, ``post``
        (a hedge written after the unit, "or so").
    ``parse_number``
        The ``num`` group as a number, ``None`` when it is not one.
    ``hedges`` / ``units``
        Hedge and unit words (:func:`collapse` d) -> hedge kind / ``km``, ``mi``, ``nmi``, ``m``.
    ``area_before``
        Searched in the lower-cased 12 characters before a figure: an area ("square"), not a distance.

    Reading the words around a figure (:func:`~conflict_map.claims.statements.read_statement`):
    ``tail`` is the text after the unit, ``head`` the sentence text before the figure.

    ``direction_tail`` (group ``dir``, made a compass key by ``direction_key``), ``from_tail``
    ("away from", "outside"), ``border_after`` (the border after ``from_tail``, group ``adj`` for the
    country adjectives), ``long_tail`` / ``length_before`` (a length: "long", "stretches for"),
    ``compound_head`` ("a" / "the" before a compound such as "a 600-km border"), ``compound_noun``
    (group ``noun``, made a canonical English noun by ``noun_key``), ``other_before`` /
    ``other_tail`` (a range, height, radius...: not checked).

    Linking a statement to places (:mod:`conflict_map.claims.linking`):

    ``anaphor`` (the sentence refers back to a place of the previous one), ``away_tail`` ("away"
    right after the unit), ``anchor_gap`` (what may stand between "from" and the reference place,
    full match), ``pair_opener`` (searched in the lower-cased 12 characters before a place:
    "between" / "from"), ``border_word``, ``unmeasurable_length`` (group 1: a road, river...
    whose length the data cannot measure), ``road_words`` (a road distance may be meant),
    ``name_token`` and ``capitalised_names`` (how country names are read: one token, and whether
    a name starts with a capital letter); ``find_countries`` (optional) replaces the English country-name
    table for a language whose names it does not hold: ``(text, offset)`` -> ``(position, iso2, name)``.
    """

    lang: str
    claim: re.Pattern[str]
    parse_number: Callable[[str], float | None]
    hedges: Mapping[str, str]
    units: Mapping[str, str]
    area_before: re.Pattern[str]
    direction_tail: re.Pattern[str]
    direction_key: Callable[[str], str]
    from_tail: re.Pattern[str]
    border_after: re.Pattern[str]
    long_tail: re.Pattern[str]
    length_before: re.Pattern[str]
    compound_head: re.Pattern[str]
    compound_noun: re.Pattern[str]
    noun_key: Callable[[str], str]
    other_before: re.Pattern[str]
    other_tail: re.Pattern[str]
    anaphor: re.Pattern[str]
    away_tail: re.Pattern[str]
    anchor_gap: re.Pattern[str]
    pair_opener: re.Pattern[str]
    border_word: re.Pattern[str]
    unmeasurable_length: re.Pattern[str]
    road_words: re.Pattern[str]
    name_token: re.Pattern[str]
    capitalised_names: bool = True
    find_countries: Callable[[str, int], list[tuple[int, str, str]]] | None = None

    def unit_key(self, unit: str) -> str:
        """``"Kilometres"`` -> ``"km"``."""
        return self.units[collapse(unit)]

    def hedge_kind(self, hedge: str, post: str) -> str:
        """The hedge kind of a hedge written before the figure or one written after it ("or so")."""
        if hedge:
            return self.hedges.get(collapse(hedge), "approx")
        if post:
            return "approx"
        return "exact"
