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

/* An RTP line with a port, payload types and an IP address of some kind. */
static bool media_rtp_addressed(const struct vg_sdp_media *m)
{
	return (m->conn.family == VG_AF_INET || m->conn.family == VG_AF_INET6) &&
	       m->port != 0 && vg_sdp_proto_is_rtp(m->proto) && m->n_pts > 0;
}

bool vg_sdp_media_usable(const struct vg_sdp_media *m)
{
	return media_rtp_addressed(m) && !vg_addr_unspecified(&m->conn);
}

bool vg_sdp_media_held(const struct vg_sdp_media *m)
{
	return media_rtp_addressed(m) && vg_addr_unspecified(&m->conn);
}

/*
 * Each line's value is walked with two pointers, the octet to look at and
 * the end, which keeps the loops in registers.
 */
static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline const char *skip_blanks(const char *q, const char *end)
{
	while (q < end && is_blank(*q))
		q++;
	return q;
}

/*
 * End of the field at q: the first blank, or end. Octets up to ' ' that
 * are no blanks belong to the field like any other.
 */
static inline const char *field_end(const char *q, const char *end)
{
	while (end - q >= 4 && (u8)q[0] > ' ' && (u8)q[1] > ' ' &&
	       (u8)q[2] > ' ' && (u8)q[3] > ' ')
		q += 4;
	while (q < end && ((u8)*q > ' ' || !is_blank(*q)))
		q++;
	return q;
}

/*
 * One to ten digits at q, worth at most max, followed by the end, a blank
 * or stop: the value in *val and the octet after the digits returned;
 * NULL when any of that fails (an eleventh digit fails like any octet).
 */
static inline const char *read_uint(const char *q, const char *end, char stop,
				    u32 max, u32 *val)
{
	const char *s = q;
	u32 d = q < end ? (u32)(u8)*q - '0' : 10;
	u64 v = 0;

	while (d <= 9) {
		v = v * 10 + d;
		if (++q == end || q - s == 10)
			break;
		d = (u32)(u8)*q - '0';
	}
	if (q == s || v > max || (q < end && *q != stop && !is_blank(*q)))
		return NULL;
	*val = (u32)v;
	return q;
}

/*
 * [q, end) without the blanks before the line end that some devices
 * write ("a=sendonly "): trimmed only where a value must match whole.
 */
static inline const char *trim_end(const char *q, const char *end)
{
	while (end > q && is_blank(end[-1]))
		end--;
	return end;
}

/* A decimal number that is the whole of [q, end), at most max. */
static inline bool whole_uint(const char *q, const char *end, u32 max,
			      u32 *val)
{
	const char *e = read_uint(q, end, 0, max, val);

	return e == end;
}

/* "IN IP4 addr[/ttl[/n]]": false when malformed; FQDNs give VG_AF_NONE. */
static bool parse_conn(const char *q, const char *end, struct vg_addr *out)
{
	const char *type, *addr, *ae, *slash;

	memset(out, 0, sizeof(*out));
	if (end - q > 7 && !memcmp(q, "IN IP", 5) &&
	    (q[5] == '4' || q[5] == '6') && q[6] == ' ') {
		/* the usual spelling: only the address field is left to find */
		type = q + 3;
		addr = skip_blanks(q + 7, end);
	} else {
		const char *net = skip_blanks(q, end), *ne = field_end(net, end);
		const char *te;

		type = skip_blanks(ne, end);
		te = field_end(type, end);
		addr = skip_blanks(te, end);
		if (ne == net || te == type || addr == end)
			return false;
		/* another network or address type is no address to open */
		if (ne - net != 2 || memcmp(net, "IN", 2) ||
		    te - type != 3 || memcmp(type, "IP", 2))
			return true;
	}
	ae = field_end(addr, end);
	if (ae == addr)
		return false;
	slash = memchr(addr, '/', ae - addr);
	if (slash)
		ae = slash;
	if (type[2] == '4') {
		if (vg_parse_ipv4(addr, (u32)(ae - addr), out->addr))
			out->family = VG_AF_INET;
	} else if (type[2] == '6') {
		if (vg_parse_ipv6(addr, (u32)(ae - addr), out->addr))
			out->family = VG_AF_INET6;
	}
	return true;
}

