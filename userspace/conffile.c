// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration statements: parsing (command line and files), sending as
 * netlink requests, and reading the running configuration back as the
 * same statements.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "conffile.h"
#include "conffile_model.h"
#include "vgctl.h"

/* Prefixes per ZONE_ADD message: keeps a request well under 32 KiB. */
#define VG_CF_ZONE_CHUNK	400
#define VG_CF_MSG_SIZE		32768

static const char *const vg_class_names[] = {
	[VG_CLASS_SIP] = "sip",
	[VG_CLASS_SIP_TLS] = "sip-tls",
	[VG_CLASS_RTP] = "rtp",
	[VG_CLASS_H323] = "h323",
	[VG_CLASS_MGCP] = "mgcp",
	[VG_CLASS_OTHER] = "other",
	[VG_CLASS_ANY] = "any",
};

static const char *const vg_action_names[] = {
	[VG_ACTION_ACCEPT] = "accept",
	[VG_ACTION_DROP] = "drop",
	[VG_ACTION_MONITOR] = "monitor",
};

static const char *const vg_mode_words[] = {
	[VG_MODE_ENFORCE] = "enforce",
	[VG_MODE_MONITOR] = "monitor",
};

static const char *const vg_tcp_split_words[] = {
	[VG_TCP_SPLIT_PASS] = "pass",
	[VG_TCP_SPLIT_DROP] = "drop",
};

const struct vg_cf_key vg_cf_config_keys[] = {
	{ "mode", VG_CFG_A_MODE, VG_K_MODE },
	{ "sip-ports", VG_CFG_A_SIP_PORTS, VG_K_PORTS },
	{ "media-ports", VG_CFG_A_MEDIA_PORTS, VG_K_PORTS },
	{ "dscp-rtp", VG_CFG_A_DSCP_RTP, VG_K_DSCP },
	{ "dscp-sip", VG_CFG_A_DSCP_SIP, VG_K_DSCP },
	{ "priority-rtp", VG_CFG_A_PRIORITY_RTP, VG_K_U32 },
	{ "priority-sip", VG_CFG_A_PRIORITY_SIP, VG_K_U32 },
	{ "mark-rtp", VG_CFG_A_MARK_RTP, VG_K_U32 },
	{ "mark-sip", VG_CFG_A_MARK_SIP, VG_K_U32 },
	{ "media-timeout", VG_CFG_A_MEDIA_TIMEOUT, VG_K_U32 },
	{ "call-timeout", VG_CFG_A_CALL_TIMEOUT, VG_K_U32 },
	{ "max-streams", VG_CFG_A_MAX_STREAMS, VG_K_U32 },
	{ "max-calls", VG_CFG_A_MAX_CALLS, VG_K_U32 },
	{ "max-sources", VG_CFG_A_MAX_SOURCES, VG_K_U32 },
	{ "max-streams-per-call", VG_CFG_A_MAX_STREAMS_PER_CALL, VG_K_U32 },
	{ "media-strict", VG_CFG_A_MEDIA_STRICT, VG_K_BOOL },
	{ "direct-media", VG_CFG_A_DIRECT_MEDIA, VG_K_BOOL },
	{ "peer-restrict", VG_CFG_A_PEER_RESTRICT, VG_K_BOOL },
	{ "tcp-split", VG_CFG_A_TCP_SPLIT, VG_K_TCP_SPLIT },
	{ "source-prefix6", VG_CFG_A_SOURCE_PREFIX6, VG_K_U8 },
	{ "emergency", VG_CFG_A_EMERGENCY, VG_K_STRINGS },
	{ "sip-max-msg", VG_CFG_A_SIP_MAX_MSG, VG_K_U32 },
	{ "sip-max-headers", VG_CFG_A_SIP_MAX_HEADERS, VG_K_U32 },
	{ "sip-max-header-len", VG_CFG_A_SIP_MAX_HEADER_LEN, VG_K_U32 },
	{ "sip-max-uri-len", VG_CFG_A_SIP_MAX_URI_LEN, VG_K_U32 },
	{ "event-rate", VG_CFG_A_EVENT_RATE, VG_K_U32 },
	{ NULL, 0, 0 }
};

