#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Sets up what the Linux-guest end-to-end test needs, from Debian's archive
# only, and caches it outside the repo keyed by versions:
#   - a debootstrapped trixie tree with QEMU 10 (vhost-user-scmi),
#   - an arm64 guest kernel built from linux-source-6.12 with
#     tests/e2e/guest-kernel.config (checked symbol by symbol),
#   - busybox-static for arm64 and the cross compiler for the guest program.
# Prints "KEY=VALUE" lines (QEMU, KERNEL, BUSYBOX) on its last lines.
# A warm run takes a second or two.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${SCMI_E2E_CACHE:-/var/cache/scmi-mediator/e2e}
mkdir -p "$CACHE"
log() { echo "[setup $(date +%H:%M:%S)] $*" >&2; }
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

host_pkgs="debootstrap gcc-aarch64-linux-gnu libc6-dev-arm64-cross bc flex bison libssl-dev
xz-utils cpio device-tree-compiler linux-source-6.12 kmod make"
"$here/../../tools/deps.sh" --pkgs "$host_pkgs" >&2

# ---- QEMU 10 from a trixie tree ---------------------------------------------
TRIXIE="$CACHE/trixie"
if [ ! -e "$TRIXIE/.qemu-done" ]; then
	log "debootstrap trixie (about 30 s) and QEMU 10 (about 15 s)"
	$SUDO rm -rf "$TRIXIE"
	$SUDO debootstrap --variant=minbase trixie "$TRIXIE" http://deb.debian.org/debian >"$CACHE/debootstrap.log" 2>&1 \
		|| { tail -20 "$CACHE/debootstrap.log"; exit 1; }
	$SUDO mount -t proc proc "$TRIXIE/proc"
	$SUDO mount --bind /dev "$TRIXIE/dev"
	set +e
	$SUDO chroot "$TRIXIE" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-system-arm >/dev/null && apt-get clean && rm -rf /var/lib/apt/lists/*'
	rc=$?
	set -e
	$SUDO umount "$TRIXIE/dev" "$TRIXIE/proc"
	[ $rc -eq 0 ] || { log "QEMU install in trixie tree failed"; exit 1; }
	touch "$TRIXIE/.qemu-done"
fi
QEMU_VERSION=$("$here/qemu.sh" --version | head -1)
log "QEMU: $QEMU_VERSION"
# The tree is trixie as fetched: check that it is QEMU 10 with both devices.
[[ "$QEMU_VERSION" =~ version\ 10\. ]] || { log "need QEMU 10, the trixie tree has: $QEMU_VERSION"; exit 1; }
qdevs=$("$here/qemu.sh" -M virt -device help 2>&1)
for d in vhost-user-scmi vhost-user-scmi-pci; do
	grep -q "name \"$d\"" <<<"$qdevs" || { log "QEMU in $TRIXIE has no $d device"; exit 1; }
done

# ---- guest kernel -------------------------------------------------------------
KSRC_TAR=/usr/src/linux-source-6.12.tar.xz
KPKG=$(dpkg-query -W -f='${Version}' linux-source-6.12)
FRAG_SUM=$(sha256sum "$here/guest-kernel.config" | cut -c1-12)
syms=$(grep -v '^#' "$here/guest-kernel.config" | tr -s ' \n' '\n' | grep -v '^$')
check_config() { # every symbol of the fragment =y in the .config $1
	local s bad=0
	for s in $syms; do
		grep -qx "CONFIG_$s=y" "$1" || { log "config symbol $s is not =y in $1"; bad=1; }
	done
	return $bad
}
KDIR="$CACHE/kernel-$KPKG-$FRAG_SUM"
if [ ! -e "$KDIR/Image" ]; then
	SRC="$CACHE/linux-src-$KPKG"
	if [ ! -e "$SRC/.unpacked" ]; then
		log "unpacking linux-source-6.12 $KPKG"
		rm -rf "$SRC"; mkdir -p "$SRC"
		tar -xJf "$KSRC_TAR" -C "$SRC" --strip-components=1
		touch "$SRC/.unpacked"
	fi
	log "configuring guest kernel"
	rm -rf "$KDIR.build"; mkdir -p "$KDIR.build"
	km() { make -C "$SRC" O="$KDIR.build" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "$@"; }
	km allnoconfig >/dev/null
	args=()
	for s in $syms; do args+=(--enable "$s"); done
	"$SRC/scripts/config" --file "$KDIR.build/.config" "${args[@]}"
	km olddefconfig >/dev/null
	check_config "$KDIR.build/.config" || exit 1
	log "building guest kernel Image (about 4 minutes on 2 cores)"
	km -j"$(nproc)" Image >"$KDIR.build.log" 2>&1 || { tail -30 "$KDIR.build.log"; exit 1; }
	mkdir -p "$KDIR"
	cp "$KDIR.build/arch/arm64/boot/Image" "$KDIR/Image"
	cp "$KDIR.build/.config" "$KDIR/config"
	rm -rf "$KDIR.build" "$KDIR.build.log"
fi
# Also on a warm run: the cached kernel's config has every symbol.
check_config "$KDIR/config" || exit 1
log "guest kernel $KPKG, fragment $FRAG_SUM: $(wc -w <<<"$syms") symbols =y"

# ---- busybox for the initramfs ---------------------------------------------
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64
	$SUDO apt-get update -qq
fi
BBVER=$(apt-cache policy busybox-static:arm64 | awk '$1 == "Candidate:" {print $2}')
[ -n "$BBVER" ] && [ "$BBVER" != "(none)" ] || { log "busybox-static:arm64 is not available from apt"; exit 1; }
BB="$CACHE/busybox-arm64-$BBVER"
if [ ! -x "$BB/bin/busybox" ]; then
	log "fetching busybox-static:arm64 $BBVER"
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq "busybox-static:arm64=$BBVER")
	rm -rf "$BB"; mkdir -p "$BB"
	dpkg-deb -x "$tmp"/busybox-static_*_arm64.deb "$BB"
	rm -rf "$tmp"
fi

printf 'CACHE=%q\nKERNEL=%q\nBUSYBOX=%q\nQEMU_VERSION=%q\n' "$CACHE" "$KDIR/Image" \
	"$BB/bin/busybox" "$QEMU_VERSION"
