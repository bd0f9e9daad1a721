// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the Xen frontend's device discovery and lifecycle
 * (xen/be_watch.c) over an in-memory fake xenstore holding what libxl
 * writes: attach on a new entry (state 4, or 2 on the 4.17 virtio_disk
 * path), detach with state 6 when libxl closes the device, when the entry
 * goes away (nothing recreated) or the domain dies, entries that are not
 * ours or invalid, a guest the core refuses, attach-on-request only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mediator/log.h"
#include "xen/be_watch.h"

#define BE "/local/domain/0/backend"
#define MAX_NODES 128

/* ---- fake xenstore: a flat list of path = value ------------------------- */
struct store {
	unsigned n;
	struct { char path[160]; char val[160]; } node[MAX_NODES];
	unsigned writes;
};

static int st_find(struct store *s, const char *path)
{
	for (unsigned i = 0; i < s->n; i++)
		if (!strcmp(s->node[i].path, path))
			return (int)i;
	return -1;
}

static void st_set(struct store *s, const char *path, const char *val)
{
	int i = st_find(s, path);

	if (i < 0) {
		assert_true(s->n < MAX_NODES);
		i = (int)s->n++;
		strcpy(s->node[i].path, path);
	}
	strcpy(s->node[i].val, val);
}

/* Remove path and everything below it. */
static void st_rm(struct store *s, const char *path)
{
	size_t len = strlen(path);

	for (unsigned i = 0; i < s->n;) {
		if (!strncmp(s->node[i].path, path, len) &&
		    (s->node[i].path[len] == 0 || s->node[i].path[len] == '/'))
			s->node[i] = s->node[--s->n];
		else
			i++;
	}
}

static const char *st_get(struct store *s, const char *path)
{
	int i = st_find(s, path);

	return i < 0 ? NULL : s->node[i].val;
}

static unsigned count_below(struct store *s, const char *prefix)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->n; i++)
		n += !strncmp(s->node[i].path, prefix, strlen(prefix));
	return n;
}

static char *f_read(void *o, const char *path)
{
	const char *v = st_get(o, path);

	return v ? strdup(v) : NULL;
}

static char **f_directory(void *o, const char *path, unsigned *n)
{
	struct store *s = o;
	size_t len = strlen(path);
	char names[MAX_NODES][64];
	unsigned k = 0;
	char **out, *strs;

	for (unsigned i = 0; i < s->n; i++) {
		const char *p = s->node[i].path;
		const char *rest, *slash;
		size_t l;
		bool dup = false;

		if (strncmp(p, path, len) || p[len] != '/')
			continue;
		rest = p + len + 1;
		slash = strchr(rest, '/');
		l = slash ? (size_t)(slash - rest) : strlen(rest);
		for (unsigned j = 0; j < k; j++)
			if (strlen(names[j]) == l && !strncmp(names[j], rest, l))
				dup = true;
		if (!dup) {
			memcpy(names[k], rest, l);
			names[k++][l] = 0;
		}
	}
	*n = k;
	if (!k)
		return NULL;
	out = malloc(k * sizeof(char *) + k * 64);
	assert_non_null(out);
	strs = (char *)(out + k);
	for (unsigned j = 0; j < k; j++) {
		out[j] = strs + 64 * j;
		strcpy(out[j], names[j]);
	}
	return out;
}

static int f_write_existing(void *o, const char *path, const char *val)
{
	struct store *s = o;

	s->writes++;
	if (st_find(s, path) >= 0)
		st_set(s, path, val);
	return 0;
}

static const struct be_store_ops store_ops = {
	.read = f_read, .directory = f_directory, .write_existing = f_write_existing,
};

/* ---- fake device side ---------------------------------------------------- */
struct devs {
	unsigned created, destroyed;
	struct xs_be_dev last;
	char last_name[32];
	bool dead[16];
	int handle;
};

static void *d_create(void *o, const struct xs_be_dev *be, const char *be_path,
		      const char *name)
{
	struct devs *d = o;

	if (!strcmp(name, "stranger"))
		return NULL;            /* not a configured guest */
	d->created++;
	d->last = *be;
	strncpy(d->last_name, name, sizeof(d->last_name) - 1);
	return &d->handle;
}

static void d_destroy(void *o, void *dev)
{
	struct devs *d = o;

	assert_ptr_equal(dev, &d->handle);
	d->destroyed++;
}

static bool d_alive(void *o, unsigned domid)
{
	struct devs *d = o;

	return domid < 16 && !d->dead[domid];
}

