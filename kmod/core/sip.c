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

#define VG_U31_MAX	0x7fffffffu
#define VG_U32_MAX	0xffffffffu

/* Character classes of RFC 3261 section 25, one lookup per octet. */
#define CC_ALNUM	0x01u
#define CC_TOKEN	0x02u	/* token */
#define CC_URI		0x04u	/* unescaped in some URI part */
#define CC_WORD		0x08u	/* Call-ID word */
#define CC_HEX		0x10u
#define CC_HOST		0x20u	/* hostname (plus '_', seen in the wild) */
#define CC_WSP		0x40u
#define CC_GENVAL	0x80u	/* gen-value: token / host */

static const u8 vg_sip_cc[256] = {
	['0' ... '9'] = CC_ALNUM | CC_TOKEN | CC_URI | CC_WORD | CC_HEX | CC_HOST | CC_GENVAL,
	['a' ... 'f'] = CC_ALNUM | CC_TOKEN | CC_URI | CC_WORD | CC_HEX | CC_HOST | CC_GENVAL,
	['g' ... 'z'] = CC_ALNUM | CC_TOKEN | CC_URI | CC_WORD | CC_HOST | CC_GENVAL,
	['A' ... 'F'] = CC_ALNUM | CC_TOKEN | CC_URI | CC_WORD | CC_HEX | CC_HOST | CC_GENVAL,
	['G' ... 'Z'] = CC_ALNUM | CC_TOKEN | CC_URI | CC_WORD | CC_HOST | CC_GENVAL,
	['\t'] = CC_WSP,
	[' '] = CC_WSP,
	['!'] = CC_TOKEN | CC_URI | CC_WORD | CC_GENVAL,
	['"'] = CC_WORD,
	['#'] = CC_URI,
	['$'] = CC_URI,
	['%'] = CC_TOKEN | CC_URI | CC_WORD | CC_GENVAL,
	['&'] = CC_URI,
	['\''] = CC_TOKEN | CC_URI | CC_WORD | CC_GENVAL,
	['('] = CC_URI | CC_WORD,
	[')'] = CC_URI | CC_WORD,
	['*'] = CC_TOKEN | CC_URI | CC_WORD | CC_GENVAL,
	['+'] = CC_TOKEN | CC_URI | CC_WORD | CC_GENVAL,
	[','] = CC_URI,
	['-'] = CC_TOKEN | CC_URI | CC_WORD | CC_HOST | CC_GENVAL,
	['.'] = CC_TOKEN | CC_URI | CC_WORD | CC_HOST | CC_GENVAL,
	['/'] = CC_URI | CC_WORD,
	[':'] = CC_URI | CC_WORD | CC_GENVAL,
	[';'] = CC_URI,
	['<'] = CC_WORD,
	['='] = CC_URI,
	['>'] = CC_WORD,
	['?'] = CC_URI | CC_WORD,
	['@'] = CC_URI,
	['['] = CC_URI | CC_WORD | CC_GENVAL,
	['\\'] = CC_WORD,
	[']'] = CC_URI | CC_WORD | CC_GENVAL,
	['_'] = CC_TOKEN | CC_URI | CC_WORD | CC_HOST | CC_GENVAL,
	['`'] = CC_TOKEN | CC_WORD | CC_GENVAL,
	['{'] = CC_WORD,
	['}'] = CC_WORD,
	['~'] = CC_TOKEN | CC_URI | CC_WORD | CC_GENVAL,
};

