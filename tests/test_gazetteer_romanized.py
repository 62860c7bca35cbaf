"""Arabic names the gazetteer reads from its sources: BGN/PCGN romanisations read back into Arabic letters,
bidirectional marks left in Arabic names. The place names and points here are invented."""

from __future__ import annotations

import pytest

from conflict_map.gazetteer.builder import IndexBuilder
from conflict_map.gazetteer.sources.geonames import add_cities
from conflict_map.gazetteer.sources.romanized import arabic_spellings
from conflict_map.text.names import CONSONANT_PREFIX, arabic_consonants, latin_consonants, norm_key


@pytest.mark.parametrize(
    ("romanised", "arabic"),
    [
        ("Tājūrā’", "تاجوراء"),  # long vowels, final hamza
        ("Ad Dujayl", "الدجيل"),  # the assimilated article marks the system even without a macron
        ("Al ‘Ayn as Sukhnah", "العين السخنة"),  # ‘ain, two articles, ta marbuta
        ("Kabkābīyah", "كبكابية"),  # "īy" written once
        ("Sāmarrā’", "سامراء"),  # a doubled consonant written once
        ("Nāḩiyat al Fuhūd", "ناحية الفهود"),  # ta marbuta in construct
        ("Ra’s Bayrūt", "رأس بيروت"),  # a hamza on alef
        ("Şaḩam", "صحم"),  # emphatic consonants
    ],
)
def test_a_bgn_romanisation_reads_back_into_arabic(romanised: str, arabic: str) -> None:
    assert norm_key(arabic) in {norm_key(s) for s in arabic_spellings(romanised)}


@pytest.mark.parametrize("name", ["Kosti", "Amman", "Oued Zem", "Ksar el Kebir", "Ma'rib", ""])
def test_names_in_other_systems_are_not_read(name: str) -> None:
    """No mark of the system (long vowels left unmarked), French spellings (e, o), an ambiguous apostrophe."""
    assert arabic_spellings(name) == []


def test_a_final_long_a_may_be_alef_maqsura() -> None:
    assert {norm_key(s) for s in arabic_spellings("Qaryat Mūsā")} == {norm_key("قرية موسا"), norm_key("قرية موسى")}


def _city(gid: int, name: str, country: str, alternates: list[str]) -> dict[str, object]:
    return {
        "geonameid": gid,
        "name": name,
        "latitude": 31.0,
        "longitude": 35.0,
        "countrycode": country,
        "population": 9000,
        "alternatenames": alternates,
    }


def test_a_place_of_the_arab_world_without_an_arabic_name_gets_its_spelling() -> None:
    b = IndexBuilder()
    cities = {
        "1": _city(1, "Khirbat aţ Ţīn", "JO", ["Khirbet et-Tin"]),  # no Arabic name: read back
        "2": _city(2, "Wādī Najm", "JO", ["وادي النجمة"]),  # its own Arabic name: nothing added
        "3": _city(3, "Ḩārat Zayn", "ZV", []),  # outside the Arab world: nothing added
    }
    add_cities(b, cities, {}, {}, {})
    assert b.exact[norm_key("خربة الطين")] == {b.row_of["1"]}
    assert norm_key("وادي نجم") not in b.exact
    assert norm_key("حارة زين") not in b.exact


def test_bidirectional_marks_leave_an_arabic_name() -> None:
    """GeoNames leaves a left-to-right mark after some Arabic names: the name is indexed without it."""
    b = IndexBuilder()
    b.add("t:x", "Invented Town", "town", 31.0, 35.0, "LY", "", 5000, "test", ["البلدة المخترعة\u200e\u200e"])
    assert norm_key("البلدة المخترعة") in b.exact


def test_an_arabic_name_filed_with_its_kind_word_is_also_indexed_without_it() -> None:
    """GeoNames files some Arabic names with their kind word ("واحة X", "مدينة X"); a text writes the name alone.
    Not when the rest is a frequent word, a name the place has already, or another kind word's phrase."""
    b = IndexBuilder()
    cities = {
        "1": _city(1, "Wāḩat Zumurrud", "EG", ["واحة زمرود"]),  # the oasis named without "واحة"
        "2": _city(2, "Madīnat an Nūr", "JO", ["مدينة النور"]),  # "النور" (the light) is a frequent word
        "3": _city(3, "Markaz Wādī Qays", "IQ", ["مركز قضاء وادي قيس"]),  # the seat of a district: not the district
        "4": _city(4, "Qaryat Ḩamdūn", "ZV", ["قرية حمدون"]),  # outside the lands of Arabic names
    }
    add_cities(b, cities, {}, {}, {}, {norm_key("النور"): 5.1})
    assert b.exact[norm_key("زمرود")] == {b.row_of["1"]}
    assert norm_key("النور") not in b.exact
    assert norm_key("قضاء وادي قيس") not in b.exact
    assert norm_key("حمدون") not in b.exact


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [("الدلنج", "Dilling"), ("لوسيل", "Lusail"), ("سنكات", "Sinkat"), ("الحصاحيصا", "Al Hasaheisa"),
     ("التريمسة", "Tremseh"), ("الفشقة", "Al-Fashaqah"), ("بابنوسة", "Babanūsah")],
)  # fmt: skip
def test_an_arabic_spelling_and_a_latin_name_share_their_consonants(arabic: str, latin: str) -> None:
    assert arabic_consonants(norm_key(arabic)) in latin_consonants(latin)


def test_short_or_foreign_spellings_have_no_consonant_key() -> None:
    assert latin_consonants("Doka") == ()  # two consonants: too short to trust
    assert latin_consonants("Кусти") == ()
    assert arabic_consonants(norm_key("دوكة")) == ""


def test_a_place_of_the_arab_world_known_only_in_latin_is_indexed_by_its_consonants() -> None:
    b = IndexBuilder()
    cities = {
        "1": _city(1, "Kurbalint", "SD", ["Kurbalent"]),  # no Arabic name
        "2": _city(2, "Marbalint", "SD", ["مربلنت"]),  # its own Arabic name: not by consonants
        "3": _city(3, "Sarbalint", "ZV", []),  # outside the Arab world
    }
    add_cities(b, cities, {}, {}, {})
    assert b.skel[CONSONANT_PREFIX + "krblnt"] == {b.row_of["1"]}
    assert CONSONANT_PREFIX + "mrblnt" not in b.skel
    assert CONSONANT_PREFIX + "srblnt" not in b.skel
