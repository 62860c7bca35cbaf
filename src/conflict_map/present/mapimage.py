"""The hand-out's map image: the story's visible places, numbered, and the claim lines, as a PNG.

Drawn offline with matplotlib from the Natural Earth 1:10m country polygons
(:func:`conflict_map.geo.boundaries.load_countries`); without them, only the places and lines. A marker that
would cover another moves aside with a leader line to the true place; each label takes the free-most of
eight spots around its marker. Text is drawn with ``parse_math=False``: a ``$`` in a name is a dollar sign.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from conflict_map.present.story import WIDE_KINDS, Story, StoryStep

LatLon = tuple[float, float]
#: (x, y) = (lon, lat) of a point on the map.
XY = tuple[float, float]
#: (west, east, south, north) in degrees.
Extent = tuple[float, float, float, float]
#: (x0, x1, y0, y1) of a label or marker, in map units.
Box = tuple[float, float, float, float]
#: Where a label goes: x, y and its horizontal alignment.
Spot = tuple[float, float, str]
VERDICT_COLOURS = {"consistent": "#0d6b2f", "differs": "#b3261e"}


def _plot_extent(points: Sequence[LatLon], min_span: float = 1.5) -> Extent:
    """(west, east, south, north) around ``points`` with a margin, at least ``min_span`` degrees wide."""
    if not points:
        return (25.0, 50.0, 25.0, 42.0)
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    w, e, s, n = min(lons), max(lons), min(lats), max(lats)
    cx, cy = (w + e) / 2, (s + n) / 2
    span_x = max(e - w, min_span) * 1.25 + 0.4
    span_y = max(n - s, min_span * 0.6) * 1.25 + 0.4
    return (cx - span_x / 2, cx + span_x / 2, max(-89.0, cy - span_y / 2), min(89.0, cy + span_y / 2))


def letter(i: int) -> str:
    """A, B, ..., Z, AA, AB, ... for the distance table."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _extent_points(place_steps: list[StoryStep], claim_steps: list[StoryStep]) -> list[LatLon]:
    """The points the map must show: places (countries only when there is nothing else) and claim lines."""
    pts = [(s.place["lat"], s.place["lon"]) for s in place_steps if s.place and s.place.get("kind") not in WIDE_KINDS]
    pts = pts or [(s.place["lat"], s.place["lon"]) for s in place_steps if s.place]
    for s in claim_steps:
        assert s.claim is not None
        if s.claim.get("kind") != "length":
            pts += [(la, lo) for line in s.claim.get("lines", []) for la, lo in line]
    return pts


def _draw_countries(ax: Any, ext: Extent) -> None:
    """Country polygons around the extent and the names of those whose label point is inside it."""
    w, e, so, no = ext
    try:
        from shapely.geometry import box

        from conflict_map.geo import boundaries

        countries = boundaries.load_countries()
        view = box(w - 1, so - 1, e + 1, no + 1)
        near = countries[countries.intersects(view)].copy()
        near["geometry"] = near.geometry.intersection(view)
        near.plot(ax=ax, color="#f4f1e8", edgecolor="#555555", linewidth=0.9)
        for _, row in near.iterrows():
            geom = row.geometry
            if geom.is_empty or geom.area < 0.6:
                continue
            rp = geom.representative_point()
            if w < rp.x < e and so < rp.y < no:
                ax.text(
                    rp.x,
                    rp.y,
                    str(row.get("name", "")).upper(),
                    ha="center",
                    va="center",
                    fontsize=11,
                    color="#8a8a8a",
                    fontweight="bold",
                    alpha=0.9,
                    parse_math=False,
                )
    except Exception:  # noqa: BLE001 - boundaries not built: the places and lines still print
        pass


