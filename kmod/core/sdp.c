// SPDX-License-Identifier: GPL-2.0
/*
 * SDP parser (RFC 4566) for the parts that decide which media may flow,
 * plus the multipart walk that finds SDP inside a SIP body (RFC 2046).
 */
#include "sdp.h"
#include "sip.h"
#include "scan.h"

#define VG_SDP_MAX_BODY		65535u
#define VG_MIME_MAX_BOUNDARY	200u
#define VG_MIME_MAX_DEPTH	2

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool vg_parse_ipv4(const char *p, u32 len, u8 out[4])
{
	u32 i = 0, part;

	/* 1 to 3 digits per part, at most 255, parts joined by '.' */
	for (part = 0; part < 4; part++) {
		u32 v, d, end;

		if (part) {
			if (i >= len || p[i] != '.')
				return false;
			i++;
		}
		if (i >= len || !is_digit(p[i]))
			return false;
		v = (u32)(u8)p[i] - '0';
		end = i + 3 < len ? i + 3 : len;
		for (i++; i < end && (d = (u32)(u8)p[i] - '0') <= 9; i++)
			v = v * 10 + d;
		if (v > 255 || (i < len && is_digit(p[i])))
			return false;
		out[part] = (u8)v;
	}
	return i == len;
}

bool vg_parse_ipv6(const char *p, u32 len, u8 out[16])
{
	u8 tmp[16];
	u32 i = 0, n = 0;	/* n: octets written */
	int gap = -1;		/* octet index where "::" stands */

	memset(tmp, 0, sizeof(tmp));
	if (len < 2)
		return false;
	if (p[0] == ':') {
		if (p[1] != ':')
			return false;
		gap = 0;
		i = 2;
	}
	while (i < len) {
		u32 v = 0, digits = 0, s = i;

		if (n >= 16)
			return false;
		while (i < len && hex_val(p[i]) >= 0 && digits < 5) {
			v = (v << 4) | (u32)hex_val(p[i]);
			digits++;
			i++;
		}
		if (i < len && p[i] == '.') {
			/* trailing dotted quad fills the last 32 bits */
			if (n > 12 || !vg_parse_ipv4(p + s, len - s, tmp + n))
				return false;
			n += 4;
			i = len;
			break;
		}
		if (digits == 0 || digits > 4)
			return false;
		tmp[n++] = (u8)(v >> 8);
		tmp[n++] = (u8)v;
		if (i == len)
			break;
		if (p[i] != ':')
			return false;
		i++;
		if (i < len && p[i] == ':') {
			if (gap >= 0)
				return false;
			gap = (int)n;
			i++;
		} else if (i == len) {
			return false;	/* trailing single ':' */
		}
	}
	if (gap >= 0) {
		u32 tail = n - (u32)gap;

		if (n >= 16)
			return false;	/* "::" must stand for at least one group */
		memset(out, 0, 16);
		memcpy(out, tmp, (u32)gap);
		memcpy(out + 16 - tail, tmp + gap, tail);
		return true;
	}
	if (n != 16)
		return false;
	memcpy(out, tmp, 16);
	return true;
}

bool vg_parse_addr(const char *p, u32 len, struct vg_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (vg_parse_ipv4(p, len, out->addr)) {
		out->family = VG_AF_INET;
		return true;
	}
	if (vg_parse_ipv6(p, len, out->addr)) {
		out->family = VG_AF_INET6;
		return true;
	}
	memset(out, 0, sizeof(*out));
	return false;
}

bool vg_addr_unspecified(const struct vg_addr *a)
{
	u32 i, n;

	if (a->family == VG_AF_INET)
		n = 4;
	else if (a->family == VG_AF_INET6)
		n = 16;
	else
		return true;
	for (i = 0; i < n; i++)
		if (a->addr[i])
			return false;
	return true;
}

bool vg_addr_equal(const struct vg_addr *a, const struct vg_addr *b)
{
	u32 n = a->family == VG_AF_INET ? 4 : 16;

	return a->family == b->family &&
	       (a->family == VG_AF_NONE || !memcmp(a->addr, b->addr, n));
}

