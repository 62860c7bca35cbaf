"""Measuring a linked claim and judging it: tolerance by hedge, verdict, direction, explanation.

The linker (:mod:`conflict_map.claims.linking`) decides what a claim is about; the functions here
measure that (straight-line geodesic on WGS84, distance to the nearest point of a border, length of
a whole border) and write the verdict, the tolerance used and the notes a reader needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conflict_map.claims.model import CONSISTENT, DIFFERS, Claim
from conflict_map.geo.geodesy import DIRECTION_AZIMUTH, angle_difference, compass_name, distance
from conflict_map.models import Place

if TYPE_CHECKING:
    from conflict_map.geo.borders import BorderLine, NearestBorder

#: Relative tolerance and floor (km) by hedge kind: a bare figure must be closer than a hedged one.
TOLERANCE: dict[str, tuple[float, float]] = {
    "exact": (0.05, 1.0),
    "approx": (0.10, 2.0),
    "range": (0.05, 1.0),
    "more_than": (0.05, 1.0),
    "less_than": (0.05, 1.0),
    "nearly": (0.05, 1.0),
}
#: "nearly 100 km" accepts 85-105 km.
NEARLY_FLOOR = 0.85
#: Direction words are consistent with a bearing within this many degrees.
DIRECTION_TOLERANCE_DEG = 45.0
#: A claimed distance up to this multiple of the straight line may be a road distance.
ROAD_FACTOR_MAX = 1.6


def tolerance(c: Claim) -> float:
    """The tolerance (km) the claim's hedge earns: a share of the figure, at least a floor."""
    rel, floor = TOLERANCE[c.hedge_kind]
    return max(rel * c.value_km, floor)


def _rule(c: Claim, measured: float, tol: float) -> tuple[bool, str]:
    """Whether ``measured`` agrees with the claim under its hedge, and the rule applied, in words."""
    v = c.value_km
    kind = c.hedge_kind
    if kind == "range" and c.value_high_km is not None:
        ok = v - tol <= measured <= c.value_high_km + tol
        rule = f"the stated range {v:.0f}-{c.value_high_km:.0f} km ± {tol:.1f} km"
    elif kind == "more_than":
        ok = measured >= v - tol
        rule = f"'{c.hedge}': at least {v - tol:.1f} km (5% margin)"
    elif kind == "less_than":
        ok = measured <= v + tol
        rule = f"'{c.hedge}': at most {v + tol:.1f} km (5% margin)"
    elif kind == "nearly":
        ok = NEARLY_FLOOR * v <= measured <= v + tol
        rule = f"'{c.hedge}': between {NEARLY_FLOOR * v:.1f} and {v + tol:.1f} km"
    else:
        ok = abs(v - measured) <= tol
        why = f"hedged with '{c.hedge}'" if kind == "approx" else "a bare figure"
        pct = int(TOLERANCE[kind][0] * 100)
        rule = f"within ±{tol:.1f} km ({pct}% for {why})"
    return ok, rule


def judge(c: Claim, measured: float, *, road_possible: bool) -> None:
    """Set measured/diff/verdict/explanation from a measured figure."""
    c.measured_km = measured
    tol = tolerance(c)
    c.tolerance_km = tol
    v = c.value_km
    c.diff_km = v - measured
    c.diff_pct = (v - measured) / measured * 100.0 if measured > 0 else None
    if c.hedge_kind == "range" and c.value_high_km is not None:
        c.diff_km = 0.0 if v <= measured <= c.value_high_km else min(v - measured, c.value_high_km - measured, key=abs)
        c.diff_pct = c.diff_km / measured * 100.0 if measured > 0 else None
    ok, rule = _rule(c, measured, tol)
    c.verdict = CONSISTENT if ok else DIFFERS
    diff = f"{c.diff_km:+.1f} km" + (f" ({c.diff_pct:+.1f}%)" if c.diff_pct is not None else "")
    head = f"Claimed {c.stated()}; measured {measured:.1f} km"
    c.explanation = f"{head}; difference {diff}. Tolerance: {rule}: {c.verdict}."
    if road_possible and not ok and measured > 0 and v > measured and v / measured <= ROAD_FACTOR_MAX:
        c.notes.append(
            f"The claimed figure is {v / measured:.2f} times the straight line: it may be a road distance "
            "(roads are typically 20-40% longer than the straight line)."
        )


def check_direction(c: Claim, ref: Place, other: Place) -> None:
    """``other`` lies ``c.direction`` of ``ref``: compare with the bearing from ``ref`` to ``other``."""
    d = distance(ref.lat, ref.lon, other.lat, other.lon)
    c.bearing = d.azimuth
    want = DIRECTION_AZIMUTH[c.direction]
    off = angle_difference(d.azimuth, want)
    c.direction_ok = off <= DIRECTION_TOLERANCE_DEG
    word = compass_name(d.azimuth)
    state = "consistent" if c.direction_ok else "inconsistent"
    c.notes.append(
        f"Direction: the text says {other.name} lies {c.direction} of {ref.name}; the bearing from "
        f"{ref.name} is {d.azimuth:.0f}° ({word}), {off:.0f}° off {c.direction}: {state} "
        f"(tolerance ±{DIRECTION_TOLERANCE_DEG:.0f}°)."
    )
    if not c.direction_ok and c.verdict == CONSISTENT:
        c.verdict = DIFFERS
        c.explanation += " The stated direction does not match the bearing."


def judge_distance(c: Claim, ref: Place, other: Place, *, road_mentioned: bool, reference_explicit: bool) -> None:
    """Measure the straight line from ``ref`` to ``other`` and judge the claim; check a stated direction.

    ``road_mentioned``: the sentence speaks of a road or journey. ``reference_explicit``: ``ref`` was
    written after the figure ("150 km north *of Baghdad*"), so a stated direction can be checked.
    """
    d = distance(ref.lat, ref.lon, other.lat, other.lon)
    c.bearing = d.azimuth
    judge(c, d.km, road_possible=True)
    c.notes.insert(0, "Straight-line (geodesic, WGS84) distance between the places' coordinates; a road is longer.")
    if road_mentioned:
        c.notes.append("The sentence mentions a road or journey: a road distance is longer than the straight line.")
    if c.direction and c.direction in DIRECTION_AZIMUTH:
        if reference_explicit:
            check_direction(c, ref, other)
        else:
            c.notes.append(f"Direction '{c.direction}' not checked: the reference place is not explicit.")


def judge_border_distance(c: Claim, nb: NearestBorder) -> None:
    """Judge a place-to-border distance against the distance to the border's nearest point."""
    judge(c, nb.distance_km, road_possible=False)
    c.notes.append(f"Measured to the nearest point of the {nb.label} border ({nb.lat:.4f}, {nb.lon:.4f}).")


def judge_border_length(c: Claim, border: BorderLine) -> None:
    """Judge a border length against the whole land border between the two countries."""
    judge(c, border.length_km, road_possible=False)
    c.notes.append(
        f"Compared with the whole {border.label} land border ({border.length_km:.1f} km along the "
        "Natural Earth 1:10m line, geodesic). If the text means only a section of it "
        "('the border area here'), the section is shorter."
    )
    if c.verdict == DIFFERS and c.value_km > border.length_km:
        c.notes.append(
            "Border lengths depend on the map scale: figures measured on detailed maps (e.g. official ones) "
            "are often 5-20% longer than on 1:10m data where the border follows a river or mountain ridge."
        )
