// SPDX-License-Identifier: GPL-2.0
/*
 * vgctl call show, flow show, flow flush, source show: dumps of the
 * module's state tables, printed with the same printers as replay and
 * monitor.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <uapi/linux/voipguard.h>

#include "netlink.h"
#include "print_stream.h"
#include "state.h"
#include "vgctl.h"

static const char *const call_status_names[] = {
	[VG_CALL_S_INVITED] = "invited",
	[VG_CALL_S_EARLY] = "early",
	[VG_CALL_S_ANSWERED] = "answered",
	[VG_CALL_S_CONFIRMED] = "confirmed",
	[VG_CALL_S_ENDED] = "ended",
};

static const char *const cause_names[] = {
	[VG_CAUSE_NONE] = "none",
	[VG_CAUSE_BYE] = "bye",
	[VG_CAUSE_CANCEL] = "cancel",
	[VG_CAUSE_FAILURE] = "failure",
	[VG_CAUSE_TIMEOUT] = "timeout",
	[VG_CAUSE_FLUSH] = "flush",
	[VG_CAUSE_LIMIT] = "limit",
};

const char *call_status_name(int state)
{
	if (state >= 0 && state <= VG_CALL_S_MAX)
		return call_status_names[state];
	return NULL;
}

const char *event_cause_name(int cause)
{
	if (cause >= 0 && cause <= VG_CAUSE_MAX)
		return cause_names[cause];
	return NULL;
}

/* ---- parsing ---- */

static void copy_string(char *dst, size_t size, struct nlattr *nla)
{
	int len = nla_len(nla);

	/* The kernel's strings are NUL-terminated; never trust it blindly. */
	if (len > 0 && ((const char *)nla_data(nla))[len - 1] == '\0')
		len--;
	snprintf(dst, size, "%.*s", len, (const char *)nla_data(nla));
}

static int endpoint_parse(struct nlattr *nest, struct stream_endpoint *ep)
{
	struct nlattr *tb[VG_EP_A_MAX + 1];

	memset(ep, 0, sizeof(*ep));
	if (nla_parse_nested(tb, VG_EP_A_MAX, nest, NULL) < 0)
		return -1;
	if (tb[VG_EP_A_ADDR4] && nla_len(tb[VG_EP_A_ADDR4]) == 4) {
		ep->family = 4;
		memcpy(ep->addr, nla_data(tb[VG_EP_A_ADDR4]), 4);
	} else if (tb[VG_EP_A_ADDR6] && nla_len(tb[VG_EP_A_ADDR6]) == 16) {
		ep->family = 6;
		memcpy(ep->addr, nla_data(tb[VG_EP_A_ADDR6]), 16);
	}
	if (tb[VG_EP_A_PORT])
		ep->port = nla_get_u16(tb[VG_EP_A_PORT]);
	return 0;
}

static uint64_t get_u64(struct nlattr *nla)
{
	return nla ? nla_get_u64(nla) : 0;
}

/*
 * A pinhole in the table is open; once media arrives its sender goes
 * through RFC 3550 probation and is then latched.
 */
static const char *flow_state_name(const struct nlattr *nla)
{
	switch (nla ? nla_get_u8(nla) : VG_FLOW_OPEN) {
	case VG_FLOW_PROBATION:
		return "probation";
	case VG_FLOW_LATCHED:
		return "latched";
	default:
		return "open";
	}
}

