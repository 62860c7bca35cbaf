"""The gazetteer index file: look-ups on a tiny invented index, bad files, pickling to workers, --gazetteer."""

from __future__ import annotations

import copy
import json
import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from gazetteer_tiny import PLACES, build_tiny_index, gazetteer_identity, lookup_names
from hostile import PAYLOADS

from conflict_map.cli.main import main
from conflict_map.errors import UserError
from conflict_map.gazetteer import index as gi
from conflict_map.gazetteer.fileformat import IndexFile, IndexFormatError, KeyTable, encode_key_table, write_index
from conflict_map.gazetteer.index import ENV_VAR, get_gazetteer, load_gazetteer, open_gazetteer
from conflict_map.gazetteer.scoring import prior
from conflict_map.gazetteer.sources import curated
from conflict_map.text.names import norm_key, skeleton


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory) -> Path:
    return build_tiny_index(tmp_path_factory.mktemp("gaz") / "tiny.idx")


@pytest.fixture(scope="module")
def tiny(tiny_path):
    return open_gazetteer(tiny_path)


def test_rows_and_fields(tiny) -> None:
    assert len(tiny) == len(PLACES)
    quell = tiny.get("t:quell")
    assert (quell.name, quell.kind, quell.country, quell.population, quell.source) == (
        "Quellport",
        "city",
        "ZV",
        450_000,
        "test",
    )
    assert (quell.lat, quell.lon) == (41.5, 21.2)
    row = tiny.row_of("t:quell")
    assert tiny.place(row) is tiny.place(row)  # cached
    assert tiny.importance(row) == prior("city", 450_000) + 1.0  # a capital
    assert tiny.importance(tiny.row_of("t:brask")) == prior("town", 23_000)
    assert tiny.kind_of(row) == "city" and tiny.country_of(row) == "ZV" and tiny.population_of(row) == 450_000
    assert tiny.capitals == frozenset({row})
    assert tiny.get("t:none") is None and tiny.row_of("") is None


def test_names_spellings_and_script(tiny) -> None:
    assert [p.id for p in tiny.lookup("Kwellport")] == ["t:quell"]
    assert [p.id for p in tiny.lookup("QUELL PORT")] == ["t:quell"]  # "Quell-Port" folds to "quell port"
    assert [p.id for p in tiny.lookup("عين القرش")] == ["t:ainq"]
    # two places share a name: ascending rows in the index, most important first in a look-up
    rows = tiny.rows_for_key("braskovo")
    assert rows == tuple(sorted(rows)) and len(rows) == 2
    assert [p.id for p in tiny.lookup("Braskovo")] == ["t:brask", "t:brask2"]
    assert tiny.has_key("camp veltra") and not tiny.has_key("camp")
    assert tiny.row_of("t:ainq") in tiny.rows_for_skeleton(skeleton("Ain al-Qarsh"))  # IQ: variants indexed
    assert [p.id for p in tiny.suggest("Quelport")] == ["t:quell"]
    assert tiny.resolve_name("Zorvania").id == "t:zv"
    assert tiny.demonyms == {"zorvanian": "t:zv"}
    assert tiny.common_words == {"river", "camp"} and tiny.given_names == {"anna"} and tiny.surnames == {"smith"}


def test_unknown_and_unencodable_names_find_nothing(tiny) -> None:
    for name in ("Nowhere", "", "\ud800", "Quell\udcffport", "x" * 5000, "\x00"):
        assert tiny.lookup(name) == []
        assert not tiny.has_key(norm_key(name))
        assert tiny.rows_for_skeleton(skeleton(name)) == ()


def test_geocentric_coordinates_are_pyprojs(tiny) -> None:
    from pyproj import Transformer

    rows = [tiny.row_of("t:quell"), tiny.row_of("t:ainq")]
    lat, lon = tiny.coords(rows)
    x, y, z = Transformer.from_crs("EPSG:4326", "EPSG:4978", always_xy=True).transform(lon, lat, np.zeros_like(lat))
    assert np.array_equal(tiny.ecef_km(rows), np.column_stack([x, y, z]) / 1000.0)
    assert tiny.ecef_km(iter([])).shape == (0, 3)


def test_names_are_kept_as_data(tmp_path) -> None:
    encodable = [p for p in PAYLOADS if not any(0xD800 <= ord(c) <= 0xDFFF for c in p)]
    places = [(f"t:{i}", p, "town", 10.0, 10.0, "ZV", 100, [p]) for i, p in enumerate(encodable)]
    gaz = open_gazetteer(build_tiny_index(tmp_path / "hostile.idx", places + [PLACES[1]]))
    for i, p in enumerate(encodable):
        assert gaz.get(f"t:{i}").name == p


