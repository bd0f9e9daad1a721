/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Platform description: what the embedded reference platform implements,
 * read from an xl.cfg-syntax file (docs/platform-config.md). Pure data:
 * config/ parses and validates it, backends/platform/ runs it.
 *
 * Each protocol section is parsed by its own file config/platdesc_<proto>.c
 * through the hook declared at the bottom.
 */
#ifndef PLATFORM_DESC_H
#define PLATFORM_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../mediator/scmi_proto.h"

#define PD_NAME_MAX 64          /* extended names are 64 bytes incl. NUL */
#define PD_MAX_AGENTS 16
#define PD_MAX_DEVICES 64
#define PD_MAX_CLOCKS 256
#define PD_MAX_RATES 64
#define PD_MAX_PARENTS 8
#define PD_MAX_POWER 64
#define PD_MAX_PERF 32
#define PD_MAX_LEVELS 32
#define PD_MAX_SENSORS 128
#define PD_MAX_AXES 8
#define PD_MAX_SCRIPT 32
#define PD_MAX_TRIPS 16
#define PD_MAX_RESETS 64
#define PD_MAX_VOLTAGES 32
#define PD_MAX_VLEVELS 32
#define PD_MAX_POWERCAPS 16
#define PD_MAX_PINS 128
#define PD_MAX_GROUPS 64
#define PD_MAX_FUNCTIONS 32
#define PD_MAX_GROUP_PINS 16
#define PD_MAX_FUNC_GROUPS 16

/* Resource references of a device: which protocol resources it owns. */
struct pd_device {
	uint32_t id;
	char name[PD_NAME_MAX];
	uint32_t clocks[16], nclocks;
	uint32_t power[8], npower;
	uint32_t resets[8], nresets;
	uint32_t perf[4], nperf;
	uint32_t voltages[8], nvoltages;
	uint32_t sensors[8], nsensors;
	uint32_t pins[16], npins;
};

struct pd_agent {
	uint32_t id;                 /* 1..N */
	char name[16];
	uint32_t protocols_mask;     /* bit (proto - 0x10) set: allowed */
	bool all_devices;            /* access to every device */
	uint32_t devices[PD_MAX_DEVICES], ndevices;
	bool trusted;                /* may use BASE permission commands */
};

struct pd_clock {
	char name[PD_NAME_MAX];
	bool range;                  /* rates as [min, max, step] */
	uint64_t rates[PD_MAX_RATES];
	unsigned nrates;             /* list form (ascending) */
	uint64_t min, max, step;     /* range form */
	uint64_t rate;               /* initial rate */
	bool enabled;                /* initial state: platform (agent 0) vote */
	uint32_t parents[PD_MAX_PARENTS], nparents;
	uint32_t parent;             /* initial parent (if nparents) */
	uint32_t enable_latency_us;
	bool async;                  /* async rate set supported */
	bool notify;                 /* rate change notifications */
	bool restricted;             /* CLOCK_GET_PERMISSIONS reports restrictions:
				      * agents may only enable/disable it */
	uint32_t rate_latency_us;    /* async rate change completes after this */
};

struct pd_power_domain {
	char name[PD_NAME_MAX];
	bool async;                  /* asynchronous STATE_SET supported */
	bool sync;                   /* synchronous STATE_SET supported */
	bool notify;                 /* STATE_CHANGED notifications supported */
	uint32_t state;              /* initial state (SCMI power state word) */
};

struct pd_perf_level {
	uint32_t perf;
	uint32_t power;               /* cost, in the unit of perf_power_unit */
	uint32_t latency_us, freq_khz;
};
struct pd_perf_domain {
	char name[PD_NAME_MAX];
	struct pd_perf_level levels[PD_MAX_LEVELS];  /* ascending perf */
	unsigned nlevels;
	uint32_t sustained_freq_khz, sustained_perf;
	uint32_t rate_limit_us;
	bool set_limits, set_level, notify_limits, notify_level;
	bool fastchannel;            /* always false: no fastchannels (virtio-scmi) */
	bool level_indexing;
	uint32_t level;              /* initial level (perf value) */
};
/* PERF protocol: unit of the power costs reported by DESCRIBE_LEVELS. */
enum pd_power_unit { PD_POWER_ABSTRACT, PD_POWER_MW, PD_POWER_UW };

