#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Sets up what the Xen end-to-end test needs, from Debian's archive only,
# cached outside the repo in $SCMI_E2E_XEN_CACHE (default
# /var/cache/scmi-mediator/e2e-xen), keyed by versions:
#   - a Xen source tree: Debian bookworm's xen source package (4.17), or
#     the tree named by XEN_SRC=;
#   - the arm64 hypervisor built from it with CONFIG_EXPERT=y and
#     CONFIG_IOREQ_SERVER=y (Debian's prebuilt ones lack IOREQ servers);
#   - the arm64 .debs of the matching toolstack (xl, xenstored,
#     xenconsoled, xen-init-dom0, the libraries) and their runtime
#     libraries, unpacked as a sysroot (also used to cross-compile the
#     mediator against the matching libxen-dev:arm64);
#   - Debian's arm64 kernel (trixie) as dom0 kernel, with its Xen modules.
# Uses a private APT configuration (Dir under the cache): the host's
# sources are left alone. Prints KEY=VALUE lines on its last lines.
set -euo pipefail
CACHE=${SCMI_E2E_XEN_CACHE:-/var/cache/scmi-mediator/e2e-xen}
mkdir -p "$CACHE"
log() { echo "[setup-xen $(date +%H:%M:%S)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

host_pkgs="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm flex bison bc cpio
device-tree-compiler xz-utils curl python3 make pkg-config dpkg-dev"
"$(dirname "$0")/../../tools/deps.sh" --pkgs "$host_pkgs" >&2

# ---- private APT configuration ------------------------------------------------
A="$CACHE/apt"
mkdir -p "$A/etc/none" "$A/lists/partial" "$A/cache/archives/partial"
cat >"$A/etc/sources.list" <<EOF
deb [arch=arm64,amd64] http://deb.debian.org/debian bookworm main
deb [arch=arm64,amd64] http://deb.debian.org/debian-security bookworm-security main
deb [arch=arm64,amd64] http://deb.debian.org/debian trixie main
deb-src http://deb.debian.org/debian bookworm main
EOF
cat >"$A/etc/apt.conf" <<EOF
Dir::Etc::sourcelist "$A/etc/sources.list";
Dir::Etc::sourceparts "$A/etc/none";
Dir::Etc::preferences "$A/etc/prefs";
Dir::Etc::preferencesparts "$A/etc/none";
Dir::State::lists "$A/lists";
Dir::State::status "$A/status";
Dir::Cache "$A/cache";
APT::Architecture "amd64";
APT::Architectures { "amd64"; "arm64"; };
APT::Default-Release "bookworm";
APT::Sandbox::User "root";
EOF
touch "$A/status" "$A/etc/prefs"
export APT_CONFIG="$A/etc/apt.conf"
# Refresh the package lists at most once a day.
if [ -z "$(find "$A/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
	log "apt-get update (private configuration)"
	apt-get update -qq >"$CACHE/apt-update.log" 2>&1 || { cat "$CACHE/apt-update.log" >&2; die "apt-get update failed"; }
fi

# ---- Xen source ---------------------------------------------------------------
if [ -n "${XEN_SRC:-}" ]; then
	SRC=$(cd "$XEN_SRC" && pwd)
	[ -f "$SRC/xen/Makefile" ] || die "XEN_SRC=$XEN_SRC is not a Xen source tree (no xen/Makefile)"
	SRC_ID=$(cd "$SRC" && git rev-parse HEAD 2>/dev/null || { find xen/Makefile xen/common -type f -newer /dev/null -printf '%T@ %p\n' | sort | sha256sum | cut -c1-12; })
	SRC_ID="xsrc-$(echo "$SRC:$SRC_ID" | sha256sum | cut -c1-12)"
else
	XEN_DEB_VERSION=$(apt-cache showsrc xen | awk '/^Package: xen$/ {p=1} p && /^Version:/ {print $2; exit}')
	[ -n "$XEN_DEB_VERSION" ] || die "no xen source package in bookworm's deb-src"
	SRC="$CACHE/src/xen-$XEN_DEB_VERSION"
	SRC_ID="deb-$XEN_DEB_VERSION"
	if [ ! -e "$SRC/.unpacked" ]; then
		upstream=${XEN_DEB_VERSION%-*}
		orig="xen_${upstream}.orig.tar.xz"
		mkdir -p "$CACHE/src"
		if [ ! -s "$CACHE/src/$orig" ]; then
			log "fetching Xen $XEN_DEB_VERSION source (orig tarball)"
			# apt-get source wants every file of the package; the orig
			# tarball is all the hypervisor build needs, and some mirrors
			# 404 on the others: fetch it directly, checked against the
			# .dsc's sha256 from the (signed) Sources index.
			rec=$(apt-cache showsrc xen | awk -v v="$XEN_DEB_VERSION" 'BEGIN {RS=""} index($0 "\n", "\nVersion: " v "\n") {print; exit}')
			dir=$(echo "$rec" | awk '/^Directory:/ {print $2; exit}')
			sum=$(echo "$rec" | awk -v f="$orig" '/^Checksums-Sha256:/ {s=1; next} /^[A-Z]/ {s=0} s && $3 == f {print $1; exit}')
			[ -n "$dir" ] && [ -n "$sum" ] || die "no Directory/Checksums-Sha256 for $orig"
			url="http://deb.debian.org/debian/$dir/${orig//+/%2B}"
			curl -fsSL --retry 3 -o "$CACHE/src/$orig.part" "$url" || die "download failed: $url"
			echo "$sum  $CACHE/src/$orig.part" | sha256sum -c --quiet || die "$orig: checksum mismatch"
			mv "$CACHE/src/$orig.part" "$CACHE/src/$orig"
		fi
		rm -rf "$SRC"; mkdir -p "$SRC"
		tar -xJf "$CACHE/src/$orig" -C "$SRC" --strip-components=1
		touch "$SRC/.unpacked"
	fi
fi
mkval() { awk -v k="$1" '$1 == "export" && $2 == k {print $4; exit}' "$SRC/xen/Makefile"; }
XEN_MAJOR=$(mkval XEN_VERSION); XEN_MINOR=$(mkval XEN_SUBVERSION)
XEN_EXTRA=$(mkval XEN_EXTRAVERSION); XEN_EXTRA=${XEN_EXTRA%%\$*}
XEN_VERSION="$XEN_MAJOR.$XEN_MINOR$XEN_EXTRA"
[ "$XEN_MAJOR" = 4 ] || die "unexpected Xen version $XEN_VERSION"
log "Xen source: $SRC ($XEN_VERSION, $SRC_ID)"

# ---- the hypervisor -------------------------------------------------------------
HV_CONFIG='CONFIG_EXPERT=y
CONFIG_IOREQ_SERVER=y'
HV="$CACHE/hv-$SRC_ID-$(echo "$HV_CONFIG" | sha256sum | cut -c1-8)"
if [ ! -s "$HV/xen" ]; then
	log "building the arm64 hypervisor (about 1 minute on 2 cores)"
	B="$CACHE/hv-build"
	rm -rf "$B"; mkdir -p "$B"
	cp -a "$SRC/." "$B/"
	M=(make -C "$B/xen" XEN_TARGET_ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	"${M[@]}" defconfig >"$CACHE/hv-build.log" 2>&1
	echo "$HV_CONFIG" >>"$B/xen/.config"
	"${M[@]}" olddefconfig >>"$CACHE/hv-build.log" 2>&1
	for s in EXPERT IOREQ_SERVER GRANT_TABLE; do
		grep -qx "CONFIG_$s=y" "$B/xen/.config" || die "hypervisor config: CONFIG_$s is not =y"
	done
	"${M[@]}" -j"$(nproc)" >>"$CACHE/hv-build.log" 2>&1 || { tail -30 "$CACHE/hv-build.log" >&2; die "hypervisor build failed"; }
	mkdir -p "$HV"
	cp "$B/xen/xen" "$HV/xen"; cp "$B/xen/.config" "$HV/config"
	rm -rf "$B"
fi

# ---- the toolstack and the dom0 kernel ----------------------------------------
case "$XEN_MINOR" in
17) SUITE=bookworm; XPKG_VER=${XEN_DEB_VERSION:-$(apt-cache madison xen-utils-4.17:arm64 | awk '$5 ~ /bookworm\// {print $3; exit}')} ;;
2[0-9]) SUITE=trixie; XPKG_VER=$(apt-cache madison "xen-utils-4.$XEN_MINOR:arm64" | awk '{print $3; exit}') ;;
*) die "Xen 4.$XEN_MINOR: no Debian toolstack of that version in bookworm or trixie" ;;
esac
[ -n "$XPKG_VER" ] || die "no xen-utils-4.$XEN_MINOR:arm64 in $SUITE"
KMETA=$(apt-cache depends linux-image-arm64:arm64/trixie | awk '/Depends: linux-image-/ {print $2; exit}')
KMETA=${KMETA%:arm64}
[ -n "$KMETA" ] || die "cannot resolve trixie's linux-image-arm64"
DEBS="$CACHE/debs-$XPKG_VER-$KMETA"
SYSROOT="$DEBS/sysroot"
if [ ! -e "$DEBS/.done" ]; then
	log "fetching arm64 .debs: Xen $XPKG_VER toolstack ($SUITE), $KMETA (trixie), runtime libraries"
	rm -rf "$DEBS"; mkdir -p "$DEBS/deb"
	xp=()
	for p in "xen-utils-4.$XEN_MINOR" xen-utils-common xenstore-utils "libxenmisc4.$XEN_MINOR" \
		libxencall1 libxenevtchn1 libxenforeignmemory1 libxengnttab1 libxenstore4 \
		libxentoollog1 libxentoolcore1 libxendevicemodel1 libxenhypfs1 libxen-dev; do
		xp+=("$p:arm64=$XPKG_VER")
	done
	ext2fs=libext2fs2; [ "$SUITE" = bookworm ] || ext2fs=libext2fs2t64
	others=(libc6 libc6-dev linux-libc-dev libcrypt1 libcrypt-dev libncurses6 libtinfo6 libyajl2
		libyajl-dev "$ext2fs" libcom-err2 libfdt1 libfdt-dev libuuid1 zlib1g libjson-c5
		libjson-c-dev libgcc-s1 liblzma5 libzstd1 libbz2-1.0 libnl-3-200 libnl-route-3-200)
	op=()
	for p in "${others[@]}"; do op+=("$p:arm64/$SUITE"); done
	(cd "$DEBS/deb" && apt-get download -qq "${xp[@]}" "${op[@]}" "$KMETA:arm64/trixie") \
		>"$DEBS/download.log" 2>&1 || { cat "$DEBS/download.log" >&2; die "apt-get download failed"; }
	mkdir -p "$SYSROOT" "$DEBS/kernel"
	for d in "$DEBS"/deb/*.deb; do
		case "$d" in
		*/linux-image-*) dpkg-deb -x "$d" "$DEBS/kernel" ;;
		*) dpkg-deb -x "$d" "$SYSROOT" ;;
		esac
	done
	touch "$DEBS/.done"
fi
KVER=$(ls "$DEBS/kernel/boot" | sed -n 's/^vmlinuz-//p' | head -1)
[ -n "$KVER" ] || die "no vmlinuz in $KMETA"

printf 'XEN_CACHE=%q\nXEN_HV=%q\nXEN_VERSION=%q\nXEN_MINOR=%q\nXEN_SRC_ID=%q\nXEN_TOOLS_VERSION=%q\n' \
	"$CACHE" "$HV/xen" "$XEN_VERSION" "$XEN_MINOR" "$SRC_ID" "$XPKG_VER"
printf 'XEN_SYSROOT=%q\nDOM0_KERNEL=%q\nDOM0_MODULES=%q\nDOM0_KVER=%q\n' \
	"$SYSROOT" "$DEBS/kernel/boot/vmlinuz-$KVER" "$DEBS/kernel/usr/lib/modules/$KVER" "$KVER"
