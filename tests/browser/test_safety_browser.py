"""Article text is data, in a real browser: hostile articles on the main, Corpus and Present pages.

Every page is scanned in every frame and every (open) shadow root for what a payload of ``tests/hostile.py``
would leave if it were executed or interpreted: ``window.cmPwned`` set, an element carrying ``data-cm-pwn``,
a link to evil.example, an image from tracker.example, a Markdown heading, a colour, KaTeX, or a template
tell (``117649``...). The payload text itself must still be shown, as written. Screenshots go to
``test-output/safety-*.png``; look at them.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, FrameLocator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .conftest import OUT

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import dashboard_fake  # noqa: E402
import hostile  # noqa: E402

from conflict_map.store.sqlite import ArticleInput, Corpus  # noqa: E402

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MARKERS = ".leaflet-marker-pane > *"
PLACES = ("Al Qaim", "Haditha", "Ramadi")
TEXT = hostile.printable_text(PLACES)
#: Title, publisher and address of the corpus article: payloads too (shown as text, never a link).
TITLE = "# cm heading [cmlink](https://evil.example/) <b data-cm-pwn>t</b> {{ 7*7*7*7*7*7 }} :red[cm red] $cm^2$"
PUBLISHER = "![cm](http://tracker.example/p.png) <b data-cm-pwn2>p</b>"
URL = "https://evil.example/article"

#: Run in every frame: what a payload left behind, searching the document and every open shadow root.
SCAN_JS = r"""
(skipAutolinks) => {
  const els = [], texts = [document.documentElement.textContent || ""];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      els.push(el);
      if (el.shadowRoot) { texts.push(el.shadowRoot.textContent || ""); walk(el.shadowRoot); }
    }
  };
  walk(document);
  const found = [];
  const text = (el) => (el.textContent || "").trim();
  const where = (el) => ": " + el.outerHTML.slice(0, 160) + " in "
    + (el.parentElement ? el.parentElement.outerHTML.slice(0, 300) : "?");
  for (const el of els) {
    const tag = el.tagName.toLowerCase();
    const attr = (n) => el.getAttribute(n) || "";
    if (skipAutolinks && tag === "a" && text(el) === attr("href")) continue;  // see AUTOLINKS
    if (el.hasAttribute("data-cm-pwn") || el.hasAttribute("data-cm-pwn2"))
      found.push(tag + " with data-cm-pwn" + where(el));
    if (attr("href").includes("evil.example") || attr("xlink:href").includes("evil.example"))
      found.push(tag + " linking to evil.example" + where(el));
    if ((attr("src") + attr("srcset") + attr("href")).includes("tracker.example"))
      found.push(tag + " pointing at tracker.example" + where(el));
    for (const a of el.attributes) {
      if (a.name.startsWith("on") && a.value.includes("cmPwned")) found.push(tag + " with handler " + a.name);
    }
    if (el.classList.contains("katex") || tag === "math") found.push("KaTeX / MathML from $cm^2$");
    if (/^h[1-6]$/.test(tag) && text(el).includes("cm heading") && !text(el).includes("# cm heading"))
      found.push(tag + " made from '# cm heading'");
    if (["cm red", "cm bold", "cm it", "cm code", "cmlink", "cm heading"].includes(text(el)))
      found.push(tag + " rendered from Markdown: " + text(el));
  }
  const all = texts.join("\n");
  for (const tell of ["117649", "cmpwned", "cmifok"]) { if (all.includes(tell)) found.push("template tell " + tell); }
  if (typeof window.cmPwned !== "undefined") found.push("window.cmPwned = " + String(window.cmPwned));
  return found;
}
"""


#: Streamlit's Markdown (GFM autolink literals) turned a bare URL in user text into a clickable link despite
#: the backslashes (a corpus article's address, title or publisher on the Corpus page; fixed: plain-text
#: elements and word joiners). The Corpus test skips links whose text is their own address (and still
#: catches every other link), and records everything it saw here for :func:`test_corpus_metadata_makes_no_links`.
AUTOLINKS: dict[str, dict[str, list[str]]] = {}


#: On the Corpus map the place circles shared the overlay pane's SVG with the basemap (countries, borders),
#: which loads afterwards by URL, so the opaque land was painted over them (fixed: the basemap's own panes). Run in
#: the map frame once the land is drawn: the circles whose centre shows the basemap instead (empty when fine).
HIDDEN_CIRCLES_JS = r"""
() => {
  const base = [...document.querySelectorAll(".leaflet-pane path:not(.leaflet-interactive), .leaflet-pane canvas")];
  const saved = base.map((e) => e.style.pointerEvents);
  base.forEach((e) => { e.style.pointerEvents = "auto"; });  // hit-test the basemap too, just for this check
  const hidden = [];
  for (const c of document.querySelectorAll("path.leaflet-interactive")) {
    const b = c.getBoundingClientRect(), x = b.x + b.width / 2, y = b.y + b.height / 2;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) continue;
    const top = document.elementFromPoint(x, y);
    if (top && base.includes(top)) hidden.push(`circle at ${Math.round(x)},${Math.round(y)} under the basemap`);
  }
  base.forEach((e, i) => { e.style.pointerEvents = saved[i]; });
  return hidden;
}
"""
LAND_DRAWN_JS = (
    "() => document.querySelectorAll('.leaflet-pane canvas, "
    '.leaflet-pane path:not(.leaflet-interactive):not([fill="none"])\').length > 0'
)
HIDDEN_CIRCLES: list[str] = []


def breaches(page: Page, *, skip_autolinks: bool = False) -> dict[str, list[str]]:
    """What any frame of the page shows of an executed or interpreted payload (empty when safe)."""
    out: dict[str, list[str]] = {}
    for frame in page.frames:
        for attempt in range(3):  # a frame may be replaced while it is scanned (a late rerun): scan it again
            try:
                found = frame.evaluate(SCAN_JS, skip_autolinks)
                break
            except PlaywrightError:
                if frame.is_detached():  # gone from the page: nothing left to show
                    found = []
                    break
                if attempt == 2:
                    raise
                page.wait_for_timeout(300)
        if found:
            out[frame.name or frame.url[:80]] = found
    return out


HAS_MAP = "() => !!document.querySelector('.leaflet-marker-pane > *')"


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_timeout(300)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=15_000)


def open_app(page: Page, url: str) -> FrameLocator:
    page.goto(url)
    page.locator(MAP_FRAME).wait_for(state="attached", timeout=30_000)
    fr = page.frame_locator(MAP_FRAME)
    fr.locator(MARKERS).first.wait_for(timeout=30_000)
    # a browser's first page draws the article and its map; the rest (place list, claims, downloads) comes with
    # the run the map's first report starts: wait for the whole page
    page.get_by_role("button", name="GeoJSON").wait_for(timeout=30_000)
    return fr


def paste_hostile(page: Page, fr: FrameLocator) -> None:
    page.get_by_label("Article text").fill(TEXT)
    page.get_by_role("button", name="Map article").click()
    expect(fr.locator(MARKERS)).to_have_count(3, timeout=15_000)
    # a new article's map replaces the old frame: until its runs are over both can be on the page
    settle(page)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=30_000)
    settle(page)


def assert_payloads_shown(text: str) -> None:
    """Every printable payload is in ``text`` exactly as written (nothing dropped or interpreted)."""
    missing = [p for p in hostile.PRINTABLE if p not in text]
    assert missing == [], f"payloads not shown as written: {missing}"


def assert_safe(page: Page, outside_requests: list[str], *, skip_autolinks: bool = False) -> None:
    assert breaches(page, skip_autolinks=skip_autolinks) == {}
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert outside_requests == []


def test_hostile_article_on_the_main_page(page: Page, app_url: str, outside_requests: list[str]) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    fr = open_app(page, app_url)
    paste_hostile(page, fr)
    assert_payloads_shown(page.locator(".cm-text").last.text_content() or "")
    expect(page.locator("mark[data-place]")).to_have_count(len(hostile.PRINTABLE))
    # a marker's popup quotes the sentences, payloads as text
    fr.locator('.leaflet-marker-icon:has([data-place="1"])').dispatch_event("click")  # Al Qa'im
    popup = fr.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("{{ 7*7*7*7*7*7 }}", timeout=10_000)
    expect(popup).to_contain_text("<b data-cm-pwn>bold</b>")
    fr.locator('.leaflet-marker-icon:has([data-place="3"])').dispatch_event("click")  # Ramadi
    expect(fr.locator(".leaflet-popup-content", has_text="{% if 1 %}cmif{% endif %}ok")).to_be_visible()
    expect(fr.locator(".leaflet-popup-content", has_text='"><img src=x onerror="window.')).to_be_visible()
    settle(page)
    page.wait_for_timeout(300)
    assert any(f.evaluate(HAS_MAP) for f in page.frames)  # the scan below reaches into the map iframe
    assert_safe(page, outside_requests)
    assert dialogs == []
    page.screenshot(path=str(OUT / "safety-main.png"))


@pytest.fixture(scope="module")
def hostile_corpus_article(app_db: Path) -> int:
    """The hostile article in the corpus the app server reads (with a hostile title, publisher, address)."""
    corpus = Corpus(app_db)
    try:
        art = ArticleInput(
            text=TEXT, title=TITLE, url=URL, publisher=PUBLISHER, date="2024-03-01", source_name="<i>cm.txt</i>"
        )
        aid, _ = corpus.add_article(art, dashboard_fake.geoparse(TEXT))
    finally:
        corpus.close()
    return aid


def test_hostile_article_on_the_corpus_page(
    page: Page, app_url: str, hostile_corpus_article: int, outside_requests: list[str]
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{app_url}/Corpus")
    page.get_by_role("heading", name="Corpus").first.wait_for(timeout=30_000)
    # the Article view: the same text panel as the main page
    page.get_by_text("Article", exact=True).first.click()
    expect(page.locator(".cm-text mark[data-place]")).to_have_count(len(hostile.PRINTABLE), timeout=20_000)
    fr = page.frame_locator(MAP_FRAME).first
    expect(fr.locator(MARKERS)).to_have_count(3, timeout=20_000)
    settle(page)
    assert_payloads_shown(page.locator(".cm-text").last.text_content() or "")
    expect(page.get_by_text(TITLE, exact=False).first).to_be_visible()  # the title, as written
    expect(page.get_by_text(URL).first).to_be_visible()  # the address as inert text
    page.wait_for_timeout(300)
    assert_safe(page, outside_requests, skip_autolinks=True)
    AUTOLINKS["Article"] = breaches(page)
    page.screenshot(path=str(OUT / "safety-corpus.png"), full_page=True)
    # the Corpus map view: excerpts quote the sentences, the source is the hostile title
    page.locator('[data-testid="stSidebar"]').get_by_text("Corpus map", exact=True).click()
    expect(page.locator(".cm-excerpt").first).to_be_visible(timeout=20_000)
    expect(page.frame_locator(MAP_FRAME).first.locator(".leaflet-interactive").first).to_be_attached(timeout=20_000)
    settle(page)
    cmap = page.locator(MAP_FRAME).first.element_handle().content_frame()
    assert cmap is not None
    cmap.wait_for_function(LAND_DRAWN_JS, timeout=15_000)
    HIDDEN_CIRCLES[:] = [*cmap.evaluate(HIDDEN_CIRCLES_JS), "checked"]
    excerpts = page.locator(".cm-excerpts").last.text_content() or ""
    assert TITLE in excerpts and "{{ 7*7*7*7*7*7 }}" in excerpts and "<b data-cm-pwn>bold</b>" in excerpts
    page.wait_for_timeout(300)
    assert_safe(page, outside_requests, skip_autolinks=True)
    AUTOLINKS["Corpus map"] = breaches(page)
    assert dialogs == []
    page.screenshot(path=str(OUT / "safety-corpus-map.png"), full_page=True)


def test_corpus_metadata_makes_no_links(page: Page) -> None:
    """The article's address, title and publisher are inert text on the Corpus page: no link at all.

    Checks what :func:`test_hostile_article_on_the_corpus_page` saw (no second page load); it asks for
    ``page`` only so that ``conftest.py`` orders it with, and after, the other page tests.
    """
    del page
    if len(AUTOLINKS) < 2:
        pytest.skip("needs test_hostile_article_on_the_corpus_page to have run first, in this process")
    assert AUTOLINKS == {"Article": {}, "Corpus map": {}}


def test_corpus_map_circles_above_the_land(page: Page) -> None:
    """Every place circle on the Corpus map is drawn above the land (checked by the Corpus page test)."""
    del page  # asked for only so that conftest.py orders this test after the page tests
    if not HIDDEN_CIRCLES:
        pytest.skip("needs test_hostile_article_on_the_corpus_page to have run first, in this process")
    assert HIDDEN_CIRCLES == ["checked"]


DOWNLOADS = {"GeoJSON": ".geojson", "CSV": ".csv", "KML": ".kml", "HTML map": ".html"}


def _check_download(label: str, data: bytes) -> None:
    if label == "GeoJSON":
        doc = json.loads(data)
        assert doc["type"] == "FeatureCollection" and doc["features"]
    elif label == "CSV":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert len(rows) > 1 and any(h.strip().lower() in ("name", "place", "place_name") for h in rows[0]), rows[0]
    elif label == "KML":
        assert ET.fromstring(data).tag.endswith("kml")
    else:
        assert b"<html" in data.lower()


def test_download_right_after_another_action(page: Page, app_url: str, outside_requests: list[str]) -> None:
    """A place click (a rerun) then at once a download: the file arrives, the server finds it every time."""
    open_app(page, app_url)
    settle(page)
    log = OUT / "streamlit.log"

    def lost() -> int:
        return log.read_text(encoding="utf-8", errors="replace").count("MediaFileStorageError")

    log_before = lost()
    buttons = page.locator("button[data-place]")
    for label, ext in DOWNLOADS.items():
        for i in range(4):
            buttons.nth(i % 3).click()  # select a place: Streamlit reruns the page
            try:
                with page.expect_download(timeout=10_000) as info:
                    page.get_by_role("button", name=label, exact=True).click()
            except PlaywrightTimeoutError:
                pytest.fail(f"{label} #{i + 1}: no download ({lost() - log_before} MediaFileStorageError in {log})")
            dl = info.value
            assert dl.failure() is None, f"{label} #{i + 1}: {dl.failure()}"
            assert dl.suggested_filename.endswith(ext), dl.suggested_filename
            _check_download(label, Path(dl.path()).read_bytes())
    settle(page)
    assert lost() == log_before, f"the server lost a download (MediaFileStorageError in {log})"
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert outside_requests == []


STORY_PAYLOADS = [
    ("Al Qaim", "{{ 7*7*7*7*7*7 }}"),
    ("Haditha", '{{ "cm" ~ "pwned" }}'),
    ("Al Qaim", "{# cm-comment #}"),
    ("Al Qaim", "<b data-cm-pwn>bold</b>"),
    ("Al Qaim", "</script><b data-cm-pwn2>x</b>"),
    ("Ramadi", "{% if 1 %}cmif{% endif %}ok"),
    ("Ramadi", "{{range(9**9)|sum}}"),
]


def _story_frame(page: Page) -> Frame:
    for f in page.frames:
        if f is not page.main_frame and f.evaluate("() => !!window.cmStory"):
            return f
    raise AssertionError("no story frame")


def test_story_of_a_hostile_article(page: Page, app_url: str, outside_requests: list[str]) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    fr = open_app(page, app_url)
    paste_hostile(page, fr)
    # the same session: through the page navigation, not a new page load
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Present").click()
    page.get_by_text("Article on the main page").click()
    expect(page.get_by_text("Pasted article").first).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Build story").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('iframe')].some(f => f.contentWindow && f.contentWindow.cmStory)",
        timeout=20_000,
    )
    story = _story_frame(page)
    n = story.evaluate("cmStory.count")
    assert n == 4  # the title and the three places
    shown: list[str] = []
    for i in range(n):
        story.evaluate(f"cmStory.go({i})")
        shown.append(story.locator("body").inner_text())
    text = "\n".join(shown)
    for p in STORY_PAYLOADS:  # the title step and each place's first sentences
        assert f"near {p[0]} {p[1]} on Monday." in text, p
    story.evaluate("cmStory.go(1)")
    settle(page)
    page.wait_for_timeout(500)
    assert_safe(page, outside_requests)
    assert dialogs == []
    page.screenshot(path=str(OUT / "safety-present.png"))
