#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel.sh SERIES CACHE: make a Debian kernel of SERIES (6.1, 6.12, or an exact release such
# as 6.12.117+deb12-amd64) ready under CACHE/RELEASE/ and print that directory.
#
# The newest linux-image package of the series that apt knows is fetched once with
# `apt-get download`, unpacked with dpkg-deb and indexed with depmod; later runs reuse it, and
# an older release of the same series is removed when a newer one arrives. With no apt
# candidate (no package lists), the newest release already cached is used.
# Ready means CACHE/RELEASE/.ready exists: a half-unpacked tree is never reused.
set -euo pipefail

die() { echo "kernel.sh: $*" >&2; exit 1; }
[ $# -eq 2 ] || die "usage: kernel.sh SERIES CACHE (SERIES: 6.1, 6.12 or an exact release)"
series=$1
cache=$2

# The release names a series' packages carry: linux-image-RELEASE.
case "$series" in
6.1) pattern='6\.1\.0-[0-9]+-amd64' ;;
6.12) pattern='6\.12\.[0-9]+\+deb12-amd64' ;;
*-amd64) pattern=$(sed 's/[.+]/\\&/g' <<<"$series") ;;
*) die "unknown kernel series '$series' (6.1, 6.12, or a release such as 6.12.117+deb12-amd64)" ;;
esac

newest() { grep -E "^$pattern\$" | sort -V | tail -n 1; }

# Without the package, the newest release of the series already cached will do, said so.
fall_back() {
	local cached
	cached=$(find "$cache" -mindepth 2 -maxdepth 2 -name .ready -printf '%h\n' |
		xargs -rn1 basename | newest || true)
	[ -n "$cached" ] || die "$1, and no $series kernel is cached in $cache"
	echo "kernel.sh: $1; using the cached $cached" >&2
	echo "$cache/$cached"
	exit 0
}

mkdir -p "$cache"
wanted=$(apt-cache pkgnames linux-image- 2>/dev/null | sed 's/^linux-image-//' | newest || true)
[ -n "$wanted" ] || fall_back "apt knows no linux-image package for $series (apt-get update?)"
dir=$cache/$wanted
if [ -e "$dir/.ready" ]; then
	echo "$dir"
	exit 0
fi

package=linux-image-$wanted
stage=$(mktemp -d "$cache/.fetch-$wanted.XXXXXX")
trap 'rm -rf "$stage"' EXIT
download() { (cd "$stage" && apt-get download -q "$package" >apt.log 2>&1); }
if ! download; then
	# Package lists can be older than the archive, which drops superseded kernels.
	echo "kernel.sh: apt-get download $package failed; refreshing the package lists" >&2
	apt-get update -qq >/dev/null 2>&1 || true
	download ||
		fall_back "apt-get download $package failed: $(grep -m1 -E '^(E|Err):' "$stage/apt.log")"
fi
deb=$(find "$stage" -maxdepth 1 -name "${package}_*.deb" -print -quit)
[ -n "$deb" ] || die "apt-get download $package left no .deb: $(tail -n 1 "$stage/apt.log")"
dpkg-deb -x "$deb" "$stage/root" || die "dpkg-deb -x $(basename "$deb") failed"
[ -r "$stage/root/boot/vmlinuz-$wanted" ] || die "$(basename "$deb") has no boot/vmlinuz-$wanted"
depmod -b "$stage/root" "$wanted" || die "depmod -b for $wanted failed"
dpkg-deb -f "$deb" Version >"$stage/root/.version"
rm -rf "$dir"
mv "$stage/root" "$dir"
touch "$dir/.ready"

# Keep one release per series.
for old in $(find "$cache" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | grep -E "^$pattern\$"); do
	[ "$old" = "$wanted" ] || rm -rf "${cache:?}/$old"
done
echo "kernel.sh: $package $(cat "$dir/.version") unpacked in $dir" >&2
echo "$dir"
