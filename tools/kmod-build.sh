#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make kmod: cross-build the scmi_smc kernel module (backends/smc/) for
# arm64 against Debian's linux-headers-*-arm64, on any Debian 12 host.
# Installs what it needs itself (gcc-aarch64-linux-gnu; the arm64 headers
# and the host's linux-kbuild of the same version are fetched with
# `apt-get download` and unpacked with dpkg -x into a cache outside the
# repository). Output: build/kmod/scmi_smc.ko.
#   KMOD_CACHE=DIR    cache (default /var/cache/scmi-mediator/kmod)
#   KMOD_KVER=X       headers to use, e.g. 6.1.0-56-arm64 (default: what
#                     linux-headers-arm64 depends on, resolved once and
#                     remembered in the cache; KMOD_REFRESH=1 resolves again)
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${KMOD_CACHE:-/var/cache/scmi-mediator/kmod}
OUT=build/kmod
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
updated=0
apt_update() { [ $updated = 1 ] || { $SUDO apt-get update -qq; updated=1; }; }

tools/deps.sh --pkgs "gcc-aarch64-linux-gnu make"
if [ ! -d "$CACHE" ] || [ ! -w "$CACHE" ]; then
	$SUDO install -d -o "$(id -u)" -g "$(id -g)" "$CACHE"
fi

kver=${KMOD_KVER:-}
if [ -z "$kver" ] && [ -z "${KMOD_REFRESH:-}" ] && [ -f "$CACHE/current" ]; then
	kver=$(cat "$CACHE/current")
fi
if [ -z "$kver" ] || [ ! -f "$CACHE/$kver/.complete" ]; then
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		echo "kmod: adding the arm64 architecture to dpkg (package lists only)"
		$SUDO dpkg --add-architecture arm64
		updated=0
	fi
	apt_update
	if [ -z "$kver" ]; then
		kver=$(apt-cache depends linux-headers-arm64:arm64 |
			sed -n 's/^ *Depends: linux-headers-\(.*-arm64\)\(:arm64\)\?$/\1/p' | head -n1)
		[ -n "$kver" ] || { echo "kmod: cannot resolve linux-headers-arm64" >&2; exit 1; }
	fi
	ver=$(apt-cache policy "linux-headers-$kver:arm64" | sed -n 's/^ *Candidate: //p')
	[ -n "$ver" ] && [ "$ver" != "(none)" ] ||
		{ echo "kmod: no linux-headers-$kver for arm64 in the archive" >&2; exit 1; }
	kbuild=$(apt-cache depends "linux-headers-$kver:arm64" |
		sed -n 's/^ *Depends: \(linux-kbuild-[0-9.]*\).*/\1/p' | head -n1)
	common=$(apt-cache depends "linux-headers-$kver:arm64" |
		sed -n 's/^ *Depends: <\?\(linux-headers-[^:>]*-common\).*/\1/p' | head -n1)
	echo "kmod: fetching linux-headers-$kver ($ver), $common, $kbuild (host tools)"
	dl=$(mktemp -d)
	chmod 755 "$dl"   # apt downloads as _apt
	trap 'rm -rf "$dl"' EXIT
	(cd "$dl" && apt-get download -qq "linux-headers-$kver:arm64=$ver" "$common=$ver" \
		"$kbuild=$ver")
	rm -rf "${CACHE:?}/$kver"
	mkdir -p "$CACHE/$kver/root"
	for deb in "$dl"/*.deb; do
		dpkg -x "$deb" "$CACHE/$kver/root"
	done
	touch "$CACHE/$kver/.complete"
	echo "$kver" >"$CACHE/current"
fi

kdir="$CACHE/$kver/root/usr/src/linux-headers-$kver"
[ -f "$kdir/Makefile" ] || { echo "kmod: $kdir is not a kernel header tree" >&2; exit 1; }
# Debian's header trees name each other (and the kbuild tools) by absolute
# /usr/... paths: point those at the unpacked copies.
for f in "$kdir/Makefile" "$CACHE/$kver/root/usr/src/linux-headers-"*-common/Makefile; do
	[ -f "$f" ] && sed -i "s#\([ =]\)/usr/src/#\1$CACHE/$kver/root/usr/src/#g; s#\([ =]\)/usr/lib/linux-kbuild#\1$CACHE/$kver/root/usr/lib/linux-kbuild#g" "$f"
done
for l in "$kdir"/scripts "$kdir"/tools; do
	if [ -L "$l" ]; then
		t=$(readlink "$l")
		case $t in /*) ln -sfn "$CACHE/$kver/root$t" "$l" ;; esac
	fi
done

mkdir -p "$OUT"
cp backends/smc/scmi_smc.c backends/smc/scmi_smc_uapi.h backends/smc/Kbuild "$OUT/"
make -s -C "$kdir" M="$(pwd)/$OUT" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- -j2 modules
echo "kmod: $OUT/scmi_smc.ko ($(modinfo -F vermagic "$OUT/scmi_smc.ko" 2>/dev/null || echo "vermagic unknown"))"
