"""The resolver's evidence for one reading (one candidate place) of a mention: small named functions.

A reading scores its prior importance plus, for each named evidence function, the function's value times
its weight (``resolver.features`` of ``geoparse/weights.json``):

* the document's countries (named countries, demonyms, unambiguous places) and provinces: "Sinjar" in an
  Iraqi story is the Iraqi one, "Tripoli" near "Lebanon" is Tripoli, Lebanon;
* the country or province named after a comma ("Ramadi, Anbar");
* hints from the recogniser ("Anbar province" wants a province, "Ain al-Asad air base" a base);
* how close a transliteration is to the reading's name (``rapidfuzz``), or the reading's own name;
* a city rather than the division named after it, a country rather than a town sharing its name;
* in Arabic script, a capital rather than its far lesser namesakes abroad ("موسكو" is no town in Texas).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from conflict_map.gazetteer.index import Gazetteer
from conflict_map.gazetteer.scoring import TRANSLITERATED
from conflict_map.geoparse.recognise import Candidate, Recognised
from conflict_map.geoparse.weights import Weights
from conflict_map.text.names import is_arabic, norm_key

MAX_CANDIDATES = 40
POPULATED = frozenset({"city", "town", "village"})


def contributions(
    c: Candidate, gaz: Gazetteer, dominant_gap: float
) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """What one mention says about the document's countries and provinces."""
    ranked = sorted(c.rows, key=gaz.importance, reverse=True)
    kinds: dict[str, int] = {}
    for r in ranked:  # the most important reading of each kind ("Florida": the US state, not Uruguay's)
        kinds.setdefault(gaz.kind_of(r), r)
    if "country" in kinds and c.match == "exact":
        return {gaz.country_of(kinds["country"]): 2.0}, {}
    prov: dict[tuple[str, str], float] = {}
    if "province" in kinds and c.match == "exact":
        r = kinds["province"]
        prov[(gaz.country_of(r), gaz.province_of(r))] = 1.0
    isos = {gaz.country_of(r) for r in c.rows}
    if len(isos) == 1:
        return {next(iter(isos)): 0.5}, prov
    top = ranked[0]
    if gaz.importance(top) >= gaz.importance(ranked[1]) + dominant_gap and gaz.country_of(top):
        return {gaz.country_of(top): 0.5}, prov  # "Miami", "Florida": one reading stands far above the rest
    return {}, prov


Said = tuple[dict[str, float], dict[tuple[str, str], float]]  # what one mention says (see contributions)


def document_context(
    rec: Recognised, gaz: Gazetteer, dominant_gap: float, said: list[Said] | None = None
) -> tuple[Counter, Counter]:
    """The document's countries and provinces, weighted by what its mentions and demonyms say.

    ``said`` is :func:`contributions` of each of ``rec.places`` when the caller has them already.
    """
    countries: Counter = Counter()
    provinces: Counter = Counter()
    if said is None:
        said = [contributions(c, gaz, dominant_gap) for c in rec.places]
    for cc, pc in said:
        countries.update(cc)
        provinces.update(pc)
    for _s, _e, _t, pid, _sent in [*rec.demonyms, *rec.adjectives]:
        p = gaz.get(pid)
        if p and p.country:
            countries[p.country] += 1.0
    return countries, provinces


def rows_for(c: Candidate, gaz: Gazetteer) -> list[int]:
    """The readings a mention may have (the most important :data:`MAX_CANDIDATES`)."""
    rows = list(c.rows)
    if c.text.isupper() and len(c.text) <= 3:
        # "EU", "UK", "US": an abbreviation names the country or region, not a village spelt that way
        wide = [r for r in rows if gaz.kind_of(r) not in POPULATED]
        rows = wide or rows
    if len(rows) > MAX_CANDIDATES:
        rows = sorted(rows, key=gaz.importance, reverse=True)[:MAX_CANDIDATES]
    return rows


@dataclass(slots=True)
class Readings:
    """The readings of one mention and what the evidence functions need about them and their document.

    The evidence is computed for all of a mention's readings at once (a column of values, one per reading):
    an article has ~50 readings, and most evidence is settled by the mention alone (a hint it lacks, no
    container, an exact match) and then is 0 for every reading.
    """

    c: Candidate
    gaz: Gazetteer
    rows: list[int]
    kinds: list[str]
    isos: list[str]
    names: list[str]  # each reading's normalised name
    countries: Counter
    provinces: Counter
    country_share: float  # the best share any reading's country has (for readings in no country)
    divisions: set[tuple[str, str]]  # divisions the mention's name also names
    names_a_country: bool
    total: float  # the document's country evidence, summed (1.0 when there is none)


