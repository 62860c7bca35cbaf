"""The teacher's story layout (order, skipped steps, notes, title) kept with the article in the corpus.

The ``story`` table of the corpus database (created by the corpus's schema migrations,
:mod:`conflict_map.store.schema`), read and written through the store interface (SQLite or PostGIS).
One row per article; it goes when the article is deleted
(``ON DELETE CASCADE``). Only the layout is stored, never the built story: the story is rebuilt from
the article's current geoparse with its corrections, and the layout re-applied
(:meth:`conflict_map.present.story.Story.apply_layout`).
"""

from __future__ import annotations

import json
from typing import Any

from conflict_map.errors import UserError
from conflict_map.present.story import Story, build_story
from conflict_map.store.base import Store
from conflict_map.store.sqlbase import current_user

#: Largest stored layout (bytes of JSON); a real one is a few KB.
MAX_LAYOUT_BYTES = 512 * 1024


def save_layout(corpus: Store, article_id: int, layout: dict[str, Any] | Story, *, user: str | None = None) -> None:
    """Store (replace) the teacher's layout for an article; :class:`UserError` for an unknown article."""
    data = layout.layout() if isinstance(layout, Story) else layout
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise UserError("a story layout must be an object with a 'steps' list")
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if len(raw.encode("utf-8")) > MAX_LAYOUT_BYTES:
        raise UserError(f"the story layout is too large ({len(raw) // 1024} KB); shorten the notes")
    corpus.get_article(article_id)  # a clear error for an unknown id
    corpus.save_layout(article_id, raw, user or current_user())


def load_layout(corpus: Store, article_id: int) -> dict[str, Any] | None:
    """The stored layout of an article, or ``None`` when the teacher has not saved one."""
    row = corpus.layout_row(article_id)
    data = row[0] if row is not None else None
    return data if isinstance(data, dict) else None


def layout_info(corpus: Store, article_id: int) -> tuple[str, str] | None:
    """``(user, updated_at)`` of the stored layout, or ``None``."""
    row = corpus.layout_row(article_id)
    return (row[1], row[2]) if row else None


def delete_layout(corpus: Store, article_id: int) -> bool:
    """Forget the layout of an article (back to reading order); True when there was one."""
    return corpus.delete_layout(article_id)


def story_for_article(corpus: Store, article_id: int, *, claims: Any = None) -> tuple[Story, list[str]]:
    """Build the story of a corpus article (corrections applied) with the teacher's saved layout.

    Returns the story and the ids of saved steps that no longer exist (e.g. a place corrected away).
    """
    art = corpus.get_article(article_id)
    result = corpus.load_result(article_id)
    source = " \u00b7 ".join(x for x in (art.publisher, art.date) if x)
    story = build_story(result, art.title or art.label(), source=source, claims=claims)
    gone = story.apply_layout(load_layout(corpus, article_id))
    return story, gone


__all__ = [
    "delete_layout",
    "layout_info",
    "load_layout",
    "save_layout",
    "story_for_article",
]
