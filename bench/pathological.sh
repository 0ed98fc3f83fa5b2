#!/usr/bin/env bash
# Hostile pages (issue 16, point 5): each kind of page `pathological-pages` makes is scored by
# the release binary with `scamsift score`'s defaults, once, under /usr/bin/time, and the script
# prints its seconds, peak RSS, exit code and verdict or error. Each must be scored or refused
# within 5 s and 300 MB: the script says which are over and exits 1 if any is. CPU seconds
# are printed beside the wall-clock ones: on a loaded machine the two part ways.
#   bench/pathological.sh [KIND...]           (default: every kind)
#   SCAMSIFT_BIN=path bench/pathological.sh   (measure that binary instead of building one)
#   PATHOLOGICAL_PAGES=path bench/pathological.sh   (make the pages with that generator; any
#                                                    build makes the same bytes)
set -euo pipefail
cd "$(dirname "$0")/.."
limit_s=${LIMIT_SECONDS:-5}
limit_kb=${LIMIT_KB:-$((300 * 1024))}

[[ -x /usr/bin/time ]] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }

# The release binary bench/speed.sh measures, and the page generator next to it.
echo "building release (static Swift runtime) and the page generator..." >&2
products=
[[ -n ${PATHOLOGICAL_PAGES:-} ]] || products=pathological-pages
[[ -n ${SCAMSIFT_BIN:-} ]] || products="scamsift $products"
for product in $products; do
  swift build -c release --static-swift-stdlib --product "$product" --scratch-path .build-static >/dev/null
done
bin=${SCAMSIFT_BIN:-$PWD/.build-static/release/scamsift}
generator=${PATHOLOGICAL_PAGES:-$PWD/.build-static/release/pathological-pages}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SCAMSIFT_CACHE_DIR="$work/cache"
"$generator" "$work/pages" "$@" >/dev/null
# One run first, so the compiled rule set is cached as it is for every run after a build.
"$bin" score "$(ls "$work"/pages/*.html | head -1)" >/dev/null 2>&1 || true

over=0
printf '%-22s %9s %8s %8s %9s %4s  %s\n' page MB seconds "CPU s" "peak MB" exit result
for page in "$work"/pages/*.html; do
  kind=$(basename "$page" .html)
  size=$(stat -c %s "$page")
  set +e
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$bin" score -f json "$page" >"$work/out.json" 2>"$work/err"
  code=$?
  set -e
  # The last line: time writes "Command exited with non-zero status N" first when it is not 0
  # (score exits 1 for a page that looks like a scam).
  read -r seconds user system kb < <(tail -n 1 "$work/time")
  cpu=$(echo "$user + $system" | bc -l)
  result=$(python3 - "$work/out.json" <<'PY'
import json, sys
try:
    r = json.load(open(sys.argv[1]))["results"][0]
except Exception as e:
    print(f"no JSON ({e.__class__.__name__})"); sys.exit()
if "error" in r:
    print(f"refused: {r.get('error_kind', '?')}: {r['error']}")
else:
    notes = [e["rule"] + ": " + e["message"] for e in r.get("rule_errors", [])]
    print(f"{r['verdict']} {r['score']}" + ("; " + "; ".join(notes) if notes else ""))
PY
)
  printf '%-22s %9.1f %8s %8.2f %9.0f %4s  %s\n' "$kind" "$(echo "$size / 1000000" | bc -l)" "$seconds" "$cpu" "$(echo "$kb / 1024" | bc -l)" "$code" "$result"
  if (( $(echo "$seconds > $limit_s" | bc) )) || (( kb > limit_kb )) || (( code > 2 )); then
    echo "  over the bounds (${limit_s} s, $((limit_kb / 1024)) MB) or crashed: $kind" >&2
    over=1
  fi
done
exit $over
