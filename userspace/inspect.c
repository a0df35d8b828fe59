// SPDX-License-Identifier: GPL-2.0
/*
 * vgctl inspect: judge files as SIP datagrams with the same core the
 * module runs, so a verdict seen here is the verdict the router gives.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vgctl.h"
#include "sip.h"

/* Larger than any datagram; a bigger file is judged on its first octets. */
#define INSPECT_MAX_FILE (1u << 20)

static void inspect_usage(FILE *f)
{
	fprintf(f,
		"Usage: vgctl [-j] [-p] inspect [--strict] FILE...\n"
		"Judge each FILE as one SIP datagram: accept, or drop with a reason.\n"
		"  --strict  also require To/From/Call-ID/Max-Forwards and reject\n"
		"            repeated single-value headers\n");
}

/* Reads up to INSPECT_MAX_FILE + 1 octets; returns the count or -errno. */
static long read_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;
	int err;

	if (!f)
		return -errno;
	errno = 0;
	n = fread(buf, 1, cap, f);
	/* The read's own reason, such as EISDIR for a directory. */
	err = ferror(f) ? (errno ? errno : EIO) : 0;
	fclose(f);
	if (err)
		return -err;
	return (long)n;
}

int cmd_inspect(int argc, char **argv)
{
	struct vg_sip_limits lim;
	int first = 1, i, rc = VG_EXIT_OK;
	char *buf;

	vg_sip_limits_default(&lim);
	while (first < argc && argv[first][0] == '-' && argv[first][1]) {
		if (!strcmp(argv[first], "--")) {
			first++;
			break;
		}
		if (!strcmp(argv[first], "-h") || !strcmp(argv[first], "--help") ||
		    !strcmp(argv[first], "help")) {
			inspect_usage(stdout);
			return VG_EXIT_OK;
		}
		if (!strcmp(argv[first], "--strict")) {
			lim.strict = VG_SIP_STRICT_REQUIRED | VG_SIP_STRICT_SINGLE;
			first++;
			continue;
		}
		vg_err("inspect: unknown option '%s'", argv[first]);
		inspect_usage(stderr);
		return VG_EXIT_USAGE;
	}
	if (first >= argc) {
		vg_err("inspect: no file given");
		inspect_usage(stderr);
		return VG_EXIT_USAGE;
	}
	buf = malloc(INSPECT_MAX_FILE + 1);
	if (!buf) {
		vg_err("inspect: out of memory");
		return VG_EXIT_ERROR;
	}

	out_begin();
	out_open_array(NULL);
	for (i = first; i < argc; i++) {
		struct vg_sip_msg msg;
		enum vg_reason r;
		long n = read_file(argv[i], buf, INSPECT_MAX_FILE + 1);

		if (n < 0) {
			vg_err("inspect: %s: %s", argv[i], strerror((int)-n));
			rc = VG_EXIT_ERROR;
			continue;
		}
		r = vg_sip_parse(buf, (u32)n, &lim, &msg);
		out_open_object(NULL);
		out_string("file", "%s: ", argv[i]);
		if (r == VG_R_NONE) {
			out_string("verdict", "%s", "accept");
			out_null("reason", "\n");
		} else {
			out_string("verdict", "%s", "drop");
			out_string("reason", " (%s)\n", vg_reason_name(r));
		}
		out_close_object();
	}
	out_close_array();
	out_end();
	free(buf);
	return rc;
}
