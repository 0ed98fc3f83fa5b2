#!/usr/bin/env bash
# Batch benchmark: `scamsift batch` fetching and scoring N URLs (default 10,000) from a local
# server (BenchServer, serving Samples/ pages as /bench/<n> on 127.0.0.1). Prints pages/s and
# the peak RSS of scamsift, for the default politeness (--per-host 2) and with the host limit
# lifted, then a 1,000,000-line list split 100 ways (one shard run) to show that memory does
# not follow the list's length, and the scorer alone (`scamsift evaluate`) on the same pages.
#   bench/batch.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}

echo "building release (.build-batch-release)..." >&2
swift build -c release --scratch-path .build-batch-release --product scamsift >/dev/null
swift build -c release --scratch-path .build-batch-release --product BenchServer >/dev/null
rel=$PWD/.build-batch-release/release
bin=$rel/scamsift

work=$(mktemp -d)
source bench/lib.sh
server_pid=""
cleanup() { [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$rel/BenchServer" Samples >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q '^PORT ' "$work/server.log" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/^PORT / { print $2 }' "$work/server.log")
[[ -n $port ]] || { echo "BenchServer did not start" >&2; cat "$work/server.log" >&2; exit 1; }
pages=$(awk '/^pages / { print $2 }' "$work/server.log")

echo "== machine"
echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "server: 127.0.0.1:$port, $pages sample pages served round-robin as /bench/<n>"

seq 0 $((n - 1)) | sed "s|^|http://127.0.0.1:$port/bench/|" >"$work/list.txt"

run() {  # label, list, extra args...
  local label=$1
  timed_batch "$@"
  local errors
  errors=$(grep -vc '"error_kind":null' "$work/out.jsonl" || true)
  printf '%-44s %6d rows (%d errors) in %6.1f s: %7.1f pages/s, peak RSS %4d MB, CPU %s\n' \
    "$label" "$rows" "$errors" "$wall" "$(awk -v r="$rows" -v t="$wall" 'BEGIN { print r / t }')" "$((rss / 1024))" "$cpu"
}

echo
echo "== scamsift batch, $n URLs"
run "defaults (--concurrency 16 --per-host 2)" "$work/list.txt"
run "--concurrency 32 --per-host 32" "$work/list.txt" --concurrency 32 --per-host 32

echo
echo "== 1,000,000-line list, --shard 0/100 (every line read, ~1% fetched)"
awk -v p="$port" 'BEGIN { for (i = 0; i < 1000000; i++) print "http://127.0.0.1:" p "/bench/" i }' >"$work/million.txt"
run "1M lines, shard 0/100, --per-host 32" "$work/million.txt" --shard 0/100 --concurrency 32 --per-host 32

echo
echo "== the scorer alone on the same pages (scamsift evaluate, all cores, no network)"
if "$bin" evaluate --help >/dev/null 2>&1; then
  mkdir -p "$work/corpus/scam" "$work/corpus/legit"
  copies=$(( (n + pages - 1) / pages ))
  for c in $(seq "$copies"); do
    for label in scam legit; do
      for f in Samples/$label/*.html; do cp "$f" "$work/corpus/$label/$c-$(basename "$f")"; done
    done
  done
  files=$(find "$work/corpus" -name '*.html' | wc -l)
  /usr/bin/time -f '%e %M %P' -o "$work/time" "$bin" evaluate "$work/corpus" >/dev/null 2>&1 || true
  read -r wall rss cpu < <(tail -n 1 "$work/time")
  printf '%-44s %6d pages in %6.1f s: %7.1f pages/s, peak RSS %4d MB, CPU %s\n' \
    "evaluate (scoring only)" "$files" "$wall" "$(awk -v r="$files" -v t="$wall" 'BEGIN { print r / t }')" "$((rss / 1024))" "$cpu"
else
  echo "(no evaluate command in this build; skipped)"
fi
