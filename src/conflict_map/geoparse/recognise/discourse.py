"""Document-level acceptance: which candidates become mentions, using the whole article.

A candidate whose score reaches the threshold is a mention. Four rules then accept weaker candidates the
article itself vouches for, and one drops some that yield to a landmark name:

* ``recurs``: one sense per discourse, a name accepted confidently once is accepted where it recurs;
* ``listed_with_places``: "Heet, Falluja and Al-Qa'im": listed beside an accepted place;
* ``near_article_places``: a small town within ``near_km`` of places the article clearly names (in Arabic, or
  in a province the article clearly names: "مخازن تكريت" in an article about "محافظة صلاح الدين");
* ``landmark_yields``: inside a landmark name a spelling variant or minor namesake yields ("Al-Shifa hospital");
* ``foreign_common_word``: an Arabic common word read as a minor place in a country the article is not about
  ("إلى بركة" a pool, "من العبور" the crossing, "قرب الشاطئ" the beach, in articles about Libya or Gaza), or
  as a major place far from the Arab world and from the article's places ("بعد سيول" after floods, not Seoul);
  likewise a minor place found only by splitting a proclitic ("بسطات" stalls, not ب + Settat) or with no
  evidence for it ("سيرت" operated, not Siirt), a major non-capital place named by a definite common noun
  ("الوادي" the valley, not El Oued) and a country named by a prayer after a preposition of time ("بعد المغرب");
  the same doubtful word named twice vouches for neither mention.

Each rule can be switched off for an ablation (``conflict-map eval --ablate recurs``).
"""

from __future__ import annotations

import numpy as np

from conflict_map.gazetteer.index import Gazetteer
from conflict_map.gazetteer.scoring import TRANSLITERATED
from conflict_map.geoparse.recognise.candidates import Candidate
from conflict_map.geoparse.recognise.lexicon import SITE_KINDS
from conflict_map.geoparse.weights import Weights
from conflict_map.text.names import is_arabic

_POINT_KINDS = ("city", "town", "village", "base", "crossing", "dam", "district")
_SAME_AREA_KM = 60.0  # a province whose point lies this near the city named like it is the city's area
_LIST_GAPS = (",", "and", ", and", "or", ", or", "،", "و", "، و", "،و", "أو", "، أو")  # English and Arabic


def dominant_row(c: Candidate, gaz: Gazetteer) -> int | None:
    """The clearly most important reading of a name, if it is a point-like place (not an area)."""
    ranked = sorted(c.rows, key=gaz.importance, reverse=True)
    points = [r for r in ranked if gaz.kind_of(r) in _POINT_KINDS]
    if not points:
        return None
    top = points[0]
    # a province named like its city ("Damascus", "Kirkuk") is the same area: it does not make the name ambiguous
    xyz = gaz.ecef_km([top])[0]
    rivals = [
        r
        for r in ranked
        if r != top and not (gaz.kind_of(r) == "province" and np.linalg.norm(gaz.ecef_km([r])[0] - xyz) < _SAME_AREA_KM)
    ]
    if rivals and gaz.importance(rivals[0]) > gaz.importance(top) - 1.5:
        return None
    return top


def loose_variant(c: Candidate, gaz: Gazetteer) -> bool:
    """A spelling-variant match that is no transliteration: "Al-Shifa" for Shefa (Vanuatu), not "Jabalia"."""
    return c.match == "skeleton" and not any(
        gaz.country_of(r) in TRANSLITERATED and gaz.importance(r) >= 5.0 for r in c.rows
    )


def _recurs(cands: list[Candidate], accepted: list[Candidate], w: Weights) -> None:
    t, d = w.threshold, w.discourse
    sure = t + d["confident_margin"]
    good_keys = {c.key for c in accepted if c.score >= sure}
    good_rows = {r for c in accepted if c.score >= sure and len(c.rows) <= d["max_readings_shared"] for r in c.rows}
    # a dictionary word capitalised mid-sentence and accepted there is a name at a sentence start too
    named_keys = {c.key for c in accepted if "dict-initial" not in c.hints}
    for c in cands:
        same_place = (
            len(c.rows) <= d["max_readings_shared"]
            and not good_rows.isdisjoint(c.rows)
            and c.score >= t - d["neighbour_floor"]
        )
        if (
            c.score < t
            and (c.key in good_keys or same_place or ("dict-initial" in c.hints and c.key in named_keys))
            and "veto" not in c.hints
            and c.score > t - d["recurs_floor"]
        ):
            c.reasons.append("recurs")
            accepted.append(c)


def _listed(text: str, cands: list[Candidate], accepted: list[Candidate], acc_ids: set[int], w: Weights) -> None:
    floor = w.threshold - w.discourse["neighbour_floor"]
    for k, c in enumerate(cands):
        if id(c) in acc_ids or "veto" in c.hints or c.score < floor:
            continue
        for other, gap in (
            (cands[k - 1], text[cands[k - 1].end : c.start]) if k > 0 else (None, ""),
            (cands[k + 1], text[c.end : cands[k + 1].start]) if k + 1 < len(cands) else (None, ""),
        ):
            if other is not None and id(other) in acc_ids and gap.strip() in _LIST_GAPS:
                c.reasons.append("listed with places")
                accepted.append(c)
                acc_ids.add(id(c))
                break


