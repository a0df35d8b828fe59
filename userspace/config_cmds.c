// SPDX-License-Identifier: GPL-2.0
/*
 * vgctl's configuration commands: config, zone, policy, limit, srtp, and
 * whole files with apply, check and save.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>

#include "conffile.h"
#include "conffile_model.h"
#include "netlink.h"
#include "vgctl.h"

/* Zone prefixes per line in saved files. */
#define VG_SAVE_PREFIXES_PER_LINE	8
/* Dumps retried when the configuration changed under them. */
#define VG_READ_TRIES			5

static int open_kernel(void)
{
	return vg_nl_open(false);
}

/* ---- Reading the running configuration ---- */

struct read_ctx {
	struct vg_running *r;
	bool have_gen;
	uint32_t gen;
};

static void note_generation(struct read_ctx *c, struct nlattr **tb)
{
	uint32_t gen;

	if (!tb[VG_A_GENERATION])
		return;
	gen = nla_get_u32(tb[VG_A_GENERATION]);
	if (c->have_gen && gen != c->gen)
		c->r->dump_intr = true;
	c->have_gen = true;
	c->gen = gen;
	c->r->generation = gen;
}

static void decode_value(const struct vg_cf_key *k, struct nlattr *a,
			 struct vg_cf_value *v)
{
	struct nlattr *item, *tb[VG_PR_A_MAX + 1];
	int rem;

	memset(v, 0, sizeof(*v));
	v->attr = k->attr;
	v->kind = k->kind;
	switch (k->kind) {
	case VG_K_PORTS:
		nla_for_each_nested(item, a, rem) {
			if (v->n == VG_CF_PORT_RANGES ||
			    nla_parse_nested(tb, VG_PR_A_MAX, item, NULL) < 0 ||
			    !tb[VG_PR_A_FIRST] || !tb[VG_PR_A_LAST])
				continue;
			v->first[v->n] = nla_get_u16(tb[VG_PR_A_FIRST]);
			v->last[v->n] = nla_get_u16(tb[VG_PR_A_LAST]);
			v->n++;
		}
		break;
	case VG_K_STRINGS:
		nla_for_each_nested(item, a, rem) {
			if (v->n == VG_CF_STRINGS)
				break;
			snprintf(v->str[v->n], VG_CF_STRING_LEN, "%.*s",
				 nla_len(item), (const char *)nla_data(item));
			v->n++;
		}
		break;
	case VG_K_U32:
		v->u = nla_get_u32(a);
		break;
	default:
		v->u = nla_get_u8(a);
		break;
	}
}

static int config_parse(struct nlattr **tb, void *arg)
{
	struct read_ctx *c = arg;
	struct vg_running *r = c->r;
	struct nlattr *cfg[VG_CFG_A_MAX + 1];
	int i;

	note_generation(c, tb);
	if (tb[VG_A_VERSION])
		snprintf(r->version, sizeof(r->version), "%s",
			 nla_get_string(tb[VG_A_VERSION]));
	if (!tb[VG_A_CONFIG] ||
	    nla_parse_nested(cfg, VG_CFG_A_MAX, tb[VG_A_CONFIG], NULL) < 0)
		return 0;
	for (i = 0; vg_cf_config_keys[i].name; i++) {
		const struct vg_cf_key *k = &vg_cf_config_keys[i];

		if (!cfg[k->attr])
			continue;
		decode_value(k, cfg[k->attr], &r->cfg[i]);
		r->have_cfg[i] = true;
	}
	return 0;
}

static int zone_add_prefix(struct vg_cf_zone *z, struct nlattr *item)
{
	struct nlattr *tb[VG_PREFIX_A_MAX + 1];
	struct vg_cf_prefix *p;

	if (nla_parse_nested(tb, VG_PREFIX_A_MAX, item, NULL) < 0 ||
	    !tb[VG_PREFIX_A_LEN])
		return 0;
	if (z->n_pfx == z->cap) {
		size_t cap = z->cap ? z->cap * 2 : 64;

		p = realloc(z->pfx, cap * sizeof(*p));
		if (!p) {
			vg_err("out of memory");
			return -1;
		}
		z->pfx = p;
		z->cap = cap;
	}
	p = &z->pfx[z->n_pfx];
	memset(p, 0, sizeof(*p));
	p->len = nla_get_u8(tb[VG_PREFIX_A_LEN]);
	if (tb[VG_PREFIX_A_ADDR4] && nla_len(tb[VG_PREFIX_A_ADDR4]) == 4) {
		p->family = AF_INET;
		memcpy(p->addr, nla_data(tb[VG_PREFIX_A_ADDR4]), 4);
	} else if (tb[VG_PREFIX_A_ADDR6] &&
		   nla_len(tb[VG_PREFIX_A_ADDR6]) == 16) {
		p->family = AF_INET6;
		memcpy(p->addr, nla_data(tb[VG_PREFIX_A_ADDR6]), 16);
	} else {
		return 0;
	}
	z->n_pfx++;
	return 0;
}

