"""The printable hand-out: the map image with numbered places, the numbered place list, the distance table.

One print-styled HTML page (``templates/handout.html``, autoescaped) that embeds the map PNG
(:mod:`conflict_map.present.mapimage`), so it is one file to print or mail; :func:`write_handout` also
writes the PNG on its own, both atomically.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conflict_map.errors import UserError
from conflict_map.export.files import write_atomic, write_bytes_atomic
from conflict_map.present.mapimage import letter, render_map_png
from conflict_map.present.page import template_asset
from conflict_map.present.story import Story
from conflict_map.view.render import render_template

VERDICT_MARK = {"consistent": "\u2714", "differs": "\u2716", "unchecked": "?"}


@dataclass(slots=True)
class Handout:
    """A printable hand-out: the HTML page (map image embedded) and the map image itself."""

    html: str
    png: bytes


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
                "letter": letter(len(rows)),
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
        css=template_asset("handout.css"),
        png_base64=base64.b64encode(png).decode("ascii"),
        places=_handout_places(story),
        claims=_handout_claims(story),
    )
    return Handout(html=page, png=png)


def _handout_folder(out_dir: str | Path) -> Path:
    """``out_dir``, created when missing; :class:`UserError` when it is a file or cannot be created."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UserError(f"{out} is a file; give a folder for the hand-out")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the folder {out}: {exc.strerror or exc}") from exc
    return out


def write_handout(story: Story, out_dir: str | Path, stem: str = "handout") -> tuple[Path, Path]:
    """Write ``<stem>.html`` and ``<stem>-map.png`` into ``out_dir`` (created); returns both paths.

    Each file is written to a temporary file in ``out_dir`` and renamed over its target; the map image is
    renamed only once the page is fully written, and the page only once the image is in place. Any write
    error is one :class:`UserError` line and leaves the files that were there before.
    """
    h = render_handout(story)
    out = _handout_folder(out_dir)
    page, png_path = out / f"{stem}.html", out / f"{stem}-map.png"

    def fill_page(tmp: Path) -> None:
        tmp.write_text(h.html, encoding="utf-8")
        write_bytes_atomic(png_path, h.png)

    write_atomic(page, fill_page)
    return page, png_path


__all__ = ["Handout", "render_handout", "write_handout"]
