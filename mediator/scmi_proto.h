/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SCMI protocol constants (Arm DEN0056, v3.2): the one place where protocol
 * ids, message ids, status codes and header fields are defined.
 *
 * Versions are the ones Linux 6.12 drivers/firmware/arm_scmi/ negotiates.
 */
#ifndef SCMI_PROTO_H
#define SCMI_PROTO_H

#include <stdint.h>

/* ---- Message header --------------------------------------------------- */
#define SCMI_HDR_MSG_ID_MASK    0x000000ffu
#define SCMI_HDR_TYPE_SHIFT     8
#define SCMI_HDR_TYPE_MASK      0x00000300u
#define SCMI_HDR_PROTO_SHIFT    10
#define SCMI_HDR_PROTO_MASK     0x0003fc00u
#define SCMI_HDR_TOKEN_SHIFT    18
#define SCMI_HDR_TOKEN_MASK     0x0ffc0000u
#define SCMI_HDR_RESERVED_MASK  0xf0000000u
#define SCMI_TOKEN_MAX          1024u

enum scmi_msg_type {
	SCMI_MSG_COMMAND = 0,
	SCMI_MSG_TYPE_RESERVED = 1,
	SCMI_MSG_DELAYED_RESP = 2,
	SCMI_MSG_NOTIFICATION = 3,
};

/* Every response starts with an int32 status. */
enum scmi_status {
	SCMI_SUCCESS = 0,
	SCMI_NOT_SUPPORTED = -1,
	SCMI_INVALID_PARAMETERS = -2,
	SCMI_DENIED = -3,
	SCMI_NOT_FOUND = -4,
	SCMI_OUT_OF_RANGE = -5,
	SCMI_BUSY = -6,
	SCMI_COMMS_ERROR = -7,
	SCMI_GENERIC_ERROR = -8,
	SCMI_HARDWARE_ERROR = -9,
	SCMI_PROTOCOL_ERROR = -10,
	SCMI_IN_USE = -11,
};

/* ---- Protocol ids and the versions we implement/expect ----------------- */
enum scmi_protocol_id {
	SCMI_PROTO_BASE = 0x10,
	SCMI_PROTO_POWER = 0x11,
	SCMI_PROTO_SYSTEM = 0x12,
	SCMI_PROTO_PERF = 0x13,
	SCMI_PROTO_CLOCK = 0x14,
	SCMI_PROTO_SENSOR = 0x15,
	SCMI_PROTO_RESET = 0x16,
	SCMI_PROTO_VOLTAGE = 0x17,
	SCMI_PROTO_POWERCAP = 0x18,
	SCMI_PROTO_PINCTRL = 0x19,
};
/* 0x80-0xff: vendor/platform specific protocols */
#define SCMI_PROTO_VENDOR_MIN 0x80u

#define SCMI_VERSION_BASE     0x20001u
#define SCMI_VERSION_POWER    0x30001u
#define SCMI_VERSION_SYSTEM   0x20001u
#define SCMI_VERSION_PERF     0x40000u
#define SCMI_VERSION_CLOCK    0x30000u
#define SCMI_VERSION_SENSOR   0x30001u
#define SCMI_VERSION_RESET    0x30001u
#define SCMI_VERSION_VOLTAGE  0x20001u
#define SCMI_VERSION_POWERCAP 0x20000u
#define SCMI_VERSION_PINCTRL  0x10000u

/* ---- Commands common to every protocol --------------------------------- */
#define SCMI_PROTOCOL_VERSION              0x0
#define SCMI_PROTOCOL_ATTRIBUTES           0x1
#define SCMI_PROTOCOL_MESSAGE_ATTRIBUTES   0x2
#define SCMI_NEGOTIATE_PROTOCOL_VERSION    0x10
/* bit0 of every *_NOTIFY command's notify_enable/event_control word */
#define SCMI_NOTIFY_ENABLE                 0x1u

