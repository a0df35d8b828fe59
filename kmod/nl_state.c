// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink operations that report state: calls, media streams (flows) and
 * sources (get and dump), flow flush, and the counters (stats get/reset).
 *
 * Dumps send one object per message, as many messages per skb as fit, and
 * keep a resume cursor in cb->ctx. Each message carries VG_A_GENERATION,
 * which changes whenever the configuration changes or an entry of a state
 * table comes or goes; when it changed between two parts of a dump, the
 * message gets NLM_F_DUMP_INTR and the reader should dump again.
 */
#include <linux/build_bug.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/voipguard.h>

#include "calls.h"
#include "config.h"
#include "events.h"
#include "media.h"
#include "netlink.h"
#include "nl_state.h"
#include "pernet.h"
#include "reason.h"
#include "sources.h"
#include "stats.h"

/* ---- attribute writers ---- */

static int vg_nl_put_endpoint(struct sk_buff *msg, int attrtype,
			      const struct vg_addr *addr, u16 port)
{
	struct nlattr *nest;

	if (addr->family != VG_AF_INET && addr->family != VG_AF_INET6)
		return 0;
	nest = nla_nest_start(msg, attrtype);
	if (!nest)
		return -EMSGSIZE;
	if ((addr->family == VG_AF_INET &&
	     nla_put(msg, VG_EP_A_ADDR4, 4, addr->addr)) ||
	    (addr->family == VG_AF_INET6 &&
	     nla_put(msg, VG_EP_A_ADDR6, 16, addr->addr)) ||
	    nla_put_u16(msg, VG_EP_A_PORT, port)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* A string that is not NUL-terminated in the tables. */
static int vg_nl_put_strn(struct sk_buff *msg, int attrtype, const char *s,
			  u32 len)
{
	struct nlattr *nla = nla_reserve(msg, attrtype, len + 1);

	if (!nla)
		return -EMSGSIZE;
	memcpy(nla_data(nla), s, len);
	((char *)nla_data(nla))[len] = '\0';
	return 0;
}

static int vg_nl_put_flow_attrs(struct sk_buff *msg,
				const struct vg_flow_info *fi)
{
	bool latched = fi->state == VG_FLOW_LATCHED;

	if (nla_put_u64_64bit(msg, VG_FLOW_A_ID, fi->id, VG_FLOW_A_PAD) ||
	    (fi->call_id &&
	     vg_nl_put_strn(msg, VG_FLOW_A_CALL_ID, fi->call_id,
			    fi->call_id_len)) ||
	    nla_put_u8(msg, VG_FLOW_A_STATE, fi->state) ||
	    nla_put_u8(msg, VG_FLOW_A_PROTO, fi->l4proto) ||
	    vg_nl_put_endpoint(msg, VG_FLOW_A_SRC, &fi->src, fi->src_port) ||
	    vg_nl_put_endpoint(msg, VG_FLOW_A_DST, &fi->dst, fi->dst_port) ||
	    nla_put_u8(msg, VG_FLOW_A_RTCP, fi->rtcp) ||
	    (latched && nla_put_u32(msg, VG_FLOW_A_SSRC, fi->ssrc)) ||
	    (fi->packets && !fi->rtcp &&
	     nla_put_u8(msg, VG_FLOW_A_PAYLOAD_TYPE, fi->payload_type)) ||
	    nla_put_u32(msg, VG_FLOW_A_CLOCK_RATE, fi->clock_rate) ||
	    nla_put_u8(msg, VG_FLOW_A_SRTP, fi->srtp) ||
	    nla_put_u64_64bit(msg, VG_FLOW_A_PACKETS, fi->packets,
			      VG_FLOW_A_PAD) ||
	    nla_put_u64_64bit(msg, VG_FLOW_A_BYTES, fi->bytes,
			      VG_FLOW_A_PAD) ||
	    nla_put_u64_64bit(msg, VG_FLOW_A_DROPPED, fi->dropped,
			      VG_FLOW_A_PAD) ||
	    nla_put_u64_64bit(msg, VG_FLOW_A_LOST, fi->lost, VG_FLOW_A_PAD) ||
	    nla_put_u64_64bit(msg, VG_FLOW_A_DUPLICATES, fi->duplicates,
			      VG_FLOW_A_PAD) ||
	    nla_put_u64_64bit(msg, VG_FLOW_A_REORDERED, fi->reordered,
			      VG_FLOW_A_PAD) ||
	    nla_put_u64_64bit(msg, VG_FLOW_A_IDLE_MS, fi->idle_ms,
			      VG_FLOW_A_PAD) ||
	    nla_put_u64_64bit(msg, VG_FLOW_A_EXPIRES_MS, fi->expires_ms,
			      VG_FLOW_A_PAD) ||
	    (!fi->rtcp &&
	     nla_put_u64_64bit(msg, VG_FLOW_A_RTCP_PACKETS, fi->rtcp_packets,
			       VG_FLOW_A_PAD)))
		return -EMSGSIZE;
	/* Jitter is measured only with a known clock rate. */
	if (fi->clock_rate && fi->packets > 1 &&
	    (nla_put_u32(msg, VG_FLOW_A_JITTER_MEAN_NS, fi->jitter_mean_ns) ||
	     nla_put_u32(msg, VG_FLOW_A_JITTER_MAX_NS, fi->jitter_max_ns)))
		return -EMSGSIZE;
	if (fi->mos_x100 && nla_put_u32(msg, VG_FLOW_A_MOS_X100, fi->mos_x100))
		return -EMSGSIZE;
	return 0;
}

int vg_nl_put_flow(struct sk_buff *msg, int attrtype,
		   const struct vg_flow_info *fi)
{
	struct nlattr *nest = nla_nest_start(msg, attrtype);

	if (!nest)
		return -EMSGSIZE;
	if (vg_nl_put_flow_attrs(msg, fi)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

int vg_nl_put_source(struct sk_buff *msg, const struct vg_source_info *si)
{
	struct nlattr *nest, *prefix;

	nest = nla_nest_start(msg, VG_A_SOURCE);
	if (!nest)
		return -EMSGSIZE;
	prefix = nla_nest_start(msg, VG_SOURCE_A_PREFIX);
	if (!prefix ||
	    (si->prefix.family == VG_AF_INET &&
	     nla_put(msg, VG_PREFIX_A_ADDR4, 4, si->prefix.addr)) ||
	    (si->prefix.family == VG_AF_INET6 &&
	     nla_put(msg, VG_PREFIX_A_ADDR6, 16, si->prefix.addr)) ||
	    nla_put_u8(msg, VG_PREFIX_A_LEN, si->prefix_len))
		goto err;
	nla_nest_end(msg, prefix);
	if ((si->zone && si->zone[0] &&
	     nla_put_string(msg, VG_SOURCE_A_ZONE, si->zone)) ||
	    nla_put_u64_64bit(msg, VG_SOURCE_A_PASSED, si->passed,
			      VG_SOURCE_A_PAD) ||
	    nla_put_u64_64bit(msg, VG_SOURCE_A_LIMITED, si->limited,
			      VG_SOURCE_A_PAD) ||
	    nla_put_u32(msg, VG_SOURCE_A_CALLS, si->calls) ||
	    nla_put_u8(msg, VG_SOURCE_A_FLOODING, si->flooding) ||
	    nla_put_u64_64bit(msg, VG_SOURCE_A_IDLE_MS, si->idle_ms,
			      VG_SOURCE_A_PAD))
		goto err;
	nla_nest_end(msg, nest);
	return 0;
err:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

/* ---- sizes ---- */

/* An endpoint nest, IPv6 (the larger). */
static size_t vg_nl_endpoint_size(void)
{
	return nla_total_size(0) + nla_total_size(16) +
	       nla_total_size(sizeof(u16));
}

/* What vg_nl_put_flow() writes at most, for a Call-ID of @call_id_len. */
static size_t vg_nl_flow_size(u32 call_id_len)
{
	return nla_total_size(0) +			/* the nest */
	       nla_total_size(call_id_len + 1) +	/* VG_FLOW_A_CALL_ID */
	       2 * vg_nl_endpoint_size() +		/* src, dst */
	       5 * nla_total_size(sizeof(u8)) +		/* state ... srtp */
	       5 * nla_total_size(sizeof(u32)) +	/* ssrc ... mos */
	       10 * nla_total_size_64bit(sizeof(u64));	/* id, counters */
}

size_t vg_nl_call_size(const struct vg_call_info *ci, bool streams)
{
	size_t size;

	size = nla_total_size(0) +			/* VG_A_CALL */
	       nla_total_size(ci->call_id_len + 1) +	/* VG_CALL_A_ID */
	       2 * nla_total_size(sizeof(u8)) +		/* state, emergency */
	       2 * vg_nl_endpoint_size() +		/* caller, callee */
	       2 * nla_total_size(VG_NAME_MAX) +	/* zones */
	       nla_total_size_64bit(sizeof(u64));	/* age */
	if (streams)
		size += nla_total_size(0) +		/* VG_CALL_A_STREAMS */
			ci->n_streams * vg_nl_flow_size(ci->call_id_len) +
			nla_total_size(0);	/* VG_CALL_A_STREAMS_TRUNCATED */
	return size;
}

struct vg_streams_arg {
	struct sk_buff *msg;
	bool truncated;
};

/* Each stream leaves room for VG_CALL_A_STREAMS_TRUNCATED after it. */
static int vg_nl_put_stream_item(const struct vg_flow_info *fi, void *arg)
{
	struct vg_streams_arg *a = arg;
	unsigned char *mark = skb_tail_pointer(a->msg);

	if (vg_nl_put_flow(a->msg, VG_LIST_A_ITEM, fi) ||
	    skb_tailroom(a->msg) < nla_total_size(0)) {
		nlmsg_trim(a->msg, mark);
		a->truncated = true;
		return -EMSGSIZE;
	}
	return 0;
}

int vg_nl_put_call(struct sk_buff *msg, struct vg_net *vn,
		   const struct vg_call_info *ci, bool streams, bool *truncated)
{
	struct vg_streams_arg sa = { .msg = msg };
	struct nlattr *nest, *list;

	nest = nla_nest_start(msg, VG_A_CALL);
	if (!nest)
		return -EMSGSIZE;
	if (vg_nl_put_strn(msg, VG_CALL_A_ID, ci->call_id, ci->call_id_len) ||
	    nla_put_u8(msg, VG_CALL_A_STATE, ci->state) ||
	    vg_nl_put_endpoint(msg, VG_CALL_A_CALLER, &ci->caller,
			       ci->caller_port) ||
	    vg_nl_put_endpoint(msg, VG_CALL_A_CALLEE, &ci->callee,
			       ci->callee_port) ||
	    (ci->from_zone && ci->from_zone[0] &&
	     nla_put_string(msg, VG_CALL_A_FROM_ZONE, ci->from_zone)) ||
	    (ci->to_zone && ci->to_zone[0] &&
	     nla_put_string(msg, VG_CALL_A_TO_ZONE, ci->to_zone)) ||
	    nla_put_u64_64bit(msg, VG_CALL_A_AGE_MS, ci->age_ms,
			      VG_CALL_A_PAD) ||
	    nla_put_u8(msg, VG_CALL_A_EMERGENCY, ci->emergency))
		goto err;
	if (streams && ci->entry) {
		list = nla_nest_start(msg, VG_CALL_A_STREAMS);
		if (!list)
			goto err;
		vg_call_flows(vn, ci->entry, vg_nl_put_stream_item, &sa);
		nla_nest_end(msg, list);
		if (sa.truncated &&
		    nla_put_flag(msg, VG_CALL_A_STREAMS_TRUNCATED))
			goto err;
	}
	nla_nest_end(msg, nest);
	if (truncated)
		*truncated = sa.truncated;
	return 0;
err:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

/* ---- dumps ---- */

/* What a dump keeps between its parts, in cb->ctx. */
struct vg_dump_state {
	struct vg_dump_cursor cur;
	bool done;
};

/*
 * The generation a dump reports: changes with the configuration and with
 * every entry that comes or goes. Never 0, which
 * nl_dump_check_consistent() takes for "not started".
 */
static u32 vg_nl_dump_generation(struct vg_net *vn)
{
	u32 gen = READ_ONCE(vn->generation) + vg_state_generation(vn);

	return gen ? gen : 1;
}

struct vg_dump_arg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct vg_net *vn;
	u8 cmd;
	u32 generation;
	unsigned int count;	/* messages in this skb */
};

static void *vg_nl_dump_begin(struct vg_dump_arg *a)
{
	void *hdr;

	hdr = genlmsg_put(a->skb, NETLINK_CB(a->cb->skb).portid,
			  a->cb->nlh->nlmsg_seq, &vg_genl_family, NLM_F_MULTI,
			  a->cmd);
	if (!hdr)
		return NULL;
	genl_dump_check_consistent(a->cb, hdr);
	if (nla_put_u32(a->skb, VG_A_GENERATION, a->generation)) {
		genlmsg_cancel(a->skb, hdr);
		return NULL;
	}
	return hdr;
}

static void vg_nl_dump_end(struct vg_dump_arg *a, void *hdr)
{
	genlmsg_end(a->skb, hdr);
	a->count++;
}

/*
 * The common tail of a dump part: 0 ends the dump (NLMSG_DONE), a
 * positive length asks for another part.
 */
static int vg_nl_dump_result(struct vg_dump_arg *a, struct vg_dump_state *ds,
			     int err)
{
	if (err == -EMSGSIZE) {
		/* One object larger than an empty message cannot be sent. */
		if (!a->count) {
			NL_SET_ERR_MSG_MOD(a->cb->extack,
					   "object too large for a dump message");
			return -EMSGSIZE;
		}
		return a->skb->len;
	}
	if (err)
		return err;
	ds->done = true;
	return a->skb->len;
}

static void vg_nl_dump_init(struct vg_dump_arg *a, struct sk_buff *skb,
			    struct netlink_callback *cb, u8 cmd)
{
	a->skb = skb;
	a->cb = cb;
	a->vn = vg_net(sock_net(skb->sk));
	a->cmd = cmd;
	a->generation = vg_nl_dump_generation(a->vn);
	a->count = 0;
	cb->seq = a->generation;
}

static struct vg_dump_state *vg_nl_dump_state(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct vg_dump_state) > sizeof(cb->ctx));
	return (struct vg_dump_state *)cb->ctx;
}

static int vg_nl_flow_dump_one(const struct vg_flow_info *fi, void *arg)
{
	struct vg_dump_arg *a = arg;
	void *hdr = vg_nl_dump_begin(a);

	if (!hdr)
		return -EMSGSIZE;
	if (vg_nl_put_flow(a->skb, VG_A_FLOW, fi)) {
		genlmsg_cancel(a->skb, hdr);
		return -EMSGSIZE;
	}
	vg_nl_dump_end(a, hdr);
	return 0;
}

int vg_nl_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vg_dump_state *ds = vg_nl_dump_state(cb);
	struct vg_dump_arg a;

	if (ds->done)
		return 0;
	vg_nl_dump_init(&a, skb, cb, VG_CMD_FLOW_GET);
	return vg_nl_dump_result(&a, ds, vg_media_dump(a.vn, &ds->cur,
						       vg_nl_flow_dump_one,
						       &a));
}

static int vg_nl_call_dump_one(const struct vg_call_info *ci, void *arg)
{
	struct vg_dump_arg *a = arg;
	bool truncated = false;
	void *hdr = vg_nl_dump_begin(a);

	if (!hdr)
		return -EMSGSIZE;
	if (vg_nl_put_call(a->skb, a->vn, ci, true, &truncated) ||
	    (truncated && a->count)) {
		/* Whole in the next, emptier part rather than cut here. */
		genlmsg_cancel(a->skb, hdr);
		return -EMSGSIZE;
	}
	vg_nl_dump_end(a, hdr);
	return 0;
}

int vg_nl_call_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vg_dump_state *ds = vg_nl_dump_state(cb);
	struct vg_dump_arg a;

	if (ds->done)
		return 0;
	vg_nl_dump_init(&a, skb, cb, VG_CMD_CALL_GET);
	return vg_nl_dump_result(&a, ds, vg_calls_dump(a.vn, &ds->cur,
						       vg_nl_call_dump_one,
						       &a));
}

static int vg_nl_source_dump_one(const struct vg_source_info *si, void *arg)
{
	struct vg_dump_arg *a = arg;
	void *hdr = vg_nl_dump_begin(a);

	if (!hdr)
		return -EMSGSIZE;
	if (vg_nl_put_source(a->skb, si)) {
		genlmsg_cancel(a->skb, hdr);
		return -EMSGSIZE;
	}
	vg_nl_dump_end(a, hdr);
	return 0;
}

int vg_nl_source_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vg_dump_state *ds = vg_nl_dump_state(cb);
	struct vg_dump_arg a;

	if (ds->done)
		return 0;
	vg_nl_dump_init(&a, skb, cb, VG_CMD_SOURCE_GET);
	return vg_nl_dump_result(&a, ds, vg_sources_dump(a.vn, &ds->cur,
							 vg_nl_source_dump_one,
							 &a));
}

