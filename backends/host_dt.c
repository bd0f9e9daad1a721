// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host device tree scan for SCMI (libfdt). Every problem is recorded on
 * the SCMI node it concerns (usable = false, err = first reason); the scan
 * itself never fails on a valid FDT.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "host_dt.h"
#include "smt/smt.h"

#define HDT_SYSFS "/sys/firmware/fdt"
#define HDT_FILE_MAX (16u << 20)

static const struct {
	const char *compat;
	enum hdt_transport t;
} compats[] = {
	{ "arm,scmi", HDT_MAILBOX },
	{ "arm,scmi-smc", HDT_SMC },
	{ "arm,scmi-smc-param", HDT_SMC },
	{ "qcom,scmi-smc", HDT_SMC },
	{ "arm,scmi-virtio", HDT_VIRTIO },
	{ "linaro,scmi-optee", HDT_OPTEE },
};

const char *hdt_transport_name(enum hdt_transport t)
{
	switch (t) {
	case HDT_MAILBOX: return "mailbox";
	case HDT_SMC: return "smc";
	case HDT_VIRTIO: return "virtio";
	case HDT_OPTEE: return "optee";
	}
	return "?";
}

static void fail(struct hdt_scmi *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fail(struct hdt_scmi *s, const char *fmt, ...)
{
	va_list ap;

	s->usable = false;
	if (s->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
}

static void node_path(const void *fdt, int off, char *buf)
{
	if (fdt_get_path(fdt, off, buf, HDT_PATH_MAX) < 0)
		snprintf(buf, HDT_PATH_MAX, "<node@%d>", off);
}

static int read_cells(const fdt32_t *p, int n, uint64_t *v)
{
	int i;

	if (n < 0 || n > 2)
		return -1;
	*v = 0;
	for (i = 0; i < n; i++)
		*v = (*v << 32) | fdt32_to_cpu(p[i]);
	return 0;
}

/* Translate a bus address of node's parent bus up to the root. */
static int translate(const void *fdt, int node, uint64_t *addr, uint64_t size,
		     struct hdt_scmi *s)
{
	/* s may be a scratch record: callers decide whether it matters */
	char path[HDT_PATH_MAX];
	int cur = fdt_parent_offset(fdt, node);

	while (cur > 0) {
		int par = fdt_parent_offset(fdt, cur), len, cac, pac, sc, entry, i;
		const fdt32_t *r = fdt_getprop(fdt, cur, "ranges", &len);
		bool found = false;

		node_path(fdt, cur, path);
		if (par < 0) {
			fail(s, "%s: no parent", path);
			return -1;
		}
		if (!r) {
			fail(s, "%s: no 'ranges': its children's addresses are not CPU addresses",
			     path);
			return -1;
		}
		cac = fdt_address_cells(fdt, cur);
		pac = fdt_address_cells(fdt, par);
		sc = fdt_size_cells(fdt, cur);
		if (len == 0) {
			cur = par;
			continue;
		}
		entry = cac + pac + sc;
		if (cac < 0 || pac < 0 || sc < 0 || cac > 2 || pac > 2 || sc > 2 || !entry ||
		    len % (entry * 4)) {
			fail(s, "%s: malformed 'ranges' (%d bytes for %d+%d+%d cells)", path, len,
			     cac, pac, sc);
			return -1;
		}
		for (i = 0; i < len / (entry * 4) && !found; i++) {
			const fdt32_t *e = r + i * entry;
			uint64_t cb, pb, sz;

			read_cells(e, cac, &cb);
			read_cells(e + cac, pac, &pb);
			read_cells(e + cac + pac, sc, &sz);
			if (*addr >= cb && *addr - cb < sz && size <= sz - (*addr - cb)) {
				*addr = pb + (*addr - cb);
				found = true;
			}
		}
		if (!found) {
			fail(s, "%s: 'ranges' do not cover 0x%llx+0x%llx", path,
			     (unsigned long long)*addr, (unsigned long long)size);
			return -1;
		}
		cur = par;
	}
	return 0;
}

static int parse_shmem(const void *fdt, uint32_t ph, struct hdt_shmem *m, struct hdt_scmi *s)
{
	int off = fdt_node_offset_by_phandle(fdt, ph), par, len, ac, sc;
	const fdt32_t *reg;

	memset(m, 0, sizeof(*m));
	m->phandle = ph;
	if (off < 0) {
		fail(s, "%s: shmem phandle 0x%x points nowhere", s->path, ph);
		return -1;
	}
	node_path(fdt, off, m->path);
	if (fdt_node_check_compatible(fdt, off, "arm,scmi-shmem")) {
		fail(s, "%s: not compatible with arm,scmi-shmem", m->path);
		return -1;
	}
	par = fdt_parent_offset(fdt, off);
	ac = par >= 0 ? fdt_address_cells(fdt, par) : -1;
	sc = par >= 0 ? fdt_size_cells(fdt, par) : -1;
	reg = fdt_getprop(fdt, off, "reg", &len);
	if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len < (ac + sc) * 4) {
		fail(s, "%s: missing or malformed 'reg' (%d bytes, %d address + %d size cells)",
		     m->path, reg ? len : 0, ac, sc);
		return -1;
	}
	read_cells(reg, ac, &m->addr);
	read_cells(reg + ac, sc, &m->size);
	if (m->size < SMT_AREA_MIN) {
		fail(s, "%s: region of %llu bytes is smaller than an SMT area (%u)", m->path,
		     (unsigned long long)m->size, SMT_AREA_MIN);
		return -1;
	}
	if (m->addr + m->size < m->addr) {
		fail(s, "%s: region wraps around", m->path);
		return -1;
	}
	return translate(fdt, off, &m->addr, m->size, s);
}

/* The controller's first reg entry as a CPU address (best effort: a
 * controller the mediator does not drive needs no address). */
static void ctrl_reg(const void *fdt, int ctrl, struct hdt_mbox *m)
{
	static struct hdt_scmi scratch;
	int par = fdt_parent_offset(fdt, ctrl), ac, sc, len;
	const fdt32_t *reg = fdt_getprop(fdt, ctrl, "reg", &len);
	const char *c = fdt_stringlist_get(fdt, ctrl, "compatible", 0, NULL);
	uint64_t a;

	if (c)
		snprintf(m->ctrl_compat, sizeof(m->ctrl_compat), "%s", c);
	if (par < 0 || !reg)
		return;
	ac = fdt_address_cells(fdt, par);
	sc = fdt_size_cells(fdt, par);
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2 || len < (ac + sc) * 4)
		return;
	read_cells(reg, ac, &a);
	scratch.err[0] = '\0';
	if (translate(fdt, ctrl, &a, 4, &scratch))
		return;
	m->ctrl_addr = a;
	m->has_ctrl_addr = true;
}

