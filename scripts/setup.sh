#!/usr/bin/env bash
# `npm run setup`: everything Passerelle needs on a Debian machine, from a clean clone.
#  1. system packages (GDAL, PostGIS for the running PostgreSQL, Chromium) and PostgreSQL started;
#  2. npm dependencies — gdal-async built against Debian's GDAL (see docs/install.md);
#  3. the build (engine, CLI, web host, preload, renderer).
# Idempotent: a second run only checks, and skips `npm ci` when node_modules matches the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)

bash scripts/system-deps.sh

# Electron's binary and headers cannot be downloaded on our machines; the tests never need them.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
# gdal-async: link Debian's libgdal instead of compiling the bundled GDAL (80 s instead of 23 min).
# Only here: a plain `npm install` elsewhere still takes gdal-async's normal prebuilt path.
if command -v gdal-config >/dev/null 2>&1; then
  export npm_config_build_from_source=gdal-async
  export GYP_DEFINES="shared_gdal=true"
fi

stamp=node_modules/.passerelle-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "[setup] node_modules matches package-lock.json" >&2
else
  echo "[setup] npm ci" >&2
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

# Native modules must load, or nothing else will: say so now rather than in a test.
node -e "require('better-sqlite3'); const g = require('gdal-async'); process.stderr.write('[setup] gdal-async ' + g.version + ', better-sqlite3 ok\n')"

npm run build --silent
echo "[setup] done in $(( $(date +%s) - t0 )) s" >&2
