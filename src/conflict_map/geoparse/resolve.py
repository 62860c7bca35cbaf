"""Resolution: choose the right place for each recognised mention, using the whole document.

Each candidate place is scored by

* its prior importance (kind and population, :func:`conflict_map.gazetteer.index.prior`);
* the document's countries (named countries, demonyms, unambiguous places) and provinces:
  "Sinjar" in an Iraqi story is the Iraqi one, "Tripoli" near "Lebanon" is Tripoli, Lebanon;
* hints from the recogniser ("Anbar province" wants a province, "Ain al-Asad air base" a base);
* how close it lies to the other places of the document (geodesic distance with ``pyproj.Geod``);
* for transliteration matches, how close the spelling is (``rapidfuzz``).

Scores become probabilities with a softmax; the best is the mention's place and its probability
the confidence; the rest are kept, ranked, as alternatives a user can pick instead.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from pyproj import Geod
from rapidfuzz import fuzz

from conflict_map.gazetteer.index import Gazetteer
from conflict_map.geoparse.recognise import Candidate, Recognised
from conflict_map.models import Candidate as RankedCandidate
from conflict_map.text.names import norm_key

GEOD = Geod(ellps="WGS84")
_COHERENCE_TOP = 20
MAX_CANDIDATES = 40
_KERNEL_BUDGET = 20_000_000  # float32 entries (80 MB) of nearness kept between coherence rounds
_AREA_KINDS = frozenset({"continent", "country", "region"})  # their point says little of nearness
_POPULATED = frozenset({"city", "town", "village"})

# Resolver parameters, set on gwn + trnews + lgl and checked on geovirus (see README, "Measuring").
COHERENCE_WEIGHT = 5.0  # score bonus for a reading close to the likely readings of every other name
COHERENCE_SCALE_KM = 150.0  # nearness decays as exp(-d / scale)
PLAUS_POWER = 0.25  # how much an unlikely reading of another name still counts as support (1 = fully weighted)
ROUNDS = 3  # coherence is iterated: readings that support each other rise together
AREA_SCALE_KM = 1000.0  # a country or region is "near" what lies within about a country's breadth of its point
AREA_FLOOR = 0.2  # ... and never counts as wholly far (its point is only a label)
DOMINANT_GAP = 1.5  # a name says which country the article is about when one reading is this far above the rest


def _contributions(c: Candidate, gaz: Gazetteer) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """What one mention says about the document's countries and provinces."""
    ranked = sorted(c.rows, key=gaz.importance, reverse=True)
    kinds: dict[str, int] = {}
    for r in ranked:  # the most important reading of each kind ("Florida": the US state, not Uruguay's)
        kinds.setdefault(gaz.kind_of(r), r)
    if "country" in kinds and c.match == "exact":
        return {gaz.country_of(kinds["country"]): 2.0}, {}
    prov: dict[tuple[str, str], float] = {}
    if "province" in kinds and c.match == "exact":
        r = kinds["province"]
        prov[(gaz.country_of(r), gaz.province_of(r))] = 1.0
    isos = {gaz.country_of(r) for r in c.rows}
    if len(isos) == 1:
        return {next(iter(isos)): 0.5}, prov
    top = ranked[0]
    if gaz.importance(top) >= gaz.importance(ranked[1]) + DOMINANT_GAP and gaz.country_of(top):
        return {gaz.country_of(top): 0.5}, prov  # "Miami", "Florida": one reading stands far above the rest
    return {}, prov


def _context(rec: Recognised, gaz: Gazetteer) -> tuple[Counter, Counter]:
    countries: Counter = Counter()
    provinces: Counter = Counter()
    for c in rec.places:
        cc, pc = _contributions(c, gaz)
        countries.update(cc)
        provinces.update(pc)
    for _s, _e, _t, pid, _sent in rec.demonyms:
        p = gaz.get(pid)
        if p and p.country:
            countries[p.country] += 1.0
    return countries, provinces


def _rows_for(c: Candidate, gaz: Gazetteer) -> list[int]:
    rows = list(c.rows)
    if c.text.isupper() and len(c.text) <= 3:
        # "EU", "UK", "US": an abbreviation names the country or region, not a village spelt that way
        wide = [r for r in rows if gaz.kind_of(r) not in _POPULATED]
        rows = wide or rows
    if len(rows) > MAX_CANDIDATES:
        rows = sorted(rows, key=gaz.importance, reverse=True)[:MAX_CANDIDATES]
    return rows