bool vg_sdp_proto_is_rtp(enum vg_sdp_proto proto)
{
	return proto != VG_SDP_PROTO_OTHER;
}

bool vg_sdp_proto_is_srtp(enum vg_sdp_proto proto)
{
	switch (proto) {
	case VG_SDP_PROTO_RTP_SAVP:
	case VG_SDP_PROTO_RTP_SAVPF:
	case VG_SDP_PROTO_UDP_TLS_RTP_SAVP:
	case VG_SDP_PROTO_UDP_TLS_RTP_SAVPF:
		return true;
	default:
		return false;
	}
}

/* RFC 3551 tables 4 and 5. */
u32 vg_rtp_static_clock(u8 pt)
{
	switch (pt) {
	case 0: case 3: case 4: case 5: case 7: case 8: case 9:
	case 12: case 13: case 15: case 18:
		return 8000;
	case 6:
		return 16000;
	case 10: case 11:
		return 44100;
	case 16:
		return 11025;
	case 17:
		return 22050;
	case 14: case 25: case 26: case 28: case 31: case 32: case 33: case 34:
		return 90000;
	default:
		return 0;
	}
}

u32 vg_sdp_clock_rate(const struct vg_sdp_media *m, u8 pt)
{
	u32 k;

	for (k = 0; k < m->n_rtpmap; k++)
		if (m->rtpmap[k].pt == pt)
			return m->rtpmap[k].clock;
	return vg_rtp_static_clock(pt);
}

struct vg_str vg_sdp_codec_name(const struct vg_sdp *sdp,
				const struct vg_sdp_media *m, u8 pt)
{
	struct vg_str s = { sdp->base, 0 };
	u32 k;

	for (k = 0; k < m->n_rtpmap; k++) {
		if (m->rtpmap[k].pt == pt) {
			s.p = sdp->base + m->rtpmap[k].codec_off;
			s.len = m->rtpmap[k].codec_len;
			break;
		}
	}
	return s;
}

enum vg_sdp_dir vg_sdp_media_dir(const struct vg_sdp *sdp,
				 const struct vg_sdp_media *m)
{
	if (m->dir != VG_SDP_DIR_UNSET)
		return m->dir;
	if (sdp->dir != VG_SDP_DIR_UNSET)
		return sdp->dir;
	return VG_SDP_DIR_SENDRECV;
}

bool vg_sdp_media_usable(const struct vg_sdp_media *m)
{
	return (m->conn.family == VG_AF_INET || m->conn.family == VG_AF_INET6) &&
	       !vg_addr_unspecified(&m->conn) && m->port != 0 &&
	       vg_sdp_proto_is_rtp(m->proto) && m->n_pts > 0;
}

/* A cursor over one line's value: space-separated fields. */
struct vg_fields {
	const char *p;
	u32 i, n;
};

static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline bool next_field(struct vg_fields *f, struct vg_str *out)
{
	const char *p = f->p;
	u32 i = f->i, n = f->n, s;

	while (i < n && is_blank(p[i]))
		i++;
	s = i;
	/* one compare per octet (only octets up to ' ' can be blanks) */
	while (i + 4 <= n && (u8)p[i] > ' ' && (u8)p[i + 1] > ' ' &&
	       (u8)p[i + 2] > ' ' && (u8)p[i + 3] > ' ')
		i += 4;
	while (i < n && ((u8)p[i] > ' ' || !is_blank(p[i])))
		i++;
	f->i = i;
	out->p = p + s;
	out->len = i - s;
	return out->len > 0;
}

/* Decimal number that is the whole of s, at most max. */
static inline bool str_uint(const char *p, u32 len, u32 max, u32 *val)
{
	u64 v = 0;
	u32 i;

	if (len == 0 || len > 10)
		return false;
	for (i = 0; i < len; i++) {
		u32 d = (u32)(u8)p[i] - '0';

		if (d > 9)
			return false;
		v = v * 10 + d;
	}
	if (v > max)
		return false;
	*val = (u32)v;
	return true;
}

static bool starts_with(const char *p, u32 len, const char *lit)
{
	u32 l = (u32)strlen(lit);

	return len >= l && !memcmp(p, lit, l);
}

