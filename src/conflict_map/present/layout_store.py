"""The teacher's story layout (order, skipped steps, notes, title) kept with the article in the corpus.

The ``story`` table of the corpus database (created by the corpus's schema migrations,
:data:`conflict_map.store.sqlite.MIGRATIONS`). One row per article; it goes when the article is deleted
(``ON DELETE CASCADE``). Only the layout is stored, never the built story: the story is rebuilt from
the article's current geoparse with its corrections, and the layout re-applied
(:meth:`conflict_map.present.story.Story.apply_layout`).
"""

from __future__ import annotations

import json
from typing import Any

from conflict_map.errors import UserError
from conflict_map.present.story import Story, build_story
from conflict_map.store.sqlite import Corpus, current_user, now_iso

#: Largest stored layout (bytes of JSON); a real one is a few KB.
MAX_LAYOUT_BYTES = 512 * 1024


def save_layout(corpus: Corpus, article_id: int, layout: dict[str, Any] | Story, *, user: str | None = None) -> None:
    """Store (replace) the teacher's layout for an article; :class:`UserError` for an unknown article."""
    data = layout.layout() if isinstance(layout, Story) else layout
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise UserError("a story layout must be an object with a 'steps' list")
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if len(raw.encode("utf-8")) > MAX_LAYOUT_BYTES:
        raise UserError(f"the story layout is too large ({len(raw) // 1024} KB); shorten the notes")
    corpus.get_article(article_id)  # a clear error for an unknown id
    with corpus.transaction() as conn:
        conn.execute(
            "INSERT INTO story(article_id, layout, user, updated_at) VALUES (?,?,?,?)"
            " ON CONFLICT(article_id) DO UPDATE SET layout=excluded.layout, user=excluded.user,"
            " updated_at=excluded.updated_at",
            (article_id, raw, user or current_user(), now_iso()),
        )


def load_layout(corpus: Corpus, article_id: int) -> dict[str, Any] | None:
    """The stored layout of an article, or ``None`` when the teacher has not saved one."""
    with corpus.transaction() as conn:
        row = conn.execute("SELECT layout FROM story WHERE article_id = ?", (article_id,)).fetchone()
    if row is None:
        return None
    try:
        data = json.loads(row[0])
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def layout_info(corpus: Corpus, article_id: int) -> tuple[str, str] | None:
    """``(user, updated_at)`` of the stored layout, or ``None``."""
    with corpus.transaction() as conn:
        row = conn.execute("SELECT user, updated_at FROM story WHERE article_id = ?", (article_id,)).fetchone()
    return (str(row[0]), str(row[1])) if row else None


def delete_layout(corpus: Corpus, article_id: int) -> bool:
    """Forget the layout of an article (back to reading order); True when there was one."""
    with corpus.transaction() as conn:
        return conn.execute("DELETE FROM story WHERE article_id = ?", (article_id,)).rowcount > 0


def story_for_article(corpus: Corpus, article_id: int, *, claims: Any = None) -> tuple[Story, list[str]]:
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
