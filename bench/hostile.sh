#!/usr/bin/env bash
# Memory under hostile servers: peak RSS of `scamsift batch`, with default options, on
#   1. a list of hostile URLs: gzip bombs, endless bodies (plain and gzip), huge pages, trickles,
#      cut connections and stalls, COPIES of each (default 16, each URL distinct);
#   2. N normal pages (default 10,000, the Samples pages round-robin);
#   3. both mixed, the hostile URLs spread through the normal ones.
# BenchServer (the tests' fault server) listens on 8 ports of 127.0.0.1, and URLs go round-robin
# over them, so that --per-host (per host:port) lets --concurrency's URLs all run at once.
#   bench/hostile.sh [N] [COPIES]
#   SCAMSIFT_BIN=path BENCH_SERVER_BIN=path bench/hostile.sh   (measure binaries built earlier)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
copies=${2:-16}

# The binary as shipped (scripts/package.sh builds it the same way).
if [[ -z "${SCAMSIFT_BIN:-}" || -z "${BENCH_SERVER_BIN:-}" ]]; then
  echo "building release (.build-static)..." >&2
  swift build -c release --static-swift-stdlib --scratch-path .build-static --product scamsift >/dev/null
  swift build -c release --static-swift-stdlib --scratch-path .build-static --product BenchServer >/dev/null
fi
bin=${SCAMSIFT_BIN:-$PWD/.build-static/release/scamsift}
server_bin=${BENCH_SERVER_BIN:-$PWD/.build-static/release/BenchServer}

work=$(mktemp -d)
source bench/lib.sh
server_pid=""
cleanup() { [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export SCAMSIFT_CACHE_DIR="$work/cache"

"$server_bin" Samples 0 8 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q '^PORT ' "$work/server.log" 2>/dev/null && break; sleep 0.1; done
read -r -a ports < <(awk '/^PORTS / { $1 = ""; print }' "$work/server.log")
((${#ports[@]} == 8)) || { echo "BenchServer did not start" >&2; cat "$work/server.log" >&2; exit 1; }

echo "== machine"
echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "server: 127.0.0.1, ports ${ports[*]}"
echo "binary: $bin"

# The hostile routes. Every URL is distinct (k=), so none is skipped as a duplicate.
routes=(
  "gzip-bomb?mb=256"             # 256 MiB of zeros in about 256 KB of gzip
  "endless?x=1"                  # a chunked body that never ends
  "gzip-endless?x=1"             # a gzip stream of ever new text that never ends
  "large?bytes=20000000"         # a 20 MB page, Content-Length given
  "trickle?ms=100"               # a byte every 100 ms, for ever
  "close-mid-body?x=1"           # 1,000 of an announced 100,000 bytes, then the connection is cut
  "stall?x=1"                    # headers and a first piece, then silence
)
i=0
for c in $(seq "$copies"); do
  for r in "${routes[@]}"; do
    echo "http://127.0.0.1:${ports[$((i % 8))]}/$r&k=$c"
    i=$((i + 1))
  done
done >"$work/hostile.txt"
awk -v n="$n" -v ports="${ports[*]}" 'BEGIN { split(ports, p, " "); for (i = 0; i < n; i++) print "http://127.0.0.1:" p[i % 8 + 1] "/bench/" i }' >"$work/normal.txt"
# One hostile URL every N / (hostile URLs) normal ones, from the start to the end of the list.
awk -v h="$work/hostile.txt" -v n="$n" 'BEGIN { while ((getline l < h) > 0) hostile[k++] = l; every = int(n / k); if (every < 1) every = 1 }
  { print; if (NR % every == 0 && j < k) print hostile[j++] }
  END { while (j < k) print hostile[j++] }' "$work/normal.txt" >"$work/mixed.txt"

run() {  # label, list, extra args...
  local label=$1
  timed_batch "$@"
  local kinds
  # (|| true: a list without errors has no error_kind, and grep's exit 1 would end the script.)
  kinds=$({ grep -o '"error_kind":"[a-z-]*"' "$work/out.jsonl" || true; } | cut -d'"' -f4 | sort | uniq -c | awk '{ printf "%s%s %d", sep, $2, $1; sep = ", " }')
  printf '%-34s %6d rows in %6.1f s, peak RSS %4d MB, CPU %s\n' "$label" "$rows" "$wall" "$((rss / 1024))" "$cpu"
  printf '%-34s errors: %s\n' "" "${kinds:-none}"
  if grep -q '"truncated":true' "$work/out.jsonl"; then
    printf '%-34s cut at --max-bytes and scored: %d\n' "" "$(grep -c '"truncated":true' "$work/out.jsonl")"
  fi
}

# One run first, so the compiled rule set is cached as it is for every run after a build (the
# first run builds it, which costs about 40 MB more at its peak).
"$bin" score "$(find Samples -name '*.html' | sort | head -1)" >/dev/null 2>&1 || true

echo
echo "== scamsift batch, default options (--concurrency 16 --per-host 2 --max-bytes 5M)"
run "hostile ($(wc -l <"$work/hostile.txt") URLs)" "$work/hostile.txt"
run "normal ($n pages)" "$work/normal.txt"
run "mixed ($(wc -l <"$work/mixed.txt") URLs)" "$work/mixed.txt"