static const struct be_dev_ops dev_ops = {
	.create = d_create, .destroy = d_destroy, .domain_alive = d_alive,
};

struct fx {
	struct store s;
	struct devs d;
	struct be_watch w;
};

static int setup(void **state)
{
	struct fx *f = test_calloc(1, sizeof(*f));

	be_watch_init(&f->w, BE, "/run/m", &store_ops, &f->s, &dev_ops, &f->d);
	log_set_level(LOG_LVL_ERROR);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	be_watch_detach(&f->w, -1);
	assert_int_equal(f->d.created, f->d.destroyed);
	test_free(f);
	return 0;
}

/* What libxl 4.18+ writes for virtio = [ "type=virtio,device20,..." ]. */
static void libxl_virtio(struct store *s, unsigned dom, unsigned dev, const char *name,
			 const char *type)
{
	char p[160], b[120];

	snprintf(b, sizeof(b), BE "/virtio/%u/%u", dom, dev);
#define K(k, v) do { snprintf(p, sizeof(p), "%s/%s", b, k); st_set(s, p, v); } while (0)
	K("frontend-id", "3");
	K("online", "1");
	K("state", "1");
	K("irq", "33");
	K("base", "0x2000000");
	K("type", type);
	K("transport", "mmio");
	K("grant_usage", "0");
#undef K
	snprintf(p, sizeof(p), "/local/domain/%u/name", dom);
	st_set(s, p, name);
}

static const char *state_of(struct fx *f, const char *kind, unsigned dom, unsigned dev)
{
	char p[160];

	snprintf(p, sizeof(p), BE "/%s/%u/%u/state", kind, dom, dev);
	return st_get(&f->s, p);
}

static void test_attach_and_close(void **state)
{
	struct fx *f = *state;

	libxl_virtio(&f->s, 3, 0, "domU1", "virtio,device20");
	be_watch_event(&f->w, BE "/virtio/3/0/state", true);
	assert_int_equal(f->d.created, 1);
	assert_string_equal(f->d.last_name, "domU1");
	assert_true(f->d.last.base == 0x2000000);
	assert_int_equal(f->d.last.irq, 33);
	assert_string_equal(state_of(f, "virtio", 3, 0), "4");
	assert_int_equal(f->w.n, 1);
	/* Our own state write fires the watch again: nothing new. */
	be_watch_event(&f->w, BE "/virtio/3/0/state", true);
	assert_int_equal(f->d.created, 1);

	/* xl destroy: libxl sets online 0 and state 5, waits for 6. */
	st_set(&f->s, BE "/virtio/3/0/online", "0");
	st_set(&f->s, BE "/virtio/3/0/state", "5");
	be_watch_event(&f->w, BE "/virtio/3/0/state", true);
	assert_int_equal(f->d.destroyed, 1);
	assert_string_equal(state_of(f, "virtio", 3, 0), "6");
	assert_int_equal(f->w.n, 0);
	/* Then libxl removes the entry: nothing to do, nothing recreated. */
	st_rm(&f->s, BE "/virtio/3");
	be_watch_event(&f->w, BE "/virtio/3/0", true);
	assert_null(state_of(f, "virtio", 3, 0));
	assert_int_equal(f->d.destroyed, 1);
}

static void test_entry_removed_and_domain_death(void **state)
{
	struct fx *f = *state;
	unsigned writes;

	libxl_virtio(&f->s, 4, 0, "a", "virtio,device20");
	libxl_virtio(&f->s, 5, 0, "b", "virtio,device20");
	be_watch_event(&f->w, BE "/virtio", true);        /* the watch's first firing */
	assert_int_equal(f->d.created, 2);

	/* The entry vanishes without a close: destroyed, and nothing is
	 * written below the removed directory. */
	writes = f->s.writes;
	st_rm(&f->s, BE "/virtio/4");
	be_watch_event(&f->w, BE "/virtio/4/0", true);
	assert_int_equal(f->d.destroyed, 1);
	assert_int_equal(count_below(&f->s, BE "/virtio/4/"), 0);
	assert_int_equal(f->s.writes, writes);

	/* @releaseDomain: domain 5 is dying. */
	f->d.dead[5] = true;
	be_watch_check_domains(&f->w);
	assert_int_equal(f->d.destroyed, 2);
	assert_string_equal(state_of(f, "virtio", 5, 0), "6");
}