#: The values of one piece of evidence for each reading of a mention; None when it is 0 for every reading.
Column = list[float] | None


def _share(x: Readings, iso: str) -> float:
    return x.countries[iso] / x.total if iso and iso in x.countries else -1.0


def in_named_country(x: Readings) -> Column:
    """The reading lies in a country the document names (a place in no country: if any reading does)."""
    none = 1.0 if x.country_share >= 0 else 0.0  # "Atlantic" is no village of the article's country
    return [(1.0 if _share(x, iso) >= 0 else 0.0) if iso else none for iso in x.isos]


def country_share(x: Readings) -> Column:
    """How much of the document's country evidence its country has (0..1)."""
    none = max(x.country_share, 0.0)
    return [max(_share(x, iso), 0.0) if iso else none for iso in x.isos]


def inside_container(x: Readings) -> Column:
    """ "Ramadi, Anbar": the reading lies in the country or province named after the comma."""
    if not x.c.container:
        return None
    gaz = x.gaz
    return [
        float(
            any(
                (gaz.kind_of(k) in ("country", "region") and bool(iso) and gaz.country_of(k) == iso)
                or (
                    gaz.kind_of(k) == "province"
                    and gaz.country_of(k) == iso
                    and gaz.province_of(k) == gaz.province_of(r)
                )
                for k in x.c.container
                if k != r
            )
        )
        for r, iso in zip(x.rows, x.isos, strict=True)
    ]


def in_named_province(x: Readings) -> Column:
    """The reading lies in a province the document names (a province itself does not count)."""
    if not x.provinces:
        return None
    provs = [x.gaz.province_of(r) for r in x.rows]
    return [
        float(bool(prov) and (iso, prov) in x.provinces and kind != "province")
        for prov, iso, kind in zip(provs, x.isos, x.kinds, strict=True)
    ]


def _hinted(x: Readings, hint: str, kinds: tuple[str, ...] | frozenset[str]) -> Column:
    """1 for the readings of ``kinds`` when the recogniser left ``hint``."""
    return [float(kind in kinds) for kind in x.kinds] if hint in x.c.hints else None


def admin_hint(x: Readings) -> Column:
    """ "Anbar province", "Nineveh Governorate": the recogniser saw a division."""
    return _hinted(x, "admin", ("province", "district"))


def base_hint(x: Readings) -> Column:
    """ "Ain al-Asad air base": the recogniser saw a base."""
    return _hinted(x, "base", ("base", "airport"))


def populated_hint(x: Readings) -> Column:
    """ "the town of", "a Winona man": the recogniser saw a populated place."""
    return _hinted(x, "populated", POPULATED)


def spelling_closeness(x: Readings) -> Column:
    """A transliteration: how close the spelling is to the reading's name (0..1)."""
    if x.c.match != "skeleton":
        return None
    return [fuzz.ratio(x.c.key, name) / 100.0 for name in x.names]


def own_name(x: Readings) -> Column:
    """Named by its own name, not an alias: "Mexico" is the country, not Mexico City."""
    if x.c.match == "skeleton":
        return None
    return [float(name == x.c.key) for name in x.names]


def city_of_division(x: Readings) -> Column:
    """ "Raqqa", "Kharkiv": the city rather than the province named after it; "Washington" the capital."""
    if "admin" in x.c.hints or not x.divisions:
        return None
    gaz = x.gaz
    return [
        float(kind in POPULATED and ((iso, gaz.province_of(r)) in x.divisions or r in gaz.capitals))
        for r, iso, kind in zip(x.rows, x.isos, x.kinds, strict=True)
    ]


def town_named_like_country(x: Readings) -> Column:
    """ "China", "Jordan", "Mexico": the country, not a town that shares its name (in English: in Arabic script
    the one such pair, عمان, is as often Amman as Oman)."""
    if not x.names_a_country or x.c.container or is_arabic(x.c.key):
        return None
    return [float(kind in POPULATED) for kind in x.kinds]


#: How much more important than a namesake abroad a capital must be to take its Arabic name.
_CAPITAL_GAP = 1.5


