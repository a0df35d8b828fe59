// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration over netlink: global keys, zones, policy, limits, SRTP and
 * whole-configuration replace transactions.
 *
 * Every change works on a private copy: the copy is edited, compiled
 * (which checks it as a whole) and then either published or, inside a
 * transaction, kept as the transaction's staged configuration. A failed
 * request therefore changes nothing.
 */
#include <linux/bitmap.h>
#include <linux/ctype.h>
#include <linux/list.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/voipguard.h>

#include "config.h"
#include "netlink.h"
#include "pernet.h"
#include "stats.h"
#include "version.h"
#include "zone.h"

/* Open transactions per namespace. */
#define VG_TXN_MAX		16
/* Largest zone a ZONE_GET do answers; bigger zones need the dump. */
#define VG_ZONE_GET_MAX_PREFIXES	4096

/* ---- Attribute policies ---- */

static const struct nla_policy vg_nl_port_range_policy[VG_PR_A_MAX + 1] = {
	[VG_PR_A_FIRST] = NLA_POLICY_MIN(NLA_U16, 1),
	[VG_PR_A_LAST] = NLA_POLICY_MIN(NLA_U16, 1),
};

static const struct nla_policy vg_nl_port_list_policy[VG_LIST_A_MAX + 1] = {
	[VG_LIST_A_ITEM] = NLA_POLICY_NESTED(vg_nl_port_range_policy),
};

static const struct nla_policy vg_nl_emergency_list_policy[VG_LIST_A_MAX + 1] = {
	[VG_LIST_A_ITEM] = { .type = NLA_NUL_STRING,
			     .len = VG_CALL_EMERGENCY_LEN - 1 },
};

static struct netlink_range_validation vg_nl_timeout_range = {
	.min = 1, .max = VG_TIMEOUT_MAX,
};

static struct netlink_range_validation vg_nl_max_streams_range = {
	.min = 1, .max = VG_MAX_STREAMS_LIMIT,
};

static struct netlink_range_validation vg_nl_max_calls_range = {
	.min = 1, .max = VG_MAX_CALLS_LIMIT,
};

static struct netlink_range_validation vg_nl_max_sources_range = {
	.min = 1, .max = VG_MAX_SOURCES_LIMIT,
};

static struct netlink_range_validation vg_nl_sip_msg_range = {
	.min = 512, .max = 65535,
};

static struct netlink_range_validation vg_nl_sip_headers_range = {
	.min = 16, .max = 1024,
};

static struct netlink_range_validation vg_nl_sip_header_len_range = {
	.min = 64, .max = 65535,
};

static struct netlink_range_validation vg_nl_sip_uri_len_range = {
	.min = 32, .max = 65535,
};

static struct netlink_range_validation vg_nl_event_rate_range = {
	.min = 0, .max = 1000000,
};

static struct netlink_range_validation vg_nl_rtp_rate_range = {
	.min = 0, .max = VG_RTP_RATE_MAX,
};

static const struct nla_policy vg_nl_config_attr_policy[VG_CFG_A_MAX + 1] = {
	[VG_CFG_A_MODE] = NLA_POLICY_MAX(NLA_U8, VG_MODE_MAX),
	[VG_CFG_A_SIP_PORTS] = NLA_POLICY_NESTED(vg_nl_port_list_policy),
	[VG_CFG_A_MEDIA_PORTS] = NLA_POLICY_NESTED(vg_nl_port_list_policy),
	[VG_CFG_A_DSCP_RTP] = NLA_POLICY_MAX(NLA_U8, 63),
	[VG_CFG_A_DSCP_SIP] = NLA_POLICY_MAX(NLA_U8, 63),
	[VG_CFG_A_PRIORITY_RTP] = { .type = NLA_U32 },
	[VG_CFG_A_PRIORITY_SIP] = { .type = NLA_U32 },
	[VG_CFG_A_MARK_RTP] = { .type = NLA_U32 },
	[VG_CFG_A_MARK_SIP] = { .type = NLA_U32 },
	[VG_CFG_A_MEDIA_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32,
							 &vg_nl_timeout_range),
	[VG_CFG_A_CALL_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&vg_nl_timeout_range),
	[VG_CFG_A_MAX_STREAMS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &vg_nl_max_streams_range),
	[VG_CFG_A_MAX_CALLS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &vg_nl_max_calls_range),
	[VG_CFG_A_MAX_SOURCES] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &vg_nl_max_sources_range),
	[VG_CFG_A_MAX_STREAMS_PER_CALL] =
		NLA_POLICY_RANGE(NLA_U32, 1, VG_MAX_STREAMS_PER_CALL_LIMIT),
	[VG_CFG_A_MEDIA_STRICT] = NLA_POLICY_MAX(NLA_U8, 1),
	[VG_CFG_A_DIRECT_MEDIA] = NLA_POLICY_MAX(NLA_U8, 1),
	[VG_CFG_A_PEER_RESTRICT] = NLA_POLICY_MAX(NLA_U8, 1),
	[VG_CFG_A_TCP_SPLIT] = NLA_POLICY_MAX(NLA_U8, VG_TCP_SPLIT_MAX),
	[VG_CFG_A_SOURCE_PREFIX6] = NLA_POLICY_RANGE(NLA_U8, 1, 128),
	[VG_CFG_A_EMERGENCY] = NLA_POLICY_NESTED(vg_nl_emergency_list_policy),
	[VG_CFG_A_SIP_MAX_MSG] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &vg_nl_sip_msg_range),
	[VG_CFG_A_SIP_MAX_HEADERS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &vg_nl_sip_headers_range),
	[VG_CFG_A_SIP_MAX_HEADER_LEN] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &vg_nl_sip_header_len_range),
	[VG_CFG_A_SIP_MAX_URI_LEN] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &vg_nl_sip_uri_len_range),
	[VG_CFG_A_EVENT_RATE] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &vg_nl_event_rate_range),
};