/* ---- BASE (0x10) ------------------------------------------------------- */
#define SCMI_BASE_DISCOVER_VENDOR                 0x3
#define SCMI_BASE_DISCOVER_SUB_VENDOR             0x4
#define SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION 0x5
#define SCMI_BASE_DISCOVER_LIST_PROTOCOLS         0x6
#define SCMI_BASE_DISCOVER_AGENT                  0x7
#define SCMI_BASE_NOTIFY_ERRORS                   0x8
#define SCMI_BASE_SET_DEVICE_PERMISSIONS          0x9
#define SCMI_BASE_SET_PROTOCOL_PERMISSIONS        0xa
#define SCMI_BASE_RESET_AGENT_CONFIGURATION       0xb
/* notifications */
#define SCMI_BASE_ERROR_EVENT                     0x0
#define SCMI_BASE_AGENT_ID_OWN                    0xffffffffu
#define SCMI_BASE_ACCESS_ALLOW      0x1u  /* SET_*_PERMISSIONS flags bit0 */
#define SCMI_BASE_RESET_PERMISSIONS 0x1u  /* RESET_AGENT_CONFIGURATION flags bit0 */
#define SCMI_BASE_NOTIFY_ENABLE     0x1u  /* NOTIFY_ERRORS flags bit0 */
#define SCMI_BASE_ERR_FATAL         (1u << 31) /* BASE_ERROR_EVENT error_status */

/* ---- POWER (0x11) ------------------------------------------------------ */
#define SCMI_POWER_DOMAIN_ATTRIBUTES   0x3
#define SCMI_POWER_STATE_SET           0x4
#define SCMI_POWER_STATE_GET           0x5
#define SCMI_POWER_STATE_NOTIFY        0x6
#define SCMI_POWER_DOMAIN_NAME_GET     0x8 /* 0x7 was removed in v3.0 */
#define SCMI_POWER_STATE_CHANGED       0x0   /* notification */
#define SCMI_POWER_STATE_ON            0x00000000u
#define SCMI_POWER_STATE_OFF           0x40000000u
#define SCMI_POWER_SET_ASYNC           0x1u  /* POWER_STATE_SET flags bit0 */
/* POWER_DOMAIN_ATTRIBUTES flags */
#define SCMI_POWER_ATTR_NOTIFY         (1u << 31)
#define SCMI_POWER_ATTR_ASYNC          (1u << 30)
#define SCMI_POWER_ATTR_SYNC           (1u << 29)
#define SCMI_POWER_ATTR_EXT_NAME       (1u << 27)
#define SCMI_POWER_STATE_RESERVED      0xb0000000u  /* bits 31, 29:28 */

/* ---- SYSTEM (0x12) ----------------------------------------------------- */
#define SCMI_SYSTEM_POWER_STATE_SET     0x3
#define SCMI_SYSTEM_POWER_STATE_GET     0x4 /* removed in v2.0: NOT_FOUND at v2.1 */
#define SCMI_SYSTEM_POWER_STATE_NOTIFY  0x5
#define SCMI_SYSTEM_POWER_STATE_NOTIFIER 0x0 /* notification */
#define SCMI_SYSTEM_SHUTDOWN    0x0u
#define SCMI_SYSTEM_COLDRESET   0x1u
#define SCMI_SYSTEM_WARMRESET   0x2u
#define SCMI_SYSTEM_POWERUP     0x3u
#define SCMI_SYSTEM_SUSPEND     0x4u
#define SCMI_SYSTEM_FLAG_GRACEFUL 0x1u /* SYSTEM_POWER_STATE_SET flags bit0 */
#define SCMI_SYSTEM_STATE_VENDOR  (1u << 31) /* vendor-defined system states */
/* PROTOCOL_MESSAGE_ATTRIBUTES of SYSTEM_POWER_STATE_SET */
#define SCMI_SYSTEM_ATTR_WARM_RESET (1u << 31)
#define SCMI_SYSTEM_ATTR_SUSPEND    (1u << 30)

/* ---- PERF (0x13) ------------------------------------------------------- */
#define SCMI_PERF_DOMAIN_ATTRIBUTES    0x3
#define SCMI_PERF_DESCRIBE_LEVELS      0x4
#define SCMI_PERF_LIMITS_SET           0x5
#define SCMI_PERF_LIMITS_GET           0x6
#define SCMI_PERF_LEVEL_SET            0x7
#define SCMI_PERF_LEVEL_GET            0x8
#define SCMI_PERF_NOTIFY_LIMITS        0x9
#define SCMI_PERF_NOTIFY_LEVEL         0xa
#define SCMI_PERF_DESCRIBE_FASTCHANNEL 0xb
#define SCMI_PERF_DOMAIN_NAME_GET      0xc
#define SCMI_PERF_LIMITS_CHANGED       0x0   /* notification */
#define SCMI_PERF_LEVEL_CHANGED        0x1   /* notification */
/* PERF_DOMAIN_ATTRIBUTES flags: v3.0 defines bits 31:26, v4.0 adds bit 25 */
#define SCMI_PERF_DOM_V3_MASK          0xfc000000u
#define SCMI_PERF_DOM_LEVEL_INDEXING   (1u << 25)
/* DESCRIBE_LEVELS entry: v3 (perf, power, latency), v4 (+ freq, index) */
#define SCMI_PERF_LEVEL_V3_LEN         12u
#define SCMI_PERF_LEVEL_V4_LEN         20u
/* list replies (DESCRIBE_LEVELS / DESCRIBE_RATES): bits 11:0 returned,
 * bits 31:16 remaining; CLOCK and VOLTAGE bit 12: min/max/step triplet */
