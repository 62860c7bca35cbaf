#!/usr/bin/env bash
# Installs the Debian packages conflict-map needs, only where they are missing.
# - chromium: headless browser for the dashboard's browser tests
# - nodejs/npm: fetch the dashboard's pinned browser libraries from the npm registry at setup time
# - postgresql-15-postgis-3: PostgreSQL 15 + PostGIS for the corpus's PostGIS backend; the tests start a
#   throwaway server of their own with /usr/lib/postgresql/15/bin (no cluster is created or started here)
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
[ -f /usr/share/postgresql/15/extension/postgis.control ] && [ -x /usr/lib/postgresql/15/bin/initdb ] \
  || need+=(postgresql-15-postgis-3)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "system packages ready"
