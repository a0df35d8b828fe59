// SPDX-License-Identifier: GPL-2.0
/*
 * The call table: SIP dialogs by Call-ID, each owning its media pinholes.
 */
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "calls.h"
#include "config.h"
#include "events.h"
#include "pernet.h"
#include "sources.h"

/* A call keeps its hash: moving it to other buckets needs no rehash. */
static u32 vg_call_node_hash(const struct hlist_node *node, u32 seed)
{
	return hlist_entry(node, struct vg_call_entry, node)->hash;
}

int vg_calls_init(struct vg_call_table *ct)
{
	spin_lock_init(&ct->lock);
	atomic_set(&ct->count, 0);
	atomic64_set(&ct->next_id, 1);
	memset(ct->zones, 0, sizeof(ct->zones));
	return vg_htable_init(&ct->ht, &ct->lock, vg_call_node_hash);
}

static u32 vg_calls_hash(struct vg_call_table *ct, const char *id, u32 len)
{
	return jhash(id, len, ct->ht.seed);
}

struct vg_call_entry *vg_calls_lookup(struct vg_call_table *ct,
				      const char *call_id, u32 len)
{
	u32 hash = vg_calls_hash(ct, call_id, len);
	struct vg_call_entry *c;
	unsigned int seq;

	do {
		seq = vg_htable_begin(&ct->ht);
		hlist_for_each_entry_rcu(c, vg_htable_head(&ct->ht, hash),
					 node, lockdep_is_held(&ct->lock))
			if (c->hash == hash && c->call_id_len == len &&
			    !memcmp(c->call_id, call_id, len))
				return c;
	} while (vg_htable_retry(&ct->ht, seq));
	return NULL;
}

/* The count slot of zone @name; NULL when full. Caller holds ct->lock. */
static struct vg_zone_calls *vg_zone_slot(struct vg_call_table *ct,
					  const char *name, bool create)
{
	struct vg_zone_calls *free_slot = NULL;
	int i;

	for (i = 0; i < VG_ZONE_CALL_SLOTS; i++) {
		struct vg_zone_calls *z = &ct->zones[i];

		if (z->name[0] && !strncmp(z->name, name, VG_NAME_MAX))
			return z;
		if (!free_slot && (!z->name[0] || !z->calls))
			free_slot = z;
	}
	if (!create || !free_slot)
		return NULL;
	strscpy(free_slot->name, name, VG_NAME_MAX);
	free_slot->calls = 0;
	return free_slot;
}

u32 vg_calls_in_zone(struct vg_net *vn, const char *name)
{
	struct vg_zone_calls *z;
	u32 n = 0;

	spin_lock_bh(&vn->calls.lock);
	z = vg_zone_slot(&vn->calls, name, false);
	if (z)
		n = z->calls;
	spin_unlock_bh(&vn->calls.lock);
	return n;
}

static void vg_zone_name_copy(char *dst, const struct vg_config *cfg,
			      int zone)
{
	if (zone >= 0 && zone < VG_ZONES_MAX)
		strscpy(dst, cfg->zones[zone].name, VG_NAME_MAX);
	else
		dst[0] = '\0';
}

/* Limits a new call must fit; caller holds ct->lock. */
static enum vg_reason vg_call_admit(struct vg_call_table *ct,
				    const struct vg_config *cfg,
				    const struct vg_call_new *nc,
				    struct vg_zone_calls **zslot)
{
	u32 zmax = vg_zone_max_calls(cfg, nc->from_zone);

	*zslot = NULL;
	if (atomic_read(&ct->count) >= cfg->max_calls)
		return VG_R_STATE_FULL;
	if (nc->from_zone >= 0 && nc->from_zone < VG_ZONES_MAX) {
		*zslot = vg_zone_slot(ct, cfg->zones[nc->from_zone].name, true);
		if (!*zslot)
			return VG_R_STATE_FULL;
	}
	if (nc->emergency)
		return VG_R_NONE;
	if (cfg->limits.calls_per_source && nc->source &&
	    vg_source_calls(nc->source) >= cfg->limits.calls_per_source)
		return VG_R_CALL_LIMIT;
	if (zmax && *zslot && (*zslot)->calls >= zmax)
		return VG_R_CALL_LIMIT;
	return VG_R_NONE;
}