/* "IN IP4 addr[/ttl[/n]]": false when malformed; FQDNs give VG_AF_NONE. */
static bool parse_conn(const char *p, u32 len, struct vg_addr *out)
{
	struct vg_fields f = { p, 0, len };
	struct vg_str net, type, addr;
	const char *slash;

	memset(out, 0, sizeof(*out));
	if (len > 7 && !memcmp(p, "IN IP", 5) && (p[5] == '4' || p[5] == '6') &&
	    p[6] == ' ') {
		/* the usual spelling: only the address field is left to find */
		type.p = p + 3;
		type.len = 3;
		f.i = 7;
		if (!next_field(&f, &addr))
			return false;
	} else {
		if (!next_field(&f, &net) || !next_field(&f, &type) ||
		    !next_field(&f, &addr))
			return false;
		if (!vg_str_eq(&net, "IN"))
			return true;
	}
	slash = memchr(addr.p, '/', addr.len);
	if (slash)
		addr.len = (u32)(slash - addr.p);
	if (vg_str_eq(&type, "IP4")) {
		if (vg_parse_ipv4(addr.p, addr.len, out->addr))
			out->family = VG_AF_INET;
	} else if (vg_str_eq(&type, "IP6")) {
		if (vg_parse_ipv6(addr.p, addr.len, out->addr))
			out->family = VG_AF_INET6;
	}
	return true;
}

static enum vg_sdp_proto classify_proto(const struct vg_str *s)
{
	static const struct {
		const char *name;
		enum vg_sdp_proto proto;
	} protos[] = {
		{ "RTP/AVP", VG_SDP_PROTO_RTP_AVP },
		{ "RTP/SAVP", VG_SDP_PROTO_RTP_SAVP },
		{ "RTP/AVPF", VG_SDP_PROTO_RTP_AVPF },
		{ "RTP/SAVPF", VG_SDP_PROTO_RTP_SAVPF },
		{ "UDP/TLS/RTP/SAVP", VG_SDP_PROTO_UDP_TLS_RTP_SAVP },
		{ "UDP/TLS/RTP/SAVPF", VG_SDP_PROTO_UDP_TLS_RTP_SAVPF },
	};
	size_t k;

	/* every name starts with "RTP/" or "UDP/": others fail at once */
	if (s->len < 7 || s->len > 17 || s->p[3] != '/')
		return VG_SDP_PROTO_OTHER;
	if (s->len == 7 && !memcmp(s->p, "RTP/AVP", 7))
		return VG_SDP_PROTO_RTP_AVP;	/* as almost always written */
	for (k = 0; k < VG_ARRAY_SIZE(protos); k++)
		if (vg_str_ieq(s, protos[k].name))
			return protos[k].proto;
	return VG_SDP_PROTO_OTHER;
}

static enum vg_sdp_media_kind classify_kind(const struct vg_str *s)
{
	if (vg_str_eq(s, "audio"))
		return VG_SDP_MEDIA_AUDIO;
	if (vg_str_eq(s, "video"))
		return VG_SDP_MEDIA_VIDEO;
	if (vg_str_eq(s, "text"))
		return VG_SDP_MEDIA_TEXT;
	if (vg_str_eq(s, "application"))
		return VG_SDP_MEDIA_APPLICATION;
	if (vg_str_eq(s, "message"))
		return VG_SDP_MEDIA_MESSAGE;
	if (vg_str_eq(s, "image"))
		return VG_SDP_MEDIA_IMAGE;
	return VG_SDP_MEDIA_OTHER;
}

/*
 * Next format of an m= line, with its value as str_uint(..., 127) would
 * see it: *val > 127 when the field is not a decimal number up to 127.
 */
static inline bool next_fmt(struct vg_fields *f, struct vg_str *out, u32 *val)
{
	const char *p = f->p;
	u32 i = f->i, n = f->n, s, v = 0;

	while (i < n && is_blank(p[i]))
		i++;
	s = i;
	for (; i < n; i++) {
		u32 d = (u32)(u8)p[i] - '0';

		if (d > 9) {
			if (is_blank(p[i]))
				break;
			v = 128;
		} else if (v < 128) {
			v = v * 10 + d;
		}
	}
	if (i - s > 10)
		v = 128;
	f->i = i;
	out->p = p + s;
	out->len = i - s;
	*val = v;
	return out->len > 0;
}

