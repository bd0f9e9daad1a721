// SPDX-License-Identifier: GPL-2.0-only
/*
 * Discovery cache: the cacheable-command table, hits with the requester's
 * header, keys (channel, payload, list capacity), stable statuses only,
 * LRU eviction under the byte bound, invalidation and generations.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mediator/cache.h"
#include "mediator/scmi_msg.h"

static size_t mk(uint8_t *m, uint8_t proto, uint8_t msg, uint16_t tok, uint32_t a, uint32_t b)
{
	scmi_put_le32(m, scmi_hdr(proto, msg, 0, tok));
	scmi_put_le32(m + 4, a);
	scmi_put_le32(m + 8, b);
	return 12;
}

static size_t answer(uint8_t *r, const uint8_t *req, int32_t st, uint32_t v)
{
	scmi_put_le32(r, scmi_get_le32(req));
	scmi_put_le32(r + 4, (uint32_t)st);
	scmi_put_le32(r + 8, v);
	return st ? 8 : 12;
}

static void test_table(void **state)
{
	(void)state;
	assert_int_equal(cache_cmd_kind(SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES), CACHE_STATIC);
	assert_int_equal(cache_cmd_kind(SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES), CACHE_STATEFUL);
	assert_int_equal(cache_cmd_kind(SCMI_PROTO_SENSOR, SCMI_PROTOCOL_VERSION), CACHE_STATIC);
	assert_int_equal(cache_cmd_kind(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET), CACHE_NO);
	assert_int_equal(cache_cmd_kind(SCMI_PROTO_POWER, SCMI_POWER_STATE_GET), CACHE_NO);
	assert_int_equal(cache_cmd_kind(SCMI_PROTO_PERF, SCMI_NEGOTIATE_PROTOCOL_VERSION),
			 CACHE_NO);
	assert_int_equal(cache_cmd_kind(SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION), CACHE_NO);
	assert_int_equal(cache_cmd_kind(SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET), CACHE_NO);
}

static void test_hit_miss_keys(void **state)
{
	struct scmi_cache *c = cache_new(4096);
	uint8_t q[16], r[16], out[64];
	size_t n;

	(void)state;
	mk(q, SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, 3, 5, 0);
	assert_int_equal(cache_lookup(c, 0, q, 12, 136, out, sizeof(out)), 0);
	n = answer(r, q, SCMI_SUCCESS, 0x1234);
	cache_store(c, 0, q, 12, 136, r, n, cache_generation(c));
	/* another token: hit, with the asker's header */
	mk(q, SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, 77, 5, 0);
	assert_int_equal(cache_lookup(c, 0, q, 12, 136, out, sizeof(out)), 12);
	assert_int_equal(scmi_get_le32(out), scmi_get_le32(q));
	assert_int_equal(scmi_get_le32(out + 8), 0x1234);
	/* a list: another capacity is another key; another channel, another id too */
	assert_int_equal(cache_lookup(c, 0, q, 12, 64, out, sizeof(out)), 0);
	assert_int_equal(cache_lookup(c, 1, q, 12, 136, out, sizeof(out)), 0);
	mk(q, SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, 77, 6, 0);
	assert_int_equal(cache_lookup(c, 0, q, 12, 136, out, sizeof(out)), 0);
	/* not a list: any capacity that holds the answer */
	mk(q, SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_ATTRIBUTES, 1, 2, 0);
	n = answer(r, q, SCMI_SUCCESS, 7);
	cache_store(c, 0, q, 8, 136, r, n, cache_generation(c));
	assert_int_equal(cache_lookup(c, 0, q, 8, 12, out, sizeof(out)), 12);
	assert_int_equal(cache_lookup(c, 0, q, 8, 8, out, sizeof(out)), 0);
	assert_int_equal(cache_stats(c)->hits, 2);
	cache_free(c);
}