static void test_not_ours_invalid_refused(void **state)
{
	struct fx *f = *state;

	libxl_virtio(&f->s, 6, 0, "gpio", "virtio,device29");
	libxl_virtio(&f->s, 7, 0, "bad", "virtio,device20");
	st_set(&f->s, BE "/virtio/7/0/base", "0x1000");
	libxl_virtio(&f->s, 8, 0, "stranger", "virtio,device20");
	be_watch_event(&f->w, BE "/virtio", true);
	assert_int_equal(f->d.created, 0);
	assert_int_equal(f->w.invalid, 1);
	/* Untouched: libxl's state stays. */
	assert_string_equal(state_of(f, "virtio", 6, 0), "1");
	assert_string_equal(state_of(f, "virtio", 7, 0), "1");
	assert_string_equal(state_of(f, "virtio", 8, 0), "1");
	/* An entry already connected (mediator restarted) is not taken. */
	libxl_virtio(&f->s, 9, 0, "old", "virtio,device20");
	st_set(&f->s, BE "/virtio/9/0/state", "4");
	be_watch_event(&f->w, BE "/virtio/9/0/state", true);
	assert_int_equal(f->d.created, 0);
}

/* Xen 4.17: the virtio_disk slot whose target is the marker. */
static void test_virtio_disk_417(void **state)
{
	struct fx *f = *state;
	static const char *const kv[][2] = {
		{ "params", "/run/m" }, { "frontend-id", "2" }, { "online", "1" },
		{ "state", "1" }, { "dev", "xvdz" }, { "type", "standalone" },
		{ "specification", "virtio" }, { "transport", "mmio" },
		{ "base", "33554432" }, { "irq", "33" },
	};
	char p[160];

	for (unsigned i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
		snprintf(p, sizeof(p), BE "/virtio_disk/2/51737/%s", kv[i][0]);
		st_set(&f->s, p, kv[i][1]);
	}
	st_set(&f->s, "/local/domain/2/name", "g417");
	/* A real virtio disk next to it. */
	st_set(&f->s, BE "/virtio_disk/2/51712/params", "/srv/disk.img");
	st_set(&f->s, BE "/virtio_disk/2/51712/state", "1");
	be_watch_event(&f->w, BE "/virtio_disk/2/51737/state", true);
	be_watch_event(&f->w, BE "/virtio_disk/2/51712/state", true);
	assert_int_equal(f->d.created, 1);
	assert_int_equal(f->d.last.kind, XS_BE_VIRTIO_DISK);
	assert_int_equal(f->d.last.device_id, 32);
	assert_int_equal(f->d.last.devid, 51737);
	/* libxl 4.17 waits for exactly InitWait. */
	assert_string_equal(state_of(f, "virtio_disk", 2, 51737), "2");
	assert_string_equal(state_of(f, "virtio_disk", 2, 51712), "1");

	/* Without a marker the path is ignored altogether. */
	be_watch_detach(&f->w, -1);
	assert_string_equal(state_of(f, "virtio_disk", 2, 51737), "6");
	st_set(&f->s, BE "/virtio_disk/2/51737/state", "1");
	be_watch_init(&f->w, BE, NULL, &store_ops, &f->s, &dev_ops, &f->d);
	be_watch_event(&f->w, BE "/virtio_disk/2/51737/state", true);
	assert_int_equal(be_watch_scan(&f->w, -1, true), 0);
	assert_int_equal(f->d.created, 1);
}

/* attach_on_request_only: the watch does not attach, the request does,
 * for that domain only. */
static void test_attach_on_request(void **state)
{
	struct fx *f = *state;

	libxl_virtio(&f->s, 10, 0, "x", "virtio,device20");
	libxl_virtio(&f->s, 11, 0, "y", "virtio,device20");
	be_watch_event(&f->w, BE "/virtio/10/0/state", false);
	assert_int_equal(f->d.created, 0);
	assert_int_equal(be_watch_scan(&f->w, 11, true), 1);
	assert_int_equal(f->d.created, 1);
	assert_int_equal(f->d.last.domid, 11);
	/* Asking again reports the device without creating another. */
	assert_int_equal(be_watch_scan(&f->w, 11, true), 1);
	assert_int_equal(f->d.created, 1);
	assert_int_equal(be_watch_scan(&f->w, 12, true), 0);
	be_watch_detach(&f->w, 11);
	assert_int_equal(f->d.destroyed, 1);
	assert_string_equal(state_of(f, "virtio", 11, 0), "6");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_attach_and_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_removed_and_domain_death, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_not_ours_invalid_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virtio_disk_417, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_on_request, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