def _base_scores(c: Candidate, rows: list[int], gaz: Gazetteer, countries: Counter, provinces: Counter) -> np.ndarray:
    total_c = sum(countries.values()) or 1.0
    prov_of = gaz.province_of
    scores = np.empty(len(rows))
    names = [norm_key(gaz.place(r).name) for r in rows]
    # the divisions this name also names, as (country, first-level division) pairs: any province it names
    # ("Kharkiv" names Kharkivska oblast), and districts named exactly so ("Mosul" district)
    admin_of: dict[str, set[tuple[str, str]]] = {}
    for n, r in zip(names, rows, strict=True):
        k = gaz.kind_of(r)
        if k == "province" or (k == "district" and n == c.key):
            admin_of.setdefault(n, set()).add((gaz.country_of(r), gaz.province_of(r)))
    divisions = set().union(*admin_of.values()) if admin_of else set()
    names_a_country = c.match == "exact" and any(
        gaz.kind_of(r) == "country" and n == c.key for n, r in zip(names, rows, strict=True)
    )

    def country_bonus(iso: str) -> float:
        return 1.5 + 3.0 * countries[iso] / total_c if iso and iso in countries else 0.0

    # a place in no country (an ocean, "the Middle East") is not in some other country either: it gets the
    # bonus of the best-placed reading, so the document's countries do not turn "Atlantic" into a village
    best_country = max((country_bonus(gaz.country_of(r)) for r in rows), default=0.0)
    for i, r in enumerate(rows):
        kind = gaz.kind_of(r)
        s = gaz.importance(r)
        iso = gaz.country_of(r)
        s += country_bonus(iso) if iso else best_country
        if c.container:
            inside = any(
                (gaz.kind_of(k) == "country" and gaz.country_of(k) == iso)
                or (gaz.kind_of(k) == "province" and gaz.country_of(k) == iso and gaz.province_of(k) == prov_of(r))
                for k in c.container
            )
            s += 4.0 if inside else 0.0
        prov = gaz.province_of(r)
        if prov and (iso, prov) in provinces and kind != "province":
            s += 1.5
        if "admin" in c.hints and kind in ("province", "district"):
            s += 3.0
        if "base" in c.hints and kind in ("base", "airport"):
            s += 3.0
        if "populated" in c.hints and kind in _POPULATED:
            s += 2.0
        if c.match == "skeleton":
            s += 2.0 * fuzz.ratio(c.key, norm_key(gaz.place(r).name)) / 100.0
        elif names[i] == c.key:
            s += 1.0  # named by its own name, not an alias: "Mexico" is the country, not Mexico City
        if (
            kind in _POPULATED
            and "admin" not in c.hints
            and divisions
            and ((iso, prov) in divisions or r in gaz.capitals)
        ):  # "Raqqa", "Kharkiv", "Jenin": the city rather than the province named after it (and around it);
            s += 1.5  # "Washington" the capital rather than the state; but "Delaware" the state, not a town in Ohio
        if names_a_country and kind in _POPULATED and not c.container:
            s -= 3.0  # "China", "Jordan", "Mexico": the country, not a town that shares its name
        scores[i] = s
    return scores


def resolve(rec: Recognised, gaz: Gazetteer) -> list[tuple[Candidate, list[RankedCandidate]]]:
    """Rank the candidate places of every recognised mention; best first."""
    countries, provinces = _context(rec, gaz)
    per: list[tuple[Candidate, list[int], np.ndarray]] = []
    own: dict[str, tuple[Counter, Counter]] = {}
    for c in rec.places:  # what each name says, summed over its mentions: a name is no evidence for itself
        cc, pc = _contributions(c, gaz)
        o = own.setdefault(c.key, (Counter(), Counter()))
        o[0].update(cc)
        o[1].update(pc)
    for c in rec.places:
        rows = _rows_for(c, gaz)
        oc, op = own[c.key]
        per.append((c, rows, _base_scores(c, rows, gaz, countries - oc, provinces - op)))

    final = _coherence(per, gaz)
    out = []
    for (c, rows, _sc), sc in zip(per, final, strict=True):
        order = np.argsort(-sc, kind="stable")
        probs = _softmax(sc[order])
        ranked = [RankedCandidate(gaz.place(rows[int(k)]), float(p)) for k, p in zip(order, probs, strict=True)]
        out.append((c, ranked))
    return out


