"""The store's SQL for corrections and what they change, shared by both backends (part of
:class:`conflict_map.store.sqlbase.SqlStore`).

A correction is stored, then in the same transaction the derived rows of every article it may touch are
written again (:meth:`CorrectionsSql._refresh`): the article's mentions with its corrections applied
(``origin`` 1, and the machine's rows stop counting) and its checked claims. An alias may touch any article:
those with a machine mention spelt like it, those whose text holds its longest word, and those corrected
before. The teacher's story layouts are kept here too.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from conflict_map.errors import UserError
from conflict_map.models import CorrectionRecord, ParseResult, Place, place_from_json, place_to_json
from conflict_map.store.corrections import alias_key, applying_aliases
from conflict_map.store.derive import CLAIM_COLUMNS, MENTION_COLUMNS, Row, chunks, derived_rows, loads
from conflict_map.store.schema import ORIGIN_CORRECTED

CORR_COLS = (
    'id, kind, article_id, start, "end", mention_text, alias_key, place, note, "user", created_at, undone_at, undone_by'
)


def now_iso() -> str:
    """Current UTC time, ISO 8601 with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def current_user() -> str:
    """The local user name, as shown next to corrections."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no passwd entry / no env vars in a container
        return "unknown"


def correction_from_row(r: Sequence[Any]) -> CorrectionRecord:
    """A :class:`CorrectionRecord` from the :data:`CORR_COLS` of a row."""
    return CorrectionRecord(
        id=r[0],
        kind=r[1],
        article_id=r[2],
        start=r[3],
        end=r[4],
        mention_text=r[5],
        alias_key=r[6],
        place=place_from_json(r[7]),
        note=r[8],
        user=r[9],
        created_at=r[10],
        undone_at=r[11],
        undone_by=r[12],
    )


class CorrectionsSql:
    """Corrections, the rows they derive, and story layouts; mixed into :class:`~conflict_map.store.sqlbase.SqlStore`
    (which provides the transactions, reads and bulk inserts used here)."""

    # ---- derived rows ------------------------------------------------------------------------------

    def _active_aliases(self, conn: Any) -> list[CorrectionRecord]:
        q = f"SELECT {CORR_COLS} FROM corrections WHERE kind = 'alias' AND undone_at IS NULL ORDER BY id"
        return [correction_from_row(r) for r in conn.execute(q)]

    def _derive(
        self,
        tx: Any,
        items: Sequence[tuple[int, ParseResult]],
        aliases: Sequence[CorrectionRecord],
        own: dict[int, list[CorrectionRecord]],
    ) -> None:
        """Write the corrected mention rows and claims of ``items`` (articles without derived rows yet)."""
        corrected_rows: list[Row] = []
        claim_rows: list[Row] = []
        for aid, result in items:
            corrs = sorted([*own.get(aid, []), *applying_aliases(result, aliases)], key=lambda c: c.id)
            rows, claims = derived_rows(aid, result, corrs)
            if corrs:
                tx.execute("UPDATE mentions SET effective = 0 WHERE article_id = ? AND origin = ?", (aid, 0))
                tx.execute("UPDATE articles SET corrected = 1 WHERE id = ?", (aid,))
            corrected_rows += rows
            claim_rows += claims
        self._bulk(tx, "mentions", MENTION_COLUMNS, corrected_rows)
        self._bulk(tx, "claims", CLAIM_COLUMNS, claim_rows)

    def _refresh(self, tx: Any, article_ids: Iterable[int]) -> None:
        """Derive the rows of stored articles again (their corrections or their parse changed)."""
        aliases = self._active_aliases(tx)
        for chunk in chunks(sorted(set(article_ids)), 200):
            items = []
            for aid in chunk:
                self._lock_article(tx, aid)
                try:
                    items.append((aid, self._machine_result(tx, aid)))
                except UserError:
                    continue  # deleted meanwhile
                tx.execute("DELETE FROM mentions WHERE article_id = ? AND origin = ?", (aid, ORIGIN_CORRECTED))
                tx.execute("DELETE FROM claims WHERE article_id = ?", (aid,))
                tx.execute("UPDATE mentions SET effective = 1 WHERE article_id = ?", (aid,))
                tx.execute("UPDATE articles SET corrected = 0 WHERE id = ?", (aid,))
            own: dict[int, list[CorrectionRecord]] = {}
            for c in self._own_corrections(tx, [a for a, _r in items]):
                own.setdefault(int(c.article_id or 0), []).append(c)
            self._derive(tx, items, aliases, own)

    def _own_corrections(self, conn: Any, article_ids: Sequence[int]) -> list[CorrectionRecord]:
        out: list[CorrectionRecord] = []
        for chunk in chunks(list(article_ids)):
            q = (
                f"SELECT {CORR_COLS} FROM corrections WHERE undone_at IS NULL AND kind != 'alias'"
                f" AND article_id IN ({','.join('?' * len(chunk))}) ORDER BY id"
            )
            out += [correction_from_row(r) for r in conn.execute(q, list(chunk))]
        return out

    def rebuild_derived(self, tx: Any) -> None:
        """Derive every article's rows again (after the migration that introduced them)."""
        ids = [int(r[0]) for r in tx.execute("SELECT id FROM articles ORDER BY id").fetchall()]
        self._refresh(tx, ids)

    def refresh_derived(self, article_ids: Iterable[int] | None = None) -> None:
        """Check the claims of stored articles and apply their corrections again (all articles by default),
        e.g. after an upgrade of the claim checker."""
        with self._tx() as tx:
            if article_ids is None:
                self.rebuild_derived(tx)
            else:
                self._refresh(tx, article_ids)

    def _alias_targets(self, tx: Any, c: CorrectionRecord) -> set[int]:
        """Articles an alias may change: a machine mention spelt like it, or its longest word in the text."""
        key = c.alias_key
        texts = [r[0] for r in tx.execute("SELECT DISTINCT text FROM mentions WHERE origin = ?", (0,))]
        hit = [t for t in texts if alias_key(t) == key]
        ids: set[int] = set()
        for chunk in chunks(hit):
            q = f"SELECT DISTINCT article_id FROM mentions WHERE text IN ({','.join('?' * len(chunk))})"
            ids.update(int(r[0]) for r in tx.execute(q, list(chunk)))
        words = sorted(re.findall(r"\w+", key), key=len, reverse=True)
        if words:
            q = f"SELECT id FROM articles WHERE {self.sql_find}(lower(text), ?) > 0"
            ids.update(int(r[0]) for r in tx.execute(q, (words[0],)))
        ids.update(int(r[0]) for r in tx.execute("SELECT id FROM articles WHERE corrected = 1"))
        return ids

    # ---- corrections -------------------------------------------------------------------------------

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
        """Store a correction (one transaction) and apply it to the stored views; validation is in
        :mod:`conflict_map.store.corrections`."""
        values = (kind, article_id, start, end, mention_text, alias_key)
        values += (place_to_json(place) if place else None, note, user or current_user(), now_iso())
        with self._tx() as tx:
            self._lock_aliases(tx, exclusive=kind == "alias")  # locks in one order: aliases, article, places
            if article_id is not None:
                self._lock_article(tx, article_id)
            if place is not None:
                self._upsert_places(tx, [place])
            cid = self._insert_correction(tx, values)
            rec = self._correction(tx, cid)
            self._refresh(tx, self._alias_targets(tx, rec) if kind == "alias" else [article_id or 0])
        return rec

    def _insert_correction(self, tx: Any, values: Sequence[Any]) -> int:
        r = tx.execute(
            'INSERT INTO corrections(kind, article_id, start, "end", mention_text, alias_key, place, note, "user",'
            " created_at) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
            values,
        ).fetchone()
        return int(r[0])

    def _correction(self, conn: Any, correction_id: int) -> CorrectionRecord:
        r = conn.execute(f"SELECT {CORR_COLS} FROM corrections WHERE id = ?", (correction_id,)).fetchone()
        if r is None:
            raise UserError(f"no correction {correction_id}")
        return correction_from_row(r)

    def get_correction(self, correction_id: int) -> CorrectionRecord:
        """One correction by id; :class:`UserError` when there is none."""
        with self._read() as conn:
            return self._correction(conn, correction_id)

    def list_corrections(
        self, *, article_id: int | None = None, include_undone: bool = False
    ) -> list[CorrectionRecord]:
        """Corrections in the order they were made (aliases included when filtering by article)."""
        with self._read() as conn:
            return self._corrections(conn, article_id=article_id, include_undone=include_undone)

    def _corrections(
        self, conn: Any, *, article_id: int | None = None, include_undone: bool = False
    ) -> list[CorrectionRecord]:
        q, args = f"SELECT {CORR_COLS} FROM corrections WHERE 1=1", []
        if article_id is not None:
            q += " AND (article_id = ? OR kind = 'alias')"
            args.append(article_id)
        if not include_undone:
            q += " AND undone_at IS NULL"
        return [correction_from_row(r) for r in conn.execute(q + " ORDER BY id", args)]

    def corrections_for(self, article_id: int) -> list[CorrectionRecord]:
        """Active corrections that apply to one article (its own + corpus-wide aliases), oldest first."""
        return self.list_corrections(article_id=article_id)

    def undo_correction(self, correction_id: int | None = None, *, user: str | None = None) -> CorrectionRecord:
        """Undo one correction (the latest active one when no id is given); it stays listed as undone."""
        who = user or current_user()
        with self._tx() as tx:
            if correction_id is None:
                q = "SELECT id FROM corrections WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
                r = tx.execute(q).fetchone()
                if r is None:
                    raise UserError("there is no correction to undo")
                correction_id = int(r[0])
            rec = self._correction(tx, correction_id)
            self._lock_aliases(tx, exclusive=rec.kind == "alias")
            if rec.undone_at is not None:
                raise UserError(f"correction {correction_id} was already undone at {rec.undone_at}")
            tx.execute(
                "UPDATE corrections SET undone_at = ?, undone_by = ? WHERE id = ?", (now_iso(), who, correction_id)
            )
            self._refresh(tx, self._alias_targets(tx, rec) if rec.kind == "alias" else [rec.article_id or 0])
            return self._correction(tx, correction_id)

    # ---- story layouts -------------------------------------------------------------------------------

    def save_layout(self, article_id: int, layout_json: str, user: str) -> None:
        """Store (replace) the JSON text of an article's story layout."""
        with self._tx() as tx:
            tx.execute(
                'INSERT INTO story(article_id, layout, "user", updated_at) VALUES (?,?,?,?)'
                ' ON CONFLICT(article_id) DO UPDATE SET layout=excluded.layout, "user"=excluded."user",'
                " updated_at=excluded.updated_at",
                (article_id, layout_json, user, now_iso()),
            )

    def layout_row(self, article_id: int) -> tuple[Any, str, str] | None:
        """``(layout, user, updated_at)``: the layout decoded from JSON (``None`` if it is not JSON)."""
        with self._read() as conn:
            q = 'SELECT layout, "user", updated_at FROM story WHERE article_id = ?'
            r = conn.execute(q, (article_id,)).fetchone()
        if r is None:
            return None
        try:
            layout = loads(r[0])
        except ValueError:
            layout = None
        return layout, str(r[1]), str(r[2])

    def delete_layout(self, article_id: int) -> bool:
        """Forget an article's layout; True when there was one."""
        with self._tx() as tx:
            return tx.execute("DELETE FROM story WHERE article_id = ?", (article_id,)).rowcount > 0


__all__ = ["CORR_COLS", "CorrectionsSql", "correction_from_row", "current_user", "now_iso"]