static void test_statuses_and_uncacheable(void **state)
{
	struct scmi_cache *c = cache_new(4096);
	uint8_t q[16], r[16], out[64];
	size_t n;

	(void)state;
	mk(q, SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_ATTRIBUTES, 1, 9, 0);
	n = answer(r, q, SCMI_BUSY, 0);
	cache_store(c, 0, q, 8, 136, r, n, cache_generation(c));
	assert_int_equal(cache_lookup(c, 0, q, 8, 136, out, sizeof(out)), 0);
	n = answer(r, q, SCMI_NOT_FOUND, 0);
	cache_store(c, 0, q, 8, 136, r, n, cache_generation(c));
	assert_int_equal(cache_lookup(c, 0, q, 8, 136, out, sizeof(out)), 8);
	assert_int_equal((int32_t)scmi_get_le32(out + 4), SCMI_NOT_FOUND);
	/* a state read is never stored */
	mk(q, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 1, 0, 0);
	n = answer(r, q, SCMI_SUCCESS, 0);
	cache_store(c, 0, q, 8, 136, r, n, cache_generation(c));
	assert_int_equal(cache_lookup(c, 0, q, 8, 136, out, sizeof(out)), 0);
	/* an answer whose header is not the request's is refused */
	mk(q, SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_ATTRIBUTES, 1, 3, 0);
	n = answer(r, q, SCMI_SUCCESS, 0);
	scmi_put_le32(r, scmi_hdr(SCMI_PROTO_CLOCK, 3, 0, 1));
	cache_store(c, 0, q, 8, 136, r, n, cache_generation(c));
	assert_int_equal(cache_lookup(c, 0, q, 8, 136, out, sizeof(out)), 0);
	/* garbage in */
	assert_int_equal(cache_lookup(c, 0, q, 2, 136, out, sizeof(out)), 0);
	cache_store(c, 0, q, 8, 136, r, 4, cache_generation(c));
	assert_int_equal(cache_stats(c)->entries, 1);
	cache_free(c);
}

static void test_eviction_and_invalidation(void **state)
{
	struct scmi_cache *c = cache_new(1024);
	uint8_t q[16], r[16], out[64];
	uint64_t gen;
	unsigned i;
	size_t n;

	(void)state;
	for (i = 0; i < 100; i++) {
		mk(q, SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_ATTRIBUTES, 0, i, 0);
		n = answer(r, q, SCMI_SUCCESS, i);
		cache_store(c, 0, q, 8, 136, r, n, cache_generation(c));
		assert_true(cache_stats(c)->bytes <= 1024);
	}
	assert_true(cache_stats(c)->evictions > 0);
	/* the newest is there, the oldest is gone */
	mk(q, SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_ATTRIBUTES, 0, 99, 0);
	assert_int_equal(cache_lookup(c, 0, q, 8, 136, out, sizeof(out)), 12);
	assert_int_equal(scmi_get_le32(out + 8), 99);
	mk(q, SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_ATTRIBUTES, 0, 0, 0);
	assert_int_equal(cache_lookup(c, 0, q, 8, 136, out, sizeof(out)), 0);
	/* a request sent before an invalidation is not stored after it */
	gen = cache_generation(c);
	cache_invalidate(c);
	assert_int_equal(cache_stats(c)->entries, 0);
	assert_int_equal(cache_stats(c)->bytes, 0);
	n = answer(r, q, SCMI_SUCCESS, 1);
	cache_store(c, 0, q, 8, 136, r, n, gen);
	assert_int_equal(cache_lookup(c, 0, q, 8, 136, out, sizeof(out)), 0);
	cache_store(c, 0, q, 8, 136, r, n, cache_generation(c));
	assert_int_equal(cache_lookup(c, 0, q, 8, 136, out, sizeof(out)), 12);
	cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_hit_miss_keys),
		cmocka_unit_test(test_statuses_and_uncacheable),
		cmocka_unit_test(test_eviction_and_invalidation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