static const struct nla_policy vg_nl_prefix_policy[VG_PREFIX_A_MAX + 1] = {
	[VG_PREFIX_A_ADDR4] = NLA_POLICY_EXACT_LEN(4),
	[VG_PREFIX_A_ADDR6] = NLA_POLICY_EXACT_LEN(16),
	[VG_PREFIX_A_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
};

static const struct nla_policy vg_nl_prefix_list_policy[VG_LIST_A_MAX + 1] = {
	[VG_LIST_A_ITEM] = NLA_POLICY_NESTED(vg_nl_prefix_policy),
};

static const struct nla_policy vg_nl_zone_attr_policy[VG_ZONE_A_MAX + 1] = {
	[VG_ZONE_A_NAME] = { .type = NLA_NUL_STRING, .len = VG_NAME_MAX - 1 },
	[VG_ZONE_A_PREFIXES] = NLA_POLICY_NESTED(vg_nl_prefix_list_policy),
	[VG_ZONE_A_DSCP_DEFAULT] = NLA_POLICY_MAX(NLA_U8, 63),
};

/* Deletion and lookup take only the name. */
static const struct nla_policy vg_nl_zone_name_policy[VG_ZONE_A_MAX + 1] = {
	[VG_ZONE_A_NAME] = { .type = NLA_NUL_STRING, .len = VG_NAME_MAX - 1 },
};

static const struct nla_policy vg_nl_policy_attr_policy[VG_POLICY_A_MAX + 1] = {
	[VG_POLICY_A_FROM] = { .type = NLA_NUL_STRING, .len = VG_NAME_MAX - 1 },
	[VG_POLICY_A_TO] = { .type = NLA_NUL_STRING, .len = VG_NAME_MAX - 1 },
	[VG_POLICY_A_CLASS] = NLA_POLICY_MAX(NLA_U8, VG_CLASS_MAX),
	[VG_POLICY_A_ACTION] = NLA_POLICY_MAX(NLA_U8, VG_ACTION_MAX),
};

static const struct nla_policy vg_nl_policy_key_policy[VG_POLICY_A_MAX + 1] = {
	[VG_POLICY_A_FROM] = { .type = NLA_NUL_STRING, .len = VG_NAME_MAX - 1 },
	[VG_POLICY_A_TO] = { .type = NLA_NUL_STRING, .len = VG_NAME_MAX - 1 },
	[VG_POLICY_A_CLASS] = NLA_POLICY_MAX(NLA_U8, VG_CLASS_MAX),
};

static const struct nla_policy vg_nl_zone_limit_policy[VG_ZL_A_MAX + 1] = {
	[VG_ZL_A_ZONE] = { .type = NLA_NUL_STRING, .len = VG_NAME_MAX - 1 },
	[VG_ZL_A_MAX_CALLS] = { .type = NLA_U32 },
};

static const struct nla_policy vg_nl_zone_limit_list_policy[VG_LIST_A_MAX + 1] = {
	[VG_LIST_A_ITEM] = NLA_POLICY_NESTED(vg_nl_zone_limit_policy),
};

static const struct nla_policy vg_nl_limit_attr_policy[VG_LIMIT_A_MAX + 1] = {
	[VG_LIMIT_A_SIP_RATE] = { .type = NLA_U32 },
	[VG_LIMIT_A_SIP_BURST] = { .type = NLA_U32 },
	[VG_LIMIT_A_INVITE_WEIGHT] = NLA_POLICY_RANGE(NLA_U32, 1,
						      VG_WEIGHT_MAX),
	[VG_LIMIT_A_REGISTER_WEIGHT] = NLA_POLICY_RANGE(NLA_U32, 1,
							VG_WEIGHT_MAX),
	[VG_LIMIT_A_CALLS_PER_SOURCE] = { .type = NLA_U32 },
	[VG_LIMIT_A_ZONE_CALLS] =
		NLA_POLICY_NESTED(vg_nl_zone_limit_list_policy),
	[VG_LIMIT_A_GLOBAL_RATE] = { .type = NLA_U32 },
	[VG_LIMIT_A_GLOBAL_BURST] = { .type = NLA_U32 },
	[VG_LIMIT_A_RTP_HEADROOM] = NLA_POLICY_RANGE(NLA_U32, 0,
						     VG_RTP_HEADROOM_MAX),
	[VG_LIMIT_A_RTP_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32,
						      &vg_nl_rtp_rate_range),
};

static const struct nla_policy vg_nl_srtp_attr_policy[VG_SRTP_A_MAX + 1] = {
	[VG_SRTP_A_FROM] = { .type = NLA_NUL_STRING, .len = VG_NAME_MAX - 1 },
	[VG_SRTP_A_TO] = { .type = NLA_NUL_STRING, .len = VG_NAME_MAX - 1 },
	[VG_SRTP_A_REQUIRE] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* Deletion takes only the key. */
static const struct nla_policy vg_nl_srtp_key_policy[VG_SRTP_A_MAX + 1] = {
	[VG_SRTP_A_FROM] = { .type = NLA_NUL_STRING, .len = VG_NAME_MAX - 1 },
	[VG_SRTP_A_TO] = { .type = NLA_NUL_STRING, .len = VG_NAME_MAX - 1 },
};

const struct nla_policy vg_nl_config_set_policy[VG_A_MAX + 1] = {
	[VG_A_CONFIG] = NLA_POLICY_NESTED(vg_nl_config_attr_policy),
	[VG_A_TXN_ID] = { .type = NLA_U32 },
};

const struct nla_policy vg_nl_zone_add_policy[VG_A_MAX + 1] = {
	[VG_A_ZONE] = NLA_POLICY_NESTED(vg_nl_zone_attr_policy),
	[VG_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, VG_F_APPEND | VG_F_REPLACE),
	[VG_A_TXN_ID] = { .type = NLA_U32 },
};

const struct nla_policy vg_nl_zone_del_policy[VG_A_MAX + 1] = {
	[VG_A_ZONE] = NLA_POLICY_NESTED(vg_nl_zone_name_policy),
	[VG_A_TXN_ID] = { .type = NLA_U32 },
};

const struct nla_policy vg_nl_zone_get_policy[VG_A_MAX + 1] = {
	[VG_A_ZONE] = NLA_POLICY_NESTED(vg_nl_zone_name_policy),
};

const struct nla_policy vg_nl_policy_set_policy[VG_A_MAX + 1] = {
	[VG_A_POLICY] = NLA_POLICY_NESTED(vg_nl_policy_attr_policy),
	[VG_A_TXN_ID] = { .type = NLA_U32 },
};

const struct nla_policy vg_nl_policy_del_policy[VG_A_MAX + 1] = {
	[VG_A_POLICY] = NLA_POLICY_NESTED(vg_nl_policy_key_policy),
	[VG_A_TXN_ID] = { .type = NLA_U32 },
};

const struct nla_policy vg_nl_limit_set_policy[VG_A_MAX + 1] = {
	[VG_A_LIMITS] = NLA_POLICY_NESTED(vg_nl_limit_attr_policy),
	[VG_A_TXN_ID] = { .type = NLA_U32 },
};

const struct nla_policy vg_nl_srtp_set_policy[VG_A_MAX + 1] = {
	[VG_A_SRTP] = NLA_POLICY_NESTED(vg_nl_srtp_attr_policy),
	[VG_A_TXN_ID] = { .type = NLA_U32 },
};

const struct nla_policy vg_nl_srtp_del_policy[VG_A_MAX + 1] = {
	[VG_A_SRTP] = NLA_POLICY_NESTED(vg_nl_srtp_key_policy),
	[VG_A_TXN_ID] = { .type = NLA_U32 },
};

const struct nla_policy vg_nl_replace_commit_policy[VG_A_MAX + 1] = {
	[VG_A_TXN_ID] = { .type = NLA_U32 },
	[VG_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, VG_F_CHECK),
};

const struct nla_policy vg_nl_replace_abort_policy[VG_A_MAX + 1] = {
	[VG_A_TXN_ID] = { .type = NLA_U32 },
};

/* ---- Transactions ---- */

struct vg_txn {
	struct list_head node;
	u32 id;
	u32 portid;		/* the socket that began it */
	struct vg_config *cfg;	/* staged, compiled */
};

void vg_txns_init(struct vg_txns *txns)
{
	INIT_LIST_HEAD(&txns->list);
	txns->count = 0;
	txns->next_id = 1;
}

static void vg_txn_free(struct vg_txns *txns, struct vg_txn *txn)
{
	list_del(&txn->node);
	txns->count--;
	vg_config_free(txn->cfg);
	kfree(txn);
}

void vg_txns_flush(struct vg_net *vn)
{
	struct vg_txn *txn, *tmp;

	list_for_each_entry_safe(txn, tmp, &vn->txns.list, node)
		vg_txn_free(&vn->txns, txn);
}

/* The request's transaction; caller holds config_lock. */
static struct vg_txn *vg_txn_find(struct vg_net *vn, struct genl_info *info)
{
	u32 id = nla_get_u32(info->attrs[VG_A_TXN_ID]);
	struct vg_txn *txn;

	list_for_each_entry(txn, &vn->txns.list, node)
		if (txn->id == id && txn->portid == info->snd_portid)
			return txn;
	NL_SET_BAD_ATTR(info->extack, info->attrs[VG_A_TXN_ID]);
	NL_SET_ERR_MSG_MOD(info->extack,
			   "no such transaction on this socket (ended, or begun by another)");
	return NULL;
}

/* A socket closed: its transactions end with it. */
static int vg_nl_release_event(struct notifier_block *nb,
			       unsigned long event, void *ptr)
{
	struct netlink_notify *n = ptr;
	struct vg_txn *txn, *tmp;
	struct vg_net *vn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	vn = vg_net(n->net);
	mutex_lock(&vn->config_lock);
	list_for_each_entry_safe(txn, tmp, &vn->txns.list, node)
		if (txn->portid == n->portid)
			vg_txn_free(&vn->txns, txn);
	mutex_unlock(&vn->config_lock);
	return NOTIFY_DONE;
}

static struct notifier_block vg_nl_release_nb = {
	.notifier_call = vg_nl_release_event,
};

int vg_nl_config_init(void)
{
	return netlink_register_notifier(&vg_nl_release_nb);
}

void vg_nl_config_exit(void)
{
	netlink_unregister_notifier(&vg_nl_release_nb);
}

/* An extack message that is not a literal: it must be a static string. */
static void vg_nl_set_msg(struct netlink_ext_ack *extack, const char *msg)
{
	if (extack)
		extack->_msg = msg;
}

/* ---- The edit cycle ---- */

/*
 * Publishes @cfg. Zone pair counters are kept by zone slot, so a slot that
 * is freed or now holds another zone (a deletion, or a replace that lists
 * the zones in another order) starts again from zero rather than lend its
 * counts to the next zone in it. Packets judged with the old snapshot count
 * into its slots until they leave their RCU read section: the counters are
 * cleared after a grace period, when no such packet is left.
 */
static void vg_nl_publish(struct vg_net *vn, struct vg_config *cfg)
{
	const struct vg_config *old = vg_config_get(vn);
	DECLARE_BITMAP(moved, VG_STATS_ZONE_SLOTS);
	int z;

	bitmap_zero(moved, VG_STATS_ZONE_SLOTS);
	for (z = 0; old && z < VG_ZONES_MAX; z++)
		if (strcmp(old->zones[z].name, cfg->zones[z].name))
			__set_bit(z, moved);
	vg_config_publish(vn, cfg);
	if (bitmap_empty(moved, VG_STATS_ZONE_SLOTS))
		return;
	synchronize_rcu();
	vg_stats_clear_zones(&vn->stats, moved);
}

typedef int (*vg_edit_fn)(struct vg_config *cfg, struct genl_info *info);

/*
 * Applies @edit to a copy of the running configuration, or of the staged
 * one when the request names a transaction, and installs the result.
 */
static int vg_nl_edit(struct genl_info *info, vg_edit_fn edit)
{
	struct vg_net *vn = vg_net(genl_info_net(info));
	struct vg_config *base, *cfg;
	struct vg_txn *txn = NULL;
	int err;

	mutex_lock(&vn->config_lock);
	if (info->attrs[VG_A_TXN_ID]) {
		txn = vg_txn_find(vn, info);
		if (!txn) {
			err = -ENOENT;
			goto out;
		}
		base = txn->cfg;
	} else {
		base = vg_config_get(vn);
	}
	cfg = vg_config_clone(base);
	if (!cfg) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "out of memory for the new configuration");
		err = -ENOMEM;
		goto out;
	}
	err = edit(cfg, info);
	if (!err)
		err = vg_config_compile(cfg, info->extack);
	if (err) {
		vg_config_free(cfg);
		goto out;
	}
	if (txn) {
		vg_config_free(txn->cfg);
		txn->cfg = cfg;
	} else {
		vg_nl_publish(vn, cfg);
	}
out:
	mutex_unlock(&vn->config_lock);
	return err;
}

