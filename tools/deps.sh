#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs what scmi-mediator needs to build, test and run the demo, from
# Debian's archive. Idempotent: does nothing when everything is present.
#   tools/deps.sh              install build/test/demo dependencies
#   tools/deps.sh --check-build   only check, print the command to fix
#   tools/deps.sh --pkgs "A B"    install these packages instead (the e2e
#                                 setups and make kmod use it)
set -eu
PKGS="build-essential pkg-config libxen-dev libcmocka-dev libfdt-dev libjson-c-dev
device-tree-compiler clang libclang-rt-14-dev valgrind python3"
if [ "${1:-}" = --pkgs ]; then
	PKGS=$2
	shift 2
fi
missing=()
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${1:-}" = --check-build ]; then
	echo "missing packages: ${missing[*]} (run tools/deps.sh)" >&2
	exit 1
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
