"""Coherence: a reading scores by how near it lies to the likely readings of the article's other names.

A reading of one name scores by its nearness to the closest plausible reading of every other name (each
weighted by how plausible that reading is), so namesakes that belong together find each other: "Lebanon"
and "Boone County" pull each other to Indiana. The scoring is repeated (``rounds``) with the plausibilities
updated, so small towns that lie together rise together ("Elkhart", "Anderson County" and "Palestine" in
East Texas) even when each alone has a bigger namesake elsewhere.

Nearness is the straight-line (chord) distance between geocentric coordinates from pyproj, which equals the
geodesic distance to well under 1 % at the few hundred kilometres that matter here. Areas (countries,
regions) lend no support (their point is only a label); a country is judged near what lies within
``area_scale_km`` of it, and never less near than its own towns of the same name; seas and rivers, long by
nature, are never judged far. The parameters are the ``resolver`` section of ``geoparse/weights.json``.
"""

from __future__ import annotations

import itertools

import numpy as np

from conflict_map.gazetteer.index import Gazetteer
from conflict_map.geoparse.recognise import Candidate

_COHERENCE_TOP = 20
_KERNEL_BUDGET = 20_000_000  # float32 entries (80 MB) of nearness kept between coherence rounds
AREA_KINDS = frozenset({"continent", "country", "region"})  # their point says little of nearness
_WATER = frozenset({"water"})

Scored = tuple[Candidate, list[int], np.ndarray]  # a mention, its readings, their base scores
# the reductions behind ``ndarray.max``/``sum``, called directly: an article makes hundreds of such calls on a few
# numbers each, where the methods' Python wrappers cost more than the work
_max, _sum = np.maximum.reduce, np.add.reduce


def softmax(x: np.ndarray) -> np.ndarray:
    """Probabilities of the readings from their scores (temperature 1/1.5)."""
    z = np.exp((x - _max(x)) * 1.5)
    return z / _sum(z)


def plausibility(sc: np.ndarray, power: float) -> np.ndarray:
    """How much each reading counts as support for the others (the likeliest counts fully)."""
    p = softmax(sc)
    return (p / _max(p)) ** power


def _split(a: np.ndarray, bounds: list[tuple[int, int]]) -> list[np.ndarray]:
    """The parts ``a[start:end]`` of ``a`` (views)."""
    return [a[lo:hi] for lo, hi in bounds]


