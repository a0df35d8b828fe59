/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration of one network namespace as an immutable snapshot.
 *
 * The packet path reads it under rcu_read_lock() (vg_config_get()) and never
 * sees it change: a change clones the current snapshot, modifies the copy,
 * compiles its lookup structures (longest-prefix match, the resolved policy
 * and SRTP matrices, the port bitmaps) and publishes it; the old one is freed
 * after a grace period. Calls, streams and sources live in their own tables
 * and survive a replacement; they keep no pointer into a snapshot.
 *
 * Zones are referred to by index 0..VG_ZONES_MAX-1. An index is stable for
 * the life of one snapshot only: a later snapshot may give it to another
 * zone, so anything stored across packets keeps the zone's name, or looks
 * the zone up again.
 */
#ifndef VG_CONFIG_H
#define VG_CONFIG_H

#include <linux/bitmap.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <uapi/linux/voipguard.h>

#include "bucket.h"
#include "call.h"
#include "sip.h"

#define VG_ZONES_MAX		32
/* Prefixes over all zones, both families. */
#define VG_PREFIXES_MAX		65536
#define VG_POLICY_MAX		1024
#define VG_SRTP_MAX		256
#define VG_PORT_RANGES_MAX	16

/* vg_zone_of(): the address is in no zone. */
#define VG_ZONE_NONE		(-1)
/* Zone index meaning "any" in policy and SRTP entries. */
#define VG_ZONE_ANY_IDX		VG_ZONES_MAX
/* Rows and columns of the resolved matrices: every zone, then "no zone". */
#define VG_ZONE_SLOTS		(VG_ZONES_MAX + 1)
#define VG_NCLASSES		VG_CLASS_ANY	/* classes a packet can have */

/* Fixed ports of the classes that are not configurable. */
#define VG_PORT_SIP_TLS		5061
#define VG_PORT_H323_CS		1720	/* TCP call signalling */
#define VG_PORT_H323_RAS	1719	/* UDP */
#define VG_PORT_MGCP_GW		2427	/* UDP, gateway */
#define VG_PORT_MGCP_CA		2727	/* UDP, call agent */

/* Defaults (vgctl.8 lists them with their reasons). */
#define VG_DEFAULT_SIP_PORT		5060
#define VG_DEFAULT_MEDIA_FIRST		16384
#define VG_DEFAULT_MEDIA_LAST		32767
#define VG_DEFAULT_DSCP_RTP		46	/* EF */
#define VG_DEFAULT_DSCP_SIP		24	/* CS3 */
#define VG_DEFAULT_PRIORITY_RTP		6	/* TC_PRIO_INTERACTIVE */
#define VG_DEFAULT_PRIORITY_SIP		4	/* TC_PRIO_INTERACTIVE_BULK */
#define VG_DEFAULT_MEDIA_TIMEOUT	60	/* seconds */
#define VG_DEFAULT_CALL_TIMEOUT		180	/* seconds, as RFC 3261 Timer C */
#define VG_DEFAULT_MAX_STREAMS		16384
#define VG_DEFAULT_MAX_CALLS		4096
#define VG_DEFAULT_MAX_SOURCES		16384
#define VG_DEFAULT_MAX_STREAMS_PER_CALL	8
#define VG_DEFAULT_SOURCE_PREFIX6	64
#define VG_DEFAULT_EVENT_RATE		100
#define VG_DEFAULT_SIP_RATE		50	/* requests per source per second */
#define VG_DEFAULT_SIP_BURST		100
#define VG_DEFAULT_RTP_HEADROOM		50	/* percent */

/* Upper bounds of the table sizes and timeouts. */
#define VG_MAX_STREAMS_LIMIT		(1U << 20)
#define VG_MAX_CALLS_LIMIT		(1U << 19)
#define VG_MAX_SOURCES_LIMIT		(1U << 20)
#define VG_MAX_STREAMS_PER_CALL_LIMIT	64
#define VG_TIMEOUT_MAX			86400	/* seconds */
#define VG_RTP_HEADROOM_MAX		1000	/* percent */
#define VG_RTP_RATE_MAX			100000	/* packets per second */
#define VG_WEIGHT_MAX			1000

