#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make build-xen420: build and unit-test scmi-mediator against Debian 13
# (trixie)'s libxen-dev 4.20 with trixie's gcc, on a Debian 12 host.
#
# A minimal trixie tree with the build dependencies is debootstrapped once
# and cached outside the repository, keyed by suite and package list; the
# .debs are kept next to it so that a rebuilt tree downloads nothing. The
# source tree is bind-mounted into the tree (in a private mount namespace,
# so nothing stays mounted), built there with -Werror into
# build/<suite>-gcc, and the whole test suite runs. Then
# `scmi-mediator --version` must report the expected Xen version.
#   XEN_BUILD_SUITE=S     Debian suite (default trixie)
#   XEN_BUILD_EXPECT=V    Xen version --version must report (default 4.20
#                         for trixie, 4.17 for bookworm)
#   XEN_BUILD_CACHE=DIR   cache (default /var/cache/scmi-mediator/xen-build)
#   XEN_BUILD_MIRROR=URL  Debian mirror (default http://deb.debian.org/debian)
#   XEN_BUILD_TESTS=PAT   run only the test binaries matching PAT (shell
#                         glob, default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)
SUITE=${XEN_BUILD_SUITE:-trixie}
case $SUITE in
trixie) def_expect=4.20 ;;
bookworm) def_expect=4.17 ;;
*) def_expect= ;;
esac
EXPECT=${XEN_BUILD_EXPECT:-$def_expect}
[ -n "$EXPECT" ] || { echo "build-xen420: set XEN_BUILD_EXPECT for suite $SUITE" >&2; exit 1; }
CACHE=${XEN_BUILD_CACHE:-/var/cache/scmi-mediator/xen-build}
MIRROR=${XEN_BUILD_MIRROR:-http://deb.debian.org/debian}
TESTS_GLOB=${XEN_BUILD_TESTS:-*}
# What tools/deps.sh installs on the host, minus clang and valgrind (the
# host's clang and sanitizer builds cover those).
PKGS="gcc libc6-dev make pkg-config libxen-dev libcmocka-dev libfdt-dev libjson-c-dev
device-tree-compiler python3"
ROOT="$CACHE/$SUITE"
BUILD="build/$SUITE-gcc"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
log() { echo "[build-xen420 $(date +%H:%M:%S)] $*"; }
t0=$(date +%s)

tools/deps.sh --pkgs "debootstrap debian-archive-keyring"
$SUDO mkdir -p "$CACHE"

key="$SUITE $MIRROR $(echo $PKGS)"
if [ ! -f "$ROOT/.complete" ] || [ "$(cat "$ROOT/.complete")" != "$key" ]; then
	log "debootstrap $SUITE with $(echo $PKGS | tr ' ' ',') into $ROOT"
	$SUDO rm -rf "$ROOT"
	$SUDO mkdir -p "$CACHE/debs-$SUITE"
	if ! $SUDO debootstrap --variant=minbase --include="$(echo $PKGS | tr ' ' ',')" \
		--cache-dir="$CACHE/debs-$SUITE" "$SUITE" "$ROOT" "$MIRROR" >"$CACHE/debootstrap-$SUITE.log" 2>&1; then
		tail -20 "$CACHE/debootstrap-$SUITE.log"
		log "debootstrap failed (log: $CACHE/debootstrap-$SUITE.log)"
		exit 1
	fi
	$SUDO mkdir -p "$ROOT/src"
	echo "$key" | $SUDO tee "$ROOT/.complete" >/dev/null
	log "tree ready in $(( $(date +%s) - t0 ))s"
fi

# Inside the tree: build with -Werror (the Makefile's WARN), run the tests,
# check --version. BUILD keeps the objects apart from the host's build/gcc.
inner=$(cat <<EOF
set -eu
cd /src
echo "gcc: \$(gcc -dumpfullversion), libxen-dev: \$(dpkg-query -W -f='\${Version}' libxen-dev)"
echo "pkg-config xencontrol: \$(pkg-config --modversion xencontrol)"
s=\$(date +%s)
make -j2 --no-print-directory BUILD=$BUILD HAVE_XEN=1 all tests
echo "build: \$(( \$(date +%s) - s ))s"
s=\$(date +%s)
tests=\$(ls -d $BUILD/tests/$TESTS_GLOB)
BUILD_BIN=/src/$BUILD/bin tests/run-tests.sh \$tests
echo "tests: \$(( \$(date +%s) - s ))s"
v=\$($BUILD/bin/scmi-mediator --version)
echo "\$v"
echo "\$v" | grep -q "libxen $EXPECT\\." || { echo "build-xen420: --version does not report libxen $EXPECT" >&2; exit 1; }
EOF
)
log "building and testing in $SUITE"
# A private mount namespace: the mounts vanish with the command.
$SUDO unshare --mount --propagation private sh -c '
	set -e
	mount --bind "$1" "$2/src"
	mount -t proc proc "$2/proc"
	mount --rbind /dev "$2/dev"   # with /dev/pts (test_smt_mailbox opens a pty)
	mount -t tmpfs tmpfs "$2/tmp"
	exec chroot "$2" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
		TEST_TIMEOUT="${TEST_TIMEOUT:-300}" sh -c "$3"' sh "$SRC" "$ROOT" "$inner"
log "done in $(( $(date +%s) - t0 ))s"