/* Parses the request's object nest (validated by the op's policy). */
static int vg_nl_parse_object(struct genl_info *info, int attr,
			      struct nlattr **tb, int maxtype,
			      const struct nla_policy *policy,
			      const char *missing_msg)
{
	if (!info->attrs[attr]) {
		vg_nl_set_msg(info->extack, missing_msg);
		return -EINVAL;
	}
	return nla_parse_nested(tb, maxtype, info->attrs[attr], policy,
				info->extack);
}

/* As vg_nl_parse_object(), for a SET: the nest must name some key. */
static int vg_nl_parse_edit(struct genl_info *info, int attr,
			    struct nlattr **tb, int maxtype,
			    const struct nla_policy *policy,
			    const char *missing_msg, const char *empty_msg)
{
	int err, i;

	err = vg_nl_parse_object(info, attr, tb, maxtype, policy, missing_msg);
	if (err)
		return err;
	for (i = 1; i <= maxtype; i++)
		if (tb[i])
			return 0;
	NL_SET_BAD_ATTR(info->extack, info->attrs[attr]);
	vg_nl_set_msg(info->extack, empty_msg);
	return -EINVAL;
}

static int vg_nl_zone_ref(const struct vg_config *cfg, struct genl_info *info,
			  struct nlattr *attr, bool allow_any)
{
	int zone;

	zone = vg_zone_find(cfg, nla_data(attr), allow_any);
	if (zone == VG_ZONE_NONE) {
		NL_SET_BAD_ATTR(info->extack, attr);
		NL_SET_ERR_MSG_MOD(info->extack, "no such zone");
		return -ENOENT;
	}
	return zone;
}

/* ---- CONFIG_SET / CONFIG_GET ---- */

static int vg_nl_parse_ports(struct vg_port_range *ranges, u8 *n_ranges,
			     struct nlattr *list, struct genl_info *info)
{
	struct nlattr *tb[VG_PR_A_MAX + 1];
	struct nlattr *item;
	unsigned int n = 0;
	int rem, err;

	nla_for_each_nested(item, list, rem) {
		if (n == VG_PORT_RANGES_MAX) {
			NL_SET_BAD_ATTR(info->extack, item);
			NL_SET_ERR_MSG_MOD(info->extack,
					   "too many port ranges (at most 16)");
			return -E2BIG;
		}
		err = nla_parse_nested(tb, VG_PR_A_MAX, item,
				       vg_nl_port_range_policy, info->extack);
		if (err)
			return err;
		if (!tb[VG_PR_A_FIRST]) {
			NL_SET_BAD_ATTR(info->extack, item);
			NL_SET_ERR_MSG_MOD(info->extack,
					   "port range without its first port");
			return -EINVAL;
		}
		ranges[n].first = nla_get_u16(tb[VG_PR_A_FIRST]);
		ranges[n].last = tb[VG_PR_A_LAST] ?
				 nla_get_u16(tb[VG_PR_A_LAST]) :
				 ranges[n].first;
		if (ranges[n].last < ranges[n].first) {
			NL_SET_BAD_ATTR(info->extack, tb[VG_PR_A_LAST]);
			NL_SET_ERR_MSG_MOD(info->extack,
					   "port range ends before it starts");
			return -EINVAL;
		}
		n++;
	}
	if (!n) {
		NL_SET_BAD_ATTR(info->extack, list);
		NL_SET_ERR_MSG_MOD(info->extack, "empty port range list");
		return -EINVAL;
	}
	*n_ranges = n;
	return 0;
}

static bool vg_ranges_overlap(const struct vg_port_range *a, unsigned int na,
			      const struct vg_port_range *b, unsigned int nb)
{
	unsigned int i, j;

	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (a[i].first <= b[j].last && b[j].first <= a[i].last)
				return true;
	return false;
}

static int vg_nl_parse_emergency(struct vg_call_config *call,
				 struct nlattr *list, struct genl_info *info)
{
	struct nlattr *item;
	unsigned int n = 0;
	int rem;

	nla_for_each_nested(item, list, rem) {
		if (n == VG_CALL_MAX_EMERGENCY) {
			NL_SET_BAD_ATTR(info->extack, item);
			NL_SET_ERR_MSG_MOD(info->extack,
					   "too many emergency destinations (at most 8)");
			return -E2BIG;
		}
		if (nla_len(item) < 2) {
			NL_SET_BAD_ATTR(info->extack, item);
			NL_SET_ERR_MSG_MOD(info->extack,
					   "empty emergency destination");
			return -EINVAL;
		}
		nla_strscpy(call->emergency[n], item, VG_CALL_EMERGENCY_LEN);
		n++;
	}
	call->n_emergency = n;
	return 0;
}

static u32 vg_get_u32(struct nlattr **tb, int type, u32 cur)
{
	return tb[type] ? nla_get_u32(tb[type]) : cur;
}

static u8 vg_get_u8(struct nlattr **tb, int type, u8 cur)
{
	return tb[type] ? nla_get_u8(tb[type]) : cur;
}

static int vg_edit_config(struct vg_config *cfg, struct genl_info *info)
{
	struct nlattr *tb[VG_CFG_A_MAX + 1];
	int err;

	err = vg_nl_parse_edit(info, VG_A_CONFIG, tb, VG_CFG_A_MAX,
			       vg_nl_config_attr_policy,
			       "configuration nest missing",
			       KBUILD_MODNAME ": no configuration key given");
	if (err)
		return err;

	cfg->mode = vg_get_u8(tb, VG_CFG_A_MODE, cfg->mode);
	cfg->dscp_rtp = vg_get_u8(tb, VG_CFG_A_DSCP_RTP, cfg->dscp_rtp);
	cfg->dscp_sip = vg_get_u8(tb, VG_CFG_A_DSCP_SIP, cfg->dscp_sip);
	cfg->priority_rtp = vg_get_u32(tb, VG_CFG_A_PRIORITY_RTP,
				       cfg->priority_rtp);
	cfg->priority_sip = vg_get_u32(tb, VG_CFG_A_PRIORITY_SIP,
				       cfg->priority_sip);
	cfg->mark_rtp = vg_get_u32(tb, VG_CFG_A_MARK_RTP, cfg->mark_rtp);
	cfg->mark_sip = vg_get_u32(tb, VG_CFG_A_MARK_SIP, cfg->mark_sip);
	cfg->media_timeout = vg_get_u32(tb, VG_CFG_A_MEDIA_TIMEOUT,
					cfg->media_timeout);
	cfg->call_timeout = vg_get_u32(tb, VG_CFG_A_CALL_TIMEOUT,
				       cfg->call_timeout);
	cfg->max_streams = vg_get_u32(tb, VG_CFG_A_MAX_STREAMS,
				      cfg->max_streams);
	cfg->max_calls = vg_get_u32(tb, VG_CFG_A_MAX_CALLS, cfg->max_calls);
	cfg->max_sources = vg_get_u32(tb, VG_CFG_A_MAX_SOURCES,
				      cfg->max_sources);
	cfg->max_streams_per_call = vg_get_u32(tb,
					       VG_CFG_A_MAX_STREAMS_PER_CALL,
					       cfg->max_streams_per_call);
	cfg->media_strict = vg_get_u8(tb, VG_CFG_A_MEDIA_STRICT,
				      cfg->media_strict);
	cfg->direct_media = vg_get_u8(tb, VG_CFG_A_DIRECT_MEDIA,
				      cfg->direct_media);
	cfg->peer_restrict = vg_get_u8(tb, VG_CFG_A_PEER_RESTRICT,
				       cfg->peer_restrict);
	cfg->tcp_split = vg_get_u8(tb, VG_CFG_A_TCP_SPLIT, cfg->tcp_split);
	cfg->source_prefix6 = vg_get_u8(tb, VG_CFG_A_SOURCE_PREFIX6,
					cfg->source_prefix6);
	cfg->sip.max_msg_len = vg_get_u32(tb, VG_CFG_A_SIP_MAX_MSG,
					  cfg->sip.max_msg_len);
	cfg->sip.max_headers = vg_get_u32(tb, VG_CFG_A_SIP_MAX_HEADERS,
					  cfg->sip.max_headers);
	cfg->sip.max_header_len = vg_get_u32(tb, VG_CFG_A_SIP_MAX_HEADER_LEN,
					     cfg->sip.max_header_len);
	cfg->sip.max_uri_len = vg_get_u32(tb, VG_CFG_A_SIP_MAX_URI_LEN,
					  cfg->sip.max_uri_len);
	cfg->event_rate = vg_get_u32(tb, VG_CFG_A_EVENT_RATE, cfg->event_rate);

	if (tb[VG_CFG_A_SIP_PORTS]) {
		err = vg_nl_parse_ports(cfg->sip_ports, &cfg->n_sip_ports,
					tb[VG_CFG_A_SIP_PORTS], info);
		if (err)
			return err;
	}
	if (tb[VG_CFG_A_MEDIA_PORTS]) {
		err = vg_nl_parse_ports(cfg->media_ports, &cfg->n_media_ports,
					tb[VG_CFG_A_MEDIA_PORTS], info);
		if (err)
			return err;
	}
	if (vg_ranges_overlap(cfg->sip_ports, cfg->n_sip_ports,
			      cfg->media_ports, cfg->n_media_ports)) {
		NL_SET_BAD_ATTR(info->extack, tb[VG_CFG_A_SIP_PORTS] ?:
				tb[VG_CFG_A_MEDIA_PORTS]);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "sip-ports and media-ports overlap");
		return -EINVAL;
	}
	if (cfg->max_streams_per_call > cfg->max_streams) {
		NL_SET_BAD_ATTR(info->extack,
				tb[VG_CFG_A_MAX_STREAMS_PER_CALL] ?:
				tb[VG_CFG_A_MAX_STREAMS]);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "max-streams-per-call exceeds max-streams");
		return -EINVAL;
	}
	if (tb[VG_CFG_A_EMERGENCY]) {
		err = vg_nl_parse_emergency(&cfg->call, tb[VG_CFG_A_EMERGENCY],
					    info);
		if (err)
			return err;
	}
	return 0;
}

