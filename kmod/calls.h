/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The call table: one entry per SIP dialog, keyed by Call-ID. The packet
 * path finds calls under RCU; creation inserts under the table lock and is
 * bounded by max-calls. Each call embeds the protocol core's call state
 * (struct vg_call), updated under the call's own lock, and owns the media
 * entries (pinholes) its offer/answer opened.
 */
#ifndef VG_CALLS_H
#define VG_CALLS_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <uapi/linux/voipguard.h>

#include "call.h"
#include "htable.h"
#include "media.h"

struct vg_net;
struct vg_source;

/* Longer Call-IDs are valid SIP but are not tracked (kept as a drop). */
#define VG_CALL_ID_MAX		256

struct vg_call_entry {
	struct hlist_node node;		/* call table bucket (RCU) */
	struct rcu_head rcu;
	u32 hash;
	u64 id;				/* unique per namespace */

	/* Fixed at creation. */
	struct vg_addr caller;		/* sender of the initial INVITE */
	u16 caller_port;
	struct vg_addr callee;		/* its destination */
	u16 callee_port;
	int from_zone;			/* zone indexes at creation */
	int to_zone;
	char from_zone_name[VG_NAME_MAX];
	char to_zone_name[VG_NAME_MAX];
	bool emergency;
	bool counted_zone;		/* counted in the per-zone call limit */
	struct vg_source *source;	/* holds a reference; NULL if none */
	u64 created_ns;

	/* Guarded by lock. */
	spinlock_t lock;
	struct vg_call st;		/* the core's call state */
	struct list_head flows;		/* struct vg_media_entry (RCU list) */
	u8 n_flows;
	bool dead;			/* unlinked: add no more flows */
	u64 answered_ns;
	/* Unanswered: call-timeout runs from here (Timer C, RFC 3261 16.6). */
	u64 ring_ns;			/* creation, then each 1xx to the INVITE */

	/* Written without the lock (READ_ONCE/WRITE_ONCE). */
	u64 last_ns;			/* last SIP message of the call */

	u32 call_id_len;
	char call_id[];			/* not NUL-terminated */
};

/* Zones are counted by name: a zone's index may change with the config. */
#define VG_ZONE_CALL_SLOTS	64

struct vg_zone_calls {
	char name[VG_NAME_MAX];		/* empty: slot free */
	u32 calls;
};

struct vg_call_table {
	struct vg_htable ht;
	spinlock_t lock;		/* insert and remove only */
	atomic_t count;
	atomic64_t next_id;
	struct vg_zone_calls zones[VG_ZONE_CALL_SLOTS];	/* under lock */
};

int vg_calls_init(struct vg_call_table *ct);
/* Ends every call (no events) and frees the table: namespace exit. */
void vg_calls_destroy(struct vg_net *vn);

/* Lookup under rcu_read_lock. */
struct vg_call_entry *vg_calls_lookup(struct vg_call_table *ct,
				      const char *call_id, u32 len);

/* What a dump, a CALL_GET or an event reports of one call. */
struct vg_call_info {
	u64 id;
	const char *call_id;		/* valid under the caller's RCU section */
	u32 call_id_len;
	u8 state;			/* enum vg_call_status */
	struct vg_addr caller;
	u16 caller_port;
	struct vg_addr callee;
	u16 callee_port;
	const char *from_zone;		/* "" when outside every zone */
	const char *to_zone;
	u64 age_ms;
	bool emergency;
	u32 n_streams;
	const struct vg_call_entry *entry;	/* for vg_call_flows() */
};

/* Fill @out from @c (takes c->lock; caller holds rcu_read_lock). */
void vg_call_entry_info(const struct vg_call_entry *c,
			struct vg_call_info *out);

/*
 * Call @fn for each media entry of @c (caller holds rcu_read_lock; @fn
 * must not sleep). Stops at the first non-zero return and returns it.
 */
int vg_call_flows(struct vg_net *vn, const struct vg_call_entry *c,
		  vg_flow_fn fn, void *arg);

typedef int (*vg_call_fn)(const struct vg_call_info *info, void *arg);

/* As vg_media_dump(), over the call table. */
int vg_calls_dump(struct vg_net *vn, struct vg_dump_cursor *cur,
		  vg_call_fn fn, void *arg);

/*
 * Call @fn for the call with this Call-ID (takes rcu_read_lock). -ENOENT
 * when there is none, else what @fn returned.
 */
int vg_calls_get(struct vg_net *vn, const char *call_id, u32 len,
		 vg_call_fn fn, void *arg);

static inline u32 vg_calls_count(struct vg_call_table *ct)
{
	return atomic_read(&ct->count);
}

/* Current calls from (or to) zone @name (for VG_ZONE_A_CALLS). */
u32 vg_calls_in_zone(struct vg_net *vn, const char *name);

/* ---- Packet path (kmod/sip_path.c) and expiry (kmod/gc.c) ---- */

struct vg_config;

/* What the initial INVITE of a new call says about it. */
struct vg_call_new {
	const char *call_id;
	u32 call_id_len;
	const struct vg_call *st;	/* state after the INVITE */
	struct vg_addr caller;
	u16 caller_port;
	struct vg_addr callee;
	u16 callee_port;
	int from_zone;			/* indexes in cfg, or VG_ZONE_NONE */
	int to_zone;
	bool emergency;			/* exempt from call limits */
	struct vg_source *source;	/* the caller's source, or NULL */
};

/*
 * Insert a new call (max-calls, calls-per-source and per-zone limits
 * checked under the table lock). Returns the call, or NULL with *why set
 * to VG_R_STATE_FULL or VG_R_CALL_LIMIT. A call with this Call-ID that
 * appeared meanwhile is returned as it is, with *existed set.
 */
struct vg_call_entry *vg_call_create(struct vg_net *vn,
				     const struct vg_config *cfg,
				     const struct vg_call_new *nc, u64 now,
				     bool *existed, enum vg_reason *why);

/*
 * Replace the media of @call with the decision's pinholes (caller holds
 * call->lock). Pinholes that require-SRTP refuses are counted as
 * srtp_required (monitored, and opened, when @monitor).
 */
void vg_call_set_media(struct vg_net *vn, const struct vg_config *cfg,
		       struct vg_call_entry *call,
		       const struct vg_call_decision *dec, bool monitor,
		       u64 now);

/*
 * Expiry: end unanswered calls without a provisional response for
 * @call_timeout_ns, close pinholes idle for @media_timeout_ns, end answered
 * calls left without media as long.
 */
void vg_calls_gc(struct vg_net *vn, u64 now, u64 media_timeout_ns,
		 u64 call_timeout_ns);

/* End @call: event, close its pinholes, unlink it. Safe to repeat. */
void vg_call_end(struct vg_net *vn, struct vg_call_entry *call,
		 enum vg_event_cause cause, u16 status);

#endif /* VG_CALLS_H */
