"""Add many articles to the corpus: files (.txt .html .pdf), folders and JSONL.

``conflict-map ingest PATH...`` reads every input, skips texts already stored (same SHA-256), geoparses the
rest and stores them in batches (one transaction per batch, so an interrupted ingest keeps whole batches and
simply resumes when run again). This process is the only writer; the geoparsing is done by an engine
(:mod:`conflict_map.ingest.engines`): by default here, loaded once, or with ``jobs > 1`` in worker processes
forked after it is loaded (memory is shared copy-on-write); ``conflict_map.ingest.dask_engine`` runs it on the
workers of a Dask cluster.

JSONL lines are objects ``{"id", "text", "title"?, "date"?, "url"?, "publisher"?}``; a line over
:data:`MAX_JSONL_LINE_BYTES` is reported and skipped without being loaded, and one bad line (not JSON, not
UTF-8, no text) is reported with its line number while the others are read. Only regular files are read (a
FIFO or a device, also behind a symlink, is reported, never opened for reading).

The geoparser is injectable: ``ingest_paths(paths, corpus, geoparse=my_fake)``; by default it is
:func:`conflict_map.geoparse.pipeline.geoparse`.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from conflict_map.errors import InputError
from conflict_map.ingest.engines import BatchHandle, Engine, GeoparseFn, LocalEngine, default_geoparse
from conflict_map.ingest.readers import (
    MAX_FILE_BYTES,
    SUPPORTED_EXTENSIONS,
    SourceDocument,
    clean_text,
    open_regular_file,
    read_path,
    read_text,
)
from conflict_map.models import ArticleInput, ParseResult
from conflict_map.store.base import Store

JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
#: Extensions picked up when walking a folder (other files are counted as skipped).
FOLDER_EXTENSIONS = (SUPPORTED_EXTENSIONS - {""}) | JSONL_EXTENSIONS
#: Longest JSONL line read (bytes): an article at the file limit plus room for JSON escapes and metadata.
MAX_JSONL_LINE_BYTES = MAX_FILE_BYTES + 5 * 1024 * 1024
_MB = 1024 * 1024


@dataclass(slots=True)
class IngestReport:
    """What an ingest did; ``failed`` lists ``(input, reason)``."""

    added: int = 0
    duplicates: int = 0
    mentions: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        done = self.added + self.duplicates
        return done / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "duplicates": self.duplicates,
            "mentions": self.mentions,
            "skipped": self.skipped,
            "failed": [{"input": a, "reason": b} for a, b in self.failed],
            "warnings": list(self.warnings),
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.per_second, 1),
        }

    def summary(self) -> str:
        lines = [
            f"added {self.added} article(s), {self.duplicates} already in the corpus, "
            f"{self.mentions} mention(s), {len(self.failed)} unreadable"
            + (f", {self.skipped} skipped (unsupported type)" if self.skipped else "")
            + f" in {self.seconds:.1f} s ({self.per_second:.0f}/s)"
        ]
        if self.failed:
            lines.append("could not read:")
            lines += [f"  {name}: {reason}" for name, reason in self.failed]
        if self.warnings:
            lines.append("warnings:")
            lines += [f"  {w}" for w in self.warnings[:50]]
            if len(self.warnings) > 50:
                lines.append(f"  ... and {len(self.warnings) - 50} more")
        return "\n".join(lines)


# --------------------------------------------------------------------------- reading inputs


@dataclass(slots=True)
class _Item:
    label: str
    article: ArticleInput | None = None
    error: str = ""
    skipped: bool = False


def article_input(doc: SourceDocument, *, source_name: str, ext_id: str) -> ArticleInput:
    """The corpus record for a document read by :mod:`conflict_map.ingest.readers`."""
    return ArticleInput(
        text=doc.text,
        title=doc.title,
        url=doc.url,
        publisher=doc.publisher,
        date=doc.date,
        source_name=source_name,
        ext_id=ext_id,
        format=doc.format,
        warnings=doc.warnings,
    )


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, plus the entries under folders that are not folders (sorted, hidden ones ignored).

    FIFOs, devices and broken links under a folder are listed too, so that reading them reports why they
    cannot be read instead of skipping them silently; symlinked folders are not followed.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if not f.is_dir() and not any(part.startswith(".") for part in rel.parts):
                    out.append(f)
        else:
            out.append(p)
    return out


def _count_units(files: Sequence[Path]) -> int:
    """Articles to expect: one per file, one per JSONL line (line ends counted in bounded chunks)."""
    total = 0
    for f in files:
        if f.suffix.lower() in JSONL_EXTENSIONS:
            try:
                with open_regular_file(f) as fh:
                    lines, last = 0, b"\n"
                    while chunk := fh.read(_MB):
                        lines += chunk.count(b"\n")
                        last = chunk[-1:]
                    total += lines + (last != b"\n")
            except (OSError, InputError):
                total += 1
        else:
            total += 1
    return total


def _label(f: Path) -> str:
    """``f`` for messages and records (a file name that is not UTF-8 shows U+FFFD, never crashes the output)."""
    return clean_text(str(f))


def iter_items(files: Sequence[Path], explicit: set[Path] | None = None) -> Iterator[_Item]:
    """One item per article: from a file, or per JSONL line."""
    explicit = explicit or set()
    for f in files:
        ext = f.suffix.lower()
        if ext in JSONL_EXTENSIONS:
            yield from _iter_jsonl(f)
            continue
        label = _label(f)
        if f not in explicit and ext not in FOLDER_EXTENSIONS:
            yield _Item(label, skipped=True)
            continue
        try:
            doc = read_path(f)
        except InputError as exc:
            yield _Item(label, error=_strip_label(clean_text(str(exc)), f))
            continue
        yield _Item(label, article_input(doc, source_name=doc.name, ext_id=label))


def _strip_label(msg: str, f: Path) -> str:
    for prefix in (f"{_label(f)}: ", f"{clean_text(f.name)}: "):
        if msg.startswith(prefix):
            return msg[len(prefix) :]
    return msg


@dataclass(slots=True)
class JsonlLine:
    """One non-blank line of a JSONL file: its object, or why it cannot be used."""

    lineno: int
    record: dict[str, Any] | None = None
    error: str = ""


def iter_jsonl(path: str | Path, max_line_bytes: int | None = None) -> Iterator[JsonlLine]:
    """The objects of a JSONL file, line by line; a bad line yields its error and reading goes on.

    Lines are read with a size cap (:data:`MAX_JSONL_LINE_BYTES`): a longer line is skipped in bounded
    chunks, never loaded. Raises :class:`InputError` when the file itself cannot be read (missing, a folder,
    a FIFO or a device).
    """
    limit = MAX_JSONL_LINE_BYTES if max_line_bytes is None else max_line_bytes
    with open_regular_file(path) as fh:
        lineno = 0
        while raw := fh.readline(limit + 1):
            lineno += 1
            if len(raw) > limit:
                while not raw.endswith(b"\n") and (raw := fh.readline(_MB)):
                    pass  # skip the rest of the line without keeping it
                yield JsonlLine(lineno, error=f"line is longer than {limit / _MB:g} MB; skipped")
                continue
            if lineno == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if raw.strip():
                yield _parse_jsonl_line(lineno, raw)


def _parse_jsonl_line(lineno: int, raw: bytes) -> JsonlLine:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return JsonlLine(lineno, error=f"not UTF-8 ({exc.reason} at byte {exc.start}); JSONL files must be UTF-8")
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        return JsonlLine(lineno, error=f"not valid JSON ({exc.msg} at column {exc.colno})")
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, nesting thousands deep
        return JsonlLine(lineno, error=f"not usable JSON ({type(exc).__name__}: {str(exc)[:100]})")
    if not isinstance(rec, dict):
        return JsonlLine(lineno, error="each line must be a JSON object with a 'text' field")
    return JsonlLine(lineno, rec)


def jsonl_field(rec: dict[str, Any], *keys: str) -> str:
    """The first present, non-empty field of ``keys`` as clean text ("" when none; numbers are written out)."""
    for key in keys:
        value = rec.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool) and value != "":
            return clean_text(str(value))
    return ""


def _iter_jsonl(f: Path) -> Iterator[_Item]:
    name = _label(f)
    try:
        lines = iter_jsonl(f)
        for line in lines:
            label = f"{name}:{line.lineno}"
            if line.record is None:
                yield _Item(label, error=line.error)
                continue
            yield _jsonl_item(line.record, label, source_name=clean_text(f.name), lineno=line.lineno)
    except InputError as exc:
        yield _Item(name, error=_strip_label(clean_text(str(exc)), f))
    except OSError as exc:
        yield _Item(name, error=f"cannot read ({exc.strerror or exc})")


def _jsonl_item(rec: dict[str, Any], label: str, *, source_name: str, lineno: int) -> _Item:
    text = rec.get("text")
    if not isinstance(text, str):
        return _Item(label, error="missing 'text' (a string)")
    title = jsonl_field(rec, "title")
    try:
        doc = read_text(text, title=title, name=label)
    except InputError as exc:
        return _Item(label, error=str(exc).removeprefix(f"{label}: "))
    return _Item(
        label,
        ArticleInput(
            text=doc.text,
            title=title or doc.title,
            url=jsonl_field(rec, "url"),
            publisher=jsonl_field(rec, "publisher", "source"),
            date=jsonl_field(rec, "date"),
            source_name=source_name,
            ext_id=jsonl_field(rec, "id") or f"{source_name}:{lineno}",
            format="txt",
            warnings=doc.warnings,
        ),
    )


# --------------------------------------------------------------------------- progress


class Progress:
    """A small progress bar on stderr (only drawn on a terminal unless ``force``)."""

    def __init__(self, total: int, *, stream: TextIO | None = None, enabled: bool = True, force: bool = False) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and (force or self.stream.isatty())
        self.t0 = time.perf_counter()
        self._last = 0.0

    def update(self, n: int = 1) -> None:
        self.done += n
        now = time.perf_counter()
        if self.enabled and (now - self._last > 0.1 or self.done >= self.total):
            self._last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        frac = min(self.done / self.total, 1.0)
        width = 30
        bar = "#" * int(frac * width) + "-" * (width - int(frac * width))
        rate = self.done / max(now - self.t0, 1e-9)
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} {rate:6.1f}/s ETA {eta:5.0f} s ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()


# --------------------------------------------------------------------------- ingest


def ingest_paths(
    paths: Iterable[str | Path],
    corpus: Store,
    *,
    geoparse: GeoparseFn | None = None,
    batch_size: int = 100,
    jobs: int = 1,
    engine: Engine | None = None,
    progress: bool = True,
    progress_stream: TextIO | None = None,
) -> IngestReport:
    """Ingest files/folders/JSONL into ``corpus``; see the module docstring.

    ``engine`` geoparses elsewhere (e.g. ``conflict_map.ingest.dask_engine.DaskEngine``; ``geoparse`` and
    ``jobs`` are then not used); by default a :class:`LocalEngine` of ``jobs`` processes.
    """
    t0 = time.perf_counter()
    raw = [Path(p) for p in paths]
    missing = [p for p in raw if not p.exists()]
    files = expand_paths([p for p in raw if p.exists()])
    report = IngestReport(failed=[(str(p), "no such file or folder") for p in missing])
    total = _count_units(files)
    bar = Progress(total, stream=progress_stream, enabled=progress)
    items = iter_items(files, explicit={p for p in raw if p.exists() and not p.is_dir()})
    try:
        if total:
            _ingest_items(
                items, corpus, report, bar, batch_size=batch_size, engine=engine, geoparse=geoparse, jobs=jobs
            )
    finally:
        bar.close()
        report.seconds = time.perf_counter() - t0
    return report


def ingest_articles(
    articles: Iterable[ArticleInput],
    corpus: Store,
    *,
    geoparse: GeoparseFn | None = None,
    batch_size: int = 100,
    jobs: int = 1,
    engine: Engine | None = None,
    progress: bool = False,
) -> IngestReport:
    """Ingest already-read articles (e.g. from the dashboard or a benchmark)."""
    t0 = time.perf_counter()
    arts = list(articles)
    report = IngestReport()
    bar = Progress(len(arts), enabled=progress)
    items = (_Item(a.ext_id or a.title or f"article {i + 1}", a) for i, a in enumerate(arts))
    try:
        _ingest_items(items, corpus, report, bar, batch_size=batch_size, engine=engine, geoparse=geoparse, jobs=jobs)
    finally:
        bar.close()
        report.seconds = time.perf_counter() - t0
    return report


def _batches(items: Iterator[_Item], report: IngestReport, bar: Progress, size: int) -> Iterator[list[_Item]]:
    """The readable articles of ``items`` in lists of ``size``; skipped and unreadable inputs are counted."""
    batch: list[_Item] = []
    for item in items:
        if item.skipped:
            report.skipped += 1
            bar.update()
        elif item.article is None:
            report.failed.append((item.label, item.error))
            bar.update()
        else:
            batch.append(item)
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


def _ingest_items(
    items: Iterator[_Item],
    corpus: Store,
    report: IngestReport,
    bar: Progress,
    *,
    batch_size: int,
    engine: Engine | None,
    geoparse: GeoparseFn | None,
    jobs: int,
) -> None:
    """Submit batches to the engine and store them in order, ``engine.ahead`` batches geoparsed ahead."""
    own = engine is None
    if engine is None:
        engine = LocalEngine(geoparse or default_geoparse(), jobs)
    seen: set[str] = set()
    pending: deque[tuple[list[_Item], BatchHandle]] = deque()
    try:
        for batch in _batches(items, report, bar, batch_size):
            # the workers geoparse this batch while earlier ones are written to the database
            pending.append(_submit(batch, corpus, engine, seen, report, bar))
            while len(pending) > engine.ahead:
                _store(*pending.popleft(), corpus, report, bar)
        while pending:
            _store(*pending.popleft(), corpus, report, bar)
    finally:
        if own or pending:  # interrupted: do not wait for work nobody will store
            engine.finish(abort=bool(pending))


def _submit(
    batch: list[_Item],
    corpus: Store,
    engine: Engine,
    seen: set[str],
    report: IngestReport,
    bar: Progress,
) -> tuple[list[_Item], BatchHandle]:
    """Drop texts already stored or already seen in this run; start geoparsing the rest."""
    known = corpus.find_hashes(it.article.hash for it in batch if it.article)
    todo: list[_Item] = []
    for it in batch:
        assert it.article is not None
        h = it.article.hash
        if h in known or h in seen:
            report.duplicates += 1
            if h in known:
                report.article_ids.append(known[h])
            bar.update()
            continue
        seen.add(h)
        todo.append(it)
    return todo, engine.submit([it.article.text for it in todo if it.article])


def _store(todo: list[_Item], handle: BatchHandle, corpus: Store, report: IngestReport, bar: Progress) -> None:
    """Collect the geoparse of ``todo`` and store the batch in one transaction."""
    results = handle.get()
    rows: list[tuple[ArticleInput, ParseResult | None]] = []
    for it, res in zip(todo, results, strict=True):
        assert it.article is not None
        if isinstance(res, str):
            report.failed.append((it.label, res))
            bar.update()
            continue
        rows.append((it.article, res))
        report.warnings += it.article.warnings
    if rows:
        stored = corpus.add_articles(rows)
        for (_art, res), (aid, created) in zip(rows, stored, strict=True):
            report.article_ids.append(aid)
            if created:
                report.added += 1
                report.mentions += len(res.mentions) if res else 0
            else:  # another process stored it meanwhile
                report.duplicates += 1
    bar.update(len(rows))


def auto_jobs(total: int) -> int:
    """Worker processes worth starting for ``total`` articles (1 for small inputs)."""
    if total < 200:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))
