// SPDX-License-Identifier: GPL-2.0
/*
 * The media table: pinholes opened from SDP, looked up per packet under RCU,
 * each with its own lock for the stream statistics, latched source and
 * policer.
 */
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "calls.h"
#include "config.h"
#include "events.h"
#include "media.h"
#include "pernet.h"
#include "rtcp.h"

static u32 vg_media_hash(const struct vg_media_key *key, u32 seed)
{
	return jhash(key, sizeof(*key), seed);
}

static u32 vg_media_node_hash(const struct hlist_node *node, u32 seed)
{
	return vg_media_hash(&hlist_entry(node, struct vg_media_entry,
					  node)->key, seed);
}

int vg_media_init(struct vg_media_table *mt)
{
	spin_lock_init(&mt->lock);
	atomic_set(&mt->count, 0);
	atomic64_set(&mt->next_id, 1);
	return vg_htable_init(&mt->ht, &mt->lock, vg_media_node_hash);
}

void vg_media_destroy(struct vg_media_table *mt)
{
	vg_htable_destroy(&mt->ht);
}

struct vg_media_entry *vg_media_lookup(struct vg_media_table *mt,
				       const struct vg_media_key *key)
{
	u32 hash = vg_media_hash(key, mt->ht.seed);
	struct vg_media_entry *e;
	unsigned int seq;

	do {
		seq = vg_htable_begin(&mt->ht);
		hlist_for_each_entry_rcu(e, vg_htable_head(&mt->ht, hash),
					 node, lockdep_is_held(&mt->lock))
			if (!memcmp(&e->key, key, sizeof(*key)) &&
			    !READ_ONCE(e->shadowed))
				return e;
	} while (vg_htable_retry(&mt->ht, seq));
	return NULL;
}

u32 vg_state_generation(struct vg_net *vn)
{
	return (u32)atomic_read(&vn->state_gen);
}

static void vg_media_key_of(struct vg_media_key *key,
			    const struct vg_pinhole *ph, bool rtcp)
{
	memset(key, 0, sizeof(*key));
	vg_pinhole_dst(ph, &key->dst);
	key->l4proto = ph->l4proto;
	key->port = rtcp ? ph->rtcp_port : ph->dst_port;
}

/* Payload types, clock and codec of @ph, into @e (under e->lock). */
static void vg_media_set_pinhole(struct vg_media_entry *e,
				 const struct vg_pinhole *ph)
{
	e->ph = *ph;
	vg_rtp_pt_set_from_words(&e->pts, ph->pts.bits);
	e->codec = vg_mos_codec_by_pt(ph->first_pt);
}

/*
 * Policer rate in packets per second: the configured rtp-rate, else the
 * packetisation of an audio codec (one packet per ptime, 20 ms when SDP
 * gives none) plus headroom. Video sends a burst of packets per frame, so
 * it is policed only by a configured rate.
 */
static void vg_media_set_policer(struct vg_media_entry *e,
				 const struct vg_config *cfg, u64 now)
{
	u64 rate = cfg->limits.rtp_rate;
	u32 ptime = e->ph.ptime ? e->ph.ptime : 20;

	if (e->rtcp) {
		e->policed = false;
		return;
	}
	if (!rate && e->ph.kind == VG_SDP_MEDIA_AUDIO) {
		rate = DIV_ROUND_UP(1000, ptime);
		rate = DIV_ROUND_UP(rate * (100 + cfg->limits.rtp_headroom),
				    100);
	}
	e->policed = rate && vg_bucket_init(&e->policer, rate,
					    max_t(u64, rate, 10), now);
}

/*
 * Two calls announcing one address and port: the newest announcement wins.
 * The older entry stays in the table, shadowed: lookups pass it by, and it
 * takes the key back when its call announces it again or when the entry
 * that shadows it closes. Only unshadowed entries count against the limit.
 */

/* Make @e the one a lookup finds; false when the table is full. */
static bool vg_media_hash_in(struct vg_net *vn, const struct vg_config *cfg,
			     struct vg_media_entry *e)
{
	struct vg_media_table *mt = &vn->media;
	struct vg_media_entry *old;

