#!/usr/bin/env bash
# Regenerates the lock files that scripts/bootstrap.sh installs from, for CPython 3.11 on Linux:
#   requirements/test.lock     `.[test]`  (scripts/test.sh, scripts/lint.sh)
#   requirements/runtime.lock  `.`        (scripts/demo.sh)
# Every package is pinned, transitive ones included. runtime.lock is resolved under test.lock's
# pins, so the two never disagree on a version and one .venv can hold both.
#
#   bash scripts/lock.sh                        # after editing pyproject.toml: keep existing pins
#   bash scripts/lock.sh --upgrade              # move everything to the newest allowed versions
#   bash scripts/lock.sh --upgrade-package ruff # move one package
#
# Uses uv (pinned below) from a throw-away venv outside the repo, never .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=${UV_VERSION:-0.13.9}
UVENV=${UVENV:-${TMPDIR:-/tmp}/deskql-uv-$UV_VERSION}
PYTHON=${PYTHON:-python3}
if [ ! -x "$UVENV/bin/uv" ]; then
  echo "==> installing uv $UV_VERSION into $UVENV"
  "$PYTHON" -m venv "$UVENV"
  "$UVENV/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
compile() {
  "$UVENV/bin/uv" pip compile --quiet --python-version 3.11 --python-platform linux \
    --custom-compile-command "bash scripts/lock.sh" "$@"
}
mkdir -p requirements
echo "==> requirements/test.lock"
compile pyproject.toml --extra test -o requirements/test.lock "$@"
echo "==> requirements/runtime.lock"
compile pyproject.toml -c requirements/test.lock -o requirements/runtime.lock "$@"