/* ---- get one ---- */

static const struct nla_policy vg_call_key_policy[VG_CALL_A_MAX + 1] = {
	[VG_CALL_A_ID] = { .type = NLA_NUL_STRING, .len = VG_CALL_ID_MAX },
};

const struct nla_policy vg_call_get_policy[VG_A_MAX + 1] = {
	[VG_A_CALL] = NLA_POLICY_NESTED(vg_call_key_policy),
};

static const struct nla_policy vg_flow_key_policy[VG_FLOW_A_MAX + 1] = {
	[VG_FLOW_A_ID] = { .type = NLA_U64 },
};

const struct nla_policy vg_flow_get_policy[VG_A_MAX + 1] = {
	[VG_A_FLOW] = NLA_POLICY_NESTED(vg_flow_key_policy),
};

/* Replies tried before one that still left streams out is sent. */
#define VG_CALL_GET_TRIES	3

struct vg_call_get_arg {
	struct sk_buff *msg;
	struct vg_net *vn;
	size_t need;		/* the call's size as it was found */
	bool truncated;
};

static int vg_nl_call_get_one(const struct vg_call_info *ci, void *arg)
{
	struct vg_call_get_arg *a = arg;

	a->need = vg_nl_call_size(ci, true);
	return vg_nl_put_call(a->msg, a->vn, ci, true, &a->truncated);
}