static void cf_err(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cf_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

const char *vg_cf_class_name(int cls)
{
	if (cls >= 0 && cls <= VG_CLASS_MAX)
		return vg_class_names[cls];
	return "?";
}

const char *vg_cf_action_name(int action)
{
	if (action >= 0 && action <= VG_ACTION_MAX)
		return vg_action_names[action];
	return "?";
}

static int word_index(const char *const *words, int n, const char *w)
{
	int i;

	for (i = 0; i < n; i++)
		if (words[i] && !strcmp(words[i], w))
			return i;
	return -1;
}

/* ---- Values ---- */

/*
 * A decimal number (a leading 0 does not make it octal), or with @hex also
 * 0x and hex digits.
 */
static int parse_num(const char *s, bool hex, uint32_t *out, char *err,
		     size_t len)
{
	const char *digits = s, *set = "0123456789";
	unsigned long long v;
	int base = 10;

	if (hex && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		digits = s + 2;
		set = "0123456789abcdefABCDEF";
		base = 16;
	}
	/* Digits only: strtoull would also take blanks, a sign or a 0x. */
	if (!*digits || digits[strspn(digits, set)]) {
		cf_err(err, len, hex ?
		       "'%s' is not a number (decimal or 0x hex)" :
		       "'%s' is not a decimal number", s);
		return -1;
	}
	errno = 0;
	v = strtoull(digits, NULL, base);
	if (errno == ERANGE || v > UINT32_MAX) {
		cf_err(err, len, "%s is out of range (at most %u)", s,
		       UINT32_MAX);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int parse_u32(const char *s, uint32_t *out, char *err, size_t len)
{
	return parse_num(s, false, out, err, len);
}

static int parse_dscp(const char *s, uint32_t *out, char *err, size_t len)
{
	unsigned int a, b;

	if (!strcasecmp(s, "ef")) {
		*out = 46;
		return 0;
	}
	if (!strcasecmp(s, "be") || !strcasecmp(s, "default")) {
		*out = 0;
		return 0;
	}
	if ((s[0] == 'c' || s[0] == 'C') && (s[1] == 's' || s[1] == 'S') &&
	    s[2] >= '0' && s[2] <= '7' && !s[3]) {
		*out = (s[2] - '0') * 8;
		return 0;
	}
	if ((s[0] == 'a' || s[0] == 'A') && (s[1] == 'f' || s[1] == 'F') &&
	    sscanf(s + 2, "%1u%1u", &a, &b) == 2 && !s[4] && a >= 1 &&
	    a <= 4 && b >= 1 && b <= 3) {
		*out = a * 8 + b * 2;
		return 0;
	}
	if (parse_u32(s, out, err, len))
		return -1;
	if (*out > 63) {
		cf_err(err, len, "DSCP %s is out of range (0..63)", s);
		return -1;
	}
	return 0;
}

static int parse_bool(const char *s, uint32_t *out, char *err, size_t len)
{
	if (!strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "1")) {
		*out = 1;
		return 0;
	}
	if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "0")) {
		*out = 0;
		return 0;
	}
	cf_err(err, len, "'%s' is not on or off", s);
	return -1;
}

static int parse_ports(const char *s, struct vg_cf_value *v, char *err,
		       size_t len)
{
	char buf[256], *tok, *save = NULL, *dash;
	uint32_t a, b;

	if (strlen(s) >= sizeof(buf)) {
		cf_err(err, len, "port list too long");
		return -1;
	}
	strcpy(buf, s);
	v->n = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (v->n == VG_CF_PORT_RANGES) {
			cf_err(err, len, "too many port ranges (at most %d)",
			       VG_CF_PORT_RANGES);
			return -1;
		}
		dash = strchr(tok, '-');
		if (dash)
			*dash = '\0';
		if (parse_u32(tok, &a, err, len) ||
		    (dash && parse_u32(dash + 1, &b, err, len)))
			return -1;
		if (!dash)
			b = a;
		if (!a || a > 65535 || !b || b > 65535 || b < a) {
			cf_err(err, len,
			       "bad port range '%s' (ports 1..65535, FIRST-LAST with LAST >= FIRST)",
			       s);
			return -1;
		}
		v->first[v->n] = a;
		v->last[v->n] = b;
		v->n++;
	}
	if (!v->n) {
		cf_err(err, len, "empty port list");
		return -1;
	}
	return 0;
}