int flow_rec_parse(struct nlattr *nest, struct flow_rec *fr)
{
	struct nlattr *tb[VG_FLOW_A_MAX + 1];
	struct stream_view *sv = &fr->sv;
	bool rtcp;

	memset(fr, 0, sizeof(*fr));
	sv->payload_type = -1;
	if (nla_parse_nested(tb, VG_FLOW_A_MAX, nest, NULL) < 0)
		return -1;
	if (tb[VG_FLOW_A_ID])
		fr->id = nla_get_u64(tb[VG_FLOW_A_ID]);
	if (tb[VG_FLOW_A_CALL_ID]) {
		copy_string(fr->call_id, sizeof(fr->call_id),
			    tb[VG_FLOW_A_CALL_ID]);
		sv->call_id = fr->call_id;
	}
	sv->state = flow_state_name(tb[VG_FLOW_A_STATE]);
	if ((tb[VG_FLOW_A_SRC] && endpoint_parse(tb[VG_FLOW_A_SRC], &sv->src)) ||
	    (tb[VG_FLOW_A_DST] && endpoint_parse(tb[VG_FLOW_A_DST], &sv->dst)))
		return -1;
	/* Before latching the kernel gives the expected peer, port 0. */
	if (sv->src.family && !sv->src.port)
		sv->src.family = 0;
	rtcp = tb[VG_FLOW_A_RTCP] && nla_get_u8(tb[VG_FLOW_A_RTCP]);
	fr->rtcp = rtcp;
	if (tb[VG_FLOW_A_SSRC]) {
		sv->has_ssrc = true;
		sv->ssrc = nla_get_u32(tb[VG_FLOW_A_SSRC]);
	}
	if (tb[VG_FLOW_A_PAYLOAD_TYPE])
		sv->payload_type = nla_get_u8(tb[VG_FLOW_A_PAYLOAD_TYPE]);
	if (tb[VG_FLOW_A_CLOCK_RATE])
		sv->clock_rate = nla_get_u32(tb[VG_FLOW_A_CLOCK_RATE]);
	sv->srtp = tb[VG_FLOW_A_SRTP] && nla_get_u8(tb[VG_FLOW_A_SRTP]);
	if (rtcp) {
		sv->rtcp_packets = get_u64(tb[VG_FLOW_A_PACKETS]);
	} else {
		sv->packets = get_u64(tb[VG_FLOW_A_PACKETS]);
		sv->bytes = get_u64(tb[VG_FLOW_A_BYTES]);
		sv->rtcp_packets = get_u64(tb[VG_FLOW_A_RTCP_PACKETS]);
	}
	sv->dropped = get_u64(tb[VG_FLOW_A_DROPPED]);
	sv->lost = get_u64(tb[VG_FLOW_A_LOST]);
	sv->duplicates = get_u64(tb[VG_FLOW_A_DUPLICATES]);
	sv->reordered = get_u64(tb[VG_FLOW_A_REORDERED]);
	if (tb[VG_FLOW_A_JITTER_MEAN_NS] && tb[VG_FLOW_A_JITTER_MAX_NS]) {
		sv->has_jitter = true;
		sv->jitter_mean_ns = nla_get_u32(tb[VG_FLOW_A_JITTER_MEAN_NS]);
		sv->jitter_max_ns = nla_get_u32(tb[VG_FLOW_A_JITTER_MAX_NS]);
	}
	if (tb[VG_FLOW_A_MOS_X100])
		sv->mos_x100 = nla_get_u32(tb[VG_FLOW_A_MOS_X100]);
	fr->idle_ms = get_u64(tb[VG_FLOW_A_IDLE_MS]);
	fr->expires_ms = get_u64(tb[VG_FLOW_A_EXPIRES_MS]);
	return 0;
}

static bool same_addr(const struct stream_endpoint *a,
		      const struct stream_endpoint *b)
{
	return a->family == b->family &&
	       !memcmp(a->addr, b->addr, a->family == 4 ? 4 : 16);
}