int vg_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vg_nl_edit(info, vg_edit_config);
}

static int vg_nl_put_ports(struct sk_buff *msg, int type,
			   const struct vg_port_range *r, unsigned int n)
{
	struct nlattr *list, *item;
	unsigned int i;

	list = nla_nest_start(msg, type);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		item = nla_nest_start(msg, VG_LIST_A_ITEM);
		if (!item || nla_put_u16(msg, VG_PR_A_FIRST, r[i].first) ||
		    nla_put_u16(msg, VG_PR_A_LAST, r[i].last))
			return -EMSGSIZE;
		nla_nest_end(msg, item);
	}
	nla_nest_end(msg, list);
	return 0;
}

static int vg_nl_put_config(struct sk_buff *msg, const struct vg_config *cfg)
{
	struct nlattr *nest, *list;
	unsigned int i;

	nest = nla_nest_start(msg, VG_A_CONFIG);
	if (!nest ||
	    nla_put_u8(msg, VG_CFG_A_MODE, cfg->mode) ||
	    vg_nl_put_ports(msg, VG_CFG_A_SIP_PORTS, cfg->sip_ports,
			    cfg->n_sip_ports) ||
	    vg_nl_put_ports(msg, VG_CFG_A_MEDIA_PORTS, cfg->media_ports,
			    cfg->n_media_ports) ||
	    nla_put_u8(msg, VG_CFG_A_DSCP_RTP, cfg->dscp_rtp) ||
	    nla_put_u8(msg, VG_CFG_A_DSCP_SIP, cfg->dscp_sip) ||
	    nla_put_u32(msg, VG_CFG_A_PRIORITY_RTP, cfg->priority_rtp) ||
	    nla_put_u32(msg, VG_CFG_A_PRIORITY_SIP, cfg->priority_sip) ||
	    nla_put_u32(msg, VG_CFG_A_MARK_RTP, cfg->mark_rtp) ||
	    nla_put_u32(msg, VG_CFG_A_MARK_SIP, cfg->mark_sip) ||
	    nla_put_u32(msg, VG_CFG_A_MEDIA_TIMEOUT, cfg->media_timeout) ||
	    nla_put_u32(msg, VG_CFG_A_CALL_TIMEOUT, cfg->call_timeout) ||
	    nla_put_u32(msg, VG_CFG_A_MAX_STREAMS, cfg->max_streams) ||
	    nla_put_u32(msg, VG_CFG_A_MAX_CALLS, cfg->max_calls) ||
	    nla_put_u32(msg, VG_CFG_A_MAX_SOURCES, cfg->max_sources) ||
	    nla_put_u32(msg, VG_CFG_A_MAX_STREAMS_PER_CALL,
			cfg->max_streams_per_call) ||
	    nla_put_u8(msg, VG_CFG_A_MEDIA_STRICT, cfg->media_strict) ||
	    nla_put_u8(msg, VG_CFG_A_DIRECT_MEDIA, cfg->direct_media) ||
	    nla_put_u8(msg, VG_CFG_A_PEER_RESTRICT, cfg->peer_restrict) ||
	    nla_put_u8(msg, VG_CFG_A_TCP_SPLIT, cfg->tcp_split) ||
	    nla_put_u8(msg, VG_CFG_A_SOURCE_PREFIX6, cfg->source_prefix6) ||
	    nla_put_u32(msg, VG_CFG_A_SIP_MAX_MSG, cfg->sip.max_msg_len) ||
	    nla_put_u32(msg, VG_CFG_A_SIP_MAX_HEADERS, cfg->sip.max_headers) ||
	    nla_put_u32(msg, VG_CFG_A_SIP_MAX_HEADER_LEN,
			cfg->sip.max_header_len) ||
	    nla_put_u32(msg, VG_CFG_A_SIP_MAX_URI_LEN, cfg->sip.max_uri_len) ||
	    nla_put_u32(msg, VG_CFG_A_EVENT_RATE, cfg->event_rate))
		return -EMSGSIZE;
	list = nla_nest_start(msg, VG_CFG_A_EMERGENCY);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < cfg->call.n_emergency; i++)
		if (nla_put_string(msg, VG_LIST_A_ITEM, cfg->call.emergency[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, list);
	nla_nest_end(msg, nest);
	return 0;
}

int vg_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vg_net *vn = vg_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = vg_nl_reply_new(info, NLMSG_GOODSIZE, VG_CMD_CONFIG_GET, &hdr);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&vn->config_lock);
	err = nla_put_string(msg, VG_A_VERSION, VG_VERSION) ||
	      nla_put_u32(msg, VG_A_GENERATION, vn->generation) ||
	      vg_nl_put_config(msg, vg_config_get(vn));
	mutex_unlock(&vn->config_lock);
	if (err)
		return vg_nl_reply_overflow(info, msg);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* ---- Zones ---- */

static bool vg_zone_name_ok(const char *name)
{
	const char *p;

	if (!*name || !strcmp(name, VG_ZONE_ANY) ||
	    !strcmp(name, VG_ZONE_UNZONED))
		return false;
	for (p = name; *p; p++)
		if (!isalnum(*p) && *p != '-' && *p != '_' && *p != '.')
			return false;
	return true;
}

/* Drops zone @zone's prefixes from @lpm (kept in order). */
static void vg_lpm4_remove_zone(struct vg_lpm4 *lpm, u8 zone)
{
	u32 i, n = 0;

	for (i = 0; i < lpm->n; i++)
		if (lpm->pfx[i].zone != zone)
			lpm->pfx[n++] = lpm->pfx[i];
	lpm->n = n;
}

static void vg_lpm6_remove_zone(struct vg_lpm6 *lpm, u8 zone)
{
	u32 i, n = 0;

	for (i = 0; i < lpm->n; i++)
		if (lpm->pfx[i].zone != zone)
			lpm->pfx[n++] = lpm->pfx[i];
	lpm->n = n;
}

/* Parses one prefix item into *p4 or *p6; returns its family. */
static int vg_nl_parse_prefix(struct nlattr *item, struct genl_info *info,
			      struct vg_prefix4 *p4, struct vg_prefix6 *p6)
{
	struct nlattr *tb[VG_PREFIX_A_MAX + 1];
	u8 len;
	int err;

	err = nla_parse_nested(tb, VG_PREFIX_A_MAX, item, vg_nl_prefix_policy,
			       info->extack);
	if (err)
		return err;
	if (!tb[VG_PREFIX_A_ADDR4] == !tb[VG_PREFIX_A_ADDR6]) {
		NL_SET_BAD_ATTR(info->extack, item);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "a prefix needs exactly one address, IPv4 or IPv6");
		return -EINVAL;
	}
	if (!tb[VG_PREFIX_A_LEN]) {
		NL_SET_BAD_ATTR(info->extack, item);
		NL_SET_ERR_MSG_MOD(info->extack, "prefix length missing");
		return -EINVAL;
	}
	len = nla_get_u8(tb[VG_PREFIX_A_LEN]);
	if (tb[VG_PREFIX_A_ADDR4]) {
		if (len > 32) {
			NL_SET_BAD_ATTR(info->extack, tb[VG_PREFIX_A_LEN]);
			NL_SET_ERR_MSG_MOD(info->extack,
					   "IPv4 prefix length above 32");
			return -EINVAL;
		}
		p4->addr = get_unaligned_be32(nla_data(tb[VG_PREFIX_A_ADDR4]));
		p4->len = len;
		if (!vg_prefix4_is_masked(p4->addr, len)) {
			NL_SET_BAD_ATTR(info->extack, item);
			NL_SET_ERR_MSG_MOD(info->extack,
					   "address has bits set past the prefix length");
			return -EINVAL;
		}
		return AF_INET;
	}
	p6->hi = get_unaligned_be64(nla_data(tb[VG_PREFIX_A_ADDR6]));
	p6->lo = get_unaligned_be64((u8 *)nla_data(tb[VG_PREFIX_A_ADDR6]) + 8);
	p6->len = len;
	if (!vg_prefix6_is_masked(p6->hi, p6->lo, len)) {
		NL_SET_BAD_ATTR(info->extack, item);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "address has bits set past the prefix length");
		return -EINVAL;
	}
	return AF_INET6;
}