static int parse_strings(const char *s, struct vg_cf_value *v, char *err,
			 size_t len)
{
	const char *p = s, *comma;
	size_t n;

	v->n = 0;
	if (!strcmp(s, "none"))
		return 0;
	while (*p) {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (!n || n >= VG_CF_STRING_LEN) {
			cf_err(err, len,
			       "emergency entries are 1..%d characters, comma separated",
			       VG_CF_STRING_LEN - 1);
			return -1;
		}
		if (v->n == VG_CF_STRINGS) {
			cf_err(err, len, "too many entries (at most %d)",
			       VG_CF_STRINGS);
			return -1;
		}
		memcpy(v->str[v->n], p, n);
		v->str[v->n][n] = '\0';
		v->n++;
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

int vg_cf_parse_value(const struct vg_cf_key *k, const char *s,
		      struct vg_cf_value *v, char *err, size_t len)
{
	int i;

	memset(v, 0, sizeof(*v));
	v->attr = k->attr;
	v->kind = k->kind;
	switch (k->kind) {
	case VG_K_MODE:
		i = word_index(vg_mode_words, VG_MODE_MAX + 1, s);
		if (i < 0) {
			cf_err(err, len, "expected enforce or monitor, not '%s'",
			       s);
			return -1;
		}
		v->u = i;
		return 0;
	case VG_K_TCP_SPLIT:
		i = word_index(vg_tcp_split_words, VG_TCP_SPLIT_MAX + 1, s);
		if (i < 0) {
			cf_err(err, len, "expected pass or drop, not '%s'",
			       s);
			return -1;
		}
		v->u = i;
		return 0;
	case VG_K_BOOL:
		return parse_bool(s, &v->u, err, len);
	case VG_K_DSCP:
		return parse_dscp(s, &v->u, err, len);
	case VG_K_U8:
		if (parse_u32(s, &v->u, err, len))
			return -1;
		if (v->u > 255) {
			cf_err(err, len, "%s is out of range (at most 255)", s);
			return -1;
		}
		return 0;
	case VG_K_U32:
		/* Marks are bit patterns: hex is allowed for them. */
		return parse_num(s, k->attr == VG_CFG_A_MARK_RTP ||
				 k->attr == VG_CFG_A_MARK_SIP, &v->u, err, len);
	case VG_K_PORTS:
		return parse_ports(s, v, err, len);
	case VG_K_STRINGS:
		return parse_strings(s, v, err, len);
	}
	cf_err(err, len, "internal error: unknown key kind");
	return -1;
}

const char *vg_cf_config_key_name(int attr)
{
	const struct vg_cf_key *k;

	for (k = vg_cf_config_keys; k->name; k++)
		if (k->attr == attr)
			return k->name;
	return NULL;
}

void vg_cf_format_value(const struct vg_cf_value *v, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	switch (v->kind) {
	case VG_K_MODE:
		snprintf(buf, len, "%s", v->u <= VG_MODE_MAX ?
			 vg_mode_words[v->u] : "?");
		break;
	case VG_K_TCP_SPLIT:
		snprintf(buf, len, "%s", v->u <= VG_TCP_SPLIT_MAX ?
			 vg_tcp_split_words[v->u] : "?");
		break;
	case VG_K_BOOL:
		snprintf(buf, len, "%s", v->u ? "on" : "off");
		break;
	case VG_K_PORTS:
		for (i = 0; i < v->n && used < len; i++) {
			if (v->first[i] == v->last[i])
				used += snprintf(buf + used, len - used,
						 "%s%u", i ? "," : "",
						 v->first[i]);
			else
				used += snprintf(buf + used, len - used,
						 "%s%u-%u", i ? "," : "",
						 v->first[i], v->last[i]);
		}
		break;
	case VG_K_STRINGS:
		if (!v->n)
			snprintf(buf, len, "none");
		for (i = 0; i < v->n && used < len; i++)
			used += snprintf(buf + used, len - used, "%s%s",
					 i ? "," : "", v->str[i]);
		break;
	default:
		snprintf(buf, len, "%" PRIu32, v->u);
		break;
	}
}

const struct vg_cf_key *vg_cf_find_key(const struct vg_cf_key *keys,
				       const char *name)
{
	for (; keys->name; keys++)
		if (!strcmp(keys->name, name))
			return keys;
	return NULL;
}

/* ---- Prefixes ---- */

static bool prefix_masked(const struct vg_cf_prefix *p)
{
	int bytes = p->family == AF_INET ? 4 : 16, i;

	for (i = 0; i < bytes; i++) {
		int keep = (int)p->len - i * 8;
		uint8_t mask = keep >= 8 ? 0xff : keep <= 0 ? 0 :
			       (uint8_t)(0xff << (8 - keep));

		if (p->addr[i] & ~mask)
			return false;
	}
	return true;
}

static void prefix_mask(struct vg_cf_prefix *p)
{
	int bytes = p->family == AF_INET ? 4 : 16, i;

	for (i = 0; i < bytes; i++) {
		int keep = (int)p->len - i * 8;

		p->addr[i] &= keep >= 8 ? 0xff : keep <= 0 ? 0 :
			      (uint8_t)(0xff << (8 - keep));
	}
}

void vg_cf_format_prefix(const struct vg_cf_prefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(p->family, p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->len);
}

int vg_cf_parse_prefix(const char *s, struct vg_cf_prefix *p, char *err,
		       size_t len)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, fixed[64];
	uint32_t plen;
	int max;

	memset(p, 0, sizeof(*p));
	if (strlen(s) >= sizeof(buf)) {
		cf_err(err, len, "bad prefix '%s'", s);
		return -1;
	}
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, p->addr) == 1) {
		p->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, p->addr) == 1) {
		p->family = AF_INET6;
		max = 128;
	} else {
		cf_err(err, len,
		       "bad prefix '%s' (expected ADDRESS/LENGTH, IPv4 or IPv6)",
		       s);
		return -1;
	}
	plen = max;
	if (slash) {
		char dummy[128];

		if (!slash[1] || parse_u32(slash + 1, &plen, dummy,
					   sizeof(dummy)) || plen > (uint32_t)max) {
			cf_err(err, len,
			       "bad prefix '%s' (length 0..%d)", s, max);
			return -1;
		}
	}
	p->len = plen;
	if (!prefix_masked(p)) {
		struct vg_cf_prefix m = *p;

		prefix_mask(&m);
		vg_cf_format_prefix(&m, fixed, sizeof(fixed));
		cf_err(err, len,
		       "bad prefix '%s': address bits set past the length (did you mean %s?)",
		       s, fixed);
		return -1;
	}
	return 0;
}

/* ---- Statements ---- */

static int zone_name_ok(const char *s, char *err, size_t len)
{
	const char *p;

	if (!*s || strlen(s) >= VG_NAME_MAX) {
		cf_err(err, len, "zone name must be 1..%d characters",
		       VG_NAME_MAX - 1);
		return -1;
	}
	if (!strcmp(s, VG_ZONE_ANY) || !strcmp(s, VG_ZONE_UNZONED)) {
		cf_err(err, len, "'%s' is reserved and cannot name a zone", s);
		return -1;
	}
	for (p = s; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		      *p == '.')) {
			cf_err(err, len,
			       "bad zone name '%s' (letters, digits, '-', '_', '.')",
			       s);
			return -1;
		}
	}
	return 0;
}

/* A zone name or "any" in policy and srtp statements. */
static int zone_ref_ok(const char *s, char *err, size_t len)
{
	if (!strcmp(s, VG_ZONE_ANY))
		return 0;
	return zone_name_ok(s, err, len);
}

