// SPDX-License-Identifier: GPL-2.0
/*
 * vgctl output: one set of printer calls gives both the human text and the
 * JSON form, so the two never drift apart.
 *
 * Text mode prints text_fmt with the value and ignores keys; a NULL
 * text_fmt prints nothing. The value passed to text_fmt is:
 *   out_string  const char *  (NULL becomes "-")
 *   out_uint    uint64_t      (use PRIu64 / PRIx64)
 *   out_int     int64_t       (use PRId64)
 *   out_float   double
 *   out_bool    const char *  "true" or "false"
 *   out_null    const char *  "-"
 * JSON mode ignores text_fmt and writes the key (inside objects) and value;
 * it tracks nesting and commas, and -p indents by two spaces. Non-finite
 * floats become null, since JSON has no NaN or infinity.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "vgctl.h"

#define OUT_MAX_DEPTH 64

struct out_level {
	bool is_array;
	bool has_items;
};

static struct out_state {
	int depth;
	bool top_written;
	struct out_level level[OUT_MAX_DEPTH];
} out;

static FILE *out_file(void)
{
	return stdout;
}

void out_begin(void)
{
	memset(&out, 0, sizeof(out));
}

static void json_newline_indent(int depth)
{
	FILE *f = out_file();
	int i;

	if (!vg_opts.pretty)
		return;
	fputc('\n', f);
	for (i = 0; i < depth; i++)
		fputs("  ", f);
}

/*
 * Writes a JSON string. Valid UTF-8 passes through; bytes that are not part
 * of a valid sequence are written as \u00XX so the output is always valid
 * JSON even for binary input (packet contents, file names).
 */
static void json_write_string(const char *s)
{
	FILE *f = out_file();
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		unsigned char c = *p;
		int n = 0, i;

		switch (c) {
		case '"':
			fputs("\\\"", f);
			p++;
			continue;
		case '\\':
			fputs("\\\\", f);
			p++;
			continue;
		case '\b':
			fputs("\\b", f);
			p++;
			continue;
		case '\f':
			fputs("\\f", f);
			p++;
			continue;
		case '\n':
			fputs("\\n", f);
			p++;
			continue;
		case '\r':
			fputs("\\r", f);
			p++;
			continue;
		case '\t':
			fputs("\\t", f);
			p++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
			p++;
			continue;
		}
		if (c < 0x80) {
			fputc(c, f);
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3;
		for (i = 1; i <= n; i++)
			if ((p[i] & 0xc0) != 0x80)
				break;
		/* Reject overlong forms, surrogates and code points > U+10FFFF. */
		if (n && i > n) {
			if ((c == 0xe0 && p[1] < 0xa0) ||
			    (c == 0xed && p[1] > 0x9f) ||
			    (c == 0xf0 && p[1] < 0x90) ||
			    (c == 0xf4 && p[1] > 0x8f))
				n = 0;
		} else {
			n = 0;
		}
		if (!n) {
			fprintf(f, "\\u%04x", c);
			p++;
			continue;
		}
		fwrite(p, 1, n + 1, f);
		p += n + 1;
	}
	fputc('"', f);
}

/* Comma, indentation and key before a new JSON value. */
static void json_prefix(const char *key)
{
	FILE *f = out_file();
	struct out_level *lvl;

	if (out.depth == 0) {
		/* Several top-level values (e.g. monitor) go one per line. */
		if (out.top_written)
			fputc('\n', f);
		out.top_written = true;
		return;
	}
	lvl = &out.level[out.depth - 1];
	if (lvl->has_items)
		fputc(',', f);
	lvl->has_items = true;
	json_newline_indent(out.depth);
	if (!lvl->is_array) {
		json_write_string(key ? key : "");
		fputs(vg_opts.pretty ? ": " : ":", f);
	}
}

static void json_open(const char *key, bool is_array)
{
	json_prefix(key);
	fputc(is_array ? '[' : '{', out_file());
	if (out.depth < OUT_MAX_DEPTH) {
		out.level[out.depth].is_array = is_array;
		out.level[out.depth].has_items = false;
	}
	out.depth++;
}

static void json_close(void)
{
	bool is_array = false, had_items = false;

	if (out.depth == 0)
		return;
	out.depth--;
	if (out.depth < OUT_MAX_DEPTH) {
		is_array = out.level[out.depth].is_array;
		had_items = out.level[out.depth].has_items;
	}
	if (had_items)
		json_newline_indent(out.depth);
	fputc(is_array ? ']' : '}', out_file());
}

void out_end(void)
{
	if (vg_opts.json) {
		while (out.depth > 0)
			json_close();
		if (out.top_written)
			fputc('\n', out_file());
	}
	fflush(out_file());
	memset(&out, 0, sizeof(out));
}

void out_open_object(const char *key)
{
	if (vg_opts.json)
		json_open(key, false);
}

void out_close_object(void)
{
	if (vg_opts.json)
		json_close();
}

void out_open_array(const char *key)
{
	if (vg_opts.json)
		json_open(key, true);
}

void out_close_array(void)
{
	if (vg_opts.json)
		json_close();
}

/* Text mode: the caller's format takes exactly one argument of a known type. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

void out_string(const char *key, const char *text_fmt, const char *val)
{
	if (vg_opts.json) {
		json_prefix(key);
		if (val)
			json_write_string(val);
		else
			fputs("null", out_file());
	} else if (text_fmt) {
		fprintf(out_file(), text_fmt, val ? val : "-");
	}
}

void out_uint(const char *key, const char *text_fmt, uint64_t val)
{
	if (vg_opts.json) {
		json_prefix(key);
		fprintf(out_file(), "%" PRIu64, val);
	} else if (text_fmt) {
		fprintf(out_file(), text_fmt, val);
	}
}

void out_int(const char *key, const char *text_fmt, int64_t val)
{
	if (vg_opts.json) {
		json_prefix(key);
		fprintf(out_file(), "%" PRId64, val);
	} else if (text_fmt) {
		fprintf(out_file(), text_fmt, val);
	}
}

void out_float(const char *key, const char *text_fmt, double val)
{
	if (vg_opts.json) {
		json_prefix(key);
		if (isfinite(val))
			fprintf(out_file(), "%.10g", val);
		else
			fputs("null", out_file());
	} else if (text_fmt) {
		fprintf(out_file(), text_fmt, val);
	}
}

void out_bool(const char *key, const char *text_fmt, bool val)
{
	if (vg_opts.json) {
		json_prefix(key);
		fputs(val ? "true" : "false", out_file());
	} else if (text_fmt) {
		fprintf(out_file(), text_fmt, val ? "true" : "false");
	}
}

void out_null(const char *key, const char *text_fmt)
{
	if (vg_opts.json) {
		json_prefix(key);
		fputs("null", out_file());
	} else if (text_fmt) {
		fprintf(out_file(), text_fmt, "-");
	}
}

#pragma GCC diagnostic pop

void out_text(const char *fmt, ...)
{
	va_list ap;

	if (vg_opts.json)
		return;
	va_start(ap, fmt);
	vfprintf(out_file(), fmt, ap);
	va_end(ap);
}
