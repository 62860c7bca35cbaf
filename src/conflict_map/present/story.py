"""Map stories for the classroom: an article turned into steps a teacher presents.

A :class:`Story` is built from the geoparser's :class:`~conflict_map.models.ParseResult`
(:func:`build_story`):

1. a title step (the article's title, the number of places and checks; the map shows every place),
2. one step per distinct place in reading order, with the sentence(s) about it (the place names
   highlighted, :mod:`conflict_map.present.passages`) and a map view that flies to the place,
3. one step per checked distance or length claim, with the measured line (geodesic, or the border
   itself), what the article says, what was measured and the verdict.

The teacher reorders, hides and annotates steps (:meth:`Story.move`, :meth:`Story.set_hidden`,
:meth:`Story.set_note`); :meth:`Story.layout` is the small JSON-ready record of those choices that is
kept with the article (:mod:`conflict_map.present.layout_store`) and re-applied to a freshly built story with
:meth:`Story.apply_layout`.

Renderings live next door: the self-contained presentation page (:mod:`conflict_map.present.page`), the
printable hand-out (:mod:`conflict_map.present.handout`) and its map image (:mod:`conflict_map.present.mapimage`).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from conflict_map.errors import UserError
from conflict_map.models import Mention, ParseResult, Place
from conflict_map.present.passages import headline_and_lead, passages, squash
from conflict_map.view.areas import AREA_KINDS

StepKind = Literal["title", "place", "claim"]
STEP_KINDS: tuple[str, ...] = ("title", "place", "claim")

#: Distinct sentences shown on a place step (the first ones, in reading order).
MAX_SENTENCES = 3
#: Longest teacher's note kept (characters).
MAX_NOTE_CHARS = 2000
#: Longest title kept (characters).
MAX_TITLE_CHARS = 300
#: Map zoom for a place step by place kind (Leaflet zoom levels).
KIND_ZOOM: dict[str, float] = {  # close enough to see the place, wide enough to see its neighbours
    "continent": 3,
    "country": 5.5,
    "province": 6.5,
    "region": 6.5,
    "water": 6.5,
    "district": 8,
    "city": 8,
    "town": 8.5,
    "village": 9,
    "base": 9,
    "airport": 9,
    "crossing": 9,
    "dam": 9,
    "landmark": 11,
}
DEFAULT_ZOOM = 8.5
#: Kinds left out of the overview's bounds when there are other places: a country or continent named in
#: passing ("talks in the United States") would widen the opening view to the whole world.
WIDE_KINDS = {"continent", "country"}
#: Claim kinds that become steps.
CLAIM_KINDS = ("distance", "border_distance", "length")
VERDICT_LABEL = {"consistent": "Consistent", "differs": "Differs", "unchecked": "Not checked"}

LatLon = tuple[float, float]


# --------------------------------------------------------------------------------- data model


@dataclass(slots=True)
class StoryStep:
    """One step of a story.

    ``text`` is plain text (sentences separated by blank lines); ``marks`` are ``[start, end)``
    offsets into it to highlight (the place names). ``place`` (place steps) and ``claim`` (claim
    steps) are JSON-ready dicts; ``view`` is where the map goes: ``{"center": [lat, lon], "zoom": z}``
    or ``{"bounds": [[south, west], [north, east]]}`` (or ``{}`` to stay).
    """

    id: str
    kind: str
    title: str
    text: str = ""
    marks: list[tuple[int, int]] = field(default_factory=list)
    detail: str = ""
    note: str = ""
    hidden: bool = False
    place: dict[str, Any] | None = None
    claim: dict[str, Any] | None = None
    view: dict[str, Any] = field(default_factory=dict)

    def label(self) -> str:
        """Short one-line label for lists (``Place: Ramadi``, ``Distance: about 110 km``)."""
        prefix = {"title": "Title", "place": "Place", "claim": "Check"}.get(self.kind, self.kind)
        return f"{prefix}: {self.title}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (see :meth:`from_dict`)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "text": self.text,
            "marks": [[s, e] for s, e in self.marks],
            "detail": self.detail,
            "note": self.note,
            "hidden": self.hidden,
            "place": self.place,
            "claim": self.claim,
            "view": self.view,
        }

    @classmethod
    def from_dict(cls, d: Any) -> StoryStep:
        """Rebuild a step; :class:`UserError` for anything that is not a well-formed step."""
        if not isinstance(d, dict):
            raise UserError("a story step must be an object")
        sid, kind = d.get("id"), d.get("kind")
        if not isinstance(sid, str) or not sid:
            raise UserError("a story step needs a non-empty string id")
        if kind not in STEP_KINDS:
            raise UserError(f"story step {sid!r}: unknown kind {kind!r}")
        text = str(d.get("text") or "")
        marks: list[tuple[int, int]] = []
        for m in d.get("marks") or []:
            if (
                isinstance(m, list | tuple)
                and len(m) == 2
                and all(isinstance(x, int) and not isinstance(x, bool) for x in m)
                and 0 <= m[0] < m[1] <= len(text)
            ):
                marks.append((int(m[0]), int(m[1])))
        place = d.get("place")
        claim = d.get("claim")
        view = d.get("view")
        return cls(
            id=sid,
            kind=kind,
            title=str(d.get("title") or "")[:MAX_TITLE_CHARS],
            text=text,
            marks=marks,
            detail=str(d.get("detail") or ""),
            note=str(d.get("note") or "")[:MAX_NOTE_CHARS],
            hidden=bool(d.get("hidden", False)),
            place=place if isinstance(place, dict) else None,
            claim=claim if isinstance(claim, dict) else None,
            view=view if isinstance(view, dict) else {},
        )


@dataclass(slots=True)
class Story:
    """An article as a sequence of steps, with the teacher's order, hidden steps and notes."""

    title: str
    steps: list[StoryStep]
    source: str = ""  # one line about the article (publisher, date), shown on the title step

    # ---- queries ---------------------------------------------------------------------------

    def visible_steps(self) -> list[StoryStep]:
        """The steps that are presented, in order."""
        return [s for s in self.steps if not s.hidden]

    def step(self, step_id: str) -> StoryStep:
        """The step with this id; :class:`UserError` when there is none."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise UserError(f"the story has no step {step_id!r}")

    def place_numbers(self) -> dict[str, int]:
        """``{step id: number}`` of the visible point places, 1-based, in presentation order (areas: no number)."""
        out: dict[str, int] = {}
        for s in self.visible_steps():
            if s.kind == "place" and (s.place or {}).get("kind") not in AREA_KINDS:
                out[s.id] = len(out) + 1
        return out

    # ---- editing ---------------------------------------------------------------------------

    def reorder(self, ids: Sequence[str]) -> None:
        """Put the steps in the order of ``ids``; steps not named keep their relative order at the end."""
        index = {s.id: s for s in self.steps}
        unknown = [i for i in ids if i not in index]
        if unknown:
            raise UserError(f"the story has no step {unknown[0]!r}")
        seen: set[str] = set()
        ordered: list[StoryStep] = []
        for i in ids:
            if i not in seen:
                ordered.append(index[i])
                seen.add(i)
        ordered += [s for s in self.steps if s.id not in seen]
        self.steps = ordered

    def move(self, step_id: str, position: int) -> None:
        """Move one step to ``position`` (0-based, clamped to the list)."""
        s = self.step(step_id)
        self.steps.remove(s)
        position = max(0, min(int(position), len(self.steps)))
        self.steps.insert(position, s)

    def set_hidden(self, step_id: str, hidden: bool = True) -> None:
        """Skip (or show again) a step when presenting."""
        self.step(step_id).hidden = bool(hidden)

    def set_note(self, step_id: str, note: str) -> None:
        """The teacher's note for a step (plain text; shown under the sentences)."""
        if not isinstance(note, str):
            raise UserError("a note must be text")
        self.step(step_id).note = note.strip()[:MAX_NOTE_CHARS]

    # ---- layout: the teacher's choices ----------------------------------------------------

    def layout(self) -> dict[str, Any]:
        """The teacher's choices only (title, order, hidden steps, notes), JSON-ready, for storage."""
        return {
            "version": 1,
            "title": self.title,
            "steps": [{"id": s.id, "hidden": s.hidden, "note": s.note} for s in self.steps],
        }

    def apply_layout(self, layout: Any) -> list[str]:
        """Re-apply saved choices to this (freshly built) story.

        Steps named in ``layout`` come first in its order with their hidden flag and note; steps the
        layout does not know (new places after a correction) follow in reading order. Returns the
        ids the layout named that no longer exist (e.g. a place corrected away), so the caller can
        tell the teacher.
        """
        if layout is None:
            return []
        if not isinstance(layout, dict) or not isinstance(layout.get("steps", []), list):
            raise UserError("a story layout must be an object with a 'steps' list")
        title = layout.get("title")
        if isinstance(title, str) and title.strip():
            self.title = title.strip()[:MAX_TITLE_CHARS]
        index = {s.id: s for s in self.steps}
        order: list[str] = []
        gone: list[str] = []
        for item in layout.get("steps", []):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            sid = item["id"]
            if sid not in index:
                gone.append(sid)
                continue
            step = index[sid]
            step.hidden = bool(item.get("hidden", False))
            note = item.get("note", "")
            step.note = note.strip()[:MAX_NOTE_CHARS] if isinstance(note, str) else ""
            order.append(sid)
        self.reorder(order)
        return gone

    # ---- table editing (the dashboard's step table) ----------------------------------------

    def editor_rows(self) -> list[dict[str, Any]]:
        """One row per step for a table editor: ``order`` (1-based), ``show``, ``step`` (label), ``note``, ``id``."""
        return [
            {"order": i + 1, "show": not s.hidden, "step": s.label(), "note": s.note, "id": s.id}
            for i, s in enumerate(self.steps)
        ]

    def apply_editor_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        """Apply an edited table: steps sorted by ``order``, ``show`` and ``note``.

        A step given the number another step already has goes before it (type 2 to make a step the
        second); otherwise ties keep their order. Rows without a known ``id`` are ignored; a missing or
        non-numeric ``order`` keeps the step's place.
        """
        index = {s.id: i for i, s in enumerate(self.steps)}
        keyed: list[tuple[float, int, int, str]] = []
        for row in rows:
            sid = row.get("id")
            if not isinstance(sid, str) or sid not in index:
                continue
            try:
                order = float(row.get("order"))  # type: ignore[arg-type]
                if not math.isfinite(order):
                    raise ValueError
            except (TypeError, ValueError):
                order = float(index[sid] + 1)
            moved = 0 if order != index[sid] + 1 else 1
            keyed.append((order, moved, index[sid], sid))
            if "show" in row and row["show"] is not None:
                self.step(sid).hidden = not bool(row["show"])
            if "note" in row:
                note = row["note"]
                self.set_note(sid, note if isinstance(note, str) else "")
        self.reorder([k[-1] for k in sorted(keyed)])

    # ---- serialisation ---------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The whole story, JSON-ready (see :meth:`from_dict`)."""
        return {
            "title": self.title,
            "source": self.source,
            "steps": [s.to_dict() for s in self.steps],
        }

    @classmethod
    def from_dict(cls, d: Any) -> Story:
        """Rebuild a story from :meth:`to_dict` output; :class:`UserError` when it is malformed."""
        if not isinstance(d, dict) or not isinstance(d.get("steps"), list):
            raise UserError("a story must be an object with a 'steps' list")
        steps = [StoryStep.from_dict(s) for s in d["steps"]]
        ids = [s.id for s in steps]
        if len(set(ids)) != len(ids):
            raise UserError("the story has two steps with the same id")
        return cls(
            title=str(d.get("title") or "")[:MAX_TITLE_CHARS],
            steps=steps,
            source=str(d.get("source") or ""),
        )


