/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SDP (RFC 4566) as a firewall needs it: where each side receives media
 * (c= and m=), how (transport, payload types, clock rates, ptime, RTCP
 * port or rtcp-mux, SRTP) and whether it wants to (direction). Addresses
 * are parsed to binary here, without libc or kernel helpers.
 *
 * struct vg_sdp is a few KB: the kernel keeps it off the stack.
 */
#ifndef VG_CORE_SDP_H
#define VG_CORE_SDP_H

#include "vg_base.h"
#include "reason.h"

#define VG_SDP_MAX_MEDIA	8	/* m= lines kept; more are counted */
#define VG_SDP_MAX_RTPMAP	16	/* a=rtpmap entries kept per m= line */

enum vg_af {
	VG_AF_NONE = 0,		/* absent, FQDN or unparsable */
	VG_AF_INET = 4,
	VG_AF_INET6 = 6,
};

/* An IP address in binary: IPv4 in the first 4 octets, network order. */
struct vg_addr {
	u8 family;		/* enum vg_af */
	u8 addr[16];
};

/* Parse dotted-quad IPv4 text; exactly len octets, no leading/trailing junk. */
bool vg_parse_ipv4(const char *p, u32 len, u8 out[4]);
/* Parse IPv6 text (RFC 4291 2.2 forms, "::" and a trailing dotted quad). */
bool vg_parse_ipv6(const char *p, u32 len, u8 out[16]);
/* Parse either; sets family to VG_AF_NONE and returns false on failure. */
bool vg_parse_addr(const char *p, u32 len, struct vg_addr *out);
/* True for 0.0.0.0 / :: (RFC 2543 hold) and for VG_AF_NONE. */
bool vg_addr_unspecified(const struct vg_addr *a);
bool vg_addr_equal(const struct vg_addr *a, const struct vg_addr *b);

enum vg_sdp_dir {
	VG_SDP_DIR_UNSET = 0,	/* no attribute: inherit, default sendrecv */
	VG_SDP_DIR_SENDRECV,
	VG_SDP_DIR_SENDONLY,
	VG_SDP_DIR_RECVONLY,
	VG_SDP_DIR_INACTIVE,
};

enum vg_sdp_media_kind {
	VG_SDP_MEDIA_OTHER = 0,
	VG_SDP_MEDIA_AUDIO,
	VG_SDP_MEDIA_VIDEO,
	VG_SDP_MEDIA_TEXT,
	VG_SDP_MEDIA_APPLICATION,
	VG_SDP_MEDIA_MESSAGE,
	VG_SDP_MEDIA_IMAGE,
};

enum vg_sdp_proto {
	VG_SDP_PROTO_OTHER = 0,	/* udptl, TCP/MSRP, UDP/BFCP, ... */
	VG_SDP_PROTO_RTP_AVP,
	VG_SDP_PROTO_RTP_SAVP,
	VG_SDP_PROTO_RTP_AVPF,
	VG_SDP_PROTO_RTP_SAVPF,
	VG_SDP_PROTO_UDP_TLS_RTP_SAVP,	/* DTLS-SRTP */
	VG_SDP_PROTO_UDP_TLS_RTP_SAVPF,
};

/* RTP-based transports, the only ones a media pinhole is opened for. */
bool vg_sdp_proto_is_rtp(enum vg_sdp_proto proto);
/* Secure RTP transports (SAVP, SAVPF, DTLS-SRTP). */
bool vg_sdp_proto_is_srtp(enum vg_sdp_proto proto);

struct vg_sdp_rtpmap {
	u8 pt;
	u8 channels;		/* 1 when not given */
	u8 codec_len;		/* codec name is codec_off..+len in the body */
	u16 codec_off;
	u32 clock;		/* Hz */
};

/* Payload type set as a bitmap over 0..127. */
struct vg_pt_set {
	u32 bits[4];
};

static inline void vg_pt_set_add(struct vg_pt_set *s, u8 pt)
{
	if (pt < 128)
		s->bits[pt >> 5] |= 1u << (pt & 31);
}

static inline bool vg_pt_set_has(const struct vg_pt_set *s, u8 pt)
{
	return pt < 128 && (s->bits[pt >> 5] >> (pt & 31)) & 1u;
}

/* Adds pt to s: true when it was not in s before, false otherwise. */
static inline bool vg_pt_set_add_new(struct vg_pt_set *s, u8 pt)
{
	u32 bit = 1u << (pt & 31);

	if (pt >= 128 || (s->bits[pt >> 5] & bit))
		return false;
	s->bits[pt >> 5] |= bit;
	return true;
}