	spin_lock(&mt->lock);
	if (e->hashed && !e->shadowed) {
		spin_unlock(&mt->lock);
		return true;
	}
	old = vg_media_lookup(mt, &e->key);
	if (!old && atomic_read(&mt->count) >= cfg->max_streams) {
		spin_unlock(&mt->lock);
		return false;
	}
	if (old)
		WRITE_ONCE(old->shadowed, true);
	else
		atomic_inc(&mt->count);
	if (e->hashed) {
		WRITE_ONCE(e->shadowed, false);
	} else {
		hlist_add_head_rcu(&e->node,
				   vg_htable_head(&mt->ht,
						  vg_media_hash(&e->key,
								mt->ht.seed)));
		e->hashed = true;
	}
	atomic_inc(&vn->state_gen);
	spin_unlock(&mt->lock);
	return true;
}

/* Take @e out of the table; a shadowed entry of its key takes it over. */
static void vg_media_hash_out(struct vg_media_table *mt,
			      struct vg_media_entry *e)
{
	struct vg_media_entry *heir;

	lockdep_assert_held(&mt->lock);
	if (!e->hashed)
		return;
	hlist_del_rcu(&e->node);
	e->hashed = false;
	if (e->shadowed)
		return;		/* it held no key */
	hlist_for_each_entry(heir,
			     vg_htable_head(&mt->ht,
					    vg_media_hash(&e->key, mt->ht.seed)),
			     node) {
		if (heir->shadowed &&
		    !memcmp(&heir->key, &e->key, sizeof(e->key))) {
			WRITE_ONCE(heir->shadowed, false);
			return;
		}
	}
	atomic_dec(&mt->count);
}

enum vg_reason vg_media_open(struct vg_net *vn, const struct vg_config *cfg,
			     struct vg_call_entry *call,
			     const struct vg_pinhole *ph, bool rtcp, u64 now)
{
	struct vg_media_table *mt = &vn->media;
	struct vg_media_entry *e;
	struct vg_media_key key;

	lockdep_assert_held(&call->lock);
	vg_media_key_of(&key, ph, rtcp);
	if (!key.port)
		return VG_R_NONE;

	/* The call has this pinhole already: keep its stream, renew SDP. */
	list_for_each_entry(e, &call->flows, call_node) {
		if (e->rtcp != rtcp || memcmp(&e->key, &key, sizeof(key)))
			continue;
		spin_lock(&e->lock);
		if (!vg_addr_equal(&e->ph.peer, &ph->peer))
			e->state = VG_FLOW_OPEN;	/* latch again */
		vg_media_set_pinhole(e, ph);
		vg_media_set_policer(e, cfg, now);
		spin_unlock(&e->lock);
		e->keep = true;
		/* announced again, so it holds the key again */
		return vg_media_hash_in(vn, cfg, e) ? VG_R_NONE :
						      VG_R_STATE_FULL;
	}

	if (call->n_flows >= cfg->max_streams_per_call)
		return VG_R_STATE_FULL;
	e = kzalloc(sizeof(*e), GFP_ATOMIC);
	if (!e)
		return VG_R_STATE_FULL;
	e->key = key;
	e->call = call;
	e->rtcp = rtcp;
	e->keep = true;
	e->created_ns = now;
	e->last_ns = now;
	spin_lock_init(&e->lock);
	vg_media_set_pinhole(e, ph);
	vg_media_set_policer(e, cfg, now);
	e->state = VG_FLOW_OPEN;

	e->id = atomic64_inc_return(&mt->next_id);
	if (!vg_media_hash_in(vn, cfg, e)) {
		kfree(e);
		return VG_R_STATE_FULL;
	}
	list_add_tail_rcu(&e->call_node, &call->flows);
	call->n_flows++;
	vg_event_pinhole_open(vn, e);
	return VG_R_NONE;
}

void vg_media_close(struct vg_net *vn, struct vg_media_entry *e,
		    enum vg_event_cause cause)
{
	struct vg_media_table *mt = &vn->media;

