"""The dashboard's shareable link: which article, which pair is measured, which place or claim is selected, and
the map's view.

``?article=corpus:12&from=92138&to=icao:ORAA&place=98182&claim=2&view=34.1200,41.5000,8``. The page writes
``article``, ``from``, ``to``, ``place`` and ``claim`` on every run (:func:`encode_state`); the map itself keeps
``view`` current as the reader pans and zooms (:class:`conflict_map.view.controls.MapBehaviour`), so
moving the map costs no rerun. Everything read back is checked (:func:`decode_link`): an unknown or malformed
value is dropped, never trusted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: Query parameters the page owns (``view`` belongs to the map; see the module docstring).
PAGE_KEYS = ("article", "from", "to", "place", "claim")


@dataclass(frozen=True, slots=True)
class LinkState:
    """What a shared link asks for."""

    article: str = ""
    pair: tuple[str | None, str | None] = (None, None)
    place: str | None = None
    claim: int | None = None
    view: tuple[float, float, int] | None = None


def _one(params: Mapping[str, Any], key: str) -> str | None:
    v = params.get(key)
    if isinstance(v, list):
        v = v[0] if v else None
    v = str(v).strip() if v is not None else None
    return v[:200] if v else None


def parse_view(value: str | None) -> tuple[float, float, int] | None:
    """``"34.12,41.5,8"`` -> (34.12, 41.5, 8); None unless it is a real latitude, longitude and zoom 2-18."""
    m = re.fullmatch(r"\s*(-?\d{1,2}(?:\.\d+)?),\s*(-?\d{1,3}(?:\.\d+)?),\s*(\d{1,2})\s*", value or "")
    if not m:
        return None
    lat, lon, zoom = float(m.group(1)), float(m.group(2)), int(m.group(3))
    if not (math.isfinite(lat) and -90 <= lat <= 90 and -180 <= lon <= 180 and 2 <= zoom <= 18):
        return None
    return (lat, lon, zoom)


def decode_link(params: Mapping[str, Any]) -> LinkState:
    """The link's state; values are only shape-checked here (the page checks ids against the article)."""
    claim = _one(params, "claim")
    return LinkState(
        article=_one(params, "article") or "",
        pair=(_one(params, "from"), _one(params, "to")),
        place=_one(params, "place"),
        claim=int(claim) if claim and claim.isdigit() and len(claim) <= 4 else None,
        view=parse_view(_one(params, "view")),
    )


def encode_state(
    article: str,
    pair: tuple[str | None, str | None],
    *,
    place: str | None = None,
    claim: int | None = None,
    view: str | None = None,
) -> dict[str, str]:
    """Query parameters for the page's state (empty values dropped); ``view`` is passed through as it is."""
    q = {
        "article": article,
        "from": pair[0] or "",
        "to": pair[1] or "",
        "place": place or "",
        "claim": "" if claim is None else str(int(claim)),
        "view": view or "",
    }
    return {k: v for k, v in q.items() if v}


def decode_state(params: Mapping[str, Any]) -> tuple[str, tuple[str | None, str | None]]:
    """(article id, (from id, to id)) from query parameters; unknown values are kept for the caller."""
    link = decode_link(params)
    return link.article, link.pair


def same_page_state(current: Mapping[str, Any], wanted: Mapping[str, str]) -> bool:
    """True when the address already holds ``wanted`` for the page's own keys (the map's ``view`` aside)."""
    return all(_one(current, k) == wanted.get(k) for k in PAGE_KEYS)
