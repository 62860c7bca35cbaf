#!/usr/bin/env bash
# Builds the map's context layers (rivers and town labels) into the cache and static/geo/.
#
# Rivers: GSHHG 2.3.7 WDBII river lines (LGPL-3+), file usr/share/gmt-gshhg/binned_river_i.nc of the Debian
# package gmt-gshhg-low. The .deb (4.3 MB) is downloaded with `apt-get download` and unpacked with
# `dpkg-deb -x` into a temporary folder; only the 0.9 MB river file is kept in the cache: the package is
# NOT installed. Town labels come from the gazetteer index (`make index`). No road layer exists in any
# package registry we can use (see geodata/README.md).
#
# Cache: $CONFLICT_MAP_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/conflict-map. Idempotent: a second run with
# unchanged sources only checks (a second or two).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
CACHE=${CONFLICT_MAP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/conflict-map}
SRC="$CACHE/sources"
NC="$SRC/binned_river_i.nc"
mkdir -p "$SRC"

if [ ! -s "$NC" ] && [ -s /usr/share/gmt-gshhg/binned_river_i.nc ]; then
  cp /usr/share/gmt-gshhg/binned_river_i.nc "$NC"
  echo "system gmt-gshhg-low" > "$NC.source"
fi
if [ ! -s "$NC" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"
  echo "fetching Debian gmt-gshhg-low (for the WDBII river lines, not installed)"
  if ! (cd "$tmp" && apt-get download -qq gmt-gshhg-low >/dev/null 2>&1); then
    $SUDO apt-get update -qq
    (cd "$tmp" && apt-get download -qq gmt-gshhg-low >/dev/null 2>&1)
  fi
  deb=$(ls "$tmp"/gmt-gshhg-low_*.deb)
  dpkg-deb -x "$deb" "$tmp/x"
  cp "$tmp/x/usr/share/gmt-gshhg/binned_river_i.nc" "$NC.part"
  cp "$tmp/x/usr/share/doc/gmt-gshhg-low/copyright" "$SRC/gmt-gshhg-low.copyright" 2>/dev/null || true
  basename "$deb" > "$NC.source"
  mv "$NC.part" "$NC"
  rm -rf "$tmp"; trap - EXIT
fi
echo "binned_river_i.nc: $(sha256sum "$NC" | cut -c1-16) ($(cat "$NC.source" 2>/dev/null || echo unknown source))"

CONFLICT_MAP_CACHE="$CACHE" "$PY" -m conflict_map.view.layers build
