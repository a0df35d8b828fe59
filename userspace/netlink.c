// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <uapi/linux/voipguard.h>

#include "netlink.h"
#include "vgctl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static struct nl_sock *vg_sock;
static int vg_family_id;
bool vg_nl_dump_interrupted;

struct vg_nl_req {
	vg_nl_parse_fn parse;
	void *arg;
	bool quiet;
	bool done;
	int error;		/* negative errno from the kernel */
	int parse_status;	/* nonzero if the parser gave up */
	char ext_msg[256];
	int bad_attr_off;	/* offset of the offending attribute, or -1 */
	int missing_type;	/* type of a missing attribute, or -1 */
	char local[160];	/* what failed on this side, libnl's words */
	struct nl_msg *sent;
};

int vg_nl_enter_netns(const char *name)
{
	char path[4096];
	int fd;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return vg_usage_err("invalid network namespace name '%s'", name);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		vg_err("cannot open network namespace '%s': %s", name,
		       strerror(errno));
		return VG_EXIT_ERROR;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		vg_err("cannot enter network namespace '%s': %s", name,
		       strerror(errno));
		close(fd);
		return VG_EXIT_ERROR;
	}
	close(fd);
	return VG_EXIT_OK;
}

int vg_nl_open(bool quiet)
{
	int one = 1, err;

	vg_sock = nl_socket_alloc();
	if (!vg_sock) {
		if (!quiet)
			vg_err("out of memory");
		return VG_EXIT_ERROR;
	}
	err = genl_connect(vg_sock);
	if (err < 0) {
		if (!quiet)
			vg_err("cannot open a generic netlink socket: %s",
			       nl_geterror(err));
		goto err_free;
	}
	/* Without it the kernel's explanation of an error is lost. */
	if (setsockopt(nl_socket_get_fd(vg_sock), SOL_NETLINK, NETLINK_EXT_ACK,
		       &one, sizeof(one)) < 0 && !quiet)
		vg_err("warning: kernel error messages unavailable: %s",
		       strerror(errno));
	/* Keep only the request header in error acks. */
	setsockopt(nl_socket_get_fd(vg_sock), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));

	vg_family_id = genl_ctrl_resolve(vg_sock, VG_GENL_NAME);
	if (vg_family_id < 0) {
		if (!quiet) {
			if (vg_family_id == -NLE_OBJ_NOTFOUND)
				vg_err("voipguard module not loaded (generic netlink family '%s' not found)",
				       VG_GENL_NAME);
			else
				vg_err("cannot look up generic netlink family '%s': %s",
				       VG_GENL_NAME, nl_geterror(vg_family_id));
		}
		goto err_free;
	}
	return VG_EXIT_OK;

err_free:
	nl_socket_free(vg_sock);
	vg_sock = NULL;
	return VG_EXIT_ERROR;
}

void vg_nl_close(void)
{
	if (vg_sock)
		nl_socket_free(vg_sock);
	vg_sock = NULL;
}

struct nlattr *vg_nl_nest_start(struct nl_msg *msg, int type)
{
	return nla_nest_start(msg, type | NLA_F_NESTED);
}

/* A failure of this side: kept for the caller, printed unless quiet. */
static void vg_nl_local_err(struct vg_nl_req *req, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void vg_nl_local_err(struct vg_nl_req *req, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(req->local, sizeof(req->local), fmt, ap);
	va_end(ap);
	if (!req->quiet)
		vg_err("%s", req->local);
}

static int vg_nl_valid_cb(struct nl_msg *msg, void *arg)
{
	struct vg_nl_req *req = arg;
	struct nlattr *tb[VG_A_MAX + 1];
	int err;

	err = genlmsg_parse(nlmsg_hdr(msg), 0, tb, VG_A_MAX, NULL);
	if (err < 0) {
		vg_nl_local_err(req, "malformed reply from the kernel: %s",
				nl_geterror(err));
		req->parse_status = VG_EXIT_ERROR;
		return NL_STOP;
	}
	if (req->parse && req->parse(tb, req->arg)) {
		req->parse_status = VG_EXIT_ERROR;
		return NL_STOP;
	}
	return NL_OK;
}

/*
 * The kernel's state changed during the dump, which may have missed or
 * repeated objects: note it for the caller to dump again, and read on.
 */
static int vg_nl_dump_intr_cb(struct nl_msg *msg, void *arg)
{
	vg_nl_dump_interrupted = true;
	return NL_OK;
}

static int vg_nl_ack_cb(struct nl_msg *msg, void *arg)
{
	struct vg_nl_req *req = arg;

	req->done = true;
	return NL_STOP;
}

/*
 * Reads the extended ack TLVs (NETLINK_EXT_ACK) that follow the first off
 * octets of the payload of nlh, an error or the end of a dump.
 */
static void vg_nl_read_ext_ack(struct vg_nl_req *req,
			       const struct nlmsghdr *nlh, size_t off)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)off;
	if (len <= 0)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlmsg_data(nlh) + off), len,
		      NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(req->ext_msg, sizeof(req->ext_msg), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (const char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS])
		req->bad_attr_off = (int)nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		req->missing_type = (int)nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

static int vg_nl_error_cb(struct sockaddr_nl *nla, struct nlmsgerr *err,
			  void *arg)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)err - 1;
	struct vg_nl_req *req = arg;
	size_t off = sizeof(*err);

	req->error = err->error;
	req->done = true;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	vg_nl_read_ext_ack(req, nlh, off);
	return NL_STOP;
}

/*
 * The end of a dump. A dump that failed part-way ends with the negative
 * errno as the payload of its NLMSG_DONE, the extended ack after it.
 */
