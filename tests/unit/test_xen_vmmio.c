// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the Xen frontend's virtio-mmio register file and of the
 * ioreq state machine, driven by recorded access sequences: the probe a
 * Linux guest performs (drivers/virtio/virtio_mmio.c + virtio core:
 * magic/version/id reads, reset, ACK, DRIVER, feature words, FEATURES_OK,
 * two queues, DRIVER_OK, notify) delivered as ioreqs through a shared
 * ioreq slot, then misbehaving drivers. The device behind the register
 * file is a fake that records what it was asked to do.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "xen/ioreq_sm.h"
#include "xen/virtio_mmio.h"

#define BASE 0x02000000ull

/* ---- fake device --------------------------------------------------------- */
struct fake_dev {
	uint64_t host_features;
	uint64_t features;
	int set_features_calls;
	int starts, stops, resets;
	unsigned kicks[VMMIO_MAX_QUEUES];
	unsigned last_num[VMMIO_MAX_QUEUES];
	uint64_t last_desc[VMMIO_MAX_QUEUES], last_drv[VMMIO_MAX_QUEUES];
	uint64_t last_dev[VMMIO_MAX_QUEUES];
	int refuse_start;
	int irq_up, irq_down;
	bool level;
};

static uint64_t fd_host_features(void *o)
{
	return ((struct fake_dev *)o)->host_features;
}

static void fd_set_features(void *o, uint64_t f)
{
	struct fake_dev *d = o;

	d->features = f;
	d->set_features_calls++;
}

static int fd_queue_start(void *o, unsigned q, unsigned num, uint64_t desc, uint64_t drv,
			  uint64_t dev)
{
	struct fake_dev *d = o;

	if (d->refuse_start)
		return -1;
	d->starts++;
	d->last_num[q] = num;
	d->last_desc[q] = desc;
	d->last_drv[q] = drv;
	d->last_dev[q] = dev;
	return 0;
}

static void fd_queue_stop(void *o, unsigned q)
{
	((struct fake_dev *)o)->stops++;
}

static void fd_kick(void *o, unsigned q)
{
	((struct fake_dev *)o)->kicks[q]++;
}

static void fd_reset(void *o)
{
	((struct fake_dev *)o)->resets++;
}

static void fd_irq(void *o, bool level)
{
	struct fake_dev *d = o;

	if (level)
		d->irq_up++;
	else
		d->irq_down++;
	d->level = level;
}

static const struct vmmio_dev_ops fd_ops = {
	.host_features = fd_host_features,
	.set_features = fd_set_features,
	.queue_start = fd_queue_start,
	.queue_stop = fd_queue_stop,
	.kick = fd_kick,
	.reset = fd_reset,
};

struct fixture {
	struct fake_dev dev;
	struct vmmio vm;
	struct ioreq_slot slot;
	struct ioreq_sm_stats st;
	int notifies;
};

/* virtio-scmi offers P2A (bit 0), INDIRECT (28), EVENT_IDX (29), VERSION_1. */
#define SCMI_FEATURES ((1ull << 0) | (1ull << 28) | (1ull << 29) | VMMIO_F_VERSION_1)

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));
	struct vmmio_params p = {
		.device_id = 32, .vendor_id = VMMIO_VENDOR_SCMIMED,
		.num_queues = 2, .queue_num_max = VMMIO_QUEUE_NUM_MAX_DEFAULT,
	};

	f->dev.host_features = SCMI_FEATURES;
	assert_int_equal(vmmio_init(&f->vm, &p, &fd_ops, &f->dev, fd_irq, &f->dev), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	test_free(*state);
	return 0;
}

/* ---- the glue a frontend has: address decode into the register file ---- */
static int mm_read(void *o, uint64_t addr, unsigned size, uint64_t *val)
{
	struct fixture *f = o;

	if (addr < BASE || addr - BASE >= VMMIO_REGION_SIZE)
		return -1;
	return vmmio_read(&f->vm, addr - BASE, size, val);
}