struct vg_port_range {
	u16 first;
	u16 last;
};

struct vg_zone {
	char name[VG_NAME_MAX];		/* empty: slot unused */
	u8 dscp_default;		/* trust-boundary re-mark of EF */
	u32 max_calls;			/* concurrent calls, 0 = unlimited */
	u32 n_prefixes;
};

/* Prefixes in host byte order, masked to their length. */
struct vg_prefix4 {
	u32 addr;
	u8 len;
	u8 zone;
};

struct vg_prefix6 {
	u64 hi;
	u64 lo;
	u8 len;
	u8 zone;
};

/*
 * Longest-prefix match: prefixes sorted by (length descending, address);
 * by_len[l] is the index range [start, end) of length l. A lookup tries
 * the lengths present, longest first, with a binary search in each.
 */
struct vg_lpm4 {
	struct vg_prefix4 *pfx;
	u32 n;
	u32 start[33], end[33];
	u8 n_lens, lens[33];		/* lengths present, longest first */
};

struct vg_lpm6 {
	struct vg_prefix6 *pfx;
	u32 n;
	u32 start[129], end[129];
	u8 n_lens, lens[129];
};

/* zone fields: a zone index or VG_ZONE_ANY_IDX. */
struct vg_policy_entry {
	u8 from;
	u8 to;
	u8 cls;			/* enum vg_class, VG_CLASS_ANY included */
	u8 action;		/* enum vg_action */
};

struct vg_srtp_entry {
	u8 from;
	u8 to;
	u8 require;
};

struct vg_limits {
	u32 sip_rate;		/* per source per second, 0 = unlimited */
	u32 sip_burst;
	u32 invite_weight;
	u32 register_weight;
	u32 calls_per_source;	/* 0 = unlimited */
	u32 global_rate;	/* packets per second, 0 = unlimited */
	u32 global_burst;
	u32 rtp_headroom;	/* percent above the codec's rate */
	u32 rtp_rate;		/* per stream, 0 = from the codec */
};

#define VG_POLICY_NO_ENTRY	0xffff

struct vg_config {
	/* Global keys (VG_CFG_A_*). */
	enum vg_mode mode;
	u8 dscp_rtp, dscp_sip;
	u32 priority_rtp, priority_sip;
	u32 mark_rtp, mark_sip;		/* 0 = leave skb->mark */
	u32 media_timeout, call_timeout;	/* seconds */
	u32 max_streams, max_calls, max_sources, max_streams_per_call;
	bool media_strict, direct_media, peer_restrict;
	enum vg_tcp_split tcp_split;
	u8 source_prefix6;
	u32 event_rate;			/* events per second, 0 = unlimited */
	struct vg_sip_limits sip;	/* sip-max-* keys */
	struct vg_call_config call;	/* emergency list */
	u8 n_sip_ports, n_media_ports;
	struct vg_port_range sip_ports[VG_PORT_RANGES_MAX];
	struct vg_port_range media_ports[VG_PORT_RANGES_MAX];

	struct vg_limits limits;

	struct vg_zone zones[VG_ZONES_MAX];
	u32 n_policy, n_srtp;
	/* Sorted by (from, to, class), "any" after every zone. */
	struct vg_policy_entry policy[VG_POLICY_MAX];
	struct vg_srtp_entry srtp[VG_SRTP_MAX];

	/* Compiled by vg_config_compile(); read by the packet path. */
	struct vg_lpm4 lpm4;
	struct vg_lpm6 lpm6;
	/* [from][to][class]: index into policy[] or VG_POLICY_NO_ENTRY. */
	u16 policy_match[VG_ZONE_SLOTS][VG_ZONE_SLOTS][VG_NCLASSES];
	u8 srtp_required[VG_ZONE_SLOTS][VG_ZONE_SLOTS];
	DECLARE_BITMAP(sip_port_map, 65536);
	DECLARE_BITMAP(media_port_map, 65536);

	struct rcu_head rcu;
};

/* ---- Packet path (caller holds rcu_read_lock) ---- */

