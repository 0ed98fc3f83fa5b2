#!/bin/sh
# Fits the built-in scores: Rules/scores.yaml, from Samples/ and, when it is on this machine,
# ../shared/corpus (its MANIFEST.tsv), and the built-in text model, Rules/text-model.tsv (token
# hashes and page counts, no text). Records the pages used in Rules/scores-inputs.tsv: path,
# label, site and SHA-256 of each, never their text.
#
# The text model is one column of the fit (its weight is scores.yaml's `text_model:`); the
# README's "The text model" gives the cross-validation figures with and without it. Tests/ScamSiftTests/ScoresFileTests.swift
# checks that the committed file is what this recipe gives.
#
#   scripts/fit-builtin.sh                               # builds a release scamsift first
#   SCAMSIFT=.build/debug/scamsift scripts/fit-builtin.sh   # or uses the one given
#
# The fit uses its default options (the test refits with them); rebuild afterwards so the
# binary embeds the new file.
set -eu
cd "$(dirname "$0")/.."
if [ -z "${SCAMSIFT:-}" ]; then
    swift build -c release --product scamsift
    SCAMSIFT=.build/release/scamsift
fi
set -- --scam Samples/scam --legit Samples/legit
if [ -f ../shared/corpus/MANIFEST.tsv ]; then
    set -- "$@" --manifest ../shared/corpus/MANIFEST.tsv
else
    echo "fit-builtin: ../shared/corpus not found; fitting on Samples/ only" >&2
fi
# Only the built-in rules: no user folder, no SCAMSIFT_RULES.
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
env -u SCAMSIFT_RULES XDG_CONFIG_HOME="$empty" "$SCAMSIFT" fit "$@" \
    --text-model-out Rules/text-model.tsv \
    --out Rules/scores.yaml --inputs-out Rules/scores-inputs.tsv