	lockdep_assert_held(&e->call->lock);
	if (cause != VG_CAUSE_NONE)
		vg_event_pinhole_expire(vn, e, cause);
	spin_lock(&mt->lock);
	vg_media_hash_out(mt, e);
	atomic_inc(&vn->state_gen);
	spin_unlock(&mt->lock);
	list_del_rcu(&e->call_node);
	e->call->n_flows--;
	kfree_rcu(e, rcu);
}

/* Is @src the expected peer (when the SDP named one)? */
static bool vg_media_from_peer(const struct vg_media_entry *e,
			       const struct vg_addr *src)
{
	if (e->ph.peer.family == VG_AF_NONE ||
	    vg_addr_unspecified(&e->ph.peer))
		return true;
	return vg_addr_equal(&e->ph.peer, src);
}

/* Judge one packet; caller holds e->lock. */
static enum vg_reason vg_media_judge(const struct vg_config *cfg,
				     struct vg_media_entry *e,
				     const struct vg_addr *src, u16 sport,
				     const u8 *p, u32 len, u64 now)
{
	enum vg_rtp_seq seq;
	struct vg_rtp_hdr h;
	enum vg_reason r;

	if (cfg->peer_restrict && !vg_media_from_peer(e, src))
		return VG_R_RTP_WRONG_SOURCE;
	/* Held to the source that sent first (RTP and RTCP alike). */
	if (e->state != VG_FLOW_OPEN &&
	    (!vg_addr_equal(&e->src, src) || e->src_port != sport))
		return VG_R_RTP_WRONG_SOURCE;

	if (e->rtcp || ((e->ph.flags & VG_PH_RTCP_MUX) &&
			vg_rtp_is_rtcp(p, len))) {
		/* SRTCP encrypts all but the first packet's header. */
		r = e->ph.flags & VG_PH_SRTP ? vg_srtcp_validate(p, len, NULL) :
					       vg_rtcp_validate(p, len, NULL);
		if (r)
			return r;
		if (e->state == VG_FLOW_OPEN) {
			e->src = *src;
			e->src_port = sport;
			e->state = e->rtcp ? VG_FLOW_LATCHED : VG_FLOW_PROBATION;
		}
		e->rtcp_packets++;
		e->rtcp_bytes += len;
		return VG_R_NONE;
	}

	/* A direction that SDP holds inactive or send-only receives nothing. */
	if (!(e->ph.flags & VG_PH_RTP))
		return VG_R_RTP_NO_PINHOLE;
	r = vg_rtp_parse(p, len, &e->pts, &h);
	if (r)
		return r;
	if (e->policed && !vg_bucket_take(&e->policer, now, 1))
		return VG_R_RTP_RATE;
	if (!e->stats_init) {
		vg_pinhole_stream_init(&e->ph, h.pt, &e->st);
		e->stats_init = true;
	}
	seq = vg_rtp_stream_update(&e->st, &h, len, now);
	if (seq == VG_RTP_SEQ_OTHER_SSRC && cfg->peer_restrict)
		return VG_R_RTP_WRONG_SOURCE;
	if (e->state == VG_FLOW_OPEN) {
		e->src = *src;
		e->src_port = sport;
		e->state = VG_FLOW_PROBATION;
	}
	if (e->state == VG_FLOW_PROBATION && e->st.seq_valid)
		e->state = VG_FLOW_LATCHED;
	e->last_pt = h.pt;
	return VG_R_NONE;
}

enum vg_reason vg_media_packet(struct vg_net *vn, const struct vg_config *cfg,
			       struct vg_media_entry *e,
			       const struct vg_addr *src, u16 sport,
			       const u8 *p, u32 len, u64 now)
{
	enum vg_reason r;

	spin_lock(&e->lock);
	r = vg_media_judge(cfg, e, src, sport, p, len, now);
	if (r)
		e->dropped++;
	spin_unlock(&e->lock);
	if (!r && READ_ONCE(e->last_ns) != now)
		WRITE_ONCE(e->last_ns, now);
	return r;
}