def _named_provinces(gaz: Gazetteer, accepted: list[Candidate], sure: float) -> set[tuple[str, str]]:
    """(country, province) of the provinces an Arabic article names surely as provinces ("محافظة صلاح الدين",
    "محافظ نينوى", or a name whose most important reading is the province)."""
    out: set[tuple[str, str]] = set()
    for c in accepted:
        if c.score < sure or not is_arabic(c.key):
            continue
        provinces = [r for r in c.rows if gaz.kind_of(r) == "province"]
        if provinces and ("admin" in c.hints or max(c.rows, key=gaz.importance) in provinces):
            out.update((gaz.country_of(r), gaz.province_of(r)) for r in provinces)
    return out


def _near(gaz: Gazetteer, cands: list[Candidate], accepted: list[Candidate], acc_ids: set[int], w: Weights) -> None:
    """Weaker candidates near the article's sure places; in Arabic, also in a province the article names surely
    ("مخازن تكريت" in an article about "محافظة صلاح الدين": Tikrit lies in it, if 100 km from its other towns)."""
    t, d = w.threshold, w.discourse
    sure = t + d["confident_margin"]
    anchors = [r for c in accepted if c.score >= sure and (r := dominant_row(c, gaz)) is not None]
    provinces = _named_provinces(gaz, accepted, sure)
    if not anchors and not provinces:
        return
    anchor_xyz = gaz.ecef_km(anchors) if anchors else None
    for c in cands:
        if (
            id(c) in acc_ids
            or "veto" in c.hints
            or c.score < t - d["neighbour_floor"]
            or len(c.rows) > d["max_readings_near"]
            or _bare_common_word(c)
        ):
            continue
        if anchor_xyz is not None:
            dist = np.linalg.norm(gaz.ecef_km(c.rows)[:, None, :] - anchor_xyz[None, :, :], axis=2)
            near = bool((dist < d["near_km"]).any())
        else:
            near = False
        if near or (provinces and is_arabic(c.key) and _in_provinces(gaz, c, provinces)):
            c.reasons.append("near the article's places")
            accepted.append(c)
            acc_ids.add(id(c))


#: Evidence of place in a name's own context: a kind word, a preposition or verb of place, an office, a container.
_PLACE_CONTEXT = (
    "ar_kind_",
    "ar_locative_before",
    "ar_office_",
    "ar_container_after",
    "ar_named_with_kind",
    "ar_border_post",
)


def _bare_common_word(c: Candidate) -> bool:
    """A very common Arabic word ("لصور قديمة", for old pictures, not Tyre) with nothing in its own context saying it
    is a place: nearness to the article's places vouches for a rare name, not for such a word."""
    return "ar_very_common_word" in c.features and not any(f.startswith(_PLACE_CONTEXT) for f in c.features)


def _in_provinces(gaz: Gazetteer, c: Candidate, provinces: set[tuple[str, str]]) -> bool:
    """A town or village reading of ``c`` lies in one of ``provinces``."""
    return any(gaz.kind_of(r) in _POINT_KINDS and (gaz.country_of(r), gaz.province_of(r)) in provinces for r in c.rows)


def _yields_to_landmark(c: Candidate, gaz: Gazetteer) -> bool:
    return (
        "in-landmark" in c.hints
        and "typed" not in c.hints  # "Laurel County Sheriff's Office" is in Laurel County
        and not any(gaz.kind_of(r) in SITE_KINDS for r in c.rows)  # "Zaatari camp": the camp itself
        and (loose_variant(c, gaz) or max(map(gaz.importance, c.rows)) < 5.0)
    )


_COMMON_WORD_FEATURES = ("ar_common_word", "ar_very_common_word")
_MINOR = 5.5  # importance below which a place is minor (a town, a village, a small district)
_FOREIGN_KM = 300.0  # a minor place this near one of the article's places belongs to its area, border or not
_REGION_KM = 2000.0  # a major foreign place this near one of the article's places is in the article's region
_FAR_KM = 1000.0  # a major place named by a common noun this far from all the article's places is the noun
_FREQUENT_ZIPF = 4.0  # an Arabic word this frequent ("الوادي" the valley) is read as a word before a far place