class _Groups:
    """The article's distinct names (a name's mentions share its readings, unless "PARIS" vs "Paris")."""

    def __init__(
        self,
        per: list[Scored],
        gaz: Gazetteer,
        params: dict[str, float],
        keys: dict[tuple[str, tuple[int, ...]], int],
        firsts: list[int],
    ) -> None:
        self.keys, self.firsts, self.per, self.params = keys, firsts, per, params
        self.tops = [np.argsort(-per[i][2], kind="stable")[:_COHERENCE_TOP] for i in firsts]
        rows = [np.asarray(per[i][1], dtype=np.int64) for i in firsts]
        # what the readings of every group are, looked up for all of them at once and split by group
        bounds = list(itertools.pairwise(itertools.accumulate((len(r) for r in rows), initial=0)))
        every = np.concatenate(rows)
        self.r_areas = _split(gaz.is_kind(every, AREA_KINDS), bounds)
        self.r_isos = _split(gaz.countries_of(every), bounds)
        self.r_water = _split(gaz.is_kind(every, _WATER), bounds)
        self.r_xyz = _split(gaz.ecef_km(every), bounds)
        self.owner = np.concatenate([np.full(len(t), gi) for gi, t in enumerate(self.tops)])
        self.starts = np.concatenate([[0], np.cumsum([len(t) for t in self.tops])[:-1]])  # each group's first point
        self.area = np.concatenate([a[t] for a, t in zip(self.r_areas, self.tops, strict=True)])
        self.xyz = np.concatenate([x[t] for x, t in zip(self.r_xyz, self.tops, strict=True)])
        ends = self.starts + [len(t) for t in self.tops]
        self.spatial = [g for g in range(len(firsts)) if not self.area[self.starts[g] : ends[g]].all()]
        # each group's nearness to every point is kept between rounds while that fits a memory budget (a normal
        # article); for a book-length text it is recomputed each round instead, so memory stays bounded
        self.keep = len(every) * len(self.xyz) <= _KERNEL_BUDGET
        self.cache: dict[int, np.ndarray] = {}
        self._fixed: dict[int, tuple[np.ndarray, list[int], bool, bool]] = {}

    def kernel(self, gi: int) -> np.ndarray:
        """Nearness (0..1) of each reading of group ``gi`` to every point of every group."""
        if gi in self.cache:
            return self.cache[gi]
        dist = np.linalg.norm(self.r_xyz[gi][:, None, :] - self.xyz[None, :, :], axis=2).astype(np.float32)
        k = np.exp(-dist / np.float32(self.params["coherence_scale_km"]))
        ra = self.r_areas[gi]  # a country is near what lies within about a country's breadth of its point
        k[ra] = np.maximum(
            np.exp(-dist[ra] / np.float32(self.params["area_scale_km"])), np.float32(self.params["area_floor"])
        )
        if self.keep:
            self.cache[gi] = k
        return k

    def fixed(self, gi: int) -> tuple[np.ndarray, list[int], bool, bool]:
        """What :meth:`nearness` needs of group ``gi`` in every round, computed in the first: the points that lend
        it no support (its own, areas), the other names that can, whether it has seas or rivers among its
        readings, whether it has both areas and other places."""
        found = self._fixed.get(gi)
        if found is None:
            ra = self.r_areas[gi]
            found = (
                (self.owner == gi) | self.area,
                [g for g in self.spatial if g != gi],
                bool(self.r_water[gi].any()),
                bool(ra.any() and (~ra).any()),
            )
            self._fixed[gi] = found
        return found

    def nearness(self, gi: int, weight: np.ndarray) -> np.ndarray:
        """Mean over the other names of the best weighted support each reading of ``gi`` gets from them."""
        k = self.kernel(gi)
        mask, others, water, mixed = self.fixed(gi)
        support = k * np.where(mask, 0.0, weight)[None, :]  # nearness is never negative: k x 0 is 0
        best = np.maximum.reduceat(support, self.starts, axis=1)  # best support from each other name
        # the mean over the other names (``mean`` is this sum and division, behind a slower wrapper)
        prox = _sum(best[:, others], axis=1) / len(others) if others else np.zeros(k.shape[0])
        if water:  # a sea or river is long: its point says nothing of how near it is
            prox[self.r_water[gi]] = prox.max()
        ra = self.r_areas[gi]
        if mixed:  # a country is as near as the nearest of its own towns of that name
            isos = self.r_isos[gi]
            for j in np.flatnonzero(ra):
                same = (~ra) & (isos == isos[j])
                if same.any():
                    prox[j] = max(prox[j], prox[same].max())
        return prox


def coherence(per: list[Scored], gaz: Gazetteer, params: dict[str, float], *, enabled: bool = True) -> list[np.ndarray]:
    """Base scores plus ``coherence_weight`` x how well each reading sits with the other names' likely readings."""
    keys: dict[tuple[str, tuple[int, ...]], int] = {}
    firsts: list[int] = []
    for i, (c, rows, _sc) in enumerate(per):
        if (c.key, tuple(rows)) not in keys:
            keys[(c.key, tuple(rows))] = len(firsts)
            firsts.append(i)
    if not enabled or len(firsts) < 2:
        return [sc for _c, _rows, sc in per]
    g = _Groups(per, gaz, params, keys, firsts)
    power, w = params["plausibility_power"], params["coherence_weight"]
    bonus = [np.zeros(len(per[i][1])) for i in g.firsts]
    for _round in range(int(params["rounds"])):
        pairs = enumerate(zip(g.firsts, g.tops, strict=True))
        weight = np.concatenate([plausibility((per[i][2] + bonus[gi])[t], power) for gi, (i, t) in pairs])
        bonus = [
            bonus[gi] if len(per[g.firsts[gi]][1]) < 2 else w * g.nearness(gi, weight) for gi in range(len(g.firsts))
        ]
    return [sc + bonus[g.keys[(c.key, tuple(rows))]] for c, rows, sc in per]
