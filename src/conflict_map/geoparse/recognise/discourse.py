"""Document-level acceptance: which candidates become mentions, using the whole article.

A candidate whose score reaches the threshold is a mention. Four rules then accept weaker candidates the
article itself vouches for, and one drops some that yield to a landmark name:

* ``recurs``: one sense per discourse, a name accepted confidently once is accepted where it recurs;
* ``listed_with_places``: "Heet, Falluja and Al-Qa'im": listed beside an accepted place;
* ``near_article_places``: a small town within ``near_km`` of places the article clearly names;
* ``landmark_yields``: inside a landmark name a spelling variant or minor namesake yields ("Al-Shifa hospital");
* ``foreign_common_word``: an Arabic common word read as a minor place in a country the article is not about
  ("إلى بركة" a pool, "من العبور" the crossing, "قرب الشاطئ" the beach, in articles about Libya or Gaza), or
  as a major place far from the Arab world and from the article's places ("بعد سيول" after floods, not Seoul).

Each rule can be switched off for an ablation (``conflict-map eval --ablate recurs``).
"""

from __future__ import annotations

import numpy as np

from conflict_map.gazetteer.index import Gazetteer
from conflict_map.gazetteer.scoring import TRANSLITERATED
from conflict_map.geoparse.recognise.candidates import Candidate
from conflict_map.geoparse.recognise.lexicon import SITE_KINDS
from conflict_map.geoparse.weights import Weights

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


def _near(gaz: Gazetteer, cands: list[Candidate], accepted: list[Candidate], acc_ids: set[int], w: Weights) -> None:
    t, d = w.threshold, w.discourse
    sure = t + d["confident_margin"]
    anchors = [r for c in accepted if c.score >= sure and (r := dominant_row(c, gaz)) is not None]
    if not anchors:
        return
    anchor_xyz = gaz.ecef_km(anchors)
    for c in cands:
        if (
            id(c) in acc_ids
            or "veto" in c.hints
            or c.score < t - d["neighbour_floor"]
            or len(c.rows) > d["max_readings_near"]
        ):
            continue
        dist = np.linalg.norm(gaz.ecef_km(c.rows)[:, None, :] - anchor_xyz[None, :, :], axis=2)
        if (dist < d["near_km"]).any():
            c.reasons.append("near the article's places")
            accepted.append(c)
            acc_ids.add(id(c))


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


def _foreign_common_word(c: Candidate, gaz: Gazetteer, others: list[Candidate]) -> bool:
    """An Arabic common word read as a minor place far from the article's other places, in none of their
    countries; or read as a major place far from the Arab world ("بعد سيول جرفت" after floods, not Seoul:
    ``ar_foreign_noun``), in none of their countries and outside their region.

    Only a preposition vouched for such a word: nothing in its sentence tells "إلى بركة" (to a pool) from
    "إلى تدمر"; the article does, when all its other places lie elsewhere."""
    foreign_noun = "ar_foreign_noun" in c.features
    if not foreign_noun and (c.kind_word or not any(f in c.features for f in _COMMON_WORD_FEATURES)):
        return False
    if not foreign_noun and any(gaz.importance(r) >= _MINOR for r in c.rows):
        return False
    anchors = [max(o.rows, key=gaz.importance) for o in others if o is not c and o.rows]
    if not anchors:
        return False
    countries = {gaz.country_of(r) for r in anchors}
    if any(gaz.country_of(r) in countries for r in c.rows):
        return False
    dist = np.linalg.norm(gaz.ecef_km(list(c.rows))[:, None, :] - gaz.ecef_km(anchors)[None, :, :], axis=2)
    return bool((dist > (_REGION_KM if foreign_noun else _FOREIGN_KM)).all())


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
        accepted = [c for c in accepted if not _foreign_common_word(c, gaz, accepted)]
    accepted.sort(key=lambda c: c.start)
    return accepted