/* A large zone arrives over several messages under the same name. */
static int zone_parse(struct nlattr **tb, void *arg)
{
	struct read_ctx *c = arg;
	struct vg_running *r = c->r;
	struct nlattr *zt[VG_ZONE_A_MAX + 1], *item;
	struct vg_cf_zone *z;
	const char *name;
	int rem;

	note_generation(c, tb);
	if (!tb[VG_A_ZONE] ||
	    nla_parse_nested(zt, VG_ZONE_A_MAX, tb[VG_A_ZONE], NULL) < 0 ||
	    !zt[VG_ZONE_A_NAME])
		return 0;
	name = nla_get_string(zt[VG_ZONE_A_NAME]);
	if (!r->n_zones || strcmp(r->zones[r->n_zones - 1].name, name)) {
		z = realloc(r->zones, (r->n_zones + 1) * sizeof(*z));
		if (!z) {
			vg_err("out of memory");
			return -1;
		}
		r->zones = z;
		z = &r->zones[r->n_zones++];
		memset(z, 0, sizeof(*z));
		snprintf(z->name, sizeof(z->name), "%s", name);
	}
	z = &r->zones[r->n_zones - 1];
	z->dscp_default = zt[VG_ZONE_A_DSCP_DEFAULT] ?
			  nla_get_u8(zt[VG_ZONE_A_DSCP_DEFAULT]) : 0;
	if (zt[VG_ZONE_A_PREFIXES])
		nla_for_each_nested(item, zt[VG_ZONE_A_PREFIXES], rem)
			if (zone_add_prefix(z, item))
				return -1;
	return 0;
}

static int pair_parse(struct nlattr **tb, void *arg, bool srtp)
{
	struct read_ctx *c = arg;
	struct vg_running *r = c->r;
	struct nlattr *pt[VG_POLICY_A_MAX + 1];
	struct vg_cf_policy *list, *e;
	size_t *n = srtp ? &r->n_srtp : &r->n_policy;
	int attr = srtp ? VG_A_SRTP : VG_A_POLICY;
	int max = srtp ? VG_SRTP_A_MAX : VG_POLICY_A_MAX;
	int from, to;

	note_generation(c, tb);
	if (!tb[attr] || nla_parse_nested(pt, max, tb[attr], NULL) < 0)
		return 0;
	list = realloc(srtp ? r->srtp : r->policy, (*n + 1) * sizeof(*list));
	if (!list) {
		vg_err("out of memory");
		return -1;
	}
	if (srtp)
		r->srtp = list;
	else
		r->policy = list;
	e = &list[(*n)++];
	memset(e, 0, sizeof(*e));
	from = srtp ? VG_SRTP_A_FROM : VG_POLICY_A_FROM;
	to = srtp ? VG_SRTP_A_TO : VG_POLICY_A_TO;
	if (pt[from])
		snprintf(e->from, sizeof(e->from), "%s",
			 nla_get_string(pt[from]));
	if (pt[to])
		snprintf(e->to, sizeof(e->to), "%s", nla_get_string(pt[to]));
	if (srtp) {
		e->action = pt[VG_SRTP_A_REQUIRE] ?
			    nla_get_u8(pt[VG_SRTP_A_REQUIRE]) : 0;
	} else {
		e->cls = pt[VG_POLICY_A_CLASS] ?
			 nla_get_u8(pt[VG_POLICY_A_CLASS]) : -1;
		e->action = pt[VG_POLICY_A_ACTION] ?
			    nla_get_u8(pt[VG_POLICY_A_ACTION]) : -1;
	}
	return 0;
}

