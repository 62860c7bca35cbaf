"""A candidate's score: the prior importance of its best reading plus the weights of the features that fire.

The evidence functions run in this order (a few read hints that earlier ones left: "typed", "in-landmark");
those of :mod:`.arabic_features` fire only for names or context in Arabic script.
"""

from __future__ import annotations

from conflict_map.gazetteer.index import Gazetteer
from conflict_map.geoparse.recognise import arabic_features as a
from conflict_map.geoparse.recognise import features as f
from conflict_map.geoparse.recognise import persons as p
from conflict_map.geoparse.recognise.candidates import Candidate
from conflict_map.geoparse.weights import Weights
from conflict_map.text.tokens import Token

#: Every piece of recogniser evidence, in the order it is weighed.
EVIDENCE: tuple[f.Evidence, ...] = (
    f.names_its_kind,
    f.common_word_variant,
    f.plural_title,
    f.spelling_variant,
    f.dictionary_word,
    f.arabic_script,
    f.acronym,
    f.party_place,
    p.name_before,
    p.kunya_chain,
    p.nisba_after,
    p.given_or_surname,
    f.currency,
    f.town_word_after,
    f.word_after,
    f.tribe_list,
    f.the_before_town,
    f.word_before,
    f.dateline,
    f.container_after,
    a.kind_word_before,
    a.named_with_kind,
    a.proclitic_preposition,
    a.word_before_arabic,
    a.kunya_chain_arabic,
    a.given_name_arabic,
    a.tribe_arabic,
    a.organisation_arabic,
    a.collocation_arabic,
    a.adjective_arabic,
    a.common_word_arabic,
    a.clitic_doubtful,
    a.plural_alias,
    a.foreign_minor,
    a.variant_arabic,
    a.container_after_arabic,
)
#: The evidence that can fire for an Arabic-script name among Arabic-script words: the Arabic evidence and the
#: few English-script functions that do not read Latin words (the rest never fire there, and are skipped).
ARABIC_EVIDENCE: tuple[f.Evidence, ...] = tuple(
    e for e in EVIDENCE if e in (f.arabic_script, f.dateline, f.container_after) or e.__module__ == a.__name__
)
#: The hints every feature leaves (English-script and Arabic-script evidence).
HINTS: dict[str, frozenset[str]] = {**f.FEATURE_HINTS, **a.ARABIC_HINTS}


def score_candidate(
    c: Candidate,
    text: str,
    tokens: list[Token],
    gaz: Gazetteer,
    sent_first: set[int],
    headlines: list[tuple[int, int]],
    weights: Weights,
) -> None:
    """Set ``c.score``, ``c.reasons``, ``c.features`` and the hints of candidate ``c``."""
    if not f.ordinary_words(c, gaz):
        return
    x = f.context(c, text, tokens, gaz, sent_first, headlines)
    score = x.best
    reasons = [f"prior {x.best:.1f}"]
    c.features["prior"] = x.best
    arabic = tokens[c.first].arabic and all(t is None or t.arabic for t in (x.prev, x.nxt))
    for evidence in ARABIC_EVIDENCE if arabic else EVIDENCE:
        name = evidence(x)  # f.apply, unrolled: most evidence does not fire
        if name is not None:
            score = f.credit(x, name, weights, score, reasons, HINTS)
    c.score = score
    c.reasons = reasons
