"""Load parses made anywhere into the corpus, without parsing again: ``conflict-map load PARSED.jsonl``.

Each line is what ``conflict-map extract --jsonl`` writes for one input record: the record's fields (``id``,
``text``, ``title``, ``date``, ``url``, ``publisher``, ...) next to ``"mentions"``, a list of mention
objects (:meth:`conflict_map.models.Mention.to_dict`: ``start``, ``end``, ``text``, ``sentence``, ``type``,
the chosen place's ``id``/``name``/``kind``/``lat``/``lon``/``country``/``province``, ``confidence`` and
ranked ``alternatives``). An optional ``"body": [start, end]`` keeps the story span.

* Idempotent and resumable: articles are keyed by their text (content hash); a line already stored is
  counted, not stored again, and batches commit one transaction each, so a load run again after an
  interruption goes on where it stopped.
* A line whose mention offsets do not match its text (``text[start:end]`` is not the mention's text), or
  that is not a parse at all, is reported (file and line number) and skipped; the others load.
* Bulk writes: one transaction per batch (``COPY`` on PostGIS, ``executemany`` on SQLite); the claims of
  each new article are checked as it is stored, like an ingest does.
"""

from __future__ import annotations

import functools
import math
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from conflict_map.errors import InputError
from conflict_map.ingest.batch import Progress, _count_units, iter_jsonl, jsonl_field
from conflict_map.ingest.readers import clean_text, read_text
from conflict_map.models import ELLIPSIS, ArticleInput, Candidate, Mention, ParseResult, Place, SentencePool
from conflict_map.store.base import Store

#: Articles stored per transaction.
BATCH = 500


