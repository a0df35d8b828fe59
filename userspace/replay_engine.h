/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The offline decision pipeline behind "vgctl replay": packets in, one
 * verdict each, with the same protocol core the module runs (SIP parsing,
 * call logic, RTP/RTCP validation and stream statistics). It knows nothing
 * about files or output: the command reads captures and prints, fuzzers
 * feed it bytes.
 */
#ifndef VG_REPLAY_ENGINE_H
#define VG_REPLAY_ENGINE_H

#include "vg_base.h"
#include "reason.h"
#include "sip.h"
#include "sdp.h"
#include "call.h"
#include "rtp.h"

/* Link-layer framings, numbered as pcap's LINKTYPE_* values. */
enum replay_link {
	REPLAY_LINK_NULL = 0,		/* BSD loopback, host-order family */
	REPLAY_LINK_ETHERNET = 1,
	REPLAY_LINK_RAW = 101,		/* IPv4 or IPv6, no link header */
	REPLAY_LINK_LOOP = 108,		/* loopback, network-order family */
	REPLAY_LINK_LINUX_SLL = 113,
	REPLAY_LINK_IPV4 = 228,
	REPLAY_LINK_IPV6 = 229,
	REPLAY_LINK_LINUX_SLL2 = 276,
};

#define REPLAY_MAX_PORT_RANGES	16

struct replay_port_range {
	u16 first;
	u16 last;
};

enum replay_tcp_split {
	REPLAY_TCP_SPLIT_PASS,		/* count, let through */
	REPLAY_TCP_SPLIT_DROP,		/* count, drop as sip_tcp_split */
};

struct replay_config {
	u32 n_sip_ports;
	struct replay_port_range sip_ports[REPLAY_MAX_PORT_RANGES];
	u32 n_media_ports;
	struct replay_port_range media_ports[REPLAY_MAX_PORT_RANGES];
	bool peer_restrict;	/* media only from the other side's c= address */
	bool media_strict;	/* RTP-like UDP to a closed media port drops */
	u8 tcp_split;		/* enum replay_tcp_split */
	u32 max_calls;
	u32 max_streams;
	struct vg_sip_limits sip_limits;
	struct vg_call_config call_config;
};

/* sip-ports 5060, media-ports 1024-65535, strict, no peer restriction. */
void replay_config_default(struct replay_config *cfg);

/* Traffic classes a packet is counted under. */
enum replay_class {
	REPLAY_CLASS_SIP,
	REPLAY_CLASS_RTP,
	REPLAY_CLASS_RTCP,
	REPLAY_CLASS_OTHER,
	REPLAY_CLASS__COUNT
};

const char *replay_class_name(enum replay_class c);

#define REPLAY_CALL_ID_MAX	256

struct replay_call {
	char call_id[REPLAY_CALL_ID_MAX + 1];	/* NUL-terminated, maybe cut */
	u32 call_id_len;	/* full length on the wire */
	u32 call_id_hash;
	u32 invites;		/* initial INVITEs (a new one restarts it) */
	u32 messages;		/* valid SIP messages of this Call-ID */
	u64 start_ns;
	u64 end_ns;		/* when it ended; 0 while it lasts */
	struct vg_call st;	/* the core's call state */
};

/* One direction of one m= line of one call: a pinhole and what hit it. */
struct replay_stream {
	u32 call;		/* index into calls[] */
	bool open;		/* the pinhole is open now */
	bool has_src;		/* src_* hold the first accepted sender */
	bool stats_init;	/* rtp has been initialised */
	u8 src_family;
	u8 src_addr[16];
	u16 src_port;
	s16 last_pt;		/* -1 before the first RTP packet */
	struct vg_pinhole ph;
	u64 packets;		/* accepted RTP */
	u64 bytes;		/* their RTP octets */
	u64 dropped;		/* RTP and RTCP to this pinhole, dropped */
	u64 rtcp_packets;	/* accepted RTCP */
	u64 other_ssrc;		/* accepted RTP of an SSRC not latched */
	u64 opened_ns;
	u64 closed_ns;
	u64 last_ns;
	struct vg_rtp_stream rtp;
};

