// SPDX-License-Identifier: GPL-2.0
/*
 * vgctl stats show [--prometheus] | stats reset: the module's counters per
 * family/hook/layer 4, per drop reason, per class and per zone pair, and
 * the occupancy of its tables.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <uapi/linux/voipguard.h>

#include "netlink.h"
#include "conffile_model.h"
#include "state.h"
#include "stats.h"
#include "vgctl.h"

const char *const stats_fam_names[STATS_NFAM] = { "ipv4", "ipv6" };
const char *const stats_hook_names[STATS_NHOOK] = {
	[VG_HOOK_PRE_ROUTING] = "prerouting",
	[VG_HOOK_LOCAL_OUT] = "output",
};
const char *const stats_l4_names[STATS_NL4] = {
	[VG_L4_UDP] = "udp",
	[VG_L4_TCP] = "tcp",
	[VG_L4_OTHER] = "other",
};

static void copy_name(char *dst, size_t size, struct nlattr *nla)
{
	int len = nla_len(nla);

	if (len > 0 && ((const char *)nla_data(nla))[len - 1] == '\0')
		len--;
	snprintf(dst, size, "%.*s", len, (const char *)nla_data(nla));
}

static uint64_t get_u64(struct nlattr *nla)
{
	return nla ? nla_get_u64(nla) : 0;
}

static int stats_parse_traffic(struct stats_view *v, struct nlattr *list)
{
	struct nlattr *item, *t[VG_TRAFFIC_A_MAX + 1];
	int rem, f, h, l;

	nla_for_each_nested(item, list, rem) {
		if (nla_parse_nested(t, VG_TRAFFIC_A_MAX, item, NULL) < 0 ||
		    !t[VG_TRAFFIC_A_FAMILY] || !t[VG_TRAFFIC_A_HOOK] ||
		    !t[VG_TRAFFIC_A_L4])
			continue;
		f = nla_get_u8(t[VG_TRAFFIC_A_FAMILY]) == AF_INET6;
		h = nla_get_u8(t[VG_TRAFFIC_A_HOOK]);
		l = nla_get_u8(t[VG_TRAFFIC_A_L4]);
		if (h >= STATS_NHOOK || l >= STATS_NL4)
			continue;
		v->packets[f][h][l] = get_u64(t[VG_TRAFFIC_A_PACKETS]);
		v->bytes[f][h][l] = get_u64(t[VG_TRAFFIC_A_BYTES]);
	}
	return 0;
}

static int stats_parse_reasons(struct stats_view *v, struct nlattr *list)
{
	struct nlattr *item, *t[VG_REASON_A_MAX + 1];
	struct reason_count *rc;
	int rem;

	nla_for_each_nested(item, list, rem) {
		if (nla_parse_nested(t, VG_REASON_A_MAX, item, NULL) < 0 ||
		    !t[VG_REASON_A_NAME])
			continue;
		rc = realloc(v->reasons, (v->nreasons + 1) * sizeof(*rc));
		if (!rc) {
			vg_err("out of memory");
			return -1;
		}
		v->reasons = rc;
		rc = &v->reasons[v->nreasons++];
		memset(rc, 0, sizeof(*rc));
		copy_name(rc->name, sizeof(rc->name), t[VG_REASON_A_NAME]);
		rc->drops = get_u64(t[VG_REASON_A_DROPS]);
		rc->monitored = get_u64(t[VG_REASON_A_MONITORED]);
	}
	return 0;
}

static int stats_parse_classes(struct stats_view *v, struct nlattr *list)
{
	struct nlattr *item, *t[VG_CLASS_STATS_A_MAX + 1];
	struct class_count *cc;
	int rem, c;

	nla_for_each_nested(item, list, rem) {
		if (nla_parse_nested(t, VG_CLASS_STATS_A_MAX, item, NULL) < 0 ||
		    !t[VG_CLASS_STATS_A_CLASS])
			continue;
		c = nla_get_u8(t[VG_CLASS_STATS_A_CLASS]);
		if (c >= STATS_NCLASS)
			continue;
		cc = &v->classes[c];
		cc->present = true;
		cc->packets = get_u64(t[VG_CLASS_STATS_A_PACKETS]);
		cc->bytes = get_u64(t[VG_CLASS_STATS_A_BYTES]);
		cc->drops = get_u64(t[VG_CLASS_STATS_A_DROPS]);
	}
	return 0;
}

static int stats_parse_pairs(struct stats_view *v, struct nlattr *list)
{
	struct nlattr *item, *t[VG_POLICY_A_MAX + 1];
	struct zone_pair_count *zp;
	int rem;

	nla_for_each_nested(item, list, rem) {
		if (nla_parse_nested(t, VG_POLICY_A_MAX, item, NULL) < 0 ||
		    !t[VG_POLICY_A_FROM] || !t[VG_POLICY_A_TO])
			continue;
		zp = realloc(v->pairs, (v->npairs + 1) * sizeof(*zp));
		if (!zp) {
			vg_err("out of memory");
			return -1;
		}
		v->pairs = zp;
		zp = &v->pairs[v->npairs++];
		memset(zp, 0, sizeof(*zp));
		copy_name(zp->from, sizeof(zp->from), t[VG_POLICY_A_FROM]);
		copy_name(zp->to, sizeof(zp->to), t[VG_POLICY_A_TO]);
		zp->packets = get_u64(t[VG_POLICY_A_PACKETS]);
		zp->bytes = get_u64(t[VG_POLICY_A_BYTES]);
		zp->drops = get_u64(t[VG_POLICY_A_DROPS]);
	}
	return 0;
}

static int stats_parse(struct nlattr **tb, void *arg)
{
	struct stats_view *v = arg;
	struct nlattr *st[VG_STATS_A_MAX + 1];

	if (tb[VG_A_GENERATION])
		v->generation = nla_get_u32(tb[VG_A_GENERATION]);
	if (!tb[VG_A_STATS] ||
	    nla_parse_nested(st, VG_STATS_A_MAX, tb[VG_A_STATS], NULL) < 0) {
		vg_err("malformed statistics reply from the kernel");
		return -1;
	}
	v->reset_age_ms = get_u64(st[VG_STATS_A_RESET_AGE_MS]);
	v->events_lost = get_u64(st[VG_STATS_A_EVENTS_LOST]);
	if (st[VG_STATS_A_CALLS])
		v->calls = nla_get_u32(st[VG_STATS_A_CALLS]);
	if (st[VG_STATS_A_STREAMS])
		v->streams = nla_get_u32(st[VG_STATS_A_STREAMS]);
	if (st[VG_STATS_A_SOURCES])
		v->sources = nla_get_u32(st[VG_STATS_A_SOURCES]);
	if (st[VG_STATS_A_CALL_BUCKETS])
		v->call_buckets = nla_get_u32(st[VG_STATS_A_CALL_BUCKETS]);
	if (st[VG_STATS_A_STREAM_BUCKETS])
		v->stream_buckets = nla_get_u32(st[VG_STATS_A_STREAM_BUCKETS]);
	if (st[VG_STATS_A_SOURCE_BUCKETS])
		v->source_buckets = nla_get_u32(st[VG_STATS_A_SOURCE_BUCKETS]);
	if ((st[VG_STATS_A_TRAFFIC] &&
	     stats_parse_traffic(v, st[VG_STATS_A_TRAFFIC])) ||
	    (st[VG_STATS_A_REASONS] &&
	     stats_parse_reasons(v, st[VG_STATS_A_REASONS])) ||
	    (st[VG_STATS_A_CLASSES] &&
	     stats_parse_classes(v, st[VG_STATS_A_CLASSES])) ||
	    (st[VG_STATS_A_ZONE_PAIRS] &&
	     stats_parse_pairs(v, st[VG_STATS_A_ZONE_PAIRS])))
		return -1;
	return 0;
}

static void stats_print_family_totals(const char *key, const char *label,
				      const uint64_t (*c)[STATS_NHOOK][STATS_NL4])
{
	int f, h, l;

	out_open_object(key);
	out_text("%-9s", label);
	for (f = 0; f < STATS_NFAM; f++) {
		uint64_t sum = 0;

		for (h = 0; h < STATS_NHOOK; h++)
			for (l = 0; l < STATS_NL4; l++)
				sum += c[f][h][l];
		out_text(" %s", stats_fam_names[f]);
		out_uint(stats_fam_names[f], " %" PRIu64, sum);
	}
	out_text("\n");
	out_close_object();
}

static void stats_print_traffic(const struct stats_view *v)
{
	int f, h, l;

	out_open_object("traffic");
	out_text("traffic:\n");
	for (f = 0; f < STATS_NFAM; f++) {
		out_open_object(stats_fam_names[f]);
		for (h = 0; h < STATS_NHOOK; h++) {
			out_open_object(stats_hook_names[h]);
			out_text("  %-4s %-10s", stats_fam_names[f],
				 stats_hook_names[h]);
			for (l = 0; l < STATS_NL4; l++) {
				out_open_object(stats_l4_names[l]);
				out_text("  %s", stats_l4_names[l]);
				out_uint("packets", " %" PRIu64 " pkt",
					 v->packets[f][h][l]);
				out_uint("bytes", " %" PRIu64 " B",
					 v->bytes[f][h][l]);
				out_close_object();
			}
			out_text("\n");
			out_close_object();
		}
		out_close_object();
	}
	out_close_object();
}

/* Text lists what counted something; -s or JSON everything. */
static bool stats_show_all(void)
{
	return vg_opts.json || vg_opts.stats;
}

