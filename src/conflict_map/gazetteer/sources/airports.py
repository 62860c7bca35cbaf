"""Air bases and international airports through ``airportsdata`` (ICAO codes and coordinates, MIT).

An airfield is an air base when its name says so (Air Base, Airbase, Air Force Base, Army Air Field ...);
other airfields are kept only when they are international airports with an IATA code.
"""

from __future__ import annotations

import re

from conflict_map.gazetteer.builder import IndexBuilder

_BASE_WORDS = re.compile(
    r"\b(air base|airbase|air force base|air station|army air ?field|army airfield|naval air station|military)\b",
    re.I,
)


def add_airports(b: IndexBuilder) -> None:
    """Air bases (kind ``base``) and international airports (kind ``airport``), ids ``icao:XXXX``."""
    import airportsdata

    for icao, ap in airportsdata.load("ICAO").items():
        name = ap["name"]
        is_base = bool(_BASE_WORDS.search(name))
        if not is_base and not (ap.get("iata") and "International" in name):
            continue
        b.add(
            f"icao:{icao}",
            name,
            "base" if is_base else "airport",
            ap["lat"],
            ap["lon"],
            ap["country"],
            ap.get("subd") or "",
            0,
            "airportsdata",
            [],
        )


__all__ = ["add_airports"]
