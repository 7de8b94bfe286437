#!/usr/bin/env bash
# Fails when docs/coverage.md's generated block differs from what the
# operation table says (`swasd --coverage-markdown`). Regenerate with:
#   scripts/check-coverage.sh build/swasd docs/coverage.md --write
set -euo pipefail
swasd="$1"; doc="$2"; mode="${3:-}"
begin='<!-- BEGIN GENERATED: swasd --coverage-markdown -->'
end='<!-- END GENERATED -->'
generated="$("$swasd" --coverage-markdown)"
if [ "$mode" = "--write" ]; then
  python3 - "$doc" "$begin" "$end" "$generated" <<'PY'
import sys
doc, begin, end, gen = sys.argv[1:]
s = open(doc).read()
a = s.index(begin) + len(begin)
b = s.index(end)
open(doc, "w").write(s[:a] + "\n" + gen.rstrip("\n") + "\n" + s[b:])
PY
  exit 0
fi
current="$(sed -n "/^$begin\$/,/^$end\$/p" "$doc" | sed '1d;$d')"
if [ "$current" != "$generated" ]; then
  echo "docs/coverage.md is out of date with the operation table:" >&2
  diff <(echo "$current") <(echo "$generated") >&2 || true
  echo "regenerate: scripts/check-coverage.sh build/swasd docs/coverage.md --write" >&2
  exit 1
fi
echo "docs/coverage.md matches the operation table"
