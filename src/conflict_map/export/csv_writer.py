"""CSV export (RFC 4180): a header row, one row per place, then one per claim (its line as WKT).

Named ``csv_writer`` so that it never stands in for the standard library's :mod:`csv`.
Text a spreadsheet would read as a formula gets a leading ``'``; rows end in CRLF and every cell holding
a CR or LF is quoted, so a line break in a title cannot start a new row (and a formula in it).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, TextIO

from conflict_map.export.data import ClaimRecord, ExportData, ExportFormat, place_attributes
from conflict_map.export.lines import wkt
from conflict_map.export.safetext import nul_free_text
from conflict_map.models import Article
from conflict_map.store.queries import PlaceSummary

CSV_COLUMNS = (
    "type", "id", "name", "kind", "lat", "lon", "country", "province", "mentions", "articles",
    "first_date", "last_date", "article_ids", "article_titles", "excerpt",
    "sentence", "stated", "measured", "verdict", "stated_km", "measured_km", "line_wkt",
)  # fmt: skip

#: A text cell a spreadsheet (Excel, LibreOffice, Google Sheets) would read as a formula: it starts with
#: = + - @ (or their full-width forms), also after spaces, controls or invisible characters, or it starts
#: with a tab, CR or LF. A formula after a line break inside a cell is harmless once the cell is quoted.
_FORMULA = re.compile(
    r"^(?:[\t\r\n]|[\s\x00-\x1f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20])"
)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _cell(v: Any) -> Any:
    """A CSV cell: numbers pass through (a negative longitude stays a number); text that a spreadsheet would
    read as a formula gets a leading ``'`` (CSV injection); lone surrogates and NUL become U+FFFD."""
    if not isinstance(v, str):
        return v
    v = nul_free_text(v)
    if _FORMULA.match(v) and not _NUMBER.fullmatch(v):
        return "'" + v
    return v


def _place_row(s: PlaceSummary, articles: dict[int, Article]) -> dict[str, Any]:
    """A place's CSV row: its :func:`place_attributes` that are :data:`CSV_COLUMNS`, then its articles and excerpts."""
    return {
        **{k: v for k, v in place_attributes(s).items() if k in CSV_COLUMNS},
        "article_ids": " ".join(str(i) for i in s.article_ids),
        "article_titles": " | ".join(articles[i].title for i in s.article_ids if i in articles),
        "excerpt": " | ".join(" ".join(e.sentence.split()) for e in s.excerpts),
    }


def _claim_row(c: ClaimRecord, articles: dict[int, Article]) -> dict[str, Any]:
    return {
        "type": "claim",
        "id": f"claim-{c.article_id}",
        "name": " - ".join(c.places),
        "article_ids": str(c.article_id),
        "article_titles": articles[c.article_id].title if c.article_id in articles else "",
        "sentence": " ".join(c.sentence.split()),
        "stated": c.stated,
        "measured": c.measured,
        "verdict": c.verdict,
        "stated_km": "" if c.stated_km is None else c.stated_km,
        "measured_km": "" if c.measured_km is None else c.measured_km,
        "line_wkt": wkt(c.line),
    }


def _write_rows(data: ExportData, out: TextIO) -> None:
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for s in data.places:
        w.writerow({k: _cell(v) for k, v in _place_row(s, data.articles).items()})
    for c in data.claims:
        w.writerow({k: _cell(v) for k, v in _claim_row(c, data.articles).items()})


def to_csv(data: ExportData) -> str:
    """CSV text (RFC 4180) with a header row; one row per place, then one per claim.

    Rows end in CRLF, so every cell holding a CR or LF is quoted: a line break in a title cannot start a
    new row (and a formula in it) in a spreadsheet.
    """
    buf = io.StringIO()
    _write_rows(data, buf)
    return buf.getvalue()


def csv_bytes(data: ExportData) -> bytes:
    """The CSV file: UTF-8 with a byte order mark (spreadsheets then read it as UTF-8)."""
    return to_csv(data).encode("utf-8-sig")


def write_csv(data: ExportData, path: str | Path) -> Path:
    """Write the CSV file (:func:`csv_bytes`) to ``path`` row by row."""
    path = Path(path)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        _write_rows(data, fh)
    return path


FORMAT = ExportFormat("csv", ".csv", "text/csv", to_file=write_csv)

__all__ = ["CSV_COLUMNS", "FORMAT", "csv_bytes", "to_csv", "write_csv"]
