#!/usr/bin/env bash
# Builds scamsift as a program that runs without a Swift toolchain: the Swift runtime and
# Foundation linked in statically, the binary stripped, packed as a .tar.gz and a .deb for the
# Debian or Ubuntu release this runs on. Then checks what it built (see --no-check).
#
#   scripts/package.sh [--out DIR] [--configuration release|debug] [--scratch-path DIR]
#                      [--binary PATH] [--no-check]
#
# --binary packs a scamsift already built (any `swift build` on Linux links the Swift runtime
# in statically, see Package.swift) instead of building one; the checks still refuse a binary
# that needs the toolchain's libraries.
#
# Prints the binary's size before and after stripping, the packages' paths and sizes, and the
# checks' results. The .deb depends on the system libraries the binary links (libxml2, ICU,
# SQLite, zlib, libstdc++), at the versions of the machine that built it: build on the release
# you ship for (the Dockerfile does).
set -euo pipefail
cd "$(dirname "$0")/.."

out=dist
configuration=release
scratch=.build-static
check=1
prebuilt=""
while (($#)); do
  case $1 in
    --out) out=$2; shift 2 ;;
    --configuration) configuration=$2; shift 2 ;;
    --scratch-path) scratch=$2; shift 2 ;;
    --binary) prebuilt=$2; shift 2 ;;
    --no-check) check=0; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scripts/package.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $configuration == release || $configuration == debug ]] || { echo "scripts/package.sh: --configuration is release or debug" >&2; exit 2; }
for tool in dpkg-deb strip readelf tar gzip; do
  command -v "$tool" >/dev/null || { echo "scripts/package.sh: needs $tool (apt-get install dpkg-dev binutils)" >&2; exit 2; }
done

version=$(sed -n 's/.*public static let version = "\([^"]*\)".*/\1/p' Sources/ScamSift/Output/ReportFormatter.swift)
[[ -n $version ]] || { echo "scripts/package.sh: cannot read the version from ReportFormatter.swift" >&2; exit 2; }
arch=$(dpkg --print-architecture)

if [[ -n $prebuilt ]]; then
  [[ -f $prebuilt && -x $prebuilt ]] || { echo "scripts/package.sh: --binary $prebuilt is not an executable file" >&2; exit 2; }
  built=$prebuilt
else
  echo "building scamsift $version ($configuration, static Swift runtime)..." >&2
  swift build -c "$configuration" --static-swift-stdlib --product scamsift --scratch-path "$scratch" >&2
  built="$scratch/$configuration/scamsift"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The staged tree is the .deb's root; the .tar.gz holds the same files under one folder.
root="$work/root"
install -d "$root/usr/bin" "$root/usr/share/doc/scamsift/examples" \
  "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
  "$root/usr/share/fish/vendor_completions.d"
install -m 0755 "$built" "$root/usr/bin/scamsift"
strip --strip-all "$root/usr/bin/scamsift"
bin="$root/usr/bin/scamsift"
"$bin" --generate-completion-script bash > "$root/usr/share/bash-completion/completions/scamsift"
"$bin" --generate-completion-script zsh > "$root/usr/share/zsh/vendor-completions/_scamsift"
"$bin" --generate-completion-script fish > "$root/usr/share/fish/vendor_completions.d/scamsift.fish"
install -m 0644 README.md "$root/usr/share/doc/scamsift/README.md"
# Two bundled pages to try it on, one of each kind.
scam_sample=$(find Samples/scam -name 'en-*.html' | sort | head -1)
legit_sample=$(find Samples/legit -name 'en-*.html' | sort | head -1)
install -m 0644 "$scam_sample" "$root/usr/share/doc/scamsift/examples/scam-example.html"
install -m 0644 "$legit_sample" "$root/usr/share/doc/scamsift/examples/legit-example.html"

# Depends: the package of each shared library the binary needs, as dpkg-shlibdeps works it out
# (it wants a debian/control beside it).
mkdir -p "$work/shlibs/debian"
printf 'Source: scamsift\n\nPackage: scamsift\nArchitecture: any\n' > "$work/shlibs/debian/control"
depends=""
if command -v dpkg-shlibdeps >/dev/null; then
  depends=$(cd "$work/shlibs" && dpkg-shlibdeps -O -e"$bin" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
fi
if [[ -z $depends ]]; then
  # Without dpkg-dev: the package that owns each library, unversioned.
  depends=$(ldd "$bin" | awk '/=> \// { print $3 }' | xargs -r readlink -f | xargs -r dpkg -S 2>/dev/null \
    | cut -d: -f1 | sort -u | paste -sd, | sed 's/,/, /g')
fi

install -d "$root/DEBIAN"
installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOF
Package: scamsift
Version: $version
Architecture: $arch
Maintainer: ScamSift maintainers <scamsift@localhost>
Depends: $depends
Section: utils
Priority: optional
Installed-Size: $installed_kb
Description: tells a real freelancing marketplace from a pay-first scam
 ScamSift reads an "earn money online" page (a saved page, an MHTML archive,
 a URL or a list of them) and scores it with small named rules and a learned
 text model, explaining each reason with the page's own words.
EOF

deb="$out/scamsift_${version}_${arch}.deb"
# The .deb and the .tar.gz are compressed side by side (each gzip is one core's work, the
# longest step for a debug binary of 150 MB).
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null &
deb_job=$!

folder="scamsift-$version-linux-$arch"
mkdir -p "$work/$folder"
cp -a "$root/usr/." "$work/$folder/"
tarball="$out/$folder.tar.gz"
# Sorted names, fixed owner and times: the same binary gives the same archive.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00Z' -C "$work" -cf - "$folder" | gzip -n -9 > "$tarball"
wait "$deb_job" || { echo "scripts/package.sh: dpkg-deb failed" >&2; exit 1; }

size() { stat -c %s "$1" | awk '{ printf "%.1f MB", $1 / 1048576 }'; }
echo "binary:  $(size "$built") as built, $(size "$bin") stripped"
echo "tar.gz:  $tarball ($(size "$tarball"))"
echo "deb:     $deb ($(size "$deb"))"
echo "depends: $depends"

((check)) || exit 0
SCAMSIFT_PACKAGE_DEB=$deb SCAMSIFT_PACKAGE_TARBALL=$tarball scripts/check-package.sh
