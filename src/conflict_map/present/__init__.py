"""The classroom: map stories, printable hand-outs and the teacher's layout kept with an article.

:mod:`~conflict_map.present.story` (steps, building a story, the teacher's layout),
:mod:`~conflict_map.present.passages` (the sentences a step shows, headline and lead),
:mod:`~conflict_map.present.page` (the self-contained presentation page),
:mod:`~conflict_map.present.mapimage` (the hand-out's map image), :mod:`~conflict_map.present.handout`
(the printable hand-out) and :mod:`~conflict_map.present.layout_store` (layouts kept in the corpus).
"""
