// SPDX-License-Identifier: GPL-2.0
/*
 * vgctl monitor: print the module's events as they happen, one line each
 * (with -j one JSON object per line, flushed per line), until SIGINT or
 * SIGTERM, the module's unloading or a failed write.
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <uapi/linux/voipguard.h>

#include "print_stream.h"
#include "state.h"
#include "vgctl.h"

/* What the receive callback needs to know, and what it found. */
struct monitor_ctx {
	int family;		/* voipguard's generic netlink id */
	bool unloaded;		/* nlctrl announced the family's removal */
	int write_errno;	/* why printing an event failed, 0: it did not */
};

struct event_meta {
	bool has_event;
	int cause;
	uint64_t time_ns;
	unsigned int status;
};

static void event_meta_parse(struct nlattr *nest, struct event_meta *em)
{
	struct nlattr *tb[VG_EVENT_A_MAX + 1];

	memset(em, 0, sizeof(*em));
	em->cause = -1;
	if (!nest || nla_parse_nested(tb, VG_EVENT_A_MAX, nest, NULL) < 0)
		return;
	em->has_event = true;
	if (tb[VG_EVENT_A_CAUSE])
		em->cause = nla_get_u8(tb[VG_EVENT_A_CAUSE]);
	if (tb[VG_EVENT_A_TIME_NS])
		em->time_ns = nla_get_u64(tb[VG_EVENT_A_TIME_NS]);
	if (tb[VG_EVENT_A_STATUS])
		em->status = nla_get_u16(tb[VG_EVENT_A_STATUS]);
}

static void print_event_meta(const struct event_meta *em, bool with_cause)
{
	const char *cause = event_cause_name(em->cause);

	if (em->time_ns)
		out_uint("time_ns", NULL, em->time_ns);
	if (!with_cause)
		return;
	out_string("cause", " cause %s", cause ? cause : "unknown");
	if (em->status)
		out_uint("status", " status %" PRIu64, em->status);
	else
		out_null("status", NULL);
}

static void text_stream_summary(const struct stream_view *sv)
{
	char dst[64], src[64];

	format_endpoint(&sv->dst, dst, sizeof(dst));
	format_endpoint(&sv->src, src, sizeof(src));
	out_text(" [%s <- %s packets %" PRIu64 " lost %" PRIu64, dst,
		 src[0] ? src : "-", sv->packets, sv->lost);
	if (sv->has_jitter)
		out_text(" jitter %.3f/%.3f ms", sv->jitter_mean_ns / 1e6,
			 sv->jitter_max_ns / 1e6);
	if (sv->mos_x100)
		out_text(" mos %.2f", sv->mos_x100 / 100.0);
	out_text("]");
}

static void print_call_event(const char *name, struct nlattr **tb,
			     bool end)
{
	struct event_meta em;
	struct call_rec cr;
	char a[64], b[64];
	size_t i;

	if (!tb[VG_A_CALL] || call_rec_parse(tb[VG_A_CALL], &cr))
		return;
	event_meta_parse(tb[VG_A_EVENT], &em);
	out_begin();
	out_open_object(NULL);
	out_string("event", "%s", name);
	if (vg_opts.json) {
		print_event_meta(&em, end);
		call_rec_print("call", &cr, end);
	} else {
		format_endpoint(&cr.caller, a, sizeof(a));
		format_endpoint(&cr.callee, b, sizeof(b));
		out_text(" %s %s -> %s zones %s>%s", cr.call_id,
			 a[0] ? a : "-", b[0] ? b : "-",
			 cr.from_zone[0] ? cr.from_zone : "-",
			 cr.to_zone[0] ? cr.to_zone : "-");
		print_event_meta(&em, end);
		if (end)
			out_text(" age %" PRIu64 "ms streams %zu%s",
				 cr.age_ms, cr.n_streams,
				 cr.streams_truncated ? " (truncated)" : "");
		for (i = 0; i < cr.n_streams; i++)
			text_stream_summary(&cr.streams[i].sv);
		out_text("\n");
	}
	out_close_object();
	out_end();
	call_rec_free(&cr);
}