static bool cc_is(char c, u8 cls)
{
	return vg_sip_cc[(u8)c] & cls;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return cc_is(c, CC_ALNUM);
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

static bool is_word_char(char c)
{
	return cc_is(c, CC_WORD);
}

static bool is_uri_char(char c)
{
	return cc_is(c, CC_URI);
}

/* Skip linear white space, folds included, inside a field view. */
static u32 skip_lws(const char *s, u32 i, u32 n)
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

static u32 skip_token(const char *s, u32 i, u32 n)
{
	while (i < n && is_token_char(s[i]))
		i++;
	return i;
}

/*
 * Skip a quoted-string starting at s[i] == '"'. Returns the index after
 * the closing quote, or 0 when the string does not close (never valid as
 * an end index, since the opening quote is at i >= 0).
 */
static u32 skip_quoted(const char *s, u32 i, u32 n)
{
	i++;
	while (i < n) {
		if (s[i] == '"')
			return i + 1;
		if (s[i] == '\\') {
			/* quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F) */
			if (i + 1 >= n || s[i + 1] == '\r' || s[i + 1] == '\n' ||
			    (u8)s[i + 1] > 0x7f)
				return 0;
			i += 2;
			continue;
		}
		i++;
	}
	return 0;
}

/* Parse 1*DIGIT at s[*i]; saturates at VG_U32_MAX + 1 so huge values show. */
static bool parse_digits(const char *s, u32 *i, u32 n, u64 *val)
{
	u64 v = 0;
	u32 start = *i;

	while (*i < n && is_digit(s[*i])) {
		if (v <= VG_U32_MAX)
			v = v * 10 + (u64)(s[*i] - '0');
		(*i)++;
	}
	*val = v;
	return *i > start;
}

/* A field value that must be exactly 1*DIGIT with optional LWS around. */
static bool parse_number_value(const struct vg_str *v, u64 *val)
{
	u32 i = skip_lws(v->p, 0, v->len);

	if (!parse_digits(v->p, &i, v->len, val))
		return false;
	return skip_lws(v->p, i, v->len) == v->len;
}

void vg_sip_limits_default(struct vg_sip_limits *lim)
{
	const struct vg_sip_limits def = VG_SIP_LIMITS_DEFAULT;

	*lim = def;
}

static const struct {
	const char *name;
	enum vg_sip_method id;
} vg_sip_methods[] = {
	{ "INVITE", VG_SIP_M_INVITE },
	{ "ACK", VG_SIP_M_ACK },
	{ "BYE", VG_SIP_M_BYE },
	{ "CANCEL", VG_SIP_M_CANCEL },
	{ "OPTIONS", VG_SIP_M_OPTIONS },
	{ "REGISTER", VG_SIP_M_REGISTER },
	{ "PRACK", VG_SIP_M_PRACK },
	{ "UPDATE", VG_SIP_M_UPDATE },
	{ "SUBSCRIBE", VG_SIP_M_SUBSCRIBE },
	{ "NOTIFY", VG_SIP_M_NOTIFY },
	{ "REFER", VG_SIP_M_REFER },
	{ "MESSAGE", VG_SIP_M_MESSAGE },
	{ "INFO", VG_SIP_M_INFO },
	{ "PUBLISH", VG_SIP_M_PUBLISH },
};

enum vg_sip_method vg_sip_method_id(const char *p, u32 len)
{
	size_t k;

	for (k = 0; k < VG_ARRAY_SIZE(vg_sip_methods); k++) {
		if (strlen(vg_sip_methods[k].name) == len &&
		    !memcmp(vg_sip_methods[k].name, p, len))
			return vg_sip_methods[k].id;
	}
	return VG_SIP_M_OTHER;
}

/* hostname / IPv4address / IPv6reference, as far as a filter cares. */
static u32 skip_host(const char *s, u32 i, u32 n)
{
	if (i < n && s[i] == '[') {
		u32 j = i + 1;

		while (j < n && (is_hex(s[j]) || s[j] == ':' || s[j] == '.'))
			j++;
		if (j >= n || s[j] != ']' || j == i + 1)
			return i;
		return j + 1;
	}
	while (i < n && cc_is(s[i], CC_HOST))
		i++;
	return i;
}

/*
 * URI sanity: a scheme, URI characters only, well-formed escapes; for sip:
 * and sips: also a host, a numeric port, and headers ("?...") only where
 * allowed (never in a Request-URI, RFC 3261 19.1.1).
 */
static bool check_uri(const char *s, u32 n, bool allow_headers)
{
	u32 i = 0, at = n, k, hs, he;
	bool sip;

	if (n == 0 || !is_alpha(s[0]))
		return false;
	while (i < n && (is_alnum(s[i]) || s[i] == '+' || s[i] == '-' ||
			 s[i] == '.'))
		i++;
	if (i >= n || s[i] != ':')
		return false;
	sip = (i == 3 && !vg_strncasecmp(s, "sip", 3)) ||
	      (i == 4 && !vg_strncasecmp(s, "sips", 4));
	for (k = i + 1; k < n; k++) {
		if (s[k] == '%') {
			if (k + 2 >= n || !is_hex(s[k + 1]) || !is_hex(s[k + 2]))
				return false;
			k += 2;
		} else if (!is_uri_char(s[k])) {
			return false;
		} else if (s[k] == '@') {
			/* userinfo ends at the one '@'; nothing else holds one */
			if (sip && at != n)
				return false;
			at = k;
		}
	}
	if (!sip)
		return i + 1 < n;
	hs = at == n ? i + 1 : at + 1;
	if (at != n && at == i + 1)
		return false;		/* empty user */
	he = skip_host(s, hs, n);
	if (he == hs)
		return false;
	if (he < n && s[he] == ':') {
		u64 port;

		he++;
		if (!parse_digits(s, &he, n, &port) || port > 65535)
			return false;
	}
	if (he == n)
		return true;
	if (s[he] != ';' && s[he] != '?')
		return false;
	return allow_headers || !memchr(s + he, '?', n - he);
}

/* gen-value = token / host / quoted-string; returns end or start on error. */
static u32 skip_gen_value(const char *s, u32 i, u32 n)
{
	if (i < n && s[i] == '"') {
		u32 e = skip_quoted(s, i, n);

		return e ? e : i;
	}
	while (i < n && cc_is(s[i], CC_GENVAL))
		i++;
	return i;
}

/*
 * *( SEMI param ) with param = token [ EQUAL gen-value ]. Stops before
 * anything that is not ';' after LWS. Returns false on an empty or
 * malformed parameter. When tag is given, the tag value is stored there.
 */
static bool parse_params(const char *s, u32 *pi, u32 n, struct vg_str *tag,
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
		if (tag && ne - ns == 3 && !vg_strncasecmp(s + ns, "tag", 3)) {
			tag->p = s + vs;
			tag->len = ve - vs;
		}
		if (branch && ne - ns == 6 &&
		    !vg_strncasecmp(s + ns, "branch", 6)) {
			branch->p = s + vs;
			branch->len = ve - vs;
		}
	}
	*pi = i;
	return true;
}

