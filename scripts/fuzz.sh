#!/usr/bin/env bash
# Runs one libFuzzer target for a while (issue 16, point 1).
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]
#   TARGET: parse | rules | offers | mhtml          (see Sources/ScamSiftFuzzTargets)
# Builds `scamsift-fuzz` in debug with -sanitize=fuzzer,address into .build-fuzz (its own scratch
# path, so the ordinary .build is never built with fuzzer flags), seeds a corpus from Samples/,
# Rules/ and the test fixtures, and runs the target under `nice -n 19`. Inputs that grow coverage
# are kept in fuzz/corpus/TARGET; crashes, leaks, timeouts and out-of-memory inputs are written
# to fuzz/findings/TARGET/ (crash-*, leak-*, timeout-*, oom-*). Both folders are outside git.
# Each finding should become a regression test: copy it to Tests/ScamSiftTests/Fixtures/fuzz/TARGET/.
# Replay an input without the fuzzer: swift build --product scamsift-fuzz && .build/debug/scamsift-fuzz TARGET FILE
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]}
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]}
shift 2
case $target in parse|rules|offers|mhtml) ;; *) echo "unknown target $target (parse, rules, offers, mhtml)" >&2; exit 2 ;; esac

echo "building scamsift-fuzz with -sanitize=fuzzer,address into .build-fuzz..." >&2
nice -n 19 swift build -c debug --product scamsift-fuzz --scratch-path .build-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING >&2
bin=.build-fuzz/debug/scamsift-fuzz

corpus=fuzz/corpus/$target
findings=fuzz/findings/$target
mkdir -p "$corpus" "$findings"
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
# Seeds: libFuzzer reads them once and keeps those that add coverage to $corpus.
case $target in
  parse)
    find Samples Tests/ScamSiftTests/Fixtures -name '*.html' -size -64k -exec cp {} "$seeds/" \; ;;
  rules)
    find Rules Tests/ScamSiftTests/Fixtures -name '*.yaml' -size -64k -exec cp --backup=numbered {} "$seeds/" \; ;;
  offers)
    # The visible words of the sample pages, tags taken out.
    for page in $(find Samples -name '*.html' | sort); do
      sed -e 's/<[^>]*>/\n/g' "$page" | grep -v '^[[:space:]]*$' | head -c 4096 >"$seeds/$(basename "$page" .html).txt" || true
    done ;;
  mhtml)
    find Tests/ScamSiftTests/Fixtures -name '*.mhtml' -o -name '*.mht' | xargs -r cp -t "$seeds/" ;;
esac
if [[ -d Tests/ScamSiftTests/Fixtures/fuzz/$target ]]; then cp Tests/ScamSiftTests/Fixtures/fuzz/$target/* "$seeds/" 2>/dev/null || true; fi

export SCAMSIFT_FUZZ_TARGET=$target
# Compiled rule sets are not cached between runs here: the rule-set snapshot would be read back
# from disk on every start, which is not what is being fuzzed.
export SCAMSIFT_CACHE_DIR=$(mktemp -d)
# detect_leaks: a leak is a finding. -timeout: one input taking longer is reported as a hang.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
set +e
nice -n 19 "$bin" "$corpus" "$seeds" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
  -max_len=65536 -artifact_prefix="$findings/" -print_final_stats=1 "$@" 2>&1 | tee "fuzz/$target.log" | grep -E '^#|ERROR|SUMMARY|stat::|Done' | tail -40
status=${PIPESTATUS[0]}
set -e
echo "findings in $findings: $(ls "$findings" | wc -l)"
exit "$status"
