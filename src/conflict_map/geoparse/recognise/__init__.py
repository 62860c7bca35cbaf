"""Recognition: find the place mentions (and demonyms) in a document.

The recogniser is a gazetteer-driven matcher with named evidence instead of a statistical NER (none ships
offline with acceptable speed and quality):

1. :mod:`.candidates`: candidate spans are runs of capitalised tokens (with inner connectors such as "al-",
   "de", "of") whose normalised form or transliteration skeleton is a gazetteer name, longest first;
2. :mod:`.features` and :mod:`.persons`: each candidate scores the prior importance of its best reading plus
   the weights (``geoparse/weights.json``) of the evidence that fires: for it (a locative before it,
   "province"/"town of" around it, ", <state>" after it, a dateline, "a <town> man", a name that says its
   kind) and against it (a dictionary word, part of a longer proper name, a person's kunya or title before
   it, "tribe"/"group"/"Post" after it, a currency, an acronym);
3. :mod:`.discourse`: candidates above the threshold are mentions; the article vouches for some weaker ones
   (a name that recurs, a list of places, a town near the article's places).

Demonyms and adjectives ("Iraqi", "Syrians") become mentions of type ``demonym`` linked to their country;
Arabic nisba adjectives ("العراقية") only tell the resolver which countries the article is about.
Page boilerplate (see :mod:`conflict_map.text.boilerplate`) is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from conflict_map.gazetteer.index import Gazetteer
from conflict_map.geoparse.landmarks import find_landmarks
from conflict_map.geoparse.recognise.candidates import Candidate, Demonym, find_candidates
from conflict_map.geoparse.recognise.discourse import accept
from conflict_map.geoparse.recognise.persons import same_word_as_person
from conflict_map.geoparse.recognise.score import score_candidate
from conflict_map.geoparse.weights import Weights, default_weights
from conflict_map.text.boilerplate import boilerplate_spans, in_spans
from conflict_map.text.doc import Doc

__all__ = ["Candidate", "Recognised", "recognise"]


@dataclass(slots=True)
class Recognised:
    """Output of :func:`recognise`: accepted place candidates and demonyms."""

    places: list[Candidate]
    demonyms: list[Demonym]
    boilerplate: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    landmarks: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, head) not in the gazetteer
    candidates: list[Candidate] = field(default_factory=list)  # every candidate, accepted or not (for fitting)
    adjectives: list[Demonym] = field(default_factory=list)  # Arabic nisba adjectives: context, not mentions


def recognise(doc: Doc | str, gaz: Gazetteer, *, weights: Weights | None = None) -> Recognised:
    """Find place and demonym mentions in ``doc`` (offsets into its text as given)."""
    doc = Doc.of(doc) if isinstance(doc, str) else doc
    weights = weights or default_weights()
    text, tokens = doc.text, doc.tokens
    boiler = boilerplate_spans(text)
    found = find_candidates(doc, gaz, boiler)
    cands = found.candidates
    landmarks = [lm for lm in find_landmarks(text, tokens) if not in_spans(lm[0], boiler)]
    for c in cands:
        if any(s <= c.start and c.end <= e and (c.start, c.end) != (s, e) for s, e, _h in landmarks):
            c.hints.add("in-landmark")  # "Laurel County Detention Center": the county is where it is
        score_candidate(c, text, tokens, gaz, found.sentence_first, found.headlines, weights)
    same_word_as_person(cands, tokens, gaz, found.sentence_first, found.headlines, weights)
    accepted = accept(text, cands, gaz, weights)
    taken = [(c.start, c.end) for c in accepted] + [(d[0], d[1]) for d in found.demonyms]
    landmarks = [lm for lm in landmarks if not any(a < lm[1] and lm[0] < b for a, b in taken)]
    return Recognised(accepted, found.demonyms, boiler, doc.sentences, landmarks, cands, found.adjectives)
