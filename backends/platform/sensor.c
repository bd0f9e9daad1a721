// SPDX-License-Identifier: GPL-2.0-only
/*
 * Embedded platform: SENSOR protocol v3.1.
 *
 * Values follow deterministic models on the platform's virtual clock
 * (plat_value.h). Each agent has its own sensor configuration (enable,
 * update interval, timestamps), its own trip points and subscriptions:
 *   - an agent's CONFIG_SET only changes that agent's view; disabling a
 *     sensor stops that agent's trip events and continuous updates, while
 *     READING_GET keeps answering (the physical sensor is shared);
 *   - SENSOR_UPDATE notifications are sent every update interval of the
 *     subscribed agent while it has the sensor enabled;
 *   - trip points are evaluated on the scalar value each time the model
 *     changes (every period): crossing a threshold upwards (prev < t <= cur)
 *     is a positive event, downwards (prev > t >= cur) a negative one.
 * Sensors with axes have no trip points (the description parser checks).
 * Discovery and reads are open to every agent; CONFIG_SET, trip point and
 * notification requests need device permission (DENIED otherwise).
 * Timestamps are in nanoseconds of platform time (exponent -9).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "plat_internal.h"
#include "plat_value.h"

#define SENS_ASYNC_READ         (1u << 31)
#define SENS_CONT_NOTIFY        (1u << 30)
#define SENS_EXT_NAME           (1u << 29)
#define SENS_TS_EXP_SHIFT       10
#define SENS_TS_SUPPORT         (1u << 9)
#define SENS_EXT_ATTRS          (1u << 8)
#define SENS_AXIS_SUPPORT       (1u << 8)
#define SENS_TS_EXP             (-9)

#define AXIS_EXT_NAME           (1u << 9)
#define AXIS_EXT_ATTRS          (1u << 8)

#define SENS_DESC_AXES          28u     /* id, attrs x2, name */
#define SENS_DESC_SCALAR        52u     /* + power, resolution, min, max */
#define AXIS_DESC_LEN           48u
#define AXIS_NAME_LEN           (4u + SCMI_EXT_NAME_LEN)

#define SENS_CFG_ENABLED        (1u << 0)
#define SENS_CFG_TS             (1u << 1)
#define SENS_CFG_RESERVED       0x000001fcu
#define SENS_CFG_ROUND(x)       (((x) >> 9) & 3u)

#define TP_MODE_MASK            0x3u
#define TP_ID(x)                (((x) >> 4) & 0xffu)
#define TP_RESERVED             (~0x00000ff3u)
#define TP_POSITIVE             1u
#define TP_NEGATIVE             2u
#define TP_EVT_UP               (1u << 16)   /* event desc: crossed upwards */

#define READ_ASYNC              (1u << 0)
#define INTERVALS_RANGE         (1u << 12)

struct sens_agent {
	bool enabled, ts;
	uint32_t interval_us;
	bool sub_trip, sub_cont;
	uint8_t tp_mode[PD_MAX_TRIPS];
	int64_t tp_val[PD_MAX_TRIPS];
	uint32_t cont_gen;
};

struct sens_rt {
	struct sens_agent a[PD_MAX_AGENTS + 1];
	bool tick_armed;
	uint32_t tick_gen;
};

struct sens_state {
	unsigned n;
	unsigned async_inflight[PD_MAX_AGENTS + 1];
	uint8_t epoch[PD_MAX_AGENTS + 1];
	struct sens_rt s[];
};

static struct sens_state *st(const struct scmi_platform *p)
{
	return plat_state(p, SCMI_PROTO_SENSOR);
}

static const struct pd_sensor *sdesc(const struct scmi_platform *p, uint32_t id)
{
	return &plat_desc(p)->sensors[id];
}

static bool put_name(struct plat_resp *r, const char *name, size_t width)
{
	char buf[PD_NAME_MAX];

	snprintf(buf, sizeof(buf) < width ? sizeof(buf) : width, "%s", name);
	return plat_resp_str(r, buf, width);
}