def _coherence(per: list[tuple[Candidate, list[int], np.ndarray]], gaz: Gazetteer) -> list[np.ndarray]:
    """Base scores plus how well each candidate sits with the other names' likely readings.

    A reading of one name scores by its nearness to the closest plausible reading of every other name
    (each weighted by how plausible that reading is), so namesakes that belong together find each other:
    "Lebanon" and "Boone County" pull each other to Indiana. The scoring is repeated (:data:`ROUNDS`) with
    the plausibilities updated, so small towns that lie together rise together ("Elkhart", "Anderson County"
    and "Palestine" in East Texas) even when each alone has a bigger namesake elsewhere.

    Nearness is the straight-line (chord) distance between geocentric coordinates from pyproj, which equals
    the geodesic distance to well under 1 % at the few hundred kilometres that matter here. Areas
    (countries, regions) lend no support (their point is only a label); a country is judged near what lies
    within :data:`AREA_SCALE_KM` of it, and never less near than its own towns of the same name; seas and
    rivers, long by nature, are never judged far.
    """
    keys: dict[tuple[str, tuple[int, ...]], int] = {}
    firsts: list[int] = []
    for i, (c, rows, _sc) in enumerate(per):
        if (c.key, tuple(rows)) not in keys:  # a name's mentions share its readings (unless "PARIS" vs "Paris")
            keys[(c.key, tuple(rows))] = len(firsts)
            firsts.append(i)
    if len(firsts) < 2:
        return [sc for _c, _rows, sc in per]
    n_groups = len(firsts)
    tops = [np.argsort(-per[i][2], kind="stable")[:_COHERENCE_TOP] for i in firsts]
    pts_rows = np.concatenate([np.asarray(per[i][1])[t] for i, t in zip(firsts, tops, strict=True)])
    owner = np.concatenate([np.full(len(t), gi) for gi, t in enumerate(tops)])
    starts = np.concatenate([[0], np.cumsum([len(t) for t in tops])[:-1]])  # each group's first point
    area = np.array([gaz.kind_of(int(r)) in _AREA_KINDS for r in pts_rows])
    xyz = gaz.ecef_km(int(r) for r in pts_rows)
    spatial_groups = [g for g in range(n_groups) if not area[owner == g].all()]
    r_areas = [np.array([gaz.kind_of(r) in _AREA_KINDS for r in per[i][1]]) for i in firsts]
    r_isos = [np.array([gaz.country_of(r) for r in per[i][1]]) for i in firsts]
    r_water = [np.array([gaz.kind_of(r) == "water" for r in per[i][1]]) for i in firsts]
    r_xyz = [gaz.ecef_km(per[i][1]) for i in firsts]
    # each group's nearness to every point is kept between rounds while that fits a memory budget (a normal
    # article); for a book-length text it is recomputed each round instead, so memory stays bounded
    keep = sum(len(per[i][1]) for i in firsts) * len(pts_rows) <= _KERNEL_BUDGET
    cache: dict[int, np.ndarray] = {}

    def kernel(gi: int) -> np.ndarray:
        if gi in cache:
            return cache[gi]
        dist = np.linalg.norm(r_xyz[gi][:, None, :] - xyz[None, :, :], axis=2).astype(np.float32)
        k = np.exp(-dist / np.float32(COHERENCE_SCALE_KM))
        ra = r_areas[gi]  # a country is near what lies within about a country's breadth of its point
        k[ra] = np.maximum(np.exp(-dist[ra] / np.float32(AREA_SCALE_KM)), np.float32(AREA_FLOOR))
        if keep:
            cache[gi] = k
        return k

    bonus = [np.zeros(len(per[i][1])) for i in firsts]
    for _round in range(ROUNDS):
        weight = np.concatenate(
            [_plausibility((per[i][2] + bonus[gi])[t]) for gi, (i, t) in enumerate(zip(firsts, tops, strict=True))]
        )
        new = []
        for gi in range(n_groups):
            if len(per[firsts[gi]][1]) < 2:
                new.append(bonus[gi])
                continue
            k = kernel(gi)
            support = k * weight[None, :]
            support[:, (owner == gi) | area] = 0.0
            best = np.maximum.reduceat(support, starts, axis=1)  # best support from each other name
            others = [g for g in spatial_groups if g != gi]
            prox = best[:, others].mean(axis=1) if others else np.zeros(k.shape[0])
            if r_water[gi].any():  # a sea or river is long: its point says nothing of how near it is
                prox[r_water[gi]] = prox.max()
            ra = r_areas[gi]
            if ra.any() and (~ra).any():  # a country is as near as the nearest of its own towns of that name
                isos = r_isos[gi]
                for j in np.flatnonzero(ra):
                    same = (~ra) & (isos == isos[j])
                    if same.any():
                        prox[j] = max(prox[j], prox[same].max())
            new.append(COHERENCE_WEIGHT * prox)
        bonus = new
    return [sc + bonus[keys[(c.key, tuple(rows))]] for c, rows, sc in per]


def _plausibility(sc: np.ndarray) -> np.ndarray:
    p = _softmax(sc)
    return (p / p.max()) ** PLAUS_POWER


def _softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp((x - x.max()) * 1.5)
    return z / z.sum()


def document_countries(rec: Recognised, gaz: Gazetteer) -> dict[str, float]:
    """Country weights the resolver used for this document (for explanations and tests)."""
    countries, _ = _context(rec, gaz)
    return dict(countries)