enum pd_value_model { PD_VALUE_CONSTANT, PD_VALUE_RAMP, PD_VALUE_SCRIPT };
struct pd_value {
	enum pd_value_model model;
	int64_t value;               /* constant / ramp start */
	int64_t step;                /* ramp step per period */
	uint64_t period_us;          /* ramp/script period */
	int64_t min, max;            /* ramp wraps within [min, max] */
	int64_t script[PD_MAX_SCRIPT];
	unsigned nscript;
};
struct pd_axis {
	char name[PD_NAME_MAX];
	uint32_t type;               /* SCMI sensor type */
	int32_t exponent;            /* unit exponent (signed 5 bits) */
	int64_t min, max;
	uint32_t resolution;
	struct pd_value value;
};
struct pd_sensor {
	char name[PD_NAME_MAX];
	uint32_t type;
	int32_t exponent;
	uint32_t ntrip;              /* trip points */
	bool async;
	bool continuous;             /* continuous update notifications */
	bool timestamp;
	int64_t min, max;
	uint32_t resolution;
	struct pd_value value;
	struct pd_axis axes[PD_MAX_AXES];
	unsigned naxes;
	uint32_t intervals_us[8], nintervals;
	bool interval_range;         /* intervals_us[0..2] = low, high, step */
	uint32_t interval_us;        /* initial update interval */
	uint64_t read_latency_us;    /* async reading completes after this */
};

struct pd_reset {
	char name[PD_NAME_MAX];
	uint32_t latency_us;         /* reported latency; 0xffffffff: unknown */
	bool async;                  /* asynchronous autonomous reset supported */
	bool notify;                 /* RESET_ISSUED notifications supported */
	uint32_t async_us;           /* an async reset completes after this */
};

struct pd_voltage {
	char name[PD_NAME_MAX];
	bool range;                  /* levels as [min, max, step] */
	int32_t levels_uv[PD_MAX_VLEVELS];
	unsigned nlevels;            /* list form, ascending */
	int32_t min_uv, max_uv, step_uv;
	int32_t level_uv;            /* initial */
	bool async;                  /* asynchronous LEVEL_SET supported */
	uint32_t set_latency_us;     /* an async LEVEL_SET completes after this */
	uint32_t config;             /* initial mode (0x7 = on, 0x0 = off) */
};

struct pd_powercap {
	char name[PD_NAME_MAX];
	uint32_t min_cap, max_cap, step_cap;   /* in `unit` */
	uint32_t min_pai_us, max_pai_us, step_pai_us;
	uint32_t cap, pai_us;        /* initial (cap 0: capping disabled) */
	uint32_t sustainable_power;
	uint32_t accuracy;
	uint32_t parent;             /* 0xffffffff: none */
	bool async, notify, measurements, fastchannel;
	bool pai_configurable, cap_configurable;   /* derived: min != max */
	enum pd_power_unit unit;     /* also the PERF enum */
	uint32_t set_latency_us;     /* an async CAP_SET completes after this */
	struct pd_value power;       /* measured power model */
};

struct pd_pin { char name[PD_NAME_MAX]; };
struct pd_group { char name[PD_NAME_MAX]; uint32_t pins[PD_MAX_GROUP_PINS], npins; };
struct pd_function { char name[PD_NAME_MAX]; uint32_t groups[PD_MAX_FUNC_GROUPS], ngroups; };

struct plat_desc {
	char path[256];
	char vendor[16], sub_vendor[16];
	uint32_t impl_version;
	uint32_t protocols_mask;     /* protocols implemented (bit proto-0x10) */