/*
 * Decimal digits at p[*pi] up to a blank or stop (or the end): false when
 * another octet comes first, or there are none or more than 10, or the
 * value is above max. *pi ends on the octet that stopped the digits.
 */
static inline bool field_uint(const char *p, u32 *pi, u32 n, char stop,
			      u32 max, u32 *val)
{
	u32 i = *pi, s = i, end = n - i > 10 ? i + 10 : n, d;
	u64 v = 0;

	/* an eleventh digit fails below like any other octet */
	while (i < end && (d = (u32)(u8)p[i] - '0') <= 9) {
		v = v * 10 + d;
		i++;
	}
	if (i == s || v > max)
		return false;
	if (i < n && p[i] != stop && !is_blank(p[i]))
		return false;
	*pi = i;
	*val = (u32)v;
	return true;
}

/* m=<media> <port>[/<number of ports>] <proto> <fmt> ... */
static bool parse_m(const char *p, u32 len, struct vg_sdp_media *m)
{
	struct vg_fields f = { p, 0, len };
	struct vg_str kind, proto, fmt;
	u32 v, port, i;

	memset(m, 0, sizeof(*m));
	if (!next_field(&f, &kind))
		return false;
	/* the port, and the port count after a '/', read as they come */
	for (i = f.i; i < len && is_blank(p[i]); i++)
		;
	if (!field_uint(p, &i, len, '/', 65535, &port))
		return false;
	m->port_count = 1;
	if (i < len && p[i] == '/') {
		i++;
		if (!field_uint(p, &i, len, ' ', 65535, &v) || v == 0)
			return false;
		m->port_count = (u16)v;
	}
	f.i = i;
	if (!next_field(&f, &proto))
		return false;
	m->kind = classify_kind(&kind);
	m->port = (u16)port;
	m->proto = classify_proto(&proto);
	m->proto_str = proto;
	while (next_fmt(&f, &fmt, &v)) {
		if (!vg_sdp_proto_is_rtp(m->proto)) {
			if (m->n_pts < 255)
				m->n_pts++;
			continue;
		}
		if (v > 127) {
			m->flags |= VG_SDP_M_BAD_FMT;
			continue;
		}
		if (!vg_pt_set_has(&m->pts, (u8)v) && m->n_pts < 255) {
			if (m->n_pts == 0)
				m->first_pt = (u8)v;
			m->n_pts++;
		}
		vg_pt_set_add(&m->pts, (u8)v);
	}
	/* a non-RTP line keeps its format count only for the record */
	if (!vg_sdp_proto_is_rtp(m->proto))
		m->n_pts = 0;
	return true;
}

/*
 * a=rtpmap:<pt> <name>/<clock>[/<channels>], in one pass. Blank-separated
 * fields; anything after the encoding field is ignored.
 */
static bool parse_rtpmap(const char *base, const char *p, u32 n,
			 struct vg_sdp_media *m)
{
	u32 i = 0, v, clock, ch = 1, k, es, ns;
	struct vg_sdp_rtpmap *e;

	while (i < n && is_blank(p[i]))
		i++;
	if (!field_uint(p, &i, n, ' ', 127, &v))
		return false;
	while (i < n && is_blank(p[i]))
		i++;
	es = i;
	for (; i < n; i++) {
		char c = p[i];

		if (c == '/' || ((u8)c <= ' ' && is_blank(c)))
			break;
	}
	if (i >= n || p[i] != '/' || i == es)
		return false;
	ns = i - es;
	i++;
	if (!field_uint(p, &i, n, '/', 0xffffffffu, &clock) || clock == 0)
		return false;
	if (i < n && p[i] == '/') {
		i++;
		if (!field_uint(p, &i, n, ' ', 255, &ch))
			return false;
	}
	if (ns > 255 || (u32)(p + es - base) > 0xffff)
		return false;
	for (k = 0; k < m->n_rtpmap; k++)
		if (m->rtpmap[k].pt == v)
			return true;	/* the first mapping stands */
	if (m->n_rtpmap >= VG_SDP_MAX_RTPMAP) {
		m->flags |= VG_SDP_M_PT_OVERFLOW;
		return true;
	}
	e = &m->rtpmap[m->n_rtpmap++];
	e->pt = (u8)v;
	e->clock = clock;
	e->channels = (u8)(ch ? ch : 1);
	e->codec_off = (u16)(p + es - base);
	e->codec_len = (u8)ns;
	return true;
}