/* Grows @cfg's prefix arrays by @n4 and @n6 entries. */
static int vg_lpm_grow(struct vg_config *cfg, u32 n4, u32 n6,
		       struct genl_info *info)
{
	struct vg_prefix4 *p4 = NULL;
	struct vg_prefix6 *p6 = NULL;

	if (n4) {
		p4 = kvmalloc_array(cfg->lpm4.n + n4, sizeof(*p4), GFP_KERNEL);
		if (!p4)
			goto nomem;
		if (cfg->lpm4.n)
			memcpy(p4, cfg->lpm4.pfx, cfg->lpm4.n * sizeof(*p4));
		kvfree(cfg->lpm4.pfx);
		cfg->lpm4.pfx = p4;
	}
	if (n6) {
		p6 = kvmalloc_array(cfg->lpm6.n + n6, sizeof(*p6), GFP_KERNEL);
		if (!p6)
			goto nomem;
		if (cfg->lpm6.n)
			memcpy(p6, cfg->lpm6.pfx, cfg->lpm6.n * sizeof(*p6));
		kvfree(cfg->lpm6.pfx);
		cfg->lpm6.pfx = p6;
	}
	return 0;
nomem:
	NL_SET_ERR_MSG_MOD(info->extack, "out of memory for the prefixes");
	return -ENOMEM;
}

static int vg_edit_zone_add(struct vg_config *cfg, struct genl_info *info)
{
	struct nlattr *tb[VG_ZONE_A_MAX + 1];
	u32 flags = 0, n4 = 0, n6 = 0;
	struct vg_prefix4 p4;
	struct vg_prefix6 p6;
	struct nlattr *item;
	const char *name;
	bool is_new;
	int err, rem, zone, family, pos;

	err = vg_nl_parse_object(info, VG_A_ZONE, tb, VG_ZONE_A_MAX,
				 vg_nl_zone_attr_policy, "zone nest missing");
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[VG_A_ZONE], tb,
			      VG_ZONE_A_NAME)) {
		NL_SET_ERR_MSG_MOD(info->extack, "zone name missing");
		return -EINVAL;
	}
	if (info->attrs[VG_A_FLAGS])
		flags = nla_get_u32(info->attrs[VG_A_FLAGS]);
	if ((flags & VG_F_APPEND) && (flags & VG_F_REPLACE)) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[VG_A_FLAGS]);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "append and replace exclude each other");
		return -EINVAL;
	}
	name = nla_data(tb[VG_ZONE_A_NAME]);
	if (!vg_zone_name_ok(name)) {
		NL_SET_BAD_ATTR(info->extack, tb[VG_ZONE_A_NAME]);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "zone name: letters, digits, '-', '_' and '.', not \"any\" or \"none\"");
		return -EINVAL;
	}

	zone = vg_zone_find(cfg, name, false);
	is_new = zone == VG_ZONE_NONE;
	if (!is_new && !(flags & (VG_F_APPEND | VG_F_REPLACE))) {
		NL_SET_BAD_ATTR(info->extack, tb[VG_ZONE_A_NAME]);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "zone exists (append or replace its prefixes instead)");
		return -EEXIST;
	}
	if (is_new) {
		for (zone = 0; zone < VG_ZONES_MAX; zone++)
			if (!cfg->zones[zone].name[0])
				break;
		if (zone == VG_ZONES_MAX) {
			NL_SET_BAD_ATTR(info->extack, tb[VG_ZONE_A_NAME]);
			NL_SET_ERR_MSG_MOD(info->extack,
					   "too many zones (at most 32)");
			return -ENOSPC;
		}
	}

	/* First pass: check every prefix against the zones as they are. */
	if (tb[VG_ZONE_A_PREFIXES]) {
		nla_for_each_nested(item, tb[VG_ZONE_A_PREFIXES], rem) {
			family = vg_nl_parse_prefix(item, info, &p4, &p6);
			if (family < 0)
				return family;
			if (family == AF_INET) {
				pos = vg_lpm4_find(&cfg->lpm4, p4.addr, p4.len);
				n4++;
			} else {
				pos = vg_lpm6_find(&cfg->lpm6, p6.hi, p6.lo,
						   p6.len);
				n6++;
			}
			if (pos < 0)
				continue;
			if (family == AF_INET ? cfg->lpm4.pfx[pos].zone != zone
					      : cfg->lpm6.pfx[pos].zone != zone) {
				NL_SET_BAD_ATTR(info->extack, item);
				NL_SET_ERR_MSG_MOD(info->extack,
						   "prefix already belongs to another zone");
				return -EEXIST;
			}
			if (!(flags & VG_F_REPLACE)) {
				NL_SET_BAD_ATTR(info->extack, item);
				NL_SET_ERR_MSG_MOD(info->extack,
						   "prefix already in this zone");
				return -EEXIST;
			}
		}
	}
	if (flags & VG_F_REPLACE) {
		vg_lpm4_remove_zone(&cfg->lpm4, zone);
		vg_lpm6_remove_zone(&cfg->lpm6, zone);
	}
	if ((u64)cfg->lpm4.n + cfg->lpm6.n + n4 + n6 > VG_PREFIXES_MAX) {
		NL_SET_BAD_ATTR(info->extack, tb[VG_ZONE_A_PREFIXES]);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "too many prefixes (at most 65536 in all zones)");
		return -ENOSPC;
	}
	err = vg_lpm_grow(cfg, n4, n6, info);
	if (err)
		return err;
	if (tb[VG_ZONE_A_PREFIXES]) {
		nla_for_each_nested(item, tb[VG_ZONE_A_PREFIXES], rem) {
			family = vg_nl_parse_prefix(item, info, &p4, &p6);
			if (family == AF_INET) {
				p4.zone = zone;
				cfg->lpm4.pfx[cfg->lpm4.n++] = p4;
			} else {
				p6.zone = zone;
				cfg->lpm6.pfx[cfg->lpm6.n++] = p6;
			}
		}
	}

	if (is_new) {
		memset(&cfg->zones[zone], 0, sizeof(cfg->zones[zone]));
		strscpy(cfg->zones[zone].name, name, VG_NAME_MAX);
	}
	if (tb[VG_ZONE_A_DSCP_DEFAULT])
		cfg->zones[zone].dscp_default =
			nla_get_u8(tb[VG_ZONE_A_DSCP_DEFAULT]);
	return 0;
}

int vg_nl_zone_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vg_nl_edit(info, vg_edit_zone_add);
}

/* The zone a request names: index, or a negative errno with extack. */
static int vg_nl_zone_lookup(const struct vg_config *cfg,
			     struct genl_info *info, struct nlattr **tb)
{
	int err;

	err = vg_nl_parse_object(info, VG_A_ZONE, tb, VG_ZONE_A_MAX,
				 vg_nl_zone_name_policy, "zone nest missing");
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[VG_A_ZONE], tb,
			      VG_ZONE_A_NAME)) {
		NL_SET_ERR_MSG_MOD(info->extack, "zone name missing");
		return -EINVAL;
	}
	return vg_nl_zone_ref(cfg, info, tb[VG_ZONE_A_NAME], false);
}

static int vg_edit_zone_del(struct vg_config *cfg, struct genl_info *info)
{
	struct nlattr *tb[VG_ZONE_A_MAX + 1];
	unsigned int i;
	int zone;

	zone = vg_nl_zone_lookup(cfg, info, tb);
	if (zone < 0)
		return zone;
	for (i = 0; i < cfg->n_policy; i++) {
		if (cfg->policy[i].from == zone || cfg->policy[i].to == zone) {
			NL_SET_BAD_ATTR(info->extack, tb[VG_ZONE_A_NAME]);
			NL_SET_ERR_MSG_MOD(info->extack,
					   "zone is used by a policy entry (delete the entry first)");
			return -EBUSY;
		}
	}
	for (i = 0; i < cfg->n_srtp; i++) {
		if (cfg->srtp[i].from == zone || cfg->srtp[i].to == zone) {
			NL_SET_BAD_ATTR(info->extack, tb[VG_ZONE_A_NAME]);
			NL_SET_ERR_MSG_MOD(info->extack,
					   "zone is used by an srtp entry (delete the entry first, srtp del FROM TO)");
			return -EBUSY;
		}
	}
	vg_lpm4_remove_zone(&cfg->lpm4, zone);
	vg_lpm6_remove_zone(&cfg->lpm6, zone);
	memset(&cfg->zones[zone], 0, sizeof(cfg->zones[zone]));
	return 0;
}

int vg_nl_zone_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vg_nl_edit(info, vg_edit_zone_del);
}

static int vg_nl_put_prefix4(struct sk_buff *msg, const struct vg_prefix4 *p)
{
	struct nlattr *item = nla_nest_start(msg, VG_LIST_A_ITEM);
	__be32 addr = cpu_to_be32(p->addr);

	if (!item)
		return -EMSGSIZE;
	if (nla_put(msg, VG_PREFIX_A_ADDR4, sizeof(addr), &addr) ||
	    nla_put_u8(msg, VG_PREFIX_A_LEN, p->len)) {
		nla_nest_cancel(msg, item);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, item);
	return 0;
}

