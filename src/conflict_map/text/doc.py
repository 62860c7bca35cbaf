"""The document the geoparser's components share: the text as given, its tokens and sentences, made once.

>>> doc = Doc.of("Convoys left Ramadi. They reached Al Qaim.")
>>> [t.text for t in doc.tokens][:3], doc.sentences
(['Convoys', 'left', 'Ramadi'], [(0, 20), (21, 42)])
>>> doc.sentence_at(25)
(21, 42)
"""

from __future__ import annotations

from dataclasses import dataclass

from conflict_map.text.sentences import sentence_index, sentences
from conflict_map.text.tokens import Token, tokenize


@dataclass(frozen=True, slots=True)
class Doc:
    """Text with its word tokens and sentence spans (offsets into ``text``, which is never changed)."""

    text: str
    tokens: list[Token]
    sentences: list[tuple[int, int]]

    @classmethod
    def of(cls, text: str) -> Doc:
        """Tokenise and split ``text`` (the one tokeniser and splitter of :mod:`conflict_map.text`)."""
        return cls(text, tokenize(text), sentences(text))

    def sentence_at(self, pos: int) -> tuple[int, int]:
        """The sentence span holding ``pos``, or ``(pos, pos)`` when it lies between sentences."""
        i = sentence_index(self.sentences, pos)
        if i >= 0 and self.sentences[i][0] <= pos < self.sentences[i][1]:
            return self.sentences[i]
        return (pos, pos)
