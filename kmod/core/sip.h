/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP message parsing and validation (RFC 3261), judged the way RFC 4475
 * classifies its torture messages: syntax errors drop, problems of meaning
 * (section 3.3 of RFC 4475) pass unless a strict flag asks otherwise.
 *
 * One call parses one message from (buf, len); the result holds views into
 * buf only. Nothing is copied or allocated and nothing past len is read.
 */
#ifndef VG_CORE_SIP_H
#define VG_CORE_SIP_H

#include "vg_base.h"
#include "reason.h"

/* Strict flags: checks RFC 4475 section 3.3 leaves to local policy. */
/* Also require To, From, Call-ID (and Max-Forwards in requests). */
#define VG_SIP_STRICT_REQUIRED	0x1u
/* Reject repeated single-value headers, conflicting Content-Length included. */
#define VG_SIP_STRICT_SINGLE	0x2u

struct vg_sip_limits {
	u32 max_msg_len;	/* whole message, start line to end of body */
	u32 max_headers;	/* header fields (each folded field counts once) */
	u32 max_header_len;	/* one header field, name to end of last fold */
	u32 max_uri_len;	/* Request-URI and every URI in an address */
	u32 strict;		/* VG_SIP_STRICT_* */
};

/* Defaults: RFC 4475 "longreq" (3.5 KB, 590-octet fields) passes with room. */
#define VG_SIP_DEFAULT_MAX_MSG_LEN	16384
#define VG_SIP_DEFAULT_MAX_HEADERS	128
#define VG_SIP_DEFAULT_MAX_HEADER_LEN	4096
#define VG_SIP_DEFAULT_MAX_URI_LEN	1024

#define VG_SIP_LIMITS_DEFAULT {					\
	.max_msg_len = VG_SIP_DEFAULT_MAX_MSG_LEN,		\
	.max_headers = VG_SIP_DEFAULT_MAX_HEADERS,		\
	.max_header_len = VG_SIP_DEFAULT_MAX_HEADER_LEN,	\
	.max_uri_len = VG_SIP_DEFAULT_MAX_URI_LEN,		\
	.strict = 0,						\
}

/* Fills *lim with the defaults above. */
void vg_sip_limits_default(struct vg_sip_limits *lim);

/* Methods the core gives meaning to; any other token is VG_SIP_M_OTHER. */
enum vg_sip_method {
	VG_SIP_M_NONE = 0,	/* response start line */
	VG_SIP_M_INVITE,
	VG_SIP_M_ACK,
	VG_SIP_M_BYE,
	VG_SIP_M_CANCEL,
	VG_SIP_M_OPTIONS,
	VG_SIP_M_REGISTER,
	VG_SIP_M_PRACK,
	VG_SIP_M_UPDATE,
	VG_SIP_M_SUBSCRIBE,
	VG_SIP_M_NOTIFY,
	VG_SIP_M_REFER,
	VG_SIP_M_MESSAGE,
	VG_SIP_M_INFO,
	VG_SIP_M_PUBLISH,
	VG_SIP_M_OTHER,
};

/* Method id of a method token (case-sensitive, as RFC 3261 says). */
enum vg_sip_method vg_sip_method_id(const char *p, u32 len);

/* An address header (To, From, one Contact): views into the message. */
struct vg_sip_addr {
	struct vg_str display;	/* display name, quotes included; may be empty */
	struct vg_str uri;	/* the URI without < > */
	struct vg_str tag;	/* tag parameter value; empty if absent */
	bool present;
};

/* Top Via: the hop the message came from. */
struct vg_sip_via {
	struct vg_str transport;	/* "UDP", "TCP", "TLS", ... */
	struct vg_str host;		/* sent-by host; IPv6 keeps its [ ] */
	u16 port;			/* 0 when absent */
	struct vg_str branch;		/* empty if absent */
};

