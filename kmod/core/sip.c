// SPDX-License-Identifier: GPL-2.0
/*
 * SIP message parser and validator. Grammar references are to RFC 3261
 * section 25; what passes and what drops follows RFC 4475.
 *
 * A header field is handled as a view [p, p + n) that may contain folds
 * (CRLF or LF followed by SP/HT); every scanner treats a fold as linear
 * white space, so nothing needs to be unfolded or copied.
 */
#include "sip.h"
#include "scan.h"

#define VG_U31_MAX	0x7fffffffu
#define VG_U32_MAX	0xffffffffu

/* Character classes of RFC 3261 section 25, one lookup per octet. */
#define CC_ALNUM	0x0001u
#define CC_TOKEN	0x0002u	/* token */
#define CC_URI		0x0004u	/* unescaped in some URI part */
#define CC_WORD		0x0008u	/* Call-ID word */
#define CC_HEX		0x0010u
#define CC_HOST		0x0020u	/* hostname (plus '_', seen in the wild) */
#define CC_WSP		0x0040u
#define CC_GENVAL	0x0080u	/* gen-value: token / host */
#define CC_LWS		0x0100u	/* SP, HT, CR, LF: where LWS may start */
#define CC_SCHEME	0x0200u	/* scheme after its first letter */
#define CC_URI_PLAIN	0x0400u	/* URI octet needing no second look */
#define CC_QSTOP	0x0800u	/* ends a quoted-string run: '"' or '\' */
#define CC_ASPEC_END	0x1000u	/* ends a bare addr-spec (',' only in lists) */
#define CC_DIGIT	0x2000u

#define CC_D	(CC_ALNUM | CC_TOKEN | CC_URI | CC_URI_PLAIN | CC_WORD | CC_HEX | \
		 CC_HOST | CC_GENVAL | CC_SCHEME | CC_DIGIT)
#define CC_X	(CC_ALNUM | CC_TOKEN | CC_URI | CC_URI_PLAIN | CC_WORD | CC_HEX | \
		 CC_HOST | CC_GENVAL | CC_SCHEME)
#define CC_A	(CC_ALNUM | CC_TOKEN | CC_URI | CC_URI_PLAIN | CC_WORD | CC_HOST | \
		 CC_GENVAL | CC_SCHEME)
#define CC_UP	(CC_URI | CC_URI_PLAIN)

static const u16 vg_sip_cc[256] = {
	['0' ... '9'] = CC_D,
	['a' ... 'f'] = CC_X,
	['g' ... 'z'] = CC_A,
	['A' ... 'F'] = CC_X,
	['G' ... 'Z'] = CC_A,
	['\t'] = CC_WSP | CC_LWS | CC_ASPEC_END,
	[' '] = CC_WSP | CC_LWS | CC_ASPEC_END,
	['\r'] = CC_LWS | CC_ASPEC_END,
	['\n'] = CC_LWS | CC_ASPEC_END,
	['!'] = CC_TOKEN | CC_UP | CC_WORD | CC_GENVAL,
	['"'] = CC_WORD | CC_QSTOP,
	['#'] = CC_UP,
	['$'] = CC_UP,
	['%'] = CC_TOKEN | CC_URI | CC_WORD | CC_GENVAL,
	['&'] = CC_UP,
	['\''] = CC_TOKEN | CC_UP | CC_WORD | CC_GENVAL,
	['('] = CC_UP | CC_WORD,
	[')'] = CC_UP | CC_WORD,
	['*'] = CC_TOKEN | CC_UP | CC_WORD | CC_GENVAL,
	['+'] = CC_TOKEN | CC_UP | CC_WORD | CC_GENVAL | CC_SCHEME,
	[','] = CC_UP | CC_ASPEC_END,
	['-'] = CC_TOKEN | CC_UP | CC_WORD | CC_HOST | CC_GENVAL | CC_SCHEME,
	['.'] = CC_TOKEN | CC_UP | CC_WORD | CC_HOST | CC_GENVAL | CC_SCHEME,
	['/'] = CC_UP | CC_WORD,
	[':'] = CC_UP | CC_WORD | CC_GENVAL,
	[';'] = CC_UP | CC_ASPEC_END,
	['<'] = CC_WORD,
	['='] = CC_UP,
	['>'] = CC_WORD,
	['?'] = CC_URI | CC_WORD,
	['@'] = CC_URI,
	['['] = CC_UP | CC_WORD | CC_GENVAL,
	['\\'] = CC_WORD | CC_QSTOP,
	[']'] = CC_UP | CC_WORD | CC_GENVAL,
	['_'] = CC_TOKEN | CC_UP | CC_WORD | CC_HOST | CC_GENVAL,
	['`'] = CC_TOKEN | CC_WORD | CC_GENVAL,
	['{'] = CC_WORD,
	['}'] = CC_WORD,
	['~'] = CC_TOKEN | CC_UP | CC_WORD | CC_GENVAL,
};

static inline bool cc_is(char c, u16 cls)
{
	return vg_sip_cc[(u8)c] & cls;
}

/*
 * Index of the first octet in s[i..n) outside cls (in_cls) or inside it
 * (!in_cls); n when there is none. Four octets per round: the per-octet
 * bound check is the cost that matters on short header values.
 */
static inline u32 scan_bounded(const char *s, u32 i, u32 n, u16 cls,
			       bool in_cls)
{
	const u8 *u = (const u8 *)s, *p = u + i, *e = u + n;

	while (e - p >= 4) {
		if (!(vg_sip_cc[p[0]] & cls) == in_cls)
			return (u32)(p - u);
		if (!(vg_sip_cc[p[1]] & cls) == in_cls)
			return (u32)(p - u) + 1;
		if (!(vg_sip_cc[p[2]] & cls) == in_cls)
			return (u32)(p - u) + 2;
		if (!(vg_sip_cc[p[3]] & cls) == in_cls)
			return (u32)(p - u) + 3;
		p += 4;
	}
	while (p < e && !(vg_sip_cc[*p] & cls) != in_cls)
		p++;
	return (u32)(p - u);
}

/*
 * The same for a view inside a line of the message vg_sip_parse() reads:
 * the line's CR or LF lies in the buffer after the view, and no class
 * walked this way holds CR (in_cls) or misses it (!in_cls), so the walk
 * ends there at the latest and needs no bound check per octet. What it
 * finds beyond n is cut back to n.
 */
static inline u32 scan(const char *s, u32 i, u32 n, u16 cls, bool in_cls)
{
	const u8 *u = (const u8 *)s, *p = u + i;
	u32 k;

	if (i >= n)
		return i;
	for (;; p += 4) {
		if (!(vg_sip_cc[p[0]] & cls) == in_cls)
			break;
		if (!(vg_sip_cc[p[1]] & cls) == in_cls) {
			p += 1;
			break;
		}
		if (!(vg_sip_cc[p[2]] & cls) == in_cls) {
			p += 2;
			break;
		}
		if (!(vg_sip_cc[p[3]] & cls) == in_cls) {
			p += 3;
			break;
		}
	}
	k = (u32)(p - u);
	return k < n ? k : n;
}

static inline u32 span(const char *s, u32 i, u32 n, u16 cls)
{
	return scan(s, i, n, cls, true);
}

static inline u32 span_until(const char *s, u32 i, u32 n, u16 cls)
{
	return scan(s, i, n, cls, false);
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
	return cc_is(c, CC_HEX);
}

static bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_token_char(char c)
{
	return cc_is(c, CC_TOKEN);
}

static u32 skip_lws_slow(const char *s, u32 i, u32 n)
{
	while (i < n) {
		if (is_wsp(s[i]) || s[i] == '\n')
			i++;
		else if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			i += 2;
		else
			break;
	}
	return i;
}

/* Skip linear white space, folds included, inside a field view. */
static inline u32 skip_lws(const char *s, u32 i, u32 n)
{
	if (i >= n || !cc_is(s[i], CC_LWS))
		return i;
	/* the usual case: one SP, then no more white space */
	if (s[i] == ' ' && (i + 1 >= n || !cc_is(s[i + 1], CC_LWS)))
		return i + 1;
	return skip_lws_slow(s, i, n);
}

static inline u32 skip_token(const char *s, u32 i, u32 n)
{
	return span(s, i, n, CC_TOKEN);
}

/* skip_token() for any view, where no line end need follow */
static inline u32 skip_token_bounded(const char *s, u32 i, u32 n)
{
	return scan_bounded(s, i, n, CC_TOKEN, true);
}

#define NAME_IS(p, n, lit)	((n) == sizeof(lit) - 1 && \
				 vg_word_eq(p, sizeof(lit) - 1, lit, 0x20))
#define BYTES_ARE(p, n, lit)	((n) == sizeof(lit) - 1 && \
				 vg_word_eq(p, sizeof(lit) - 1, lit, 0))

