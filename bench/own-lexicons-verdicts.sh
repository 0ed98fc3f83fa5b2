#!/usr/bin/env bash
# What matching only a page's own lexicons would change in the reports (bench/own-lexicons.sh
# counts what it would save). Every page of Samples/ and ../shared/corpus/ (read in place, never
# copied) is scored with the built-in rules; then the pages of each language the detector found
# are scored again with today's Rules/ holding fewer lexicons:
#   own    en.yaml and the page's language's own lexicon only
#   latin  every lexicon of a script other than Latin, en.yaml and the page's own (only the other
#          Latin-letter lexicons left out)
# Prints, per variant, how many pages changed their hits, raw score or verdict, and each such
# page with the rules it lost or gained. Pages with no language found are left as they are.
#   bench/own-lexicons-verdicts.sh
#   SCAMSIFT_BIN=path bench/own-lexicons-verdicts.sh   (that binary instead of a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "bench/own-lexicons-verdicts.sh: needs python3" >&2; exit 2; }
source bench/rules-lib.sh
release_binary bench/own-lexicons-verdicts.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SCAMSIFT_CACHE_DIR="$work/cache"
pages=(Samples)
[[ -d ../shared/corpus ]] && pages+=(../shared/corpus)
"$bin" score -f jsonl "${pages[@]}" > "$work/all.jsonl" 2>/dev/null || true

python3 - "$bin" "$work" "$latin_lexicons" <<'PY'
import collections, json, os, shutil, subprocess, sys
binary, work = sys.argv[1], sys.argv[2]
latin = set(sys.argv[3].split())
full = {}
for line in open(f"{work}/all.jsonl"):
    report = json.loads(line)
    full[report["source"]] = report
by_language = collections.defaultdict(list)
for source, report in full.items():
    if report["lang"] and os.path.exists(f"Rules/lexicon/{report['lang']}.yaml"):
        by_language[report["lang"]].append(source)

def kept(variant, lang, name):
    code = name[:-len(".yaml")]
    if code in ("en", lang): return True
    return variant == "latin" and code not in latin

for variant in ("own", "latin"):
    changed, verdicts, scored = [], 0, 0
    for lang, sources in sorted(by_language.items()):
        folder = f"{work}/{variant}-{lang}"
        shutil.copytree("Rules", folder)
        for name in os.listdir(f"{folder}/lexicon"):
            if name.endswith(".yaml") and not kept(variant, lang, name): os.remove(f"{folder}/lexicon/{name}")
        out = subprocess.run([binary, "score", "-f", "jsonl", "--no-builtin-rules", "--no-user-rules", "--rules", folder] + sorted(sources),
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            report = json.loads(line)
            before = full[report["source"]]
            scored += 1
            lost = sorted({h["id"] for h in before["hits"]} - {h["id"] for h in report["hits"]})
            gained = sorted({h["id"] for h in report["hits"]} - {h["id"] for h in before["hits"]})
            if report["verdict"] != before["verdict"]: verdicts += 1
            if report["verdict"] != before["verdict"] or report["raw_score"] != before["raw_score"] or lost or gained:
                changed.append(f"  {lang}  {report['source']}: {before['verdict']} ({before['raw_score']}) -> {report['verdict']} ({report['raw_score']})"
                               + (f"; lost {', '.join(lost)}" if lost else "") + (f"; gained {', '.join(gained)}" if gained else ""))
    print(f"{variant}: {scored} pages scored again, {len(changed)} changed their hits or raw score, {verdicts} their verdict")
    for line in changed: print(line)
PY
