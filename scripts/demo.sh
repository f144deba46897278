#!/usr/bin/env bash
# The demo: embedded SQLite under ./var, demo data, server on http://127.0.0.1:8000.
# Extra arguments go to `deskql demo` (e.g. --port 9000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/deskql demo "$@"
