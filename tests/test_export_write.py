"""Writing an export file: only regular files, one clear error line, atomic (temp file + rename), no new folders."""

from __future__ import annotations

import dataclasses
import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest

from conflict_map.errors import UserError
from conflict_map.export import registry
from conflict_map.export.data import ClaimRecord, ExportData
from conflict_map.export.files import write_atomic
from conflict_map.export.registry import write
from conflict_map.models import Place
from conflict_map.store.queries import Excerpt, PlaceSummary
from conflict_map.store.sqlite import Article

FORMATS = ["geojson", "csv", "kml", "gpkg"]  # the HTML map needs the browser assets; its writer is tested elsewhere


def _data() -> ExportData:
    place = Place("t1", "Testville", "town", 10.0, 20.0, "XX")
    ex = Excerpt(1, "A made-up story", "2024-01-02", "", "Rain fell on Testville.", 13, 22, "Testville")
    summary = PlaceSummary(place, 1, 1, [1], "2024-01-02", "2024-01-02", 0.9, [ex])
    art = Article(1, "", "A made-up story", "", "", "2024-01-02", "", "", "txt", 1, "")
    claim = ClaimRecord(
        1, "Testville is 5 km from Otherton.", "5 km", "5.1 km", "consistent", [(10.0, 20.0), (10.0, 20.05)]
    )
    return ExportData([summary], [claim], {1: art}, title="made-up", generated_at="2024")


def _one_line(exc: pytest.ExceptionInfo[UserError]) -> str:
    msg = str(exc.value)
    assert "\n" not in msg and "Traceback" not in msg
    return msg


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


@pytest.fixture
def no_write(monkeypatch):
    """Fail loudly should anything try to create or rename a file (a special target must be refused first)."""

    def boom(*_a, **_k):
        raise AssertionError("the target should have been refused before writing")

    monkeypatch.setattr(tempfile, "mkstemp", boom)
    monkeypatch.setattr(os, "replace", boom)


@pytest.mark.parametrize("fmt", FORMATS)
def test_writes_a_regular_file_atomically(fmt, tmp_path):
    out = tmp_path / f"x.{fmt}"
    out.write_bytes(b"old")
    os.chmod(out, 0o640)
    assert write(_data(), fmt, out) == out
    assert out.read_bytes() != b"old" and out.stat().st_size > 100
    assert stat.S_IMODE(out.stat().st_mode) == 0o640  # the replaced file keeps its permissions
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_device_is_refused(no_write):
    with pytest.raises(UserError) as exc:
        write(_data(), "csv", "/dev/full")
    assert "/dev/full" in _one_line(exc) and "not a regular file" in str(exc.value)


def test_fifo_is_refused_without_blocking(tmp_path, no_write):
    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)
    with pytest.raises(UserError) as exc:
        write(_data(), "geojson", fifo)  # opening a FIFO with no reader would block: it is never opened
    assert "not a regular file" in _one_line(exc)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still the FIFO, not replaced by a regular file


def test_folder_is_refused(tmp_path, no_write):
    with pytest.raises(UserError) as exc:
        write(_data(), "kml", tmp_path)
    assert "is a folder" in _one_line(exc)


def test_missing_folder_is_an_error_and_not_created(tmp_path):
    out = tmp_path / "no" / "such" / "x.csv"
    with pytest.raises(UserError) as exc:
        write(_data(), "csv", out)
    assert "does not exist" in _one_line(exc) and str(tmp_path / "no" / "such") in str(exc.value)
    assert not (tmp_path / "no").exists()


def test_a_file_in_the_path_is_an_error(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(UserError) as exc:
        write(_data(), "csv", tmp_path / "f" / "x.csv")
    assert "does not exist" in _one_line(exc)


def test_permission_denied_is_one_line(tmp_path, monkeypatch):
    def denied(*_a, **_k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(UserError) as exc:
        write(_data(), "csv", tmp_path / "x.csv")
    assert _one_line(exc) == f"cannot write {tmp_path / 'x.csv'}: Permission denied"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_folder_is_one_line(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(UserError) as exc:
            write(_data(), "geojson", ro / "x.geojson")
        assert "Permission denied" in _one_line(exc)
    finally:
        ro.chmod(0o700)


@pytest.mark.parametrize("fmt", ["csv", "gpkg"])
def test_disk_full_keeps_the_old_file(fmt, tmp_path, monkeypatch):
    """A write error half-way (ENOSPC) is one line; the old file stays, no temporary file is left."""

    def full(data, path):
        Path(path).write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    broken = dataclasses.replace(registry.REGISTRY[fmt], to_bytes=None, to_file=full)
    monkeypatch.setitem(registry.REGISTRY, fmt, broken)
    out = tmp_path / f"x.{fmt}"
    out.write_bytes(b"old")
    with pytest.raises(UserError) as exc:
        write(_data(), fmt, out)
    assert _one_line(exc) == f"cannot write {out}: No space left on device"
    assert out.read_bytes() == b"old" and _leftovers(tmp_path) == []


def test_gdal_write_error_is_one_line(tmp_path, monkeypatch):
    import geopandas as gpd
    from pyogrio.errors import DataSourceError

    def fail(*_a, **_k):
        raise DataSourceError("sqlite3_exec failed: database or disk is full\nmore detail")

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", fail)
    with pytest.raises(UserError) as exc:
        write(_data(), "gpkg", tmp_path / "x.gpkg")
    assert _one_line(exc).endswith("database or disk is full")
    assert _leftovers(tmp_path) == [] and not (tmp_path / "x.gpkg").exists()


def test_a_failing_writer_leaves_nothing(tmp_path):
    out = tmp_path / "x.bin"

    def fail(path):
        Path(path).write_bytes(b"half")
        raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        write_atomic(out, fail)
    assert not out.exists() and _leftovers(tmp_path) == []


def test_unknown_format(tmp_path):
    with pytest.raises(UserError, match="unknown export format 'shp'; choose one of geojson, csv, kml, gpkg, html"):
        write(_data(), "shp", tmp_path / "x.shp")