size_t flow_recs_fold_rtcp(struct flow_rec *fr, size_t n)
{
	size_t i, j, out = 0;

	for (i = 0; i < n; i++) {
		struct flow_rec *rtp = NULL;

		if (fr[i].rtcp) {
			for (j = 0; j < n; j++) {
				if (fr[j].rtcp ||
				    strcmp(fr[j].call_id, fr[i].call_id) ||
				    !same_addr(&fr[j].sv.dst, &fr[i].sv.dst) ||
				    fr[j].sv.dst.port + 1 != fr[i].sv.dst.port)
					continue;
				rtp = &fr[j];
				break;
			}
		}
		if (rtp) {
			rtp->sv.rtcp_packets += fr[i].sv.rtcp_packets;
			continue;
		}
		fr[out++] = fr[i];
	}
	/* Keep call_id pointing at each record's own copy. */
	for (i = 0; i < out; i++)
		if (fr[i].sv.call_id)
			fr[i].sv.call_id = fr[i].call_id;
	return out;
}

int call_rec_parse(struct nlattr *nest, struct call_rec *cr)
{
	struct nlattr *tb[VG_CALL_A_MAX + 1], *item;
	struct flow_rec *fr;
	int rem;

	memset(cr, 0, sizeof(*cr));
	cr->state = -1;
	if (nla_parse_nested(tb, VG_CALL_A_MAX, nest, NULL) < 0)
		return -1;
	if (tb[VG_CALL_A_ID])
		copy_string(cr->call_id, sizeof(cr->call_id), tb[VG_CALL_A_ID]);
	if (tb[VG_CALL_A_STATE])
		cr->state = nla_get_u8(tb[VG_CALL_A_STATE]);
	if ((tb[VG_CALL_A_CALLER] &&
	     endpoint_parse(tb[VG_CALL_A_CALLER], &cr->caller)) ||
	    (tb[VG_CALL_A_CALLEE] &&
	     endpoint_parse(tb[VG_CALL_A_CALLEE], &cr->callee)))
		return -1;
	if (tb[VG_CALL_A_FROM_ZONE])
		copy_string(cr->from_zone, sizeof(cr->from_zone),
			    tb[VG_CALL_A_FROM_ZONE]);
	if (tb[VG_CALL_A_TO_ZONE])
		copy_string(cr->to_zone, sizeof(cr->to_zone),
			    tb[VG_CALL_A_TO_ZONE]);
	cr->age_ms = get_u64(tb[VG_CALL_A_AGE_MS]);
	cr->emergency = tb[VG_CALL_A_EMERGENCY] &&
			nla_get_u8(tb[VG_CALL_A_EMERGENCY]);
	cr->streams_truncated = tb[VG_CALL_A_STREAMS_TRUNCATED] != NULL;
	if (!tb[VG_CALL_A_STREAMS])
		return 0;
	nla_for_each_nested(item, tb[VG_CALL_A_STREAMS], rem) {
		fr = realloc(cr->streams,
			     (cr->n_streams + 1) * sizeof(*cr->streams));
		if (!fr) {
			call_rec_free(cr);
			return -1;
		}
		cr->streams = fr;
		if (flow_rec_parse(item, &cr->streams[cr->n_streams]))
			continue;
		cr->n_streams++;
	}
	cr->n_streams = flow_recs_fold_rtcp(cr->streams, cr->n_streams);
	return 0;
}

void call_rec_free(struct call_rec *cr)
{
	free(cr->streams);
	cr->streams = NULL;
	cr->n_streams = 0;
}

