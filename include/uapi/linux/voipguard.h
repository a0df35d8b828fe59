/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * voipguard generic netlink API.
 *
 * Family VG_GENL_NAME, version VG_GENL_VERSION; notifications on the
 * VG_GENL_MCGRP_EVENTS multicast group. Every operation needs CAP_NET_ADMIN
 * in the user namespace owning the network namespace it acts on; all state
 * is per network namespace.
 *
 * Top-level attributes are few (enum vg_attr); each object travels as one
 * nest with its own attribute set, so an object looks the same in a request,
 * a reply, a dump and an event. Nests sent to the kernel must carry
 * NLA_F_NESTED. Attributes an operation does not take are rejected, as are
 * unknown flag bits and out-of-range values; the extended ack says which.
 *
 * "list of X" below means a nest holding repeated VG_LIST_A_ITEM attributes,
 * each one X (a nest of the named set, or a string).
 *
 * Names (zones) are at most VG_NAME_MAX bytes including the terminating NUL.
 * Counters are u64 (padded with VG_A_PAD / the set's *_PAD attribute).
 */
#ifndef _UAPI_LINUX_VOIPGUARD_H
#define _UAPI_LINUX_VOIPGUARD_H

#define VG_GENL_NAME		"voipguard"
#define VG_GENL_VERSION		1
#define VG_GENL_MCGRP_EVENTS	"events"

#define VG_NAME_MAX		32
/* Zone name meaning "every zone" in policy and SRTP entries. */
#define VG_ZONE_ANY		"any"
/* Zone name of addresses in no zone, in the zone pair counters. */
#define VG_ZONE_UNZONED		"none"

/*
 * Operations. GET commands with NLM_F_DUMP list all objects; dumps carry
 * VG_A_GENERATION and set NLM_F_DUMP_INTR when state changed under them.
 * Commands ending in _NTF are only sent by the kernel, on "events".
 */
enum vg_cmd {
	VG_CMD_UNSPEC,

	VG_CMD_CONFIG_GET,	/* reply: VG_A_VERSION, VG_A_GENERATION, VG_A_CONFIG */
	VG_CMD_CONFIG_SET,	/* VG_A_CONFIG: only the keys present change */

	VG_CMD_ZONE_ADD,	/* VG_A_ZONE (name, prefixes), VG_A_FLAGS */
	VG_CMD_ZONE_DEL,	/* VG_A_ZONE (name) */
	VG_CMD_ZONE_GET,	/* do: VG_A_ZONE (name); dump: all zones */

	VG_CMD_POLICY_SET,	/* VG_A_POLICY (from, to, class, action) */
	VG_CMD_POLICY_DEL,	/* VG_A_POLICY (from, to, class) */
	VG_CMD_POLICY_GET,	/* dump: all policy entries with counters */

	VG_CMD_LIMIT_SET,	/* VG_A_LIMITS: only the keys present change */
	VG_CMD_LIMIT_GET,	/* reply: VG_A_LIMITS */

	VG_CMD_SRTP_SET,	/* VG_A_SRTP (from, to, require); see SRTP_DEL */
	VG_CMD_SRTP_GET,	/* dump: zone pairs that require SRTP */

	VG_CMD_CALL_GET,	/* do: VG_A_CALL (call-id); dump: all calls */

	VG_CMD_FLOW_GET,	/* do: VG_A_FLOW (id); dump: all media streams */
	VG_CMD_FLOW_FLUSH,	/* close every pinhole and stream */

	VG_CMD_SOURCE_GET,	/* dump: sources under SIP rate limiting */

	VG_CMD_STATS_GET,	/* reply: VG_A_GENERATION, VG_A_STATS */
	VG_CMD_STATS_RESET,

	/*
	 * Whole-configuration replacement, possibly larger than one message:
	 * REPLACE_BEGIN returns VG_A_TXN_ID; ZONE_ADD, POLICY_SET, LIMIT_SET,
	 * SRTP_SET and CONFIG_SET carrying that VG_A_TXN_ID build a staged
	 * configuration (starting empty, with defaults); REPLACE_COMMIT
	 * validates it and publishes it atomically (running calls survive), or
	 * only validates it with VG_F_CHECK; REPLACE_ABORT discards it. A
	 * transaction belongs to the socket that began it and ends with it.
	 */
	VG_CMD_REPLACE_BEGIN,
	VG_CMD_REPLACE_COMMIT,	/* VG_A_TXN_ID, VG_A_FLAGS */
	VG_CMD_REPLACE_ABORT,	/* VG_A_TXN_ID */

	/* Notifications (kernel to user, on "events"). */
	VG_CMD_CONFIG_NTF,	/* configuration replaced: VG_A_GENERATION */
	VG_CMD_CALL_START_NTF,	/* VG_A_CALL */
	VG_CMD_CALL_END_NTF,	/* VG_A_CALL with its streams, VG_A_EVENT */
	VG_CMD_PINHOLE_OPEN_NTF,	/* VG_A_FLOW */
	VG_CMD_PINHOLE_EXPIRE_NTF,	/* VG_A_FLOW, VG_A_EVENT */
	VG_CMD_FLOOD_START_NTF,	/* VG_A_SOURCE, VG_A_EVENT */
	VG_CMD_FLOOD_END_NTF,	/* VG_A_SOURCE, VG_A_EVENT */

	/* Later operations go here, so the values above never change. */
	VG_CMD_SRTP_DEL,	/* VG_A_SRTP (from, to) */

	__VG_CMD_MAX,
	VG_CMD_MAX = __VG_CMD_MAX - 1
};

/* Top-level attributes. */
enum vg_attr {
	VG_A_UNSPEC,
	VG_A_PAD,
	VG_A_VERSION,		/* string: module version */
	VG_A_GENERATION,	/* u32: changes whenever configuration changes */
	VG_A_FLAGS,		/* u32: VG_F_* request flags */
	VG_A_TXN_ID,		/* u32: replace transaction */
	VG_A_CONFIG,		/* nest: enum vg_config_attr */
	VG_A_ZONE,		/* nest: enum vg_zone_attr */
	VG_A_POLICY,		/* nest: enum vg_policy_attr */
	VG_A_LIMITS,		/* nest: enum vg_limit_attr */
	VG_A_SRTP,		/* nest: enum vg_srtp_attr */
	VG_A_CALL,		/* nest: enum vg_call_attr */
	VG_A_FLOW,		/* nest: enum vg_flow_attr */
	VG_A_SOURCE,		/* nest: enum vg_source_attr */
	VG_A_STATS,		/* nest: enum vg_stats_attr */
	VG_A_EVENT,		/* nest: enum vg_event_attr */

	__VG_A_MAX,
	VG_A_MAX = __VG_A_MAX - 1
};

/* VG_A_FLAGS bits. */
enum vg_flags {
	VG_F_APPEND = 1U << 0,	/* ZONE_ADD: add prefixes to an existing zone */
	VG_F_REPLACE = 1U << 1,	/* ZONE_ADD: replace an existing zone's prefixes */
	VG_F_CHECK = 1U << 2,	/* REPLACE_COMMIT: validate only */
};

#define VG_F_ALL (VG_F_APPEND | VG_F_REPLACE | VG_F_CHECK)

/* Global and per-policy mode. */
enum vg_mode {
	VG_MODE_ENFORCE,	/* drop what fails */
	VG_MODE_MONITOR,	/* count what would be dropped, drop nothing */

	__VG_MODE_MAX,
	VG_MODE_MAX = __VG_MODE_MAX - 1
};

/* Protocol classes for zone policy. */
enum vg_class {
	VG_CLASS_SIP,
	VG_CLASS_SIP_TLS,
	VG_CLASS_RTP,		/* RTP and RTCP on a media pinhole */
	VG_CLASS_H323,
	VG_CLASS_MGCP,
	VG_CLASS_OTHER,
	VG_CLASS_ANY,		/* in policy entries: every class */

	__VG_CLASS_MAX,
	VG_CLASS_MAX = __VG_CLASS_MAX - 1
};

/* Policy actions. */
enum vg_action {
	VG_ACTION_ACCEPT,
	VG_ACTION_DROP,
	VG_ACTION_MONITOR,	/* accept, but count as a would-be drop */

	__VG_ACTION_MAX,
	VG_ACTION_MAX = __VG_ACTION_MAX - 1
};

/* What to do with a SIP-over-TCP message split across segments. */
enum vg_tcp_split {
	VG_TCP_SPLIT_PASS,
	VG_TCP_SPLIT_DROP,

	__VG_TCP_SPLIT_MAX,
	VG_TCP_SPLIT_MAX = __VG_TCP_SPLIT_MAX - 1
};

/* Address with prefix length: zones, sources. */
enum vg_prefix_attr {
	VG_PREFIX_A_UNSPEC,
	VG_PREFIX_A_ADDR4,	/* binary, 4 bytes, network order */
	VG_PREFIX_A_ADDR6,	/* binary, 16 bytes */
	VG_PREFIX_A_LEN,	/* u8: 0..32 or 0..128 */

	__VG_PREFIX_A_MAX,
	VG_PREFIX_A_MAX = __VG_PREFIX_A_MAX - 1
};

/* Transport endpoint: media stream ends, call parties. */
enum vg_endpoint_attr {
	VG_EP_A_UNSPEC,
	VG_EP_A_ADDR4,		/* binary, 4 bytes, network order */
	VG_EP_A_ADDR6,		/* binary, 16 bytes */
	VG_EP_A_PORT,		/* u16, host order */

	__VG_EP_A_MAX,
	VG_EP_A_MAX = __VG_EP_A_MAX - 1
};

/* Inclusive port range (sip-ports, media-ports). */
enum vg_port_range_attr {
	VG_PR_A_UNSPEC,
	VG_PR_A_FIRST,		/* u16 */
	VG_PR_A_LAST,		/* u16, >= FIRST */

	__VG_PR_A_MAX,
	VG_PR_A_MAX = __VG_PR_A_MAX - 1
};

/* Nest of repeated VG_LIST_A_ITEM entries (the item's type is per list). */
enum vg_list_attr {
	VG_LIST_A_UNSPEC,
	VG_LIST_A_ITEM,

	__VG_LIST_A_MAX,
	VG_LIST_A_MAX = __VG_LIST_A_MAX - 1
};

/* VG_A_CONFIG */
enum vg_config_attr {
	VG_CFG_A_UNSPEC,
	VG_CFG_A_PAD,
	VG_CFG_A_MODE,		/* u8: enum vg_mode */
	VG_CFG_A_SIP_PORTS,	/* list of nests: enum vg_port_range_attr */
	VG_CFG_A_MEDIA_PORTS,	/* list of nests: enum vg_port_range_attr */
	VG_CFG_A_DSCP_RTP,	/* u8: 0..63 */
	VG_CFG_A_DSCP_SIP,	/* u8: 0..63 */
	VG_CFG_A_PRIORITY_RTP,	/* u32: skb->priority for call media */
	VG_CFG_A_PRIORITY_SIP,	/* u32: skb->priority for SIP */
	VG_CFG_A_MARK_RTP,	/* u32: skb->mark for call media, 0 = leave */
	VG_CFG_A_MARK_SIP,	/* u32: skb->mark for SIP, 0 = leave */
	VG_CFG_A_MEDIA_TIMEOUT,	/* u32: seconds of media silence before close */
	VG_CFG_A_CALL_TIMEOUT,	/* u32: seconds before an unanswered call ends */
	VG_CFG_A_MAX_STREAMS,	/* u32: media table bound per namespace */
	VG_CFG_A_MAX_CALLS,	/* u32: call table bound per namespace */
	VG_CFG_A_MAX_SOURCES,	/* u32: source table bound per namespace */
	VG_CFG_A_MAX_STREAMS_PER_CALL,	/* u32 */
	VG_CFG_A_MEDIA_STRICT,	/* u8 0/1: drop UDP to closed media ports */
	VG_CFG_A_DIRECT_MEDIA,	/* u8 0/1: allow media between the phones */
	VG_CFG_A_PEER_RESTRICT,	/* u8 0/1: media only from the signalling peer */
	VG_CFG_A_TCP_SPLIT,	/* u8: enum vg_tcp_split */
	VG_CFG_A_SOURCE_PREFIX6,	/* u8: IPv6 source grouping, 0..128 */
	VG_CFG_A_EMERGENCY,	/* list of strings: exempt destinations */
	VG_CFG_A_SIP_MAX_MSG,	/* u32: bytes */
	VG_CFG_A_SIP_MAX_HEADERS,	/* u32 */
	VG_CFG_A_SIP_MAX_HEADER_LEN,	/* u32: bytes */
	VG_CFG_A_SIP_MAX_URI_LEN,	/* u32: bytes */
	VG_CFG_A_EVENT_RATE,	/* u32: events per second, 0 = unlimited */

	__VG_CFG_A_MAX,
	VG_CFG_A_MAX = __VG_CFG_A_MAX - 1
};

/* VG_A_ZONE */
enum vg_zone_attr {
	VG_ZONE_A_UNSPEC,
	VG_ZONE_A_PAD,
	VG_ZONE_A_NAME,		/* string */
	VG_ZONE_A_PREFIXES,	/* list of nests: enum vg_prefix_attr */
	VG_ZONE_A_DSCP_DEFAULT,	/* u8: re-mark for EF packets that are not media */
	VG_ZONE_A_CALLS,	/* u32: current calls (read only) */

	__VG_ZONE_A_MAX,
	VG_ZONE_A_MAX = __VG_ZONE_A_MAX - 1
};

/* VG_A_POLICY */
enum vg_policy_attr {
	VG_POLICY_A_UNSPEC,
	VG_POLICY_A_PAD,
	VG_POLICY_A_FROM,	/* string: zone name or VG_ZONE_ANY */
	VG_POLICY_A_TO,		/* string: zone name or VG_ZONE_ANY */
	VG_POLICY_A_CLASS,	/* u8: enum vg_class */
	VG_POLICY_A_ACTION,	/* u8: enum vg_action */
	/*
	 * Read only, in the zone pairs of STATS_GET (not in policy entries):
	 * VoIP packets, their bytes and the drops among them from FROM to TO.
	 */
	VG_POLICY_A_PACKETS,	/* u64 */
	VG_POLICY_A_BYTES,	/* u64 */
	VG_POLICY_A_DROPS,	/* u64 */

	__VG_POLICY_A_MAX,
	VG_POLICY_A_MAX = __VG_POLICY_A_MAX - 1
};

/* One per-zone call limit inside VG_LIMIT_A_ZONE_CALLS. */
enum vg_zone_limit_attr {
	VG_ZL_A_UNSPEC,
	VG_ZL_A_ZONE,		/* string */
	VG_ZL_A_MAX_CALLS,	/* u32 */

	__VG_ZL_A_MAX,
	VG_ZL_A_MAX = __VG_ZL_A_MAX - 1
};

/* VG_A_LIMITS. Rates are per second; 0 means unlimited. */
enum vg_limit_attr {
	VG_LIMIT_A_UNSPEC,
	VG_LIMIT_A_PAD,
	VG_LIMIT_A_SIP_RATE,	/* u32: SIP requests per source per second */
	VG_LIMIT_A_SIP_BURST,	/* u32: bucket depth */
	VG_LIMIT_A_INVITE_WEIGHT,	/* u32: tokens per INVITE */
	VG_LIMIT_A_REGISTER_WEIGHT,	/* u32: tokens per REGISTER */
	VG_LIMIT_A_CALLS_PER_SOURCE,	/* u32 */
	VG_LIMIT_A_ZONE_CALLS,	/* list of nests: enum vg_zone_limit_attr */
	VG_LIMIT_A_GLOBAL_RATE,	/* u32: packets per second, whole namespace */
	VG_LIMIT_A_GLOBAL_BURST,	/* u32 */
	VG_LIMIT_A_RTP_HEADROOM,	/* u32: percent above the codec's rate */
	VG_LIMIT_A_RTP_RATE,	/* u32: packets per second per stream, 0 = from codec */

	__VG_LIMIT_A_MAX,
	VG_LIMIT_A_MAX = __VG_LIMIT_A_MAX - 1
};

/* VG_A_SRTP */
enum vg_srtp_attr {
	VG_SRTP_A_UNSPEC,
	VG_SRTP_A_FROM,		/* string: zone name or VG_ZONE_ANY */
	VG_SRTP_A_TO,		/* string: zone name or VG_ZONE_ANY */
	VG_SRTP_A_REQUIRE,	/* u8 0/1 */

	__VG_SRTP_A_MAX,
	VG_SRTP_A_MAX = __VG_SRTP_A_MAX - 1
};

/* Call states, as VG_CALL_A_STATE reports them. */
enum vg_call_status {
	VG_CALL_S_INVITED,	/* initial INVITE seen */
	VG_CALL_S_EARLY,	/* provisional response seen */
	VG_CALL_S_ANSWERED,	/* 2xx seen, ACK pending */
	VG_CALL_S_CONFIRMED,	/* ACK seen */
	VG_CALL_S_ENDED,	/* BYE, CANCEL or final failure seen */

	__VG_CALL_S_MAX,
	VG_CALL_S_MAX = __VG_CALL_S_MAX - 1
};

/* VG_A_CALL */
enum vg_call_attr {
	VG_CALL_A_UNSPEC,
	VG_CALL_A_PAD,
	VG_CALL_A_ID,		/* string: Call-ID */
	VG_CALL_A_STATE,	/* u8: enum vg_call_status */
	VG_CALL_A_CALLER,	/* nest: enum vg_endpoint_attr */
	VG_CALL_A_CALLEE,	/* nest: enum vg_endpoint_attr */
	VG_CALL_A_FROM_ZONE,	/* string */
	VG_CALL_A_TO_ZONE,	/* string */
	VG_CALL_A_AGE_MS,	/* u64 */
	VG_CALL_A_EMERGENCY,	/* u8 0/1 */
	VG_CALL_A_STREAMS,	/* list of nests: enum vg_flow_attr */
	/*
	 * flag: VG_CALL_A_STREAMS holds only some of the call's streams,
	 * the message had no room for the rest
	 */
	VG_CALL_A_STREAMS_TRUNCATED,

	__VG_CALL_A_MAX,
	VG_CALL_A_MAX = __VG_CALL_A_MAX - 1
};

/* Media stream states. */
enum vg_flow_state {
	VG_FLOW_OPEN,		/* pinhole open, no packet yet */
	VG_FLOW_PROBATION,	/* RFC 3550 source probation */
	VG_FLOW_LATCHED,	/* source and SSRC latched */

	__VG_FLOW_STATE_MAX,
	VG_FLOW_STATE_MAX = __VG_FLOW_STATE_MAX - 1
};

/* VG_A_FLOW: one media stream (pinhole) and its statistics. */
enum vg_flow_attr {
	VG_FLOW_A_UNSPEC,
	VG_FLOW_A_PAD,
	VG_FLOW_A_ID,		/* u64: handle for FLOW_GET */
	VG_FLOW_A_CALL_ID,	/* string */
	VG_FLOW_A_STATE,	/* u8: enum vg_flow_state */
	VG_FLOW_A_PROTO,	/* u8: IPPROTO_UDP or IPPROTO_TCP */
	VG_FLOW_A_SRC,		/* nest: enum vg_endpoint_attr */
	VG_FLOW_A_DST,		/* nest: enum vg_endpoint_attr */
	VG_FLOW_A_RTCP,		/* u8 0/1: this is the RTCP flow */
	VG_FLOW_A_SSRC,		/* u32 */
	VG_FLOW_A_PAYLOAD_TYPE,	/* u8: last seen payload type */
	VG_FLOW_A_CLOCK_RATE,	/* u32: Hz */
	VG_FLOW_A_SRTP,		/* u8 0/1: negotiated RTP/SAVP */
	VG_FLOW_A_PACKETS,	/* u64: accepted */
	VG_FLOW_A_BYTES,	/* u64: accepted */
	VG_FLOW_A_DROPPED,	/* u64 */
	VG_FLOW_A_LOST,		/* u64 */
	VG_FLOW_A_DUPLICATES,	/* u64 */
	VG_FLOW_A_REORDERED,	/* u64 */
	VG_FLOW_A_JITTER_MEAN_NS,	/* u32: nanoseconds */
	VG_FLOW_A_JITTER_MAX_NS,	/* u32: nanoseconds */
	VG_FLOW_A_MOS_X100,	/* u32: MOS estimate times 100 */
	VG_FLOW_A_IDLE_MS,	/* u64 */
	VG_FLOW_A_EXPIRES_MS,	/* u64 */
	/*
	 * u64: RTCP multiplexed on this RTP flow (rtcp-mux, RFC 5761); an
	 * RTCP flow counts its own packets in VG_FLOW_A_PACKETS.
	 */
	VG_FLOW_A_RTCP_PACKETS,

	__VG_FLOW_A_MAX,
	VG_FLOW_A_MAX = __VG_FLOW_A_MAX - 1
};

/* VG_A_SOURCE: a SIP source (IPv6 grouped by prefix) under rate limiting. */
enum vg_source_attr {
	VG_SOURCE_A_UNSPEC,
	VG_SOURCE_A_PAD,
	VG_SOURCE_A_PREFIX,	/* nest: enum vg_prefix_attr */
	VG_SOURCE_A_ZONE,	/* string */
	VG_SOURCE_A_PASSED,	/* u64: requests passed */
	VG_SOURCE_A_LIMITED,	/* u64: requests over the rate */
	VG_SOURCE_A_CALLS,	/* u32: current calls */
	VG_SOURCE_A_FLOODING,	/* u8 0/1 */
	VG_SOURCE_A_IDLE_MS,	/* u64 */

	__VG_SOURCE_A_MAX,
	VG_SOURCE_A_MAX = __VG_SOURCE_A_MAX - 1
};

/* Hook points counted in VG_TRAFFIC_A_HOOK. */
enum vg_hook {
	VG_HOOK_PRE_ROUTING,
	VG_HOOK_LOCAL_OUT,

	__VG_HOOK_MAX,
	VG_HOOK_MAX = __VG_HOOK_MAX - 1
};

/* Layer 4 classes counted in VG_TRAFFIC_A_L4. */
enum vg_l4 {
	VG_L4_UDP,
	VG_L4_TCP,
	VG_L4_OTHER,

	__VG_L4_MAX,
	VG_L4_MAX = __VG_L4_MAX - 1
};

/* One traffic counter: (family, hook, layer 4) -> packets, bytes. */
enum vg_traffic_attr {
	VG_TRAFFIC_A_UNSPEC,
	VG_TRAFFIC_A_PAD,
	VG_TRAFFIC_A_FAMILY,	/* u8: AF_INET or AF_INET6 */
	VG_TRAFFIC_A_HOOK,	/* u8: enum vg_hook */
	VG_TRAFFIC_A_L4,	/* u8: enum vg_l4 */
	VG_TRAFFIC_A_PACKETS,	/* u64 */
	VG_TRAFFIC_A_BYTES,	/* u64 */

	__VG_TRAFFIC_A_MAX,
	VG_TRAFFIC_A_MAX = __VG_TRAFFIC_A_MAX - 1
};

/*
 * One drop reason. Names are stable identifiers (e.g. "sip_bad_start_line",
 * "rtp_no_pinhole"), so tools need no numeric list.
 */
enum vg_reason_attr {
	VG_REASON_A_UNSPEC,
	VG_REASON_A_PAD,
	VG_REASON_A_NAME,	/* string */
	VG_REASON_A_DROPS,	/* u64: packets dropped */
	VG_REASON_A_MONITORED,	/* u64: would have been dropped (monitor) */

	__VG_REASON_A_MAX,
	VG_REASON_A_MAX = __VG_REASON_A_MAX - 1
};

/* Per protocol class counters. */
enum vg_class_stats_attr {
	VG_CLASS_STATS_A_UNSPEC,
	VG_CLASS_STATS_A_PAD,
	VG_CLASS_STATS_A_CLASS,	/* u8: enum vg_class */
	VG_CLASS_STATS_A_PACKETS,	/* u64 */
	VG_CLASS_STATS_A_BYTES,	/* u64 */
	VG_CLASS_STATS_A_DROPS,	/* u64 */

	__VG_CLASS_STATS_A_MAX,
	VG_CLASS_STATS_A_MAX = __VG_CLASS_STATS_A_MAX - 1
};

/* VG_A_STATS */
enum vg_stats_attr {
	VG_STATS_A_UNSPEC,
	VG_STATS_A_PAD,
	VG_STATS_A_TRAFFIC,	/* list of nests: enum vg_traffic_attr */
	VG_STATS_A_REASONS,	/* list of nests: enum vg_reason_attr */
	VG_STATS_A_CLASSES,	/* list of nests: enum vg_class_stats_attr */
	VG_STATS_A_ZONE_PAIRS,	/* list of nests: enum vg_policy_attr
				 * (from, to, packets, bytes, drops)
				 */
	VG_STATS_A_CALLS,	/* u32: current calls */
	VG_STATS_A_STREAMS,	/* u32: current media streams */
	VG_STATS_A_SOURCES,	/* u32: current tracked sources */
	VG_STATS_A_EVENTS_LOST,	/* u64: events suppressed by the rate limit */
	VG_STATS_A_RESET_AGE_MS,	/* u64: time since the last reset */
	/* u32: hash buckets of each table (they grow with the entries) */
	VG_STATS_A_CALL_BUCKETS,
	VG_STATS_A_STREAM_BUCKETS,
	VG_STATS_A_SOURCE_BUCKETS,

	__VG_STATS_A_MAX,
	VG_STATS_A_MAX = __VG_STATS_A_MAX - 1
};

/* Why an event happened. */
enum vg_event_cause {
	VG_CAUSE_NONE,
	VG_CAUSE_BYE,
	VG_CAUSE_CANCEL,
	VG_CAUSE_FAILURE,	/* final failure response */
	VG_CAUSE_TIMEOUT,	/* inactivity */
	VG_CAUSE_FLUSH,		/* administrator flush or reconfiguration */
	VG_CAUSE_LIMIT,		/* a rate or table limit */

	__VG_CAUSE_MAX,
	VG_CAUSE_MAX = __VG_CAUSE_MAX - 1
};

/* VG_A_EVENT */
enum vg_event_attr {
	VG_EVENT_A_UNSPEC,
	VG_EVENT_A_PAD,
	VG_EVENT_A_CAUSE,	/* u8: enum vg_event_cause */
	VG_EVENT_A_TIME_NS,	/* u64: CLOCK_BOOTTIME */
	VG_EVENT_A_STATUS,	/* u16: SIP status code that ended the call */

	__VG_EVENT_A_MAX,
	VG_EVENT_A_MAX = __VG_EVENT_A_MAX - 1
};

#endif /* _UAPI_LINUX_VOIPGUARD_H */
