// SPDX-License-Identifier: GPL-2.0-only
/*
 * scmi-xl's config derivation (see xl_derive.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mediator/scmi_proto.h"
#include "xen/xl_derive.h"

static const struct {
	const char *name;
	uint8_t id;
} proto_names[] = {
	{ "power", SCMI_PROTO_POWER }, { "system", SCMI_PROTO_SYSTEM },
	{ "perf", SCMI_PROTO_PERF }, { "clock", SCMI_PROTO_CLOCK },
	{ "sensor", SCMI_PROTO_SENSOR }, { "reset", SCMI_PROTO_RESET },
	{ "voltage", SCMI_PROTO_VOLTAGE }, { "powercap", SCMI_PROTO_POWERCAP },
	{ "pinctrl", SCMI_PROTO_PINCTRL },
};

static const uint8_t default_protocols[] = {
	SCMI_PROTO_POWER, SCMI_PROTO_PERF, SCMI_PROTO_CLOCK, SCMI_PROTO_SENSOR, SCMI_PROTO_RESET,
};

int xl_scmi_protocol_id(const char *s)
{
	char *end;
	unsigned long v;

	for (unsigned i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
		if (!strcmp(s, proto_names[i].name))
			return proto_names[i].id;
	if (!*s)
		return -1;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v < SCMI_PROTO_POWER || v > 0xff ||
	    (v > SCMI_PROTO_PINCTRL && v < SCMI_PROTO_VENDOR_MIN))
		return -1;
	return (int)v;
}

static int read_protocols(struct cfg *c, struct xl_scmi_plan *p)
{
	int n, rc = cfg_get_list(c, "scmi_protocols", &n);

	if (rc < 0)
		return -1;
	if (rc == 1) {
		memcpy(p->protocols, default_protocols, sizeof(default_protocols));
		p->n_protocols = sizeof(default_protocols);
		p->protocols_default = true;
		return 0;
	}
	if (n > XL_DERIVE_MAX_PROTOCOLS) {
		cfg_error(c, cfg_line(c, "scmi_protocols"), "at most %d protocols",
			  XL_DERIVE_MAX_PROTOCOLS);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const char *s = cfg_list_item(c, "scmi_protocols", i);
		int id = s ? xl_scmi_protocol_id(s) : -1;

		if (id < 0) {
			cfg_error(c, cfg_item_line(c, "scmi_protocols", i),
				  "unknown SCMI protocol '%s' (power, system, perf, clock, sensor, "
				  "reset, voltage, powercap, pinctrl, or 0x80-0xff)", s ? s : "");
			return -1;
		}
		for (unsigned j = 0; j < p->n_protocols; j++)
			if (p->protocols[j] == id) {
				cfg_error(c, cfg_item_line(c, "scmi_protocols", i),
					  "protocol '%s' listed twice", s);
				return -1;
			}
		p->protocols[p->n_protocols++] = (uint8_t)id;
	}
	return 0;
}

static int read_idmap(struct cfg *c, struct xl_scmi_plan *p)
{
	int n, rc = cfg_get_list(c, "scmi_idmap", &n);

	if (rc < 0)
		return -1;
	if (n > XL_DERIVE_MAX_MAP) {
		cfg_error(c, cfg_line(c, "scmi_idmap"), "at most %d mappings", XL_DERIVE_MAX_MAP);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		int line = cfg_item_line(c, "scmi_idmap", i);
		const char *text = cfg_list_item(c, "scmi_idmap", i), *proto;
		struct scmi_dt_map *m = &p->map[p->n_map];
		uint64_t host, guest;
		struct spec s;
		int id, bad = 0;

		if (!text || spec_parse(&s, c, line, text))
			return -1;
		if (spec_str(&s, "protocol", &proto, NULL) != 0 || !proto) {
			cfg_error(c, line, "scmi_idmap entry needs protocol=");
			bad = 1;
		} else if ((id = xl_scmi_protocol_id(proto)) < 0) {
			cfg_error(c, line, "unknown SCMI protocol '%s'", proto);
			bad = 1;
		} else {
			m->protocol = (uint8_t)id;
		}
		if (spec_u64(&s, "host", &host, 0, 0, UINT32_MAX) != 0 ||
		    spec_u64(&s, "guest", &guest, 0, 0, UINT32_MAX) != 0) {
			if (!bad)
				cfg_error(c, line, "scmi_idmap entry needs host= and guest= ids");
			bad = 1;
		}
		if (spec_check_unused(&s))
			bad = 1;
		spec_free(&s);
		if (bad)
			return -1;
		m->host_id = (uint32_t)host;
		m->guest_id = (uint32_t)guest;
		for (unsigned j = 0; j < p->n_map; j++) {
			if (p->map[j].protocol != m->protocol)
				continue;
			if (p->map[j].host_id == m->host_id ||
			    p->map[j].guest_id == m->guest_id) {
				cfg_error(c, line,
					  "protocol 0x%x: host id %u or guest id %u mapped twice",
					  m->protocol, m->host_id, m->guest_id);
				return -1;
			}
		}
		p->n_map++;
	}
	return 0;
}

int xl_scmi_plan_read(struct cfg *c, struct xl_scmi_plan *p, int xen_minor)
{
	const char *scmi, *transport;
	bool b;

	memset(p, 0, sizeof(*p));
	if (cfg_get_str(c, "scmi", &scmi, NULL) < 0)
		return -1;
	if (!scmi)
		return 0;
	if (strcmp(scmi, "virtio")) {
		cfg_error(c, cfg_line(c, "scmi"), "scmi = \"%s\": only \"virtio\" is supported",
			  scmi);
		return -1;
	}
	p->enabled = true;
	if (cfg_get_str(c, "name", &p->name, NULL) < 0 || !p->name) {
		cfg_error(c, 0, "the guest config has no name");
		return -1;
	}
	if (cfg_get_str(c, "scmi_policy", &p->policy, NULL) < 0 ||
	    cfg_get_str(c, "device_tree", &p->base_dt, NULL) < 0 ||
	    cfg_get_str(c, "scmi_marker", &p->marker, XL_DERIVE_DEFAULT_MARKER) < 0 ||
	    cfg_get_str(c, "scmi_vdev", &p->vdev, "xvdz") < 0 ||
	    cfg_get_str(c, "scmi_transport", &transport, NULL) < 0)
		return -1;
	if (!transport)
		p->transport = xen_minor >= 0 && xen_minor < 18 ? XL_SCMI_VIRTIO_DISK :
			XL_SCMI_VIRTIO;
	else if (!strcmp(transport, "virtio"))
		p->transport = XL_SCMI_VIRTIO;
	else if (!strcmp(transport, "virtio_disk"))
		p->transport = XL_SCMI_VIRTIO_DISK;
	else {
		cfg_error(c, cfg_line(c, "scmi_transport"),
			  "scmi_transport must be \"virtio\" (Xen 4.18+) or \"virtio_disk\" "
			  "(Xen 4.17)");
		return -1;
	}
	if (p->transport == XL_SCMI_VIRTIO && xen_minor >= 0 && xen_minor < 18) {
		cfg_error(c, cfg_line(c, "scmi_transport"),
			  "Xen 4.%d has no generic virtio devices: use scmi_transport = "
			  "\"virtio_disk\"", xen_minor);
		return -1;
	}
	if (cfg_get_bool(c, "scmi_grant_usage", &b, false) < 0)
		return -1;
	p->grant_usage = b;
	if (p->grant_usage && p->transport == XL_SCMI_VIRTIO_DISK) {
		cfg_error(c, cfg_line(c, "scmi_grant_usage"),
			  "grants need the 4.18+ virtio transport; the virtio_disk slot uses "
			  "foreign mappings");
		return -1;
	}
	if (p->marker[0] != '/' || strpbrk(p->marker, ",\"'\\ ")) {
		cfg_error(c, cfg_line(c, "scmi_marker"),
			  "scmi_marker must be an absolute path without ',', quotes or spaces");
		return -1;
	}
	if (strncmp(p->vdev, "xvd", 3) || strspn(p->vdev + 3, "abcdefghijklmnopqrstuvwxyz") !=
	    strlen(p->vdev + 3) || !p->vdev[3]) {
		cfg_error(c, cfg_line(c, "scmi_vdev"), "scmi_vdev must look like xvdz");
		return -1;
	}
	if (read_protocols(c, p) || read_idmap(c, p))
		return -1;
	return 0;
}

static const char *proto_name(uint8_t id, char *buf, size_t len)
{
	for (unsigned i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
		if (proto_names[i].id == id)
			return proto_names[i].name;
	snprintf(buf, len, "0x%02x", id);
	return buf;
}

int xl_scmi_plan_apply_policy(struct cfg *c, struct xl_scmi_plan *p, const bool granted[256])
{
	unsigned n = 0;
	char buf[8];
	int rc = 0;

	if (!p->enabled)
		return 0;
	if (p->protocols_default) {
		for (unsigned i = 0; i < p->n_protocols; i++)
			if (granted[p->protocols[i]])
				p->protocols[n++] = p->protocols[i];
		p->n_protocols = n;
		return 0;
	}
	/* p->protocols is scmi_protocols in list order. */
	for (unsigned i = 0; i < p->n_protocols; i++)
		if (!granted[p->protocols[i]]) {
			cfg_error(c, cfg_item_line(c, "scmi_protocols", (int)i),
				  "protocol '%s' is not granted by the policy %s",
				  proto_name(p->protocols[i], buf, sizeof(buf)), p->policy);
			rc = -1;
		}
	return rc;
}

