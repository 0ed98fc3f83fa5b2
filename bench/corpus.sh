#!/usr/bin/env bash
# Evaluates the built-in rules on the labeled pages in ../shared/corpus/ (real pages gathered
# elsewhere, for evaluation only: they are read in place, never copied into the project).
#   bench/corpus.sh [evaluate options...]     e.g. --format json
set -euo pipefail
cd "$(dirname "$0")/.."
manifest=../shared/corpus/MANIFEST.tsv
if [[ ! -f $manifest ]]; then
  echo "no $manifest beside the project: nothing to evaluate" >&2
  exit 0
fi
swift build -c release --product scamsift --scratch-path .build-release >/dev/null
exec .build-release/release/scamsift evaluate "$@" "$manifest"
