/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vgctl: shared declarations between the command dispatcher, the printers
 * and each object's commands.
 */
#ifndef VGCTL_H
#define VGCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses, as documented in vgctl(8). */
#define VG_EXIT_OK	0
#define VG_EXIT_ERROR	1	/* runtime error: kernel said no, file unreadable */
#define VG_EXIT_USAGE	2	/* bad command line */

struct vg_opts {
	bool json;		/* -j */
	bool pretty;		/* -p */
	int stats;		/* -s, repeatable */
	const char *netns;	/* -n NETNS */
};

extern struct vg_opts vg_opts;

/* Print a formatted error to stderr prefixed with "vgctl: ". */
void vg_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same for a bad command line; returns VG_EXIT_USAGE. */
int vg_usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Output: text and JSON come from the same call sites. In JSON mode the
 * key is used and the text format ignored; in text mode the reverse.
 * The writer tracks nesting and commas; "pretty" indents.
 */
void out_begin(void);			/* call once before output */
void out_end(void);			/* flushes; JSON gets a final newline */
void out_open_object(const char *key);	/* key NULL inside arrays/top */
void out_close_object(void);
void out_open_array(const char *key);
void out_close_array(void);
void out_string(const char *key, const char *text_fmt, const char *val);
void out_uint(const char *key, const char *text_fmt, uint64_t val);
void out_int(const char *key, const char *text_fmt, int64_t val);
void out_float(const char *key, const char *text_fmt, double val);
void out_bool(const char *key, const char *text_fmt, bool val);
void out_null(const char *key, const char *text_fmt);
/* Text-only output (ignored in JSON mode). */
void out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Host-only commands (no kernel needed). */
int cmd_inspect(int argc, char **argv);
int cmd_replay(int argc, char **argv);

#endif /* VGCTL_H */
