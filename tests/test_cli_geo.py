"""The geography sub-commands: distance, border, border-length, claims (output, JSON, errors)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pyproj
import pytest

from conflict_map.cli import geo
from conflict_map.cli import main as cli

sys.path.insert(0, str(Path(__file__).parent))
from test_claims import parse  # noqa: E402  (the fixture geoparser with fixed coordinates)

GEOD = pyproj.Geod(ellps="WGS84")
HAVE_GAZETTEER = importlib.util.find_spec("conflict_map.gazetteer.index") is not None
needs_gazetteer = pytest.mark.skipif(not HAVE_GAZETTEER, reason="gazetteer not installed yet")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = cli.main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_distance_coordinates_json(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "distance", "34.39251,40.98945", "33.7856, 42.4412", "--format", "json")
    assert rc == 0
    data = json.loads(out)
    az, _baz, m = GEOD.inv(40.98945, 34.39251, 42.4412, 33.7856)
    assert data["km"] == pytest.approx(m / 1000, abs=0.001)
    assert data["miles"] == pytest.approx(m / 1609.344, abs=0.001)
    assert data["bearing_deg"] == pytest.approx(az % 360, abs=0.05)
    assert data["compass"] == "ESE"
    assert data["from"]["lat"] == pytest.approx(34.39251)


def test_distance_table(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "distance", "33.34058,44.40088", "36.335,43.11889")
    assert rc == 0
    assert "352.3 km" in out and "miles" in out and "bearing" in out


@pytest.mark.parametrize("bad", ["91,0", "0,200", " "])
def test_distance_bad_coordinates(capsys: pytest.CaptureFixture[str], bad: str) -> None:
    rc, out, err = run(capsys, "distance", bad, "0,0")
    assert rc == 2 and out == ""
    assert err.startswith("conflict-map: error:") and "Traceback" not in err


@needs_gazetteer
def test_distance_names(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "distance", "Al Qaem", "Ain al-Asad", "--format", "json")
    assert rc == 0
    data = json.loads(out)
    assert data["km"] == pytest.approx(150, abs=3)
    assert data["from"]["query"] == "Al Qaem" and data["from"]["country"] == "IQ"


@needs_gazetteer
def test_unknown_place_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = run(capsys, "distance", "Baghdadd", "Zzxqwy Town")
    assert rc == 2
    assert "unknown place" in err and "Traceback" not in err


def test_border_from_coordinates(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "border", "34.39251,40.98945", "--format", "json")
    assert rc == 0
    data = json.loads(out)
    nb = data["nearest_border"]
    assert {nb["a"]["iso2"], nb["b"]["iso2"]} == {"IQ", "SY"}
    assert 1 < nb["distance_km"] < 4
    assert data["country"]["iso2"] == "IQ"
    # the reported point is at the reported geodesic distance
    m = GEOD.inv(40.98945, 34.39251, nb["nearest_point"]["lon"], nb["nearest_point"]["lat"])[2]
    assert m / 1000 == pytest.approx(nb["distance_km"], abs=0.01)


def test_border_with_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "border", "33.34058,44.40088", "--with", "Syria")
    assert rc == 0 and "Iraq–Syria" in out and "lies in Iraq" in out
    rc, _out, err = run(capsys, "border", "33.34058,44.40088", "--with", "France")
    assert rc == 2 and "no land border" in err
    rc, _out, err = run(capsys, "border", "0,-30", "--with", "Syria")
    assert rc == 2 and "at sea" in err


def test_border_length(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rc, out, _ = run(capsys, "border-length", "IQ", "SY")
    assert rc == 0 and "Iraq–Syria border: 598.9 km" in out
    geojson = tmp_path / "b.geojson"
    rc, out, _ = run(capsys, "border-length", "IRQ", "syrian", "--format", "json", "--geojson", str(geojson))
    data = json.loads(out)
    assert 590 <= data["length_km"] <= 610
    fc = json.loads(geojson.read_text())
    assert fc["features"][0]["geometry"]["type"] in ("LineString", "MultiLineString")


@pytest.mark.parametrize(
    ("a", "b", "msg"),
    [("IQ", "FR", "share no land border"), ("IQ", "Narnia", "unknown place 'Narnia'"), ("SY", "SYR", "same")],
)
def test_border_length_errors(capsys: pytest.CaptureFixture[str], a: str, b: str, msg: str) -> None:
    rc, out, err = run(capsys, "border-length", a, b)
    assert rc == 2 and out == "" and msg in err


def test_claims_json_and_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(geo, "_geoparse", parse)
    art = tmp_path / "a.txt"
    art.write_text(
        "Ramadi is about 110 km from Baghdad.\nMosul lies 240 km south of Baghdad.\nIn 2014, 150 fighters came.\n",
        encoding="utf-8",
    )
    rc, out, _ = run(capsys, "claims", str(art), "--format", "json")
    assert rc == 0
    found = json.loads(out)["claims"]
    assert [c["verdict"] for c in found] == ["consistent", "differs"]
    text = art.read_text(encoding="utf-8")
    assert all(text[c["start"] : c["end"]] == c["text"] for c in found)
    assert found[1]["direction_ok"] is False
    rc, out, _ = run(capsys, "claims", str(art))
    assert rc == 0 and "CONSISTENT" in out and "DIFFERS" in out and "2 statement(s)" in out


def test_claims_stdin_and_errors(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import io

    monkeypatch.setattr(geo, "_geoparse", parse)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Nothing measurable here.")))
    rc, out, _ = run(capsys, "claims", "-")
    assert rc == 0 and "no distance or length statements" in out
    rc, out, err = run(capsys, "claims", str(tmp_path / "missing.txt"))
    assert rc == 2 and "no such file" in err
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    rc, out, err = run(capsys, "claims", str(empty))
    assert rc == 2 and "Traceback" not in err
