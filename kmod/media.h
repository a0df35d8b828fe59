/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The media table: one entry per media pinhole, keyed by where the media
 * goes (family, destination address, destination port, layer 4 protocol),
 * as the SDP of a call announced it. The packet path finds entries under
 * RCU without a lock; each entry's spinlock guards its stream statistics,
 * latched source and policer. Entries belong to a call (calls.h), which
 * creates and removes them; the table is bounded by max-streams.
 */
#ifndef VG_MEDIA_H
#define VG_MEDIA_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <uapi/linux/voipguard.h>

#include "bucket.h"
#include "dump.h"
#include "htable.h"
#include "call.h"
#include "mos.h"
#include "rtp.h"
#include "sdp.h"

struct vg_net;
struct vg_call_entry;

/* Where media goes. Built zeroed (memset) so that it hashes and compares. */
struct vg_media_key {
	struct vg_addr dst;	/* family VG_AF_INET or VG_AF_INET6 */
	u8 l4proto;		/* IPPROTO_UDP */
	u16 port;		/* host order */
};

/* One media stream: a pinhole and what has flowed through it. */
struct vg_media_entry {
	struct hlist_node node;		/* media table bucket (RCU) */
	struct list_head call_node;	/* owning call's flows (RCU) */
	struct rcu_head rcu;
	struct vg_media_key key;
	u64 id;				/* VG_FLOW_A_ID, unique per namespace */
	struct vg_call_entry *call;	/* owner; outlives the entry under RCU */
	bool rtcp;			/* the RTCP flow of a stream */
	bool hashed;			/* in the table (under the table lock) */
	bool shadowed;			/* key announced later by another call */
	bool keep;			/* media update: still wanted (call lock) */
	u64 created_ns;

	/* Guarded by lock. */
	spinlock_t lock;
	struct vg_pinhole ph;		/* from the call's offer/answer */
	struct vg_rtp_pt_set pts;	/* payload types from SDP */
	const struct vg_mos_codec *codec;
	u8 state;			/* enum vg_flow_state */
	u8 last_pt;
	bool stats_init;		/* st set up for the first packet's clock */
	u16 src_port;			/* latched source port */
	struct vg_addr src;		/* latched source address */
	struct vg_rtp_stream st;	/* RTP receive statistics */
	struct vg_bucket policer;	/* packets per second */
	bool policed;			/* policer configured */
	u64 rtcp_packets;		/* RTCP (this RTCP flow, or muxed) */
	u64 rtcp_bytes;
	u64 dropped;			/* packets of this flow dropped */

	/* Written without the lock (READ_ONCE/WRITE_ONCE). */
	u64 last_ns;			/* last packet, or creation */
};

/* The per-namespace table, embedded in struct vg_net. */
struct vg_media_table {
	struct vg_htable ht;
	spinlock_t lock;		/* insert and remove only */
	atomic_t count;
	atomic64_t next_id;
};

int vg_media_init(struct vg_media_table *mt);
/* Frees the buckets; the calls have removed every entry before. */
void vg_media_destroy(struct vg_media_table *mt);

/* Lookup under rcu_read_lock (or with the table lock held). */
struct vg_media_entry *vg_media_lookup(struct vg_media_table *mt,
				       const struct vg_media_key *key);

/*
 * What a dump, a FLOW_GET or an event reports of one entry: a consistent
 * copy taken under the entry's lock. call_id points into the owning call
 * and stays valid as long as the caller's RCU read section.
 */
struct vg_flow_info {
	u64 id;
	const char *call_id;
	u32 call_id_len;
	u8 state;			/* enum vg_flow_state */
	u8 l4proto;
	bool rtcp;
	bool srtp;
	/* Latched source; before latching the expected peer with port 0. */
	struct vg_addr src;		/* family VG_AF_*; VG_AF_NONE: unknown */
	u16 src_port;
	struct vg_addr dst;
	u16 dst_port;
	u32 ssrc;			/* valid when state == VG_FLOW_LATCHED */
	u8 payload_type;
	u32 clock_rate;
	u64 packets;			/* accepted: RTP, or an RTCP flow's */
	u64 bytes;
	u64 rtcp_packets;		/* RTCP muxed on an RTP flow */
	u64 dropped;
	u64 lost;
	u64 duplicates;
	u64 reordered;
	u32 jitter_mean_ns;
	u32 jitter_max_ns;
	u32 mos_x100;			/* 0 when nothing was measured */
	u64 idle_ms;
	u64 expires_ms;			/* until the media timeout closes it */
};

/* Fill @out from @e (takes e->lock; caller holds rcu_read_lock). */
void vg_media_entry_info(struct vg_net *vn, const struct vg_media_entry *e,
			 struct vg_flow_info *out);

typedef int (*vg_flow_fn)(const struct vg_flow_info *info, void *arg);

/*
 * Call @fn for every media entry from @cur on (takes rcu_read_lock; @fn
 * must not sleep). When @fn returns non-zero the walk stops, @cur names
 * that entry (it is the first one of the next call) and its value is
 * returned; 0 when the walk ended.
 */
int vg_media_dump(struct vg_net *vn, struct vg_dump_cursor *cur,
		  vg_flow_fn fn, void *arg);

/* Info of the entry with @id; false when there is none. Caller holds
 * rcu_read_lock while it uses out->call_id.
 */
bool vg_media_get(struct vg_net *vn, u64 id, struct vg_flow_info *out);

/* Entries in the table. */
static inline u32 vg_media_count(struct vg_media_table *mt)
{
	return atomic_read(&mt->count);
}

/*
 * Changes whenever an entry of any state table (media, calls, sources) is
 * added or removed: dumps put it in cb->seq for genl_dump_check_consistent.
 */
u32 vg_state_generation(struct vg_net *vn);

/* Close every pinhole (FLOW_FLUSH): calls stay, without media. */
void vg_media_flush(struct vg_net *vn);

/* ---- Packet path and call table (kmod/calls.c, kmod/sip_path.c) ---- */

struct vg_config;

/*
 * Open (or keep, when the call has it already) the entry for pinhole @ph
 * of @call; @rtcp selects its RTCP port. Caller holds call->lock. Returns
 * VG_R_NONE or VG_R_STATE_FULL.
 */
enum vg_reason vg_media_open(struct vg_net *vn, const struct vg_config *cfg,
			     struct vg_call_entry *call,
			     const struct vg_pinhole *ph, bool rtcp, u64 now);

/*
 * Remove @e from the table and from its call, with an expiry event for
 * @cause; freed after a grace period. Caller holds e->call->lock.
 */
void vg_media_close(struct vg_net *vn, struct vg_media_entry *e,
		    enum vg_event_cause cause);

/*
 * Judge and account one UDP datagram to entry @e from @src:@sport, its
 * payload @p of @len octets. Returns VG_R_NONE to accept it.
 */
enum vg_reason vg_media_packet(struct vg_net *vn, const struct vg_config *cfg,
			       struct vg_media_entry *e,
			       const struct vg_addr *src, u16 sport,
			       const u8 *p, u32 len, u64 now);

#endif /* VG_MEDIA_H */