static void parse_mboxes(const void *fdt, int node, struct hdt_chan *ch, struct hdt_scmi *s)
{
	int len, i = 0, n = 0, names;
	const fdt32_t *p = fdt_getprop(fdt, node, "mboxes", &len);

	if (!p)
		return;
	len /= 4;
	names = fdt_stringlist_count(fdt, node, "mbox-names");
	while (i < len) {
		struct hdt_mbox *m;
		uint32_t ph = fdt32_to_cpu(p[i]);
		int ctrl = fdt_node_offset_by_phandle(fdt, ph), clen;
		const fdt32_t *cells;
		uint32_t nc;

		if (n >= HDT_MAX_MBOX) {
			fail(s, "%s: more than %d mailboxes", s->path, HDT_MAX_MBOX);
			return;
		}
		if (ctrl < 0) {
			fail(s, "%s: mailbox phandle 0x%x points nowhere", s->path, ph);
			return;
		}
		cells = fdt_getprop(fdt, ctrl, "#mbox-cells", &clen);
		m = &ch->mbox[n];
		memset(m, 0, sizeof(*m));
		node_path(fdt, ctrl, m->ctrl);
		if (!cells || clen != 4) {
			fail(s, "%s: mailbox controller without '#mbox-cells'", m->ctrl);
			return;
		}
		nc = fdt32_to_cpu(*cells);
		if (nc > HDT_MAX_ARGS || (uint32_t)(len - i - 1) < nc) {
			fail(s, "%s: 'mboxes' too short for %u cells of %s", s->path, nc, m->ctrl);
			return;
		}
		m->phandle = ph;
		m->nargs = nc;
		ctrl_reg(fdt, ctrl, m);
		for (uint32_t k = 0; k < nc; k++)
			m->args[k] = fdt32_to_cpu(p[i + 1 + k]);
		if (n < names) {
			const char *nm = fdt_stringlist_get(fdt, node, "mbox-names", n, NULL);

			if (nm)
				snprintf(m->name, sizeof(m->name), "%s", nm);
		}
		i += 1 + (int)nc;
		n++;
	}
	ch->nmbox = (unsigned)n;
}

