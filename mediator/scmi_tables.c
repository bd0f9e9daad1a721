// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCMI command and notification tables: one table per protocol, at the
 * protocol versions Linux 6.12 negotiates (SCMI_VERSION_* in scmi_proto.h).
 *
 * Each entry gives the exact request payload length and the layouts of the
 * request, the response (after the int32 status), the delayed response
 * (after the status) and of each notification payload. Layout syntax is
 * described in scmi_msg.h; docs/protocol.md has the same tables in prose.
 *
 * Sources: Arm DEN0056E (SCMI v3.2) and the message structs of Linux 6.12
 * drivers/firmware/arm_scmi. Where they differ the spec is followed and a
 * comment says so.
 *
 * Conventions used in the comments:
 *   "list word"  the first word of a paginated reply, which packs the number
 *                of entries returned (low bits) and remaining (high bits).
 */
#include "scmi_msg.h"

#define CMD(i, n, rq, rs, l, f) { .id = (i), .name = (n), .req = (rq), .resp = (rs), \
				  .req_len = (l), .flags = (f), .dresp = NULL }
#define CMDA(i, n, rq, rs, l, f, d) { .id = (i), .name = (n), .req = (rq), .resp = (rs), \
				      .req_len = (l), .flags = (f) | SCMI_CMD_ASYNC, \
				      .dresp = (d) }
#define EVT(i, n, p) { .id = (i), .name = (n), .payload = (p) }

/* Commands every protocol has (NEGOTIATE_PROTOCOL_VERSION since SCMI v3.2). */
#define C_VERSION(P) CMD(SCMI_PROTOCOL_VERSION, P "_PROTOCOL_VERSION", "", "version:u32", 0, 0)
#define C_ATTRS(P, R) CMD(SCMI_PROTOCOL_ATTRIBUTES, P "_PROTOCOL_ATTRIBUTES", "", R, 0, 0)
/* attributes: bit0 fastchannel (PERF/POWERCAP); other bits per protocol */
#define C_MSG_ATTRS(P) CMD(SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, P "_PROTOCOL_MESSAGE_ATTRIBUTES", \
			   "message_id:u32", "attributes:u32", 4, 0)
#define C_NEGOTIATE(P) CMD(SCMI_NEGOTIATE_PROTOCOL_VERSION, P "_NEGOTIATE_PROTOCOL_VERSION", \
			   "version:u32", "", 4, 0)

/* ---- BASE 0x10, v2.1 ---------------------------------------------------- */
static const struct scmi_cmd_desc base_cmds[] = {
	C_VERSION("BASE"),
	/* attributes: bits 7:0 num_protocols (excluding BASE), 15:8 num_agents */
	C_ATTRS("BASE", "attributes:u32"),
	C_MSG_ATTRS("BASE"),
	CMD(SCMI_BASE_DISCOVER_VENDOR, "BASE_DISCOVER_VENDOR", "", "vendor:str16", 0, 0),
	CMD(SCMI_BASE_DISCOVER_SUB_VENDOR, "BASE_DISCOVER_SUB_VENDOR", "", "sub_vendor:str16",
	    0, 0),
	CMD(SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION, "BASE_DISCOVER_IMPLEMENTATION_VERSION",
	    "", "impl_version:u32", 0, 0),
	/*
	 * protocols[]: the protocol ids, packed four per word, byte i of the
	 * list in bits 8*(i%4)+7:8*(i%4) of word i/4; unused bytes are zero.
	 */
	CMD(SCMI_BASE_DISCOVER_LIST_PROTOCOLS, "BASE_DISCOVER_LIST_PROTOCOLS", "skip:u32",
	    "num_protocols:u32 protocols[]:u32", 4, SCMI_CMD_LIST),
	/* agent_id 0xffffffff asks about the calling agent itself */
	CMD(SCMI_BASE_DISCOVER_AGENT, "BASE_DISCOVER_AGENT", "agent_id:u32",
	    "agent_id:u32 name:str16", 4, 0),
	/* notify_enable: bit0 */
	CMD(SCMI_BASE_NOTIFY_ERRORS, "BASE_NOTIFY_ERRORS", "notify_enable:u32", "", 4,
	    SCMI_CMD_NOTIFY),
	/* flags: bit0 1 = allow access */
	CMD(SCMI_BASE_SET_DEVICE_PERMISSIONS, "BASE_SET_DEVICE_PERMISSIONS",
	    "agent_id:u32 device_id:u32 flags:u32", "", 12, 0),
	/* command_id is the protocol id; flags: bit0 1 = allow access */
	CMD(SCMI_BASE_SET_PROTOCOL_PERMISSIONS, "BASE_SET_PROTOCOL_PERMISSIONS",
	    "agent_id:u32 device_id:u32 command_id:u32 flags:u32", "", 16, 0),
	/* flags: bit0 also reset access permissions */
	CMD(SCMI_BASE_RESET_AGENT_CONFIGURATION, "BASE_RESET_AGENT_CONFIGURATION",
	    "agent_id:u32 flags:u32", "", 8, 0),
	C_NEGOTIATE("BASE"),
};