def test_key_table_finds_every_key_and_nothing_else(tmp_path) -> None:
    keys = [f"name {i}" for i in range(3000)] + ["ḥalab", "القائم", "zürich", "a\nb", "x" * 500]
    write_index(tmp_path / "k.idx", encode_key_table("k", keys), {"format": 4})
    table = KeyTable(IndexFile(tmp_path / "k.idx"), "k")
    assert [table.find(k) for k in keys] == list(range(len(keys)))
    assert [table[i] for i in range(len(keys))] == keys
    assert all(table.find(f"other {i}") == -1 for i in range(3000))
    assert "zürich" in table and "zurich" not in table and None not in table


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "empty file"),
        (b"GIF89a" + b"\x00" * 100, "not a conflict-map gazetteer index"),
        (b"CMGAZIDX" + (10**9).to_bytes(8, "little") + b"{}", "damaged header"),
    ],
)
def test_bad_index_files_give_one_clear_error(tmp_path, capsys, content: bytes, message: str) -> None:
    path = tmp_path / "bad.idx"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        open_gazetteer(path)
    article = tmp_path / "a.txt"
    article.write_text("Troops left Quellport at dawn.", encoding="utf-8")
    assert main(["--gazetteer", str(path), "extract", str(article)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("conflict-map: error:") and message in err and "Traceback" not in err


def test_truncated_other_format_missing_folder_and_fifo(tiny_path, tmp_path) -> None:
    data = tiny_path.read_bytes()
    (tmp_path / "cut.idx").write_bytes(data[: len(data) // 2])
    with pytest.raises(UserError, match="truncated"):
        open_gazetteer(tmp_path / "cut.idx")
    with pytest.raises(IndexFormatError, match="index format 3"):
        write_index(tmp_path / "v3.idx", {}, {"format": 3})
        IndexFile(tmp_path / "v3.idx")
    with pytest.raises(UserError, match="build-index"):
        open_gazetteer(tmp_path / "missing.idx")
    with pytest.raises(UserError, match="not a regular file"):
        open_gazetteer(tmp_path)
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(UserError, match="not a regular file"):  # refused before it is opened: no hang
        open_gazetteer(tmp_path / "fifo")


def test_an_explicit_index_is_used_as_it_is(tiny_path, monkeypatch) -> None:
    assert load_gazetteer(tiny_path).fingerprint == "test"  # never rebuilt, though not built from the sources
    monkeypatch.setenv(ENV_VAR, str(tiny_path))
    assert gi.index_path() == tiny_path
    assert get_gazetteer().path == tiny_path.absolute()
    assert load_gazetteer().fingerprint == "test"


def test_pickles_as_its_path(tiny) -> None:
    data = pickle.dumps(tiny)
    assert len(data) < 500 and str(tiny.path).encode() in data
    assert pickle.loads(data) is tiny  # one instance per file and process
    assert copy.deepcopy(tiny) is tiny


@pytest.mark.parametrize("method", ["spawn", "fork"])
def test_worker_processes_open_the_same_file(tiny, method: str) -> None:
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context(method)) as pool:
        assert pool.submit(lookup_names, tiny, "Kwellport").result(timeout=120) == ["t:quell"]
        path, pid = pool.submit(gazetteer_identity, tiny).result(timeout=120)
    assert path == str(tiny.path) and pid != os.getpid()


def _extract_ids(capsys, args: list[str]) -> list[str]:
    assert main(args) == 0
    return [m["id"] for m in json.loads(capsys.readouterr().out)["mentions"]]


def test_cli_gazetteer_option_and_environment(tiny_path, tmp_path, capsys, monkeypatch) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Convoys left Quellport and reached Braskovo, in Zorvania, before noon.", encoding="utf-8")
    want = ["t:quell", "t:brask", "t:zv"]
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert _extract_ids(capsys, ["--gazetteer", str(tiny_path), "extract", str(article), "--format", "json"]) == want
    assert ENV_VAR not in os.environ  # the option holds for the command only
    assert _extract_ids(capsys, ["extract", str(article), "--gazetteer", str(tiny_path), "--format", "json"]) == want
    monkeypatch.setenv(ENV_VAR, str(tiny_path))
    assert _extract_ids(capsys, ["extract", str(article), "--format", "json"]) == want
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "nowhere.idx"))
    assert main(["extract", str(article)]) == 2
    assert "no gazetteer index at" in capsys.readouterr().err


def test_build_index_refuses_a_folder(tmp_path, capsys) -> None:
    assert main(["--gazetteer", str(tmp_path), "build-index", "--force"]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_a_missing_curated_file_is_an_error(tmp_path, monkeypatch) -> None:
    for name in curated.CURATED_FILES:
        if name != "aliases.csv":
            (tmp_path / name).write_bytes(curated.curated_file(name).read_bytes())
    monkeypatch.setattr(curated, "data_dir", lambda: tmp_path)
    with pytest.raises(UserError, match="aliases.csv is missing"):
        curated.read_csv("aliases.csv")
    from conflict_map.gazetteer.fingerprint import source_fingerprint

    with pytest.raises(UserError, match="aliases.csv is missing"):
        source_fingerprint()
    assert curated.read_csv("demonyms.csv")  # the others are read as before


def test_a_rebuilt_file_is_opened_anew(tmp_path) -> None:
    path = build_tiny_index(tmp_path / "g.idx")
    first = open_gazetteer(path)
    assert open_gazetteer(path) is first
    build_tiny_index(tmp_path / "g.idx", PLACES[:2])  # replaced (a new file at the same path)
    second = open_gazetteer(path)
    assert second is not first and len(second) == 2 and len(first) == len(PLACES)