/*
 * One address: name-addr / addr-spec, then header parameters.
 * (RFC 3261 20.10: a URI holding ',', '?' or ';' needs the angle brackets;
 * without them ';' starts header parameters.)
 */
static bool parse_one_addr(const char *s, u32 *pi, u32 n, bool in_list,
			   u32 max_uri, struct vg_sip_addr *out)
{
	u32 i = skip_lws(s, *pi, n), us, ue;
	struct vg_sip_addr a = { .present = true };
	bool angle = false;

	if (i >= n)
		return false;
	if (s[i] == '"') {
		u32 e = skip_quoted(s, i, n);

		if (!e)
			return false;
		a.display.p = s + i;
		a.display.len = e - i;
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
				a.display.p = s + start;
				a.display.len = last_end - start;
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
		us = i + 1;
		ue = us;
		while (ue < n && s[ue] != '>') {
			/* LAQUOT and RAQUOT take no white space inside */
			if (is_wsp(s[ue]) || s[ue] == '\r' || s[ue] == '\n')
				return false;
			ue++;
		}
		if (ue >= n)
			return false;
		i = ue + 1;
	} else {
		us = i;
		ue = i;
		while (ue < n && s[ue] != ';' && !(in_list && s[ue] == ',') &&
		       !is_wsp(s[ue]) && s[ue] != '\r' && s[ue] != '\n')
			ue++;
		i = ue;
	}
	if (ue - us > max_uri || !check_uri(s + us, ue - us, angle))
		return false;
	a.uri.p = s + us;
	a.uri.len = ue - us;
	if (!parse_params(s, &i, n, &a.tag, NULL))
		return false;
	*pi = i;
	if (out)
		*out = a;
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
	bool have_first = false;

	for (;;) {
		struct vg_sip_addr a;

		if (!parse_one_addr(v->p, &i, n, list, max_uri, &a))
			return false;
		if (first && !have_first && !first->present)
			*first = a;
		have_first = true;
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
 * Via = via-parm *(COMMA via-parm)
 * via-parm = sent-protocol LWS sent-by *( SEMI via-params )
 */
static bool parse_via(const struct vg_str *v, struct vg_sip_msg *msg)
{
	const char *s = v->p;
	u32 i = 0, n = v->len;

	for (;;) {
		struct vg_sip_via via;
		u32 e, k, part;

		memset(&via, 0, sizeof(via));
		i = skip_lws(s, i, n);
		/* protocol-name / protocol-version / transport */
		for (part = 0; part < 3; part++) {
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
				via.transport.p = s + i;
				via.transport.len = e - i;
			}
			i = e;
		}
		k = skip_lws(s, i, n);
		if (k == i)
			return false;
		i = k;
		e = skip_host(s, i, n);
		if (e == i)
			return false;
		via.host.p = s + i;
		via.host.len = e - i;
		i = skip_lws(s, e, n);
		if (i < n && s[i] == ':') {
			u64 port;

			i = skip_lws(s, i + 1, n);
			if (!parse_digits(s, &i, n, &port) || port > 65535)
				return false;
			via.port = (u16)port;
		} else {
			i = e;
		}
		if (!parse_params(s, &i, n, NULL, &via.branch))
			return false;
		if (msg->via_count == 0)
			msg->via = via;
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
	u32 i, ats = 0;

	if (v->len == 0 || v->p[0] == '@' || v->p[v->len - 1] == '@')
		return false;
	for (i = 0; i < v->len; i++) {
		if (v->p[i] == '@') {
			if (++ats > 1)
				return false;
		} else if (!is_word_char(v->p[i])) {
			return false;
		}
	}
	return true;
}

/* media-type = m-type SLASH m-subtype *(SEMI m-parameter) */
static bool check_content_type(const struct vg_str *v)
{
	const char *s = v->p;
	u32 i = 0, n = v->len, e;

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
	H__COUNT
};

#define VG_HDR(name, compact, id) { name, sizeof(name) - 1, compact, id }
static const struct {
	const char *name;
	u8 len;
	char compact;
	enum vg_hdr id;
} vg_sip_headers[] = {
	VG_HDR("Via", 'v', H_VIA),
	VG_HDR("From", 'f', H_FROM),
	VG_HDR("To", 't', H_TO),
	VG_HDR("Call-ID", 'i', H_CALL_ID),
	VG_HDR("CSeq", 0, H_CSEQ),
	VG_HDR("Contact", 'm', H_CONTACT),
	VG_HDR("Content-Length", 'l', H_CONTENT_LENGTH),
	VG_HDR("Content-Type", 'c', H_CONTENT_TYPE),
	VG_HDR("Expires", 0, H_EXPIRES),
	VG_HDR("Max-Forwards", 0, H_MAX_FORWARDS),
	VG_HDR("Route", 0, H_ROUTE),
	VG_HDR("Record-Route", 0, H_RECORD_ROUTE),
	VG_HDR("Date", 0, H_DATE),
	VG_HDR("Accept", 0, H_ACCEPT),
};
#undef VG_HDR

static enum vg_hdr header_id(const char *p, u32 len)
{
	char first = vg_tolower(p[0]);
	size_t k;

	for (k = 0; k < VG_ARRAY_SIZE(vg_sip_headers); k++) {
		if (len == 1) {
			if (vg_sip_headers[k].compact == first)
				return vg_sip_headers[k].id;
			continue;
		}
		if (vg_sip_headers[k].len == len &&
		    vg_tolower(vg_sip_headers[k].name[0]) == first &&
		    !vg_strncasecmp(p, vg_sip_headers[k].name, len))
			return vg_sip_headers[k].id;
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

static bool is_sip_version(const char *p, u32 len)
{
	return len == 7 && !vg_strncasecmp(p, "SIP/2.0", 7);
}

/* Request-Line = Method SP Request-URI SP SIP-Version CRLF */
static enum vg_reason parse_request_line(const char *s, u32 n,
					 const struct vg_sip_limits *lim,
					 struct vg_sip_msg *msg)
{
	u32 sp1, spl, i;

	if (n == 0 || is_wsp(s[0]) || is_wsp(s[n - 1]))
		return VG_R_SIP_BAD_START_LINE;
	for (sp1 = 0; sp1 < n && s[sp1] != ' '; sp1++)
		;
	for (spl = n; spl > 0 && s[spl - 1] != ' '; spl--)
		;
	if (sp1 >= n || spl == 0 || spl - 1 <= sp1)
		return VG_R_SIP_BAD_START_LINE;
	spl--;
	for (i = 0; i < sp1; i++)
		if (!is_token_char(s[i]))
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
	for (i = sp1 + 1; i < spl; i++)
		if (is_wsp(s[i]))
			return VG_R_SIP_BAD_URI;
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

enum vg_reason vg_sip_parse(const char *buf, u32 len,
			    const struct vg_sip_limits *lim,
			    struct vg_sip_msg *msg)
{
	static const struct vg_sip_limits defaults = VG_SIP_LIMITS_DEFAULT;
	struct vg_sip_pstate ps = { 0 };
	u32 i = 0, eol, next, body_start, rest;
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
	if (i >= len || !line_end(buf, len, i, &eol, &next))
		return VG_R_SIP_BAD_START_LINE;
	if (memchr(buf + i, '\r', eol - i) || memchr(buf + i, '\0', eol - i))
		return VG_R_SIP_BAD_START_LINE;
	if (eol - i >= 4 && !vg_strncasecmp(buf + i, "SIP/", 4))
		r = parse_status_line(buf + i, eol - i, msg);
	else
		r = parse_request_line(buf + i, eol - i, lim, msg);
	if (r)
		return r;

	/* header fields, up to the empty line */
	i = next;
	for (;;) {
		u32 fs = i, fe, ne, colon, vs, ve;
		struct vg_str v;
		enum vg_hdr h;

		if (i >= len || !line_end(buf, len, i, &eol, &next)) {
			msg->flags |= VG_SIP_F_INCOMPLETE;
			return VG_R_SIP_BAD_HEADER;	/* no end of headers */
		}
		if (eol == i)
			break;				/* empty line */
		if (is_wsp(buf[i]))
			return VG_R_SIP_BAD_HEADER;	/* fold with no field */
		/* extend over folds: lines that start with SP or HT */
		while (next < len && is_wsp(buf[next])) {
			if (!line_end(buf, len, next, &eol, &next))
				return VG_R_SIP_BAD_HEADER;
		}
		fe = eol;
		if (fe - fs > lim->max_header_len)
			return VG_R_SIP_HEADER_TOO_LONG;
		if (++msg->header_count > lim->max_headers)
			return VG_R_SIP_TOO_MANY_HEADERS;
		/* a CR that does not end a line is not SIP */
		for (ne = fs; ne < fe; ne++) {
			const char *cr = memchr(buf + ne, '\r', fe - ne);

			if (!cr)
				break;
			ne = (u32)(cr - buf);
			if (ne + 1 >= fe || buf[ne + 1] != '\n')
				return VG_R_SIP_BAD_HEADER;
		}
		/* header-name HCOLON: HCOLON = *( SP / HTAB ) ":" SWS */
		ne = skip_token(buf, fs, fe);
		if (ne == fs)
			return VG_R_SIP_BAD_HEADER;
		colon = ne;
		while (colon < fe && is_wsp(buf[colon]))
			colon++;
		if (colon >= fe || buf[colon] != ':')
			return VG_R_SIP_BAD_HEADER;
		vs = skip_lws(buf, colon + 1, fe);
		ve = fe;
		while (ve > vs && (is_wsp(buf[ve - 1]) || buf[ve - 1] == '\r' ||
				   buf[ve - 1] == '\n'))
			ve--;
		v.p = buf + vs;
		v.len = ve - vs;
		h = header_id(buf + fs, ne - fs);
		r = handle_header(&ps, msg, h, &v);
		if (r)
			return r;
		i = next;
	}
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
	if (msg->is_request &&
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
}

bool vg_sip_content_type_is(const struct vg_str *ct, const char *type)
{
	const char *slash = strchr(type, '/');
	u32 i, e, tl, n = ct->len;

	if (!slash)
		return false;
	tl = (u32)(slash - type);
	i = skip_lws(ct->p, 0, n);
	e = skip_token(ct->p, i, n);
	if (e - i != tl || vg_strncasecmp(ct->p + i, type, tl))
		return false;
	i = skip_lws(ct->p, e, n);
	if (i >= n || ct->p[i] != '/')
		return false;
	i = skip_lws(ct->p, i + 1, n);
	e = skip_token(ct->p, i, n);
	tl = (u32)strlen(slash + 1);
	return e - i == tl && !vg_strncasecmp(ct->p + i, slash + 1, tl);
}

bool vg_sip_param(const struct vg_str *value, const char *name,
		  struct vg_str *out)
{
	const char *s = value->p;
	u32 n = value->len, i = 0, nl = (u32)strlen(name);

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
		ne = skip_token(s, ns, n);
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
