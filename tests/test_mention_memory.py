"""Memory stays O(text + mentions): mentions share their sentence; JSON output and the parse cache are bounded."""

from __future__ import annotations

import json
import sys

from fake_geoparse import QAIM

from conflict_map.cli.main import main
from conflict_map.geoparse.pipeline import geoparse
from conflict_map.models import ELLIPSIS, MAX_SENTENCE_CHARS, Candidate, Mention, ParseResult, SentencePool
from conflict_map.store.corrections import apply_corrections
from conflict_map.store.sqlite import CorrectionRecord
from conflict_map.web.cache import SizedLRU, parse_result_bytes

# one long sentence naming the same towns again and again (invented text)
LONG = "Convoys crossed Baghdad, Mosul and Erbil " * 60 + "before dawn."
MIXED = "Iraqi units left Baghdad for the Al-Shifa hospital in Mosul while Syrian officers waited in Mosul."


def _distinct_sentence_objects(mentions: list[Mention]) -> int:
    return len({id(m.sentence) for m in mentions})


def test_mentions_of_one_sentence_share_one_string() -> None:
    result = geoparse(LONG)
    assert len(result.mentions) >= 150
    assert _distinct_sentence_objects(result.mentions) == 1
    first = result.mentions[0]
    assert all(m.sentence is first.sentence for m in result.mentions)
    assert all(LONG[m.sentence_start : m.sentence_start + len(m.sentence)] == m.sentence for m in result.mentions)


def test_places_landmarks_and_demonyms_share_their_sentence() -> None:
    result = geoparse(MIXED)
    kinds = {m.type for m in result.mentions} | {m.place.kind for m in result.mentions if m.place}
    assert {"demonym", "landmark", "place"} <= kinds
    assert _distinct_sentence_objects(result.mentions) == 1


def test_alias_hits_share_the_sentence_already_held() -> None:
    text = "Rawa and Qaimtown and Qaimtown and Qaimtown."
    s = text
    base = Mention(start=0, end=4, text="Rawa", sentence=s, sentence_start=0, candidates=[Candidate(QAIM, 1.0)])
    base.place = QAIM
    alias = CorrectionRecord(1, "alias", None, None, None, "Qaimtown", "qaimtown", QAIM, "", "tester", "2024-01-01Z")
    out = apply_corrections(ParseResult(text=text, mentions=[base]), [alias])
    assert [m.text for m in out.mentions] == ["Rawa", "Qaimtown", "Qaimtown", "Qaimtown"]
    assert all(m.sentence is s for m in out.mentions)


def test_sentence_pool_returns_one_object_per_span() -> None:
    text = "Mosul and Baghdad. Erbil too."
    pool = SentencePool(text)
    assert pool(0, 18) is pool(0, 18) and pool(0, 18) == "Mosul and Baghdad."
    held = Mention(start=19, end=24, text="Erbil", sentence=text[19:29], sentence_start=19)
    assert SentencePool(text, [held])(19, 29) is held.sentence


def test_sentence_window_caps_long_sentences() -> None:
    sentence = "a" * 3000 + " Baghdad " + "b" * 3000
    m = Mention(start=13_001, end=13_008, text="Baghdad", sentence=sentence, sentence_start=10_000)
    w = m.sentence_window()
    assert len(w) <= MAX_SENTENCE_CHARS and "Baghdad" in w
    assert w.startswith(ELLIPSIS) and w.endswith(ELLIPSIS)
    short = Mention(start=0, end=5, text="Mosul", sentence="Mosul fell.")
    assert short.sentence_window() == "Mosul fell." and short.to_dict()["sentence"] == "Mosul fell."
    at_start = Mention(start=0, end=5, text="Mosul", sentence="Mosul " + "c" * 5000)
    w = at_start.sentence_window()
    assert w.startswith("Mosul ") and w.endswith(ELLIPSIS) and len(w) <= MAX_SENTENCE_CHARS


def test_extract_json_sentence_is_bounded_per_mention(tmp_path, capsys) -> None:
    f = tmp_path / "long.txt"
    f.write_text(LONG, encoding="utf-8")
    assert main(["extract", str(f), "--format", "json"]) == 0
    mentions = json.loads(capsys.readouterr().out)["mentions"]
    assert len(mentions) >= 150
    for m in mentions:
        assert len(m["sentence"]) <= MAX_SENTENCE_CHARS
        assert m["text"] in m["sentence"]


# --------------------------------------------------------------------------- the dashboard's parse cache


def test_sized_lru_bounded_by_bytes_and_recency() -> None:
    cache: SizedLRU[str, str] = SizedLRU(max_bytes=100, size_of=lambda k, v: len(v))
    cache.put("a", "x" * 40)
    cache.put("b", "y" * 40)
    assert cache.get("a") == "x" * 40  # "a" is now the most recent
    cache.put("c", "z" * 40)  # over budget: the least recently used ("b") goes
    assert cache.keys() == ["a", "c"] and cache.total_bytes == 80
    cache.put("huge", "h" * 101)  # larger than the whole budget: never kept
    assert cache.get("huge") is None and cache.total_bytes == 80
    cache.put("a", "x" * 10)  # replacing an entry updates its size
    assert cache.total_bytes == 50
    calls: list[int] = []
    assert cache.get_or_compute("d", lambda: calls.append(1) or "d") == "d"
    assert cache.get_or_compute("d", lambda: calls.append(1) or "d") == "d"
    assert calls == [1]
    cache.clear()
    assert len(cache) == 0 and cache.total_bytes == 0


def test_parse_size_counts_a_shared_sentence_once() -> None:
    text = "Baghdad " * 5000
    pool = SentencePool(text)
    shared = [Mention(start=i * 8, end=i * 8 + 7, text="Baghdad", sentence=pool(0, len(text))) for i in range(5000)]
    copied = [Mention(start=i * 8, end=i * 8 + 7, text="Baghdad", sentence=text[0:-1]) for i in range(500)]
    small = parse_result_bytes(text, ParseResult(text=text, mentions=shared))
    assert small < 2 * sys.getsizeof(text) + 5000 * 1000
    # unshared copies are what they cost: 500 mentions of a 40,000-character sentence are ~20 MB
    assert parse_result_bytes(text, ParseResult(text=text, mentions=copied)) > 500 * len(text)


def test_app_parse_cache_is_sized_not_counted() -> None:
    import ast
    from pathlib import Path

    tree = ast.parse((Path(__file__).resolve().parents[1] / "app.py").read_text(encoding="utf-8"))
    parse = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "parse")
    assert not parse.decorator_list  # no st.cache_resource(max_entries=...) holding whole parses by count
    assert "_parse_cache" in ast.unparse(parse)
