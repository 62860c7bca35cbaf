"""Map stories for the classroom: an article turned into steps a teacher presents, and a hand-out.

A :class:`Story` is built from the geoparser's :class:`~conflict_map.models.ParseResult`:

1. a title step (the article's title, the number of places and checks; the map shows every place),
2. one step per distinct place in reading order, with the sentence(s) about it (the place names
   highlighted) and a map view that flies to the place,
3. one step per checked distance or length claim, with the measured line (geodesic, or the border
   itself), what the article says, what was measured and the verdict.

The teacher reorders, hides and annotates steps (:meth:`Story.move`, :meth:`Story.set_hidden`,
:meth:`Story.set_note`); :meth:`Story.layout` is the small JSON-ready record of those choices that is
kept with the article (:mod:`conflict_map.present.layout_store`) and re-applied to a freshly built story with
:meth:`Story.apply_layout`.

Two renderings:

* :func:`render_story_html`: one self-contained HTML file (Leaflet, its CSS and the basemap inlined
  from the installed ``static/`` assets by :func:`conflict_map.export.writers.inline_assets`); it opens from
  a USB stick with no server and no network. Arrow keys, Page Up/Down (presentation clickers),
  Space, Home/End, on-screen buttons, a step counter, full screen (``F``).
* :func:`render_handout`: a print-styled HTML page with a map image (PNG, drawn offline with
  matplotlib from the Natural Earth polygons) with numbered places, the numbered place list with one
  line of context and the distance table.

Both pages are autoescaped templates (``templates/story.html``, ``templates/handout.html``, see
:mod:`conflict_map.view.render`): everything that comes from the article or the teacher is HTML text, or JSON
(:func:`~conflict_map.view.render.script_json`) inside a ``<script type="application/json">`` block, which the
page's script puts into the document with ``textContent`` only.
"""

from __future__ import annotations

import base64
import contextlib
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup

from conflict_map.errors import UserError
from conflict_map.models import Mention, ParseResult, Place
from conflict_map.view.areas import AREA_KINDS
from conflict_map.view.render import render_template

StepKind = Literal["title", "place", "claim"]
STEP_KINDS: tuple[str, ...] = ("title", "place", "claim")

#: Distinct sentences shown on a place step (the first ones, in reading order).
MAX_SENTENCES = 3
#: A sentence longer than this is cut to a window around the place name.
MAX_SENTENCE_CHARS = 360
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
_WIDE_KINDS = {"continent", "country"}
#: Claim kinds that become steps.
CLAIM_KINDS = ("distance", "border_distance", "length")
VERDICT_LABEL = {"consistent": "Consistent", "differs": "Differs", "unchecked": "Not checked"}
VERDICT_MARK = {"consistent": "\u2714", "differs": "\u2716", "unchecked": "?"}

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


