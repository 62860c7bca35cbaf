"""Text every export writer can hold, whatever was cleaned where the text came in.

UTF-8 cannot hold lone surrogates (they become U+FFFD); XML 1.0 also forbids most C0 controls and
U+FFFE/U+FFFF (U+FFFD in KML); C libraries such as GDAL end a string at NUL (U+FFFD in the GeoPackage
and CSV). Each replacement is one character for one, so offsets into the text (excerpt highlights) stay
valid.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from conflict_map.view.render import clean_surrogates

#: A lone surrogate (a quick search first: exports are big and surrogates rare).
SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Characters XML 1.0 forbids besides surrogates: C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def utf8_text(text: str) -> str:
    """``text`` encodable as UTF-8: lone surrogates become U+FFFD (a quick search first: exports are big)."""
    return clean_surrogates(text) if SURROGATE.search(text) else text


def xml_text(text: str) -> str:
    """``text`` as XML 1.0 can hold it: forbidden characters and lone surrogates become U+FFFD.

    One character for one, so offsets into the text (excerpt highlights) stay valid.
    """
    return _XML_FORBIDDEN.sub("\ufffd", utf8_text(text))


def nul_free_text(text: str) -> str:
    """``text`` encodable as UTF-8 and without NUL (C libraries such as GDAL end a string there)."""
    return utf8_text(text).replace("\x00", "\ufffd")


def cleaned(value: Any, fix: Callable[[str], str]) -> Any:
    """A copy of ``value`` (dataclasses, lists, tuples, dicts, nested) with every string passed through ``fix``."""
    if isinstance(value, str):
        return fix(value)
    if isinstance(value, list):
        return [cleaned(v, fix) for v in value]
    if isinstance(value, tuple):
        return tuple(cleaned(v, fix) for v in value)
    if isinstance(value, dict):
        return {cleaned(k, fix): cleaned(v, fix) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: cleaned(getattr(value, f.name), fix) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


__all__ = ["SURROGATE", "cleaned", "nul_free_text", "utf8_text", "xml_text"]
