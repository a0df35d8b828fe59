// SPDX-License-Identifier: GPL-2.0
/*
 * DSCP, priority and mark for voice; the EF trust boundary for the rest.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>

#include "config.h"
#include "tag.h"

#define VG_DSCP_EF	46

/*
 * Rewrite the DSCP, keeping ECN. The IPv4 header checksum absorbs the
 * change; IPv6 has none, so a receive checksum that covers the header
 * (CHECKSUM_COMPLETE) is fixed up here, or the stack would find it wrong
 * when it pulls the header off a packet for this host.
 */
static void vg_set_dscp(struct sk_buff *skb, const struct vg_pkt *pkt,
			u8 dscp)
{
	u32 nhoff = skb_network_offset(skb);
	__be32 from, to;

	if (pkt->dscp == dscp)
		return;
	if (pkt->family == VG_AF_INET) {
		if (skb_ensure_writable(skb, nhoff + sizeof(struct iphdr)))
			return;
		ipv4_change_dsfield(ip_hdr(skb), INET_ECN_MASK, dscp << 2);
		return;
	}
	if (skb_ensure_writable(skb, nhoff + sizeof(struct ipv6hdr)))
		return;
	from = *(__be32 *)ipv6_hdr(skb);
	ipv6_change_dsfield(ipv6_hdr(skb), INET_ECN_MASK, dscp << 2);
	to = *(__be32 *)ipv6_hdr(skb);
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->csum = csum_add(csum_sub(skb->csum, (__force __wsum)from),
				     (__force __wsum)to);
}

void vg_tag_forward4(struct sk_buff *skb, const struct vg_config *cfg)
{
	u8 dscp = ipv4_get_dsfield(ip_hdr(skb)) >> 2;

	/* DSCP 0 says nothing: it is never taken for voice */
	if (!dscp)
		return;
	if (dscp == cfg->dscp_rtp)
		skb->priority = cfg->priority_rtp;
	else if (dscp == cfg->dscp_sip)
		skb->priority = cfg->priority_sip;
}

void vg_tag(struct sk_buff *skb, const struct vg_pkt *pkt,
	    const struct vg_config *cfg, enum vg_tag_kind kind, int from_zone)
{
	switch (kind) {
	case VG_TAG_MEDIA:
		vg_set_dscp(skb, pkt, cfg->dscp_rtp);
		skb->priority = cfg->priority_rtp;
		if (cfg->mark_rtp)
			skb->mark = cfg->mark_rtp;
		break;
	case VG_TAG_SIP:
		vg_set_dscp(skb, pkt, cfg->dscp_sip);
		skb->priority = cfg->priority_sip;
		if (cfg->mark_sip)
			skb->mark = cfg->mark_sip;
		break;
	case VG_TAG_NONE:
		if (pkt->dscp != VG_DSCP_EF)
			break;
		vg_set_dscp(skb, pkt,
			    from_zone >= 0 && from_zone < VG_ZONES_MAX ?
			    cfg->zones[from_zone].dscp_default : 0);
		break;
	}
}