static int parse_zone(int argc, char **argv, struct vg_stmt *st, char *err,
		      size_t len)
{
	int i;

	if (argc < 1) {
		cf_err(err, len, "zone: expected NAME [dscp-default DSCP] PREFIX...");
		return -1;
	}
	if (zone_name_ok(argv[0], err, len))
		return -1;
	snprintf(st->name, sizeof(st->name), "%s", argv[0]);
	st->pfx = calloc(argc, sizeof(*st->pfx));
	if (!st->pfx) {
		cf_err(err, len, "out of memory");
		return -1;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "dscp-default")) {
			uint32_t d;

			if (i + 1 >= argc) {
				cf_err(err, len, "dscp-default needs a value");
				return -1;
			}
			if (parse_dscp(argv[++i], &d, err, len))
				return -1;
			st->dscp_default = d;
			continue;
		}
		if (vg_cf_parse_prefix(argv[i], &st->pfx[st->n_pfx], err, len))
			return -1;
		st->n_pfx++;
	}
	return 0;
}

static int parse_class(const char *s, int *cls, char *err, size_t len)
{
	*cls = word_index(vg_class_names, VG_CLASS_MAX + 1, s);
	if (*cls < 0) {
		cf_err(err, len,
		       "unknown class '%s' (sip, sip-tls, rtp, h323, mgcp, other, any)",
		       s);
		return -1;
	}
	return 0;
}

static int parse_policy(int argc, char **argv, struct vg_stmt *st, bool del,
			char *err, size_t len)
{
	if (argc != (del ? 3 : 4)) {
		cf_err(err, len, del ? "policy del: expected FROM TO CLASS" :
		       "policy: expected FROM TO CLASS ACTION");
		return -1;
	}
	if (zone_ref_ok(argv[0], err, len) || zone_ref_ok(argv[1], err, len) ||
	    parse_class(argv[2], &st->cls, err, len))
		return -1;
	snprintf(st->name, sizeof(st->name), "%s", argv[0]);
	snprintf(st->to, sizeof(st->to), "%s", argv[1]);
	if (del)
		return 0;
	st->action = word_index(vg_action_names, VG_ACTION_MAX + 1, argv[3]);
	if (st->action < 0) {
		cf_err(err, len, "unknown action '%s' (accept, drop, monitor)",
		       argv[3]);
		return -1;
	}
	return 0;
}

static int parse_config(int argc, char **argv, struct vg_stmt *st, char *err,
			size_t len)
{
	const struct vg_cf_key *k;
	int i;

	if (argc < 2) {
		cf_err(err, len, "config: expected KEY VALUE [KEY VALUE...]");
		return -1;
	}
	for (i = 0; i < argc; i += 2) {
		k = vg_cf_find_key(vg_cf_config_keys, argv[i]);
		if (!k) {
			cf_err(err, len, "unknown config key '%s'", argv[i]);
			return -1;
		}
		if (i + 1 >= argc) {
			cf_err(err, len, "config: missing value for '%s'",
			       argv[i]);
			return -1;
		}
		if (st->n_val == VG_CF_MAX_VALUES) {
			cf_err(err, len, "too many keys in one statement");
			return -1;
		}
		if (vg_cf_parse_value(k, argv[i + 1], &st->val[st->n_val],
				      err, len)) {
			char why[200];

			snprintf(why, sizeof(why), "%s", err);
			cf_err(err, len, "%s: %s", k->name, why);
			return -1;
		}
		st->n_val++;
	}
	return 0;
}

/* Limit keys and the attributes their arguments become. */
static const struct {
	const char *name;
	int nargs;
	int attr[2];
} vg_limit_keys[] = {
	{ "sip-source", 2, { VG_LIMIT_A_SIP_RATE, VG_LIMIT_A_SIP_BURST } },
	{ "invite-weight", 1, { VG_LIMIT_A_INVITE_WEIGHT } },
	{ "register-weight", 1, { VG_LIMIT_A_REGISTER_WEIGHT } },
	{ "calls-per-source", 1, { VG_LIMIT_A_CALLS_PER_SOURCE } },
	{ "calls-per-zone", 2, { VG_LIMIT_A_ZONE_CALLS } },
	{ "global", 2, { VG_LIMIT_A_GLOBAL_RATE, VG_LIMIT_A_GLOBAL_BURST } },
	{ "rtp-headroom", 1, { VG_LIMIT_A_RTP_HEADROOM } },
	{ "rtp-rate", 1, { VG_LIMIT_A_RTP_RATE } },
};

static int parse_limit(int argc, char **argv, struct vg_stmt *st, char *err,
		       size_t len)
{
	struct vg_cf_value *v;
	size_t k;
	int i = 0, a;

	if (argc < 2) {
		cf_err(err, len, "limit: expected KEY ARGS [KEY ARGS...]");
		return -1;
	}
	while (i < argc) {
		for (k = 0; k < sizeof(vg_limit_keys) / sizeof(vg_limit_keys[0]);
		     k++)
			if (!strcmp(vg_limit_keys[k].name, argv[i]))
				break;
		if (k == sizeof(vg_limit_keys) / sizeof(vg_limit_keys[0])) {
			cf_err(err, len, "unknown limit '%s'", argv[i]);
			return -1;
		}
		if (i + vg_limit_keys[k].nargs >= argc) {
			cf_err(err, len, "limit %s: expected %s", argv[i],
			       vg_limit_keys[k].nargs == 1 ? "N" :
			       vg_limit_keys[k].attr[0] ==
			       VG_LIMIT_A_ZONE_CALLS ? "ZONE N" : "RATE BURST");
			return -1;
		}
		if (st->n_val + 2 > VG_CF_MAX_VALUES) {
			cf_err(err, len, "too many limits in one statement");
			return -1;
		}
		if (vg_limit_keys[k].attr[0] == VG_LIMIT_A_ZONE_CALLS) {
			v = &st->val[st->n_val];
			memset(v, 0, sizeof(*v));
			if (zone_name_ok(argv[i + 1], err, len) ||
			    parse_u32(argv[i + 2], &v->u, err, len))
				return -1;
			v->attr = VG_LIMIT_A_ZONE_CALLS;
			v->kind = VG_K_U32;
			snprintf(v->zone, sizeof(v->zone), "%s", argv[i + 1]);
			st->n_val++;
			i += 3;
			continue;
		}
		for (a = 0; a < vg_limit_keys[k].nargs; a++) {
			v = &st->val[st->n_val];
			memset(v, 0, sizeof(*v));
			v->attr = vg_limit_keys[k].attr[a];
			v->kind = VG_K_U32;
			if (parse_u32(argv[i + 1 + a], &v->u, err, len)) {
				char why[200];

				snprintf(why, sizeof(why), "%s", err);
				cf_err(err, len, "limit %s: %s", argv[i], why);
				return -1;
			}
			st->n_val++;
		}
		i += 1 + vg_limit_keys[k].nargs;
	}
	return 0;
}

