"""The corpus: articles, their parses, readers' corrections and checked claims, behind one store interface.

* :mod:`.base` - :class:`Store`, the interface every caller uses;
* :mod:`.factory` - :func:`open_store` picks the backend from ``--db``: a SQLite file (the embedded
  default) or ``postgresql://user@host:port/dbname``;
* :mod:`.sqlite` - the SQLite backend; :mod:`.postgis` - the PostgreSQL/PostGIS backend;
* :mod:`.sqlbase`, :mod:`.sqlcorrect` - the SQL both backends share; :mod:`.schema` - their migrations;
* :mod:`.derive` - the rows an article's parse and corrections give (pure functions);
* :mod:`.corrections` - corrections as pure functions over a parse, and recording them through a store;
* :mod:`.queries` - views over the corpus (places, excerpts, time series), aggregated in SQL.

This module re-exports the public API for users; the package's own modules import the defining modules.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Store", "open_store"]


def __getattr__(name: str) -> Any:
    """``Store`` and ``open_store``, imported on first use (importing one store module stays light)."""
    if name == "Store":
        from conflict_map.store.base import Store

        return Store
    if name == "open_store":
        from conflict_map.store.factory import open_store

        return open_store
    raise AttributeError(name)