static const struct scmi_evt_desc base_evts[] = {
	/*
	 * error_status: bit31 fatal, bits 9:0 number of reports; each report
	 * is a u64 (two words, low first) naming a failed message.
	 */
	EVT(SCMI_BASE_ERROR_EVENT, "BASE_ERROR_EVENT",
	    "agent_id:u32 error_status:u32 reports[]:u32"),
};

/* ---- POWER 0x11, v3.1 --------------------------------------------------- */
/*
 * POWER_STATE_CHANGE_REQUESTED_NOTIFY (0x7) and its notification were
 * removed in power protocol v3.0; 0x7 is not a valid command at v3.1.
 * POWER_STATE_SET's async flag (bit0) makes the command return before the
 * transition; the spec defines no delayed response for it (completion is
 * seen through POWER_STATE_CHANGED), so it is not marked ASYNC here.
 */
static const struct scmi_cmd_desc power_cmds[] = {
	C_VERSION("POWER"),
	/* attributes: bits 15:0 num_domains; stats shared memory address/len */
	C_ATTRS("POWER", "attributes:u32 stats_addr_low:u32 stats_addr_high:u32 stats_len:u32"),
	C_MSG_ATTRS("POWER"),
	/*
	 * attributes: bit31 state change notifications, bit30 async set,
	 * bit29 sync set, bit27 extended name
	 */
	CMD(SCMI_POWER_DOMAIN_ATTRIBUTES, "POWER_DOMAIN_ATTRIBUTES", "domain_id:u32",
	    "attributes:u32 name:str16", 4, 0),
	/* flags: bit0 async */
	CMD(SCMI_POWER_STATE_SET, "POWER_STATE_SET", "flags:u32 domain_id:u32 power_state:u32",
	    "", 12, 0),
	CMD(SCMI_POWER_STATE_GET, "POWER_STATE_GET", "domain_id:u32", "power_state:u32", 4, 0),
	CMD(SCMI_POWER_STATE_NOTIFY, "POWER_STATE_NOTIFY", "domain_id:u32 notify_enable:u32",
	    "", 8, SCMI_CMD_NOTIFY),
	CMD(SCMI_POWER_DOMAIN_NAME_GET, "POWER_DOMAIN_NAME_GET", "domain_id:u32",
	    "flags:u32 name:str64", 4, 0),
	C_NEGOTIATE("POWER"),
};

static const struct scmi_evt_desc power_evts[] = {
	EVT(SCMI_POWER_STATE_CHANGED, "POWER_STATE_CHANGED",
	    "agent_id:u32 domain_id:u32 power_state:u32"),
};

/* ---- SYSTEM 0x12, v2.1 -------------------------------------------------- */
/*
 * SYSTEM_POWER_STATE_GET (0x4) was removed in system power protocol v2.0
 * (SCMI v3.0); at v2.1 it is an unknown message id (NOT_FOUND).
 */
static const struct scmi_cmd_desc system_cmds[] = {
	C_VERSION("SYSTEM"),
	/* attributes: bit31 warm reset supported, bit30 suspend supported */
	C_ATTRS("SYSTEM", "attributes:u32"),
	C_MSG_ATTRS("SYSTEM"),
	/* flags: bit0 graceful; system_state SCMI_SYSTEM_SHUTDOWN.. */
	CMD(SCMI_SYSTEM_POWER_STATE_SET, "SYSTEM_POWER_STATE_SET", "flags:u32 system_state:u32",
	    "", 8, 0),
	CMD(SCMI_SYSTEM_POWER_STATE_NOTIFY, "SYSTEM_POWER_STATE_NOTIFY", "notify_enable:u32", "",
	    4, SCMI_CMD_NOTIFY),
	C_NEGOTIATE("SYSTEM"),
};