static void stats_print_classes(const struct stats_view *v)
{
	bool any = false;
	int c;

	out_open_object("classes");
	out_text("classes:\n");
	for (c = 0; c < STATS_NCLASS; c++) {
		const struct class_count *cc = &v->classes[c];

		if (!cc->present ||
		    (!stats_show_all() && !cc->packets && !cc->drops))
			continue;
		out_open_object(vg_cf_class_name(c));
		out_text("  %-8s", vg_cf_class_name(c));
		out_uint("packets", " %" PRIu64 " pkt", cc->packets);
		out_uint("bytes", " %" PRIu64 " B", cc->bytes);
		out_uint("drops", " %" PRIu64 " dropped\n", cc->drops);
		out_close_object();
		any = true;
	}
	if (!any)
		out_text("  none\n");
	out_close_object();
}

static void stats_print_pairs(const struct stats_view *v)
{
	size_t i;

	out_open_array("zone_pairs");
	out_text("zone pairs:\n");
	for (i = 0; i < v->npairs; i++) {
		const struct zone_pair_count *zp = &v->pairs[i];

		out_open_object(NULL);
		out_text("  %s -> %s:", zp->from, zp->to);
		out_string("from", NULL, zp->from);
		out_string("to", NULL, zp->to);
		out_uint("packets", " %" PRIu64 " pkt", zp->packets);
		out_uint("bytes", " %" PRIu64 " B", zp->bytes);
		out_uint("drops", " %" PRIu64 " dropped\n", zp->drops);
		out_close_object();
	}
	if (!v->npairs)
		out_text("  none\n");
	out_close_array();
}

