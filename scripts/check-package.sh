#!/usr/bin/env bash
# Checks the packages scripts/package.sh wrote: that the binary needs no Swift toolchain, and
# that the .deb and the .tar.gz each give a scamsift that scores their bundled examples.
#
#   SCAMSIFT_PACKAGE_DEB=dist/x.deb SCAMSIFT_PACKAGE_TARBALL=dist/x.tar.gz scripts/check-package.sh
#
# Each binary runs with an empty environment and, where this machine allows a private mount
# namespace (unshare -m, as root), with an empty folder mounted over the Swift toolchain, so a
# hidden dependency on it fails here rather than on a user's machine. Exit 0 when all pass.
set -euo pipefail
deb=${SCAMSIFT_PACKAGE_DEB:?set SCAMSIFT_PACKAGE_DEB}
tarball=${SCAMSIFT_PACKAGE_TARBALL:?set SCAMSIFT_PACKAGE_TARBALL}
failures=0
pass() { echo "ok:      $*"; }
fail() { echo "FAILED:  $*"; failures=$((failures + 1)); }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/deb"
mkdir -p "$work/tar"
tar -xzf "$tarball" -C "$work/tar"
tar_root=$(find "$work/tar" -mindepth 1 -maxdepth 1 -type d | head -1)

# 1. Linking: no Swift runtime, Foundation or dispatch library, and no search path into a toolchain.
bin="$work/deb/usr/bin/scamsift"
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | paste -sd' ')
swift_libs=$(tr ' ' '\n' <<<"$needed" | grep -Ei '^lib(swift|Foundation|_Foundation|dispatch|BlocksRuntime)' || true)
if [[ -z $swift_libs ]]; then pass "links only system libraries: $needed"; else fail "links Swift libraries: $swift_libs"; fi
# $ORIGIN (the binary's own folder, which SwiftPM adds) is harmless; any other path is not.
runpath=$(readelf -d "$bin" | sed -n 's/.*(\(RUNPATH\|RPATH\)).*\[\(.*\)\]/\2/p' | tr ':' '\n' | grep -v '^\$ORIGIN$' || true)
if [[ -z $runpath ]]; then pass "no library search path outside the binary's folder"; else fail "searches for libraries in: $runpath"; fi
if readelf -S "$bin" | grep -q '\.debug_info'; then fail "the binary is not stripped"; else pass "stripped"; fi

# 2. The .deb: its metadata, and whether dpkg would install it here (dependencies met).
contents=$(dpkg-deb --contents "$deb")
if dpkg-deb --field "$deb" Package Version Depends >/dev/null && grep -q '\./usr/bin/scamsift$' <<<"$contents"; then
  pass "deb holds usr/bin/scamsift; depends: $(dpkg-deb --field "$deb" Depends)"
else
  fail "deb metadata or contents"
fi
if dpkg --dry-run -i "$deb" >/dev/null 2>"$work/dpkg.err"; then pass "dpkg -i would install it (dry run)"; else fail "dpkg dry run: $(head -3 "$work/dpkg.err")"; fi

# 3. Each packaged binary scores its examples, with nothing from the build environment.
toolchain=""
if command -v swift >/dev/null; then
  toolchain=$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")")   # …/usr/bin/swift → its root
fi
hide=""
if [[ -n $toolchain && $toolchain != / ]] && unshare -m true 2>/dev/null; then
  hide=$toolchain
else
  echo "note:    the Swift toolchain is not hidden (${toolchain:-none found}; unshare -m not permitted or not needed): the link check above stands for it"
fi

run_clean() {   # run_clean BINARY ARGS...: empty environment, toolchain hidden when possible
  local binary=$1; shift
  if [[ -n $hide ]]; then
    env -i PATH=/usr/bin:/bin HOME="$work/home" SCAMSIFT_CACHE_DIR=off \
      unshare -m sh -c 'mount -t tmpfs -o ro,size=1k none "$0" && exec "$@"' "$hide" "$binary" "$@"
  else
    env -i PATH=/usr/bin:/bin HOME="$work/home" SCAMSIFT_CACHE_DIR=off "$binary" "$@"
  fi
}

# The hiding itself works: inside the namespace the toolchain's swift is gone.
if [[ -n $hide ]]; then
  if unshare -m sh -c 'mount -t tmpfs -o ro,size=1k none "$0" && test ! -e "$0/usr/bin/swift"' "$hide"; then
    pass "inside the namespace $hide is empty"
  else
    fail "hiding $hide did not work"
  fi
fi

for kind in deb tar; do
  if [[ $kind == deb ]]; then prefix="$work/deb/usr"; else prefix=$tar_root; fi
  binary="$prefix/bin/scamsift"
  examples="$prefix/share/doc/scamsift/examples"
  where=${hide:+ with $hide hidden}
  if version=$(run_clean "$binary" --version 2>&1); then pass "$kind: scamsift --version → $version$where"; else fail "$kind: --version: $version"; fi
  set +e
  scam=$(run_clean "$binary" score -f jsonl "$examples/scam-example.html" 2>&1); scam_status=$?
  legit=$(run_clean "$binary" score -f jsonl "$examples/legit-example.html" 2>&1); legit_status=$?
  set -e
  if [[ $scam_status == 1 && $scam == *'"verdict":"likely-scam"'* ]]; then pass "$kind: the scam example is likely-scam (exit 1)"; else fail "$kind: scam example gave exit $scam_status: ${scam:0:300}"; fi
  if [[ $legit_status == 0 && $legit == *'"verdict":"low-risk"'* ]]; then pass "$kind: the legit example is low-risk (exit 0)"; else fail "$kind: legit example gave exit $legit_status: ${legit:0:300}"; fi
done

if ((failures)); then echo "$failures check(s) failed"; exit 1; fi
echo "all package checks passed"
