/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Notifications on the "events" multicast group.
 *
 * The packet path calls these from softirq or process context, under RCU or
 * with its own locks held: they never sleep (GFP_ATOMIC) and cost one test
 * when nobody listens. Each namespace has a token bucket sized by the
 * configured event rate (VG_CFG_A_EVENT_RATE, 0 = unlimited); an event over
 * the rate, or one that cannot be allocated, is counted in events_lost
 * (VG_STATS_A_EVENTS_LOST) instead of being sent.
 *
 * The objects passed in must stay valid for the duration of the call (the
 * caller holds the RCU read lock, a reference, or the table lock). The
 * functions copy the object with vg_*_entry_info(), which take the
 * object's own lock (and, for a call, each of its media entries' locks):
 * the caller must not hold the lock of the call, media entry or source it
 * passes, nor of the call's media entries. The pinhole events take only
 * the media entry's lock, so they may be sent under the owning call's.
 */
#ifndef VG_EVENTS_H
#define VG_EVENTS_H

#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <uapi/linux/voipguard.h>

#include "bucket.h"

struct vg_net;
struct vg_call_entry;		/* calls.h: one call of the call table */
struct vg_media_entry;		/* media.h: one media stream (pinhole) */
struct vg_source;		/* sources.h: one rate-limited SIP source */

/*
 * Per-namespace event state: embedded in struct vg_net as "events",
 * vg_events_init() when the namespace is set up. Nothing to free.
 */
struct vg_events {
	spinlock_t lock;	/* guards bucket and rate */
	struct vg_bucket bucket;
	u32 rate;		/* events per second the bucket was set for */
	atomic64_t lost;	/* suppressed by the rate or out of memory */
	u64 lost_base;		/* lost at the last stats reset */
};

void vg_events_init(struct vg_events *ev);

/* Events lost since the last vg_events_reset_lost(). */
u64 vg_events_lost(struct vg_events *ev);
void vg_events_reset_lost(struct vg_events *ev);

/* A call began (initial INVITE accepted). */
void vg_event_call_start(struct vg_net *vn, const struct vg_call_entry *call);

/*
 * A call ended: @cause is why (BYE, CANCEL, FAILURE, TIMEOUT, FLUSH, LIMIT),
 * @status the SIP status code of a final failure response (0 if none). The
 * event carries the call and each of its streams with its statistics, so
 * call it before the streams are unlinked from the call.
 */
void vg_event_call_end(struct vg_net *vn, const struct vg_call_entry *call,
		       enum vg_event_cause cause, u16 status);

/* A media pinhole opened (one event per media table entry created). */
void vg_event_pinhole_open(struct vg_net *vn,
			   const struct vg_media_entry *flow);

/* A media pinhole closed for @cause (TIMEOUT, FLUSH, BYE, ...). */
void vg_event_pinhole_expire(struct vg_net *vn,
			     const struct vg_media_entry *flow,
			     enum vg_event_cause cause);

/* A source went over its SIP rate (start) or has been quiet again (end). */
void vg_event_flood_start(struct vg_net *vn, const struct vg_source *src);
void vg_event_flood_end(struct vg_net *vn, const struct vg_source *src);

/* The configuration was replaced or changed (process context). */
void vg_event_config(struct vg_net *vn, u32 generation);

#endif /* VG_EVENTS_H */
