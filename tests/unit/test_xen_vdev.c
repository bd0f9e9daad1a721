// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Xen frontend's device path without a hypervisor: a guest driver
 * (tests/support vring_drv over a test RAM) probes the virtio-mmio slot
 * through ioreqs, sets up the two virtio-scmi queues and sends SCMI
 * commands; the project's device model (scmi_dev) reaches guest memory
 * through xen/gmap with fake mappers that behave like grant and foreign
 * mappings: guest RAM is a memfd and every map is a fresh mmap of it (a
 * distinct address, really unmapped at unmap), read-only grants refuse
 * writable maps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>
#include <unistd.h>

#include "tools/client/vring_drv.h"
#include "xen/vdev.h"

#define BASE 0x02000000ull
#define RAM_SIZE (1u << 20)
#define GADDR(gpa) (GMAP_GRANT_ADDR_BIT | ((gpa) - VGUEST_GPA))

#define VGUEST_GPA 0x40000000ull

/* ---- the test guest's RAM: a memfd, the driver's view mapped once -------- */
struct tguest {
	int fd;
	uint8_t *ram;
	size_t brk;
};

static void tguest_init(struct tguest *g)
{
	g->fd = memfd_create("xen-vdev-guest", 0);
	assert_true(g->fd >= 0);
	assert_int_equal(ftruncate(g->fd, RAM_SIZE), 0);
	g->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, g->fd, 0);
	assert_true(g->ram != MAP_FAILED);
	g->brk = 0;
}

static void tguest_fini(struct tguest *g)
{
	munmap(g->ram, RAM_SIZE);
	close(g->fd);
}

static uint64_t tguest_alloc(struct tguest *g, size_t len, size_t align)
{
	size_t at = (g->brk + align - 1) & ~(align - 1);

	assert_true(at + len <= RAM_SIZE);
	g->brk = at + len;
	return VGUEST_GPA + at;
}

static void *tguest_hva(struct tguest *g, uint64_t gpa)
{
	return g->ram + (gpa - VGUEST_GPA);
}

/* ---- fake mappers over the test guest's RAM ------------------------------ */
struct fake_xen {
	struct tguest g;
	bool ro_ref[RAM_SIZE / 4096];   /* grant granted read-only */
	unsigned maps, unmaps, live, ro_maps, refused_rw;
	enum gmap_mode mode;
};

static void *fx_map(void *o, const uint64_t *frames, unsigned n, bool writable, int *err)
{
	struct fake_xen *x = o;
	uint64_t first;

	for (unsigned i = 0; i < n; i++) {
		uint64_t page;

		err[i] = 0;
		if (x->mode == GMAP_GRANT) {
			page = frames[i];               /* ref r = RAM page r */
			if (page >= RAM_SIZE / 4096)
				err[i] = -22;
			else if (writable && x->ro_ref[page]) {
				x->refused_rw++;
				return NULL;            /* gntdev mmap fails: EINVAL */
			}
		} else {
			page = frames[i] - (VGUEST_GPA >> 12);
			if (frames[i] < (VGUEST_GPA >> 12) || page >= RAM_SIZE / 4096)
				err[i] = -14;
		}
	}
	first = x->mode == GMAP_GRANT ? frames[0] : frames[0] - (VGUEST_GPA >> 12);
	if (first >= RAM_SIZE / 4096)
		return NULL;
	if (first + n > RAM_SIZE / 4096)
		return NULL;
	void *p = mmap(NULL, (size_t)n * 4096, PROT_READ | (writable ? PROT_WRITE : 0),
		       MAP_SHARED, x->g.fd, (off_t)(first * 4096));
	if (p == MAP_FAILED)
		return NULL;
	x->maps++;
	x->live++;
	x->ro_maps += !writable;
	return p;
}

static void fx_unmap(void *o, void *addr, unsigned n)
{
	struct fake_xen *x = o;

	assert_int_not_equal(x->live, 0);
	assert_int_equal(munmap(addr, (size_t)n * 4096), 0);
	x->live--;
	x->unmaps++;
}

static const struct gmap_mapper_ops fx_ops = { .map = fx_map, .unmap = fx_unmap };

/* ---- fake core: answers BASE_PROTOCOL_VERSION with 0x20000 -------------- */
struct core {
	struct xen_vdev *v;
	unsigned commands, resets;
	uint32_t last_hdr;
	size_t last_len, last_resp_max;
	bool defer;
	uint32_t deferred_cookie;
};