int vg_nl_call_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vg_net *vn = vg_net(genl_info_net(info));
	struct nlattr *tb[VG_CALL_A_MAX + 1];
	struct vg_call_get_arg a = { .vn = vn };
	size_t size = NLMSG_GOODSIZE;
	const char *call_id;
	int err, tries;
	void *hdr;

	if (GENL_REQ_ATTR_CHECK(info, VG_A_CALL)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "call nest with the Call-ID missing");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, VG_CALL_A_MAX, info->attrs[VG_A_CALL],
			       vg_call_key_policy, info->extack);
	if (err)
		return err;
	if (!tb[VG_CALL_A_ID]) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[VG_A_CALL]);
		NL_SET_ERR_MSG_MOD(info->extack, "Call-ID missing");
		return -EINVAL;
	}
	call_id = nla_data(tb[VG_CALL_A_ID]);
	if (!call_id[0]) {
		NL_SET_BAD_ATTR(info->extack, tb[VG_CALL_A_ID]);
		NL_SET_ERR_MSG_MOD(info->extack, "empty Call-ID");
		return -EINVAL;
	}

	/*
	 * Most calls fit the usual size. One that does not is tried again in
	 * a message at least twice as large and large enough for the call as
	 * it was found (its streams may grow meanwhile); the last try is sent
	 * as it is, with VG_CALL_A_STREAMS_TRUNCATED if streams were still
	 * left out.
	 */
	for (tries = 1; ; tries++) {
		a.msg = vg_nl_reply_new(info, size, VG_CMD_CALL_GET, &hdr);
		if (!a.msg)
			return -ENOMEM;
		a.truncated = false;
		if (nla_put_u32(a.msg, VG_A_GENERATION,
				vg_nl_dump_generation(vn)))
			return vg_nl_reply_overflow(info, a.msg);
		err = vg_calls_get(vn, call_id, strlen(call_id),
				   vg_nl_call_get_one, &a);
		if ((err != -EMSGSIZE && !a.truncated) ||
		    tries == VG_CALL_GET_TRIES)
			break;
		nlmsg_free(a.msg);
		size = max(a.need + nla_total_size(sizeof(u32)), 2 * size);
	}
	if (err == -ENOENT) {
		nlmsg_free(a.msg);
		NL_SET_BAD_ATTR(info->extack, tb[VG_CALL_A_ID]);
		NL_SET_ERR_MSG_MOD(info->extack, "no call with this Call-ID");
		return -ENOENT;
	}
	if (err)
		return vg_nl_reply_overflow(info, a.msg);
	genlmsg_end(a.msg, hdr);
	return genlmsg_reply(a.msg, info);
}

