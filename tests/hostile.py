"""One shared list of hostile payloads, pushed through every output of the product.

Article text, titles, file names and place names are data, never code or markup. Each payload below is
something a pasted article, an uploaded file name, a JSONL title or a corpus alias could carry; every
output (main page, Corpus page, Present page, every export format, story and hand-out) is tested with
all of them:

* template syntax (branca/folium compile what they render as Jinja; a Streamlit page must not either);
* HTML and JavaScript (a tag, an event handler, a ``</script>`` that would end the script element);
* Markdown (links, images that would call an outside host, headings, Streamlit colour and LaTeX syntax);
* spreadsheet formulas (CSV cells that start with ``= + - @``, also after a tab or a bare CR);
* XML breakers (characters XML 1.0 forbids, a CDATA end, entities);
* bidi overrides and zero-width characters; line and paragraph separators (JavaScript string breakers);
* a lone surrogate (not encodable as UTF-8).

Each "tell" is a string that appears in an output only if a payload was *executed or interpreted*
(a template evaluated, a tag left as markup): :func:`breaches` lists them. Tests also check that the
payload text itself is kept (as text), because losing the user's words is a defect too.
"""

from __future__ import annotations

from pathlib import Path

#: Template syntax; evaluated, these print ``117649`` / ``cmpwned`` / ``cmifok``.
TEMPLATE = [
    "{{ 7*7*7*7*7*7 }}",
    '{{ "cm" ~ "pwned" }}',
    "{% if 1 %}cmif{% endif %}ok",
    "{# cm-comment #}",
    "{{ lipsum.__globals__.os.getcwd() }}",
    "{{range(9**9)|sum}}",
]
#: HTML / JavaScript; left as markup, these leave ``<b data-cm-pwn`` etc. in the page.
HTML = [
    "<b data-cm-pwn>bold</b>",
    "<script>window.cmPwned=1</script>",
    '"><img src=x onerror="window.cmPwned=2">',
    "</script><b data-cm-pwn2>x</b>",
    "<!-- <script>",
    "javascript:window.cmPwned=3",
    "&lt;b&gt;already escaped&lt;/b&gt;",
    "' onmouseover='window.cmPwned=4",
]
#: Markdown (and Streamlit's extensions); rendered, they make links, images, headings, colours, maths.
MARKDOWN = [
    "![cm](http://tracker.example/p.png)",
    "[cmlink](https://evil.example/)",
    "# cm heading",
    ":red[cm red]",
    "$cm^2$",
    "**cm bold** _cm it_ `cm code`",
    "<https://evil.example/auto>",
]
#: Spreadsheet formulas, also hidden after a tab, a bare CR or a line feed.
FORMULAS = [
    '=HYPERLINK("http://evil.example","cm")',
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\r=1+1",
    "\t=1+2",
    "x\r=CMD|' /C calc'!A0",
]
#: Characters XML 1.0 forbids, a CDATA end, an entity.
XML = ["\uffff", "\x01", "\x0b", "]]>", "<![CDATA[x]]>", "&amp;", "\ufffe"]
#: Bidi overrides, zero-width characters, JS line terminators.
INVISIBLE = ["\u202ecm-rtl\u202c", "\u200bcm\u200d", "\u2066x\u2069", "\ufeff", "\u2028", "\u2029"]
#: Not encodable as UTF-8.
SURROGATE = ["\ud800", "\udfff"]

PAYLOADS: list[str] = TEMPLATE + HTML + MARKDOWN + FORMULAS + XML + INVISIBLE + SURROGATE

#: Payloads that may legitimately reach an output once invalid characters are dropped at the input boundary.
PRINTABLE: list[str] = TEMPLATE + HTML + MARKDOWN + [p for p in FORMULAS if p.isprintable()]

#: Output tells: text that appears only when a payload was executed or interpreted as markup.
TELLS = {
    "117649": "template evaluated ({{ 7*7*7*7*7*7 }})",
    "cmpwned": "template evaluated ({{ 'cm' ~ 'pwned' }})",
    "cmifok": "template evaluated ({% if %})",
    "<b data-cm-pwn": "HTML tag left as markup",
    "<script>window.cmPwned": "script tag left as markup",
    '<img src=x onerror="window': "event handler left as markup",
    "</script><b data-cm-pwn2": "script element ended by text",
    "<!-- <script>": "comment opened by text",
}


def hostile_text(places: tuple[str, ...] = ("Mosul", "Ramadi", "Baghdad")) -> str:
    """An article whose every sentence names a place next to payloads (all of :data:`PAYLOADS`)."""
    lines = []
    for i, p in enumerate(PAYLOADS):
        place = places[i % len(places)]
        lines.append(f"Fighting was reported near {place} {p} on Monday.")
    return "\n".join(lines) + "\n"


def printable_text(places: tuple[str, ...] = ("Mosul", "Ramadi", "Baghdad")) -> str:
    """Like :func:`hostile_text` but only with payloads that survive input cleaning (no surrogates etc.)."""
    return "\n".join(
        f"Fighting was reported near {places[i % len(places)]} {p} on Monday." for i, p in enumerate(PRINTABLE)
    )


def breaches(output: str | bytes) -> list[str]:
    """What in ``output`` shows a payload was executed or left as markup (empty when the output is safe)."""
    if isinstance(output, bytes):
        output = output.decode("utf-8", "replace")
    found = [f"{why}: {tell!r}" for tell, why in TELLS.items() if tell in output]
    cwd = str(Path.cwd())
    if len(cwd) > 1 and cwd in output:
        found.append(f"the working directory {cwd!r} is in the output (a template evaluated, or a path leaked)")
    return found