#define VG_SDP_M_HAS_CONN	0x01u	/* media-level c= present */
#define VG_SDP_M_RTCP_MUX	0x02u	/* a=rtcp-mux */
#define VG_SDP_M_CRYPTO		0x04u	/* a=crypto (SDES) present */
#define VG_SDP_M_FINGERPRINT	0x08u	/* a=fingerprint (DTLS) present */
#define VG_SDP_M_RTCP_ATTR	0x10u	/* a=rtcp:PORT given */
#define VG_SDP_M_PT_OVERFLOW	0x20u	/* rtpmap entries beyond the table */
#define VG_SDP_M_BAD_FMT	0x40u	/* a format on an RTP m= line was not 0..127 */

struct vg_sdp_media {
	enum vg_sdp_media_kind kind;
	enum vg_sdp_proto proto;
	enum vg_sdp_dir dir;		/* media level; see vg_sdp_media_dir() */
	u16 port;			/* 0 = disabled */
	u16 port_count;			/* from "port/n"; 1 when absent */
	u16 rtcp_port;			/* a=rtcp port; 0 when absent */
	u16 ptime;			/* ms, 0 when absent (media, else session) */
	u32 bw_as;			/* b=AS kbit/s, 0 when absent */
	u32 flags;			/* VG_SDP_M_* */
	struct vg_addr conn;		/* effective: media c= else session c= */
	struct vg_addr rtcp_addr;	/* a=rtcp address; VG_AF_NONE if absent */
	struct vg_pt_set pts;		/* every payload type on the m= line */
	u8 n_pts;			/* how many formats (max 255 counted) */
	u8 first_pt;			/* the preferred (first) payload type */
	u8 n_rtpmap;
	struct vg_sdp_rtpmap rtpmap[VG_SDP_MAX_RTPMAP];
	struct vg_str proto_str;	/* transport token as written */
};

struct vg_sdp {
	struct vg_addr conn;		/* session-level c= */
	enum vg_sdp_dir dir;		/* session-level direction */
	u32 bw_as;			/* session b=AS */
	u16 ptime;			/* session a=ptime */
	u16 n_media;			/* entries in media[] */
	u16 media_total;		/* every m= line, kept or not */
	u16 bad_lines;			/* attribute lines ignored as malformed */
	const char *base;		/* body start, for rtpmap codec names */
	/* only media[0..n_media) is defined after vg_sdp_parse() */
	struct vg_sdp_media media[VG_SDP_MAX_MEDIA];
};

/*
 * Parse an SDP body. VG_R_NONE on success; VG_R_SIP_BAD_SDP when the body
 * is not SDP at all (no v= first, a line not "x=...", a malformed m= or
 * c= line). Unknown and malformed a= lines are counted in bad_lines and
 * ignored. Lines end in CRLF or LF. Bodies over 64 KB are refused.
 */
enum vg_reason vg_sdp_parse(const char *body, u32 len, struct vg_sdp *sdp);

/* Effective direction of a media line (media, else session, else sendrecv). */
enum vg_sdp_dir vg_sdp_media_dir(const struct vg_sdp *sdp,
				 const struct vg_sdp_media *m);

/*
 * Clock rate of payload type pt on m: a=rtpmap when given, else the RFC
 * 3551 static table (PCMU 8000, G722 8000, L16 44100, video 90000 ...).
 * 0 when unknown (a dynamic type without rtpmap).
 */
u32 vg_sdp_clock_rate(const struct vg_sdp_media *m, u8 pt);
/* Static RFC 3551 clock rate of pt, 0 when pt is not a static type. */
u32 vg_rtp_static_clock(u8 pt);

/* Codec name of pt on m from a=rtpmap; empty when there is none. */
struct vg_str vg_sdp_codec_name(const struct vg_sdp *sdp,
				const struct vg_sdp_media *m, u8 pt);

/*
 * Whether media line m can open a pinhole: a connection address that is
 * IPv4 or IPv6 and not unspecified, port != 0, an RTP transport and at
 * least one payload type. Anything else opens nothing.
 */
bool vg_sdp_media_usable(const struct vg_sdp_media *m);

/*
 * Whether m would be usable but for an unspecified address, 0.0.0.0 or ::
 * (the old way to hold, RFC 3264 8.4): nothing may be sent to it, but its
 * side may still send, music on hold say.
 */
bool vg_sdp_media_held(const struct vg_sdp_media *m);

/*
 * Find the SDP in a SIP body: the body itself when content_type is
 * application/sdp; the application/sdp part of a multipart/mixed,
 * multipart/alternative or multipart/related body (boundary parameter).
 * True and *sdp set to the SDP octets when found.
 */
bool vg_sdp_find(const struct vg_str *content_type, const struct vg_str *body,
		 struct vg_str *sdp);

#endif /* VG_CORE_SDP_H */