static const struct scmi_evt_desc system_evts[] = {
	/* flags: bit0 graceful; timeout (ms) exists from v2.1 */
	EVT(SCMI_SYSTEM_POWER_STATE_NOTIFIER, "SYSTEM_POWER_STATE_NOTIFIER",
	    "agent_id:u32 flags:u32 system_state:u32 timeout:u32"),
};

/* ---- PERF 0x13, v4.0 ---------------------------------------------------- */
static const struct scmi_cmd_desc perf_cmds[] = {
	C_VERSION("PERF"),
	/*
	 * attributes: bits 15:0 num_domains, bit16 power in mW, bit17 power
	 * in uW (Linux reads bits 31:16 as a le16 flags field: same bits)
	 */
	C_ATTRS("PERF", "attributes:u32 stats_addr_low:u32 stats_addr_high:u32 stats_len:u32"),
	C_MSG_ATTRS("PERF"),
	/*
	 * attributes: bit31 limits set, bit30 level set, bit29 limits notify,
	 * bit28 level notify, bit27 fastchannels, bit26 extended name,
	 * bit25 level indexing mode
	 */
	CMD(SCMI_PERF_DOMAIN_ATTRIBUTES, "PERF_DOMAIN_ATTRIBUTES", "domain_id:u32",
	    "attributes:u32 rate_limit_us:u32 sustained_freq_khz:u32 sustained_perf_level:u32 "
	    "name:str16", 4, 0),
	/*
	 * List word: bits 11:0 returned, 31:16 remaining (Linux: two le16).
	 * v4 entry, 5 words: perf_level, power_cost, latency_us (bits 15:0),
	 * indicative_freq_khz, level_index.
	 */
	CMD(SCMI_PERF_DESCRIBE_LEVELS, "PERF_DESCRIBE_LEVELS", "domain_id:u32 level_index:u32",
	    "num_levels:u32 levels[]:u32", 8, SCMI_CMD_LIST),
	CMD(SCMI_PERF_LIMITS_SET, "PERF_LIMITS_SET", "domain_id:u32 range_max:u32 range_min:u32",
	    "", 12, 0),
	CMD(SCMI_PERF_LIMITS_GET, "PERF_LIMITS_GET", "domain_id:u32",
	    "range_max:u32 range_min:u32", 4, 0),
	CMD(SCMI_PERF_LEVEL_SET, "PERF_LEVEL_SET", "domain_id:u32 perf_level:u32", "", 8, 0),
	CMD(SCMI_PERF_LEVEL_GET, "PERF_LEVEL_GET", "domain_id:u32", "perf_level:u32", 4, 0),
	CMD(SCMI_PERF_NOTIFY_LIMITS, "PERF_NOTIFY_LIMITS", "domain_id:u32 notify_enable:u32", "",
	    8, SCMI_CMD_NOTIFY),
	CMD(SCMI_PERF_NOTIFY_LEVEL, "PERF_NOTIFY_LEVEL", "domain_id:u32 notify_enable:u32", "",
	    8, SCMI_CMD_NOTIFY),
	/* attributes: bit0 doorbell, bits 2:1 doorbell width */
	CMD(SCMI_PERF_DESCRIBE_FASTCHANNEL, "PERF_DESCRIBE_FASTCHANNEL",
	    "domain_id:u32 message_id:u32",
	    "attributes:u32 rate_limit_us:u32 chan_addr_low:u32 chan_addr_high:u32 "
	    "chan_size:u32 db_addr_low:u32 db_addr_high:u32 db_set_lmask:u32 "
	    "db_set_hmask:u32 db_preserve_lmask:u32 db_preserve_hmask:u32", 8, 0),
	CMD(SCMI_PERF_DOMAIN_NAME_GET, "PERF_DOMAIN_NAME_GET", "domain_id:u32",
	    "flags:u32 name:str64", 4, 0),
	C_NEGOTIATE("PERF"),
};

static const struct scmi_evt_desc perf_evts[] = {
	EVT(SCMI_PERF_LIMITS_CHANGED, "PERF_LIMITS_CHANGED",
	    "agent_id:u32 domain_id:u32 range_max:u32 range_min:u32"),
	EVT(SCMI_PERF_LEVEL_CHANGED, "PERF_LEVEL_CHANGED",
	    "agent_id:u32 domain_id:u32 perf_level:u32"),
};

