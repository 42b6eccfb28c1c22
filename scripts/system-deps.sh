#!/usr/bin/env bash
# Installs the system packages Passerelle's build and tests need, and makes sure
# PostgreSQL is running. Idempotent: when everything is present it only checks.
# Called by `npm run setup` and by `.ci/run`.
set -euo pipefail

PKGS=(libgdal-dev gdal-bin postgresql-15-postgis-3 chromium sqlite3 libxml2-utils openssh-server)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "[system-deps] installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
  echo "[system-deps] system packages present" >&2
fi

# PostgreSQL: start the cluster if it is not accepting connections.
if command -v pg_isready >/dev/null && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "[system-deps] starting PostgreSQL" >&2
  for v in $(ls /etc/postgresql 2>/dev/null); do
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
  done
  for i in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
exit 0
