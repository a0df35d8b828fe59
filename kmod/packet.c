// SPDX-License-Identifier: GPL-2.0
/*
 * The packet pipeline, cheapest stage first: parse, zones, class, zone
 * policy, validation, policing, state, tagging. Every drop is counted per
 * CPU under its reason; in monitor mode (global, or the matching policy
 * entry's action) it is counted as monitored and the packet passes.
 * LOCAL_OUT only learns (SIP state) and tags: it never drops, and this
 * host's packets are not judged again when they come back in.
 */
#include <linux/if_packet.h>
#include <linux/in6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/timekeeping.h>

#include "calls.h"
#include "config.h"
#include "l4.h"
#include "media.h"
#include "packet.h"
#include "pernet.h"
#include "sip_path.h"
#include "tag.h"

static int vg_zone_of_pkt(const struct vg_config *cfg,
			  const struct vg_addr *a)
{
	struct in6_addr a6;
	__be32 a4;

	if (a->family == VG_AF_INET) {
		memcpy(&a4, a->addr, sizeof(a4));
		return vg_zone_of(cfg, AF_INET, &a4);
	}
	memcpy(&a6, a->addr, sizeof(a6));
	return vg_zone_of(cfg, AF_INET6, &a6);
}

static bool vg_either_port(const struct vg_pkt *pkt, u16 port)
{
	return pkt->sport == port || pkt->dport == port;
}

/*
 * A UDP GSO packet (UDP GRO on the input device, UDP_SEGMENT on a local
 * socket, a guest's offload through tap) holds datagrams of gso_size octets
 * back to back, up to skb->len, and leaves as that many datagrams: each is
 * judged as one. Returns that size, or 0 for a single datagram.
 */
static u32 vg_udp_seg_size(const struct sk_buff *skb, const struct vg_pkt *pkt)
{
	if (pkt->l4proto != IPPROTO_UDP || !skb_is_gso(skb) ||
	    skb->encapsulation ||
	    !(skb_shinfo(skb)->gso_type & SKB_GSO_UDP_L4))
		return 0;
	return skb_shinfo(skb)->gso_size;
}

/* The datagram at @off: the next one's offset, its length in @len. */
static u32 vg_udp_seg_next(const struct sk_buff *skb, const struct vg_pkt *pkt,
			   u32 seg, u32 off, u32 *len)
{
	if (!seg) {
		*len = pkt->payload_len;
		return U32_MAX;
	}
	*len = min(seg, skb->len - off);
	return off + *len;
}

/* Whether another datagram follows at @off. */
static bool vg_udp_seg_more(const struct sk_buff *skb, u32 off)
{
	return off < skb->len;
}

/* RTP (version 2, a whole fixed header) or RTCP, by its first octets. */
static bool vg_looks_like_media_at(struct sk_buff *skb, u32 off, u32 len)
{
	u8 buf[2];
	const u8 *p;

	if (len < 4)
		return false;
	p = skb_header_pointer(skb, off, sizeof(buf), buf);
	if (!p || (p[0] >> 6) != VG_RTP_VERSION)
		return false;
	return (p[1] >= 192 && p[1] <= 223) || len >= VG_RTP_HDR_LEN;
}

static bool vg_looks_like_media(struct sk_buff *skb, const struct vg_pkt *pkt)
{
	u32 seg = vg_udp_seg_size(skb, pkt), off = pkt->payload_off, next, len;

	do {
		next = vg_udp_seg_next(skb, pkt, seg, off, &len);
		if (vg_looks_like_media_at(skb, off, len))
			return true;
		off = next;
	} while (vg_udp_seg_more(skb, off));
	return false;
}

static enum vg_class vg_classify_udp(struct vg_net *vn,
				     const struct vg_config *cfg,
				     struct sk_buff *skb,
				     const struct vg_pkt *pkt,
				     struct vg_media_entry **media)
{
	struct vg_media_key key;