/* ---- CLOCK 0x14, v3.0 --------------------------------------------------- */
static const struct scmi_cmd_desc clock_cmds[] = {
	C_VERSION("CLOCK"),
	/* attributes: bits 15:0 num_clocks, bits 23:16 max pending async */
	C_ATTRS("CLOCK", "attributes:u32"),
	C_MSG_ATTRS("CLOCK"),
	/*
	 * attributes: bit31 rate changed notify, bit30 rate change requested
	 * notify, bit29 extended name, bit28 parent clocks, bit27 extended
	 * config, bit1 get permissions, bit0 enabled
	 */
	CMD(SCMI_CLOCK_ATTRIBUTES, "CLOCK_ATTRIBUTES", "clock_id:u32",
	    "attributes:u32 name:str16 enable_delay:u32", 4, 0),
	/*
	 * List word: bits 11:0 returned, bit12 1 = range triplet
	 * (lowest, highest, step), 31:16 remaining. Entries are u64 rates,
	 * two words each, low first.
	 */
	CMD(SCMI_CLOCK_DESCRIBE_RATES, "CLOCK_DESCRIBE_RATES", "clock_id:u32 rate_index:u32",
	    "num_rates_flags:u32 rates[]:u32", 8, SCMI_CMD_LIST),
	/* flags: bit0 async, bit1 ignore delayed response, bit2 round up, bit3 round auto */
	CMDA(SCMI_CLOCK_RATE_SET, "CLOCK_RATE_SET", "flags:u32 clock_id:u32 rate:u64", "",
	     16, 0, "clock_id:u32 rate:u64"),
	CMD(SCMI_CLOCK_RATE_GET, "CLOCK_RATE_GET", "clock_id:u32", "rate:u64", 4, 0),
	/*
	 * v2+ (12 bytes): attributes bits 23:16 OEM config type, bits 1:0
	 * state (0 off, 1 on, 3 unchanged).
	 */
	CMD(SCMI_CLOCK_CONFIG_SET, "CLOCK_CONFIG_SET",
	    "clock_id:u32 attributes:u32 oem_config_val:u32", "", 12, 0),
	CMD(SCMI_CLOCK_NAME_GET, "CLOCK_NAME_GET", "clock_id:u32", "flags:u32 name:str64", 4, 0),
	CMD(SCMI_CLOCK_RATE_NOTIFY, "CLOCK_RATE_NOTIFY", "clock_id:u32 notify_enable:u32", "",
	    8, SCMI_CMD_NOTIFY),
	CMD(SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY, "CLOCK_RATE_CHANGE_REQUESTED_NOTIFY",
	    "clock_id:u32 notify_enable:u32", "", 8, SCMI_CMD_NOTIFY),
	/* flags: bits 7:0 OEM config type; config: bit0 enabled */
	CMD(SCMI_CLOCK_CONFIG_GET, "CLOCK_CONFIG_GET", "clock_id:u32 flags:u32",
	    "attributes:u32 config:u32 oem_config_val:u32", 8, 0),
	/* List word: bits 7:0 returned, 31:24 remaining; entries: parent clock ids */
	CMD(SCMI_CLOCK_POSSIBLE_PARENTS_GET, "CLOCK_POSSIBLE_PARENTS_GET",
	    "clock_id:u32 skip_parents:u32", "num_parents_flags:u32 parents[]:u32", 8,
	    SCMI_CMD_LIST),
	CMD(SCMI_CLOCK_PARENT_SET, "CLOCK_PARENT_SET", "clock_id:u32 parent_id:u32", "", 8, 0),
	CMD(SCMI_CLOCK_PARENT_GET, "CLOCK_PARENT_GET", "clock_id:u32", "parent_id:u32", 4, 0),
	/* permissions: bit31 state control, bit30 parent control, bit29 rate control */
	CMD(SCMI_CLOCK_GET_PERMISSIONS, "CLOCK_GET_PERMISSIONS", "clock_id:u32",
	    "permissions:u32", 4, 0),
	C_NEGOTIATE("CLOCK"),
};

static const struct scmi_evt_desc clock_evts[] = {
	EVT(SCMI_CLOCK_RATE_CHANGED, "CLOCK_RATE_CHANGED", "agent_id:u32 clock_id:u32 rate:u64"),
	EVT(SCMI_CLOCK_RATE_CHANGE_REQUESTED, "CLOCK_RATE_CHANGE_REQUESTED",
	    "agent_id:u32 clock_id:u32 rate:u64"),
};

/* ---- SENSOR 0x15, v3.1 -------------------------------------------------- */
/*
 * A v3 reading is 4 words: value_low, value_high, timestamp_low,
 * timestamp_high; a sensor without axes returns one reading, a sensor
 * with N axes N readings.
 */