/* Message flags: things that pass but that policy or call logic may weigh. */
#define VG_SIP_F_CL_PRESENT	0x01u	/* a Content-Length header was seen */
#define VG_SIP_F_CL_CONFLICT	0x02u	/* Content-Length values disagree */
#define VG_SIP_F_DUPLICATE	0x04u	/* a single-value header repeated */
#define VG_SIP_F_TRAILING	0x08u	/* octets after the body were ignored */
#define VG_SIP_F_EXPIRES_CLAMPED 0x10u	/* Expires > 2^32-1, clamped */
#define VG_SIP_F_CONTACT_STAR	0x20u	/* Contact: * */
/*
 * Set with a drop reason when the message may only be cut short: the
 * start line or the headers do not end, or Content-Length exceeds the
 * octets present. On a datagram that is a drop; on a stream (TCP) the
 * rest may follow.
 */
#define VG_SIP_F_INCOMPLETE	0x40u

struct vg_sip_msg {
	bool is_request;
	/* request line */
	enum vg_sip_method method;
	struct vg_str method_str;
	struct vg_str uri;		/* Request-URI */
	/* status line */
	u16 status;			/* 100..699 */
	struct vg_str reason_phrase;

	/* headers: the first occurrence unless said otherwise */
	struct vg_sip_addr from;
	struct vg_sip_addr to;
	struct vg_sip_addr contact;	/* first Contact address */
	struct vg_str call_id;
	u32 cseq;			/* < 2^31 */
	struct vg_str cseq_method_str;
	enum vg_sip_method cseq_method;
	struct vg_sip_via via;		/* top-most Via */
	u16 via_count;			/* via-parms over all Via headers */
	u16 contact_count;
	u16 route_count;		/* Route entries */
	u16 record_route_count;		/* Record-Route entries */
	u16 header_count;
	s16 max_forwards;		/* -1 when absent */
	bool has_expires;
	u32 expires;
	struct vg_str content_type;	/* whole value, parameters included */
	struct vg_str accept;		/* whole first Accept value; empty if absent */
	u32 content_length;		/* valid when VG_SIP_F_CL_PRESENT */
	u32 flags;			/* VG_SIP_F_* */

	struct vg_str body;		/* exactly the body octets */
	u32 msg_len;			/* octets consumed: headers + body */
};

/*
 * Parse and validate one message. On VG_R_NONE *msg is complete; on any
 * other reason the message must be dropped and *msg is partly filled (only
 * for diagnostics). lim NULL means the defaults. buf need not end in NUL.
 *
 * Datagram framing (RFC 3261 18.3): the body is Content-Length octets when
 * the header is present, otherwise the rest of the buffer; octets after the
 * body are ignored (VG_SIP_F_TRAILING) as RFC 4475 "dblreq" requires.
 */
enum vg_reason vg_sip_parse(const char *buf, u32 len,
			    const struct vg_sip_limits *lim,
			    struct vg_sip_msg *msg);

/*
 * Content-Type media type of the message, lowercase-compared:
 * true if the type/subtype (parameters ignored) equals type ("a/b").
 */
bool vg_sip_content_type_is(const struct vg_str *content_type,
			    const char *type);

/*
 * Value of parameter name (case-insensitive) in a header value of the
 * form "something;name=value;..."; quotes are stripped. False if absent.
 */
bool vg_sip_param(const struct vg_str *value, const char *name,
		  struct vg_str *out);

/*
 * User part of a sip:, sips: or tel: URI ("911" in "sip:911@host;..."),
 * or the whole URI for other schemes. Empty if there is none.
 */
struct vg_str vg_sip_uri_user(const struct vg_str *uri);

/*
 * A datagram on a SIP port that carries no message and is not one: CRLF
 * keep-alives (RFC 5626 4.4.1), blank or empty datagrams, and STUN
 * (RFC 5389 magic cookie) that shares the port.
 */
bool vg_sip_is_keepalive(const u8 *p, u32 len);

#endif /* VG_CORE_SIP_H */
