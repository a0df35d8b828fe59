// SPDX-License-Identifier: GPL-2.0
/*
 * SIP on the packet path: validation by the protocol core, per-source
 * policing, then the core's call logic applied to the call table, which
 * opens and closes media pinholes.
 */
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "bucket.h"
#include "calls.h"
#include "config.h"
#include "events.h"
#include "pernet.h"
#include "sip_path.h"
#include "sources.h"

static DEFINE_PER_CPU(struct vg_scratch *, vg_scratch_ptr);

int vg_scratch_alloc(void)
{
	struct vg_scratch *s;
	int cpu;

	for_each_possible_cpu(cpu) {
		s = kvmalloc_node(sizeof(*s), GFP_KERNEL, cpu_to_node(cpu));
		if (!s) {
			vg_scratch_free();
			return -ENOMEM;
		}
		per_cpu(vg_scratch_ptr, cpu) = s;
	}
	return 0;
}

void vg_scratch_free(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		kvfree(per_cpu(vg_scratch_ptr, cpu));
		per_cpu(vg_scratch_ptr, cpu) = NULL;
	}
}

struct vg_scratch *vg_scratch_get(void)
{
	return this_cpu_read(vg_scratch_ptr);
}

/*
 * Tokens a CPU takes from the budget at once: few enough that the tokens
 * CPUs hold unspent stay a small part of the burst, at most 16.
 */
static u32 vg_budget_batch(u32 burst)
{
	return clamp(burst / (4 * max(num_online_cpus(), 1U)), 1U, 16U);
}

bool vg_budget_take(struct vg_net *vn, const struct vg_config *cfg, u64 now)
{
	u32 rate = cfg->limits.global_rate, burst = cfg->limits.global_burst;
	u32 epoch = READ_ONCE(vn->budget_epoch), got, batch;
	struct vg_budget *b;
	s64 tat;
	u64 next;

	if (!rate)
		return true;
	b = this_cpu_ptr(vn->budget);
	if (unlikely(b->epoch != epoch)) {
		/* tokens taken under other limits are not spent under these */
		b->tokens = 0;
		b->epoch = epoch;
	}
	if (likely(b->tokens)) {
		b->tokens--;
		return true;
	}
	batch = vg_budget_batch(burst);
	tat = atomic64_read(&vn->budget_tat);
	do {
		got = vg_gcra_take((u64)tat, now, rate, burst, batch, &next);
		if (!got)
			return false;
	} while (!atomic64_try_cmpxchg(&vn->budget_tat, &tat, (s64)next));
	b->tokens = got - 1;
	return true;
}

static u32 vg_sip_cost(const struct vg_config *cfg,
		       const struct vg_sip_msg *msg)
{
	u32 w = 1;

	if (msg->method == VG_SIP_M_INVITE)
		w = cfg->limits.invite_weight;
	else if (msg->method == VG_SIP_M_REGISTER)
		w = cfg->limits.register_weight;
	return w ? w : 1;
}

static enum vg_event_cause vg_sip_end_cause(const struct vg_sip_msg *msg,
					    u16 *status)
{
	*status = 0;
	if (msg->is_request)
		return msg->method == VG_SIP_M_CANCEL ? VG_CAUSE_CANCEL :
							VG_CAUSE_BYE;
	*status = msg->status;
	return VG_CAUSE_FAILURE;
}

/* Apply a message to an existing call. Returns false if the call is gone. */
static bool vg_sip_update_call(struct vg_net *vn, const struct vg_config *cfg,
			       struct vg_call_entry *call,
			       const struct vg_sip_msg *msg,
			       struct vg_scratch *sc, const struct vg_judge *j)
{
	struct vg_call_decision *dec = &sc->dec;
	enum vg_event_cause cause;
	u16 status;
	bool end;