/* a=rtcp:<port> [IN IP4|IP6 <addr>] (RFC 3605) */
static bool parse_rtcp(const char *p, u32 len, struct vg_sdp_media *m)
{
	struct vg_fields f = { p, 0, len };
	struct vg_str port;
	u32 v;

	if (!next_field(&f, &port) || !str_uint(port.p, port.len, 65535, &v) ||
	    v == 0)
		return false;
	if (f.i < f.n && !parse_conn(p + f.i, len - f.i, &m->rtcp_addr))
		return false;
	m->rtcp_port = (u16)v;
	m->flags |= VG_SDP_M_RTCP_ATTR;
	return true;
}

struct vg_sdp_session {
	bool fingerprint;
};

#define ATTR_IS(p, len, lit) \
	((len) == sizeof(lit) - 1 && !memcmp(p, lit, sizeof(lit) - 1))
#define ATTR_HAS_PREFIX(p, len, lit) \
	((len) >= sizeof(lit) - 1 && !memcmp(p, lit, sizeof(lit) - 1))

/*
 * One a= line at session level (m NULL) or media level. The attribute
 * names a filter needs differ in their first octet or their length, so
 * one switch finds the only candidate.
 */
static void parse_attr(struct vg_sdp *sdp, struct vg_sdp_session *ss,
		       struct vg_sdp_media *m, const char *p, u32 len)
{
	enum vg_sdp_dir dir = VG_SDP_DIR_UNSET;
	u32 v;

	if (!len)
		return;
	switch (p[0]) {
	case 's':
		if (ATTR_IS(p, len, "sendrecv"))
			dir = VG_SDP_DIR_SENDRECV;
		else if (ATTR_IS(p, len, "sendonly"))
			dir = VG_SDP_DIR_SENDONLY;
		break;
	case 'r':
		if (ATTR_IS(p, len, "recvonly")) {
			dir = VG_SDP_DIR_RECVONLY;
			break;
		}
		if (!m)
			return;
		if (ATTR_HAS_PREFIX(p, len, "rtpmap:")) {
			if (!parse_rtpmap(sdp->base, p + 7, len - 7, m))
				sdp->bad_lines++;
		} else if (ATTR_HAS_PREFIX(p, len, "rtcp:")) {
			if (!parse_rtcp(p + 5, len - 5, m))
				sdp->bad_lines++;
		} else if (ATTR_IS(p, len, "rtcp-mux")) {
			m->flags |= VG_SDP_M_RTCP_MUX;
		}
		return;
	case 'i':
		if (ATTR_IS(p, len, "inactive"))
			dir = VG_SDP_DIR_INACTIVE;
		break;
	case 'p':
		if (!ATTR_HAS_PREFIX(p, len, "ptime:"))
			return;
		if (!str_uint(p + 6, len - 6, 65535, &v)) {
			sdp->bad_lines++;
			return;
		}
		if (m)
			m->ptime = (u16)v;
		else
			sdp->ptime = (u16)v;
		return;
	case 'f':
		if (!ATTR_HAS_PREFIX(p, len, "fingerprint:"))
			return;
		if (m)
			m->flags |= VG_SDP_M_FINGERPRINT;
		else
			ss->fingerprint = true;
		return;
	case 'c':
		if (m && ATTR_HAS_PREFIX(p, len, "crypto:"))
			m->flags |= VG_SDP_M_CRYPTO;
		return;
	default:
		return;
	}
	if (dir == VG_SDP_DIR_UNSET)
		return;
	if (m)
		m->dir = dir;
	else
		sdp->dir = dir;
}

