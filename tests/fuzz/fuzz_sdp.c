// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: SDP bodies, the multipart search (first line of the
 * input as Content-Type when it names a multipart type) and the address
 * parsers.
 */
#include <stdint.h>
#include <stdlib.h>

#include "call.h"

static struct vg_sdp sdp;

static void use_sdp(const char *p, u32 len)
{
	struct vg_media_desc d;
	u32 k;

	if (vg_sdp_parse(p, len, &sdp) != VG_R_NONE)
		return;
	if (sdp.n_media > VG_SDP_MAX_MEDIA)
		abort();
	for (k = 0; k < sdp.n_media; k++) {
		const struct vg_sdp_media *m = &sdp.media[k];
		struct vg_str codec = vg_sdp_codec_name(&sdp, m, m->first_pt);

		if (codec.len && (codec.p < p || codec.p + codec.len > p + len))
			abort();
		vg_sdp_media_usable(m);
		vg_sdp_media_held(m);
		vg_sdp_clock_rate(m, m->first_pt);
		vg_media_desc_from_sdp(&d, &sdp, m);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	const char *lf;
	struct vg_addr addr;

	if (size > 0xffffffffu)
		return 0;
	use_sdp(buf, (u32)size);
	vg_parse_addr(buf, (u32)(size < 64 ? size : 64), &addr);

	lf = memchr(buf, '\n', size);
	if (lf && size >= 9 && !memcmp(buf, "multipart", 9)) {
		struct vg_str ct = { buf, (u32)(lf - buf) };
		struct vg_str body = { lf + 1, (u32)(size - (size_t)(lf + 1 - buf)) };
		struct vg_str found;

		if (vg_sdp_find(&ct, &body, &found)) {
			if (found.p < body.p || found.p + found.len > body.p + body.len)
				abort();
			use_sdp(found.p, found.len);
		}
	}
	return 0;
}