static bool valid_agent(unsigned agent)
{
	return agent >= 1 && agent <= PD_MAX_AGENTS;
}

static bool may(const struct scmi_platform *p, unsigned agent, uint32_t id)
{
	return valid_agent(agent) && plat_agent_may(p, agent, PLAT_RES_SENSOR, id);
}

static int32_t lookup(const struct scmi_platform *p, const struct plat_req *q, uint32_t *id)
{
	*id = plat_arg(q, 0);
	return *id < st(p)->n ? SCMI_SUCCESS : SCMI_NOT_FOUND;
}

static uint32_t s5(int32_t v)
{
	return (uint32_t)v & 0x1fu;
}

/* ---- update intervals ------------------------------------------------------ */

static uint64_t pow10u(unsigned e)
{
	uint64_t v = 1;

	while (e--)
		v *= 10;
	return v;
}

/* Encode microseconds as secs * 10^exp seconds (16-bit secs, 5-bit exp). */
static void interval_encode(uint32_t us, uint32_t *secs, int32_t *exp)
{
	for (int e = -6; e <= 3; e++) {
		uint64_t div = pow10u((unsigned)(e + 6));

		if (us % div == 0 && us / div <= 0xffff) {
			*secs = (uint32_t)(us / div);
			*exp = e;
			return;
		}
	}
	for (int e = -6; e <= 3; e++) {
		uint64_t div = pow10u((unsigned)(e + 6));

		if (us / div <= 0xffff) {
			*secs = (uint32_t)(us / div);
			*exp = e;
			return;
		}
	}
	*secs = 0xffff;
	*exp = 3;
}

static uint64_t interval_decode(uint32_t secs, uint32_t exp5)
{
	int32_t e = (exp5 & 0x10) ? (int32_t)exp5 - 32 : (int32_t)exp5;

	if (e + 6 >= 0) {
		if (e + 6 > 13)
			return UINT64_MAX;
		return secs * pow10u((unsigned)(e + 6));
	}
	return e + 6 < -5 ? 0 : secs / pow10u((unsigned)(-(e + 6)));
}

static uint32_t interval_word(uint32_t us)
{
	uint32_t secs;
	int32_t exp;

	interval_encode(us, &secs, &exp);
	return (secs << 5) | s5(exp);
}

/* Pick a supported interval for `want` with SCMI rounding (0 down, 1 up,
 * 2 auto). */
static int32_t interval_pick(const struct pd_sensor *d, uint64_t want, unsigned round,
			     uint32_t *out)
{
	uint64_t lo = 0, hi = 0;
	bool have_lo = false, have_hi = false;

	if (d->interval_range) {
		uint64_t min = d->intervals_us[0], max = d->intervals_us[1];
		uint64_t step = d->intervals_us[2];

		if (want >= min && want <= max) {
			lo = min + (want - min) / step * step;
			hi = lo == want || lo + step > max ? lo : lo + step;
			have_lo = have_hi = true;
		} else if (want < min) {
			hi = min;
			have_hi = true;
		} else {
			lo = max;
			have_lo = true;
		}
	} else {
		for (unsigned i = 0; i < d->nintervals; i++) {
			uint64_t v = d->intervals_us[i];

			if (v <= want && (!have_lo || v > lo)) {
				lo = v;
				have_lo = true;
			}
			if (v >= want && (!have_hi || v < hi)) {
				hi = v;
				have_hi = true;
			}
		}
	}
	if (round == 0 && have_lo)
		*out = (uint32_t)lo;
	else if (round == 1 && have_hi)
		*out = (uint32_t)hi;
	else if (round == 2 && (have_lo || have_hi))
		*out = (uint32_t)(!have_hi ? lo : !have_lo ? hi :
				  want - lo <= hi - want ? lo : hi);
	else
		return SCMI_OUT_OF_RANGE;
	return SCMI_SUCCESS;
}

