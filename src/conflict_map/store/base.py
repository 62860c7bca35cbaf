"""The store interface: what the rest of conflict-map asks of a corpus, whichever database holds it.

Two backends implement it: :class:`conflict_map.store.sqlite.Corpus` (one SQLite file, the embedded
default) and :class:`conflict_map.store.postgis.PostgisStore` (a PostgreSQL/PostGIS server shared by several
ingests and dashboard users). :func:`conflict_map.store.factory.open_store` picks one from ``--db``.

Both share their SQL (:class:`conflict_map.store.sqlbase.SqlStore`): the views and exports in
:mod:`conflict_map.store.queries` and :mod:`conflict_map.store.stream` read through :meth:`Store.rows`
with ``?`` placeholders, and the few expressions that differ are attributes of the store
(:attr:`Store.sql_find`, :attr:`Store.articles_meta`, :attr:`Store.place_lat_lon`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

from conflict_map.models import Article, ArticleInput, CorrectionRecord, Mention, ParseResult, Place


@runtime_checkable
class Store(Protocol):
    """A corpus: articles with their geoparse, the readers' corrections, checked claims and story layouts."""

    #: Where the corpus is, for messages (a file path, or a database URL without its password).
    location: str
    #: ``"sqlite"`` or ``"postgis"``.
    dialect: str
    #: SQL function finding a substring: ``instr(haystack, needle)`` / ``strpos(haystack, needle)``.
    sql_find: str
    #: The articles table aliased ``a`` for scans of date/publisher (with an index hint where it helps).
    articles_meta: str
    #: Latitude and longitude columns of the places table aliased ``p``.
    place_lat_lon: str

    def close(self) -> None:
        """Release the connection(s)."""

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...

    @property
    def schema_version(self) -> int:
        """The schema version of the database (:data:`conflict_map.store.schema.SCHEMA_VERSION` once open)."""
        ...

    def data_version(self) -> tuple[Any, ...]:
        """Changes whenever articles, their geoparse or corrections change (a cache key)."""
        ...

    def rows(self, sql: str, args: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """Rows of a read-only query (``?`` placeholders), fetched in chunks as the caller iterates."""
        ...

    # articles
    def find_hashes(self, hashes: Iterable[str]) -> dict[str, int]:
        """``{hash: article_id}`` for those of ``hashes`` already stored."""
        ...

    def add_article(self, article: ArticleInput, result: ParseResult | None = None) -> tuple[int, bool]:
        """Store one article (and its geoparse); ``(id, created)``."""
        ...

    def add_articles(self, batch: Sequence[tuple[ArticleInput, ParseResult | None]]) -> list[tuple[int, bool]]:
        """Store several articles in one transaction; a known text (same hash) is not stored again."""
        ...

    def replace_parse(self, article_id: int, result: ParseResult) -> None:
        """Replace an article's machine geoparse; corrections are kept and applied again."""
        ...

    def delete_article(self, article_id: int) -> bool:
        """Remove an article with everything attached to it; True when it existed."""
        ...

    def count_articles(self) -> int:
        """Number of stored articles."""
        ...

    def get_article(self, article_id: int) -> Article:
        """The article with its text; :class:`~conflict_map.errors.UserError` for an unknown id."""
        ...

    def list_articles(
        self,
        *,
        search: str = "",
        publisher: str = "",
        date_from: str = "",
        date_to: str = "",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Articles without text, newest publication date first."""
        ...

    def articles_by_id(self, ids: Iterable[int]) -> dict[int, Article]:
        """Articles (without text) with the given ids."""
        ...

    def publishers(self) -> list[str]:
        """Distinct non-empty publishers, sorted."""
        ...

    def get_place(self, place_id: str) -> Place | None:
        """A stored place."""
        ...

    def places_by_id(self, ids: Iterable[str] | None = None) -> dict[str, Place]:
        """Stored places (all, or those with the given ids)."""
        ...

    def load_mentions(self, article_id: int) -> list[Mention]:
        """The machine's mentions of one article, in text order."""
        ...

    def load_result(self, article_id: int, *, corrected: bool = True) -> ParseResult:
        """The stored geoparse of an article, corrections applied by default."""
        ...

    def refresh_derived(self, article_ids: Iterable[int] | None = None) -> None:
        """Check claims and apply corrections of stored articles again (all by default)."""
        ...

    # corrections
    def add_correction(
        self,
        kind: str,
        *,
        article_id: int | None = None,
        start: int | None = None,
        end: int | None = None,
        mention_text: str = "",
        alias_key: str = "",
        place: Place | None = None,
        note: str = "",
        user: str | None = None,
    ) -> CorrectionRecord:
        """Store a correction (validated by :mod:`conflict_map.store.corrections`) and apply it."""
        ...

    def get_correction(self, correction_id: int) -> CorrectionRecord:
        """One correction by id."""
        ...

    def list_corrections(
        self, *, article_id: int | None = None, include_undone: bool = False
    ) -> list[CorrectionRecord]:
        """Corrections in the order they were made."""
        ...

    def corrections_for(self, article_id: int) -> list[CorrectionRecord]:
        """Active corrections that apply to one article (its own and corpus-wide aliases)."""
        ...

    def undo_correction(self, correction_id: int | None = None, *, user: str | None = None) -> CorrectionRecord:
        """Undo one correction (the latest active one when no id is given)."""
        ...

    # story layouts (conflict_map.present.layout_store)
    def save_layout(self, article_id: int, layout_json: str, user: str) -> None:
        """Store (replace) the JSON text of an article's story layout."""
        ...

    def layout_row(self, article_id: int) -> tuple[str, str, str] | None:
        """``(layout JSON, user, updated_at)`` of an article's story layout, or ``None``."""
        ...

    def delete_layout(self, article_id: int) -> bool:
        """Forget an article's layout; True when there was one."""
        ...

    def check(self) -> list[str]:
        """Consistency problems (empty when sound)."""
        ...


__all__ = ["Store"]
