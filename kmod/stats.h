/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-namespace counters: written per CPU on the packet path without locks,
 * summed on demand for netlink.
 */
#ifndef VG_STATS_H
#define VG_STATS_H

#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <uapi/linux/voipguard.h>

#include "reason.h"

/* Families are indexed 0 (IPv4) and 1 (IPv6). */
#define VG_NFAMILIES 2
#define VG_NHOOKS (VG_HOOK_MAX + 1)
#define VG_NL4 (VG_L4_MAX + 1)
/* Classes a packet can have (VG_CLASS_ANY is for policy entries only). */
#define VG_STATS_NCLASSES VG_CLASS_ANY
/*
 * Zone pairs are counted by zone index, with one more slot for "in no
 * zone" (the same layout as the configuration's VG_ZONE_SLOTS).
 */
#define VG_STATS_ZONE_SLOTS 33
#define VG_STATS_ZONE_NONE (VG_STATS_ZONE_SLOTS - 1)

struct vg_pcpu_pair {
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t drops;
};

struct vg_pair_totals {
	u64 packets;
	u64 bytes;
	u64 drops;
};

struct vg_pcpu_stats {
	u64_stats_t packets[VG_NFAMILIES][VG_NHOOKS][VG_NL4];
	u64_stats_t bytes[VG_NFAMILIES][VG_NHOOKS][VG_NL4];
	u64_stats_t drops[VG_R__COUNT];
	u64_stats_t monitored[VG_R__COUNT];
	struct vg_pcpu_pair classes[VG_STATS_NCLASSES];
	struct vg_pcpu_pair pairs[VG_STATS_ZONE_SLOTS][VG_STATS_ZONE_SLOTS];
	struct u64_stats_sync syncp;
};

/* A consistent sum over all CPUs, relative to the last reset. */
struct vg_stats_totals {
	u64 packets[VG_NFAMILIES][VG_NHOOKS][VG_NL4];
	u64 bytes[VG_NFAMILIES][VG_NHOOKS][VG_NL4];
	u64 drops[VG_R__COUNT];
	u64 monitored[VG_R__COUNT];
	struct vg_pair_totals classes[VG_STATS_NCLASSES];
	struct vg_pair_totals pairs[VG_STATS_ZONE_SLOTS][VG_STATS_ZONE_SLOTS];
};

struct vg_stats {
	struct vg_pcpu_stats __percpu *pcpu;
	/*
	 * Per-CPU counters cannot be cleared without racing their writers, so
	 * a reset records the current sums and later reads subtract them.
	 */
	struct mutex reset_lock;
	struct vg_stats_totals *base;	/* kzalloc: large */
	u64 reset_time_ns;
};

int vg_stats_init(struct vg_stats *st);
void vg_stats_destroy(struct vg_stats *st);
void vg_stats_read(struct vg_stats *st, struct vg_stats_totals *out);
void vg_stats_reset(struct vg_stats *st);
/*
 * Starts every zone pair from or to a slot set in @slots (a bitmap of
 * VG_STATS_ZONE_SLOTS bits) again from zero. Sleeps.
 */
void vg_stats_clear_zones(struct vg_stats *st, const unsigned long *slots);

/*
 * Called from the hooks, in softirq or process context: the irqsave
 * variants keep 32-bit readers consistent; on 64-bit they cost nothing.
 */
static inline void vg_stats_count_packet(struct vg_stats *st, int family_idx,
					 enum vg_hook hook, enum vg_l4 l4,
					 unsigned int len)
{
	struct vg_pcpu_stats *s = get_cpu_ptr(st->pcpu);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_inc(&s->packets[family_idx][hook][l4]);
	u64_stats_add(&s->bytes[family_idx][hook][l4], len);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(st->pcpu);
}

/* A drop (or, with monitor set, a would-be drop) for a reason. */
static inline void vg_stats_count_drop(struct vg_stats *st,
				       enum vg_reason reason, bool monitor)
{
	struct vg_pcpu_stats *s;
	unsigned long flags;

	if ((unsigned int)reason >= VG_R__COUNT)
		return;
	s = get_cpu_ptr(st->pcpu);
	flags = u64_stats_update_begin_irqsave(&s->syncp);
	if (monitor)
		u64_stats_inc(&s->monitored[reason]);
	else
		u64_stats_inc(&s->drops[reason]);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(st->pcpu);
}

/* A zone index (or VG_ZONE_NONE, negative) as a pair slot. */
static inline unsigned int vg_stats_zone_slot(int zone)
{
	return zone >= 0 && zone < VG_STATS_ZONE_NONE ? zone
						       : VG_STATS_ZONE_NONE;
}

/*
 * One packet's outcome, per class and per (source zone, destination zone):
 * counted once per packet when its class is known, @dropped when it was
 * dropped (not when only monitored).
 */
static inline void vg_stats_count_class(struct vg_stats *st,
					enum vg_class cls, int from_zone,
					int to_zone, unsigned int len,
					bool dropped)
{
	struct vg_pcpu_pair *c, *p;
	struct vg_pcpu_stats *s;
	unsigned long flags;

	if ((unsigned int)cls >= VG_STATS_NCLASSES)
		return;
	s = get_cpu_ptr(st->pcpu);
	c = &s->classes[cls];
	p = &s->pairs[vg_stats_zone_slot(from_zone)]
		     [vg_stats_zone_slot(to_zone)];
	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_inc(&c->packets);
	u64_stats_add(&c->bytes, len);
	u64_stats_inc(&p->packets);
	u64_stats_add(&p->bytes, len);
	if (dropped) {
		u64_stats_inc(&c->drops);
		u64_stats_inc(&p->drops);
	}
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(st->pcpu);
}

#endif /* VG_STATS_H */
