#!/usr/bin/env bash
# Before/after on a shared, noisy machine: scores one corpus (Samples/ repeated to MB
# megabytes) with each given scamsift binary in turn, round after round, so that every binary
# meets the same background load; prints each binary's fastest round (wall and CPU seconds,
# pages per second) and, against the first binary, the median of the rounds' throughput ratios (a
# round's binaries run back to back, so a ratio compares them under the same load: steadier
# than the fastest rounds on a shared machine), then start-up plus one small page for each,
# measured the same way (runs taking turns; medians).
#   bench/compare.sh [-m MB] [-r ROUNDS] NAME=BINARY...
#   e.g. bench/compare.sh before=/tmp/scamsift-old after=.build-static/release/scamsift
set -euo pipefail
cd "$(dirname "$0")/.."
mb=20; rounds=5
while getopts "m:r:" o; do case $o in m) mb=$OPTARG ;; r) rounds=$OPTARG ;; *) exit 2 ;; esac; done
shift $((OPTIND - 1))
(( $# >= 1 )) || { echo "usage: bench/compare.sh [-m MB] [-r ROUNDS] NAME=BINARY..." >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/compare.sh: needs python3" >&2; exit 2; }

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
specs=("$@")
reversed=()
for (( k = ${#specs[@]} - 1; k >= 0; k-- )); do reversed+=("${specs[k]}"); done
: > "$work/rounds"
for r in $(seq "$rounds"); do
  # The order flips every round, so that neither binary always runs first.
  order=("${specs[@]}")
  (( r % 2 == 0 )) && order=("${reversed[@]}")
  for spec in "${order[@]}"; do
    name=${spec%%=*}; bin=${spec#*=}
    /usr/bin/time -f '%e %U %S' -o "$work/t" "$bin" evaluate "$work/corpus" >/dev/null 2>&1 || true
    read -r wall user sys < "$work/t"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    echo "$r $name $cpu" >> "$work/rounds"
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

if (( $# >= 2 )); then
  echo
  echo "pages per CPU second against ${1%%=*}, median of the $rounds rounds' ratios (lowest and highest):"
  python3 - "$work/rounds" "$@" <<'PY'
import statistics, sys
cpu = {}
for line in open(sys.argv[1]):
    r, name, c = line.split()
    cpu.setdefault(name, {})[r] = float(c)
names = [a.split("=", 1)[0] for a in sys.argv[2:]]
base = cpu[names[0]]
for name in names[1:]:
    ratios = sorted(base[r] / cpu[name][r] for r in base if cpu[name].get(r, 0) > 0)
    if ratios:
        print(f"  {name:<12} {statistics.median(ratios) - 1:+7.1%}   ({ratios[0] - 1:+.1%} to {ratios[-1] - 1:+.1%})")
PY
fi

small=$(ls -S Samples/legit/*.html | tail -1)
echo
echo "start-up plus one small page ($small), rule sets cached, 120 runs each, taking turns:"
# Interleaved, one run of each binary in turn (the order flipped every round), so that the
# machine's bursts of load fall on all of them alike; hyperfine runs one command's runs in a
# block, and on this shared machine two blocks minutes apart differed by a third.
SMALL="$small" python3 - "$@" <<'PY'
import os, resource, statistics, subprocess, sys, time
specs = [a.split("=", 1) for a in sys.argv[1:]]
wall = {n: [] for n, _ in specs}
cpu = {n: [] for n, _ in specs}
for b in specs:
    subprocess.run([b[1], "score", os.environ["SMALL"]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for r in range(120):
    for name, binary in (specs if r % 2 == 0 else specs[::-1]):
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run([binary, "score", os.environ["SMALL"]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end, after = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        wall[name].append(end - start)
        cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
for name, _ in specs:
    print(f"  {name:<12} median {statistics.median(wall[name]) * 1000:6.1f} ms  (min {min(wall[name]) * 1000:.1f} ms)"
          f"   cpu median {statistics.median(cpu[name]) * 1000:.1f} ms")
PY
