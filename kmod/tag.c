// SPDX-License-Identifier: GPL-2.0
/*
 * DSCP, priority and mark for voice; the EF trust boundary for the rest.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>

#include "config.h"
#include "tag.h"

#define VG_DSCP_EF	46

/* Rewrite the DSCP, keeping ECN; the IPv4 checksum is fixed up in place. */
static void vg_set_dscp(struct sk_buff *skb, const struct vg_pkt *pkt,
			u8 dscp)
{
	u32 nhoff = skb_network_offset(skb);

	if (pkt->dscp == dscp)
		return;
	if (pkt->family == VG_AF_INET) {
		if (skb_ensure_writable(skb, nhoff + sizeof(struct iphdr)))
			return;
		ipv4_change_dsfield(ip_hdr(skb), INET_ECN_MASK, dscp << 2);
	} else {
		if (skb_ensure_writable(skb, nhoff + sizeof(struct ipv6hdr)))
			return;
		ipv6_change_dsfield(ipv6_hdr(skb), INET_ECN_MASK, dscp << 2);
	}
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