static int mm_write(void *o, uint64_t addr, unsigned size, uint64_t val)
{
	struct fixture *f = o;

	if (addr < BASE || addr - BASE >= VMMIO_REGION_SIZE)
		return -1;
	return vmmio_write(&f->vm, addr - BASE, size, val);
}

static int invalidations;

static void mm_invalidate(void *o)
{
	invalidations++;
}

static const struct ioreq_sm_ops sm_ops = {
	.mmio_read = mm_read, .mmio_write = mm_write, .invalidate = mm_invalidate,
};

/* Xen's side: publish one request in the slot and let the server run. */
static uint64_t xen_access(struct fixture *f, int dir, uint64_t off, unsigned size,
			   uint64_t data)
{
	memset(&f->slot, 0, sizeof(f->slot));
	f->slot.addr = BASE + off;
	f->slot.size = size;
	f->slot.count = 1;
	f->slot.dir = dir;
	f->slot.type = IOREQ_SM_TYPE_COPY;
	f->slot.data = dir == IOREQ_SM_DIR_WRITE ? data : 0xdeadbeefcafef00dull;
	f->slot.state = IOREQ_SM_STATE_READY;
	assert_true(ioreq_sm_serve(&f->slot, &sm_ops, f, &f->st));
	assert_int_equal(f->slot.state, IOREQ_SM_STATE_RESP_READY);
	f->notifies++;
	return f->slot.data;
}

static uint32_t rd(struct fixture *f, uint64_t off)
{
	return (uint32_t)xen_access(f, IOREQ_SM_DIR_READ, off, 4, 0);
}

static void wr(struct fixture *f, uint64_t off, uint32_t v)
{
	xen_access(f, IOREQ_SM_DIR_WRITE, off, 4, v);
}

/* One recorded access: R expects `val`, W writes it. */
struct acc {
	char op;
	uint16_t off;
	uint32_t val;
};

static void play(struct fixture *f, const struct acc *seq, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (seq[i].op == 'W') {
			wr(f, seq[i].off, seq[i].val);
		} else {
			uint32_t v = rd(f, seq[i].off);

			if (v != seq[i].val)
				fail_msg("step %zu: read 0x%03x = 0x%x, expected 0x%x", i,
					 seq[i].off, v, seq[i].val);
		}
	}
}

#define DESC0 0x48001000ull
#define DESC1 0x8000000000023000ull   /* a grant address: bit 63 set */