/* ---- readings ------------------------------------------------------------- */

static unsigned nreadings(const struct pd_sensor *d)
{
	return d->naxes ? d->naxes : 1;
}

static int64_t value_now(const struct pd_sensor *d, unsigned axis, uint64_t t)
{
	return plat_value_at(d->naxes ? &d->axes[axis].value : &d->value, t);
}

/* Write the v3 readings (value, timestamp per axis) into buf. */
static size_t readings(const struct scmi_platform *p, uint32_t id, unsigned agent,
		       uint8_t *buf)
{
	const struct pd_sensor *d = sdesc(p, id);
	uint64_t t = plat_time(p);
	bool ts = d->timestamp && st(p)->s[id].a[agent].ts;
	unsigned n = nreadings(d);

	for (unsigned i = 0; i < n; i++) {
		scmi_put_le64(buf + 16 * i, (uint64_t)value_now(d, i, t));
		scmi_put_le64(buf + 16 * i + 8, ts ? t : 0);
	}
	return 16u * n;
}

/* ---- timers: continuous updates, trip points, async readings ---------------- */

static void cont_fire(struct scmi_platform *p, void *arg, uint64_t cookie);

static void cont_arm(struct scmi_platform *p, uint32_t id, unsigned agent)
{
	struct sens_agent *a = &st(p)->s[id].a[agent];
	uint64_t delay = (uint64_t)a->interval_us * 1000u;

	a->cont_gen++;
	if (!a->sub_cont || !a->enabled || !delay)
		return;
	plat_schedule(p, delay, cont_fire, NULL,
		      (uint64_t)id | ((uint64_t)agent << 16) | ((uint64_t)a->cont_gen << 24));
}

static void cont_fire(struct scmi_platform *p, void *arg, uint64_t cookie)
{
	struct sens_state *s = st(p);
	uint32_t id = cookie & 0xffff, gen = (uint32_t)(cookie >> 24);
	unsigned agent = (cookie >> 16) & 0xff;
	uint8_t pl[8 + 16 * PD_MAX_AXES];
	struct sens_agent *a;

	if (!s || id >= s->n || !valid_agent(agent))
		return;
	a = &s->s[id].a[agent];
	if (a->cont_gen != gen || !a->sub_cont || !a->enabled)
		return;
	if (!may(p, agent, id)) {
		cont_arm(p, id, agent);      /* permission revoked: stay silent */
		return;
	}
	scmi_put_le32(pl, 0);            /* the platform caused it */
	scmi_put_le32(pl + 4, id);
	plat_notify(p, agent, SCMI_PROTO_SENSOR, SCMI_SENSOR_UPDATE, pl,
		    8 + readings(p, id, agent, pl + 8), 0);
	cont_arm(p, id, agent);
}

static bool trips_wanted(const struct scmi_platform *p, uint32_t id)
{
	const struct sens_rt *rt = &st(p)->s[id];
	uint32_t ntrip = sdesc(p, id)->ntrip;

	for (unsigned a = 1; a <= PD_MAX_AGENTS; a++) {
		if (!rt->a[a].sub_trip || !rt->a[a].enabled)
			continue;
		for (unsigned t = 0; t < ntrip && t < PD_MAX_TRIPS; t++)
			if (rt->a[a].tp_mode[t])
				return true;
	}
	return false;
}

static void trip_fire(struct scmi_platform *p, void *arg, uint64_t cookie);

/* Arm the per-period tick that evaluates trip points, if anyone needs it. */
static void trip_arm(struct scmi_platform *p, uint32_t id)
{
	struct sens_rt *rt = &st(p)->s[id];
	uint64_t period = plat_value_period_ns(&sdesc(p, id)->value), now = plat_time(p);

	if (rt->tick_armed || !period || !trips_wanted(p, id))
		return;
	rt->tick_armed = true;
	rt->tick_gen++;
	plat_schedule(p, (now / period + 1) * period - now, trip_fire, NULL,
		      (uint64_t)id | ((uint64_t)rt->tick_gen << 16));
}

