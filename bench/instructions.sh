#!/usr/bin/env bash
# Before/after that does not depend on the machine's load: counts what scoring Samples/ costs
# under callgrind (instructions, first-level data-cache misses, and misses of a simulated
# 2 MB second-level cache, the size of this machine kind's per-core cache), for each given
# binary, optionally with a rules folder instead of the built-in rules.
#
# Only scoring is counted, not start-up: each binary runs twice under callgrind, on Samples/
# and on a folder of one small page, and the difference is shown (counting from a function in,
# with --toggle-collect, counted nothing once the compiler inlined that function into its
# caller, as it does with `PageScorer.score` in some builds). Regex compiling, which
# happens the first time a page needs each regex, is shown on its own line, since a long run
# pays it once. "cycles" is a rough estimate (instructions + 10 per first-level miss + 50 per
# second-level miss) for comparing binaries, not a prediction of time.
#   bench/instructions.sh NAME=BINARY[:RULES_DIR]...
#   e.g. bench/instructions.sh before=/tmp/scamsift-old after=.build-static/release/scamsift
#        bench/instructions.sh all=BIN:/tmp/rules-all en=BIN:/tmp/rules-en
set -euo pipefail
cd "$(dirname "$0")/.."
(( $# >= 1 )) || { echo "usage: bench/instructions.sh NAME=BINARY[:RULES_DIR]..." >&2; exit 2; }
command -v valgrind >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; }
command -v python3 >/dev/null || { echo "bench/instructions.sh: needs python3" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SCAMSIFT_CACHE_DIR="$work/cache"
echo "Samples/: $(find Samples/scam Samples/legit -type f | wc -l) pages, scored by one process per binary, less a run on one small page"
# The one small page: the smallest sample.
mkdir -p "$work/one/legit"
cp "$(find Samples/legit -name '*.html' -printf '%s %p\n' | sort -n | head -1 | cut -d' ' -f2-)" "$work/one/legit/"
for spec in "$@"; do
  name=${spec%%=*}; rest=${spec#*=}; bin=${rest%%:*}; rules=""
  if [[ $rest == *:* ]]; then rules=${rest#*:}; fi
  [[ -x $bin ]] || { echo "bench/instructions.sh: $bin is not an executable" >&2; exit 2; }
  # Valgrind 3.19 cannot read the DWARF 5 debug information Swift writes: a copy without it.
  strip --strip-debug -o "$work/$name.bin" "$bin"
  for corpus in Samples "$work/one"; do
    tag=$(basename "$corpus")
    args=(evaluate "$corpus")
    [[ -n $rules ]] && args=(evaluate --no-builtin-rules --no-user-rules --rules "$rules" "$corpus")
    "$work/$name.bin" "${args[@]}" >/dev/null 2>&1 || true    # fills the rule-set cache
    valgrind --tool=callgrind --cache-sim=yes --LL=2097152,16,64 \
      --callgrind-out-file="$work/$name-$tag.out" "$work/$name.bin" "${args[@]}" >/dev/null 2>&1 || true
    callgrind_annotate --inclusive=yes --threshold=100 "$work/$name-$tag.out" 2>/dev/null \
      | awk '/uregex_open/ && !done { gsub(",", "", $1); print $1; done = 1 }' > "$work/$name-$tag.compile"
  done
  python3 - "$work/$name-Samples.out" "$work/$name-one.out" "$name" "$(cat "$work/$name-Samples.compile")" "$(cat "$work/$name-one.compile")" <<'PY'
import sys
def totals(path):
    events, totals = [], []
    for line in open(path):
        if line.startswith("events:"): events = line.split()[1:]
        if line.startswith("summary:") or line.startswith("totals:"): totals = [int(v) for v in line.split()[1:]]
    return dict(zip(events, totals))
a, b = totals(sys.argv[1]), totals(sys.argv[2])
d = {k: a[k] - b.get(k, 0) for k in a}
d1 = d["D1mr"] + d["D1mw"]; ll = d["DLmr"] + d["DLmw"]
compile = int(sys.argv[4] or 0) - int(sys.argv[5] or 0)
print(f"  {sys.argv[3]:<12} instructions {d['Ir'] / 1e6:8.1f} M   L1d misses {d1 / 1e6:6.2f} M   2 MB-cache misses {ll / 1e6:6.3f} M"
      f"   cycles~ {(d['Ir'] + 10 * d1 + 50 * ll) / 1e6:7.0f} M")
print(f"  {'':<12} of which compiling regexes {compile / 1e6:6.1f} M instructions (once per process)")
PY
done