def arabic_capital(x: Readings) -> Column:
    """ "موسكو" is Moscow, not Mesquite (Texas), even in an article that names Washington: in Arabic script a
    national capital named exactly so is the capital when its namesakes in other countries are far less
    important and lie outside the lands whose names are Arabic, Persian or Turkic words (there the name may be
    the namesake's own: "طرابلس" in Lebanon). A name that also names a country is left to the country."""
    gaz, c = x.gaz, x.c
    if c.match != "exact" or not is_arabic(c.key) or not any(r in gaz.capitals for r in x.rows):
        return None
    if any(gaz.kind_of(r) == "country" for r in c.rows):
        return None  # "الكويت", "الجزائر": the country first
    return [
        float(r in gaz.capitals and _above_namesakes(gaz, c, r, iso)) for r, iso in zip(x.rows, x.isos, strict=True)
    ]


def _above_namesakes(gaz: Gazetteer, c: Candidate, row: int, iso: str) -> bool:
    """Every reading of ``c`` lies in ``row``'s country, or far below it outside the transliterating lands."""
    top = gaz.importance(row)
    return all(
        gaz.country_of(r) == iso
        or (gaz.country_of(r) not in TRANSLITERATED and gaz.importance(r) <= top - _CAPITAL_GAP)
        for r in c.rows
    )


def named_with_kind(x: Readings) -> Column:
    """ "سد الفرات" is the Tabqa dam, "قطاع غزة" the Strip: the reading bears the kind word and the name together."""
    return [float(r in x.c.whole) for r in x.rows] if x.c.whole else None


def facility_near(x: Readings) -> Column:
    """ "مطار أربيل": after a facility word, the facility of that kind near the town, not the town."""
    return [float(r in x.c.near) for r in x.rows] if x.c.near else None


#: Every piece of resolver evidence, with the name of its weight.
READING_EVIDENCE: tuple[tuple[str, Callable[[Readings], Column]], ...] = (
    ("in_named_country", in_named_country),
    ("country_share", country_share),
    ("inside_container", inside_container),
    ("in_named_province", in_named_province),
    ("admin_hint", admin_hint),
    ("base_hint", base_hint),
    ("populated_hint", populated_hint),
    ("spelling_closeness", spelling_closeness),
    ("own_name", own_name),
    ("city_of_division", city_of_division),
    ("town_named_like_country", town_named_like_country),
    ("arabic_capital", arabic_capital),
    ("named_with_kind", named_with_kind),
    ("facility_near", facility_near),
)


def _divisions(c: Candidate, rows: list[int], names: list[str], gaz: Gazetteer) -> set[tuple[str, str]]:
    """The divisions this name also names, as (country, first-level division): any province it names
    ("Kharkiv" names Kharkivska oblast), and districts named exactly so ("Mosul" district)."""
    out: set[tuple[str, str]] = set()
    for n, r in zip(names, rows, strict=True):
        k = gaz.kind_of(r)
        if k == "province" or (k == "district" and n == c.key):
            out.add((gaz.country_of(r), gaz.province_of(r)))
    return out


def base_scores(
    c: Candidate, rows: list[int], gaz: Gazetteer, countries: Counter, provinces: Counter, weights: Weights
) -> np.ndarray:
    """Prior importance plus the weighted evidence of every reading of ``c``.

    Each reading's evidence is summed in the order of :data:`READING_EVIDENCE`, as one reading at a time would;
    evidence that is 0 for every reading is left out of the sum (adding 0 changes no float).
    """
    names = [norm_key(gaz.place(r).name) for r in rows]
    kinds = [gaz.kind_of(r) for r in rows]
    isos = [gaz.country_of(r) for r in rows]
    divisions = _divisions(c, rows, names, gaz)
    names_a_country = c.match == "exact" and any(
        k == "country" and n == c.key for n, k in zip(names, kinds, strict=True)
    )
    total = sum(countries.values()) or 1.0
    share = max((countries[iso] / total for iso in isos if iso and iso in countries), default=-1.0)
    x = Readings(c, gaz, rows, kinds, isos, names, countries, provinces, share, divisions, names_a_country, total)
    columns = [
        (w, col)
        for n, fn in READING_EVIDENCE
        if weights.enabled(n) and (w := weights.resolver_feature(n)) and (col := fn(x)) is not None
    ]
    scores = []
    for i, r in enumerate(rows):
        evidence = 0
        for w, col in columns:
            evidence += w * col[i]
        scores.append(gaz.importance(r) + evidence)
    return np.array(scores, dtype=float)
