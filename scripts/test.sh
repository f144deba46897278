#!/usr/bin/env bash
# The whole test suite, twice: on SQLite, then on a throw-away PostgreSQL cluster started here
# (initdb into a temp dir, loopback port, stopped at the end). Sets up everything it needs:
# .venv with the test extras, and PostgreSQL and Chromium from Debian's packages when missing.
# Runs the linters first (scripts/lint.sh). Extra arguments go to pytest (e.g. -k login -x).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

find_pg_bin() {
  local d
  for d in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")" \
           $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
      readlink -f "$d/initdb" | xargs dirname
      return 0
    fi
  done
  return 1
}

# PostgreSQL for the second run; Debian's Chromium for the pages (Playwright drives it and
# downloads no browser of its own) and the fonts they show. Install from Debian's packages what
# is missing.
missing=()
PGBIN=$(find_pg_bin || true)
[ -n "$PGBIN" ] || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# The fonts a real phone has, so Chinese and emoji render in the browser tests' screenshots.
for font in fonts-noto-cjk fonts-noto-color-emoji; do
  dpkg -s "$font" >/dev/null 2>&1 || missing+=("$font")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  PGBIN=$(find_pg_bin)
fi

# initdb refuses to run as root: then the cluster belongs to the postgres user.
RUN=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  RUN=(runuser -u postgres --)
fi

PGTMP=$(mktemp -d /tmp/deskql-pg.XXXXXX)
chmod 755 "$PGTMP"
[ "$(id -u)" = 0 ] && chown postgres "$PGTMP"
PGPORT=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop_pg() {
  "${RUN[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap stop_pg EXIT

echo "==> starting a throw-away PostgreSQL ($("$PGBIN/postgres" --version)) on 127.0.0.1:$PGPORT"
"${RUN[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres --auth=trust --encoding=UTF8 \
  --locale=C.UTF-8 >"$PGTMP/initdb.log" 2>&1 || { cat "$PGTMP/initdb.log"; exit 1; }
# Durability settings off: this cluster lives for one test run.
"${RUN[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -o \
  "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$PGTMP/server.log"; exit 1; }
"${RUN[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres deskql_test
export DESKQL_TEST_PG_ADMIN_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"

status=0
failed=()
echo "==> lint (ruff, mypy, import contracts)"
bash scripts/lint.sh || { status=1; failed+=("lint (see its summary above)"); }
echo "==> test suite on SQLite"
.venv/bin/python -m pytest "$@" || { rc=$?; status=1; failed+=("pytest on SQLite (exit $rc; 5 means no tests ran)"); }
echo "==> test suite on PostgreSQL"
DESKQL_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/deskql_test" \
  .venv/bin/python -m pytest "$@" || { rc=$?; status=1; failed+=("pytest on PostgreSQL (exit $rc; 5 means no tests ran)"); }
if [ "$status" -ne 0 ]; then
  echo "==> FAILED:"
  printf '    %s\n' "${failed[@]}"
fi
exit "$status"