static int parse_srtp(int argc, char **argv, struct vg_stmt *st, char *err,
		      size_t len)
{
	if (argc != 3 || (strcmp(argv[0], "require") &&
			  strcmp(argv[0], "allow"))) {
		cf_err(err, len, "srtp: expected { require | allow } FROM TO");
		return -1;
	}
	if (zone_ref_ok(argv[1], err, len) || zone_ref_ok(argv[2], err, len))
		return -1;
	st->require = !strcmp(argv[0], "require");
	snprintf(st->name, sizeof(st->name), "%s", argv[1]);
	snprintf(st->to, sizeof(st->to), "%s", argv[2]);
	return 0;
}

static int parse_srtp_del(int argc, char **argv, struct vg_stmt *st,
			  char *err, size_t len)
{
	if (argc != 2) {
		cf_err(err, len, "srtp del: expected FROM TO");
		return -1;
	}
	if (zone_ref_ok(argv[0], err, len) || zone_ref_ok(argv[1], err, len))
		return -1;
	snprintf(st->name, sizeof(st->name), "%s", argv[0]);
	snprintf(st->to, sizeof(st->to), "%s", argv[1]);
	return 0;
}

/* The statement starts afresh; the caller's line and flags stay. */
static void stmt_reset(struct vg_stmt *st)
{
	int line = st->line;
	uint32_t flags = st->flags;

	memset(st, 0, sizeof(*st));
	st->line = line;
	st->flags = flags;
	st->dscp_default = -1;
}

int vg_stmt_parse(const char *object, int argc, char **argv,
		  struct vg_stmt *st, char *err, size_t errlen)
{
	stmt_reset(st);
	if (!strcmp(object, "zone")) {
		st->type = VG_ST_ZONE;
		return parse_zone(argc, argv, st, err, errlen);
	}
	if (!strcmp(object, "policy")) {
		st->type = VG_ST_POLICY;
		return parse_policy(argc, argv, st, false, err, errlen);
	}
	if (!strcmp(object, "config")) {
		st->type = VG_ST_CONFIG;
		return parse_config(argc, argv, st, err, errlen);
	}
	if (!strcmp(object, "limit")) {
		st->type = VG_ST_LIMIT;
		return parse_limit(argc, argv, st, err, errlen);
	}
	if (!strcmp(object, "srtp")) {
		st->type = VG_ST_SRTP;
		return parse_srtp(argc, argv, st, err, errlen);
	}
	cf_err(err, errlen,
	       "unknown statement '%s' (zone, policy, config, limit, srtp)",
	       object);
	return -1;
}

int vg_stmt_parse_del(const char *object, int argc, char **argv,
		      struct vg_stmt *st, char *err, size_t errlen)
{
	stmt_reset(st);
	if (!strcmp(object, "zone")) {
		st->type = VG_ST_ZONE_DEL;
		if (argc != 1) {
			cf_err(err, errlen, "zone del: expected NAME");
			return -1;
		}
		if (zone_name_ok(argv[0], err, errlen))
			return -1;
		snprintf(st->name, sizeof(st->name), "%s", argv[0]);
		return 0;
	}
	if (!strcmp(object, "policy")) {
		st->type = VG_ST_POLICY_DEL;
		return parse_policy(argc, argv, st, true, err, errlen);
	}
	if (!strcmp(object, "srtp")) {
		st->type = VG_ST_SRTP_DEL;
		return parse_srtp_del(argc, argv, st, err, errlen);
	}
	cf_err(err, errlen, "nothing to delete in '%s'", object);
	return -1;
}

void vg_stmt_free(struct vg_stmt *st)
{
	free(st->pfx);
	st->pfx = NULL;
	st->n_pfx = 0;
}

/* ---- Requests ---- */

/* Where each item of a request begins, to name what the kernel refused. */
struct send_ctx {
	const struct vg_stmt *st;
	uint32_t txn;
	uint32_t flags;
	size_t first, count;		/* prefix chunk */
	int item_off[VG_CF_ZONE_CHUNK > VG_CF_MAX_VALUES ?
		     VG_CF_ZONE_CHUNK : VG_CF_MAX_VALUES];
	int item_end[VG_CF_ZONE_CHUNK > VG_CF_MAX_VALUES ?
		     VG_CF_ZONE_CHUNK : VG_CF_MAX_VALUES];
	int n_items;
};

static int msg_tail(struct nl_msg *msg)
{
	return (int)nlmsg_hdr(msg)->nlmsg_len;
}

