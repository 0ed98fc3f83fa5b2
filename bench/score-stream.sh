#!/usr/bin/env bash
# score on many pages: its throughput against evaluate on the same pages, and its peak memory
# on a very large folder with --format jsonl (results streamed, so memory must not grow with
# the number of pages).
#   bench/score-stream.sh [-m MB] [-n PAGES] [BINARY]
#   MB: size of the throughput corpus (default 20); PAGES: pages in the memory run (default
#   100000, hard links to Samples/, so it costs no disk).
set -euo pipefail
cd "$(dirname "$0")/.."
mb=20; pages=100000
while getopts "m:n:" o; do case $o in m) mb=$OPTARG ;; n) pages=$OPTARG ;; *) exit 2 ;; esac; done
shift $((OPTIND - 1))
bin=${1:-.build-static/release/scamsift}
[[ -x $bin ]] || { echo "bench/score-stream.sh: $bin is not an executable (build it, or name one)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SCAMSIFT_CACHE_DIR="$work/cache"
bench/samples-corpus.sh "$work/corpus" "$mb" >/dev/null
n=$(find "$work/corpus" -name '*.html' | wc -l)
"$bin" evaluate "$work/corpus" >/dev/null 2>&1 || true   # fills the rule-set cache and the page cache

# Interleaved rounds, so both meet the same background load; each keeps its fastest.
ev=""; sc=""
for _ in 1 2 3 4 5; do
  for which in ev sc; do
    if [[ $which == ev ]]; then cmd=("$bin" evaluate "$work/corpus"); else cmd=("$bin" score -f jsonl "$work/corpus"); fi
    /usr/bin/time -f '%e' -o "$work/t" "${cmd[@]}" >/dev/null 2>&1 || true
    t=$(tail -1 "$work/t")   # time says "Command exited with non-zero status" first when a page was flagged
    cur=${!which}
    if [[ -z $cur ]] || awk -v a="$t" -v b="$cur" 'BEGIN { exit !(a < b) }'; then printf -v "$which" '%s' "$t"; fi
  done
done
echo "throughput, $n pages ($(du -sm "$work/corpus" | cut -f1) MB), fastest of 5 interleaved rounds, $(nproc) cores:"
awk -v n="$n" -v e="$ev" -v s="$sc" 'BEGIN {
  printf "  evaluate          %6.2f s  %6.0f pages/s\n", e, n / e
  printf "  score -f jsonl    %6.2f s  %6.0f pages/s  (%.2f of evaluate)\n", s, n / s, e / s }'

# Memory: a folder of PAGES hard links to the samples.
mkdir -p "$work/many"
samples=(Samples/scam/*.html Samples/legit/*.html)
for ((i = 0; i < pages; i++)); do ln "${samples[i % ${#samples[@]}]}" "$work/many/$i.html"; done
for k in 1000 "$pages"; do
  sub="$work/many-$k"; mkdir -p "$sub"
  if [[ $k == "$pages" ]]; then sub="$work/many"; else for ((i = 0; i < k; i++)); do ln "$work/many/$i.html" "$sub/$i.html"; done; fi
  /usr/bin/time -f '%e %M' -o "$work/t" "$bin" score -f jsonl "$sub" >/dev/null 2>&1 || true
  read -r wall rss < <(tail -1 "$work/t")
  echo "  score -f jsonl on $k pages: $wall s, peak RSS $((rss / 1024)) MB"
done
