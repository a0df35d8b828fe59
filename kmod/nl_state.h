/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State reported over netlink: calls, media streams, sources and counters,
 * for the get and dump operations and for the events. The tables hand out
 * consistent snapshots (struct vg_*_info, see media.h, calls.h, sources.h);
 * the writers here turn them into attributes.
 */
#ifndef VG_NL_STATE_H
#define VG_NL_STATE_H

#include <linux/skbuff.h>
#include <net/genetlink.h>
#include <uapi/linux/voipguard.h>

struct vg_net;
struct vg_flow_info;
struct vg_call_info;
struct vg_source_info;

/* Attribute writers; each returns 0 or -EMSGSIZE (nothing half-written). */
int vg_nl_put_flow(struct sk_buff *msg, int attrtype,
		   const struct vg_flow_info *fi);
int vg_nl_put_source(struct sk_buff *msg, const struct vg_source_info *si);
/*
 * Writes VG_A_CALL with the call's streams (VG_CALL_A_STREAMS) when
 * @streams; streams that do not fit are left out and flagged with
 * VG_CALL_A_STREAMS_TRUNCATED (and *@truncated set, unless NULL), the
 * call stays whole.
 */
int vg_nl_put_call(struct sk_buff *msg, struct vg_net *vn,
		   const struct vg_call_info *ci, bool streams, bool *truncated);
/*
 * Room vg_nl_put_call() needs for @ci with its ci->n_streams streams: the
 * one size for every message that carries a call.
 */
size_t vg_nl_call_size(const struct vg_call_info *ci, bool streams);

/* Operation handlers and their policies (op table in netlink.c). */
int vg_nl_call_get_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_call_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vg_nl_flow_get_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vg_nl_flow_flush_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_source_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vg_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int vg_nl_stats_reset_doit(struct sk_buff *skb, struct genl_info *info);

extern const struct nla_policy vg_call_get_policy[VG_A_MAX + 1];
extern const struct nla_policy vg_flow_get_policy[VG_A_MAX + 1];

#endif /* VG_NL_STATE_H */