static void core_command(void *o, uint32_t cookie, const uint8_t *req, size_t len,
			 size_t resp_max)
{
	struct core *c = o;
	uint8_t resp[12];
	uint32_t v;

	c->commands++;
	memcpy(&c->last_hdr, req, 4);
	c->last_len = len;
	c->last_resp_max = resp_max;
	if (c->defer) {
		c->deferred_cookie = cookie;
		return;
	}
	memcpy(resp, req, 4);
	v = 0;
	memcpy(resp + 4, &v, 4);
	v = 0x20000;
	memcpy(resp + 8, &v, 4);
	scmi_dev_complete(xen_vdev_scmi(c->v), cookie, resp, sizeof(resp));
}

static void core_reset(void *o)
{
	((struct core *)o)->resets++;
}

static const struct scmi_dev_ops core_ops = { .command = core_command, .reset = core_reset };

struct fx {
	struct fake_xen x;
	struct core core;
	struct xen_vdev *v;
	int irq_up, irq_down;
	struct ioreq_slot slot;
	struct vring_drv *cmdq, *evq;
	uint64_t cmdq_gpa, evq_gpa;
};

static void irq_cb(void *o, bool level)
{
	struct fx *f = o;

	if (level)
		f->irq_up++;
	else
		f->irq_down++;
}

static int setup_mode(void **state, enum gmap_mode mode)
{
	struct fx *f = test_calloc(1, sizeof(*f));
	struct xen_vdev_params p = { .base = BASE, .p2a = true, .name = "domU" };

	tguest_init(&f->x.g);
	f->x.mode = mode;
	gmap_default_params(&p.gmap, mode);
	if (mode == GMAP_FOREIGN) {
		p.gmap.n_ram = 1;
		p.gmap.ram[0].base = VGUEST_GPA;
		p.gmap.ram[0].size = RAM_SIZE;
	} else {
		p.gmap.max_grant_ref = RAM_SIZE / 4096;
	}
	f->v = xen_vdev_new(&p, &fx_ops, &f->x, &core_ops, &f->core, irq_cb, f);
	assert_non_null(f->v);
	f->core.v = f->v;
	*state = f;
	return 0;
}

static int setup_foreign(void **state)
{
	return setup_mode(state, GMAP_FOREIGN);
}

static int setup_grant(void **state)
{
	return setup_mode(state, GMAP_GRANT);
}

static int teardown(void **state)
{
	struct fx *f = *state;

	xen_vdev_free(f->v);
	assert_int_equal(f->x.live, 0);
	free(f->cmdq);
	free(f->evq);
	tguest_fini(&f->x.g);
	test_free(f);
	return 0;
}

static uint64_t mmio_access(struct fx *f, int dir, uint64_t off, uint64_t data)
{
	memset(&f->slot, 0, sizeof(f->slot));
	f->slot.addr = BASE + off;
	f->slot.size = 4;
	f->slot.count = 1;
	f->slot.dir = dir;
	f->slot.type = IOREQ_SM_TYPE_COPY;
	f->slot.data = data;
	f->slot.state = IOREQ_SM_STATE_READY;
	assert_true(xen_vdev_serve(f->v, &f->slot));
	assert_int_equal(f->slot.state, IOREQ_SM_STATE_RESP_READY);
	return f->slot.data;
}

static uint32_t rd(struct fx *f, uint64_t off)
{
	return (uint32_t)mmio_access(f, IOREQ_SM_DIR_READ, off, 0);
}

static void wr(struct fx *f, uint64_t off, uint32_t v)
{
	mmio_access(f, IOREQ_SM_DIR_WRITE, off, v);
}

/* Device address of a guest RAM address in the current mode. */
static uint64_t daddr(struct fx *f, uint64_t gpa)
{
	return f->x.mode == GMAP_GRANT ? GADDR(gpa) : gpa;
}

