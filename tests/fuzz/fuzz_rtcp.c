// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: RTCP compound validation (RFC 3550 A.2). A valid
 * compound's per-type counts must add up to its packet count. SRTCP
 * validation reads the clear first packet only: one SR or RR.
 */
#include <stdlib.h>

#include "rtcp.h"
#include "rtp.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct vg_rtcp_info info;
	u32 len = size > 0xffffffu ? 0xffffffu : (u32)size;
	u32 sum;

	if (vg_srtcp_validate(data, len, &info) == VG_R_NONE &&
	    (!vg_rtp_is_rtcp(data, len) || info.packets != 1 ||
	     info.sr + info.rr != 1))
		abort();
	if (vg_rtcp_validate(data, len, NULL) != VG_R_NONE) {
		if (vg_rtcp_validate(data, len, &info) != VG_R_RTCP_BAD)
			abort();
		return 0;
	}
	if (vg_rtcp_validate(data, len, &info) != VG_R_NONE)
		abort();
	if (!vg_rtp_is_rtcp(data, len))
		abort();
	sum = info.sr + info.rr + info.sdes + info.bye + info.app +
	      info.rtpfb + info.psfb + info.xr + info.other;
	if (info.packets < 0xffff && sum != info.packets)
		abort();
	if (info.sr + info.rr < 1)
		abort();
	return 0;
}
