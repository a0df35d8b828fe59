// SPDX-License-Identifier: GPL-2.0
#include <linux/bitops.h>
#include <linux/slab.h>
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
	st->base = kzalloc(sizeof(*st->base), GFP_KERNEL);
	if (!st->base) {
		free_percpu(st->pcpu);
		st->pcpu = NULL;
		return -ENOMEM;
	}
	st->reset_time_ns = ktime_get_boottime_ns();
	return 0;
}

void vg_stats_destroy(struct vg_stats *st)
{
	kfree(st->base);
	st->base = NULL;
	free_percpu(st->pcpu);
	st->pcpu = NULL;
	mutex_destroy(&st->reset_lock);
}

/* One counter, consistent even where u64 updates are not atomic. */
static u64 vg_fetch(const struct u64_stats_sync *syncp, const u64_stats_t *c)
{
	unsigned int start;
	u64 v;

	do {
		start = u64_stats_fetch_begin(syncp);
		v = u64_stats_read(c);
	} while (u64_stats_fetch_retry(syncp, start));
	return v;
}

static u64 vg_stats_fetch(const struct vg_pcpu_stats *s, const u64_stats_t *c)
{
	return vg_fetch(&s->syncp, c);
}

static void vg_stats_add_pair(const struct vg_pcpu_stats *s,
			      struct vg_pair_totals *out,
			      const struct vg_pcpu_pair *p)
{
	out->packets += vg_stats_fetch(s, &p->packets);
	out->bytes += vg_stats_fetch(s, &p->bytes);
	out->drops += vg_stats_fetch(s, &p->drops);
}

static void vg_stats_sub_pair(struct vg_pair_totals *out,
			      const struct vg_pair_totals *base)
{
	out->packets -= base->packets;
	out->bytes -= base->bytes;
	out->drops -= base->drops;
}

static void vg_stats_add_cpu(struct vg_stats_totals *out,
			     const struct vg_pcpu_stats *s)
{
	int f, h, l, r, c, z;

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
	for (c = 0; c < VG_STATS_NCLASSES; c++)
		vg_stats_add_pair(s, &out->classes[c], &s->classes[c]);
	for (f = 0; f < VG_STATS_ZONE_SLOTS; f++)
		for (z = 0; z < VG_STATS_ZONE_SLOTS; z++)
			vg_stats_add_pair(s, &out->pairs[f][z],
					  &s->pairs[f][z]);
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
	int f, h, l, r, c, z;

	mutex_lock(&st->reset_lock);
	vg_stats_sum(st, out);
	for (f = 0; f < VG_NFAMILIES; f++)
		for (h = 0; h < VG_NHOOKS; h++)
			for (l = 0; l < VG_NL4; l++) {
				out->packets[f][h][l] -=
					st->base->packets[f][h][l];
				out->bytes[f][h][l] -=
					st->base->bytes[f][h][l];
			}
	for (r = 0; r < VG_R__COUNT; r++) {
		out->drops[r] -= st->base->drops[r];
		out->monitored[r] -= st->base->monitored[r];
	}
	for (c = 0; c < VG_STATS_NCLASSES; c++)
		vg_stats_sub_pair(&out->classes[c], &st->base->classes[c]);
	for (f = 0; f < VG_STATS_ZONE_SLOTS; f++)
		for (z = 0; z < VG_STATS_ZONE_SLOTS; z++)
			vg_stats_sub_pair(&out->pairs[f][z],
					  &st->base->pairs[f][z]);
	mutex_unlock(&st->reset_lock);
}

void vg_stats_reset(struct vg_stats *st)
{
	mutex_lock(&st->reset_lock);
	vg_stats_sum(st, st->base);
	st->reset_time_ns = ktime_get_boottime_ns();
	mutex_unlock(&st->reset_lock);
}

/*
 * The per-CPU counters are not written here: their writers add to them
 * without a lock on their own CPU, and a store from this CPU could be lost
 * under a concurrent add. Instead, as a reset does, each pair's current sum
 * becomes its base. A count added while the sums are taken lands either
 * before its counter is read (then it is in the base) or after (then it
 * shows): never both, never neither. Readers take the same lock, so none
 * sees a base half rewritten.
 */
void vg_stats_clear_zones(struct vg_stats *st, const unsigned long *slots)
{
	struct vg_pair_totals sum;
	int f, t, cpu;

	mutex_lock(&st->reset_lock);
	for (f = 0; f < VG_STATS_ZONE_SLOTS; f++) {
		for (t = 0; t < VG_STATS_ZONE_SLOTS; t++) {
			if (!test_bit(f, slots) && !test_bit(t, slots))
				continue;
			memset(&sum, 0, sizeof(sum));
			for_each_possible_cpu(cpu) {
				const struct vg_pcpu_stats *s;

				s = per_cpu_ptr(st->pcpu, cpu);
				vg_stats_add_pair(s, &sum, &s->pairs[f][t]);
			}
			st->base->pairs[f][t] = sum;
		}
	}
	mutex_unlock(&st->reset_lock);
}
