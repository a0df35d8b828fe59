// SPDX-License-Identifier: GPL-2.0
/*
 * The source table: per-source SIP token buckets, flood detection and call
 * counts, bounded by max-sources with least-recently-used eviction.
 */
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "config.h"
#include "events.h"
#include "pernet.h"
#include "sources.h"

/* LRU order is refreshed at most this often per source (table lock). */
#define VG_SOURCE_LRU_NS	(1ULL * NSEC_PER_SEC)
/* Entries looked at for one eviction before giving up. */
#define VG_SOURCE_EVICT_SCAN	64

static u32 vg_source_hash(const struct vg_source_key *key, u32 seed)
{
	return jhash(key, sizeof(*key), seed);
}

static u32 vg_source_node_hash(const struct hlist_node *node, u32 seed)
{
	return vg_source_hash(&hlist_entry(node, struct vg_source, node)->key,
			      seed);
}

int vg_sources_init(struct vg_source_table *st)
{
	INIT_LIST_HEAD(&st->lru);
	spin_lock_init(&st->lock);
	atomic_set(&st->count, 0);
	return vg_htable_init(&st->ht, &st->lock, vg_source_node_hash);
}

static struct vg_source *vg_source_lookup(struct vg_source_table *st,
					  const struct vg_source_key *key)
{
	u32 hash = vg_source_hash(key, st->ht.seed);
	struct vg_source *s;
	unsigned int seq;

	do {
		seq = vg_htable_begin(&st->ht);
		hlist_for_each_entry_rcu(s, vg_htable_head(&st->ht, hash),
					 node, lockdep_is_held(&st->lock))
			if (!memcmp(&s->key, key, sizeof(*key)))
				return s;
	} while (vg_htable_retry(&st->ht, seq));
	return NULL;
}

/* Unlink @s if no call holds it; caller holds st->lock. */
static bool vg_source_try_remove(struct vg_net *vn, struct vg_source *s)
{
	if (!refcount_dec_if_one(&s->ref))
		return false;
	hlist_del_rcu(&s->node);
	list_del_init(&s->lru);
	atomic_dec(&vn->sources.count);
	atomic_inc(&vn->state_gen);
	kfree_rcu(s, rcu);
	return true;
}

static bool vg_sources_evict_one(struct vg_net *vn)
{
	struct vg_source *s, *tmp;
	int scanned = 0;

	list_for_each_entry_safe(s, tmp, &vn->sources.lru, lru) {
		if (vg_source_try_remove(vn, s))
			return true;
		if (++scanned >= VG_SOURCE_EVICT_SCAN)
			break;
	}
	return false;
}

static void vg_source_key_of(struct vg_source_key *key,
			     const struct vg_config *cfg,
			     const struct vg_addr *src)
{
	u8 len = cfg->source_prefix6;
	int i;

	memset(key, 0, sizeof(*key));
	key->addr.family = src->family;
	if (src->family == VG_AF_INET) {
		memcpy(key->addr.addr, src->addr, 4);
		key->prefix_len = 32;
		return;
	}
	key->prefix_len = len;
	for (i = 0; i < 16 && len; i++) {
		u8 bits = min_t(u8, len, 8);

		key->addr.addr[i] = src->addr[i] & (u8)(0xff00 >> bits);
		len -= bits;
	}
}

struct vg_source *vg_source_get(struct vg_net *vn, const struct vg_config *cfg,
				const struct vg_addr *src, int zone, u64 now)
{
	struct vg_source_table *st = &vn->sources;
	struct vg_source_key key;
	struct vg_source *s, *other;

	vg_source_key_of(&key, cfg, src);
	s = vg_source_lookup(st, &key);
	if (s) {
		WRITE_ONCE(s->last_ns, now);
		if (vg_ns_since(now, READ_ONCE(s->lru_ns)) > VG_SOURCE_LRU_NS) {
			spin_lock(&st->lock);
			if (!list_empty(&s->lru)) {
				list_move_tail(&s->lru, &st->lru);
				WRITE_ONCE(s->lru_ns, now);
			}
			spin_unlock(&st->lock);
		}
		return s;
	}

	s = kzalloc(sizeof(*s), GFP_ATOMIC);
	if (!s)
		return NULL;
	s->key = key;
	refcount_set(&s->ref, 1);
	s->zone = zone;
	if (zone >= 0 && zone < VG_ZONES_MAX)
		strscpy(s->zone_name, cfg->zones[zone].name, VG_NAME_MAX);
	spin_lock_init(&s->lock);
	s->last_ns = now;
	s->lru_ns = now;

	spin_lock(&st->lock);
	other = vg_source_lookup(st, &key);
	if (other) {
		spin_unlock(&st->lock);
		kfree(s);
		return other;
	}
	if (atomic_read(&st->count) >= cfg->max_sources &&
	    !vg_sources_evict_one(vn)) {
		spin_unlock(&st->lock);
		kfree(s);
		return NULL;
	}
	hlist_add_head_rcu(&s->node,
			   vg_htable_head(&st->ht,
					  vg_source_hash(&key, st->ht.seed)));
	list_add_tail(&s->lru, &st->lru);
	atomic_inc(&st->count);
	atomic_inc(&vn->state_gen);
	spin_unlock(&st->lock);
	return s;
}

