"""The offline gazetteer: every place conflict-map can put on a map, and the name index over them.

The index is one file (built by :mod:`conflict_map.gazetteer.build` from registry packages and the curated
data, see ``geodata/README.md``) that is mapped read-only (:mod:`conflict_map.gazetteer.fileformat`): opening
it takes milliseconds, and every process on the machine shares one copy of its pages. Which file:

* ``--gazetteer PATH`` on the command line, or ``CONFLICT_MAP_GAZETTEER=PATH``: that file, as it is;
* otherwise ``gazetteer-v4.idx`` in the cache directory, built on first use and rebuilt when its sources change.

A :class:`Gazetteer` pickles as its path: a worker process that receives one opens the same file (once per
process) instead of copying the data.

>>> gaz = get_gazetteer()  # doctest: +SKIP
>>> gaz.resolve_name("Al Qaem").name  # doctest: +SKIP
"Al Qā'im"
"""

from __future__ import annotations

import bisect
import os
import stat
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from conflict_map.errors import UnknownPlaceError, UserError
from conflict_map.gazetteer.fileformat import IndexFile, IndexFormatError, KeyTable, StringColumn
from conflict_map.gazetteer.fingerprint import default_index_path, source_fingerprint
from conflict_map.gazetteer.scoring import NOTABLE, TRANSLITERATED
from conflict_map.models import Place
from conflict_map.text.names import CONSONANT_PREFIX, norm_key, skeleton

#: Longest place name looked up (the longest known name has 79 characters); longer input is refused.
MAX_PLACE_NAME_CHARS = 200
#: Environment variable naming the index file to use (the CLI's ``--gazetteer PATH`` sets it).
ENV_VAR = "CONFLICT_MAP_GAZETTEER"
#: Places kept as :class:`Place` objects per process (the rest are rebuilt from the arrays on demand).
PLACE_CACHE_SIZE = 65536
#: Name look-ups (key -> rows) remembered per index and process: an article asks for the same names again.
LOOKUP_CACHE_SIZE = 65536


def _words(f: IndexFile, name: str) -> frozenset[str]:
    text = f.array(name).tobytes().decode()
    return frozenset(text.split("\n")) if text else frozenset()


class _NameIndex:
    """Names (exact keys or skeletons) -> the rows that bear them, ascending."""

    __slots__ = ("_rows", "_starts", "keys", "rows")

    def __init__(self, f: IndexFile, name: str) -> None:
        self.keys = KeyTable(f, name)
        self._starts = f.view(f"{name}.starts")
        self._rows = f.view(f"{name}.rows")
        self.rows: Callable[[str], tuple[int, ...]] = lru_cache(maxsize=LOOKUP_CACHE_SIZE)(self._find_rows)

    def _find_rows(self, key: str) -> tuple[int, ...]:
        """The rows bearing ``key`` (cached as :meth:`rows`)."""
        k = self.keys.find(key)
        if k < 0:
            return ()
        return tuple(self._rows[self._starts[k] : self._starts[k + 1]])