static int put_txn(struct nl_msg *msg, uint32_t txn)
{
	return txn ? nla_put_u32(msg, VG_A_TXN_ID, txn) : 0;
}

static int put_prefix(struct nl_msg *msg, const struct vg_cf_prefix *p)
{
	struct nlattr *item = vg_nl_nest_start(msg, VG_LIST_A_ITEM);

	if (!item ||
	    nla_put(msg, p->family == AF_INET ? VG_PREFIX_A_ADDR4 :
		    VG_PREFIX_A_ADDR6, p->family == AF_INET ? 4 : 16,
		    p->addr) < 0 ||
	    nla_put_u8(msg, VG_PREFIX_A_LEN, p->len) < 0)
		return -NLE_NOMEM;
	nla_nest_end(msg, item);
	return 0;
}

static int build_zone(struct nl_msg *msg, void *arg)
{
	struct send_ctx *c = arg;
	const struct vg_stmt *st = c->st;
	struct nlattr *zone, *list;
	size_t i;

	if (put_txn(msg, c->txn) < 0 ||
	    (c->flags && nla_put_u32(msg, VG_A_FLAGS, c->flags) < 0))
		return -NLE_NOMEM;
	zone = vg_nl_nest_start(msg, VG_A_ZONE);
	if (!zone || nla_put_string(msg, VG_ZONE_A_NAME, st->name) < 0)
		return -NLE_NOMEM;
	if (st->dscp_default >= 0 &&
	    nla_put_u8(msg, VG_ZONE_A_DSCP_DEFAULT, st->dscp_default) < 0)
		return -NLE_NOMEM;
	if (c->count) {
		list = vg_nl_nest_start(msg, VG_ZONE_A_PREFIXES);
		if (!list)
			return -NLE_NOMEM;
		c->n_items = 0;
		for (i = c->first; i < c->first + c->count; i++) {
			c->item_off[c->n_items] = msg_tail(msg);
			if (put_prefix(msg, &st->pfx[i]))
				return -NLE_NOMEM;
			c->item_end[c->n_items++] = msg_tail(msg);
		}
		nla_nest_end(msg, list);
	}
	nla_nest_end(msg, zone);
	return 0;
}

static int build_zone_del(struct nl_msg *msg, void *arg)
{
	struct send_ctx *c = arg;
	struct nlattr *zone;

	if (put_txn(msg, c->txn) < 0)
		return -NLE_NOMEM;
	zone = vg_nl_nest_start(msg, VG_A_ZONE);
	if (!zone || nla_put_string(msg, VG_ZONE_A_NAME, c->st->name) < 0)
		return -NLE_NOMEM;
	nla_nest_end(msg, zone);
	return 0;
}

