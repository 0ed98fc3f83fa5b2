#!/usr/bin/env bash
# What the rules themselves cost, apart from the code: one scamsift binary scores one corpus
# with different rules folders, taking turns (bench/compare.sh), so that the figures compare
# rule sets and not binaries or minutes of a shared machine. Folders:
#   old       the Rules/ folder of BASE (default e6710fc, the commit before the concept lexicons)
#   six       today's Rules/ with only the lexicons of the languages BASE's rules covered
#             (en, bn, es, hi, id, pt)
#   notm      today's Rules/ without the text model (its `text_model:` block removed)
#   today     today's Rules/, as built in
#   en        today's Rules/ with en.yaml the only lexicon
#   bench/rules-cost.sh [-m MB] [-r ROUNDS] [-b BASE]
#   SCAMSIFT_BIN=path bench/rules-cost.sh   (that binary instead of .build-static/release/scamsift)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=20; rounds=5; base=e6710fc
while getopts "m:r:b:" o; do case $o in m) mb=$OPTARG ;; r) rounds=$OPTARG ;; b) base=$OPTARG ;; *) exit 2 ;; esac; done

source bench/rules-lib.sh
release_binary_and_base bench/rules-cost.sh "$base"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/old"
git archive "$base" Rules | tar -x -C "$work/old"
for name in six notm today en; do cp -r Rules "$work/$name"; done
find "$work/six/lexicon" -name '*.yaml' ! -name en.yaml ! -name bn.yaml ! -name es.yaml ! -name hi.yaml \
  ! -name id.yaml ! -name pt.yaml -delete
find "$work/en/lexicon" -name '*.yaml' ! -name en.yaml -delete
scores_without_text_model bench/rules-cost.sh "$work/notm/scores.yaml"

specs=()
for name in old six notm today en; do
  folder=$work/$name
  [[ $name == old ]] && folder=$work/old/Rules
  # A wrapper per folder, so that bench/compare.sh runs each like a binary of its own.
  printf '#!/bin/sh\ncmd=$1; shift\nexec "%s" "$cmd" --no-builtin-rules --no-user-rules --rules "%s" "$@"\n' "$bin" "$folder" > "$work/run-$name"
  chmod +x "$work/run-$name"
  specs+=("$name=$work/run-$name")
done
echo "one binary ($bin), rules folders taking turns; old = $base's Rules/"
bench/compare.sh -m "$mb" -r "$rounds" "${specs[@]}"
