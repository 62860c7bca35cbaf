"""The standalone HTML map: the dashboard's map of the export, every script, style and basemap inlined.

It opens from a file with no server and no network. :func:`inline_assets` (also used for the classroom's
story page) replaces each ``static/`` script, stylesheet (with its images) and fetched GeoJSON layer by
its content and refuses a page that would still load anything remote. The page's title and header box
come from autoescaped templates (``export_title.html``, ``export_header.html``).
"""

from __future__ import annotations

import base64
import json
import mimetypes
import re
from pathlib import Path
from typing import Any

from conflict_map.errors import UserError
from conflict_map.export.data import ExportData, ExportFormat, materialised
from conflict_map.export.lines import unwrapped_line
from conflict_map.export.safetext import cleaned, utf8_text
from conflict_map.models import Candidate, Mention
from conflict_map.store.queries import PlaceSummary
from conflict_map.view.render import render_template

#: Above this many places the standalone HTML map clusters circles instead of drawing full markers.
MAX_HTML_MARKERS = 300


def _map_mentions(s: PlaceSummary) -> list[Mention]:
    """Mentions for the dashboard's popup: the excerpts, padded so the popup counts every mention."""
    ms = [
        Mention(
            start=e.start,
            end=e.end,
            text=e.text,
            sentence=e.sentence,
            sentence_start=0,
            candidates=[Candidate(s.place, 1.0)],
            place=s.place,
            confidence=s.min_confidence,
        )
        for e in s.excerpts
    ]
    if ms and len(ms) < s.n_mentions:
        ms += [ms[-1]] * (s.n_mentions - len(ms))
    return ms


def build_standalone_map(data: ExportData) -> str:
    """The dashboard's folium map of ``data`` rendered to HTML (assets still linked, not inlined).

    Up to :data:`MAX_HTML_MARKERS` places get the dashboard's markers with excerpt popups; a larger corpus
    gets the corpus page's clustered, size-scaled circles (a few hundred KB instead of megabytes of markers).
    """
    from conflict_map.view import corpusmap, mapview, overlays

    data = cleaned(materialised(data), utf8_text)
    if len(data.places) > MAX_HTML_MARKERS:
        m = corpusmap.build_corpus_map(data.places, height=100)
    else:
        places = [mapview.MapPlace(s.place, _map_mentions(s)) for s in data.places]
        m = mapview.build_map(places, provinces=True, height=100)
    lines = [
        overlays.LineOverlay(
            [unwrapped_line(c.line)],  # continuous longitudes: the web map draws it the short way across 180°
            f"{c.stated or 'claim'} \u2192 {c.verdict}" if c.verdict else (c.stated or "claim"),
            colour="#7b3fa0",
            dash="6 4",
            endpoints=True,
        )
        for c in data.claims
        if len(c.line) >= 2
    ] + [
        overlays.LineOverlay(c.parts, c.stated or "border", colour="#ff7b00", weight=5)
        for c in data.claims
        if c.parts and len(c.line) < 2
    ]
    if lines:
        overlays.overlay_group(lines=lines, pan=False).add_to(m)
    return m.get_root().render()


_SCRIPT_SRC = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["'][^>]*>\s*</script>""", re.I)
_LINK_CSS = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']([^"']+)["'][^>]*>""", re.I)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_FETCH_URL = re.compile(r"""fetch\(("(?:[^"\\]|\\.)*")\)""")


def _static_file(url: str, static_url: str, static_dir: Path) -> Path | None:
    if not url.startswith(static_url + "/"):
        return None
    rel = url[len(static_url) + 1 :].split("?")[0].split("#")[0]
    p = (static_dir / rel).resolve()
    if static_dir.resolve() not in p.parents or not p.is_file():
        return None
    return p


def _inline_css(css: str, css_path: Path) -> str:
    def repl(m: re.Match[str]) -> str:
        ref = m.group(2)
        if ref.startswith(("data:", "#")):
            return m.group(0)
        target = (css_path.parent / ref.split("?")[0]).resolve()
        if not target.is_file():
            return "url(data:,)"
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return f"url(data:{mime};base64,{base64.b64encode(target.read_bytes()).decode('ascii')})"

    return _CSS_URL.sub(repl, css)


def _script_safe(js: str) -> str:
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.I)


