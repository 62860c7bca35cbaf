"""GeoParquet export: places or one row per mention, GeoParquet 1.1 metadata, EPSG:4326, row groups;
read back by geopandas and DuckDB."""

from __future__ import annotations

import json

import pytest
from fake_geoparse import ASAD, QAIM, RAWA_OTHER, fake_geoparse, make_text
from hostile import PAYLOADS

from conflict_map.cli.main import main
from conflict_map.export import geoparquet
from conflict_map.export.registry import export, result_bytes
from conflict_map.models import ArticleInput
from conflict_map.store import corrections as corr
from conflict_map.store.sqlite import Corpus
from conflict_map.text.clean import clean_text


@pytest.fixture
def corpus(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        for i in range(6):
            t = make_text(i)
            c.add_article(ArticleInput(text=t, title=f"Story {i}", date=f"2024-01-{i + 1:02d}"), fake_geoparse(t))
        yield c


def _geo(path):
    import pyarrow.parquet as pq

    return json.loads(pq.read_schema(path).metadata[b"geo"])


def test_places_layer(corpus, tmp_path):
    import geopandas as gpd

    out, data = export(corpus, "parquet", tmp_path / "places.parquet")
    meta = _geo(out)
    assert meta["version"] == "1.1.0" and meta["primary_column"] == "geometry"
    col = meta["columns"]["geometry"]
    assert col["encoding"] == "WKB" and col["geometry_types"] == ["Point"] and col["crs"]["id"]["code"] == 4326
    gdf = gpd.read_parquet(out)
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == len(data.places)
    q = gdf[gdf["id"] == QAIM.id].iloc[0]
    assert (q.geometry.x, q.geometry.y) == (QAIM.lon, QAIM.lat)  # x = longitude
    assert list(q["article_ids"]) and q["mentions"] >= q["articles"] >= 1 and len(q["excerpts"]) >= 1
    minx, miny, maxx, maxy = col["bbox"]
    assert minx <= gdf.geometry.x.min() and maxy >= gdf.geometry.y.max()


def test_mentions_layer_one_row_per_mention_with_corrections(corpus, tmp_path, monkeypatch):
    import geopandas as gpd
    import pyarrow.parquet as pq

    monkeypatch.setattr(geoparquet, "ROWS_PER_GROUP", 4)  # several row groups
    r = make_text(1).index("Rawa")
    corr.choose_place(corpus, 2, r, r + 4, RAWA_OTHER)
    out, _ = export(corpus, "parquet", tmp_path / "mentions.parquet", layer="mentions")
    assert pq.ParquetFile(out).metadata.num_row_groups > 1
    gdf = gpd.read_parquet(out)
    n = sum(len(fake_geoparse(make_text(i)).places) for i in range(6))
    assert len(gdf) == n
    row = gdf[(gdf["article_id"] == 2) & (gdf["start"] == r)].iloc[0]
    assert row["place_id"] == RAWA_OTHER.id and row["mention"] == "Rawa" and row["date"] == "2024-01-02"
    assert (row.geometry.x, row.geometry.y, row["lat"], row["lon"]) == (20.0, 10.0, 10.0, 20.0)
    assert set(gdf.columns) >= {"article_id", "ext_id", "date", "start", "end", "place_id", "name", "geometry"}


def test_duckdb_reads_it(corpus, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    out, _ = export(corpus, "parquet", tmp_path / "m.parquet", layer="mentions")
    path = str(out).replace("'", "''")
    n, places = duckdb.sql(f"SELECT count(*), count(DISTINCT place_id) FROM read_parquet('{path}')").fetchall()[0]
    assert n > 0 and places >= 3
    keys = [k for (k,) in duckdb.sql(f"SELECT key FROM parquet_kv_metadata('{path}')").fetchall()]
    assert b"geo" in keys
    asad = duckdb.sql(f"SELECT DISTINCT lat, lon FROM read_parquet('{path}') WHERE place_id = 'icao:ORAA'").fetchall()
    assert asad == [(ASAD.lat, ASAD.lon)]


def test_hostile_text_round_trips(tmp_path):
    import geopandas as gpd

    with Corpus(tmp_path / "h.sqlite") as c:
        for p in PAYLOADS:
            t = clean_text(f"Fighting near Qaim {p} on Monday.")  # as ingest cleans every text
            c.add_article(ArticleInput(text=t, title=clean_text(p)), fake_geoparse(t))
        out, _ = export(c, "parquet", tmp_path / "h.parquet")
    excerpts = {e for ex in gpd.read_parquet(out)["excerpts"] for e in ex}
    assert clean_text(f"Fighting near Qaim {PAYLOADS[0]} on Monday.") in excerpts


def test_cli_and_downloads(corpus, tmp_path, capsys):
    db = str(corpus.path)
    assert main(["export", "--db", db, "-o", str(tmp_path / "x.parquet"), "--layer", "mentions"]) == 0
    assert "mention(s)" in capsys.readouterr().out
    assert main(["export", "--db", db, "-o", str(tmp_path / "x.csv"), "--layer", "mentions"]) == 2
    assert "parquet format only" in capsys.readouterr().err
    content, name, mime = result_bytes(fake_geoparse("Troops left Qaim."), "parquet", title="One")
    assert content[:4] == b"PAR1" and name == "one.parquet" and mime == "application/vnd.apache.parquet"