static void setup_queue(struct fx *f, unsigned q, unsigned num, struct vring_drv **drv,
			uint64_t *gpa)
{
	size_t sz = vring_drv_ring_size(num);
	uint64_t ring = tguest_alloc(&f->x.g, sz, 4096);
	uint64_t d = daddr(f, ring);

	*drv = malloc(sizeof(**drv));
	assert_non_null(*drv);
	assert_int_equal(vring_drv_init(*drv, num, tguest_hva(&f->x.g, ring), d, true), 0);
	*gpa = ring;
	wr(f, VMMIO_QUEUE_SEL, q);
	assert_int_equal(rd(f, VMMIO_QUEUE_READY), 0);
	assert_int_equal(rd(f, VMMIO_QUEUE_NUM_MAX), 1024);
	wr(f, VMMIO_QUEUE_NUM, num);
	wr(f, VMMIO_QUEUE_DESC_LOW, (uint32_t)(*drv)->desc_gpa);
	wr(f, VMMIO_QUEUE_DESC_HIGH, (uint32_t)((*drv)->desc_gpa >> 32));
	wr(f, VMMIO_QUEUE_DRIVER_LOW, (uint32_t)(*drv)->avail_gpa);
	wr(f, VMMIO_QUEUE_DRIVER_HIGH, (uint32_t)((*drv)->avail_gpa >> 32));
	wr(f, VMMIO_QUEUE_DEVICE_LOW, (uint32_t)(*drv)->used_gpa);
	wr(f, VMMIO_QUEUE_DEVICE_HIGH, (uint32_t)((*drv)->used_gpa >> 32));
	wr(f, VMMIO_QUEUE_READY, 1);
}

/* The Linux probe, as in test_xen_vmmio, against the real device model. */
static void probe(struct fx *f)
{
	uint32_t hi, lo;

	assert_int_equal(rd(f, VMMIO_MAGIC_VALUE), VMMIO_MAGIC);
	assert_int_equal(rd(f, VMMIO_VERSION), 2);
	assert_int_equal(rd(f, VMMIO_DEVICE_ID), 32);
	wr(f, VMMIO_STATUS, 0);
	wr(f, VMMIO_STATUS, 1);
	wr(f, VMMIO_STATUS, 3);
	wr(f, VMMIO_DEVICE_FEATURES_SEL, 1);
	hi = rd(f, VMMIO_DEVICE_FEATURES);
	wr(f, VMMIO_DEVICE_FEATURES_SEL, 0);
	lo = rd(f, VMMIO_DEVICE_FEATURES);
	assert_true(hi & 1);                                  /* VERSION_1 */
	assert_int_equal(!!(hi & 2), f->x.mode == GMAP_GRANT); /* ACCESS_PLATFORM */
	assert_true(lo & (1u << VIRTIO_SCMI_F_P2A_CHANNELS));
	wr(f, VMMIO_DRIVER_FEATURES_SEL, 1);
	wr(f, VMMIO_DRIVER_FEATURES, hi);
	wr(f, VMMIO_DRIVER_FEATURES_SEL, 0);
	wr(f, VMMIO_DRIVER_FEATURES, lo);
	wr(f, VMMIO_STATUS, 0xb);
	assert_int_equal(rd(f, VMMIO_STATUS), 0xb);
	setup_queue(f, 0, 8, &f->cmdq, &f->cmdq_gpa);
	setup_queue(f, 1, 8, &f->evq, &f->evq_gpa);
	wr(f, VMMIO_STATUS, 0xf);
	assert_true(vmmio_driver_ok(&f->v->vm));
	assert_true(scmi_dev_queue_ready(xen_vdev_scmi(f->v), 0));
	assert_true(scmi_dev_queue_ready(xen_vdev_scmi(f->v), 1));
}