def inline_assets(page: str, static_dir: Path | None = None, static_url: str | None = None) -> str:
    """Inline every ``static/`` script, stylesheet (with its images) and fetched GeoJSON into ``page``.

    Raises :class:`UserError` when a local asset is missing or the page still loads something remote.
    """
    from conflict_map.view import offline

    static_dir = static_dir or offline.STATIC_DIR
    static_url = static_url or offline.STATIC_URL
    missing: list[str] = []

    def script(m: re.Match[str]) -> str:
        p = _static_file(m.group(1), static_url, static_dir)
        if p is None:
            missing.append(m.group(1))
            return m.group(0)
        return f"<script>/* {p.name} */\n{_script_safe(p.read_text(encoding='utf-8'))}\n</script>"

    def link(m: re.Match[str]) -> str:
        tag = m.group(0)
        if "stylesheet" not in tag.lower():
            return tag
        p = _static_file(m.group(1), static_url, static_dir)
        if p is None:
            missing.append(m.group(1))
            return tag
        css = _inline_css(p.read_text(encoding="utf-8"), p).replace("</", "<\\/")
        return f"<style>/* {p.name} */\n{css}\n</style>"

    page = _SCRIPT_SRC.sub(script, page)
    page = _LINK_CSS.sub(link, page)
    # GeoJSON layers are fetched by URL: serve them from an inline table (fetch of file:// is blocked)
    inline: dict[str, Any] = {}
    for m in _FETCH_URL.finditer(page):
        url = json.loads(m.group(1))
        if url in inline:
            continue
        p = _static_file(url, static_url, static_dir)
        if p is None:
            continue  # e.g. provinces not built: the layer stays empty, the map still works
        inline[url] = json.loads(p.read_text(encoding="utf-8"))
    shim = (
        "<script>(function(){var D="
        + json.dumps(inline, separators=(",", ":")).replace("</", "<\\/")
        + ";var F=window.fetch?window.fetch.bind(window):null;window.fetch=function(u,o){"
        "if(typeof u==='string'&&Object.prototype.hasOwnProperty.call(D,u)){"
        "return Promise.resolve({ok:true,status:200,json:function(){return Promise.resolve(D[u]);}});}"
        "if(typeof u==='string'&&u.indexOf('/app/static/')===0){return Promise.resolve({ok:false,status:404,"
        "json:function(){return Promise.resolve(null);}});}"
        "return F?F(u,o):Promise.reject(new Error('offline'));};})();</script>"
    )
    page = re.sub(r"<head>", lambda _m: '<head>\n<meta charset="utf-8">\n' + shim, page, count=1, flags=re.I)
    if missing:
        raise UserError(f"cannot inline map assets {', '.join(sorted(set(missing)))}: {offline.INSTALL_HINT}")
    remote = [u for u in _SCRIPT_SRC.findall(page) + _LINK_CSS.findall(page) if "://" in u or u.startswith("//")]
    if remote:
        raise UserError(f"the map still loads remote files: {', '.join(remote)}")
    return page


def _html_header(data: ExportData) -> str:
    """The header box: title, counts, export time, attribution and the claims (rendered from a template)."""
    return render_template(
        "export_header.html",
        title=data.title,
        info=f"{len(data.places)} place(s) from {len(data.articles)} article(s)",
        generated_at=data.generated_at,
        claims=data.claims,
    )


def to_html(data: ExportData, static_dir: Path | None = None) -> str:
    """A standalone HTML map: opens from a file with no server and no network."""
    from conflict_map.view import offline

    missing = offline.missing_assets(static_dir)
    if missing:
        raise UserError(f"the map's browser files are missing ({', '.join(missing[:3])}...): {offline.INSTALL_HINT}")
    data = materialised(data)
    page = build_standalone_map(data)
    page = inline_assets(page, static_dir)
    page = re.sub(r"<title>.*?</title>", "", page, flags=re.S | re.I)
    title = render_template("export_title.html", title=data.title)
    page = re.sub(r"<head>", lambda _m: "<head>\n" + title, page, count=1, flags=re.I)
    page = re.sub(r"<body>", lambda _m: "<body>\n" + _html_header(data), page, count=1, flags=re.I)
    # make the map fill the window when opened as a file
    page = page.replace(
        "</head>",
        "<style>html,body{height:100%;margin:0}.folium-map{height:100vh!important}</style>\n</head>",
        1,
    )
    return utf8_text(page)  # the header's text too: a lone surrogate cannot be written as UTF-8


def html_bytes(data: ExportData) -> bytes:
    """The standalone HTML map file, UTF-8."""
    return to_html(data).encode("utf-8")


FORMAT = ExportFormat("html", ".html", "text/html", to_bytes=html_bytes)

__all__ = ["FORMAT", "MAX_HTML_MARKERS", "build_standalone_map", "html_bytes", "inline_assets", "to_html"]