	struct pd_agent agents[PD_MAX_AGENTS];
	unsigned nagents;
	struct pd_device devices[PD_MAX_DEVICES];
	unsigned ndevices;

	struct pd_clock clocks[PD_MAX_CLOCKS];
	unsigned nclocks;
	uint32_t clock_max_async;    /* CLOCK: max pending async rate changes */
	struct pd_power_domain power[PD_MAX_POWER];
	unsigned npower;
	struct pd_perf_domain perf[PD_MAX_PERF];
	unsigned nperf;
	enum pd_power_unit perf_power_unit;
	struct pd_sensor sensors[PD_MAX_SENSORS];
	unsigned nsensors;
	uint32_t sensor_max_async;   /* SENSOR: max pending async readings */
	struct pd_reset resets[PD_MAX_RESETS];
	unsigned nresets;
	struct pd_voltage voltages[PD_MAX_VOLTAGES];
	unsigned nvoltages;
	struct pd_powercap powercaps[PD_MAX_POWERCAPS];
	unsigned npowercaps;
	struct pd_pin pins[PD_MAX_PINS];
	unsigned npins;
	struct pd_group groups[PD_MAX_GROUPS];
	unsigned ngroups;
	struct pd_function functions[PD_MAX_FUNCTIONS];
	unsigned nfunctions;
	bool system_suspend;         /* SYSTEM: suspend supported */
};

/* Load and validate a description; NULL on error (file:line on err). The
 * result is heap-allocated: free with plat_desc_free(). */
struct plat_desc *plat_desc_load(const char *path, FILE *err);
/* Same from text in memory (`name` used in diagnostics). */
struct plat_desc *plat_desc_load_data(const char *name, const char *text, FILE *err);
void plat_desc_free(struct plat_desc *d);

/* Protocol id for a lower-case protocol name ("clock"), or -1. */
int plat_desc_proto_id(const char *name);
const char *plat_desc_proto_name(uint8_t id);
/* Bit of protocol `id` in the *_mask fields. */
#define PD_PROTO_BIT(id) (1u << ((unsigned)(id) - SCMI_PROTO_BASE))

struct cfg;
/* Per-protocol section parsers (config/platdesc_<proto>.c). Each reads its
 * keys, fills its arrays, sets its bit in d->protocols_mask when it has
 * resources, reports errors with cfg_error() and returns the number of
 * errors. Each exports the NULL-terminated list of top-level keys it owns
 * (platdesc_<proto>_keys); config/platform_desc.c lists the sections, in
 * parse order, in its table `sections[]`. Device references are checked
 * after every section has been parsed. */
int platdesc_parse_power(struct cfg *c, struct plat_desc *d);
int platdesc_parse_perf(struct cfg *c, struct plat_desc *d);
int platdesc_parse_clock(struct cfg *c, struct plat_desc *d);
int platdesc_parse_sensor(struct cfg *c, struct plat_desc *d);
int platdesc_parse_reset(struct cfg *c, struct plat_desc *d);
int platdesc_parse_voltage(struct cfg *c, struct plat_desc *d);
int platdesc_parse_powercap(struct cfg *c, struct plat_desc *d);
int platdesc_parse_pinctrl(struct cfg *c, struct plat_desc *d);
/* Helpers for section parsers. Copy spec key `k` into dst (cap bytes incl.
 * NUL), reporting a missing (if required) or too long value; 0 or -1. */
struct spec;
int platdesc_spec_name(struct spec *s, const char *k, char *dst, size_t cap, bool required);
/* Space-separated u32 list of spec key `k` into out[max]; count or -1. */
int platdesc_spec_ids(struct spec *s, const char *k, uint32_t *out, unsigned max);

extern const char *const platdesc_power_keys[], *const platdesc_perf_keys[],
	*const platdesc_clock_keys[], *const platdesc_sensor_keys[],
	*const platdesc_reset_keys[], *const platdesc_voltage_keys[],
	*const platdesc_powercap_keys[], *const platdesc_pinctrl_keys[];

#endif
