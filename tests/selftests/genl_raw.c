// SPDX-License-Identifier: GPL-2.0
/*
 * Raw generic netlink requests to the configuration operations: unknown,
 * truncated, oversized and wrongly nested attributes, unknown flag bits,
 * foreign transactions. Each must be refused with an errno AND an extended
 * ack message. A dump that a change interrupts must say so (NLM_F_DUMP_INTR). Prints KTAP; run as root in a namespace where voipguard is
 * loaded.
 *
 *   cc -I include -o genl_raw tests/selftests/genl_raw.c && ./genl_raw
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <uapi/linux/voipguard.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define BUF_SIZE 8192

struct req {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	char attrs[BUF_SIZE];
};

struct reply {
	int error;		/* 0, or a negative errno */
	char msg[256];		/* extack message */
	uint32_t txn_id;	/* REPLACE_BEGIN's answer */
};

static int tests, failures;
static uint16_t family;
static uint32_t seq = 1;

/* ---- message building ---- */

static struct req *req_new(uint16_t type, uint8_t cmd)
{
	struct req *r = calloc(1, sizeof(*r));

	if (!r) {
		perror("calloc");
		exit(1);
	}
	r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nlh.nlmsg_type = type;
	r->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r->nlh.nlmsg_seq = seq++;
	r->genl.cmd = cmd;
	r->genl.version = VG_GENL_VERSION;
	return r;
}

static struct nlattr *put(struct req *r, uint16_t type, const void *data,
			  size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nlh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static struct nlattr *put_u8(struct req *r, uint16_t type, uint8_t v)
{
	return put(r, type, &v, 1);
}

static struct nlattr *put_u32(struct req *r, uint16_t type, uint32_t v)
{
	return put(r, type, &v, 4);
}

static struct nlattr *put_str(struct req *r, uint16_t type, const char *s)
{
	return put(r, type, s, strlen(s) + 1);
}

static struct nlattr *nest_start(struct req *r, uint16_t type)
{
	return put(r, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct req *r, struct nlattr *nest)
{
	nest->nla_len = (char *)r + r->nlh.nlmsg_len - (char *)nest;
}

/* ---- transport ---- */

static int nl_open(void)
{
	int one = 1;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one))) {
		perror("setsockopt");
		exit(1);
	}
	return fd;
}

static void parse_ack(struct nlmsghdr *nlh, struct reply *rep)
{
	struct nlmsgerr *err = NLMSG_DATA(nlh);
	struct nlattr *a;
	int len;

	rep->error = err->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	a = (struct nlattr *)((char *)err + sizeof(*err));
	len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)sizeof(*err);
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			snprintf(rep->msg, sizeof(rep->msg), "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN),
				 (char *)a + NLA_HDRLEN);
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
}

/* Sends @r on @fd and reads until its ack; fills @rep. */
static void transact(int fd, struct req *r, struct reply *rep)
{
	static char buf[65536];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh;
	ssize_t n;
	int len;

	memset(rep, 0, sizeof(*rep));
	if (sendto(fd, r, r->nlh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		rep->error = -errno;
		snprintf(rep->msg, sizeof(rep->msg), "(send failed)");
		return;
	}
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			rep->error = -errno;
			return;
		}
		len = (int)n;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != r->nlh.nlmsg_seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				parse_ack(nlh, rep);
				return;
			}
			if (nlh->nlmsg_type == family) {
				struct nlattr *a = (struct nlattr *)
					((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);

				if (a->nla_type == VG_A_TXN_ID)
					memcpy(&rep->txn_id,
					       (char *)a + NLA_HDRLEN, 4);
			}
		}
	}
}

