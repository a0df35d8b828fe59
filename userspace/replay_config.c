// SPDX-License-Identifier: GPL-2.0
/*
 * Reader of the replay keys of a config file. Lines are "KEY VALUE",
 * "KEY = VALUE" or "config set KEY VALUE [KEY VALUE...]"; '#' starts a
 * comment; values that are lists take commas or spaces ("5060,5080-5090").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "replay_config.h"

#define LINE_MAX_LEN	4096
#define MAX_WORDS	64

/* Settings of the file that an offline replay has no use for. */
static const char *const skipped_keys[] = {
	"mode", "dscp-rtp", "dscp-sip", "priority-rtp", "priority-sip",
	"mark-rtp", "mark-sip", "media-timeout", "call-timeout",
	"max-sources", "max-streams-per-call", "direct-media",
	"source-prefix6", "event-rate",
};

/* Objects of the file (vgctl's grammar) that replay does not model. */
static const char *const skipped_objects[] = {
	"zone", "policy", "limit", "srtp",
};

static void set_err(char *err, size_t errlen, const char *msg,
		    const char *what)
{
	snprintf(err, errlen, "%s '%s'", msg, what);
}

static int parse_u32(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out > max)
		return -1;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "on", "true", "1", "enable" };
	static const char *const no[] = { "no", "off", "false", "0", "disable" };
	size_t i;

	for (i = 0; i < VG_ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* "5060", "10000-20000", several separated by commas. */
static int parse_ranges(const char *s, struct replay_port_range *rg, u32 *n,
			char *err, size_t errlen)
{
	char buf[LINE_MAX_LEN], *tok, *save = NULL;
	u32 count = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned long first, last;
		char *dash = strchr(tok, '-');

		if (count >= REPLAY_MAX_PORT_RANGES) {
			set_err(err, errlen, "too many port ranges in", s);
			return -1;
		}
		if (dash)
			*dash = '\0';
		if (parse_u32(tok, 65535, &first) ||
		    (dash && parse_u32(dash + 1, 65535, &last)) || !first) {
			set_err(err, errlen, "bad port range", s);
			return -1;
		}
		if (!dash)
			last = first;
		if (last < first) {
			set_err(err, errlen, "port range ends before it starts:",
				s);
			return -1;
		}
		rg[count].first = (u16)first;
		rg[count].last = (u16)last;
		count++;
	}
	if (!count) {
		set_err(err, errlen, "empty port list", s);
		return -1;
	}
	*n = count;
	return 0;
}

static int set_emergency(struct vg_call_config *cc, const char *s,
			 char *err, size_t errlen)
{
	char buf[LINE_MAX_LEN], *tok, *save = NULL;
	u8 n = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n >= VG_CALL_MAX_EMERGENCY ||
		    strlen(tok) >= VG_CALL_EMERGENCY_LEN) {
			set_err(err, errlen, "emergency list too long or entry too long:",
				s);
			return -1;
		}
		snprintf(cc->emergency[n++], VG_CALL_EMERGENCY_LEN, "%s", tok);
	}
	cc->n_emergency = n;
	return 0;
}