	if (vg_is_sip_port(cfg, pkt->dport) || vg_is_sip_port(cfg, pkt->sport))
		return VG_CLASS_SIP;
	memset(&key, 0, sizeof(key));
	key.dst = pkt->dst;
	key.l4proto = IPPROTO_UDP;
	key.port = pkt->dport;
	*media = vg_media_lookup(&vn->media, &key);
	if (*media)
		return VG_CLASS_RTP;
	if (vg_either_port(pkt, VG_PORT_SIP_TLS))
		return VG_CLASS_SIP_TLS;
	if (vg_either_port(pkt, VG_PORT_H323_RAS))
		return VG_CLASS_H323;
	if (vg_either_port(pkt, VG_PORT_MGCP_GW) ||
	    vg_either_port(pkt, VG_PORT_MGCP_CA))
		return VG_CLASS_MGCP;
	/*
	 * Media goes from a media port to a media port (symmetric RTP):
	 * asking for both keeps replies from well-known ports that happen to
	 * start like RTP from being taken for stray media.
	 */
	if (cfg->media_strict && vg_is_media_port(cfg, pkt->dport) &&
	    vg_is_media_port(cfg, pkt->sport) && vg_looks_like_media(skb, pkt))
		return VG_CLASS_RTP;	/* with no pinhole */
	return VG_CLASS_OTHER;
}

static enum vg_class vg_classify(struct vg_net *vn, const struct vg_config *cfg,
				 struct sk_buff *skb, const struct vg_pkt *pkt,
				 struct vg_media_entry **media)
{
	*media = NULL;
	if (!pkt->has_ports)
		return VG_CLASS_OTHER;
	if (pkt->l4proto == IPPROTO_UDP)
		return vg_classify_udp(vn, cfg, skb, pkt, media);
	if (pkt->l4proto != IPPROTO_TCP)
		return VG_CLASS_OTHER;
	if (vg_is_sip_port(cfg, pkt->dport) || vg_is_sip_port(cfg, pkt->sport))
		return VG_CLASS_SIP;
	if (vg_either_port(pkt, VG_PORT_SIP_TLS))
		return VG_CLASS_SIP_TLS;
	if (vg_either_port(pkt, VG_PORT_H323_CS))
		return VG_CLASS_H323;
	return VG_CLASS_OTHER;
}

/* One RTP or RTCP datagram on a pinhole: the payload of @one. */
static enum vg_reason vg_media_one(struct vg_net *vn,
				   const struct vg_config *cfg,
				   struct sk_buff *skb, const struct vg_pkt *one,
				   struct vg_media_entry *e,
				   const struct vg_judge *j)
{
	struct vg_scratch *sc = vg_scratch_get();
	u32 len = one->payload_len;
	const u8 *p;

	if (!j->local && !vg_budget_take(vn, cfg, j->now))
		return VG_R_GLOBAL_RATE;
	if (len > VG_SCRATCH_BUF)
		return VG_R_RTP_BAD_HEADER;
	p = skb_header_pointer(skb, one->payload_off, len, sc->buf);
	if (!p)
		return VG_R_MALFORMED_L4;
	return vg_media_packet(vn, cfg, e, &one->src, one->sport, p, len,
			       j->now);
}

/* One datagram: SIP when @media is NULL, else media on that pinhole. */
static enum vg_reason vg_datagram(struct vg_net *vn,
				  const struct vg_config *cfg,
				  struct sk_buff *skb, const struct vg_pkt *one,
				  struct vg_media_entry *media,
				  const struct vg_judge *j)
{
	if (!media)
		return vg_sip_packet(vn, cfg, skb, one, j);
	return vg_media_one(vn, cfg, skb, one, media, j);
}

/*
 * Each datagram of the packet in turn (policed, validated, counted); the
 * first reason to drop one drops them all. Learning goes on past it when
 * nothing will be dropped.
 */
static enum vg_reason vg_datagrams(struct vg_net *vn,
				   const struct vg_config *cfg,
				   struct sk_buff *skb, const struct vg_pkt *pkt,
				   struct vg_media_entry *media,
				   const struct vg_judge *j)
{
	u32 seg = vg_udp_seg_size(skb, pkt), next;
	enum vg_reason first = VG_R_NONE, r;
	struct vg_pkt one;

	if (!seg)
		return vg_datagram(vn, cfg, skb, pkt, media, j);
	one = *pkt;
	do {
		next = vg_udp_seg_next(skb, pkt, seg, one.payload_off,
				       &one.payload_len);
		r = vg_datagram(vn, cfg, skb, &one, media, j);
		if (r && !j->monitor && !j->local)
			return r;
		if (!first)
			first = r;
		one.payload_off = next;
	} while (vg_udp_seg_more(skb, one.payload_off));
	return first;
}