static u32 vg_jitter_ns(u64 jitter_fp)
{
	return (u32)min_t(u64, jitter_fp >> VG_RTP_JITTER_SHIFT, U32_MAX);
}

void vg_media_entry_info(struct vg_net *vn, const struct vg_media_entry *ce,
			 struct vg_flow_info *out)
{
	/* The lock guards the entry's statistics, not its identity. */
	struct vg_media_entry *e = (struct vg_media_entry *)ce;
	u64 now = ktime_get_ns(), idle, timeout_ns;
	struct vg_config *cfg;

	memset(out, 0, sizeof(*out));
	out->id = e->id;
	out->call_id = e->call->call_id;
	out->call_id_len = e->call->call_id_len;
	out->l4proto = e->key.l4proto;
	out->rtcp = e->rtcp;
	out->dst = e->key.dst;
	out->dst_port = e->key.port;

	spin_lock_bh(&e->lock);
	out->state = e->state;
	out->srtp = !!(e->ph.flags & VG_PH_SRTP);
	if (e->state != VG_FLOW_OPEN) {
		out->src = e->src;
		out->src_port = e->src_port;
	} else {
		out->src = e->ph.peer;
	}
	out->ssrc = e->st.latched ? e->st.ssrc : 0;
	out->payload_type = e->stats_init ? e->last_pt : e->ph.first_pt;
	out->clock_rate = e->stats_init ? e->st.clock_rate : e->ph.clock;
	if (e->rtcp) {
		out->packets = e->rtcp_packets;
		out->bytes = e->rtcp_bytes;
	} else {
		out->packets = e->st.packets;
		out->bytes = e->st.bytes;
		out->rtcp_packets = e->rtcp_packets;
		out->lost = vg_rtp_stream_lost(&e->st);
		out->duplicates = e->st.duplicates;
		out->reordered = e->st.reordered;
		out->jitter_mean_ns =
			vg_jitter_ns(vg_rtp_stream_jitter_mean(&e->st));
		out->jitter_max_ns =
			vg_jitter_ns(vg_rtp_stream_jitter_max(&e->st));
		if (e->st.packets)
			out->mos_x100 = vg_mos_stream(&e->st, e->codec);
	}
	out->dropped = e->dropped;
	spin_unlock_bh(&e->lock);

	idle = vg_ns_since(now, READ_ONCE(e->last_ns));
	out->idle_ms = div_u64(idle, NSEC_PER_MSEC);
	rcu_read_lock();
	cfg = rcu_dereference(vn->config);
	timeout_ns = cfg ? (u64)cfg->media_timeout * NSEC_PER_SEC : 0;
	rcu_read_unlock();
	out->expires_ms = timeout_ns > idle ?
			  div_u64(timeout_ns - idle, NSEC_PER_MSEC) : 0;
}

struct vg_media_dump_ctx {
	struct vg_net *vn;
	vg_flow_fn fn;
	void *arg;
};

static int vg_media_dump_one(struct hlist_node *node, void *arg)
{
	const struct vg_media_dump_ctx *ctx = arg;
	struct vg_flow_info info;

	vg_media_entry_info(ctx->vn, hlist_entry(node, struct vg_media_entry,
						  node), &info);
	return ctx->fn(&info, ctx->arg);
}

int vg_media_dump(struct vg_net *vn, struct vg_dump_cursor *cur,
		  vg_flow_fn fn, void *arg)
{
	struct vg_media_dump_ctx ctx = { .vn = vn, .fn = fn, .arg = arg };

	return vg_hash_dump(&vn->media.ht, cur, vg_media_dump_one, &ctx);
}

static int vg_media_get_cb(const struct vg_flow_info *info, void *arg)
{
	struct vg_flow_info *want = arg;

	if (info->id != want->id)
		return 0;
	*want = *info;
	return 1;
}

bool vg_media_get(struct vg_net *vn, u64 id, struct vg_flow_info *out)
{
	struct vg_dump_cursor cur = {};

	out->id = id;
	return vg_media_dump(vn, &cur, vg_media_get_cb, out) == 1;
}