/* b=AS:<kbit/s> */
static void parse_bw(struct vg_sdp *sdp, struct vg_sdp_media *m,
		     const char *p, u32 len)
{
	u32 v;

	if (!starts_with(p, len, "AS:"))
		return;
	if (!str_uint(p + 3, len - 3, 0xffffffffu, &v)) {
		sdp->bad_lines++;
		return;
	}
	if (m)
		m->bw_as = v;
	else
		sdp->bw_as = v;
}

enum vg_reason vg_sdp_parse(const char *body, u32 len, struct vg_sdp *sdp)
{
	struct vg_sdp_session ss = { false };
	struct vg_sdp_media *m = NULL;
	bool in_media = false, first = true;
	u32 i = 0, k;

	/* media[] entries are cleared as m= lines fill them */
	memset(sdp, 0, offsetof(struct vg_sdp, media));
	sdp->base = body;
	if (len > VG_SDP_MAX_BODY)
		return VG_R_SIP_BAD_SDP;
	while (i < len) {
		const char *p = body + i + 2;
		u32 e, next, n;

		/* line end: LF, CRLF, or the end of the body */
		e = vg_scan_lf(body, i, len);
		next = e < len ? e + 1 : len;
		if (e > i && body[e - 1] == '\r')
			e--;
		if (e == i) {		/* empty line */
			i = next;
			continue;
		}
		if (e - i < 2 || body[i + 1] != '=' ||
		    body[i] < 'a' || body[i] > 'z')
			return VG_R_SIP_BAD_SDP;
		n = e - i - 2;
		if (first) {
			if (body[i] != 'v' || n != 1 || p[0] != '0')
				return VG_R_SIP_BAD_SDP;
			first = false;
		}
		switch (body[i]) {
		case 'm':
			in_media = true;
			if (sdp->media_total < 0xffff)
				sdp->media_total++;
			if (sdp->n_media >= VG_SDP_MAX_MEDIA) {
				struct vg_sdp_media scratch;

				/* counted, checked, not kept */
				m = NULL;
				if (!parse_m(p, n, &scratch))
					return VG_R_SIP_BAD_SDP;
				break;
			}
			m = &sdp->media[sdp->n_media];
			if (!parse_m(p, n, m))
				return VG_R_SIP_BAD_SDP;
			sdp->n_media++;
			break;
		case 'c':
			if (!in_media) {
				if (!parse_conn(p, n, &sdp->conn))
					return VG_R_SIP_BAD_SDP;
			} else if (m) {
				if (!parse_conn(p, n, &m->conn))
					return VG_R_SIP_BAD_SDP;
				m->flags |= VG_SDP_M_HAS_CONN;
			}
			break;
		case 'a':
			if (!in_media)
				parse_attr(sdp, &ss, NULL, p, n);
			else if (m)
				parse_attr(sdp, &ss, m, p, n);
			break;
		case 'b':
			if (!in_media || m)
				parse_bw(sdp, m, p, n);
			break;
		default:
			break;
		}
		i = next;
	}
	if (first)
		return VG_R_SIP_BAD_SDP;
	for (k = 0; k < sdp->n_media; k++) {
		m = &sdp->media[k];
		if (!(m->flags & VG_SDP_M_HAS_CONN))
			m->conn = sdp->conn;
		if (!m->ptime)
			m->ptime = sdp->ptime;
		if (ss.fingerprint)
			m->flags |= VG_SDP_M_FINGERPRINT;
	}
	return VG_R_NONE;
}

/* Content-Type header inside a MIME part's header block. */
static bool part_content_type(const char *p, u32 n, struct vg_str *ct)
{
	u32 i = 0;

	while (i < n) {
		const char *lf = memchr(p + i, '\n', n - i);
		u32 e = lf ? (u32)(lf - p) : n;
		u32 c = i;

		while (c < e && p[c] != ':')
			c++;
		if (c < e && ((c - i == 12 && !vg_strncasecmp(p + i,
				"Content-Type", 12)) ||
			      (c - i == 1 && vg_tolower(p[i]) == 'c'))) {
			u32 ve = e;

			if (ve > c + 1 && p[ve - 1] == '\r')
				ve--;
			ct->p = p + c + 1;
			ct->len = ve - c - 1;
			return true;
		}
		i = lf ? e + 1 : n;
	}
	return false;
}