	spin_lock(&call->lock);
	if (call->dead) {
		spin_unlock(&call->lock);
		return false;
	}
	vg_call_update(&call->st, &cfg->call, msg, &sc->sdp, dec);
	WRITE_ONCE(call->last_ns, j->now);
	/* the callee still at it: a call may ring as long as it says so */
	if (dec->events & VG_CALL_EV_EARLY)
		call->ring_ns = j->now;
	if ((dec->events & VG_CALL_EV_ANSWERED) && !call->answered_ns)
		call->answered_ns = j->now;
	if (dec->events & VG_CALL_EV_MEDIA)
		vg_call_set_media(vn, cfg, call, dec, j->monitor || j->local,
				  j->now);
	end = dec->events & VG_CALL_EV_END;
	spin_unlock(&call->lock);
	if (end) {
		cause = vg_sip_end_cause(msg, &status);
		vg_call_end(vn, call, cause, status);
	}
	return true;
}

/* The call logic for one valid message; call is its Call-ID's, or NULL. */
static enum vg_reason vg_sip_state(struct vg_net *vn,
				   const struct vg_config *cfg,
				   const struct vg_pkt *pkt,
				   const struct vg_sip_msg *msg,
				   struct vg_call_entry *call,
				   struct vg_source *src, bool emergency,
				   struct vg_scratch *sc,
				   const struct vg_judge *j)
{
	struct vg_call_decision *dec = &sc->dec;
	struct vg_call_new nc;
	enum vg_reason why;
	bool existed;

	if (!msg->call_id.len)
		return VG_R_NONE;
	if (call && vg_sip_update_call(vn, cfg, call, msg, sc, j))
		return VG_R_NONE;

	memset(&sc->fresh, 0, sizeof(sc->fresh));
	vg_call_update(&sc->fresh, &cfg->call, msg, &sc->sdp, dec);
	if (!(dec->events & VG_CALL_EV_NEW))
		return VG_R_NONE;	/* REGISTER, OPTIONS, strays */

	memset(&nc, 0, sizeof(nc));
	nc.call_id = msg->call_id.p;
	nc.call_id_len = msg->call_id.len;
	nc.st = &sc->fresh;
	nc.caller = pkt->src;
	nc.caller_port = pkt->sport;
	nc.callee = pkt->dst;
	nc.callee_port = pkt->dport;
	nc.from_zone = j->from_zone;
	nc.to_zone = j->to_zone;
	nc.emergency = emergency || (dec->events & VG_CALL_EV_EMERGENCY);
	nc.source = src;
	call = vg_call_create(vn, cfg, &nc, j->now, &existed, &why);
	if (!call)
		return j->local ? VG_R_NONE : why;
	if (existed) {
		vg_sip_update_call(vn, cfg, call, msg, sc, j);
		return VG_R_NONE;
	}
	if (dec->events & VG_CALL_EV_MEDIA) {
		spin_lock(&call->lock);
		vg_call_set_media(vn, cfg, call, dec, j->monitor || j->local,
				  j->now);
		spin_unlock(&call->lock);
	}
	vg_event_call_start(vn, call);
	return VG_R_NONE;
}

/*
 * Whether a request belongs to an emergency call, which rate limits leave
 * alone: its initial INVITE, and every later request of the call sent by
 * one of its two parties, so that a flood from the same source does not
 * take its ACK, PRACK, re-INVITE or BYE. Caller holds rcu_read_lock.
 */
static bool vg_sip_emergency(const struct vg_config *cfg,
			     const struct vg_pkt *pkt,
			     const struct vg_sip_msg *msg,
			     const struct vg_call_entry *call)
{
	if (msg->method == VG_SIP_M_INVITE && !msg->to.tag.len &&
	    vg_call_is_emergency(&cfg->call, msg))
		return true;
	return call && call->emergency &&
	       (vg_addr_equal(&pkt->src, &call->caller) ||
		vg_addr_equal(&pkt->src, &call->callee));
}

