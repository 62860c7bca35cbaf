"""CLI contract of extract / eval / build-index, including bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conflict_map.cli.main import main
from conflict_map.models import MENTION_KEYS

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TEXT = "Fighting spread from Ramadi to Falluja. Officials in Baghdad said Iraqi troops held the road.\n"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_extract_json_schema(tmp_path, capsys) -> None:
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    code, out, _ = run(capsys, "extract", str(f), "--format", "json")
    assert code == 0
    mentions = json.loads(out)["mentions"]
    assert mentions and all(set(m) == MENTION_KEYS for m in mentions)
    by_text = {m["text"]: m for m in mentions}
    assert by_text["Falluja"]["country"] == "IQ" and by_text["Falluja"]["type"] == "place"
    assert by_text["Iraqi"]["type"] == "demonym" and by_text["Iraqi"]["country"] == "IQ"
    for m in mentions:
        assert TEXT[m["start"] : m["end"]] == m["text"]


def test_extract_table_and_stdin(monkeypatch, capsys) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode())))
    code, out, _ = run(capsys, "extract", "-")
    assert code == 0
    assert "Ramadi" in out and "place mentions" in out


def test_extract_jsonl(tmp_path, capsys) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": TEXT})
        + "\n"
        + json.dumps({"id": "b", "text": "Nothing here."})
        + "\n"
        + "not json\n"
        + json.dumps({"id": "c", "text": ""})
        + "\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "extract", "--jsonl", str(src))
    assert code == 0
    lines = [json.loads(x) for x in out.splitlines()]
    assert [x["id"] for x in lines[:2]] == ["a", "b"]
    assert lines[0]["mentions"] and lines[1]["mentions"] == []
    assert "error" in lines[2] and "error" in lines[3]
    assert "could not be geoparsed" in err


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03" * 1000, "binary"),
    ],
)
def test_bad_files_give_a_clear_message(tmp_path, capsys, content: bytes, message: str) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    code, _, err = run(capsys, "extract", str(f))
    assert code == 2
    assert message in err.lower() and "Traceback" not in err


def test_non_utf8_file_is_read_with_a_warning(tmp_path, capsys) -> None:
    f = tmp_path / "latin.txt"
    f.write_bytes("Troops reached Ramadi – the café was closed.".encode("cp1252"))
    code, out, err = run(capsys, "extract", str(f))
    assert code == 0 and "Ramadi" in out
    assert "warning" in err.lower()


def test_huge_file_and_missing_file(tmp_path, capsys) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # a sparse 50 MB file: quick to make
        fh.seek(50 * 1024 * 1024)
        fh.write(b"x")
    code, _, err = run(capsys, "extract", str(big))
    assert code == 2 and "too large" in err
    code, _, err = run(capsys, "extract", str(tmp_path / "nope.txt"))
    assert code == 2 and "no such file" in err


def test_no_traceback_from_the_console_script(tmp_path) -> None:
    f = tmp_path / "bin.dat"
    f.write_bytes(bytes(range(256)) * 64)
    exe = Path(sys.executable).with_name("conflict-map")
    proc = subprocess.run([str(exe), "extract", str(f)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("conflict-map: error:")


def test_eval_on_own_gold(tmp_path, capsys) -> None:
    text = "Shelling hit Mosul and the Syrian town of Raqqa, officials in Paris said."
    gold = [
        {
            "start": text.index("Mosul"),
            "end": text.index("Mosul") + 5,
            "name": "Mosul",
            "lat": 36.335,
            "lon": 43.119,
            "adjectival": False,
        },
        {
            "start": text.index("Syrian"),
            "end": text.index("Syrian") + 6,
            "name": "Syrian",
            "lat": 35.0,
            "lon": 38.0,
            "adjectival": True,
        },
        {
            "start": text.index("Raqqa"),
            "end": text.index("Raqqa") + 5,
            "name": "Raqqa",
            "lat": 35.95,
            "lon": 39.01,
            "adjectival": False,
        },
        {
            "start": text.index("Paris"),
            "end": text.index("Paris") + 5,
            "name": "Paris",
            "lat": -30.0,
            "lon": 150.0,
            "adjectival": False,
        },  # deliberately wrong coordinates: must count as a resolution error
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "t1", "text": text, "toponyms": gold}) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "eval", str(path), "--no-adjectival", "--json")
    assert code == 0
    total = json.loads(out)[-1]
    assert total["gold"] == 3 and total["predicted"] == 3 and total["matched"] == 3
    assert total["precision"] == 1.0 and total["recall"] == 1.0
    assert total["acc_161km"] == pytest.approx(2 / 3, abs=1e-3)
    assert total["end_to_end_161km"] == pytest.approx(2 / 3, abs=1e-3)
    code, out, _ = run(capsys, "eval", str(path))
    assert "F1" in out and "acc@161km" in out


def test_build_index_reports_current(capsys) -> None:
    code, out, _ = run(capsys, "build-index")
    assert code == 0 and "gazetteer index" in out


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "articles").exists(), reason="../shared/articles not present")
def test_anbar_article_every_place_and_no_false_ones(capsys) -> None:
    path = SHARED / "articles" / "niqash-2017-showdown-in-anbar.txt"
    code, out, _ = run(capsys, "extract", str(path), "--format", "json")
    assert code == 0
    text = path.read_text(encoding="utf-8")
    mentions = json.loads(out)["mentions"]
    places = [m for m in mentions if m["type"] == "place"]
    found = {m["text"] for m in places}
    for name in [
        "Al Qaem",
        "Rawa",
        "Ain al-Asad",
        "Khan al-Baghdadi",
        "Kirkuk",
        "Ramadi",
        "Fallujah",
        "Mosul",
        "Raqqa",
        "Anbar",
        "Salahaddin",
        "Ninawa",
        "Iraq",
        "Syria",
        "Iran",
        "Uzbekistan",
        "US",
    ]:
        assert name in found, name
    qaem = [m for m in places if m["text"] == "Al Qaem"]
    assert len(qaem) >= 9 and {m["id"] for m in qaem} == {"92138"}
    assert {m["country"] for m in places} <= {"IQ", "SY", "IR", "UZ", "US"}
    berlin = text.index("Berlin")
    line = (text.rfind("\n", 0, berlin), text.find("\n", berlin))
    assert not any(line[0] <= m["start"] <= line[1] for m in mentions)
    for person in [
        "Abu Omar al-Iraq",
        "Abu Bakr al-Baghdadi",
        "Abu Saeed al-Masri",
        "Abu Muhannad al-Halaby",
        "Albu Mahal",
        "al-Karbouli",
        "Qassim al-Ithawai",
        "Hezbollah",
        "Islamic State",
    ]:
        for start in [i for i in range(len(text)) if text.startswith(person, i)]:
            assert not any(m["start"] < start + len(person) and start < m["end"] for m in places), person


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "eval").exists(), reason="../shared/eval not present")
@pytest.mark.parametrize(
    "suffix,min_f1,min_end_to_end",
    [
        ("", 0.85, 0.80),  # the targets on gwn + trnews + lgl
        ("_middle_east", 0.92, 0.90),  # ... and on their Middle East documents
    ],
)
def test_accuracy_meets_the_targets_on_the_news_gold(capsys, suffix: str, min_f1: float, min_end_to_end: float) -> None:
    """Recognition F1 and end-to-end accuracy@161 km with demonyms dropped (as quoted in the notes; `make eval`)."""
    files = [str(SHARED / "eval" / f"{c}{suffix}.jsonl") for c in ("gwn", "trnews", "lgl")]
    code, out, _ = run(capsys, "eval", *files, "--no-adjectival", "--json")
    assert code == 0
    total = json.loads(out)[-1]
    assert total["f1"] >= min_f1
    assert total["end_to_end_161km"] >= min_end_to_end


def test_extract_jsonl_carries_every_input_field_through(tmp_path, capsys) -> None:
    """Each output line is the input record's fields plus "mentions", ids as given (for `conflict-map load`)."""
    from hostile import PAYLOADS

    from conflict_map.text.clean import clean_text

    text = "Shelling hit Ramadi\x01 on Monday. Convoys left Baghdad \ud800 at dawn.\r"
    records = [
        {
            "id": 17,
            "text": text,
            "title": "A title",
            "date": "2024-03-01",
            "url": "https://example.org/a",
            "publisher": "Desert Post",
            "tags": ["war", {"k": 1}],
            "score": 0.5,
            "mentions": "stale",
            "error": "an old failure",
        },
        {"id": "b-2", "text": "Troops reached Erbil.", "payloads": PAYLOADS, "title": PAYLOADS[0]},
        {"text": "Nothing here at all."},
        {"id": {"nested": "id"}, "title": "no text"},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    code, _out, _err = run(capsys, "extract", "--jsonl", str(src), "-o", str(tmp_path / "out.jsonl"))
    assert code == 0
    raw = (tmp_path / "out.jsonl").read_text(encoding="utf-8")  # JSON is data: payloads come back as text
    first, second, third, fourth = (json.loads(x) for x in raw.rstrip("\n").split("\n"))  # U+2028 is no line end
    assert first["id"] == 17 and "error" not in first
    expected = {k: v for k, v in records[0].items() if k not in ("text", "mentions", "error")}
    assert {k: first[k] for k in expected} == expected
    # the text written is the one the offsets point into: cleaned one character for one, so as long as the input
    assert first["text"] == "Shelling hit Ramadi  on Monday. Convoys left Baghdad \ufffd at dawn.\n"
    assert len(first["text"]) == len(text)
    assert [m["text"] for m in first["mentions"] if m["type"] == "place"] == ["Ramadi", "Baghdad"]
    assert first["body"] == [0, len(text)]  # the story's span, kept by `load`
    for m in first["mentions"]:
        assert first["text"][m["start"] : m["end"]] == m["text"]
    assert second["id"] == "b-2" and [m["text"] for m in second["mentions"]] == ["Erbil"]
    assert second["title"] == PAYLOADS[0] and second["payloads"] == [clean_text(p) for p in PAYLOADS]
    assert third["id"] == 3 and third["mentions"] == []  # no id: the line number, as before
    assert fourth["id"] == {"nested": "id"} and fourth["title"] == "no text" and "error" in fourth