int vg_nl_flow_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vg_net *vn = vg_net(genl_info_net(info));
	struct nlattr *tb[VG_FLOW_A_MAX + 1];
	struct vg_flow_info fi;
	struct sk_buff *msg;
	bool found;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VG_A_FLOW)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "flow nest with the flow id missing");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, VG_FLOW_A_MAX, info->attrs[VG_A_FLOW],
			       vg_flow_key_policy, info->extack);
	if (err)
		return err;
	if (!tb[VG_FLOW_A_ID]) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[VG_A_FLOW]);
		NL_SET_ERR_MSG_MOD(info->extack, "flow id missing");
		return -EINVAL;
	}

	msg = vg_nl_reply_new(info, NLMSG_GOODSIZE, VG_CMD_FLOW_GET,
				    &hdr);
	if (!msg)
		return -ENOMEM;
	/* fi.call_id points into the call: serialise inside the section. */
	rcu_read_lock();
	found = vg_media_get(vn, nla_get_u64(tb[VG_FLOW_A_ID]), &fi);
	err = found ? nla_put_u32(msg, VG_A_GENERATION,
				  vg_nl_dump_generation(vn)) ?:
		      vg_nl_put_flow(msg, VG_A_FLOW, &fi) : 0;
	rcu_read_unlock();
	if (!found) {
		nlmsg_free(msg);
		NL_SET_BAD_ATTR(info->extack, tb[VG_FLOW_A_ID]);
		NL_SET_ERR_MSG_MOD(info->extack, "no media stream with this id");
		return -ENOENT;
	}
	if (err)
		return vg_nl_reply_overflow(info, msg);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int vg_nl_flow_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	vg_media_flush(vg_net(genl_info_net(info)));
	return 0;
}