/*
 * Skip a quoted-string starting at s[i] == '"'. Returns the index after
 * the closing quote, or 0 when the string does not close (never valid as
 * an end index, since the opening quote is at i >= 0).
 */
static inline u32 skip_quoted(const char *s, u32 i, u32 n)
{
	i++;
	while ((i = scan_bounded(s, i, n, CC_QSTOP, false)) < n) {
		if (s[i] == '"')
			return i + 1;
		{
			/* quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F) */
			if (i + 1 >= n || s[i + 1] == '\r' || s[i + 1] == '\n' ||
			    (u8)s[i + 1] > 0x7f)
				return 0;
			i += 2;
		}
	}
	return 0;
}

/*
 * Four digits at p as one number, or -1 when any of the four octets is no
 * digit. x holds each octet less '0'; an octet below '0' leaves the high
 * bit of the lowest such one set, any other non-digit sets it in x or in
 * x + 0x76 (no carry crosses octets once x's high bits are all clear).
 */
static inline int four_digits(const char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	u32 x = vg_load32(p) - 0x30303030u;

	if ((x | (x + 0x76767676u)) & 0x80808080u)
		return -1;
	/* digit pairs: octet 0 the first two, octet 2 the last two */
	x = (x * 10 + (x >> 8)) & 0x00ff00ffu;
	return (int)((x & 0xff) * 100 + (x >> 16));
#else
	return -1;
#endif
}

/* Parse 1*DIGIT at s[*i]; saturates at VG_U32_MAX + 1 so huge values show. */
static inline bool parse_digits(const char *s, u32 *pi, u32 n, u64 *val)
{
	u64 v = 0;
	u32 i = *pi, start = i;
	int head = i < n && n - i >= 4 ? four_digits(s + i) : -1;

	/* the usual port or sequence number: four digits at once */
	if (head >= 0) {
		v = (u32)head;
		i += 4;
	}
	for (; i < n; i++) {
		u32 d = (u32)(u8)s[i] - '0';

		if (d > 9)
			break;
		if (v <= VG_U32_MAX)
			v = v * 10 + d;
	}
	*pi = i;
	*val = v;
	return i > start;
}

/*
 * A field value that must be exactly 1*DIGIT. vg_sip_parse() hands over
 * values with the LWS around them cut off, so the digits must fill the
 * view: LWS after them could only end in more octets.
 */
static inline bool parse_number_value(const struct vg_str *v, u64 *val)
{
	u32 i = 0;

	return parse_digits(v->p, &i, v->len, val) && i == v->len;
}

void vg_sip_limits_default(struct vg_sip_limits *lim)
{
	const struct vg_sip_limits def = VG_SIP_LIMITS_DEFAULT;

	*lim = def;
}

enum vg_sip_method vg_sip_method_id(const char *p, u32 len)
{
	switch (len) {
	case 3:
		if (BYTES_ARE(p, len, "ACK"))
			return VG_SIP_M_ACK;
		if (BYTES_ARE(p, len, "BYE"))
			return VG_SIP_M_BYE;
		break;
	case 4:
		if (BYTES_ARE(p, len, "INFO"))
			return VG_SIP_M_INFO;
		break;
	case 5:
		if (BYTES_ARE(p, len, "PRACK"))
			return VG_SIP_M_PRACK;
		if (BYTES_ARE(p, len, "REFER"))
			return VG_SIP_M_REFER;
		break;
	case 6:
		if (BYTES_ARE(p, len, "INVITE"))
			return VG_SIP_M_INVITE;
		if (BYTES_ARE(p, len, "CANCEL"))
			return VG_SIP_M_CANCEL;
		if (BYTES_ARE(p, len, "UPDATE"))
			return VG_SIP_M_UPDATE;
		if (BYTES_ARE(p, len, "NOTIFY"))
			return VG_SIP_M_NOTIFY;
		break;
	case 7:
		if (BYTES_ARE(p, len, "OPTIONS"))
			return VG_SIP_M_OPTIONS;
		if (BYTES_ARE(p, len, "MESSAGE"))
			return VG_SIP_M_MESSAGE;
		if (BYTES_ARE(p, len, "PUBLISH"))
			return VG_SIP_M_PUBLISH;
		break;
	case 8:
		if (BYTES_ARE(p, len, "REGISTER"))
			return VG_SIP_M_REGISTER;
		break;
	case 9:
		if (BYTES_ARE(p, len, "SUBSCRIBE"))
			return VG_SIP_M_SUBSCRIBE;
		break;
	}
	return VG_SIP_M_OTHER;
}

/* hostname / IPv4address / IPv6reference, as far as a filter cares. */
static inline u32 skip_host(const char *s, u32 i, u32 n)
{
	if (i < n && s[i] == '[') {
		u32 j = i + 1;

		while (j < n && (is_hex(s[j]) || s[j] == ':' || s[j] == '.'))
			j++;
		if (j >= n || s[j] != ']' || j == i + 1)
			return i;
		return j + 1;
	}
	return span(s, i, n, CC_HOST);
}

/* After a host at *pi: an optional ":port", 0..65535. */
static inline bool host_port_end(const char *s, u32 *pi, u32 n)
{
	u64 port;

	if (*pi < n && s[*pi] == ':') {
		(*pi)++;
		if (!parse_digits(s, pi, n, &port) || port > 65535)
			return false;
	}
	return true;
}

/* "none" for the index of a '@' or '?' in a URI */
#define URI_NONE	0xffffffffu

/*
 * URI octets from k on: plain ones in bulk, escapes, '@' and '?' one by
 * one, up to the first octet no URI holds (or n), whose index is returned;
 * 0 for a malformed escape or a second '@' in a sip: URI. *at is the one
 * '@' of a sip: URI (URI_NONE when none), *q the last '?'.
 */
static u32 uri_octets_end(const char *s, u32 k, u32 n, bool sip, u32 *at,
			  u32 *q)
{
	for (; (k = span(s, k, n, CC_URI_PLAIN)) < n; k++) {
		if (s[k] == '%') {
			if (k + 2 >= n || !is_hex(s[k + 1]) || !is_hex(s[k + 2]))
				return 0;
			k += 2;
		} else if (s[k] == '@') {
			/* userinfo ends at the one '@'; nothing else holds one */
			if (sip && *at != URI_NONE)
				return 0;
			*at = k;
		} else if (s[k] == '?') {
			*q = k;		/* the last one */
		} else {
			break;
		}
	}
	return k;
}

/*
 * The URI at s, which ends at the first octet no URI holds or at n: that
 * end is returned, 0 when the URI is malformed. It must have a scheme, URI
 * characters only, well-formed escapes; sip: and sips: also a host, a
 * numeric port, and headers ("?...") only where allowed (never in a
 * Request-URI, RFC 3261 19.1.1). Ending at its first foreign octet lets
 * a name-addr find its '>' in the same walk.
 */
static u32 uri_end(const char *s, u32 n, bool allow_headers)
{
	u32 i, at = URI_NONE, q = URI_NONE, k, hs, he, e;
	bool sip;

	if (n > 4 && VG_STARTS_WITH(s, "sip:")) {
		/* as almost every URI starts */
		i = 3;
		sip = true;
	} else {
		if (n == 0 || !is_alpha(s[0]))
			return 0;
		i = span(s, 1, n, CC_SCHEME);
		if (i >= n || s[i] != ':')
			return 0;
		/* scheme octets are alnum + - . only: OR 0x20 folds letters */
		sip = (i == 3 || (i == 4 && (s[3] | 0x20) == 's')) &&
		      (s[0] | 0x20) == 's' && (s[1] | 0x20) == 'i' &&
		      (s[2] | 0x20) == 'p';
	}
	k = i + 1;
	if (sip) {
		/*
		 * The usual user@host[:port]: a user of host characters only
		 * is read once, with the host and port after it; the rest of
		 * the URI, if any, after them.
		 */
		hs = span(s, k, n, CC_HOST);
		if (hs > k && hs < n && s[hs] == '@') {
			at = hs++;
			he = skip_host(s, hs, n);
			if (he == hs || !host_port_end(s, &he, n))
				return 0;
			if (he == n || !cc_is(s[he], CC_URI))
				return he;
			if (s[he] != ';' && s[he] != '?')
				return 0;
			e = uri_octets_end(s, he, n, sip, &at, &q);
			if (!e)
				return 0;
			return allow_headers || q == URI_NONE || q < he ? e : 0;
		}
	}
	e = uri_octets_end(s, k, n, sip, &at, &q);
	if (!e)
		return 0;
	if (!sip)
		return e > i + 1 ? e : 0;
	/* the URI is [0, e), every octet of it checked */
	if (at != URI_NONE && at == i + 1)
		return 0;		/* empty user */
	hs = at == URI_NONE ? i + 1 : at + 1;
	he = skip_host(s, hs, e);
	if (he == hs || !host_port_end(s, &he, e))
		return 0;
	if (he == e)
		return e;
	if (s[he] != ';' && s[he] != '?')
		return 0;
	return allow_headers || q == URI_NONE || q < he ? e : 0;
}