/* Linux 6.12 virtio_mmio_probe + virtio_dev_probe + vm_find_vqs(2 queues). */
static const struct acc linux_probe[] = {
	{ 'R', VMMIO_MAGIC_VALUE, VMMIO_MAGIC },
	{ 'R', VMMIO_VERSION, 2 },
	{ 'R', VMMIO_DEVICE_ID, 32 },
	{ 'R', VMMIO_VENDOR_ID, VMMIO_VENDOR_SCMIMED },
	{ 'W', VMMIO_STATUS, 0 },                       /* register_virtio_device: reset */
	{ 'R', VMMIO_STATUS, 0 },
	{ 'W', VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE },
	{ 'R', VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE },
	{ 'W', VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER },
	{ 'W', VMMIO_DEVICE_FEATURES_SEL, 1 },
	{ 'R', VMMIO_DEVICE_FEATURES, 1 },             /* VERSION_1 */
	{ 'W', VMMIO_DEVICE_FEATURES_SEL, 0 },
	{ 'R', VMMIO_DEVICE_FEATURES, (1u << 0) | (1u << 28) | (1u << 29) },
	{ 'W', VMMIO_DRIVER_FEATURES_SEL, 1 },
	{ 'W', VMMIO_DRIVER_FEATURES, 1 },
	{ 'W', VMMIO_DRIVER_FEATURES_SEL, 0 },
	{ 'W', VMMIO_DRIVER_FEATURES, (1u << 0) | (1u << 28) },
	{ 'W', VMMIO_STATUS, 0xb },                     /* + FEATURES_OK */
	{ 'R', VMMIO_STATUS, 0xb },                     /* it stuck */
	/* queue 0 (cmdq) */
	{ 'W', VMMIO_QUEUE_SEL, 0 },
	{ 'R', VMMIO_QUEUE_READY, 0 },
	{ 'R', VMMIO_QUEUE_NUM_MAX, 1024 },
	{ 'W', VMMIO_QUEUE_NUM, 256 },
	{ 'W', VMMIO_QUEUE_DESC_LOW, (uint32_t)DESC0 },
	{ 'W', VMMIO_QUEUE_DESC_HIGH, (uint32_t)(DESC0 >> 32) },
	{ 'W', VMMIO_QUEUE_DRIVER_LOW, (uint32_t)(DESC0 + 0x1000) },
	{ 'W', VMMIO_QUEUE_DRIVER_HIGH, 0 },
	{ 'W', VMMIO_QUEUE_DEVICE_LOW, (uint32_t)(DESC0 + 0x2000) },
	{ 'W', VMMIO_QUEUE_DEVICE_HIGH, 0 },
	{ 'W', VMMIO_QUEUE_READY, 1 },
	/* queue 1 (eventq) */
	{ 'W', VMMIO_QUEUE_SEL, 1 },
	{ 'R', VMMIO_QUEUE_READY, 0 },
	{ 'R', VMMIO_QUEUE_NUM_MAX, 1024 },
	{ 'W', VMMIO_QUEUE_NUM, 256 },
	{ 'W', VMMIO_QUEUE_DESC_LOW, (uint32_t)DESC1 },
	{ 'W', VMMIO_QUEUE_DESC_HIGH, (uint32_t)(DESC1 >> 32) },
	{ 'W', VMMIO_QUEUE_DRIVER_LOW, (uint32_t)(DESC1 + 0x1000) },
	{ 'W', VMMIO_QUEUE_DRIVER_HIGH, (uint32_t)(DESC1 >> 32) },
	{ 'W', VMMIO_QUEUE_DEVICE_LOW, (uint32_t)(DESC1 + 0x2000) },
	{ 'W', VMMIO_QUEUE_DEVICE_HIGH, (uint32_t)(DESC1 >> 32) },
	{ 'W', VMMIO_QUEUE_READY, 1 },
	{ 'R', VMMIO_QUEUE_READY, 1 },
	{ 'W', VMMIO_STATUS, 0xf },                     /* DRIVER_OK */
	{ 'R', VMMIO_STATUS, 0xf },
	{ 'W', VMMIO_QUEUE_NOTIFY, 1 },                 /* eventq buffers posted */
	{ 'W', VMMIO_QUEUE_NOTIFY, 0 },                 /* first command */
};

