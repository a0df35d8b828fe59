/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink family. netlink.c holds the family and its op table;
 * each concern's handlers live in their own file (nl_config.c, ...).
 */
#ifndef VG_NETLINK_H
#define VG_NETLINK_H

#include <net/genetlink.h>
#include <uapi/linux/voipguard.h>

extern struct genl_family vg_genl_family;

/* Index of the "events" group in the family's multicast groups. */
#define VG_NL_MCGRP_EVENTS	0

int vg_nl_register(void);
void vg_nl_unregister(void);

/* Starts a reply to info's request; sets an extack message on failure. */
struct sk_buff *vg_nl_reply_new(struct genl_info *info, size_t size,
				u8 cmd, void **hdr);
/* Frees a reply that did not fit, with an extack message; -EMSGSIZE. */
int vg_nl_reply_overflow(struct genl_info *info, struct sk_buff *msg);

/* nl_config.c: configuration, zones, policy, limits, SRTP, transactions. */
int vg_nl_config_init(void);
void vg_nl_config_exit(void);
int vg_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_zone_add_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_zone_del_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_zone_get_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_zone_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vg_nl_policy_set_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_policy_del_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_policy_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vg_nl_limit_set_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_limit_get_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_srtp_set_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_srtp_get_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_srtp_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vg_nl_srtp_del_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_replace_begin_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_replace_commit_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_replace_abort_doit(struct sk_buff *skb, struct genl_info *info);

extern const struct nla_policy vg_nl_config_set_policy[VG_A_MAX + 1];
extern const struct nla_policy vg_nl_zone_add_policy[VG_A_MAX + 1];
extern const struct nla_policy vg_nl_zone_del_policy[VG_A_MAX + 1];
extern const struct nla_policy vg_nl_zone_get_policy[VG_A_MAX + 1];
extern const struct nla_policy vg_nl_policy_set_policy[VG_A_MAX + 1];
extern const struct nla_policy vg_nl_policy_del_policy[VG_A_MAX + 1];
extern const struct nla_policy vg_nl_limit_set_policy[VG_A_MAX + 1];
extern const struct nla_policy vg_nl_srtp_set_policy[VG_A_MAX + 1];
extern const struct nla_policy vg_nl_srtp_del_policy[VG_A_MAX + 1];
extern const struct nla_policy vg_nl_replace_commit_policy[VG_A_MAX + 1];
extern const struct nla_policy vg_nl_replace_abort_policy[VG_A_MAX + 1];

#endif /* VG_NETLINK_H */