static int policy_parse(struct nlattr **tb, void *arg)
{
	return pair_parse(tb, arg, false);
}

static int srtp_parse(struct nlattr **tb, void *arg)
{
	return pair_parse(tb, arg, true);
}

static int limits_parse(struct nlattr **tb, void *arg)
{
	struct read_ctx *c = arg;
	struct vg_running *r = c->r;
	struct nlattr *lt[VG_LIMIT_A_MAX + 1], *zt[VG_ZL_A_MAX + 1], *item;
	struct vg_cf_zone_calls *zc;
	int i, rem;

	note_generation(c, tb);
	if (!tb[VG_A_LIMITS] ||
	    nla_parse_nested(lt, VG_LIMIT_A_MAX, tb[VG_A_LIMITS], NULL) < 0)
		return 0;
	for (i = 1; i <= VG_LIMIT_A_MAX; i++) {
		if (!lt[i] || i == VG_LIMIT_A_ZONE_CALLS ||
		    i == VG_LIMIT_A_PAD)
			continue;
		r->limit[i] = nla_get_u32(lt[i]);
		r->have_limit[i] = true;
	}
	if (!lt[VG_LIMIT_A_ZONE_CALLS])
		return 0;
	nla_for_each_nested(item, lt[VG_LIMIT_A_ZONE_CALLS], rem) {
		if (nla_parse_nested(zt, VG_ZL_A_MAX, item, NULL) < 0 ||
		    !zt[VG_ZL_A_ZONE] || !zt[VG_ZL_A_MAX_CALLS])
			continue;
		zc = realloc(r->zone_calls,
			     (r->n_zone_calls + 1) * sizeof(*zc));
		if (!zc) {
			vg_err("out of memory");
			return -1;
		}
		r->zone_calls = zc;
		zc = &zc[r->n_zone_calls++];
		snprintf(zc->zone, sizeof(zc->zone), "%s",
			 nla_get_string(zt[VG_ZL_A_ZONE]));
		zc->max_calls = nla_get_u32(zt[VG_ZL_A_MAX_CALLS]);
	}
	return 0;
}

void vg_running_free(struct vg_running *r)
{
	size_t i;

	for (i = 0; i < r->n_zones; i++)
		free(r->zones[i].pfx);
	free(r->zones);
	free(r->policy);
	free(r->srtp);
	free(r->zone_calls);
	memset(r, 0, sizeof(*r));
}

static int read_dump(uint8_t cmd, vg_nl_parse_fn parse, struct read_ctx *c)
{
	int err = vg_nl_request(cmd, VG_NL_DUMP, NULL, parse, c);

	/* The kernel flagged a change between the dump's parts. */
	if (!err && vg_nl_dump_interrupted)
		c->r->dump_intr = true;
	return err;
}

static int running_read_once(struct vg_running *r, unsigned int what)
{
	struct read_ctx c = { .r = r };
	int err = VG_EXIT_OK;

	if (what & VG_RUN_CONFIG)
		err = vg_nl_request(VG_CMD_CONFIG_GET, 0, NULL, config_parse,
				    &c);
	if (!err && (what & VG_RUN_ZONES))
		err = read_dump(VG_CMD_ZONE_GET, zone_parse, &c);
	if (!err && (what & VG_RUN_LIMITS))
		err = vg_nl_request(VG_CMD_LIMIT_GET, 0, NULL, limits_parse,
				    &c);
	if (!err && (what & VG_RUN_POLICY))
		err = read_dump(VG_CMD_POLICY_GET, policy_parse, &c);
	if (!err && (what & VG_RUN_SRTP))
		err = read_dump(VG_CMD_SRTP_GET, srtp_parse, &c);
	return err;
}

int vg_running_read(struct vg_running *r, unsigned int what)
{
	int tries, err = VG_EXIT_ERROR;

	/* A change between the reads would give a mix of two versions. */
	for (tries = 0; tries < VG_READ_TRIES; tries++) {
		memset(r, 0, sizeof(*r));
		err = running_read_once(r, what);
		if (!err && !r->dump_intr)
			return VG_EXIT_OK;
		/* What was read before a failure is freed here. */
		vg_running_free(r);
		if (err)
			return err;
	}
	vg_err("the configuration kept changing while being read");
	return VG_EXIT_ERROR;
}

