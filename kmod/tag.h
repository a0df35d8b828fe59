/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VG_TAG_H
#define VG_TAG_H

#include "l4.h"

struct sk_buff;
struct vg_config;

enum vg_tag_kind {
	VG_TAG_NONE,		/* not voice: only the trust boundary applies */
	VG_TAG_SIP,
	VG_TAG_MEDIA,		/* media of a call */
};

/*
 * Mark an accepted packet: DSCP (checksum fixed up), skb->priority and
 * optionally skb->mark for SIP and call media; a packet claiming EF that
 * is not call media gets the default DSCP of its source zone (0 if none).
 */
void vg_tag(struct sk_buff *skb, const struct vg_pkt *pkt,
	    const struct vg_config *cfg, enum vg_tag_kind kind, int from_zone);

/*
 * Forwarding IPv4 derives skb->priority from the TOS byte again
 * (net.ipv4.ip_forward_update_priority, on by default), replacing what
 * vg_tag() set: give a packet that leaves with the SIP or media DSCP its
 * configured priority back.
 */
void vg_tag_forward4(struct sk_buff *skb, const struct vg_config *cfg);

#endif /* VG_TAG_H */