static void stats_print(const struct stats_view *v)
{
	bool any = false;
	size_t i;

	out_begin();
	out_open_object(NULL);
	out_uint("generation", NULL, v->generation);
	out_uint("reset_age_ms", NULL, v->reset_age_ms);
	stats_print_family_totals("packets", "packets:",
				  (const uint64_t (*)[STATS_NHOOK][STATS_NL4])
				  v->packets);
	stats_print_family_totals("bytes", "bytes:",
				  (const uint64_t (*)[STATS_NHOOK][STATS_NL4])
				  v->bytes);
	out_uint("calls", "calls %" PRIu64, v->calls);
	out_uint("streams", ", streams %" PRIu64, v->streams);
	out_uint("sources", ", sources %" PRIu64, v->sources);
	out_uint("events_lost", ", events lost %" PRIu64 "\n", v->events_lost);
	if (stats_show_all()) {
		out_uint("call_buckets", "hash buckets: calls %" PRIu64,
			 v->call_buckets);
		out_uint("stream_buckets", ", streams %" PRIu64,
			 v->stream_buckets);
		out_uint("source_buckets", ", sources %" PRIu64 "\n",
			 v->source_buckets);
	}
	stats_print_traffic(v);
	stats_print_classes(v);
	stats_print_pairs(v);

	out_open_object("drops");
	out_text("drops:\n");
	for (i = 0; i < v->nreasons; i++) {
		const struct reason_count *rc = &v->reasons[i];

		if (stats_show_all() || rc->drops || rc->monitored) {
			out_text("  %-24s", rc->name);
			out_uint(rc->name, " %" PRIu64, rc->drops);
			out_text(" (monitored %" PRIu64 ")\n", rc->monitored);
			any = true;
		}
	}
	if (!any)
		out_text("  none\n");
	out_close_object();

	out_open_object("monitored");
	for (i = 0; i < v->nreasons; i++)
		out_uint(v->reasons[i].name, NULL, v->reasons[i].monitored);
	out_close_object();

	out_close_object();
	out_end();
}

static int stats_show(bool prometheus)
{
	struct stats_view v;
	int err;

	memset(&v, 0, sizeof(v));
	err = vg_nl_open(false);
	if (!err)
		err = vg_nl_request(VG_CMD_STATS_GET, 0, NULL, stats_parse, &v);
	if (!err) {
		if (prometheus)
			stats_print_prometheus(&v);
		else
			stats_print(&v);
	}
	free(v.reasons);
	free(v.pairs);
	return err;
}

static void stats_usage(FILE *f)
{
	fputs("Usage: vgctl [-j] [-s] stats show [--prometheus]\n"
	      "       vgctl stats reset\n", f);
}

int cmd_stats(int argc, char **argv)
{
	bool prometheus = false;
	int i, err;

	if (argc < 1 || !strcmp(argv[0], "show")) {
		for (i = 1; i < argc; i++) {
			if (!strcmp(argv[i], "--prometheus") ||
			    !strcmp(argv[i], "prometheus")) {
				prometheus = true;
				continue;
			}
			stats_usage(stderr);
			return vg_usage_err("stats show: unexpected '%s'", argv[i]);
		}
		return stats_show(prometheus);
	}
	if (!strcmp(argv[0], "reset")) {
		if (argc > 1)
			return vg_usage_err("stats reset: unexpected '%s'",
					    argv[1]);
		err = vg_nl_open(false);
		if (err)
			return err;
		return vg_nl_request(VG_CMD_STATS_RESET, 0, NULL, NULL, NULL);
	}
	if (!strcmp(argv[0], "help")) {
		stats_usage(stdout);
		return VG_EXIT_OK;
	}
	stats_usage(stderr);
	return vg_usage_err("stats: unknown command '%s'", argv[0]);
}