int vg_module_version(char *buf, size_t len, bool quiet)
{
	struct vg_running r;
	struct read_ctx c = { .r = &r };

	memset(&r, 0, sizeof(r));
	if (vg_nl_open(quiet) ||
	    vg_nl_request(VG_CMD_CONFIG_GET, quiet ? VG_NL_QUIET : 0, NULL,
			  config_parse, &c))
		return -1;
	snprintf(buf, len, "%s", r.version);
	return 0;
}

/* ---- Printing as statements ---- */

static void print_zone(const struct vg_cf_zone *z, FILE *f)
{
	char p[64];
	size_t i;

	fprintf(f, "zone %s", z->name);
	if (z->dscp_default)
		fprintf(f, " dscp-default %d", z->dscp_default);
	for (i = 0; i < z->n_pfx; i++) {
		vg_cf_format_prefix(&z->pfx[i], p, sizeof(p));
		if (i && i % VG_SAVE_PREFIXES_PER_LINE == 0)
			fputs(" \\\n   ", f);
		fprintf(f, " %s", p);
	}
	fputc('\n', f);
}

static void print_limits(const struct vg_running *r, FILE *f)
{
	const uint32_t *l = r->limit;
	size_t i;

	if (r->have_limit[VG_LIMIT_A_SIP_RATE])
		fprintf(f, "limit sip-source %" PRIu32 " %" PRIu32 "\n",
			l[VG_LIMIT_A_SIP_RATE], l[VG_LIMIT_A_SIP_BURST]);
	if (r->have_limit[VG_LIMIT_A_INVITE_WEIGHT])
		fprintf(f, "limit invite-weight %" PRIu32 "\n",
			l[VG_LIMIT_A_INVITE_WEIGHT]);
	if (r->have_limit[VG_LIMIT_A_REGISTER_WEIGHT])
		fprintf(f, "limit register-weight %" PRIu32 "\n",
			l[VG_LIMIT_A_REGISTER_WEIGHT]);
	if (r->have_limit[VG_LIMIT_A_CALLS_PER_SOURCE])
		fprintf(f, "limit calls-per-source %" PRIu32 "\n",
			l[VG_LIMIT_A_CALLS_PER_SOURCE]);
	if (r->have_limit[VG_LIMIT_A_GLOBAL_RATE])
		fprintf(f, "limit global %" PRIu32 " %" PRIu32 "\n",
			l[VG_LIMIT_A_GLOBAL_RATE], l[VG_LIMIT_A_GLOBAL_BURST]);
	if (r->have_limit[VG_LIMIT_A_RTP_HEADROOM])
		fprintf(f, "limit rtp-headroom %" PRIu32 "\n",
			l[VG_LIMIT_A_RTP_HEADROOM]);
	if (r->have_limit[VG_LIMIT_A_RTP_RATE])
		fprintf(f, "limit rtp-rate %" PRIu32 "\n",
			l[VG_LIMIT_A_RTP_RATE]);
	for (i = 0; i < r->n_zone_calls; i++)
		fprintf(f, "limit calls-per-zone %s %" PRIu32 "\n",
			r->zone_calls[i].zone, r->zone_calls[i].max_calls);
}

void vg_running_print(const struct vg_running *r, FILE *f)
{
	char buf[512];
	size_t i;

	fputs("# voipguard configuration, as \"vgctl save\" writes it\n", f);
	for (i = 0; vg_cf_config_keys[i].name; i++) {
		if (!r->have_cfg[i])
			continue;
		vg_cf_format_value(&r->cfg[i], buf, sizeof(buf));
		fprintf(f, "config %s %s\n", vg_cf_config_keys[i].name, buf);
	}
	for (i = 0; i < r->n_zones; i++)
		print_zone(&r->zones[i], f);
	print_limits(r, f);
	for (i = 0; i < r->n_policy; i++)
		fprintf(f, "policy %s %s %s %s\n", r->policy[i].from,
			r->policy[i].to, vg_cf_class_name(r->policy[i].cls),
			vg_cf_action_name(r->policy[i].action));
	for (i = 0; i < r->n_srtp; i++)
		fprintf(f, "srtp %s %s %s\n",
			r->srtp[i].action ? "require" : "allow",
			r->srtp[i].from, r->srtp[i].to);
}

/* ---- show ---- */