struct vg_call_entry *vg_call_create(struct vg_net *vn,
				     const struct vg_config *cfg,
				     const struct vg_call_new *nc, u64 now,
				     bool *existed, enum vg_reason *why)
{
	struct vg_call_table *ct = &vn->calls;
	struct vg_call_entry *c, *other;
	struct vg_zone_calls *zslot;
	enum vg_reason r;

	*existed = false;
	if (nc->call_id_len > VG_CALL_ID_MAX) {
		*why = VG_R_STATE_FULL;
		return NULL;
	}
	c = kzalloc(struct_size(c, call_id, nc->call_id_len), GFP_ATOMIC);
	if (!c) {
		*why = VG_R_STATE_FULL;
		return NULL;
	}
	c->hash = vg_calls_hash(ct, nc->call_id, nc->call_id_len);
	memcpy(c->call_id, nc->call_id, nc->call_id_len);
	c->call_id_len = nc->call_id_len;
	c->caller = nc->caller;
	c->caller_port = nc->caller_port;
	c->callee = nc->callee;
	c->callee_port = nc->callee_port;
	c->from_zone = nc->from_zone;
	c->to_zone = nc->to_zone;
	vg_zone_name_copy(c->from_zone_name, cfg, nc->from_zone);
	vg_zone_name_copy(c->to_zone_name, cfg, nc->to_zone);
	c->emergency = nc->emergency;
	c->created_ns = now;
	c->last_ns = now;
	c->ring_ns = now;
	spin_lock_init(&c->lock);
	c->st = *nc->st;
	INIT_LIST_HEAD(&c->flows);

	spin_lock(&ct->lock);
	other = vg_calls_lookup(ct, nc->call_id, nc->call_id_len);
	if (other) {
		spin_unlock(&ct->lock);
		kfree(c);
		*existed = true;
		return other;
	}
	r = vg_call_admit(ct, cfg, nc, &zslot);
	if (r) {
		spin_unlock(&ct->lock);
		kfree(c);
		*why = r;
		return NULL;
	}
	/* A source evicted meanwhile (no calls, count 0) counts nothing. */
	if (nc->source && refcount_inc_not_zero(&nc->source->ref))
		c->source = nc->source;
	if (zslot) {
		zslot->calls++;
		c->counted_zone = true;
	}
	c->id = atomic64_inc_return(&ct->next_id);
	atomic_inc(&ct->count);
	atomic_inc(&vn->state_gen);
	hlist_add_head_rcu(&c->node, vg_htable_head(&ct->ht, c->hash));
	spin_unlock(&ct->lock);
	if (c->source)
		vg_source_calls_changed(vn, c->source);
	return c;
}

/* Zone of a pinhole address (network order bytes), for require-SRTP. */
static int vg_zone_of_addr(const struct vg_config *cfg,
			   const struct vg_addr *a)
{
	struct in6_addr a6;
	__be32 a4;

	if (a->family == VG_AF_INET) {
		memcpy(&a4, a->addr, 4);
		return vg_zone_of(cfg, AF_INET, &a4);
	}
	if (a->family == VG_AF_INET6) {
		memcpy(&a6, a->addr, 16);
		return vg_zone_of(cfg, AF_INET6, &a6);
	}
	return VG_ZONE_NONE;
}

/* Whether require-SRTP refuses plain RTP from the peer to @ph's receiver. */
static bool vg_pinhole_srtp_refused(const struct vg_config *cfg,
				    const struct vg_pinhole *ph)
{
	struct vg_addr dst;

	if (ph->flags & VG_PH_SRTP)
		return false;
	vg_pinhole_dst(ph, &dst);
	return vg_srtp_required(cfg, vg_zone_of_addr(cfg, &ph->peer),
				vg_zone_of_addr(cfg, &dst));
}

/*
 * With direct-media off, media goes only through the addresses that
 * signalled: a pinhole whose SDP address is not its receiver's signalling
 * address (a phone behind a proxy that passes its SDP on) stays shut.
 */
static bool vg_pinhole_indirect(const struct vg_config *cfg,
				const struct vg_call_entry *call,
				const struct vg_pinhole *ph)
{
	struct vg_addr dst;

	if (cfg->direct_media)
		return false;
	vg_pinhole_dst(ph, &dst);
	return !vg_addr_equal(&dst, ph->receiver == VG_SIDE_CALLER ?
				    &call->caller : &call->callee);
}

