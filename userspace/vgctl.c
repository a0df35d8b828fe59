// SPDX-License-Identifier: GPL-2.0
/*
 * vgctl: configure and inspect voipguard.
 *
 *   vgctl [-j] [-p] [-s] [-n NETNS] OBJECT { COMMAND | help }
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/netlink.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <uapi/linux/voipguard.h>

#include "conffile.h"
#include "netlink.h"
#include "state.h"
#include "vgctl.h"

#ifndef VG_VERSION
#define VG_VERSION "0.1.0"
#endif

struct vg_opts vg_opts;

static void vg_verr(const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs("vgctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void vg_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vg_verr(fmt, ap);
	va_end(ap);
}

int vg_usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vg_verr(fmt, ap);
	va_end(ap);
	return VG_EXIT_USAGE;
}

static void usage(FILE *f)
{
	fputs("Usage: vgctl [-j] [-p] [-s] [-n NETNS] OBJECT { COMMAND | help }\n"
	      "       vgctl [-n NETNS] -f FILE\n"
	      "       vgctl { -V | version | help }\n"
	      "where  OBJECT := { config | zone | policy | limit | srtp | apply |\n"
	      "                  check | save | call | flow | source | stats |\n"
	      "                  monitor | inspect | replay | version }\n"
	      "       -j, --json     JSON output\n"
	      "       -p, --pretty   indented JSON (with -j)\n"
	      "       -s, --stats    more detail\n"
	      "       -n, --netns NETNS  act in network namespace NETNS\n"
	      "       -f, --file FILE    apply FILE (as \"apply FILE\")\n",
	      f);
}

/* ---- version ---- */

static int do_version(int argc, char **argv)
{
	char module[64];
	bool have_module;

	if (argc > 0)
		return vg_usage_err("version: unexpected '%s'", argv[0]);
	/* The module's version is a bonus: absent module or rights are fine. */
	have_module = vg_module_version(module, sizeof(module), true) == 0;
	out_begin();
	out_open_object(NULL);
	out_string("vgctl", "vgctl %s\n", VG_VERSION);
	if (have_module)
		out_string("module", "module %s\n", module);
	else
		out_null("module", "module %s (not loaded or not accessible)\n");
	out_close_object();
	out_end();
	return VG_EXIT_OK;
}

/* ---- dispatch ---- */

static int do_help(int argc, char **argv)
{
	usage(stdout);
	return VG_EXIT_OK;
}

/* Host tools take their own options: they see argv[0] = the object. */
static int do_inspect(int argc, char **argv)
{
	return cmd_inspect(argc + 1, argv - 1);
}

static int do_replay(int argc, char **argv)
{
	return cmd_replay(argc + 1, argv - 1);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} objects[] = {
	{ "config", cmd_config },
	{ "zone", cmd_zone },
	{ "policy", cmd_policy },
	{ "limit", cmd_limit },
	{ "srtp", cmd_srtp },
	{ "apply", cmd_apply },
	{ "check", cmd_check },
	{ "save", cmd_save },
	{ "call", cmd_call },
	{ "flow", cmd_flow },
	{ "source", cmd_source },
	{ "stats", cmd_stats },
	{ "monitor", cmd_monitor },
	{ "inspect", do_inspect },
	{ "replay", do_replay },
	{ "version", do_version },
	{ "help", do_help },
};

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "stats", no_argument, NULL, 's' },
		{ "netns", required_argument, NULL, 'n' },
		{ "file", required_argument, NULL, 'f' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *file = NULL;
	size_t i;
	int c, err;

	/* '+': stop at the object, its commands may have options too. */
	while ((c = getopt_long(argc, argv, "+jpsn:f:Vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			vg_opts.json = true;
			break;
		case 'p':
			vg_opts.pretty = true;
			break;
		case 's':
			vg_opts.stats++;
			break;
		case 'n':
			vg_opts.netns = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'V':
			return do_version(0, NULL);
		case 'h':
			usage(stdout);
			return VG_EXIT_OK;
		default:
			usage(stderr);
			return VG_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (file && argc > 0)
		return vg_usage_err("-f FILE takes no object, got '%s'", argv[0]);
	if (!file && argc < 1) {
		usage(stderr);
		return VG_EXIT_USAGE;
	}
	if (vg_opts.netns) {
		err = vg_nl_enter_netns(vg_opts.netns);
		if (err)
			return err;
	}
	/* nft's habit: -f FILE is the whole configuration in one go */
	if (file) {
		err = cmd_apply(1, &file);
		vg_nl_close();
		return err;
	}
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		if (!strcmp(argv[0], objects[i].name)) {
			/* Let the host tools' getopt start afresh. */
			optind = 0;
			err = objects[i].fn(argc - 1, argv + 1);
			vg_nl_close();
			return err;
		}
	}
	usage(stderr);
	return vg_usage_err("unknown object '%s'", argv[0]);
}

/*
 * Output lost to a full disk or a closed descriptor must not end in
 * success: a truncated "vgctl save > FILE" would pass for the whole.
 */
static int check_stdout(int status)
{
	int err = fflush(stdout) ? errno : 0;

	if (!err && !ferror(stdout))
		return status;
	if (err)
		vg_err("cannot write to standard output: %s", strerror(err));
	else
		vg_err("cannot write to standard output");
	return status ? status : VG_EXIT_ERROR;
}

int main(int argc, char **argv)
{
	return check_stdout(run(argc, argv));
}
