"""The one rendering layer: every piece of HTML, every value inside a ``<script>`` and every bit of user text
shown through Markdown goes through this module.

Article text, titles, file names and place names are data. They reach a page in exactly three ways:

* **HTML** comes from Jinja2 templates in ``conflict_map/templates/`` rendered with autoescape on
  (:func:`render_template`), or from :func:`html_text` for a single value;
* **data inside a script** is :func:`script_json`: JSON whose strings have every character that could end
  the script element, open a comment or markup (``< > & '``), start a template expression (``{ }``) or break
  a JavaScript string (U+2028, U+2029, lone surrogates) written as a ``\\uXXXX`` escape. The same JSON is
  therefore inert in HTML, in JavaScript and in a template engine;
* **Markdown** (Streamlit captions) gets :func:`markdown_text`, which backslashes every Markdown, HTML,
  LaTeX and Streamlit-directive character.

folium and branca compile the script they render *again* as a Jinja template; :class:`SafeMacroElement`
adds its rendered parts to the figure verbatim (never compiled), and :func:`script_json` keeps template
syntax out of them anyway, so text is never handed to a template engine as template source.

>>> script_json({"name": "Mosul {{ 7*7 }} </script>"})
'{"name":"Mosul \\\\u007b\\\\u007b 7*7 \\\\u007d\\\\u007d \\\\u003c/script\\\\u003e"}'
>>> str(html_text('<b onclick="x">'))
'&lt;b onclick=&#34;x&#34;&gt;'
>>> markdown_text("[a](https://evil.example)")
'\\\\[a\\\\]\\\\(https\\\\://evil\\\\.example\\\\)'
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

import jinja2
import markupsafe
from branca.element import Element, Figure, MacroElement

# Characters written as \uXXXX inside JSON strings: HTML/script breakers, template braces, JS line
# terminators and every surrogate (a lone one cannot be encoded as UTF-8).
_UNSAFE_IN_STRINGS: dict[int, str] = {ord(c): f"\\u{ord(c):04x}" for c in "<>&'{}\u2028\u2029"}
_UNSAFE_IN_STRINGS.update({cp: f"\\u{cp:04x}" for cp in range(0xD800, 0xE000)})
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)


def script_json(value: Any) -> str:
    """``value`` as compact JSON that is safe inside ``<script>``, HTML attributes and template source.

    Only characters inside JSON strings are escaped (the structure's own braces stay), so the result
    parses to exactly ``value`` in the browser.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _JSON_STRING.sub(lambda m: m.group().translate(_UNSAFE_IN_STRINGS), text)


def html_text(value: object) -> markupsafe.Markup:
    """A value as HTML text (``& < > " '`` escaped); lone surrogates become U+FFFD."""
    return markupsafe.escape(clean_surrogates(str(value)))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&\"'@])")


_AUTOLINK = re.compile(r"(?i)(://|\bwww(?=\.))")
_WORD_JOINER = "\u2060"


def markdown_text(value: object) -> str:
    """User text for a Streamlit widget that renders Markdown: shown as written, never as markup.

    Whitespace runs (line breaks included) become one space, so text cannot start a heading, list or
    quote; every Markdown, HTML, LaTeX (``$``) and directive (``:red[...]``) character is backslashed, and an
    invisible word joiner after ``://`` and ``www`` stops GitHub-flavoured Markdown from making a bare address
    a link. Prefer plain-text elements (``conflict_map.web.components.plain``) where a widget allows.
    """
    flat = _AUTOLINK.sub(lambda m: m.group() + _WORD_JOINER, " ".join(clean_surrogates(str(value)).split()))
    return _MD_SPECIAL.sub(r"\\\1", flat)


def clean_surrogates(text: str) -> str:
    """``text`` with lone surrogates (not encodable as UTF-8) replaced by U+FFFD."""
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)


# --- HTML templates --------------------------------------------------------------------------------


def _finalize(value: Any) -> Any:
    """Every value a template prints: lone surrogates become U+FFFD (then autoescape applies)."""
    return clean_surrogates(value) if isinstance(value, str) and not hasattr(value, "__html__") else value


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the package's templates: autoescape on, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("conflict_map.view", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        finalize=_finalize,
    )
    env.filters["script_json"] = lambda v: markupsafe.Markup(script_json(v))
    env.filters["text"] = html_text
    return env


def render_template(name: str, **context: Any) -> str:
    """Render ``templates/<name>`` with autoescape; pass user text as plain ``str`` values only."""
    return environment().get_template(name).render(**context)


def render_macro(template: str, macro: str, *args: Any, **kwargs: Any) -> str:
    """Call one macro of a template (small fragments: a popup, a legend) and return its HTML."""
    module = environment().get_template(template).module
    return str(getattr(module, macro)(*args, **kwargs))


# --- folium / branca elements that never compile what they render -----------------------------------


class RawHtml(Element):
    """Markup or script that is already rendered, added to a figure as is (never compiled as a template)."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "RawHtml"
        self.code = code

    def render(self, **kwargs: Any) -> str:  # noqa: ARG002 - branca's signature
        return self.code


def compact(code: str) -> str:
    """Script or CSS without leading indentation and blank lines (fewer bytes on every Streamlit rerun).

    Only whitespace at the start of a line goes, so strings and comments are unchanged.
    """
    return "\n".join(s for s in (line.lstrip() for line in code.splitlines()) if s)


def _render_parts(element: MacroElement, kwargs: dict[str, Any], shape: Any) -> None:
    """Render a macro element's header, html and script into its figure verbatim, then its children."""
    figure = element.get_root()
    if not isinstance(figure, Figure):
        raise TypeError("a MacroElement is rendered inside a branca Figure")
    module = element._template.module.__dict__
    for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
        macro = module.get(part)
        if macro is not None:
            target.add_child(RawHtml(shape(str(macro(element, kwargs)))), name=element.get_name())
    for child in element._children.values():
        child.render(**kwargs)


def _verbatim_render(self: MacroElement, **kwargs: Any) -> None:
    """branca's ``MacroElement.render`` without compiling its output a second time (see below)."""
    _render_parts(self, kwargs, str)


#: branca's ``MacroElement.render`` hands every rendered part to ``Element(part)``, which compiles it as a Jinja
#: template again: slow (a tenth of the dashboard server's CPU, py-spy) and unsafe for any text inside. Every
#: macro element (folium's own markers, layers and controls too) renders its parts verbatim instead; the output
#: is the same string, as the parts of folium's elements hold no template syntax once rendered.
MacroElement.render = _verbatim_render  # type: ignore[method-assign]


class SafeMacroElement(MacroElement):
    """A ``MacroElement`` whose rendered header, html and script go into the figure verbatim.

    branca's own ``MacroElement.render`` wraps each rendered part in ``Element(part)``, which compiles the
    part as a Jinja template a second time: text inside it (``{{ ... }}``) would run on the server. Every
    element of this package that carries user data derives from this class and puts that data in with
    :func:`script_json`.
    """

    def render(self, **kwargs: Any) -> None:
        _render_parts(self, kwargs, compact)