static int vg_nl_put_prefix6(struct sk_buff *msg, const struct vg_prefix6 *p)
{
	struct nlattr *item = nla_nest_start(msg, VG_LIST_A_ITEM);
	u8 addr[16];

	if (!item)
		return -EMSGSIZE;
	put_unaligned_be64(p->hi, addr);
	put_unaligned_be64(p->lo, addr + 8);
	if (nla_put(msg, VG_PREFIX_A_ADDR6, sizeof(addr), addr) ||
	    nla_put_u8(msg, VG_PREFIX_A_LEN, p->len)) {
		nla_nest_cancel(msg, item);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, item);
	return 0;
}

/*
 * Writes zone @zone with its prefixes from position *pos on (IPv4 first,
 * then IPv6, in lookup order). Returns 0 when the zone is complete; on
 * -EMSGSIZE the zone nest is closed with what fit and *pos says where to
 * go on (unchanged if nothing fit).
 */
static int vg_nl_put_zone(struct sk_buff *msg, const struct vg_config *cfg,
			  int zone, u32 *pos)
{
	const struct vg_zone *z = &cfg->zones[zone];
	u32 i = *pos, total = cfg->lpm4.n + cfg->lpm6.n, written = 0;
	struct nlattr *nest, *list;
	int err = 0;

	nest = nla_nest_start(msg, VG_A_ZONE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(msg, VG_ZONE_A_NAME, z->name) ||
	    nla_put_u8(msg, VG_ZONE_A_DSCP_DEFAULT, z->dscp_default))
		goto cancel;
	list = nla_nest_start(msg, VG_ZONE_A_PREFIXES);
	if (!list)
		goto cancel;
	for (; i < total; i++) {
		if (i < cfg->lpm4.n) {
			if (cfg->lpm4.pfx[i].zone != zone)
				continue;
			err = vg_nl_put_prefix4(msg, &cfg->lpm4.pfx[i]);
		} else {
			if (cfg->lpm6.pfx[i - cfg->lpm4.n].zone != zone)
				continue;
			err = vg_nl_put_prefix6(msg,
						&cfg->lpm6.pfx[i - cfg->lpm4.n]);
		}
		if (err)
			break;
		written++;
	}
	if (err && !written)
		goto cancel;
	nla_nest_end(msg, list);
	nla_nest_end(msg, nest);
	*pos = i;
	return err;
cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

int vg_nl_zone_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vg_net *vn = vg_net(genl_info_net(info));
	struct nlattr *tb[VG_ZONE_A_MAX + 1];
	const struct vg_config *cfg;
	struct sk_buff *msg;
	int zone, err;
	u32 pos = 0;
	void *hdr;

	mutex_lock(&vn->config_lock);
	cfg = vg_config_get(vn);
	zone = vg_nl_zone_lookup(cfg, info, tb);
	if (zone < 0) {
		err = zone;
		goto out;
	}
	if (cfg->zones[zone].n_prefixes > VG_ZONE_GET_MAX_PREFIXES) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "zone too large for one reply, use a dump");
		err = -EMSGSIZE;
		goto out;
	}
	msg = vg_nl_reply_new(info, NLMSG_GOODSIZE +
			      cfg->zones[zone].n_prefixes * 40,
			      VG_CMD_ZONE_GET, &hdr);
	if (!msg) {
		err = -ENOMEM;
		goto out;
	}
	if (nla_put_u32(msg, VG_A_GENERATION, vn->generation) ||
	    vg_nl_put_zone(msg, cfg, zone, &pos)) {
		err = vg_nl_reply_overflow(info, msg);
		goto out;
	}
	mutex_unlock(&vn->config_lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
out:
	mutex_unlock(&vn->config_lock);
	return err;
}

/* Starts one dump message; the dump is inconsistent if generation moved. */
static void *vg_nl_dump_start(struct sk_buff *skb, struct netlink_callback *cb,
			      u8 cmd, u32 generation)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &vg_genl_family, NLM_F_MULTI, cmd);
	if (!hdr)
		return NULL;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, VG_A_GENERATION, generation)) {
		genlmsg_cancel(skb, hdr);
		return NULL;
	}
	return hdr;
}

/*
 * A table of the configuration (policy, srtp), one message per entry:
 * @put writes entry i of the snapshot. args[0]: the next entry.
 */
static int vg_nl_table_dump(struct sk_buff *skb, struct netlink_callback *cb,
			    u8 cmd,
			    unsigned int (*count)(const struct vg_config *cfg),
			    int (*put)(struct sk_buff *skb,
				       const struct vg_config *cfg,
				       unsigned int i))
{
	struct vg_net *vn = vg_net(sock_net(skb->sk));
	const struct vg_config *cfg;
	unsigned int i = cb->args[0];
	void *hdr;

	rcu_read_lock();
	cfg = rcu_dereference(vn->config);
	cb->seq = READ_ONCE(vn->generation);
	for (; i < count(cfg); i++) {
		hdr = vg_nl_dump_start(skb, cb, cmd, cb->seq);
		if (!hdr)
			break;
		if (put(skb, cfg, i)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = i;
	return skb->len;
}

/*
 * Zones, one message per zone, a large zone continued over several
 * messages (the same name again). args[0]: zone slot, args[1]: prefix
 * position within it.
 */
int vg_nl_zone_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vg_net *vn = vg_net(sock_net(skb->sk));
	const struct vg_config *cfg;
	int zone = cb->args[0], err = 0;
	u32 pos = cb->args[1], start;
	void *hdr;

	rcu_read_lock();
	cfg = rcu_dereference(vn->config);
	cb->seq = READ_ONCE(vn->generation);
	for (; zone < VG_ZONES_MAX; zone++, pos = 0) {
		if (!cfg->zones[zone].name[0])
			continue;
		hdr = vg_nl_dump_start(skb, cb, VG_CMD_ZONE_GET, cb->seq);
		if (!hdr)
			break;
		start = pos;
		err = vg_nl_put_zone(skb, cfg, zone, &pos);
		if (err && pos == start) {
			/* Nothing of it fit: the next message starts here. */
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		if (err)
			break;
	}
	rcu_read_unlock();
	cb->args[0] = zone;
	cb->args[1] = pos;
	return skb->len;
}

/* ---- Policy ---- */

/* Order of entries: by (from, to, class), "any" after the zones. */
static int vg_policy_key_cmp(const struct vg_policy_entry *a,
			     u8 from, u8 to, u8 cls)
{
	if (a->from != from)
		return a->from < from ? -1 : 1;
	if (a->to != to)
		return a->to < to ? -1 : 1;
	if (a->cls != cls)
		return a->cls < cls ? -1 : 1;
	return 0;
}

/* Position of (from, to, cls) in cfg->policy: found, or where it goes. */
static unsigned int vg_policy_pos(const struct vg_config *cfg, u8 from,
				  u8 to, u8 cls, bool *found)
{
	unsigned int i;
	int c = 1;

	for (i = 0; i < cfg->n_policy; i++) {
		c = vg_policy_key_cmp(&cfg->policy[i], from, to, cls);
		if (c >= 0)
			break;
	}
	*found = i < cfg->n_policy && c == 0;
	return i;
}

/* Parses a policy key; returns 0 with from, to and class filled in. */
static int vg_nl_policy_key(struct vg_config *cfg, struct genl_info *info,
			    struct nlattr **tb, const struct nla_policy *pol,
			    struct vg_policy_entry *e)
{
	int err, from, to;

	err = vg_nl_parse_object(info, VG_A_POLICY, tb, VG_POLICY_A_MAX, pol,
				 "policy nest missing");
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[VG_A_POLICY], tb,
			      VG_POLICY_A_FROM)) {
		NL_SET_ERR_MSG_MOD(info->extack, "source zone missing");
		return -EINVAL;
	}
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[VG_A_POLICY], tb,
			      VG_POLICY_A_TO)) {
		NL_SET_ERR_MSG_MOD(info->extack, "destination zone missing");
		return -EINVAL;
	}
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[VG_A_POLICY], tb,
			      VG_POLICY_A_CLASS)) {
		NL_SET_ERR_MSG_MOD(info->extack, "class missing");
		return -EINVAL;
	}
	from = vg_nl_zone_ref(cfg, info, tb[VG_POLICY_A_FROM], true);
	if (from < 0)
		return from;
	to = vg_nl_zone_ref(cfg, info, tb[VG_POLICY_A_TO], true);
	if (to < 0)
		return to;
	e->from = from;
	e->to = to;
	e->cls = nla_get_u8(tb[VG_POLICY_A_CLASS]);
	return 0;
}

