"""The map's behaviour beyond drawing: legend, label decluttering, town labels, editing hooks, the shared view.

* :class:`MapBehaviour` (once per map): a legend control listing only the symbols drawn (:func:`legend_html`),
  labels that keep clear of the pins (town and province labels hide, area names shift, when they would
  cover a pin or a measured line's label), the editing hooks (drag a pin, click the map) and, on a shareable
  page, the map's view kept in the page address (``view=lat,lon,zoom``) without a rerun.
* :class:`TownLabels`: names of the larger towns (the context layer of :mod:`conflict_map.view.layers`),
  by rank as the reader zooms in, never over a place of the article.
* :class:`LegendExtra` and :class:`EditState` go into the overlay group that changes on clicks.

Editing events reach Python through streamlit-folium's ``last_active_drawing`` value: a GeoJSON point whose
properties are ``{"cm": "move" | "click", "place": id, "n": unique}`` (see :func:`edit_event`). Every string in
the scripts is :func:`~conflict_map.view.render.script_json`; the legend is an autoescaped template.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from folium.template import Template

from conflict_map.view.render import SafeMacroElement, render_macro, script_json

LatLon = tuple[float, float]

#: Legend entries: key -> (swatch class, colour, text). Only the entries of symbols actually drawn are shown.
LEGEND: dict[str, tuple[str, str, str]] = {
    "town": ("pin", "#c0392b", "town, village"),
    "base": ("square", "#1f4e9c", "air base, airfield"),
    "crossing": ("diamond", "#7b3fa0", "border crossing"),
    "landmark": ("square", "#0f7b6c", "dam, landmark"),
    "uncertain": ("uncertain", "#222", "uncertain reading"),
    "far": ("far", "#b3261e", "far from the others: check it"),
    "country": ("area", "#2d6a2d", "country named"),
    "province": ("area-dashed", "#b36b00", "province named"),
    "river": ("line", "#1f6fb5", "river named"),
    "label": ("text", "#1f5f9e", "sea or region (name only)"),
    "rivers": ("thin", "#7fb3de", "rivers"),
    "towns": ("dot", "#555", "larger towns"),
    "provinces": ("dashed", "#c9a25e", "province borders"),
    "borders": ("dashdot", "#6b5b73", "international borders"),
    "distance": ("dashed", "#c0392b", "distance measured"),
    "border": ("line", "#ff7b00", "border the article discusses"),
    "claim_ok": ("line", "#1e7b34", "claim measured: consistent"),
    "claim_bad": ("line", "#b3261e", "claim measured: differs"),
    "claim": ("line", "#555", "claim measured"),
}
#: Town label rank -> the zoom from which it shows.
TOWN_MIN_ZOOM = {1: 0, 2: 6, 3: 7, 4: 8}


def legend_items(keys: Iterable[str]) -> list[tuple[str, str, str]]:
    """(swatch, colour, text) of the known legend keys, in :data:`LEGEND` order, each once."""
    wanted = set(keys)
    return [LEGEND[k] for k in LEGEND if k in wanted]


def legend_html(keys: Iterable[str]) -> str:
    """The legend control's HTML (autoescaped template): the drawn symbols and an empty list for overlays."""
    return render_macro("map.html", "legend", legend_items(keys))


def legend_extra_html(keys: Iterable[str]) -> str:
    """Legend lines for what the overlay group draws (a measured distance, a border, a claim)."""
    return render_macro("map.html", "legend_lines", legend_items(keys))


def edit_event(value: Any) -> dict[str, Any] | None:
    """The editing event in a streamlit-folium value, or None.

    ``{"cm": "move" | "click", "place": str, "n": str, "lat": float, "lon": float}``: a pin dragged to a new
    place, or a click on the map while editing. Anything malformed is None.
    """
    if not isinstance(value, Mapping):
        return None
    feat = value.get("last_active_drawing")
    if not isinstance(feat, Mapping):
        return None
    props, geom = feat.get("properties"), feat.get("geometry")
    if not isinstance(props, Mapping) or not isinstance(geom, Mapping) or props.get("cm") not in ("move", "click"):
        return None
    coords = geom.get("coordinates")
    try:
        lon, lat = float(coords[0]), float(coords[1])  # type: ignore[index]
    except (TypeError, ValueError, IndexError, KeyError):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return {
        "cm": str(props["cm"]),
        "place": str(props.get("place") or "")[:200],
        "n": str(props.get("n") or "")[:64],
        "lat": lat,
        "lon": lon,
    }


class MapBehaviour(SafeMacroElement):
    """Legend, decluttered labels, editing hooks and the view in the page address (see the module docstring).

    The code is ``cmMap.behaviour`` in ``templates/map.js`` (a static file the browser caches); this element
    only passes the map its settings. With ``preview`` a click on a place shows it selected at once: the pin, and
    (a ``cm:select`` event on the page) the text panel's mentions and the place list, before the page's run.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        cmMap.behaviour({{ this._parent.get_name() }}, {{ this.js_cfg }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        legend: Iterable[str],
        *,
        share: bool = False,
        restored: bool = False,
        collapse_below: int = 480,
        preview: bool = False,
    ) -> None:
        super().__init__()
        self._name = "MapBehaviour"
        cfg = {
            "legend": legend_html(legend),
            "share": share,
            "restored": restored,
            "collapse": collapse_below,
            "preview": preview,
        }
        self.js_cfg = script_json(cfg)


class TownLabels(SafeMacroElement):
    """Names of the larger towns from a towns GeoJSON (``name``, ``rank``, ``id``), none over an article's place.

    Towns whose id is in ``skip`` or that lie within ~3 km of a pin are left out (the article's own places
    have pins); the others show by rank as the reader zooms in (:data:`TOWN_MIN_ZOOM`) and hide where they
    would cover a pin or a label (``cmMap.towns`` in ``templates/map.js``). The file is fetched by a literal
    ``fetch(url)``, so the standalone HTML export can serve it from the page itself.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        cmMap.towns({{ this._parent.get_name() }}, fetch({{ this.js_url }}), {{ this.js_skip }}, {{ this.js_pins }},
                    {{ this.js_minz }});
        {% endmacro %}
        """
    )

    def __init__(self, url: str, skip: Iterable[str] = (), pins: Sequence[LatLon] = ()) -> None:
        super().__init__()
        self._name = "TownLabels"
        self.js_url = script_json(url)
        self.js_skip = script_json(sorted({str(s) for s in skip}))
        self.js_pins = script_json([[round(float(a), 4), round(float(b), 4)] for a, b in pins])
        self.js_minz = script_json({str(k): v for k, v in TOWN_MIN_ZOOM.items()})


class LegendExtra(SafeMacroElement):
    """Puts the legend lines of the overlay group's drawings into the legend (empty when nothing is drawn)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (window.cmLegendExtra) { window.cmLegendExtra({{ this.js_html }}); }
        {% endmacro %}
        """
    )

    def __init__(self, keys: Iterable[str]) -> None:
        super().__init__()
        self._name = "LegendExtra"
        self.js_html = script_json(legend_extra_html(keys))


class EditState(SafeMacroElement):
    """The editing mode of the map: ``off``, ``move`` (pins can be dragged, a map click moves the selected one)
    or ``place`` (a map click places a new place); ``hint`` is shown on the map as text."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (window.cmSetEdit) { window.cmSetEdit({{ this.js_state }}); }
        {% endmacro %}
        """
    )

    def __init__(self, mode: str = "off", hint: str = "") -> None:
        super().__init__()
        self._name = "EditState"
        self.js_state = script_json({"mode": mode if mode in ("off", "move", "place") else "off", "hint": hint})
