// SPDX-License-Identifier: GPL-2.0
/*
 * Reader of the replay keys of a config file. The file is read as "vgctl
 * apply" reads it (statements, '\' continuations, conffile.c's parser);
 * replay takes its keys from the config statements and checks, then
 * ignores, the zone, policy, limit and srtp statements. Lines of the older
 * replay form are taken too: "KEY VALUE", "KEY = VALUE", "set KEY VALUE"
 * and "config set KEY VALUE [KEY VALUE...]", where '#' anywhere starts a
 * comment and list values take commas or spaces ("5060, 5080-5090").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conffile.h"
#include "conffile_model.h"
#include "replay_config.h"

#define LINE_MAX_LEN	4096

/* Statements of the file format; "config set" is the older replay form. */
static const char *const statements[] = {
	"config", "zone", "policy", "limit", "srtp",
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

	/* "vgctl save" writes an empty list as "none" */
	if (!strcmp(s, "none")) {
		cc->n_emergency = 0;
		return 0;
	}
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
	/* the module's other settings mean nothing to an offline replay */
	if (vg_cf_find_key(vg_cf_config_keys, key))
		return 0;
	set_err(err, errlen, "unknown key", key);
	return -1;
}

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '=' || c == '\r' || c == '\n';
}

/* Split a line into words at blanks and '='; '#' ends the line. */
static int split_words(char *line, char **words, int max_words)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (is_sep(*p))
			p++;
		if (!*p || *p == '#')
			break;
		if (n >= max_words)
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
static int join_list(char **words, int from, int to, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = from; i < to; i++) {
		int w = snprintf(buf + used, len - used, "%s%s",
				 i > from && buf[used - 1] != ',' ? "," : "",
				 words[i]);

		if (w < 0 || (size_t)w >= len - used)
			return -1;
		used += (size_t)w;
	}
	/* drop a trailing comma left by "5060," */
	if (used && buf[used - 1] == ',')
		buf[used - 1] = '\0';
	return 0;
}

/* A statement of the older replay form, split at blanks and '='. */
static int read_replay_line(struct replay_config *cfg, char *line,
			    char **words, int max_words, char *why,
			    size_t whylen)
{
	char value[LINE_MAX_LEN];
	int n, i, first = 0;

	n = split_words(line, words, max_words);
	if (n < 0) {
		snprintf(why, whylen, "too many words");
		return -1;
	}
	if (!n)
		return 0;
	if (n >= 2 && !strcmp(words[0], "config") && !strcmp(words[1], "set")) {
		/* KEY VALUE pairs; list values are single words here */
		for (i = 2; i + 1 < n; i += 2)
			if (replay_config_set(cfg, words[i], words[i + 1], why,
					      whylen))
				return -1;
		if (i != n) {
			snprintf(why, whylen, "key '%s' has no value",
				 words[n - 1]);
			return -1;
		}
		return 0;
	}
	if (!strcmp(words[0], "set"))
		first = 1;
	if (n - first < 2) {
		snprintf(why, whylen, "key '%s' has no value", words[n - 1]);
		return -1;
	}
	if (join_list(words, first + 1, n, value, sizeof(value))) {
		snprintf(why, whylen, "value of '%s' too long", words[first]);
		return -1;
	}
	return replay_config_set(cfg, words[first], value, why, whylen);
}

/*
 * A statement of the file format, parsed as "vgctl apply" parses it; the
 * values of a config statement, already checked, go through the replay
 * keys in their saved spelling.
 */
static int read_file_statement(struct replay_config *cfg, int argc,
			       char **argv, char *why, size_t whylen)
{
	struct vg_stmt *st = calloc(1, sizeof(*st));
	char text[LINE_MAX_LEN], reason[256];
	unsigned int i;
	int rc = 0;

	if (!st) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	if (vg_stmt_parse(argv[0], argc - 1, argv + 1, st, why, whylen)) {
		rc = -1;
		goto out;
	}
	for (i = 0; st->type == VG_ST_CONFIG && i < st->n_val; i++) {
		const char *key = vg_cf_config_key_name(st->val[i].attr);

		if (!key)
			continue;
		vg_cf_format_value(&st->val[i], text, sizeof(text));
		if (replay_config_set(cfg, key, text, reason, sizeof(reason))) {
			snprintf(why, whylen, "%s: %s", key, reason);
			rc = -1;
			goto out;
		}
	}
out:
	vg_stmt_free(st);
	free(st);
	return rc;
}

static bool is_statement(char **words, int n)
{
	size_t i;

	if (n >= 2 && !strcmp(words[0], "config") && !strcmp(words[1], "set"))
		return false;
	for (i = 0; i < VG_ARRAY_SIZE(statements); i++)
		if (!strcmp(words[0], statements[i]))
			return true;
	return false;
}

int replay_config_read(const char *path, struct replay_config *cfg,
		       char *err, size_t errlen)
{
	char *buf = NULL, *line = NULL, **words = NULL, why[512];
	size_t cap = 0, wcap = 0;
	int lineno = 0, first, n, rc = 0;
	ssize_t len;
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = vg_cf_read_statement(f, &buf, &cap, &lineno,
					   &first)) >= 0) {
		if ((size_t)len / 2 + 2 > wcap) {
			free(words);
			free(line);
			wcap = (size_t)len / 2 + 2;
			words = malloc(wcap * sizeof(*words));
			line = malloc(wcap * 2);
			if (!words || !line) {
				snprintf(err, errlen, "out of memory");
				rc = -1;
				break;
			}
		}
		/* the older form splits differently: keep the text for it */
		memcpy(line, buf, (size_t)len + 1);
		n = vg_cf_split(buf, words, (int)wcap);
		if (n <= 0)
			continue;
		if (is_statement(words, n))
			rc = read_file_statement(cfg, n, words, why,
						 sizeof(why));
		else
			rc = read_replay_line(cfg, line, words, (int)wcap, why,
					      sizeof(why));
		if (rc) {
			snprintf(err, errlen, "%s:%d: %s", path, first, why);
			break;
		}
	}
	/* a read error must not pass for a shorter file */
	if (!rc && len < 0 && errno) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	fclose(f);
	free(buf);
	free(line);
	free(words);
	return rc;
}