static enum vg_sdp_proto classify_proto(const char *p, u32 len)
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
	struct vg_str s = { p, len };
	size_t k;

	/* every name starts with "RTP/" or "UDP/": others fail at once */
	if (len < 7 || len > 17 || p[3] != '/')
		return VG_SDP_PROTO_OTHER;
	if (len == 7 && !memcmp(p, "RTP/AVP", 7))
		return VG_SDP_PROTO_RTP_AVP;	/* as almost always written */
	for (k = 0; k < VG_ARRAY_SIZE(protos); k++)
		if (vg_str_ieq(&s, protos[k].name))
			return protos[k].proto;
	return VG_SDP_PROTO_OTHER;
}

static enum vg_sdp_media_kind classify_kind(const char *p, u32 len)
{
	struct vg_str s = { p, len };

	if (vg_str_eq(&s, "audio"))
		return VG_SDP_MEDIA_AUDIO;
	if (vg_str_eq(&s, "video"))
		return VG_SDP_MEDIA_VIDEO;
	if (vg_str_eq(&s, "text"))
		return VG_SDP_MEDIA_TEXT;
	if (vg_str_eq(&s, "application"))
		return VG_SDP_MEDIA_APPLICATION;
	if (vg_str_eq(&s, "message"))
		return VG_SDP_MEDIA_MESSAGE;
	if (vg_str_eq(&s, "image"))
		return VG_SDP_MEDIA_IMAGE;
	return VG_SDP_MEDIA_OTHER;
}

/*
 * The formats of an RTP m= line: each a payload type 0..127 (anything
 * else flags the line), kept once each, the first one noted.
 */
static void parse_fmts(const char *q, const char *end, struct vg_sdp_media *m)
{
	for (;;) {
		const char *s;
		u32 v = 0, d;

		q = skip_blanks(q, end);
		if (q == end)
			return;
		s = q;
		for (; q < end; q++) {
			d = (u32)(u8)*q - '0';
			if (d > 9) {
				if (is_blank(*q))
					break;
				v = 128;
			} else if (v < 128) {
				v = v * 10 + d;
			}
		}
		if (v > 127 || q - s > 10) {
			m->flags |= VG_SDP_M_BAD_FMT;
			continue;
		}
		if (vg_pt_set_add_new(&m->pts, (u8)v) && m->n_pts < 255) {
			if (m->n_pts == 0)
				m->first_pt = (u8)v;
			m->n_pts++;
		}
	}
}

/* m=<media> <port>[/<number of ports>] <proto> <fmt> ... */
static bool parse_m(const char *q, const char *end, struct vg_sdp_media *m)
{
	const char *kind, *ke, *proto;
	u32 v;

	/* rtpmap[] beyond n_rtpmap is never read */
	memset(m, 0, offsetof(struct vg_sdp_media, rtpmap));
	kind = skip_blanks(q, end);
	ke = field_end(kind, end);
	if (ke == kind)
		return false;
	/* the port, and the port count after a '/', read as they come */
	q = read_uint(skip_blanks(ke, end), end, '/', 65535, &v);
	if (!q)
		return false;
	m->port = (u16)v;
	m->port_count = 1;
	if (q < end && *q == '/') {
		q = read_uint(q + 1, end, ' ', 65535, &v);
		if (!q || v == 0)
			return false;
		m->port_count = (u16)v;
	}
	proto = skip_blanks(q, end);
	q = field_end(proto, end);
	if (q == proto)
		return false;
	m->kind = classify_kind(kind, (u32)(ke - kind));
	m->proto = classify_proto(proto, (u32)(q - proto));
	m->proto_str.p = proto;
	m->proto_str.len = (u32)(q - proto);
	/* a non-RTP line's formats are nothing a filter opens */
	if (vg_sdp_proto_is_rtp(m->proto))
		parse_fmts(q, end, m);
	return true;
}

struct vg_sdp_session {
	bool fingerprint;
	struct vg_pt_set mapped;	/* payload types in m's rtpmap[] */
};

