// SPDX-License-Identifier: GPL-2.0
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <net/ipv6.h>

#include "packet.h"
#include "pernet.h"

static enum vg_l4 vg_l4_of(u8 proto)
{
	switch (proto) {
	case IPPROTO_UDP:
		return VG_L4_UDP;
	case IPPROTO_TCP:
		return VG_L4_TCP;
	default:
		return VG_L4_OTHER;
	}
}

/* Layer 4 protocol of an IPv6 packet, past its extension headers. */
static enum vg_l4 vg_l4_ipv6(struct sk_buff *skb)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	__be16 frag_off;
	int off;

	off = ipv6_skip_exthdr(skb, skb_network_offset(skb) +
			       sizeof(struct ipv6hdr), &nexthdr, &frag_off);
	if (off < 0)
		return VG_L4_OTHER;
	return vg_l4_of(nexthdr);
}

unsigned int vg_packet_in(struct vg_net *vn, struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	enum vg_hook hook = state->hook == NF_INET_LOCAL_OUT ?
			    VG_HOOK_LOCAL_OUT : VG_HOOK_PRE_ROUTING;
	enum vg_l4 l4;
	int family_idx;

	if (state->pf == NFPROTO_IPV4) {
		family_idx = 0;
		l4 = vg_l4_of(ip_hdr(skb)->protocol);
	} else {
		family_idx = 1;
		l4 = vg_l4_ipv6(skb);
	}
	vg_stats_count_packet(&vn->stats, family_idx, hook, l4, skb->len);
	return NF_ACCEPT;
}
