# Shared by the bench scripts that compare rules folders at one binary (rules-cost.sh,
# own-lexicons.sh, own-lexicons-verdicts.sh): sourced, not run.

# release_binary SCRIPT: sets $bin to $SCAMSIFT_BIN, or else to the release build (built first,
# static Swift runtime, in .build-static); stops the script when $bin is not an executable.
release_binary() {
  local script=$1
  bin=${SCAMSIFT_BIN:-$PWD/.build-static/release/scamsift}
  if [[ -z "${SCAMSIFT_BIN:-}" ]]; then
    echo "building release (static Swift runtime)..." >&2
    swift build -c release --static-swift-stdlib --product scamsift --scratch-path .build-static >/dev/null
  fi
  [[ -f $bin && -x $bin ]] || { echo "$script: $bin is not an executable file" >&2; exit 2; }
}

# release_binary_and_base SCRIPT BASE: release_binary, and stops the script when BASE is not a
# commit here.
release_binary_and_base() {
  local script=$1 base=$2
  release_binary "$script"
  git cat-file -e "$base^{commit}" 2>/dev/null || { echo "$script: $base is not a commit here" >&2; exit 2; }
}

# The built-in lexicons written in Latin letters, besides en.yaml (a page's scripts filter the
# others exactly; own-lexicons.sh and own-lexicons-verdicts.sh leave these out per page).
latin_lexicons="de es fr id it ms pt tl tr vi"

# scores_without_text_model SCRIPT OUT: writes Rules/scores.yaml to OUT without its text model
# (the `text_model:` line and the indented lines under it); stops the script if one is left.
scores_without_text_model() {
  local script=$1 out=$2
  awk '/^text_model:/ { skip = 1; next } skip && /^[ \t]/ { next } { skip = 0; print }' Rules/scores.yaml > "$out"
  if grep -q '^text_model:' "$out"; then echo "$script: could not remove text_model" >&2; exit 2; fi
}
