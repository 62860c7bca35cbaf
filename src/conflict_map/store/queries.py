"""Views over the whole corpus: places across articles, excerpts per place, mentions over time.

Everything here reads the database with the user's corrections applied, and works as plain functions
so the dashboard page, the exports and the tests share them:

* :func:`place_summaries` - one row per place: mentions, number of articles, first/last article date;
  the corpus map sizes markers by ``n_articles``.
* :func:`place_excerpts` - every sentence naming a place, with its article (title, date, id).
* :func:`mentions_over_time` - mention and article counts per day / month / year for one place.

Filters (:class:`CorpusFilter`): article date range, publishers, place kinds, article ids.

Everything is aggregated by the database (SQL over the ``effective`` mention rows: the machine's, or an
article's corrected ones when a correction touches it, see :mod:`conflict_map.store.sqlbase`), through the
store interface, so the same views run on SQLite and on PostGIS. :func:`filled_summaries` streams the
places with their article ids and excerpts in chunks, so an export holds one chunk at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from conflict_map.models import Place
from conflict_map.store.base import Store
from conflict_map.store.derive import chunks

#: Places filled with article ids and excerpts per round trip (:func:`filled_summaries`).
PLACE_CHUNK = 500
#: The sentence of an effective mention row ``m`` of article ``t`` (stored once per article, as offsets).
SENTENCE_SQL = (
    "CASE WHEN m.sentence != '' THEN m.sentence"
    " ELSE substr(t.text, m.sentence_start + 1, m.sentence_end - m.sentence_start) END"
)
#: Effective, resolved place mentions.
EFFECTIVE = "m.effective = 1 AND m.place_id IS NOT NULL AND m.type = 'place'"
#: The order excerpts and mentions come in: dated articles first, oldest first.
MENTION_ORDER = "a.date = '', a.date, m.article_id, m.start, m.\"end\""


@dataclass(slots=True)
class CorpusFilter:
    """Which articles / places a view covers. Empty fields mean "no restriction"."""

    date_from: str = ""
    date_to: str = ""
    publishers: Sequence[str] = ()
    kinds: Sequence[str] = ()
    article_ids: Sequence[int] = ()
    include_undated: bool = True

    def article_sql(self, alias: str = "a") -> tuple[str, list[Any]]:
        """SQL condition on the articles table (aliased ``alias``) and its parameters."""
        where: list[str] = []
        args: list[Any] = []
        if self.date_from or self.date_to:
            parts = []
            if self.date_from:
                parts.append(f"{alias}.date >= ?")
                args.append(self.date_from)
            if self.date_to:
                parts.append(f"{alias}.date <= ?")
                args.append(self.date_to + "\uffff")
            cond = f"({alias}.date != '' AND " + " AND ".join(parts) + ")"
            if self.include_undated:
                cond = f"({cond} OR {alias}.date = '')"
            where.append(cond)
        if self.publishers:
            where.append(f"{alias}.publisher IN ({','.join('?' * len(self.publishers))})")
            args += list(self.publishers)
        if self.article_ids:
            where.append(f"{alias}.id IN ({','.join(str(int(i)) for i in self.article_ids)})")
        return (" AND ".join(where) or "1=1"), args


@dataclass(slots=True)
class EffMention:
    """A mention after corrections, with what is needed to aggregate and quote it."""

    article_id: int
    start: int
    end: int
    text: str
    place_id: str
    confidence: float
    date: str
    publisher: str
    title: str
    sentence: str = ""
    sentence_start: int = 0


@dataclass(slots=True)
class PlaceSummary:
    """One place across the corpus."""

    place: Place
    n_mentions: int = 0
    n_articles: int = 0
    article_ids: list[int] = field(default_factory=list)
    first_date: str = ""
    last_date: str = ""
    min_confidence: float = 1.0
    excerpts: list[Excerpt] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = self.place.to_dict()
        d.update(
            mentions=self.n_mentions,
            articles=self.n_articles,
            article_ids=list(self.article_ids),
            first_date=self.first_date,
            last_date=self.last_date,
        )
        return d


@dataclass(slots=True)
class Excerpt:
    """A sentence naming a place, and where it comes from."""

    article_id: int
    title: str
    date: str
    publisher: str
    sentence: str
    start: int  # of the mention, in the sentence
    end: int
    text: str
    offset: int = 0  # of the mention, in the article text

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "title": self.title,
            "date": self.date,
            "publisher": self.publisher,
            "sentence": self.sentence,
            "mention": self.text,
            "start": self.start,
            "end": self.end,
            "offset": self.offset,
        }


# --------------------------------------------------------------------------- effective mentions


def effective_mentions(
    corpus: Store,
    flt: CorpusFilter | None = None,
    *,
    place_id: str | None = None,
    with_sentence: bool = False,
    limit: int | None = None,
) -> Iterator[EffMention]:
    """Resolved place mentions of the filtered articles, corrections applied (kinds filtered by caller),
    dated articles first, oldest first; read in chunks."""
    flt = flt or CorpusFilter()
    cond, args = flt.article_sql("a")
    cols = 'm.article_id, m.start, m."end", m.text, m.place_id, m.confidence, a.date, a.publisher, a.title'
    if with_sentence:
        cols += ", m.sentence, m.sentence_start, m.sentence_end"
    q = f"SELECT {cols} FROM mentions m JOIN articles a ON a.id = m.article_id WHERE {cond} AND {EFFECTIVE}"
    if place_id is not None:
        q += " AND m.place_id = ?"
        args = [*args, place_id]
    q += f" ORDER BY {MENTION_ORDER}"
    if limit is not None:
        q += f" LIMIT {int(limit)}"
    if with_sentence:  # the sentence is cut from the article text only for the rows kept
        q = (
            'SELECT m.article_id, m.start, m."end", m.text, m.place_id, m.confidence, m.date, m.publisher, m.title,'
            f" {SENTENCE_SQL}, m.sentence_start FROM ({q}) m JOIN articles t ON t.id = m.article_id"
            f" ORDER BY {MENTION_ORDER.replace('a.date', 'm.date')}"
        )
    for r in corpus.rows(q, args):
        yield EffMention(*r[:9], sentence=r[9] if with_sentence else "", sentence_start=r[10] if with_sentence else 0)


# --------------------------------------------------------------------------- views


def _excerpt(em: EffMention) -> Excerpt:
    sent = em.sentence or em.text
    rel = em.start - em.sentence_start
    if not (rel >= 0 and sent[rel : rel + len(em.text)] == em.text):
        rel = max(sent.find(em.text), 0)
    return Excerpt(em.article_id, em.title, em.date, em.publisher, sent, rel, rel + len(em.text), em.text, em.start)


def place_summaries(
    corpus: Store, flt: CorpusFilter | None = None, *, max_excerpts: int = 0, article_ids: bool = True
) -> list[PlaceSummary]:
    """Every place mentioned in the filtered corpus, most articles first.

    With ``max_excerpts`` > 0 each summary also carries up to that many distinct sentences. With
    ``article_ids=False`` (the map view) ``PlaceSummary.article_ids`` is left empty (one query).
    """
    flt = flt or CorpusFilter()
    summaries = place_counts(corpus, flt)
    if not max_excerpts and not article_ids:
        return summaries
    return list(filled_summaries(corpus, flt, summaries, max_excerpts=max_excerpts, article_ids=article_ids))


def place_counts(corpus: Store, flt: CorpusFilter) -> list[PlaceSummary]:
    """Counts per place: one SQL ``GROUP BY`` over the effective mention rows."""
    cond, args = flt.article_sql("a")
    rows = corpus.rows(
        "SELECT m.place_id, count(*), count(DISTINCT m.article_id), min(nullif(a.date, '')),"
        f" max(nullif(a.date, '')), min(m.confidence) FROM mentions m JOIN {corpus.articles_meta}"
        f" ON a.id = m.article_id WHERE {cond} AND {EFFECTIVE} GROUP BY m.place_id",
        args,
    )
    agg = {r[0]: r[1:] for r in rows}
    places = corpus.places_by_id(set(agg))
    kinds = set(flt.kinds)
    out = [
        PlaceSummary(
            place=places[pid],
            n_mentions=int(a[0]),
            n_articles=int(a[1]),
            first_date=a[2] or "",
            last_date=a[3] or "",
            min_confidence=float(a[4]),
        )
        for pid, a in agg.items()
        if pid in places and (not kinds or places[pid].kind in kinds)
    ]
    return sorted(out, key=lambda s: (-s.n_articles, -s.n_mentions, s.place.name, s.place.id))


def filled_summaries(
    corpus: Store,
    flt: CorpusFilter,
    summaries: Sequence[PlaceSummary],
    *,
    max_excerpts: int = 5,
    article_ids: bool = True,
) -> Iterator[PlaceSummary]:
    """``summaries`` in order, each with its article ids and up to ``max_excerpts`` distinct sentences,
    read :data:`PLACE_CHUNK` places at a time (memory holds one chunk, whatever the corpus size)."""
    for chunk in chunks(list(summaries), PLACE_CHUNK):
        ids = [s.place.id for s in chunk]
        arts = _article_ids(corpus, flt, ids) if article_ids else {}
        excerpts = _excerpts(corpus, flt, ids, max_excerpts) if max_excerpts else {}
        for s in chunk:
            s.article_ids = arts.get(s.place.id, [])
            s.excerpts = excerpts.get(s.place.id, [])
            yield s


def _in(ids: Sequence[Any]) -> str:
    return ",".join("?" * len(ids))


def _article_ids(corpus: Store, flt: CorpusFilter, place_ids: Sequence[str]) -> dict[str, list[int]]:
    cond, args = flt.article_sql("a")
    out: dict[str, list[int]] = {}
    q = (
        f"SELECT DISTINCT m.place_id, m.article_id FROM mentions m JOIN {corpus.articles_meta}"
        f" ON a.id = m.article_id WHERE {cond} AND {EFFECTIVE} AND m.place_id IN ({_in(place_ids)})"
        " ORDER BY m.place_id, m.article_id"
    )
    for pid, aid in corpus.rows(q, [*args, *place_ids]):
        out.setdefault(pid, []).append(int(aid))
    return out


def _excerpt_rows(
    corpus: Store, flt: CorpusFilter, place_ids: Sequence[str], per_place: int | None
) -> Iterator[tuple[str, EffMention]]:
    """The first ``per_place`` effective mentions of each place (all with ``None``), with their sentences."""
    cond, args = flt.article_sql("a")
    inner = (
        'SELECT m.place_id, m.article_id, m.start, m."end", m.text, m.confidence, a.date, a.publisher, a.title,'
        f" m.sentence, m.sentence_start, m.sentence_end, ROW_NUMBER() OVER (PARTITION BY m.place_id"
        f" ORDER BY {MENTION_ORDER}) AS rn FROM mentions m JOIN articles a ON a.id = m.article_id"
        f" WHERE {cond} AND {EFFECTIVE} AND m.place_id IN ({_in(place_ids)})"
    )
    q = (
        'SELECT m.place_id, m.article_id, m.start, m."end", m.text, m.confidence, m.date, m.publisher, m.title,'
        f" {SENTENCE_SQL}, m.sentence_start FROM ({inner}) m JOIN articles t ON t.id = m.article_id"
        + ("" if per_place is None else f" WHERE m.rn <= {int(per_place)}")
        + " ORDER BY m.place_id, m.rn"
    )
    for r in corpus.rows(q, [*args, *place_ids]):
        yield r[0], EffMention(r[1], r[2], r[3], r[4], r[0], r[5], r[6], r[7], r[8], r[9], r[10])


def _excerpts(corpus: Store, flt: CorpusFilter, place_ids: Sequence[str], n: int) -> dict[str, list[Excerpt]]:
    """Up to ``n`` distinct sentences per place, in :data:`MENTION_ORDER`."""
    per_place = max(4 * n, 20)
    out: dict[str, list[Excerpt]] = {}
    seen: dict[str, set[str]] = {}
    fetched: dict[str, int] = {}
    for pid, em in _excerpt_rows(corpus, flt, place_ids, per_place):
        fetched[pid] = fetched.get(pid, 0) + 1
        _add_excerpt(out, seen, pid, em, n)
    # a place whose first rows repeat few sentences: read on through all its rows
    short = [p for p in place_ids if len(out.get(p, [])) < n and fetched.get(p, 0) >= per_place]
    for pid in short:
        out[pid], seen[pid] = [], set()
        for _pid, em in _excerpt_rows(corpus, flt, [pid], None):
            if _add_excerpt(out, seen, pid, em, n):
                break
    return out


def _add_excerpt(out: dict[str, list[Excerpt]], seen: dict[str, set[str]], pid: str, em: EffMention, n: int) -> bool:
    """Keep ``em``'s sentence for ``pid`` unless already quoted; True once ``pid`` has ``n``."""
    got = out.setdefault(pid, [])
    sentences = seen.setdefault(pid, set())
    if len(got) < n and em.sentence not in sentences:
        sentences.add(em.sentence)
        got.append(_excerpt(em))
    return len(got) >= n


