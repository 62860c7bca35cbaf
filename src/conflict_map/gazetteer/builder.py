"""Collects places and their names while the sources are read, then lays them out as index arrays.

Each source adds rows through :meth:`IndexBuilder.add` (a place and its names) and :meth:`IndexBuilder.alias`
(one more name for a row); :meth:`IndexBuilder.arrays` turns the result into the arrays of the index file
(see :mod:`conflict_map.gazetteer.fileformat`), in row order and, for names, in the order they were first seen.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from conflict_map.gazetteer.fileformat import INDEX_FORMAT, encode_key_table, encode_strings, write_index
from conflict_map.gazetteer.scoring import KIND_CODE, KINDS, NOTABLE, TRANSLITERATED, importance
from conflict_map.text.names import CONSONANT_PREFIX, is_arabic, latin_consonants, norm_key, skeleton

_LATIN_OR_ARABIC = re.compile(
    r"^[\x20-\x7E\u00A0-\u024F\u1E00-\u1EFF\u02B0-\u02FF\u0300-\u036F\u2018-\u2019\u0600-\u06FF\s]+$"
)
#: Bidirectional marks and embeddings (left-to-right mark, Arabic letter mark, isolates...): no part of a name.
_BIDI_RE = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]")
#: Longest name indexed (the longest known place name has 79 characters).
MAX_NAME_CHARS = 80
#: Longest name, in words, the recogniser tries (``max_words`` of the index is at most this).
MAX_WORDS = 8


@dataclass(frozen=True, slots=True)
class Lexicons:
    """The word lists stored with the index (lower case): see :mod:`conflict_map.gazetteer.sources.lexicons`."""

    common_words: frozenset[str]
    given_names: frozenset[str]
    surnames: frozenset[str]
    common_given_names: frozenset[str]
    arabic_zipf: dict[str, float] = field(default_factory=dict)  # folded Arabic word -> Zipf frequency


class IndexBuilder:
    """Rows of places (one per stable id) and two name indexes: normalised key and transliteration skeleton."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.names: list[str] = []
        self.kind: list[int] = []
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.country: list[str] = []
        self.province: list[str] = []
        self.population: list[int] = []
        self.source: list[str] = []
        self.row_of: dict[str, int] = {}
        self.exact: dict[str, set[int]] = defaultdict(set)
        self.skel: dict[str, set[int]] = defaultdict(set)
        self.max_words = 1

    def add(
        self,
        pid: str,
        name: str,
        kind: str,
        lat: float,
        lon: float,
        country: str = "",
        province: str = "",
        population: int = 0,
        source: str = "",
        aliases: Iterable[str] = (),
    ) -> int:
        """Add a place (or, for an id already added, only its names); return its row."""
        if pid in self.row_of:
            row = self.row_of[pid]
        else:
            row = len(self.ids)
            self.row_of[pid] = row
            self.ids.append(pid)
            self.names.append(name)
            self.kind.append(KIND_CODE[kind])
            self.lat.append(float(lat))
            self.lon.append(float(lon))
            self.country.append(country)
            self.province.append(province)
            self.population.append(int(population or 0))
            self.source.append(source)
        self.alias(row, name)
        for a in aliases:
            self.alias(row, a)
        return row

    def alias(self, row: int, name: str) -> None:
        """Index ``name`` for ``row`` (Latin or Arabic script only; skeletons only where variants are expected).

        An Arabic-script name loses the bidirectional marks some sources leave in it ("الأبيار" + U+200E)."""
        if name and is_arabic(name) and _BIDI_RE.search(name):
            name = _BIDI_RE.sub("", name).strip()
        if not name or len(name) > MAX_NAME_CHARS or not _LATIN_OR_ARABIC.match(name):
            return
        key = norm_key(name)
        if len(key) < 2 or key.isdigit():
            return
        self.exact[key].add(row)
        self.max_words = max(self.max_words, min(len(key.split()), MAX_WORDS))
        if (
            self.country[row] in TRANSLITERATED
            or self.population[row] >= 100_000
            or self.kind[row] <= 2
            or is_arabic(key)  # Arabic script: with or without the article, compounds written together
        ):
            sk = skeleton(name)
            if sk:
                self.skel[sk].add(row)

    def consonant_alias(self, row: int, name: str) -> None:
        """Index the consonant keys of the Latin name ``name`` for ``row`` (a place whose Arabic spelling the sources
        do not give: :func:`conflict_map.text.names.latin_consonants`), in the skeleton index under
        :data:`~conflict_map.text.names.CONSONANT_PREFIX`."""
        if name and len(name) <= MAX_NAME_CHARS and not is_arabic(name):
            for key in latin_consonants(name):
                self.skel[CONSONANT_PREFIX + key].add(row)

    def importance(self, capitals: frozenset[int]) -> np.ndarray:
        """The prior of every row (see :func:`conflict_map.gazetteer.scoring.importance`)."""
        return np.asarray(
            [
                importance(KINDS[k], p, row in capitals)
                for row, (k, p) in enumerate(zip(self.kind, self.population, strict=True))
            ],
            dtype=np.float64,
        )

    def arrays(self, capitals: frozenset[int]) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
        """The index arrays, and the code tables (``countries``, ``sources``) their codes point into."""
        imp = self.importance(capitals)
        lat = np.asarray(self.lat, dtype=np.float64)
        lon = np.asarray(self.lon, dtype=np.float64)
        countries = sorted(set(self.country))
        sources = sorted(set(self.source))
        provinces = sorted(set(self.province))
        code = {c: i for i, c in enumerate(countries)}
        src_code = {s: i for i, s in enumerate(sources)}
        prov_code = {p: i for i, p in enumerate(provinces)}
        arrays: dict[str, np.ndarray] = {
            "kind": np.asarray(self.kind, dtype=np.uint8),
            "lat": lat,
            "lon": lon,
            "ecef_km": _ecef_km(lat, lon),
            "population": np.asarray(self.population, dtype=np.int64),
            "importance": imp,
            "country": np.asarray([code[c] for c in self.country], dtype=np.uint16),
            "province": np.asarray([prov_code[p] for p in self.province], dtype=np.uint32),
            "source": np.asarray([src_code[s] for s in self.source], dtype=np.uint8),
            "capitals": np.asarray(sorted(capitals), dtype=np.int32),
        }
        arrays |= encode_key_table("ids", self.ids)
        arrays |= encode_strings("names", self.names)
        arrays |= encode_strings("provinces", provinces)
        arrays |= _name_index("exact", self.exact)
        arrays |= _name_index("skel", self.skel)
        arrays |= _notable(self.exact, imp)
        return arrays, {"countries": countries, "sources": sources}

    def write(
        self, path: Path, *, capitals: frozenset[int], demonyms: dict[str, str], lexicons: Lexicons, fingerprint: str
    ) -> Path:
        """Write the index file: the rows, names, capitals, demonyms (norm key -> place id) and word lists."""
        arrays, code_tables = self.arrays(capitals)
        meta = {
            "format": INDEX_FORMAT,
            "fingerprint": fingerprint,
            "kinds": list(KINDS),
            "demonyms": demonyms,
            "max_words": self.max_words,
            **code_tables,
        }
        words = (
            _encode_words("words.common", lexicons.common_words)
            | _encode_words("names.given", lexicons.given_names)
            | _encode_words("names.surnames", lexicons.surnames)
            | _encode_words("names.common_given", lexicons.common_given_names)
            | _encode_words("words.arabic", (f"{k}\t{z:.2f}" for k, z in lexicons.arabic_zipf.items()))
            | _encode_words("names.arabic_heads", arabic_heads(self.exact))
        )
        write_index(path, arrays | words, meta)
        return path


