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
#include "nl_state.h"
#include "pernet.h"

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
		.cmd = VG_CMD_SRTP_DEL,
		.doit = vg_nl_srtp_del_doit,
		.policy = vg_nl_srtp_del_policy,
		.maxattr = VG_A_MAX,
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
		.cmd = VG_CMD_CALL_GET,
		.doit = vg_nl_call_get_doit,
		.dumpit = vg_nl_call_get_dumpit,
		.policy = vg_call_get_policy,
		.maxattr = VG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_FLOW_GET,
		.doit = vg_nl_flow_get_doit,
		.dumpit = vg_nl_flow_get_dumpit,
		.policy = vg_flow_get_policy,
		.maxattr = VG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_FLOW_FLUSH,
		.doit = vg_nl_flow_flush_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_SOURCE_GET,
		.dumpit = vg_nl_source_get_dumpit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_STATS_GET,
		.doit = vg_nl_stats_get_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VG_CMD_STATS_RESET,
		.doit = vg_nl_stats_reset_doit,
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