/* JSON keys use '_' where the statement words use '-'. */
static const char *json_key(const char *name, char *buf, size_t len)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < len; i++)
		buf[i] = name[i] == '-' ? '_' : name[i];
	buf[i] = '\0';
	return buf;
}

static void out_value(const char *name, const struct vg_cf_value *v)
{
	char key[64], text[600], fmt[80];
	unsigned int i;

	json_key(name, key, sizeof(key));
	snprintf(fmt, sizeof(fmt), "%s %%s\n", name);
	if (!vg_opts.json) {
		vg_cf_format_value(v, text, sizeof(text));
		out_string(key, fmt, text);
		return;
	}
	switch (v->kind) {
	case VG_K_BOOL:
		out_bool(key, NULL, v->u);
		break;
	case VG_K_MODE:
	case VG_K_TCP_SPLIT:
		vg_cf_format_value(v, text, sizeof(text));
		out_string(key, NULL, text);
		break;
	case VG_K_PORTS:
		out_open_array(key);
		for (i = 0; i < v->n; i++) {
			out_open_object(NULL);
			out_uint("first", NULL, v->first[i]);
			out_uint("last", NULL, v->last[i]);
			out_close_object();
		}
		out_close_array();
		break;
	case VG_K_STRINGS:
		out_open_array(key);
		for (i = 0; i < v->n; i++)
			out_string(NULL, NULL, v->str[i]);
		out_close_array();
		break;
	default:
		out_uint(key, NULL, v->u);
		break;
	}
}

static int config_show(void)
{
	struct vg_running r;
	int err, i;

	err = open_kernel();
	if (!err)
		err = vg_running_read(&r, VG_RUN_CONFIG);
	if (err)
		return err;
	out_begin();
	out_open_object(NULL);
	out_string("version", "version %s\n", r.version);
	out_uint("generation", "generation %" PRIu64 "\n", r.generation);
	for (i = 0; vg_cf_config_keys[i].name; i++)
		if (r.have_cfg[i])
			out_value(vg_cf_config_keys[i].name, &r.cfg[i]);
	out_close_object();
	out_end();
	vg_running_free(&r);
	return VG_EXIT_OK;
}

static int zone_show(const char *only)
{
	struct vg_running r;
	char p[64];
	size_t i, j;
	bool found = false;
	int err;

	err = open_kernel();
	if (!err)
		err = vg_running_read(&r, VG_RUN_ZONES);
	if (err)
		return err;
	out_begin();
	out_open_array(NULL);
	for (i = 0; i < r.n_zones; i++) {
		const struct vg_cf_zone *z = &r.zones[i];

		if (only && strcmp(only, z->name))
			continue;
		found = true;
		out_open_object(NULL);
		out_string("name", "zone %s", z->name);
		out_uint("dscp_default", " dscp-default %" PRIu64, z->dscp_default);
		out_uint("count", " prefixes %" PRIu64 "\n", z->n_pfx);
		out_open_array("prefixes");
		for (j = 0; j < z->n_pfx; j++) {
			vg_cf_format_prefix(&z->pfx[j], p, sizeof(p));
			out_string(NULL, "\t%s\n", p);
		}
		out_close_array();
		out_close_object();
	}
	out_close_array();
	out_end();
	vg_running_free(&r);
	if (only && !found) {
		vg_err("zone show: no zone named '%s'", only);
		return VG_EXIT_ERROR;
	}
	return VG_EXIT_OK;
}

static int pairs_show(bool srtp)
{
	struct vg_running r;
	size_t i, n;
	int err;

	err = open_kernel();
	if (!err)
		err = vg_running_read(&r, srtp ? VG_RUN_SRTP : VG_RUN_POLICY);
	if (err)
		return err;
	n = srtp ? r.n_srtp : r.n_policy;
	out_begin();
	out_open_array(NULL);
	for (i = 0; i < n; i++) {
		const struct vg_cf_policy *e = srtp ? &r.srtp[i] :
						      &r.policy[i];

		out_open_object(NULL);
		if (srtp && !vg_opts.json)
			out_text("%s ", e->action ? "require" : "allow");
		out_string("from", "%s ", e->from);
		out_string("to", srtp ? "%s\n" : "%s ", e->to);
		if (srtp) {
			out_bool("require", NULL, e->action);
		} else {
			out_string("class", "%s ", vg_cf_class_name(e->cls));
			out_string("action", "%s\n",
				   vg_cf_action_name(e->action));
		}
		out_close_object();
	}
	out_close_array();
	out_end();
	vg_running_free(&r);
	return VG_EXIT_OK;
}