/*
 * Zone of an address: @family AF_INET with @addr a __be32 *, or AF_INET6
 * with @addr a struct in6_addr *. Returns the zone index, or VG_ZONE_NONE.
 * Longest prefix wins; no allocation, no lock.
 */
int vg_zone_of(const struct vg_config *cfg, u8 family, const void *addr);

/*
 * The policy entry that decides (from, to, cls), or NULL when none does
 * (then the packet is accepted). @from and @to are zone indexes or
 * VG_ZONE_NONE; @cls is a packet's class (not VG_CLASS_ANY).
 *
 * Most specific entry wins. Specificity is ranked, highest first: a named
 * source zone over "any", then a named destination zone over "any", then
 * a named class over "any". So "data any sip drop" beats
 * "any voice sip accept" for data -> voice SIP, and "data voice sip accept"
 * beats both. An address in no zone matches only "any".
 */
const struct vg_policy_entry *vg_policy_match(const struct vg_config *cfg,
					       int from, int to,
					       enum vg_class cls);

static inline enum vg_action vg_policy_action(const struct vg_config *cfg,
					      int from, int to,
					      enum vg_class cls)
{
	const struct vg_policy_entry *e = vg_policy_match(cfg, from, to, cls);

	return e ? e->action : VG_ACTION_ACCEPT;
}

/* Index of the matching entry in cfg->policy[], or -1 (for counters). */
int vg_policy_index(const struct vg_config *cfg, int from, int to,
		    enum vg_class cls);

/*
 * Whether media from zone @from to zone @to must be SRTP. Same
 * most-specific rule as policy: (from, to) over (from, any) over
 * (any, to) over (any, any); an "allow" entry overrides a less specific
 * "require". Default: not required.
 */
bool vg_srtp_required(const struct vg_config *cfg, int from, int to);

static inline bool vg_is_sip_port(const struct vg_config *cfg, u16 port)
{
	return test_bit(port, cfg->sip_port_map);
}

/* In the configured media ranges (media-strict applies there). */
static inline bool vg_is_media_port(const struct vg_config *cfg, u16 port)
{
	return test_bit(port, cfg->media_port_map);
}

/* Name of zone @zone (an index or VG_ZONE_NONE / VG_ZONE_ANY_IDX). */
const char *vg_zone_name(const struct vg_config *cfg, int zone);

/* Concurrent-call limit of zone @zone, 0 = unlimited. */
static inline u32 vg_zone_max_calls(const struct vg_config *cfg, int zone)
{
	return zone >= 0 && zone < VG_ZONES_MAX ? cfg->zones[zone].max_calls
						 : 0;
}

/* ---- Control plane (caller holds vn->config_lock) ---- */

struct vg_net;
struct netlink_ext_ack;

/* A new configuration holding the defaults, compiled; NULL on no memory. */
struct vg_config *vg_config_new_default(void);
/* A private, modifiable copy of @cfg (compiled state included). */
struct vg_config *vg_config_clone(const struct vg_config *cfg);
/* Frees now: @cfg was never published, or nothing can read it any more. */
void vg_config_free(struct vg_config *cfg);
/*
 * Rebuilds the lookup structures from the zones, prefixes, policy and
 * SRTP entries and checks consistency; an error comes with an extack
 * message.
 */
int vg_config_compile(struct vg_config *cfg, struct netlink_ext_ack *extack);
/* Publishes @cfg (compiled), bumps the generation, frees the old one. */
void vg_config_publish(struct vg_net *vn, struct vg_config *cfg);

/* Zone index by name (VG_ZONE_ANY_IDX for "any" when @allow_any). */
int vg_zone_find(const struct vg_config *cfg, const char *name,
		 bool allow_any);

/*
 * Per-namespace replace transactions (REPLACE_BEGIN..COMMIT), each a staged
 * configuration owned by one netlink socket.
 */
struct vg_txns {
	struct list_head list;
	u32 count;
	u32 next_id;
};

void vg_txns_init(struct vg_txns *txns);
/* Frees every staged configuration of a namespace that is going away. */
void vg_txns_flush(struct vg_net *vn);

#endif /* VG_CONFIG_H */
