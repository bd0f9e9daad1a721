#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs the trixie tree's qemu-system-aarch64 (QEMU 10, with vhost-user-scmi)
# from the host without chroot. If the host has its own QEMU modules, they
# are hidden behind the tree's in a private mount namespace, otherwise the
# trixie binary would try to load the host's (incompatible) modules.
set -eu
CACHE=${SCMI_E2E_CACHE:-/var/cache/scmi-mediator/e2e}
T="$CACHE/trixie"
libs="$T/lib/x86_64-linux-gnu:$T/usr/lib/x86_64-linux-gnu"
cmd=("$T/lib64/ld-linux-x86-64.so.2" --library-path "$libs" "$T/usr/bin/qemu-system-aarch64" -L "$T/usr/share/qemu")
if [ -d /usr/lib/x86_64-linux-gnu/qemu ] && [ -z "${SCMI_QEMU_NS:-}" ]; then
	export SCMI_QEMU_NS=1
	exec unshare -m sh -c 'mount --bind "$1/usr/lib/x86_64-linux-gnu/qemu" /usr/lib/x86_64-linux-gnu/qemu && shift && exec "$@"' \
		sh "$T" "${cmd[@]}" "$@"
fi
export QEMU_MODULE_DIR="$T/usr/lib/x86_64-linux-gnu/qemu"
exec "${cmd[@]}" "$@"