#define SCMI_LIST_RETURNED_MASK        0xfffu
#define SCMI_LIST_REMAINING_SHIFT      16
#define SCMI_LIST_TRIPLET              (1u << 12)

/* ---- CLOCK (0x14) ------------------------------------------------------ */
#define SCMI_CLOCK_ATTRIBUTES                  0x3
#define SCMI_CLOCK_DESCRIBE_RATES              0x4
#define SCMI_CLOCK_RATE_SET                    0x5
#define SCMI_CLOCK_RATE_GET                    0x6
#define SCMI_CLOCK_CONFIG_SET                  0x7
#define SCMI_CLOCK_NAME_GET                    0x8
#define SCMI_CLOCK_RATE_NOTIFY                 0x9
#define SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY 0xa
#define SCMI_CLOCK_CONFIG_GET                  0xb
#define SCMI_CLOCK_POSSIBLE_PARENTS_GET        0xc
#define SCMI_CLOCK_PARENT_SET                  0xd
#define SCMI_CLOCK_PARENT_GET                  0xe
#define SCMI_CLOCK_GET_PERMISSIONS             0xf
/* CLOCK_GET_PERMISSIONS: bit31 state, bit30 parent, bit29 rate control */
#define SCMI_CLOCK_PERM_CONTROL                0xe0000000u
#define SCMI_CLOCK_RATE_CHANGED                0x0 /* notification */
/* CLOCK_ATTRIBUTES attributes: v2.0 defines bits 31:29 and 0 (v3.0 adds
 * 28 parents, 27 extended config, 1 restricted) */
#define SCMI_CLOCK_ATTR_V2_MASK                0xe0000001u
#define SCMI_CLOCK_RATE_CHANGE_REQUESTED       0x1 /* notification */
/* CLOCK_RATE_SET flags */
#define SCMI_CLOCK_SET_ASYNC          0x1u
#define SCMI_CLOCK_SET_IGNORE_DRESP   0x2u
#define SCMI_CLOCK_SET_ROUND_UP       0x4u
#define SCMI_CLOCK_SET_ROUND_AUTO     0x8u
/* CLOCK_CONFIG_SET attributes bits 1:0 */
#define SCMI_CLOCK_STATE_MASK         0x3u
#define SCMI_CLOCK_STATE_OFF          0x0u
#define SCMI_CLOCK_STATE_ON           0x1u
#define SCMI_CLOCK_STATE_UNCHANGED    0x3u

/* ---- SENSOR (0x15) ----------------------------------------------------- */
#define SCMI_SENSOR_DESCRIPTION_GET            0x3
#define SCMI_SENSOR_TRIP_POINT_NOTIFY          0x4
#define SCMI_SENSOR_TRIP_POINT_CONFIG          0x5
#define SCMI_SENSOR_READING_GET                0x6
#define SCMI_SENSOR_AXIS_DESCRIPTION_GET       0x7
#define SCMI_SENSOR_LIST_UPDATE_INTERVALS      0x8
#define SCMI_SENSOR_CONFIG_GET                 0x9
#define SCMI_SENSOR_CONFIG_SET                 0xa
#define SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY   0xb
#define SCMI_SENSOR_NAME_GET                   0xc
#define SCMI_SENSOR_AXIS_NAME_GET              0xd
#define SCMI_SENSOR_TRIP_POINT_EVENT           0x0 /* notification */
#define SCMI_SENSOR_UPDATE                     0x1 /* notification */
#define SCMI_SENSOR_READ_ASYNC                 0x1u /* READING_GET flags bit0 */
/* SENSOR_DESCRIPTION_GET entry: attributes_low bit8 extended attributes,
 * attributes_high bit8 multi-axis sensor */
