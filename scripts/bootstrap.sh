#!/usr/bin/env bash
# Creates .venv and installs deskql into it (editable). Sourced by demo.sh and test.sh.
set -euo pipefail
PYTHON=${PYTHON:-python3}
extras=${1:-}
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.deskql-installed${extras:+-$extras}
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "==> installing deskql${extras:+[$extras]} into .venv"
  log=.venv/pip-install.log
  { .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip &&
    .venv/bin/python -m pip install --disable-pip-version-check -e ".${extras:+[$extras]}"; } \
    >"$log" 2>&1 || { cat "$log"; echo "pip install failed (log: $log)"; exit 1; }
  touch "$stamp"
fi