def _foreign_radius(c: Candidate, gaz: Gazetteer, w: Weights) -> float | None:
    """How far from all the article's places a doubtful Arabic reading must lie to be dropped (None: not
    doubtful): a major place far from the Arab world named by an Arabic common noun (``ar_foreign_noun``), or a
    country named by a prayer after a preposition of time ("بعد المغرب", after the sunset prayer); a minor place
    named by a common word, found only by splitting a proclitic off a word ("بسطات" stalls is no ب + Settat), or
    with no evidence for it at all (a verb "سيرت", operated, is no Siirt: Arabic has no capitals, so a minor
    place's prior alone says little); a major place that is no capital and no country named by a definite
    common noun, very frequent and at least as frequent without its article ("الوادي" the valley and "وادي",
    not El Oued)."""
    if "ar_foreign_noun" in c.features or "ar_time_of_day_doubtful" in c.features:
        return _REGION_KM
    if c.kind_word:
        return None
    if all(gaz.importance(r) < _MINOR for r in c.rows):
        common = c.clitic or any(f in c.features for f in _COMMON_WORD_FEATURES) or _no_evidence(c, w)
        return _FOREIGN_KM if common else None
    if not (c.key.startswith("ال") and is_arabic(c.key)):
        return None
    zipf, bare = gaz.arabic_zipf(c.key), gaz.arabic_zipf(c.key[2:])
    # a common noun: frequent, as often as such a place is named or more, and as frequent without its article
    noun = zipf >= _FREQUENT_ZIPF and zipf >= 0.5 * max(map(gaz.importance, c.rows)) + 1.0 and bare >= zipf
    if noun and not any(r in gaz.capitals or gaz.kind_of(r) == "country" for r in c.rows):
        return _FAR_KM
    return None


def _no_evidence(c: Candidate, w: Weights) -> bool:
    """An Arabic-script name for which no evidence fired (only its prior and the doubts of the script)."""
    return is_arabic(c.key) and not any(f != "prior" and w.feature(f) > 0 for f in c.features)


def _foreign_common_word(c: Candidate, gaz: Gazetteer, others: list[Candidate], w: Weights) -> bool:
    """An Arabic word read as a place far from the article's other places and in none of their countries
    (:func:`_foreign_radius` says which words and how far): "إلى بركة" a pool, "من العبور" the crossing, "قرب
    الشاطئ" the beach, in articles about Libya or Gaza; "بعد سيول جرفت" after floods, not Seoul.

    Only a preposition vouched for such a word: nothing in its sentence tells "إلى بركة" (to a pool) from
    "إلى تدمر"; the article does, when all its other places lie elsewhere. Doubtful foreign nouns vouch for
    none ("سيول" twice is still no Seoul), and a country named vouches for a minor reading in it only through
    its places ("بستان" an orchard is no village of Iran because the article names Iran)."""
    radius = _foreign_radius(c, gaz, w)
    if radius is None:
        return False
    mine = set(c.rows)  # the same doubtful word elsewhere, with or without its article ("شاطئ", "الشاطئ"), is no
    # evidence for it; a sure mention of the same place is ("غرب الفاشر" for "بـالفاشر")
    others = [
        o
        for o in others
        if o is not c
        and o.rows
        and "ar_foreign_noun" not in o.features
        and (mine.isdisjoint(o.rows) or _foreign_radius(o, gaz, w) is None)
    ]
    if radius == _FAR_KM:  # a major place: any reading of the article's other names may vouch for it
        anchors = sorted({r for o in others for r in o.rows})
    else:
        anchors = [max(o.rows, key=gaz.importance) for o in others]
    if not anchors:
        return False
    minor = radius == _FOREIGN_KM
    countries = {gaz.country_of(r) for r in anchors if not (minor and gaz.kind_of(r) == "country")}
    if any(gaz.country_of(r) in countries for r in c.rows):
        return False
    dist = np.linalg.norm(gaz.ecef_km(list(c.rows))[:, None, :] - gaz.ecef_km(anchors)[None, :, :], axis=2)
    return bool((dist > radius).all())


def _loose_abroad(c: Candidate, gaz: Gazetteer, others: list[Candidate]) -> bool:
    """A place matched by its consonants only (``ar_consonant_match``: "الدلنج", Dilling, known to the gazetteer by
    Latin names) outside every country the article's other places lie in: a word that spells it by chance ("سفوان"
    is no Saffaniyah of Saudi Arabia in an article about Basra)."""
    countries = {gaz.country_of(max(o.rows, key=gaz.importance)) for o in others if o is not c and o.rows}
    return not any(gaz.country_of(r) in countries for r in c.rows)


def accept(text: str, cands: list[Candidate], gaz: Gazetteer, weights: Weights) -> list[Candidate]:
    """The candidates that are mentions, in text order."""
    accepted = [c for c in cands if c.score >= weights.threshold]
    if weights.enabled("recurs"):
        _recurs(cands, accepted, weights)
    acc_ids = {id(c) for c in accepted}
    if weights.enabled("listed_with_places"):
        _listed(text, cands, accepted, acc_ids, weights)
    if weights.enabled("near_article_places"):
        _near(gaz, cands, accepted, acc_ids, weights)
    if weights.enabled("landmark_yields"):
        accepted = [c for c in accepted if not _yields_to_landmark(c, gaz)]
    if weights.enabled("foreign_common_word"):
        accepted = [c for c in accepted if not _foreign_common_word(c, gaz, accepted, weights)]
        accepted = [
            c for c in accepted if "ar_consonant_match" not in c.features or not _loose_abroad(c, gaz, accepted)
        ]
    accepted.sort(key=lambda c: c.start)
    return accepted