def _name_index(name: str, index: dict[str, set[int]]) -> dict[str, np.ndarray]:
    """A key table over the names (first-seen order) and each name's rows, ascending (CSR layout)."""
    keys = list(index)
    starts = np.zeros(len(keys) + 1, dtype=np.uint32)
    starts[1:] = np.cumsum([len(index[k]) for k in keys])
    rows = np.fromiter((r for k in keys for r in sorted(index[k])), dtype=np.int32, count=int(starts[-1]))
    return encode_key_table(name, keys) | {f"{name}.starts": starts, f"{name}.rows": rows}


def _notable(exact: dict[str, set[int]], imp: np.ndarray) -> dict[str, np.ndarray]:
    """Names of notable places (importance :data:`NOTABLE`+), shortest first, each ending in a newline."""
    values = imp.tolist()
    keys = [k for k, rows in exact.items() if any(values[r] >= NOTABLE for r in rows)]
    keys.sort(key=len)
    return encode_strings("notable", [k + "\n" for k in keys]) | {
        "notable.lens": np.asarray([len(k) for k in keys], dtype=np.int32)
    }


def _ecef_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Geocentric (ECEF, WGS84) coordinates in km, shape (n, 3), via pyproj (computed once, at build)."""
    from pyproj import Transformer

    x, y, z = Transformer.from_crs("EPSG:4326", "EPSG:4978", always_xy=True).transform(lon, lat, np.zeros_like(lat))
    return np.column_stack([x, y, z]) / 1000.0


def arabic_heads(keys: Iterable[str]) -> set[str]:
    """First words of the Arabic-script names of more than one word, with and without the article: the
    recogniser tries a longer name only from such a word ("دير" of "دير الزور")."""
    out: set[str] = set()
    for key in keys:
        head, sep, _rest = key.partition(" ")
        if sep and is_arabic(head):
            out.update((head, head[2:] if head.startswith("ال") else "ال" + head))
    return out


def _encode_words(name: str, words: Iterable[str]) -> dict[str, np.ndarray]:
    """A word list as one array (sorted, newline-separated UTF-8)."""
    return {name: np.frombuffer("\n".join(sorted(words)).encode(), dtype=np.uint8)}


__all__ = ["MAX_NAME_CHARS", "MAX_WORDS", "IndexBuilder", "Lexicons", "arabic_heads"]