/* The channels a node declares; returns whether it declares any. */
static bool parse_chan(const void *fdt, int node, struct hdt_chan *ch, struct hdt_scmi *s)
{
	int len, i;
	const fdt32_t *p = fdt_getprop(fdt, node, "shmem", &len);

	memset(ch, 0, sizeof(*ch));
	if (p) {
		for (i = 0; i < len / 4; i++) {
			if (ch->nshmem >= HDT_MAX_SHMEM) {
				fail(s, "%s: more than %d shmem regions", s->path, HDT_MAX_SHMEM);
				break;
			}
			if (!parse_shmem(fdt, fdt32_to_cpu(p[i]), &ch->shmem[ch->nshmem], s))
				ch->nshmem++;
		}
	}
	parse_mboxes(fdt, node, ch, s);
	return p || fdt_getprop(fdt, node, "mboxes", NULL);
}

static void check_chan(const struct hdt_chan *ch, const char *path, struct hdt_scmi *s)
{
	if (!ch->nshmem)
		fail(s, "%s: no usable 'shmem' region", path);
	if (s->transport == HDT_MAILBOX && !ch->nmbox)
		fail(s, "%s: no 'mboxes'", path);
}

static void parse_scmi(const void *fdt, int off, enum hdt_transport t, const char *compat,
		       struct hdt_scmi *s)
{
	const fdt32_t *id;
	int len, sub;

	memset(s, 0, sizeof(*s));
	node_path(fdt, off, s->path);
	snprintf(s->compatible, sizeof(s->compatible), "%s", compat);
	s->transport = t;
	s->usable = true;
	if (t == HDT_VIRTIO || t == HDT_OPTEE)
		fail(s, "%s: %s transport is not usable by the mediator", s->path,
		     hdt_transport_name(t));
	id = fdt_getprop(fdt, off, "arm,smc-id", &len);
	if (id && len == 4) {
		s->smc_id = fdt32_to_cpu(*id);
		s->has_smc_id = true;
	} else if (t == HDT_SMC) {
		fail(s, "%s: no (or malformed) 'arm,smc-id'", s->path);
	}
	parse_chan(fdt, off, &s->ch, s);
	if (t == HDT_MAILBOX || t == HDT_SMC)
		check_chan(&s->ch, s->path, s);
	fdt_for_each_subnode(sub, fdt, off) {
		const fdt32_t *reg = fdt_getprop(fdt, sub, "reg", &len);
		struct hdt_proto *pr;

		if (!reg)
			continue;               /* not a protocol node */
		if (s->nproto >= HDT_MAX_PROTO) {
			fail(s, "%s: more than %d protocol nodes", s->path, HDT_MAX_PROTO);
			break;
		}
		pr = &s->proto[s->nproto++];
		node_path(fdt, sub, pr->path);
		if (len != 4) {
			fail(s, "%s: 'reg' must be one cell (the protocol id)", pr->path);
			continue;
		}
		pr->id = fdt32_to_cpu(*reg);
		if (pr->id < 0x10 || pr->id > 0xff)
			fail(s, "%s: protocol id 0x%x out of range", pr->path, pr->id);
		pr->own_channel = parse_chan(fdt, sub, &pr->ch, s);
		if (pr->own_channel && (t == HDT_MAILBOX || t == HDT_SMC))
			check_chan(&pr->ch, pr->path, s);
	}
}