static int vg_edit_policy_set(struct vg_config *cfg, struct genl_info *info)
{
	struct nlattr *tb[VG_POLICY_A_MAX + 1];
	struct vg_policy_entry e;
	unsigned int pos;
	bool found;
	int err;

	err = vg_nl_policy_key(cfg, info, tb, vg_nl_policy_attr_policy, &e);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[VG_A_POLICY], tb,
			      VG_POLICY_A_ACTION)) {
		NL_SET_ERR_MSG_MOD(info->extack, "action missing");
		return -EINVAL;
	}
	e.action = nla_get_u8(tb[VG_POLICY_A_ACTION]);
	pos = vg_policy_pos(cfg, e.from, e.to, e.cls, &found);
	if (!found) {
		if (cfg->n_policy == VG_POLICY_MAX) {
			NL_SET_ERR_MSG_MOD(info->extack,
					   "too many policy entries (at most 1024)");
			return -ENOSPC;
		}
		memmove(&cfg->policy[pos + 1], &cfg->policy[pos],
			(cfg->n_policy - pos) * sizeof(cfg->policy[0]));
		cfg->n_policy++;
	}
	cfg->policy[pos] = e;
	return 0;
}

int vg_nl_policy_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vg_nl_edit(info, vg_edit_policy_set);
}

static int vg_edit_policy_del(struct vg_config *cfg, struct genl_info *info)
{
	struct nlattr *tb[VG_POLICY_A_MAX + 1];
	struct vg_policy_entry e;
	unsigned int pos;
	bool found;
	int err;

	err = vg_nl_policy_key(cfg, info, tb, vg_nl_policy_key_policy, &e);
	if (err)
		return err;
	pos = vg_policy_pos(cfg, e.from, e.to, e.cls, &found);
	if (!found) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[VG_A_POLICY]);
		NL_SET_ERR_MSG_MOD(info->extack, "no such policy entry");
		return -ENOENT;
	}
	memmove(&cfg->policy[pos], &cfg->policy[pos + 1],
		(cfg->n_policy - pos - 1) * sizeof(cfg->policy[0]));
	cfg->n_policy--;
	return 0;
}

int vg_nl_policy_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vg_nl_edit(info, vg_edit_policy_del);
}

int vg_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	NL_SET_ERR_MSG_MOD(info->extack, "policy entries are listed by a dump");
	return -EOPNOTSUPP;
}

static unsigned int vg_policy_count(const struct vg_config *cfg)
{
	return cfg->n_policy;
}

static int vg_nl_put_policy(struct sk_buff *skb, const struct vg_config *cfg,
			    unsigned int i)
{
	const struct vg_policy_entry *e = &cfg->policy[i];
	struct nlattr *nest = nla_nest_start(skb, VG_A_POLICY);

	if (!nest ||
	    nla_put_string(skb, VG_POLICY_A_FROM, vg_zone_name(cfg, e->from)) ||
	    nla_put_string(skb, VG_POLICY_A_TO, vg_zone_name(cfg, e->to)) ||
	    nla_put_u8(skb, VG_POLICY_A_CLASS, e->cls) ||
	    nla_put_u8(skb, VG_POLICY_A_ACTION, e->action))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int vg_nl_policy_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vg_nl_table_dump(skb, cb, VG_CMD_POLICY_GET, vg_policy_count,
				vg_nl_put_policy);
}

/* ---- Limits ---- */

static int vg_nl_parse_zone_calls(struct vg_config *cfg, struct nlattr *list,
				  struct genl_info *info)
{
	struct nlattr *tb[VG_ZL_A_MAX + 1];
	struct nlattr *item;
	int rem, err, zone;

	nla_for_each_nested(item, list, rem) {
		err = nla_parse_nested(tb, VG_ZL_A_MAX, item,
				       vg_nl_zone_limit_policy, info->extack);
		if (err)
			return err;
		if (!tb[VG_ZL_A_ZONE] || !tb[VG_ZL_A_MAX_CALLS]) {
			NL_SET_BAD_ATTR(info->extack, item);
			NL_SET_ERR_MSG_MOD(info->extack,
					   "zone call limit needs a zone and a number");
			return -EINVAL;
		}
		zone = vg_nl_zone_ref(cfg, info, tb[VG_ZL_A_ZONE], false);
		if (zone < 0)
			return zone;
		cfg->zones[zone].max_calls = nla_get_u32(tb[VG_ZL_A_MAX_CALLS]);
	}
	return 0;
}

/* A rate and burst pair as a bucket takes them (rate 0: unlimited). */
static int vg_nl_check_bucket(struct genl_info *info, struct nlattr **tb,
			      int rate_attr, int burst_attr, u32 rate,
			      u32 burst)
{
	const char *why;

	if (!rate)
		return 0;
	why = vg_bucket_config_error(rate, burst);
	if (!why)
		return 0;
	NL_SET_BAD_ATTR(info->extack, tb[burst_attr] ?: tb[rate_attr]);
	vg_nl_set_msg(info->extack, why);
	return -ERANGE;
}

static int vg_edit_limits(struct vg_config *cfg, struct genl_info *info)
{
	struct nlattr *tb[VG_LIMIT_A_MAX + 1];
	struct vg_limits *l = &cfg->limits;
	int err;

	err = vg_nl_parse_edit(info, VG_A_LIMITS, tb, VG_LIMIT_A_MAX,
			       vg_nl_limit_attr_policy, "limits nest missing",
			       KBUILD_MODNAME ": no limit given");
	if (err)
		return err;
	l->sip_rate = vg_get_u32(tb, VG_LIMIT_A_SIP_RATE, l->sip_rate);
	l->sip_burst = vg_get_u32(tb, VG_LIMIT_A_SIP_BURST, l->sip_burst);
	l->invite_weight = vg_get_u32(tb, VG_LIMIT_A_INVITE_WEIGHT,
				      l->invite_weight);
	l->register_weight = vg_get_u32(tb, VG_LIMIT_A_REGISTER_WEIGHT,
					l->register_weight);
	l->calls_per_source = vg_get_u32(tb, VG_LIMIT_A_CALLS_PER_SOURCE,
					 l->calls_per_source);
	l->global_rate = vg_get_u32(tb, VG_LIMIT_A_GLOBAL_RATE, l->global_rate);
	l->global_burst = vg_get_u32(tb, VG_LIMIT_A_GLOBAL_BURST,
				     l->global_burst);
	l->rtp_headroom = vg_get_u32(tb, VG_LIMIT_A_RTP_HEADROOM,
				     l->rtp_headroom);
	l->rtp_rate = vg_get_u32(tb, VG_LIMIT_A_RTP_RATE, l->rtp_rate);

	err = vg_nl_check_bucket(info, tb, VG_LIMIT_A_SIP_RATE,
				 VG_LIMIT_A_SIP_BURST, l->sip_rate,
				 l->sip_burst);
	if (err)
		return err;
	err = vg_nl_check_bucket(info, tb, VG_LIMIT_A_GLOBAL_RATE,
				 VG_LIMIT_A_GLOBAL_BURST, l->global_rate,
				 l->global_burst);
	if (err)
		return err;
	if (l->sip_rate && (l->invite_weight > l->sip_burst ||
			    l->register_weight > l->sip_burst)) {
		NL_SET_BAD_ATTR(info->extack,
				tb[VG_LIMIT_A_INVITE_WEIGHT] ?:
				tb[VG_LIMIT_A_REGISTER_WEIGHT] ?:
				tb[VG_LIMIT_A_SIP_BURST]);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "a request weight above the SIP burst could never pass");
		return -ERANGE;
	}
	if (tb[VG_LIMIT_A_ZONE_CALLS])
		return vg_nl_parse_zone_calls(cfg, tb[VG_LIMIT_A_ZONE_CALLS],
					      info);
	return 0;
}

int vg_nl_limit_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vg_nl_edit(info, vg_edit_limits);
}

static int vg_nl_put_limits(struct sk_buff *msg, const struct vg_config *cfg)
{
	const struct vg_limits *l = &cfg->limits;
	struct nlattr *nest, *list, *item;
	int z;

	nest = nla_nest_start(msg, VG_A_LIMITS);
	if (!nest ||
	    nla_put_u32(msg, VG_LIMIT_A_SIP_RATE, l->sip_rate) ||
	    nla_put_u32(msg, VG_LIMIT_A_SIP_BURST, l->sip_burst) ||
	    nla_put_u32(msg, VG_LIMIT_A_INVITE_WEIGHT, l->invite_weight) ||
	    nla_put_u32(msg, VG_LIMIT_A_REGISTER_WEIGHT, l->register_weight) ||
	    nla_put_u32(msg, VG_LIMIT_A_CALLS_PER_SOURCE,
			l->calls_per_source) ||
	    nla_put_u32(msg, VG_LIMIT_A_GLOBAL_RATE, l->global_rate) ||
	    nla_put_u32(msg, VG_LIMIT_A_GLOBAL_BURST, l->global_burst) ||
	    nla_put_u32(msg, VG_LIMIT_A_RTP_HEADROOM, l->rtp_headroom) ||
	    nla_put_u32(msg, VG_LIMIT_A_RTP_RATE, l->rtp_rate))
		return -EMSGSIZE;
	list = nla_nest_start(msg, VG_LIMIT_A_ZONE_CALLS);
	if (!list)
		return -EMSGSIZE;
	for (z = 0; z < VG_ZONES_MAX; z++) {
		if (!cfg->zones[z].name[0] || !cfg->zones[z].max_calls)
			continue;
		item = nla_nest_start(msg, VG_LIST_A_ITEM);
		if (!item ||
		    nla_put_string(msg, VG_ZL_A_ZONE, cfg->zones[z].name) ||
		    nla_put_u32(msg, VG_ZL_A_MAX_CALLS, cfg->zones[z].max_calls))
			return -EMSGSIZE;
		nla_nest_end(msg, item);
	}
	nla_nest_end(msg, list);
	nla_nest_end(msg, nest);
	return 0;
}

