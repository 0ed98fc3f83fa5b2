#!/usr/bin/env bash
# Runs one libFuzzer target for a while (issue 16, point 1).
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]
#   TARGET: parse | rules | offers | archive (mhtml and warc in one) | mhtml | warc       (see Sources/ScamSiftFuzzTargets)
# Builds `scamsift-fuzz` in debug with -sanitize=fuzzer,address into .build-fuzz (its own scratch
# path, so the ordinary .build is never built with fuzzer flags), seeds a corpus from Samples/,
# Rules/ and the test fixtures, and runs the target under `nice -n 19`. Inputs that grow coverage
# are kept in fuzz/corpus/TARGET; crashes, leaks, timeouts and out-of-memory inputs are written
# to fuzz/findings/TARGET/ (crash-*, leak-*, timeout-*, oom-*). Both folders are outside git.
# libFuzzer's whole log goes to $SCAMSIFT_FUZZ_LOGS/TARGET.log (default /tmp/scamsift-fuzz).
# Each finding should become a regression test: copy it to Tests/ScamSiftTests/Fixtures/fuzz/TARGET/.
# Replay an input without the fuzzer: swift build --product scamsift-fuzz && .build/debug/scamsift-fuzz TARGET FILE
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]}
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]}
shift 2
case $target in parse|rules|offers|archive|mhtml|warc) ;; *) echo "unknown target $target (parse, rules, offers, archive, mhtml, warc)" >&2; exit 2 ;; esac

echo "building scamsift-fuzz with -sanitize=fuzzer,address into .build-fuzz..." >&2
# lld: gold warns about every ASan symbol and crashes on the first link error it reports.
nice -n 19 swift build -c debug --product scamsift-fuzz --scratch-path .build-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld 2>&1 | grep -av 'Cannot export local symbol' >&2
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
esac
if [[ $target == mhtml || $target == archive ]]; then
    find Tests/ScamSiftTests/Fixtures -name '*.mhtml' -o -name '*.mht' | xargs -r cp -t "$seeds/"
fi
if [[ $target == warc || $target == archive ]]; then
    # No WARC file is committed (the tests write theirs): a small crawl is written here, plain,
    # gzip per record, and with a chunked, gzip-encoded response.
    record() {  # TYPE URI CONTENT-TYPE BLOCK-FILE
      printf 'WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\nWARC-Date: 2025-03-01T10:00:00Z\r\n' "$1" "$(printf %s "$1$2" | md5sum | cut -c1-32)"
      [[ -n $2 ]] && printf 'WARC-Target-URI: %s\r\n' "$2"
      printf 'Content-Type: %s\r\nContent-Length: %d\r\n\r\n' "$3" "$(wc -c <"$4")"
      cat "$4"; printf '\r\n\r\n'
    }
    page=Samples/scam/en-hyip-plans-goldrise.html
    printf 'software: scamsift fuzz seeds\r\nformat: WARC File Format 1.1\r\n' >"$seeds/info"
    { printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n'; head -c 8192 "$page"; } >"$seeds/plain"
    { printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n'
      head -c 4096 "$page" | gzip -c >"$seeds/gz"; printf '%x\r\n' "$(wc -c <"$seeds/gz")"; cat "$seeds/gz"; printf '\r\n0\r\n\r\n'; } >"$seeds/chunked"
    printf 'GET /plans HTTP/1.1\r\nHost: goldrise.example\r\n\r\n' >"$seeds/request"
    { record warcinfo "" application/warc-fields "$seeds/info"
      record request https://goldrise.example/plans "application/http; msgtype=request" "$seeds/request"
      record response https://goldrise.example/plans "application/http; msgtype=response" "$seeds/plain"; } >"$seeds/crawl.warc"
    record response https://goldrise.example/chunked "application/http; msgtype=response" "$seeds/chunked" >"$seeds/chunked.warc"
    { record warcinfo "" application/warc-fields "$seeds/info" | gzip -c
      record response https://goldrise.example/plans "application/http; msgtype=response" "$seeds/plain" | gzip -c; } >"$seeds/crawl.warc.gz"
    rm "$seeds/info" "$seeds/plain" "$seeds/gz" "$seeds/chunked" "$seeds/request"
fi
if [[ -d Tests/ScamSiftTests/Fixtures/fuzz/$target ]]; then cp Tests/ScamSiftTests/Fixtures/fuzz/$target/* "$seeds/" 2>/dev/null || true; fi

logs=${SCAMSIFT_FUZZ_LOGS:-/tmp/scamsift-fuzz}
mkdir -p "$logs"
export SCAMSIFT_FUZZ_TARGET=$target
# Compiled rule sets are not cached between runs here: the rule-set snapshot would be read back
# from disk on every start, which is not what is being fuzzed.
export SCAMSIFT_CACHE_DIR=$(mktemp -d)
# The rules target writes each input to a file under TMPDIR for `rules lint`.
export TMPDIR=$SCAMSIFT_CACHE_DIR
trap 'rm -rf "$seeds" "$SCAMSIFT_CACHE_DIR"' EXIT
# detect_leaks: a leak is a finding. -timeout: one input taking longer is reported as a hang;
# 300 s, as the fuzzer runs at the lowest priority on a shared machine: an input
# that takes 0.2 s alone was reported after 72 s and 159 s of waiting for a core.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
set +e
nice -n 19 "$bin" "$corpus" "$seeds" -max_total_time="$seconds" -timeout="${SCAMSIFT_FUZZ_TIMEOUT:-300}" -rss_limit_mb=2048 \
  -max_len=65536 -artifact_prefix="$findings/" -print_final_stats=1 "$@" 2>&1 | tee "$logs/$target.log" | grep -E '^#|ERROR|SUMMARY|stat::|Done' | tail -40
status=${PIPESTATUS[0]}
set -e
echo "findings in $findings: $(ls "$findings" | wc -l)"
exit "$status"
