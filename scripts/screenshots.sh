#!/usr/bin/env bash
# Renders ScamSift's HTML reports in headless Chromium and saves PNGs under docs/screenshots/:
# a scam sample's report in English and in Bengali, and a batch summary of Samples/, each at
# 360 px (a phone) and 1280 px wide (2000 px tall: the top of the page). Each PNG is checked
# not to be blank (scripts/png-check.py counts its distinct colours).
#
#   scripts/screenshots.sh            # uses .build/debug/scamsift (built if missing)
#   SCAMSIFT=path/to/scamsift scripts/screenshots.sh
#
# Needs Chromium and a font with Bengali glyphs (Debian: apt-get install -y chromium fonts-noto-core).
set -euo pipefail
cd "$(dirname "$0")/.."

scamsift=${SCAMSIFT:-.build/debug/scamsift}
if [[ ! -x $scamsift ]]; then swift build --product scamsift; fi
chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z $chromium ]]; then
    echo "screenshots.sh: Chromium is missing (Debian: apt-get update && apt-get install -y chromium fonts-noto-core)" >&2
    exit 2
fi
if command -v fc-list >/dev/null && ! fc-list : family | grep -i "Noto Sans Bengali" >/dev/null; then
    echo "screenshots.sh: warning: no Noto Sans Bengali font; Bengali may render as boxes (apt-get install -y fonts-noto-core)" >&2
fi

# A fixed folder, so the summary's file:// paths (and so the PNGs) are the same on every run.
work=/tmp/scamsift-screenshots
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
out=docs/screenshots
mkdir -p "$out"
export SCAMSIFT_CACHE_DIR=$work/cache LC_ALL=C.UTF-8

scam=Samples/scam/en-hyip-plans-goldrise.html
"$scamsift" score --format html --lang en -o "$work/report-en.html" "$scam" || [[ $? == 1 ]]
"$scamsift" score --format html --lang bn -o "$work/report-bn.html" "$scam" || [[ $? == 1 ]]
# The batch reads a copy of the samples, so the summary shows neutral file:// paths.
mkdir -p "$work/samples" && cp -r Samples/scam Samples/legit "$work/samples/"
"$scamsift" batch "$work/samples" --out "$work/rows.jsonl" --report "$work/summary.html" --quiet --fail-at 101

shoot() {   # name width: no terminal input (a background job reading it would be stopped), at most 2 minutes
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-breakpad \
        --disable-crash-reporter --force-device-scale-factor=1 --user-data-dir="$work/profile" --window-size="$2,2000" \
        --screenshot="$out/$1-$2.png" "file://$work/$1.html" </dev/null >/dev/null 2>&1
}
for name in report-en report-bn summary; do
    for width in 360 1280; do
        shoot "$name" "$width"
        echo "$out/$name-$width.png"
    done
done
python3 scripts/png-check.py "$out"/report-en-*.png "$out"/report-bn-*.png "$out"/summary-*.png