static const struct scmi_cmd_desc sensor_cmds[] = {
	C_VERSION("SENSOR"),
	/* attributes: bits 15:0 num_sensors, 23:16 max pending async; reg = sensor shmem */
	C_ATTRS("SENSOR", "attributes:u32 reg_addr_low:u32 reg_addr_high:u32 reg_len:u32"),
	C_MSG_ATTRS("SENSOR"),
	/*
	 * List word: bits 11:0 returned, 31:16 remaining. Entry: id,
	 * attributes_low, attributes_high, name (4 words); when
	 * attributes_low bit8 (extended attributes) is set also power and,
	 * for a sensor without axes (attributes_high bit8 clear),
	 * resolution, min_range (u64), max_range (u64): 7, 8 or 13 words.
	 */
	CMD(SCMI_SENSOR_DESCRIPTION_GET, "SENSOR_DESCRIPTION_GET", "desc_index:u32",
	    "num_descs:u32 descs[]:u32", 4, SCMI_CMD_LIST),
	/* event_control: bit0 enable */
	CMD(SCMI_SENSOR_TRIP_POINT_NOTIFY, "SENSOR_TRIP_POINT_NOTIFY",
	    "sensor_id:u32 event_control:u32", "", 8, SCMI_CMD_NOTIFY),
	/* tp_config: bits 11:4 trip point id, bits 1:0 direction (0 off) */
	CMD(SCMI_SENSOR_TRIP_POINT_CONFIG, "SENSOR_TRIP_POINT_CONFIG",
	    "sensor_id:u32 tp_config:u32 value:u64", "", 16, 0),
	/* flags: bit0 async; readings as above */
	CMDA(SCMI_SENSOR_READING_GET, "SENSOR_READING_GET", "sensor_id:u32 flags:u32",
	     "readings[]:u32", 8, 0, "sensor_id:u32 readings[]:u32"),
	/*
	 * List word: bits 5:0 returned, 31:26 remaining. Entry: axis_id,
	 * attributes_low, attributes_high, name (4 words) and with
	 * attributes_low bit8 resolution, min_range (u64), max_range (u64).
	 */
	CMD(SCMI_SENSOR_AXIS_DESCRIPTION_GET, "SENSOR_AXIS_DESCRIPTION_GET",
	    "sensor_id:u32 axis_desc_index:u32", "num_axis_flags:u32 descs[]:u32", 8,
	    SCMI_CMD_LIST),
	/*
	 * List word: bits 11:0 returned, bit12 1 = segment triplet
	 * (lowest, highest, step), 31:16 remaining; entries: interval words.
	 */
	CMD(SCMI_SENSOR_LIST_UPDATE_INTERVALS, "SENSOR_LIST_UPDATE_INTERVALS",
	    "sensor_id:u32 index:u32", "num_intervals_flags:u32 intervals[]:u32", 8,
	    SCMI_CMD_LIST),
	CMD(SCMI_SENSOR_CONFIG_GET, "SENSOR_CONFIG_GET", "sensor_id:u32", "sensor_config:u32",
	    4, 0),
	CMD(SCMI_SENSOR_CONFIG_SET, "SENSOR_CONFIG_SET", "sensor_id:u32 sensor_config:u32", "",
	    8, 0),
	CMD(SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, "SENSOR_CONTINUOUS_UPDATE_NOTIFY",
	    "sensor_id:u32 notify_enable:u32", "", 8, SCMI_CMD_NOTIFY),
	CMD(SCMI_SENSOR_NAME_GET, "SENSOR_NAME_GET", "sensor_id:u32", "flags:u32 name:str64",
	    4, 0),
	/* List word as AXIS_DESCRIPTION_GET; entry 17 words: axis_id, name (64 bytes) */
	CMD(SCMI_SENSOR_AXIS_NAME_GET, "SENSOR_AXIS_NAME_GET",
	    "sensor_id:u32 axis_name_index:u32", "num_axis_flags:u32 names[]:u32", 8,
	    SCMI_CMD_LIST),
	C_NEGOTIATE("SENSOR"),
};

static const struct scmi_evt_desc sensor_evts[] = {
	/* trip_point_desc: trip point id and crossing direction (bit layout per spec) */
	EVT(SCMI_SENSOR_TRIP_POINT_EVENT, "SENSOR_TRIP_POINT_EVENT",
	    "agent_id:u32 sensor_id:u32 trip_point_desc:u32"),
	EVT(SCMI_SENSOR_UPDATE, "SENSOR_UPDATE", "agent_id:u32 sensor_id:u32 readings[]:u32"),
};