int vg_nl_limit_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vg_net *vn = vg_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = vg_nl_reply_new(info, NLMSG_GOODSIZE, VG_CMD_LIMIT_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&vn->config_lock);
	err = nla_put_u32(msg, VG_A_GENERATION, vn->generation) ||
	      vg_nl_put_limits(msg, vg_config_get(vn));
	mutex_unlock(&vn->config_lock);
	if (err)
		return vg_nl_reply_overflow(info, msg);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* ---- SRTP ---- */

/* Position of (from, to) in cfg->srtp: found, or where it goes. */
static unsigned int vg_srtp_pos(const struct vg_config *cfg, u8 from, u8 to,
				bool *found)
{
	unsigned int i;

	for (i = 0; i < cfg->n_srtp; i++) {
		const struct vg_srtp_entry *s = &cfg->srtp[i];

		if (s->from > from || (s->from == from && s->to >= to))
			break;
	}
	*found = i < cfg->n_srtp && cfg->srtp[i].from == from &&
		 cfg->srtp[i].to == to;
	return i;
}

/* Parses an srtp key; returns 0 with from and to filled in. */
static int vg_nl_srtp_key(struct vg_config *cfg, struct genl_info *info,
			  struct nlattr **tb, const struct nla_policy *pol,
			  const char *missing_msg, struct vg_srtp_entry *e)
{
	struct nlattr *nest = info->attrs[VG_A_SRTP];
	int err, from, to;

	err = vg_nl_parse_object(info, VG_A_SRTP, tb, VG_SRTP_A_MAX, pol,
				 "srtp nest missing");
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, VG_SRTP_A_FROM) ||
	    NL_REQ_ATTR_CHECK(info->extack, nest, tb, VG_SRTP_A_TO)) {
		vg_nl_set_msg(info->extack, missing_msg);
		return -EINVAL;
	}
	from = vg_nl_zone_ref(cfg, info, tb[VG_SRTP_A_FROM], true);
	if (from < 0)
		return from;
	to = vg_nl_zone_ref(cfg, info, tb[VG_SRTP_A_TO], true);
	if (to < 0)
		return to;
	e->from = from;
	e->to = to;
	return 0;
}

static int vg_edit_srtp(struct vg_config *cfg, struct genl_info *info)
{
	static const char missing[] =
		KBUILD_MODNAME ": srtp entry needs from, to and require";
	struct nlattr *tb[VG_SRTP_A_MAX + 1];
	struct vg_srtp_entry e;
	unsigned int i;
	bool found;
	int err;

	err = vg_nl_srtp_key(cfg, info, tb, vg_nl_srtp_attr_policy, missing,
			     &e);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[VG_A_SRTP], tb,
			      VG_SRTP_A_REQUIRE)) {
		vg_nl_set_msg(info->extack, missing);
		return -EINVAL;
	}
	e.require = nla_get_u8(tb[VG_SRTP_A_REQUIRE]);

	i = vg_srtp_pos(cfg, e.from, e.to, &found);
	if (found) {
		cfg->srtp[i] = e;
		return 0;
	}
	if (cfg->n_srtp == VG_SRTP_MAX) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "too many srtp entries (at most 256)");
		return -ENOSPC;
	}
	memmove(&cfg->srtp[i + 1], &cfg->srtp[i],
		(cfg->n_srtp - i) * sizeof(cfg->srtp[0]));
	cfg->srtp[i] = e;
	cfg->n_srtp++;
	return 0;
}

int vg_nl_srtp_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vg_nl_edit(info, vg_edit_srtp);
}

static int vg_edit_srtp_del(struct vg_config *cfg, struct genl_info *info)
{
	struct nlattr *tb[VG_SRTP_A_MAX + 1];
	struct vg_srtp_entry e;
	unsigned int pos;
	bool found;
	int err;

	err = vg_nl_srtp_key(cfg, info, tb, vg_nl_srtp_key_policy,
			     KBUILD_MODNAME ": srtp entry needs from and to",
			     &e);
	if (err)
		return err;
	pos = vg_srtp_pos(cfg, e.from, e.to, &found);
	if (!found) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[VG_A_SRTP]);
		NL_SET_ERR_MSG_MOD(info->extack, "no such srtp entry");
		return -ENOENT;
	}
	memmove(&cfg->srtp[pos], &cfg->srtp[pos + 1],
		(cfg->n_srtp - pos - 1) * sizeof(cfg->srtp[0]));
	cfg->n_srtp--;
	return 0;
}

int vg_nl_srtp_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vg_nl_edit(info, vg_edit_srtp_del);
}

int vg_nl_srtp_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	NL_SET_ERR_MSG_MOD(info->extack, "srtp entries are listed by a dump");
	return -EOPNOTSUPP;
}

static unsigned int vg_srtp_count(const struct vg_config *cfg)
{
	return cfg->n_srtp;
}

static int vg_nl_put_srtp(struct sk_buff *skb, const struct vg_config *cfg,
			  unsigned int i)
{
	const struct vg_srtp_entry *e = &cfg->srtp[i];
	struct nlattr *nest = nla_nest_start(skb, VG_A_SRTP);

	if (!nest ||
	    nla_put_string(skb, VG_SRTP_A_FROM, vg_zone_name(cfg, e->from)) ||
	    nla_put_string(skb, VG_SRTP_A_TO, vg_zone_name(cfg, e->to)) ||
	    nla_put_u8(skb, VG_SRTP_A_REQUIRE, e->require))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int vg_nl_srtp_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vg_nl_table_dump(skb, cb, VG_CMD_SRTP_GET, vg_srtp_count,
				vg_nl_put_srtp);
}

/* ---- Replace transactions ---- */

int vg_nl_replace_begin_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vg_net *vn = vg_net(genl_info_net(info));
	struct sk_buff *msg;
	struct vg_txn *txn;
	void *hdr;
	int err;

	msg = vg_nl_reply_new(info, nla_total_size(sizeof(u32)),
			      VG_CMD_REPLACE_BEGIN, &hdr);
	if (!msg)
		return -ENOMEM;
	txn = kzalloc(sizeof(*txn), GFP_KERNEL);
	if (txn)
		txn->cfg = vg_config_new_default();
	if (!txn || !txn->cfg) {
		kfree(txn);
		nlmsg_free(msg);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "out of memory for a staged configuration");
		return -ENOMEM;
	}

	mutex_lock(&vn->config_lock);
	if (vn->txns.count >= VG_TXN_MAX) {
		mutex_unlock(&vn->config_lock);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "too many open transactions (at most 16)");
		err = -EBUSY;
		goto err_free;
	}
	txn->id = vn->txns.next_id++;
	if (!vn->txns.next_id)
		vn->txns.next_id = 1;
	txn->portid = info->snd_portid;
	if (nla_put_u32(msg, VG_A_TXN_ID, txn->id)) {
		mutex_unlock(&vn->config_lock);
		NL_SET_ERR_MSG_MOD(info->extack, "reply does not fit");
		err = -EMSGSIZE;
		goto err_free;
	}
	list_add_tail(&txn->node, &vn->txns.list);
	vn->txns.count++;
	mutex_unlock(&vn->config_lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	vg_config_free(txn->cfg);
	kfree(txn);
	nlmsg_free(msg);
	return err;
}

static struct vg_txn *vg_nl_txn_of(struct vg_net *vn, struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, VG_A_TXN_ID)) {
		NL_SET_ERR_MSG_MOD(info->extack, "transaction id missing");
		return NULL;
	}
	return vg_txn_find(vn, info);
}

/*
 * Publishes the staged configuration, or with VG_F_CHECK only confirms
 * that it is valid (it was checked as it was built). Either way the
 * transaction ends.
 */
int vg_nl_replace_commit_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vg_net *vn = vg_net(genl_info_net(info));
	u32 flags = 0;
	struct vg_txn *txn;

	if (info->attrs[VG_A_FLAGS])
		flags = nla_get_u32(info->attrs[VG_A_FLAGS]);
	mutex_lock(&vn->config_lock);
	txn = vg_nl_txn_of(vn, info);
	if (!txn) {
		mutex_unlock(&vn->config_lock);
		return info->attrs[VG_A_TXN_ID] ? -ENOENT : -EINVAL;
	}
	if (!(flags & VG_F_CHECK)) {
		vg_nl_publish(vn, txn->cfg);
		txn->cfg = NULL;
	}
	vg_txn_free(&vn->txns, txn);
	mutex_unlock(&vn->config_lock);
	return 0;
}

int vg_nl_replace_abort_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vg_net *vn = vg_net(genl_info_net(info));
	struct vg_txn *txn;

	mutex_lock(&vn->config_lock);
	txn = vg_nl_txn_of(vn, info);
	if (!txn) {
		mutex_unlock(&vn->config_lock);
		return info->attrs[VG_A_TXN_ID] ? -ENOENT : -EINVAL;
	}
	vg_txn_free(&vn->txns, txn);
	mutex_unlock(&vn->config_lock);
	return 0;
}