/* One BASE_PROTOCOL_VERSION round trip; returns the used length. */
static uint32_t round_trip(struct fx *f)
{
	uint64_t req = tguest_alloc(&f->x.g, 4096, 4096);
	uint64_t resp = tguest_alloc(&f->x.g, 4096, 4096);
	uint32_t hdr = 0x10u << 10;
	struct vring_drv_buf out = { daddr(f, req), 4 }, in = { daddr(f, resp), 128 };
	struct vring_drv_used u;
	int irqs = f->irq_up;
	uint32_t word;

	memcpy(tguest_hva(&f->x.g, req), &hdr, 4);
	if (f->x.mode == GMAP_GRANT)
		f->x.ro_ref[(req - VGUEST_GPA) >> 12] = true;   /* DMA_TO_DEVICE */
	assert_true(vring_drv_add(f->cmdq, &out, 1, &in, 1, f, false) >= 0);
	vring_drv_publish(f->cmdq);
	/* EVENT_IDX: ask for the interrupt before waiting for it. */
	assert_false(vring_drv_enable_cb(f->cmdq));
	wr(f, VMMIO_QUEUE_NOTIFY, 0);
	if (f->core.defer)
		return 0;
	assert_int_equal(f->core.last_hdr, hdr);
	assert_int_equal(f->core.last_len, 4);
	assert_int_equal(vring_drv_get_used(f->cmdq, &u), 1);
	assert_ptr_equal(u.data, f);
	memcpy(&word, (uint8_t *)tguest_hva(&f->x.g, resp) + 8, 4);
	assert_int_equal(word, 0x20000);
	assert_int_equal(f->irq_up, irqs + 1);
	assert_int_equal(rd(f, VMMIO_INTERRUPT_STATUS), VMMIO_INT_VRING);
	wr(f, VMMIO_INTERRUPT_ACK, VMMIO_INT_VRING);
	return u.len;
}

static void test_foreign_round_trip(void **state)
{
	struct fx *f = *state;

	probe(f);
	unsigned pinned = gmap_pinned(&f->v->gmap), resets = f->core.resets;

	assert_true(pinned > 0);
	assert_int_equal(round_trip(f), 12);
	assert_int_equal(round_trip(f), 12);
	assert_int_equal(f->core.commands, 2);
	/* Foreign mappings stay cached: rings pinned plus buffer chunks,
	 * reused by the second round trip. */
	assert_true(gmap_mapped(&f->v->gmap) >= pinned);
	assert_int_equal(gmap_pinned(&f->v->gmap), pinned);
	assert_true(gmap_stats(&f->v->gmap)->hits > 0);
	/* Reset by the driver: core told, rings released. */
	wr(f, VMMIO_STATUS, 0);
	assert_int_equal(f->core.resets, resets + 1);
	assert_int_equal(gmap_pinned(&f->v->gmap), 0);
	assert_int_equal(gmap_mapped(&f->v->gmap), 0);
	assert_int_equal(f->x.live, 0);
	/* And the driver can probe again. */
	free(f->cmdq);
	free(f->evq);
	probe(f);
	assert_int_equal(round_trip(f), 12);
}

static void test_grant_round_trip(void **state)
{
	struct fx *f = *state;
	unsigned pinned;

	probe(f);
	pinned = gmap_pinned(&f->v->gmap);
	assert_true(pinned > 0);
	assert_int_equal(gmap_mapped(&f->v->gmap), pinned);
	assert_int_equal(round_trip(f), 12);
	/* The read-only request grant was mapped read-only, and nothing but
	 * the rings is still mapped once the buffer went back to the guest. */
	assert_int_equal(f->x.refused_rw, 0);
	assert_true(f->x.ro_maps >= 1);
	assert_int_equal(gmap_mapped(&f->v->gmap), pinned);
	assert_int_equal(f->x.live, pinned);
	assert_int_equal(round_trip(f), 12);
	assert_int_equal(gmap_mapped(&f->v->gmap), pinned);
}

/* Without ACCESS_PLATFORM a grant-mode device refuses FEATURES_OK. */
static void test_grant_requires_access_platform(void **state)
{
	struct fx *f = *state;

	wr(f, VMMIO_STATUS, 3);
	wr(f, VMMIO_DRIVER_FEATURES_SEL, 1);
	wr(f, VMMIO_DRIVER_FEATURES, 1);
	wr(f, VMMIO_STATUS, 0xb);
	assert_int_equal(rd(f, VMMIO_STATUS), 3);
}

/* Ring addresses outside guest RAM (foreign) or without the grant bit
 * (grant): the queue does not start, nothing stays mapped. */