def _squash(text: str, spans: Sequence[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """Collapse whitespace runs to one space (and strip), mapping ``spans`` onto the new text."""
    out: list[str] = []
    new_pos = [0] * (len(text) + 1)
    prev_space = True  # drops leading whitespace
    for i, ch in enumerate(text):
        new_pos[i] = len(out)
        if ch.isspace():
            if not prev_space:
                out.append(" ")
            prev_space = True
        else:
            out.append(ch)
            prev_space = False
    new_pos[len(text)] = len(out)
    s = "".join(out)
    stripped = s.rstrip()
    mapped = []
    for a, b in spans:
        na, nb = new_pos[max(0, min(a, len(text)))], new_pos[max(0, min(b, len(text)))]
        nb = min(nb, len(stripped))
        if na < nb:
            mapped.append((na, nb))
    return stripped, mapped


def _window(text: str, spans: list[tuple[int, int]], limit: int) -> tuple[str, list[tuple[int, int]]]:
    """Cut a long sentence to about ``limit`` characters around its first highlighted span."""
    if len(text) <= limit:
        return text, spans
    first = spans[0] if spans else (0, 0)
    start = max(0, min(first[0] - limit // 3, len(text) - limit))
    # start and end on word boundaries
    if start > 0:
        sp = text.find(" ", start)
        start = sp + 1 if 0 <= sp < first[0] else start
    end = min(len(text), start + limit)
    if end < len(text):
        sp = text.rfind(" ", max(first[1], start), end)
        end = sp if sp > first[1] else end
    pre = "\u2026 " if start > 0 else ""
    post = " \u2026" if end < len(text) else ""
    shift = len(pre) - start
    out = pre + text[start:end] + post
    kept = [(a + shift, b + shift) for a, b in spans if a >= start and b <= end]
    return out, kept


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


def _lines_with_marks(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """Keep only the lines from the first to the last one holding a span (drops a headline glued on)."""
    if "\n" not in text or not spans:
        return text, spans
    starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    first = max(i for i, st in enumerate(starts) if st <= spans[0][0])
    last = max(i for i, st in enumerate(starts) if st <= spans[-1][0])
    a = starts[first]
    b = starts[last + 1] if last + 1 < len(starts) else len(text)
    return text[a:b], [(x - a, y - a) for x, y in spans if a <= x and y <= b]


def _passages(
    mentions: Sequence[Mention], max_sentences: int, skip: Iterable[str] = ()
) -> tuple[str, list[tuple[int, int]]]:
    """The distinct sentences of ``mentions`` (first ``max_sentences``), the names highlighted.

    A sentence that is (part of) one of ``skip`` (the headline, already on the title step) is left out
    when the place has other sentences.
    """
    skip = {" ".join(x.split()) for x in skip if x}
    by_sentence: dict[int, tuple[str, list[tuple[int, int]]]] = {}
    for m in mentions:
        key = m.sentence_start if m.sentence else m.start
        sent = m.sentence or m.text
        entry = by_sentence.setdefault(key, (sent, []))
        rs, re_ = m.start - key, m.end - key
        if 0 <= rs < re_ <= len(sent) and sent[rs:re_] == m.text:
            entry[1].append((rs, re_))
    items = list(by_sentence.values())
    if skip and len(items) > 1:
        rest = [it for it in items if not any(" ".join(it[0].split()) in h for h in skip)]
        items = rest or items
    parts: list[str] = []
    marks: list[tuple[int, int]] = []
    offset = 0
    for sent, spans in items[:max_sentences]:
        sent, spans = _lines_with_marks(sent, sorted(set(spans)))
        t, sp = _squash(sent, spans)
        t, sp = _window(t, sp, MAX_SENTENCE_CHARS)
        if not t:
            continue
        if parts:
            offset += 2  # "\n\n"
        parts.append(t)
        marks += [(a + offset, b + offset) for a, b in sp]
        offset += len(t)
    return "\n\n".join(parts), marks


def _bounds(points: Iterable[LatLon], pad_deg: float = 0.0) -> list[list[float]] | None:
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
    b = _bounds(pts, pad_deg=0.05)
    sentence, _ = _squash(str(d.get("sentence") or ""), [])
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
    headline, lead_sentence, start = _headline_and_lead(result)
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
        text, marks = _passages(mentions, max_sentences, skip=headlines)
        (wide_points if p.kind in _WIDE_KINDS else all_points).append((p.lat, p.lon))
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
    overview = _bounds(all_points or wide_points, pad_deg=0.1)
    lead, _ = _squash(lead_sentence, [])
    title_step = StoryStep(
        id="title",
        kind="title",
        title=title,
        text=lead if lead and lead != title else "",
        detail=summary + (f" \u00b7 {' '.join(source.split())}" if source.strip() else ""),
        view={"bounds": overview} if overview else {"center": [30.0, 30.0], "zoom": 3},
    )
    return Story(title=title, steps=[title_step, *steps], source=" ".join(source.split()))


_PARA_END = re.compile(r"""[.!?]["'”’)]?$""")


def _lines(result: ParseResult) -> tuple[list[str], list[int]]:
    """The body's lines, stripped (empty strings mark blank lines), and their offsets in the text."""
    start = result.body[0] if result.body[1] > result.body[0] else 0
    body = result.text[start : result.body[1]] if result.body[1] > result.body[0] else result.text
    lines, offsets, pos = [], [], start
    for raw in body.splitlines(keepends=True):
        lines.append(raw.strip())
        offsets.append(pos)
        pos += len(raw)
    return lines, offsets


def _is_paragraph(line: str) -> bool:
    n = len(line.split())
    return n >= 25 or (n >= 12 and bool(_PARA_END.search(line)))


def _is_byline(line: str) -> bool:
    words = line.split()
    return 1 <= len(words) <= 4 and not _PARA_END.search(line) and all(w[:1].isupper() for w in words)


def _headline_and_lead(result: ParseResult) -> tuple[str, str, int]:
    """(headline, first sentence of the first paragraph, offset where the article starts) of the text.

    The headline is the short line(s) just above the first paragraph (a byline such as "Jane Doe"
    between them is skipped), so page furniture further up (a publisher's name and address, a site
    menu) is not taken for it; the article starts at the headline (or the first paragraph).
    ``""`` for what is not found.
    """
    lines, offsets = _lines(result)
    first_para = next((i for i, ln in enumerate(lines) if _is_paragraph(ln)), None)
    if first_para is None:
        first = next((ln for ln in lines if ln), "")
        ok = first and len(first) <= 160 and not first.endswith((".", ",", ";"))
        return (first if ok else ""), "", 0
    i = first_para - 1
    while i >= 0 and (not lines[i] or _is_byline(lines[i])):
        i -= 1
    head: list[str] = []
    while i >= 0 and lines[i] and len(lines[i]) <= 160 and not _is_paragraph(lines[i]) and len(head) < 3:
        head.insert(0, lines[i])
        i -= 1
    headline = " ".join(head)
    if len(headline) > 200:
        headline = head[-1]
    para = lines[first_para]
    m = re.match(r"(.{20,400}?[.!?])(\s|$)", para)
    return headline, (m.group(1) if m else para[:300]), offsets[i + 1]


def article_start(result: ParseResult) -> int:
    """Offset where the article proper starts (its headline): mentions above it are page furniture."""
    return _headline_and_lead(result)[2]


# --------------------------------------------------------------------------------- story HTML


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
    b = _bounds(pts, pad_deg=margin_deg)
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


def _asset(name: str) -> Markup:
    """A script or style sheet of the package (``templates/``): our own code, inserted as is."""
    return Markup(resources.files("conflict_map.view").joinpath("templates", name).read_text(encoding="utf-8"))


#: The story page's script; it puts text in only through ``textContent`` and text nodes.
STORY_JS = str(_asset("story.js"))


def story_page(story: Story) -> str:
    """The story page with its assets still linked to ``/app/static/`` (see :func:`render_story_html`)."""
    from conflict_map.view import offline

    return render_template(
        "story.html",
        title=story.title,
        vendor=f"{offline.STATIC_URL}/vendor/leaflet",
        css=_asset("story.css"),
        js=_asset("story.js"),
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
    from conflict_map.export.writers import inline_assets
    from conflict_map.view import offline

    if not story.visible_steps():
        raise UserError("every step of the story is hidden: nothing to present")
    root = static_dir or offline.STATIC_DIR
    missing = missing_story_assets(root)
    if missing:
        raise UserError(f"the map's browser files are missing ({', '.join(missing)}): {offline.INSTALL_HINT}")
    return inline_assets(story_page(story), root)  # refuses a page that still loads anything remote


# --------------------------------------------------------------------------------- hand-out


@dataclass(slots=True)
class Handout:
    """A printable hand-out: the HTML page (map image embedded) and the map image itself."""

    html: str
    png: bytes


def _plot_extent(points: Sequence[LatLon], min_span: float = 1.5) -> tuple[float, float, float, float]:
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


def render_map_png(story: Story, *, width_in: float = 9.0, dpi: int = 150) -> bytes:
    """A PNG map of the story's visible places, numbered as in the hand-out, with the claim lines.

    Drawn offline with matplotlib from the Natural Earth 1:10m country polygons
    (:func:`conflict_map.geo.boundaries.load_countries`); without them, only the places and lines.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import patheffects

    numbers = story.place_numbers()
    visible = story.visible_steps()
    place_steps = [s for s in visible if s.kind == "place" and s.place]
    claim_steps = [s for s in visible if s.kind == "claim" and s.claim]
    pts = [(s.place["lat"], s.place["lon"]) for s in place_steps if s.place and s.place.get("kind") not in _WIDE_KINDS]
    pts = pts or [(s.place["lat"], s.place["lon"]) for s in place_steps if s.place]
    for s in claim_steps:
        assert s.claim is not None
        if s.claim.get("kind") != "length":
            pts += [(la, lo) for line in s.claim.get("lines", []) for la, lo in line]
    w, e, so, no = _plot_extent(pts)
    aspect = 1 / max(0.2, math.cos(math.radians((so + no) / 2)))
    height_in = min(width_in * 1.25, max(4.0, width_in * (no - so) * aspect / (e - w)))
    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=dpi)
    ax.set_facecolor("#dbe9f4")
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
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
    for i, s in enumerate(claim_steps):
        assert s.claim is not None
        colour = {"consistent": "#0d6b2f", "differs": "#b3261e"}.get(s.claim.get("verdict", ""), "#555555")
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
                _letter(i),
                fontsize=12,
                fontweight="bold",
                color="white",
                zorder=6,
                ha="center",
                va="center",
                bbox={"boxstyle": "round,pad=0.25", "facecolor": colour, "edgecolor": "white"},
            )
    dx, dy = (e - w) * 0.016, (no - so) * 0.02
    shown = [s for s in place_steps if s.place and w <= s.place["lon"] <= e and so <= s.place["lat"] <= no]
    taken: list[tuple[float, float]] = [(s.place["lon"], s.place["lat"]) for s in shown if s.place]
    for s in claim_steps:  # the claim letters: labels keep clear of them too
        first = ((s.claim or {}).get("lines") or [[]])[0]
        if first:
            taken.append((first[len(first) // 2][1], first[len(first) // 2][0]))
    drawn: list[tuple[float, float]] = []
    boxes: list[tuple[float, float, float, float]] = []
    for s in shown:
        assert s.place is not None
        n = numbers.get(s.id)
        x0, y0 = x, y = s.place["lon"], s.place["lat"]
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
        # the label takes the free-most of eight spots around its marker (overlap with markers, letters
        # and the labels placed so far, as boxes in map units; ~0.0085 of the width per character)
        lw, lh = len(s.title) * (e - w) * 0.0085, dy * 1.15
        ox = 1.3 * dx
        options = [
            (x + ox, y, "left"),
            (x - ox, y, "right"),
            (x, y + 1.7 * dy, "center"),
            (x, y - 1.7 * dy, "center"),
            (x + ox, y + dy, "left"),
            (x + ox, y - dy, "left"),
            (x - ox, y + dy, "right"),
            (x - ox, y - dy, "right"),
        ]

        def box_of(o: tuple[float, float, str], lw: float = lw, lh: float = lh) -> tuple[float, float, float, float]:
            x_left = o[0] if o[2] == "left" else o[0] - lw if o[2] == "right" else o[0] - lw / 2
            return (x_left, x_left + lw, o[1] - lh / 2, o[1] + lh / 2)

        def cost(o: tuple[float, float, str], me: tuple[float, float] = (x, y), lh: float = lh) -> float:
            bx0, bx1, by0, by1 = box_of(o)
            total = 0.0
            for r in boxes + [
                (a - 1.15 * dx, a + 1.15 * dx, b - 1.15 * dy, b + 1.15 * dy) for a, b in taken if (a, b) != me
            ]:
                total += max(0.0, min(bx1, r[1]) - max(bx0, r[0])) * max(0.0, min(by1, r[3]) - max(by0, r[2]))
            outside = max(0.0, w - bx0) + max(0.0, bx1 - e) + max(0.0, so - by0) + max(0.0, by1 - no)
            return total + outside * lh * 10

        best = min(options, key=cost)
        lx, ly, ha = best
        boxes.append(box_of(best))
        ax.text(lx, ly, s.title, fontsize=10, ha=ha, va="center", zorder=8, path_effects=halo, parse_math=False)
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


def _letter(i: int) -> str:
    """A, B, ..., Z, AA, AB, ... for the distance table."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _one_line(text: str, limit: int = 170, marks: Sequence[tuple[int, int]] = ()) -> str:
    """The first passage of ``text`` in at most ``limit`` characters, cut around its first mark (the place name)."""
    first = text.split("\n\n", 1)[0]
    if len(first) <= limit:
        return first
    at = next((a for a, b in marks if b <= len(first)), 0)
    start = 0 if at < limit // 2 else max(first.rfind(" ", 0, at - limit // 3) + 1, 0)
    end = start + limit
    cut = first.rfind(" ", start, end) if end < len(first) else len(first)
    out = first[start : cut if cut > start + limit // 2 else min(end, len(first))]
    return ("\u2026" if start else "") + out + ("\u2026" if start + len(out) < len(first) else "")


def _handout_places(story: Story) -> list[dict[str, Any]]:
    numbers = story.place_numbers()
    return [
        {
            "number": numbers.get(s.id),
            "title": s.title,
            "detail": s.detail,
            "context": _one_line(s.text, marks=s.marks),
            "note": s.note,
        }
        for s in story.visible_steps()
        if s.kind == "place"
    ]


def _handout_claims(story: Story) -> list[dict[str, Any]]:
    rows = []
    for s in story.visible_steps():
        if s.kind != "claim" or not s.claim:
            continue
        c = s.claim
        verdict = str(c.get("verdict", ""))
        rows.append(
            {
                "letter": _letter(len(rows)),
                "subject": str(c.get("subject", "")),
                "stated": str(c.get("stated", "")),
                "measured": str(c.get("measured", "")),
                "verdict": verdict,
                "mark": VERDICT_MARK.get(verdict, ""),
                "verdict_label": str(c.get("verdict_label", verdict)),
                "note": s.note,
            }
        )
    return rows


def render_handout(story: Story, *, png: bytes | None = None) -> Handout:
    """The printable hand-out: map image with numbered places, numbered place list, distance table.

    The HTML embeds the PNG (one file to print or mail); the PNG is returned too for
    :func:`write_handout`.
    """
    if png is None:
        png = render_map_png(story)
    title_step = next((s for s in story.steps if s.kind == "title"), None)
    page = render_template(
        "handout.html",
        title=story.title,
        source=story.source,
        intro_note=title_step.note if title_step else "",
        css=_asset("handout.css"),
        png_base64=base64.b64encode(png).decode("ascii"),
        places=_handout_places(story),
        claims=_handout_claims(story),
    )
    return Handout(html=page, png=png)


def write_handout(story: Story, out_dir: str | Path, stem: str = "handout") -> tuple[Path, Path]:
    """Write ``<stem>.html`` and ``<stem>-map.png`` into ``out_dir`` (created); returns both paths."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UserError(f"{out} is a file; give a folder for the hand-out")
    out.mkdir(parents=True, exist_ok=True)
    h = render_handout(story)
    page, png_path = out / f"{stem}.html", out / f"{stem}-map.png"
    png_path.write_bytes(h.png)
    page.write_text(h.html, encoding="utf-8")
    return page, png_path


__all__ = [
    "Handout",
    "Story",
    "StoryStep",
    "build_story",
    "claim_lines",
    "presentation_data",
    "render_handout",
    "render_map_png",
    "render_story_html",
    "story_page",
    "write_handout",
]