/* ---- RESET 0x16, v3.1 --------------------------------------------------- */
static const struct scmi_cmd_desc reset_cmds[] = {
	C_VERSION("RESET"),
	/* attributes: bits 15:0 num_domains */
	C_ATTRS("RESET", "attributes:u32"),
	C_MSG_ATTRS("RESET"),
	/* attributes: bit31 async, bit30 notifications, bit29 extended name */
	CMD(SCMI_RESET_DOMAIN_ATTRIBUTES, "RESET_DOMAIN_ATTRIBUTES", "domain_id:u32",
	    "attributes:u32 latency:u32 name:str16", 4, 0),
	/*
	 * flags: bit0 autonomous, bit1 explicit assert, bit2 async;
	 * reset_state: bit31 vendor, 0 = architectural cold reset.
	 */
	CMDA(SCMI_RESET, "RESET", "domain_id:u32 flags:u32 reset_state:u32", "", 12, 0,
	     "domain_id:u32"),
	CMD(SCMI_RESET_NOTIFY, "RESET_NOTIFY", "domain_id:u32 notify_enable:u32", "", 8,
	    SCMI_CMD_NOTIFY),
	CMD(SCMI_RESET_DOMAIN_NAME_GET, "RESET_DOMAIN_NAME_GET", "domain_id:u32",
	    "flags:u32 name:str64", 4, 0),
	C_NEGOTIATE("RESET"),
};

static const struct scmi_evt_desc reset_evts[] = {
	EVT(SCMI_RESET_ISSUED, "RESET_ISSUED", "agent_id:u32 domain_id:u32 reset_state:u32"),
};

/* ---- VOLTAGE 0x17, v2.1 ------------------------------------------------- */
static const struct scmi_cmd_desc voltage_cmds[] = {
	C_VERSION("VOLTAGE"),
	/* attributes: bits 15:0 num_domains */
	C_ATTRS("VOLTAGE", "attributes:u32"),
	C_MSG_ATTRS("VOLTAGE"),
	/* attributes: bit31 async level set, bit30 extended name */
	CMD(SCMI_VOLTAGE_DOMAIN_ATTRIBUTES, "VOLTAGE_DOMAIN_ATTRIBUTES", "domain_id:u32",
	    "attributes:u32 name:str16", 4, 0),
	/*
	 * List word: bits 11:0 returned, bit12 1 = segment triplet
	 * (lowest, highest, step), 31:16 remaining; entries: i32 microvolts.
	 */
	CMD(SCMI_VOLTAGE_DESCRIBE_LEVELS, "VOLTAGE_DESCRIBE_LEVELS",
	    "domain_id:u32 level_index:u32", "flags:u32 levels[]:u32", 8, SCMI_CMD_LIST),
	/* config: bits 3:0 mode (0 off, 7 on; 8-15 vendor) */
	CMD(SCMI_VOLTAGE_CONFIG_SET, "VOLTAGE_CONFIG_SET", "domain_id:u32 config:u32", "", 8, 0),
	CMD(SCMI_VOLTAGE_CONFIG_GET, "VOLTAGE_CONFIG_GET", "domain_id:u32", "config:u32", 4, 0),
	/* flags: bit0 async */
	CMDA(SCMI_VOLTAGE_LEVEL_SET, "VOLTAGE_LEVEL_SET",
	     "domain_id:u32 flags:u32 voltage_level:i32", "", 12, 0,
	     "domain_id:u32 voltage_level:i32"),
	CMD(SCMI_VOLTAGE_LEVEL_GET, "VOLTAGE_LEVEL_GET", "domain_id:u32", "voltage_level:i32",
	    4, 0),
	CMD(SCMI_VOLTAGE_DOMAIN_NAME_GET, "VOLTAGE_DOMAIN_NAME_GET", "domain_id:u32",
	    "flags:u32 name:str64", 4, 0),
	C_NEGOTIATE("VOLTAGE"),
};

