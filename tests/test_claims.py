"""Claim extraction, linking and checking on invented sentences (places with fixed coordinates)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pyproj
import pytest

from conflict_map.claims import ENGLISH, PATTERNS, Claim, check_claims, find_statements, parse_number
from conflict_map.errors import UserError
from conflict_map.models import Mention, ParseResult, Place

GEOD = pyproj.Geod(ellps="WGS84")

PLACES = {
    "Al Qaem": Place("92138", "Al Qā'im", "town", 34.39251, 40.98945, "IQ", "Anbar"),
    "Ain al-Asad": Place("icao:ORAA", "Al Asad Air Base", "base", 33.7856, 42.4412, "IQ", "Anbar"),
    "Baghdad": Place("98182", "Baghdad", "city", 33.34058, 44.40088, "IQ", "Baghdad"),
    "Mosul": Place("99072", "Mosul", "city", 36.335, 43.11889, "IQ", "Ninawa"),
    "Ramadi": Place("98717", "Ramadi", "city", 33.42056, 43.30778, "IQ", "Anbar"),
    "Anbar": Place("p:anbar", "Anbar", "province", 33.0, 42.0, "IQ"),
    "Iraq": Place("99237", "Iraq", "country", 33.0, 44.0, "IQ"),
    "Syria": Place("163843", "Syria", "country", 35.0, 38.0, "SY"),
    "Jordan": Place("248816", "Jordan", "country", 31.0, 36.0, "JO"),
}


def km(a: str, b: str) -> float:
    pa, pb = PLACES[a], PLACES[b]
    return GEOD.inv(pa.lon, pa.lat, pb.lon, pb.lat)[2] / 1000


def parse(text: str, body: tuple[int, int] = (0, 0)) -> ParseResult:
    """A stand-in geoparser: exact names of PLACES, resolved with certainty."""
    mentions = []
    for name, place in PLACES.items():
        for m in re.finditer(rf"\b{re.escape(name)}\b", text):
            mentions.append(Mention(m.start(), m.end(), name, place=place, confidence=1.0))
    mentions.sort(key=lambda m: m.start)
    return ParseResult(text, mentions, body=body)


def claims(text: str) -> list[Claim]:
    return check_claims(parse(text))


def one(text: str) -> Claim:
    found = claims(text)
    assert len(found) == 1, [c.text for c in found]
    return found[0]


# --------------------------------------------------------------------------------- extraction


@pytest.mark.parametrize(
    ("s", "value"),
    [
        ("150", 150),
        ("1,500", 1500),
        ("2.5", 2.5),
        ("a hundred", 100),
        ("one hundred and fifty", 150),
        ("twenty-five", 25),
        ("two thousand", 2000),
        ("a dozen", 12),
        ("a", None),
        ("lots", None),
    ],
)
def test_parse_number(s: str, value: float | None) -> None:
    assert parse_number(s) == value


@pytest.mark.parametrize(
    ("text", "value", "unit", "hedge", "kind"),
    [
        ("It is 150 kilometres away.", 150, "km", "", "exact"),
        ("It is 150km away.", 150, "km", "", "exact"),
        ("It lies some 90 km up the road.", 90, "km", "some", "approx"),
        ("It is about 600 kilometers long.", 600, "km", "about", "approx"),
        ("It is roughly 40 miles off.", 40, "mi", "roughly", "approx"),
        ("It is nearly 12 nautical miles out.", 12, "nmi", "nearly", "nearly"),
        ("It is more than 1,200 km away.", 1200, "km", "more than", "more_than"),
        ("It is less than 500 metres away.", 500, "m", "less than", "less_than"),
        ("It is a hundred kilometres away.", 100, "km", "", "exact"),
        ("It is 30 km or so away.", 30, "km", "or so", "approx"),
        ("It is almost 5 mi away.", 5, "mi", "almost", "nearly"),
        ("It is approximately 75 Kilometres away.", 75, "km", "approximately", "approx"),
    ],
)
def test_find_statements(text: str, value: float, unit: str, hedge: str, kind: str) -> None:
    (start, end, f), *rest = find_statements(text)
    assert not rest
    assert f["value"] == value and f["unit"] == unit and f["hedge"] == hedge and f["hedge_kind"] == kind
    span = text[start:end].lower()
    assert span.startswith(hedge) or hedge == "or so"
    assert span.rstrip().endswith(("km", "kilometres", "kilometers", "miles", "mi", "metres", "so"))


def test_units_convert() -> None:
    ((_s, _e, f),) = find_statements("It is 100 miles away.")
    assert f["value_km"] == pytest.approx(160.9344)
    ((_s, _e, f),) = find_statements("It is 10 nautical miles away.")
    assert f["value_km"] == pytest.approx(18.52)
    ((_s, _e, f),) = find_statements("It is 800 metres away.")
    assert f["value_km"] == pytest.approx(0.8)


def test_ranges() -> None:
    ((_s, _e, f),) = find_statements("It is 100-150 km away.")
    assert (f["value"], f["value_high"], f["hedge_kind"]) == (100, 150, "range")
    ((_s, _e, f),) = find_statements("It is between 300 and 350 kilometres away.")
    assert (f["value"], f["value_high"], f["hedge_kind"]) == (300, 350, "range")


@pytest.mark.parametrize(
    "text",
    [
        "In 2014 the town fell.",
        "Some 150 fighters arrived.",
        "The convoy moved at 3 km/h.",
        "Trucks drove at 80 kilometres per hour.",
        "They drove at 60 miles an hour.",
        "The camp covers 20 square kilometres.",
        "The camp covers 20 sq km.",
        "The field is 3 km² in size.",
        "A 5 km2 area was cleared.",
        "MI6 officers and 3 milestones.",
        "",
    ],
)
def test_not_claims(text: str) -> None:
    assert find_statements(text) == []
    assert claims(text) == []


# ------------------------------------------------------------------------------------ linking


def test_distance_two_places_same_sentence() -> None:
    c = one("The trouble is the road between Al Qaem and the nearest base, Ain al-Asad, which is 150 kilometres away.")
    assert c.kind == "distance"
    assert {p.name for p in c.places} == {"Al Qā'im", "Al Asad Air Base"}
    assert c.link == "high"
    assert c.measured_km == pytest.approx(km("Al Qaem", "Ain al-Asad"), abs=1e-6)
    assert c.measured_km == pytest.approx(149.9, abs=0.2)
    assert c.verdict == "consistent"
    assert c.diff_km == pytest.approx(150 - c.measured_km)
    assert c.diff_pct == pytest.approx((150 - c.measured_km) / c.measured_km * 100)
    assert "straight" in " ".join(c.notes).lower()
    d = c.to_dict()
    assert d["verdict"] == "consistent" and d["start"] == c.start and d["text"] == "150 kilometres"


def test_distance_offsets_are_exact() -> None:
    text = "Intro line.\nThen Al Qaem, and Ain al-Asad some 150 km away."
    c = one(text)
    assert text[c.start : c.end] == c.text == "some 150 km"
    assert c.hedge == "some"


def test_distance_other_place_in_previous_sentence() -> None:
    c = one("Troops massed in Al Qaem. The closest base, Ain al-Asad, is 150 kilometres away.")
    assert c.link == "medium"
    assert c.verdict == "consistent"
    assert "previous sentence" in c.link_note


def test_distance_differs_and_road_note() -> None:
    c = one("Convoys from Ramadi reach Mosul after 420 km on the highway.")
    measured = km("Ramadi", "Mosul")
    assert c.measured_km == pytest.approx(measured)
    assert c.verdict == "differs"
    assert any("road distance" in n for n in c.notes)
    assert c.diff_km == pytest.approx(420 - measured)


def test_hedge_widens_tolerance() -> None:
    # Baghdad-Ramadi is about 102 km: 110 is 7.6% off, within 10% when hedged, not within 5% bare
    assert km("Baghdad", "Ramadi") == pytest.approx(102.2, abs=0.5)
    assert one("Ramadi lies about 110 km from Baghdad.").verdict == "consistent"
    assert one("Ramadi lies 110 km from Baghdad.").verdict == "differs"


def test_more_than_and_less_than() -> None:
    assert one("Ramadi is more than 90 km from Baghdad.").verdict == "consistent"
    assert one("Ramadi is more than 150 km from Baghdad.").verdict == "differs"
    assert one("Ramadi is less than 120 km from Baghdad.").verdict == "consistent"
    assert one("Ramadi is less than 80 km from Baghdad.").verdict == "differs"
    assert one("Ramadi is nearly 105 km from Baghdad.").verdict == "consistent"
    assert one("Ramadi is nearly 200 km from Baghdad.").verdict == "differs"


def test_miles_are_converted_before_checking() -> None:
    # 100 miles = 160.9 km; Baghdad-Ramadi is 102 km
    c = one("Ramadi is 64 miles from Baghdad.")
    assert c.value_km == pytest.approx(64 * 1.609344)
    assert c.verdict == "consistent"


def test_direction_checked_against_bearing() -> None:
    dist = round(km("Baghdad", "Mosul"))
    ok = one(f"Mosul lies {dist} km north of Baghdad.")
    assert ok.verdict == "consistent" and ok.direction == "north" and ok.direction_ok is True
    az = GEOD.inv(PLACES["Baghdad"].lon, PLACES["Baghdad"].lat, PLACES["Mosul"].lon, PLACES["Mosul"].lat)[0] % 360
    assert ok.bearing == pytest.approx(az)
    bad = one(f"Mosul lies {dist} km south of Baghdad.")
    assert bad.direction_ok is False and bad.verdict == "differs"
    assert any("inconsistent" in n for n in bad.notes)
    ne = one(f"Mosul lies {dist} kilometres to the north-west of Baghdad.")
    assert ne.direction == "northwest" and ne.direction_ok is True


def test_distance_to_border() -> None:
    c = one("Al Qaem, barely 3 km from the Syrian border, is surrounded.")
    assert c.kind == "border_distance"
    assert set(c.border or ()) == {"IQ", "SY"}
    assert 1.0 < (c.measured_km or 0) < 4.0
    assert c.verdict == "consistent"
    assert c.nearest_point is not None


def test_border_length_from_countries_in_sentence() -> None:
    c = one("Fighters slip between Syria and Iraq with ease: the border is about 600 kilometres long.")
    assert c.kind == "length"
    assert set(c.border or ()) == {"IQ", "SY"}
    assert c.subject == "Iraq–Syria border"
    assert 590 <= (c.measured_km or 0) <= 610
    assert c.verdict == "consistent"
    assert any("whole Iraq–Syria" in n for n in c.notes)


def test_border_length_adjectives_in_previous_sentence() -> None:
    c = one("The town sits on the Iraqi-Syrian border. It is hard to patrol: the frontier runs some 600 km.")
    assert c.kind == "length" and set(c.border or ()) == {"IQ", "SY"}
    assert c.verdict == "consistent"


def test_border_length_compound_and_differs() -> None:
    c = one("A 400-kilometre border separates Iraq and Syria.")
    assert c.kind == "length" and c.verdict == "differs"
    assert c.diff_km == pytest.approx(400 - c.measured_km)


def test_border_length_ambiguous_gives_candidates() -> None:
    c = one("Iraq, Syria and Jordan met to discuss it. The border is 200 km long.")
    assert c.kind == "length"
    assert c.link in ("low", "medium")
    assert c.candidates, "other neighbouring pairs are offered"
    if c.link == "low":
        assert c.verdict == "unchecked"


def test_length_of_unmeasurable_things() -> None:
    c = one("The road to Mosul is 90 km long.")
    assert c.kind == "length" and c.verdict == "unchecked" and "road" in c.subject
    c = one("Smugglers use a 30 km stretch of the frontier.")
    assert c.verdict == "unchecked"


def test_not_a_distance_between_places() -> None:
    c = one("Rockets with a range of 300 km were fired from Mosul at Baghdad.")
    assert c.kind == "other" and c.verdict == "unchecked"


def test_unlinked_distance_is_unchecked() -> None:
    c = one("The convoy travelled 150 kilometres overnight.")
    assert c.verdict == "unchecked" and c.link == "none"
    assert c.measured_km is None


def test_distance_to_an_area_is_unchecked() -> None:
    c = one("Ramadi lies 40 km from Anbar.")
    assert c.verdict == "unchecked"
    assert "area" in c.explanation


def test_many_places_uncertain_link() -> None:
    c = one("Mosul, Ramadi, Baghdad and Al Qaem all saw fighting, one 150 km away.")
    assert c.link == "low" and c.verdict == "unchecked"
    assert len(c.candidates) >= 2
    assert all("measured_km" in cand for cand in c.candidates)


def test_between_pair_chosen_among_many() -> None:
    c = one("Officials in Baghdad said the drive between Ramadi and Al Qaem is about 260 km.")
    assert {p.name for p in c.places} == {"Ramadi", "Al Qā'im"}
    assert c.verdict == "consistent", c.explanation
    assert any("journey" in n or "road" in n for n in c.notes) or c.notes


def test_body_span_limits_claims() -> None:
    text = "Berlin office, 5 km from the station.\nAl Qaem and Ain al-Asad are 150 km apart."
    body = (text.index("Al Qaem"), len(text))
    found = check_claims(parse(text, body=body))
    assert [c.text for c in found] == ["150 km"]


def test_multiple_claims_in_order() -> None:
    text = "Ramadi is 102 km from Baghdad. Mosul lies 350 km north of Baghdad. In 2014 some 150 fighters held Al Qaem."
    found = claims(text)
    assert [c.text for c in found] == ["102 km", "350 km"]
    assert all(c.verdict == "consistent" for c in found)


# ------------------------------------------------------------------- optional: the shared article

SHARED_ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "articles" / "niqash-2017-showdown-in-anbar.txt"


@pytest.mark.shared
@pytest.mark.skipif(not SHARED_ARTICLE.exists(), reason="../shared/articles is not available")
def test_anbar_article_claims() -> None:
    from conflict_map.geoparse.pipeline import geoparse

    text = SHARED_ARTICLE.read_text(encoding="utf-8")
    found = check_claims(geoparse(text))
    by_kind = {c.kind: c for c in found}
    assert set(by_kind) == {"distance", "length"}, [(c.text, c.kind) for c in found]

    dist = by_kind["distance"]
    assert dist.value_km == 150 and dist.link == "high"
    assert {p.id for p in dist.places} == {"92138", "icao:ORAA"}  # Al Qa'im, Ain al-Asad (ORAA)
    assert dist.measured_km == pytest.approx(149.9, abs=1.0)
    assert dist.verdict == "consistent"

    length = by_kind["length"]
    assert length.value_km == 600 and length.hedge == "about"
    assert set(length.border or ()) == {"IQ", "SY"}
    assert 590 <= (length.measured_km or 0) <= 610
    assert length.verdict == "consistent"
    assert any("whole Iraq–Syria" in n for n in length.notes)
    for c in found:
        assert text[c.start : c.end] == c.text


def test_area_instead_of_point_is_explained() -> None:
    c = one("Anbar is 545 km from Baghdad.")
    assert c.verdict == "unchecked"
    assert "area, not a point" in c.explanation


def test_border_length_scale_note() -> None:
    c = one("The border between Iraq and Syria is 700 km long.")
    assert c.verdict == "differs"
    assert any("map scale" in n for n in c.notes)


def test_previous_sentence_link_needs_a_reference_back() -> None:
    # "The city" refers back to Baghdad: a medium-confidence link, checked
    c = one("Officials said Baghdad was calm. The city is 350 km from Mosul.")
    assert c.link == "medium" and c.verdict == "consistent"
    # "The front line" is not a place of the previous sentence: no silent guess
    c = one("Officials said Baghdad was calm. The front line is 30 km from Mosul.")
    assert c.link == "low" and c.verdict == "unchecked"
    assert c.candidates and c.candidates[0]["places"] == ["Mosul", "Baghdad"]


def test_width_is_not_a_distance() -> None:
    c = one("Between Ramadi and Baghdad lies a 2 km-wide canal.")
    assert c.kind == "other" and c.verdict == "unchecked"


def test_border_length_one_country_named_pairs_with_home_country() -> None:
    c = one("Al Qaem sits by the Syrian border, which is about 600 km long.")
    assert c.kind == "length" and set(c.border or ()) == {"IQ", "SY"}
    assert c.link in ("high", "medium") and c.verdict == "consistent"


def test_border_length_without_neighbours_is_unchecked() -> None:
    c = one("The border is 600 km long.")
    assert c.kind == "length" and c.verdict == "unchecked" and c.link == "none"


def test_unknown_language_is_one_clear_error() -> None:
    with pytest.raises(UserError, match="language 'xx'"):
        check_claims(parse("Ramadi is 100 km from Baghdad."), lang="xx")


def test_linking_reads_the_language_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    # a second pattern set changes what linking reads without any change to linking or judging
    text = "Convoys leave Al Qaem for Ain al-Asad, 150 km along the camel track."
    assert not any("road or journey" in n for n in one(text).notes)
    monkeypatch.setitem(PATTERNS, "xx", dataclasses.replace(ENGLISH, lang="xx", road_words=re.compile(r"camel track")))
    c = check_claims(parse(text), lang="xx")[0]
    assert c.link == "high" and any("road or journey" in n for n in c.notes)