/* An exact view that is one whole URI, checked as uri_end() checks. */
static bool check_uri(const char *s, u32 n, bool allow_headers)
{
	u32 e = uri_end(s, n, allow_headers);

	return e && e == n;
}

/* gen-value = token / host / quoted-string; returns end or start on error. */
static u32 skip_gen_value(const char *s, u32 i, u32 n)
{
	if (i < n && s[i] == '"') {
		u32 e = skip_quoted(s, i, n);

		return e ? e : i;
	}
	return span(s, i, n, CC_GENVAL);
}

/*
 * *( SEMI param ) with param = token [ EQUAL gen-value ]. Stops before
 * anything that is not ';' after LWS. Returns false on an empty or
 * malformed parameter. When tag is given, the tag value is stored there.
 */
static bool parse_params_at(const char *s, u32 *pi, u32 n, struct vg_str *tag,
			    struct vg_str *branch)
{
	u32 i = *pi;

	for (;;) {
		u32 j = skip_lws(s, i, n), ns, ne, vs, ve;

		if (j >= n || s[j] != ';')
			break;
		ns = skip_lws(s, j + 1, n);
		ne = skip_token(s, ns, n);
		if (ne == ns)
			return false;
		i = ne;
		j = skip_lws(s, ne, n);
		vs = ve = ne;
		if (j < n && s[j] == '=') {
			vs = skip_lws(s, j + 1, n);
			ve = skip_gen_value(s, vs, n);
			if (ve == vs)
				return false;
			i = ve;
		}
		if (tag && NAME_IS(s + ns, ne - ns, "tag")) {
			tag->p = s + vs;
			tag->len = ve - vs;
		}
		if (branch && NAME_IS(s + ns, ne - ns, "branch")) {
			branch->p = s + vs;
			branch->len = ve - vs;
		}
	}
	*pi = i;
	return true;
}

/* The same, answered in place when the value ends or goes on otherwise. */
static inline bool parse_params(const char *s, u32 *pi, u32 n,
				struct vg_str *tag, struct vg_str *branch)
{
	u32 i = *pi;

	if (i >= n || (s[i] != ';' && !cc_is(s[i], CC_LWS)))
		return true;
	return parse_params_at(s, pi, n, tag, branch);
}

/*
 * One address: name-addr / addr-spec, then header parameters.
 * (RFC 3261 20.10: a URI holding ',', '?' or ';' needs the angle brackets;
 * without them ';' starts header parameters.)
 */
static bool parse_one_addr(const char *s, u32 *pi, u32 n, bool in_list,
			   u32 max_uri, struct vg_sip_addr *a)
{
	u32 i = skip_lws(s, *pi, n), us, ue;
	bool angle = false;

	if (i >= n)
		return false;
	a->display.p = NULL;
	a->display.len = 0;
	a->tag.p = NULL;
	a->tag.len = 0;
	if (s[i] == '"') {
		u32 e = skip_quoted(s, i, n);

		if (!e)
			return false;
		a->display.p = s + i;
		a->display.len = e - i;
		i = skip_lws(s, e, n);
		if (i >= n || s[i] != '<')
			return false;
		angle = true;
	} else if (s[i] == '<') {
		angle = true;
	} else {
		/* display-name = *(token LWS), or the start of an addr-spec */
		u32 start = i, j = i, last_end = i;

		for (;;) {
			u32 e = skip_token(s, j, n), k;

			if (e == j)
				break;
			last_end = e;
			k = skip_lws(s, e, n);
			if (k < n && s[k] == '<') {
				a->display.p = s + start;
				a->display.len = last_end - start;
				i = k;
				angle = true;
				break;
			}
			if (k == e || k >= n || !is_token_char(s[k]))
				break;
			j = k;
		}
		if (!angle)
			i = start;
	}

	if (angle) {
		/*
		 * The URI ends at the first octet no URI holds, which must be
		 * the '>' (LAQUOT and RAQUOT take no white space inside).
		 */
		us = i + 1;
		ue = uri_end(s + us, n - us, true);
		if (!ue)
			return false;
		ue += us;
		if (ue >= n || s[ue] != '>' || ue - us > max_uri)
			return false;
		i = ue + 1;
	} else {
		us = i;
		ue = span_until(s, i, n, CC_ASPEC_END);
		while (!in_list && ue < n && s[ue] == ',')
			ue = span_until(s, ue + 1, n, CC_ASPEC_END);
		i = ue;
		if (ue - us > max_uri || !check_uri(s + us, ue - us, false))
			return false;
	}
	a->uri.p = s + us;
	a->uri.len = ue - us;
	a->present = true;
	if (!parse_params(s, &i, n, &a->tag, NULL))
		return false;
	*pi = i;
	return true;
}

/*
 * Parameters from i in their usual spelling, in a single walk: each ;name
 * or ;name=value with no white space and no quoted value. Returns the
 * index of the first octet after them (i when there is none), or 0 for
 * an empty name or value. The tag and branch values (where asked) are
 * stored as parse_params_at() stores them.
 */
static __always_inline u32 usual_params_end(const char *s, u32 i, u32 n,
					    struct vg_str *tag,
					    struct vg_str *branch)
{
	while (i < n && s[i] == ';') {
		u32 ns = i + 1, ne, vs, ve;

		ne = span(s, ns, n, CC_TOKEN);
		if (ne == ns)
			return 0;
		vs = ve = ne;
		if (ne < n && s[ne] == '=') {
			vs = ne + 1;
			ve = span(s, vs, n, CC_GENVAL);
			if (ve == vs)
				return 0;
		}
		if (tag && NAME_IS(s + ns, ne - ns, "tag")) {
			tag->p = s + vs;
			tag->len = ve - vs;
		}
		if (branch && NAME_IS(s + ns, ne - ns, "branch")) {
			branch->p = s + vs;
			branch->len = ve - vs;
		}
		i = ve;
	}
	return i;
}

/*
 * The same up to the end of the view; false, with neither tag nor branch
 * touched, leaves the parameters, valid or not, to parse_params_at().
 */
static inline bool usual_params(const char *s, u32 i, u32 n,
				struct vg_str *branch)
{
	struct vg_str b = *branch;
	u32 e = usual_params_end(s, i, n, NULL, &b);

	if (!e || e != n)
		return false;
	*branch = b;
	return true;
}

/*
 * A quoted display name at s[0] == '"' as usually written: no HT, CR or
 * LF in it, so it cannot run past its line. The index after the closing
 * quote, or 0, where skip_quoted() may still find one.
 */
static inline u32 usual_quoted(const char *s, u32 n)
{
	u32 i = 1;

	for (;;) {
		i = span_until(s, i, n, CC_QSTOP | CC_LWS);
		if (i >= n)
			return 0;
		if (s[i] == '"')
			return i + 1;
		if (s[i] == ' ') {
			i++;
			continue;
		}
		/* quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F) */
		if (s[i] != '\\' || i + 1 >= n || s[i + 1] == '\r' ||
		    s[i + 1] == '\n' || (u8)s[i + 1] > 0x7f)
			return 0;
		i += 2;
	}
}

/*
 * One name-addr in its usual spelling, in a single walk: an optional
 * quoted display name and one SP, then <sip:[user@]host[:port]
 * [;uri-params]>, then header parameters as usual_params_end() takes
 * them. Sets *a as parse_one_addr() would and returns the index after the
 * value; 0, with *a untouched, leaves the value, valid or not, to it.
 */
static u32 usual_name_addr_end(const char *s, u32 n, u32 max_uri,
			       struct vg_sip_addr *a)
{
	struct vg_str display = { NULL, 0 }, tag = { NULL, 0 };
	u32 i = 0, us, k, e;
	u64 port;

	if (n == 0)
		return 0;
	if (s[0] == '"') {
		i = usual_quoted(s, n);
		if (!i)
			return 0;
		display.p = s;
		display.len = i;
		if (i < n && s[i] == ' ')
			i++;
	}
	if (n - i < 7 || s[i] != '<' || !VG_STARTS_WITH(s + i + 1, "sip:"))
		return 0;
	us = i + 1;
	k = us + 4;
	/* a user of host characters, or the host itself */
	e = span(s, k, n, CC_HOST);
	if (e < n && s[e] == '@' && e > k) {
		k = e + 1;
		e = span(s, k, n, CC_HOST);
	}
	if (e == k || e >= n)
		return 0;
	if (s[e] == ':') {
		e++;
		if (!parse_digits(s, &e, n, &port) || port > 65535 || e >= n)
			return 0;
	}
	if (s[e] == ';')
		e = span(s, e, n, CC_URI_PLAIN);
	if (e >= n || s[e] != '>' || e - us > max_uri)
		return 0;
	k = usual_params_end(s, e + 1, n, &tag, NULL);
	if (!k)
		return 0;
	a->display = display;
	a->uri.p = s + us;
	a->uri.len = e - us;
	a->tag = tag;
	a->present = true;
	return k;
}