/* A string in xl.cfg syntax. */
static void put_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

/* key = [ <existing items>, extra ] */
static int put_list(struct cfg *c, FILE *out, const char *key, const char *extra)
{
	int n;

	if (cfg_get_list(c, key, &n) < 0)
		return -1;
	fprintf(out, "%s = [ ", key);
	for (int i = 0; i < n; i++) {
		const char *item = cfg_list_item(c, key, i);

		if (!item) {
			cfg_error(c, cfg_item_line(c, key, i), "'%s' items must be strings", key);
			return -1;
		}
		put_quoted(out, item);
		fputs(", ", out);
	}
	put_quoted(out, extra);
	fputs(" ]\n", out);
	return 0;
}

static bool list_has(struct cfg *c, const char *key, const char *needle, int *line)
{
	int n;

	if (cfg_get_list(c, key, &n) < 0)
		return false;
	for (int i = 0; i < n; i++) {
		const char *item = cfg_list_item(c, key, i);

		if (item && strstr(item, needle)) {
			*line = cfg_item_line(c, key, i);
			return true;
		}
	}
	return false;
}

int xl_scmi_write_derived(struct cfg *c, const struct xl_scmi_plan *p, const char *orig,
			  size_t orig_len, const char *dtb_path, FILE *out)
{
	char entry[512], needle[64];
	int line;

	if (!p->enabled)
		return -1;
	if (p->transport == XL_SCMI_VIRTIO) {
		if (list_has(c, "virtio", "device20", &line)) {
			cfg_error(c, line, "the config already has a virtio SCMI device (a Linux "
				  "guest takes only one)");
			return -1;
		}
		snprintf(entry, sizeof(entry),
			 "type=virtio,device20,transport=mmio,grant_usage=%d",
			 p->grant_usage ? 1 : 0);
	} else {
		snprintf(needle, sizeof(needle), "vdev=%s", p->vdev);
		if (list_has(c, "disk", needle, &line)) {
			cfg_error(c, line, "disk %s is taken; choose another scmi_vdev", p->vdev);
			return -1;
		}
		snprintf(entry, sizeof(entry),
			 "format=raw,vdev=%s,access=rw,backendtype=standalone,"
			 "specification=virtio,target=%s", p->vdev, p->marker);
	}
	if (fwrite(orig, 1, orig_len, out) != orig_len)
		return -1;
	if (orig_len && orig[orig_len - 1] != '\n')
		fputc('\n', out);
	fprintf(out, "\n# ---- added by scmi-xl: virtio-scmi (%s) ----\n",
		p->transport == XL_SCMI_VIRTIO ? "Xen 4.18+ virtio device" :
		"Xen 4.17 virtio_disk slot served as device id 32");
	if (put_list(c, out, p->transport == XL_SCMI_VIRTIO ? "virtio" : "disk", entry))
		return -1;
	fputs("device_tree = ", out);
	put_quoted(out, dtb_path);
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}
