# Shared by the bench scripts that run `scamsift batch`: sourced, not run.
# Needs $bin (the scamsift binary) and $work (a scratch folder) set by the caller.

[[ -x /usr/bin/time ]] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }

# timed_batch LABEL LIST [ARGS...]: `scamsift batch LIST --out $work/out.jsonl --quiet ARGS` under
# /usr/bin/time. Sets wall (s), rss (KiB), cpu and rows; stops the script when scamsift fails
# (an exit code past 1, which only means "scams found").
timed_batch() {
  local label=$1 list=$2; shift 2
  local rc=0
  /usr/bin/time -f '%e %M %P' -o "$work/time" "$bin" batch "$list" --out "$work/out.jsonl" --quiet "$@" || rc=$?
  if ((rc > 1)); then echo "$label: scamsift exited $rc" >&2; exit 1; fi
  read -r wall rss cpu < <(tail -n 1 "$work/time")
  rows=$(wc -l <"$work/out.jsonl")
}
