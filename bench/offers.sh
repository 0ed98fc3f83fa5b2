#!/usr/bin/env bash
# Times offer extraction on pages full of numbers: a page with N numbers (default 100,000),
# each a percent with a period word, scored with `scamsift score`, once with them in one
# paragraph and once as table rows. The time should grow in proportion to N (compare N and 2N).
#   bench/offers.sh [N] [release|debug]      (default: 100000, the release build bench/speed.sh uses)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
mode=${2:-release}
if [[ $mode == release ]]; then
  swift build -c release --static-swift-stdlib --product scamsift --scratch-path .build-static >/dev/null
  bin=.build-static/release/scamsift
else
  swift build --product scamsift >/dev/null
  bin=.build/debug/scamsift
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
python3 - "$n" "$out" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
with open(f"{out}/offers-paragraph.html", "w") as f:
    f.write("<html><body><p>")
    f.write(" ".join(f"{k % 97}.{k % 10}% daily {k}" for k in range(n)))
    f.write("</p></body></html>")
with open(f"{out}/offers-table.html", "w") as f:
    f.write("<html><body><table><tr><th>Plan</th><th>Daily profit (%)</th><th>Minimum</th></tr>")
    for k in range(n // 3):
        f.write(f"<tr><td>Plan {k}</td><td>{k % 9}.{k % 10}</td><td>${k}</td></tr>")
    f.write("</table></body></html>")
PY
for page in offers-paragraph offers-table; do
  start=$(date +%s.%N)
  "$bin" score --format json "$out/$page.html" > "$out/$page.json" || true
  end=$(date +%s.%N)
  offers=$(python3 -c "import json,sys; print(len(json.load(open('$out/$page.json'))['results'][0]['offers']))")
  printf '%-18s %8d numbers  %6d offers  %6.2f s  (%s)\n' "$page" "$n" "$offers" "$(echo "$end - $start" | bc)" "$mode"
done
