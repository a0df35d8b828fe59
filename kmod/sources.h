/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The source table: one entry per SIP source (an IPv4 address, or an IPv6
 * prefix of source-prefix6 bits), holding its SIP token bucket, its flood
 * state and its current calls. Lookups are RCU; entries are created under
 * the table lock, bounded by max-sources, and when the table is full the
 * least recently used source without calls makes room. Only sources
 * without calls are on the LRU list, so that sources holding calls, which
 * cannot go, never stand in the way of those that can.
 */
#ifndef VG_SOURCES_H
#define VG_SOURCES_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <uapi/linux/voipguard.h>

#include "bucket.h"
#include "htable.h"
#include "media.h"
#include "sdp.h"

struct vg_net;

struct vg_source_key {
	struct vg_addr addr;		/* masked to prefix_len */
	u8 prefix_len;
};

struct vg_source {
	struct hlist_node node;		/* source table bucket (RCU) */
	struct list_head lru;		/* under the table lock; empty: has calls */
	struct rcu_head rcu;
	struct vg_source_key key;
	/* 1 for the table, plus 1 per current call of this source. */
	refcount_t ref;
	int zone;			/* zone index at creation */
	char zone_name[VG_NAME_MAX];

	/* Guarded by lock. */
	spinlock_t lock;
	struct vg_bucket bucket;
	u32 bucket_rate;		/* the limits the bucket was set for */
	u32 bucket_burst;
	u64 passed;
	u64 limited;
	bool flooding;
	u32 run_limited;		/* requests limited in the current run */
	u64 last_limited_ns;

	/* Written without the lock (READ_ONCE/WRITE_ONCE). */
	u64 last_ns;			/* last SIP request */
	u64 lru_ns;			/* last move to the LRU tail */
};

struct vg_source_table {
	struct vg_htable ht;
	struct list_head lru;		/* least recently used first */
	spinlock_t lock;		/* insert, remove and LRU order */
	atomic_t count;
};

int vg_sources_init(struct vg_source_table *st);
/* Frees every source and the table, after vg_calls_destroy(). */
void vg_sources_destroy(struct vg_source_table *st);

/* What a dump or an event reports of one source. */
struct vg_source_info {
	struct vg_addr prefix;
	u8 prefix_len;
	const char *zone;		/* "" when outside every zone */
	u64 passed;
	u64 limited;
	u32 calls;
	bool flooding;
	u64 idle_ms;
};

/* Fill @out from @s (takes s->lock; caller holds rcu_read_lock). */
void vg_source_entry_info(const struct vg_source *s,
			  struct vg_source_info *out);

typedef int (*vg_source_fn)(const struct vg_source_info *info, void *arg);

/* As vg_media_dump(), over the source table. */
int vg_sources_dump(struct vg_net *vn, struct vg_dump_cursor *cur,
		    vg_source_fn fn, void *arg);

static inline u32 vg_sources_count(struct vg_source_table *st)
{
	return atomic_read(&st->count);
}

static inline u32 vg_source_calls(const struct vg_source *s)
{
	u32 ref = refcount_read(&s->ref);

	return ref ? ref - 1 : 0;
}

/* ---- Packet path (kmod/sip_path.c) and expiry (kmod/gc.c) ---- */

struct vg_config;

/*
 * A flood: this many requests over the rate, none more than
 * VG_FLOOD_GAP_NS apart; it ends after VG_FLOOD_END_NS without one.
 */
#define VG_FLOOD_MIN_LIMITED	10
#define VG_FLOOD_GAP_NS		(1ULL * NSEC_PER_SEC)
#define VG_FLOOD_END_NS		(5ULL * NSEC_PER_SEC)
/* Sources without calls leave the table after this long without SIP. */
#define VG_SOURCE_IDLE_NS	(120ULL * NSEC_PER_SEC)

/*
 * The source entry of @src (looked up, else created; a full table makes
 * room by evicting its least recently used source without calls). Caller
 * holds rcu_read_lock; NULL when nothing could be made room for.
 */
struct vg_source *vg_source_get(struct vg_net *vn, const struct vg_config *cfg,
				const struct vg_addr *src, int zone, u64 now);

/*
 * After a call took or dropped a reference to @s: a source leaves the LRU
 * list with its first call and comes back, as the most recently used,
 * with the end of its last. Caller holds rcu_read_lock.
 */
void vg_source_calls_changed(struct vg_net *vn, struct vg_source *s);

/* Take @cost tokens of @s's SIP bucket: VG_R_NONE, or VG_R_SIP_RATE. */
enum vg_reason vg_source_police(struct vg_net *vn, const struct vg_config *cfg,
				struct vg_source *s, u32 cost, u64 now);

/* Expiry: end floods that stopped, drop idle sources without calls. */
void vg_sources_gc(struct vg_net *vn, u64 now);

#endif /* VG_SOURCES_H */
