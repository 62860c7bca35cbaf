"""A tiny gazetteer index of invented places, built in a blink, for tests of the index itself and of the CLI.

The places, names and words are invented; coordinates are arbitrary points on land.
"""

from __future__ import annotations

from pathlib import Path

from conflict_map.gazetteer.builder import IndexBuilder, Lexicons

#: (id, name, kind, lat, lon, country, population, aliases)
PLACES: list[tuple[str, str, str, float, float, str, int, list[str]]] = [
    ("t:zv", "Zorvania", "country", 41.0, 21.0, "ZV", 3_000_000, ["Republic of Zorvania"]),
    ("t:quell", "Quellport", "city", 41.5, 21.2, "ZV", 450_000, ["Kwellport", "Quell-Port"]),
    ("t:brask", "Braskovo", "town", 40.8, 20.6, "ZV", 23_000, []),
    ("t:brask2", "Braskovo", "village", 44.1, 25.3, "YB", 900, []),
    ("t:ainq", "Ain al-Qarsh", "town", 33.2, 40.1, "IQ", 15_000, ["عين القرش"]),
    ("t:camp", "Camp Veltra", "base", 41.2, 21.6, "ZV", 0, []),
]
CAPITAL_ID = "t:quell"


def build_tiny_index(path: Path, places: list[tuple] | None = None) -> Path:
    """Write the tiny index to ``path``; its fingerprint is ``"test"`` (never the installed sources')."""
    b = IndexBuilder()
    for pid, name, kind, lat, lon, country, pop, aliases in places or PLACES:
        b.add(pid, name, kind, lat, lon, country, "", pop, "test", aliases)
    return b.write(
        path,
        capitals=frozenset({b.row_of[CAPITAL_ID]}),
        demonyms={"zorvanian": "t:zv"},
        lexicons=Lexicons(frozenset({"river", "camp"}), frozenset({"anna"}), frozenset({"smith"}), frozenset()),
        fingerprint="test",
    )


def lookup_names(gaz: object, name: str) -> list[str]:
    """Ids of the places a (pickled and re-opened) gazetteer finds for ``name``: run in a worker process."""
    return [p.id for p in gaz.lookup(name)]  # type: ignore[attr-defined]


def gazetteer_identity(gaz: object) -> tuple[str, int]:
    """The path and the process-local object id of a received gazetteer (a worker keeps one per file)."""
    import os

    return str(gaz.path), os.getpid()  # type: ignore[attr-defined]