void vg_call_set_media(struct vg_net *vn, const struct vg_config *cfg,
		       struct vg_call_entry *call,
		       const struct vg_call_decision *dec, bool monitor,
		       u64 now)
{
	struct vg_media_entry *e, *tmp;
	enum vg_reason r;
	int k;

	lockdep_assert_held(&call->lock);
	if (call->dead)
		return;
	list_for_each_entry(e, &call->flows, call_node)
		e->keep = false;
	for (k = 0; k < dec->n_pinholes; k++) {
		const struct vg_pinhole *ph = &dec->pinholes[k];

		if (vg_pinhole_indirect(cfg, call, ph)) {
			vg_stats_count_drop(&vn->stats, VG_R_MEDIA_ADDRESS,
					    monitor);
			if (!monitor)
				continue;
		}
		if (vg_pinhole_srtp_refused(cfg, ph)) {
			vg_stats_count_drop(&vn->stats, VG_R_SRTP_REQUIRED,
					    monitor);
			if (!monitor)
				continue;
		}
		r = vg_media_open(vn, cfg, call, ph, false, now);
		if (!r && ph->rtcp_port && !(ph->flags & VG_PH_RTCP_MUX))
			r = vg_media_open(vn, cfg, call, ph, true, now);
		if (r)
			vg_stats_count_drop(&vn->stats, r, monitor);
	}
	list_for_each_entry_safe(e, tmp, &call->flows, call_node)
		if (!e->keep)
			vg_media_close(vn, e, VG_CAUSE_NONE);
}

void vg_call_end(struct vg_net *vn, struct vg_call_entry *call,
		 enum vg_event_cause cause, u16 status)
{
	struct vg_call_table *ct = &vn->calls;
	struct vg_media_entry *e, *tmp;
	struct vg_zone_calls *z;

	spin_lock_bh(&call->lock);
	if (call->dead) {
		spin_unlock_bh(&call->lock);
		return;
	}
	call->dead = true;
	spin_unlock_bh(&call->lock);
	/* Dead: nothing changes the flows now but us; the event reads them. */
	if (cause != VG_CAUSE_NONE)
		vg_event_call_end(vn, call, cause, status);
	spin_lock_bh(&call->lock);
	list_for_each_entry_safe(e, tmp, &call->flows, call_node)
		vg_media_close(vn, e, VG_CAUSE_NONE);
	spin_unlock_bh(&call->lock);

	spin_lock_bh(&ct->lock);
	hlist_del_rcu(&call->node);
	atomic_dec(&ct->count);
	atomic_inc(&vn->state_gen);
	if (call->counted_zone) {
		z = vg_zone_slot(ct, call->from_zone_name, false);
		if (z && z->calls)
			z->calls--;
	}
	spin_unlock_bh(&ct->lock);
	if (call->source) {
		refcount_dec(&call->source->ref);
		vg_source_calls_changed(vn, call->source);
	}
	kfree_rcu(call, rcu);
}

/* Expire one call's idle pinholes; true when the call should end. */
static bool vg_call_expire(struct vg_net *vn, struct vg_call_entry *c,
			   u64 now, u64 media_timeout_ns, u64 call_timeout_ns)
{
	struct vg_media_entry *e, *tmp;
	bool end = false;

	spin_lock_bh(&c->lock);
	if (c->dead)
		goto out;
	if (c->st.state < VG_CALL_ANSWERED) {
		end = vg_ns_since(now, c->ring_ns) > call_timeout_ns;
		goto out;
	}
	list_for_each_entry_safe(e, tmp, &c->flows, call_node)
		if (vg_ns_since(now, READ_ONCE(e->last_ns)) > media_timeout_ns)
			vg_media_close(vn, e, VG_CAUSE_TIMEOUT);
	end = list_empty(&c->flows) &&
	      vg_ns_since(now, READ_ONCE(c->last_ns)) > media_timeout_ns;
out:
	spin_unlock_bh(&c->lock);
	return end;
}

void vg_calls_gc(struct vg_net *vn, u64 now, u64 media_timeout_ns,
		 u64 call_timeout_ns)
{
	struct vg_call_table *ct = &vn->calls;
	struct vg_call_entry *c;
	struct vg_hbuckets *b;
	u32 i;

	/* the table grows only from this work: no move under this walk */
	rcu_read_lock();
	b = vg_htable_buckets(&ct->ht);
	for (i = 0; i <= b->mask; i++)
		hlist_for_each_entry_rcu(c, &b->heads[i], node)
			if (vg_call_expire(vn, c, now, media_timeout_ns,
					   call_timeout_ns))
				vg_call_end(vn, c, VG_CAUSE_TIMEOUT, 0);
	rcu_read_unlock();
}

