#!/usr/bin/env bash
# What matching only a page's own lexicons would save, counted: for each language Samples/
# has pages in (the file name's prefix), that language's pages are scored under callgrind as
# one group with three rules folders, one binary:
#   old    the Rules/ folder of BASE (default e6710fc, the commit before the concept lexicons)
#   all    today's Rules/ without the text model (every lexicon)
#   own    the same with only en.yaml and the group's own lexicon
#   latin  the same with every lexicon of a script other than Latin, en.yaml and the group's own
#          (only the other Latin-letter lexicons left out: a page's script is an exact filter,
#          and the Latin lexicons are where the walk's cost is)
# Only scoring is counted (from PageScorer.score in), with each process's regex compiles left
# out, as in bench/instructions.sh; "cycles" is the same rough estimate (instructions + 10 per
# first-level miss + 40 per miss of a simulated 512 KB second-level cache, this machine's).
# Prints one row per language and the sums. Takes about 25 minutes.
#   bench/own-lexicons.sh [-b BASE]
#   SCAMSIFT_BIN=path bench/own-lexicons.sh   (that binary instead of .build-static/release/scamsift)
set -euo pipefail
cd "$(dirname "$0")/.."
base=e6710fc
while getopts "b:" o; do case $o in b) base=$OPTARG ;; *) exit 2 ;; esac; done
command -v valgrind >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; }
command -v python3 >/dev/null || { echo "bench/own-lexicons.sh: needs python3" >&2; exit 2; }
source bench/rules-lib.sh
release_binary_and_base bench/own-lexicons.sh "$base"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SCAMSIFT_CACHE_DIR="$work/cache"
# Valgrind 3.19 cannot read the DWARF 5 debug information Swift writes: a copy without it.
strip --strip-debug -o "$work/scamsift" "$bin"
mkdir "$work/old"
git archive "$base" Rules | tar -x -C "$work/old"
cp -r Rules "$work/all"
scores_without_text_model bench/own-lexicons.sh "$work/all/scores.yaml"

languages=$(find Samples/scam Samples/legit -name '*.html' -printf '%f\n' | sed 's/-.*//' | sort -u)
results="$work/results"
: > "$results"
for lang in $languages; do
  [[ -f Rules/lexicon/$lang.yaml ]] || { echo "skipping $lang: no lexicon" >&2; continue; }
  pages="$work/pages-$lang"
  for label in scam legit; do
    mkdir -p "$pages/$label"
    find "$PWD/Samples/$label" -name "$lang-*.html" -exec ln -s {} "$pages/$label/" \;
  done
  cp -r "$work/all" "$work/own-$lang"
  find "$work/own-$lang/lexicon" -name '*.yaml' ! -name en.yaml ! -name "$lang.yaml" -delete
  cp -r "$work/all" "$work/latin-$lang"
  for other in $latin_lexicons; do [[ $other == "$lang" ]] || rm -f "$work/latin-$lang/lexicon/$other.yaml"; done
  for cfg in old all own latin; do
    rules="$work/$cfg"; [[ $cfg == old ]] && rules="$work/old/Rules"; [[ $cfg == own || $cfg == latin ]] && rules="$work/$cfg-$lang"
    args=(evaluate --no-builtin-rules --no-user-rules --rules "$rules" "$pages")
    "$work/scamsift" "${args[@]}" >/dev/null 2>&1 || true    # fills the rule-set cache
    valgrind --tool=callgrind --cache-sim=yes --LL=524288,8,64 --toggle-collect='$s8ScamSift10PageScorerO5score*' \
      --callgrind-out-file="$work/cg.out" "$work/scamsift" "${args[@]}" >/dev/null 2>&1 || true
    compile=$(callgrind_annotate --inclusive=yes --threshold=100 "$work/cg.out" 2>/dev/null | awk '/uregex_open/ && !done { gsub(",", "", $1); print $1; done = 1 }')
    python3 - "$work/cg.out" "$lang" "$cfg" "${compile:-0}" >> "$results" <<'PY'
import sys
events, totals = [], []
for line in open(sys.argv[1]):
    if line.startswith("events:"): events = line.split()[1:]
    if line.startswith("summary:") or line.startswith("totals:"): totals = [int(v) for v in line.split()[1:]]
d = dict(zip(events, totals))
print(sys.argv[2], sys.argv[3], d["Ir"] - int(sys.argv[4]), d["D1mr"] + d["D1mw"], d["DLmr"] + d["DLmw"])
PY
  done
done
python3 - "$results" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
by = {}
for lang, cfg, ir, d1, ll in rows:
    by.setdefault(lang, {})[cfg] = (int(ir), int(d1), int(ll))
def cycles(t): return t[0] + 10 * t[1] + 40 * t[2]
print("instructions (M) per language group, regex compiles left out; change against the old folder")
print(f"{'lang':<6}{'old':>10}{'all':>10}{'own':>10}{'latin':>10}{'all %':>9}{'own %':>9}{'latin %':>9}")
sums = {c: [0, 0, 0] for c in ("old", "all", "own", "latin")}
for lang in sorted(by):
    r = by[lang]
    for c in sums:
        for k in range(3): sums[c][k] += r[c][k]
    print(f"{lang:<6}{r['old'][0]/1e6:10.1f}{r['all'][0]/1e6:10.1f}{r['own'][0]/1e6:10.1f}{r['latin'][0]/1e6:10.1f}"
          f"{r['all'][0]/r['old'][0]-1:+9.1%}{r['own'][0]/r['old'][0]-1:+9.1%}{r['latin'][0]/r['old'][0]-1:+9.1%}")
o = sums["old"]
for c in ("all", "own", "latin"):
    s = sums[c]
    print(f"sum {c}: instructions {s[0]/1e6:.1f} M against {o[0]/1e6:.1f} M ({s[0]/o[0]-1:+.1%}), "
          f"estimated cycles {cycles(s)/1e6:.1f} M against {cycles(o)/1e6:.1f} M ({cycles(s)/cycles(o)-1:+.1%})")
PY
