// SPDX-License-Identifier: GPL-2.0-only
/*
 * Platform description: the SENSOR section (docs/platform-config.md).
 *
 *   sensor_max_async = 4
 *   sensors = [ "name=soc_temp,type=2,exp=-3,value=ramp:40000:500:1000000:30000:90000,trips=2" ]
 *   sensor_axes = [ "sensor=1,name=accel_x,type=...,value=..." ]
 */
#include <inttypes.h>
#include <string.h>

#include "platdesc_util.h"

const char *const platdesc_sensor_keys[] = { "sensors", "sensor_axes", "sensor_max_async", NULL };

/* Readings (16 bytes per axis) of async/continuous sensors must fit a
 * delayed response or notification of 128 bytes of payload. */
#define MAX_AXES_P2A 7

static int parse_common(struct spec *s, char *name, uint32_t *type, int32_t *exp,
			int64_t *min, int64_t *max, uint32_t *res, struct pd_value *val)
{
	int errs = 0;
	uint64_t v;
	int64_t i;

	errs += pdu_spec_name(s, "name", name) < 0;
	if (spec_u64(s, "type", &v, 2, 0, 255) < 0)
		errs++;
	*type = (uint32_t)v;
	if (pdu_spec_i64(s, "exp", &i, 0, -16, 15) < 0)
		errs++;
	*exp = (int32_t)i;
	errs += pdu_spec_i64(s, "min", min, INT64_MIN, INT64_MIN, INT64_MAX) < 0;
	errs += pdu_spec_i64(s, "max", max, INT64_MAX, INT64_MIN, INT64_MAX) < 0;
	if (!errs && *min > *max) {
		cfg_error(s->c, s->line, "min must not exceed max");
		errs++;
	}
	if (spec_u64(s, "resolution", &v, 1, 0, 0x7ffffff) < 0)
		errs++;
	*res = (uint32_t)v;
	errs += pdu_spec_value(s, "value", val) < 0;
	return errs;
}

static int parse_intervals(struct spec *s, struct pd_sensor *d)
{
	uint64_t list[9], lo, hi, step, v;
	int n, ret;

	ret = pdu_spec_range(s, "interval_range", &lo, &hi, &step);
	if (ret < 0)
		return 1;
	n = spec_u64_list(s, "intervals", list, 9);
	if (n < 0)
		return 1;
	if (ret == 0 && n > 0) {
		cfg_error(s->c, s->line, "intervals= and interval_range= are exclusive");
		return 1;
	}
	if (ret == 0) {
		if (lo < PDU_MIN_PERIOD_US) {
			cfg_error(s->c, s->line, "interval_range: LOW below %u us",
				  PDU_MIN_PERIOD_US);
			return 1;
		}
		if (hi > UINT32_MAX) {
			cfg_error(s->c, s->line, "interval_range: HIGH above %u us", UINT32_MAX);
			return 1;
		}
		d->interval_range = true;
		d->intervals_us[0] = (uint32_t)lo;
		d->intervals_us[1] = (uint32_t)hi;
		d->intervals_us[2] = (uint32_t)step;
		d->nintervals = 3;
	} else if (n > 0) {
		if (n > 8) {
			cfg_error(s->c, s->line, "intervals: at most 8 intervals");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			if (list[i] < PDU_MIN_PERIOD_US || list[i] > UINT32_MAX ||
			    (i && list[i] <= list[i - 1])) {
				cfg_error(s->c, s->line,
					  "intervals: microseconds, >= %u, strictly ascending",
					  PDU_MIN_PERIOD_US);
				return 1;
			}
			d->intervals_us[i] = (uint32_t)list[i];
		}
		d->nintervals = (uint32_t)n;
	} else {
		d->intervals_us[0] = 1000000;     /* 1 s */
		d->nintervals = 1;
	}
	if (spec_u64(s, "interval", &v, d->intervals_us[0], 1, UINT32_MAX) < 0)
		return 1;
	d->interval_us = (uint32_t)v;
	if (d->interval_range) {
		if (v < lo || v > hi || (v - lo) % step) {
			cfg_error(s->c, s->line, "interval=%" PRIu64 " is not in interval_range=",
				  v);
			return 1;
		}
	} else {
		bool ok = false;

		for (unsigned i = 0; i < d->nintervals; i++)
			ok |= d->intervals_us[i] == v;
		if (!ok) {
			cfg_error(s->c, s->line, "interval=%" PRIu64 " is not one of intervals=",
				  v);
			return 1;
		}
	}
	return 0;
}