void vg_calls_destroy(struct vg_net *vn)
{
	struct vg_call_table *ct = &vn->calls;
	struct vg_call_entry *c;
	struct hlist_node *tmp;
	struct vg_hbuckets *b;
	u32 i;

	if (!rcu_access_pointer(ct->ht.b))
		return;
	rcu_read_lock();
	b = vg_htable_buckets(&ct->ht);
	for (i = 0; i <= b->mask; i++)
		hlist_for_each_entry_safe(c, tmp, &b->heads[i], node)
			vg_call_end(vn, c, VG_CAUSE_NONE, 0);
	rcu_read_unlock();
	/* Calls and pinholes go with kfree_rcu(): let them go first. */
	synchronize_rcu();
	vg_htable_destroy(&ct->ht);
}

static u8 vg_call_status_of(u8 state)
{
	switch (state) {
	case VG_CALL_EARLY:
		return VG_CALL_S_EARLY;
	case VG_CALL_ANSWERED:
		return VG_CALL_S_ANSWERED;
	case VG_CALL_CONFIRMED:
		return VG_CALL_S_CONFIRMED;
	case VG_CALL_ENDED:
		return VG_CALL_S_ENDED;
	default:
		return VG_CALL_S_INVITED;
	}
}

void vg_call_entry_info(const struct vg_call_entry *cc,
			struct vg_call_info *out)
{
	/* The lock guards the call's state, not its identity. */
	struct vg_call_entry *c = (struct vg_call_entry *)cc;
	u64 now = ktime_get_ns();

	memset(out, 0, sizeof(*out));
	out->id = c->id;
	out->call_id = c->call_id;
	out->call_id_len = c->call_id_len;
	out->caller = c->caller;
	out->caller_port = c->caller_port;
	out->callee = c->callee;
	out->callee_port = c->callee_port;
	out->from_zone = c->from_zone_name;
	out->to_zone = c->to_zone_name;
	out->age_ms = div_u64(vg_ns_since(now, c->created_ns), NSEC_PER_MSEC);
	out->emergency = c->emergency;
	out->entry = c;
	spin_lock_bh(&c->lock);
	out->state = vg_call_status_of(c->st.state);
	out->n_streams = c->n_flows;
	spin_unlock_bh(&c->lock);
}

int vg_call_flows(struct vg_net *vn, const struct vg_call_entry *c,
		  vg_flow_fn fn, void *arg)
{
	struct vg_media_entry *e;
	struct vg_flow_info info;
	int ret;

	list_for_each_entry_rcu(e, &c->flows, call_node) {
		vg_media_entry_info(vn, e, &info);
		ret = fn(&info, arg);
		if (ret)
			return ret;
	}
	return 0;
}

struct vg_calls_dump_ctx {
	vg_call_fn fn;
	void *arg;
};

static int vg_calls_dump_one(struct hlist_node *node, void *arg)
{
	const struct vg_calls_dump_ctx *ctx = arg;
	struct vg_call_info info;

	vg_call_entry_info(hlist_entry(node, struct vg_call_entry, node),
			   &info);
	return ctx->fn(&info, ctx->arg);
}

int vg_calls_dump(struct vg_net *vn, struct vg_dump_cursor *cur,
		  vg_call_fn fn, void *arg)
{
	struct vg_calls_dump_ctx ctx = { .fn = fn, .arg = arg };

	return vg_hash_dump(&vn->calls.ht, cur, vg_calls_dump_one, &ctx);
}

int vg_calls_get(struct vg_net *vn, const char *call_id, u32 len,
		 vg_call_fn fn, void *arg)
{
	struct vg_call_info info;
	struct vg_call_entry *c;
	int ret = -ENOENT;

	rcu_read_lock();
	c = vg_calls_lookup(&vn->calls, call_id, len);
	if (c) {
		vg_call_entry_info(c, &info);
		ret = fn(&info, arg);
	}
	rcu_read_unlock();
	return ret;
}

void vg_media_flush(struct vg_net *vn)
{
	struct vg_call_table *ct = &vn->calls;
	struct vg_media_entry *e, *tmp;
	struct vg_call_entry *c;
	struct vg_hbuckets *b;
	unsigned int seq;
	u32 i;

	/* again if the table grew meanwhile: a moved call may be missed */
	rcu_read_lock();
	do {
		seq = vg_htable_begin(&ct->ht);
		b = vg_htable_buckets(&ct->ht);
		for (i = 0; i <= b->mask; i++) {
			hlist_for_each_entry_rcu(c, &b->heads[i], node) {
				spin_lock_bh(&c->lock);
				if (!c->dead)
					list_for_each_entry_safe(e, tmp,
								 &c->flows,
								 call_node)
						vg_media_close(vn, e,
							       VG_CAUSE_FLUSH);
				spin_unlock_bh(&c->lock);
			}
		}
	} while (vg_htable_retry(&ct->ht, seq));
	rcu_read_unlock();
}