/* ---- counters ---- */

/* Traffic counters are reported per (family, hook, layer 4) triple. */
#define VG_NTRAFFIC (VG_NFAMILIES * VG_NHOOKS * VG_NL4)

static size_t vg_nl_stats_size(void)
{
	size_t size, traffic, reason, cls, pair;
	int r;

	traffic = nla_total_size(0) +			/* VG_LIST_A_ITEM */
		  3 * nla_total_size(sizeof(u8)) +	/* family, hook, l4 */
		  2 * nla_total_size_64bit(sizeof(u64));	/* packets, bytes */
	cls = nla_total_size(0) + nla_total_size(sizeof(u8)) +
	      3 * nla_total_size_64bit(sizeof(u64));
	pair = nla_total_size(0) + 2 * nla_total_size(VG_NAME_MAX) +
	       3 * nla_total_size_64bit(sizeof(u64));
	size = nla_total_size(sizeof(u32)) +		/* VG_A_GENERATION */
	       nla_total_size(0) +			/* VG_A_STATS */
	       2 * nla_total_size_64bit(sizeof(u64)) +	/* reset age, lost */
	       6 * nla_total_size(sizeof(u32)) +	/* occupancy, buckets */
	       nla_total_size(0) +			/* VG_STATS_A_TRAFFIC */
	       VG_NTRAFFIC * traffic +
	       nla_total_size(0) +			/* VG_STATS_A_CLASSES */
	       VG_STATS_NCLASSES * cls +
	       nla_total_size(0) +			/* VG_STATS_A_ZONE_PAIRS */
	       VG_STATS_ZONE_SLOTS * VG_STATS_ZONE_SLOTS * pair +
	       nla_total_size(0);			/* VG_STATS_A_REASONS */
	for (r = VG_R_NONE + 1; r < VG_R__COUNT; r++) {
		reason = nla_total_size(0) +
			 nla_total_size(strlen(vg_reason_name(r)) + 1) +
			 2 * nla_total_size_64bit(sizeof(u64));
		size += reason;
	}
	return size;
}