static int limit_show(void)
{
	static const struct {
		const char *key, *fmt;
		int attr;
	} rows[] = {
		{ "sip_rate", "sip-source %" PRIu64, VG_LIMIT_A_SIP_RATE },
		{ "sip_burst", " %" PRIu64 "\n", VG_LIMIT_A_SIP_BURST },
		{ "invite_weight", "invite-weight %" PRIu64 "\n",
		  VG_LIMIT_A_INVITE_WEIGHT },
		{ "register_weight", "register-weight %" PRIu64 "\n",
		  VG_LIMIT_A_REGISTER_WEIGHT },
		{ "calls_per_source", "calls-per-source %" PRIu64 "\n",
		  VG_LIMIT_A_CALLS_PER_SOURCE },
		{ "global_rate", "global %" PRIu64, VG_LIMIT_A_GLOBAL_RATE },
		{ "global_burst", " %" PRIu64 "\n", VG_LIMIT_A_GLOBAL_BURST },
		{ "rtp_headroom", "rtp-headroom %" PRIu64 "\n",
		  VG_LIMIT_A_RTP_HEADROOM },
		{ "rtp_rate", "rtp-rate %" PRIu64 "\n", VG_LIMIT_A_RTP_RATE },
	};
	struct vg_running r;
	size_t i;
	int err;

	err = open_kernel();
	if (!err)
		err = vg_running_read(&r, VG_RUN_LIMITS);
	if (err)
		return err;
	out_begin();
	out_open_object(NULL);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (r.have_limit[rows[i].attr])
			out_uint(rows[i].key, rows[i].fmt,
				 r.limit[rows[i].attr]);
	out_open_array("calls_per_zone");
	for (i = 0; i < r.n_zone_calls; i++) {
		out_open_object(NULL);
		out_string("zone", "calls-per-zone %s", r.zone_calls[i].zone);
		out_uint("max_calls", " %" PRIu64 "\n",
			 r.zone_calls[i].max_calls);
		out_close_object();
	}
	out_close_array();
	out_close_object();
	out_end();
	vg_running_free(&r);
	return VG_EXIT_OK;
}

/* ---- Single statements from the command line ---- */

/* One statement of @object, or with @del the deletion of one. */
static int run_statement(const char *object, bool del, int argc, char **argv,
			 uint32_t flags)
{
	struct vg_stmt st;
	char err[512];
	int ret;

	memset(&st, 0, sizeof(st));
	st.flags = flags;
	if ((del ? vg_stmt_parse_del : vg_stmt_parse)(object, argc, argv, &st,
						      err, sizeof(err))) {
		vg_stmt_free(&st);
		return vg_usage_err("%s", err);
	}
	ret = open_kernel();
	if (!ret && vg_stmt_send(&st, 0, err, sizeof(err))) {
		vg_err("%s", err);
		ret = VG_EXIT_ERROR;
	}
	vg_stmt_free(&st);
	return ret;
}

static bool is_help(int argc, char **argv)
{
	return argc > 0 && (!strcmp(argv[0], "help") ||
			    !strcmp(argv[0], "-h") ||
			    !strcmp(argv[0], "--help"));
}

static int no_more(const char *what, int argc, char **argv)
{
	if (argc > 0)
		return vg_usage_err("%s: unexpected '%s'", what, argv[0]);
	return VG_EXIT_OK;
}

static void config_usage(FILE *f)
{
	const struct vg_cf_key *k;
	int col = 0;

	fputs("Usage: vgctl config show\n"
	      "       vgctl config set KEY VALUE [KEY VALUE...]\n"
	      "where  KEY := {", f);
	for (k = vg_cf_config_keys; k->name; k++) {
		if (col > 50) {
			fputs("\n               ", f);
			col = 0;
		}
		col += fprintf(f, " %s%s", k->name, k[1].name ? " |" : " }\n");
	}
	fputs("       (see vgctl(8) for each key's values)\n", f);
}