/* The same for the whole value: false leaves *a untouched. */
static bool usual_name_addr(const char *s, u32 n, u32 max_uri,
			    struct vg_sip_addr *a)
{
	struct vg_sip_addr one;
	u32 e = usual_name_addr_end(s, n, max_uri, &one);

	if (!e || e != n)
		return false;
	*a = one;
	return true;
}

/*
 * An address header value: one address (To, From), or a comma-separated
 * list (Contact, Route, Record-Route). Counts entries into *count.
 */
static bool parse_addr_header(const struct vg_str *v, bool list, u32 max_uri,
			      struct vg_sip_addr *first, u16 *count)
{
	u32 i = 0, n = v->len;
	struct vg_sip_addr other;
	/* the first address of the first such header goes to first */
	struct vg_sip_addr *a = first && !first->present ? first : &other;

	if (usual_name_addr(v->p, n, max_uri, a)) {
		if (count && *count < 0xffff)
			(*count)++;
		return true;
	}
	for (;;) {
		if (!parse_one_addr(v->p, &i, n, list, max_uri, a))
			return false;
		a = &other;
		if (count && *count < 0xffff)
			(*count)++;
		i = skip_lws(v->p, i, n);
		if (i >= n)
			return true;
		if (!list || v->p[i] != ',')
			return false;
		i++;
	}
}

/*
 * "SIP/2.0/", a transport of three token octets and one SP: how a
 * via-parm nearly always starts, with sent-by at s[12].
 */
static inline bool usual_sent_protocol(const char *s, u32 n)
{
	return n > 12 && vg_load64(s) == vg_load64("SIP/2.0/") &&
	       cc_is(s[8], CC_TOKEN) && cc_is(s[9], CC_TOKEN) &&
	       cc_is(s[10], CC_TOKEN) && s[11] == ' ';
}

/*
 * Via = via-parm *(COMMA via-parm)
 * via-parm = sent-protocol LWS sent-by *( SEMI via-params )
 */
static bool parse_via(const struct vg_str *v, struct vg_sip_msg *msg)
{
	const char *s = v->p;
	u32 i = 0, n = v->len;

	for (;;) {
		struct vg_sip_via v1, *via = &v1;
		u32 e, k, part;

		memset(via, 0, sizeof(*via));
		i = skip_lws(s, i, n);
		/*
		 * protocol-name / protocol-version / transport; "SIP/2.0"
		 * as usually written leaves the transport alone to read.
		 */
		part = 0;
		if (usual_sent_protocol(s + i, n - i) &&
		    !cc_is(s[i + 12], CC_LWS)) {
			/* "SIP/2.0/UDP " and the like: sent-by comes next */
			via->transport.p = s + i + 8;
			via->transport.len = 3;
			i += 12;
			goto sent_by;
		}
		if (n - i > 8 && !memcmp(s + i, "SIP/2.0/", 8)) {
			part = 2;
			i += 7;		/* at the '/' before the transport */
		}
		for (; part < 3; part++) {
			if (part) {
				i = skip_lws(s, i, n);
				if (i >= n || s[i] != '/')
					return false;
				i = skip_lws(s, i + 1, n);
			}
			e = skip_token(s, i, n);
			if (e == i)
				return false;
			if (part == 2) {
				via->transport.p = s + i;
				via->transport.len = e - i;
			}
			i = e;
		}
		k = skip_lws(s, i, n);
		if (k == i)
			return false;
		i = k;
sent_by:
		e = skip_host(s, i, n);
		if (e == i)
			return false;
		via->host.p = s + i;
		via->host.len = e - i;
		i = skip_lws(s, e, n);
		if (i < n && s[i] == ':') {
			u64 port;

			i = skip_lws(s, i + 1, n);
			if (!parse_digits(s, &i, n, &port) || port > 65535)
				return false;
			via->port = (u16)port;
		} else {
			i = e;
		}
		/* the usual parameters run to the end of the value */
		if (i < n && s[i] == ';' && usual_params(s, i, n, &via->branch))
			i = n;
		else if (!parse_params(s, &i, n, NULL, &via->branch))
			return false;
		if (msg->via_count == 0)
			msg->via = *via;
		if (msg->via_count < 0xffff)
			msg->via_count++;
		i = skip_lws(s, i, n);
		if (i >= n)
			return true;
		if (s[i] != ',')
			return false;
		i++;
	}
}

/* CSeq = 1*DIGIT LWS Method; the number must be below 2^31 (8.1.1.5). */
static bool parse_cseq(const struct vg_str *v, u32 *num, struct vg_str *method)
{
	u32 i = skip_lws(v->p, 0, v->len), k, e;
	u64 val;

	if (!parse_digits(v->p, &i, v->len, &val) || val > VG_U31_MAX)
		return false;
	k = skip_lws(v->p, i, v->len);
	if (k == i)
		return false;
	e = skip_token(v->p, k, v->len);
	if (e == k || skip_lws(v->p, e, v->len) != v->len)
		return false;
	*num = (u32)val;
	method->p = v->p + k;
	method->len = e - k;
	return true;
}

/* callid = word [ "@" word ] */
static bool check_call_id(const struct vg_str *v)
{
	u32 i;

	if (v->len == 0 || v->p[0] == '@' || v->p[v->len - 1] == '@')
		return false;
	i = span(v->p, 0, v->len, CC_WORD);
	if (i < v->len && v->p[i] == '@')
		i = span(v->p, i + 1, v->len, CC_WORD);
	return i == v->len;
}

/* media-type = m-type SLASH m-subtype *(SEMI m-parameter) */
static bool check_content_type(const struct vg_str *v)
{
	const char *s = v->p;
	u32 i = 0, n = v->len, e;

	/* what nearly every INVITE and answer carries */
	if (BYTES_ARE(s, n, "application/sdp"))
		return true;
	e = skip_token(s, i, n);
	if (e == i)
		return false;
	i = skip_lws(s, e, n);
	if (i >= n || s[i] != '/')
		return false;
	i = skip_lws(s, i + 1, n);
	e = skip_token(s, i, n);
	if (e == i)
		return false;
	i = e;
	if (!parse_params(s, &i, n, NULL, NULL))
		return false;
	return skip_lws(s, i, n) == n;
}

static bool match_ci(const char *s, u32 n, u32 i, const char *lit)
{
	u32 l = (u32)strlen(lit);

	return i + l <= n && !vg_strncasecmp(s + i, lit, l);
}

static bool two_digits(const char *s, u32 i, u32 n, u32 max)
{
	return i + 2 <= n && is_digit(s[i]) && is_digit(s[i + 1]) &&
	       (u32)((s[i] - '0') * 10 + (s[i + 1] - '0')) <= max;
}

/*
 * SIP-date = rfc1123-date, always in GMT (RFC 3261 20.17):
 * wkday "," SP 2DIGIT SP month SP 4DIGIT SP 2DIGIT ":" 2DIGIT ":" 2DIGIT SP "GMT"
 */
