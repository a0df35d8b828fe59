// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 and IPv6 (with extension headers), UDP and TCP, for the pipeline.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/dsfield.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "l4.h"

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

/* UDP or TCP ports and payload of the header at @off. */
static bool vg_pkt_ports(struct sk_buff *skb, u32 off, struct vg_pkt *pkt)
{
	union {
		struct udphdr udp;
		struct tcphdr tcp;
	} buf;
	const struct udphdr *uh;
	const struct tcphdr *th;
	u32 len, hlen;

	if (off > skb->len)
		return false;
	len = skb->len - off;
	if (pkt->l4proto == IPPROTO_UDP) {
		uh = skb_header_pointer(skb, off, sizeof(*uh), &buf.udp);
		if (!uh)
			return false;
		hlen = ntohs(uh->len);
		if (hlen < sizeof(*uh) || hlen > len)
			return false;
		pkt->sport = ntohs(uh->source);
		pkt->dport = ntohs(uh->dest);
		pkt->payload_off = off + sizeof(*uh);
		pkt->payload_len = hlen - sizeof(*uh);
	} else if (pkt->l4proto == IPPROTO_TCP) {
		th = skb_header_pointer(skb, off, sizeof(*th), &buf.tcp);
		if (!th)
			return false;
		hlen = th->doff * 4;
		if (hlen < sizeof(*th) || hlen > len)
			return false;
		pkt->sport = ntohs(th->source);
		pkt->dport = ntohs(th->dest);
		pkt->payload_off = off + hlen;
		pkt->payload_len = len - hlen;
	} else {
		return true;
	}
	pkt->has_ports = true;
	return true;
}

static bool vg_pkt_parse4(struct sk_buff *skb, struct vg_pkt *pkt)
{
	u32 nhoff = skb_network_offset(skb), ihl;
	const struct iphdr *iph;
	struct iphdr buf;

	iph = skb_header_pointer(skb, nhoff, sizeof(buf), &buf);
	if (!iph)
		return false;
	ihl = iph->ihl * 4;
	if (ihl < sizeof(*iph))
		return false;
	pkt->family = VG_AF_INET;
	pkt->family_idx = 0;
	pkt->l4proto = iph->protocol;
	pkt->l4 = vg_l4_of(iph->protocol);
	pkt->dscp = ipv4_get_dsfield(iph) >> 2;
	memcpy(pkt->src.addr, &iph->saddr, 4);
	memcpy(pkt->dst.addr, &iph->daddr, 4);
	pkt->src.family = VG_AF_INET;
	pkt->dst.family = VG_AF_INET;
	/*
	 * A fragment that got past defragmentation (untracked before it) is
	 * not a datagram: the first holds only part of one, the later ones
	 * no layer 4 header at all.
	 */
	if (iph->frag_off & htons(IP_MF | IP_OFFSET))
		return true;
	return vg_pkt_ports(skb, nhoff + ihl, pkt);
}

static bool vg_pkt_parse6(struct sk_buff *skb, struct vg_pkt *pkt)
{
	u32 nhoff = skb_network_offset(skb);
	const struct ipv6hdr *ip6h;
	struct ipv6hdr buf;
	__be16 frag_off;
	u8 nexthdr;
	int off;

	ip6h = skb_header_pointer(skb, nhoff, sizeof(buf), &buf);
	if (!ip6h)
		return false;
	pkt->family = VG_AF_INET6;
	pkt->family_idx = 1;
	pkt->dscp = ipv6_get_dsfield(ip6h) >> 2;
	memcpy(pkt->src.addr, &ip6h->saddr, 16);
	memcpy(pkt->dst.addr, &ip6h->daddr, 16);
	pkt->src.family = VG_AF_INET6;
	pkt->dst.family = VG_AF_INET6;
	nexthdr = ip6h->nexthdr;
	off = ipv6_skip_exthdr(skb, nhoff + sizeof(*ip6h), &nexthdr,
			       &frag_off);
	if (off < 0) {
		pkt->l4proto = NEXTHDR_NONE;
		pkt->l4 = VG_L4_OTHER;
		return true;
	}
	pkt->l4proto = nexthdr;
	pkt->l4 = vg_l4_of(nexthdr);
	/* As in IPv4; nf_defrag_ipv6 also passes fragments it cannot queue. */
	if (frag_off & htons(IP6_OFFSET | IP6_MF))
		return true;
	return vg_pkt_ports(skb, off, pkt);
}

bool vg_pkt_parse(struct sk_buff *skb, bool ipv6, struct vg_pkt *pkt)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->l4 = VG_L4_OTHER;
	return ipv6 ? vg_pkt_parse6(skb, pkt) : vg_pkt_parse4(skb, pkt);
}