#define SCMI_SENSOR_DESC_EXT_ATTRS             (1u << 8)
#define SCMI_SENSOR_DESC_AXES                  (1u << 8)

/* ---- RESET (0x16) ------------------------------------------------------ */
#define SCMI_RESET_DOMAIN_ATTRIBUTES   0x3
#define SCMI_RESET                     0x4
#define SCMI_RESET_NOTIFY              0x5
#define SCMI_RESET_DOMAIN_NAME_GET     0x6
#define SCMI_RESET_ISSUED              0x0 /* notification */
/* RESET flags */
#define SCMI_RESET_AUTONOMOUS          0x1u
#define SCMI_RESET_EXPLICIT_ASSERT     0x2u
#define SCMI_RESET_ASYNC               0x4u

/* ---- VOLTAGE (0x17) ---------------------------------------------------- */
#define SCMI_VOLTAGE_DOMAIN_ATTRIBUTES 0x3
#define SCMI_VOLTAGE_DESCRIBE_LEVELS   0x4
#define SCMI_VOLTAGE_CONFIG_SET        0x5
#define SCMI_VOLTAGE_CONFIG_GET        0x6
#define SCMI_VOLTAGE_LEVEL_SET         0x7
#define SCMI_VOLTAGE_LEVEL_GET         0x8
#define SCMI_VOLTAGE_DOMAIN_NAME_GET   0x9
#define SCMI_VOLTAGE_LEVEL_SET_ASYNC   0x1u /* LEVEL_SET flags bit0 */

/* ---- POWERCAP (0x18) --------------------------------------------------- */
#define SCMI_POWERCAP_DOMAIN_ATTRIBUTES     0x3
#define SCMI_POWERCAP_CAP_GET               0x4
#define SCMI_POWERCAP_CAP_SET               0x5
#define SCMI_POWERCAP_PAI_GET               0x6
#define SCMI_POWERCAP_PAI_SET               0x7
#define SCMI_POWERCAP_DOMAIN_NAME_GET       0x8
#define SCMI_POWERCAP_MEASUREMENTS_GET      0x9
#define SCMI_POWERCAP_CAP_NOTIFY            0xa
#define SCMI_POWERCAP_MEASUREMENTS_NOTIFY   0xb
#define SCMI_POWERCAP_DESCRIBE_FASTCHANNEL  0xc
#define SCMI_POWERCAP_CAP_CHANGED           0x0 /* notification */
#define SCMI_POWERCAP_MEASUREMENTS_CHANGED  0x1 /* notification */
/* POWERCAP_CAP_SET flags */
#define SCMI_POWERCAP_SET_IGNORE_DRESP      0x1u
#define SCMI_POWERCAP_SET_ASYNC             0x2u
#define SCMI_POWERCAP_ROOT_ZONE             0xffffffffu /* parent_id: no parent */

/* ---- PINCTRL (0x19) ---------------------------------------------------- */
#define SCMI_PINCTRL_ATTRIBUTES         0x3
#define SCMI_PINCTRL_LIST_ASSOCIATIONS  0x4
#define SCMI_PINCTRL_SETTINGS_GET       0x5
#define SCMI_PINCTRL_SETTINGS_CONFIGURE 0x6
#define SCMI_PINCTRL_REQUEST            0x7
#define SCMI_PINCTRL_RELEASE            0x8
#define SCMI_PINCTRL_NAME_GET           0x9
#define SCMI_PINCTRL_SET_PERMISSIONS    0xa
/* selector type, bits 1:0 of the flags/attributes words */
#define SCMI_PINCTRL_TYPE_PIN           0x0u
#define SCMI_PINCTRL_TYPE_GROUP         0x1u
#define SCMI_PINCTRL_TYPE_FUNCTION      0x2u
#define SCMI_PINCTRL_PERM_ALLOW         0x4u /* SET_PERMISSIONS flags bit2 */
#define SCMI_PINCTRL_NO_FUNCTION        0xffffffffu /* no function selected */
#define SCMI_PINCTRL_FUNC_VALID         (1u << 10)  /* SETTINGS_CONFIGURE attributes */

/* Short names are 16 bytes (NUL padded); extended names (NAME_GET) 64. */
#define SCMI_SHORT_NAME_LEN 16
#define SCMI_EXT_NAME_LEN   64

#endif /* SCMI_PROTO_H */
