// SPDX-License-Identifier: GPL-2.0
/*
 * Notifications on the "events" multicast group: calls, pinholes, floods
 * and configuration changes, per namespace, rate-limited by event-rate.
 */
#include <linux/gfp.h>
#include <linux/rcupdate.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <uapi/linux/voipguard.h>

#include "calls.h"
#include "config.h"
#include "events.h"
#include "media.h"
#include "netlink.h"
#include "nl_state.h"
#include "pernet.h"
#include "sources.h"

void vg_events_init(struct vg_events *ev)
{
	spin_lock_init(&ev->lock);
	ev->rate = 0;
	atomic64_set(&ev->lost, 0);
	ev->lost_base = 0;
}

u64 vg_events_lost(struct vg_events *ev)
{
	return atomic64_read(&ev->lost) - READ_ONCE(ev->lost_base);
}

void vg_events_reset_lost(struct vg_events *ev)
{
	WRITE_ONCE(ev->lost_base, atomic64_read(&ev->lost));
}

static void vg_event_count_lost(struct vg_net *vn)
{
	atomic64_inc(&vn->events.lost);
}

/*
 * Whether the namespace's event budget has room for one more. The bucket
 * holds one second's worth and is set up again when event-rate changes.
 */
static bool vg_event_admit(struct vg_net *vn)
{
	struct vg_events *ev = &vn->events;
	const struct vg_config *cfg;
	unsigned long flags;
	bool ok = true;
	u32 rate;
	u64 now;

	rcu_read_lock();
	cfg = rcu_dereference(vn->config);
	rate = cfg ? cfg->event_rate : 0;
	rcu_read_unlock();
	if (!rate)
		return true;

	now = ktime_get_mono_fast_ns();
	/* irqsave: callers may hold their own locks with interrupts off. */
	spin_lock_irqsave(&ev->lock, flags);
	if (ev->rate != rate) {
		if (vg_bucket_init(&ev->bucket, rate, rate, now))
			ev->rate = rate;
		else
			ev->rate = 0;
	}
	if (ev->rate)
		ok = vg_bucket_take(&ev->bucket, now, 1);
	spin_unlock_irqrestore(&ev->lock, flags);
	if (!ok)
		vg_event_count_lost(vn);
	return ok;
}

/* Whether to make an event: somebody listens and the rate allows it. */
static bool vg_event_wanted(struct vg_net *vn)
{
	return genl_has_listeners(&vg_genl_family, vn->net,
				  VG_NL_MCGRP_EVENTS) &&
	       vg_event_admit(vn);
}

/*
 * An event message with room for @size bytes of attributes, or NULL
 * (counted as lost) when memory is short. A large one may not be had in
 * atomic context: then one of the usual size, and a call keeps the streams
 * that fit.
 */
static struct sk_buff *vg_event_alloc(struct vg_net *vn, u8 cmd, size_t size,
				      void **hdr)
{
	struct sk_buff *skb;

	skb = genlmsg_new(size, size > NLMSG_GOODSIZE ?
				GFP_ATOMIC | __GFP_NOWARN : GFP_ATOMIC);
	if (!skb && size > NLMSG_GOODSIZE)
		skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb)
		goto lost;
	*hdr = genlmsg_put(skb, 0, 0, &vg_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		goto lost;
	}
	return skb;
lost:
	vg_event_count_lost(vn);
	return NULL;
}

/* The usual event: the objects other than calls are small. */
static struct sk_buff *vg_event_new(struct vg_net *vn, u8 cmd, void **hdr)
{
	if (!vg_event_wanted(vn))
		return NULL;
	return vg_event_alloc(vn, cmd, NLMSG_GOODSIZE, hdr);
}

/* Room vg_event_put_event() needs. */
static size_t vg_event_event_size(void)
{
	return nla_total_size(0) + nla_total_size(sizeof(u8)) +
	       nla_total_size_64bit(sizeof(u64)) + nla_total_size(sizeof(u16));
}