class Gazetteer:
    """Places plus two name indexes (exact normalised key, transliteration skeleton), read from an index file.

    Rows are numbered from 0; a row's fields are read from the mapped arrays and turned into :class:`Place`
    objects on demand. Thread-safe (read-only); pickles as its path (see the module docstring).
    """

    def __init__(self, f: IndexFile) -> None:
        meta = f.meta
        self.path: Path = f.path
        self.fingerprint: str = meta["fingerprint"]
        self.max_words: int = meta["max_words"]
        self.demonyms: dict[str, str] = meta["demonyms"]  # norm key -> country place id
        self._kinds: tuple[str, ...] = tuple(meta["kinds"])
        self._countries: tuple[str, ...] = tuple(meta["countries"])
        self._sources: tuple[str, ...] = tuple(meta["sources"])
        self._provinces: list[str] = StringColumn(f, "provinces").to_list()
        self._ids = KeyTable(f, "ids")
        self._names = StringColumn(f, "names")
        self._exact = _NameIndex(f, "exact")
        self._skel = _NameIndex(f, "skel")
        self._kind = f.view("kind")
        self._population = f.view("population")
        self._importance = f.view("importance")
        self._country = f.view("country")
        self._province = f.view("province")
        self._source = f.view("source")
        self._lat, self._lon = f.view("lat"), f.view("lon")
        self._lat_arr, self._lon_arr = f.array("lat"), f.array("lon")
        self._ecef = f.array("ecef_km")
        self._kind_arr, self._country_arr = f.array("kind"), f.array("country")
        self._country_codes = np.array(self._countries)
        self._notable = StringColumn(f, "notable")
        self._notable_lens = f.view("notable.lens")
        self.capitals: frozenset[int] = frozenset(f.view("capitals").tolist())  # rows of national capitals
        #: lower-case English words (dictionary words in real use), e.g. "hit", "aid", "turkey"
        self.common_words: frozenset[str] = _words(f, "words.common")
        #: common given names and surnames (US Census 1990 lists via the ``names`` package), lower case
        self.given_names: frozenset[str] = _words(f, "names.given")
        self.surnames: frozenset[str] = _words(f, "names.surnames")
        self.common_given_names: frozenset[str] = _words(f, "names.common_given")  # the most frequent half
        self._file = f
        self._arabic_zipf: dict[str, float] | None = None
        #: first words of Arabic-script names of several words ("دير" of "دير الزور"), with and without "ال"
        self.arabic_heads: frozenset[str] | None = (
            _words(f, "names.arabic_heads") if f.has("names.arabic_heads") else None
        )
        self.place: Callable[[int], Place] = lru_cache(maxsize=PLACE_CACHE_SIZE)(self._place)
        self.variant_rows: Callable[[str], tuple[int, ...]] = lru_cache(maxsize=LOOKUP_CACHE_SIZE)(self._variant_rows)
        self._kind_rows: dict[frozenset[str], np.ndarray] = {}
        self._kind_tables: dict[frozenset[str], np.ndarray] = {}

    def __reduce__(self) -> tuple[Callable[[str], Gazetteer], tuple[str]]:
        """Pickle as the path: unpickling opens the same file (shared, once per process)."""
        return (open_gazetteer, (str(self.path),))

    def __repr__(self) -> str:
        return f"<Gazetteer {self.path} ({len(self):,} places)>"

    # -- rows -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._kind)

    def _place(self, row: int) -> Place:
        """The :class:`Place` at index row ``row`` (cached as :meth:`place`)."""
        return Place(
            id=self._ids[row],
            name=self._names[row],
            kind=self._kinds[self._kind[row]],
            lat=self._lat[row],
            lon=self._lon[row],
            country=self._countries[self._country[row]],
            province=self._provinces[self._province[row]],
            population=self._population[row],
            source=self._sources[self._source[row]],
        )

    def row_of(self, place_id: str) -> int | None:
        """Index row of a place id, or None."""
        k = self._ids.find(place_id)
        return k if k >= 0 else None

    def get(self, place_id: str) -> Place | None:
        """The place with this stable id (GeoNames id as a string, ``cm:...``, ``icao:...``), or None."""
        row = self.row_of(str(place_id))
        return None if row is None else self.place(row)

    def kind_of(self, row: int) -> str:
        """Kind of a row (``city``, ``province``, ``base`` ...)."""
        return self._kinds[self._kind[row]]

    def population_of(self, row: int) -> int:
        """Population of a row (0 when unknown)."""
        return self._population[row]

    def coords(self, rows: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
        """Latitudes and longitudes of rows."""
        idx = np.fromiter(rows, dtype=np.int64)
        return self._lat_arr[idx], self._lon_arr[idx]

    def ecef_km(self, rows: Iterable[int] | np.ndarray) -> np.ndarray:
        """Geocentric (ECEF, WGS84) coordinates in km of rows, shape (n, 3), computed with pyproj at build.

        The straight-line (chord) distance between two such points equals the geodesic distance to well
        under 1 % up to several hundred kilometres: the cheap nearness measure for ranking candidates.
        """
        return self._ecef[rows if isinstance(rows, np.ndarray) else np.fromiter(rows, dtype=np.int64)]

    def is_kind(self, rows: np.ndarray, kinds: frozenset[str]) -> np.ndarray:
        """For each of ``rows`` (an integer array), whether its kind is one of ``kinds`` (booleans)."""
        table = self._kind_tables.get(kinds)
        if table is None:  # one flag per kind code, made once per set of kinds
            table = np.array([k in kinds for k in self._kinds], dtype=bool)
            self._kind_tables[kinds] = table
        return table[self._kind_arr[rows]]

    def countries_of(self, rows: np.ndarray) -> np.ndarray:
        """ISO2 country codes of ``rows`` (an integer array), as a string array ("" for none)."""
        return self._country_codes[self._country_arr[rows]]

    def arabic_zipf(self, key: str) -> float:
        """How common a folded Arabic word is (``wordfreq`` Zipf scale: 6 very common, 3 rare); 0.0 if rarer."""
        table = self._arabic_zipf
        if table is None:
            table = {}
            if self._file.has("words.arabic"):
                for line in self._file.array("words.arabic").tobytes().decode().split("\n"):
                    word, _, z = line.partition("\t")
                    if z:
                        table[word] = float(z)
            self._arabic_zipf = table
        return table.get(key, 0.0)

    def rows_of_kinds(self, kinds: frozenset[str]) -> np.ndarray:
        """All rows of these kinds (``{"airport", "base"}``), ascending; computed once per set of kinds."""
        found = self._kind_rows.get(kinds)
        if found is None:
            codes = [i for i, k in enumerate(self._kinds) if k in kinds]
            found = np.flatnonzero(np.isin(np.asarray(self._kind), codes))
            self._kind_rows[kinds] = found
        return found

    def rows_near(self, rows: Iterable[int], kinds: frozenset[str], km: float) -> tuple[int, ...]:
        """Rows of ``kinds`` within ``km`` (straight line) of any of ``rows``: the airport of a city, the dam of a
        town."""
        rows = list(rows)
        cand = self.rows_of_kinds(kinds)
        if not rows or not len(cand):
            return ()
        dist = np.linalg.norm(self._ecef[cand][:, None, :] - self.ecef_km(rows)[None, :, :], axis=2).min(axis=1)
        return tuple(int(r) for r in cand[dist <= km])

    def country_of(self, row: int) -> str:
        """ISO2 country code of a row ("" for continents and seas)."""
        return self._countries[self._country[row]]

    def province_of(self, row: int) -> str:
        """First-level division name of a row ("" when unknown)."""
        return self._provinces[self._province[row]]

    # -- lookups ----------------------------------------------------------------------------
    def rows_for_key(self, key: str) -> tuple[int, ...]:
        """Rows whose normalised name is exactly ``key`` (a :func:`norm_key`)."""
        return self._exact.rows(key)

    def rows_for_skeleton(self, skel: str) -> tuple[int, ...]:
        """Rows whose transliteration skeleton is ``skel`` (a :func:`skeleton`)."""
        return self._skel.rows(skel) if skel else ()

    def rows_for_consonants(self, key: str) -> tuple[int, ...]:
        """Rows of places known only by Latin names whose consonant key is ``key`` (an
        :func:`~conflict_map.text.names.arabic_consonants` key): "dlnj" for Dilling."""
        return self._skel.rows(CONSONANT_PREFIX + key) if key else ()

    def _variant_rows(self, surface: str) -> tuple[int, ...]:
        """Rows matching ``surface`` as a transliteration variant ("Al Qaem" for Al Qā'im); cached as
        ``variant_rows``.

        Variants are expected for names from transliterated languages (:data:`TRANSLITERATED` countries) and
        accepted there when the spelling is still recognisably close; elsewhere only near-identical spellings.
        """
        rows = self.rows_for_skeleton(skeleton(surface))
        if not rows:
            return ()
        key = norm_key(surface)
        out = []
        for r in rows:
            ratio = fuzz.ratio(key, norm_key(self._names[r]))
            # a famous place's English spellings are already among its names: a loose variant of one is more
            # likely another word ("Terra" is not Tehran), while a small town has as many spellings as writers
            loose = 50 if self.importance(r) < 7.0 else 80
            if ratio >= 85 or (ratio >= loose and self.country_of(r) in TRANSLITERATED):
                out.append(r)
        return tuple(out)

    def has_key(self, key: str) -> bool:
        """Whether some place has the normalised name ``key``."""
        return self._exact.keys.find(key) >= 0

    def has_skeleton(self, skel: str) -> bool:
        """Whether some place has the transliteration skeleton ``skel``."""
        return bool(skel) and self._skel.keys.find(skel) >= 0

    def importance(self, row: int) -> float:
        """Prior weight of a row: countries and big cities before hamlets, capitals first among cities."""
        return self._importance[row]

    def lookup(self, name: str) -> list[Place]:
        """Places whose name matches ``name`` exactly or by transliteration, most important first."""
        key = norm_key(name)
        rows = set(self.rows_for_key(key))
        if rows:
            return [self.place(r) for r in sorted(rows, key=self.importance, reverse=True)]

        # transliteration matches: rank by how close the spelling is, then by importance
        def score(row: int) -> float:
            return self.importance(row) + 4.0 * fuzz.ratio(key, norm_key(self._names[row])) / 100.0

        rows = set(self.variant_rows(name))
        return [self.place(r) for r in sorted(rows, key=score, reverse=True)]

    def _notable_near(self, n: int) -> list[str]:
        """Names of notable places (importance 4 or more) of a length a misspelling of an ``n``-character name
        can have (2/3 to 3/2 of it), shortest first."""
        lens = self._notable_lens
        lo = bisect.bisect_left(lens, max(1, (2 * n) // 3))
        hi = bisect.bisect_right(lens, (3 * n + 1) // 2)
        return self._notable.span(lo, hi).decode().split("\n")[:-1]  # each name ends in a newline

    def _best_row(self, key: str) -> int | None:
        rows = self.rows_for_key(key)
        return max(rows, key=self.importance) if rows else None

    def suggest(self, name: str, limit: int = 5) -> list[Place]:
        """Closest notable places to a misspelt name, most similar first (important places first among equals).

        Only names of a similar length are compared (rapidfuzz edit-distance ratio over a length window), and
        each word of a longer query that is itself a notable name is offered too; names over
        :data:`MAX_PLACE_NAME_CHARS` get no suggestions. About 0.1 s per call.
        """
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
            if row is not None and self.importance(row) >= NOTABLE:
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
            close = self.suggest(name, 5)  # computed once: the answer, or the suggestions of the error
            if close and fuzz.WRatio(norm_key(name), norm_key(close[0].name)) >= 92:
                return close[0]
        raise UnknownPlaceError(name, [p.name for p in close])


# --------------------------------------------------------------------------------------------
# Opening
# --------------------------------------------------------------------------------------------

_OPEN: dict[tuple[str, int, int, int], Gazetteer] = {}
_OPEN_LOCK = threading.Lock()


def index_path() -> Path:
    """The index file in use: ``$CONFLICT_MAP_GAZETTEER`` when set (``--gazetteer``), else the cache's."""
    env = os.environ.get(ENV_VAR)
    return Path(env).expanduser() if env else default_index_path()


def _stat(path: Path) -> os.stat_result:
    """``path``'s status; :class:`UserError` unless it is a regular file (a FIFO or a device is refused)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise UserError(
            f"no gazetteer index at {path}: build one with `conflict-map --gazetteer {path} build-index`"
        ) from None
    except OSError as exc:
        raise UserError(f"cannot read the gazetteer index {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise UserError(f"the gazetteer index {path} is not a regular file")
    return st


def open_gazetteer(path: str | Path) -> Gazetteer:
    """The index file at ``path`` as it is (never built here): one shared instance per file and process.

    Raises :class:`UserError` when the file is missing, not a regular file or not a gazetteer index.
    """
    p = Path(path).expanduser().absolute()
    st = _stat(p)
    key = (str(p), st.st_ino, st.st_mtime_ns, st.st_size)  # a rebuilt file is opened anew
    with _OPEN_LOCK:
        gaz = _OPEN.get(key)
        if gaz is None:
            try:
                gaz = Gazetteer(IndexFile(p))
            except IndexFormatError as exc:
                raise UserError(f"{exc}; build it again with `conflict-map --gazetteer {p} build-index`") from None
            except (OSError, KeyError, ValueError) as exc:
                raise UserError(f"cannot read the gazetteer index {p} ({type(exc).__name__}: {exc})") from None
            for old in [k for k in _OPEN if k[0] == key[0]]:
                del _OPEN[old]  # a file rebuilt at the same path: the old mapping goes with its last user
            _OPEN[key] = gaz
    return gaz


def load_gazetteer(path: Path | None = None, *, rebuild_if_stale: bool = True) -> Gazetteer:
    """The gazetteer at ``path``, else at :func:`index_path`.

    An index named explicitly (``path``, ``--gazetteer``, ``$CONFLICT_MAP_GAZETTEER``) is used as it is. The
    default index in the cache is built when missing, unreadable or (``rebuild_if_stale``) built from other
    sources than the installed ones.
    """
    if path is not None or os.environ.get(ENV_VAR):
        return open_gazetteer(path or index_path())
    p = default_index_path()
    try:
        gaz = open_gazetteer(p)
        if not rebuild_if_stale or gaz.fingerprint == source_fingerprint():
            return gaz
    except UserError:
        pass  # missing or unreadable: build it
    from conflict_map.gazetteer.build import build_index  # the sources are imported only to build

    build_index(p)
    return open_gazetteer(p)


_GAZ: dict[str, Gazetteer] = {}
_GAZ_LOCK = threading.Lock()


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer of :func:`index_path` (checked and opened once, thread-safe)."""
    where = os.environ.get(ENV_VAR, "")
    gaz = _GAZ.get(where)
    if gaz is None:
        with _GAZ_LOCK:
            gaz = _GAZ.get(where)
            if gaz is None:
                gaz = _GAZ[where] = load_gazetteer()
    return gaz


__all__ = [
    "ENV_VAR",
    "MAX_PLACE_NAME_CHARS",
    "TRANSLITERATED",
    "Gazetteer",
    "get_gazetteer",
    "index_path",
    "load_gazetteer",
    "open_gazetteer",
]
