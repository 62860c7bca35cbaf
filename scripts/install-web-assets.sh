#!/usr/bin/env bash
# Installs the dashboard's browser libraries from the npm registry (versions pinned in
# package.json / package-lock.json) and copies the files the app serves into the git-ignored
# static/ folder (Streamlit serves it at /app/static/ with server.enableStaticServing).
# Then builds the offline basemap GeoJSON (static/geo/). Nothing here is committed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing: install Node.js (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi

if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi

nm=node_modules
v=static/vendor
rm -rf "$v"
mkdir -p "$v"/leaflet "$v"/leaflet-measure "$v"/leaflet-minimap "$v"/leaflet.fullscreen \
         "$v"/leaflet.markercluster static/geo

cp "$nm"/leaflet/dist/leaflet.js "$nm"/leaflet/dist/leaflet.css "$v"/leaflet/
cp -r "$nm"/leaflet/dist/images "$v"/leaflet/
cp "$nm"/leaflet/LICENSE "$v"/leaflet/LICENSE.txt

cp "$nm"/leaflet-measure/dist/leaflet-measure.js "$nm"/leaflet-measure/dist/leaflet-measure.css "$v"/leaflet-measure/
cp -r "$nm"/leaflet-measure/dist/assets "$v"/leaflet-measure/

cp "$nm"/leaflet-minimap/dist/Control.MiniMap.min.js "$nm"/leaflet-minimap/dist/Control.MiniMap.min.css "$v"/leaflet-minimap/
cp -r "$nm"/leaflet-minimap/dist/images "$v"/leaflet-minimap/

cp "$nm"/leaflet.fullscreen/Control.FullScreen.js "$nm"/leaflet.fullscreen/Control.FullScreen.css \
   "$nm"/leaflet.fullscreen/icon-fullscreen.svg "$v"/leaflet.fullscreen/

cp "$nm"/leaflet.markercluster/dist/leaflet.markercluster.js "$nm"/leaflet.markercluster/dist/MarkerCluster.css \
   "$nm"/leaflet.markercluster/dist/MarkerCluster.Default.css "$v"/leaflet.markercluster/

# one file for the dashboard map: Leaflet + the plugins it uses, so the map frame loads one script, not four
# in a row (streamlit-folium loads scripts one after the other)
bundle="$v"/conflict-map-leaflet-bundle.js
: > "$bundle"
for f in "$v"/leaflet/leaflet.js "$v"/leaflet-measure/leaflet-measure.js \
         "$v"/leaflet.fullscreen/Control.FullScreen.js "$v"/leaflet-minimap/Control.MiniMap.min.js; do
  printf '\n/* --- %s --- */\n' "${f#"$v"/}" >> "$bundle"
  sed '/^\/\/# sourceMappingURL=/d' "$f" >> "$bundle"
  printf '\n;\n' >> "$bundle"
done

PY=${PY:-.venv/bin/python}
"$PY" -m conflict_map.view.offline build --node-modules "$nm" --static static