static void print_flow_event(const char *name, struct nlattr **tb,
			     bool expire)
{
	struct event_meta em;
	struct flow_rec fr;
	char dst[64];

	if (!tb[VG_A_FLOW] || flow_rec_parse(tb[VG_A_FLOW], &fr))
		return;
	event_meta_parse(tb[VG_A_EVENT], &em);
	if (expire)
		fr.sv.state = "closed";
	out_begin();
	out_open_object(NULL);
	out_string("event", "%s", name);
	print_event_meta(&em, expire);
	out_uint("flow_id", NULL, fr.id);
	out_bool("rtcp", NULL, fr.rtcp);
	if (vg_opts.json) {
		/* The stream printer's shape, as in flow show. */
		out_open_array("streams");
		print_stream(&fr.sv);
		out_close_array();
	} else {
		format_endpoint(&fr.sv.dst, dst, sizeof(dst));
		out_text(" %s%s call %s", dst, fr.rtcp ? " (rtcp)" : "",
			 fr.call_id[0] ? fr.call_id : "-");
		if (expire)
			text_stream_summary(&fr.sv);
		out_text("\n");
	}
	out_close_object();
	out_end();
}

static void print_source_event(const char *name, struct nlattr **tb)
{
	struct source_rec sr;
	struct event_meta em;

	if (!tb[VG_A_SOURCE] || source_rec_parse(tb[VG_A_SOURCE], &sr))
		return;
	event_meta_parse(tb[VG_A_EVENT], &em);
	out_begin();
	out_open_object(NULL);
	out_string("event", "%s ", name);
	print_event_meta(&em, false);
	if (vg_opts.json) {
		out_open_array("sources");
		source_rec_print(&sr);
		out_close_array();
	} else {
		source_rec_print(&sr);
	}
	out_close_object();
	out_end();
}

static void print_config_event(struct nlattr **tb)
{
	out_begin();
	out_open_object(NULL);
	out_string("event", "%s", "config");
	if (tb[VG_A_GENERATION])
		out_uint("generation", " generation %" PRIu64,
			 nla_get_u32(tb[VG_A_GENERATION]));
	out_text("\n");
	out_close_object();
	out_end();
}

/*
 * Unloading the module drops our membership without a word on our group:
 * only nlctrl's notification tells, and then no event can come any more.
 */
static void monitor_ctrl_msg(struct nlmsghdr *nlh, struct monitor_ctx *ctx)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct genlmsghdr *gnlh = nlmsg_data(nlh);

	if (gnlh->cmd != CTRL_CMD_DELFAMILY ||
	    genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_ID])
		return;
	if (nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]) == ctx->family)
		ctx->unloaded = true;
}

static int monitor_event_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[VG_A_MAX + 1];
	struct monitor_ctx *ctx = arg;
	struct genlmsghdr *gnlh;

	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		monitor_ctrl_msg(nlh, ctx);
		return NL_OK;
	}
	/* Commands are numbered per family: only ours are events. */
	if (nlh->nlmsg_type != ctx->family)
		return NL_SKIP;
	if (genlmsg_parse(nlh, 0, tb, VG_A_MAX, NULL) < 0)
		return NL_SKIP;
	gnlh = nlmsg_data(nlh);
	switch (gnlh->cmd) {
	case VG_CMD_CALL_START_NTF:
		print_call_event("call_start", tb, false);
		break;
	case VG_CMD_CALL_END_NTF:
		print_call_event("call_end", tb, true);
		break;
	case VG_CMD_PINHOLE_OPEN_NTF:
		print_flow_event("pinhole_open", tb, false);
		break;
	case VG_CMD_PINHOLE_EXPIRE_NTF:
		print_flow_event("pinhole_expire", tb, true);
		break;
	case VG_CMD_FLOOD_START_NTF:
		print_source_event("flood_start", tb);
		break;
	case VG_CMD_FLOOD_END_NTF:
		print_source_event("flood_end", tb);
		break;
	case VG_CMD_CONFIG_NTF:
		print_config_event(tb);
		break;
	default:
		/* Events of a newer module: not ours to guess at. */
		break;
	}
	/* Right after the failed write errno still says why. */
	if (ferror(stdout) && !ctx->write_errno)
		ctx->write_errno = errno ? errno : EIO;
	return NL_OK;
}

static struct nl_sock *monitor_open(struct monitor_ctx *ctx)
{
	struct nl_sock *sk = nl_socket_alloc();
	int grp, ctrl_grp, err;