static int parse_sensor(struct cfg *c, int line, const char *text, struct pd_sensor *d)
{
	struct spec s;
	uint64_t v;
	int errs;

	memset(d, 0, sizeof(*d));
	if (spec_parse(&s, c, line, text) < 0) {
		spec_free(&s);
		return 1;
	}
	errs = parse_common(&s, d->name, &d->type, &d->exponent, &d->min, &d->max,
			    &d->resolution, &d->value);
	if (spec_u64(&s, "trips", &v, 0, 0, PD_MAX_TRIPS) < 0)
		errs++;
	d->ntrip = (uint32_t)v;
	errs += spec_bool(&s, "async", &d->async, false) < 0;
	errs += spec_bool(&s, "continuous", &d->continuous, false) < 0;
	errs += spec_bool(&s, "timestamp", &d->timestamp, false) < 0;
	if (spec_u64(&s, "latency", &v, 1000, 0, 60000000) < 0)
		errs++;
	d->read_latency_us = v;
	errs += parse_intervals(&s, d);
	errs += spec_check_unused(&s);
	spec_free(&s);
	return errs;
}

static int parse_axis(struct cfg *c, int line, const char *text, struct plat_desc *d)
{
	struct spec s;
	struct pd_axis ax;
	struct pd_sensor *sn;
	uint64_t v;
	int errs;

	memset(&ax, 0, sizeof(ax));
	if (spec_parse(&s, c, line, text) < 0) {
		spec_free(&s);
		return 1;
	}
	errs = spec_u64(&s, "sensor", &v, 0, 0, UINT32_MAX) != 0;
	if (errs)
		cfg_error(c, line, "sensor_axes: need sensor=ID");
	errs += parse_common(&s, ax.name, &ax.type, &ax.exponent, &ax.min, &ax.max,
			     &ax.resolution, &ax.value);
	errs += spec_check_unused(&s);
	spec_free(&s);
	if (errs)
		return errs;
	if (v >= d->nsensors) {
		cfg_error(c, line, "sensor=%" PRIu64 " is not a sensor (0..%d)", v,
			  (int)d->nsensors - 1);
		return 1;
	}
	sn = &d->sensors[v];
	if (sn->naxes >= PD_MAX_AXES) {
		cfg_error(c, line, "sensor %" PRIu64 ": at most %d axes", v, PD_MAX_AXES);
		return 1;
	}
	if (sn->ntrip) {
		cfg_error(c, line, "sensor %" PRIu64 " has trip points: sensors with axes "
			  "cannot have them", v);
		return 1;
	}
	if ((sn->async || sn->continuous) && sn->naxes >= MAX_AXES_P2A) {
		cfg_error(c, line, "sensor %" PRIu64 ": async/continuous sensors have at most "
			  "%d axes (readings must fit 128 bytes)", v, MAX_AXES_P2A);
		return 1;
	}
	sn->axes[sn->naxes++] = ax;
	return 0;
}

int platdesc_parse_sensor(struct cfg *c, struct plat_desc *d)
{
	int n = 0, na = 0, errs = 0;
	uint64_t v;
	bool any_async = false;

	if (cfg_get_list(c, "sensors", &n) < 0)
		return 1;
	if (n > PD_MAX_SENSORS) {
		cfg_error(c, cfg_line(c, "sensors"), "at most %d sensors", PD_MAX_SENSORS);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		errs += parse_sensor(c, cfg_item_line(c, "sensors", i),
				     cfg_list_item(c, "sensors", i), &d->sensors[i]);
		any_async |= d->sensors[i].async;
	}
	d->nsensors = (unsigned)n;
	if (cfg_get_list(c, "sensor_axes", &na) < 0)
		return errs + 1;
	for (int i = 0; i < na; i++)
		errs += parse_axis(c, cfg_item_line(c, "sensor_axes", i),
				   cfg_list_item(c, "sensor_axes", i), d);
	if (cfg_get_u64(c, "sensor_max_async", &v, any_async ? 4 : 0, 0, 255) < 0)
		errs++;
	d->sensor_max_async = (uint32_t)v;
	if (d->nsensors)
		d->protocols_mask |= PD_PROTO_BIT(SCMI_PROTO_SENSOR);
	return errs;
}