# --------------------------------------------------------------------------------- building


def _place_dict(p: Place) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "lat": round(p.lat, 5),
        "lon": round(p.lon, 5),
        "country": p.country,
        "province": p.province,
        "approximate": p.kind == "landmark",
    }


def _country_name(iso2: str) -> str:
    try:
        from conflict_map.geo.borders import country_names

        for _key, (code, name) in country_names().items():
            if code == iso2:
                return name
    except Exception:  # noqa: BLE001 - a nicety: the code is shown when names cannot be loaded
        pass
    return iso2


def _place_detail(p: Place, n_mentions: int) -> str:
    where = ", ".join(x for x in (p.province, _country_name(p.country) if p.country else "") if x)
    kind = "approximate location" if p.kind == "landmark" else p.kind
    bits = [kind] + ([where] if where and where != p.name else [])
    bits.append(f"{n_mentions} mention{'s' if n_mentions != 1 else ''}")
    return " \u00b7 ".join(bits)


def bounds(points: Iterable[LatLon], pad_deg: float = 0.0) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` around ``points``, padded by ``pad_deg``; None without points."""
    pts = list(points)
    if not pts:
        return None
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    return [
        [round(min(lats) - pad_deg, 5), round(min(lons) - pad_deg, 5)],
        [round(max(lats) + pad_deg, 5), round(max(lons) + pad_deg, 5)],
    ]


def _lines_of_geometry(geom: Any, tolerance: float = 0.005) -> list[list[list[float]]]:
    """A shapely (Multi)LineString in lon/lat -> lists of ``[lat, lon]`` (simplified for display)."""
    with contextlib.suppress(Exception):  # draw the unsimplified line when simplifying fails
        geom = geom.simplify(tolerance, preserve_topology=False)
    parts = list(getattr(geom, "geoms", [geom]))
    out = []
    for part in parts:
        coords = [[round(y, 5), round(x, 5)] for x, y in getattr(part, "coords", [])]
        if len(coords) >= 2:
            out.append(coords)
    return out


def claim_lines(c: Any) -> list[list[list[float]]]:
    """The geometry to draw for a checked claim, as lists of ``[lat, lon]``.

    ``distance``: the geodesic between its two places; ``border_distance``: from the place to the
    nearest point of the border; ``length``: the border line itself (Natural Earth 1:10m).
    Empty when it cannot be drawn (missing places, boundaries not built).
    """
    from conflict_map.geo import geodesy

    places = list(getattr(c, "places", []) or [])
    kind = getattr(c, "kind", "")
    try:
        if kind == "distance" and len(places) >= 2:
            a, b = places[0], places[1]
            return [[[round(la, 5), round(lo, 5)] for la, lo in geodesy.geodesic_line(a.lat, a.lon, b.lat, b.lon)]]
        if kind == "border_distance" and places and getattr(c, "nearest_point", None):
            a = places[0]
            la, lo = c.nearest_point
            return [[[round(x, 5), round(y, 5)] for x, y in geodesy.geodesic_line(a.lat, a.lon, la, lo)]]
        if kind == "length" and getattr(c, "border", None):
            from conflict_map.geo import borders

            line = borders.shared_border(c.border[0], c.border[1])
            return _lines_of_geometry(line.geometry)
    except Exception:  # noqa: BLE001 - the step still shows the verdict without a line
        return []
    return []


def _claim_step(c: Any) -> StoryStep | None:
    d = c.to_dict() if hasattr(c, "to_dict") else dict(c)
    if d.get("kind") not in CLAIM_KINDS or d.get("measured_km") is None:
        return None
    lines = d.get("lines")
    if not isinstance(lines, list):
        lines = claim_lines(c)
    verdict = str(d.get("verdict") or "unchecked")
    subject = str(d.get("subject") or "")
    stated = str(d.get("stated") or d.get("text") or "")
    ends = [
        {"name": p.name, "lat": round(p.lat, 5), "lon": round(p.lon, 5), "step": f"place:{p.id}"}
        for p in list(getattr(c, "places", []) or [])[:2]
    ]
    pts: list[LatLon] = [(float(la), float(lo)) for line in lines for la, lo in line]
    pts += [(e["lat"], e["lon"]) for e in ends]
    b = bounds(pts, pad_deg=0.05)
    sentence, _ = squash(str(d.get("sentence") or ""), [])
    mark = [(s, s + len(d.get("text", ""))) for s in [sentence.find(str(d.get("text") or "\0"))] if s >= 0]
    kind_word = {"distance": "Distance", "border_distance": "Distance to the border", "length": "Length"}
    title = f"{kind_word.get(d['kind'], 'Distance')}: {subject}" if subject else kind_word.get(d["kind"], "")
    measured_km = float(d["measured_km"])
    return StoryStep(
        id=f"claim:{d.get('start', 0)}-{d.get('end', 0)}",
        kind="claim",
        title=title,
        text=sentence,
        marks=mark,
        detail=str(d.get("explanation") or ""),
        claim={
            "kind": d["kind"],
            "subject": subject,
            "stated": stated,
            "measured": f"{measured_km:.1f} km",
            "measured_km": round(measured_km, 1),
            "verdict": verdict,
            "verdict_label": VERDICT_LABEL.get(verdict, verdict),
            "lines": lines,
            "ends": ends,
        },
        view={"bounds": b} if b else {},
    )


def build_story(
    result: ParseResult,
    title: str = "",
    *,
    source: str = "",
    claims: Sequence[Any] | None = None,
    max_sentences: int = MAX_SENTENCES,
) -> Story:
    """Build a story from a geoparse: title step, place steps in reading order, claim steps.

    ``claims`` are :class:`conflict_map.claims.check.Claim` objects (or dicts with the same keys and a
    ``lines`` list); when ``None`` they are found with :func:`conflict_map.claims.check.check_claims`.
    Only claims that were measured (a distance, a distance to a border, a border length) become steps.
    """
    headline, lead_sentence, start = headline_and_lead(result)
    headline = headline or "Map story"
    places: dict[str, tuple[Place, list[Mention]]] = {}
    for pid, (p, ms) in result.resolved_places().items():
        kept = [m for m in ms if m.start >= start]  # a place named only in the page furniture is left out
        if kept:
            places[pid] = (p, kept)
    places = dict(sorted(places.items(), key=lambda kv: kv[1][1][0].start))
    title = " ".join((title or "").split())[:MAX_TITLE_CHARS] or headline
    headlines = (title, headline)
    steps: list[StoryStep] = []
    all_points: list[LatLon] = []
    wide_points: list[LatLon] = []
    for pid, (p, mentions) in places.items():
        text, marks = passages(mentions, max_sentences, skip=headlines)
        (wide_points if p.kind in WIDE_KINDS else all_points).append((p.lat, p.lon))
        steps.append(
            StoryStep(
                id=f"place:{pid}",
                kind="place",
                title=p.name,
                text=text,
                marks=marks,
                detail=_place_detail(p, len(mentions)),
                place=_place_dict(p),
                view={"center": [round(p.lat, 5), round(p.lon, 5)], "zoom": KIND_ZOOM.get(p.kind, DEFAULT_ZOOM)},
            )
        )
    if claims is None:
        try:
            from conflict_map.claims.check import check_claims

            claims = check_claims(result)
        except Exception:  # noqa: BLE001 - a story without distance checks is still a story
            claims = []
    claim_steps = [s for s in (_claim_step(c) for c in claims) if s is not None]
    seen_ids = {s.id for s in steps}
    for s in claim_steps:
        if s.id not in seen_ids:
            steps.append(s)
            seen_ids.add(s.id)
    n_places = sum(1 for s in steps if s.kind == "place")
    n_claims = len(steps) - n_places
    summary = f"{n_places} place{'s' if n_places != 1 else ''}"
    if n_claims:
        summary += f" \u00b7 {n_claims} distance check{'s' if n_claims != 1 else ''}"
    overview = bounds(all_points or wide_points, pad_deg=0.1)
    lead, _ = squash(lead_sentence, [])
    title_step = StoryStep(
        id="title",
        kind="title",
        title=title,
        text=lead if lead and lead != title else "",
        detail=summary + (f" \u00b7 {' '.join(source.split())}" if source.strip() else ""),
        view={"bounds": overview} if overview else {"center": [30.0, 30.0], "zoom": 3},
    )
    return Story(title=title, steps=[title_step, *steps], source=" ".join(source.split()))


def article_start(result: ParseResult) -> int:
    """Offset where the article proper starts (its headline): mentions above it are page furniture."""
    return headline_and_lead(result)[2]


__all__ = [
    "CLAIM_KINDS",
    "KIND_ZOOM",
    "MAX_NOTE_CHARS",
    "MAX_SENTENCES",
    "MAX_TITLE_CHARS",
    "WIDE_KINDS",
    "Story",
    "StoryStep",
    "article_start",
    "bounds",
    "build_story",
    "claim_lines",
]
