#!/usr/bin/env bash
# Everything CI checks: lint, Python tests, JS tests, browser tests. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== ruff"
.venv/bin/ruff check .
echo "== pytest"
.venv/bin/python -m pytest
echo "== oxlint"
npm run -s lint
echo "== vitest"
npx vitest run
