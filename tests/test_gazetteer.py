"""The offline gazetteer: coverage, spellings, kinds, ids, suggestions."""

import pytest

from conflict_map.errors import UnknownPlaceError
from conflict_map.gazetteer.index import get_gazetteer
from conflict_map.gazetteer.scoring import prior


@pytest.fixture(scope="module")
def gaz():
    return get_gazetteer()


@pytest.mark.parametrize(
    "name,country,kind",
    [
        ("Al Qaem", "IQ", "town"),
        ("Al-Qa'im", "IQ", "town"),
        ("القائم", "IQ", "town"),
        ("Heet", "IQ", "town"),
        ("Falluja", "IQ", "city"),
        ("Rawa", "IQ", None),
        ("Khan al-Baghdadi", "IQ", "town"),
        ("Ain al-Asad", "IQ", "base"),
        ("Anbar", "IQ", "province"),
        ("Salahaddin", "IQ", "province"),
        ("Ninawa", "IQ", "province"),
        ("Nineveh", "IQ", None),
        ("Iraq", "IQ", "country"),
        ("Syria", "SY", "country"),
        ("US", "US", "country"),
        ("Uzbekistan", "UZ", "country"),
        ("Al-Tanf", "SY", "crossing"),
        ("Crimea", "UA", "region"),
        ("North Darfur", "SD", "province"),
    ],
)
def test_names_resolve_offline(gaz, name: str, country: str, kind: str | None) -> None:
    found = gaz.lookup(name)
    assert found, name
    in_country = [p for p in found if p.country == country]
    assert in_country, [(p.name, p.country) for p in found[:5]]
    if kind:
        assert any(p.kind == kind for p in in_country), [(p.name, p.kind) for p in in_country]


def test_place_record_fields(gaz) -> None:
    qaim = next(p for p in gaz.lookup("Al-Qa'im") if p.country == "IQ")
    assert qaim.id == "92138"  # GeoNames id where one exists
    assert 34.0 < qaim.lat < 34.6 and 40.8 < qaim.lon < 41.3
    assert qaim.province == "Al Anbār"
    assert qaim.population > 10_000
    assert gaz.get(qaim.id) == qaim
    curated = gaz.lookup("Khan al-Baghdadi")[0]
    assert curated.id.startswith("cm:") and curated.source == "curated"
    base = gaz.lookup("Ain al-Asad")[0]
    assert base.id == "icao:ORAA" and abs(base.lat - 33.7856) < 1e-3


def test_resolve_name_prefers_country_hint(gaz) -> None:
    assert gaz.resolve_name("Tripoli", country="LB").country == "LB"
    assert gaz.resolve_name("Tripoli").country == "LY"


def test_unknown_name_raises_with_suggestions(gaz) -> None:
    with pytest.raises(UnknownPlaceError) as err:
        gaz.resolve_name("Xqzwvtt")
    assert "unknown place" in str(err.value)
    close = gaz.suggest("Mossul")
    assert any(p.name == "Mosul" for p in close)


def test_misspelling_resolves_when_close(gaz) -> None:
    assert gaz.resolve_name("Kirkukk").name == "Kirkuk"


def test_prior_orders_kinds_and_sizes() -> None:
    assert prior("country", 0) > prior("city", 5_000_000) > prior("town", 20_000) > prior("village", 600)
    assert prior("province", 2_000_000) > prior("district", 2_000_000)


def test_index_is_compact(gaz) -> None:
    assert len(gaz) > 250_000
    assert gaz.max_words <= 8
    assert "hit" in gaz.common_words and "mosul" not in gaz.common_words


def test_variants_need_a_recognisable_spelling(gaz) -> None:
    assert gaz.resolve_name("Heet").country == "IQ"  # not Hohhot, whose skeleton collides
    assert gaz.lookup("Xyzzy") == []
    assert all(p.country == "IQ" for p in gaz.lookup("Al Qaem")[:1])


#: Countries of the region the product is built for (the Arab League, Iran, Turkey, Israel).
REGION = "IQ SY JO LB IL PS SA KW BH QA AE OM YE EG LY TN DZ MA SD IR TR".split()


@pytest.mark.parametrize("iso2", REGION)
def test_a_country_marker_lies_in_the_country(gaz, iso2: str) -> None:
    """countryinfo put Kuwait's point at 45.75 E, in Iraq; a country's marker must lie inside its own outline."""
    from conflict_map.geo.borders import country_at

    rows = [r for r in gaz.rows_of_kinds(frozenset({"country"})) if gaz.country_of(int(r)) == iso2]
    assert rows
    p = gaz.place(int(rows[0]))
    hit = country_at(p.lat, p.lon)
    assert hit is not None and hit.iso2 == iso2, (p.lat, p.lon, hit)
