/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VG_PACKET_H
#define VG_PACKET_H

struct sk_buff;
struct nf_hook_state;
struct vg_net;

/*
 * The packet pipeline: every packet of every hook enters here and the
 * return value is the netfilter verdict.
 */
unsigned int vg_packet_in(struct vg_net *vn, struct sk_buff *skb,
			  const struct nf_hook_state *state);

#endif /* VG_PACKET_H */
