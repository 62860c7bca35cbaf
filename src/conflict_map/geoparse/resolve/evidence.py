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
class Reading:
    """One reading of a mention and what the evidence functions need about it and its document."""

    c: Candidate
    gaz: Gazetteer
    r: int
    kind: str
    iso: str
    name: str  # the reading's normalised name
    countries: Counter
    provinces: Counter
    country_share: float  # the best share any reading's country has (for readings in no country)
    divisions: set[tuple[str, str]]  # divisions the mention's name also names
    names_a_country: bool
    total: float  # the document's country evidence, summed (1.0 when there is none)


def _share(x: Reading, iso: str) -> float:
    return x.countries[iso] / x.total if iso and iso in x.countries else -1.0


def in_named_country(x: Reading) -> float:
    """The reading lies in a country the document names (a place in no country: if any reading does)."""
    if x.iso:
        return 1.0 if _share(x, x.iso) >= 0 else 0.0
    return 1.0 if x.country_share >= 0 else 0.0  # "Atlantic" is no village of the article's country


def country_share(x: Reading) -> float:
    """How much of the document's country evidence its country has (0..1)."""
    return max(_share(x, x.iso), 0.0) if x.iso else max(x.country_share, 0.0)


def inside_container(x: Reading) -> float:
    """ "Ramadi, Anbar": the reading lies in the country or province named after the comma."""
    gaz, r = x.gaz, x.r
    return float(
        any(
            (gaz.kind_of(k) in ("country", "region") and bool(x.iso) and gaz.country_of(k) == x.iso)
            or (
                gaz.kind_of(k) == "province" and gaz.country_of(k) == x.iso and gaz.province_of(k) == gaz.province_of(r)
            )
            for k in x.c.container
            if k != r
        )
    )


def in_named_province(x: Reading) -> float:
    """The reading lies in a province the document names (a province itself does not count)."""
    prov = x.gaz.province_of(x.r)
    return float(bool(prov) and (x.iso, prov) in x.provinces and x.kind != "province")


def admin_hint(x: Reading) -> float:
    """ "Anbar province", "Nineveh Governorate": the recogniser saw a division."""
    return float("admin" in x.c.hints and x.kind in ("province", "district"))


def base_hint(x: Reading) -> float:
    """ "Ain al-Asad air base": the recogniser saw a base."""
    return float("base" in x.c.hints and x.kind in ("base", "airport"))


def populated_hint(x: Reading) -> float:
    """ "the town of", "a Winona man": the recogniser saw a populated place."""
    return float("populated" in x.c.hints and x.kind in POPULATED)


def spelling_closeness(x: Reading) -> float:
    """A transliteration: how close the spelling is to the reading's name (0..1)."""
    return fuzz.ratio(x.c.key, x.name) / 100.0 if x.c.match == "skeleton" else 0.0


def own_name(x: Reading) -> float:
    """Named by its own name, not an alias: "Mexico" is the country, not Mexico City."""
    return float(x.c.match != "skeleton" and x.name == x.c.key)


def city_of_division(x: Reading) -> float:
    """ "Raqqa", "Kharkiv": the city rather than the province named after it; "Washington" the capital."""
    return float(
        x.kind in POPULATED
        and "admin" not in x.c.hints
        and bool(x.divisions)
        and ((x.iso, x.gaz.province_of(x.r)) in x.divisions or x.r in x.gaz.capitals)
    )


def town_named_like_country(x: Reading) -> float:
    """ "China", "Jordan", "Mexico": the country, not a town that shares its name (in English: in Arabic script
    the one such pair, عمان, is as often Amman as Oman)."""
    return float(x.names_a_country and x.kind in POPULATED and not x.c.container and not is_arabic(x.c.key))


#: How much more important than a namesake abroad a capital must be to take its Arabic name.
_CAPITAL_GAP = 1.5


def arabic_capital(x: Reading) -> float:
    """ "موسكو" is Moscow, not Mesquite (Texas), even in an article that names Washington: in Arabic script a
    national capital named exactly so is the capital when its namesakes in other countries are far less
    important and lie outside the lands whose names are Arabic, Persian or Turkic words (there the name may be
    the namesake's own: "طرابلس" in Lebanon). A name that also names a country is left to the country."""
    gaz = x.gaz
    if x.r not in gaz.capitals or x.c.match != "exact" or not is_arabic(x.c.key):
        return 0.0
    if any(gaz.kind_of(r) == "country" for r in x.c.rows):
        return 0.0  # "الكويت", "الجزائر": the country first
    top = gaz.importance(x.r)
    return float(
        all(
            gaz.country_of(r) == x.iso
            or (gaz.country_of(r) not in TRANSLITERATED and gaz.importance(r) <= top - _CAPITAL_GAP)
            for r in x.c.rows
        )
    )


def named_with_kind(x: Reading) -> float:
    """ "سد الفرات" is the Tabqa dam, "قطاع غزة" the Strip: the reading bears the kind word and the name together."""
    return float(x.r in x.c.whole)


def facility_near(x: Reading) -> float:
    """ "مطار أربيل": after a facility word, the facility of that kind near the town, not the town."""
    return float(x.r in x.c.near)


#: Every piece of resolver evidence, with the name of its weight.
READING_EVIDENCE: tuple[tuple[str, Callable[[Reading], float]], ...] = (
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
    """Prior importance plus the weighted evidence of every reading of ``c``."""
    names = [norm_key(gaz.place(r).name) for r in rows]
    divisions = _divisions(c, rows, names, gaz)
    names_a_country = c.match == "exact" and any(
        gaz.kind_of(r) == "country" and n == c.key for n, r in zip(names, rows, strict=True)
    )
    total = sum(countries.values()) or 1.0
    shares = [countries[iso] / total for r in rows if (iso := gaz.country_of(r)) and iso in countries]
    evidence = [(w, fn) for n, fn in READING_EVIDENCE if weights.enabled(n) and (w := weights.resolver_feature(n))]
    share = max(shares, default=-1.0)
    scores = []
    for i, r in enumerate(rows):
        x = Reading(
            c, gaz, r, gaz.kind_of(r), gaz.country_of(r), names[i], countries, provinces, share, divisions,
            names_a_country, total,
        )  # fmt: skip
        scores.append(gaz.importance(r) + sum([w * fn(x) for w, fn in evidence]))
    return np.array(scores, dtype=float)