static int vg_event_put_event(struct sk_buff *skb, enum vg_event_cause cause,
			      u16 status)
{
	struct nlattr *nest = nla_nest_start(skb, VG_A_EVENT);

	if (!nest ||
	    nla_put_u8(skb, VG_EVENT_A_CAUSE, cause) ||
	    nla_put_u64_64bit(skb, VG_EVENT_A_TIME_NS, ktime_get_boottime_ns(),
			      VG_EVENT_A_PAD) ||
	    (status && nla_put_u16(skb, VG_EVENT_A_STATUS, status)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static void vg_event_send(struct vg_net *vn, struct sk_buff *skb, void *hdr)
{
	genlmsg_end(skb, hdr);
	/* Fails only when the last listener just left: nothing to count. */
	genlmsg_multicast_netns(&vg_genl_family, vn->net, skb, 0,
				VG_NL_MCGRP_EVENTS, GFP_ATOMIC);
}

static void vg_event_drop(struct vg_net *vn, struct sk_buff *skb)
{
	nlmsg_free(skb);
	vg_event_count_lost(vn);
}

/*
 * The message is sized for the call as it is now. Streams that still do
 * not fit (added meanwhile, or only a smaller message to be had) are left
 * out and flagged with VG_CALL_A_STREAMS_TRUNCATED; the event nest goes
 * first, so it is never what lacks room.
 */
static void vg_event_call(struct vg_net *vn, const struct vg_call_entry *call,
			  u8 cmd, enum vg_event_cause cause, u16 status)
{
	bool streams = cmd == VG_CMD_CALL_END_NTF;
	struct vg_call_info ci;
	struct sk_buff *skb;
	int err = 0;
	void *hdr;

	if (!vg_event_wanted(vn))
		return;
	/* ci points into the call: keep the read section over the copy. */
	rcu_read_lock();
	vg_call_entry_info(call, &ci);
	skb = vg_event_alloc(vn, cmd, vg_event_event_size() +
			     vg_nl_call_size(&ci, streams), &hdr);
	if (skb)
		err = vg_event_put_event(skb, cause, status) ?:
		      vg_nl_put_call(skb, vn, &ci, streams, NULL);
	rcu_read_unlock();
	if (!skb)
		return;
	if (err)
		vg_event_drop(vn, skb);
	else
		vg_event_send(vn, skb, hdr);
}

void vg_event_call_start(struct vg_net *vn, const struct vg_call_entry *call)
{
	vg_event_call(vn, call, VG_CMD_CALL_START_NTF, VG_CAUSE_NONE, 0);
}

void vg_event_call_end(struct vg_net *vn, const struct vg_call_entry *call,
		       enum vg_event_cause cause, u16 status)
{
	vg_event_call(vn, call, VG_CMD_CALL_END_NTF, cause, status);
}

static void vg_event_flow(struct vg_net *vn, const struct vg_media_entry *flow,
			  u8 cmd, enum vg_event_cause cause)
{
	struct vg_flow_info fi;
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = vg_event_new(vn, cmd, &hdr);
	if (!skb)
		return;
	rcu_read_lock();
	vg_media_entry_info(vn, flow, &fi);
	err = vg_nl_put_flow(skb, VG_A_FLOW, &fi);
	rcu_read_unlock();
	if (err || (cmd == VG_CMD_PINHOLE_EXPIRE_NTF &&
		    vg_event_put_event(skb, cause, 0)))
		vg_event_drop(vn, skb);
	else
		vg_event_send(vn, skb, hdr);
}

void vg_event_pinhole_open(struct vg_net *vn,
			   const struct vg_media_entry *flow)
{
	vg_event_flow(vn, flow, VG_CMD_PINHOLE_OPEN_NTF, VG_CAUSE_NONE);
}

void vg_event_pinhole_expire(struct vg_net *vn,
			     const struct vg_media_entry *flow,
			     enum vg_event_cause cause)
{
	vg_event_flow(vn, flow, VG_CMD_PINHOLE_EXPIRE_NTF, cause);
}

static void vg_event_source(struct vg_net *vn, const struct vg_source *src,
			    u8 cmd)
{
	struct vg_source_info si;
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = vg_event_new(vn, cmd, &hdr);
	if (!skb)
		return;
	rcu_read_lock();
	vg_source_entry_info(src, &si);
	err = vg_nl_put_source(skb, &si);
	rcu_read_unlock();
	if (err || vg_event_put_event(skb, VG_CAUSE_LIMIT, 0))
		vg_event_drop(vn, skb);
	else
		vg_event_send(vn, skb, hdr);
}

void vg_event_flood_start(struct vg_net *vn, const struct vg_source *src)
{
	vg_event_source(vn, src, VG_CMD_FLOOD_START_NTF);
}

void vg_event_flood_end(struct vg_net *vn, const struct vg_source *src)
{
	vg_event_source(vn, src, VG_CMD_FLOOD_END_NTF);
}

void vg_event_config(struct vg_net *vn, u32 generation)
{
	struct sk_buff *skb;
	void *hdr;

	skb = vg_event_new(vn, VG_CMD_CONFIG_NTF, &hdr);
	if (!skb)
		return;
	if (nla_put_u32(skb, VG_A_GENERATION, generation))
		vg_event_drop(vn, skb);
	else
		vg_event_send(vn, skb, hdr);
}
