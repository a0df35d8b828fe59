// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hook registration. The hooks themselves only hand the packet
 * on: to the pipeline (packet.c), or, when IPv4 is forwarded, to the
 * priority fix-up (tag.c).
 */
#include <linux/kernel.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>

#include "hooks.h"
#include "packet.h"
#include "pernet.h"
#include "tag.h"

#if !IS_ENABLED(CONFIG_IPV6)
#error "voipguard needs a kernel with IPv6"
#endif

/*
 * After defragmentation (-400), so SIP split into fragments arrives whole;
 * before the raw table (-300) and conntrack (-200), so packets we drop never
 * create conntrack entries and the admin's raw rules see our DSCP marks.
 * IPv6 uses the same numbers (NF_IP6_PRI_*).
 */
#define VG_HOOK_PRIORITY (NF_IP_PRI_CONNTRACK_DEFRAG + 50)

static_assert(NF_IP_PRI_CONNTRACK_DEFRAG < VG_HOOK_PRIORITY);
static_assert(VG_HOOK_PRIORITY < NF_IP_PRI_RAW);
static_assert(NF_IP6_PRI_CONNTRACK_DEFRAG < VG_HOOK_PRIORITY);
static_assert(VG_HOOK_PRIORITY < NF_IP6_PRI_RAW);

static unsigned int vg_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	return vg_packet_in(vg_net(state->net), skb, state);
}

static unsigned int vg_hook_forward4(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	const struct vg_config *cfg;

	if (!READ_ONCE(state->net->ipv4.sysctl_ip_fwd_update_priority))
		return NF_ACCEPT;
	/* netfilter hooks run under rcu_read_lock() */
	cfg = rcu_dereference(vg_net(state->net)->config);
	if (cfg)
		vg_tag_forward4(skb, cfg);
	return NF_ACCEPT;
}

static const struct nf_hook_ops vg_hook_ops[] = {
	{
		.hook = vg_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = VG_HOOK_PRIORITY,
	},
	{
		.hook = vg_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = VG_HOOK_PRIORITY,
	},
	{
		.hook = vg_hook_forward4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_FORWARD,
		.priority = VG_HOOK_PRIORITY,
	},
	{
		.hook = vg_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = VG_HOOK_PRIORITY,
	},
	{
		.hook = vg_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = VG_HOOK_PRIORITY,
	},
};

int vg_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, vg_hook_ops, ARRAY_SIZE(vg_hook_ops));
}

void vg_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, vg_hook_ops, ARRAY_SIZE(vg_hook_ops));
}
