"""conflict-map: turn news articles about wars into an interactive, checkable map, fully offline.

The pipeline flows one way::

    text -> body extraction -> mentions (recognise) -> resolved places (resolve) -> map / report

Public entry points:

>>> from conflict_map import geoparse
>>> result = geoparse("Fighting continued near Mosul, in northern Iraq.")
>>> [(m.text, m.place.name) for m in result.places]  # doctest: +SKIP
[('Mosul', 'Mosul'), ('Iraq', 'Iraq')]
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "geoparse"]


def geoparse(text: str, **kwargs):  # noqa: ANN003, ANN201 - thin re-export, typed in pipeline
    """Geoparse ``text``; see :func:`conflict_map.geoparse.pipeline.geoparse`."""
    from conflict_map.geoparse.pipeline import geoparse as _geoparse

    return _geoparse(text, **kwargs)