static void trip_fire(struct scmi_platform *p, void *arg, uint64_t cookie)
{
	struct sens_state *s = st(p);
	uint32_t id = cookie & 0xffff;
	const struct pd_sensor *d;
	struct sens_rt *rt;
	uint64_t now, period;
	int64_t prev, cur;
	uint8_t pl[12];

	if (!s || id >= s->n)
		return;
	rt = &s->s[id];
	if (!rt->tick_armed || rt->tick_gen != (uint32_t)(cookie >> 16))
		return;
	rt->tick_armed = false;
	d = sdesc(p, id);
	now = plat_time(p);
	period = plat_value_period_ns(&d->value);
	cur = plat_value_at(&d->value, now);
	prev = plat_value_at(&d->value, now >= period ? now - period : 0);
	for (unsigned a = 1; a <= PD_MAX_AGENTS; a++) {
		const struct sens_agent *sa = &rt->a[a];

		if (!sa->sub_trip || !sa->enabled || !may(p, a, id))
			continue;
		for (unsigned t = 0; t < d->ntrip && t < PD_MAX_TRIPS; t++) {
			int64_t v = sa->tp_val[t];
			bool up = prev < v && cur >= v, down = prev > v && cur <= v;

			if (!((up && (sa->tp_mode[t] & TP_POSITIVE)) ||
			      (down && (sa->tp_mode[t] & TP_NEGATIVE))))
				continue;
			scmi_put_le32(pl, 0);    /* the platform caused it */
			scmi_put_le32(pl + 4, id);
			scmi_put_le32(pl + 8, t | (up ? TP_EVT_UP : 0));
			plat_notify(p, a, SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_EVENT,
				    pl, sizeof(pl), 0);
		}
	}
	trip_arm(p, id);
}

static void read_done(struct scmi_platform *p, void *arg, uint64_t cookie)
{
	struct sens_state *s = st(p);
	uint32_t hdr = (uint32_t)cookie, id = (cookie >> 40) & 0xffff;
	unsigned agent = (cookie >> 32) & 0xff;
	uint8_t ep = (uint8_t)(cookie >> 56);
	uint8_t v[4 + 16 * PD_MAX_AXES];

	if (!s || id >= s->n || !valid_agent(agent))
		return;
	if (s->epoch[agent] != ep)
		return;            /* the agent was reset meanwhile */
	if (s->async_inflight[agent])
		s->async_inflight[agent]--;
	scmi_put_le32(v, id);
	plat_delayed_resp(p, agent, hdr, SCMI_SUCCESS, v, 4 + readings(p, id, agent, v + 4), 0);
}

/* ---- commands ------------------------------------------------------------ */

static int32_t sens_proto_attrs(struct scmi_platform *p, const struct plat_req *q,
				struct plat_resp *r)
{
	uint32_t max = plat_desc(p)->sensor_max_async;

	if (plat_resp_room(r) < 16)
		return SCMI_PROTOCOL_ERROR;
	plat_resp_u32(r, (st(p)->n & 0xffff) | ((max > 255 ? 255 : max) << 16));
	plat_resp_u32(r, 0);     /* no sensor shared memory */
	plat_resp_u32(r, 0);
	plat_resp_u32(r, 0);
	return SCMI_SUCCESS;
}

static size_t desc_len(const struct pd_sensor *d)
{
	return d->naxes ? SENS_DESC_AXES : SENS_DESC_SCALAR;
}