	if (!sk) {
		vg_err("out of memory");
		return NULL;
	}
	err = genl_connect(sk);
	if (err < 0) {
		vg_err("cannot open a generic netlink socket: %s",
		       nl_geterror(err));
		goto err_free;
	}
	grp = genl_ctrl_resolve_grp(sk, VG_GENL_NAME, VG_GENL_MCGRP_EVENTS);
	if (grp < 0) {
		if (grp == -NLE_OBJ_NOTFOUND)
			vg_err("voipguard module not loaded (generic netlink family '%s' not found)",
			       VG_GENL_NAME);
		else
			vg_err("cannot look up the '%s' events group: %s",
			       VG_GENL_NAME, nl_geterror(grp));
		goto err_free;
	}
	ctx->family = genl_ctrl_resolve(sk, VG_GENL_NAME);
	if (ctx->family < 0) {
		vg_err("cannot look up generic netlink family '%s': %s",
		       VG_GENL_NAME, nl_geterror(ctx->family));
		goto err_free;
	}
	ctrl_grp = genl_ctrl_resolve_grp(sk, "nlctrl", "notify");
	if (ctrl_grp < 0) {
		vg_err("cannot look up the 'nlctrl' notify group: %s",
		       nl_geterror(ctrl_grp));
		goto err_free;
	}
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, monitor_event_cb,
			    ctx);
	err = nl_socket_add_memberships(sk, grp, ctrl_grp, 0);
	if (err < 0) {
		if (err == -NLE_PERM)
			vg_err("permission denied: CAP_NET_ADMIN in the user namespace owning the network namespace is required to receive events");
		else
			vg_err("cannot join the events group: %s",
			       nl_geterror(err));
		goto err_free;
	}
	/* Room for bursts; overruns are reported, not fatal. */
	nl_socket_set_buffer_size(sk, 4 << 20, 0);
	nl_socket_set_nonblocking(sk);
	return sk;

err_free:
	nl_socket_free(sk);
	return NULL;
}

static void monitor_usage(FILE *f)
{
	fputs("Usage: vgctl [-j] monitor\n"
	      "Prints events until interrupted: call_start, call_end,\n"
	      "pinhole_open, pinhole_expire, flood_start, flood_end, config.\n",
	      f);
}

int cmd_monitor(int argc, char **argv)
{
	struct monitor_ctx ctx = { 0 };
	struct pollfd pfd[2];
	struct nl_sock *sk;
	sigset_t sigs;
	int sfd, err, status = VG_EXIT_OK;

	if (argc > 0 && !strcmp(argv[0], "help")) {
		monitor_usage(stdout);
		return VG_EXIT_OK;
	}
	if (argc > 0) {
		monitor_usage(stderr);
		return vg_usage_err("monitor: unexpected '%s'", argv[0]);
	}

	/* Signals arrive on a descriptor: poll sees them, no handler races. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &sigs, NULL) < 0) {
		vg_err("cannot block signals: %s", strerror(errno));
		return VG_EXIT_ERROR;
	}
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sfd < 0) {
		vg_err("cannot create a signal descriptor: %s",
		       strerror(errno));
		return VG_EXIT_ERROR;
	}
	sk = monitor_open(&ctx);
	if (!sk) {
		close(sfd);
		return VG_EXIT_ERROR;
	}
	/* Scripts wait for this line before making events happen. */
	fputs("vgctl: listening for events\n", stderr);

	pfd[0].fd = nl_socket_get_fd(sk);
	pfd[0].events = POLLIN;
	pfd[1].fd = sfd;
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			vg_err("poll: %s", strerror(errno));
			status = VG_EXIT_ERROR;
			break;
		}
		if (pfd[1].revents)
			break;
		if (!(pfd[0].revents & (POLLIN | POLLERR)))
			continue;
		err = nl_recvmsgs_default(sk);
		if (ctx.unloaded) {
			vg_err("the voipguard module was unloaded: no more events");
			status = VG_EXIT_ERROR;
			break;
		}
		/* Nobody reads (a closed pipe, a full disk): stop, say why. */
		if (ctx.write_errno) {
			vg_err("cannot write to standard output: %s",
			       strerror(ctx.write_errno));
			clearerr(stdout);
			status = VG_EXIT_ERROR;
			break;
		}
		if (err == -NLE_AGAIN || err >= 0)
			continue;
		if (err == -NLE_NOMEM) {
			/* ENOBUFS: the socket overran; events were lost. */
			vg_err("warning: events lost (receive buffer overrun)");
			continue;
		}
		vg_err("cannot receive events: %s", nl_geterror(err));
		status = VG_EXIT_ERROR;
		break;
	}
	fflush(stdout);
	nl_socket_free(sk);
	close(sfd);
	return status;
}