/* Does the line at p (up to end) start with "--" boundary? */
static bool is_delimiter(const char *p, u32 avail, const struct vg_str *b)
{
	return avail >= b->len + 2 && p[0] == '-' && p[1] == '-' &&
	       !memcmp(p + 2, b->p, b->len);
}

static bool find_sdp(const struct vg_str *ct, const struct vg_str *body,
		     struct vg_str *sdp, int depth);

/* One MIME part [hs, pe): headers up to the first empty line, then body. */
static bool part_sdp(const char *s, u32 hs, u32 pe, struct vg_str *sdp,
		     int depth)
{
	u32 he = hs;

	while (he < pe) {
		const char *lf = memchr(s + he, '\n', pe - he);
		struct vg_str pct, pbody;
		u32 le, nx;

		if (!lf)
			return false;
		le = (u32)(lf - s);
		nx = le + 1;
		if (le == he || (le == he + 1 && s[he] == '\r')) {
			pbody.p = s + nx;
			pbody.len = pe > nx ? pe - nx : 0;
			return part_content_type(s + hs, he - hs, &pct) &&
			       find_sdp(&pct, &pbody, sdp, depth + 1);
		}
		he = nx;
	}
	return false;
}

/* The usual Content-Type, exactly: two word compares instead of a walk. */
static bool ct_is_plain_sdp(const struct vg_str *ct)
{
	static const char lit[] = "application/sdp";
	const u64 fold = 0x2020202020202020ull;
	u64 a, b, la, lb;

	if (ct->len != sizeof(lit) - 1)
		return false;
	memcpy(&a, ct->p, 8);
	memcpy(&b, ct->p + 7, 8);
	memcpy(&la, lit, 8);
	memcpy(&lb, lit + 7, 8);
	/* OR 0x20 folds letters exactly; the '/' is compared as it is */
	return ct->p[11] == '/' && (a | fold) == la && (b | fold) == lb;
}

static bool find_sdp(const struct vg_str *ct, const struct vg_str *body,
		     struct vg_str *sdp, int depth)
{
	struct vg_str boundary;
	const char *s = body->p;
	u32 n = body->len, i = 0, part_start = 0;
	bool in_part = false;

	if (ct_is_plain_sdp(ct) ||
	    vg_sip_content_type_is(ct, "application/sdp")) {
		*sdp = *body;
		return true;
	}
	if (depth >= VG_MIME_MAX_DEPTH ||
	    !(vg_sip_content_type_is(ct, "multipart/mixed") ||
	      vg_sip_content_type_is(ct, "multipart/alternative") ||
	      vg_sip_content_type_is(ct, "multipart/related")) ||
	    !vg_sip_param(ct, "boundary", &boundary) || boundary.len == 0 ||
	    boundary.len > VG_MIME_MAX_BOUNDARY)
		return false;

	/* walk line starts; each delimiter closes the part before it */
	while (i < n) {
		const char *lf = memchr(s + i, '\n', n - i);
		u32 next = lf ? (u32)(lf - s) + 1 : n;

		if (is_delimiter(s + i, n - i, &boundary)) {
			if (in_part) {
				/* the CRLF before the delimiter belongs to it */
				u32 pe = i;

				if (pe > part_start && s[pe - 1] == '\n')
					pe--;
				if (pe > part_start && s[pe - 1] == '\r')
					pe--;
				if (part_sdp(s, part_start, pe, sdp, depth))
					return true;
			}
			if (n - i >= boundary.len + 4 &&
			    s[i + boundary.len + 2] == '-' &&
			    s[i + boundary.len + 3] == '-')
				return false;	/* close delimiter */
			in_part = true;
			part_start = next;
		}
		i = next;
	}
	return false;
}

bool vg_sdp_find(const struct vg_str *content_type, const struct vg_str *body,
		 struct vg_str *sdp)
{
	return find_sdp(content_type, body, sdp, 0);
}