static void put_descriptor(struct plat_resp *r, uint32_t id, const struct pd_sensor *d)
{
	uint32_t lo = SENS_EXT_NAME | (d->ntrip & 0xff);
	uint32_t hi = (s5(d->exponent) << 11) | (d->type & 0xff);

	if (d->async)
		lo |= SENS_ASYNC_READ;
	if (d->continuous)
		lo |= SENS_CONT_NOTIFY;
	if (d->timestamp)
		lo |= SENS_TS_SUPPORT | (s5(SENS_TS_EXP) << SENS_TS_EXP_SHIFT);
	/* Extended attributes only for scalar sensors: with axes they live in
	 * the axis descriptors (and Linux and the spec disagree on the size of
	 * an axis sensor's extended descriptor). */
	if (d->naxes)
		hi |= SENS_AXIS_SUPPORT | ((d->naxes & 0x3fu) << 16);
	else
		lo |= SENS_EXT_ATTRS;
	plat_resp_u32(r, id);
	plat_resp_u32(r, lo);
	plat_resp_u32(r, hi);
	put_name(r, d->name, SCMI_SHORT_NAME_LEN);
	if (!d->naxes) {
		plat_resp_u32(r, 0);     /* power: unknown */
		plat_resp_u32(r, (s5(d->exponent) << 27) | (d->resolution & 0x7ffffffu));
		plat_resp_u64(r, (uint64_t)d->min);
		plat_resp_u64(r, (uint64_t)d->max);
	}
}

static int32_t sens_description_get(struct scmi_platform *p, const struct plat_req *q,
				    struct plat_resp *r)
{
	struct sens_state *s = st(p);
	uint32_t idx = plat_arg(q, 0), n = 0;
	size_t room = plat_resp_room(r), used = 4;
	size_t count_at = r->len;

	if (idx >= s->n)
		return SCMI_OUT_OF_RANGE;
	if (room < 4 + desc_len(sdesc(p, idx)))
		return SCMI_PROTOCOL_ERROR;
	plat_resp_u32(r, 0);
	while (idx + n < s->n && n < 0xffff) {
		const struct pd_sensor *d = sdesc(p, idx + n);

		if (used + desc_len(d) > room)
			break;
		put_descriptor(r, idx + n, d);
		used += desc_len(d);
		n++;
	}
	scmi_put_le32(r->buf + count_at, n | ((s->n - idx - n) << 16));
	return SCMI_SUCCESS;
}

static int32_t sens_trip_notify(struct scmi_platform *p, const struct plat_req *q,
				struct plat_resp *r)
{
	uint32_t id, en = plat_arg(q, 1);
	struct sens_agent *a;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (en & ~1u)
		return SCMI_INVALID_PARAMETERS;
	if (!sdesc(p, id)->ntrip)
		return SCMI_NOT_SUPPORTED;
	if (!may(p, q->agent, id))
		return SCMI_DENIED;
	a = &st(p)->s[id].a[q->agent];
	a->sub_trip = en;
	trip_arm(p, id);
	return SCMI_SUCCESS;
}

static int32_t sens_trip_config(struct scmi_platform *p, const struct plat_req *q,
				struct plat_resp *r)
{
	uint32_t id, ctl = plat_arg(q, 1), tp;
	struct sens_agent *a;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (!sdesc(p, id)->ntrip)
		return SCMI_NOT_SUPPORTED;
	tp = TP_ID(ctl);
	if ((ctl & TP_RESERVED) || tp >= sdesc(p, id)->ntrip)
		return SCMI_INVALID_PARAMETERS;
	if (!may(p, q->agent, id))
		return SCMI_DENIED;
	a = &st(p)->s[id].a[q->agent];
	a->tp_mode[tp] = ctl & TP_MODE_MASK;
	a->tp_val[tp] = (int64_t)scmi_get_le64(q->payload + 8);
	trip_arm(p, id);
	return SCMI_SUCCESS;
}

