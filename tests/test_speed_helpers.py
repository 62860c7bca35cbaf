"""The precomputed tables of the fast paths agree with the plain per-item computations they replace."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from gazetteer_tiny import build_tiny_index

from conflict_map.gazetteer.index import open_gazetteer
from conflict_map.geoparse.recognise.candidates import gap_ok, name_reach, sentence_of, token_sentences
from conflict_map.geoparse.recognise.lexicon import CONNECTORS
from conflict_map.text.doc import Doc
from conflict_map.text.tokens import Token, tokenize

TEXTS = [
    "Convoys left Ramadi. They reached Al-Qa'im near the Syrian border.\n\nGen. Smith spoke in Cox's Bazar.",
    '"Troops," he said: "moved to Dayr az Zawr" (then W. Va. and N. Y.)  Quellport\'s mayor stayed.',
    "الجيش دخل مدينة الموصل. ثم وصل إلى دير الزور",
    "  ",
]


@pytest.mark.parametrize("text", TEXTS)
def test_token_sentences_is_sentence_of_every_token(text: str) -> None:
    doc = Doc.of(text)
    assert token_sentences(doc) == [sentence_of(t.start, doc.sentences) for t in doc.tokens]


@pytest.mark.parametrize("text", TEXTS)
def test_name_reach_is_the_last_token_every_link_allows(text: str) -> None:
    doc = Doc.of(text)
    tokens = doc.tokens

    def link(k: int) -> bool:
        b = tokens[k + 1]
        return gap_ok(text, tokens[k], b) and (b.cap or b.lower in CONNECTORS)

    for i, far in enumerate(name_reach(doc)):
        assert all(link(k) for k in range(i, far))
        assert far == len(tokens) - 1 or not link(far)


def test_tokens_are_immutable_values() -> None:
    a, b = tokenize("Mosul Mosul")
    assert (a.text, a.lower, a.cap, a.arabic) == ("Mosul", "mosul", True, False)
    assert a != b and Token(*a) == a and hash(Token(*a)) == hash(a)
    with pytest.raises(AttributeError):
        a.text = "Raqqa"  # type: ignore[misc]
    assert tokenize("Quellport's port")[0].end == len("Quellport")


def test_vector_lookups_agree_with_row_lookups(tmp_path: Path) -> None:
    gaz = open_gazetteer(build_tiny_index(tmp_path / "tiny.idx"))
    rows = np.arange(len(gaz), dtype=np.int64)
    kinds = frozenset({"country", "base"})
    assert gaz.is_kind(rows, kinds).tolist() == [gaz.kind_of(r) in kinds for r in range(len(gaz))]
    assert gaz.countries_of(rows).tolist() == [gaz.country_of(r) for r in range(len(gaz))]
    assert np.array_equal(gaz.ecef_km(rows), gaz.ecef_km(iter(range(len(gaz)))))
    key = "quellport"
    assert gaz.rows_for_key(key) == gaz.rows_for_key(key) and gaz.rows_for_key("nowhere at all") == ()
    assert gaz.variant_rows("Kwelport") == gaz.variant_rows("Kwelport")