static uint16_t resolve_family(int fd)
{
	static char buf[8192];
	struct req *r = req_new(GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	struct nlmsghdr *nlh;
	struct nlattr *a;
	uint16_t id = 0;
	ssize_t n;
	int len, alen;

	r->genl.version = 1;
	put_str(r, CTRL_ATTR_FAMILY_NAME, VG_GENL_NAME);
	if (send(fd, r, r->nlh.nlmsg_len, 0) < 0) {
		perror("send");
		exit(1);
	}
	n = recv(fd, buf, sizeof(buf), 0);
	len = (int)n;
	for (nlh = (struct nlmsghdr *)buf; n > 0 && NLMSG_OK(nlh, len);
	     nlh = NLMSG_NEXT(nlh, len)) {
		if (nlh->nlmsg_type != GENL_ID_CTRL)
			continue;
		a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
		alen = (int)nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
		while (alen >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN) {
			if (a->nla_type == CTRL_ATTR_FAMILY_ID)
				memcpy(&id, (char *)a + NLA_HDRLEN, 2);
			alen -= NLA_ALIGN(a->nla_len);
			a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
		}
	}
	free(r);
	return id;
}

/* ---- cases ---- */

/* The request is refused with @want_errno (0: any) and a message. */
static void expect_refused(int fd, const char *name, struct req *r,
			   int want_errno)
{
	struct reply rep;
	int ok;

	transact(fd, r, &rep);
	ok = rep.error < 0 && rep.msg[0] &&
	     (!want_errno || rep.error == -want_errno);
	printf("# %s: errno %d (%s), message \"%s\"\n", name, -rep.error,
	       rep.error ? strerror(-rep.error) : "none", rep.msg);
	printf("%sok %d - %s\n", ok ? "" : "not ", ++tests, name);
	failures += !ok;
	free(r);
}

static void expect_accepted(int fd, const char *name, struct req *r)
{
	struct reply rep;

	transact(fd, r, &rep);
	printf("# %s: errno %d \"%s\"\n", name, -rep.error, rep.msg);
	printf("%sok %d - %s\n", rep.error ? "not " : "", ++tests, name);
	failures += !!rep.error;
	free(r);
}

static struct req *zone_add(const char *name)
{
	struct req *r = req_new(family, VG_CMD_ZONE_ADD);
	struct nlattr *z = nest_start(r, VG_A_ZONE);

	put_str(r, VG_ZONE_A_NAME, name);
	nest_end(r, z);
	return r;
}

#define BIG_ZONE_PREFIXES	2400
#define PREFIXES_PER_REQUEST	300

/* Zone "big" with BIG_ZONE_PREFIXES host prefixes 10.200.x.y/32. */
static int make_big_zone(int fd)
{
	struct nlattr *n1, *n2, *n3;
	struct reply rep;
	struct req *r;
	int i, k;

	for (i = 0; i < BIG_ZONE_PREFIXES; i += PREFIXES_PER_REQUEST) {
		r = req_new(family, VG_CMD_ZONE_ADD);
		n1 = nest_start(r, VG_A_ZONE);
		put_str(r, VG_ZONE_A_NAME, "big");
		n2 = nest_start(r, VG_ZONE_A_PREFIXES);
		for (k = i; k < i + PREFIXES_PER_REQUEST; k++) {
			uint8_t a[4] = { 10, 200, (uint8_t)(k >> 8),
					 (uint8_t)k };

			n3 = nest_start(r, VG_LIST_A_ITEM);
			put(r, VG_PREFIX_A_ADDR4, a, 4);
			put_u8(r, VG_PREFIX_A_LEN, 32);
			nest_end(r, n3);
		}
		nest_end(r, n2);
		nest_end(r, n1);
		if (i)
			put_u32(r, VG_A_FLAGS, VG_F_APPEND);
		transact(fd, r, &rep);
		free(r);
		if (rep.error) {
			printf("# zone big: errno %d \"%s\"\n", -rep.error,
			       rep.msg);
			return -1;
		}
	}
	return 0;
}

/*
 * Dumps the zones on a socket of its own, reading with a small buffer so
 * the dump comes in several parts; @between runs after the first part.
 * Counts the parts and the messages flagged NLM_F_DUMP_INTR.
 */
static void dump_zones(void (*between)(void), int *parts, int *interrupted)
{
	static char buf[8192];
	int fd = nl_open(), len, done = 0;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct req *r = req_new(family, VG_CMD_ZONE_GET);
	struct nlmsghdr *nlh;
	ssize_t n;

	r->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	*parts = 0;
	*interrupted = 0;
	if (sendto(fd, r, r->nlh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		goto out;
	while (!done && (n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		len = (int)n;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				(*interrupted)++;
			if (nlh->nlmsg_type == NLMSG_DONE ||
			    nlh->nlmsg_type == NLMSG_ERROR)
				done = 1;
		}
		if (++*parts == 1 && between)
			between();
	}
out:
	free(r);
	close(fd);
}

static int change_fd;

/* A configuration change: the zone "late" comes. */
static void add_zone_late(void)
{
	struct reply rep;
	struct req *r = zone_add("late");

	transact(change_fd, r, &rep);
	free(r);
	if (rep.error)
		printf("# zone late: errno %d\n", -rep.error);
}

static void expect_dumps_flagged(int fd)
{
	int parts, intr, ok;

	ok = !make_big_zone(fd);
	dump_zones(NULL, &parts, &intr);
	printf("# unchanged: %d parts, %d flagged\n", parts, intr);
	ok = ok && parts >= 3 && intr == 0;
	printf("%sok %d - zone dump in %d parts, nothing changed: not flagged\n",
	       ok ? "" : "not ", ++tests, parts);
	failures += !ok;

	change_fd = fd;
	dump_zones(add_zone_late, &parts, &intr);
	printf("# changed after the first part: %d parts, %d flagged\n",
	       parts, intr);
	ok = parts >= 3 && intr > 0;
	printf("%sok %d - zone dump changed between parts: NLM_F_DUMP_INTR\n",
	       ok ? "" : "not ", ++tests);
	failures += !ok;
}

int main(void)
{
	static const uint8_t addr4[4] = { 10, 1, 2, 3 };
	struct nlattr *n1, *n2, *n3;
	int fd = nl_open(), fd2 = nl_open();
	struct reply rep;
	struct req *r;
	char longname[64];

	family = resolve_family(fd);
	printf("KTAP version 1\n1..28\n");
	if (!family) {
		printf("# voipguard family not found\n");
		return 4;
	}

	/* A good request first: the harness itself works. */
	expect_accepted(fd, "well-formed zone add accepted", zone_add("z1"));

	r = req_new(family, VG_CMD_ZONE_ADD);
	n1 = nest_start(r, VG_A_ZONE);
	put_str(r, VG_ZONE_A_NAME, "z2");
	put_u32(r, 60, 1);			/* unknown attribute in the nest */
	nest_end(r, n1);
	expect_refused(fd, "zone add: unknown nested attribute", r, EINVAL);

	r = zone_add("z3");
	put_u32(r, 200, 0);			/* unknown top-level attribute */
	expect_refused(fd, "zone add: unknown top-level attribute", r, EINVAL);

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	expect_refused(fd, "zone add: oversized name", zone_add(longname), 0);
	/* "any" means every zone, "none" no zone: neither names one */
	expect_refused(fd, "zone add: reserved name any", zone_add("any"),
		       EINVAL);
	expect_refused(fd, "zone add: reserved name none", zone_add("none"),
		       EINVAL);

	r = req_new(family, VG_CMD_ZONE_ADD);
	n1 = put(r, VG_A_ZONE, NULL, 0);	/* nest without NLA_F_NESTED */
	put_str(r, VG_ZONE_A_NAME, "z4");
	nest_end(r, n1);
	expect_refused(fd, "zone add: nest without NLA_F_NESTED", r, EINVAL);

	r = req_new(family, VG_CMD_ZONE_ADD);
	n1 = nest_start(r, VG_A_ZONE);
	put_str(r, VG_ZONE_A_NAME, "z5");
	n2 = nest_start(r, VG_ZONE_A_PREFIXES);
	n3 = nest_start(r, VG_LIST_A_ITEM);
	put(r, VG_PREFIX_A_ADDR4, addr4, 4);
	put_u8(r, VG_PREFIX_A_LEN, 16);		/* host bits set */
	nest_end(r, n3);
	nest_end(r, n2);
	nest_end(r, n1);
	expect_refused(fd, "zone add: host bits set past the length", r,
		       EINVAL);

	r = req_new(family, VG_CMD_ZONE_ADD);
	n1 = nest_start(r, VG_A_ZONE);
	put_str(r, VG_ZONE_A_NAME, "z6");
	n2 = nest_start(r, VG_ZONE_A_PREFIXES);
	n3 = nest_start(r, VG_LIST_A_ITEM);
	put(r, VG_PREFIX_A_ADDR4, addr4, 3);	/* short address */
	nest_end(r, n3);
	nest_end(r, n2);
	nest_end(r, n1);
	expect_refused(fd, "zone add: truncated address", r, 0);

	r = req_new(family, VG_CMD_ZONE_ADD);
	n1 = nest_start(r, VG_A_ZONE);
	put_str(r, VG_ZONE_A_NAME, "z7");
	n2 = nest_start(r, VG_ZONE_A_PREFIXES);
	put_u8(r, VG_LIST_A_ITEM, 1);		/* item is not a nest */
	nest_end(r, n2);
	nest_end(r, n1);
	expect_refused(fd, "zone add: list item wrongly nested", r, EINVAL);

	r = zone_add("z8");
	put_u32(r, VG_A_FLAGS, 1U << 12);	/* unknown flag bit */
	expect_refused(fd, "zone add: unknown flag bit", r, EINVAL);

	r = zone_add("z9");
	put_u32(r, VG_A_FLAGS, VG_F_CHECK);	/* flag of another op */
	expect_refused(fd, "zone add: flag meant for commit", r, EINVAL);

	r = req_new(family, VG_CMD_ZONE_DEL);
	expect_refused(fd, "zone del: nothing named", r, EINVAL);

	r = req_new(family, VG_CMD_POLICY_SET);
	n1 = nest_start(r, VG_A_POLICY);
	put_str(r, VG_POLICY_A_FROM, "z1");
	put_str(r, VG_POLICY_A_TO, "any");
	n2 = nest_start(r, VG_POLICY_A_CLASS);	/* u8 sent as a nest */
	nest_end(r, n2);
	put_u8(r, VG_POLICY_A_ACTION, VG_ACTION_DROP);
	nest_end(r, n1);
	expect_refused(fd, "policy set: class wrongly nested", r, EINVAL);

	r = req_new(family, VG_CMD_POLICY_SET);
	n1 = nest_start(r, VG_A_POLICY);
	put_str(r, VG_POLICY_A_FROM, "z1");
	put_str(r, VG_POLICY_A_TO, "any");
	put_u8(r, VG_POLICY_A_CLASS, VG_CLASS_SIP);
	nest_end(r, n1);
	expect_refused(fd, "policy set: action missing", r, EINVAL);

	r = req_new(family, VG_CMD_POLICY_SET);
	n1 = nest_start(r, VG_A_POLICY);
	put_str(r, VG_POLICY_A_FROM, "z1");
	put_str(r, VG_POLICY_A_TO, "any");
	put_u8(r, VG_POLICY_A_CLASS, VG_CLASS_MAX + 1);	/* out of range */
	put_u8(r, VG_POLICY_A_ACTION, VG_ACTION_DROP);
	nest_end(r, n1);
	expect_refused(fd, "policy set: class out of range", r, ERANGE);

	r = req_new(family, VG_CMD_LIMIT_SET);
	n1 = nest_start(r, VG_A_LIMITS);
	put(r, VG_LIMIT_A_SIP_RATE, "\1\0", 2);	/* u32 cut to 2 bytes */
	nest_end(r, n1);
	expect_refused(fd, "limit set: truncated u32", r, EINVAL);

	r = req_new(family, VG_CMD_LIMIT_SET);
	n1 = nest_start(r, VG_A_LIMITS);
	put_u32(r, VG_LIMIT_A_SIP_RATE, 10);
	n2 = put(r, VG_LIMIT_A_SIP_BURST, "\0\0\0\0\0\0\0\0", 8);
	nest_end(r, n1);
	n2->nla_len = 200;			/* claims more than there is */
	expect_refused(fd, "limit set: attribute longer than its message", r,
		       EINVAL);

	r = req_new(family, VG_CMD_SRTP_SET);
	n1 = nest_start(r, VG_A_SRTP);
	put_str(r, VG_SRTP_A_FROM, "z1");
	put_str(r, VG_SRTP_A_TO, "nowhere");
	put_u8(r, VG_SRTP_A_REQUIRE, 1);
	nest_end(r, n1);
	expect_refused(fd, "srtp set: unknown zone", r, ENOENT);

	r = req_new(family, VG_CMD_SRTP_DEL);
	n1 = nest_start(r, VG_A_SRTP);
	put_str(r, VG_SRTP_A_FROM, "z1");
	put_str(r, VG_SRTP_A_TO, "any");
	put_u8(r, VG_SRTP_A_REQUIRE, 1);	/* not part of the key */
	nest_end(r, n1);
	expect_refused(fd, "srtp del: require sent with the key", r, EINVAL);

	r = req_new(family, VG_CMD_SRTP_DEL);
	n1 = nest_start(r, VG_A_SRTP);
	put_str(r, VG_SRTP_A_FROM, "z1");
	put_str(r, VG_SRTP_A_TO, "any");
	nest_end(r, n1);
	expect_refused(fd, "srtp del: no such entry", r, ENOENT);

	r = req_new(family, VG_CMD_CONFIG_SET);
	n1 = nest_start(r, VG_A_CONFIG);
	put_u32(r, VG_CFG_A_MEDIA_TIMEOUT, 0);	/* below the range */
	nest_end(r, n1);
	expect_refused(fd, "config set: value out of range", r, ERANGE);

	r = req_new(family, VG_CMD_CONFIG_GET);
	put_u32(r, VG_A_TXN_ID, 1);		/* the op takes nothing */
	expect_refused(fd, "config get: attribute to an op without any", r,
		       EINVAL);

	/* A transaction belongs to the socket that began it. */
	r = req_new(family, VG_CMD_REPLACE_BEGIN);
	transact(fd, r, &rep);
	free(r);
	r = req_new(family, VG_CMD_REPLACE_COMMIT);
	put_u32(r, VG_A_TXN_ID, rep.txn_id);
	expect_refused(fd2, "replace commit from another socket", r, ENOENT);

	r = req_new(family, VG_CMD_REPLACE_COMMIT);
	put_u32(r, VG_A_TXN_ID, rep.txn_id);
	put_u32(r, VG_A_FLAGS, VG_F_APPEND);	/* not a commit flag */
	expect_refused(fd, "replace commit: flag of another op", r, EINVAL);

	r = req_new(family, VG_CMD_REPLACE_ABORT);
	put_u32(r, VG_A_TXN_ID, rep.txn_id);
	expect_accepted(fd, "replace abort by its owner", r);

	expect_dumps_flagged(fd);

	close(fd2);
	close(fd);
	printf("# totals: pass:%d fail:%d\n", tests - failures, failures);
	return failures ? 1 : 0;
}