struct replay_sip_counts {
	u64 messages;		/* valid SIP messages */
	u64 requests;
	u64 responses;
	u64 invites;		/* INVITE requests, retransmissions included */
	u64 keepalives;		/* CRLF / whitespace / STUN keep-alives */
	u64 invalid;		/* messages dropped by the parser */
	u64 bad_sdp;		/* valid messages whose SDP did not parse */
	u64 tcp_split;		/* TCP segments not holding whole messages */
	u64 no_call_id;		/* valid messages without a Call-ID */
};

struct replay_counts {
	u64 packets;
	u64 accepted;
	u64 dropped;
	u64 drops[VG_R__COUNT];
	u64 classes[REPLAY_CLASS__COUNT];
	u64 not_ip;		/* link or network layer not understood */
	u64 truncated;		/* captured shorter than the headers need */
	u64 fragments;		/* IP fragments (passed until the last one) */
	u64 reassembled;	/* datagrams made whole from fragments */
	u64 frags_dropped;	/* fragments given up: bad, evicted, too old */
	u64 ipv4;
	u64 ipv6;
	u64 udp;
	u64 tcp;
	u64 calls_refused;	/* call table full */
	u64 streams_refused;	/* stream table full */
	struct replay_sip_counts sip;
};

/* IP reassembly: a few datagrams at a time, as simple cases need. */
#define REPLAY_FRAG_SLOTS	8
#define REPLAY_FRAG_MAX		65535
#define REPLAY_FRAG_TIMEOUT_NS	(30ULL * 1000000000ULL)

struct replay_frag {
	bool used;
	u8 family;
	u8 l4proto;
	u8 src[16];
	u8 dst[16];
	u32 id;
	u32 total;		/* L4 octets, known from the last fragment */
	u64 first_ns;
	u8 *buf;		/* REPLAY_FRAG_MAX octets, allocated on use */
	u8 blocks[(REPLAY_FRAG_MAX + 7) / 8 / 8 + 1];	/* 8-octet blocks seen */
};

/* TCP flows whose last SIP segment ended inside a message. */
#define REPLAY_TCP_SPLIT_FLOWS	32

struct replay_tcp_flow {
	bool used;
	u8 family;
	u8 src[16];
	u8 dst[16];
	u16 sport;
	u16 dport;
	u64 last_ns;
};

struct replay {
	struct replay_config cfg;
	struct replay_counts counts;
	u32 n_calls;
	struct replay_call *calls;	/* cfg.max_calls entries */
	u32 n_streams;
	struct replay_stream *streams;	/* cfg.max_streams entries */
	u32 n_open;
	u32 *open;			/* indices of open streams */
	struct replay_frag frags[REPLAY_FRAG_SLOTS];
	struct replay_tcp_flow split_flows[REPLAY_TCP_SPLIT_FLOWS];
	struct vg_sdp sdp_scratch;
	struct vg_call_decision dec;
};

/* The result of one packet. */
struct replay_verdict {
	enum vg_reason reason;	/* VG_R_NONE: accept */
	enum replay_class cls;
	s32 stream;		/* stream it was counted on, or -1 */
};

/*
 * Allocate an engine for cfg (copied; NULL: defaults). NULL when out of
 * memory or when cfg has no room for a call or a stream.
 */
struct replay *replay_new(const struct replay_config *cfg);
void replay_free(struct replay *r);

/*
 * Judge one captured frame of link type @link: @caplen octets at @data of a
 * frame that was @wirelen long, captured at @ts_ns (any nanosecond clock
 * that does not go backwards much; it times the jitter).
 */
struct replay_verdict replay_packet(struct replay *r, u32 link, u64 ts_ns,
				    const u8 *data, u32 caplen, u32 wirelen);

/* Whether replay_packet() understands link type @link. */
bool replay_link_supported(u32 link);

#endif /* VG_REPLAY_ENGINE_H */