static int32_t sens_reading_get(struct scmi_platform *p, const struct plat_req *q,
				struct plat_resp *r)
{
	struct sens_state *s = st(p);
	uint32_t id, flags = plat_arg(q, 1);
	const struct pd_sensor *d;
	uint8_t v[16 * PD_MAX_AXES];
	size_t len;
	uint64_t cookie;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (flags & ~READ_ASYNC)
		return SCMI_INVALID_PARAMETERS;
	if (!valid_agent(q->agent))
		return SCMI_GENERIC_ERROR;
	d = sdesc(p, id);
	if (!(flags & READ_ASYNC)) {
		len = readings(p, id, q->agent, v);
		if (plat_resp_room(r) < len)
			return SCMI_PROTOCOL_ERROR;
		for (size_t i = 0; i < len; i += 8)
			plat_resp_u64(r, scmi_get_le64(v + i));
		return SCMI_SUCCESS;
	}
	if (!d->async || !plat_desc(p)->sensor_max_async)
		return SCMI_NOT_SUPPORTED;
	if (s->async_inflight[q->agent] >= plat_desc(p)->sensor_max_async)
		return SCMI_BUSY;
	cookie = (uint64_t)q->hdr | ((uint64_t)q->agent << 32) | ((uint64_t)id << 40) |
		 ((uint64_t)s->epoch[q->agent] << 56);
	if (plat_schedule(p, d->read_latency_us * 1000u, read_done, NULL, cookie))
		return SCMI_GENERIC_ERROR;
	s->async_inflight[q->agent]++;
	return SCMI_SUCCESS;
}

static int32_t sens_axis_common(struct scmi_platform *p, const struct plat_req *q,
				struct plat_resp *r, bool names)
{
	uint32_t id, idx = plat_arg(q, 1);
	const struct pd_sensor *d;
	size_t room, n, rem, item = names ? AXIS_NAME_LEN : AXIS_DESC_LEN;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	d = sdesc(p, id);
	if (!d->naxes)
		return SCMI_NOT_SUPPORTED;
	if (idx >= d->naxes)
		return SCMI_OUT_OF_RANGE;
	rem = d->naxes - idx;
	room = plat_resp_room(r);
	n = room < 4 ? 0 : (room - 4) / item;
	if (n > rem)
		n = rem;
	if (!n)
		return SCMI_PROTOCOL_ERROR;
	plat_resp_u32(r, (uint32_t)n | (uint32_t)((rem - n) << 26));
	for (size_t i = 0; i < n; i++) {
		const struct pd_axis *ax = &d->axes[idx + i];

		plat_resp_u32(r, (uint32_t)(idx + i));
		if (names) {
			put_name(r, ax->name, SCMI_EXT_NAME_LEN);
			continue;
		}
		plat_resp_u32(r, AXIS_EXT_NAME | AXIS_EXT_ATTRS);
		plat_resp_u32(r, (s5(ax->exponent) << 11) | (ax->type & 0xff));
		put_name(r, ax->name, SCMI_SHORT_NAME_LEN);
		plat_resp_u32(r, (s5(ax->exponent) << 27) | (ax->resolution & 0x7ffffffu));
		plat_resp_u64(r, (uint64_t)ax->min);
		plat_resp_u64(r, (uint64_t)ax->max);
	}
	return SCMI_SUCCESS;
}

static int32_t sens_axis_desc(struct scmi_platform *p, const struct plat_req *q,
			      struct plat_resp *r)
{
	return sens_axis_common(p, q, r, false);
}

static int32_t sens_axis_name(struct scmi_platform *p, const struct plat_req *q,
			      struct plat_resp *r)
{
	return sens_axis_common(p, q, r, true);
}