/* A parsed a=rtpmap entered in m's table. */
static void rtpmap_add(struct vg_sdp_session *ss, struct vg_sdp_media *m,
		       u32 pt, u32 clock, u32 ch, u32 off, u32 ns)
{
	/*
	 * pt is at most 127, both callers check it: tested and set in place,
	 * 16 instructions per INVITE fewer than vg_pt_set_has() and _add()
	 */
	u32 *word = &ss->mapped.bits[pt >> 5], bit = 1u << (pt & 31);
	struct vg_sdp_rtpmap *e;

	if (*word & bit)
		return;			/* the first mapping stands */
	if (m->n_rtpmap >= VG_SDP_MAX_RTPMAP) {
		m->flags |= VG_SDP_M_PT_OVERFLOW;
		return;
	}
	*word |= bit;
	e = &m->rtpmap[m->n_rtpmap++];
	e->pt = (u8)pt;
	e->clock = clock;
	e->channels = (u8)(ch ? ch : 1);
	e->codec_off = (u16)off;
	e->codec_len = (u8)ns;
}

/*
 * a=rtpmap:<pt> <name>/<clock>[/<channels>], in one pass. Blank-separated
 * fields; anything after the encoding field is ignored.
 */
static bool parse_rtpmap(struct vg_sdp_session *ss, const char *base,
			 const char *q, const char *end, struct vg_sdp_media *m)
{
	const char *name;
	u32 pt, clock, ch = 1, ns;

	q = read_uint(skip_blanks(q, end), end, ' ', 127, &pt);
	if (!q)
		return false;
	name = q = skip_blanks(q, end);
	/* octets above '/' are neither '/' nor blanks: one compare each */
	for (;;) {
		while (q < end && (u8)*q > '/')
			q++;
		if (q == end || *q == '/' || is_blank(*q))
			break;
		q++;
	}
	if (q == end || *q != '/' || q == name)
		return false;
	ns = (u32)(q - name);
	q = read_uint(q + 1, end, '/', 0xffffffffu, &clock);
	if (!q || clock == 0)
		return false;
	if (q < end && *q == '/' && !read_uint(q + 1, end, ' ', 255, &ch))
		return false;
	if (ns > 255 || name - base > 0xffff)
		return false;
	rtpmap_add(ss, m, pt, clock, ch, (u32)(name - base), ns);
	return true;
}

/* a=rtcp:<port> [IN IP4|IP6 <addr>] (RFC 3605) */
static bool parse_rtcp(const char *q, const char *end, struct vg_sdp_media *m)
{
	const char *port = skip_blanks(q, end), *pe = field_end(port, end);
	u32 v;

	if (pe == port || !whole_uint(port, pe, 65535, &v) || v == 0)
		return false;
	if (pe < end && !parse_conn(pe, end, &m->rtcp_addr))
		return false;
	m->rtcp_port = (u16)v;
	m->flags |= VG_SDP_M_RTCP_ATTR;
	return true;
}


/* [q, end) is lit, or starts with it. */
#define ATTR_IS(q, end, lit) \
	((end) - (q) == sizeof(lit) - 1 && !memcmp(q, lit, sizeof(lit) - 1))
#define ATTR_HAS_PREFIX(q, end, lit) \
	((end) - (q) >= (long)sizeof(lit) - 1 && !memcmp(q, lit, sizeof(lit) - 1))

/*
 * One a= line at session level (m NULL) or media level: false when an
 * attribute the filter reads is malformed. The names a filter needs differ
 * in their first octet or their length, so one switch finds the only
 * candidate.
 */
static bool parse_attr(struct vg_sdp *sdp, struct vg_sdp_session *ss,
		       struct vg_sdp_media *m, const char *q, const char *end)
{
	enum vg_sdp_dir dir = VG_SDP_DIR_UNSET;
	u32 v = 0;	/* set when whole_uint() succeeds; gcc cannot tell */