static unsigned int vg_pipeline(struct vg_net *vn, const struct vg_config *cfg,
				struct sk_buff *skb, const struct vg_pkt *pkt,
				bool local)
{
	enum vg_tag_kind tag = VG_TAG_NONE;
	struct vg_media_entry *media;
	enum vg_reason r = VG_R_NONE;
	enum vg_action action;
	struct vg_judge j = {
		.monitor = cfg->mode == VG_MODE_MONITOR,
		.local = local,
		.now = ktime_get_ns(),
	};
	enum vg_class cls;

	j.from_zone = vg_zone_of_pkt(cfg, &pkt->src);
	j.to_zone = vg_zone_of_pkt(cfg, &pkt->dst);
	cls = vg_classify(vn, cfg, skb, pkt, &media);

	action = vg_policy_action(cfg, j.from_zone, j.to_zone, cls);
	if (action == VG_ACTION_MONITOR) {
		/* The entry would drop it; what else would, counts too. */
		j.monitor = true;
		if (!local)
			vg_stats_count_drop(&vn->stats, VG_R_ZONE_POLICY, true);
	}
	if (action == VG_ACTION_DROP) {
		r = VG_R_ZONE_POLICY;
		goto verdict;
	}

	switch (cls) {
	case VG_CLASS_SIP:
		tag = VG_TAG_SIP;
		r = vg_datagrams(vn, cfg, skb, pkt, NULL, &j);
		break;
	case VG_CLASS_SIP_TLS:
		tag = VG_TAG_SIP;
		if (!local && !vg_budget_take(vn, cfg, j.now))
			r = VG_R_GLOBAL_RATE;
		break;
	case VG_CLASS_RTP:
		tag = VG_TAG_MEDIA;
		if (!media)
			r = VG_R_RTP_NO_PINHOLE;
		else
			r = vg_datagrams(vn, cfg, skb, pkt, media, &j);
		break;
	case VG_CLASS_H323:
	case VG_CLASS_MGCP:
		if (!local && !vg_budget_take(vn, cfg, j.now))
			r = VG_R_GLOBAL_RATE;
		break;
	default:
		break;
	}

verdict:
	if (!local)
		vg_stats_count_class(&vn->stats, cls, j.from_zone, j.to_zone,
				     skb->len, r != VG_R_NONE && !j.monitor);
	if (r != VG_R_NONE) {
		if (local)
			return NF_ACCEPT;
		vg_stats_count_drop(&vn->stats, r, j.monitor);
		if (!j.monitor)
			return NF_DROP;
		tag = VG_TAG_NONE;	/* would-be drops are not voice */
	}
	/* The trust boundary is for what arrives, not what we send. */
	if (!local || tag != VG_TAG_NONE)
		vg_tag(skb, pkt, cfg, tag, j.from_zone);
	return NF_ACCEPT;
}

unsigned int vg_packet_in(struct vg_net *vn, struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	bool local = state->hook == NF_INET_LOCAL_OUT;
	bool ipv6 = state->pf == NFPROTO_IPV6;
	const struct vg_config *cfg;
	unsigned int verdict;
	struct vg_pkt pkt;
	bool ok;

	/*
	 * This host's own packets coming back in, over lo or as looped-back
	 * multicast and broadcast: LOCAL_OUT has seen them, and what we send
	 * is learnt from, never judged.
	 */
	if (!local && (skb->pkt_type == PACKET_LOOPBACK ||
		       (state->in && (state->in->flags & IFF_LOOPBACK))))
		return NF_ACCEPT;

	ok = vg_pkt_parse(skb, ipv6, &pkt);
	vg_stats_count_packet(&vn->stats, ipv6, local ? VG_HOOK_LOCAL_OUT :
			      VG_HOOK_PRE_ROUTING, pkt.l4, skb->len);

	/* Output may run with bottom halves on; the scratch needs them off. */
	local_bh_disable();
	rcu_read_lock();
	cfg = rcu_dereference(vn->config);
	if (!cfg || (local && !ok)) {
		verdict = NF_ACCEPT;
	} else if (!ok) {
		vg_stats_count_drop(&vn->stats, VG_R_MALFORMED_L4,
				    cfg->mode == VG_MODE_MONITOR);
		verdict = cfg->mode == VG_MODE_MONITOR ? NF_ACCEPT : NF_DROP;
	} else {
		verdict = vg_pipeline(vn, cfg, skb, &pkt, local);
	}
	rcu_read_unlock();
	local_bh_enable();
	return verdict;
}
