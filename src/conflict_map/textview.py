"""Article text -> escaped HTML with each place mention highlighted (colour by kind) and linked to its marker.

All article text goes through :func:`html.escape`; the only markup in the output is ours
(``<p>``, ``<br>``, ``<mark>`` with ``data-place`` ids, themselves escaped). The dashboard shows
the result in a small Streamlit component whose script turns a click on a ``<mark>`` into
"select this place" (see ``app.py``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from conflict_map.mapview import LOW_CONFIDENCE, MapPlace, kind_style
from conflict_map.models import Mention

TEXT_CSS = """
.cm-text { font: 15px/1.6 Georgia, "Times New Roman", serif; color: #1d1d1d; max-height: 640px;
  overflow-y: auto; padding: 4px 12px 4px 2px; }
.cm-text p { margin: 0 0 .8em; }
.cm-text .cm-boiler { color: #999; font-size: 13px; }
.cm-text mark { border-radius: 3px; padding: 0 2px; cursor: pointer; color: inherit;
  border-bottom: 2px solid transparent; }
.cm-text mark:hover, .cm-text mark:focus { outline: 2px solid #333; outline-offset: 0; }
.cm-text mark.cm-town { background: #f6d5d1; border-bottom-color: #c0392b; }
.cm-text mark.cm-base { background: #d3dff3; border-bottom-color: #1f4e9c; }
.cm-text mark.cm-crossing { background: #e6d8ef; border-bottom-color: #7b3fa0; }
.cm-text mark.cm-landmark { background: #cfeae6; border-bottom-color: #0f7b6c; }
.cm-text mark.cm-province { background: #f5e3c4; border-bottom-color: #b36b00; }
.cm-text mark.cm-country { background: #d8ead8; border-bottom-color: #2d6a2d; }
.cm-text mark.cm-water { background: #d2e6f3; border-bottom-color: #2176ae; }
.cm-text mark.cm-demonym { background: #eee; border-bottom: 2px dotted #777; cursor: default; }
.cm-text mark.cm-uncertain { border-bottom-style: dashed; }
.cm-text mark.cm-sel { background: #ffd400; box-shadow: 0 0 0 2px #ffd400; }
.cm-legend { font: 12px system-ui, sans-serif; color: #444; margin: 0 0 6px; }
.cm-legend mark { border-radius: 3px; padding: 0 4px; margin-right: 4px; }
"""

PLACES_CSS = """
.cm-places { display: flex; flex-wrap: wrap; gap: 4px; }
.cm-places button { font: 13px system-ui, sans-serif; border: 1px solid #bbb; background: #fff;
  border-radius: 12px; padding: 2px 9px; cursor: pointer; }
.cm-places button:hover, .cm-places button:focus { border-color: #333; }
.cm-places button.cm-sel { background: #ffd400; border-color: #a88c00; }
.cm-places button i { font-style: normal; display: inline-block; width: 9px; height: 9px; border-radius: 50%;
  margin-right: 5px; vertical-align: baseline; }
"""

#: Script of the dashboard's text/place-list component (``st.components.v2``): shows the server-built,
#: escaped HTML and turns a click (or Enter/Space) on an element with ``data-place`` into the
#: component's ``place`` trigger value.
COMPONENT_JS = """
export default function(component) {
  const { data, setTriggerValue, parentElement } = component;
  let host = parentElement.querySelector("div.cm-host");
  if (!host) {
    host = document.createElement("div");
    host.className = "cm-host";
    parentElement.appendChild(host);
    const pick = (el) => { if (el && el.dataset.place) { setTriggerValue("place", el.dataset.place); } };
    host.addEventListener("click", (e) => pick(e.target.closest("[data-place]")));
    host.addEventListener("keydown", (e) => {
      if (e.key !== "Enter" && e.key !== " ") { return; }
      const el = e.target.closest("[data-place]");
      if (el) { e.preventDefault(); pick(el); }
    });
  }
  if (host.dataset.version !== String(data.version)) {
    host.innerHTML = data.html;   /* built server-side: every article character is html.escape()d */
    host.dataset.version = String(data.version);
  }
  const sel = host.querySelector(".cm-sel");
  if (sel && data.scroll) { sel.scrollIntoView({block: "nearest", behavior: "smooth"}); }
}
"""

LEGEND = [
    ("town", "town"),
    ("base", "base / airfield"),
    ("province", "province"),
    ("country", "country"),
    ("crossing", "crossing"),
    ("uncertain", "uncertain"),
]


def legend_html() -> str:
    """A one-line colour legend for the highlights."""
    items = "".join(
        f'<mark class="cm-{fam}{" cm-town" if fam == "uncertain" else ""}">{html.escape(label)}</mark>'
        for fam, label in LEGEND
    )
    return f'<div class="cm-legend cm-text" style="max-height:none;overflow:visible">{items}</div>'


def _escape_block(s: str) -> str:
    """Escape and keep single line breaks."""
    return html.escape(s).replace("\n", "<br>")


def _non_overlapping(mentions: Iterable[Mention], n: int) -> list[Mention]:
    out: list[Mention] = []
    end = -1
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if m.start < end or m.start < 0 or m.end > n or m.end <= m.start:
            continue
        out.append(m)
        end = m.end
    return out


def mention_tag(m: Mention, selected: str | None, idx: int) -> str:
    """Opening ``<mark>`` for a mention (class by kind, data-place id, accessible title)."""
    if m.type == "demonym" or m.place is None:
        return f'<mark class="cm-demonym" title="{html.escape(m.type)}">'
    fam, _, _, label = kind_style(m.place.kind)
    cls = [f"cm-{fam}"]
    if m.confidence < LOW_CONFIDENCE:
        cls.append("cm-uncertain")
    if selected and m.place.id == selected:
        cls.append("cm-sel")
    where = ", ".join(x for x in (m.place.province, m.place.country) if x)
    title = f"{m.place.name} \u00b7 {label}" + (f" \u00b7 {where}" if where else "")
    if m.confidence < LOW_CONFIDENCE:
        title += f" \u00b7 uncertain ({m.confidence:.0%})"
    return (
        f'<mark class="{" ".join(cls)}" data-place="{html.escape(m.place.id)}" data-i="{idx}" '
        f'title="{html.escape(title)}" tabindex="0" role="button">'
    )


def _render_span(text: str, mentions: Sequence[Mention], lo: int, hi: int, selected: str | None, idx0: int) -> str:
    """Paragraph HTML of ``text[lo:hi]`` with the mentions inside it."""
    out: list[str] = []
    pos = lo
    for i, m in enumerate(mentions):
        out.append(_escape_block(text[pos : m.start]))
        out.append(mention_tag(m, selected, idx0 + i))
        out.append(html.escape(text[m.start : m.end]))
        out.append("</mark>")
        pos = m.end
    out.append(_escape_block(text[pos:hi]))
    flat = "".join(out)
    # paragraphs: split the escaped string on blank lines (escaping keeps "<br><br>" unique to them)
    paras = [p.strip() for p in re.split(r"(?:<br>\s*){2,}", flat)]
    return "".join(f"<p>{p}</p>" for p in paras if p and p != "<br>")


def render_text(
    text: str,
    mentions: Sequence[Mention],
    *,
    selected: str | None = None,
    body: tuple[int, int] = (0, 0),
) -> str:
    """The article as HTML paragraphs (blank lines split them) with highlighted mentions.

    ``body`` is the story span the geoparser found (``ParseResult.body``); text before and after it
    (page boilerplate such as a publisher's address) is shown greyed. ``(0, 0)`` means all story.
    """
    n = len(text)
    shown = [m for m in mentions if m.place is not None or m.type == "demonym"]  # "not a place" drops out
    spans = _non_overlapping(shown, n)
    b0, b1 = body
    if not (0 <= b0 < b1 <= n) or (b0 == 0 and b1 == n):
        b0, b1 = 0, n
    parts: list[str] = []
    idx = 0
    for lo, hi, boiler in ((0, b0, True), (b0, b1, False), (b1, n, True)):
        if hi <= lo or not text[lo:hi].strip():
            continue
        inside = [m for m in spans if lo <= m.start and m.end <= hi]
        chunk = _render_span(text, inside, lo, hi, selected, idx)
        idx += len(inside)
        parts.append(f'<div class="cm-boiler" title="page text outside the story">{chunk}</div>' if boiler else chunk)
    return f'<div class="cm-text" lang="und">{"".join(parts)}</div>'


def place_list_html(places: Sequence[MapPlace], selected: str | None = None) -> str:
    """The place list: one button per place (kind colour, name, "?" when uncertain, mention count)."""
    out = ['<div class="cm-places" role="list">']
    for mp in places:
        _fam, colour, _, label = kind_style(mp.place.kind)
        sel = " cm-sel" if mp.place.id == selected else ""
        unc = " ?" if mp.uncertain else ""
        out.append(
            f'<button type="button" role="listitem" class="cm-place{sel}" data-place="{html.escape(mp.place.id)}" '
            f'title="{html.escape(label)}{" (uncertain)" if mp.uncertain else ""}">'
            f'<i style="background:{colour}"></i>{html.escape(mp.place.name)}{unc} '
            f"<small>({len(mp.mentions)})</small></button>"
        )
    out.append("</div>")
    return "".join(out)


def first_mention_index(mentions: Sequence[Mention], place_id: str) -> int | None:
    """Index (in :func:`render_text` order) of the first mention of ``place_id``, for scrolling."""
    shown = [m for m in mentions if m.place is not None or m.type == "demonym"]
    spans = _non_overlapping(shown, 10**12)
    for i, m in enumerate(spans):
        if m.place is not None and m.place.id == place_id:
            return i
    return None