void vg_source_calls_changed(struct vg_net *vn, struct vg_source *s)
{
	struct vg_source_table *st = &vn->sources;
	unsigned int ref;

	/* Whoever comes last sees every change made before it. */
	spin_lock_bh(&st->lock);
	ref = refcount_read(&s->ref);
	if (ref > 1)
		list_del_init(&s->lru);
	else if (ref == 1 && list_empty(&s->lru))
		list_add_tail(&s->lru, &st->lru);
	spin_unlock_bh(&st->lock);
}

enum vg_reason vg_source_police(struct vg_net *vn, const struct vg_config *cfg,
				struct vg_source *s, u32 cost, u64 now)
{
	u32 rate = cfg->limits.sip_rate, burst = cfg->limits.sip_burst;
	bool flood_start = false, ok = true;

	spin_lock(&s->lock);
	if (rate) {
		if (s->bucket_rate != rate || s->bucket_burst != burst) {
			if (vg_bucket_init(&s->bucket, rate, burst, now)) {
				s->bucket_rate = rate;
				s->bucket_burst = burst;
			}
		}
		if (s->bucket_rate)
			ok = vg_bucket_take(&s->bucket, now, cost);
	}
	if (ok) {
		s->passed++;
	} else {
		s->limited++;
		if (vg_ns_since(now, s->last_limited_ns) > VG_FLOOD_GAP_NS)
			s->run_limited = 0;
		s->last_limited_ns = now;
		if (++s->run_limited >= VG_FLOOD_MIN_LIMITED && !s->flooding) {
			s->flooding = true;
			flood_start = true;
		}
	}
	spin_unlock(&s->lock);
	if (flood_start)
		vg_event_flood_start(vn, s);
	return ok ? VG_R_NONE : VG_R_SIP_RATE;
}

void vg_sources_gc(struct vg_net *vn, u64 now)
{
	struct vg_source_table *st = &vn->sources;
	struct vg_source *s, *tmp;
	struct vg_hbuckets *b;
	bool flood_end;
	u32 i;

	/* the table grows only from this work: no move under this walk */
	rcu_read_lock();
	b = vg_htable_buckets(&st->ht);
	for (i = 0; i <= b->mask; i++) {
		hlist_for_each_entry_rcu(s, &b->heads[i], node) {
			spin_lock_bh(&s->lock);
			flood_end = s->flooding &&
				    vg_ns_since(now, s->last_limited_ns) >
				    VG_FLOOD_END_NS;
			if (flood_end)
				s->flooding = false;
			spin_unlock_bh(&s->lock);
			if (flood_end)
				vg_event_flood_end(vn, s);
		}
	}
	rcu_read_unlock();

	spin_lock_bh(&st->lock);
	list_for_each_entry_safe(s, tmp, &st->lru, lru) {
		if (vg_ns_since(now, READ_ONCE(s->last_ns)) < VG_SOURCE_IDLE_NS)
			break;	/* the rest were used more recently */
		if (!READ_ONCE(s->flooding))
			vg_source_try_remove(vn, s);
	}
	spin_unlock_bh(&st->lock);
}

void vg_sources_destroy(struct vg_source_table *st)
{
	struct hlist_node *tmp;
	struct vg_hbuckets *b;
	struct vg_source *s;
	u32 i;

	if (!rcu_access_pointer(st->ht.b))
		return;
	/* by the table, not the LRU list: that one holds no source with calls */
	b = rcu_dereference_protected(st->ht.b, true);
	for (i = 0; i <= b->mask; i++) {
		hlist_for_each_entry_safe(s, tmp, &b->heads[i], node) {
			hlist_del_rcu(&s->node);
			list_del(&s->lru);
			kfree_rcu(s, rcu);
		}
	}
	atomic_set(&st->count, 0);
	synchronize_rcu();
	vg_htable_destroy(&st->ht);
}

void vg_source_entry_info(const struct vg_source *cs,
			  struct vg_source_info *out)
{
	/* The lock guards the counters, not the identity. */
	struct vg_source *s = (struct vg_source *)cs;
	u64 now = ktime_get_ns();

	memset(out, 0, sizeof(*out));
	out->prefix = s->key.addr;
	out->prefix_len = s->key.prefix_len;
	out->zone = s->zone_name;
	out->calls = vg_source_calls(s);
	out->idle_ms = div_u64(vg_ns_since(now, READ_ONCE(s->last_ns)),
			       NSEC_PER_MSEC);
	spin_lock_bh(&s->lock);
	out->passed = s->passed;
	out->limited = s->limited;
	out->flooding = s->flooding;
	spin_unlock_bh(&s->lock);
}

struct vg_sources_dump_ctx {
	vg_source_fn fn;
	void *arg;
};

static int vg_sources_dump_one(struct hlist_node *node, void *arg)
{
	const struct vg_sources_dump_ctx *ctx = arg;
	struct vg_source_info info;

	vg_source_entry_info(hlist_entry(node, struct vg_source, node), &info);
	return ctx->fn(&info, ctx->arg);
}

int vg_sources_dump(struct vg_net *vn, struct vg_dump_cursor *cur,
		    vg_source_fn fn, void *arg)
{
	struct vg_sources_dump_ctx ctx = { .fn = fn, .arg = arg };

	return vg_hash_dump(&vn->sources.ht, cur, vg_sources_dump_one, &ctx);
}