static int32_t sens_intervals(struct scmi_platform *p, const struct plat_req *q,
			      struct plat_resp *r)
{
	uint32_t id, idx = plat_arg(q, 1);
	const struct pd_sensor *d;
	size_t room, n, rem;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	d = sdesc(p, id);
	room = plat_resp_room(r);
	if (d->interval_range) {
		if (idx != 0)
			return SCMI_OUT_OF_RANGE;
		if (room < 16)
			return SCMI_PROTOCOL_ERROR;
		plat_resp_u32(r, 3 | INTERVALS_RANGE);
		for (unsigned i = 0; i < 3; i++)
			plat_resp_u32(r, interval_word(d->intervals_us[i]));
		return SCMI_SUCCESS;
	}
	if (idx >= d->nintervals)
		return SCMI_OUT_OF_RANGE;
	rem = d->nintervals - idx;
	n = room < 4 ? 0 : (room - 4) / 4;
	if (n > rem)
		n = rem;
	if (!n)
		return SCMI_PROTOCOL_ERROR;
	plat_resp_u32(r, (uint32_t)n | (uint32_t)((rem - n) << 16));
	for (size_t i = 0; i < n; i++)
		plat_resp_u32(r, interval_word(d->intervals_us[idx + i]));
	return SCMI_SUCCESS;
}

static int32_t sens_config_get(struct scmi_platform *p, const struct plat_req *q,
			       struct plat_resp *r)
{
	uint32_t id, secs, w;
	int32_t exp;
	const struct sens_agent *a;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (!valid_agent(q->agent))
		return SCMI_GENERIC_ERROR;
	a = &st(p)->s[id].a[q->agent];
	interval_encode(a->interval_us, &secs, &exp);
	w = (secs << 16) | (s5(exp) << 11);
	if (a->ts)
		w |= SENS_CFG_TS;
	if (a->enabled)
		w |= SENS_CFG_ENABLED;
	if (!plat_resp_u32(r, w))
		return SCMI_PROTOCOL_ERROR;
	return SCMI_SUCCESS;
}

static int32_t sens_config_set(struct scmi_platform *p, const struct plat_req *q,
			       struct plat_resp *r)
{
	uint32_t id, cfg = plat_arg(q, 1), secs = cfg >> 16, us;
	const struct pd_sensor *d;
	struct sens_agent *a;
	unsigned round = SENS_CFG_ROUND(cfg);

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if ((cfg & SENS_CFG_RESERVED) || round == 3)
		return SCMI_INVALID_PARAMETERS;
	d = sdesc(p, id);
	if ((cfg & SENS_CFG_TS) && !d->timestamp)
		return SCMI_NOT_SUPPORTED;
	if (!may(p, q->agent, id))
		return SCMI_DENIED;
	a = &st(p)->s[id].a[q->agent];
	us = a->interval_us;
	if (secs) {
		int32_t ret = interval_pick(d, interval_decode(secs, (cfg >> 11) & 0x1f),
					    round, &us);
		if (ret)
			return ret;
	}
	a->interval_us = us;
	a->enabled = cfg & SENS_CFG_ENABLED;
	a->ts = cfg & SENS_CFG_TS;
	cont_arm(p, id, q->agent);
	trip_arm(p, id);
	return SCMI_SUCCESS;
}

static int32_t sens_cont_notify(struct scmi_platform *p, const struct plat_req *q,
				struct plat_resp *r)
{
	uint32_t id, en = plat_arg(q, 1);
	struct sens_agent *a;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (en & ~1u)
		return SCMI_INVALID_PARAMETERS;
	if (!sdesc(p, id)->continuous)
		return SCMI_NOT_SUPPORTED;
	if (!may(p, q->agent, id))
		return SCMI_DENIED;
	a = &st(p)->s[id].a[q->agent];
	if (a->sub_cont == (bool)en)
		return SCMI_SUCCESS;     /* keep the running period */
	a->sub_cont = en;
	cont_arm(p, id, q->agent);
	return SCMI_SUCCESS;
}

static int32_t sens_name_get(struct scmi_platform *p, const struct plat_req *q,
			     struct plat_resp *r)
{
	uint32_t id;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (plat_resp_room(r) < 4 + SCMI_EXT_NAME_LEN)
		return SCMI_PROTOCOL_ERROR;
	plat_resp_u32(r, 0);
	put_name(r, sdesc(p, id)->name, SCMI_EXT_NAME_LEN);
	return SCMI_SUCCESS;
}