int cmd_config(int argc, char **argv)
{
	if (argc < 1 || !strcmp(argv[0], "show"))
		return argc > 1 ? no_more("config show", argc - 1, argv + 1) :
				  config_show();
	if (!strcmp(argv[0], "set"))
		return run_statement("config", false, argc - 1, argv + 1, 0);
	if (is_help(argc, argv)) {
		config_usage(stdout);
		return VG_EXIT_OK;
	}
	config_usage(stderr);
	return vg_usage_err("config: unknown command '%s'", argv[0]);
}

static void zone_usage(FILE *f)
{
	fputs("Usage: vgctl zone { add | append | replace } NAME [dscp-default DSCP] PREFIX...\n"
	      "       vgctl zone del NAME\n"
	      "       vgctl zone show [NAME]\n"
	      "where  PREFIX := ADDRESS[/LENGTH], IPv4 or IPv6\n", f);
}

int cmd_zone(int argc, char **argv)
{
	if (argc < 1 || !strcmp(argv[0], "show")) {
		if (argc > 2)
			return no_more("zone show", argc - 2, argv + 2);
		return zone_show(argc == 2 ? argv[1] : NULL);
	}
	if (!strcmp(argv[0], "add"))
		return run_statement("zone", false, argc - 1, argv + 1, 0);
	if (!strcmp(argv[0], "append"))
		return run_statement("zone", false, argc - 1, argv + 1,
				     VG_F_APPEND);
	if (!strcmp(argv[0], "replace"))
		return run_statement("zone", false, argc - 1, argv + 1,
				     VG_F_REPLACE);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return run_statement("zone", true, argc - 1, argv + 1, 0);
	if (is_help(argc, argv)) {
		zone_usage(stdout);
		return VG_EXIT_OK;
	}
	zone_usage(stderr);
	return vg_usage_err("zone: unknown command '%s'", argv[0]);
}

static void policy_usage(FILE *f)
{
	fputs("Usage: vgctl policy set FROM TO CLASS ACTION\n"
	      "       vgctl policy del FROM TO CLASS\n"
	      "       vgctl policy show\n"
	      "where  FROM, TO := { ZONE | any }\n"
	      "       CLASS := { sip | sip-tls | rtp | h323 | mgcp | other | any }\n"
	      "       ACTION := { accept | drop | monitor }\n", f);
}

int cmd_policy(int argc, char **argv)
{
	if (argc < 1 || !strcmp(argv[0], "show"))
		return argc > 1 ? no_more("policy show", argc - 1, argv + 1) :
				  pairs_show(false);
	if (!strcmp(argv[0], "set") || !strcmp(argv[0], "add"))
		return run_statement("policy", false, argc - 1, argv + 1, 0);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return run_statement("policy", true, argc - 1, argv + 1, 0);
	if (is_help(argc, argv)) {
		policy_usage(stdout);
		return VG_EXIT_OK;
	}
	policy_usage(stderr);
	return vg_usage_err("policy: unknown command '%s'", argv[0]);
}

static void limit_usage(FILE *f)
{
	fputs("Usage: vgctl limit set LIMIT [LIMIT...]\n"
	      "       vgctl limit show\n"
	      "where  LIMIT := { sip-source RATE BURST | invite-weight N |\n"
	      "                  register-weight N | calls-per-source N |\n"
	      "                  calls-per-zone ZONE N | global RATE BURST |\n"
	      "                  rtp-headroom PERCENT | rtp-rate N }\n"
	      "       a RATE or N of 0 means unlimited\n", f);
}

int cmd_limit(int argc, char **argv)
{
	if (argc < 1 || !strcmp(argv[0], "show"))
		return argc > 1 ? no_more("limit show", argc - 1, argv + 1) :
				  limit_show();
	if (!strcmp(argv[0], "set"))
		return run_statement("limit", false, argc - 1, argv + 1, 0);
	if (is_help(argc, argv)) {
		limit_usage(stdout);
		return VG_EXIT_OK;
	}
	limit_usage(stderr);
	return vg_usage_err("limit: unknown command '%s'", argv[0]);
}

static void srtp_usage(FILE *f)
{
	fputs("Usage: vgctl srtp { require | allow } FROM TO\n"
	      "       vgctl srtp del FROM TO\n"
	      "       vgctl srtp show\n"
	      "where  FROM, TO := { ZONE | any }\n", f);
}