/* Policing then state for one valid message; the first reason wins. */
static enum vg_reason vg_sip_message(struct vg_net *vn,
				     const struct vg_config *cfg,
				     const struct vg_pkt *pkt,
				     const struct vg_sip_msg *msg,
				     struct vg_scratch *sc,
				     const struct vg_judge *j)
{
	enum vg_reason first = VG_R_NONE, r = VG_R_NONE;
	struct vg_call_entry *call = NULL;
	struct vg_source *src = NULL;
	bool emergency = false;

	if (msg->call_id.len)
		call = vg_calls_lookup(&vn->calls, msg->call_id.p,
				       msg->call_id.len);
	if (msg->is_request && !j->local) {
		emergency = vg_sip_emergency(cfg, pkt, msg, call);
		src = vg_source_get(vn, cfg, &pkt->src, j->from_zone, j->now);
		if (!emergency) {
			if (!src)
				r = VG_R_STATE_FULL;
			else
				r = vg_source_police(vn, cfg, src,
						     vg_sip_cost(cfg, msg),
						     j->now);
			if (!r && !vg_budget_take(vn, cfg, j->now))
				r = VG_R_GLOBAL_RATE;
			if (r) {
				if (!j->monitor)
					return r;
				first = r;
			}
		}
	}
	r = vg_sip_state(vn, cfg, pkt, msg, call, src, emergency, sc, j);
	return first ? first : r;
}

/* A TCP segment that does not hold whole messages: sip_tcp_split. */
static enum vg_reason vg_sip_split(struct vg_net *vn,
				   const struct vg_config *cfg,
				   const struct vg_judge *j)
{
	if (j->local)
		return VG_R_NONE;
	if (cfg->tcp_split == VG_TCP_SPLIT_DROP)
		return VG_R_SIP_TCP_SPLIT;
	/* Passed by configuration: counted, as monitor mode counts. */
	vg_stats_count_drop(&vn->stats, VG_R_SIP_TCP_SPLIT, true);
	return VG_R_NONE;
}

enum vg_reason vg_sip_packet(struct vg_net *vn, const struct vg_config *cfg,
			     struct sk_buff *skb, const struct vg_pkt *pkt,
			     const struct vg_judge *j)
{
	bool tcp = pkt->l4proto == IPPROTO_TCP;
	struct vg_scratch *sc = vg_scratch_get();
	enum vg_reason first = VG_R_NONE, r;
	u32 len = pkt->payload_len, off = 0;
	const u8 *p;

	if (!len)
		return VG_R_NONE;
	if (!tcp && len > cfg->sip.max_msg_len)
		return VG_R_SIP_TOO_LONG;
	if (len > VG_SCRATCH_BUF)
		return tcp ? vg_sip_split(vn, cfg, j) : VG_R_SIP_TOO_LONG;
	p = skb_header_pointer(skb, pkt->payload_off, len, sc->buf);
	if (!p)
		return VG_R_MALFORMED_L4;
	if (vg_sip_is_keepalive(p, len))
		return VG_R_NONE;

	while (off < len) {
		if (tcp && vg_sip_is_keepalive(p + off, len - off))
			break;
		r = vg_sip_parse((const char *)p + off, len - off, &cfg->sip,
				 &sc->msg);
		/*
		 * On a stream every message gives its length (RFC 3261
		 * 18.3): without one the rest of the segment would be its
		 * body, and the messages in it would pass unjudged.
		 */
		if (!r && tcp && !(sc->msg.flags & VG_SIP_F_CL_PRESENT))
			r = VG_R_SIP_BAD_CONTENT_LENGTH;
		if (r) {
			if (tcp && ((sc->msg.flags & VG_SIP_F_INCOMPLETE) ||
				    (!off && r == VG_R_SIP_BAD_START_LINE)))
				r = vg_sip_split(vn, cfg, j);
			return first ? first : r;
		}
		r = vg_sip_message(vn, cfg, pkt, &sc->msg, sc, j);
		if (r) {
			if (!j->monitor)
				return r;
			if (!first)
				first = r;
		}
		if (!tcp || !sc->msg.msg_len)
			break;
		off += sc->msg.msg_len;
	}
	return first;
}
