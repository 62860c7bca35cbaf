"""Commands end with one clear line (exit 2) when an output cannot be written, never leave a half file, read
negative coordinates as values and refuse absurd place names quickly (invented texts)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from fake_geoparse import fake_geoparse

from conflict_map.cli.main import main
from conflict_map.cli.output import output_file, write_output
from conflict_map.errors import UserError
from conflict_map.gazetteer.index import MAX_PLACE_NAME_CHARS, Gazetteer, get_gazetteer
from conflict_map.ingest.batch import ingest_paths
from conflict_map.store.sqlite import Corpus

TEXT = "Fighting spread from Ramadi to Falluja. Officials in Baghdad said troops held the road.\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_clear_line(err: str) -> bool:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    return bool(lines) and lines[-1].startswith("conflict-map: error: ") and "Traceback" not in err


@pytest.fixture
def article(tmp_path: Path) -> Path:
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    return f


def test_extract_output_in_a_missing_folder_or_a_folder(article: Path, tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "extract", str(article), "-o", str(tmp_path / "no" / "dir" / "x.json"))
    assert code == 2 and one_clear_line(err) and "does not exist" in err
    code, _, err = run(capsys, "extract", str(article), "-o", str(tmp_path))
    assert code == 2 and one_clear_line(err) and "folder" in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_extract_to_a_full_device(article: Path, capsys) -> None:
    code, _, err = run(capsys, "extract", str(article), "-o", "/dev/full")
    assert code == 2 and one_clear_line(err) and "No space left" in err
    assert Path("/dev/full").is_char_device()  # written to, never replaced by a rename


def test_extract_jsonl_of_a_folder(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "extract", "--jsonl", str(tmp_path))
    assert code == 2 and one_clear_line(err) and "folder" in err


def test_failed_extract_keeps_the_old_output_and_leaves_no_temporary_file(tmp_path: Path, capsys) -> None:
    old = tmp_path / "out.json"
    old.write_text("OLD", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = run(capsys, "extract", str(empty), "-o", str(old))
    assert code == 2 and one_clear_line(err)
    assert old.read_text(encoding="utf-8") == "OLD"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", "out.json"]


def test_extract_output_replaces_the_file_with_its_permissions(article: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.json"
    out.write_text("OLD", encoding="utf-8")
    out.chmod(0o640)
    code, _, _ = run(capsys, "extract", str(article), "-o", str(out), "--format", "json")
    assert code == 0 and json.loads(out.read_text(encoding="utf-8"))["mentions"]
    assert out.stat().st_mode & 0o777 == 0o640


def test_output_file_removes_its_temporary_file_on_error(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    with pytest.raises(RuntimeError), output_file(target) as fh:
        fh.write("half")
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []
    assert write_output(target, b"whole") == target and target.read_bytes() == b"whole"
    with pytest.raises(UserError, match="does not exist"):
        write_output(tmp_path / "missing" / "x.txt", "x")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="no /proc")
def test_story_to_proc(article: Path, capsys) -> None:
    code, _, err = run(capsys, "story", str(article), "-o", "/proc/x.html")
    assert code == 2 and one_clear_line(err) and "cannot write /proc/x.html" in err


def test_border_length_geojson_in_a_missing_folder(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "border-length", "IQ", "SY", "--geojson", str(tmp_path / "no" / "x.geojson"))
    assert code == 2 and one_clear_line(err)


def test_export_output_in_a_missing_folder(tmp_path: Path, capsys) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Shelling hit Rawa and Qaim.", encoding="utf-8")
    db = tmp_path / "c.sqlite"
    with Corpus(db) as corpus:
        ingest_paths([f], corpus, geoparse=fake_geoparse, progress=False)
    code, _, err = run(capsys, "export", "--db", str(db), "-o", str(tmp_path / "no" / "x.geojson"))
    assert code == 2 and one_clear_line(err)
    out = tmp_path / "x.geojson"
    code, _, err = run(capsys, "export", "--db", str(db), "-o", str(out))
    assert code == 0 and json.loads(out.read_text(encoding="utf-8"))["features"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "c.sqlite", "x.geojson"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_eval_on_a_fifo(tmp_path: Path, capsys) -> None:
    os.mkfifo(tmp_path / "gold.jsonl")
    code, _, err = run(capsys, "eval", str(tmp_path / "gold.jsonl"))
    assert code == 2 and one_clear_line(err) and "FIFO" in err


# --------------------------------------------------------------------------- coordinates and place names


def test_negative_coordinates_are_values_not_options(capsys) -> None:
    code, out, err = run(capsys, "distance", "0,0", "-33.9,18.4", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["to"]["lat"], data["to"]["lon"]) == (-33.9, 18.4)
    code, out, err = run(capsys, "distance", "-33.9,18.4", "-1.5,-2", "--format", "json")
    assert code == 0 and json.loads(out)["from"]["lat"] == -33.9, err
    code, out, err = run(capsys, "border", "-3.4,29.4", "--format", "json")
    assert code == 0 and json.loads(out)["place"]["lat"] == -3.4, err


def test_overlong_place_name_is_refused(capsys) -> None:
    code, _, err = run(capsys, "distance", "q" * 3000, "Baghdad")
    assert code == 2 and one_clear_line(err) and "too long" in err
    gaz = get_gazetteer()
    assert gaz.search("a" * (MAX_PLACE_NAME_CHARS + 1)) == []
    with pytest.raises(UserError, match="too long"):
        gaz.resolve_name("b" * (MAX_PLACE_NAME_CHARS + 1))


def test_unknown_name_suggestions_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    gaz = get_gazetteer()
    calls: list[str] = []
    real = Gazetteer.suggest

    def counting(self: Gazetteer, name: str, limit: int = 5) -> list:
        calls.append(name)
        return real(self, name, limit)

    monkeypatch.setattr(Gazetteer, "suggest", counting)
    with pytest.raises(UserError, match="unknown place"):
        gaz.resolve_name("Zzxqwy Town")
    assert calls == ["Zzxqwy Town"]
    assert [p.name for p in gaz.suggest("Mossul")][:1] == ["Mosul"]
    assert "Mosul" in [p.name for p in gaz.suggest("Mosul province of the far north")]
