#!/usr/bin/env bash
# Builds a benchmark corpus: Samples/ copied round after round into DIR/scam and DIR/legit
# until DIR holds MB megabytes; prints how many rounds it took. Used by speed.sh and compare.sh.
#   bench/samples-corpus.sh DIR MB
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1; mb=$2
mkdir -p "$dir/scam" "$dir/legit"
round=0
while (( $(du -sb "$dir" | cut -f1) < mb * 1024 * 1024 )); do
  for label in scam legit; do
    for f in Samples/$label/*.html; do cp "$f" "$dir/$label/$round-$(basename "$f")"; done
  done
  round=$((round + 1))
done
echo "$round"