int host_dt_parse(const void *fdt, size_t size, struct host_dt *out, FILE *err)
{
	int off, rc;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (size < sizeof(struct fdt_header) || (rc = fdt_check_header(fdt)) ||
	    fdt_totalsize(fdt) > size) {
		if (err)
			fprintf(err, "not a flattened device tree (%s)\n",
				size < sizeof(struct fdt_header) ? "too short" :
				fdt_strerror(fdt_check_header(fdt) ? fdt_check_header(fdt) :
					     -FDT_ERR_TRUNCATED));
		return -1;
	}
	for (off = fdt_next_node(fdt, -1, NULL); off >= 0; off = fdt_next_node(fdt, off, NULL)) {
		for (i = 0; i < sizeof(compats) / sizeof(compats[0]); i++) {
			if (fdt_node_check_compatible(fdt, off, compats[i].compat))
				continue;
			if (out->nnodes >= HDT_MAX_NODES) {
				if (err)
					fprintf(err, "more than %d SCMI nodes; the rest ignored\n",
						HDT_MAX_NODES);
				return 0;
			}
			parse_scmi(fdt, off, compats[i].t, compats[i].compat,
				   &out->node[out->nnodes++]);
			break;
		}
	}
	return 0;
}

int host_dt_load(const char *path, struct host_dt *out, FILE *err)
{
	FILE *f;
	uint8_t *buf;
	size_t n = 0, cap = 65536;
	int rc;

	if (!path)
		path = HDT_SYSFS;
	f = fopen(path, "rb");
	if (!f) {
		if (err)
			fprintf(err, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	buf = malloc(cap);
	while (buf) {
		size_t r = fread(buf + n, 1, cap - n, f);

		n += r;
		if (n < cap)
			break;
		if (cap >= HDT_FILE_MAX) {
			free(buf);
			buf = NULL;
			break;
		}
		{
			uint8_t *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	rc = ferror(f);
	fclose(f);
	if (!buf || rc) {
		if (err)
			fprintf(err, "%s: %s\n", path,
				buf ? "read error" : "too large or no memory");
		free(buf);
		return -1;
	}
	if (host_dt_parse(buf, n, out, NULL)) {
		if (err)
			fprintf(err, "%s: not a valid flattened device tree\n", path);
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void dump_chan_json(const struct hdt_chan *ch, FILE *f)
{
	unsigned i, k;

	fputs("\"shmem\":[", f);
	for (i = 0; i < ch->nshmem; i++) {
		fprintf(f, "%s{\"node\":", i ? "," : "");
		json_str(f, ch->shmem[i].path);
		fprintf(f, ",\"phandle\":%u,\"addr\":%llu,\"size\":%llu}", ch->shmem[i].phandle,
			(unsigned long long)ch->shmem[i].addr,
			(unsigned long long)ch->shmem[i].size);
	}
	fputs("],\"mboxes\":[", f);
	for (i = 0; i < ch->nmbox; i++) {
		fprintf(f, "%s{\"controller\":", i ? "," : "");
		json_str(f, ch->mbox[i].ctrl);
		fprintf(f, ",\"phandle\":%u,\"name\":", ch->mbox[i].phandle);
		json_str(f, ch->mbox[i].name);
		fputs(",\"args\":[", f);
		for (k = 0; k < ch->mbox[i].nargs; k++)
			fprintf(f, "%s%u", k ? "," : "", ch->mbox[i].args[k]);
		fputs("]}", f);
	}
	fputc(']', f);
}

static void dump_chan_text(const struct hdt_chan *ch, const char *ind, FILE *f)
{
	unsigned i, k;

	for (i = 0; i < ch->nshmem; i++)
		fprintf(f, "%sshmem %s (phandle %u): 0x%llx size 0x%llx\n", ind, ch->shmem[i].path,
			ch->shmem[i].phandle, (unsigned long long)ch->shmem[i].addr,
			(unsigned long long)ch->shmem[i].size);
	for (i = 0; i < ch->nmbox; i++) {
		fprintf(f, "%smbox %s%s%s (phandle %u) args", ind, ch->mbox[i].ctrl,
			ch->mbox[i].name[0] ? " name " : "", ch->mbox[i].name,
			ch->mbox[i].phandle);
		for (k = 0; k < ch->mbox[i].nargs; k++)
			fprintf(f, " %u", ch->mbox[i].args[k]);
		fputc('\n', f);
	}
}

void host_dt_dump(const struct host_dt *dt, FILE *f, bool json)
{
	unsigned i, p;

	if (json)
		fputs("{\"scmi\":[", f);
	else if (!dt->nnodes)
		fputs("no SCMI node found\n", f);
	for (i = 0; i < dt->nnodes; i++) {
		const struct hdt_scmi *s = &dt->node[i];

		if (json) {
			fprintf(f, "%s{\"node\":", i ? "," : "");
			json_str(f, s->path);
			fputs(",\"compatible\":", f);
			json_str(f, s->compatible);
			fprintf(f, ",\"transport\":\"%s\",\"usable\":%s,\"error\":",
				hdt_transport_name(s->transport), s->usable ? "true" : "false");
			json_str(f, s->err);
			if (s->has_smc_id)
				fprintf(f, ",\"smc_id\":%u", s->smc_id);
			fputc(',', f);
			dump_chan_json(&s->ch, f);
			fputs(",\"protocols\":[", f);
		} else {
			fprintf(f, "%s: %s (%s)%s%s\n", s->path, s->compatible,
				hdt_transport_name(s->transport),
				s->usable ? "" : ", NOT usable: ", s->err);
			if (s->has_smc_id)
				fprintf(f, "  arm,smc-id 0x%08x\n", s->smc_id);
			dump_chan_text(&s->ch, "  ", f);
		}
		for (p = 0; p < s->nproto; p++) {
			const struct hdt_proto *pr = &s->proto[p];

			if (json) {
				fprintf(f, "%s{\"id\":%u,\"node\":", p ? "," : "", pr->id);
				json_str(f, pr->path);
				fprintf(f, ",\"own_channel\":%s,",
					pr->own_channel ? "true" : "false");
				dump_chan_json(&pr->ch, f);
				fputc('}', f);
			} else {
				fprintf(f, "  protocol 0x%02x %s%s\n", pr->id, pr->path,
					pr->own_channel ? " (own channel)" : "");
				dump_chan_text(&pr->ch, "    ", f);
			}
		}
		if (json)
			fputs("]}", f);
	}
	if (json)
		fputs("]}\n", f);
}

int host_dt_print(const char *dtb_path, FILE *out, bool json)
{
	struct host_dt *dt = malloc(sizeof(*dt));
	unsigned i;
	int rc = 1;

	if (!dt || host_dt_load(dtb_path, dt, stderr)) {
		free(dt);
		return -1;
	}
	host_dt_dump(dt, out, json);
	for (i = 0; i < dt->nnodes; i++)
		if (dt->node[i].usable)
			rc = 0;
	free(dt);
	return rc;
}