static void test_linux_probe_sequence(void **state)
{
	struct fixture *f = *state;

	play(f, linux_probe, sizeof(linux_probe) / sizeof(linux_probe[0]));
	assert_int_equal(f->dev.resets, 1);
	assert_int_equal(f->dev.set_features_calls, 1);
	assert_true(f->dev.features == (VMMIO_F_VERSION_1 | 1u | (1u << 28)));
	assert_int_equal(f->dev.starts, 2);
	assert_int_equal(f->dev.last_num[0], 256);
	assert_true(f->dev.last_desc[0] == DESC0);
	assert_true(f->dev.last_drv[0] == DESC0 + 0x1000);
	assert_true(f->dev.last_dev[0] == DESC0 + 0x2000);
	assert_true(f->dev.last_desc[1] == DESC1);
	assert_true(f->dev.last_dev[1] == DESC1 + 0x2000);
	assert_int_equal(f->dev.kicks[0], 1);
	assert_int_equal(f->dev.kicks[1], 1);
	assert_true(vmmio_driver_ok(&f->vm));
	assert_int_equal(vmmio_stats(&f->vm)->bad_access, 0);
	assert_int_equal(f->st.rejected, 0);
	assert_int_equal(f->st.failed, 0);
	assert_int_equal(f->notifies, (int)(sizeof(linux_probe) / sizeof(linux_probe[0])));

	/* The device completes a command: interrupt, then the guest's
	 * vm_interrupt(): read status, ack it. */
	vmmio_notify_used(&f->vm, 0);
	assert_int_equal(f->dev.irq_up, 1);
	assert_int_equal(rd(f, VMMIO_INTERRUPT_STATUS), VMMIO_INT_VRING);
	wr(f, VMMIO_INTERRUPT_ACK, VMMIO_INT_VRING);
	assert_int_equal(rd(f, VMMIO_INTERRUPT_STATUS), 0);
	assert_int_equal(f->dev.irq_down, 1);
	assert_false(f->dev.level);

	/* Driver removal: reset, queues gone. */
	wr(f, VMMIO_STATUS, 0);
	assert_int_equal(f->dev.resets, 2);
	assert_int_equal(rd(f, VMMIO_STATUS), 0);
	wr(f, VMMIO_QUEUE_SEL, 0);
	assert_int_equal(rd(f, VMMIO_QUEUE_READY), 0);
	assert_int_equal(rd(f, VMMIO_QUEUE_DESC_LOW), 0);
}