int source_rec_parse(struct nlattr *nest, struct source_rec *sr)
{
	struct nlattr *tb[VG_SOURCE_A_MAX + 1], *pb[VG_PREFIX_A_MAX + 1];

	memset(sr, 0, sizeof(*sr));
	if (nla_parse_nested(tb, VG_SOURCE_A_MAX, nest, NULL) < 0)
		return -1;
	if (tb[VG_SOURCE_A_PREFIX]) {
		if (nla_parse_nested(pb, VG_PREFIX_A_MAX,
				     tb[VG_SOURCE_A_PREFIX], NULL) < 0)
			return -1;
		if (pb[VG_PREFIX_A_ADDR4] && nla_len(pb[VG_PREFIX_A_ADDR4]) == 4) {
			sr->family = 4;
			memcpy(sr->addr, nla_data(pb[VG_PREFIX_A_ADDR4]), 4);
		} else if (pb[VG_PREFIX_A_ADDR6] &&
			   nla_len(pb[VG_PREFIX_A_ADDR6]) == 16) {
			sr->family = 6;
			memcpy(sr->addr, nla_data(pb[VG_PREFIX_A_ADDR6]), 16);
		}
		if (pb[VG_PREFIX_A_LEN])
			sr->prefix_len = nla_get_u8(pb[VG_PREFIX_A_LEN]);
	}
	if (tb[VG_SOURCE_A_ZONE])
		copy_string(sr->zone, sizeof(sr->zone), tb[VG_SOURCE_A_ZONE]);
	sr->passed = get_u64(tb[VG_SOURCE_A_PASSED]);
	sr->limited = get_u64(tb[VG_SOURCE_A_LIMITED]);
	if (tb[VG_SOURCE_A_CALLS])
		sr->calls = nla_get_u32(tb[VG_SOURCE_A_CALLS]);
	sr->flooding = tb[VG_SOURCE_A_FLOODING] &&
		       nla_get_u8(tb[VG_SOURCE_A_FLOODING]);
	sr->idle_ms = get_u64(tb[VG_SOURCE_A_IDLE_MS]);
	return 0;
}

/* ---- printing ---- */

static void print_zone(const char *key, const char *fmt, const char *zone)
{
	if (zone[0])
		out_string(key, fmt, zone);
	else
		out_null(key, fmt);
}

static void call_print_header(void)
{
	out_text("%-10s %-23s %-23s %-21s %9s %s\n", "STATE", "CALLER",
		 "CALLEE", "ZONES", "AGE", "CALL-ID");
}

/*
 * One call: a JSON object, or a line (and, with streams in text mode, the
 * stream table indented below it).
 */
void call_rec_print(const char *key, const struct call_rec *cr, bool streams)
{
	const char *state = call_status_name(cr->state);
	char zones[2 * STATE_NAME_MAX + 4];
	size_t i;

	out_open_object(key);
	out_string("call_id", NULL, cr->call_id);
	out_string("state", "%-10s ", state ? state : "unknown");
	print_endpoint("caller", "%-23s ", &cr->caller);
	print_endpoint("callee", "%-23s ", &cr->callee);
	snprintf(zones, sizeof(zones), "%s>%s",
		 cr->from_zone[0] ? cr->from_zone : "-",
		 cr->to_zone[0] ? cr->to_zone : "-");
	out_text("%-21s ", zones);
	print_zone("from_zone", NULL, cr->from_zone);
	print_zone("to_zone", NULL, cr->to_zone);
	out_uint("age_ms", "%7" PRIu64 "ms ", cr->age_ms);
	out_bool("emergency", NULL, cr->emergency);
	out_text("%s%s\n", cr->call_id, cr->emergency ? " (emergency)" : "");
	if (streams) {
		if (cr->n_streams && !vg_opts.json) {
			out_text("    ");
			print_stream_header();
		}
		out_open_array("streams");
		for (i = 0; i < cr->n_streams; i++) {
			out_text("    ");
			print_stream(&cr->streams[i].sv);
		}
		out_close_array();
		out_bool("streams_truncated", NULL, cr->streams_truncated);
		if (cr->streams_truncated)
			out_text("    (more streams than one message holds)\n");
	}
	out_close_object();
}

void source_print_header(void)
{
	out_text("%-24s %-12s %10s %10s %5s %9s %s\n", "SOURCE", "ZONE",
		 "PASSED", "LIMITED", "CALLS", "IDLE", "FLOODING");
}

