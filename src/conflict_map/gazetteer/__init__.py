"""The offline gazetteer: a compact index of places built from registry packages and curated data.

* :mod:`.index`: the :class:`~conflict_map.gazetteer.index.Gazetteer` (look-ups, importance, kinds, search and
  suggestions) opened from an index file, and which file is used (``--gazetteer``, ``CONFLICT_MAP_GAZETTEER``);
* :mod:`.build` and :mod:`.builder`: building the index from :mod:`.sources` (one module per source);
* :mod:`.fileformat`: the memory-mapped file; :mod:`.fingerprint`: whether the default index is current;
* :mod:`.scoring`: place kinds and the prior importance of a place.
"""