	if (q == end)
		return true;
	switch (q[0]) {
	case 's':
		end = trim_end(q, end);
		if (ATTR_IS(q, end, "sendrecv"))
			dir = VG_SDP_DIR_SENDRECV;
		else if (ATTR_IS(q, end, "sendonly"))
			dir = VG_SDP_DIR_SENDONLY;
		break;
	case 'r':
		if (m && ATTR_HAS_PREFIX(q, end, "rtpmap:"))
			return parse_rtpmap(ss, sdp->base, q + 7, end, m);
		end = trim_end(q, end);
		if (ATTR_IS(q, end, "recvonly")) {
			dir = VG_SDP_DIR_RECVONLY;
			break;
		}
		if (!m)
			return true;
		if (ATTR_HAS_PREFIX(q, end, "rtcp:"))
			return parse_rtcp(q + 5, end, m);
		if (ATTR_IS(q, end, "rtcp-mux"))
			m->flags |= VG_SDP_M_RTCP_MUX;
		return true;
	case 'i':
		end = trim_end(q, end);
		if (ATTR_IS(q, end, "inactive"))
			dir = VG_SDP_DIR_INACTIVE;
		break;
	case 'p':
		if (!ATTR_HAS_PREFIX(q, end, "ptime:"))
			return true;
		if (!whole_uint(q + 6, trim_end(q, end), 65535, &v))
			return false;
		if (m)
			m->ptime = (u16)v;
		else
			sdp->ptime = (u16)v;
		return true;
	case 'f':
		if (!ATTR_HAS_PREFIX(q, end, "fingerprint:"))
			return true;
		if (m)
			m->flags |= VG_SDP_M_FINGERPRINT;
		else
			ss->fingerprint = true;
		return true;
	case 'c':
		if (m && ATTR_HAS_PREFIX(q, end, "crypto:"))
			m->flags |= VG_SDP_M_CRYPTO;
		return true;
	default:
		return true;
	}
	if (dir == VG_SDP_DIR_UNSET)
		return true;
	if (m)
		m->dir = dir;
	else
		sdp->dir = dir;
	return true;
}

/* b=AS:<kbit/s>: false when malformed */
static bool parse_bw(struct vg_sdp *sdp, struct vg_sdp_media *m,
		     const char *q, const char *end)
{
	u32 v;

	if (!ATTR_HAS_PREFIX(q, end, "AS:"))
		return true;
	if (!whole_uint(q + 3, trim_end(q, end), 0xffffffffu, &v))
		return false;
	if (m)
		m->bw_as = v;
	else
		sdp->bw_as = v;
	return true;
}

/*
 * The line at q: its value's end (before CRLF or LF) in *le, the LF (or
 * end) returned.
 */
static inline const char *line_at(const char *q, const char *end,
				  const char **le)
{
	const char *lf = vg_scan_lf_ptr(q, end);

	*le = lf > q && lf[-1] == '\r' ? lf - 1 : lf;
	return lf;
}

/* The LF (or end) of the line q is in, for lines whose value is not read. */
static inline const char *line_lf(const char *q, const char *end)
{
	return vg_scan_lf_ptr(q, end);
}

/*
 * The fast paths below read a value without knowing where its line ends:
 * they take the usual spelling only and leave anything else to the
 * parsers above (NULL), before changing anything those do not redo.
 *
 * Whether q is where its line's value ends, as line_at() finds it, given
 * no LF and no CR from the line start up to q: *lf is then the LF or end.
 */
static inline bool at_le(const char *q, const char *end, const char **lf)
{
	if (end - q >= 2 && vg_load16(q) == vg_load16("\r\n")) {
		*lf = q + 1;
		return true;
	}
	if (q == end || *q == '\n') {
		*lf = q;
		return true;
	}
	if (*q == '\r' && q + 1 == end) {
		*lf = end;
		return true;
	}
	return false;
}

/*
 * One to n digits at q (n at most 9, so no overflow) and no more: the
 * value in *val and the octet after them returned, else NULL.
 */
static inline const char *digits(const char *q, const char *end, u32 n,
				 u32 *val)
{
	const char *s = q;
	u32 v, d;

	if (q == end)
		return NULL;
	v = (u32)(u8)*q - '0';
	if (v > 9)
		return NULL;
	if (n == 3 && end - q >= 4) {
		/* room for three digits and the octet after: no end checks */
		d = (u32)(u8)q[1] - '0';
		if (d > 9)
			goto done1;
		v = v * 10 + d;
		d = (u32)(u8)q[2] - '0';
		if (d > 9)
			goto done2;
		v = v * 10 + d;
		if ((u32)(u8)q[3] - '0' <= 9)
			return NULL;
		*val = v;
		return q + 3;
done2:
		*val = v;
		return q + 2;
done1:
		*val = v;
		return q + 1;
	}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n > 3 && n < 8 && end - q >= 8) {
		u64 y = vg_load64(q) ^ 0x3030303030303030ull, t;
		u32 i;

		/* flag the octets that are no digit: y above 9 */
		t = (((y & 0x7f7f7f7f7f7f7f7full) + 0x7676767676767676ull) | y) &
		    0x8080808080808080ull;
		if (!t)
			return NULL;
		i = (u32)__builtin_ctzll(t) >> 3;
		if (i > n)
			return NULL;
		/* the digits to the top, then pairs, quads, the eight */
		y <<= (8 - i) * 8;
		y = ((y & 0x0f0f0f0f0f0f0f0full) * 2561) >> 8;
		y = ((y & 0x00ff00ff00ff00ffull) * 6553601) >> 16;
		*val = (u32)(((y & 0x0000ffff0000ffffull) * 42949672960001ull) >>
			     32);
		return q + i;
	}
