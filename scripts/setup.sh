#!/usr/bin/env bash
# Make .venv and node_modules match requirements.txt and package-lock.json; fast when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat .venv/.requirements.sha 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
  echo "$want" > .venv/.requirements.sha
fi

if [ "${SKIP_NODE:-0}" != "1" ]; then
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ "$(cat node_modules/.lock.sha 2>/dev/null)" != "$want" ]; then
    echo "setup: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > node_modules/.lock.sha
  fi
fi