static int build_policy(struct nl_msg *msg, void *arg)
{
	struct send_ctx *c = arg;
	const struct vg_stmt *st = c->st;
	struct nlattr *nest;

	if (put_txn(msg, c->txn) < 0)
		return -NLE_NOMEM;
	nest = vg_nl_nest_start(msg, VG_A_POLICY);
	if (!nest || nla_put_string(msg, VG_POLICY_A_FROM, st->name) < 0 ||
	    nla_put_string(msg, VG_POLICY_A_TO, st->to) < 0 ||
	    nla_put_u8(msg, VG_POLICY_A_CLASS, st->cls) < 0 ||
	    (st->type == VG_ST_POLICY &&
	     nla_put_u8(msg, VG_POLICY_A_ACTION, st->action) < 0))
		return -NLE_NOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

static int build_srtp(struct nl_msg *msg, void *arg)
{
	struct send_ctx *c = arg;
	const struct vg_stmt *st = c->st;
	struct nlattr *nest;

	if (put_txn(msg, c->txn) < 0)
		return -NLE_NOMEM;
	nest = vg_nl_nest_start(msg, VG_A_SRTP);
	if (!nest || nla_put_string(msg, VG_SRTP_A_FROM, st->name) < 0 ||
	    nla_put_string(msg, VG_SRTP_A_TO, st->to) < 0 ||
	    (st->type == VG_ST_SRTP &&
	     nla_put_u8(msg, VG_SRTP_A_REQUIRE, st->require) < 0))
		return -NLE_NOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_value(struct nl_msg *msg, const struct vg_cf_value *v)
{
	struct nlattr *list, *item;
	unsigned int i;

	switch (v->kind) {
	case VG_K_MODE:
	case VG_K_TCP_SPLIT:
	case VG_K_BOOL:
	case VG_K_DSCP:
	case VG_K_U8:
		return nla_put_u8(msg, v->attr, v->u);
	case VG_K_PORTS:
		list = vg_nl_nest_start(msg, v->attr);
		if (!list)
			return -NLE_NOMEM;
		for (i = 0; i < v->n; i++) {
			item = vg_nl_nest_start(msg, VG_LIST_A_ITEM);
			if (!item ||
			    nla_put_u16(msg, VG_PR_A_FIRST, v->first[i]) < 0 ||
			    nla_put_u16(msg, VG_PR_A_LAST, v->last[i]) < 0)
				return -NLE_NOMEM;
			nla_nest_end(msg, item);
		}
		nla_nest_end_keep_empty(msg, list);
		return 0;
	case VG_K_STRINGS:
		list = vg_nl_nest_start(msg, v->attr);
		if (!list)
			return -NLE_NOMEM;
		for (i = 0; i < v->n; i++)
			if (nla_put_string(msg, VG_LIST_A_ITEM, v->str[i]) < 0)
				return -NLE_NOMEM;
		/* an empty list ("none") is a value: libnl drops empty nests */
		nla_nest_end_keep_empty(msg, list);
		return 0;
	default:
		return nla_put_u32(msg, v->attr, v->u);
	}
}

static int build_values(struct nl_msg *msg, void *arg)
{
	struct send_ctx *c = arg;
	const struct vg_stmt *st = c->st;
	struct nlattr *nest, *list = NULL, *item;
	unsigned int i;

	if (put_txn(msg, c->txn) < 0)
		return -NLE_NOMEM;
	nest = vg_nl_nest_start(msg, st->type == VG_ST_CONFIG ? VG_A_CONFIG :
				VG_A_LIMITS);
	if (!nest)
		return -NLE_NOMEM;
	c->n_items = 0;
	for (i = 0; i < st->n_val; i++) {
		const struct vg_cf_value *v = &st->val[i];

		c->item_off[c->n_items] = msg_tail(msg);
		if (v->attr == VG_LIMIT_A_ZONE_CALLS &&
		    st->type == VG_ST_LIMIT) {
			/* Each statement sends its own list. */
			list = vg_nl_nest_start(msg, VG_LIMIT_A_ZONE_CALLS);
			item = list ? vg_nl_nest_start(msg, VG_LIST_A_ITEM) :
				      NULL;
			if (!item ||
			    nla_put_string(msg, VG_ZL_A_ZONE, v->zone) < 0 ||
			    nla_put_u32(msg, VG_ZL_A_MAX_CALLS, v->u) < 0)
				return -NLE_NOMEM;
			nla_nest_end(msg, item);
			nla_nest_end(msg, list);
		} else if (put_value(msg, v) < 0) {
			return -NLE_NOMEM;
		}
		c->item_end[c->n_items++] = msg_tail(msg);
	}
	nla_nest_end(msg, nest);
	return 0;
}

static const char *limit_attr_name(int attr)
{
	switch (attr) {
	case VG_LIMIT_A_SIP_RATE:
	case VG_LIMIT_A_SIP_BURST:
		return "sip-source";
	case VG_LIMIT_A_INVITE_WEIGHT:
		return "invite-weight";
	case VG_LIMIT_A_REGISTER_WEIGHT:
		return "register-weight";
	case VG_LIMIT_A_CALLS_PER_SOURCE:
		return "calls-per-source";
	case VG_LIMIT_A_ZONE_CALLS:
		return "calls-per-zone";
	case VG_LIMIT_A_GLOBAL_RATE:
	case VG_LIMIT_A_GLOBAL_BURST:
		return "global";
	case VG_LIMIT_A_RTP_HEADROOM:
		return "rtp-headroom";
	case VG_LIMIT_A_RTP_RATE:
		return "rtp-rate";
	}
	return "?";
}

/* What the item at the kernel's offset was, in the statement's words. */
static void describe_bad_item(const struct send_ctx *c, int off, char *buf,
			      size_t len)
{
	const struct vg_stmt *st = c->st;
	int i;

	buf[0] = '\0';
	if (off < 0)
		return;
	for (i = 0; i < c->n_items; i++) {
		const char *name;

		if (off < c->item_off[i] || off >= c->item_end[i])
			continue;
		if (st->type == VG_ST_ZONE) {
			vg_cf_format_prefix(&st->pfx[c->first + i], buf, len);
			return;
		}
		if (st->type == VG_ST_CONFIG)
			name = vg_cf_config_key_name(st->val[i].attr);
		else
			name = limit_attr_name(st->val[i].attr);
		snprintf(buf, len, "%s", name ? name : "?");
		return;
	}
}

static int send_one(uint8_t cmd, vg_nl_build_fn build, struct send_ctx *c,
		    char *err, size_t errlen)
{
	struct vg_nl_error e = { .bad_attr_off = -1 };
	char what[64];

	if (vg_nl_request_ex(cmd, VG_NL_QUIET, build, NULL, c, &e) ==
	    VG_EXIT_OK)
		return 0;
	if (!e.error) {
		/* Failed on this side: libnl's reason, quiet until here. */
		cf_err(err, errlen, "%s", e.local[0] ? e.local :
		       "request failed");
		return -1;
	}
	if (e.error == -EPERM && !e.msg[0]) {
		cf_err(err, errlen,
		       "permission denied: CAP_NET_ADMIN in the user namespace owning the network namespace is required (%s)",
		       strerror(EPERM));
		return -1;
	}
	describe_bad_item(c, e.bad_attr_off, what, sizeof(what));
	cf_err(err, errlen, "kernel: %s%s%s (%s)",
	       e.msg[0] ? e.msg : strerror(-e.error),
	       what[0] ? ": " : "", what, strerror(-e.error));
	return -1;
}

int vg_stmt_send(const struct vg_stmt *st, uint32_t txn, char *err,
		 size_t errlen)
{
	struct send_ctx *c;
	int ret = 0;

	c = calloc(1, sizeof(*c));
	if (!c) {
		cf_err(err, errlen, "out of memory");
		return -1;
	}
	c->st = st;
	c->txn = txn;
	nlmsg_set_default_size(VG_CF_MSG_SIZE);
	switch (st->type) {
	case VG_ST_ZONE:
		c->flags = st->flags;
		do {
			c->count = st->n_pfx - c->first;
			if (c->count > VG_CF_ZONE_CHUNK)
				c->count = VG_CF_ZONE_CHUNK;
			ret = send_one(VG_CMD_ZONE_ADD, build_zone, c, err,
				       errlen);
			c->first += c->count;
			/* The rest of a large zone joins what was sent. */
			c->flags = VG_F_APPEND;
		} while (!ret && c->first < st->n_pfx);
		break;
	case VG_ST_ZONE_DEL:
		ret = send_one(VG_CMD_ZONE_DEL, build_zone_del, c, err, errlen);
		break;
	case VG_ST_POLICY:
		ret = send_one(VG_CMD_POLICY_SET, build_policy, c, err, errlen);
		break;
	case VG_ST_POLICY_DEL:
		ret = send_one(VG_CMD_POLICY_DEL, build_policy, c, err, errlen);
		break;
	case VG_ST_CONFIG:
		ret = send_one(VG_CMD_CONFIG_SET, build_values, c, err, errlen);
		break;
	case VG_ST_LIMIT:
		ret = send_one(VG_CMD_LIMIT_SET, build_values, c, err, errlen);
		break;
	case VG_ST_SRTP:
		ret = send_one(VG_CMD_SRTP_SET, build_srtp, c, err, errlen);
		break;
	case VG_ST_SRTP_DEL:
		ret = send_one(VG_CMD_SRTP_DEL, build_srtp, c, err, errlen);
		break;
	}
	free(c);
	return ret;
}

/* ---- Files ---- */

int vg_cf_split(char *line, char **words, int max_words)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p || *p == '#')
			break;
		if (n == max_words)
			return -1;
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' &&
		       *p != '\n')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