#endif
	while (++q < end && (d = (u32)(u8)*q - '0') <= 9) {
		if (q - s == n)
			return NULL;
		v = v * 10 + d;
	}
	*val = v;
	return q;
}

/* The first octet at or after q that is not above '/', or end. */
static inline const char *above_slash(const char *q, const char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (; end - q >= 8; q += 8) {
		u64 x = vg_load64(q), t;

		/* the first octet below 0x30 is the lowest flag */
		t = (x - 0x3030303030303030ull) & ~x & 0x8080808080808080ull;
		if (t)
			return q + ((u32)__builtin_ctzll(t) >> 3);
	}
#endif
	while (q < end && (u8)*q > '/')
		q++;
	return q;
}

/* a=rtpmap:<pt> <name>/<clock>[/<channels>] with single blanks, q at pt */
static const char *rtpmap_fast(struct vg_sdp_session *ss, const char *base,
			       const char *q, const char *end,
			       struct vg_sdp_media *m)
{
	const char *name, *lf;
	u32 pt, clock, ch = 1, ns;

	q = digits(q, end, 3, &pt);
	if (!q || pt > 127 || q == end || *q != ' ')
		return NULL;
	name = ++q;
	/* octets above '/' are neither '/' nor blanks nor line ends */
	for (;;) {
		q = above_slash(q, end);
		if (q == end || (u8)*q <= ' ')
			return NULL;
		if (*q == '/')
			break;
		q++;
	}
	if (q == name || q - name > 255)
		return NULL;
	ns = (u32)(q - name);
	q = digits(q + 1, end, 7, &clock);
	if (!q || clock == 0)
		return NULL;
	if (q < end && *q == '/') {
		q = digits(q + 1, end, 3, &ch);
		if (!q || ch > 255)
			return NULL;
	}
	if (!at_le(q, end, &lf))
		return NULL;
	rtpmap_add(ss, m, pt, clock, ch, (u32)(name - base), ns);
	return lf;
}

/*
 * An a= line at q: the attributes parse_attr() reads as usually written,
 * and the ones it ignores, which need only their line end.
 */
static const char *attr_fast(struct vg_sdp *sdp, struct vg_sdp_session *ss,
			     struct vg_sdp_media *m, const char *q,
			     const char *end)
{
	enum vg_sdp_dir dir;
	const char *lf, *e;
	u32 v;

	if (q == end)
		return end;
	switch (q[0]) {
	case 'r':
		if (m && end - q >= 7 && VG_STARTS_WITH(q, "rtpmap:"))
			return rtpmap_fast(ss, sdp->base, q + 7, end, m);
		if (end - q >= 8 && VG_STARTS_WITH(q, "recvonly")) {
			dir = VG_SDP_DIR_RECVONLY;
			break;
		}
		if (!m)
			return line_lf(q, end);
		if (end - q >= 5 && VG_STARTS_WITH(q, "rtcp:"))
			return NULL;
		if (end - q >= 8 && VG_STARTS_WITH(q, "rtcp-mux")) {
			if (!at_le(q + 8, end, &lf))
				return NULL;
			m->flags |= VG_SDP_M_RTCP_MUX;
			return lf;
		}
		return line_lf(q, end);
	case 's':
		if (end - q < 8)
			return line_lf(q, end);
		if (VG_STARTS_WITH(q, "sendrecv"))
			dir = VG_SDP_DIR_SENDRECV;
		else if (VG_STARTS_WITH(q, "sendonly"))
			dir = VG_SDP_DIR_SENDONLY;
		else
			return line_lf(q, end);
		break;
	case 'i':
		if (end - q < 8 || !VG_STARTS_WITH(q, "inactive"))
			return line_lf(q, end);
		dir = VG_SDP_DIR_INACTIVE;
		break;
	case 'p':
		if (end - q < 6 || !VG_STARTS_WITH(q, "ptime:"))
			return line_lf(q, end);
		e = digits(q + 6, end, 5, &v);
		if (!e || v > 65535 || !at_le(e, end, &lf))
			return NULL;
		if (m)
			m->ptime = (u16)v;
		else
			sdp->ptime = (u16)v;
		return lf;
	case 'f':
		if (end - q >= 12 && VG_STARTS_WITH(q, "fingerprint:")) {
			if (m)
				m->flags |= VG_SDP_M_FINGERPRINT;
			else
				ss->fingerprint = true;
		}
		return line_lf(q, end);
	case 'c':
		if (m && end - q >= 7 && VG_STARTS_WITH(q, "crypto:"))
			m->flags |= VG_SDP_M_CRYPTO;
		return line_lf(q, end);
	default:
		return line_lf(q, end);
	}
	/* a direction attribute, exactly */
	if (!at_le(q + 8, end, &lf))
		return NULL;
	if (m)
		m->dir = dir;
	else
		sdp->dir = dir;
	return lf;
}