static int vg_nl_put_traffic_item(struct sk_buff *msg,
				  const struct vg_stats_totals *t,
				  int f, int h, int l)
{
	struct nlattr *item = nla_nest_start(msg, VG_LIST_A_ITEM);

	if (!item ||
	    nla_put_u8(msg, VG_TRAFFIC_A_FAMILY, f ? AF_INET6 : AF_INET) ||
	    nla_put_u8(msg, VG_TRAFFIC_A_HOOK, h) ||
	    nla_put_u8(msg, VG_TRAFFIC_A_L4, l) ||
	    nla_put_u64_64bit(msg, VG_TRAFFIC_A_PACKETS, t->packets[f][h][l],
			      VG_TRAFFIC_A_PAD) ||
	    nla_put_u64_64bit(msg, VG_TRAFFIC_A_BYTES, t->bytes[f][h][l],
			      VG_TRAFFIC_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, item);
	return 0;
}

static int vg_nl_put_traffic(struct sk_buff *msg,
			     const struct vg_stats_totals *t)
{
	struct nlattr *list;
	int f, h, l;

	list = nla_nest_start(msg, VG_STATS_A_TRAFFIC);
	if (!list)
		return -EMSGSIZE;
	for (f = 0; f < VG_NFAMILIES; f++)
		for (h = 0; h < VG_NHOOKS; h++)
			for (l = 0; l < VG_NL4; l++)
				if (vg_nl_put_traffic_item(msg, t, f, h, l))
					return -EMSGSIZE;
	nla_nest_end(msg, list);
	return 0;
}

static int vg_nl_put_reasons(struct sk_buff *msg,
			     const struct vg_stats_totals *t)
{
	struct nlattr *list, *item;
	int r;

	list = nla_nest_start(msg, VG_STATS_A_REASONS);
	if (!list)
		return -EMSGSIZE;
	for (r = VG_R_NONE + 1; r < VG_R__COUNT; r++) {
		item = nla_nest_start(msg, VG_LIST_A_ITEM);
		if (!item ||
		    nla_put_string(msg, VG_REASON_A_NAME, vg_reason_name(r)) ||
		    nla_put_u64_64bit(msg, VG_REASON_A_DROPS, t->drops[r],
				      VG_REASON_A_PAD) ||
		    nla_put_u64_64bit(msg, VG_REASON_A_MONITORED,
				      t->monitored[r], VG_REASON_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(msg, item);
	}
	nla_nest_end(msg, list);
	return 0;
}

static int vg_nl_put_classes(struct sk_buff *msg,
			     const struct vg_stats_totals *t)
{
	struct nlattr *list, *item;
	int c;

	list = nla_nest_start(msg, VG_STATS_A_CLASSES);
	if (!list)
		return -EMSGSIZE;
	for (c = 0; c < VG_STATS_NCLASSES; c++) {
		item = nla_nest_start(msg, VG_LIST_A_ITEM);
		if (!item ||
		    nla_put_u8(msg, VG_CLASS_STATS_A_CLASS, c) ||
		    nla_put_u64_64bit(msg, VG_CLASS_STATS_A_PACKETS,
				      t->classes[c].packets,
				      VG_CLASS_STATS_A_PAD) ||
		    nla_put_u64_64bit(msg, VG_CLASS_STATS_A_BYTES,
				      t->classes[c].bytes,
				      VG_CLASS_STATS_A_PAD) ||
		    nla_put_u64_64bit(msg, VG_CLASS_STATS_A_DROPS,
				      t->classes[c].drops,
				      VG_CLASS_STATS_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(msg, item);
	}
	nla_nest_end(msg, list);
	return 0;
}

/*
 * A pair slot's name in the current configuration: "none" for the slot of
 * addresses in no zone, NULL for a zone slot that holds no zone.
 */
static const char *vg_nl_slot_name(const struct vg_config *cfg, int slot)
{
	if (slot == VG_STATS_ZONE_NONE)
		return VG_ZONE_UNZONED;
	return vg_zone_name(cfg, slot);
}

static int vg_nl_put_pair(struct sk_buff *msg, const char *from,
			  const char *to, const struct vg_pair_totals *p)
{
	struct nlattr *item = nla_nest_start(msg, VG_LIST_A_ITEM);

	if (!item ||
	    nla_put_string(msg, VG_POLICY_A_FROM, from) ||
	    nla_put_string(msg, VG_POLICY_A_TO, to) ||
	    nla_put_u64_64bit(msg, VG_POLICY_A_PACKETS, p->packets,
			      VG_POLICY_A_PAD) ||
	    nla_put_u64_64bit(msg, VG_POLICY_A_BYTES, p->bytes,
			      VG_POLICY_A_PAD) ||
	    nla_put_u64_64bit(msg, VG_POLICY_A_DROPS, p->drops,
			      VG_POLICY_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, item);
	return 0;
}

/*
 * Zone pairs are counted by zone index and named with the current
 * configuration; pairs that saw nothing are left out, and so are the
 * slots of no zone (their counters start again when a zone takes them).
 */
static int vg_nl_put_zone_pairs(struct sk_buff *msg, struct vg_net *vn,
				const struct vg_stats_totals *t)
{
	const char *from_name, *to_name;
	const struct vg_config *cfg;
	struct nlattr *list;
	int from, to, err = 0;

	BUILD_BUG_ON(VG_STATS_ZONE_SLOTS != VG_ZONE_SLOTS);
	BUILD_BUG_ON(VG_STATS_NCLASSES != VG_NCLASSES);
	list = nla_nest_start(msg, VG_STATS_A_ZONE_PAIRS);
	if (!list)
		return -EMSGSIZE;
	rcu_read_lock();
	cfg = rcu_dereference(vn->config);
	for (from = 0; from < VG_STATS_ZONE_SLOTS && !err; from++) {
		from_name = vg_nl_slot_name(cfg, from);
		for (to = 0; from_name && to < VG_STATS_ZONE_SLOTS && !err;
		     to++) {
			to_name = vg_nl_slot_name(cfg, to);
			if (to_name && t->pairs[from][to].packets)
				err = vg_nl_put_pair(msg, from_name, to_name,
						     &t->pairs[from][to]);
		}
	}
	rcu_read_unlock();
	if (err)
		return err;
	nla_nest_end(msg, list);
	return 0;
}

int vg_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vg_net *vn = vg_net(genl_info_net(info));
	struct vg_stats_totals *totals;
	struct nlattr *nest;
	struct sk_buff *msg;
	u64 reset_age_ms;
	void *hdr;

	/* Too large for the stack. */
	totals = kvmalloc(sizeof(*totals), GFP_KERNEL);
	if (!totals) {
		NL_SET_ERR_MSG_MOD(info->extack, "out of memory for counters");
		return -ENOMEM;
	}
	msg = vg_nl_reply_new(info, vg_nl_stats_size(),
				    VG_CMD_STATS_GET, &hdr);
	if (!msg) {
		kvfree(totals);
		return -ENOMEM;
	}

	vg_stats_read(&vn->stats, totals);
	reset_age_ms = div_u64(ktime_get_boottime_ns() -
			       READ_ONCE(vn->stats.reset_time_ns),
			       NSEC_PER_MSEC);

	if (nla_put_u32(msg, VG_A_GENERATION, READ_ONCE(vn->generation)))
		goto err_overflow;
	nest = nla_nest_start(msg, VG_A_STATS);
	if (!nest ||
	    nla_put_u64_64bit(msg, VG_STATS_A_RESET_AGE_MS, reset_age_ms,
			      VG_STATS_A_PAD) ||
	    nla_put_u32(msg, VG_STATS_A_CALLS, vg_calls_count(&vn->calls)) ||
	    nla_put_u32(msg, VG_STATS_A_STREAMS, vg_media_count(&vn->media)) ||
	    nla_put_u32(msg, VG_STATS_A_SOURCES,
			vg_sources_count(&vn->sources)) ||
	    nla_put_u32(msg, VG_STATS_A_CALL_BUCKETS,
			vg_htable_size(&vn->calls.ht)) ||
	    nla_put_u32(msg, VG_STATS_A_STREAM_BUCKETS,
			vg_htable_size(&vn->media.ht)) ||
	    nla_put_u32(msg, VG_STATS_A_SOURCE_BUCKETS,
			vg_htable_size(&vn->sources.ht)) ||
	    nla_put_u64_64bit(msg, VG_STATS_A_EVENTS_LOST,
			      vg_events_lost(&vn->events), VG_STATS_A_PAD) ||
	    vg_nl_put_traffic(msg, totals) ||
	    vg_nl_put_classes(msg, totals) ||
	    vg_nl_put_zone_pairs(msg, vn, totals) ||
	    vg_nl_put_reasons(msg, totals))
		goto err_overflow;
	nla_nest_end(msg, nest);
	kvfree(totals);

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_overflow:
	kvfree(totals);
	return vg_nl_reply_overflow(info, msg);
}

int vg_nl_stats_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vg_net *vn = vg_net(genl_info_net(info));

	vg_stats_reset(&vn->stats);
	vg_events_reset_lost(&vn->events);
	return 0;
}