/* Read of every identification / absent register. */
static void test_register_values(void **state)
{
	struct fixture *f = *state;
	uint64_t v;

	assert_int_equal(rd(f, VMMIO_SHM_LEN_LOW), 0xffffffffu);
	assert_int_equal(rd(f, VMMIO_SHM_LEN_HIGH), 0xffffffffu);
	assert_int_equal(rd(f, VMMIO_SHM_BASE_LOW), 0xffffffffu);
	assert_int_equal(rd(f, VMMIO_SHM_BASE_HIGH), 0xffffffffu);
	assert_int_equal(rd(f, VMMIO_CONFIG_GENERATION), 0);
	assert_int_equal(rd(f, VMMIO_QUEUE_RESET), 0);
	assert_int_equal(rd(f, VMMIO_LEGACY_QUEUE_PFN), 0);
	/* Feature word 2 and up: nothing. */
	wr(f, VMMIO_DEVICE_FEATURES_SEL, 2);
	assert_int_equal(rd(f, VMMIO_DEVICE_FEATURES), 0);
	/* No such queue. */
	wr(f, VMMIO_QUEUE_SEL, 2);
	assert_int_equal(rd(f, VMMIO_QUEUE_NUM_MAX), 0);
	assert_int_equal(rd(f, VMMIO_QUEUE_READY), 0);
	/* Config space of virtio-scmi: empty, reads 0 at any width <= 4. */
	assert_int_equal(vmmio_read(&f->vm, VMMIO_CONFIG, 1, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(vmmio_read(&f->vm, VMMIO_CONFIG + 4, 4, &v), 0);
	assert_int_equal(v, 0);
	/* Config change bumps the generation; no interrupt before DRIVER_OK. */
	vmmio_config_changed(&f->vm);
	assert_int_equal(rd(f, VMMIO_CONFIG_GENERATION), 1);
	assert_int_equal(f->dev.irq_up, 0);
}

/* Accesses of sizes 1/2/8 to control registers, unaligned ones and ones
 * past the region are bad: reads give 0 through the register file, and
 * all ones at the ioreq level when the address is not ours. */
static void test_bad_sizes_and_offsets(void **state)
{
	struct fixture *f = *state;
	uint64_t v = 0;

	assert_int_equal(vmmio_read(&f->vm, VMMIO_MAGIC_VALUE, 1, &v), -1);
	assert_int_equal(v, 0);
	assert_int_equal(vmmio_read(&f->vm, VMMIO_MAGIC_VALUE, 2, &v), -1);
	assert_int_equal(vmmio_read(&f->vm, VMMIO_MAGIC_VALUE, 8, &v), -1);
	assert_int_equal(vmmio_read(&f->vm, 0x002, 4, &v), -1);
	assert_int_equal(vmmio_read(&f->vm, VMMIO_REGION_SIZE, 4, &v), -1);
	assert_int_equal(vmmio_read(&f->vm, VMMIO_MAGIC_VALUE, 3, &v), -1);
	assert_int_equal(vmmio_write(&f->vm, VMMIO_STATUS, 1, 1), -1);
	assert_int_equal(vmmio_write(&f->vm, VMMIO_STATUS, 8, 1), -1);
	assert_int_equal(vmmio_write(&f->vm, VMMIO_CONFIG, 4, 1), -1);
	assert_int_equal(vmmio_write(&f->vm, VMMIO_MAGIC_VALUE, 4, 1), -1);
	assert_int_equal(vmmio_stats(&f->vm)->bad_access, 10);
	/* Status untouched by the bad writes. */
	assert_int_equal(rd(f, VMMIO_STATUS), 0);

	/* Through the ioreq: 1-byte read of magic fails -> 0xff. */
	assert_int_equal(xen_access(f, IOREQ_SM_DIR_READ, VMMIO_MAGIC_VALUE, 1, 0), 0xff);
	/* 2-byte read outside the region -> 0xffff. */
	assert_int_equal(xen_access(f, IOREQ_SM_DIR_READ, 0x1000, 2, 0), 0xffff);
	/* 8-byte read outside -> all ones. */
	assert_true(xen_access(f, IOREQ_SM_DIR_READ, 0x1000, 8, 0) == ~0ull);
	assert_int_equal(f->st.failed, 3);
}

/* Request shapes the server must refuse without touching the device. */
static void test_ioreq_rejects(void **state)
{
	struct fixture *f = *state;

	/* data_is_ptr write of status: ignored. */
	memset(&f->slot, 0, sizeof(f->slot));
	f->slot.addr = BASE + VMMIO_STATUS;
	f->slot.size = 4;
	f->slot.count = 1;
	f->slot.data_is_ptr = 1;
	f->slot.data = 1;
	f->slot.type = IOREQ_SM_TYPE_COPY;
	f->slot.state = IOREQ_SM_STATE_READY;
	assert_true(ioreq_sm_serve(&f->slot, &sm_ops, f, &f->st));
	assert_int_equal(rd(f, VMMIO_STATUS), 0);

	/* rep count 2 read: all ones, no device read. */
	memset(&f->slot, 0, sizeof(f->slot));
	f->slot.addr = BASE + VMMIO_MAGIC_VALUE;
	f->slot.size = 4;
	f->slot.count = 2;
	f->slot.dir = IOREQ_SM_DIR_READ;
	f->slot.type = IOREQ_SM_TYPE_COPY;
	f->slot.state = IOREQ_SM_STATE_READY;
	assert_true(ioreq_sm_serve(&f->slot, &sm_ops, f, &f->st));
	assert_int_equal(f->slot.data, 0xffffffffu);

	/* size 3 and size 16. */
	f->slot.count = 1;
	f->slot.size = 3;
	f->slot.state = IOREQ_SM_STATE_READY;
	assert_true(ioreq_sm_serve(&f->slot, &sm_ops, f, &f->st));
	assert_true(f->slot.data == ~0ull);
	f->slot.size = 16;
	f->slot.state = IOREQ_SM_STATE_READY;
	assert_true(ioreq_sm_serve(&f->slot, &sm_ops, f, &f->st));

	/* Port I/O and PCI config: not ours. */
	f->slot.size = 4;
	f->slot.type = IOREQ_SM_TYPE_PIO;
	f->slot.state = IOREQ_SM_STATE_READY;
	assert_true(ioreq_sm_serve(&f->slot, &sm_ops, f, &f->st));
	assert_true(f->slot.data == ~0ull);
	f->slot.type = IOREQ_SM_TYPE_PCI_CONFIG;
	f->slot.state = IOREQ_SM_STATE_READY;
	assert_true(ioreq_sm_serve(&f->slot, &sm_ops, f, &f->st));

	assert_int_equal(f->st.rejected, 6);
	assert_int_equal(f->st.reads, 1);      /* only the rd() of STATUS */
	assert_int_equal(f->st.writes, 0);
	assert_int_equal(vmmio_stats(&f->vm)->writes, 0);
}

static void test_ioreq_invalidate_and_spurious(void **state)
{
	struct fixture *f = *state;

	invalidations = 0;
	memset(&f->slot, 0, sizeof(f->slot));
	f->slot.type = IOREQ_SM_TYPE_INVALIDATE;
	f->slot.state = IOREQ_SM_STATE_READY;
	assert_true(ioreq_sm_serve(&f->slot, &sm_ops, f, &f->st));
	assert_int_equal(f->slot.state, IOREQ_SM_STATE_RESP_READY);
	assert_int_equal(invalidations, 1);
	assert_int_equal(f->st.invalidates, 1);

	/* Nothing READY: no response, state untouched. */
	assert_false(ioreq_sm_serve(&f->slot, &sm_ops, f, &f->st));
	assert_int_equal(f->slot.state, IOREQ_SM_STATE_RESP_READY);
	f->slot.state = IOREQ_SM_STATE_INPROCESS;
	assert_false(ioreq_sm_serve(&f->slot, &sm_ops, f, &f->st));
	f->slot.state = IOREQ_SM_STATE_NONE;
	assert_false(ioreq_sm_serve(&f->slot, &sm_ops, f, &f->st));
	assert_int_equal(f->st.spurious, 3);
	assert_int_equal(f->st.handled, 1);
}

/* Writes of each size reach the device masked to their width: a 4-byte
 * write with garbage in the upper half of the data word. */
static void test_ioreq_write_masks_data(void **state)
{
	struct fixture *f = *state;

	xen_access(f, IOREQ_SM_DIR_WRITE, VMMIO_QUEUE_SEL, 4, 0xffffffff00000001ull);
	assert_int_equal(rd(f, VMMIO_QUEUE_SEL), 1);
}

/* Driver asks for a feature not offered, or omits VERSION_1 or a
 * required feature: FEATURES_OK does not stick, the device is not told. */
static void test_features_refused(void **state)
{
	struct fixture *f = *state;

	wr(f, VMMIO_STATUS, 3);
	wr(f, VMMIO_DRIVER_FEATURES_SEL, 0);
	wr(f, VMMIO_DRIVER_FEATURES, 1u << 5);          /* not offered */
	wr(f, VMMIO_DRIVER_FEATURES_SEL, 1);
	wr(f, VMMIO_DRIVER_FEATURES, 1);
	wr(f, VMMIO_STATUS, 0xb);
	assert_int_equal(rd(f, VMMIO_STATUS), 3);
	assert_int_equal(f->dev.set_features_calls, 0);

	wr(f, VMMIO_DRIVER_FEATURES_SEL, 0);
	wr(f, VMMIO_DRIVER_FEATURES, 1);
	wr(f, VMMIO_DRIVER_FEATURES_SEL, 1);
	wr(f, VMMIO_DRIVER_FEATURES, 0);                /* legacy driver */
	wr(f, VMMIO_STATUS, 0xb);
	assert_int_equal(rd(f, VMMIO_STATUS), 3);
	assert_int_equal(vmmio_stats(&f->vm)->features_refused, 2);

	/* Queues cannot start without FEATURES_OK. */
	wr(f, VMMIO_QUEUE_SEL, 0);
	wr(f, VMMIO_QUEUE_NUM, 8);
	wr(f, VMMIO_QUEUE_READY, 1);
	assert_int_equal(rd(f, VMMIO_QUEUE_READY), 0);
	assert_int_equal(f->dev.starts, 0);
}

static void test_required_access_platform(void **state)
{
	struct fixture *f = *state;
	struct vmmio_params p = {
		.device_id = 32, .vendor_id = 1, .num_queues = 2, .queue_num_max = 1024,
		.extra_features = VMMIO_F_ACCESS_PLATFORM,
		.required_features = VMMIO_F_ACCESS_PLATFORM,
	};

	assert_int_equal(vmmio_init(&f->vm, &p, &fd_ops, &f->dev, fd_irq, &f->dev), 0);
	wr(f, VMMIO_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(rd(f, VMMIO_DEVICE_FEATURES), 3);  /* VERSION_1 | ACCESS_PLATFORM */
	wr(f, VMMIO_STATUS, 3);
	wr(f, VMMIO_DRIVER_FEATURES_SEL, 1);
	wr(f, VMMIO_DRIVER_FEATURES, 1);
	wr(f, VMMIO_STATUS, 0xb);
	assert_int_equal(rd(f, VMMIO_STATUS), 3);
	wr(f, VMMIO_DRIVER_FEATURES, 3);
	wr(f, VMMIO_STATUS, 0xb);
	assert_int_equal(rd(f, VMMIO_STATUS), 0xb);
	assert_true(f->dev.features == (VMMIO_F_VERSION_1 | VMMIO_F_ACCESS_PLATFORM));
	/* After FEATURES_OK the features are frozen, and FEATURES_OK cannot
	 * be cleared without a reset. */
	wr(f, VMMIO_DRIVER_FEATURES, 1);
	assert_int_equal(rd(f, VMMIO_DRIVER_FEATURES), 3);
	wr(f, VMMIO_STATUS, 3);
	assert_int_equal(rd(f, VMMIO_STATUS), 0xb);
}

static void features_ok(struct fixture *f)
{
	wr(f, VMMIO_STATUS, 3);
	wr(f, VMMIO_DRIVER_FEATURES_SEL, 1);
	wr(f, VMMIO_DRIVER_FEATURES, 1);
	wr(f, VMMIO_STATUS, 0xb);
	assert_int_equal(rd(f, VMMIO_STATUS), 0xb);
}

/* Queue sizes that are 0, not a power of two or above the maximum, and
 * ring addresses the device refuses, leave the queue not ready. */
static void test_bad_queue_setup(void **state)
{
	struct fixture *f = *state;
	static const uint32_t bad_num[] = { 0, 3, 100, 2048, 0x80000000u };

	features_ok(f);
	wr(f, VMMIO_QUEUE_SEL, 0);
	for (unsigned i = 0; i < sizeof(bad_num) / sizeof(bad_num[0]); i++) {
		wr(f, VMMIO_QUEUE_NUM, bad_num[i]);
		wr(f, VMMIO_QUEUE_READY, 1);
		assert_int_equal(rd(f, VMMIO_QUEUE_READY), 0);
	}
	wr(f, VMMIO_QUEUE_NUM, 1024);
	f->dev.refuse_start = 1;
	wr(f, VMMIO_QUEUE_READY, 1);
	assert_int_equal(rd(f, VMMIO_QUEUE_READY), 0);
	assert_int_equal(f->dev.starts, 0);
	assert_int_equal(vmmio_stats(&f->vm)->bad_queue_setup, 6);

	f->dev.refuse_start = 0;
	wr(f, VMMIO_QUEUE_READY, 1);
	assert_int_equal(rd(f, VMMIO_QUEUE_READY), 1);
	/* Frozen while ready. */
	wr(f, VMMIO_QUEUE_NUM, 16);
	wr(f, VMMIO_QUEUE_DESC_LOW, 0x1234);
	assert_int_equal(rd(f, VMMIO_QUEUE_NUM), 1024);
	assert_int_equal(rd(f, VMMIO_QUEUE_DESC_LOW), 0);
	/* Notify of an unknown or stopped queue: ignored. */
	wr(f, VMMIO_QUEUE_NOTIFY, 7);
	wr(f, VMMIO_QUEUE_NOTIFY, 1);
	assert_int_equal(f->dev.kicks[0] + f->dev.kicks[1], 0);
	wr(f, VMMIO_QUEUE_NOTIFY, 0);
	assert_int_equal(f->dev.kicks[0], 1);
	/* Stop and restart. */
	wr(f, VMMIO_QUEUE_READY, 0);
	assert_int_equal(f->dev.stops, 1);
	wr(f, VMMIO_QUEUE_READY, 2);
	assert_int_equal(rd(f, VMMIO_QUEUE_READY), 0);
	wr(f, VMMIO_QUEUE_READY, 1);
	assert_int_equal(f->dev.starts, 2);
}

static void test_needs_reset(void **state)
{
	struct fixture *f = *state;

	features_ok(f);
	wr(f, VMMIO_STATUS, 0xf);
	vmmio_set_needs_reset(&f->vm);
	assert_int_equal(rd(f, VMMIO_STATUS), 0x4f);
	assert_int_equal(rd(f, VMMIO_INTERRUPT_STATUS), VMMIO_INT_CONFIG);
	assert_int_equal(f->dev.irq_up, 1);
	assert_false(vmmio_driver_ok(&f->vm));
	/* The driver cannot clear it except by reset. */
	wr(f, VMMIO_STATUS, 0xf);
	assert_int_equal(rd(f, VMMIO_STATUS), 0x4f);
	wr(f, VMMIO_STATUS, 0);
	assert_int_equal(rd(f, VMMIO_STATUS), 0);
	assert_int_equal(rd(f, VMMIO_INTERRUPT_STATUS), 0);
	assert_int_equal(f->dev.irq_down, 1);
	/* The driver never sets it itself. */
	wr(f, VMMIO_STATUS, 0x41);
	assert_int_equal(rd(f, VMMIO_STATUS), 1);
}

static void test_init_rejects_bad_params(void **state)
{
	struct fixture *f = *state;
	struct vmmio_params p = { .device_id = 32, .num_queues = 0, .queue_num_max = 1024 };

	assert_int_equal(vmmio_init(&f->vm, &p, &fd_ops, &f->dev, NULL, NULL), -1);
	p.num_queues = VMMIO_MAX_QUEUES + 1;
	assert_int_equal(vmmio_init(&f->vm, &p, &fd_ops, &f->dev, NULL, NULL), -1);
	p.num_queues = 2;
	p.queue_num_max = 1000;
	assert_int_equal(vmmio_init(&f->vm, &p, &fd_ops, &f->dev, NULL, NULL), -1);
	p.queue_num_max = 1024;
	assert_int_equal(vmmio_init(&f->vm, &p, NULL, &f->dev, NULL, NULL), -1);
	assert_int_equal(vmmio_init(&f->vm, &p, &fd_ops, &f->dev, NULL, NULL), 0);
	/* Without an irq callback, events still set InterruptStatus. */
	features_ok(f);
	wr(f, VMMIO_QUEUE_NUM, 4);
	wr(f, VMMIO_QUEUE_READY, 1);
	vmmio_notify_used(&f->vm, 0);
	assert_int_equal(rd(f, VMMIO_INTERRUPT_STATUS), VMMIO_INT_VRING);
	/* notify of a stopped queue: nothing. */
	wr(f, VMMIO_INTERRUPT_ACK, 1);
	vmmio_notify_used(&f->vm, 1);
	assert_int_equal(rd(f, VMMIO_INTERRUPT_STATUS), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_linux_probe_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_sizes_and_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ioreq_rejects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ioreq_invalidate_and_spurious, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ioreq_write_masks_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_features_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_required_access_platform, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_queue_setup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_needs_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_rejects_bad_params, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
