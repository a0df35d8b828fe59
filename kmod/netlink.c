// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family: one handler per operation, each operation
 * with its own strict policy and CAP_NET_ADMIN in the namespace's owning
 * user namespace.
 */
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <uapi/linux/voipguard.h>

#include "netlink.h"
#include "pernet.h"
#include "reason.h"

struct sk_buff *vg_nl_reply_new(struct genl_info *info, size_t size,
				u8 cmd, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(size, GFP_KERNEL);

	if (!msg) {
		NL_SET_ERR_MSG_MOD(info->extack, "out of memory for the reply");
		return NULL;
	}
	*hdr = genlmsg_put_reply(msg, info, &vg_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		NL_SET_ERR_MSG_MOD(info->extack, "reply does not fit");
		return NULL;
	}
	return msg;
}

int vg_nl_reply_overflow(struct genl_info *info, struct sk_buff *msg)
{
	nlmsg_free(msg);
	NL_SET_ERR_MSG_MOD(info->extack, "reply does not fit");
	return -EMSGSIZE;
}

/* Traffic counters are reported per (family, hook, layer 4) triple. */
#define VG_NTRAFFIC (VG_NFAMILIES * VG_NHOOKS * VG_NL4)

static size_t vg_nl_stats_size(void)
{
	size_t size, traffic, reason;
	int r;

	traffic = nla_total_size(0) +			/* VG_LIST_A_ITEM */
		  3 * nla_total_size(sizeof(u8)) +	/* family, hook, l4 */
		  2 * nla_total_size_64bit(sizeof(u64));	/* packets, bytes */
	size = nla_total_size(sizeof(u32)) +		/* VG_A_GENERATION */
	       nla_total_size(0) +			/* VG_A_STATS */
	       nla_total_size_64bit(sizeof(u64)) +	/* reset age */
	       nla_total_size(0) +			/* VG_STATS_A_TRAFFIC */
	       VG_NTRAFFIC * traffic +
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

static int vg_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct vg_net *vn = vg_net(genl_info_net(info));
	struct vg_stats_totals *totals;
	struct nlattr *nest;
	struct sk_buff *msg;
	u64 reset_age_ms;
	void *hdr;

	/* Too large for the stack. */
	totals = kmalloc(sizeof(*totals), GFP_KERNEL);
	if (!totals) {
		NL_SET_ERR_MSG_MOD(info->extack, "out of memory for counters");
		return -ENOMEM;
	}
	msg = vg_nl_reply_new(info, vg_nl_stats_size(), VG_CMD_STATS_GET, &hdr);
	if (!msg) {
		kfree(totals);
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
	    vg_nl_put_traffic(msg, totals) ||
	    vg_nl_put_reasons(msg, totals))
		goto err_overflow;
	nla_nest_end(msg, nest);
	kfree(totals);

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_overflow:
	kfree(totals);
	return vg_nl_reply_overflow(info, msg);
}

static int vg_nl_stats_reset(struct sk_buff *skb, struct genl_info *info)
{
	vg_stats_reset(&vg_net(genl_info_net(info))->stats);
	return 0;
}

/*
 * Operations without a .policy take no attributes: with resv_start_op
 * left at 0 the core rejects any attribute sent to them.
 */
static const struct genl_ops vg_genl_ops[] = {
	{
		.cmd = VG_CMD_CONFIG_GET,
		.doit = vg_nl_config_get_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_CONFIG_SET,
		.doit = vg_nl_config_set_doit,
		.policy = vg_nl_config_set_policy,
		.maxattr = VG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_ZONE_ADD,
		.doit = vg_nl_zone_add_doit,
		.policy = vg_nl_zone_add_policy,
		.maxattr = VG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_ZONE_DEL,
		.doit = vg_nl_zone_del_doit,
		.policy = vg_nl_zone_del_policy,
		.maxattr = VG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_ZONE_GET,
		.doit = vg_nl_zone_get_doit,
		.dumpit = vg_nl_zone_get_dumpit,
		.policy = vg_nl_zone_get_policy,
		.maxattr = VG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_POLICY_SET,
		.doit = vg_nl_policy_set_doit,
		.policy = vg_nl_policy_set_policy,
		.maxattr = VG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_POLICY_DEL,
		.doit = vg_nl_policy_del_doit,
		.policy = vg_nl_policy_del_policy,
		.maxattr = VG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_POLICY_GET,
		.doit = vg_nl_policy_get_doit,
		.dumpit = vg_nl_policy_get_dumpit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_LIMIT_SET,
		.doit = vg_nl_limit_set_doit,
		.policy = vg_nl_limit_set_policy,
		.maxattr = VG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_LIMIT_GET,
		.doit = vg_nl_limit_get_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_SRTP_SET,
		.doit = vg_nl_srtp_set_doit,
		.policy = vg_nl_srtp_set_policy,
		.maxattr = VG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_SRTP_GET,
		.doit = vg_nl_srtp_get_doit,
		.dumpit = vg_nl_srtp_get_dumpit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_REPLACE_BEGIN,
		.doit = vg_nl_replace_begin_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_REPLACE_COMMIT,
		.doit = vg_nl_replace_commit_doit,
		.policy = vg_nl_replace_commit_policy,
		.maxattr = VG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_REPLACE_ABORT,
		.doit = vg_nl_replace_abort_doit,
		.policy = vg_nl_replace_abort_policy,
		.maxattr = VG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_STATS_GET,
		.doit = vg_nl_stats_get,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_STATS_RESET,
		.doit = vg_nl_stats_reset,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group vg_genl_mcgrps[] = {
	[VG_NL_MCGRP_EVENTS] = {
		.name = VG_GENL_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

/* resv_start_op stays 0: every operation is strictly validated. */
struct genl_family vg_genl_family __ro_after_init = {
	.name = VG_GENL_NAME,
	.version = VG_GENL_VERSION,
	.maxattr = VG_A_MAX,
	.netnsok = true,
	.parallel_ops = true,
	.ops = vg_genl_ops,
	.n_ops = ARRAY_SIZE(vg_genl_ops),
	.mcgrps = vg_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vg_genl_mcgrps),
	.module = THIS_MODULE,
};

int __init vg_nl_register(void)
{
	int err;

	err = vg_nl_config_init();
	if (err)
		return err;
	err = genl_register_family(&vg_genl_family);
	if (err)
		vg_nl_config_exit();
	return err;
}

void vg_nl_unregister(void)
{
	genl_unregister_family(&vg_genl_family);
	vg_nl_config_exit();
}
