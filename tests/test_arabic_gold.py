"""The Arabic gold corpus (eval-data/arabic): every split passes check.py and matches its annotated sources.

Reads only the gold files and their sources; the geoparser is never run on them (test splits stay held out).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ARABIC = Path(__file__).resolve().parents[1] / "eval-data" / "arabic"
SPLITS = ("dev", "test", "test2", "test3", "test4", "test5", "test6", "test7", "test8", "test9", "test10", "test11")


def load(name: str) -> ModuleType:
    """Import eval-data/arabic/<name>.py (a script, not a package module)."""
    spec = importlib.util.spec_from_file_location(f"arabic_gold_{name}", ARABIC / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_check_covers_every_split_and_passes(capsys) -> None:
    check = load("check")
    assert tuple(check.SPLITS) == SPLITS
    assert check.main([]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("OK")
    for split in SPLITS:
        assert f"{split}: " in out


@pytest.mark.parametrize("split", SPLITS)
def test_jsonl_is_built_from_its_source(split: str) -> None:
    build = load("build")
    places = build.load_places(ARABIC / "src" / "places.tsv")
    lines = (ARABIC / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == build.build(split, places)