static bool check_date(const struct vg_str *v)
{
	static const char *const wkdays[] = {
		"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	const char *s = v->p;
	u32 n = v->len, i = 0, k;
	bool ok = false;

	for (k = 0; k < VG_ARRAY_SIZE(wkdays); k++)
		ok |= match_ci(s, n, 0, wkdays[k]);
	if (!ok || n < 29)
		return false;
	i = 3;
	if (s[i] != ',' || s[i + 1] != ' ')
		return false;
	i += 2;
	if (!two_digits(s, i, n, 31) || s[i + 2] != ' ')
		return false;
	i += 3;
	ok = false;
	for (k = 0; k < VG_ARRAY_SIZE(months); k++)
		ok |= match_ci(s, n, i, months[k]);
	if (!ok || s[i + 3] != ' ')
		return false;
	i += 4;
	if (!is_digit(s[i]) || !is_digit(s[i + 1]) || !is_digit(s[i + 2]) ||
	    !is_digit(s[i + 3]) || s[i + 4] != ' ')
		return false;
	i += 5;
	if (!two_digits(s, i, n, 23) || s[i + 2] != ':' ||
	    !two_digits(s, i + 3, n, 59) || s[i + 5] != ':' ||
	    !two_digits(s, i + 6, n, 60) || s[i + 8] != ' ')
		return false;
	i += 9;
	if (!match_ci(s, n, i, "GMT"))
		return false;
	return skip_lws(s, i + 3, n) == n;
}

enum vg_hdr {
	H_OTHER = 0,
	H_VIA, H_FROM, H_TO, H_CALL_ID, H_CSEQ, H_CONTACT, H_CONTENT_LENGTH,
	H_CONTENT_TYPE, H_EXPIRES, H_MAX_FORWARDS, H_ROUTE, H_RECORD_ROUTE,
	H_DATE, H_ACCEPT,
	H__COUNT,
	H_UNREAD,	/* a usual_name() the filter does not read */
};

/* Header name to id: by length, then one word compare (token octets). */
static enum vg_hdr header_id(const char *p, u32 len)
{
	switch (len) {
	case 1:
		switch (p[0] | 0x20) {
		case 'v': return H_VIA;
		case 'f': return H_FROM;
		case 't': return H_TO;
		case 'i': return H_CALL_ID;
		case 'm': return H_CONTACT;
		case 'l': return H_CONTENT_LENGTH;
		case 'c': return H_CONTENT_TYPE;
		}
		break;
	case 2:
		if (NAME_IS(p, len, "to"))
			return H_TO;
		break;
	case 3:
		if (NAME_IS(p, len, "via"))
			return H_VIA;
		break;
	case 4:
		if (NAME_IS(p, len, "from"))
			return H_FROM;
		if (NAME_IS(p, len, "cseq"))
			return H_CSEQ;
		if (NAME_IS(p, len, "date"))
			return H_DATE;
		break;
	case 5:
		if (NAME_IS(p, len, "route"))
			return H_ROUTE;
		break;
	case 6:
		if (NAME_IS(p, len, "accept"))
			return H_ACCEPT;
		break;
	case 7:
		if (NAME_IS(p, len, "call-id"))
			return H_CALL_ID;
		if (NAME_IS(p, len, "contact"))
			return H_CONTACT;
		if (NAME_IS(p, len, "expires"))
			return H_EXPIRES;
		break;
	case 12:
		if (NAME_IS(p, len, "content-type"))
			return H_CONTENT_TYPE;
		if (NAME_IS(p, len, "max-forwards"))
			return H_MAX_FORWARDS;
		if (NAME_IS(p, len, "record-route"))
			return H_RECORD_ROUTE;
		break;
	case 14:
		if (NAME_IS(p, len, "content-length"))
			return H_CONTENT_LENGTH;
		break;
	}
	return H_OTHER;
}

/* Headers that may appear once only (RFC 3261 7.3.1). */
static bool header_single(enum vg_hdr h)
{
	switch (h) {
	case H_FROM: case H_TO: case H_CALL_ID: case H_CSEQ:
	case H_CONTENT_LENGTH: case H_CONTENT_TYPE: case H_EXPIRES:
	case H_MAX_FORWARDS: case H_DATE:
		return true;
	default:
		return false;
	}
}

/*
 * The headers the filter reads, spelled as RFC 3261 spells them and
 * followed by the colon: a word compare or two names them without walking
 * the name. *colon is the colon's index. The ones nearly every INVITE
 * carries that the filter does not read are H_UNREAD. Anything else,
 * H_OTHER, takes the general way; both give the same answer wherever
 * this one gives one.
 */
static __always_inline enum vg_hdr usual_name(const char *p, u32 n,
					      u32 *colon)
{
	/* every name below, colon included, fits in a field this long */
	if (n < 16)
		return H_OTHER;
	switch (p[0]) {
	case 'V':
		if (VG_STARTS_WITH(p, "Via:")) {
			*colon = 3;
			return H_VIA;
		}
		break;
	case 'T':
		if (VG_STARTS_WITH(p, "To:")) {
			*colon = 2;
			return H_TO;
		}
		break;
	case 'F':
		if (VG_STARTS_WITH(p, "From:")) {
			*colon = 4;
			return H_FROM;
		}
		break;
	case 'M':
		if (VG_STARTS_WITH(p, "Max-Forwards:")) {
			*colon = 12;
			return H_MAX_FORWARDS;
		}
		break;
	case 'C':
		if (VG_STARTS_WITH(p, "CSeq:")) {
			*colon = 4;
			return H_CSEQ;
		}
		if (VG_STARTS_WITH(p, "Call-ID:")) {
			*colon = 7;
			return H_CALL_ID;
		}
		if (VG_STARTS_WITH(p, "Contact:")) {
			*colon = 7;
			return H_CONTACT;
		}
		if (VG_STARTS_WITH(p, "Content-Type:")) {
			*colon = 12;
			return H_CONTENT_TYPE;
		}
		if (VG_STARTS_WITH(p, "Content-Length:")) {
			*colon = 14;
			return H_CONTENT_LENGTH;
		}
		break;
	case 'A':
		if (VG_STARTS_WITH(p, "Allow:")) {
			*colon = 5;
			return H_UNREAD;
		}
		break;
	case 'S':
		if (VG_STARTS_WITH(p, "Supported:")) {
			*colon = 9;
			return H_UNREAD;
		}
		break;
	case 'U':
		if (VG_STARTS_WITH(p, "User-Agent:")) {
			*colon = 10;
			return H_UNREAD;
		}
		break;
	}
	return H_OTHER;
}

struct vg_sip_pstate {
	const struct vg_sip_limits *lim;
	u32 seen;		/* bit per enum vg_hdr */
	u32 first_cl;
};

static enum vg_reason handle_header(struct vg_sip_pstate *ps,
				    struct vg_sip_msg *msg, enum vg_hdr h,
				    const struct vg_str *v)
{
	u32 max_uri = ps->lim->max_uri_len;
	bool again = ps->seen & (1u << h);
	u64 num;

	if (again && header_single(h)) {
		msg->flags |= VG_SIP_F_DUPLICATE;
		if ((ps->lim->strict & VG_SIP_STRICT_SINGLE) &&
		    h != H_CONTENT_LENGTH)
			return VG_R_SIP_DUPLICATE_HEADER;
	}
	ps->seen |= 1u << h;

	switch (h) {
	case H_VIA:
		if (!parse_via(v, msg))
			return VG_R_SIP_BAD_VIA;
		break;
	case H_FROM:
		if (!parse_addr_header(v, false, max_uri, &msg->from, NULL))
			return VG_R_SIP_BAD_ADDRESS;
		break;
	case H_TO:
		if (!parse_addr_header(v, false, max_uri, &msg->to, NULL))
			return VG_R_SIP_BAD_ADDRESS;
		break;
	case H_CONTACT: {
		u32 i = skip_lws(v->p, 0, v->len);

		if (i < v->len && v->p[i] == '*' &&
		    skip_lws(v->p, i + 1, v->len) == v->len) {
			msg->flags |= VG_SIP_F_CONTACT_STAR;
			break;
		}
		if (!parse_addr_header(v, true, max_uri, &msg->contact,
				       &msg->contact_count))
			return VG_R_SIP_BAD_ADDRESS;
		break;
	}
	case H_ROUTE:
		if (!parse_addr_header(v, true, max_uri, NULL,
				       &msg->route_count))
			return VG_R_SIP_BAD_ADDRESS;
		break;
	case H_RECORD_ROUTE:
		if (!parse_addr_header(v, true, max_uri, NULL,
				       &msg->record_route_count))
			return VG_R_SIP_BAD_ADDRESS;
		break;
	case H_CALL_ID:
		if (!check_call_id(v))
			return VG_R_SIP_BAD_HEADER;
		if (!again)
			msg->call_id = *v;
		break;
	case H_CSEQ: {
		struct vg_str method;
		u32 cseq;

		if (!parse_cseq(v, &cseq, &method))
			return VG_R_SIP_BAD_CSEQ;
		if (!again) {
			msg->cseq = cseq;
			msg->cseq_method_str = method;
			msg->cseq_method = vg_sip_method_id(method.p,
							    method.len);
		}
		break;
	}
	case H_CONTENT_LENGTH:
		/* no 32-bit truncation: anything above 2^32-1 stays too big */
		if (!parse_number_value(v, &num) || num > VG_U32_MAX ||
		    num > ps->lim->max_msg_len)
			return VG_R_SIP_BAD_CONTENT_LENGTH;
		if (again && num != ps->first_cl) {
			msg->flags |= VG_SIP_F_CL_CONFLICT;
			if (ps->lim->strict & VG_SIP_STRICT_SINGLE)
				return VG_R_SIP_BAD_CONTENT_LENGTH;
		}
		if (!again) {
			ps->first_cl = (u32)num;
			msg->content_length = (u32)num;
			msg->flags |= VG_SIP_F_CL_PRESENT;
		}
		break;
	case H_CONTENT_TYPE:
		if (!check_content_type(v))
			return VG_R_SIP_BAD_CONTENT_TYPE;
		if (!again)
			msg->content_type = *v;
		break;
	case H_MAX_FORWARDS:
		if (!parse_number_value(v, &num) || num > 255)
			return VG_R_SIP_BAD_MAX_FORWARDS;
		if (!again)
			msg->max_forwards = (s16)num;
		break;
	case H_EXPIRES:
		if (parse_number_value(v, &num)) {
			if (num > VG_U32_MAX) {
				/* RFC 3261 20.19 allows treating it as a default */
				num = VG_U32_MAX;
				msg->flags |= VG_SIP_F_EXPIRES_CLAMPED;
			}
			if (!again) {
				msg->has_expires = true;
				msg->expires = (u32)num;
			}
		} else if (!check_date(v)) {
			/* RFC 2543 allowed an absolute date here */
			return VG_R_SIP_BAD_EXPIRES;
		}
		break;
	case H_DATE:
		if (!check_date(v))
			return VG_R_SIP_BAD_DATE;
		break;
	case H_ACCEPT:
		if (!again)
			msg->accept = *v;
		break;
	default:
		break;
	}
	return VG_R_NONE;
}

/*
 * The fields below, read where the header loop meets them first: the
 * value after "Name: " in its usual spelling, found, checked and stored
 * in one walk that also finds where it ends, so that no line walk goes
 * before it. n reaches the last line end of the message, which ends every
 * class walk at the latest. Each returns the index after the value, or 0
 * when the value is spelled otherwise; then forget_usual() clears what it
 * stored and the field takes the general way, which gives the same answer
 * wherever this one gives one.
 */

/*
 * "SIP/2.0/<3-octet transport> host[:port][;params]", one via-parm. Not
 * inlined into usual_fields(), whose registers it would crowd.
 */
static noinline u32 usual_via(const char *s, u32 n, struct vg_sip_via *via)
{
	struct vg_str branch = { NULL, 0 };
	u32 e;
	u64 port = 0;

	if (!usual_sent_protocol(s, n))
		return 0;
	e = skip_host(s, 12, n);
	if (e == 12)
		return 0;
	via->host.p = s + 12;
	via->host.len = e - 12;
	if (e < n && s[e] == ':') {
		e++;
		if (!parse_digits(s, &e, n, &port) || port > 65535)
			return 0;
	}
	e = usual_params_end(s, e, n, NULL, &branch);
	if (!e)
		return 0;
	via->transport.p = s + 8;
	via->transport.len = 3;
	via->port = (u16)port;
	via->branch = branch;
	return e;
}

/* callid = word [ "@" word ] */
static inline u32 usual_call_id(const char *s, u32 n)
{
	u32 e = span(s, 0, n, CC_WORD), w;

	if (e == 0 || e >= n || s[e] != '@')
		return e;
	w = span(s, e + 1, n, CC_WORD);
	return w == e + 1 ? 0 : w;
}

/* CSeq: 1*DIGIT SP Method */
static inline u32 usual_cseq(const char *s, u32 n, struct vg_sip_msg *msg)
{
	u32 e = 0, k;
	u64 num;

	if (!parse_digits(s, &e, n, &num) || num > VG_U31_MAX ||
	    e >= n || s[e] != ' ')
		return 0;
	k = e + 1;
	e = skip_token(s, k, n);
	if (e == k)
		return 0;
	msg->cseq = (u32)num;
	msg->cseq_method_str.p = s + k;
	msg->cseq_method_str.len = e - k;
	msg->cseq_method = vg_sip_method_id(s + k, e - k);
	return e;
}

/* The value of field h at s, by the reader of its usual spelling. */
static inline u32 usual_value(struct vg_sip_pstate *ps,
			       struct vg_sip_msg *msg, enum vg_hdr h,
			       const char *s, u32 n)
{
	u32 e = 0;
	u64 num;

	switch (h) {
	case H_VIA:
		e = usual_via(s, n, &msg->via);
		msg->via_count = 1;
		return e;
	case H_FROM:
		return usual_name_addr_end(s, n, ps->lim->max_uri_len,
					   &msg->from);
	case H_TO:
		return usual_name_addr_end(s, n, ps->lim->max_uri_len,
					   &msg->to);
	case H_CONTACT:
		msg->contact_count = 1;
		return usual_name_addr_end(s, n, ps->lim->max_uri_len,
					   &msg->contact);
	case H_CALL_ID:
		e = usual_call_id(s, n);
		msg->call_id.p = s;
		msg->call_id.len = e;
		return e;
	case H_CSEQ:
		return usual_cseq(s, n, msg);
	case H_CONTENT_LENGTH:
		if (!parse_digits(s, &e, n, &num) || num > VG_U32_MAX ||
		    num > ps->lim->max_msg_len)
			return 0;
		ps->first_cl = (u32)num;
		msg->content_length = (u32)num;
		msg->flags |= VG_SIP_F_CL_PRESENT;
		return e;
	case H_CONTENT_TYPE:
		if (n < 15 || !VG_STARTS_WITH(s, "application/sdp"))
			return 0;
		msg->content_type.p = s;
		msg->content_type.len = 15;
		return 15;
	case H_MAX_FORWARDS:
		if (!parse_digits(s, &e, n, &num) || num > 255)
			return 0;
		msg->max_forwards = (s16)num;
		return e;
	default:
		return 0;
	}
}

/* Undo usual_value() for h: the message holds what it held before. */
static void forget_usual(struct vg_sip_pstate *ps, struct vg_sip_msg *msg,
			 enum vg_hdr h)
{
	switch (h) {
	case H_VIA:
		memset(&msg->via, 0, sizeof(msg->via));
		msg->via_count = 0;
		break;
	case H_FROM:
		memset(&msg->from, 0, sizeof(msg->from));
		break;
	case H_TO:
		memset(&msg->to, 0, sizeof(msg->to));
		break;
	case H_CONTACT:
		memset(&msg->contact, 0, sizeof(msg->contact));
		msg->contact_count = 0;
		break;
	case H_CALL_ID:
		memset(&msg->call_id, 0, sizeof(msg->call_id));
		break;
	case H_CSEQ:
		msg->cseq = 0;
		memset(&msg->cseq_method_str, 0, sizeof(msg->cseq_method_str));
		msg->cseq_method = 0;
		break;
	case H_CONTENT_LENGTH:
		ps->first_cl = 0;
		msg->content_length = 0;
		msg->flags &= ~VG_SIP_F_CL_PRESENT;
		break;
	case H_CONTENT_TYPE:
		memset(&msg->content_type, 0, sizeof(msg->content_type));
		break;
	case H_MAX_FORWARDS:
		msg->max_forwards = -1;
		break;
	default:
		break;
	}
}

/*
 * Index of the last CR or LF of buf when it is among its last octets, as
 * in nearly every message; 0 (no field read in one walk) otherwise.
 */
static inline u32 last_line_end(const char *buf, u32 len)
{
	u32 k;

	for (k = len; k > 0 && len - k < 8; k--)
		if (buf[k - 1] == '\n' || buf[k - 1] == '\r')
			return k - 1;
	return 0;
}

/*
 * Fields from i on that usual_name() names, as usually written: each on
 * one line ending in CRLF, with no fold, within the limits, a field the
 * filter reads seen for the first time. Takes them in one walk each and
 * returns the index of the first field it leaves to the general way.
 * Not inlined: among vg_sip_parse()'s live values, the walk's own would go
 * to the stack (about 120 instructions more per INVITE, make bench-core).
 */
static noinline u32 usual_fields(struct vg_sip_pstate *ps,
				 struct vg_sip_msg *msg, const char *buf,
				 u32 len, u32 i, u32 last_le, u16 *header_count)
{
	u32 max_len = ps->lim->max_header_len, left, colon, vs, ve;
	enum vg_hdr h;

	/* fields this walk may still count, and room for usual_name() */
	left = ps->lim->max_headers - *header_count;
	if (ps->lim->max_headers < *header_count || last_le < 16)
		return i;
	for (; left && i <= last_le - 16; left--) {
		h = usual_name(buf + i, last_le - i, &colon);
		vs = i + colon + 2;
		if (h == H_UNREAD) {
			/* its name was all: only the line end is found */
			ve = vg_scan_ctl(buf, vs - 1, len);
		} else {
			if (h == H_OTHER || (ps->seen & (1u << h)))
				break;
			ve = buf[vs - 1] == ' ' ?
			     usual_value(ps, msg, h, buf + vs, last_le - vs) :
			     0;
			if (!ve) {
				forget_usual(ps, msg, h);
				break;
			}
			ve += vs;
		}
		/* ve <= last_le < len: the CR and LF, then one octet more */
		if (ve + 2 >= len || ve - i > max_len ||
		    vg_load16(buf + ve) != vg_load16("\r\n") ||
		    cc_is(buf[ve + 2], CC_WSP)) {
			forget_usual(ps, msg, h);
			break;
		}
		ps->seen |= 1u << h;
		i = ve + 2;
	}
	*header_count = (u16)(ps->lim->max_headers - left);
	return i;
}

/*
 * p starts with "SIP/", the letters in any case: OR 0x20 folds them and
 * maps no other octet onto a lowercase letter; the '/' is compared as is.
 */
static inline bool starts_sip_slash(const char *p)
{
	return (vg_load32(p) | vg_load32("\x20\x20\x20\x00")) == vg_load32("sip/");
}

static bool is_sip_version(const char *p, u32 len)
{
	/* "SIP" in any case, then "/2.0" exactly */
	return len == 7 && starts_sip_slash(p) &&
	       vg_load32(p + 3) == vg_load32("/2.0");
}

/* Request-Line = Method SP Request-URI SP SIP-Version CRLF */
static enum vg_reason parse_request_line(const char *s, u32 n,
					 const struct vg_sip_limits *lim,
					 struct vg_sip_msg *msg)
{
	u32 sp1, spl;
	bool method_ok;

	if (n == 0 || is_wsp(s[0]) || is_wsp(s[n - 1]))
		return VG_R_SIP_BAD_START_LINE;
	/*
	 * A method token ends at the first SP; else find that SP. An empty
	 * token fails too: s[0] is no blank, so it is no SP either.
	 */
	sp1 = skip_token(s, 0, n);
	method_ok = sp1 < n && s[sp1] == ' ';
	if (!method_ok)
		sp1 = vg_scan_byte(s, sp1, n, ' ');
	if (n > 8 && VG_STARTS_WITH(s + n - 8, " SIP/2.0"))
		spl = n - 7;		/* as nearly every request line ends */
	else
		for (spl = n; spl > 0 && s[spl - 1] != ' '; spl--)
			;
	if (sp1 >= n || spl == 0 || spl - 1 <= sp1)
		return VG_R_SIP_BAD_START_LINE;
	spl--;
	if (!method_ok)
		return VG_R_SIP_BAD_METHOD;
	if (!is_sip_version(s + spl + 1, n - spl - 1)) {
		/* "SIP/x.y" is a version we do not speak; else not a start line */
		if (n - spl - 1 >= 4 && !vg_strncasecmp(s + spl + 1, "SIP/", 4))
			return VG_R_SIP_BAD_VERSION;
		return VG_R_SIP_BAD_START_LINE;
	}
	/* exactly one SP on each side of the Request-URI */
	if (is_wsp(s[sp1 + 1]) || is_wsp(s[spl - 1]))
		return VG_R_SIP_BAD_START_LINE;
	/* white space inside it fails check_uri() with the same reason */
	if (spl - sp1 - 1 > lim->max_uri_len ||
	    !check_uri(s + sp1 + 1, spl - sp1 - 1, false))
		return VG_R_SIP_BAD_URI;
	msg->is_request = true;
	msg->method_str.p = s;
	msg->method_str.len = sp1;
	msg->method = vg_sip_method_id(s, sp1);
	msg->uri.p = s + sp1 + 1;
	msg->uri.len = spl - sp1 - 1;
	return VG_R_NONE;
}

/* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF */
static enum vg_reason parse_status_line(const char *s, u32 n,
					struct vg_sip_msg *msg)
{
	u32 i;

	if (n < 7 || !is_sip_version(s, 7)) {
		if (n > 7 && s[7] != ' ')
			return VG_R_SIP_BAD_START_LINE;
		return VG_R_SIP_BAD_VERSION;
	}
	if (n < 11 || s[7] != ' ' || !is_digit(s[8]) || !is_digit(s[9]) ||
	    !is_digit(s[10]))
		return n > 8 && is_digit(s[8]) ? VG_R_SIP_BAD_STATUS
					       : VG_R_SIP_BAD_START_LINE;
	if (n > 11 && s[11] != ' ')
		return VG_R_SIP_BAD_STATUS;
	msg->status = (u16)((s[8] - '0') * 100 + (s[9] - '0') * 10 +
			    (s[10] - '0'));
	if (msg->status < 100 || msg->status > 699)
		return VG_R_SIP_BAD_STATUS;
	for (i = 12; i < n; i++) {
		u8 c = (u8)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return VG_R_SIP_BAD_START_LINE;
	}
	msg->is_request = false;
	msg->method = VG_SIP_M_NONE;
	if (n > 12) {
		msg->reason_phrase.p = s + 12;
		msg->reason_phrase.len = n - 12;
	}
	return VG_R_NONE;
}

/*
 * Find the end of the line that starts at i: *eol is the index of the
 * terminator (CR of CRLF, or a bare LF), *next the start of the next line.
 * False when there is no terminator, or a CR not followed by LF.
 */
static bool line_end(const char *buf, u32 len, u32 i, u32 *eol, u32 *next)
{
	const char *lf = memchr(buf + i, '\n', len - i);
	u32 e;

	if (!lf)
		return false;
	e = (u32)(lf - buf);
	*next = e + 1;
	if (e > i && buf[e - 1] == '\r')
		e--;
	*eol = e;
	return true;
}

/*
 * The old-fashioned walk over one header field, run only when the fast
 * one in vg_sip_parse() meets a line that does not end or a CR that does
 * not end a line: it finds which reason such a field is dropped with, in
 * the order the checks have always been made.
 */
static enum vg_reason field_error(const char *buf, u32 len, u32 fs,
				  const struct vg_sip_limits *lim,
				  struct vg_sip_msg *msg)
{
	u32 eol, next, ne, fe;
	bool folded = false;

	if (!line_end(buf, len, fs, &eol, &next)) {
		msg->flags |= VG_SIP_F_INCOMPLETE;
		return VG_R_SIP_BAD_HEADER;	/* no end of headers */
	}
	if (eol == fs || is_wsp(buf[fs]))
		return VG_R_SIP_BAD_HEADER;
	while (next < len && is_wsp(buf[next])) {
		folded = true;
		if (!line_end(buf, len, next, &eol, &next))
			return VG_R_SIP_BAD_HEADER;
	}
	fe = eol;
	if (fe - fs > lim->max_header_len)
		return VG_R_SIP_HEADER_TOO_LONG;
	if (++msg->header_count > lim->max_headers)
		return VG_R_SIP_TOO_MANY_HEADERS;
	if (!folded)
		return VG_R_SIP_BAD_HEADER;	/* a stray CR */
	for (ne = fs; ne < fe; ne++) {
		const char *cr = memchr(buf + ne, '\r', fe - ne);

		if (!cr)
			break;
		ne = (u32)(cr - buf);
		if (ne + 1 >= fe || buf[ne + 1] != '\n')
			return VG_R_SIP_BAD_HEADER;
	}
	return VG_R_SIP_BAD_HEADER;
}

/*
 * End of the line at i when it ends in CRLF or LF and holds no other CR:
 * *eol is the terminator, *next the next line. False otherwise.
 */
static inline bool line_end_fast(const char *buf, u32 len, u32 i, u32 *eol,
				 u32 *next)
{
	for (;;) {
		i = vg_scan_ctl(buf, i, len);
		if (i >= len)
			return false;
		if (buf[i] == '\n') {
			*eol = i;
			*next = i + 1;
			return true;
		}
		if (buf[i] == '\r') {
			if (i + 1 >= len || buf[i + 1] != '\n')
				return false;
			*eol = i;
			*next = i + 2;
			return true;
		}
		i++;
	}
}

enum vg_reason vg_sip_parse(const char *buf, u32 len,
			    const struct vg_sip_limits *lim,
			    struct vg_sip_msg *msg)
{
	static const struct vg_sip_limits defaults = VG_SIP_LIMITS_DEFAULT;
	struct vg_sip_pstate ps = { 0 };
	u32 i = 0, eol, next, body_start, rest, max_header_len, max_headers;
	u32 last_le;
	u16 header_count = 0;
	enum vg_reason r;

	if (!lim)
		lim = &defaults;
	ps.lim = lim;
	memset(msg, 0, sizeof(*msg));
	msg->max_forwards = -1;

	if (len > lim->max_msg_len)
		return VG_R_SIP_TOO_LONG;
	/* RFC 3261 7.5: CRLFs before the start line are ignored */
	while (i < len && (buf[i] == '\r' || buf[i] == '\n'))
		i++;
	/* the start line ends in CRLF or LF and holds no other CR, no NUL */
	for (eol = i;; eol++) {
		eol = vg_scan_ctl(buf, eol, len);
		if (eol >= len)
			goto start_cut;
		if (buf[eol] == '\0')
			return VG_R_SIP_BAD_START_LINE;
		if (buf[eol] == '\n') {
			next = eol + 1;
			break;
		}
		if (buf[eol] == '\r') {
			if (eol + 1 >= len)
				goto start_cut;
			if (buf[eol + 1] != '\n')
				return VG_R_SIP_BAD_START_LINE;
			next = eol + 2;
			break;
		}
	}
	if (eol - i >= 4 && starts_sip_slash(buf + i))
		r = parse_status_line(buf + i, eol - i, msg);
	else
		r = parse_request_line(buf + i, eol - i, lim, msg);
	if (r)
		return r;

	/* header fields, up to the empty line */
	max_header_len = lim->max_header_len;
	max_headers = lim->max_headers;
	last_le = last_line_end(buf, len);
	i = next;
	for (;;) {
		u32 fs = i, fe, ne, colon, vs, ve;
		struct vg_str v;
		enum vg_hdr h;

		i = usual_fields(&ps, msg, buf, len, i, last_le, &header_count);
		fs = i;
		eol = vg_scan_ctl(buf, i, len);
		/*
		 * The usual field: one line, not empty, no fold (an HT at i
		 * would have ended the walk there), ending in CRLF.
		 */
		if (eol != i && buf[i] != ' ' && eol + 2 < len &&
		    vg_load16(buf + eol) == vg_load16("\r\n") &&
		    !cc_is(buf[eol + 2], CC_WSP)) {
			next = eol + 2;
		} else {
			if (!line_end_fast(buf, len, i, &eol, &next))
				goto field_err;
			if (eol == i)
				break;			/* empty line */
			if (is_wsp(buf[i]))
				goto bad_header;	/* fold with no field */
			/* extend over folds: lines that start with SP or HT */
			while (next < len && is_wsp(buf[next]))
				if (!line_end_fast(buf, len, next, &eol, &next))
					goto field_err;
		}
		fe = eol;
		r = VG_R_SIP_HEADER_TOO_LONG;
		if (fe - fs > max_header_len)
			goto out_err;
		r = VG_R_SIP_TOO_MANY_HEADERS;
		if (++header_count > max_headers)
			goto out_err;
		/* header-name HCOLON: HCOLON = *( SP / HTAB ) ":" SWS */
		h = usual_name(buf + fs, fe - fs, &colon);
		if (h == H_UNREAD) {
			i = next;
			continue;
		}
		if (h != H_OTHER) {
			colon += fs;
			goto value;
		}
		ne = skip_token(buf, fs, fe);
		if (ne == fs)
			goto bad_header;
		colon = ne;
		if (colon < fe && buf[colon] != ':') {
			while (colon < fe && is_wsp(buf[colon]))	/* rare */
				colon++;
			if (colon >= fe || buf[colon] != ':')
				goto bad_header;
		} else if (colon >= fe) {
			goto bad_header;
		}
		h = header_id(buf + fs, ne - fs);
		if (h == H_OTHER) {
			/* a header the filter does not read: its name was all */
			i = next;
			continue;
		}
value:
		vs = colon + 1;
		/* as usually written: one SP, then the value */
		if (buf[vs] == ' ' && !cc_is(buf[vs + 1], CC_LWS))
			vs++;
		else
			vs = skip_lws(buf, vs, fe);
		ve = fe;
		/* SP, HT, CR and LF are the LWS octets */
		while (ve > vs && cc_is(buf[ve - 1], CC_LWS))
			ve--;
		v.p = buf + vs;
		v.len = ve - vs;
		r = handle_header(&ps, msg, h, &v);
		if (r)
			goto out_err;
		i = next;
		continue;
field_err:
		msg->header_count = header_count;
		return field_error(buf, len, fs, lim, msg);
bad_header:
		r = VG_R_SIP_BAD_HEADER;
out_err:
		msg->header_count = header_count;
		return r;
	}
	msg->header_count = header_count;
	body_start = next;

	/* what a filter needs to follow the transaction (RFC 4475 3.3.1) */
	if (!(ps.seen & (1u << H_VIA)) || !(ps.seen & (1u << H_CSEQ)))
		return VG_R_SIP_MISSING_HEADER;
	if (lim->strict & VG_SIP_STRICT_REQUIRED) {
		u32 need = (1u << H_FROM) | (1u << H_TO) | (1u << H_CALL_ID);

		if (msg->is_request)
			need |= 1u << H_MAX_FORWARDS;
		if ((ps.seen & need) != need)
			return VG_R_SIP_MISSING_HEADER;
	}
	/* two methods named alike by vg_sip_method_id() are the same octets */
	if (msg->is_request &&
	    (msg->cseq_method != msg->method ||
	     msg->method == VG_SIP_M_OTHER) &&
	    (msg->cseq_method_str.len != msg->method_str.len ||
	     memcmp(msg->cseq_method_str.p, msg->method_str.p,
		    msg->method_str.len)))
		return VG_R_SIP_CSEQ_MISMATCH;

	/* body: Content-Length octets, else the rest of the datagram */
	rest = len - body_start;
	if (msg->flags & VG_SIP_F_CL_PRESENT) {
		if (msg->content_length > rest) {
			msg->flags |= VG_SIP_F_INCOMPLETE;
			return VG_R_SIP_BAD_CONTENT_LENGTH;
		}
		msg->body.len = msg->content_length;
	} else {
		msg->body.len = rest;
	}
	msg->body.p = buf + body_start;
	msg->msg_len = body_start + msg->body.len;
	if (msg->msg_len < len)
		msg->flags |= VG_SIP_F_TRAILING;
	if (msg->body.len && !(ps.seen & (1u << H_CONTENT_TYPE))) {
		u32 k;

		/* RFC 3261 20.15: a body needs a Content-Type */
		for (k = 0; k < msg->body.len; k++)
			if (msg->body.p[k] != '\r' && msg->body.p[k] != '\n')
				return VG_R_SIP_BAD_CONTENT_TYPE;
	}
	return VG_R_NONE;

start_cut:
	/* the start line does not end: on a stream the rest may follow */
	msg->flags |= VG_SIP_F_INCOMPLETE;
	return VG_R_SIP_BAD_START_LINE;
}

bool vg_sip_content_type_is(const struct vg_str *ct, const char *type)
{
	const char *t = type;
	u32 i, e, n = ct->len;

	if (!n)
		return false;	/* an empty view may have no pointer */
	/* type, then subtype, each walked against type in place */
	i = skip_lws(ct->p, 0, n);
	e = skip_token_bounded(ct->p, i, n);
	for (; i < e; i++, t++)
		if (*t == '/' || !*t || vg_tolower(ct->p[i]) != vg_tolower(*t))
			return false;
	if (*t++ != '/')
		return false;
	i = skip_lws(ct->p, e, n);
	if (i >= n || ct->p[i] != '/')
		return false;
	i = skip_lws(ct->p, i + 1, n);
	e = skip_token_bounded(ct->p, i, n);
	for (; i < e; i++, t++)
		if (!*t || vg_tolower(ct->p[i]) != vg_tolower(*t))
			return false;
	return !*t;
}

bool vg_sip_param(const struct vg_str *value, const char *name,
		  struct vg_str *out)
{
	const char *s = value->p;
	u32 n = value->len, i = 0, nl = (u32)strlen(name);

	if (!n)
		return false;	/* an empty view may have no pointer */
	while (i < n) {
		u32 ns, ne, vs, ve;

		if (s[i] == '"') {
			u32 e = skip_quoted(s, i, n);

			if (!e)
				return false;
			i = e;
			continue;
		}
		if (s[i] != ';') {
			i++;
			continue;
		}
		ns = skip_lws(s, i + 1, n);
		ne = skip_token_bounded(s, ns, n);
		i = skip_lws(s, ne, n);
		vs = ve = ne;
		if (i < n && s[i] == '=') {
			vs = skip_lws(s, i + 1, n);
			if (vs < n && s[vs] == '"') {
				ve = skip_quoted(s, vs, n);
				if (!ve)
					return false;
				i = ve;
				vs++;
				ve--;
			} else {
				ve = vs;
				while (ve < n && s[ve] != ';' && s[ve] != ',' &&
				       !is_wsp(s[ve]) && s[ve] != '\r' &&
				       s[ve] != '\n')
					ve++;
				i = ve;
			}
		}
		if (ne - ns == nl && !vg_strncasecmp(s + ns, name, nl)) {
			out->p = s + vs;
			out->len = ve - vs;
			return true;
		}
		if (i == ns)
			i++;
	}
	return false;
}

bool vg_sip_is_keepalive(const u8 *p, u32 len)
{
	u32 i;

	/* STUN: two zero bits, then the magic cookie 0x2112a442 */
	if (len >= 20 && !(p[0] & 0xc0) &&
	    p[4] == 0x21 && p[5] == 0x12 && p[6] == 0xa4 && p[7] == 0x42)
		return true;
	for (i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
		    p[i] != '\n' && p[i] != '\0')
			return false;
	return true;
}

struct vg_str vg_sip_uri_user(const struct vg_str *uri)
{
	struct vg_str u = { uri->p, 0 };
	const char *s = uri->p;
	u32 n = uri->len, i = 0, e;

	while (i < n && s[i] != ':')
		i++;
	if (i >= n)
		return u;
	if ((i == 3 && !vg_strncasecmp(s, "sip", 3)) ||
	    (i == 4 && !vg_strncasecmp(s, "sips", 4))) {
		const char *at = memchr(s + i + 1, '@', n - i - 1);

		if (!at)
			return u;
		e = i + 1;
		while (s + e < at && s[e] != ':' && s[e] != ';')
			e++;
	} else if (i == 3 && !vg_strncasecmp(s, "tel", 3)) {
		e = i + 1;
		while (e < n && s[e] != ';')
			e++;
	} else {
		u.len = n;
		return u;
	}
	u.p = s + i + 1;
	u.len = e - i - 1;
	return u;
}