def place_excerpts(
    corpus: Store, place_id: str, flt: CorpusFilter | None = None, *, limit: int | None = None
) -> list[Excerpt]:
    """Sentences naming ``place_id`` across the filtered corpus, oldest article first."""
    out = [_excerpt(em) for em in effective_mentions(corpus, flt, place_id=place_id, with_sentence=True, limit=limit)]
    out.sort(key=lambda e: (e.date or "\uffff", e.article_id, e.offset))
    return out


def mentions_over_time(
    corpus: Store, place_id: str, flt: CorpusFilter | None = None, *, by: str = "month"
) -> list[dict[str, Any]]:
    """``[{"period", "mentions", "articles"}]`` for one place, in time order (undated articles left out)."""
    width = {"day": 10, "month": 7, "year": 4}.get(by)
    if width is None:
        raise ValueError(f"by must be day, month or year, not {by!r}")
    cond, args = (flt or CorpusFilter()).article_sql("a")
    rows = corpus.rows(
        f"SELECT substr(a.date, 1, {width}) AS period, count(*), count(DISTINCT m.article_id)"
        f" FROM mentions m JOIN {corpus.articles_meta} ON a.id = m.article_id"
        f" WHERE {cond} AND {EFFECTIVE} AND m.place_id = ? AND length(a.date) >= {width}"
        f" GROUP BY substr(a.date, 1, {width}) ORDER BY period",
        [*args, place_id],
    )
    return [{"period": p, "mentions": int(n), "articles": int(k)} for p, n, k in rows]


def date_range(corpus: Store) -> tuple[str, str]:
    """Earliest and latest article date (``("", "")`` when no article is dated)."""
    r = list(corpus.rows("SELECT min(date), max(date) FROM articles WHERE date != ''"))[0]
    return (r[0] or "", r[1] or "")


def kinds_in_corpus(corpus: Store) -> list[str]:
    """Place kinds that occur among the mentions (for the kind filter)."""
    rows = corpus.rows(
        "SELECT DISTINCT p.kind FROM places p WHERE p.id IN"
        " (SELECT DISTINCT place_id FROM mentions WHERE effective = 1) ORDER BY p.kind"
    )
    return [r[0] for r in rows]