int replay_config_set(struct replay_config *cfg, const char *key,
		      const char *value, char *err, size_t errlen)
{
	unsigned long v;
	size_t i;

	if (!strcmp(key, "sip-ports"))
		return parse_ranges(value, cfg->sip_ports, &cfg->n_sip_ports,
				    err, errlen);
	if (!strcmp(key, "media-ports"))
		return parse_ranges(value, cfg->media_ports,
				    &cfg->n_media_ports, err, errlen);
	if (!strcmp(key, "media-strict") || !strcmp(key, "peer-restrict")) {
		bool b;

		if (parse_bool(value, &b)) {
			set_err(err, errlen, "expected yes or no, not", value);
			return -1;
		}
		if (key[0] == 'm')
			cfg->media_strict = b;
		else
			cfg->peer_restrict = b;
		return 0;
	}
	if (!strcmp(key, "tcp-split")) {
		if (!strcmp(value, "pass")) {
			cfg->tcp_split = REPLAY_TCP_SPLIT_PASS;
		} else if (!strcmp(value, "drop")) {
			cfg->tcp_split = REPLAY_TCP_SPLIT_DROP;
		} else {
			set_err(err, errlen, "expected pass or drop, not", value);
			return -1;
		}
		return 0;
	}
	if (!strcmp(key, "max-calls") || !strcmp(key, "max-streams")) {
		if (parse_u32(value, 1u << 24, &v) || !v) {
			set_err(err, errlen, "expected 1..16777216, not", value);
			return -1;
		}
		if (key[4] == 'c')
			cfg->max_calls = (u32)v;
		else
			cfg->max_streams = (u32)v;
		return 0;
	}
	if (!strcmp(key, "emergency"))
		return set_emergency(&cfg->call_config, value, err, errlen);
	if (!strncmp(key, "sip-max-", 8)) {
		u32 *field = NULL;

		if (!strcmp(key + 8, "msg"))
			field = &cfg->sip_limits.max_msg_len;
		else if (!strcmp(key + 8, "headers"))
			field = &cfg->sip_limits.max_headers;
		else if (!strcmp(key + 8, "header-len"))
			field = &cfg->sip_limits.max_header_len;
		else if (!strcmp(key + 8, "uri-len"))
			field = &cfg->sip_limits.max_uri_len;
		if (field) {
			if (parse_u32(value, 1u << 20, &v) || !v) {
				set_err(err, errlen, "expected 1..1048576, not",
					value);
				return -1;
			}
			*field = (u32)v;
			return 0;
		}
	}
	for (i = 0; i < VG_ARRAY_SIZE(skipped_keys); i++)
		if (!strcmp(key, skipped_keys[i]))
			return 0;
	set_err(err, errlen, "unknown key", key);
	return -1;
}

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '=' || c == '\r' || c == '\n';
}

/* Split a line into words at blanks and '='; '#' ends the line. */
static int split_words(char *line, char **words)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (is_sep(*p))
			p++;
		if (!*p || *p == '#')
			break;
		if (n >= MAX_WORDS)
			return -1;
		words[n++] = p;
		while (*p && !is_sep(*p) && *p != '#')
			p++;
		if (*p == '#') {
			*p = '\0';
			break;
		}
		if (*p)
			*p++ = '\0';
	}
	return n;
}

/* Join words[i..n) with commas: "5060, 5080" and "5060 5080" both list. */
static void join_list(char **words, int from, int to, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = from; i < to; i++) {
		int w = snprintf(buf + used, len - used, "%s%s",
				 i > from && buf[used - 1] != ',' ? "," : "",
				 words[i]);

		if (w < 0 || (size_t)w >= len - used)
			return;
		used += (size_t)w;
	}
	/* drop a trailing comma left by "5060," */
	if (used && buf[used - 1] == ',')
		buf[used - 1] = '\0';
}

int replay_config_read(const char *path, struct replay_config *cfg,
		       char *err, size_t errlen)
{
	char line[LINE_MAX_LEN], why[256], value[LINE_MAX_LEN];
	char *words[MAX_WORDS];
	unsigned int lineno = 0;
	FILE *f = fopen(path, "r");
	int rc = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		int n, i, first = 0;
		size_t k;
		bool skip = false;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line too long", path, lineno);
			rc = -1;
			break;
		}
		n = split_words(line, words);
		if (n < 0) {
			snprintf(err, errlen, "%s:%u: too many words", path, lineno);
			rc = -1;
			break;
		}
		if (!n)
			continue;
		for (k = 0; k < VG_ARRAY_SIZE(skipped_objects); k++)
			if (!strcmp(words[0], skipped_objects[k]))
				skip = true;
		if (skip)
			continue;
		if (n >= 2 && !strcmp(words[0], "config") && !strcmp(words[1], "set")) {
			/* KEY VALUE pairs; list values are single words here */
			for (i = 2; i + 1 < n; i += 2) {
				if (replay_config_set(cfg, words[i], words[i + 1],
						      why, sizeof(why)))
					goto bad;
			}
			if (i != n) {
				snprintf(why, sizeof(why), "key '%s' has no value",
					 words[n - 1]);
				goto bad;
			}
			continue;
		}
		if (!strcmp(words[0], "set"))
			first = 1;
		if (n - first < 2) {
			snprintf(why, sizeof(why), "key '%s' has no value",
				 words[n - 1]);
			goto bad;
		}
		join_list(words, first + 1, n, value, sizeof(value));
		if (replay_config_set(cfg, words[first], value, why, sizeof(why)))
			goto bad;
		continue;
bad:
		snprintf(err, errlen, "%s:%u: %s", path, lineno, why);
		rc = -1;
		break;
	}
	if (!rc && ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}