int cmd_srtp(int argc, char **argv)
{
	if (argc < 1 || !strcmp(argv[0], "show"))
		return argc > 1 ? no_more("srtp show", argc - 1, argv + 1) :
				  pairs_show(true);
	if (!strcmp(argv[0], "require") || !strcmp(argv[0], "allow"))
		return run_statement("srtp", false, argc, argv, 0);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return run_statement("srtp", true, argc - 1, argv + 1, 0);
	if (is_help(argc, argv)) {
		srtp_usage(stdout);
		return VG_EXIT_OK;
	}
	srtp_usage(stderr);
	return vg_usage_err("srtp: unknown command '%s'", argv[0]);
}

/* ---- Files ---- */

struct txn_ctx {
	uint32_t id;
	uint32_t flags;
};

static int txn_begin_parse(struct nlattr **tb, void *arg)
{
	struct txn_ctx *t = arg;

	if (tb[VG_A_TXN_ID])
		t->id = nla_get_u32(tb[VG_A_TXN_ID]);
	return 0;
}

static int txn_build(struct nl_msg *msg, void *arg)
{
	struct txn_ctx *t = arg;

	if (nla_put_u32(msg, VG_A_TXN_ID, t->id) < 0 ||
	    (t->flags && nla_put_u32(msg, VG_A_FLAGS, t->flags) < 0))
		return -NLE_NOMEM;
	return 0;
}

static void free_stmts(struct vg_stmt *stmts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		vg_stmt_free(&stmts[i]);
	free(stmts);
}

/* apply and check: the whole file in one transaction. */
static int run_file(const char *path, bool check)
{
	struct txn_ctx t = { 0 };
	struct vg_stmt *stmts;
	char err[600];
	size_t n, i;
	int ret;

	ret = vg_cf_read(path, &stmts, &n);
	if (ret) {
		free_stmts(stmts, n);
		return ret;
	}
	ret = open_kernel();
	if (!ret)
		ret = vg_nl_request(VG_CMD_REPLACE_BEGIN, 0, NULL,
				    txn_begin_parse, &t);
	if (!ret && !t.id) {
		vg_err("the kernel began no transaction");
		ret = VG_EXIT_ERROR;
	}
	if (ret) {
		free_stmts(stmts, n);
		return ret;
	}
	for (i = 0; i < n; i++) {
		if (vg_stmt_send(&stmts[i], t.id, err, sizeof(err))) {
			fprintf(stderr, "%s:%d: %s\n", path, stmts[i].line,
				err);
			vg_nl_request(VG_CMD_REPLACE_ABORT, VG_NL_QUIET,
				      txn_build, NULL, &t);
			free_stmts(stmts, n);
			return VG_EXIT_ERROR;
		}
	}
	free_stmts(stmts, n);
	t.flags = check ? VG_F_CHECK : 0;
	ret = vg_nl_request(VG_CMD_REPLACE_COMMIT, 0, txn_build, NULL, &t);
	if (ret) {
		fprintf(stderr, "%s: the configuration was not %s\n", path,
			check ? "accepted" : "applied");
		return ret;
	}
	if (check)
		printf("%s: configuration is valid (%zu statements)\n", path,
		       n);
	return VG_EXIT_OK;
}

int cmd_apply(int argc, char **argv)
{
	if (is_help(argc, argv) || argc != 1) {
		fputs("Usage: vgctl apply FILE\n", argc == 1 ? stdout : stderr);
		return argc == 1 ? VG_EXIT_OK : VG_EXIT_USAGE;
	}
	return run_file(argv[0], false);
}

int cmd_check(int argc, char **argv)
{
	if (is_help(argc, argv) || argc != 1) {
		fputs("Usage: vgctl check FILE\n", argc == 1 ? stdout : stderr);
		return argc == 1 ? VG_EXIT_OK : VG_EXIT_USAGE;
	}
	return run_file(argv[0], true);
}

int cmd_save(int argc, char **argv)
{
	struct vg_running r;
	int ret;

	if (is_help(argc, argv)) {
		fputs("Usage: vgctl save\n", stdout);
		return VG_EXIT_OK;
	}
	if (argc)
		return vg_usage_err("save: unexpected '%s'", argv[0]);
	ret = open_kernel();
	if (!ret)
		ret = vg_running_read(&r, VG_RUN_ALL);
	if (ret)
		return ret;
	vg_running_print(&r, stdout);
	vg_running_free(&r);
	return VG_EXIT_OK;
}
