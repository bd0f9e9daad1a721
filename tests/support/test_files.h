/* SPDX-License-Identifier: GPL-2.0-only */
/* Small files written by tests (configs, policies) into their scratch dir. */
#ifndef TEST_FILES_H
#define TEST_FILES_H
#include <sys/types.h>

/* Write text to dir/name (created or truncated) with the given mode;
 * any failure fails the running cmocka test. */
void test_write_file(const char *dir, const char *name, const char *text, mode_t mode);
/* Remove dir and everything in it; a failure fails the running test. */
void test_remove_dir(const char *dir);

#endif
