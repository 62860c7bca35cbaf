"""The curated supplement shipped inside the package (``conflict_map/gazetteer/data/``, sources in
``geodata/README.md``): places no registry package holds, extra aliases, demonyms, country points.

The files are package data, so an installed wheel and a development checkout build the same index. A missing
file is an error (an incomplete installation), never skipped: skipping one silently maps articles differently.
"""

from __future__ import annotations

import csv
from importlib import resources
from importlib.resources.abc import Traversable

from conflict_map.errors import UserError
from conflict_map.gazetteer.builder import IndexBuilder
from conflict_map.text.names import norm_key

#: The curated files, in the order their bytes enter the index's fingerprint.
CURATED_FILES: tuple[str, ...] = ("places.csv", "aliases.csv", "demonyms.csv", "country_points.csv")


def data_dir() -> Traversable:
    """The folder of the curated files inside the installed package."""
    return resources.files("conflict_map.gazetteer").joinpath("data")


def curated_file(name: str) -> Traversable:
    """A curated file; :class:`UserError` when the installation lacks it."""
    path = data_dir().joinpath(name)
    if not path.is_file():
        raise UserError(
            f"the gazetteer's curated file {name} is missing (looked in {data_dir()}): this installation of "
            "conflict-map is incomplete; reinstall it (pip install conflict-map, or `make setup` in a checkout)"
        )
    return path


def curated_bytes() -> bytes:
    """All curated files, concatenated (for the fingerprint)."""
    return b"".join(curated_file(n).read_bytes() for n in CURATED_FILES)


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a curated CSV file (blank lines and ``#`` comment lines skipped)."""
    with curated_file(name).open(encoding="utf-8", newline="") as fh:
        rows = (line for line in fh if line.strip() and not line.lstrip().startswith("#"))
        return list(csv.DictReader(rows))


def country_points() -> dict[str, list[float]]:
    """ISO2 -> ``[lat, lon]`` where GeoNames' country point replaces countryinfo's."""
    return {r["iso2"]: [float(r["lat"]), float(r["lon"])] for r in read_csv("country_points.csv")}


def add_places(b: IndexBuilder) -> None:
    """The curated places (``cm:...`` ids)."""
    for r in read_csv("places.csv"):
        b.add(
            r["id"],
            r["name"],
            r["kind"],
            float(r["lat"]),
            float(r["lon"]),
            r.get("country", ""),
            r.get("province", ""),
            int(r.get("population") or 0),
            "curated",
            [a for a in (r.get("aliases") or "").split("|") if a],
        )


def add_aliases(b: IndexBuilder) -> None:
    """Extra names for places already indexed; an unknown id is an error of the data."""
    for r in read_csv("aliases.csv"):
        row = b.row_of.get(r["id"])
        if row is None:
            raise ValueError(f"gazetteer/data/aliases.csv: unknown place id {r['id']!r} for alias {r['alias']!r}")
        b.alias(row, r["alias"])


def add_demonyms(demonyms: dict[str, str]) -> None:
    """Demonyms not in countryinfo's list (norm key -> place id), added to ``demonyms``."""
    for r in read_csv("demonyms.csv"):
        demonyms[norm_key(r["demonym"])] = r["id"]


__all__ = [
    "CURATED_FILES",
    "add_aliases",
    "add_demonyms",
    "add_places",
    "country_points",
    "curated_bytes",
    "curated_file",
    "data_dir",
    "read_csv",
]