def _draw_claims(ax: Any, claim_steps: list[StoryStep]) -> None:
    """Each claim's lines in its verdict's colour (a border solid, a distance dashed) and its letter."""
    for i, s in enumerate(claim_steps):
        assert s.claim is not None
        colour = VERDICT_COLOURS.get(s.claim.get("verdict", ""), "#555555")
        for line in s.claim.get("lines", []):
            ys = [p[0] for p in line]
            xs = [p[1] for p in line]
            ax.plot(
                xs,
                ys,
                color=colour,
                linewidth=2.2,
                linestyle="-" if s.claim.get("kind") == "length" else "--",
                zorder=3,
            )
        lines = s.claim.get("lines") or []
        if lines and lines[0]:
            mid = lines[0][len(lines[0]) // 2]
            ax.text(
                mid[1],
                mid[0],
                letter(i),
                fontsize=12,
                fontweight="bold",
                color="white",
                zorder=6,
                ha="center",
                va="center",
                bbox={"boxstyle": "round,pad=0.25", "facecolor": colour, "edgecolor": "white"},
            )


def _label_box(o: Spot, lw: float, lh: float) -> Box:
    """The box a label ``lw`` wide and ``lh`` high takes at spot ``o``."""
    x_left = o[0] if o[2] == "left" else o[0] - lw if o[2] == "right" else o[0] - lw / 2
    return (x_left, x_left + lw, o[1] - lh / 2, o[1] + lh / 2)


def _label_spot(
    x: float,
    y: float,
    size: tuple[float, float],
    cell: tuple[float, float],
    boxes: list[Box],
    taken: list[XY],
    ext: Extent,
) -> Spot:
    """The free-most of eight spots around the marker at (x, y) for a label of ``size`` (width, height).

    Cost: overlap with the labels placed so far (``boxes``) and with the other markers and claim letters
    (``taken``, as boxes of ``cell`` = (dx, dy) units), plus ten times any part outside the map.
    """
    (lw, lh), (dx, dy) = size, cell
    w, e, so, no = ext
    ox = 1.3 * dx
    options: list[Spot] = [
        (x + ox, y, "left"),
        (x - ox, y, "right"),
        (x, y + 1.7 * dy, "center"),
        (x, y - 1.7 * dy, "center"),
        (x + ox, y + dy, "left"),
        (x + ox, y - dy, "left"),
        (x - ox, y + dy, "right"),
        (x - ox, y - dy, "right"),
    ]
    others = boxes + [
        (a - 1.15 * dx, a + 1.15 * dx, b - 1.15 * dy, b + 1.15 * dy) for a, b in taken if (a, b) != (x, y)
    ]

    def cost(o: Spot) -> float:
        bx0, bx1, by0, by1 = _label_box(o, lw, lh)
        total = 0.0
        for r in others:
            total += max(0.0, min(bx1, r[1]) - max(bx0, r[0])) * max(0.0, min(by1, r[3]) - max(by0, r[2]))
        outside = max(0.0, w - bx0) + max(0.0, bx1 - e) + max(0.0, so - by0) + max(0.0, by1 - no)
        return total + outside * lh * 10

    return min(options, key=cost)


def _draw_places(ax: Any, story: Story, shown: list[StoryStep], taken: list[XY], ext: Extent, halo: list) -> None:
    """Numbered markers (moved aside when they would cover one another) and their labels."""
    w, e, so, no = ext
    numbers = story.place_numbers()
    dx, dy = (e - w) * 0.016, (no - so) * 0.02
    drawn: list[XY] = []
    boxes: list[Box] = []
    for s in shown:
        assert s.place is not None
        x0, y0 = x, y = s.place["lon"], s.place["lat"]
        n = numbers.get(s.id)
        if n is None:  # an area (country, province, river, sea): its name in italics, not a numbered pin
            ax.text(x, y, s.title, ha="center", va="center", fontsize=10, style="italic", color="#444", zorder=5)
            continue
        # a marker that would cover another one moves aside, with a leader line to the true place
        for _ in range(8):
            if all(math.hypot((x - a) / dx, (y - b) / dy) >= 1.6 for a, b in drawn):
                break
            x, y = x + 1.3 * dx, y - 1.3 * dy
        if (x, y) != (x0, y0):
            ax.plot([x0, x], [y0, y], color="black", linewidth=1, zorder=6)
            ax.scatter([x0], [y0], s=14, c="black", zorder=6)
            taken.append((x, y))
        drawn.append((x, y))
        ax.scatter([x], [y], s=380, c="white", edgecolors="black", linewidths=1.8, zorder=7)
        ax.text(x, y, str(n), ha="center", va="center", fontsize=10, fontweight="bold", zorder=8)
        # the label: ~0.0085 of the map's width per character
        size = (len(s.title) * (e - w) * 0.0085, dy * 1.15)
        best = _label_spot(x, y, size, (dx, dy), boxes, taken, ext)
        boxes.append(_label_box(best, *size))
        lx, ly, ha = best
        ax.text(lx, ly, s.title, fontsize=10, ha=ha, va="center", zorder=8, path_effects=halo, parse_math=False)


def _taken_points(shown: list[StoryStep], claim_steps: list[StoryStep]) -> list[XY]:
    """(x, y) of the place markers and of the claim letters: labels keep clear of them."""
    taken: list[XY] = [(s.place["lon"], s.place["lat"]) for s in shown if s.place]
    for s in claim_steps:
        first = ((s.claim or {}).get("lines") or [[]])[0]
        if first:
            taken.append((first[len(first) // 2][1], first[len(first) // 2][0]))
    return taken


def render_map_png(story: Story, *, width_in: float = 9.0, dpi: int = 150) -> bytes:
    """A PNG map of the story's visible places, numbered as in the hand-out, with the claim lines.

    Drawn offline with matplotlib from the Natural Earth 1:10m country polygons
    (:func:`conflict_map.geo.boundaries.load_countries`); without them, only the places and lines.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import patheffects

    visible = story.visible_steps()
    place_steps = [s for s in visible if s.kind == "place" and s.place]
    claim_steps = [s for s in visible if s.kind == "claim" and s.claim]
    ext = w, e, so, no = _plot_extent(_extent_points(place_steps, claim_steps))
    aspect = 1 / max(0.2, math.cos(math.radians((so + no) / 2)))
    height_in = min(width_in * 1.25, max(4.0, width_in * (no - so) * aspect / (e - w)))
    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=dpi)
    ax.set_facecolor("#dbe9f4")
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    _draw_countries(ax, ext)
    _draw_claims(ax, claim_steps)
    shown = [s for s in place_steps if s.place and w <= s.place["lon"] <= e and so <= s.place["lat"] <= no]
    _draw_places(ax, story, shown, _taken_points(shown, claim_steps), ext, halo)
    ax.set_xlim(w, e)
    ax.set_ylim(so, no)
    ax.set_aspect(aspect)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.text(
        0.99,
        0.01,
        "Natural Earth \u00b7 GeoNames (CC BY 4.0)",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=6.5,
        color="#444444",
        path_effects=halo,
    )
    fig.subplots_adjust(left=0.005, right=0.995, bottom=0.005, top=0.995)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()


__all__ = ["letter", "render_map_png"]