void source_rec_print(const struct source_rec *sr)
{
	char a[INET6_ADDRSTRLEN] = "", buf[INET6_ADDRSTRLEN + 8];

	if (sr->family)
		inet_ntop(sr->family == 4 ? AF_INET : AF_INET6, sr->addr, a,
			  sizeof(a));
	snprintf(buf, sizeof(buf), "%s/%u", a, sr->prefix_len);
	out_open_object(NULL);
	out_string("prefix", "%-24s ", buf);
	if (sr->zone[0])
		out_string("zone", "%-12s ", sr->zone);
	else
		out_null("zone", "%-12s ");
	out_uint("passed", "%10" PRIu64 " ", sr->passed);
	out_uint("limited", "%10" PRIu64 " ", sr->limited);
	out_uint("calls", "%5" PRIu64 " ", sr->calls);
	out_uint("idle_ms", "%7" PRIu64 "ms ", sr->idle_ms);
	out_bool("flooding", "%s\n", sr->flooding);
	out_close_object();
}

/* ---- commands ---- */

struct recs {
	void *items;
	size_t n;
	size_t size;		/* of one item */
	int (*parse)(struct nlattr *nest, void *item);
	void (*release)(void *item);	/* NULL: nothing to free */
	int attr;		/* top-level attribute holding the object */
};

static void recs_clear(struct recs *r)
{
	size_t i;

	if (r->release)
		for (i = 0; i < r->n; i++)
			r->release((char *)r->items + i * r->size);
	free(r->items);
	r->items = NULL;
	r->n = 0;
}

static int recs_add(struct nlattr **tb, void *arg)
{
	struct recs *r = arg;
	void *items;

	if (!tb[r->attr])
		return 0;
	items = realloc(r->items, (r->n + 1) * r->size);
	if (!items) {
		vg_err("out of memory");
		return -1;
	}
	r->items = items;
	if (r->parse(tb[r->attr], (char *)items + r->n * r->size)) {
		vg_err("malformed object in the kernel's reply");
		return -1;
	}
	r->n++;
	return 0;
}

static int parse_flow(struct nlattr *nest, void *item)
{
	return flow_rec_parse(nest, item);
}

static int parse_call(struct nlattr *nest, void *item)
{
	return call_rec_parse(nest, item);
}

static int parse_source(struct nlattr *nest, void *item)
{
	return source_rec_parse(nest, item);
}

static void release_call(void *item)
{
	call_rec_free(item);
}

/* Tables change under a dump: try again for a consistent one. */
#define DUMP_TRIES 5

static int dump_again(uint8_t cmd, struct recs *r)
{
	int tries, err;

	for (tries = 0; tries < DUMP_TRIES; tries++) {
		recs_clear(r);
		err = vg_nl_request(cmd, VG_NL_DUMP, NULL, recs_add, r);
		if (err || !vg_nl_dump_interrupted)
			return err;
	}
	vg_err("warning: the state kept changing; the list may be inconsistent");
	return VG_EXIT_OK;
}

static int dump(uint8_t cmd, struct recs *r)
{
	int err = vg_nl_open(false);

	if (err)
		return err;
	return dump_again(cmd, r);
}

static int flow_show(void)
{
	struct recs r = { .size = sizeof(struct flow_rec),
			  .parse = parse_flow, .attr = VG_A_FLOW };
	struct flow_rec *fr;
	size_t i, n;
	int err;

	err = dump(VG_CMD_FLOW_GET, &r);
	if (err) {
		free(r.items);
		return err;
	}
	fr = r.items;
	n = flow_recs_fold_rtcp(fr, r.n);
	out_begin();
	if (n)
		print_stream_header();
	out_open_array(NULL);
	for (i = 0; i < n; i++)
		print_stream(&fr[i].sv);
	out_close_array();
	out_end();
	free(r.items);
	return VG_EXIT_OK;
}

static void flow_usage(FILE *f)
{
	fputs("Usage: vgctl [-j] flow show\n"
	      "       vgctl flow flush\n", f);
}