/* c=IN IP4 <dotted quad> */
static const char *conn_fast(const char *q, const char *end,
			     struct vg_addr *out)
{
	const char *lf;
	u32 part, v;
	u8 a[4];

	if (end - q < 8 || !VG_STARTS_WITH(q, "IN IP4 "))
		return NULL;
	q += 7;
	for (part = 0; part < 4; part++) {
		if (part) {
			if (q == end || *q != '.')
				return NULL;
			q++;
		}
		q = digits(q, end, 3, &v);
		if (!q || v > 255)
			return NULL;
		a[part] = (u8)v;
	}
	if (!at_le(q, end, &lf))
		return NULL;
	memset(out, 0, sizeof(*out));
	out->family = VG_AF_INET;
	memcpy(out->addr, a, sizeof(a));
	return lf;
}

/* m=<media> <port> <proto> <fmt> ... with single blanks, no port count */
static const char *m_fast(const char *q, const char *end,
			  struct vg_sdp_media *m)
{
	const char *kind = q, *ke, *proto, *lf;
	enum vg_sdp_media_kind k = VG_SDP_MEDIA_OTHER;
	enum vg_sdp_proto pr = VG_SDP_PROTO_OTHER;
	u32 port, pt;

	/* "audio " and "RTP/AVP " as nearly always written: one compare */
	if (end - q >= 6 && VG_STARTS_WITH(q, "audio ")) {
		k = VG_SDP_MEDIA_AUDIO;
		q += 5;
	} else {
		while (q < end && (u8)*q > ' ')
			q++;
		if (q == kind || q == end || *q != ' ')
			return NULL;
	}
	ke = q;
	q = digits(q + 1, end, 5, &port);
	if (!q || port > 65535 || q == end || *q != ' ')
		return NULL;
	proto = ++q;
	if (end - q >= 8 && VG_STARTS_WITH(q, "RTP/AVP ")) {
		pr = VG_SDP_PROTO_RTP_AVP;
		q += 7;
	} else {
		while (q < end && (u8)*q > ' ')
			q++;
		if (q == proto)
			return NULL;
	}
	memset(m, 0, offsetof(struct vg_sdp_media, rtpmap));
	m->port = (u16)port;
	m->port_count = 1;
	m->kind = k == VG_SDP_MEDIA_OTHER ?
		  classify_kind(kind, (u32)(ke - kind)) : k;
	m->proto = pr == VG_SDP_PROTO_OTHER ?
		   classify_proto(proto, (u32)(q - proto)) : pr;
	m->proto_str.p = proto;
	m->proto_str.len = (u32)(q - proto);
	if (!vg_sdp_proto_is_rtp(m->proto)) {
		if (at_le(q, end, &lf))
			return lf;
		/* the transport ends at a blank only */
		if (!is_blank(*q))
			return NULL;
		return line_lf(q, end);
	}
	/* at most 128 distinct formats: n_pts cannot reach its cap here */
	while (q < end && *q == ' ') {
		q = digits(q + 1, end, 3, &pt);
		if (!q || pt > 127)
			return NULL;
		if (vg_pt_set_add_new(&m->pts, (u8)pt)) {
			if (m->n_pts == 0)
				m->first_pt = (u8)pt;
			m->n_pts++;
		}
	}
	return at_le(q, end, &lf) ? lf : NULL;
}

