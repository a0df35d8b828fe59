// SPDX-License-Identifier: GPL-2.0
/*
 * RTCP compound packet validation (RFC 3550 A.2) with per-type counts.
 */
#include "rtcp.h"

static inline u16 vg_rtcp_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 vg_rtcp_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline void vg_rtcp_count(u16 *c)
{
	if (*c != 0xffff)
		(*c)++;
}

/* Checks the body of one packet of @plen octets (header included). */
static bool vg_rtcp_packet_ok(struct vg_rtcp_info *info, const u8 *p,
			      u32 plen)
{
	u32 count = p[0] & 0x1f;	/* RC, SC or FMT */

	switch (p[1]) {
	case VG_RTCP_SR:
		if (plen < 8 + VG_RTCP_SENDER_INFO_LEN +
			   count * VG_RTCP_REPORT_LEN)
			return false;
		vg_rtcp_count(&info->sr);
		info->report_blocks += count;
		return true;
	case VG_RTCP_RR:
		if (plen < 8 + count * VG_RTCP_REPORT_LEN)
			return false;
		vg_rtcp_count(&info->rr);
		info->report_blocks += count;
		return true;
	case VG_RTCP_SDES:
		/* Each chunk is an SSRC and at least one (null) item word. */
		if (plen < 4 + count * 8)
			return false;
		vg_rtcp_count(&info->sdes);
		return true;
	case VG_RTCP_BYE:
		if (plen < 4 + count * 4)
			return false;
		vg_rtcp_count(&info->bye);
		return true;
	case VG_RTCP_APP:
		if (plen < 12)		/* SSRC and name */
			return false;
		vg_rtcp_count(&info->app);
		return true;
	case VG_RTCP_RTPFB:
	case VG_RTCP_PSFB:
		if (plen < 12)		/* sender and media SSRC */
			return false;
		vg_rtcp_count(p[1] == VG_RTCP_RTPFB ? &info->rtpfb :
						      &info->psfb);
		return true;
	case VG_RTCP_XR:
		if (plen < 8)
			return false;
		vg_rtcp_count(&info->xr);
		return true;
	default:
		vg_rtcp_count(&info->other);
		return true;
	}
}

/*
 * The start of both validations: *info zeroed, then A.2 on the first
 * packet's first word (version 2, no padding, SR or RR) and the sender's
 * SSRC from the second.
 */
static inline bool vg_rtcp_head(const u8 *p, u32 len, struct vg_rtcp_info *info)
{
	memset(info, 0, sizeof(*info));
	if (len < 8 || (p[0] & 0xe0) != 0x80 ||
	    (p[1] != VG_RTCP_SR && p[1] != VG_RTCP_RR))
		return false;
	info->ssrc = vg_rtcp_be32(p + 4);
	return true;
}

enum vg_reason vg_rtcp_validate(const u8 *p, u32 len,
				struct vg_rtcp_info *info)
{
	struct vg_rtcp_info scratch;
	u32 off = 0, plen;

	if (!info)
		info = &scratch;
	if (!vg_rtcp_head(p, len, info))
		return VG_R_RTCP_BAD;
	while (off < len) {
		const u8 *pkt = p + off;

		if (len - off < VG_RTCP_HDR_LEN || (pkt[0] >> 6) != 2 ||
		    pkt[1] < 192 || pkt[1] > 223)
			return VG_R_RTCP_BAD;
		plen = 4 * ((u32)vg_rtcp_be16(pkt + 2) + 1);
		if (plen > len - off)
			return VG_R_RTCP_BAD;
		if (pkt[0] & 0x20) {
			/* Only the last packet pads, by a count that fits. */
			if (off + plen != len || !pkt[plen - 1] ||
			    pkt[plen - 1] > plen - VG_RTCP_HDR_LEN)
				return VG_R_RTCP_BAD;
			if (!vg_rtcp_packet_ok(info, pkt,
					       plen - pkt[plen - 1]))
				return VG_R_RTCP_BAD;
		} else if (!vg_rtcp_packet_ok(info, pkt, plen)) {
			return VG_R_RTCP_BAD;
		}
		vg_rtcp_count(&info->packets);
		off += plen;
	}
	/* The length words add up to the datagram exactly (off == len). */
	return VG_R_NONE;
}

enum vg_reason vg_srtcp_validate(const u8 *p, u32 len,
				 struct vg_rtcp_info *info)
{
	struct vg_rtcp_info scratch;
	u32 plen;

	if (!info)
		info = &scratch;
	if (!vg_rtcp_head(p, len, info))
		return VG_R_RTCP_BAD;
	plen = 4 * ((u32)vg_rtcp_be16(p + 2) + 1);
	if (plen > len || len - plen < VG_SRTCP_INDEX_LEN ||
	    !vg_rtcp_packet_ok(info, p, plen))
		return VG_R_RTCP_BAD;
	info->packets = 1;
	return VG_R_NONE;
}
