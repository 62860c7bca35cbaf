"""Article text -> escaped HTML with each place mention highlighted (colour by kind) and linked to its marker.

The HTML comes from the autoescaped template ``templates/text.html`` (see :mod:`conflict_map.view.render`): every
article character is text; the only markup in the output is the template's (``<p>``, ``<br>``, ``<mark>``
with ``data-place`` ids, themselves escaped). The dashboard shows
the result in a small Streamlit component whose script turns a click on a ``<mark>`` into
"select this place" (see ``app.py``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from conflict_map.models import Mention
from conflict_map.view.areas import AREA_KINDS
from conflict_map.view.mapview import LOW_CONFIDENCE, MapPlace, kind_style
from conflict_map.view.render import compact, render_macro

TEXT_CSS = compact("""
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
.cm-text mark.cm-far { box-shadow: inset 0 0 0 2px #b3261e; }
.cm-text mark.cm-far::after { content: " \\26A0"; color: #b3261e; font-size: 11px; }
.cm-text mark.cm-sel { background: #ffd400; box-shadow: 0 0 0 2px #ffd400; }
.cm-legend { font: 12px system-ui, sans-serif; color: #444; margin: 0 0 6px; }
.cm-legend mark { border-radius: 3px; padding: 0 4px; margin-right: 4px; }
""")

#: The article panel's own controls: the "Add as a place" button and the local draft's offer.
ADD_CSS = compact("""
.cm-add { position: absolute; z-index: 5; font: 13px system-ui, sans-serif; border: 1px solid #a88c00;
  background: #ffd400; color: #000; border-radius: 12px; padding: 3px 10px; cursor: pointer; max-width: 90%;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.cm-draft { font: 13px system-ui, sans-serif; background: #fff8d6; border: 1px solid #c9a400; border-radius: 6px;
  padding: 6px 8px; margin: 0 0 6px; }
.cm-draft button { font: 13px system-ui, sans-serif; margin: 4px 6px 0 0; border: 1px solid #999; background: #fff;
  border-radius: 10px; padding: 1px 9px; cursor: pointer; }
""")

PLACES_CSS = compact("""
.cm-places { display: flex; flex-wrap: wrap; gap: 4px; }
.cm-places button { font: 13px system-ui, sans-serif; border: 1px solid #bbb; background: #fff;
  border-radius: 12px; padding: 2px 9px; cursor: pointer; }
.cm-places button:hover, .cm-places button:focus { border-color: #333; }
.cm-places button.cm-sel { background: #ffd400; border-color: #a88c00; }
.cm-places button i { font-style: normal; display: inline-block; width: 9px; height: 9px; border-radius: 50%;
  margin-right: 5px; vertical-align: baseline; }
.cm-places button.cm-area i { border-radius: 1px; background: none !important; border: 2px solid currentColor; }
.cm-places button.cm-far { border-color: #b3261e; color: #8a1c15; }
""")

EXCERPTS_CSS = compact("""
.cm-excerpts { max-height: none; font-size: 14px; }
.cm-excerpt { margin: 0 0 10px; }
.cm-excerpt blockquote { margin: 0; padding: 1px 8px; border-left: 3px solid #bbb; }
.cm-src { font: 12px system-ui, sans-serif; color: #555; margin-top: 2px; }
.cm-src button { font: 12px system-ui, sans-serif; border: 1px solid #bbb; background: #fff; border-radius: 10px;
  padding: 1px 8px; cursor: pointer; margin-left: 6px; }
""")

#: Shared by the panels' scripts: mark the mentions (or list entries) of place ``id`` as selected, others not,
#: and with ``scroll`` bring the first into view inside its panel (the page itself never scrolls).
_MARK_JS = """
function markSelected(host, id, scroll) {
  let first = null;
  host.querySelectorAll("[data-place]").forEach((el) => {
    const on = el.dataset.place === id;
    el.classList.toggle("cm-sel", on);
    if (on && !first) { first = el; }
  });
  const box = first && first.closest(".cm-text");
  if (scroll && box) {
    const r = first.getBoundingClientRect(), b = box.getBoundingClientRect();
    if (r.top < b.top || r.bottom > b.bottom) {
      box.scrollTo({top: box.scrollTop + r.top - b.top - b.height / 3, behavior: "smooth"});
    }
  }
}
/* in a preview panel, a place picked here is shown at once: the "cm:select" event marks it in every panel and
   opens its popup on the map, before the page's run */
function announce(host, id) {
  if (!host.dataset.preview) { return; }
  window.dispatchEvent(new CustomEvent("cm:select", {detail: {place: id, from: "panel"}}));
}
/* with data.preview: a place clicked on the map is shown selected at once (the map's frame sends "cm:select"),
   and every page run marks the place it selected (data.selected), which has the last word */
function previewSelection(host, data) {
  if (!data.preview) { return; }
  if (!host.dataset.preview) {
    host.dataset.preview = "1";
    window.addEventListener("cm:select", (e) => {
      const id = e.detail && e.detail.place;
      if (typeof id === "string" && host.isConnected) { markSelected(host, id, e.detail.from === "map"); }
    });
  }
  markSelected(host, typeof data.selected === "string" ? data.selected : "", false);
}
"""

#: Script of the pages' text component (``st.components.v2``): shows the server-built, autoescaped HTML
#: and turns a click (or Enter/Space) on an element with ``data-place`` / ``data-article`` into the
#: component's ``place`` / ``article`` trigger value. The HTML is never Markdown and never a template.
COMPONENT_JS = compact(
    _MARK_JS
    + """
export default function(component) {
  const { data, setTriggerValue, parentElement } = component;
  const root = parentElement.getRootNode();
  let host = parentElement.querySelector("div.cm-host");
  if (!host) {
    const wrap = document.createElement("div");
    wrap.style.position = "relative";
    const draft = document.createElement("div");
    draft.className = "cm-draft"; draft.hidden = true;
    host = document.createElement("div");
    host.className = "cm-host";
    const add = document.createElement("button");
    add.type = "button"; add.className = "cm-add"; add.hidden = true;
    wrap.append(host);
    if (data.select) { wrap.prepend(draft); wrap.append(add); }  /* the article panel only */
    parentElement.appendChild(wrap);
    const pick = (el) => {
      if (!el) { return; }
      if (el.dataset.place) { announce(host, el.dataset.place); setTriggerValue("place", el.dataset.place); }
      else if (el.dataset.article) { setTriggerValue("article", el.dataset.article); }
    };
    const target = (e) => e.target.closest("[data-place],[data-article]");
    host.addEventListener("click", (e) => {
      const s = root.getSelection ? root.getSelection() : document.getSelection();
      if (s && !s.isCollapsed && host.contains(s.anchorNode)) { return; }  /* selecting words, not clicking */
      pick(target(e));
    });
    host.addEventListener("keydown", (e) => {
      if (e.key !== "Enter" && e.key !== " ") { return; }
      const el = target(e);
      if (el) { e.preventDefault(); pick(el); }
    });
    /* selecting words of the article offers to add them as a place (offsets from the data-o of each piece) */
    const offset = (node, off) => {
      const el = node && (node.nodeType === 3 ? node.parentElement : node);
      const o = el && el.closest && el.closest("[data-o]");
      if (!o || !host.contains(o)) { return null; }
      return Number(o.dataset.o) + (node.nodeType === 3 ? off : 0);
    };
    const offer = () => {
      add.hidden = true;
      if (!host.dataset.select) { return; }
      const s = root.getSelection ? root.getSelection() : document.getSelection();
      if (!s || s.isCollapsed || !s.rangeCount) { return; }
      const r = s.getRangeAt(0), text = s.toString();
      const a = offset(r.startContainer, r.startOffset), b = offset(r.endContainer, r.endOffset);
      const one = text.trim();
      if (a === null || b === null || b <= a || !one || text.length > 100 || /\\n/.test(one)) { return; }
      const box = r.getBoundingClientRect(), me = wrap.getBoundingClientRect();
      add.textContent = "+ Add \\u201c" + text.trim().slice(0, 40) + "\\u201d as a place";
      add.style.left = Math.max(0, box.left - me.left) + "px";
      add.style.top = (box.bottom - me.top + 4) + "px";
      add.dataset.start = String(a); add.dataset.end = String(b); add.dataset.text = text;
      add.hidden = false;
    };
    host.addEventListener("mouseup", () => setTimeout(offer, 0));
    host.addEventListener("touchend", () => setTimeout(offer, 250));
    host.addEventListener("keyup", (e) => { if (e.shiftKey) { offer(); } });
    add.addEventListener("mousedown", (e) => e.preventDefault());  /* keep the selection */
    add.addEventListener("click", () => {
      add.hidden = true;
      setTriggerValue("select", {start: Number(add.dataset.start), end: Number(add.dataset.end),
                                 text: add.dataset.text || ""});
    });
  }
  const wrap = host.parentElement, draftBox = wrap.querySelector(".cm-draft") || document.createElement("div");
  host.dataset.select = data.select ? "1" : "";
  if (host.dataset.version !== String(data.version)) {
    host.innerHTML = data.html;   /* built server-side from autoescaped templates (conflict_map.view.render) */
    host.dataset.version = String(data.version);
  }
  previewSelection(host, data);
  /* a pasted article is kept as a local draft in this browser, and offered back after a reload */
  const KEY = "conflict-map:draft";
  try {
    if (data.draft) { localStorage.setItem(KEY, data.draft); }  /* script_json text: inert anywhere */
    if (data.forget_draft) { localStorage.removeItem(KEY); }
  } catch (e) { /* storage off: no draft */ }
  if (data.offer_draft && !wrap.dataset.offered) {
    wrap.dataset.offered = "1";
    let d = null;
    try { d = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { d = null; }
    if (d && typeof d.text === "string" && d.text.trim()) {
      draftBox.textContent = "";
      const msg = document.createElement("div");
      const head = d.text.trim().replace(/\\s+/g, " ").slice(0, 80);
      msg.textContent = "You pasted an article in this browser before: \\u201c" + head + "\\u2026\\u201d (" +
        d.text.length.toLocaleString() + " characters).";
      const keep = document.createElement("button"), drop = document.createElement("button");
      keep.type = drop.type = "button";
      keep.textContent = "Open it again"; drop.textContent = "Forget it";
      keep.addEventListener("click", () => {
        draftBox.hidden = true;
        setTriggerValue("draft", {text: d.text, title: typeof d.title === "string" ? d.title : ""});
      });
      drop.addEventListener("click", () => {
        try { localStorage.removeItem(KEY); } catch (e) { /* storage off */ }
        draftBox.hidden = true;
      });
      draftBox.append(msg, keep, drop);
      draftBox.hidden = false;
    }
  }
  /* bring the selected mention into view inside the panel only: the page itself never scrolls */
  const sel = host.querySelector(".cm-sel");
  const box = sel && sel.closest(".cm-text");
  if (sel && box && data.scroll) {
    const r = sel.getBoundingClientRect(), b = box.getBoundingClientRect();
    if (r.top < b.top || r.bottom > b.bottom) {
      box.scrollTo({top: box.scrollTop + r.top - b.top - b.height / 3, behavior: "smooth"});
    }
  }
}
"""
)

#: Script of the other panels (place list, excerpts, the Corpus page's text): a click (or Enter/Space) on an
#: element with ``data-place`` / ``data-article`` is the ``place`` / ``article`` trigger; no selection, no draft.
LIST_JS = compact(
    _MARK_JS
    + """
export default function(component) {
  const { data, setTriggerValue, parentElement } = component;
  let host = parentElement.querySelector("div.cm-host");
  if (!host) {
    host = document.createElement("div");
    host.className = "cm-host";
    parentElement.appendChild(host);
    const pick = (el) => {
      if (!el) { return; }
      if (el.dataset.place) { announce(host, el.dataset.place); setTriggerValue("place", el.dataset.place); }
      else if (el.dataset.article) { setTriggerValue("article", el.dataset.article); }
    };
    const target = (e) => e.target.closest("[data-place],[data-article]");
    host.addEventListener("click", (e) => pick(target(e)));
    host.addEventListener("keydown", (e) => {
      if ((e.key === "Enter" || e.key === " ") && target(e)) { e.preventDefault(); pick(target(e)); }
    });
  }
  if (host.dataset.version !== String(data.version)) {
    host.innerHTML = data.html;   /* built server-side from autoescaped templates (conflict_map.view.render) */
    host.dataset.version = String(data.version);
  }
  previewSelection(host, data);
  const sel = host.querySelector(".cm-sel"), box = sel && sel.closest(".cm-text");
  if (sel && box && data.scroll) {  /* inside the panel only: the page never scrolls */
    const r = sel.getBoundingClientRect(), b = box.getBoundingClientRect();
    if (r.top < b.top || r.bottom > b.bottom) { box.scrollTop += r.top - b.top - b.height / 3; }
  }
}
"""
)

LEGEND = [
    ("town", "town"),
    ("base", "base / airfield"),
    ("province", "province"),
    ("country", "country"),
    ("water", "river, sea"),
    ("crossing", "crossing"),
    ("uncertain", "uncertain"),
]


def legend_html() -> str:
    """A one-line colour legend for the highlights."""
    return render_macro("text.html", "legend", LEGEND)


_BREAK = re.compile(r"((?:\r\n|\r|\n)(?:[^\S\r\n]*(?:\r\n|\r|\n))+\s*|\r\n|\r|\n)")


@dataclass(frozen=True, slots=True)
class Token:
    """One piece of a paragraph: ``kind`` is ``text``, ``br``, ``mark`` (a place) or ``demonym``."""

    kind: str
    text: str = ""
    cls: str = ""
    place: str = ""
    idx: int = 0
    title: str = ""
    at: int = -1  # offset of the piece in the article text (selections map back to the text through it)


def _non_overlapping(mentions: Iterable[Mention], n: int) -> list[Mention]:
    out: list[Mention] = []
    end = -1
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if m.start < end or m.start < 0 or m.end > n or m.end <= m.start:
            continue
        out.append(m)
        end = m.end
    return out


def mention_token(
    m: Mention, selected: str | None, idx: int, surface: str, far: Collection[str] = frozenset()
) -> Token:
    """The highlight of a mention: class by kind, place id, accessible title; ``far`` are lone far readings."""
    if m.type == "demonym" or m.place is None:
        return Token("demonym", surface, title=m.type, at=m.start)
    fam, _, _, label = kind_style(m.place.kind)
    cls = [f"cm-{fam}"]
    if m.confidence < LOW_CONFIDENCE:
        cls.append("cm-uncertain")
    if m.place.id in far:
        cls.append("cm-far")
    if selected and m.place.id == selected:
        cls.append("cm-sel")
    where = ", ".join(x for x in (m.place.province, m.place.country) if x)
    title = f"{m.place.name} \u00b7 {label}" + (f" \u00b7 {where}" if where else "")
    if m.confidence < LOW_CONFIDENCE:
        title += f" \u00b7 uncertain ({m.confidence:.0%})"
    if m.place.id in far:
        title += " \u00b7 far from the article's other places: check it"
    return Token("mark", surface, " ".join(cls), m.place.id, idx, title, m.start)


def _paragraphs(
    text: str,
    mentions: Sequence[Mention],
    span: tuple[int, int],
    selected: str | None,
    idx0: int,
    far: Collection[str] = frozenset(),
) -> list[list[Token]]:
    """Paragraphs (lists of :class:`Token`) of ``text[lo:hi]``; blank lines split them, line breaks stay."""
    lo, hi = span
    paras: list[list[Token]] = [[]]

    def add_text(chunk: str, at: int) -> None:
        for i, piece in enumerate(_BREAK.split(chunk)):
            if i % 2 == 0:
                if piece:
                    paras[-1].append(Token("text", piece, at=at))
            elif piece.count("\n") + piece.count("\r") - piece.count("\r\n") >= 2:
                paras.append([])
            else:
                paras[-1].append(Token("br"))
            at += len(piece)

    pos = lo
    for i, m in enumerate(mentions):
        add_text(text[pos : m.start], pos)
        paras[-1].append(mention_token(m, selected, idx0 + i, text[m.start : m.end], far))
        pos = m.end
    add_text(text[pos:hi], pos)
    out = []
    for para in paras:
        while para and (para[0].kind == "br" or (para[0].kind == "text" and not para[0].text.strip())):
            para.pop(0)
        while para and (para[-1].kind == "br" or (para[-1].kind == "text" and not para[-1].text.strip())):
            para.pop()
        if para:
            out.append(para)
    return out


def render_text(
    text: str,
    mentions: Sequence[Mention],
    *,
    selected: str | None = None,
    body: tuple[int, int] = (0, 0),
    far: Collection[str] = frozenset(),
) -> str:
    """The article as HTML paragraphs (blank lines split them) with highlighted mentions.

    ``far`` are the ids of lone far readings (marked for checking). Every piece carries its offset in the
    text (``data-o``), so a selection of words maps back to the text.

    ``body`` is the story span the geoparser found (``ParseResult.body``); text before and after it
    (page boilerplate such as a publisher's address) is shown greyed. ``(0, 0)`` means all story.
    Every paragraph has ``dir="auto"``, so right-to-left text (Arabic) reads right to left.
    """
    n = len(text)
    shown = [m for m in mentions if m.place is not None or m.type == "demonym"]  # "not a place" drops out
    spans = _non_overlapping(shown, n)
    b0, b1 = body
    if not (0 <= b0 < b1 <= n) or (b0 == 0 and b1 == n):
        b0, b1 = 0, n
    blocks = []
    idx = 0
    for lo, hi, boiler in ((0, b0, True), (b0, b1, False), (b1, n, True)):
        if hi <= lo or not text[lo:hi].strip():
            continue
        inside = [m for m in spans if lo <= m.start and m.end <= hi]
        blocks.append({"boiler": boiler, "paras": _paragraphs(text, inside, (lo, hi), selected, idx, far)})
        idx += len(inside)
    return render_macro("text.html", "article", blocks)


def place_list_html(places: Sequence[MapPlace], selected: str | None = None) -> str:
    """The place list: one button per place (kind colour, name, "?" when uncertain, "⚠" when a lone far
    reading, mention count); areas (countries, provinces, rivers) have a square swatch."""
    items = []
    for mp in places:
        _fam, colour, _, label = kind_style(mp.place.kind)
        items.append(
            {
                "id": mp.place.id,
                "kind": mp.place.kind,
                "name": mp.place.name,
                "label": label,
                "colour": colour,
                "selected": mp.place.id == selected,
                "uncertain": mp.uncertain,
                "far": bool(mp.far_km),
                "area": mp.place.kind in AREA_KINDS,
                "n": len(mp.mentions),
            }
        )
    return render_macro("text.html", "place_list", items)


def excerpts_html(items: Sequence[dict[str, object]]) -> str:
    """Quoted excerpts (``pre``, ``mid``, ``post``, ``source``, ``date``, ``article``) with "Open article" buttons."""
    return render_macro("text.html", "excerpts", items)


def first_mention_index(mentions: Sequence[Mention], place_id: str) -> int | None:
    """Index (in :func:`render_text` order) of the first mention of ``place_id``, for scrolling."""
    shown = [m for m in mentions if m.place is not None or m.type == "demonym"]
    spans = _non_overlapping(shown, 10**12)
    for i, m in enumerate(spans):
        if m.place is not None and m.place.id == place_id:
            return i
    return None
