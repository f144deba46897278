#!/usr/bin/env bash
# The linters, all configured in pyproject.toml: ruff (format and lint), mypy on app/, and
# import-linter's contracts. Runs all four even when one fails, prints one summary line per tool,
# and exits non-zero when any failed. Sets up .venv with the test extra (which has the linters).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test || exit 1

names=() results=()
run() {
  local name=$1; shift
  echo "==> $name: $*"
  "$@"
  local rc=$?
  names+=("$name")
  if [ "$rc" -eq 0 ]; then results+=("ok"); else results+=("FAILED (exit $rc)"); fi
}

# concise: one line per file that would be reformatted (`ruff format --diff` shows the changes).
run "ruff format" .venv/bin/ruff format --check --output-format concise .
run "ruff check" .venv/bin/ruff check .
run "mypy" .venv/bin/mypy
run "import-linter" .venv/bin/lint-imports

status=0
echo "==> summary"
for i in "${!names[@]}"; do
  printf '%-14s %s\n' "${names[$i]}" "${results[$i]}"
  [ "${results[$i]}" = ok ] || status=1
done
exit "$status"
