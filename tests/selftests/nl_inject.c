// SPDX-License-Identifier: GPL-2.0
/*
 * An LD_PRELOAD library that makes a program's generic netlink requests
 * meet, on demand rather than by chance, what the kernel or the socket
 * does only under races, with objects too large for a message, or when
 * memory runs short:
 *
 *   VG_INJECT_INTR_CMD=CMD   once the first part of a dump has been read,
 *       run CMD (with sh, without this library), so that a change it makes
 *       lands between the dump's parts and the kernel flags the later ones
 *       NLM_F_DUMP_INTR. VG_INJECT_INTR_TIMES=N: disturb the first N
 *       dumps (default 1). The dump needs more than three parts: the
 *       kernel fills two more while the first is read.
 *   VG_INJECT_DONE_ERRNO=E   make every NLMSG_DONE the end of a failed
 *       dump: -E as its payload and, with VG_INJECT_DONE_MSG=TEXT, TEXT as
 *       the extended ack message (NLM_F_ACK_TLVS), as the kernel's
 *       netlink_dump_done() writes them.
 *   VG_INJECT_SEND_ERRNO=E   fail every request to a family other than
 *       the controller (the family lookup works) with errno E, as the
 *       socket would.
 *   VG_INJECT_LOG=FILE       append a line per event, to show what the
 *       test did: "changed" (CMD ran), "intr" (a message flagged
 *       NLM_F_DUMP_INTR), "done" (the end of a dump).
 *
 *   cc -shared -fPIC -o nl_inject.so nl_inject.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static ssize_t (*real_recvmsg)(int fd, struct msghdr *msg, int flags);
static ssize_t (*real_sendmsg)(int fd, const struct msghdr *msg, int flags);
static const char *intr_cmd, *done_msg, *log_path;
static int intr_times = 1, done_errno, send_errno;
static int intr_fired;		/* in this dump */

__attribute__((constructor)) static void inject_init(void)
{
	const char *s;

	real_recvmsg = (ssize_t (*)(int, struct msghdr *, int))
		       dlsym(RTLD_NEXT, "recvmsg");
	real_sendmsg = (ssize_t (*)(int, const struct msghdr *, int))
		       dlsym(RTLD_NEXT, "sendmsg");
	intr_cmd = getenv("VG_INJECT_INTR_CMD");
	s = getenv("VG_INJECT_INTR_TIMES");
	if (s)
		intr_times = atoi(s);
	s = getenv("VG_INJECT_DONE_ERRNO");
	if (s)
		done_errno = atoi(s);
	done_msg = getenv("VG_INJECT_DONE_MSG");
	s = getenv("VG_INJECT_SEND_ERRNO");
	if (s)
		send_errno = atoi(s);
	log_path = getenv("VG_INJECT_LOG");
}

static void log_event(const char *what)
{
	FILE *f;

	if (!log_path)
		return;
	f = fopen(log_path, "a");
	if (!f)
		abort();
	fprintf(f, "%s\n", what);
	fclose(f);
}

/* Logs what the kernel sent in the len octets at buf. */
static void log_read(void *buf, size_t len)
{
	struct nlmsghdr *nlh;
	int rem = (int)len;

	for (nlh = buf; NLMSG_OK(nlh, rem); nlh = NLMSG_NEXT(nlh, rem)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			log_event("intr");
		if (nlh->nlmsg_type == NLMSG_DONE)
			log_event("done");
	}
}

/* The NLMSG_DONE of the len octets at buf, or NULL. */
static struct nlmsghdr *find_done(void *buf, size_t len)
{
	struct nlmsghdr *nlh;
	int rem = (int)len;

	for (nlh = buf; NLMSG_OK(nlh, rem); nlh = NLMSG_NEXT(nlh, rem))
		if (nlh->nlmsg_type == NLMSG_DONE)
			return nlh;
	return NULL;
}

/* Rewrites the datagram's NLMSG_DONE in place; returns its new length. */
static ssize_t fail_done(struct msghdr *msg, ssize_t n)
{
	char *buf = msg->msg_iov[0].iov_base;
	size_t cap = msg->msg_iov[0].iov_len, text, len;
	struct nlmsghdr *nlh;
	struct nlattr *nla;
	int error = -done_errno;

	if ((size_t)n > cap)
		return n;	/* cut short: a peek, the read comes after */
	nlh = find_done(buf, n);
	if (!nlh)
		return n;
	text = done_msg ? strlen(done_msg) + 1 : 0;
	len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(error)) +
	      (text ? NLA_ALIGN(NLA_HDRLEN + text) : 0);
	if ((char *)nlh - buf + len > cap)
		return n;
	nlh->nlmsg_len = len;
	memcpy(NLMSG_DATA(nlh), &error, sizeof(error));
	if (text) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		nla = (struct nlattr *)((char *)NLMSG_DATA(nlh) +
					NLMSG_ALIGN(sizeof(error)));
		nla->nla_type = NLMSGERR_ATTR_MSG;
		nla->nla_len = NLA_HDRLEN + text;
		memset((char *)nla + NLA_HDRLEN, 0, NLA_ALIGN(text));
		memcpy((char *)nla + NLA_HDRLEN, done_msg, text);
	}
	return (char *)nlh - buf + len;
}

/* After a part of a dump was read: change something once per dump. */
static void disturb(struct msghdr *msg, ssize_t n)
{
	struct nlmsghdr *nlh = msg->msg_iov[0].iov_base;
	size_t len = msg->msg_iov[0].iov_len;

	if ((size_t)n < len)
		len = n;
	if (find_done(nlh, len)) {
		intr_fired = 0;
		return;
	}
	if (intr_fired || intr_times <= 0 || !NLMSG_OK(nlh, (int)len) ||
	    !(nlh->nlmsg_flags & NLM_F_MULTI) ||
	    nlh->nlmsg_type < NLMSG_MIN_TYPE)
		return;
	intr_fired = 1;
	intr_times--;
	/* What CMD runs is not disturbed. */
	unsetenv("LD_PRELOAD");
	if (system(intr_cmd) != 0)
		abort();	/* the test would prove nothing */
	log_event("changed");
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	ssize_t n = real_recvmsg(fd, msg, flags);
	struct sockaddr_nl *sa = msg->msg_name;

	if (n <= 0 || !sa || msg->msg_namelen < sizeof(*sa) ||
	    sa->nl_family != AF_NETLINK || msg->msg_iovlen != 1)
		return n;
	if (done_errno)
		n = fail_done(msg, n);
	if (flags & MSG_PEEK)
		return n;
	log_read(msg->msg_iov[0].iov_base,
		 (size_t)n < msg->msg_iov[0].iov_len ?
		 (size_t)n : msg->msg_iov[0].iov_len);
	if (intr_cmd)
		disturb(msg, n);
	return n;
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	const struct sockaddr_nl *sa = msg->msg_name;
	const struct nlmsghdr *nlh;

	if (send_errno && sa && sa->nl_family == AF_NETLINK &&
	    msg->msg_iovlen >= 1 && msg->msg_iov[0].iov_len >= sizeof(*nlh)) {
		nlh = msg->msg_iov[0].iov_base;
		if (nlh->nlmsg_type >= NLMSG_MIN_TYPE &&
		    nlh->nlmsg_type != GENL_ID_CTRL) {
			errno = send_errno;
			return -1;
		}
	}
	return real_sendmsg(fd, msg, flags);
}
