/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VG_SIP_PATH_H
#define VG_SIP_PATH_H

#include <linux/types.h>

#include "call.h"
#include "l4.h"
#include "reason.h"
#include "sdp.h"
#include "sip.h"

struct sk_buff;
struct vg_net;
struct vg_config;

/* Largest SIP message (or TCP segment) judged: a whole UDP datagram. */
#define VG_SCRATCH_BUF		65536

/*
 * Per-CPU working memory of the packet path, too large for a kernel stack:
 * a copy of a non-linear payload, the parsed message, the call logic's
 * SDP and decision. Used with bottom halves disabled.
 */
struct vg_scratch {
	struct vg_sip_msg msg;
	struct vg_call fresh;
	struct vg_call_decision dec;
	struct vg_sdp sdp;
	u8 buf[VG_SCRATCH_BUF];
};

int vg_scratch_alloc(void);
void vg_scratch_free(void);
/* This CPU's scratch; caller has bottom halves disabled. */
struct vg_scratch *vg_scratch_get(void);

/* How the pipeline judges a packet. */
struct vg_judge {
	bool monitor;		/* count would-be drops, drop nothing */
	bool local;		/* LOCAL_OUT: learn and tag, never drop */
	int from_zone;
	int to_zone;
	u64 now;
};

/*
 * A SIP datagram or TCP segment: validation, per-source policing, call
 * state and pinholes. Returns the first reason to drop it (VG_R_NONE to
 * accept). Reasons met after the first in monitor mode are not counted;
 * srtp_required is counted here (the message itself passes).
 */
enum vg_reason vg_sip_packet(struct vg_net *vn, const struct vg_config *cfg,
			     struct sk_buff *skb, const struct vg_pkt *pkt,
			     const struct vg_judge *j);

/* One packet from the global budget (limit global-rate): false if over. */
bool vg_budget_take(struct vg_net *vn, const struct vg_config *cfg, u64 now);

#endif /* VG_SIP_PATH_H */
