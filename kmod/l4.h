/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layer 3 and 4 of a packet as the pipeline needs them: addresses, ports,
 * where the payload is, the DSCP it arrived with. Read with
 * skb_header_pointer(): no allocation, nothing written.
 */
#ifndef VG_L4_H
#define VG_L4_H

#include <linux/types.h>
#include <uapi/linux/voipguard.h>

#include "sdp.h"

struct sk_buff;

struct vg_pkt {
	u8 family;		/* VG_AF_INET or VG_AF_INET6 */
	u8 family_idx;		/* 0 IPv4, 1 IPv6 (stats index) */
	u8 l4proto;		/* IPPROTO_*, past IPv6 extension headers */
	u8 dscp;		/* as it arrived */
	enum vg_l4 l4;
	bool has_ports;		/* UDP or TCP header read (not a fragment) */
	struct vg_addr src;
	struct vg_addr dst;
	u16 sport;		/* host order */
	u16 dport;
	u32 payload_off;	/* UDP/TCP payload, from skb->data */
	u32 payload_len;
};

/*
 * Fill @pkt from @skb (skb->data at the network header, as in the
 * PRE_ROUTING and LOCAL_OUT hooks). Returns false when the IP, UDP or TCP
 * header is truncated or inconsistent (malformed_l4).
 */
bool vg_pkt_parse(struct sk_buff *skb, bool ipv6, struct vg_pkt *pkt);

#endif /* VG_L4_H */
