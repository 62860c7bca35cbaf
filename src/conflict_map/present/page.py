"""The story as a presentation: one self-contained HTML page (Leaflet, its CSS and the basemap inlined).

:func:`render_story_html` inlines the installed ``static/`` assets with
:func:`conflict_map.export.html_map.inline_assets`; the page opens from a USB stick with no server and no
network. Arrow keys, Page Up/Down (presentation clickers), Space, Home/End, on-screen buttons, a step
counter, full screen (``F``).

The page is an autoescaped template (``templates/story.html``, see :mod:`conflict_map.view.render`):
everything that comes from the article or the teacher is HTML text, or JSON
(:func:`~conflict_map.view.render.script_json`) inside a ``<script type="application/json">`` block, which the
page's script puts into the document with ``textContent`` only.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup

from conflict_map.errors import UserError
from conflict_map.present.story import Story, bounds
from conflict_map.view.render import render_template


def presentation_data(story: Story) -> dict[str, Any]:
    """What the story page's script needs: the visible steps with their place numbers."""
    numbers = story.place_numbers()
    steps = []
    for s in story.visible_steps():
        d = s.to_dict()
        d.pop("hidden", None)
        d["number"] = numbers.get(s.id)
        steps.append(d)
    return {"title": story.title, "source": story.source, "steps": steps, "labels": country_labels(story)}


def country_labels(story: Story, margin_deg: float = 3.0) -> list[dict[str, Any]]:
    """Names and label points of the countries around the story's places (for the map), largest first.

    Empty when the boundary layers are not built: the map then shows unnamed polygons.
    """
    pts = [(s.place["lat"], s.place["lon"]) for s in story.visible_steps() if s.kind == "place" and s.place]
    b = bounds(pts, pad_deg=margin_deg)
    if b is None:
        return []
    try:
        from shapely.geometry import box

        from conflict_map.geo import boundaries

        countries = boundaries.load_countries()
        view = box(b[0][1], b[0][0], b[1][1], b[1][0])
        near = countries[countries.intersects(view)]
        out = []
        for _, row in near.iterrows():
            geom = row.geometry
            if geom is None or geom.is_empty or geom.area < 0.5:
                continue
            largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
            rp = largest.representative_point()
            out.append(
                {"name": str(row.get("name", "")), "lat": round(rp.y, 3), "lon": round(rp.x, 3), "area": largest.area}
            )
    except Exception:  # noqa: BLE001 - labels are a nicety
        return []
    out.sort(key=lambda d: -d["area"])
    return [{k: v for k, v in d.items() if k != "area"} for d in out]


def template_asset(name: str) -> Markup:
    """A script or style sheet of the package (``view/templates/``): our own code, inserted as is."""
    return Markup(resources.files("conflict_map.view").joinpath("templates", name).read_text(encoding="utf-8"))


#: The story page's script; it puts text in only through ``textContent`` and text nodes.
STORY_JS = str(template_asset("story.js"))


def story_page(story: Story) -> str:
    """The story page with its assets still linked to ``/app/static/`` (see :func:`render_story_html`)."""
    from conflict_map.view import offline

    return render_template(
        "story.html",
        title=story.title,
        vendor=f"{offline.STATIC_URL}/vendor/leaflet",
        css=template_asset("story.css"),
        js=template_asset("story.js"),
        data=presentation_data(story),
    )


#: The installed browser files a story needs (under ``static/``); the basemap GeoJSON is optional.
STORY_ASSETS = ("vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css")


def missing_story_assets(static_dir: Path | None = None) -> list[str]:
    """Files of :data:`STORY_ASSETS` missing from ``static_dir`` (empty when a story can be rendered)."""
    from conflict_map.view import offline

    root = static_dir or offline.STATIC_DIR
    return [f for f in STORY_ASSETS if not (root / f).is_file()]


def render_story_html(story: Story, static_dir: Path | None = None) -> str:
    """One self-contained HTML file: Leaflet, its CSS and the basemap inlined; no request at all.

    Raises :class:`UserError` when the browser assets are not installed (``make setup``) or when
    the story has no step to show.
    """
    from conflict_map.export.html_map import inline_assets
    from conflict_map.view import offline

    if not story.visible_steps():
        raise UserError("every step of the story is hidden: nothing to present")
    root = static_dir or offline.STATIC_DIR
    missing = missing_story_assets(root)
    if missing:
        raise UserError(f"the map's browser files are missing ({', '.join(missing)}): {offline.INSTALL_HINT}")
    return inline_assets(story_page(story), root)  # refuses a page that still loads anything remote


__all__ = [
    "STORY_ASSETS",
    "STORY_JS",
    "country_labels",
    "missing_story_assets",
    "presentation_data",
    "render_story_html",
    "story_page",
    "template_asset",
]
