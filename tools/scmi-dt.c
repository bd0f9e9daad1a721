// SPDX-License-Identifier: GPL-2.0-only
/*
 * scmi-dt: print the SCMI transport found in the host device tree
 * (/sys/firmware/fdt or FILE.dtb). Exit 0 if a usable SCMI node was found,
 * 1 if none, 2 on errors. (The same output as `scmictl dt` once that
 * subcommand exists: both call host_dt_print().)
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "backends/host_dt.h"

int main(int argc, char **argv)
{
	const char *file = NULL;
	bool json = false;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			puts("usage: scmi-dt [--json] [FILE.dtb]   (default /sys/firmware/fdt)");
			return 0;
		} else if (!file && argv[i][0] != '-') {
			file = argv[i];
		} else {
			fprintf(stderr, "usage: scmi-dt [--json] [FILE.dtb]\n");
			return 2;
		}
	}
	rc = host_dt_print(file, stdout, json);
	return rc < 0 ? 2 : rc;
}