/*
 * Cuts the comment off a line of n octets: from a '#' that starts a word,
 * as vg_cf_split reads it (the format has no quoting). Returns the length
 * left.
 */
static ssize_t cut_comment(char *line, ssize_t n)
{
	ssize_t i;

	for (i = 0; i < n; i++) {
		if (line[i] == '#' &&
		    (!i || line[i - 1] == ' ' || line[i - 1] == '\t' ||
		     line[i - 1] == '\r')) {
			line[i] = '\0';
			return i;
		}
	}
	return n;
}

/*
 * Reads one statement: a line and its '\'-continued followers, each line's
 * comment cut off first so that a comment ending in '\' continues nothing.
 * Returns -1 at the end of the file (errno 0) or on an error (errno set).
 */
static ssize_t read_statement(FILE *f, char **buf, size_t *cap, int *lineno,
			      int *first_line)
{
	char *line = NULL;
	size_t lcap = 0, used = 0;
	ssize_t n;
	bool more = true;
	int err = 0;

	*first_line = *lineno + 1;
	while (more) {
		errno = 0;
		n = getline(&line, &lcap, f);
		if (n < 0) {
			/* Not only the end: a read error or no memory. */
			if (ferror(f) || !feof(f))
				err = errno ? errno : EIO;
			break;
		}
		(*lineno)++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		n = cut_comment(line, n);
		more = n > 0 && line[n - 1] == '\\';
		if (more)
			line[--n] = ' ';
		if (used + n + 2 > *cap) {
			char *nb = realloc(*buf, used + n + 2 + 4096);

			if (!nb) {
				err = ENOMEM;
				break;
			}
			*buf = nb;
			*cap = used + n + 2 + 4096;
		}
		memcpy(*buf + used, line, n);
		used += n;
		(*buf)[used++] = ' ';
		(*buf)[used] = '\0';
	}
	free(line);
	errno = err;
	return used && !err ? (ssize_t)used : -1;
}

ssize_t vg_cf_read_statement(FILE *f, char **buf, size_t *cap, int *lineno,
			     int *first_line)
{
	return read_statement(f, buf, cap, lineno, first_line);
}

int vg_cf_read(const char *path, struct vg_stmt **stmts, size_t *n)
{
	char *buf = NULL, **words = NULL, err[512];
	size_t cap = 0, n_alloc = 0, wcap = 0;
	int lineno = 0, first, nw, bad = 0;
	struct vg_stmt *list = NULL;
	ssize_t len;
	FILE *f;

	*stmts = NULL;
	*n = 0;
	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		vg_err("%s: %s", path, strerror(errno));
		return VG_EXIT_ERROR;
	}
	while ((len = read_statement(f, &buf, &cap, &lineno, &first)) >= 0) {
		if ((size_t)len / 2 + 2 > wcap) {
			free(words);
			wcap = len / 2 + 2;
			words = malloc(wcap * sizeof(*words));
			if (!words) {
				vg_err("out of memory");
				bad = 1;
				break;
			}
		}
		nw = vg_cf_split(buf, words, (int)wcap);
		if (nw <= 0)
			continue;
		if (*n == n_alloc) {
			struct vg_stmt *nl;

			n_alloc = n_alloc ? n_alloc * 2 : 32;
			nl = realloc(list, n_alloc * sizeof(*list));
			if (!nl) {
				vg_err("out of memory");
				bad = 1;
				break;
			}
			list = nl;
		}
		memset(&list[*n], 0, sizeof(list[*n]));
		list[*n].line = first;
		if (vg_stmt_parse(words[0], nw - 1, words + 1, &list[*n], err,
				  sizeof(err))) {
			fprintf(stderr, "%s:%d: %s\n", path, first, err);
			vg_stmt_free(&list[*n]);
			bad = 1;
			continue;
		}
		(*n)++;
	}
	/* A file cut short must not pass for a shorter configuration. */
	if (len < 0 && errno) {
		vg_err("%s: %s", path, strerror(errno));
		bad = 1;
	}
	if (f != stdin)
		fclose(f);
	free(buf);
	free(words);
	*stmts = list;
	return bad ? VG_EXIT_ERROR : VG_EXIT_OK;
}
