#!/usr/bin/env bash
# Creates .venv and installs deskql into it (editable). Run by demo.sh, test.sh and lint.sh.
#   bash scripts/bootstrap.sh        runtime dependencies, pinned by requirements/runtime.lock
#   bash scripts/bootstrap.sh test   the test extra (with the linters), pinned by requirements/test.lock
# First every pinned package from the lock file, then the project itself with --no-deps, so
# pyproject.toml's ranges never pick a version the lock did not (regenerate: bash scripts/lock.sh).
# Re-installs only when pyproject.toml or the lock file is newer than the stamp of the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
extras=${1:-}
lock=requirements/${extras:-runtime}.lock
if [ ! -f "$lock" ]; then
  echo "no lock file $lock for extras '${extras}' (see scripts/lock.sh)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.deskql-installed${extras:+-$extras}
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
  echo "==> installing deskql${extras:+[$extras]} into .venv from $lock"
  log=.venv/pip-install.log
  # The lock pins every version, so a machine-wide pip constraints file (pip.conf
  # `constraint = ...`, e.g. /etc/xdg/pip) can only make it fail: these installs ignore it.
  # Index, find-links and certificate settings from pip.conf still apply.
  pip=(env PIP_CONSTRAINT=/dev/null .venv/bin/python -m pip --disable-pip-version-check)
  { "${pip[@]}" install --upgrade pip &&
    "${pip[@]}" install -r "$lock" &&
    "${pip[@]}" install --no-deps -e .; } \
    >"$log" 2>&1 || { cat "$log"; echo "pip install failed (log: $log)"; exit 1; }
  touch "$stamp"
fi