static int vg_nl_finish_cb(struct nl_msg *msg, void *arg)
{
	const struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct vg_nl_req *req = arg;
	int error;

	req->done = true;
	if (nlmsg_datalen(nlh) < (int)sizeof(error))
		return NL_STOP;
	memcpy(&error, nlmsg_data(nlh), sizeof(error));
	if (error < 0) {
		req->error = error;
		vg_nl_read_ext_ack(req, nlh, NLMSG_ALIGN(sizeof(error)));
	}
	return NL_STOP;
}

/*
 * Describes the attribute at byte offset off of the request we sent as a
 * path of attribute types ("6/2" = type 2 inside type 6), for the person
 * reading the error.
 */
static void vg_nl_attr_path(struct nl_msg *sent, int off, char *buf,
			    size_t size)
{
	struct nlmsghdr *nlh = nlmsg_hdr(sent);
	struct nlattr *attrs = genlmsg_attrdata(nlmsg_data(nlh), 0);
	int len = genlmsg_attrlen(nlmsg_data(nlh), 0);
	size_t used = 0;

	buf[0] = '\0';
	while (len > 0) {
		struct nlattr *nla, *found = NULL;
		int rem, start, end;

		nla_for_each_attr(nla, attrs, len, rem) {
			start = (char *)nla - (char *)nlh;
			end = start + NLA_ALIGN(nla->nla_len);
			if (off >= start && off < end) {
				found = nla;
				break;
			}
		}
		if (!found)
			return;
		used += snprintf(buf + used, size > used ? size - used : 0,
				 "%s%d", used ? "/" : "", nla_type(found));
		if (off == (char *)found - (char *)nlh ||
		    !(found->nla_type & NLA_F_NESTED))
			return;
		attrs = nla_data(found);
		len = nla_len(found);
	}
}

static void vg_nl_print_error(struct vg_nl_req *req)
{
	int e = -req->error;
	char path[64] = "";

	if (req->bad_attr_off >= 0 && req->sent)
		vg_nl_attr_path(req->sent, req->bad_attr_off, path,
				sizeof(path));

	if (req->ext_msg[0])
		vg_err("kernel: %s%s%s%s (%s)", req->ext_msg,
		       path[0] ? " (attribute " : "", path,
		       path[0] ? ")" : "", strerror(e));
	else if (e == EPERM)
		vg_err("permission denied: CAP_NET_ADMIN in the user namespace owning the network namespace is required (%s)",
		       strerror(e));
	else if (e == EOPNOTSUPP)
		vg_err("operation not supported by this voipguard module (%s)",
		       strerror(e));
	else
		vg_err("kernel: %s", strerror(e));
	if (req->missing_type >= 0)
		vg_err("kernel: missing attribute type %d", req->missing_type);
}

int vg_nl_request(uint8_t cmd, unsigned int flags, vg_nl_build_fn build,
		  vg_nl_parse_fn parse, void *arg)
{
	return vg_nl_request_ex(cmd, flags, build, parse, arg, NULL);
}

int vg_nl_request_ex(uint8_t cmd, unsigned int flags, vg_nl_build_fn build,
		     vg_nl_parse_fn parse, void *arg, struct vg_nl_error *out)
{
	struct vg_nl_req req = {
		.parse = parse,
		.arg = arg,
		.quiet = flags & VG_NL_QUIET,
		.bad_attr_off = -1,
		.missing_type = -1,
	};
	struct nl_msg *msg;
	struct nl_cb *cb;
	int err, status = VG_EXIT_ERROR;

	vg_nl_dump_interrupted = false;
	msg = nlmsg_alloc();
	cb = nl_cb_alloc(NL_CB_CUSTOM);
	if (!msg || !cb) {
		vg_nl_local_err(&req, "out of memory");
		goto out;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, vg_family_id, 0,
			 (flags & VG_NL_DUMP) ? NLM_F_DUMP : 0, cmd,
			 VG_GENL_VERSION)) {
		vg_nl_local_err(&req, "cannot build the request");
		goto out;
	}
	if (build) {
		err = build(msg, arg);
		if (err < 0) {
			vg_nl_local_err(&req, "request too large: %s",
					nl_geterror(err));
			goto out;
		}
	}
	req.sent = msg;

	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, vg_nl_valid_cb, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, vg_nl_finish_cb, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, vg_nl_ack_cb, &req);
	/* Without it libnl fails the whole dump: the caller could not retry. */
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, vg_nl_dump_intr_cb, NULL);
	nl_cb_err(cb, NL_CB_CUSTOM, vg_nl_error_cb, &req);

	err = nl_send_auto(vg_sock, msg);
	if (err < 0) {
		vg_nl_local_err(&req, "cannot send to the kernel: %s",
				nl_geterror(err));
		goto out;
	}
	while (!req.done && !req.parse_status) {
		err = nl_recvmsgs(vg_sock, cb);
		if (err < 0 && !req.error && !req.parse_status) {
			vg_nl_local_err(&req,
					"cannot receive from the kernel: %s",
					nl_geterror(err));
			goto out;
		}
	}
	if (req.parse_status)
		goto out;
	if (req.error) {
		if (!req.quiet)
			vg_nl_print_error(&req);
		goto out;
	}
	status = VG_EXIT_OK;
out:
	if (out) {
		out->error = req.error;
		snprintf(out->msg, sizeof(out->msg), "%s", req.ext_msg);
		out->bad_attr_off = req.bad_attr_off;
		snprintf(out->local, sizeof(out->local), "%s", req.local);
	}
	nl_cb_put(cb);
	nlmsg_free(msg);
	return status;
}