/* ---- lifecycle ------------------------------------------------------------ */

static void agent_defaults(const struct pd_sensor *d, struct sens_agent *a)
{
	uint32_t gen = a->cont_gen;

	memset(a, 0, sizeof(*a));
	a->cont_gen = gen + 1;   /* stale timers of this agent die */
	a->enabled = true;
	a->ts = d->timestamp;
	a->interval_us = d->interval_us;
}

static int sens_init(struct scmi_platform *p)
{
	const struct plat_desc *d = plat_desc(p);
	struct sens_state *s = calloc(1, sizeof(*s) + d->nsensors * sizeof(s->s[0]));

	if (!s)
		return -1;
	s->n = d->nsensors;
	for (unsigned i = 0; i < s->n; i++)
		for (unsigned a = 0; a <= PD_MAX_AGENTS; a++)
			agent_defaults(&d->sensors[i], &s->s[i].a[a]);
	plat_set_state(p, SCMI_PROTO_SENSOR, s);
	return 0;
}

static void sens_fini(struct scmi_platform *p)
{
	free(st(p));
	plat_set_state(p, SCMI_PROTO_SENSOR, NULL);
}

static void sens_reset_agent(struct scmi_platform *p, unsigned agent)
{
	struct sens_state *s = st(p);

	if (!s || !valid_agent(agent))
		return;
	s->epoch[agent]++;
	s->async_inflight[agent] = 0;
	for (unsigned i = 0; i < s->n; i++)
		agent_defaults(sdesc(p, i), &s->s[i].a[agent]);
}

static void sens_dump(const struct scmi_platform *p, FILE *out, bool json)
{
	const struct sens_state *s = st(p);
	uint64_t t = plat_time(p);

	if (!s)
		return;
	if (json)
		fputs("\"sensor\":[", out);
	for (unsigned i = 0; i < s->n; i++) {
		const struct pd_sensor *d = sdesc(p, i);

		if (json) {
			fprintf(out, "%s{\"id\":%u,\"name\":", i ? "," : "", i);
			plat_json_str(out, d->name);
			fputs(",\"values\":[", out);
			for (unsigned x = 0; x < nreadings(d); x++)
				fprintf(out, "%s%" PRId64, x ? "," : "", value_now(d, x, t));
			fputs("]}", out);
		} else {
			fprintf(out, "sensor %u %s:", i, d->name);
			for (unsigned x = 0; x < nreadings(d); x++)
				fprintf(out, " %" PRId64, value_now(d, x, t));
			fputc('\n', out);
		}
	}
	if (json)
		fputc(']', out);
}

const struct plat_proto plat_proto_sensor = {
	.id = SCMI_PROTO_SENSOR,
	.version = SCMI_VERSION_SENSOR,
	.attributes = sens_proto_attrs,
	.cmds = {
		[SCMI_SENSOR_DESCRIPTION_GET] = sens_description_get,
		[SCMI_SENSOR_TRIP_POINT_NOTIFY] = sens_trip_notify,
		[SCMI_SENSOR_TRIP_POINT_CONFIG] = sens_trip_config,
		[SCMI_SENSOR_READING_GET] = sens_reading_get,
		[SCMI_SENSOR_AXIS_DESCRIPTION_GET] = sens_axis_desc,
		[SCMI_SENSOR_LIST_UPDATE_INTERVALS] = sens_intervals,
		[SCMI_SENSOR_CONFIG_GET] = sens_config_get,
		[SCMI_SENSOR_CONFIG_SET] = sens_config_set,
		[SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY] = sens_cont_notify,
		[SCMI_SENSOR_NAME_GET] = sens_name_get,
		[SCMI_SENSOR_AXIS_NAME_GET] = sens_axis_name,
	},
	.init = sens_init,
	.fini = sens_fini,
	.reset_agent = sens_reset_agent,
	.dump = sens_dump,
};
