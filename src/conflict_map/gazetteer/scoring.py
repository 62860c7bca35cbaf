"""What the gazetteer knows of a place before any context: its kind code, its prior importance.

The prior ranks candidates of the same name (countries and big cities before hamlets); the index stores it
per row, so looking it up costs one array read (:meth:`conflict_map.gazetteer.index.Gazetteer.importance`).

>>> prior("country", 0) > prior("city", 5_000_000) > prior("village", 600)
True
"""

from __future__ import annotations

import math
from typing import get_args

from conflict_map.models import PlaceKind

#: Place kinds in index order (their position is the uint8 code stored in the index).
KINDS: tuple[str, ...] = get_args(PlaceKind)
KIND_CODE: dict[str, int] = {k: i for i, k in enumerate(KINDS)}
ADMIN_KINDS = frozenset({"continent", "country", "province", "district", "region"})
#: Countries whose names reach English through transliteration (Arabic, Persian, Pashto, Urdu, Turkic, Kurdish):
#: only their places are indexed under transliteration skeletons ("Al Qaem" ~ "Al-Qa'im").
TRANSLITERATED = frozenset(
    "IQ SY JO LB IL PS SA YE OM AE QA BH KW EG LY TN DZ MA SD SS SO MR DJ ER TD IR AF PK TR AZ TM UZ TJ KG KZ "
    "EH NE ML".split()
)
#: Importance from which a place is "notable": offered as a spelling suggestion.
NOTABLE = 4.0
#: Added to the prior of a national capital.
CAPITAL_BONUS = 1.0

_BASE_PRIOR = {
    "continent": 9.0,
    "country": 8.5,
    "region": 7.0,
    "base": 4.6,
    "crossing": 4.2,
    "dam": 4.2,
    "water": 6.5,
    "airport": 3.0,
    "landmark": 3.5,
}


def prior(kind: str, population: int) -> float:
    """Importance of a place before any context: used to rank candidates of the same name."""
    pop_score = math.log10(population + 1) if population > 0 else 0.0
    if kind == "province":  # population = sum of its towns: Anbar ~6.7, California ~8, a tiny parish ~4
        return min(8.0, max(4.0, 0.6 + pop_score))
    if kind == "district":
        return min(5.5, max(3.0, pop_score * 0.85))
    base = _BASE_PRIOR.get(kind)
    if base is not None:
        return max(base, pop_score * 0.9)
    if pop_score > 0:
        return pop_score
    # a populated place without a population figure: GeoNames lists such places in cities500 only when they
    # are administrative seats, so rank them as a town of about 10,000 people
    return 4.0 if kind in ("city", "town", "village") else 1.0


def importance(kind: str, population: int, capital: bool) -> float:
    """The stored importance of a row: the prior, plus :data:`CAPITAL_BONUS` for a national capital."""
    return prior(kind, population) + (CAPITAL_BONUS if capital else 0.0)


def city_kind(population: int) -> str:
    """Kind of a GeoNames populated place by its population (city 100,000+, town 10,000+, else village)."""
    if population == 0:  # in cities500 without a population: an administrative seat (Tall Afar, Daquq)
        return "town"
    if population >= 100_000:
        return "city"
    if population >= 10_000:
        return "town"
    return "village"


__all__ = [
    "ADMIN_KINDS",
    "KINDS",
    "KIND_CODE",
    "NOTABLE",
    "TRANSLITERATED",
    "city_kind",
    "importance",
    "prior",
]
