/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RTCP compound packets (RFC 3550 section 6, validity checks of appendix
 * A.2). Reduced-size RTCP (RFC 5506: a lone feedback packet not led by SR
 * or RR) is not accepted: voipguard does not negotiate it, and the A.2 rule
 * "first packet is SR or RR" is what keeps RTP out of RTCP pinholes.
 */
#ifndef VG_CORE_RTCP_H
#define VG_CORE_RTCP_H

#include "vg_base.h"
#include "reason.h"

/* Packet types (RFC 3550, RFC 4585, RFC 3611). */
#define VG_RTCP_SR	200
#define VG_RTCP_RR	201
#define VG_RTCP_SDES	202
#define VG_RTCP_BYE	203
#define VG_RTCP_APP	204
#define VG_RTCP_RTPFB	205	/* transport-layer feedback (e.g. NACK) */
#define VG_RTCP_PSFB	206	/* payload-specific feedback (e.g. PLI) */
#define VG_RTCP_XR	207	/* extended reports */

#define VG_RTCP_HDR_LEN		4
#define VG_RTCP_REPORT_LEN	24	/* one reception report block */
#define VG_RTCP_SENDER_INFO_LEN	20

/* What a compound packet held; filled as far as parsing got. */
struct vg_rtcp_info {
	u32 ssrc;		/* sender SSRC of the first (SR or RR) packet */
	u16 packets;		/* packets in the compound */
	u16 sr;
	u16 rr;
	u16 sdes;
	u16 bye;
	u16 app;
	u16 rtpfb;
	u16 psfb;
	u16 xr;
	u16 other;		/* any other packet type 192..223 or beyond */
	u32 report_blocks;	/* reception report blocks in SR and RR */
};

/*
 * Validate the compound RTCP packet @p of @len octets (the UDP payload)
 * per RFC 3550 A.2: every packet is version 2; the first is SR or RR and
 * has no padding; only the last packet may have the P bit, and its padding
 * count is non-zero and fits in that packet; the packet lengths add up to
 * exactly @len; SR and RR are long enough for their report count (RC), and
 * BYE for its source count. Packet types other than 192..223 are refused
 * (such a datagram is not RTCP).
 *
 * @info, when not NULL, is zeroed and filled with the per-type counts.
 * Returns VG_R_NONE or VG_R_RTCP_BAD.
 */
enum vg_reason vg_rtcp_validate(const u8 *p, u32 len,
				struct vg_rtcp_info *info);

/* Octets of the SRTCP E flag and index that follow the compound. */
#define VG_SRTCP_INDEX_LEN	4

/*
 * Validate the SRTCP packet @p of @len octets (RFC 3711 section 3.4). Only
 * the first packet's header and SSRC are in the clear: the rest of the
 * compound may be encrypted, and the E flag and SRTCP index, an optional
 * MKI and the authentication tag follow it, so the length words cannot be
 * walked. What is checked is what A.2 says of the first packet: version 2,
 * SR or RR, no padding, its length long enough for its report count, and
 * at least the index word after it.
 *
 * @info, when not NULL, is zeroed and filled for that first packet.
 * Returns VG_R_NONE or VG_R_RTCP_BAD.
 */
enum vg_reason vg_srtcp_validate(const u8 *p, u32 len,
				 struct vg_rtcp_info *info);

#endif /* VG_CORE_RTCP_H */