/* ---- POWERCAP 0x18, v2.0 ------------------------------------------------ */
static const struct scmi_cmd_desc powercap_cmds[] = {
	C_VERSION("POWERCAP"),
	/* attributes: bits 15:0 num_domains */
	C_ATTRS("POWERCAP", "attributes:u32"),
	C_MSG_ATTRS("POWERCAP"),
	/*
	 * attributes: bit31 cap change notify, bit30 measurement notify,
	 * bit29 async cap set, bit28 extended name, bit27 cap config,
	 * bit26 monitoring, bit25 PAI config, bits 24:23 power unit,
	 * bit22 fastchannels
	 */
	CMD(SCMI_POWERCAP_DOMAIN_ATTRIBUTES, "POWERCAP_DOMAIN_ATTRIBUTES", "domain_id:u32",
	    "attributes:u32 name:str16 min_pai:u32 max_pai:u32 pai_step:u32 "
	    "min_power_cap:u32 max_power_cap:u32 power_cap_step:u32 sustainable_power:u32 "
	    "accuracy:u32 parent_id:u32", 4, 0),
	CMD(SCMI_POWERCAP_CAP_GET, "POWERCAP_CAP_GET", "domain_id:u32", "power_cap:u32", 4, 0),
	/* flags: bit1 async, bit0 ignore delayed response */
	CMDA(SCMI_POWERCAP_CAP_SET, "POWERCAP_CAP_SET", "domain_id:u32 flags:u32 power_cap:u32",
	     "", 12, 0, "domain_id:u32 power_cap:u32"),
	CMD(SCMI_POWERCAP_PAI_GET, "POWERCAP_PAI_GET", "domain_id:u32", "pai:u32", 4, 0),
	/* flags: reserved, zero */
	CMD(SCMI_POWERCAP_PAI_SET, "POWERCAP_PAI_SET", "domain_id:u32 flags:u32 pai:u32", "",
	    12, 0),
	CMD(SCMI_POWERCAP_DOMAIN_NAME_GET, "POWERCAP_DOMAIN_NAME_GET", "domain_id:u32",
	    "flags:u32 name:str64", 4, 0),
	CMD(SCMI_POWERCAP_MEASUREMENTS_GET, "POWERCAP_MEASUREMENTS_GET", "domain_id:u32",
	    "power:u32 pai:u32", 4, 0),
	CMD(SCMI_POWERCAP_CAP_NOTIFY, "POWERCAP_CAP_NOTIFY", "domain_id:u32 notify_enable:u32",
	    "", 8, SCMI_CMD_NOTIFY),
	CMD(SCMI_POWERCAP_MEASUREMENTS_NOTIFY, "POWERCAP_MEASUREMENTS_NOTIFY",
	    "domain_id:u32 notify_enable:u32 threshold_low:u32 threshold_high:u32", "", 16,
	    SCMI_CMD_NOTIFY),
	/* same reply as PERF_DESCRIBE_FASTCHANNEL */
	CMD(SCMI_POWERCAP_DESCRIBE_FASTCHANNEL, "POWERCAP_DESCRIBE_FASTCHANNEL",
	    "domain_id:u32 message_id:u32",
	    "attributes:u32 rate_limit_us:u32 chan_addr_low:u32 chan_addr_high:u32 "
	    "chan_size:u32 db_addr_low:u32 db_addr_high:u32 db_set_lmask:u32 "
	    "db_set_hmask:u32 db_preserve_lmask:u32 db_preserve_hmask:u32", 8, 0),
	C_NEGOTIATE("POWERCAP"),
};

static const struct scmi_evt_desc powercap_evts[] = {
	EVT(SCMI_POWERCAP_CAP_CHANGED, "POWERCAP_CAP_CHANGED",
	    "agent_id:u32 domain_id:u32 power_cap:u32 pai:u32"),
	EVT(SCMI_POWERCAP_MEASUREMENTS_CHANGED, "POWERCAP_MEASUREMENTS_CHANGED",
	    "agent_id:u32 domain_id:u32 power:u32"),
};

/* ---- PINCTRL 0x19, v1.0 ------------------------------------------------- */
/*
 * flags/attributes selector type in bits 1:0: 0 pin, 1 group, 2 function.
 */