static void test_bad_ring_addresses(void **state)
{
	struct fx *f = *state;

	wr(f, VMMIO_STATUS, 3);
	wr(f, VMMIO_DRIVER_FEATURES_SEL, 1);
	wr(f, VMMIO_DRIVER_FEATURES, 1);
	wr(f, VMMIO_STATUS, 0xb);
	wr(f, VMMIO_QUEUE_SEL, 0);
	wr(f, VMMIO_QUEUE_NUM, 1024);
	wr(f, VMMIO_QUEUE_DESC_LOW, 0x40000000 + RAM_SIZE - 4096);  /* desc runs off RAM */
	wr(f, VMMIO_QUEUE_DRIVER_LOW, 0x40000000);
	wr(f, VMMIO_QUEUE_DEVICE_LOW, 0x40001000);
	wr(f, VMMIO_QUEUE_READY, 1);
	assert_int_equal(rd(f, VMMIO_QUEUE_READY), 0);
	wr(f, VMMIO_QUEUE_DESC_LOW, 0x02000000);                    /* MMIO, not RAM */
	wr(f, VMMIO_QUEUE_READY, 1);
	assert_int_equal(rd(f, VMMIO_QUEUE_READY), 0);
	assert_int_equal(gmap_pinned(&f->v->gmap), 0);
	assert_int_equal(f->x.live, gmap_mapped(&f->v->gmap));
	assert_int_equal(vmmio_stats(&f->v->vm)->bad_queue_setup, 2);
}

/* A command still in flight when the guest resets: the core is told, the
 * late completion is ignored, the guest's memory is not touched. */
static void test_reset_with_command_in_flight(void **state)
{
	struct fx *f = *state;

	unsigned resets;

	probe(f);
	resets = f->core.resets;
	f->core.defer = true;
	round_trip(f);
	assert_int_equal(scmi_dev_inflight(xen_vdev_scmi(f->v)), 1);
	wr(f, VMMIO_STATUS, 0);
	assert_int_equal(f->core.resets, resets + 1);
	scmi_dev_complete(xen_vdev_scmi(f->v), f->core.deferred_cookie,
			  (const uint8_t *)"\0\0\0\0\0\0\0\0", 8);
	assert_int_equal(f->x.live, 0);
	assert_int_equal(f->irq_up, 0);
}

/* Interrupt from the eventq: a P2A message reaches a posted buffer. */
static void test_event_delivery(void **state)
{
	struct fx *f = *state;
	uint64_t buf;
	struct vring_drv_buf in;
	struct vring_drv_used u;
	/* A BASE notification (type 3, protocol 0x10): hdr 0x4300. */
	const uint8_t msg[12] = { 0x00, 0x43, 0x00, 0x00, 1, 0, 0, 0, 2, 0, 0, 0 };

	probe(f);
	buf = tguest_alloc(&f->x.g, 4096, 4096);
	in.gpa = daddr(f, buf);
	in.len = 128;
	assert_true(vring_drv_add(f->evq, NULL, 0, &in, 1, f, false) >= 0);
	vring_drv_publish(f->evq);
	wr(f, VMMIO_QUEUE_NOTIFY, 1);
	assert_int_equal(scmi_dev_event(xen_vdev_scmi(f->v), msg, sizeof(msg)), 0);
	assert_int_equal(vring_drv_get_used(f->evq, &u), 1);
	assert_int_equal(u.len, sizeof(msg));
	assert_memory_equal(tguest_hva(&f->x.g, buf), msg, sizeof(msg));
	assert_int_equal(f->irq_up, 1);
	assert_int_equal(rd(f, VMMIO_INTERRUPT_STATUS), VMMIO_INT_VRING);
}

static void test_ioreq_outside_slot(void **state)
{
	struct fx *f = *state;

	memset(&f->slot, 0, sizeof(f->slot));
	f->slot.addr = BASE + VMMIO_REGION_SIZE;
	f->slot.size = 4;
	f->slot.count = 1;
	f->slot.dir = IOREQ_SM_DIR_READ;
	f->slot.type = IOREQ_SM_TYPE_COPY;
	f->slot.state = IOREQ_SM_STATE_READY;
	assert_true(xen_vdev_serve(f->v, &f->slot));
	assert_int_equal(f->slot.data, 0xffffffffu);
	assert_int_equal(f->v->ioreq_stats.failed, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_foreign_round_trip, setup_foreign, teardown),
		cmocka_unit_test_setup_teardown(test_grant_round_trip, setup_grant, teardown),
		cmocka_unit_test_setup_teardown(test_grant_requires_access_platform, setup_grant,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_ring_addresses, setup_foreign, teardown),
		cmocka_unit_test_setup_teardown(test_reset_with_command_in_flight, setup_grant,
						teardown),
		cmocka_unit_test_setup_teardown(test_event_delivery, setup_foreign, teardown),
		cmocka_unit_test_setup_teardown(test_ioreq_outside_slot, setup_foreign, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
