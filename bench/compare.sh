#!/usr/bin/env bash
# Before/after on a shared, noisy machine: scores one corpus (Samples/ repeated to MB
# megabytes) with each given scamsift binary in turn, round after round, so that every binary
# meets the same background load; prints each binary's fastest round (wall and CPU seconds,
# pages per second), then start-up plus one small page for each, measured the same way.
#   bench/compare.sh [-m MB] [-r ROUNDS] NAME=BINARY...
#   e.g. bench/compare.sh before=/tmp/scamsift-old after=.build-static/release/scamsift
set -euo pipefail
cd "$(dirname "$0")/.."
mb=20; rounds=5
while getopts "m:r:" o; do case $o in m) mb=$OPTARG ;; r) rounds=$OPTARG ;; *) exit 2 ;; esac; done
shift $((OPTIND - 1))
(( $# >= 1 )) || { echo "usage: bench/compare.sh [-m MB] [-r ROUNDS] NAME=BINARY..." >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "bench/compare.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SCAMSIFT_CACHE_DIR="$work/cache"
bench/samples-corpus.sh "$work/corpus" "$mb" >/dev/null
files=$(find "$work/corpus" -name '*.html' | wc -l)
echo "corpus: $files pages, $(du -sm "$work/corpus" | cut -f1) MB; $(nproc) cores; $rounds rounds"

declare -A best_wall best_cpu
for spec in "$@"; do
  name=${spec%%=*}; bin=${spec#*=}
  [[ -x $bin ]] || { echo "bench/compare.sh: $bin is not an executable" >&2; exit 2; }
  "$bin" evaluate "$work/corpus" >/dev/null 2>&1 || true   # fills the rule-set cache, warms the page cache
done
for r in $(seq "$rounds"); do
  for spec in "$@"; do
    name=${spec%%=*}; bin=${spec#*=}
    /usr/bin/time -f '%e %U %S' -o "$work/t" "$bin" evaluate "$work/corpus" >/dev/null 2>&1 || true
    read -r wall user sys < "$work/t"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    if [[ -z "${best_wall[$name]:-}" ]] || awk -v a="$wall" -v b="${best_wall[$name]}" 'BEGIN { exit !(a < b) }'; then best_wall[$name]=$wall; fi
    if [[ -z "${best_cpu[$name]:-}" ]] || awk -v a="$cpu" -v b="${best_cpu[$name]}" 'BEGIN { exit !(a < b) }'; then best_cpu[$name]=$cpu; fi
  done
done
echo
echo "fastest of $rounds rounds (whole corpus, one process, all cores):"
for spec in "$@"; do
  name=${spec%%=*}
  awk -v n="$name" -v w="${best_wall[$name]}" -v c="${best_cpu[$name]}" -v f="$files" \
    'BEGIN { printf "  %-12s wall %6.2f s (%5.0f pages/s)   cpu %6.2f s (%5.0f pages per cpu-second)\n", n, w, f / w, c, f / c }'
done

small=$(ls -S Samples/legit/*.html | tail -1)
echo
echo "start-up plus one small page ($small), rule sets cached:"
args=()
for spec in "$@"; do args+=(-n "${spec%%=*}" "${spec#*=} score $small"); done
hyperfine -N -i --warmup 3 --runs 30 --export-json "$work/h.json" "${args[@]}" >/dev/null 2>&1
python3 - "$work/h.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"  {r['command']:<12} mean {r['mean'] * 1000:6.1f} ms  (min {r['min'] * 1000:.1f} ms)")
PY