static const struct scmi_cmd_desc pinctrl_cmds[] = {
	C_VERSION("PINCTRL"),
	/*
	 * attributes_low: bits 31:16 num_groups, 15:0 num_pins;
	 * attributes_high: bits 15:0 num_functions
	 */
	C_ATTRS("PINCTRL", "attributes_low:u32 attributes_high:u32"),
	C_MSG_ATTRS("PINCTRL"),
	/*
	 * flags: bits 1:0 selector type. attributes: bit31 extended name,
	 * bits 15:0 number of pins (group) or groups (function).
	 */
	CMD(SCMI_PINCTRL_ATTRIBUTES, "PINCTRL_ATTRIBUTES", "identifier:u32 flags:u32",
	    "attributes:u32 name:str16", 8, 0),
	/*
	 * flags (req): bits 1:0 selector type (group or function).
	 * List word: bits 11:0 returned, 31:16 remaining; entries: le16 pin
	 * or group ids.
	 */
	CMD(SCMI_PINCTRL_LIST_ASSOCIATIONS, "PINCTRL_LIST_ASSOCIATIONS",
	    "identifier:u32 flags:u32 index:u32", "flags:u32 ids[]:u16", 12, SCMI_CMD_LIST),
	/*
	 * attributes: bits 19:18 config flag (0 one config, 1 all configs,
	 * 2 function only), bits 17:16 selector type, bits 15:8 skip configs,
	 * bits 7:0 config type. Reply: num_configs bits 7:0 returned,
	 * 31:24 remaining; entries are (type, value) word pairs.
	 */
	CMD(SCMI_PINCTRL_SETTINGS_GET, "PINCTRL_SETTINGS_GET", "identifier:u32 attributes:u32",
	    "function_selected:u32 num_configs:u32 configs[]:u32", 8, SCMI_CMD_LIST),
	/*
	 * attributes: bit10 function id valid, bits 9:2 number of configs,
	 * bits 1:0 selector type; followed by that many (type, value) pairs.
	 */
	CMD(SCMI_PINCTRL_SETTINGS_CONFIGURE, "PINCTRL_SETTINGS_CONFIGURE",
	    "identifier:u32 function_id:u32 attributes:u32 configs[]:u32", "", 12,
	    SCMI_CMD_VARLEN),
	CMD(SCMI_PINCTRL_REQUEST, "PINCTRL_REQUEST", "identifier:u32 flags:u32", "", 8, 0),
	CMD(SCMI_PINCTRL_RELEASE, "PINCTRL_RELEASE", "identifier:u32 flags:u32", "", 8, 0),
	CMD(SCMI_PINCTRL_NAME_GET, "PINCTRL_NAME_GET", "identifier:u32 flags:u32",
	    "flags:u32 name:str64", 8, 0),
	/* flags: bits 1:0 selector type, bit2 1 = allow */
	CMD(SCMI_PINCTRL_SET_PERMISSIONS, "PINCTRL_SET_PERMISSIONS",
	    "agent_id:u32 identifier:u32 flags:u32", "", 12, 0),
	C_NEGOTIATE("PINCTRL"),
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define PROTO(pid, nm, ver, c) \
	static const struct scmi_proto_desc proto_##c = { \
		.id = (pid), .name = (nm), .version = (ver), \
		.cmds = c##_cmds, .ncmds = ARRAY_LEN(c##_cmds), \
		.evts = c##_evts, .nevts = ARRAY_LEN(c##_evts), \
	}

PROTO(SCMI_PROTO_BASE, "base", SCMI_VERSION_BASE, base);
PROTO(SCMI_PROTO_POWER, "power", SCMI_VERSION_POWER, power);
PROTO(SCMI_PROTO_SYSTEM, "system", SCMI_VERSION_SYSTEM, system);
PROTO(SCMI_PROTO_PERF, "perf", SCMI_VERSION_PERF, perf);
PROTO(SCMI_PROTO_CLOCK, "clock", SCMI_VERSION_CLOCK, clock);
PROTO(SCMI_PROTO_SENSOR, "sensor", SCMI_VERSION_SENSOR, sensor);
PROTO(SCMI_PROTO_RESET, "reset", SCMI_VERSION_RESET, reset);
PROTO(SCMI_PROTO_POWERCAP, "powercap", SCMI_VERSION_POWERCAP, powercap);

static const struct scmi_proto_desc proto_voltage = {
	.id = SCMI_PROTO_VOLTAGE, .name = "voltage", .version = SCMI_VERSION_VOLTAGE,
	.cmds = voltage_cmds, .ncmds = ARRAY_LEN(voltage_cmds), .evts = NULL, .nevts = 0,
};
static const struct scmi_proto_desc proto_pinctrl = {
	.id = SCMI_PROTO_PINCTRL, .name = "pinctrl", .version = SCMI_VERSION_PINCTRL,
	.cmds = pinctrl_cmds, .ncmds = ARRAY_LEN(pinctrl_cmds), .evts = NULL, .nevts = 0,
};

const struct scmi_proto_desc *const scmi_protocols[] = {
	&proto_base, &proto_power, &proto_system, &proto_perf, &proto_clock,
	&proto_sensor, &proto_reset, &proto_voltage, &proto_powercap, &proto_pinctrl,
};
const size_t scmi_nprotocols = ARRAY_LEN(scmi_protocols);
