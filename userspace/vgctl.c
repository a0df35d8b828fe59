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

#include "netlink.h"
#include "state.h"
#include "vgctl.h"

#ifndef VG_VERSION
#define VG_VERSION "0.1.0"
#endif

struct vg_opts vg_opts;

void vg_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("vgctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Stand-ins until the host tools are linked in; the real ones override. */
__attribute__((weak)) int cmd_inspect(int argc, char **argv)
{
	vg_err("inspect: not available in this build");
	return VG_EXIT_ERROR;
}

__attribute__((weak)) int cmd_replay(int argc, char **argv)
{
	vg_err("replay: not available in this build");
	return VG_EXIT_ERROR;
}

static void usage(FILE *f)
{
	fputs("Usage: vgctl [-j] [-p] [-s] [-n NETNS] OBJECT { COMMAND | help }\n"
	      "       vgctl { -V | version | help }\n"
	      "where  OBJECT := { config | call | flow | source | stats | monitor |\n"
	      "                  inspect | replay | version }\n"
	      "       -j, --json     JSON output\n"
	      "       -p, --pretty   indented JSON (with -j)\n"
	      "       -s, --stats    more detail\n"
	      "       -n, --netns NETNS  act in network namespace NETNS\n",
	      f);
}

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vgctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return VG_EXIT_USAGE;
}

static int open_kernel(void)
{
	return vg_nl_open(false);
}

/* ---- config ---- */

static const char *const vg_mode_names[] = {
	[VG_MODE_ENFORCE] = "enforce",
	[VG_MODE_MONITOR] = "monitor",
};

struct config_view {
	char version[64];
	uint32_t generation;
	int mode;		/* -1 when absent */
};

static int config_parse(struct nlattr **tb, void *arg)
{
	struct config_view *v = arg;
	struct nlattr *cfg[VG_CFG_A_MAX + 1];

	if (tb[VG_A_VERSION])
		snprintf(v->version, sizeof(v->version), "%s",
			 nla_get_string(tb[VG_A_VERSION]));
	if (tb[VG_A_GENERATION])
		v->generation = nla_get_u32(tb[VG_A_GENERATION]);
	if (tb[VG_A_CONFIG] &&
	    nla_parse_nested(cfg, VG_CFG_A_MAX, tb[VG_A_CONFIG], NULL) == 0 &&
	    cfg[VG_CFG_A_MODE])
		v->mode = nla_get_u8(cfg[VG_CFG_A_MODE]);
	return 0;
}

static const char *mode_name(int mode)
{
	if (mode >= 0 && mode <= VG_MODE_MAX)
		return vg_mode_names[mode];
	return NULL;
}

static int config_show(void)
{
	struct config_view v = { .mode = -1 };
	int err;

	err = open_kernel();
	if (!err)
		err = vg_nl_request(VG_CMD_CONFIG_GET, 0, NULL, config_parse,
				    &v);
	if (err)
		return err;
	out_begin();
	out_open_object(NULL);
	out_string("version", "version %s\n", v.version);
	out_uint("generation", "generation %" PRIu64 "\n", v.generation);
	out_string("mode", "mode %s\n", mode_name(v.mode));
	out_close_object();
	out_end();
	return VG_EXIT_OK;
}

struct config_set_req {
	int mode;		/* -1 when not given */
};

static int config_set_build(struct nl_msg *msg, void *arg)
{
	struct config_set_req *r = arg;
	struct nlattr *nest;

	nest = vg_nl_nest_start(msg, VG_A_CONFIG);
	if (!nest)
		return -NLE_NOMEM;
	if (r->mode >= 0 && nla_put_u8(msg, VG_CFG_A_MODE, r->mode) < 0)
		return -NLE_NOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

static int config_set(int argc, char **argv)
{
	struct config_set_req r = { .mode = -1 };
	int i, err;

	if (argc < 2)
		return usage_error("config set: expected KEY VALUE [KEY VALUE...]");
	for (i = 0; i < argc; i += 2) {
		const char *key = argv[i], *val = argv[i + 1];

		if (i + 1 >= argc)
			return usage_error("config set: missing value for '%s'",
					   key);
		if (!strcmp(key, "mode")) {
			if (!strcmp(val, "enforce"))
				r.mode = VG_MODE_ENFORCE;
			else if (!strcmp(val, "monitor"))
				r.mode = VG_MODE_MONITOR;
			else
				return usage_error("config set: mode must be enforce or monitor, not '%s'",
						   val);
		} else {
			return usage_error("config set: unknown key '%s'", key);
		}
	}
	err = open_kernel();
	if (err)
		return err;
	return vg_nl_request(VG_CMD_CONFIG_SET, 0, config_set_build, NULL, &r);
}

static void config_usage(FILE *f)
{
	fputs("Usage: vgctl config show\n"
	      "       vgctl config set KEY VALUE [KEY VALUE...]\n"
	      "where  KEY VALUE := mode { enforce | monitor }\n", f);
}

static int do_config(int argc, char **argv)
{
	if (argc < 1 || !strcmp(argv[0], "show")) {
		if (argc > 1)
			return usage_error("config show: unexpected '%s'",
					   argv[1]);
		return config_show();
	}
	if (!strcmp(argv[0], "set"))
		return config_set(argc - 1, argv + 1);
	if (!strcmp(argv[0], "help")) {
		config_usage(stdout);
		return VG_EXIT_OK;
	}
	config_usage(stderr);
	return usage_error("config: unknown command '%s'", argv[0]);
}

/* ---- version ---- */

static int do_version(int argc, char **argv)
{
	struct config_view v = { .mode = -1 };
	bool have_module;

	if (argc > 0)
		return usage_error("version: unexpected '%s'", argv[0]);
	/* The module's version is a bonus: absent module or rights are fine. */
	have_module = vg_nl_open(true) == VG_EXIT_OK &&
		      vg_nl_request(VG_CMD_CONFIG_GET, VG_NL_QUIET, NULL,
				    config_parse, &v) == VG_EXIT_OK;
	out_begin();
	out_open_object(NULL);
	out_string("vgctl", "vgctl %s\n", VG_VERSION);
	if (have_module)
		out_string("module", "module %s\n", v.version);
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
	{ "config", do_config },
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

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "stats", no_argument, NULL, 's' },
		{ "netns", required_argument, NULL, 'n' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	size_t i;
	int c, err;

	/* '+': stop at the object, its commands may have options too. */
	while ((c = getopt_long(argc, argv, "+jpsn:Vh", longopts, NULL)) != -1) {
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
	if (argc < 1) {
		usage(stderr);
		return VG_EXIT_USAGE;
	}
	if (vg_opts.netns) {
		err = vg_nl_enter_netns(vg_opts.netns);
		if (err)
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
	return usage_error("unknown object '%s'", argv[0]);
}