/* A line's first two octets as one number: "a=" and so on. */
#define SDP_KEY(type)	((u8)(type) | (u8)'=' << 8)

enum vg_reason vg_sdp_parse(const char *body, u32 len, struct vg_sdp *sdp)
{
	struct vg_sdp_session ss = { .fingerprint = false };
	struct vg_sdp_media *m = NULL, scratch;
	struct vg_addr *conn;
	const char *q = body, *end = body + len, *lf, *le;
	bool in_media = false;
	u32 k, key;

	/* media[] entries are cleared as m= lines fill them */
	memset(sdp, 0, offsetof(struct vg_sdp, media));
	sdp->base = body;
	if (len > VG_SDP_MAX_BODY)
		return VG_R_SIP_BAD_SDP;
	/* empty lines, then exactly "v=0" */
	for (;;) {
		if (q >= end)
			return VG_R_SIP_BAD_SDP;
		lf = line_at(q, end, &le);
		if (le != q)
			break;
		q = lf + 1;
	}
	if (trim_end(q, le) - q != 3 || q[0] != 'v' || q[1] != '=' ||
	    q[2] != '0')
		return VG_R_SIP_BAD_SDP;
	/*
	 * q is the next line's start, two octets or more before the end; a
	 * line at the end is empty, one of a single octet is seen after.
	 */
	while (end - lf >= 3) {
		const char *v;

		/*
		 * "x=" makes a line of two octets or more: the line end is
		 * found only where a value is read.
		 */
		q = lf + 1;
		key = (u8)q[0] | (u8)q[1] << 8;
		v = q + 2;
		switch (key) {
		case SDP_KEY('a'):
			/* m is NULL before the first m= line and past the kept ones */
			if (in_media && !m) {
				lf = line_lf(v, end);
				break;
			}
			lf = attr_fast(sdp, &ss, m, v, end);
			if (lf)
				break;
			lf = line_at(v, end, &le);
			if (!parse_attr(sdp, &ss, m, v, le))
				sdp->bad_lines++;
			break;
		case SDP_KEY('m'):
			in_media = true;
			if (sdp->media_total < 0xffff)
				sdp->media_total++;
			memset(&ss.mapped, 0, sizeof(ss.mapped));
			/* past the kept ones: counted, checked, not kept */
			m = sdp->n_media < VG_SDP_MAX_MEDIA ?
			    &sdp->media[sdp->n_media] : &scratch;
			lf = m_fast(v, end, m);
			if (!lf) {
				lf = line_at(v, end, &le);
				if (!parse_m(v, le, m))
					return VG_R_SIP_BAD_SDP;
			}
			if (m == &scratch)
				m = NULL;
			else
				sdp->n_media++;
			break;
		case SDP_KEY('c'):
			if (in_media && !m) {
				lf = line_lf(v, end);
				break;
			}
			conn = in_media ? &m->conn : &sdp->conn;
			lf = conn_fast(v, end, conn);
			if (!lf) {
				lf = line_at(v, end, &le);
				if (!parse_conn(v, le, conn))
					return VG_R_SIP_BAD_SDP;
			}
			if (in_media)
				m->flags |= VG_SDP_M_HAS_CONN;
			break;
		case SDP_KEY('b'):
			lf = line_at(v, end, &le);
			if ((!in_media || m) && !parse_bw(sdp, m, v, le))
				sdp->bad_lines++;
			break;
		default:
			/* "x=" makes a line of two octets or more */
			if ((key >> 8) != '=' ||
			    (u8)(q[0] - 'a') > 'z' - 'a') {
				lf = line_at(q, end, &le);
				if (le != q)
					return VG_R_SIP_BAD_SDP;
				break;		/* empty line */
			}
			/* a line nothing reads: only its end is found */
			lf = line_lf(v, end);
			break;
		}
	}
	/* a last line of one octet: empty when it is a CR or an LF */
	if (end - lf == 2 && end[-1] != '\r' && end[-1] != '\n')
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
	/* the usual body needs none of find_sdp()'s set-up */
	if (ct_is_plain_sdp(content_type)) {
		*sdp = *body;
		return true;
	}
	return find_sdp(content_type, body, sdp, 0);
}