@dataclass(slots=True)
class LoadReport:
    """What a load did; ``failed`` lists ``(file:line, reason)``."""

    added: int = 0
    duplicates: int = 0
    mentions: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (``conflict-map load --json``)."""
        return {
            "added": self.added,
            "duplicates": self.duplicates,
            "mentions": self.mentions,
            "failed": [{"input": a, "reason": b} for a, b in self.failed],
            "seconds": round(self.seconds, 3),
        }

    def summary(self) -> str:
        """One line, then the lines that were skipped."""
        lines = [
            f"loaded {self.added} article(s), {self.duplicates} already in the corpus, {self.mentions} mention(s),"
            f" {len(self.failed)} line(s) skipped in {self.seconds:.1f} s"
        ]
        lines += [f"  {name}: {reason}" for name, reason in self.failed[:50]]
        if len(self.failed) > 50:
            lines.append(f"  ... and {len(self.failed) - 50} more")
        return "\n".join(lines)


def _place(d: dict[str, Any], *, with_population: bool = False) -> Place | None:
    """The place of a mention (or alternative) object; ``None`` for an unresolved mention."""
    if d.get("id") is None:
        return None
    fields = tuple(d.get(k) for k in ("id", "name", "kind", "lat", "lon", "country", "province"))
    return _cached_place(fields, int(d.get("population") or 0) if with_population else 0)


@functools.lru_cache(maxsize=100_000)
def _cached_place(fields: tuple[Any, ...], population: int) -> Place:
    """A :class:`Place` per distinct set of fields (an archive names the same places again and again)."""
    pid, name, kind, lat, lon, country, province = fields
    lat, lon = float(lat), float(lon)
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"place {pid!r} has coordinates out of range ({lat}, {lon})")
    return Place(
        id=clean_text(str(pid)),
        name=clean_text(str(name or "")),
        kind=clean_text(str(kind or "")),
        lat=lat,
        lon=lon,
        country=clean_text(str(country or "")),
        province=clean_text(str(province or "")),
        population=population,
    )


def sentence_span(text: str, start: int, end: int, shown: str) -> tuple[int, int]:
    """Where the sentence ``shown`` (maybe a window cut with ``…``) around ``[start, end)`` is in ``text``."""
    for part in (shown, shown.removeprefix(ELLIPSIS).removesuffix(ELLIPSIS)):
        n = len(part)
        if n and n >= end - start:
            i = text.find(part, max(0, end - n), start + n)
            if i >= 0:
                return i, i + n
    return start, end


def _mention(text: str, d: Any, i: int, pool: SentencePool) -> Mention:
    if not isinstance(d, dict):
        raise ValueError(f"mention {i} is not an object")
    start, end, surface = d.get("start"), d.get("end"), d.get("text")
    if not (isinstance(start, int) and isinstance(end, int) and isinstance(surface, str)):
        raise ValueError(f"mention {i} needs integer 'start' and 'end' and a 'text'")
    surface = clean_text(surface)
    if not (0 <= start < end <= len(text)) or text[start:end] != surface:
        found = text[start:end] if 0 <= start < end <= len(text) else "outside the text"
        raise ValueError(
            f"mention {i} {surface[:60]!r} at {start}-{end} does not match the text there ({found[:60]!r})"
        )
    place = _place(d)
    confidence = float(d.get("confidence") or 0.0)
    alts = [
        Candidate(p, float(a.get("score") or 0.0))
        for a in d.get("alternatives") or []
        if (p := _place(a, with_population=True))
    ]
    s0, s1 = sentence_span(text, start, end, clean_text(str(d.get("sentence") or "")))
    return Mention(
        start=start,
        end=end,
        text=surface,
        sentence=pool(s0, s1),
        sentence_start=s0,
        type="demonym" if d.get("type") == "demonym" else "place",
        key=surface.lower(),
        candidates=([Candidate(place, confidence)] if place else []) + alts,
        place=place,
        confidence=confidence if place else 0.0,
    )


def parsed_record(rec: dict[str, Any], label: str, source_name: str, lineno: int) -> tuple[ArticleInput, ParseResult]:
    """The article and its parse of one line; :class:`ValueError` saying why a line cannot be loaded."""
    if rec.get("error"):
        raise ValueError(f"its geoparse failed ({clean_text(str(rec['error']))[:200]})")
    raw, mentions = rec.get("text"), rec.get("mentions")
    if not isinstance(raw, str):
        raise ValueError("missing 'text' (a string)")
    if not isinstance(mentions, list):
        raise ValueError("missing 'mentions' (a list); write the lines with `conflict-map extract --jsonl`")
    try:
        doc = read_text(raw, title=jsonl_field(rec, "title"), name=label)
    except InputError as exc:
        raise ValueError(str(exc).removeprefix(f"{label}: ")) from exc
    text, pool = doc.text, SentencePool(doc.text)
    parsed = [_mention(text, d, i + 1, pool) for i, d in enumerate(mentions)]
    body = rec.get("body")
    span = (int(body[0]), int(body[1])) if isinstance(body, list) and len(body) == 2 else (0, 0)
    article = ArticleInput(
        text=text,
        title=doc.title,
        url=jsonl_field(rec, "url"),
        publisher=jsonl_field(rec, "publisher", "source"),
        date=jsonl_field(rec, "date"),
        source_name=source_name,
        ext_id=jsonl_field(rec, "id") or f"{source_name}:{lineno}",
        warnings=doc.warnings,
    )
    return article, ParseResult(text=text, mentions=sorted(parsed, key=lambda m: (m.start, m.end)), body=span)


def _records(
    paths: Sequence[Path], report: LoadReport, bar: Progress
) -> Iterator[tuple[str, ArticleInput, ParseResult]]:
    """The loadable lines of ``paths``; bad lines go to ``report.failed`` (and are counted on the bar)."""
    for f in paths:
        name = clean_text(str(f))
        try:
            for line in iter_jsonl(f):
                label = f"{name}:{line.lineno}"
                try:
                    if line.record is None:
                        raise ValueError(line.error)
                    art, result = parsed_record(line.record, label, clean_text(f.name), line.lineno)
                except (ValueError, TypeError, KeyError, OverflowError) as exc:
                    report.failed.append((label, str(exc) or type(exc).__name__))
                    bar.update()
                    continue
                yield label, art, result
        except (InputError, OSError) as exc:
            report.failed.append((name, clean_text(str(exc)).removeprefix(f"{name}: ")))


def load_paths(
    paths: Iterable[str | Path],
    store: Store,
    *,
    batch_size: int = BATCH,
    progress: bool = True,
    progress_stream: TextIO | None = None,
) -> LoadReport:
    """Load PARSED.jsonl files into ``store``; see the module docstring."""
    t0 = time.perf_counter()
    files = [Path(p) for p in paths]
    report = LoadReport()
    bar = Progress(_count_units([f for f in files if f.is_file()]), stream=progress_stream, enabled=progress)
    batch: list[tuple[ArticleInput, ParseResult]] = []
    try:
        for _label, art, result in _records(files, report, bar):
            batch.append((art, result))
            if len(batch) >= batch_size:
                _store(store, batch, report, bar)
                batch = []
        if batch:
            _store(store, batch, report, bar)
    finally:
        bar.close()
        report.seconds = time.perf_counter() - t0
    return report


def _store(store: Store, batch: list[tuple[ArticleInput, ParseResult]], report: LoadReport, bar: Progress) -> None:
    """One transaction; texts already stored (or twice in the batch) are counted as duplicates."""
    known = store.find_hashes(a.hash for a, _r in batch)
    fresh = [(a, r) for a, r in batch if a.hash not in known]
    report.duplicates += len(batch) - len(fresh)
    if fresh:
        for (_a, r), (_aid, created) in zip(fresh, store.add_articles(fresh), strict=True):
            if created:
                report.added += 1
                report.mentions += len(r.mentions)
            else:
                report.duplicates += 1
    bar.update(len(batch))


def print_failures(report: LoadReport, stream: TextIO | None = None) -> None:
    """Each skipped line on its own line of stderr."""
    out = stream or sys.stderr
    for name, reason in report.failed:
        print(f"conflict-map: skipped {name}: {reason}", file=out)


__all__ = ["BATCH", "LoadReport", "load_paths", "parsed_record", "print_failures", "sentence_span"]