int cmd_flow(int argc, char **argv)
{
	int err;

	if (argc < 1 || !strcmp(argv[0], "show")) {
		if (argc > 1)
			return vg_usage_err("flow show: unexpected argument");
		return flow_show();
	}
	if (!strcmp(argv[0], "flush")) {
		if (argc > 1)
			return vg_usage_err("flow flush: unexpected argument");
		err = vg_nl_open(false);
		if (err)
			return err;
		return vg_nl_request(VG_CMD_FLOW_FLUSH, 0, NULL, NULL, NULL);
	}
	if (!strcmp(argv[0], "help")) {
		flow_usage(stdout);
		return VG_EXIT_OK;
	}
	flow_usage(stderr);
	return vg_usage_err("flow: unknown command");
}

struct call_get_req {
	const char *call_id;
};

static int call_get_build(struct nl_msg *msg, void *arg)
{
	struct call_get_req *req = arg;
	struct nlattr *nest = vg_nl_nest_start(msg, VG_A_CALL);

	if (!nest || nla_put_string(msg, VG_CALL_A_ID, req->call_id) < 0)
		return -NLE_NOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

struct call_get_arg {
	struct call_get_req req;
	struct recs r;
};

static int call_get_build_arg(struct nl_msg *msg, void *arg)
{
	return call_get_build(msg, &((struct call_get_arg *)arg)->req);
}

static int call_get_parse(struct nlattr **tb, void *arg)
{
	return recs_add(tb, &((struct call_get_arg *)arg)->r);
}

static int call_show(const char *call_id)
{
	struct call_get_arg a = {
		.req.call_id = call_id,
		.r = { .size = sizeof(struct call_rec), .parse = parse_call,
		       .release = release_call, .attr = VG_A_CALL },
	};
	struct call_rec *cr;
	size_t i;
	int err;

	err = vg_nl_open(false);
	if (err)
		return err;
	if (call_id)
		err = vg_nl_request(VG_CMD_CALL_GET, 0, call_get_build_arg,
				    call_get_parse, &a);
	else
		err = dump_again(VG_CMD_CALL_GET, &a.r);
	cr = a.r.items;
	if (!err) {
		out_begin();
		if (a.r.n)
			call_print_header();
		out_open_array(NULL);
		for (i = 0; i < a.r.n; i++)
			call_rec_print(NULL, &cr[i], call_id || vg_opts.json ||
					       vg_opts.stats);
		out_close_array();
		out_end();
	}
	recs_clear(&a.r);
	return err;
}

static void call_usage(FILE *f)
{
	fputs("Usage: vgctl [-j] [-s] call show [CALL-ID]\n", f);
}

int cmd_call(int argc, char **argv)
{
	if (argc < 1 || !strcmp(argv[0], "show")) {
		if (argc > 2)
			return vg_usage_err("call show: unexpected argument");
		return call_show(argc == 2 ? argv[1] : NULL);
	}
	if (!strcmp(argv[0], "help")) {
		call_usage(stdout);
		return VG_EXIT_OK;
	}
	call_usage(stderr);
	return vg_usage_err("call: unknown command");
}

static int source_show(void)
{
	struct recs r = { .size = sizeof(struct source_rec),
			  .parse = parse_source, .attr = VG_A_SOURCE };
	struct source_rec *sr;
	size_t i;
	int err;

	err = dump(VG_CMD_SOURCE_GET, &r);
	sr = r.items;
	if (!err) {
		out_begin();
		if (r.n)
			source_print_header();
		out_open_array(NULL);
		for (i = 0; i < r.n; i++)
			source_rec_print(&sr[i]);
		out_close_array();
		out_end();
	}
	free(sr);
	return err;
}

static void source_usage(FILE *f)
{
	fputs("Usage: vgctl [-j] source show\n", f);
}

int cmd_source(int argc, char **argv)
{
	if (argc < 1 || !strcmp(argv[0], "show")) {
		if (argc > 1)
			return vg_usage_err("source show: unexpected argument");
		return source_show();
	}
	if (!strcmp(argv[0], "help")) {
		source_usage(stdout);
		return VG_EXIT_OK;
	}
	source_usage(stderr);
	return vg_usage_err("source: unknown command");
}
