#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the guest initramfs: busybox-static (arm64), /init, scmi-raw
# (cross-compiled, static), the guest's step list and, optionally, the
# steps it runs after its report (guest/init).
#   mkinitrd.sh OUT.cpio.gz BUSYBOX STEPS_FILE [AFTER_STEPS_FILE]
set -euo pipefail
out=$1; bb=$2; steps=$3; after=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,sbin,etc,proc,sys,dev,tmp,usr/bin}
cp "$bb" "$tmp/bin/busybox"
for a in sh mount sed grep cat echo sleep dmesg cut readlink basename poweroff seq ls awk tr head tail; do
	ln -s busybox "$tmp/bin/$a"
done
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$tmp/bin/scmi-raw" "$here/guest/scmi-raw.c"
install -m 0755 "$here/guest/init" "$tmp/init"
cp "$steps" "$tmp/etc/e2e.steps"
[ -z "$after" ] || cp "$after" "$tmp/etc/e2e.after"
(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -9) >"$out"
