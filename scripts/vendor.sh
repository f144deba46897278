#!/usr/bin/env bash
# Re-fetches the browser libraries deskql serves itself (cms_static/vendor/), at the pinned
# versions, from the npm registry, and checks each file against the SHA-384 recorded in
# cms_static/vendor/README.md. Needs npm (Node.js); not needed to run or test deskql.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fetch() {  # package@version, then pairs of (file in the package, destination)
  local spec=$1; shift
  (cd "$work" && npm pack "$spec" --silent >/dev/null && mkdir -p "${spec//\//_}" &&
   tar xzf ./*.tgz -C "${spec//\//_}" && rm ./*.tgz)
  while [ $# -gt 0 ]; do
    cp "$work/${spec//\//_}/package/$1" "$2"; shift 2
  done
}
fetch react@18.2.0 umd/react.production.min.js cms_static/vendor/react/ LICENSE cms_static/vendor/react/
fetch react-dom@18.2.0 umd/react-dom.production.min.js cms_static/vendor/react-dom/ \
  LICENSE cms_static/vendor/react-dom/
fetch graphiql@3.8.3 graphiql.min.js cms_static/vendor/graphiql/ graphiql.min.css \
  cms_static/vendor/graphiql/ LICENSE cms_static/vendor/graphiql/
# Files are kept byte for byte as published (their source-map comments point at maps that are
# not shipped: only a browser's developer tools ask for them).
while read -r file digest; do
  actual="sha384-$(openssl dgst -sha384 -binary "cms_static/vendor/$file" | base64)"
  [ "$actual" = "$digest" ] || { echo "MISMATCH $file: $actual" >&2; exit 1; }
done < <(grep -E '^\| `' cms_static/vendor/README.md | awk -F'`' '{print $2, $4}')
echo "vendored files fetched and verified"
