// SPDX-License-Identifier: GPL-2.0
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "stats.h"

int vg_stats_init(struct vg_stats *st)
{
	int cpu;

	st->pcpu = alloc_percpu(struct vg_pcpu_stats);
	if (!st->pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(st->pcpu, cpu)->syncp);
	mutex_init(&st->reset_lock);
	memset(&st->base, 0, sizeof(st->base));
	st->reset_time_ns = ktime_get_boottime_ns();
	return 0;
}

void vg_stats_destroy(struct vg_stats *st)
{
	free_percpu(st->pcpu);
	st->pcpu = NULL;
	mutex_destroy(&st->reset_lock);
}

/* One counter, consistent even where u64 updates are not atomic. */
static u64 vg_stats_fetch(const struct vg_pcpu_stats *s, const u64_stats_t *c)
{
	unsigned int start;
	u64 v;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		v = u64_stats_read(c);
	} while (u64_stats_fetch_retry(&s->syncp, start));
	return v;
}

static void vg_stats_add_cpu(struct vg_stats_totals *out,
			     const struct vg_pcpu_stats *s)
{
	int f, h, l, r;

	for (f = 0; f < VG_NFAMILIES; f++)
		for (h = 0; h < VG_NHOOKS; h++)
			for (l = 0; l < VG_NL4; l++) {
				out->packets[f][h][l] +=
					vg_stats_fetch(s, &s->packets[f][h][l]);
				out->bytes[f][h][l] +=
					vg_stats_fetch(s, &s->bytes[f][h][l]);
			}
	for (r = 0; r < VG_R__COUNT; r++) {
		out->drops[r] += vg_stats_fetch(s, &s->drops[r]);
		out->monitored[r] += vg_stats_fetch(s, &s->monitored[r]);
	}
}

static void vg_stats_sum(struct vg_stats *st, struct vg_stats_totals *out)
{
	int cpu;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu)
		vg_stats_add_cpu(out, per_cpu_ptr(st->pcpu, cpu));
}

/* Sums since the last reset. Sleeps (takes the reset lock). */
void vg_stats_read(struct vg_stats *st, struct vg_stats_totals *out)
{
	int f, h, l, r;

	mutex_lock(&st->reset_lock);
	vg_stats_sum(st, out);
	for (f = 0; f < VG_NFAMILIES; f++)
		for (h = 0; h < VG_NHOOKS; h++)
			for (l = 0; l < VG_NL4; l++) {
				out->packets[f][h][l] -= st->base.packets[f][h][l];
				out->bytes[f][h][l] -= st->base.bytes[f][h][l];
			}
	for (r = 0; r < VG_R__COUNT; r++) {
		out->drops[r] -= st->base.drops[r];
		out->monitored[r] -= st->base.monitored[r];
	}
	mutex_unlock(&st->reset_lock);
}

void vg_stats_reset(struct vg_stats *st)
{
	mutex_lock(&st->reset_lock);
	vg_stats_sum(st, &st->base);
	st->reset_time_ns = ktime_get_boottime_ns();
	mutex_unlock(&st->reset_lock);
}
