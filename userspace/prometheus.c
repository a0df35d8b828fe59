// SPDX-License-Identifier: GPL-2.0
/*
 * vgctl stats show --prometheus: the counters in the Prometheus text
 * exposition format, for node_exporter's textfile collector
 * (vgctl stats show --prometheus > /var/lib/node_exporter/voipguard.prom.$$
 * && mv ... voipguard.prom). Every metric has # HELP and # TYPE lines;
 * counters end in _total.
 */
#include <inttypes.h>
#include <stdio.h>

#include "conffile_model.h"
#include "state.h"
#include "stats.h"
#include "vgctl.h"

static void metric_head(const char *name, const char *type, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value: backslash, double quote and newline escaped. */
static void label_value(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			printf("\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
	putchar('"');
}

static void traffic(const char *name, const char *help,
		    const uint64_t (*c)[STATS_NHOOK][STATS_NL4])
{
	int f, h, l;

	metric_head(name, "counter", help);
	for (f = 0; f < STATS_NFAM; f++)
		for (h = 0; h < STATS_NHOOK; h++)
			for (l = 0; l < STATS_NL4; l++)
				printf("%s{family=\"%s\",hook=\"%s\",l4=\"%s\"} %" PRIu64 "\n",
				       name, stats_fam_names[f],
				       stats_hook_names[h], stats_l4_names[l],
				       c[f][h][l]);
}

static void reasons(const struct stats_view *v, const char *name,
		    const char *help, bool monitored)
{
	size_t i;

	metric_head(name, "counter", help);
	for (i = 0; i < v->nreasons; i++) {
		printf("%s{reason=", name);
		label_value(v->reasons[i].name);
		printf("} %" PRIu64 "\n", monitored ? v->reasons[i].monitored :
						      v->reasons[i].drops);
	}
}

enum count_field { F_PACKETS, F_BYTES, F_DROPS };

static uint64_t class_field(const struct class_count *c, enum count_field f)
{
	return f == F_PACKETS ? c->packets : f == F_BYTES ? c->bytes : c->drops;
}

static void classes(const struct stats_view *v, const char *name,
		    const char *help, enum count_field field)
{
	int c;

	metric_head(name, "counter", help);
	for (c = 0; c < STATS_NCLASS; c++)
		if (v->classes[c].present)
			printf("%s{class=\"%s\"} %" PRIu64 "\n", name,
			       vg_cf_class_name(c),
			       class_field(&v->classes[c], field));
}

static uint64_t pair_field(const struct zone_pair_count *p, enum count_field f)
{
	return f == F_PACKETS ? p->packets : f == F_BYTES ? p->bytes : p->drops;
}

static void pairs(const struct stats_view *v, const char *name,
		  const char *help, enum count_field field)
{
	size_t i;

	metric_head(name, "counter", help);
	for (i = 0; i < v->npairs; i++) {
		printf("%s{from=", name);
		label_value(v->pairs[i].from);
		fputs(",to=", stdout);
		label_value(v->pairs[i].to);
		printf("} %" PRIu64 "\n", pair_field(&v->pairs[i], field));
	}
}

static void gauge(const char *name, const char *help, uint64_t val)
{
	metric_head(name, "gauge", help);
	printf("%s %" PRIu64 "\n", name, val);
}

void stats_print_prometheus(const struct stats_view *v)
{
	traffic("voipguard_packets_total",
		"Packets seen, by address family, hook and layer 4 protocol.",
		(const uint64_t (*)[STATS_NHOOK][STATS_NL4])v->packets);
	traffic("voipguard_bytes_total",
		"Bytes seen, by address family, hook and layer 4 protocol.",
		(const uint64_t (*)[STATS_NHOOK][STATS_NL4])v->bytes);
	reasons(v, "voipguard_drops_total", "Packets dropped, by reason.",
		false);
	reasons(v, "voipguard_monitored_total",
		"Packets that would have been dropped in enforce mode, by reason.",
		true);
	classes(v, "voipguard_class_packets_total",
		"Packets by protocol class.", F_PACKETS);
	classes(v, "voipguard_class_bytes_total",
		"Bytes by protocol class.", F_BYTES);
	classes(v, "voipguard_class_drops_total",
		"Packets dropped by protocol class.", F_DROPS);
	pairs(v, "voipguard_zone_pair_packets_total",
	      "Packets by source and destination zone.", F_PACKETS);
	pairs(v, "voipguard_zone_pair_bytes_total",
	      "Bytes by source and destination zone.", F_BYTES);
	pairs(v, "voipguard_zone_pair_drops_total",
	      "Packets dropped by source and destination zone.", F_DROPS);
	gauge("voipguard_calls", "Calls currently tracked.", v->calls);
	gauge("voipguard_streams", "Media streams (pinholes) currently open.",
	      v->streams);
	gauge("voipguard_sources",
	      "SIP sources currently under rate limiting.", v->sources);
	metric_head("voipguard_events_lost_total", "counter",
		    "Events not sent because of the event rate limit or memory.");
	printf("voipguard_events_lost_total %" PRIu64 "\n", v->events_lost);
	metric_head("voipguard_stats_reset_age_seconds", "gauge",
		    "Seconds since the counters were last reset.");
	printf("voipguard_stats_reset_age_seconds %" PRIu64 ".%03" PRIu64 "\n",
	       v->reset_age_ms / 1000, v->reset_age_ms % 1000);
	fflush(stdout);
}
